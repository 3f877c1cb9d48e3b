"""Which worker is making a pack, an export or a notice: an advisory lock held on its database connection.

PostgreSQL lets go of the lock when the connection ends, so a worker that dies mid-job (killed, out of memory,
its machine gone) stops holding the job at once: another delivery of the job can take it, and the pages can
tell a job being made from one whose worker is gone. Without PostgreSQL (tasks run in-process) nobody
competes and no job is left behind by a dead worker.
"""

from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.db import DatabaseError, connection
from django.utils import timezone

from helhedsplaner.models import Pakke

PAKKE = "helhedsplaner.pakke"
PAKKEEKSPORT = "helhedsplaner.pakkeeksport"
BESKED = "helhedsplaner.besked"


@contextmanager
def claimed(kind: str, job_id: int, *, wait: bool = False):
    """Whether this process may work on the job, holding it until the block ends. With wait, it waits for
    whoever holds the job now."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        if wait:
            cursor.execute("SELECT pg_advisory_lock(hashtext(%s), %s)", [kind, job_id])
            mine = True
        else:
            cursor.execute("SELECT pg_try_advisory_lock(hashtext(%s), %s)", [kind, job_id])
            mine = cursor.fetchone()[0]
    try:
        yield mine
    finally:
        if mine:
            try:
                with connection.cursor() as cursor:
                    cursor.execute("SELECT pg_advisory_unlock(hashtext(%s), %s)", [kind, job_id])
            except DatabaseError:  # the connection is gone, and the lock with it
                pass


def held(kind: str, job_ids) -> set[int]:
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
            [kind, job_ids],
        )
        return {row[0] for row in cursor.fetchall()}


@dataclass(frozen=True)
class Patience:
    """How long a kind of job may show no sign of life before the pages call it stalled and offer to send it
    again: queued, from queued_since(job); being made, from running_since(job), or at once when no worker
    holds it. A job sent twice is harmless: the worker that takes it second finds it finished."""

    kind: str
    queued: timedelta
    running: timedelta
    queued_since: Callable
    running_since: Callable

    def stalled_ids(self, jobs, now=None) -> set[int]:
        now = now or timezone.now()
        held_ids = held(self.kind, [job.pk for job in jobs if job.status == Pakke.Status.GENERERES])
        return {job.pk for job in jobs if self._stalled(job, held_ids, now)}

    def _stalled(self, job, held_ids, now) -> bool:
        if job.status == Pakke.Status.I_KOE:
            return self.queued_since(job) < now - self.queued
        if job.status == Pakke.Status.GENERERES:
            started = self.running_since(job)
            return job.pk not in held_ids or (started is not None and started < now - self.running)
        return False

    def retryable(self, job) -> bool:
        """Whether the user may send the job again now: it failed, or it is stalled."""
        return job.status == Pakke.Status.FEJLET or (job.active and job.pk in self.stalled_ids([job]))

    def mark_stalled(self, jobs):
        """The jobs, each with .stalled set, for the status the pages show."""
        stalled = self.stalled_ids(jobs)
        for job in jobs:
            job.stalled = job.pk in stalled
        return jobs
