"""Background work of the screening: large imports (config.web.jobs runs them), and board seats whose term
ran out."""

from celery import shared_task

from config.web import jobs
from screening import actions, screening_import
from screening.models import Screeningsimport


@shared_task(
    acks_late=True,
    autoretry_for=jobs.PASSING_FAULTS,
    retry_backoff=True,
    max_retries=3,
    soft_time_limit=900,
    time_limit=960,
)
def run_screening_import(job_id: int):
    """Read one queued import: every row checked first, then all of them stored in one transaction."""
    return jobs.run_job(
        Screeningsimport.objects.all(),
        job_id,
        import_figures,
        too_long="Indlæsningen tog for lang tid. Intet er gemt; prøv igen, evt. med en mindre fil.",
        unexpected="Der opstod en uventet fejl under indlæsningen. Intet er gemt.",
    )


def import_figures(job: Screeningsimport) -> None:
    def progress(done: int, total: int) -> None:
        job.set_progress(100 * done // total if total else 0)

    report = screening_import.import_file(
        bytes(job.indhold),
        job.filnavn,
        job.aar,
        job.landsgennemsnit_domfaeldte_pct,
        progress,
        region_income=job.region_gennemsnitsindkomst,
    )
    if report.ok:
        job.mark_done(resultat=report.summary())
    else:
        row_errors = [[e.line, e.column, e.message] for e in report.errors[:2000]]
        job.mark_failed(report.summary(), row_errors=row_errors)


@shared_task
def end_board_seats_past_term() -> int:
    """Once a day: seats whose term ran out are ended, and accounts left without a seat closed."""
    return actions.end_board_seats_past_term()
