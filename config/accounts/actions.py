"""Every write about a user's login: the second factor (setting up the authenticator app, resetting it, and
the codes given at login: a TOTP code moves the app's last used time step on; a recovery code is used up), and
the account a login through the organisation's OpenID provider finds or makes."""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django_otp import devices_for_user, match_token
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.accounts.models import ProviderIdentity, SecondFactorEvent
from config.web import roles as app_roles

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


class Refused(Exception):
    """A login through the provider refused: the Danish reason shown to the person, the page's status."""

    def __init__(self, reason: str, status: int = 403):
        super().__init__(reason)
        self.reason = reason
        self.status = status


NO_ROLE = (
    "Din fsb-konto giver ikke adgang: den er ikke med i en af de grupper, der giver adgang til "
    "sagsbehandlingen. Kontakt en administrator, hvis du skal have adgang."
)
LOCAL_ONLY = (
    "Afdelingsbestyrelsernes medlemmer og administratorerne logger ind med brugernavn og adgangskode, "
    "ikke med fsb-konto."
)
CLOSED = "Din konto i sagsbehandlingen er lukket. Kontakt en administrator."
EMAIL_TAKEN = (
    "Der findes allerede en bruger med din e-mailadresse, og den kan ikke kobles til din fsb-konto af sig "
    "selv. Kontakt en administrator."
)
# The roles a login through the provider gives and takes; any other group (board, administrator) it refuses.
PROVIDER_ROLES = (app_roles.MEDARBEJDER, app_roles.SEKRETARIAT)
LOCAL_ROLES = (app_roles.AFDELINGSBESTYRELSE, app_roles.ADMINISTRATOR)


def sign_in_from_provider(*, issuer: str, claims: dict, roles: set[str]):
    """The user a verified ID token names, with exactly the provider's roles `roles` (some of PROVIDER_ROLES).

    Found by the token's issuer and subject. The first time, an existing account with the token's e-mail
    address is taken over only when the provider vouches for the address (email_verified) and it is the only
    one with it; otherwise a new account without a password is made. Names and e-mail follow the token at
    every login. Refused, changing nothing: a board member or an administrator (they log in with their
    password: one group changed at the provider must not make anyone an administrator or reach a board
    member's account), a closed account, an address that cannot be linked safely, and a person without a
    role, who gets no account; one who had an account here loses the provider's roles on it (roles follow
    the groups, also for a password the account may have)."""
    with transaction.atomic():
        identity = (
            ProviderIdentity.objects.select_for_update()
            .select_related("user")
            .filter(issuer=issuer, subject=claims["sub"])
            .first()
        )
        if not roles:
            if identity is not None:
                _give_roles(identity.user, roles)
            user = None
        else:
            user = _account_for(identity, issuer, claims, roles)
    if user is None:
        raise Refused(NO_ROLE)
    return user


def _account_for(identity, issuer, claims, roles):
    User = get_user_model()
    user = identity.user if identity is not None else _account_with_address(claims)
    if user is not None:
        if not user.is_active:
            raise Refused(CLOSED)
        if user.is_superuser or app_roles.group_names(user) & set(LOCAL_ROLES):
            raise Refused(LOCAL_ONLY)
    else:
        user = User(username=_new_username(claims))
        user.set_unusable_password()
    # What the token leaves out stays as it was.
    user.email = (claims.get("email") or user.email)[: User._meta.get_field("email").max_length]
    first_name, last_name = _names(claims)
    if first_name or last_name:
        user.first_name, user.last_name = first_name, last_name
    user.save()
    if identity is None:
        ProviderIdentity.objects.create(user=user, issuer=issuer, subject=claims["sub"])
    _give_roles(user, roles)
    return user


def _give_roles(user, roles: set[str]) -> None:
    """The user has of PROVIDER_ROLES exactly `roles`."""
    user.groups.remove(*Group.objects.filter(name__in=set(PROVIDER_ROLES) - roles))
    user.groups.add(*Group.objects.filter(name__in=roles))
    user._role_names = None  # read again: the groups changed


def _account_with_address(claims):
    """The one existing account with the token's e-mail address, not yet linked, when the provider says the
    address is verified; None when nobody has it. Anyone could otherwise put a colleague's address on an
    account at a provider that does not check it, and take over the colleague's account."""
    email = claims.get("email")
    if not email:
        return None
    # PostgreSQL's UPPER() makes "ı" and "ſ" match "i" and "s"; Python's lower() does not, so a look-alike
    # address at the provider cannot take over an account here.
    same_letters = get_user_model().objects.filter(email__iexact=email).select_related("provider_identity")
    found = [user for user in same_letters[:3] if user.email.lower() == email.lower()]
    if not found:
        return None
    user = found[0]
    if claims.get("email_verified") is not True or len(found) > 1 or hasattr(user, "provider_identity"):
        raise Refused(EMAIL_TAKEN)
    return user


def _new_username(claims) -> str:
    """The e-mail address (what people know each other by), or the subject when the token has none; with the
    subject after it when another account has that username already."""
    User = get_user_model()
    limit = User._meta.get_field("username").max_length
    username = (claims.get("email") or claims["sub"])[:limit]
    if User.objects.filter(username__iexact=username).exists():
        username = f"{username[: limit - 41]}-{claims['sub'][:40]}"
    return username


def _names(claims) -> tuple[str, str]:
    limit = get_user_model()._meta.get_field("first_name").max_length
    first, last = claims.get("given_name") or "", claims.get("family_name") or ""
    if not (first or last):
        # "Anne Marie Hansen": the last word is the surname; a single word is a first name.
        head, _, tail = (claims.get("name") or "").strip().rpartition(" ")
        first, last = (head, tail) if head else (tail, "")
    return first[:limit], last[:limit]
