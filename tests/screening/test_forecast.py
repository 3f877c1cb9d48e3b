"""The early warning's pure functions: the straight line through the last rounds, the projected class, and
the reasons an area is watched."""

import csv
import io
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from screening import criteria, forecast, results
from screening.models import Omraaderesultat, Screeningsrunde
from screening.views import screening as screening_views
from tests.factories import AfdelingFactory
from tests.screening.screening_data import make_round, measure
from tests.screening.test_criteria import CALM, NATIONAL, RULES_2021, figures

MARGIN = forecast.WatchMargin(points=D(2), multiple=D("0.25"))
NARROW = forecast.WatchMargin(points=D(1), multiple=D("0.25"))


def test_a_line_with_a_known_slope_is_read_off_exactly():
    trend = forecast.linear_trend([(2020, D(40)), (2021, D(41)), (2022, D(42))], 2023)
    assert trend == forecast.Trend(value=D("43.00"), slope=D("1.00"), spread=D("0.00"), rounds=3)


def test_only_the_last_five_rounds_count():
    # An old outlier beyond the five most recent rounds leaves the line alone.
    points = [(2015, D(90)), *[(year, D(30) - (year - 2019) * D("0.5")) for year in range(2019, 2024)]]
    trend = forecast.linear_trend(points, 2024)
    assert (trend.value, trend.slope, trend.rounds) == (D("27.50"), D("-0.50"), 5)


def test_scatter_gives_an_uncertainty():
    trend = forecast.linear_trend([(2020, D(40)), (2021, D(43)), (2022, D(41)), (2023, D(44))], 2024)
    # By hand: the mean year is 2021.5 and the mean 42; Sxx = 5 and Sxy = 5, so the slope is 1 and 2024 reads
    # 42 + 2.5 = 44.5. The residuals -0.5, 1.5, -1.5, 0.5 give s² = 5 / 2 = 2.5, and the prediction's error is
    # √(2.5 · (1 + 1/4 + 2.5²/5)) = √6.25 = 2.5.
    assert trend == forecast.Trend(value=D("44.50"), slope=D("1.00"), spread=D("2.50"), rounds=4)


@pytest.mark.parametrize("rounds", [0, 1, 2])
def test_no_projection_from_fewer_than_three_rounds(rounds):
    points = [(2020 + i, D(40)) for i in range(rounds)]
    assert forecast.linear_trend(points, 2024) is None


def series(**slopes):
    """Four rounds, 2021-2024, of CALM figures with the given yearly changes."""
    return {
        year: {
            code: (value + slopes.get(code, 0) * (year - 2024)) if value is not None else None
            for code, value in {**CALM, "beboere": D(CALM["beboere"])}.items()
        }
        for year in range(2021, 2025)
    }


def test_a_trend_across_a_threshold_projects_a_stricter_class():
    values = series(uden_job_uddannelse_pct=D(3), kun_grundskole_pct=D(4))
    values[2024].update(uden_job_uddannelse_pct=D(39), kun_grundskole_pct=D(59))
    for year in range(2021, 2024):
        values[year].update(
            uden_job_uddannelse_pct=D(39) - 3 * (2024 - year), kun_grundskole_pct=D(59) - 4 * (2024 - year)
        )
    current = criteria.classify(figures(**values[2024]), RULES_2021, NATIONAL)
    assert current.klassifikation == criteria.INGEN
    result = forecast.project(values, 2024, RULES_2021, NATIONAL, current)
    assert result.aar == 2025
    assert result.trends["uden_job_uddannelse_pct"].value == D("42.00")
    assert result.classification.klassifikation == criteria.UDSAT
    assert result.classification.kriterier == ("A", "C")
    reasons = forecast.warnings(current, result, int(values[2024]["beboere"]), MARGIN)
    assert reasons[0] == "Prognosen for 2025 giver udsat boligområde (kriterier A, C)."


def test_the_projection_carries_the_run_of_parallel_rounds():
    bad = dict(uden_job_uddannelse_pct=D(45), kun_grundskole_pct=D(65), ikke_vestlige_pct=D(60))
    values = {year: {**CALM, "beboere": D(1200), **bad} for year in range(2020, 2025)}
    current = criteria.classify(figures(**values[2024]), RULES_2021, NATIONAL, previous_parallel=[True] * 3)
    assert (current.klassifikation, current.runder_i_traek) == ("parallelsamfund", 4)
    result = forecast.project(values, 2024, RULES_2021, NATIONAL, current)
    assert result.classification.klassifikation == "omdannelsesomraade"


