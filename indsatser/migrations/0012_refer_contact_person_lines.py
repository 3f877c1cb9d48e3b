"""The lines about a change of contact person written before the lines referred to the contact persons they
name get those references, where exactly one contact person fits; the others are left without, and the
anonymiser leaves them as they are (README, Databeskyttelse)."""

import re
from collections import defaultdict
from datetime import date, timedelta

from django.db import migrations

# As indsatser.actions wrote them when this migration was written:
# "<afdeling>: <navn> fra <dd.mm.åååå>[, efter <navn>]." when a contact person started (after the one before),
# "<afdeling>: <navn> til <dd.mm.åååå>." when one stopped.
CHANGED, ENDED = "kontaktperson_skiftet", "kontaktperson_afmeldt"
DATE = r"(\d{2})\.(\d{2})\.(\d{4})"


def numeric_date(day) -> str:
    return f"{day.day:02d}.{day.month:02d}.{day.year:04d}"


def names_as_started_or_stopped(line, navn, fra_dato, til_dato) -> bool:
    """The line names this version of a contact person as the one who started on its fra dato, or stopped on
    its til dato."""
    verb, day = ("fra", fra_dato) if line.overgang == CHANGED else ("til", til_dato)
    if day is None:
        return False
    pattern = rf".*?: {re.escape(navn)} {verb} {re.escape(numeric_date(day))}(?:, efter .*)?\."
    return re.fullmatch(pattern, line.kommentar) is not None


def names_as_the_one_before(line, navn, fra_dato, til_dato) -> bool:
    """The line names this version as the one before, who stopped the day before the new one started (or on
    their own first day, if that was later), as change_kontaktperson ended them."""
    match = re.fullmatch(rf".* fra {DATE}, efter {re.escape(navn)}\.", line.kommentar)
    if match is None or til_dato is None:
        return False
    day, month, year = (int(part) for part in match.groups())
    started = date(year, month, day)
    return til_dato == max(fra_dato, started - timedelta(days=1))


def the_only(numbers: set):
    return next(iter(numbers)) if len(numbers) == 1 else None


def refer_lines_to_contact_persons(apps, schema_editor):
    IndsatsHaendelse = apps.get_model("indsatser", "IndsatsHaendelse")
    lines = IndsatsHaendelse.objects.filter(
        overgang__in=(CHANGED, ENDED), kontaktperson__isnull=True, forrige_kontaktperson__isnull=True
    )
    if not lines.exists():
        return
    # Every version of every contact person, by afdeling: the rows, and their history (a name or a date changed
    # since, a contact person deleted since).
    versions = defaultdict(set)
    for rows in (apps.get_model("indsatser", "Kontaktperson"), apps.get_model("indsatser", "HistoricalKontaktperson")):
        for afdeling_id, *version in rows.objects.values_list("afdeling_id", "id", "navn", "fra_dato", "til_dato"):
            versions[afdeling_id].add(tuple(version))
    # A line is on the timeline of each kontaktpersonordning covering the afdeling, and begins with the afdeling's
    # number (its name may have changed since).
    Indsats = apps.get_model("indsatser", "Indsats")
    afdelinger = defaultdict(list)
    for indsats_id, afdeling_id, nummer in Indsats.afdelinger.through.objects.values_list(
        "indsats_id", "afdeling_id", "afdeling__nummer"
    ):
        afdelinger[indsats_id].append((afdeling_id, nummer))

    referred = []
    for line in lines.only("pk", "indsats_id", "overgang", "kommentar").iterator():
        candidates = [
            version
            for afdeling_id, nummer in afdelinger[line.indsats_id]
            if line.kommentar.startswith(f"{nummer} ")
            for version in versions[afdeling_id]
        ]
        line.kontaktperson_id = the_only(
            {number for number, *rest in candidates if names_as_started_or_stopped(line, *rest)}
        )
        if line.overgang == CHANGED:
            line.forrige_kontaktperson_id = the_only(
                {number for number, *rest in candidates if names_as_the_one_before(line, *rest)}
            )
        if line.kontaktperson_id or line.forrige_kontaktperson_id:
            referred.append(line)
    IndsatsHaendelse.objects.bulk_update(referred, ["kontaktperson", "forrige_kontaktperson"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("indsatser", "0011_indsatshaendelse_kontaktperson"),
    ]

    operations = [migrations.RunPython(refer_lines_to_contact_persons, migrations.RunPython.noop)]
