"""Drills on ordering packs: twenty identical orders at the same moment, and a worker killed mid-render whose
job the user sends again at once. Each ends with exactly one pack and one PDF.

The orders are real requests in threads of their own, each with its own database connection, against the
committed database (transactional), as twenty users pressing the button at once would be.
"""

import re
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from helhedsplaner.models import Pakke
from helhedsplaner.packs import documents
from tests.drills.conftest import VISIBILITY_TIMEOUT, killed_mid_render, stored_pdfs, wait_for, wait_for_pack
from tests.logins import log_in

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the drills need PostgreSQL")

ORDERS = 20
# The worker's log line of a render_pack that left its job alone (it returns None).
SKIPPED = re.compile(r"helhedsplaner\.tasks\.render_pack\[[^\]]+\] succeeded in [0-9.]+s: None")


def logged_in(user) -> Client:
    client = Client()
    log_in(client, user)
    return client


def test_twenty_simultaneous_orders_make_one_pack(
    transactional_db, budget_plan, medarbejder, private_redis, pack_storage, monkeypatch
):
    # Every order works out what the pack would show first (a second or so); the barrier lets all twenty
    # reach the point where they look for the pack and create it at the same moment.
    all_ready = threading.Barrier(ORDERS, timeout=120)
    plan_source = documents.plan_source

    def source_then_wait(*args, **kwargs):
        source = plan_source(*args, **kwargs)
        all_ready.wait()
        return source

    monkeypatch.setattr(documents, "plan_source", source_then_wait)
    url = reverse("plan_pack_order", args=[budget_plan.pk])
    clients = [logged_in(medarbejder) for _ in range(ORDERS)]
    answers, errors = [], []

    def place_order(client):
        try:
            answers.append(client.post(url, {"pakketype": "helhedsplan"}).status_code)
        except Exception as error:  # reported below, with the others
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=place_order, args=[client]) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert answers == [302] * ORDERS
    assert Pakke.objects.filter(plan=budget_plan).count() == 1


def test_a_killed_workers_job_is_sent_again_by_the_user_at_once_and_makes_one_pdf(
    budget_plan, medarbejder, start_worker, pack_storage
):
    pakke_id, first, delivered = killed_mid_render(start_worker, budget_plan, medarbejder)

    # The page shows the job as stalled as soon as the dead worker's connection has gone, with the button.
    client = logged_in(medarbejder)
    status_url = reverse("plan_pack_status", args=[budget_plan.pk, pakke_id])

    def shown_stalled():
        page = client.get(status_url, headers={"HX-Request": "true"}).content.decode()
        return "Gået i stå ved 10 %" in page and "Prøv igen" in page

    wait_for(shown_stalled, "the page to show the job as stalled", first.log)
    response = client.post(reverse("plan_pack_retry", args=[budget_plan.pk, pakke_id]))
    assert response.status_code == 302
    second = start_worker()
    pakke = wait_for_pack(pakke_id, Pakke.Status.DONE, [first, second])
    assert pakke.sider >= 4

    # The killed worker's own delivery comes back after the visibility timeout; it finds the job finished.
    time.sleep(max(0.0, VISIBILITY_TIMEOUT - (time.monotonic() - delivered)))
    third = start_worker()

    def skipped_delivery():
        return SKIPPED.search(second.log() + third.log())

    wait_for(skipped_delivery, "the first delivery to be run and skipped", lambda: second.log() + third.log())
    assert Pakke.objects.filter(plan=budget_plan).count() == 1
    assert Pakke.objects.get(pk=pakke_id).status == Pakke.Status.DONE
    assert stored_pdfs(pack_storage, budget_plan) == [pakke.fil.name.rsplit("/", 1)[1]]
