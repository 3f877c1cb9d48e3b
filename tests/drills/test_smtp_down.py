"""The mail server down: comments, transitions and decisions are answered and stored as usual, the worker
tries the e-mail again with back-off, and once the server is back the e-mail goes out once."""

import pytest
from django.db import connection
from django.urls import reverse

from helhedsplaner.models import Besked, Kommentar
from helhedsplaner.tasks import send_notice
from tests.drills.conftest import wait_for

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the drills need PostgreSQL")


def test_a_notice_waits_for_the_mail_server_and_goes_out_once(
    client_as, budget_plan, bestyrelse, medarbejder, mail_server, start_worker
):
    # The worker sends to the loopback server, which refuses every connection for now (554).
    worker = start_worker(DJANGO_EMAIL_URL=mail_server.url, DJANGO_EMAIL_RETRY_SECONDS="1")

    url = reverse("plan_comment_create", args=[budget_plan.pk, "analyse"])
    response = client_as(bestyrelse).post(url, {"analyse-tekst": "Hvornår starter lektiecaféen?"})
    assert response.status_code == 302
    assert Kommentar.objects.filter(plan=budget_plan).count() == 1
    besked = Besked.objects.get(art=Besked.Art.KOMMENTAR)

    def tried_twice():
        besked.refresh_from_db()
        return besked.forsoeg >= 2

    wait_for(tried_twice, "the worker to try the e-mail twice", worker.log)
    assert besked.sendt is None and "554" in besked.fejl
    assert mail_server.received == []

    mail_server.refusing = False

    def sent():
        besked.refresh_from_db()
        return besked.sendt is not None

    wait_for(sent, "the e-mail to go out once the server accepts", worker.log)
    assert [recipients for recipients, _ in mail_server.received] == [[medarbejder.email]]
    assert "Hvornår starter lektiecaféen?" in mail_server.received[0][1]

    # The task delivered again (Redis hands it on when a worker dies; the beat task sends stale notices):
    # it finds the notice sent and mails nobody.
    again = send_notice.delay(besked.pk)
    wait_for(lambda: f"[{again.id}] succeeded" in worker.log(), "the second delivery to finish", worker.log)
    assert len(mail_server.received) == 1
