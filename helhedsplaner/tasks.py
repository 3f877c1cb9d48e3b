from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from helhedsplaner import reminders


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
