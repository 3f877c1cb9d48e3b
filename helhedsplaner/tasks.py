import logging
from smtplib import SMTPException

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.db import OperationalError
from django.utils import timezone

from helhedsplaner import packs, reminders
from helhedsplaner.models import Pakke

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
    """Render one queued pack; a job that is gone or already finished is left alone (safe to run twice)."""
    pakke = Pakke.objects.filter(pk=pakke_id).select_related("plan__indsats", "afdeling").first()
    if pakke is None or pakke.status == Pakke.Status.FAERDIG:
        return None
    try:
        packs.generate(pakke)
    except (OperationalError, ConnectionError):
        raise
    except SoftTimeLimitExceeded:
        packs.mark_failed(pakke_id, "Pakken tog for lang tid at lave. Prøv igen.")
    except Exception as error:  # a lasting fault: recorded on the job, which the user can retry
        logger.exception("Pakke %s fejlede", pakke_id)
        packs.mark_failed(pakke_id, f"Pakken kunne ikke laves: {error}")
        return None
    return pakke_id


@shared_task(acks_late=True, soft_time_limit=60)
def send_stale_packs():
    """Every few minutes (CELERY_BEAT_SCHEDULE): jobs queued while Redis was down, or whose worker died."""
    return packs.resend_stale()
