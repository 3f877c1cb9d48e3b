"""«Glemt adgangskode?»: the request does the same work whatever address is typed (one queued notice; the task
looks the users up), and the mails are limited per typed address and per client, without the page telling."""

import re

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from helhedsplaner.models import Besked
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.1"


def ask(client, address, **headers):
    return client.post(reverse("password_reset"), {"email": address}, **headers)


def test_the_request_queues_one_notice_and_runs_the_same_queries_whatever_the_address(
    client, django_capture_on_commit_callbacks
):
    UserFactory(username="anna", email="anna@fsb.dk", role="medarbejder")
    UserFactory(username="anna2", email="ANNA@fsb.dk", role="sekretariat")
    queries = {}
    for address in ("anna@fsb.dk", "ukendt@fsb.dk"):
        with CaptureQueriesContext(connection) as captured, django_capture_on_commit_callbacks():
            response = ask(client, address)
        assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
        assert Besked.objects.filter(art=Besked.Art.NULSTIL_ADGANGSKODE, adresse=address).count() == 1
        queries[address] = [
            re.sub(r"'[^']*'::timestamptz", "«tid»", query["sql"].replace(address, "«adresse»"))
            for query in captured
        ]
    assert queries["anna@fsb.dk"] == queries["ukendt@fsb.dk"]
    assert not any("auth_user" in sql for sql in queries["anna@fsb.dk"])


@pytest.mark.usefixtures("tasks_run_here")
def test_the_task_mails_every_active_user_with_the_address_and_no_one_for_an_unknown_one(
    client, django_capture_on_commit_callbacks
):
    UserFactory(username="anna", email="anna@fsb.dk", role="medarbejder")
    UserFactory(username="anna2", email="Anna@fsb.dk", role="sekretariat")
    UserFactory(username="lukket", email="anna@fsb.dk", is_active=False)
    for address in ("ANNA@fsb.dk", "ukendt@fsb.dk"):
        with django_capture_on_commit_callbacks(execute=True):
            ask(client, address)
    assert sorted(message.to[0] for message in mail.outbox) == ["Anna@fsb.dk", "anna@fsb.dk"]
    assert sorted(re.search(r"brugernavn er (\w+)", m.body)[1] for m in mail.outbox) == ["anna", "anna2"]
    assert Besked.objects.filter(sendt__isnull=False).count() == 2


@pytest.mark.usefixtures("tasks_run_here")
def test_twelve_requests_for_one_address_send_three_mails_and_answer_alike(
    client, django_capture_on_commit_callbacks
):
    UserFactory(username="kirsten", email="kirsten@fsb.dk", role="medarbejder")
    answers = set()
    for n in range(12):
        # the address as typed in other ways (a dotless ı is I in upper case, as the database compares), and
        # from other clients, is still the same address
        address = ("kirsten@fsb.dk", " Kirsten@FSB.dk", "kırsten@fsb.dk")[n % 3]
        with django_capture_on_commit_callbacks(execute=True):
            response = ask(client, address, REMOTE_ADDR=f"192.0.2.{n}")
        answers.add((response.status_code, response["Location"]))
    assert answers == {(302, reverse("password_reset_done"))}
    assert len(mail.outbox) == 3
    # another address is not held back by it
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, "ukendt@fsb.dk")
    assert Besked.objects.count() == 4


def test_one_client_is_limited_to_twenty_requests_an_hour_over_any_addresses(
    client, django_capture_on_commit_callbacks
):
    for n in range(25):
        with django_capture_on_commit_callbacks():
            response = ask(client, f"person{n}@example.org", REMOTE_ADDR="192.0.2.7")
        assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert Besked.objects.count() == 20
    with django_capture_on_commit_callbacks():
        ask(client, "person99@example.org", REMOTE_ADDR="192.0.2.8")
    assert Besked.objects.count() == 21


def test_behind_the_proxy_each_client_is_counted_by_its_own_address(
    client, settings, django_capture_on_commit_callbacks
):
    """The client address is the one login throttling uses: the proxy's hop of X-Forwarded-For, never an
    entry the client wrote itself."""
    settings.TRUSTED_PROXY_COUNT = 1
    for n in range(25):
        with django_capture_on_commit_callbacks():
            # the client puts a new address of its own in front each time: it counts as 198.51.100.1
            forwarded = f"203.0.113.{n}, 198.51.100.1"
            ask(client, f"person{n}@example.org", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded)
    assert Besked.objects.count() == 20
    with django_capture_on_commit_callbacks():
        ask(client, "another@example.org", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="198.51.100.2")
    assert Besked.objects.count() == 21