def test_no_forecast_when_a_figure_has_too_few_rounds():
    values = series()
    del values[2021]["ikke_vestlige_pct"], values[2022]["ikke_vestlige_pct"]
    current = criteria.classify(figures(**values[2024]), RULES_2021, NATIONAL)
    assert forecast.project(values, 2024, RULES_2021, NATIONAL, current) is None


def test_one_criterion_near_its_threshold_puts_an_area_on_the_watch_list():
    current = criteria.classify(
        figures(uden_job_uddannelse_pct=D(45), kun_grundskole_pct=D("58.5")), RULES_2021, NATIONAL
    )
    assert current.klassifikation != criteria.UDSAT
    assert forecast.warnings(current, None, 1200, MARGIN) == [
        "Ét kriterium fra udsat boligområde: C er 1,5 point fra grænsen."
    ]
    assert forecast.warnings(current, None, 1200, NARROW) == []


def test_an_udsat_area_near_the_parallel_threshold_and_a_small_area_are_watched():
    udsat = criteria.classify(
        figures(uden_job_uddannelse_pct=D(45), kun_grundskole_pct=D(65), ikke_vestlige_pct=D("49.2")),
        RULES_2021,
        NATIONAL,
    )
    assert udsat.klassifikation == criteria.UDSAT
    assert forecast.warnings(udsat, None, 1200, NARROW) == [
        "Andelen af ikke-vestlige er 0,8 point fra grænsen for parallelsamfund."
    ]
    small = criteria.classify(
        figures(beboere=950, uden_job_uddannelse_pct=D(45), kun_grundskole_pct=D(65)), RULES_2021, NATIONAL
    )
    assert forecast.warnings(small, None, 950, NARROW) == [
        "Området opfylder 2 kriterier, men har 950 beboere: 50 under grænsen på 1000."
    ]


# --- stored with the results, and exported ----------------------------------------------------------------


@pytest.fixture
def rising_area(db):
    return _rising_area()


def _rising_area():
    """An area of one afdeling whose A and C rise 3 and 4 points a year: udsat in 2025 if the trend holds."""
    afdeling = AfdelingFactory(beboere=1500)
    for year in (2022, 2023, 2024):
        back = 2024 - year
        runde = Screeningsrunde.objects.filter(aar=year).first() or make_round(year)
        measure(
            runde,
            afdeling,
            **{
                **CALM,
                "beboere": 1500,
                "uden_job_uddannelse_pct": D(39) - 3 * back,
                "kun_grundskole_pct": D(59) - 4 * back,
            },
        )
    return afdeling.boligomraade


def test_the_round_stores_the_forecast_and_the_warning(rising_area):
    runde = Screeningsrunde.objects.get(aar=2024)
    results.refresh(runde)
    stored = Omraaderesultat.objects.get(runde=runde, boligomraade=rising_area)
    assert (stored.klassifikation, stored.prognose_klassifikation, stored.prognose_kriterier) == (
        "ingen",
        "udsat",
        "A,C",
    )
    assert stored.warnings[0] == "Prognosen for 2025 giver udsat boligområde (kriterier A, C)."


