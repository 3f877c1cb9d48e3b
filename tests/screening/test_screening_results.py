"""The stored results of a round: what screening.criteria computes, kept fresh when their inputs change."""

import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from screening import assessment, results, screening_import
from screening.models import Afdelingsresultat, Maaling, Omraaderesultat, Risikotaerskel, Screeningsrunde
from tests.factories import AfdelingFactory
from tests.screening.screening_data import BAD_FIGURES, CALM_FIGURES, make_round, measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def screened(own_afdeling, foreign_afdeling):
    """Three rounds; the own area turns parallel in 2024, the foreign one stays calm."""
    neighbour = AfdelingFactory(navn="Naboparken", boligomraade=own_afdeling.boligomraade, beboere=400)
    rounds = {aar: make_round(aar, status="kladde") for aar in (2023, 2024, 2025)}  # drafts take imports
    measure(rounds[2023], own_afdeling, **CALM_FIGURES)
    measure(rounds[2023], neighbour, **CALM_FIGURES)
    for aar in (2024, 2025):
        measure(rounds[aar], own_afdeling, **BAD_FIGURES)
        measure(rounds[aar], neighbour, **{**BAD_FIGURES, "udsaettelser_antal": 7})
        measure(rounds[aar], foreign_afdeling, **CALM_FIGURES)
    return rounds


def fresh_years() -> set[int]:
    return set(Screeningsrunde.objects.exclude(resultater_beregnet=None).values_list("aar", flat=True))


def test_stored_results_are_what_the_criteria_compute(screened, own_afdeling):
    results.refresh_from(2023)
    runde = Screeningsrunde.objects.select_related("regelsaet").get(aar=2024)
    afdelinger = list(own_afdeling.__class__.objects.order_by("pk"))
    areas = {}
    live = assessment.afdeling_results(assessment.load(runde), afdelinger, areas)
    rows = Afdelingsresultat.objects.filter(runde=runde).select_related("omraade")
    stored = {r.afdeling_id: r for r in rows}
    assert set(stored) == {a.pk for a in afdelinger}
    for result in live:
        row = stored[result.afdeling.pk]
        risk = result.risk
        assert (row.risikoscore, row.signal, row.roede, row.gule) == (
            (risk.score, risk.level, risk.roede, risk.gule) if risk else (None, "", None, None)
        )
        assert row.risiko_aendring == result.risk_change
        assert row.forslag == (result.suggestion.kode if result.suggestion else "")
        classification = result.area.classification if result.area else None
        if classification is None:
            assert row.omraade is None
        else:
            assert (row.omraade.klassifikation, row.omraade.label, row.omraade.kriterier) == (
                classification.klassifikation,
                classification.label,
                ",".join(classification.kriterier),
            )
            assert row.omraade.aendring == result.area.change
    own = stored[own_afdeling.pk]
    assert (own.omraade.klassifikation, own.omraade.aendring, own.forslag) == (
        "parallelsamfund",
        "skaerpet",
        "helhedsplan",
    )
    assert Omraaderesultat.objects.filter(runde=runde).count() == 2


def test_a_stale_round_is_computed_on_the_first_visit_only(client_as, medarbejder, screened):
    assert fresh_years() == set()
    client = client_as(medarbejder)
    assert "Parallelsamfund" in client.get(reverse("screening_overview"), {"aar": 2024}).text
    assert fresh_years() == {2024}
    first = set(Afdelingsresultat.objects.values_list("pk", flat=True))
    client.get(reverse("screening_overview"), {"aar": 2024})
    assert set(Afdelingsresultat.objects.values_list("pk", flat=True)) == first


def test_a_saved_figure_marks_its_round_and_the_later_ones_stale(
    client_as, medarbejder, screened, own_afdeling
):
    results.refresh_from(2023)
    for field, value in CALM_FIGURES.items():
        figure = Maaling.objects.get(runde__aar=2024, afdeling=own_afdeling, indikator__kode=field)
        figure.vaerdi = value
        figure.save()
    assert fresh_years() == {2023}
    page = client_as(medarbejder).get(reverse("screening_overview"), {"aar": 2024, "q": "Egen"})
    table = page.text.split('id="screening-results"')[1].split("</section>")[0]
    assert "Egen Afdeling" in table and "Parallelsamfund" not in table and "Ingen indsats" in table


def test_a_figure_or_a_round_moved_marks_the_rounds_after_the_year_it_left_stale(screened, own_afdeling):
    later = make_round(2026, status="kladde")
    results.refresh_from(2023)
    figure = Maaling.objects.filter(runde__aar=2023, afdeling=own_afdeling).first()
    figure.runde = later
    figure.save()
    assert fresh_years() == set()
    results.refresh_from(2023)
    runde = screened[2023]
    runde.aar = 2027
    runde.save()
    assert fresh_years() == set()


def round_counts(page, aar) -> list[str]:
    """The three counts (afdelinger, areas with figures of their own, figures) in the year's row."""
    row = page.text.split(f"?aar={aar}")[1].split("</tr>")[0]
    return re.findall(r'<td class="app-num">([^<]*)</td>', row)[1:]


