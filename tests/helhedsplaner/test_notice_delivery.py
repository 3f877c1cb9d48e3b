"""Notices go out through the notice task after commit: a mail server that refuses never costs the request
its answer or its data, and a notice is sent to each address once, however often the task runs."""

import logging
import socket
import time
from smtplib import SMTPServerDisconnected

import pytest
from django.core import mail
from django.urls import reverse

from helhedsplaner import lifecycle, notifications
from helhedsplaner.models import Besked, Beslutning, Haendelse, Kommentar
from helhedsplaner.tasks import send_notice
from tests.factories import UserFactory
from tests.helhedsplaner.conftest import NO_CONDITIONS, place

HTMX = {"HTTP_HX_REQUEST": "true"}


def assert_refused_and_logged(art, caplog):
    besked = Besked.objects.get(art=art)
    assert besked.sendt is None and besked.sendt_til == [] and "554" in besked.fejl
    assert f"Besked {besked.pk} kunne ikke sendes nu" in caplog.text


# Real transactions: the notice is handed on when the request's transaction commits, inside the request,
# as in production. The task runs in-process (no REDIS_URL), the path where the mail server is reached.
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("tasks_run_here")
class TestARefusingMailServer:
    def test_a_comment_is_stored_once_and_answered(self, client_as, bestyrelse, plan, mail_server, caplog):
        caplog.set_level(logging.ERROR, logger="helhedsplaner.notifications")
        url = reverse("plan_comment_create", args=[plan.pk, "analyse"])
        response = client_as(bestyrelse).post(url, {"analyse-tekst": "De ældre mangler."}, **HTMX)
        assert response.status_code == 200
        assert "De ældre mangler." in response.text
        assert Kommentar.objects.filter(plan=plan).count() == 1
        assert_refused_and_logged(Besked.Art.KOMMENTAR, caplog)

    def test_a_transition_is_made_once_and_answered(self, client_as, plan, mail_server, caplog):
        caplog.set_level(logging.ERROR, logger="helhedsplaner.notifications")
        colleague = UserFactory(username="t-kollega", role="medarbejder")
        url = reverse("plan_transition", args=[plan.pk, "send_til_organisationsbestyrelsen"])
        response = client_as(colleague).post(url, {"fase_nr": plan.fase_nr, "kommentar": ""}, **HTMX)
        assert response.status_code == 204
        plan.refresh_from_db()
        assert plan.tilstand == lifecycle.ORGANISATIONSBESTYRELSE
        assert plan.haendelser.filter(art=Haendelse.Art.OVERGANG).count() == 1
        assert_refused_and_logged(Besked.Art.OVERGANG, caplog)

    def test_a_decision_is_recorded_once_and_answered(
        self, client_as, sekretariat, plan, mail_server, caplog
    ):
        caplog.set_level(logging.ERROR, logger="helhedsplaner.notifications")
        place(plan, lifecycle.PRAEKVALIFIKATION_BEHANDLES)
        data = {
            "fase_nr": plan.fase_nr,
            "organ": "lbf",
            "dato": "2026-03-02",
            "udfald": "godkendt",
            **NO_CONDITIONS,
        }
        response = client_as(sekretariat).post(reverse("plan_decision_create", args=[plan.pk]), data, **HTMX)
        assert response.status_code == 204
        assert Beslutning.objects.filter(plan=plan).count() == 1
        assert_refused_and_logged(Besked.Art.BESLUTNING, caplog)

    def test_the_notice_goes_out_when_the_server_accepts_again(
        self, client_as, bestyrelse, plan, mail_server
    ):
        url = reverse("plan_comment_create", args=[plan.pk, "analyse"])
        client_as(bestyrelse).post(url, {"analyse-tekst": "De ældre mangler."}, **HTMX)
        besked = Besked.objects.get()
        mail_server.refusing = False
        send_notice.delay(besked.pk)
        besked.refresh_from_db()
        assert besked.sendt is not None and besked.fejl == "" and besked.forsoeg == 1
        assert [recipients for recipients, _ in mail_server.received] == [[plan.indsats.ansvarlig.email]]


@pytest.mark.django_db
def test_with_a_queue_the_request_only_queues_the_notice(
    client_as, bestyrelse, plan, mail_server, django_capture_on_commit_callbacks
):
    """With REDIS_URL (as the tests have) the request queues the task and never reaches the mail server."""
    url = reverse("plan_comment_create", args=[plan.pk, "analyse"])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(bestyrelse).post(url, {"analyse-tekst": "De ældre mangler."}, **HTMX)
    assert response.status_code == 200
    besked = Besked.objects.get()
    assert (besked.forsoeg, besked.fejl, besked.sendt) == (0, "", None)
    assert mail_server.received == []


