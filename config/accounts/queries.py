from django.conf import settings
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.accounts.models import ProviderIdentity


def app_of(user) -> TOTPDevice | None:
    """The user's confirmed authenticator app, if they have set one up."""
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def logs_in_at_provider(user) -> bool:
    """The account logs in through the organisation's provider (single sign-on on, the account linked), which
    asks for the second factor itself."""
    return settings.SSO_ENABLED and ProviderIdentity.objects.filter(user=user).exists()
