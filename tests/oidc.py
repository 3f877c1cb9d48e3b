"""A real OpenID provider for the tests on the loopback (the npm package oidc-provider, run by node from
tests/oidc_provider.mjs), and the browser's part of a login through it: what the person does there."""

import os
import subprocess
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests
from django.urls import reverse

SCRIPT = Path(__file__).with_name("oidc_provider.mjs")
CLIENT_ID = "boligsocial"
CLIENT_SECRET = "test-client-secret-0123456789"  # noqa: S105 - the test provider's, nowhere else
CALLBACK = "http://testserver/accounts/fsb-konto/retur/"  # the test client's host
ROLE_GROUPS = (("medarbejder", "fsb-boligsocial-staff"), ("sekretariat", "fsb-sekretariat"))


class Provider:
    """The running provider: its issuer, and hooks that stand for its administrator (oidc_provider.mjs)."""

    def __init__(self):
        environment = {**os.environ, "OIDC_CLIENT_ID": CLIENT_ID, "OIDC_CLIENT_SECRET": CLIENT_SECRET}
        environment["OIDC_REDIRECT_URI"] = CALLBACK
        self.process = subprocess.Popen(  # noqa: S603
            ["node", str(SCRIPT)],
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        port = self.process.stdout.readline().strip()  # printed once the server listens
        if not port.isdigit():
            self.stop()
            raise RuntimeError("the OpenID provider did not start (node tests/oidc_provider.mjs)")
        self.issuer = f"http://127.0.0.1:{port}"

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def set_account(self, account: str, **claims):
        """The person's claims at the provider from now on (their groups changed, say)."""
        requests.post(f"{self.issuer}/test/accounts/{account}", json=claims, timeout=5).raise_for_status()

    def tamper_next_id_token(self, stranger=False, **claims):
        """The next ID token the provider hands out carries these claims, signed by the provider's key, or by
        a stranger's key under the provider's key id."""
        payload = {"claims": claims, "stranger": stranger}
        requests.post(f"{self.issuer}/test/next-id-token", json=payload, timeout=5).raise_for_status()

    def authorize(self, authorization_url: str, account: str) -> str:
        """What the person's browser does at the provider: log in as `account` (consent is given at once), and
        follow the redirects until the provider sends it back to the application. Returns that address."""
        browser = requests.Session()
        response = browser.get(authorization_url, allow_redirects=False, timeout=5)
        logged_in = False
        while True:
            assert response.status_code in (302, 303), response.text
            location = urljoin(self.issuer, response.headers["Location"])
            if location.startswith(CALLBACK):
                return location
            if "/interaction/" in location and not logged_in:
                location, logged_in = f"{location}?account={account}", True
            response = browser.get(location, allow_redirects=False, timeout=5)


def configure(settings, provider: Provider):
    """Single sign-on on, with the test provider, as the DJANGO_OIDC_* variables would set it."""
    settings.OIDC_ISSUER = provider.issuer
    settings.SSO_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.OIDC_GROUPS_CLAIM = "groups"
    settings.OIDC_ROLE_GROUPS = ROLE_GROUPS
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "config.accounts.sso.ProviderBackend",
    ]


def start(client, query: str = ""):
    """«Log ind med fsb-konto» clicked: the application's redirect to the provider."""
    response = client.get(reverse("sso_login") + query)
    assert response.status_code == 302, response.content
    return response


def callback_path(location: str) -> str:
    parts = urlsplit(location)
    return f"{parts.path}?{parts.query}"


def log_in_at_provider(client, provider: Provider, account: str, query: str = ""):
    """A whole login through the provider as `account`; returns the application's answer to the return."""
    location = provider.authorize(start(client, query)["Location"], account)
    return client.get(callback_path(location))
