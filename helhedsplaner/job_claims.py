"""Which worker is making a pack or an export: a PostgreSQL advisory lock held on the worker's connection.

PostgreSQL lets go of the lock when the connection ends, so a worker that dies mid-job (killed, out of memory,
its machine gone) stops holding the job at once: another delivery of the job can take it, and the pages can
tell a job being made from one whose worker is gone. Without PostgreSQL (tasks run in-process) nobody
competes and no job is left behind by a dead worker.
"""

from contextlib import contextmanager

from django.db import DatabaseError, connection

PAKKE = "helhedsplaner.pakke"
PAKKEEKSPORT = "helhedsplaner.pakkeeksport"


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


def mark_stalled(jobs, stalled_ids: set[int]):
    """The jobs, each with .stalled set (is it among stalled_ids), for the status the pages show."""
    for job in jobs:
        job.stalled = job.pk in stalled_ids
    return jobs
