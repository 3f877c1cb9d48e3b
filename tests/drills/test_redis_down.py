"""Redis stopped: the pages work, a pack ordered meanwhile waits in the queue and is made once Redis is back.

A screening import started while Redis is down does not wait: its job ends at once with a message that the
queue does not answer, and the user starts it again once Redis is back.
"""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from helhedsplaner import packs
from helhedsplaner.models import Pakke
from helhedsplaner.tasks import send_stale_packs
from screening import screening_views
from screening.models import Maaling, Screeningsimport
from tests.drills.conftest import wait_for, wait_for_pack

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the drills need PostgreSQL")


def log_in(client, user):
    response = client.post(reverse("login"), {"username": user.username, "password": "demo"})
    assert response.status_code == 302, response.content


def test_a_pack_ordered_while_redis_is_down_waits_and_is_made_when_it_is_back(
    client, budget_plan, medarbejder, private_redis, start_worker
):
    private_redis.stop()
    log_in(client, medarbejder)
    for url in (reverse("home"), reverse("plan_detail", args=[budget_plan.pk])):
        assert client.get(url).status_code == 200, url

    response = client.post(reverse("plan_pack_order", args=[budget_plan.pk]), {"pakketype": "helhedsplan"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Helhedsplan-ansøgning er sat i kø og bliver lavet om lidt." in page
    pakke = Pakke.objects.get(plan=budget_plan)
    assert pakke.status == Pakke.Status.I_KOE

    private_redis.start()
    # Beat runs send_stale_packs every few minutes; here it is a few minutes later at once.
    Pakke.objects.filter(pk=pakke.pk).update(
        oprettet=timezone.now() - packs.STALE_QUEUED - timedelta(minutes=1)
    )
    assert send_stale_packs() == 1
    worker = start_worker()
    assert wait_for_pack(pakke.pk, Pakke.Status.FAERDIG, [worker]).sider >= 8


def screening_upload(afdeling):
    content = f"organisation;afdeling_nr;beboere\n{afdeling.organisation.navn};{afdeling.nummer};500\n"
    upload = io.BytesIO(content.encode())
    upload.name = "tal.csv"
    return {"fil": upload, "aar": 2022}


def test_a_screening_import_started_while_redis_is_down_says_so_and_runs_once_it_is_back(
    client, medarbejder, own_afdeling, private_redis, start_worker, monkeypatch
):
    monkeypatch.setattr(screening_views, "INLINE_IMPORT_BYTES", 10)  # every upload becomes a job
    private_redis.stop()
    log_in(client, medarbejder)
    response = client.post(reverse("screening_import"), screening_upload(own_afdeling))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    failed = Screeningsimport.objects.get()
    assert failed.status == Screeningsimport.Status.FEJLET
    assert "baggrundskøen ikke svarer" in failed.resultat and "baggrundskøen ikke svarer" in page

    private_redis.start()
    worker = start_worker()
    client.post(reverse("screening_import"), screening_upload(own_afdeling))
    job = Screeningsimport.objects.exclude(pk=failed.pk).get()
    wait_for(
        lambda: Screeningsimport.objects.filter(pk=job.pk, status=Screeningsimport.Status.FAERDIG).exists(),
        "the screening import to finish",
        worker.log,
    )
    assert Maaling.objects.filter(afdeling=own_afdeling, runde__aar=2022).count() == 1
