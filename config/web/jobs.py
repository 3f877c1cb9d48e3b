"""Background jobs: a row the pages show, a Celery task that does the work, one way to claim and resend them.

Every kind of job (application packs, pack exports, screening imports) is a model on Job: one status
vocabulary, progress in percent, a readable Danish error, when it was ordered, sent to the queue, started
and finished, and how many runs were started. The row is created in the transaction that orders the job and
sent to its task when that commits (send_on_commit); the task takes the job's id and runs `run_job`, which
claims the job, does the work and records how it ended. One beat task (resend_stalled_jobs) sends again
every job that waits in the queue too long or whose worker is gone.

Who works on a job is an advisory lock held on the worker's database connection (hold), not a row lock
taken with select_for_update(skip_locked=True). A row lock lasts only as long as its transaction, so the
worker would have to keep one transaction open for the whole job: the progress it writes would not be seen by
the pages polling the job until the end, and a pack made along the way would be lost with a later fault. A
session's advisory lock is held outside any transaction, so the job commits its progress as it goes; and
PostgreSQL lets go of it the moment the worker's connection ends (killed, out of memory, its machine gone),
so the pages can tell a job being made from one whose worker is gone at once, without waiting for a time
limit. Without PostgreSQL (SQLite, tasks run in-process) nobody competes and no job is left by a dead worker.
"""

import logging
from contextlib import contextmanager, suppress
from datetime import timedelta

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, InterfaceError, OperationalError, connection, models, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# Faults that pass (the database or the queue did not answer): the job goes back in the queue and the task
# is retried with back-off. Every job task declares them as its autoretry_for.
PASSING_FAULTS = (OperationalError, InterfaceError, ConnectionError)
# Runs started without the job ending (its worker died each time, e.g. out of memory) before the resend
# sweep gives up on it and marks it failed; the user may still try again.
MAX_ATTEMPTS = 3


class JobFailed(Exception):
    """A lasting fault whose message is shown to the user as it is."""


class Job(models.Model):
    """The state of one background job; each kind adds what it is made from and what it makes."""

    class Status(models.TextChoices):
        QUEUED = "queued", "I kø"
        RUNNING = "running", "I gang"
        DONE = "done", "Færdig"
        FAILED = "failed", "Fejlet"

    ACTIVE = (Status.QUEUED, Status.RUNNING)

    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField("fremdrift (%)", default=0)
    error = models.TextField("fejl", blank=True)
    created = models.DateTimeField("bestilt", default=timezone.now)
    # Empty while the job has not reached the queue (Redis was down): the pages say so, and the resend
    # sweep sends it when Redis is back.
    sent = models.DateTimeField("sendt til køen", null=True, blank=True)
    started = models.DateTimeField("startet", null=True, blank=True)
    finished = models.DateTimeField("afsluttet", null=True, blank=True)
    attempts = models.PositiveSmallIntegerField("forsøg", default=0)
    # Who ordered the job (empty once the user is deleted, or for a job the system started).
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="bestilt af",
    )

    # Set by each kind: the dotted path of its Celery task (imported when sent, as the task module imports
    # the model), and how long a job may wait in the queue after it was sent before it counts as stalled.
    task: str = ""
    queued_patience = timedelta(minutes=2)

    class Meta:
        abstract = True

    @property
    def active(self) -> bool:
        return self.status in self.ACTIVE

    @property
    def ended(self) -> bool:
        return not self.active

    @classmethod
    def running_patience(cls) -> timedelta:
        """How long a run may last before it counts as stalled even if a connection still holds the job:
        the task's hard time limit, and a minute to record the failure."""
        return timedelta(seconds=import_string(cls.task).time_limit + 60)

    def _update(self, **fields) -> None:
        """Write only these fields, to the row and to this object (the worker's other writes stay)."""
        for name, value in fields.items():
            setattr(self, name, value)
        type(self).objects.filter(pk=self.pk).update(**fields)

    def set_progress(self, progress: int) -> None:
        self._update(progress=progress)

    def mark_running(self) -> None:
        self._update(
            status=self.Status.RUNNING,
            progress=0,
            error="",
            started=timezone.now(),
            finished=None,
            attempts=self.attempts + 1,
        )

    def release(self) -> None:
        """Back in the queue after a passing fault, for the task's retry (or the resend sweep) to take."""
        self._update(status=self.Status.QUEUED, progress=0)

    def mark_failed(self, message: str, **results) -> None:
        """The job ended with a fault, told in `message` (Danish, for the user), and what it found."""
        self._update(status=self.Status.FAILED, error=message, finished=timezone.now(), **results)

    def mark_done(self, **results) -> None:
        """The job ended well: write what it made (fields of the kind) with its state."""
        self._update(status=self.Status.DONE, progress=100, error="", finished=timezone.now(), **results)


