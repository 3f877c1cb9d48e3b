"""Single sign-on for staff and the secretariat through the organisation's OpenID provider (e.g. Entra ID).

mozilla-django-oidc runs the code flow: the login view sends the browser to the provider with a state, a nonce
and a PKCE challenge kept in the session, and the backend below trades the code (with the PKCE verifier) for
tokens. What this module adds:

- The provider's endpoints are read from its discovery document (<issuer>/.well-known/openid-configuration)
  when a login first needs them, and kept for an hour by each process: the library wants them as settings, and
  a provider that is down must not stop the application from starting (nor `manage.py check`).
- The ID token is checked in full, as the library does not: signed with RS256 by a key from the provider's
  JWKS, issued by the configured issuer, for this client (aud, and azp when there are several audiences),
  not expired, and carrying the nonce of this login. The claims are read from it alone: it is signed, and
  Entra ID sends the groups there and not from its userinfo endpoint.
- The roles come from the groups claim (settings.OIDC_ROLE_GROUPS) at every login, and accounts.actions finds
  or makes the user by the token's issuer and subject. Anything refused raises actions.Refused with a Danish
  reason, which the login's callback view shows; nothing is written before every check has passed.

A login through the provider counts as having given its second factor: the provider asks for its own (the
organisation's MFA), and a second code here would only teach people to type codes wherever they are asked.
"""

import logging
import time
from dataclasses import dataclass

import jwt
import requests
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.core.validators import validate_email
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from config.accounts import actions

logger = logging.getLogger(__name__)

DISCOVERY_MAX_AGE = 60 * 60
# Seconds of difference between the provider's clock and ours that a token's times may show.
CLOCK_LEEWAY = 30
REQUIRED_CLAIMS = ["iss", "aud", "sub", "exp", "iat"]

UNAVAILABLE = (
    "Login med fsb-konto kan ikke bruges lige nu: fsb's login-tjeneste svarer ikke. Prøv igen om lidt."
)
NOT_VERIFIED = "Svaret fra fsb's login-tjeneste kunne ikke godkendes, og du er ikke logget ind."
# Why an answer was not accepted, shown under NOT_VERIFIED.
WRONG_ISSUER = "Svaret er ikke udstedt af den login-tjeneste, sagsbehandlingen bruger."
WRONG_AUDIENCE = "Svaret er udstedt til en anden tjeneste end sagsbehandlingen."
EXPIRED = "Svaret er udløbet. Log ind igen."
WRONG_SIGNATURE = "Svarets underskrift er ikke login-tjenestens."
WRONG_NONCE = "Svaret hører ikke til dette loginforsøg."
MALFORMED = "Svaret er ikke et gyldigt ID-token."
TOKEN_REFUSED = "Login-tjenesten ville ikke udlevere et ID-token for dette loginforsøg. Log ind igen."  # noqa: S105


@dataclass(frozen=True)
class Endpoints:
    authorization: str
    token: str
    jwks: str
    # The provider names itself beside the code (RFC 9207); then an answer without its name is refused.
    names_issuer: bool = False


_discovered: dict[str, tuple[float, Endpoints]] = {}


def endpoints() -> Endpoints:
    """The configured provider's endpoints, from its discovery document, fetched at most once an hour."""
    issuer = settings.OIDC_ISSUER
    found = _discovered.get(issuer)
    if found is None or time.monotonic() - found[0] > DISCOVERY_MAX_AGE:
        found = (time.monotonic(), _discover(issuer))
        _discovered[issuer] = found
    return found[1]


def _discover(issuer: str) -> Endpoints:
    url = issuer.rstrip("/") + "/.well-known/openid-configuration"
    try:
        response = requests.get(url, timeout=settings.OIDC_TIMEOUT)
        response.raise_for_status()
        document = response.json()
        # The document must be the issuer's own (OpenID Connect Discovery, section 4.3).
        if document["issuer"] != issuer:
            raise ValueError(f"the document names the issuer {document['issuer']!r}")
        return Endpoints(
            document["authorization_endpoint"],
            document["token_endpoint"],
            document["jwks_uri"],
            names_issuer=document.get("authorization_response_iss_parameter_supported") is True,
        )
    except (requests.RequestException, ValueError, KeyError, TypeError) as error:
        logger.error("OpenID discovery at %s failed: %s", url, error)
        raise actions.Refused(UNAVAILABLE, status=503) from error


def roles_from_claims(claims: dict) -> set[str]:
    """The roles the person's groups give them (settings.OIDC_ROLE_GROUPS)."""
    groups = claims.get(settings.OIDC_GROUPS_CLAIM) or []
    if isinstance(groups, str):
        groups = [groups]
    return {role for role, group in settings.OIDC_ROLE_GROUPS if group in groups}


