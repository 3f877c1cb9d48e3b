"""Two-factor login: who owes a code after the password, and how a login records that it has given one.

A login starts with the password (Django's login view), which logs the user in. A user with an authenticator
app (django-otp's TOTP device, with recovery codes beside it) then gives a code (accounts.views.login_code)
before reaching any other page; staff, the secretariat and administrators with a local password who have no
app yet are sent to set one up first (settings.REQUIRE_SECOND_FACTOR). Board members may set one up, and are
then asked for codes like everyone else. accounts.middleware holds a login that owes a step to its pages.

A login through the organisation's OpenID provider (accounts.sso) has given its second factor there.

The session remembers that its login has passed (SESSION_KEY), so a page costs no query to know it.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver
from django_otp import user_has_device

from config.web import roles

SESSION_KEY = "second_factor"
PASSED = "passed"  # the login gave a code, or set up its app
PROVIDER = "provider"  # the login came through the OpenID provider, which asks for its own (accounts.sso)
NOT_NEEDED = "not_needed"  # the user has no app and need not have one

# What a login owes before it reaches any page.
CODE = "code"
SET_UP = "set_up"


def is_required(user) -> bool:
    """Staff, the secretariat and administrators logging in with a password of their own must have an app."""
    return (
        settings.REQUIRE_SECOND_FACTOR
        and user.has_usable_password()
        and (roles.is_medarbejder(user) or roles.is_sekretariat(user))
    )


def has_app(user) -> bool:
    return user_has_device(user)


def step_owed(user) -> str | None:
    if has_app(user):
        return CODE
    if is_required(user):
        return SET_UP
    return None


def settled(request) -> bool:
    """The login has given its code, or owes none: decided once per login."""
    return request.session.get(SESSION_KEY) is not None


def mark_passed(request) -> None:
    # A new session key, as Django's login() gives one after the password: a key seen between the two steps
    # must not become a whole login.
    request.session.cycle_key()
    request.session[SESSION_KEY] = PASSED


def mark_passed_at_provider(request) -> None:
    # After login(), which gave the session a new key.
    request.session[SESSION_KEY] = PROVIDER


def mark_not_needed(request) -> None:
    request.session[SESSION_KEY] = NOT_NEEDED


def forget(request) -> None:
    """The login owes its step again (after the user's app was reset)."""
    request.session.pop(SESSION_KEY, None)


@receiver(user_logged_in)
def owe_again_at_login(sender, request, user, **kwargs):
    # Django keeps the session's data when the same user logs in again: a new password login owes a new code.
    if request is not None and hasattr(request, "session"):
        forget(request)
