"""Every write about a user's second factor: setting up the authenticator app, resetting it, and the codes
given at login (a TOTP code moves the app's last used time step on; a recovery code is used up)."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.accounts.models import SecondFactorEvent

APP_NAME = "Autentificeringsapp"
RECOVERY_NAME = "Gendannelseskoder"
RECOVERY_CODE_COUNT = 10


def normalised(code: str) -> str:
    """A code as typed: "123 456" and "ABCD-EFGH" are 123456 and abcdefgh (recovery codes are lower case)."""
    return "".join(code.split()).replace("-", "").lower()


def set_up_app(user, key: str, code: str, *, acting_user) -> list[str] | None:
    """The app holding `key` becomes the user's once its first code is right: any earlier app and recovery
    codes are void, and ten new recovery codes are made. Returns them (they are stored only as the user's
    codes and shown once), or None when the code is wrong, which changes nothing."""
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=user.pk)
        app = TOTPDevice.objects.create(user=user, key=key, name=APP_NAME, confirmed=False)
        # django-otp's own check: the code's time step is kept, so the same code cannot log in afterwards.
        if not app.verify_token(normalised(code)):
            transaction.set_rollback(True)
            return None
        TOTPDevice.objects.filter(user=user).exclude(pk=app.pk).delete()
        StaticDevice.objects.filter(user=user).delete()
        app.confirmed = True
        app.save(update_fields=["confirmed"])
        codes = _new_recovery_codes()
        recovery = StaticDevice.objects.create(user=user, name=RECOVERY_NAME)
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=token) for token in codes)
        SecondFactorEvent.objects.create(
            user=user, kind=SecondFactorEvent.Kind.SET_UP, acting_user=acting_user
        )
    return codes


def reset_app(user, *, acting_user) -> None:
    """The user's app and recovery codes are void: they log in with the password alone, or (when required)
    set up a new app at their next step, until they set one up."""
    with transaction.atomic():
        get_user_model().objects.select_for_update().get(pk=user.pk)
        for device in devices_for_user(user, confirmed=None):
            device.delete()
        SecondFactorEvent.objects.create(
            user=user, kind=SecondFactorEvent.Kind.RESET, acting_user=acting_user
        )


def accept_code(user, code: str) -> bool:
    """A code from the user's app, at most one time step early or late and of a later step than the last one
    accepted, or one of their recovery codes, which is then used up."""
    code = normalised(code)
    return bool(code) and match_token(user, code) is not None


def _new_recovery_codes() -> list[str]:
    codes: set[str] = set()
    while len(codes) < RECOVERY_CODE_COUNT:
        codes.add(StaticToken.random_token())
    return sorted(codes)