def well_formed_person(claims: dict) -> bool:
    """The claims about the person have the types OpenID Connect Core gives them (5.1): names and the e-mail
    as text, the address a valid one, the groups a list of text (or one text)."""
    names = ("email", "name", "given_name", "family_name")
    if any(not isinstance(claims.get(name, ""), str) for name in names):
        return False
    if claims.get("email"):
        try:
            validate_email(claims["email"])
        except ValidationError:
            return False
    groups = claims.get(settings.OIDC_GROUPS_CLAIM, [])
    return isinstance(groups, str) or (isinstance(groups, list) and all(isinstance(g, str) for g in groups))


def not_verified(reason: str) -> actions.Refused:
    return actions.Refused(f"{NOT_VERIFIED} {reason}", status=400)


class ProviderBackend(OIDCAuthenticationBackend):
    """mozilla-django-oidc's backend with the endpoints from discovery, the ID token checked in full, and the
    user found and given roles by accounts.actions."""

    def __init__(self, *args, **kwargs):
        # Not the library's: it wants the endpoints as settings, and Django makes a backend for every request
        # that loads the logged-in user, which needs none of them.
        self.UserModel = get_user_model()
        self.OIDC_RP_CLIENT_ID = settings.OIDC_RP_CLIENT_ID
        self.OIDC_RP_CLIENT_SECRET = settings.OIDC_RP_CLIENT_SECRET
        self.OIDC_RP_SIGN_ALGO = settings.OIDC_RP_SIGN_ALGO
        self.OIDC_RP_IDP_SIGN_KEY = None
        self.OIDC_OP_TOKEN_ENDPOINT = self.OIDC_OP_JWKS_ENDPOINT = None

    def authenticate(self, request, **kwargs):
        if request is None or "nonce" not in kwargs:  # a password login
            return None
        found = endpoints()
        self.OIDC_OP_TOKEN_ENDPOINT, self.OIDC_OP_JWKS_ENDPOINT = found.token, found.jwks
        try:
            return super().authenticate(request, **kwargs)
        except requests.HTTPError as error:  # the token endpoint refused the code (used, expired, wrong PKCE)
            logger.warning("The OpenID provider refused the code: %s", error)
            raise not_verified(TOKEN_REFUSED) from error
        except requests.RequestException as error:
            logger.error("The OpenID provider did not answer: %s", error)
            raise actions.Refused(UNAVAILABLE, status=503) from error

    def verify_token(self, token, **kwargs):
        try:
            key = self.retrieve_matching_jwk(token)
        except SuspiciousOperation as error:  # no key of the provider's with the token's key id
            raise not_verified(WRONG_SIGNATURE) from error
        except (jwt.InvalidTokenError, KeyError) as error:  # not a JWT, or without a key id
            raise not_verified(MALFORMED) from error
        claims = self.get_payload_data(token, key)
        if claims.get("nonce") != kwargs.get("nonce"):
            raise not_verified(WRONG_NONCE)
        return claims

    def get_payload_data(self, token, key):
        try:
            claims = jwt.decode(
                token,
                key,
                algorithms=[self.OIDC_RP_SIGN_ALGO],
                audience=self.OIDC_RP_CLIENT_ID,
                issuer=settings.OIDC_ISSUER,
                leeway=CLOCK_LEEWAY,
                options={"require": REQUIRED_CLAIMS},
            )
        except jwt.InvalidIssuerError as error:
            raise not_verified(WRONG_ISSUER) from error
        except jwt.InvalidAudienceError as error:
            raise not_verified(WRONG_AUDIENCE) from error
        except jwt.ExpiredSignatureError as error:
            raise not_verified(EXPIRED) from error
        except jwt.InvalidSignatureError as error:
            raise not_verified(WRONG_SIGNATURE) from error
        except jwt.InvalidTokenError as error:
            raise not_verified(MALFORMED) from error
        # With several audiences, the token must have been given to this client (OpenID Connect Core 3.1.3.7).
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.OIDC_RP_CLIENT_ID:
            raise not_verified(WRONG_AUDIENCE)
        if not well_formed_person(claims):
            raise not_verified(MALFORMED)
        return claims

    def get_or_create_user(self, access_token, id_token, payload):
        try:
            return actions.sign_in_from_provider(
                issuer=settings.OIDC_ISSUER, claims=payload, roles=roles_from_claims(payload)
            )
        except actions.Refused as refusal:
            # What an administrator needs to link the account by hand (admin: fsb-konti) or find the person.
            logger.warning(
                "Login through the provider refused for subject %s (e-mail %s): %s",
                payload.get("sub"),
                payload.get("email"),
                refusal.reason,
            )
            raise

    def get_user(self, user_id):
        # Django's check, which the library's version leaves out: a closed account's sessions end.
        return ModelBackend.get_user(self, user_id)
