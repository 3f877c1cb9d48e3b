"""Personal tokens: `Authorization: Bearer <token>`. A token that is unknown, revoked, expired, of a
deactivated user, or sent beside another user's login is refused with 401 and a Danish reason."""

from django.utils import timezone
from django.utils.formats import date_format
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.plumbing import build_bearer_security_scheme_object
from rest_framework import authentication, exceptions

from config.api import actions
from config.api.models import ApiToken, token_digest

KEYWORD = "Bearer"


class ApiTokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].decode(errors="replace").lower() != KEYWORD.lower():
            return None  # no token: the login of the browser (session) may still apply
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                "Angiv nøglen sådan: «Authorization: Bearer <nøgle>» (uden mellemrum i nøglen)."
            )
        try:
            raw = header[1].decode()
        except UnicodeDecodeError:
            raise exceptions.AuthenticationFailed("API-nøglen kendes ikke.") from None
        token = ApiToken.objects.select_related("user").filter(digest=token_digest(raw)).first()
        now = timezone.now()
        if token is None:
            raise exceptions.AuthenticationFailed("API-nøglen kendes ikke.")
        if token.tilbagekaldt is not None:
            raise exceptions.AuthenticationFailed("API-nøglen er tilbagekaldt.")
        if token.is_expired(now):
            when = date_format(timezone.localtime(token.udloeber), "j. F Y")
            raise exceptions.AuthenticationFailed(f"API-nøglen udløb {when}.")
        if not token.user.is_active:
            raise exceptions.AuthenticationFailed("Brugeren, der ejer API-nøglen, er lukket.")
        logged_in = getattr(request._request, "user", None)
        if logged_in is not None and logged_in.is_authenticated and logged_in.pk != token.user_id:
            raise exceptions.AuthenticationFailed(
                "API-nøglen tilhører en anden bruger end den, der er logget ind."
            )
        actions.record_use(token, now)
        return token.user, token

    def authenticate_header(self, request):
        return f'{KEYWORD} realm="api"'


class ApiTokenScheme(OpenApiAuthenticationExtension):
    """How the schema (and so the docs page) describes the token."""

    target_class = ApiTokenAuthentication
    name = "apiNoegle"

    def get_security_definition(self, auto_schema):
        return build_bearer_security_scheme_object(header_name="Authorization", token_prefix=KEYWORD)
