"""Background work of the screening: large imports. Tasks take ids, re-read the row, and may run twice."""

from celery import shared_task
from django.db import InterfaceError, OperationalError
from django.utils import timezone

from screening import screening_import
from screening.models import Screeningsimport


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, InterfaceError),
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=900,
    time_limit=960,
)
def run_screening_import(job_id: int) -> None:
    job = Screeningsimport.objects.filter(pk=job_id).first()
    if job is None or job.finished:
        # Deleted meanwhile, or a redelivery of a task that already did its work.
        return
    Screeningsimport.objects.filter(pk=job_id).update(
        status=Screeningsimport.Status.KOERER, startet=timezone.now()
    )

    def progress(done: int, total: int) -> None:
        Screeningsimport.objects.filter(pk=job_id).update(behandlet=done, i_alt=total)

    report = screening_import.import_file(
        bytes(job.indhold), job.filnavn, job.aar, job.landsgennemsnit_domfaeldte_pct, progress
    )
    Screeningsimport.objects.filter(pk=job_id).update(
        status=Screeningsimport.Status.FAERDIG if report.ok else Screeningsimport.Status.FEJLET,
        resultat=report.summary(),
        fejl=[[e.line, e.column, e.message] for e in report.errors[:2000]],
        afsluttet=timezone.now(),
    )
