"""Audit: who read or exported personal data, and who changed what.

Reads and exports of personal data are logged by the views that show it (`logs_access`), one row per answer
that was given (2xx), in Adgangslog. Changes are already recorded by every model's history
(django-simple-history, with the user who acted); `changes` searches those histories together for the
administrator. The access log is kept AUDIT_RETENTION_DAYS (`forget_old_access`, daily); the histories are
part of the plans' record and are kept with them.
"""

import ipaddress
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import wraps
from heapq import merge

from django.conf import settings
from django.utils import timezone
from simple_history.models import registered_models

from config.login_throttle import client_address
from config.web.models import Adgangslog

READ = Adgangslog.Art.READ
EXPORT = Adgangslog.Art.EXPORT


def logs_access(what: str, art=READ):
    """View decorator: a successful answer is logged as `what` read (or exported) by the request's user."""

    def decorator(view):
        @wraps(view)
        def logged(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            if 200 <= response.status_code < 300 and request.user.is_authenticated:
                record(request, what, art)
            return response

        return logged

    return decorator


def record(request, what: str, art=READ) -> Adgangslog:
    address = client_address(request)
    try:
        ipaddress.ip_address(address)
    except ValueError:
        address = None
    return Adgangslog.objects.create(
        user=request.user,
        brugernavn=request.user.get_username(),
        art=art,
        hvad=what,
        adresse=request.get_full_path()[:500],
        klientadresse=address,
    )


def forget_old_access() -> int:
    """Delete access log entries older than AUDIT_RETENTION_DAYS; returns how many."""
    cutoff = timezone.now() - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _ = Adgangslog.objects.filter(tidspunkt__lt=cutoff).delete()
    return deleted


@dataclass(frozen=True)
class Change:
    tidspunkt: datetime
    brugernavn: str
    art: str
    model_label: str
    hvad: str
    objekt_id: str


CHANGE_TYPES = {"+": "Oprettet", "~": "Ændret", "-": "Slettet"}


def changes(*, user=None, since=None, until=None, model_label: str = "", limit: int = 200) -> list[Change]:
    """The latest changes (at most `limit`) across every model with a history, newest first: one query per
    model, each limited, merged by time. Filters: the acting user, a period (dates, both days included) and
    one model ("app_label.model")."""
    found = []
    for model in _tracked_models():
        if model_label and model._meta.label_lower != model_label.lower():
            continue
        rows = model.history.select_related("history_user").order_by("-history_date")
        if user is not None:
            rows = rows.filter(history_user=user)
        if since is not None:
            rows = rows.filter(history_date__date__gte=since)
        if until is not None:
            rows = rows.filter(history_date__date__lte=until)
        found.append(
            [
                Change(
                    tidspunkt=row.history_date,
                    brugernavn=row.history_user.get_username() if row.history_user else "(systemet)",
                    art=CHANGE_TYPES.get(row.history_type, row.history_type),
                    model_label=model._meta.label_lower,
                    hvad=str(model._meta.verbose_name),
                    objekt_id=str(getattr(row, model._meta.pk.attname)),
                )
                for row in rows[:limit]
            ]
        )
    return list(merge(*found, key=lambda change: change.tidspunkt, reverse=True))[:limit]


def history_models() -> list[tuple[str, str]]:
    """(label, verbose name) of every model with a history, for the search form's choice."""
    models = sorted(_tracked_models(), key=lambda m: str(m._meta.verbose_name))
    return [(m._meta.label_lower, str(m._meta.verbose_name).capitalize()) for m in models]


def _tracked_models():
    """The models whose rows have a history. A many-to-many's own history (its through model) is left out:
    the change is also a change of the row that holds the field."""
    return sorted(
        {model for model in registered_models.values() if hasattr(model, "history")},
        key=lambda model: model._meta.label,
    )
