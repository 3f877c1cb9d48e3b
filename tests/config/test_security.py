"""Content security policy, login throttling and the login page itself."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.logins import code_of, give_app

pytestmark = pytest.mark.django_db


def test_the_policy_allows_no_inline_script_and_no_framing(client_as, medarbejder):
    """What the policy says; that every page and download sends it, the permission matrix checks."""
    response = client_as(medarbejder).get(reverse("afdeling_list"))
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert "frame-ancestors 'none'" in policy


def test_login_page_is_danish_with_standard_fields(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert 'name="username"' in response.text and 'name="password"' in response.text
    assert "Log ind" in response.text and 'lang="da"' in response.text


def test_login_and_logout(client):
    anna = UserFactory(username="anna", role="medarbejder")
    app = give_app(anna)
    response = client.post("/accounts/login/", {"username": "anna", "password": "demo"})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    client.post(reverse("login_code"), {"code": code_of(app)})
    assert client.get(reverse("home")).status_code == 200
    client.post(reverse("logout"))
    assert client.get(reverse("home")).status_code == 302


def test_login_is_throttled_after_repeated_failures(client, settings):
    UserFactory(username="anna", role="medarbejder")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post("/accounts/login/", {"username": "anna", "password": "forkert"})
    response = client.post("/accounts/login/", {"username": "anna", "password": "demo"})
    assert response.status_code == 429
    assert "For mange forkerte forsøg" in response.text
    assert client.get(reverse("home")).status_code == 302


def test_health_endpoint_needs_no_login(client):
    assert client.get("/sundhed/").content == b"ok"