@pytest.mark.django_db
@pytest.mark.usefixtures("tasks_run_here")
def test_a_notice_is_sent_to_each_address_once(
    plan, bestyrelse, medarbejder, django_capture_on_commit_callbacks
):
    colleague = UserFactory(username="t-kollega", role="medarbejder")
    with django_capture_on_commit_callbacks(execute=False):
        lifecycle.fire(plan, "send_til_organisationsbestyrelsen", acting_user=colleague)
    besked = Besked.objects.get()
    # An earlier run mailed the board member before the server failed: the next run mails only the rest.
    Besked.objects.filter(pk=besked.pk).update(sendt_til=[bestyrelse.email])
    send_notice.delay(besked.pk)
    assert [m.to for m in mail.outbox] == [[medarbejder.email]]
    send_notice.delay(besked.pk)
    assert len(mail.outbox) == 1
    besked.refresh_from_db()
    assert besked.sendt_til == sorted([bestyrelse.email, medarbejder.email]) and besked.sendt is not None


@pytest.mark.django_db
def test_notices_the_queue_never_got_are_sent_again(plan, medarbejder, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        lifecycle.fire(plan, "send_til_organisationsbestyrelsen", acting_user=UserFactory(role="medarbejder"))
    besked = Besked.objects.get()
    assert notifications.resend_stale() == 0  # not due yet: its task may still be on its way
    Besked.objects.filter(pk=besked.pk).update(naeste_forsoeg=besked.oprettet - notifications.STALE * 2)
    assert notifications.resend_stale() == 1


@pytest.mark.django_db
def test_a_password_reset_is_queued_not_sent_in_the_request(
    client, mail_server, django_capture_on_commit_callbacks
):
    UserFactory(username="anna", email="anna@fsb.dk", role="medarbejder")
    for address in ("anna@fsb.dk", "ukendt@fsb.dk"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("password_reset"), {"email": address})
        assert response.status_code == 302 and response["Location"] == reverse("password_reset_done")
    assert set(Besked.objects.values_list("art", flat=True)) == {Besked.Art.NULSTIL_ADGANGSKODE}
    assert mail_server.received == []


@pytest.mark.django_db
@pytest.mark.usefixtures("tasks_run_here")
def test_the_password_reset_mail_holds_a_working_link_to_the_site_address(
    client, settings, django_capture_on_commit_callbacks
):
    """The link points at SITE_URL, whatever host the request named (an attacker's Host header included)."""
    settings.SITE_URL = "https://boligsocial.fsb.dk"
    settings.ALLOWED_HOSTS = ["*"]
    UserFactory(username="anna", email="anna@fsb.dk", role="medarbejder")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("password_reset"), {"email": "ANNA@fsb.dk"}, headers={"host": "angriber.example"})
    [message] = mail.outbox
    assert message.to == ["anna@fsb.dk"]
    link = next(line for line in message.body.splitlines() if "/accounts/reset/" in line).strip()
    assert link.startswith("https://boligsocial.fsb.dk/accounts/reset/")
    assert "angriber" not in message.body and "Dit brugernavn er anna." in message.body
    response = client.get(link.removeprefix("https://boligsocial.fsb.dk"), follow=True)
    assert 'name="new_password1"' in response.text


@pytest.mark.django_db
@pytest.mark.usefixtures("tasks_run_here")
def test_a_mail_server_that_never_answers_times_out_and_the_notice_waits_for_its_retry(
    plan, bestyrelse, settings, django_capture_on_commit_callbacks
):
    """A server that takes the connection and then says nothing: the send gives up after EMAIL_TIMEOUT, and
    the failure is recorded on the notice with the time of the next attempt."""
    with socket.create_server(("127.0.0.1", 0)) as silent:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", silent.getsockname()[1]
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_TIMEOUT = 1
        with django_capture_on_commit_callbacks(execute=False):
            lifecycle.fire(
                plan, "send_til_organisationsbestyrelsen", acting_user=UserFactory(role="medarbejder")
            )
        besked = Besked.objects.get()
        started = time.monotonic()
        with pytest.raises(SMTPServerDisconnected, match="timed out"):
            send_notice.delay(besked.pk)
        assert time.monotonic() - started < 10
    besked.refresh_from_db()
    assert besked.sendt is None and besked.opgivet is None and besked.forsoeg == 1
    assert "timed out" in besked.fejl and besked.naeste_forsoeg > besked.oprettet
