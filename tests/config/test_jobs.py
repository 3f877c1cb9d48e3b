"""Background jobs (config/web/jobs.py): the claim under real concurrency on PostgreSQL, the resend sweep for
every kind of job, and what every job task declares."""

import itertools
import threading
import time
from datetime import timedelta

import pytest
from django.db import connections
from django.utils import timezone
from django.utils.module_loading import import_string

from config.web import jobs
from config.web.jobs import Job
from helhedsplaner.models import Pakke, Pakkeeksport
from screening.models import Screeningsimport, Screeningsrunde
from tests.helhedsplaner.conftest import worker_holding
from tests.screening.screening_data import make_round

pytestmark = pytest.mark.django_db
VERSIONS = itertools.count()


def screening_report(**fields) -> Pakke:
    runde = Screeningsrunde.objects.filter(aar=2031).first() or make_round(2031)
    return Pakke.objects.create(
        runde=runde, pakketype=Pakke.Type.SCREENINGSRAPPORT, data_version=f"v{next(VERSIONS)}", **fields
    )


def pack_export(**fields) -> Pakkeeksport:
    return Pakkeeksport.objects.create(pakketype=Pakke.Type.HELHEDSPLAN, **fields)


def screening_import(**fields) -> Screeningsimport:
    return Screeningsimport.objects.create(aar=2031, filnavn="tal.csv", indhold=b"x", **fields)


KINDS = pytest.mark.parametrize(
    "make",
    [screening_report, pack_export, screening_import],
    ids=["pakke", "pakkeeksport", "screeningsimport"],
)


def test_every_kind_of_job_is_on_the_one_model():
    assert set(jobs.job_models()) == {Pakke, Pakkeeksport, Screeningsimport}


@pytest.mark.parametrize("model", [Pakke, Pakkeeksport, Screeningsimport], ids=lambda model: model.__name__)
def test_every_job_task_takes_an_id_as_json_acks_late_retries_with_back_off_and_has_time_limits(model):
    task = import_string(model.task)
    assert task.serializer == "json"
    assert task.acks_late is True
    assert task.autoretry_for == jobs.PASSING_FAULTS
    assert task.retry_backoff and task.max_retries >= 3
    assert 0 < task.soft_time_limit < task.time_limit
    assert model.running_patience() > timedelta(seconds=task.time_limit)


# --- The claim --------------------------------------------------------------------------------------


def claim_together(queryset, job_id, workers=4) -> list:
    """Each worker, in a thread with its own database connection, claims the job at the same moment and
    keeps what it got until all have tried; what each got (the job or None)."""
    ready, tried = threading.Barrier(workers, timeout=30), threading.Barrier(workers, timeout=30)
    got = [None] * workers

    def work(index):
        try:
            ready.wait()
            with jobs.claim(queryset, job_id) as job:
                got[index] = job
                tried.wait()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=[index]) for index in range(workers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads)
    return got


@KINDS
@pytest.mark.django_db(transaction=True)
def test_of_workers_claiming_one_job_at_once_exactly_one_gets_it(make):
    job = make()
    got = [job for job in claim_together(type(job).objects.all(), job.pk) if job is not None]
    assert len(got) == 1
    job.refresh_from_db()
    assert job.status == Job.Status.RUNNING and job.attempts == 1 and job.started is not None


@pytest.mark.django_db(transaction=True)
def test_a_job_held_by_a_live_worker_is_left_alone_and_taken_over_once_its_connection_is_gone():
    job = pack_export()
    with worker_holding(job):
        with jobs.claim(Pakkeeksport.objects.all(), job.pk) as claimed:
            assert claimed is None
        assert jobs.held(Pakkeeksport, [job.pk]) == {job.pk}
    # The worker's connection is closed: its lock goes with it (as soon as PostgreSQL has ended its backend).
    deadline = time.monotonic() + 30
    while jobs.held(Pakkeeksport, [job.pk]) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert jobs.held(Pakkeeksport, [job.pk]) == set()
    Pakkeeksport.objects.filter(pk=job.pk).update(status=Job.Status.RUNNING, attempts=1)
    with jobs.claim(Pakkeeksport.objects.all(), job.pk) as claimed:
        assert claimed is not None and claimed.attempts == 2
        assert jobs.held(Pakkeeksport, [job.pk]) == {job.pk}
    assert jobs.held(Pakkeeksport, [job.pk]) == set()


