"""A real Celery worker renders ordered packs, and a job survives the worker being killed mid-render.

How a job gets past a dead worker (see CELERY_BROKER_TRANSPORT_OPTIONS and config/web/jobs.py): the task is
acknowledged only when it has finished, so Redis hands it to another worker after the visibility timeout (an
hour in production, seconds here); resend_stalled_jobs sends a job left running again sooner; and the task
claims the job with a PostgreSQL advisory lock, which dies with the killed worker's connection, so however
often a job is delivered it is rendered once.
"""

import io
import time

import pytest
from django.db import connection
from pypdf import PdfReader

from helhedsplaner.models import Pakke
from helhedsplaner.tasks import render_pack
from tests.drills.conftest import (
    BUDGET_TOTAL,
    PLAN_TITLE,
    VISIBILITY_TIMEOUT,
    killed_mid_render,
    order,
    stored_pdfs,
    wait_for,
    wait_for_pack,
)

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the drills need PostgreSQL")


def test_a_worker_renders_an_ordered_pack(budget_plan, medarbejder, start_worker):
    worker = start_worker()
    pakke = wait_for_pack(order(budget_plan, medarbejder).pk, Pakke.Status.DONE, [worker])
    assert pakke.progress == 100 and pakke.error == ""
    with pakke.fil.open("rb") as stored:
        reader = PdfReader(io.BytesIO(stored.read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert 4 <= len(reader.pages) <= 16 and pakke.sider == len(reader.pages)  # short chapters share pages
    assert PLAN_TITLE in text
    assert BUDGET_TOTAL in text


def test_a_job_whose_worker_is_killed_is_finished_by_the_next_worker(
    budget_plan, medarbejder, start_worker, pack_storage
):
    pakke_id, first, delivered = killed_mid_render(start_worker, budget_plan, medarbejder)
    assert Pakke.objects.get(pk=pakke_id).status == Pakke.Status.RUNNING

    # A starting worker takes back the unacknowledged tasks older than the visibility timeout.
    time.sleep(max(0.0, VISIBILITY_TIMEOUT - (time.monotonic() - delivered)))
    second = start_worker()
    pakke = wait_for_pack(pakke_id, Pakke.Status.DONE, [first, second])
    assert pakke.progress == 100 and pakke.sider >= 4
    assert stored_pdfs(pack_storage, budget_plan) == [pakke.fil.name.rsplit("/", 1)[1]]


def test_a_job_another_worker_is_rendering_is_left_alone(budget_plan, pack_storage):
    pakke = Pakke.objects.create(plan=budget_plan, pakketype="helhedsplan", data_version="x")
    other_worker = connection.copy()
    try:
        with other_worker.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(hashtext('helhedsplaner.pakke'), %s)", [pakke.pk])
        assert render_pack.run(pakke.pk) is None
    finally:
        other_worker.close()
    pakke.refresh_from_db()
    assert pakke.status == Pakke.Status.QUEUED and not pakke.fil
    wait_for(lambda: render_pack.run(pakke.pk) == pakke.pk, "the lock to be let go with the connection")