def test_the_rounds_page_counts_what_each_round_holds(
    client_as, medarbejder, screened, own_afdeling, django_assert_num_queries
):
    results.refresh_from(2023)
    runde = Screeningsrunde.objects.get(aar=2024)
    figures_2024 = 2 * len(BAD_FIGURES) + len(CALM_FIGURES)
    assert (runde.antal_afdelinger, runde.antal_omraader, runde.antal_maalinger) == (3, 0, figures_2024)
    client = client_as(medarbejder)
    with django_assert_num_queries(6):  # session, user, roles, rounds, imports, afdelinger in the register
        page = client.get(reverse("screening_runder"))
    assert round_counts(page, 2024) == ["3", "0", str(figures_2024)]
    assert round_counts(page, 2023) == ["2", "0", str(2 * len(CALM_FIGURES))]
    # A change to the register makes every round's results stale, but not what the rounds hold.
    own_afdeling.beboere = 10
    own_afdeling.save()
    with django_assert_num_queries(6):
        assert round_counts(client.get(reverse("screening_runder")), 2024) == ["3", "0", str(figures_2024)]
    # A saved figure: its round is counted on the page until its results are computed again.
    measure(screened[2024], own_afdeling.boligomraade, beboere=2000)
    Maaling.objects.filter(runde__aar=2024, boligomraade__isnull=False).get().save()
    with django_assert_num_queries(7):
        page = client.get(reverse("screening_runder"))
    assert round_counts(page, 2024) == ["3", "1", str(figures_2024 + 1)]
    assert round_counts(page, 2025) == ["3", "0", str(figures_2024)]
    results.refresh_from(2024)
    assert Screeningsrunde.objects.get(aar=2024).antal_omraader == 1


def test_deleted_figures_and_afdelinger_are_counted_again(admin_client, screened, own_afdeling):
    results.refresh_from(2023)
    figures = Maaling.objects.filter(runde__aar=2024, afdeling=own_afdeling)
    response = admin_client.post(
        reverse("admin:screening_maaling_changelist"),
        {
            "action": "delete_selected",
            "_selected_action": list(figures.values_list("pk", flat=True)),
            "post": "yes",
        },
    )
    assert response.status_code == 302
    page = admin_client.get(reverse("screening_runder"))
    assert round_counts(page, 2024)[0] == "2" and round_counts(page, 2025)[0] == "3"
    own_afdeling.delete()
    page = admin_client.get(reverse("screening_runder"))
    assert round_counts(page, 2025)[0] == round_counts(page, 2024)[0] == "2"


def test_register_and_risk_model_changes_mark_every_round_stale(screened, own_afdeling):
    results.refresh_from(2023)
    own_afdeling.beboere = 10
    own_afdeling.save()
    assert fresh_years() == set()
    results.refresh_from(2023)
    threshold = Risikotaerskel.objects.first()
    threshold.vaegt = 3
    threshold.save()
    assert fresh_years() == set()


def test_making_a_round_final_keeps_its_results(client_as, medarbejder, screened):
    results.refresh_from(2023)
    assert client_as(medarbejder).post(reverse("screening_runde_endelig", args=[2025])).status_code == 302
    assert fresh_years() == {2023, 2024, 2025}


def test_deleting_figures_in_admin_marks_the_rounds_stale(admin_client, screened):
    results.refresh_from(2023)
    figures = Maaling.objects.filter(runde__aar=2024)
    selected = list(figures.values_list("pk", flat=True))
    response = admin_client.post(
        reverse("admin:screening_maaling_changelist"),
        {"action": "delete_selected", "_selected_action": selected, "post": "yes"},
    )
    assert response.status_code == 302 and not figures.exists()
    assert fresh_years() == {2023}


def test_the_import_computes_its_round_and_the_later_ones(screened, own_afdeling):
    results.refresh_from(2023)
    computed = dict(Screeningsrunde.objects.values_list("aar", "resultater_beregnet"))
    organisation = own_afdeling.organisation.navn
    content = f"organisation;afdeling_nr;uden_job_uddannelse_pct\n{organisation};{own_afdeling.nummer};10\n"
    report = screening_import.import_file(content.encode(), "tal.csv", 2024)
    assert report.ok and report.updated == 1
    now = dict(Screeningsrunde.objects.values_list("aar", "resultater_beregnet"))
    assert now[2023] == computed[2023]
    assert now[2024] > computed[2024] and now[2025] > computed[2025]
    # A figure that stays the same changes nothing, not even the stored results.
    assert screening_import.import_file(content.encode(), "tal.csv", 2024).unchanged == 1
    assert dict(Screeningsrunde.objects.values_list("aar", "resultater_beregnet")) == now


def test_the_command_computes_every_round(screened):
    out = io.StringIO()
    call_command("refresh_screening_results", stdout=out)
    assert "3 runde(r)" in out.getvalue() and fresh_years() == {2023, 2024, 2025}
    assert Afdelingsresultat.objects.count() == 3 * 3
