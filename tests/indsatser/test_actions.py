"""The indsats actions: each records who acted, a change of contact person reaches the timeline of the
kontaktpersonordning, and an action that fails part-way leaves nothing behind."""

from datetime import date

import pytest
from django.urls import reverse

from indsatser import actions
from indsatser.models import Indsats, IndsatsHaendelse, Indsatstype, Kontaktperson
from tests.factories import AfdelingFactory, IndsatsFactory
from tests.indsatser.factories import KontaktpersonFactory, active_indsats, indsatstype

pytestmark = pytest.mark.django_db


@pytest.fixture
def ordning():
    """A running kontaktpersonordning over one afdeling, and a closed one over the same afdeling."""
    afdeling = AfdelingFactory()
    kind = indsatstype(Indsatstype.KONTAKTPERSONORDNING)
    running = IndsatsFactory(type=kind, status=Indsats.Status.AKTIV, afdelinger=[afdeling])
    IndsatsFactory(type=kind, status=Indsats.Status.AFSLUTTET, afdelinger=[afdeling])
    return running


def test_a_new_contact_person_is_on_the_ordnings_timeline(client_as, medarbejder, ordning):
    afdeling = ordning.afdelinger.get()
    KontaktpersonFactory(afdeling=afdeling, navn="Anne Holm", fra_dato=date(2024, 1, 1))
    ny = Kontaktperson(navn="Bo Lund", rolle="Socialrådgiver", fra_dato=date(2025, 3, 1))
    actions.change_kontaktperson(afdeling, ny, acting_user=medarbejder)
    event = IndsatsHaendelse.objects.get()  # the closed ordning changes no more
    assert event.indsats == ordning and event.bruger == medarbejder
    assert event.overgang == actions.KONTAKTPERSON_CHANGED
    assert event.kommentar == f"{afdeling}: Bo Lund fra 01.03.2025, efter Anne Holm."
    assert {r.history_user for r in Kontaktperson.history.filter(history_type="~")} == {medarbejder}
    page = client_as(medarbejder).get(reverse("indsats_detail", args=[ordning.pk]))
    assert "Ny kontaktperson" in page.text and "Bo Lund fra 01.03.2025, efter Anne Holm." in page.text


def test_a_contact_person_who_stops_is_on_the_timeline(medarbejder, ordning):
    person = KontaktpersonFactory(afdeling=ordning.afdelinger.get(), navn="Anne Holm")
    actions.end_kontaktperson(person, date(2025, 6, 30), acting_user=medarbejder)
    event = IndsatsHaendelse.objects.get()
    assert event.overgang == actions.KONTAKTPERSON_ENDED and event.kommentar.endswith(
        "Anne Holm til 30.06.2025."
    )
    assert Kontaktperson.history.latest("history_id").history_user == medarbejder


def test_a_change_of_contact_person_that_fails_leaves_nothing(monkeypatch, medarbejder, ordning):
    afdeling = ordning.afdelinger.get()
    current = KontaktpersonFactory(afdeling=afdeling, navn="Anne Holm")
    history = Kontaktperson.history.count()

    def fail(*args, **kwargs):
        raise RuntimeError("the timeline is down")

    monkeypatch.setattr(actions, "_record_event", fail)
    ny = Kontaktperson(navn="Bo Lund", rolle="Socialrådgiver", fra_dato=date(2025, 3, 1))
    with pytest.raises(RuntimeError):
        actions.change_kontaktperson(afdeling, ny, acting_user=medarbejder)
    assert list(Kontaktperson.objects.all()) == [current]
    assert Kontaktperson.objects.get().til_dato is None
    assert Kontaktperson.history.count() == history


def test_a_correction_of_a_closed_indsats_is_saved_with_its_event_or_not_at_all(monkeypatch, administrator):
    indsats = active_indsats(status=Indsats.Status.AFSLUTTET, titel="Før")
    indsats.titel = "Efter"
    actions.correct_closed_indsats(indsats, "Titlen var stavet forkert.", acting_user=administrator)
    event = IndsatsHaendelse.objects.get()
    assert event.bruger == administrator and event.kommentar.endswith("Titlen var stavet forkert.")
    assert indsats.history.latest().history_user == administrator

    monkeypatch.setattr(actions, "_record_event", lambda *a, **k: 1 / 0)
    indsats.titel = "Igen"
    with pytest.raises(ZeroDivisionError):
        actions.correct_closed_indsats(indsats, "En gang til.", acting_user=administrator)
    assert Indsats.objects.get(pk=indsats.pk).titel == "Efter"
    assert IndsatsHaendelse.objects.count() == 1
