"""Background work of the screening: large imports. Tasks take ids, re-read the row, and may run twice."""

import logging
from datetime import timedelta

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone
from kombu.exceptions import OperationalError as QueueUnavailable

from screening import screening_import
from screening.models import Screeningsimport

logger = logging.getLogger(__name__)
RETRIED = (OperationalError, InterfaceError)


def mark_failed(job_id: int, message: str) -> None:
    Screeningsimport.objects.filter(pk=job_id).update(
        status=Screeningsimport.Status.FEJLET, resultat=message, afsluttet=timezone.now()
    )


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=RETRIED,
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=900,
    time_limit=960,
)
def run_screening_import(self, job_id: int) -> None:
    job = Screeningsimport.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        # Deleted meanwhile, or a redelivery of a task that already did its work.
        return
    Screeningsimport.objects.filter(pk=job_id).update(
        status=Screeningsimport.Status.KOERER, startet=timezone.now()
    )

    def progress(done: int, total: int) -> None:
        Screeningsimport.objects.filter(pk=job_id).update(behandlet=done, i_alt=total)

    try:
        report = screening_import.import_file(
            bytes(job.indhold), job.filnavn, job.aar, job.landsgennemsnit_domfaeldte_pct, progress
        )
    except RETRIED:
        if self.request.retries >= self.max_retries:
            mark_failed(job_id, "Databasen svarede ikke under indlæsningen. Intet er gemt; prøv igen senere.")
        raise
    except Exception:
        # The page polling this job must end with a message, not spin for ever.
        mark_failed(job_id, "Der opstod en uventet fejl under indlæsningen. Intet er gemt.")
        raise
    Screeningsimport.objects.filter(pk=job_id).update(
        status=Screeningsimport.Status.FAERDIG if report.ok else Screeningsimport.Status.FEJLET,
        resultat=report.summary(),
        fejl=[[e.line, e.column, e.message] for e in report.errors[:2000]],
        afsluttet=timezone.now(),
    )


QUEUE_DOWN = "Baggrundskøen svarer ikke lige nu. Importen starter af sig selv, så snart den er tilbage."


def send_import(job_id: int) -> None:
    """Hand the job to the queue. If the queue cannot be reached, the job waits (and says so on its page);
    send_stale_imports sends it again."""
    try:
        run_screening_import.delay(job_id)
    except (QueueUnavailable, OSError):
        logger.warning("Screening import %s could not be queued; it stays queued", job_id, exc_info=True)
        Screeningsimport.objects.filter(pk=job_id, status=Screeningsimport.Status.I_KOE).update(
            resultat=QUEUE_DOWN
        )


# A queued job older than this was probably never sent; a running one older than the task's hard time
# limit has lost its worker (the time limit would have ended it otherwise).
STALE_QUEUED = timedelta(minutes=2)
STALE_RUNNING = timedelta(seconds=run_screening_import.time_limit + 60)


def resend_stale(now=None) -> int:
    """Send jobs queued while Redis was down, or left running by a dead worker, to the queue again."""
    now = now or timezone.now()
    queued = Screeningsimport.objects.filter(
        status=Screeningsimport.Status.I_KOE, oprettet__lt=now - STALE_QUEUED
    )
    orphaned = Screeningsimport.objects.filter(
        status=Screeningsimport.Status.KOERER, startet__lt=now - STALE_RUNNING
    )
    stale = list(queued.values_list("pk", flat=True)) + list(orphaned.values_list("pk", flat=True))
    orphaned.update(status=Screeningsimport.Status.I_KOE, behandlet=0)
    for job_id in stale:
        send_import(job_id)
    return len(stale)


@shared_task(acks_late=True, soft_time_limit=60)
def send_stale_imports():
    """Every few minutes (CELERY_BEAT_SCHEDULE)."""
    return resend_stale()
