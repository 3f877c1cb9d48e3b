"""Activities, goals and the closing checklist, edited in place with htmx and with plain forms."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indsatser.models import (
    Afslutningsvurdering,
    Aktivitet,
    Aktivitetstype,
    Deltagertal,
    Indikator,
    Indsats,
    Maalsaetning,
)
from tests.indsatser.factories import (
    AktivitetFactory,
    MaalsaetningFactory,
    PartnerFactory,
    active_indsats,
    anchor,
    complete_checklist,
)

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true"}


@pytest.fixture
def indsats():
    return active_indsats(titel="Tryghed i gårdene", startdato=date(2025, 1, 1), slutdato=date(2026, 12, 31))


def new_activity(**overrides):
    data = {
        "ny-aktivitetstype": Aktivitetstype.objects.get(navn="Fritidsjob").pk,
        "ny-betegnelse": "Fritidsjob i Sydhavnen",
        "ny-status": "i_gang",
        "ny-deltagere_2025": "12",
        "ny-deltagere_2026": "",
    }
    data.update(overrides)
    return data


def test_add_activity_over_htmx_returns_the_section(client_as, medarbejder, indsats):
    partner = PartnerFactory(navn="Sydhavnens Erhvervsnetværk")
    response = client_as(medarbejder).post(
        reverse("aktivitet_create", args=[indsats.pk]),
        new_activity(**{"ny-ansvarlig_partner": partner.pk}),
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="aktiviteter"')
    assert "Fritidsjob i Sydhavnen" in response.text and "Sydhavnens Erhvervsnetværk" in response.text
    aktivitet = Aktivitet.objects.get(indsats=indsats)
    assert list(aktivitet.deltagertal.values_list("aar", "antal")) == [(2025, 12)]


def test_invalid_activity_answers_400_with_danish_errors_and_saves_nothing(client_as, medarbejder, indsats):
    response = client_as(medarbejder).post(
        reverse("aktivitet_create", args=[indsats.pk]),
        new_activity(**{"ny-aktivitetstype": "", "ny-deltagere_2025": "-3"}),
        headers=HTMX,
    )
    assert response.status_code == 400
    assert "Dette felt er påkrævet." in response.text and "Antallet kan ikke være negativt." in response.text
    assert '<details class="indsatser-new" open>' in response.text
    assert not Aktivitet.objects.exists()


def test_activity_indsatsomraade_must_be_of_the_indsats_period(client_as, medarbejder, indsats):
    from indsatser.models import Indsatsomraade

    other_period = Indsatsomraade.objects.filter(periode__navn="2015-18").first()
    response = client_as(medarbejder).post(
        reverse("aktivitet_create", args=[indsats.pk]), new_activity(**{"ny-indsatsomraade": other_period.pk})
    )
    assert response.status_code == 400
    assert not Aktivitet.objects.exists()


def test_edit_activity_inline(client_as, medarbejder, indsats):
    aktivitet = AktivitetFactory(indsats=indsats)
    Deltagertal.objects.create(aktivitet=aktivitet, aar=2025, antal=40)
    client = client_as(medarbejder)
    url = reverse("aktivitet_edit", args=[indsats.pk, aktivitet.pk])
    row = client.get(url, headers=HTMX)
    assert row.text.lstrip().startswith(f'<tr id="aktivitet-{aktivitet.pk}" class="indsatser-edit-row">')
    assert 'value="40"' in row.text
    prefix = f"akt{aktivitet.pk}"
    response = client.post(
        url,
        {
            f"{prefix}-aktivitetstype": aktivitet.aktivitetstype_id,
            f"{prefix}-status": "afsluttet",
            f"{prefix}-deltagere_2025": "",
            f"{prefix}-deltagere_2026": "55",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    aktivitet.refresh_from_db()
    assert aktivitet.status == "afsluttet"
    assert list(aktivitet.deltagertal.values_list("aar", "antal")) == [(2026, 55)]


def test_plain_form_fallback_redirects_and_shows_edit_page(client_as, medarbejder, indsats):
    aktivitet = AktivitetFactory(indsats=indsats)
    client = client_as(medarbejder)
    page = client.get(reverse("aktivitet_edit", args=[indsats.pk, aktivitet.pk]))
    assert page.status_code == 200 and "<html" in page.text and "Gem aktivitet" in page.text
    response = client.post(reverse("aktivitet_create", args=[indsats.pk]), new_activity())
    assert response.status_code == 302
    assert response["Location"] == reverse("indsats_detail", args=[indsats.pk]) + "#aktiviteter"


def test_delete_a_planned_activity_before_the_start(client_as, medarbejder, indsats):
    Indsats.objects.filter(pk=indsats.pk).update(status=Indsats.Status.FORSLAG)
    aktivitet = AktivitetFactory(indsats=indsats)
    response = client_as(medarbejder).post(
        reverse("aktivitet_delete", args=[indsats.pk, aktivitet.pk]), headers=HTMX
    )
    assert response.status_code == 200 and not Aktivitet.objects.exists()


@pytest.mark.parametrize("status", [Indsats.Status.AKTIV, Indsats.Status.AFSLUTTET])
def test_an_activity_that_has_run_is_not_deleted(client_as, medarbejder, indsats, status):
    Indsats.objects.filter(pk=indsats.pk).update(status=status)
    aktivitet = AktivitetFactory(indsats=indsats)
    client = client_as(medarbejder)
    url = reverse("aktivitet_delete", args=[indsats.pk, aktivitet.pk])
    response = client.post(url, headers=HTMX)
    assert response.status_code == 200 and response["HX-Redirect"].endswith("#aktiviteter")
    response = client.post(url, follow=True)
    assert Aktivitet.objects.filter(pk=aktivitet.pk).exists()
    assert ("afsluttes med en forankringsbeslutning" in response.text) or ("er afsluttet" in response.text)
    edit = client.get(reverse("aktivitet_edit", args=[indsats.pk, aktivitet.pk]), headers=HTMX)
    assert "Slet aktiviteten" not in edit.text


def test_delete_is_refused_at_service_level_once_the_indsats_runs(medarbejder, indsats):
    from indsatser import actions, ramme

    aktivitet = AktivitetFactory(indsats=indsats)
    with pytest.raises(ramme.Locked, match="forankringsbeslutning"):
        actions.delete_aktivitet(aktivitet, acting_user=medarbejder)
    assert Aktivitet.objects.filter(pk=aktivitet.pk).exists()


def test_activity_of_another_indsats_is_404(client_as, medarbejder, indsats):
    other = AktivitetFactory(indsats=active_indsats())
    response = client_as(medarbejder).get(reverse("aktivitet_edit", args=[indsats.pk, other.pk]))
    assert response.status_code == 404


def test_forankring_needs_who_takes_over(client_as, medarbejder, indsats):
    aktivitet = AktivitetFactory(indsats=indsats)
    url = reverse("forankring_edit", args=[indsats.pk, aktivitet.pk])
    prefix = f"fa{aktivitet.pk}"
    client = client_as(medarbejder)
    bad = client.post(
        url, {f"{prefix}-forankring": "kommune", f"{prefix}-forankring_fra": "2026-12-31"}, headers=HTMX
    )
    assert bad.status_code == 400 and "Skriv, hvem der overtager aktiviteten." in bad.text
    good = client.post(
        url,
        {
            f"{prefix}-forankring": "kommune",
            f"{prefix}-forankring_hvem": "Socialforvaltningen",
            f"{prefix}-forankring_fra": "2026-12-31",
        },
        headers=HTMX,
    )
    assert good.status_code == 200 and good.text.lstrip().startswith('<section id="afslutning"')
    aktivitet.refresh_from_db()
    assert aktivitet.forankring == "kommune" and aktivitet.forankring_fra == date(2026, 12, 31)


def test_checklist_saves_partially_and_reports_what_is_missing(client_as, medarbejder, indsats):
    data = {"opfyldt_behov": "ja", "begrundelse_behov": "Trygheden er steget.", "opfyldt_maal": "nej"}
    response = client_as(medarbejder).post(
        reverse("afslutning_checklist", args=[indsats.pk]), data, headers=HTMX
    )
    assert response.status_code == 200
    behov = Afslutningsvurdering.objects.get(indsats=indsats, kriterium="behov")
    assert behov.opfyldt is True and behov.begrundelse == "Trygheden er steget."
    assert (
        "Kriteriet »Målene er nået, og en stabil positiv udvikling er sat i gang« mangler en begrundelse."
        in (response.text)
    )


def test_closed_indsats_freezes_checklist_and_forankring(client_as, medarbejder, indsats):
    from indsatser import lifecycle

    complete_checklist(indsats)
    anchor(AktivitetFactory(indsats=indsats))
    lifecycle.fire(indsats, "afslut", acting_user=medarbejder)
    client = client_as(medarbejder)
    refused = client.post(reverse("afslutning_checklist", args=[indsats.pk]), {}, follow=True)
    assert "Indsatsen er afsluttet og kan ikke længere ændres." in refused.text
    assert Afslutningsvurdering.objects.filter(indsats=indsats, opfyldt=None).count() == 0
    detail = client.get(reverse("indsats_detail", args=[indsats.pk]))
    assert "Gem vurderingerne" not in detail.text
    assert "Indsatsen blev afsluttet" in detail.text and medarbejder.get_full_name() in detail.text


def test_add_goal_on_city_indicator_and_edit_yearly_values(client_as, medarbejder, indsats):
    indikator = Indikator.objects.get(bymaal__nummer=4)
    client = client_as(medarbejder)
    response = client.post(
        reverse("maalsaetning_create", args=[indsats.pk]),
        {"nytmaal-indikator": indikator.pk, "nytmaal-baseline": "14", "nytmaal-baseline_aar": "2024"},
        headers=HTMX,
    )
    assert response.status_code == 200 and response.text.lstrip().startswith('<section id="maal"')
    maal = Maalsaetning.objects.get(indsats=indsats)
    prefix = f"maal{maal.pk}"
    response = client.post(
        reverse("maalsaetning_edit", args=[indsats.pk, maal.pk]),
        {
            f"{prefix}-baseline": "14",
            f"{prefix}-baseline_aar": "2024",
            f"{prefix}-maal_2025": "12",
            f"{prefix}-maalt_2025": "11,5",
            f"{prefix}-maal_2026": "10",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    values = {m.aar: (m.maal, m.maalt) for m in maal.maaltal.all()}
    assert values == {2025: (Decimal("12"), Decimal("11.5")), 2026: (Decimal("10"), None)}
    assert "Målet er nået" in response.text  # fewer evictions than the target
    assert "data-indsatser-chart=" in response.text and "<table" in response.text


def test_goal_on_a_new_own_indicator(client_as, medarbejder, indsats):
    response = client_as(medarbejder).post(
        reverse("maalsaetning_create", args=[indsats.pk]),
        {
            "nytmaal-ny_indikator": "Deltagere i gårdfester",
            "nytmaal-ny_enhed": "antal",
            "nytmaal-ny_hoejere_er_bedre": "1",
        },
        headers=HTMX,
    )
    assert response.status_code == 200
    indikator = Indikator.objects.get(navn="Deltagere i gårdfester")
    assert indikator.bymaal is None and indikator.hoejere_er_bedre


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Vælg en indikator, eller skriv navnet på en ny."),
        ({"nytmaal-ny_indikator": "Noget nyt"}, "Angiv enheden"),
        (
            {"nytmaal-ny_indikator": "Udsættelser pr. år", "nytmaal-ny_enhed": "antal"},
            "Indikatoren findes allerede",
        ),
        (
            {"nytmaal-baseline": "abc", "nytmaal-ny_indikator": "X", "nytmaal-ny_enhed": "%"},
            "Indtast et tal.",
        ),
    ],
)
def test_invalid_goal_is_refused_in_danish(client_as, medarbejder, indsats, data, message):
    response = client_as(medarbejder).post(
        reverse("maalsaetning_create", args=[indsats.pk]), data, headers=HTMX
    )
    assert response.status_code == 400 and message in response.text
    assert not Maalsaetning.objects.exists()


def test_same_indicator_cannot_be_chosen_twice(client_as, medarbejder, indsats):
    existing = MaalsaetningFactory(indsats=indsats)
    response = client_as(medarbejder).post(
        reverse("maalsaetning_create", args=[indsats.pk]),
        {"nytmaal-indikator": existing.indikator_id},
        headers=HTMX,
    )
    assert response.status_code == 400
    assert Maalsaetning.objects.count() == 1


def test_the_kept_drop_downs_show_a_change_at_once(client_as, medarbejder, indsats):
    """The activity and goal forms' drop-downs are kept (screening.options): a new partner, an activity type
    taken out of use and an indicator given a goal show on the next page."""
    client = client_as(medarbejder)
    url = reverse("indsats_detail", args=[indsats.pk])
    page = client.get(url).text
    fritidsjob = Aktivitetstype.objects.get(navn="Fritidsjob")
    indikator = Indikator.objects.filter(bymaal__isnull=False).first()
    shown = (f'<option value="{fritidsjob.pk}">Fritidsjob (', f'<option value="{indikator.pk}">{indikator}<')
    assert all(option in page for option in shown)
    PartnerFactory(navn="Ny partner i Sydhavnen")
    fritidsjob.i_brug = False
    fritidsjob.save()
    MaalsaetningFactory(indsats=indsats, indikator=indikator)
    page = client.get(url).text
    assert ">Ny partner i Sydhavnen</option>" in page
    assert not any(option in page for option in shown)


def test_history_shows_who_changed_what(client_as, medarbejder, indsats):
    aktivitet = AktivitetFactory(indsats=indsats)
    client = client_as(medarbejder)
    prefix = f"akt{aktivitet.pk}"
    client.post(
        reverse("aktivitet_edit", args=[indsats.pk, aktivitet.pk]),
        {f"{prefix}-aktivitetstype": aktivitet.aktivitetstype_id, f"{prefix}-status": "afsluttet"},
    )
    detail = client.get(reverse("indsats_detail", args=[indsats.pk]))
    assert "Aktiviteten »Lektiecafé« ændret" in detail.text
    assert "Status: I gang → Afsluttet" in detail.text
    assert medarbejder.get_full_name() in detail.text


def test_each_justification_in_the_checklist_has_a_label_of_its_own(client_as, medarbejder, indsats):
    html = client_as(medarbejder).get(reverse("indsats_detail", args=[indsats.pk])).text
    labels = dict(re.findall(r'<label class="form-label" for="(id_begrundelse_\w+)">([^<]+)</label>', html))
    fields = re.findall(r'<textarea[^>]*\bid="(id_begrundelse_\w+)"', html)
    assert len(fields) == 5 and sorted(labels) == sorted(fields)  # every label names its field
    assert len(set(labels.values())) == 5
    assert labels["id_begrundelse_opbakning"] == "Begrundelse: den lokale opbakning"
