"""Redis stopped: the pages work, and a pack ordered or a screening import started meanwhile waits in the
queue, says so, and is done once Redis is back and the beat task has sent it."""

import io
from datetime import timedelta

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from config.web.jobs import Job, resend_stalled_jobs
from helhedsplaner.models import Pakke
from screening.models import Maaling, Screeningsimport
from screening.views import screening as screening_views
from tests.drills.conftest import wait_for, wait_for_pack
from tests.logins import log_in_with_password

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the drills need PostgreSQL")


def test_a_pack_ordered_while_redis_is_down_waits_and_is_made_when_it_is_back(
    client, budget_plan, medarbejder, private_redis, start_worker
):
    private_redis.stop()
    log_in_with_password(client, medarbejder)
    for url in (reverse("home"), reverse("plan_detail", args=[budget_plan.pk])):
        assert client.get(url).status_code == 200, url

    response = client.post(reverse("plan_pack_order", args=[budget_plan.pk]), {"pakketype": "helhedsplan"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Helhedsplan-ansøgning er sat i kø og bliver lavet om lidt." in page
    pakke = Pakke.objects.get(plan=budget_plan)
    assert pakke.status == Pakke.Status.QUEUED

    private_redis.start()
    # Beat runs resend_stalled_jobs every few minutes; here it is a few minutes later at once.
    Pakke.objects.filter(pk=pakke.pk).update(
        created=timezone.now() - Job.queued_patience - timedelta(minutes=1)
    )
    assert resend_stalled_jobs()["helhedsplaner.Pakke"] == 1
    worker = start_worker()
    assert wait_for_pack(pakke.pk, Pakke.Status.DONE, [worker]).sider >= 4  # short chapters share pages


def screening_upload(afdeling):
    content = f"organisation;afdeling_nr;beboere\n{afdeling.organisation.navn};{afdeling.nummer};500\n"
    upload = io.BytesIO(content.encode())
    upload.name = "tal.csv"
    return {"fil": upload, "aar": 2022}


def test_a_screening_import_started_while_redis_is_down_waits_and_runs_once_it_is_back(
    client, medarbejder, own_afdeling, private_redis, start_worker, monkeypatch
):
    monkeypatch.setattr(screening_views, "INLINE_IMPORT_BYTES", 10)  # every upload becomes a job
    private_redis.stop()
    log_in_with_password(client, medarbejder)
    response = client.post(reverse("screening_import"), screening_upload(own_afdeling))
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    job = Screeningsimport.objects.get()
    assert job.status == Screeningsimport.Status.QUEUED
    assert "Baggrundskøen svarer ikke lige nu" in page

    private_redis.start()
    # Beat runs resend_stalled_jobs every few minutes; here it is a few minutes later at once.
    Screeningsimport.objects.filter(pk=job.pk).update(
        created=timezone.now() - Job.queued_patience - timedelta(minutes=1)
    )
    assert resend_stalled_jobs()["screening.Screeningsimport"] == 1
    worker = start_worker()
    wait_for(
        lambda: Screeningsimport.objects.filter(pk=job.pk, status=Screeningsimport.Status.DONE).exists(),
        "the screening import to finish",
        worker.log,
    )
    assert Maaling.objects.filter(afdeling=own_afdeling, runde__aar=2022).count() == 1
