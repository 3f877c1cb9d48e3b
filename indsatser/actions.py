"""Every change to an indsats, its activities, goals and closing checklist, the partners and the contact
persons, in one place (the lifecycle's transitions are fired by lifecycle.fire).

Views, the admin and the tests call these. Each runs in one transaction, records who acted in the rows'
history, and reads the indsats row again under a lock, so a form opened before the plan was sent to the
funders (or closed) cannot write past the rule. What the history alone would not show on the indsats's
timeline (a confirmed overlap, a correction, a change of contact person) is written as an IndsatsHaendelse.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django import forms
from django.db import transaction

from config.privacy import anonymiser
from config.web.formatting import numeric_date
from indsatser import overlap, ramme
from indsatser.models import (
    Aktivitet,
    Indikatortal,
    Indsats,
    IndsatsHaendelse,
    Indsatstype,
    Kontaktperson,
    Maalsaetning,
    Maaltal,
    Partner,
)
from screening.models import Afdeling, Boligomraade

# The states in which an activity has run: from then on it ends with a forankring, it is not deleted.
RUNNING = (Indsats.Status.AKTIV, Indsats.Status.AFSLUTTET)
# Set only by the lifecycles: a form that was opened earlier never writes its stale copy back.
LIFECYCLE_FIELDS = ("status", "ramme_laast", "afsluttet_af", "afsluttet_tidspunkt")

DELETE_RUNNING_MESSAGE = (
    "En aktivitet i en indsats, der er gået i gang, slettes ikke: den afsluttes med en "
    "forankringsbeslutning under Afslutning, så det står i sagen, hvad der blev af den."
)


# IndsatsHaendelse.overgang of the timeline entries that are no transition (the status stays as it was).
CORRECTED = "rettelse"
KONTAKTPERSON_CHANGED = "kontaktperson_skiftet"
KONTAKTPERSON_ENDED = "kontaktperson_afmeldt"
GOAL_FIGURES_IMPORTED = "indikatortal_indlaest"
EVENT_LABELS = {
    GOAL_FIGURES_IMPORTED: "Indikatortal indlæst",
    overlap.CONFIRMED: overlap.CONFIRMED_LABEL,
    KONTAKTPERSON_CHANGED: "Ny kontaktperson",
    KONTAKTPERSON_ENDED: "Kontaktperson afmeldt",
}


def lock(indsats) -> Indsats:
    return Indsats.objects.select_for_update(of=("self",)).get(pk=indsats.pk)


def _record_event(
    indsats: Indsats, overgang: str, kommentar: str, acting_user, **about_contact_persons
) -> IndsatsHaendelse:
    """`about_contact_persons`: the contact persons a line names (kontaktperson, forrige_kontaktperson)."""
    return IndsatsHaendelse.objects.create(
        indsats=indsats,
        bruger=acting_user,
        overgang=overgang,
        fra_status=indsats.status,
        til_status=indsats.status,
        kommentar=kommentar,
        **about_contact_persons,
    )


def save_indsats(form, *, acting_user, overlap_note: str = "") -> Indsats:
    """Save the register's IndsatsForm: refused for a closed indsats, and for a change to a locked frame.
    `overlap_note` (indsatser.overlap.confirmed_overlap) goes on the timeline with the save."""
    with transaction.atomic():
        if form.instance.pk:
            locked = lock(form.instance)
            ramme.check_frame(locked, form.changed_data)
            for name in LIFECYCLE_FIELDS:
                setattr(form.instance, name, getattr(locked, name))
        indsats = form.save(commit=False)
        indsats._history_user = acting_user
        indsats.save()
        form.save_m2m()
        if overlap_note:
            _record_event(indsats, overlap.CONFIRMED, overlap_note, acting_user)
    return indsats


def save_indsats_part(form, indsats: Indsats, *, acting_user):
    """Save a validated form of the indsats's activities, goals, forankring or closing checklist (each form
    saves its own rows): refused once the indsats is closed."""
    with transaction.atomic():
        ramme.check_open(lock(indsats))
        if isinstance(form, forms.ModelForm):
            form.instance._history_user = acting_user
        return form.save()


def delete_aktivitet(aktivitet: Aktivitet, *, acting_user) -> None:
    """Delete an activity that never ran: a planned one of an indsats not yet started."""
    with transaction.atomic():
        indsats = lock(aktivitet.indsats)
        ramme.check_open(indsats)
        if indsats.status in RUNNING:
            raise ramme.Locked(DELETE_RUNNING_MESSAGE)
        aktivitet._history_user = acting_user
        aktivitet.delete()


def delete_maalsaetning(maalsaetning: Maalsaetning, *, acting_user) -> None:
    with transaction.atomic():
        ramme.check_open(lock(maalsaetning.indsats))
        maalsaetning._history_user = acting_user
        maalsaetning.delete()


@dataclass(frozen=True)
class GoalFigure:
    """One figure of a goal's indicator series: for the plan (boligomraade None) or one of its areas."""

    maalsaetning: Maalsaetning
    boligomraade: Boligomraade | None
    aar: int
    halvaar: int  # Indikatortal.Halvaar
    vaerdi: Decimal

    @property
    def key(self) -> tuple:
        return (
            self.maalsaetning.pk,
            self.boligomraade.pk if self.boligomraade else None,
            self.aar,
            self.halvaar,
        )


def _period_order(halvaar: int) -> int:
    """A whole year's figure is the year's last word; the second half year comes after the first."""
    return 3 if halvaar == Indikatortal.Halvaar.HELE_AARET else halvaar


