"""Every change to an indsats, its activities, goals and closing checklist, the partners and the contact
persons, in one place (the lifecycle's transitions are fired by lifecycle.fire).

Views, the admin and the tests call these. Each runs in one transaction, records who acted in the rows'
history, and reads the indsats row again under a lock, so a form opened before the plan was sent to the
funders (or closed) cannot write past the rule. What the history alone would not show on the indsats's
timeline (a confirmed overlap, a correction, a change of contact person) is written as an IndsatsHaendelse.
"""

from datetime import date, timedelta

from django import forms
from django.db import transaction

from config.web.formatting import numeric_date
from indsatser import overlap, ramme
from indsatser.models import (
    Aktivitet,
    Indsats,
    IndsatsHaendelse,
    Indsatstype,
    Kontaktperson,
    Maalsaetning,
    Partner,
)
from screening.models import Afdeling

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
EVENT_LABELS = {
    overlap.CONFIRMED: overlap.CONFIRMED_LABEL,
    KONTAKTPERSON_CHANGED: "Ny kontaktperson",
    KONTAKTPERSON_ENDED: "Kontaktperson afmeldt",
}


def lock(indsats) -> Indsats:
    return Indsats.objects.select_for_update(of=("self",)).get(pk=indsats.pk)


def _record_event(indsats: Indsats, overgang: str, kommentar: str, acting_user) -> IndsatsHaendelse:
    return IndsatsHaendelse.objects.create(
        indsats=indsats,
        bruger=acting_user,
        overgang=overgang,
        fra_status=indsats.status,
        til_status=indsats.status,
        kommentar=kommentar,
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
            _record_event(indsats, KONTAKTPERSON_CHANGED, f"{note}.", acting_user)
    return ny


def end_kontaktperson(kontaktperson: Kontaktperson, til_dato: date, *, acting_user) -> None:
    """The contact person stops without a successor: the afdeling shows up among those missing one."""
    with transaction.atomic():
        kontaktperson.til_dato = til_dato
        kontaktperson._history_user = acting_user
        kontaktperson.save()
        note = f"{kontaktperson.afdeling}: {kontaktperson.navn} til {numeric_date(til_dato)}."
        for indsats in _kontaktpersonordninger(kontaktperson.afdeling):
            _record_event(indsats, KONTAKTPERSON_ENDED, note, acting_user)


def anonymise_kontaktpersoner(ids, *, acting_user) -> None:
    """Remove a contact person's personal data (the name is replaced) here and in the history, which holds
    the same data: the person is gone everywhere, the record of the afdeling's contact persons stays."""
    values = {"navn": "(fjernet person)", "telefon": "", "email": ""}
    with transaction.atomic():
        Kontaktperson.objects.filter(pk__in=ids).update(**values)
        Kontaktperson.history.filter(id__in=ids).update(**values)
