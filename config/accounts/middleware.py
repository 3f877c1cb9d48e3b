from urllib.parse import urlencode

from django.http import HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from config.accounts import second_factor

# The pages a login that still owes its code or its app's set-up may reach.
OPEN_WHILE_OWED = {"login", "logout", "health", "login_code", "second_factor_set_up"}


class SecondFactorMiddleware:
    """Sends a login that owes its code to the login's second step, and a required user without an app to
    set one up, from every page: until then they reach nothing else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not second_factor.settled(request) and request.user.is_authenticated:
            step = second_factor.step_owed(request.user)
            if step is None:
                second_factor.mark_not_needed(request)
            elif _url_name(request) in OPEN_WHILE_OWED:
                request.second_factor_owed = step
            else:
                target = reverse("login_code" if step == second_factor.CODE else "second_factor_set_up")
                return HttpResponseRedirect(f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _url_name(request) -> str | None:
    try:
        return resolve(request.path_info).url_name
    except Resolver404:
        return None
