"""The history section of an indsats: who changed what and when, read from django-simple-history.

Each kind of record is fetched in one query (the indsats's with what its lists held), a fixed number per
page whatever the history's length, and saves that follow each other within seconds by the same person (a
form saving a field and its lists) are shown as one change.
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.apps import apps
from django.db import models
from django.db.models import F, OuterRef, Value
from django.db.models.functions import Concat
from django.utils import formats

from config.web.lists import ValueList
from indsatser import actions, lifecycle
from indsatser.models import Afslutningsvurdering, Aktivitet, Indsats, Maalsaetning, Maaltal

LIMIT = 60
SAME_SAVE = timedelta(seconds=5)
HIDDEN_FIELDS = {"id", "oprettet", "aendret", "indsats", "maalsaetning"}
TRANSITION_LABELS = {t.label for t in lifecycle.TRANSITIONS}


@dataclass
class Entry:
    when: datetime
    who: str
    what: str
    details: list[str] = field(default_factory=list)


def _who(user) -> str:
    if user is None:
        return "Systemet"
    return user.get_full_name() or user.username


def _value(record, model_field) -> str:
    value = getattr(record, model_field.attname)
    if value is None or value == "":
        return "–"
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(model_field, models.ForeignKey):
        return str(getattr(record, model_field.name))
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, date | Decimal | int):
        return formats.localize(value)
    return str(value)


def _changes(model, previous, current) -> list[str]:
    changes = []
    for model_field in model._meta.concrete_fields:
        if model_field.name in HIDDEN_FIELDS:
            continue
        if getattr(previous, model_field.attname) == getattr(current, model_field.attname):
            continue
        label = str(model_field.verbose_name)
        if isinstance(model_field, models.TextField):
            changes.append(f"{label.capitalize()} er ændret.")
        else:
            changes.append(
                f"{label.capitalize()}: {_value(previous, model_field)} → {_value(current, model_field)}"
            )
    return changes


def _grouped(records):
    """Records of one object, oldest first, merged when the same person saved again within seconds."""
    groups = []
    for record in records:
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and record.history_type == "~"
            and last.history_user_id == record.history_user_id
            and record.history_date - last.history_date <= SAME_SAVE
        ):
            groups[-1].append(record)
        else:
            groups.append([record])
    return groups


def _object_entries(model, records, name_of, m2m_changes=None) -> list[Entry]:
    by_object = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        by_object.setdefault(record.id, []).append(record)
    entries = []
    for object_records in by_object.values():
        previous = None
        for group in _grouped(object_records):
            first, last = group[0], group[-1]
            name = name_of(last)
            if first.history_type == "+":
                entries.append(Entry(first.history_date, _who(first.history_user), f"{name} oprettet"))
            elif first.history_type == "-":
                entries.append(Entry(first.history_date, _who(first.history_user), f"{name} slettet"))
            elif first.history_change_reason in TRANSITION_LABELS:
                pass  # shown by the lifecycle event, with its comment
            elif previous is None:
                # The earliest state on record (saved without a record of its creation, or older history
                # beyond what is fetched).
                entries.append(Entry(first.history_date, _who(first.history_user), f"{name} registreret"))
            else:
                details = _changes(model, previous, last)
                if m2m_changes is not None:
                    details += m2m_changes(previous, last)
                if details:
                    entries.append(
                        Entry(first.history_date, _who(first.history_user), f"{name} ændret", details)
                    )
            previous = last
    return entries


# Each list of the indsats as history shows its items (their str()).
INDSATS_M2M = {
    "afdelinger": Concat("afdeling__nummer", Value(" "), "afdeling__navn"),
    "maal": F("maal__navn"),
    "indsatsomraader": F("indsatsomraade__navn"),
    "maalgrupper": F("maalgruppe__navn"),
    "partnere": F("partner__navn"),
}


def _held_items(name):
    """The items each history record of the indsats held in its list `name`, read with the record."""
    through = apps.get_model("indsatser", f"HistoricalIndsats_{name}")
    items = through.objects.filter(history=OuterRef("pk")).values(item=INDSATS_M2M[name])
    return ValueList(items, "item")


def entries_for(indsats) -> list[Entry]:
    """The latest changes to the indsats, its activities, goals and closing checklist, newest first."""
    indsats_records = list(
        indsats.history.select_related("history_user", "type", "periode", "ansvarlig", "afsluttet_af")
        .annotate(**{f"held_{name}": _held_items(name) for name in INDSATS_M2M})
        .order_by("-history_date", "-history_id")[:LIMIT]
    )

    def m2m_changes(previous, current):
        details = []
        for name in INDSATS_M2M:
            before = set(getattr(previous, f"held_{name}"))
            after = set(getattr(current, f"held_{name}"))
            label = str(Indsats._meta.get_field(name).verbose_name).capitalize()
            if after - before:
                details.append(f"{label} tilføjet: " + ", ".join(sorted(after - before)))
            if before - after:
                details.append(f"{label} fjernet: " + ", ".join(sorted(before - after)))
        return details

    entries = _object_entries(Indsats, indsats_records, lambda r: "Indsatsen", m2m_changes)
    entries += [
        Entry(
            h.tidspunkt,
            _who(h.bruger),
            actions.EVENT_LABELS.get(
                h.overgang, f"Status: {h.get_fra_status_display()} → {h.get_til_status_display()}"
            ),
            [h.kommentar] if h.kommentar else [],
        )
        for h in indsats.haendelser.select_related("bruger")
    ]
    aktivitet_records = (
        Aktivitet.history.filter(indsats_id=indsats.pk)
        .select_related("history_user", "aktivitetstype", "indsatsomraade", "ansvarlig_partner")
        .order_by("-history_date")[:LIMIT]
    )
    entries += _object_entries(
        Aktivitet, aktivitet_records, lambda r: f"Aktiviteten »{r.betegnelse or r.aktivitetstype.navn}«"
    )
    goal_records = (
        Maalsaetning.history.filter(indsats_id=indsats.pk)
        .select_related("history_user", "indikator", "indsatsomraade")
        .order_by("-history_date")[:LIMIT]
    )
    entries += _object_entries(Maalsaetning, goal_records, lambda r: f"Målet »{r.indikator.navn}«")
    value_records = (
        Maaltal.history.filter(maalsaetning__indsats_id=indsats.pk)
        .select_related("history_user", "maalsaetning__indikator")
        .order_by("-history_date")[:LIMIT]
    )
    entries += _object_entries(
        Maaltal, value_records, lambda r: f"Måltal {r.aar} for »{r.maalsaetning.indikator.navn}«"
    )
    checklist_records = (
        Afslutningsvurdering.history.filter(indsats_id=indsats.pk)
        .select_related("history_user")
        .order_by("-history_date")[:LIMIT]
    )
    entries += _object_entries(
        Afslutningsvurdering,
        checklist_records,
        lambda r: f"Afslutningskriteriet »{r.get_kriterium_display()}«",
    )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:LIMIT]
