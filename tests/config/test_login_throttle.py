"""Login throttling behind the reverse proxy: the client's address from the trusted X-Forwarded-For hop,
limits per username and address and per address, and a lockout that keeps a stranger from locking out a
colleague."""

from datetime import timedelta

import pytest
from axes.models import AccessFailureLog
from django.test import RequestFactory
from django.urls import reverse

from config.login_throttle import client_address, cool_off
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"  # the reverse proxy in front: every request comes from it


def log_in(client, username, password, address):
    """A login as the proxy passes it on: the client's address appended to X-Forwarded-For."""
    return client.post(
        reverse("login"),
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=f"203.0.113.99, {address}",  # the first entry is whatever the client claimed
    )


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1


@pytest.mark.usefixtures("behind_proxy")
def test_wrong_passwords_from_a_strangers_address_do_not_lock_out_the_colleague(client, settings):
    UserFactory(username="anna", role="medarbejder")
    answers = [log_in(client, "anna", "forkert", "198.51.100.7").status_code for _ in range(5)]
    assert answers == [200, 200, 200, 200, 429]  # the wrong password that reaches the limit is told so
    assert log_in(client, "anna", "demo", "198.51.100.7").status_code == 429
    assert log_in(client, "anna", "demo", "192.0.2.10").status_code == 302


@pytest.mark.usefixtures("behind_proxy")
def test_spraying_guesses_over_many_users_from_one_address_is_limited(client, settings):
    users = [UserFactory(username=f"bruger{number}", role="medarbejder") for number in range(11)]
    answers = [
        log_in(client, user.username, f"gæt{guess}", "198.51.100.7").status_code
        for user in users[:10]
        for guess in range(4)
    ]
    allowed = settings.AXES_ADDRESS_FAILURE_LIMIT - 1
    assert allowed < 40 and answers[:allowed] == [200] * allowed
    assert set(answers[allowed:]) == {429}
    # The address is locked for every username, also with the right password...
    assert log_in(client, users[10].username, "demo", "198.51.100.7").status_code == 429
    # ...and nobody else is.
    assert log_in(client, users[10].username, "demo", "192.0.2.10").status_code == 302


def test_without_a_configured_proxy_the_header_is_ignored(client, settings):
    assert settings.TRUSTED_PROXY_COUNT == 0
    UserFactory(username="anna", role="medarbejder")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        log_in(client, "anna", "forkert", "198.51.100.7")
    # A new X-Forwarded-For changes nothing: both came from the same REMOTE_ADDR.
    assert log_in(client, "anna", "demo", "192.0.2.10").status_code == 429
    assert set(AccessFailureLog.objects.values_list("ip_address", flat=True)) == {PROXY}


@pytest.mark.parametrize(
    ("count", "forwarded_for", "address"),
    [
        (1, "198.51.100.7", "198.51.100.7"),
        (1, "1.2.3.4, 198.51.100.7", "198.51.100.7"),  # the client's own claim is passed over
        (2, "1.2.3.4, 198.51.100.7, 10.0.0.1", "198.51.100.7"),
        (2, "198.51.100.7", PROXY),  # shorter than our chain of proxies: not from them
        (1, "ikke-en-adresse", PROXY),
        (1, "", PROXY),
        (0, "198.51.100.7", PROXY),
    ],
)
def test_client_address(settings, count, forwarded_for, address):
    settings.TRUSTED_PROXY_COUNT = count
    request = RequestFactory().get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    assert client_address(request) == address


@pytest.mark.usefixtures("behind_proxy")
def test_the_cool_off_is_short_and_grows_while_the_address_keeps_guessing(client, settings):
    base = timedelta(minutes=settings.AXES_COOLOFF_MINUTES)
    assert base <= timedelta(minutes=15)
    request = RequestFactory().post("/")
    request.axes_ip_address = "198.51.100.7"
    lengths = []
    for number in range(4):
        UserFactory(username=f"bruger{number}", role="medarbejder")
        for _ in range(settings.AXES_FAILURE_LIMIT):
            log_in(client, f"bruger{number}", "forkert", "198.51.100.7")
        lengths.append(cool_off(request))
    assert lengths == [base, base * 2, base * 4, base * 8]
    request.axes_ip_address = "192.0.2.10"
    assert cool_off(request) == base