def job_models() -> list[type[Job]]:
    """Every kind of job there is."""
    return [model for model in apps.get_models() if issubclass(model, Job)]


# --- Sending to the queue ----------------------------------------------------------------------------


def send(model: type[Job], job_id: int) -> bool:
    """Hand the job to its task. If the queue cannot be reached, the job stays queued with `sent` empty and
    the resend sweep sends it later. Never raises: what ordered the job is committed already."""
    try:
        import_string(model.task).delay(job_id)
    except Exception:
        logger.warning("%s %s could not be queued; it stays queued", model.__name__, job_id, exc_info=True)
        return False
    model.objects.filter(pk=job_id).update(sent=timezone.now())
    return True


def send_on_commit(job: Job) -> None:
    """Send the job when the transaction that created or changed it commits, so its worker finds it."""
    model, job_id = type(job), job.pk
    transaction.on_commit(lambda: send(model, job_id))


def requeue(job: Job) -> None:
    """Queue a failed or stalled job again (sent on commit). Sending a job that a worker still has is
    harmless: the worker that takes it second finds it held or ended."""
    job._update(
        status=Job.Status.QUEUED, progress=0, error="", sent=None, started=None, finished=None, attempts=0
    )
    send_on_commit(job)


# --- Who works on a job ---------------------------------------------------------------------------------


def _lock_key(model) -> str:
    return model._meta.label_lower


@contextmanager
def hold(model, job_id: int, *, wait: bool = False):
    """Whether this process may work on the job (an advisory lock on its connection), held until the block
    ends. With wait, it waits for whoever holds the job now."""
    if connection.vendor != "postgresql":
        yield True
        return
    key = _lock_key(model)
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s), %s)", [key, job_id])
            mine = True
        else:
            cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s), %s)", [key, job_id])
            mine = cursor.fetchone()[0]
    try:
        yield mine
    finally:
        if mine:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(hashtext(%s), %s)", [key, job_id])
            except DatabaseError:  # the connection is gone, and the lock with it
                pass


def held(model, job_ids) -> set[int]:
    """The jobs among job_ids that some process holds now (all of them without PostgreSQL)."""
    job_ids = list(job_ids)
    if connection.vendor != "postgresql" or not job_ids:
        return set(job_ids)
    # A lock taken with two int4 keys shows the first as classid and the second as objid, with objsubid 2.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT objid::bigint FROM pg_locks WHERE locktype = 'advisory' AND granted AND objsubid = 2"
            " AND database = (SELECT oid FROM pg_database WHERE datname = current_database())"
            " AND classid = hashtext(%s)::oid AND objid::bigint = ANY(%s::bigint[])",
            [_lock_key(model), job_ids],
        )
        return {row[0] for row in cursor.fetchall()}


@contextmanager
def claim(queryset, job_id: int):
    """The job, marked running, while this process holds it; None if it is gone, has ended, or another
    worker holds it. A job delivered twice (Redis hands on the task of a dead worker, the sweep or the user
    sends a stalled job again) is worked on once: a job left running is taken over only once its worker's
    lock is gone."""
    with hold(queryset.model, job_id) as mine:
        job = queryset.filter(pk=job_id, status__in=Job.ACTIVE).first() if mine else None
        if job is not None:
            job.mark_running()
        yield job


