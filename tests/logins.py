"""Logging the test client in: without the login's pages (Django's force_login, the second factor marked as
given), or through them (password, then a code from an app the test gives the user)."""

from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp import models as totp_models
from django_otp.plugins.otp_totp.models import TOTPDevice

from config.accounts import second_factor

# A fixed secret, so that a test can compute its user's codes.
PASSWORD = "demo"
APP_KEY = "3132333435363738393031323334353637383930"


def log_in(client, user):
    client.force_login(user)
    session = client.session
    session[second_factor.SESSION_KEY] = second_factor.PASSED
    session.save()
    return client


def give_app(user) -> TOTPDevice:
    """The user's confirmed authenticator app with the fixed secret (as if they had set it up)."""
    app, _ = TOTPDevice.objects.get_or_create(
        user=user, confirmed=True, defaults={"key": APP_KEY, "name": "Autentificeringsapp"}
    )
    return app


def code_of(app: TOTPDevice, at: float | None = None) -> str:
    """The app's code at `at`, or now (by django-otp's clock, which a test may set): then the code of the step
    after the last one the app gave at login when that was this step (a second login within 30 seconds: still
    within the window)."""
    totp = TOTP(app.bin_key, app.step, app.t0, app.digits, app.drift)
    totp.time = totp_models.time.time() if at is None else at
    if at is None:
        app.refresh_from_db()
        if totp.t() <= app.last_t:
            totp.time += (app.last_t + 1 - totp.t()) * app.step
    return f"{totp.token():0{app.digits}d}"


def log_in_with_password(client, user, password=PASSWORD):
    """Through the login's pages: the password, and for a user who needs one a code from their app."""
    response = client.post(reverse("login"), {"username": user.username, "password": password})
    assert response.status_code == 302, response.content
    if second_factor.is_required(user) or second_factor.has_app(user):
        response = client.post(reverse("login_code"), {"code": code_of(give_app(user))})
        assert response.status_code == 302, response.content
    return client
