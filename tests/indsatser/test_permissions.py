"""Who sees and changes what: staff edit, the secretariat reads, a board member reads only indsatser that
touch their own afdelinger (404 for all others, 403 for changes), anonymous users log in first."""

import pytest
from django.urls import reverse

from tests.factories import IndsatsFactory
from tests.indsatser.factories import AktivitetFactory, MaalsaetningFactory, active_indsats

pytestmark = pytest.mark.django_db


@pytest.fixture
def own(own_afdeling):
    return active_indsats(titel="Egen indsats", afdelinger=[own_afdeling])


@pytest.fixture
def foreign(foreign_afdeling):
    return active_indsats(titel="Fremmed indsats", afdelinger=[foreign_afdeling])


def read_urls(indsats):
    return [
        reverse("indsats_detail", args=[indsats.pk]),
        reverse("indsats_section", args=[indsats.pk, "aktiviteter"]),
    ]


def change_urls(indsats):
    aktivitet = AktivitetFactory(indsats=indsats)
    maal = MaalsaetningFactory(indsats=indsats)
    return [
        ("get", reverse("indsats_edit", args=[indsats.pk])),
        ("post", reverse("indsats_edit", args=[indsats.pk])),
        ("post", reverse("aktivitet_create", args=[indsats.pk])),
        ("get", reverse("aktivitet_edit", args=[indsats.pk, aktivitet.pk])),
        ("post", reverse("aktivitet_delete", args=[indsats.pk, aktivitet.pk])),
        ("post", reverse("forankring_edit", args=[indsats.pk, aktivitet.pk])),
        ("post", reverse("afslutning_checklist", args=[indsats.pk])),
        ("post", reverse("maalsaetning_create", args=[indsats.pk])),
        ("post", reverse("maalsaetning_edit", args=[indsats.pk, maal.pk])),
        ("post", reverse("maalsaetning_delete", args=[indsats.pk, maal.pk])),
        ("post", reverse("indsats_overgang", args=[indsats.pk, "opgiv"])),
    ]


def test_anonymous_is_sent_to_login(client, own):
    for url in [
        reverse("indsats_list"),
        reverse("benchmarking"),
        reverse("kontaktperson_list"),
        *read_urls(own),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_staff_reads_and_may_change(client_as, medarbejder, own, foreign):
    client = client_as(medarbejder)
    listing = client.get(reverse("indsats_list"))
    assert "Egen indsats" in listing.text and "Fremmed indsats" in listing.text
    detail = client.get(reverse("indsats_detail", args=[foreign.pk]))
    assert detail.status_code == 200
    assert "Redigér stamdata" in detail.text and "Tilføj aktivitet" in detail.text
    assert client.get(reverse("indsats_edit", args=[foreign.pk])).status_code == 200
    assert client.get(reverse("indsats_create")).status_code == 200


def test_secretariat_reads_everything_and_changes_nothing(client_as, sekretariat, own, foreign):
    client = client_as(sekretariat)
    for url in read_urls(foreign):
        assert client.get(url).status_code in (200, 302)
    detail = client.get(reverse("indsats_detail", args=[foreign.pk]))
    assert "Redigér stamdata" not in detail.text and "Tilføj aktivitet" not in detail.text
    assert client.get(reverse("indsats_create")).status_code == 403
    for method, url in change_urls(foreign):
        assert getattr(client, method)(url).status_code == 403, url


def test_board_member_sees_only_indsatser_touching_own_afdelinger(client_as, bestyrelse, own, foreign):
    client = client_as(bestyrelse)
    listing = client.get(reverse("indsats_list"))
    assert "Egen indsats" in listing.text and "Fremmed indsats" not in listing.text
    assert client.get(reverse("indsats_detail", args=[own.pk])).status_code == 200
    for url in read_urls(foreign):
        assert client.get(url).status_code == 404, url
    for method, url in change_urls(foreign):
        assert getattr(client, method)(url).status_code == 404, url


def test_board_member_is_read_only_on_own(client_as, bestyrelse, own):
    client = client_as(bestyrelse)
    detail = client.get(reverse("indsats_detail", args=[own.pk]))
    assert "Redigér stamdata" not in detail.text and "Tilføj aktivitet" not in detail.text
    assert client.get(reverse("indsats_create")).status_code == 403
    for method, url in change_urls(own):
        assert getattr(client, method)(url).status_code == 403, url


def test_board_member_filters_and_export_never_reveal_foreign(
    client_as, bestyrelse, own, foreign, foreign_afdeling
):
    client = client_as(bestyrelse)
    by_org = client.get(reverse("indsats_list"), {"organisation": foreign_afdeling.organisation_id})
    assert "Fremmed indsats" not in by_org.text
    search = client.get(reverse("indsats_list"), {"q": "Fremmed"})
    assert "Fremmed indsats" not in search.text
    export = client.get(reverse("indsats_export"))
    assert b"Fremmed" not in export.content


def test_board_member_sees_foreign_afdeling_of_shared_indsats_without_link(
    client_as, bestyrelse, own_afdeling, foreign_afdeling
):
    shared = IndsatsFactory(titel="Fælles plan", afdelinger=[own_afdeling, foreign_afdeling])
    detail = client_as(bestyrelse).get(reverse("indsats_detail", args=[shared.pk]))
    assert reverse("afdeling_detail", args=[own_afdeling.pk]) in detail.text
    assert reverse("afdeling_detail", args=[foreign_afdeling.pk]) not in detail.text


def test_unknown_section_and_transition(client_as, medarbejder, own):
    client = client_as(medarbejder)
    assert client.get(reverse("indsats_section", args=[own.pk, "hemmelig"])).status_code == 404
    assert client.get(reverse("indsats_overgang", args=[own.pk, "teleporter"])).status_code == 403


def test_kontaktpersoner_for_board_member(client_as, bestyrelse, own_afdeling, foreign_afdeling):
    client = client_as(bestyrelse)
    assert client.get(reverse("kontaktperson_afdeling", args=[own_afdeling.pk])).status_code == 200
    assert client.get(reverse("kontaktperson_afdeling", args=[foreign_afdeling.pk])).status_code == 404
    new = {"navn": "X", "rolle": "Y", "fra_dato": "2025-01-01"}
    assert client.post(reverse("kontaktperson_afdeling", args=[own_afdeling.pk]), new).status_code == 403
    listing = client.get(reverse("kontaktperson_list"))
    assert foreign_afdeling.navn not in listing.text


def test_partner_creation_is_for_staff(client_as, sekretariat):
    response = client_as(sekretariat).post(reverse("partner_list"), {"navn": "Ny", "partnertype": 1})
    assert response.status_code == 403