def run_job(queryset, job_id: int, work, *, too_long: str, unexpected: str):
    """The body of every job task: claim the job, do `work(job)`, record how it ended; the job's id, or None
    if there was nothing to do or the work failed.

    A passing fault puts the job back in the queue and is raised for the task's retry; running out of time
    fails the job with `too_long`; JobFailed with its own message; anything else with `unexpected` (in
    which "{error}" stands for the error).
    """
    with claim(queryset, job_id) as job:
        if job is None:
            return None
        try:
            work(job)
        except PASSING_FAULTS:
            with suppress(DatabaseError):
                job.release()
            raise
        except SoftTimeLimitExceeded:
            job.mark_failed(too_long)
        except JobFailed as error:
            job.mark_failed(str(error))
        except Exception as error:  # a lasting fault: recorded on the job, which the user can retry
            logger.exception("%s %s failed", queryset.model.__name__, job_id)
            job.mark_failed(unexpected.format(error=error))
        else:
            return job_id
        return None


# --- Stalled jobs ---------------------------------------------------------------------------------------


def stalled_ids(model, jobs, now=None) -> set[int]:
    """The jobs that show no sign of life: queued longer than the kind's patience since they were sent (or
    ordered, if they never reached the queue); running with no worker holding them, or longer than the
    task's time limit allows."""
    now = now or timezone.now()
    running = [job.pk for job in jobs if job.status == Job.Status.RUNNING]
    held_ids = held(model, running) if running else set()
    running_since = now - model.running_patience()
    stalled = set()
    for job in jobs:
        if job.status == Job.Status.QUEUED:
            if (job.sent or job.created) < now - model.queued_patience:
                stalled.add(job.pk)
        elif job.status == Job.Status.RUNNING:
            if job.pk not in held_ids or (job.started is not None and job.started < running_since):
                stalled.add(job.pk)
    return stalled


def mark_stalled(jobs):
    """The jobs (of one kind), each with .stalled set, for the status the pages show."""
    jobs = list(jobs)
    stalled = stalled_ids(type(jobs[0]), jobs) if jobs else set()
    for job in jobs:
        job.stalled = job.pk in stalled
    return jobs


def retryable(job: Job) -> bool:
    """Whether the user may send the job again now: it failed, or it is stalled."""
    return job.status == Job.Status.FAILED or (job.active and job.pk in stalled_ids(type(job), [job]))


def send_again(job: Job) -> bool:
    """The user's retry: queue the job again if it failed or stalled; False if it is being made."""
    if not retryable(job):
        return False
    with transaction.atomic():
        requeue(job)
    return True


GAVE_UP = "Opgaven blev afbrudt {attempts} gange uden at blive færdig og er opgivet. Prøv igen."


def resend_stalled(model, now=None) -> int:
    """Send this kind's stalled jobs to the queue again; a job whose runs were cut off MAX_ATTEMPTS times
    is marked failed instead. The number of jobs sent."""
    now = now or timezone.now()
    active = list(
        model.objects.filter(status__in=Job.ACTIVE).only("status", "created", "sent", "started", "attempts")
    )
    stalled = stalled_ids(model, active, now)
    resent = 0
    for job in sorted((job for job in active if job.pk in stalled), key=lambda job: job.pk):
        if job.attempts >= MAX_ATTEMPTS:
            job.mark_failed(GAVE_UP.format(attempts=job.attempts))
            continue
        model.objects.filter(pk=job.pk, status=job.status).update(status=Job.Status.QUEUED, progress=0)
        send(model, job.pk)
        resent += 1
    return resent


@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def resend_stalled_jobs() -> dict[str, int]:
    """Every few minutes (CELERY_BEAT_SCHEDULE): every kind's jobs queued while Redis was down, or whose
    worker died, sent again."""
    return {model._meta.label: resend_stalled(model) for model in job_models()}
