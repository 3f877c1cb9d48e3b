import logging
from smtplib import SMTPException

from celery import shared_task
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.utils import timezone

from config.web import jobs
from helhedsplaner import frister, notifications, reminders
from helhedsplaner.models import Besked, Pakke, Pakkeeksport
from helhedsplaner.packs import documents, exports

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=300,
)
def send_reminders():
    """Daily (CELERY_BEAT_SCHEDULE): e-mail staff their reminders. Safe to run more than once a day."""
    return reminders.send_daily(timezone.localdate())


@shared_task(
    acks_late=True, autoretry_for=jobs.PASSING_FAULTS, retry_backoff=True, max_retries=5, soft_time_limit=300
)
def write_deadline_reminders():
    """Daily (CELERY_BEAT_SCHEDULE): reminders of the reports' deadlines. Safe to run more than once a day."""
    return frister.write_reminders(timezone.localdate())


@shared_task(
    acks_late=True,
    autoretry_for=(SMTPException, ConnectionError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=300,
)
def send_deadline_digest():
    """Weekly (CELERY_BEAT_SCHEDULE): the digest of deadline reminders, for those who chose it."""
    return frister.send_weekly_digest()


@shared_task(
    acks_late=True,
    autoretry_for=jobs.PASSING_FAULTS,
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
)
def render_pack(pakke_id):
    """Render one queued pack and store it privately (documents.generate)."""
    return jobs.run_job(
        Pakke.objects.select_related("plan__indsats", "afdeling", "runde"),
        pakke_id,
        documents.generate,
        too_long="Pakken tog for lang tid at lave. Prøv igen.",
        unexpected="Pakken kunne ikke laves: {error}",
    )


@shared_task(
    acks_late=True,
    autoretry_for=jobs.PASSING_FAULTS,
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
)
def build_pack_export(eksport_id):
    """Make one queued export of packs: a ZIP with a pack per plan and an index (exports.build)."""
    return jobs.run_job(
        Pakkeeksport.objects.select_related("oprettet_af"),
        eksport_id,
        exports.build,
        too_long="Eksporten tog for lang tid. Prøv igen: de pakker, der nåede at blive lavet, bruges igen.",
        unexpected="Eksporten kunne ikke laves: {error}",
    )


# A mail server that is down or refuses: tried again after EMAIL_RETRY_SECONDS (30 s), 1, 2, 4, 8 minutes and
# then every 10 minutes, about an hour in all (each wait at most 600 s: CELERY_VISIBILITY_TIMEOUT is longer).
NOTICE_RETRIES = 10


@shared_task(bind=True, acks_late=True, max_retries=NOTICE_RETRIES, soft_time_limit=120, time_limit=150)
def send_notice(self, besked_id):
    """Send one queued notice (notifications.queue); safe to run again: each address is mailed once."""
    with jobs.hold(Besked, besked_id) as mine:
        if not mine:
            return None
        try:
            return notifications.deliver(besked_id)
        except (SMTPException, OSError) as error:
            last = self.request.retries >= self.max_retries
            wait = get_exponential_backoff_interval(
                settings.EMAIL_RETRY_SECONDS, self.request.retries, 600, full_jitter=False
            )
            notifications.record_failure(besked_id, error, None if last else wait)
            if self.request.is_eager:  # in-process: the caller logs it, and the request goes on
                raise
            if last:
                logger.error("Besked %s blev ikke sendt: %s", besked_id, error)
                return None
            logger.warning("Besked %s: e-mail fejlede (%s); prøver igen om %s s", besked_id, error, wait)
            raise self.retry(exc=error, countdown=wait) from error


@shared_task(acks_late=True, soft_time_limit=60)
def send_stale_notices():
    """Every few minutes (CELERY_BEAT_SCHEDULE): notices queued while Redis was down, or whose worker died."""
    return notifications.resend_stale()
