import contextlib
import logging
from smtplib import SMTPException

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from celery.utils.time import get_exponential_backoff_interval
from django.conf import settings
from django.db import DatabaseError, OperationalError
from django.utils import timezone

from helhedsplaner import job_claims, notifications, reminders
from helhedsplaner.models import Pakke
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
    acks_late=True,
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=240,
    time_limit=300,
)
def render_pack(pakke_id):
    """Render one queued pack; a job that is gone, finished or being rendered by another worker is left alone.

    A job can be delivered more than once (Redis redelivers the task of a worker that died, send_stale_packs
    and the user's retry send a stalled job again), so the job is claimed first (job_claims) and its status
    read only after that.
    """
    with job_claims.claimed(job_claims.PAKKE, pakke_id) as mine:
        if not mine:
            return None
        pakke = Pakke.objects.filter(pk=pakke_id).select_related("plan__indsats", "afdeling").first()
        if pakke is None or pakke.status == Pakke.Status.FAERDIG:
            return None
        try:
            documents.generate(pakke)
        except (OperationalError, ConnectionError):
            # Back in the queue for the task's retry, if the database answers.
            with contextlib.suppress(DatabaseError):
                documents.set_progress(pakke, Pakke.Status.I_KOE, 0)
            raise
        except SoftTimeLimitExceeded:
            documents.mark_failed(pakke_id, "Pakken tog for lang tid at lave. Prøv igen.")
        except Exception as error:  # a lasting fault: recorded on the job, which the user can retry
            logger.exception("Pakke %s fejlede", pakke_id)
            documents.mark_failed(pakke_id, f"Pakken kunne ikke laves: {error}")
            return None
    return pakke_id


@shared_task(
    acks_late=True,
    autoretry_for=(OperationalError, ConnectionError),
    retry_backoff=True,
    max_retries=5,
    soft_time_limit=25 * 60,
    time_limit=30 * 60,
)
def build_pack_export(eksport_id):
    """Make one queued export of packs; a job that is gone, finished or being made elsewhere is left alone."""
    with job_claims.claimed(job_claims.PAKKEEKSPORT, eksport_id) as mine:
        return _build_claimed_export(eksport_id) if mine else None


def _build_claimed_export(eksport_id):
    eksport = exports.claim(eksport_id)
    if eksport is None:
        return None
    try:
        exports.build(eksport)
    except (OperationalError, ConnectionError):
        exports.release(eksport_id)
        raise
    except SoftTimeLimitExceeded:
        exports.mark_failed(
            eksport_id,
            "Eksporten tog for lang tid. Prøv igen: de pakker, der nåede at blive lavet, bruges igen.",
        )
        return None
    except exports.ExportFailed as error:
        exports.mark_failed(eksport_id, str(error))
        return None
    except Exception as error:  # a lasting fault: recorded on the job, which the user can retry
        logger.exception("Eksport %s fejlede", eksport_id)
        exports.mark_failed(eksport_id, f"Eksporten kunne ikke laves: {error}")
        return None
    return eksport_id


@shared_task(acks_late=True, soft_time_limit=60)
def send_stale_packs():
    """Every few minutes (CELERY_BEAT_SCHEDULE): pack jobs and pack exports queued while Redis was down, or
    whose worker died."""
    return documents.resend_stale() + exports.resend_stale()


# A mail server that is down or refuses: tried again after EMAIL_RETRY_SECONDS (30 s), 1, 2, 4, 8 minutes and
# then every 10 minutes, about an hour in all (each wait at most 600 s: CELERY_VISIBILITY_TIMEOUT is longer).
NOTICE_RETRIES = 10


@shared_task(bind=True, acks_late=True, max_retries=NOTICE_RETRIES, soft_time_limit=120, time_limit=150)
def send_notice(self, besked_id):
    """Send one queued notice (notifications.queue); safe to run again: each address is mailed once."""
    with job_claims.claimed(job_claims.BESKED, besked_id) as mine:
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
