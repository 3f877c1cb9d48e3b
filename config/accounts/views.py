from base64 import b32encode
from binascii import unhexlify
from urllib.parse import quote

import segno
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_lockout_response
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.signals import user_login_failed
from django.http import Http404
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key
from mozilla_django_oidc.views import OIDCAuthenticationCallbackView, OIDCAuthenticationRequestView

from config.accounts import actions, queries, second_factor, sso
from config.accounts.forms import CodeForm, ConfirmIdentityForm, LoginForm
from config.web.forms import posted

# The secret of an app being set up, until its first code confirms it; the recovery codes, until shown once.
NEW_KEY_SESSION_KEY = "second_factor_new_key"
RECOVERY_CODES_SESSION_KEY = "second_factor_recovery_codes"
WRONG_CODE = "Koden er forkert eller for gammel. Prøv med den kode appen viser nu."
UNKNOWN_ATTEMPT = (
    "Svaret fra fsb's login-tjeneste hører ikke til et loginforsøg fra denne browser, eller det er brugt. "
    "Start forfra med «Log ind med fsb-konto»."
)
NOT_COMPLETED = "Login med fsb-konto blev ikke gennemført: login-tjenesten gav ikke adgang."


AT_PROVIDER = (
    "Du logger ind med din fsb-konto, som selv beder om den anden faktor: her skal du ikke opsætte en app."
)


class LoginView(auth_views.LoginView):
    """Django's login page (username and password, then a code), with the button for logging in with an fsb
    account when single sign-on is configured."""

    authentication_form = LoginForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(**kwargs, sso_enabled=settings.SSO_ENABLED)


class SsoLoginView(OIDCAuthenticationRequestView):
    """«Log ind med fsb-konto»: to the provider, with a state, a nonce and a PKCE challenge
    (mozilla-django-oidc), and the page asked for (?next=) kept for the return."""

    def __init__(self, **kwargs):
        # Not the library's, which reads the provider's endpoint from the settings: it comes from discovery.
        View.__init__(self, **kwargs)
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID

    def get(self, request):
        if not settings.SSO_ENABLED:
            raise Http404
        try:
            self.OIDC_OP_AUTH_ENDPOINT = sso.endpoints().authorization
        except actions.Refused as refusal:
            return _sso_refused(request, refusal)
        return super().get(request)


class SsoCallbackView(OIDCAuthenticationCallbackView):
    """Where the provider sends the browser back: the state must be one this session started (used once),
    the answer must come from the configured provider, and the code is traded for a verified ID token
    (accounts.sso), which logs the person in with the roles of their groups. Anything else shows why and
    changes nothing."""

    def get(self, request):
        if not settings.SSO_ENABLED:
            raise Http404
        if request.GET.get("state") not in request.session.get("oidc_states", {}):
            return _sso_refused(request, actions.Refused(UNKNOWN_ATTEMPT, status=400))
        try:
            # The issuer the provider names beside the code (RFC 9207): an answer from another provider, mixed
            # up, or one with the name taken off when the provider always gives it.
            named = request.GET.get("iss")
            taken_off = named is None and "code" in request.GET and sso.endpoints().names_issuer
            if taken_off or named not in (None, settings.OIDC_ISSUER):
                return _sso_refused(request, sso.not_verified(sso.WRONG_ISSUER))
            return super().get(request)
        except actions.Refused as refusal:
            return _sso_refused(request, refusal)

    def login_failure(self):
        # The provider answered with an error (the person cancelled, or it would not let them in).
        return _sso_refused(self.request, actions.Refused(NOT_COMPLETED))

    def login_success(self):
        response = super().login_success()
        second_factor.mark_passed_at_provider(self.request)
        return response


def _sso_refused(request, refusal: actions.Refused):
    return render(request, "accounts/sso_refused.html", {"reason": refusal.reason}, status=refusal.status)


