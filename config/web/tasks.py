"""Background work of the web plumbing (Celery finds it here): the access log's retention."""

from celery import shared_task

from config.web import audit


@shared_task
def forget_old_access() -> int:
    """Once a day: access log entries older than AUDIT_RETENTION_DAYS are deleted."""
    return audit.forget_old_access()
