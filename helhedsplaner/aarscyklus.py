"""The reports an active plan owes the funders: which, for which years and by when.

`deadlines` is a pure function of the report types' rules and the approved period, so the dates can be
tested on their own; `sync_obligations` writes them as a plan's Rapporteringsforpligtelse rows when the
plan becomes active and again when an approved change request moves its period. It runs inside the
caller's transaction (the lifecycle's `fire` or the change request's approval), which records who acted.
"""

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from helhedsplaner.models import Rapporteringsforpligtelse, Rapporteringstype
from indsatser.models import Finansieringsperiode

Regel = Rapporteringstype.Fristregel


@dataclass(frozen=True)
class Frist:
    type: Rapporteringstype
    aar: int
    frist: date


def _end_of_month(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _deadline(kind: Rapporteringstype, aar: int) -> date:
    """The deadline of a yearly report for calendar year `aar`."""
    if kind.fristregel == Regel.EFTER_AARETS_UDGANG:
        months_on = kind.maaneder - 1  # month 1 after the year's end is January of the next year
        return _end_of_month(aar + 1 + months_on // 12, months_on % 12 + 1)
    return date(aar + kind.aar_forskydning, kind.maaned, kind.dag)


def deadlines(types, start: date, end: date) -> list[Frist]:
    """Every report the types ask for in the period start–end (both days included), by deadline.

    A yearly report is owed for each calendar year the period touches. A fixed-date report due before the
    period starts is not owed: what it would say (the first year's milestones) was in the application.
    The midway status is owed once, on the middle day of the period, for the year that day falls in."""
    found = []
    for kind in types:
        if kind.fristregel == Regel.MIDTVEJS:
            middle = start + timedelta(days=(end - start).days // 2)
            found.append(Frist(kind, middle.year, middle))
            continue
        for aar in range(start.year, end.year + 1):
            day = _deadline(kind, aar)
            if kind.fristregel == Regel.FAST_DATO and day < start:
                continue
            found.append(Frist(kind, aar, day))
    return sorted(found, key=lambda item: (item.frist, item.type.sortering, item.type.pk or 0))


def funding_period(indsats):
    """The funding period whose report types apply: the plan's own, else the latest one begun by the
    plan's first year, else the first there is."""
    if indsats.periode_id:
        return indsats.periode
    periods = Finansieringsperiode.objects.order_by("-startaar")
    return periods.filter(startaar__lte=indsats.startdato.year).first() or periods.last()


def sync_obligations(plan, *, acting_user) -> str:
    """Bring the plan's obligations in line with its period (plan.indsats's start and end dates): add those
    missing, re-date those not yet sent, and remove those of years no longer in the period that nobody has
    worked on (one marked ready or sent stays on record). Returns a line for the plan's timeline, or ""."""
    indsats = plan.indsats
    if not (indsats.startdato and indsats.slutdato):
        return ""
    period = funding_period(indsats)
    types = list(period.rapporteringstyper.all()) if period else []
    wanted = {
        (item.type.pk, item.aar): item for item in deadlines(types, indsats.startdato, indsats.slutdato)
    }
    added = moved = removed = 0
    for obligation in plan.forpligtelser.select_for_update():
        item = wanted.pop((obligation.type_id, obligation.aar), None)
        if item is None:
            if obligation.status == Rapporteringsforpligtelse.Status.AABEN:
                obligation._history_user = acting_user
                obligation.delete()
                removed += 1
        elif obligation.frist != item.frist and not obligation.sendt:
            obligation.frist = item.frist
            obligation._history_user = acting_user
            obligation.save(update_fields=["frist"])
            moved += 1
    for item in wanted.values():
        obligation = Rapporteringsforpligtelse(
            plan=plan, type=item.type, aar=item.aar, frist=item.frist, ansvarlig=indsats.ansvarlig
        )
        obligation._history_user = acting_user
        obligation.save()
        added += 1
    parts = [
        f"{count} {word}"
        for count, word in ((added, "oprettet"), (moved, "flyttet"), (removed, "fjernet"))
        if count
    ]
    return f"Rapporteringsfrister: {', '.join(parts)}." if parts else ""