@require_http_methods(["GET", "POST"])
def login_code(request):
    """The login's second step: a code from the app, or a recovery code. Wrong codes count with wrong
    passwords in django-axes, so they lock the username out from the address like wrong passwords do."""
    if not request.user.is_authenticated:
        return redirect("login")
    if getattr(request, "second_factor_owed", None) != second_factor.CODE:
        return redirect(_next_page(request))
    user = request.user
    credentials = {"username": user.get_username()}
    form = CodeForm(posted(request))
    if request.method == "POST":
        if not AxesProxyHandler.is_allowed(request, credentials):
            return _locked_out(request, credentials)
        if form.is_valid():
            if actions.accept_code(user, form.cleaned_data["code"]):
                second_factor.mark_passed(request)
                # The password alone reset nothing (config/login_throttle.py): the login is whole now.
                AxesProxyHandler.user_logged_in(login_code, request, user, second_factor_passed=True)
                return redirect(_next_page(request))
            if not _counted_wrong(request, credentials):
                return _locked_out(request, credentials)
            form.add_error("code", WRONG_CODE)
    context = {"form": form, "next": request.POST.get("next", request.GET.get("next", ""))}
    return render(request, "accounts/login_code.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def account(request):
    """Min konto: who the user is, their password and their two-factor login."""
    return render(request, "accounts/account.html", _account_context(request, ConfirmIdentityForm()))


@login_required
@require_http_methods(["GET", "POST"])
def set_up(request):
    """Set up an authenticator app: its secret as a QR code and as text, confirmed by the app's first code."""
    user = request.user
    if queries.logs_in_at_provider(user):
        messages.info(request, AT_PROVIDER)
        return redirect("account")
    if second_factor.has_app(user):
        messages.info(request, "Du har allerede en app til totrinslogin. Nulstil den først for at skifte.")
        return redirect("account")
    key = request.session.setdefault(NEW_KEY_SESSION_KEY, default_key())
    form = CodeForm(posted(request))
    if form.is_valid():
        codes = actions.set_up_app(user, key, form.cleaned_data["code"], acting_user=user)
        if codes is not None:
            del request.session[NEW_KEY_SESSION_KEY]
            request.session[RECOVERY_CODES_SESSION_KEY] = codes
            second_factor.mark_passed(request)
            return redirect("recovery_codes")
        form.add_error("code", WRONG_CODE)
    app = TOTPDevice(user=user, key=key)
    context = {
        "form": form,
        "qr_code": segno.make(app.config_url, error="m").svg_data_uri(scale=5),
        "secret": " ".join(_groups_of_four(b32encode(unhexlify(key)).decode())),
        "required": second_factor.is_required(user),
        "owed": getattr(request, "second_factor_owed", None) == second_factor.SET_UP,
    }
    return render(request, "accounts/set_up.html", context, status=400 if form.errors else 200)


@login_required
@require_GET
def recovery_codes(request):
    """The new recovery codes, shown this once (and offered as a text file made in the page)."""
    codes = request.session.pop(RECOVERY_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("account")
    text = "Gendannelseskoder til Boligsocial sagsbehandling (hver kan bruges én gang):\n" + "\n".join(codes)
    context = {"codes": codes, "download": "data:text/plain;charset=utf-8," + quote(text + "\n")}
    return render(request, "accounts/recovery_codes.html", context)


@login_required
@require_POST
def reset(request):
    """A new app for the user: the old one and its recovery codes are void at once. Asks for the password or a
    code first, so that nobody at an unlocked screen can take over the second factor."""
    user = request.user
    if not second_factor.has_app(user):
        return redirect("second_factor_set_up")
    form = ConfirmIdentityForm(request.POST)
    if form.is_valid():
        secret = form.cleaned_data["secret"]
        if user.check_password(secret) or actions.accept_code(user, secret):
            actions.reset_app(user, acting_user=user)
            second_factor.forget(request)
            messages.success(request, "Din app til totrinslogin er nulstillet. Opsæt den nye app nu.")
            return redirect("second_factor_set_up")
        credentials = {"username": user.get_username()}
        if not _counted_wrong(request, credentials):
            return _locked_out(request, credentials)
        form.add_error("secret", "Adgangskoden eller koden er forkert.")
    return render(request, "accounts/account.html", _account_context(request, form), status=400)


def _account_context(request, reset_form) -> dict:
    user = request.user
    return {
        "app": queries.app_of(user),
        "recovery_codes_left": queries.recovery_codes_left(user),
        "required": second_factor.is_required(user),
        "reset_form": reset_form,
        "at_provider": AT_PROVIDER if queries.logs_in_at_provider(user) else "",
    }


def _counted_wrong(request, credentials) -> bool:
    """Counts a wrong code (or password) with django-axes; False once the username is locked out by it."""
    user_login_failed.send(sender=__name__, credentials=credentials, request=request)
    return not getattr(request, "axes_locked_out", False)


def _locked_out(request, credentials):
    """Locked out: the half-finished login ends, and the lockout page says for how long."""
    logout(request)
    return get_lockout_response(request, None, credentials)


def _next_page(request) -> str:
    target = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def _groups_of_four(text: str) -> list[str]:
    return [text[i : i + 4] for i in range(0, len(text), 4)]
