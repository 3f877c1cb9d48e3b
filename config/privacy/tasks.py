"""Background work of data protection (Celery finds it here)."""

from celery import shared_task

from config.privacy import retention


@shared_task
def anonymise_due() -> dict[str, int]:
    """Once a day: personal data past its retention is anonymised (retention.rules)."""
    return retention.anonymise_due()
