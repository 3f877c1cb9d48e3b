"""A round is a draft (kladde) while figures come in and final (endelig) when staff close it. Only staff's
screening pages show a draft; everyone else, and the plans and packs, read the newest final round."""

import pytest
from django.urls import reverse

from helhedsplaner.screening_figures import latest_figures
from screening import actions
from screening.models import Screeningsrunde
from tests.factories import AfdelingFactory
from tests.screening.screening_data import BAD_FIGURES, CALM_FIGURES, make_round, measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft_after_final(own_afdeling, foreign_afdeling):
    """2023 is final and calm; the draft 2024 holds a few rows that would turn the board's area parallel."""
    final, draft = make_round(2023), make_round(2024, status="kladde")
    for afdeling in (own_afdeling, foreign_afdeling):
        measure(final, afdeling, **CALM_FIGURES)
    measure(draft, own_afdeling, **BAD_FIGURES)
    return {"final": final, "draft": draft}


@pytest.mark.parametrize("role", ["bestyrelse", "sekretariat"])
def test_others_than_staff_see_the_newest_final_round_and_never_a_draft(
    client_as, request, draft_after_final, own_afdeling, role
):
    client = client_as(request.getfixturevalue(role))
    pages = [
        reverse("screening_overview"),
        reverse("screening_afdeling", args=[own_afdeling.pk]),
        reverse("screening_omraade", args=[own_afdeling.boligomraade_id]),
    ]
    for url in pages:
        page = client.get(url)
        assert page.status_code == 200, url
        assert "aar=2023" in page.text and "aar=2024" not in page.text, url  # the rounds' tabs
        assert "Kladde" not in page.text and "skærpet" not in page.text, url
        assert client.get(url, {"aar": 2024}).status_code == 404, url
    status_url = reverse("screening_afdeling_status", args=[own_afdeling.pk])
    status = client.get(status_url, headers={"HX-Request": "true"})
    assert "2023" in status.text and "2024" not in status.text
    rounds = client.get(reverse("screening_runder")).text
    assert "2023" in rounds and "2024" not in rounds


def test_staff_open_on_the_final_round_and_see_the_draft_marked(client_as, medarbejder, draft_after_final):
    client = client_as(medarbejder)
    overview = client.get(reverse("screening_overview")).text
    assert "Screening 2023" in overview and "Kladde" in overview  # the draft's tab
    draft = client.get(reverse("screening_overview"), {"aar": 2024}).text
    assert "Screening 2024" in draft and "Parallelsamfund" in draft
    assert "Kladde: tallene er ikke endelige" in draft


def test_plans_and_packs_read_the_newest_final_round_even_for_staff(
    medarbejder, draft_after_final, own_afdeling
):
    figures = latest_figures([own_afdeling], medarbejder)
    assert figures.runde.aar == 2023


def test_the_rounds_page_shows_each_rounds_coverage_of_the_register(
    client_as, medarbejder, draft_after_final
):
    AfdelingFactory()  # an afdeling without figures in any round
    text = client_as(medarbejder).get(reverse("screening_runder")).text
    assert "2 af 3 afdelinger" in text and "1 af 3 afdelinger" in text


def test_staff_reopen_a_final_round_with_a_reason_that_is_recorded(client_as, medarbejder, draft_after_final):
    client = client_as(medarbejder)
    url = reverse("screening_runde_genaabn", args=[2023])
    refused = client.post(url, {"begrundelse": "  "})
    assert refused.status_code == 400 and "Skriv hvorfor" in refused.text
    assert Screeningsrunde.objects.get(aar=2023).is_final
    assert client.post(url, {"begrundelse": "Kommunens tal for 2023 var forkerte."}).status_code == 302
    runde = Screeningsrunde.objects.get(aar=2023)
    assert not runde.is_final and runde.afsluttet is None
    assert runde.genaabnet_af == medarbejder
    assert runde.genaabnet_begrundelse == "Kommunens tal for 2023 var forkerte."
    assert runde.history.first().history_change_reason == "Kommunens tal for 2023 var forkerte."
    assert "Kommunens tal for 2023 var forkerte." in client.get(reverse("screening_runder")).text


def test_reopening_a_draft_changes_nothing(medarbejder, draft_after_final):
    assert actions.reopen_round(draft_after_final["draft"], "fejl", acting_user=medarbejder) is False


@pytest.mark.parametrize("role", ["bestyrelse", "sekretariat"])
def test_only_staff_reopen(client_as, request, draft_after_final, role):
    client = client_as(request.getfixturevalue(role))
    response = client.post(reverse("screening_runde_genaabn", args=[2023]), {"begrundelse": "x"})
    assert response.status_code == 403
    assert Screeningsrunde.objects.get(aar=2023).is_final


def test_charts_of_counts_and_shares_start_at_zero_with_whole_steps_for_counts():
    from screening import page_data
    from screening.models import Indikator

    indicators = list(
        Indikator.objects.filter(kode__in=["udsaettelser_antal", "fraflytning_pct", "husleje_kr_m2"])
    )
    history = {2023: {"udsaettelser_antal": 4, "fraflytning_pct": 11, "husleje_kr_m2": 1012}}
    series = {s["kode"]: s for s in page_data.chart_data(history, indicators, True)["series"]}
    assert series["udsaettelser_antal"]["zero"] and series["udsaettelser_antal"]["whole"]
    assert series["fraflytning_pct"]["zero"] and not series["fraflytning_pct"]["whole"]
    assert not series["husleje_kr_m2"]["zero"]
