"""The kontaktpersonordning: changing an afdeling's contact person keeps the previous one as history."""

from datetime import date, timedelta

from django.db import transaction

from indsatser.models import Kontaktperson
from screening.models import Afdeling


def skift_kontaktperson(afdeling: Afdeling, ny: Kontaktperson) -> Kontaktperson:
    """Make `ny` (unsaved) the afdeling's contact person; the current one, if any, ends the day before."""
    with transaction.atomic():
        # Lock the afdeling so two people registering a contact person at once cannot both become current.
        Afdeling.objects.select_for_update().filter(pk=afdeling.pk).first()
        current = Kontaktperson.objects.current().filter(afdeling=afdeling).first()
        if current is not None:
            current.til_dato = max(current.fra_dato, ny.fra_dato - timedelta(days=1))
            current.save()
        ny.afdeling = afdeling
        ny.til_dato = None
        ny.save()
    return ny


def afmeld(kontaktperson: Kontaktperson, til_dato: date) -> None:
    """The contact person stops without a successor: the afdeling shows up among those missing one."""
    kontaktperson.til_dato = til_dato
    kontaktperson.save()
