"""A login lasts SESSION_COOKIE_AGE (a working day by default) from the last activity, not from the login.

Saving the session on every request (SESSION_SAVE_EVERY_REQUEST) would write its row on every page view
and fragment. Renewing it once every RENEW_EVERY is as good for someone at work (a session ends a working
day, less at most RENEW_EVERY, after their last request) and costs one write per user every few minutes.
"""

import time

from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

RENEW_EVERY = 5 * 60  # seconds
RENEWED = "fornyet"  # the session key holding when the session's expiry was last moved (Unix time)


class SessionRenewalMiddleware:
    """After AuthenticationMiddleware: moves a logged-in session's expiry on, at most once per RENEW_EVERY."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(RENEWED, 0) >= RENEW_EVERY:
                # SessionMiddleware saves a changed session with a new expiry (its row and its cookie).
                request.session[RENEWED] = now
        return self.get_response(request)


@receiver(user_logged_in)
def renewed_at_login(sender, request, user, **kwargs):
    """Logging in sets the expiry already: the next few minutes' requests need not write it again."""
    request.session[RENEWED] = int(time.time())