def save_goal_figures(indsats: Indsats, figures: list[GoalFigure], source: str, *, acting_user) -> dict:
    """Store imported figures of the indsats's goals (each stored figure is replaced by the file's) and set
    each goal's measured value (Maaltal.maalt) of every year the file gave a plan-level figure for: the
    figure of the year's latest period. Returns how many figures were created, updated and unchanged; a
    file that changes something leaves an entry on the timeline."""
    counts = {"created": 0, "updated": 0, "unchanged": 0}
    with transaction.atomic():
        ramme.check_open(lock(indsats))
        stored = {
            (t.maalsaetning_id, t.boligomraade_id, t.aar, t.halvaar): t
            for t in Indikatortal.objects.filter(maalsaetning__indsats=indsats)
        }
        touched_years = set()
        for figure in figures:
            row = stored.get(figure.key)
            if row is not None and row.vaerdi == figure.vaerdi:
                counts["unchanged"] += 1
                continue
            if row is None:
                row = Indikatortal(
                    maalsaetning=figure.maalsaetning,
                    boligomraade=figure.boligomraade,
                    aar=figure.aar,
                    halvaar=figure.halvaar,
                    vaerdi=figure.vaerdi,
                )
                stored[figure.key] = row
                counts["created"] += 1
            else:
                row.vaerdi = figure.vaerdi
                counts["updated"] += 1
            row._history_user = acting_user
            row.save()
            if figure.boligomraade is None:
                touched_years.add((figure.maalsaetning.pk, figure.aar))
        for maalsaetning_pk, aar in sorted(touched_years):
            latest = max(
                (t for key, t in stored.items() if key[:3] == (maalsaetning_pk, None, aar)),
                key=lambda t: _period_order(t.halvaar),
            )
            maaltal = Maaltal.objects.filter(maalsaetning_id=maalsaetning_pk, aar=aar).first()
            if maaltal is None:
                maaltal = Maaltal(maalsaetning_id=maalsaetning_pk, aar=aar)
            elif maaltal.maalt == latest.vaerdi:
                continue
            maaltal.maalt = latest.vaerdi
            maaltal._history_user = acting_user
            maaltal.save()
        if counts["created"] or counts["updated"]:
            _record_event(
                indsats,
                GOAL_FIGURES_IMPORTED,
                f"{counts['created']} nye og {counts['updated']} ændrede indikatortal fra {source}.",
                acting_user,
            )
    return counts


def correct_closed_indsats(indsats: Indsats, reason: str, *, acting_user) -> None:
    """An administrator's correction of a closed indsats (the admin): saved with who, when and why in the
    history and on the timeline."""
    with transaction.atomic():
        indsats._change_reason = f"Rettelse: {reason}"[:100]
        indsats._history_user = acting_user
        indsats.save()
        _record_event(indsats, CORRECTED, f"Rettelse af en afsluttet indsats: {reason}", acting_user)


def create_partner(form, *, acting_user) -> Partner:
    """A partner for the catalogue (reference data: it keeps no history of its own)."""
    with transaction.atomic():
        return form.save()


def _kontaktpersonordninger(afdeling: Afdeling):
    """The open kontaktpersonordninger covering the afdeling: a change of contact person is on their
    timelines."""
    return Indsats.objects.filter(
        type__kode=Indsatstype.KONTAKTPERSONORDNING,
        afdelinger=afdeling,
        status__in=(Indsats.Status.FORSLAG, Indsats.Status.BEHANDLET, Indsats.Status.AKTIV),
    )


def change_kontaktperson(afdeling: Afdeling, ny: Kontaktperson, *, acting_user) -> Kontaktperson:
    """Make `ny` (unsaved) the afdeling's contact person; the current one, if any, ends the day before. The
    previous one stays as history."""
    with transaction.atomic():
        # Lock the afdeling so two people registering a contact person at once cannot both become current.
        Afdeling.objects.select_for_update().filter(pk=afdeling.pk).first()
        current = Kontaktperson.objects.current().filter(afdeling=afdeling).first()
        if current is not None:
            current.til_dato = max(current.fra_dato, ny.fra_dato - timedelta(days=1))
            current._history_user = acting_user
            current.save()
        ny.afdeling = afdeling
        ny.til_dato = None
        ny._history_user = acting_user
        ny.save()
        note = f"{afdeling}: {ny.navn} fra {numeric_date(ny.fra_dato)}"
        if current is not None:
            note += f", efter {current.navn}"
        for indsats in _kontaktpersonordninger(afdeling):
            _record_event(
                indsats,
                KONTAKTPERSON_CHANGED,
                f"{note}.",
                acting_user,
                kontaktperson=ny,
                forrige_kontaktperson=current,
            )
    return ny


def end_kontaktperson(kontaktperson: Kontaktperson, til_dato: date, *, acting_user) -> None:
    """The contact person stops without a successor: the afdeling shows up among those missing one."""
    with transaction.atomic():
        kontaktperson.til_dato = til_dato
        kontaktperson._history_user = acting_user
        kontaktperson.save()
        note = f"{kontaktperson.afdeling}: {kontaktperson.navn} til {numeric_date(til_dato)}."
        for indsats in _kontaktpersonordninger(kontaktperson.afdeling):
            _record_event(indsats, KONTAKTPERSON_ENDED, note, acting_user, kontaktperson=kontaktperson)


def anonymise_kontaktpersoner(ids, *, acting_user) -> None:
    """Remove contact persons' personal data on request, as the retention rules do when their time is up:
    the name is replaced, phone and e-mail emptied, here, in the whole history and in the timeline's lines
    about them. The record of the afdeling's contact persons stays."""
    with transaction.atomic():
        anonymiser.serialise_erasures()
        anonymiser.anonymise_contact_persons(*anonymiser.every_version(Kontaktperson, ids))
