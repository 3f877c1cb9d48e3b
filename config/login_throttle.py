"""Login throttling with django-axes: who the client is behind the proxy, and what locks out whom.

- A username is locked from one address after AXES_FAILURE_LIMIT wrong passwords: a stranger guessing a
  colleague's password locks out only themselves, and the colleague logs in from their own address.
- An address is locked for every username after AXES_ADDRESS_FAILURE_LIMIT wrong passwords, however many
  usernames they were spread over (password spraying).
- A lockout lasts AXES_COOLOFF_MINUTES, doubled for each further AXES_FAILURE_LIMIT wrong passwords from the
  address within a day (back-off), at most a day.
- Wrong codes at the login's second step (accounts/views.py) count as wrong passwords, and for a user with an
  authenticator app the right password alone resets nothing: only the right code does.
"""

import ipaddress
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_failure_limit
from axes.models import AccessFailureLog
from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django_otp import user_has_device

BACK_OFF_MEMORY = timedelta(days=1)
LONGEST_COOL_OFF = timedelta(days=1)


def client_address(request) -> str:
    """REMOTE_ADDR; behind TRUSTED_PROXY_COUNT proxies, the address the outermost of them saw.

    Each proxy appends the address it was connected from to X-Forwarded-For, so with n proxies of our own the
    n-th entry from the right is the one the first of them wrote. Entries further left come from the client
    and prove nothing; a header shorter than that, or not an address, is not from our proxies.
    """
    remote = request.META.get("REMOTE_ADDR", "")
    count = settings.TRUSTED_PROXY_COUNT
    if count == 0:
        return remote
    hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    if len(hops) < count:
        return remote
    try:
        return str(ipaddress.ip_address(hops[-count]))
    except ValueError:
        return remote


def cool_off(request) -> timedelta:
    """How long a lockout lasts: longer for an address that keeps guessing."""
    base = timedelta(minutes=settings.AXES_COOLOFF_MINUTES)
    address = getattr(request, "axes_ip_address", None) if request is not None else None
    if not address:
        return base
    recent = AccessFailureLog.objects.filter(
        ip_address=address, attempt_time__gte=timezone.now() - BACK_OFF_MEMORY
    ).count()
    doublings = max(recent // settings.AXES_FAILURE_LIMIT - 1, 0)
    return min(base * 2 ** min(doublings, 10), LONGEST_COOL_OFF)


class UserAndAddressHandler(AxesDatabaseHandler):
    """Counts wrong passwords per username and address, and per address (AXES_LOCKOUT_PARAMETERS, in that
    order): an address over its own, higher limit counts as over the limit for every username."""

    def get_failures(self, request, credentials=None) -> int:
        by_user_and_address, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        if by_address >= settings.AXES_ADDRESS_FAILURE_LIMIT:
            return max(by_user_and_address, get_failure_limit(request, credentials))
        return by_user_and_address

    def user_logged_in(self, sender, request, user, second_factor_passed=False, **kwargs):
        """A right password is half a login for a user with an app: were the attempts reset then, logging in
        again with the password would let the codes be guessed forever. The code step passes
        second_factor_passed when the code is right."""
        if user_has_device(user) and not second_factor_passed:
            return
        super().user_logged_in(sender, request, user, **kwargs)