def test_the_export_adds_the_forecast_columns(rising_area, capsys):
    call_command("export_screening", "--aar", "2024", "--niveau", "omraade", "--prognose")
    row = next(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert (row["klassifikation"], row["prognose_klassifikation"], row["prognose_kriterier"]) == (
        "ingen",
        "udsat",
        "A,C",
    )
    call_command("export_screening", "--aar", "2024", "--niveau", "omraade")
    assert "prognose_klassifikation" not in capsys.readouterr().out


def test_the_export_refuses_a_forecast_from_too_few_rounds(rising_area):
    with pytest.raises(CommandError, match="kræver tal fra mindst 3 runder; der er 2 i årene 2019-2023"):
        call_command("export_screening", "--aar", "2023", "--prognose")


def test_the_area_page_shows_margins_the_projection_and_the_warning(client_as, sekretariat, rising_area):
    page = client_as(sekretariat).get(reverse("screening_omraade", args=[rising_area.pk]), {"aar": 2024})
    text = page.text
    assert "Området er på overvågningslisten" in text
    assert "Prognosen for 2025 giver udsat boligområde (kriterier A, C)." in text
    # A is 39 % against the udsat threshold of over 40 %: 1 point short; rising 3 points a year to 42 ± 0.
    row = text.split("A. Andel 18-64-årige")[-1].split("</tr>")[0]
    assert "−1 point" in row and "+3 point" in row and "42 % ± 0" in row


def test_the_overview_lists_the_watched_areas_a_board_member_may_see(
    client_as, bestyrelse, medarbejder, rising_area, own_afdeling
):
    page = client_as(medarbejder).get(reverse("screening_overview"), {"aar": 2024})
    assert "Overvågningsliste:</strong> 1 område " in page.text and rising_area.navn in page.text
    board_page = client_as(bestyrelse).get(reverse("screening_overview"), {"aar": 2024})
    assert "Overvågningsliste" not in board_page.text and rising_area.navn not in board_page.text


def test_the_whole_watch_list_computes_a_rounds_results_when_they_are_stale(
    client_as, medarbejder, rising_area
):
    runde = Screeningsrunde.objects.get(aar=2024)
    assert runde.resultater_beregnet is None  # the figures were saved after the results, or none were made
    whole = client_as(medarbejder).get(reverse("screening_watch_list"), {"aar": 2024}).text
    assert "<strong>1</strong> område." in whole and rising_area.navn in whole


def test_the_overview_shows_the_most_severe_and_its_own_page_the_whole_list(
    client_as, bestyrelse, medarbejder, rising_area, own_afdeling, monkeypatch
):
    other_area = _rising_area()
    monkeypatch.setattr(screening_views, "WATCH_LIST_SHOWN", 1)
    page = client_as(medarbejder).get(reverse("screening_overview"), {"aar": 2024}).text
    watched = page.split('<details class="screening-watch">')[1].split("</details>")[0]
    first, second = sorted([rising_area.navn, other_area.navn])
    assert "Overvågningsliste:</strong> 2 områder " in watched and first in watched and second not in watched
    link = f'{reverse("screening_watch_list")}?aar=2024">Se hele overvågningslisten (2 områder)'
    assert link in watched

    whole = client_as(medarbejder).get(reverse("screening_watch_list"), {"aar": 2024}).text
    assert "<strong>2</strong> områder." in whole and first in whole and second in whole
    assert 'aria-current="page">2024' in whole

    board_page = client_as(bestyrelse).get(reverse("screening_watch_list"), {"aar": 2024}).text
    assert "Ingen områder er tæt på en strengere klasse." in board_page
    assert first not in board_page and second not in board_page


def test_the_start_page_watch_list_follows_each_computation_of_a_rounds_results(
    client_as, medarbejder, rising_area
):
    calm = AfdelingFactory(beboere=1500)
    for year in (2022, 2023, 2024):
        measure(Screeningsrunde.objects.get(aar=year), calm, **{**CALM, "beboere": 1500})
    results.refresh_from(2022)
    page = client_as(medarbejder).get(reverse("home")).text
    assert rising_area.navn in page and calm.boligomraade.navn not in page

    # New figures written in bulk (no model signals), as an import writes them, then the results computed
    # again: the start page shows the new computation at once, the calm area rising as the other.
    for year in (2022, 2023, 2024):
        back = 2024 - year
        figures_of_year = Screeningsrunde.objects.get(aar=year).maalinger.filter(afdeling=calm)
        figures_of_year.filter(indikator__kode="uden_job_uddannelse_pct").update(vaerdi=D(39) - 3 * back)
        figures_of_year.filter(indikator__kode="kun_grundskole_pct").update(vaerdi=D(59) - 4 * back)
    results.refresh_from(2022)
    page = client_as(medarbejder).get(reverse("home")).text
    assert rising_area.navn in page and calm.boligomraade.navn in page

    # A renamed area shows by its new name.
    area = calm.boligomraade
    area.navn = "Omdøbt område"
    area.save()
    assert "Omdøbt område" in client_as(medarbejder).get(reverse("home")).text
