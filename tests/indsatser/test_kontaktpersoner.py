"""The kontaktpersonordning: the current contact person per afdeling, its history, and who is missing one."""

from datetime import date

import pytest
from django.urls import reverse

from indsatser.models import Kontaktperson
from tests.factories import AfdelingFactory, OrganisationFactory
from tests.indsatser.factories import KontaktpersonFactory

pytestmark = pytest.mark.django_db


def test_list_shows_current_person_and_missing_filter(client_as, medarbejder):
    with_person = AfdelingFactory(navn="Lærkeparken")
    KontaktpersonFactory(afdeling=with_person, navn="Tidligere Person", til_dato=date(2023, 12, 31))
    KontaktpersonFactory(afdeling=with_person, navn="Anne Holm", fra_dato=date(2024, 1, 1))
    AfdelingFactory(navn="Bøgebakken")
    client = client_as(medarbejder)
    listing = client.get(reverse("kontaktperson_list"))
    assert "Anne Holm" in listing.text and "Tidligere Person" not in listing.text
    assert "Bøgebakken" in listing.text
    missing = client.get(reverse("kontaktperson_list"), {"mangler": "1"})
    assert "Bøgebakken" in missing.text and "Lærkeparken" not in missing.text


def test_list_is_paged_and_keeps_the_missing_filter_across_pages(client_as, medarbejder):
    organisation = OrganisationFactory()
    for nummer in range(1, 31):
        afdeling = AfdelingFactory(organisation=organisation, nummer=str(nummer).zfill(3))
        if nummer % 10 == 0:
            KontaktpersonFactory(afdeling=afdeling, navn=f"Person {nummer}")
    client = client_as(medarbejder)
    first = client.get(reverse("kontaktperson_list"))
    assert len(first.context["page"].object_list) == 25 and "side 1 af 2" in first.text
    assert first.text.count("badge-warning") == 23 and "Person 10" in first.text
    assert 'href="?side=2"' in first.text
    missing = client.get(reverse("kontaktperson_list"), {"mangler": "1", "side": "2"})
    assert "<strong>27</strong> afdelinger uden kontaktperson, side 2 af 2" in missing.text
    assert missing.text.count("badge-warning") == 2 and "Person 30" not in missing.text
    assert 'href="?mangler=1&amp;side=1"' in missing.text


def test_list_answers_htmx_with_the_results_only(client_as, medarbejder):
    AfdelingFactory(navn="Bøgebakken")
    response = client_as(medarbejder).get(
        reverse("kontaktperson_list"), {"mangler": "1"}, headers={"HX-Request": "true"}
    )
    assert response.text.lstrip().startswith('<section id="kontaktperson-results"')
    assert "Bøgebakken" in response.text and "<h1>" not in response.text


def test_changing_contact_person_keeps_the_previous_as_history(client_as, medarbejder):
    afdeling = AfdelingFactory()
    old = KontaktpersonFactory(afdeling=afdeling, navn="Jonas Lind", fra_dato=date(2022, 3, 1))
    client = client_as(medarbejder)
    url = reverse("kontaktperson_afdeling", args=[afdeling.pk])
    response = client.post(url, {"navn": "Fatima Dahl", "rolle": "Socialrådgiver", "fra_dato": "2025-02-01"})
    assert response.status_code == 302
    old.refresh_from_db()
    assert old.til_dato == date(2025, 1, 31)
    current = Kontaktperson.objects.current().get(afdeling=afdeling)
    assert current.navn == "Fatima Dahl"
    page = client.get(url)
    assert "Jonas Lind" in page.text and "31. januar 2025" in page.text


def test_new_person_must_start_after_the_current_one(client_as, medarbejder):
    afdeling = AfdelingFactory()
    KontaktpersonFactory(afdeling=afdeling, fra_dato=date(2025, 6, 1))
    response = client_as(medarbejder).post(
        reverse("kontaktperson_afdeling", args=[afdeling.pk]),
        {"navn": "Ny", "rolle": "Sagsbehandler", "fra_dato": "2025-01-01"},
    )
    assert response.status_code == 400
    assert "Datoen skal ligge efter den nuværende kontaktpersons startdato (01.06.2025)." in response.text
    assert Kontaktperson.objects.filter(afdeling=afdeling).count() == 1


def test_afmeld_leaves_the_afdeling_without_a_person(client_as, medarbejder):
    afdeling = AfdelingFactory()
    KontaktpersonFactory(afdeling=afdeling, fra_dato=date(2024, 1, 1))
    client = client_as(medarbejder)
    bad = client.post(reverse("kontaktperson_afmeld", args=[afdeling.pk]), {"til_dato": "2023-01-01"})
    assert bad.status_code == 400 and "før kontaktpersonens startdato" in bad.text
    client.post(reverse("kontaktperson_afmeld", args=[afdeling.pk]), {"til_dato": "2025-06-30"})
    assert not Kontaktperson.objects.current().filter(afdeling=afdeling).exists()
    assert afdeling.navn in client.get(reverse("kontaktperson_list"), {"mangler": "1"}).text


def test_only_one_current_person_per_afdeling_in_the_database():
    from django.db import IntegrityError, transaction

    afdeling = AfdelingFactory()
    KontaktpersonFactory(afdeling=afdeling)
    with pytest.raises(IntegrityError), transaction.atomic():
        KontaktpersonFactory(afdeling=afdeling)


def test_afdeling_page_lists_indsatser_and_contact_person(
    client_as, bestyrelse, own_afdeling, foreign_afdeling
):
    from tests.indsatser.factories import active_indsats

    active_indsats(titel="Egen plan", afdelinger=[own_afdeling])
    active_indsats(titel="Fremmed plan", afdelinger=[foreign_afdeling])
    KontaktpersonFactory(afdeling=own_afdeling, navn="Maja Friis")
    page = client_as(bestyrelse).get(reverse("afdeling_detail", args=[own_afdeling.pk]))
    assert "Egen plan" in page.text and "Fremmed plan" not in page.text
    assert "Maja Friis" in page.text
    assert "Registrér en kontaktperson" not in page.text