@KINDS
def test_an_ended_or_missing_job_is_not_claimed(make):
    for status in (Job.Status.DONE, Job.Status.FAILED):
        job = make(status=status)
        with jobs.claim(type(job).objects.all(), job.pk) as claimed:
            assert claimed is None
        job.refresh_from_db()
        assert job.status == status and job.attempts == 0
    with jobs.claim(type(job).objects.all(), 987654) as claimed:
        assert claimed is None


# --- The resend sweep ----------------------------------------------------------------------------------


@KINDS
def test_the_sweep_sends_again_the_jobs_of_every_kind_that_stalled(make, sent_jobs):
    now = timezone.now()
    long_ago = now - timedelta(hours=2)
    on_its_way = make()
    model = type(on_its_way)
    never_sent = make(created=long_ago)
    sent_long_ago = make(created=long_ago, sent=long_ago)
    sent_lately = make(created=long_ago, sent=now - timedelta(seconds=30))
    worker_gone = make(status=Job.Status.RUNNING, progress=40, created=long_ago, started=now, attempts=1)
    alive = make(status=Job.Status.RUNNING, created=long_ago, started=now, attempts=1)
    past_time_limit = make(status=Job.Status.RUNNING, created=long_ago, started=long_ago, attempts=1)
    cut_off_too_often = make(
        status=Job.Status.RUNNING, created=long_ago, started=now, attempts=jobs.MAX_ATTEMPTS
    )
    make(status=Job.Status.DONE, created=long_ago)
    make(status=Job.Status.FAILED, created=long_ago)

    with worker_holding(alive), worker_holding(past_time_limit):
        assert jobs.resend_stalled(model, now) == 4

    assert sorted(sent_jobs) == sorted(
        (model, job.pk) for job in (never_sent, sent_long_ago, worker_gone, past_time_limit)
    )
    worker_gone.refresh_from_db()
    assert worker_gone.status == Job.Status.QUEUED and worker_gone.progress == 0 and worker_gone.sent
    for job, status in (
        (on_its_way, Job.Status.QUEUED),
        (sent_lately, Job.Status.QUEUED),
        (alive, Job.Status.RUNNING),
    ):
        job.refresh_from_db()
        assert job.status == status
    cut_off_too_often.refresh_from_db()
    assert cut_off_too_often.status == Job.Status.FAILED
    assert cut_off_too_often.error == jobs.GAVE_UP.format(attempts=jobs.MAX_ATTEMPTS)


def test_the_beat_task_sweeps_every_kind(sent_jobs):
    long_ago = timezone.now() - timedelta(hours=1)
    stalled = [make(created=long_ago) for make in (screening_report, pack_export, screening_import)]
    assert jobs.resend_stalled_jobs.run() == {
        "helhedsplaner.Pakke": 1,
        "helhedsplaner.Pakkeeksport": 1,
        "screening.Screeningsimport": 1,
    }
    assert sorted(sent_jobs, key=str) == sorted(((type(job), job.pk) for job in stalled), key=str)


@KINDS
def test_the_users_retry_queues_a_failed_or_stalled_job_and_not_one_being_made(
    make, sent_jobs, django_capture_on_commit_callbacks
):
    failed = make(status=Job.Status.FAILED, error="Noget gik galt", attempts=2)
    alive = make(status=Job.Status.RUNNING, started=timezone.now())
    with worker_holding(alive), django_capture_on_commit_callbacks(execute=True):
        assert jobs.send_again(failed)
        assert not jobs.send_again(alive)
    failed.refresh_from_db()
    assert failed.status == Job.Status.QUEUED and failed.error == "" and failed.attempts == 0
    assert sent_jobs == [(type(failed), failed.pk)]


@KINDS
def test_a_job_that_cannot_reach_the_queue_stays_queued_unsent(make, monkeypatch):
    job = make()

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis svarer ikke")

    monkeypatch.setattr(import_string(job.task), "delay", broker_down)
    assert not jobs.send(type(job), job.pk)
    job.refresh_from_db()
    assert job.status == Job.Status.QUEUED and job.sent is None
