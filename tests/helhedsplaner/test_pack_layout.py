"""What the packs show and how they are laid out: the draft mark outside a pack's phase, chapters that share
pages, goals per year, the budget by year × område × cost type, activities with target group and yearly
volume, the screening trends as charts, and download names from the plan's title."""

import io
import re
from datetime import date
from decimal import Decimal
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse
from pypdf import PdfReader

from config.web.filenames import attachment_header, slug
from finansiering import actions as budget_actions
from finansiering.financing import indsats_finansiering
from finansiering.models import Omkostningstype
from helhedsplaner import charts, lifecycle
from helhedsplaner.models import Pakke
from helhedsplaner.packs import documents
from helhedsplaner.screening_figures import trends
from indsatser.models import (
    Aktivitet,
    Aktivitetstype,
    Deltagertal,
    Finansieringsperiode,
    Indikator,
    Maalgruppe,
    Maalsaetning,
    Maaltal,
)
from screening.models import Screeningsrunde
from tests.factories import AfdelingFactory, HelhedsplanFactory
from tests.helhedsplaner.conftest import place
from tests.screening.screening_data import BAD_FIGURES, make_round, measure

TODAY = date(2026, 11, 26)

pytestmark = pytest.mark.usefixtures("private_storage")  # packs are stored in a temporary folder


@pytest.fixture
def full_plan(db, medarbejder):
    """A plan of 2025-27 with two afdelinger, budget lines in two områder and three cost types, a goal with
    targets, an activity with a target group and participants, and six screening rounds (one a draft)."""
    periode = Finansieringsperiode.objects.get(navn="2019-26")
    afdelinger = [
        AfdelingFactory(nummer="71-01", navn="Østergården", lejemaal=400),
        AfdelingFactory(nummer="71-02", navn="Vestergården", lejemaal=200),
    ]
    plan = HelhedsplanFactory(
        indsats__titel="Helhedsplan Tingbjerg/Utterslevhuse 2025",
        indsats__afdelinger=afdelinger,
        indsats__ansvarlig=medarbejder,
        indsats__startdato=date(2025, 1, 1),
        indsats__slutdato=date(2027, 12, 31),
        indsats__periode=periode,
        resume="Kort resumé.",
        analyse="Kort analyse.",
        maal="Kort vision.",
        organisering="Kort organisering.",
    )
    omraader = list(periode.indsatsomraader.order_by("sortering"))
    typer = {t.kode: t for t in Omkostningstype.objects.all()}
    version = budget_actions.create_version(plan.indsats, "praekvalifikation", acting_user=medarbejder)
    for aar, omraade, kode, beloeb in [
        (2025, omraader[0], "loen", "100000.00"),
        (2026, omraader[0], "loen", "110000.00"),
        (2025, omraader[0], "aktiviteter", "20000.50"),
        (2027, omraader[1], "evaluering", "5000.00"),
    ]:
        budget_actions.save_budget_line(
            version, aar, omraade, typer[kode], Decimal(beloeb), acting_user=medarbejder
        )
    goal = Maalsaetning.objects.create(
        indsats=plan.indsats,
        indikator=Indikator.objects.get(navn="Udsættelser pr. år"),
        indsatsomraade=omraader[1],
        baseline=Decimal("14"),
        baseline_aar=2024,
    )
    Maaltal.objects.create(maalsaetning=goal, aar=2025, maal=Decimal("12"), maalt=Decimal("11"))
    Maaltal.objects.create(maalsaetning=goal, aar=2026, maal=Decimal("10"))
    Maaltal.objects.create(maalsaetning=goal, aar=2027, maal=Decimal("9"))
    aktivitetstype = Aktivitetstype.objects.get(navn="Lektiecafé")
    aktivitetstype.maalgruppe = Maalgruppe.objects.get_or_create(navn="Børn i skolealderen")[0]
    aktivitetstype.save()
    aktivitet = Aktivitet.objects.create(
        indsats=plan.indsats,
        aktivitetstype=aktivitetstype,
        betegnelse="Lektiecafé i Ruten",
        indsatsomraade=omraader[0],
    )
    Deltagertal.objects.create(aktivitet=aktivitet, aar=2025, antal=40)
    Deltagertal.objects.create(aktivitet=aktivitet, aar=2026, antal=1045)
    for aar in range(2019, 2025):
        runde = make_round(aar)
        for index, afdeling in enumerate(afdelinger):
            figures = {**BAD_FIGURES, "uden_job_uddannelse_pct": 40 + aar - 2019 + index}
            measure(runde, afdeling, **figures)
    measure(make_round(2025, status="kladde"), afdelinger[0], **BAD_FIGURES)
    return plan


def html_of(plan, pakketype, afdeling=None) -> str:
    return documents.plan_source(plan, pakketype, afdeling).html


def pages_of(content: bytes) -> list[str]:
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


# --- UDKAST outside a pack's phase ------------------------------------------------------------------


def test_every_pack_type_has_a_phase_of_the_lifecycle():
    assert set(documents.PACK_PHASES) == set(Pakke.PLAN_TYPES)
    for phases in documents.PACK_PHASES.values():
        assert set(phases) <= set(lifecycle.STATE)


@pytest.mark.parametrize(
    ("pakketype", "tilstand", "draft"),
    [
        ("praekvalifikation", lifecycle.PRAEKVALIFIKATION_UDARBEJDES, False),
        ("praekvalifikation", lifecycle.AKTIV, True),
        ("helhedsplan", lifecycle.HELHEDSPLAN_UDARBEJDES, False),
        ("helhedsplan", lifecycle.PRAEKVALIFIKATION_UDARBEJDES, True),
        ("afdelingsmoede", lifecycle.AFDELINGSMOEDER, False),
        ("afdelingsmoede", lifecycle.GODKENDELSE, True),
        ("afslutning", lifecycle.AFSLUTNING, False),
        ("afslutning", lifecycle.AKTIV, True),
        ("aarsrapport", lifecycle.AKTIV, False),
        ("aarsrapport", lifecycle.IDE, True),
    ],
)
def test_a_pack_outside_its_phase_is_a_draft(plan, pakketype, tilstand, draft):
    plan.tilstand = tilstand
    reason = documents.draft_reason(plan, pakketype)
    assert bool(reason) is draft
    if draft:
        assert f"«{lifecycle.STATE[tilstand].label}»" in reason


def test_an_afslutningsrapport_of_an_active_plan_says_udkast_on_every_page(full_plan):
    place(full_plan, lifecycle.AKTIV, budget=False)
    rendered, _version = documents.render(full_plan, "afslutning", today=TODAY)
    pages = pages_of(rendered.content)
    assert len(pages) > 1
    assert all("UDKAST" in page for page in pages)
    assert "Afslutningsrapport hører til fasen «Afslutning» eller «Afsluttet»" in pages[0]


def test_a_pack_in_its_phase_has_no_draft_mark_and_a_phase_change_makes_a_new_version(full_plan):
    place(full_plan, lifecycle.AFSLUTNING, budget=False)
    source = documents.plan_source(full_plan, "afslutning")
    assert "UDKAST" not in source.html and "draft-mark" not in source.html
    place(full_plan, lifecycle.AKTIV, budget=False)
    draft = documents.plan_source(full_plan, "afslutning")
    assert 'class="draft-mark"' in draft.html
    assert draft.version != source.version


def test_ordering_a_pack_outside_its_phase_warns_that_it_is_a_draft(client_as, medarbejder, plan):
    url = reverse("plan_pack_order", args=[plan.pk])
    response = client_as(medarbejder).post(url, {"pakketype": "afslutning"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert "alert-warning" in page and "Afslutningsrapport hører til fasen" in page
    assert "Dokumentet er et udkast." in page


# --- Layout: chapters share pages, headings keep with what follows ----------------------------------


def test_short_chapters_share_a_page_and_headings_keep_with_their_content(full_plan):
    place(full_plan, lifecycle.HELHEDSPLAN_UDARBEJDES, budget=False)
    rendered, _version = documents.render(full_plan, "helhedsplan", today=TODAY)
    pages = pages_of(rendered.content)
    assert not any("UDKAST" in page for page in pages)
    page_of = {
        heading: next(n for n, page in enumerate(pages) if re.search(rf"^{heading}$", page, re.MULTILINE))
        for heading in ("1 Resumé", "2 Baggrund og analyse", "5 Organisering", "6 Budget", "7 Finansiering")
    }
    # Resumé and the analysis start on the same page, as do the short chapters 5-7 (in pairs at least).
    assert page_of["1 Resumé"] == page_of["2 Baggrund og analyse"]
    assert (
        page_of["5 Organisering"] == page_of["6 Budget"] or page_of["6 Budget"] == page_of["7 Finansiering"]
    )
    # Each chapter heading is on the page that holds the start of its content.
    assert "Kort organisering." in pages[page_of["5 Organisering"]]
    assert "Budget pr. år, indsatsområde og omkostningstype" in pages[page_of["6 Budget"]]
    assert "Finansiering pr. part" in pages[page_of["7 Finansiering"]]


def test_the_print_css_lets_chapters_share_pages_and_keeps_headings_with_what_follows():
    from django.contrib.staticfiles import finders

    css = open(finders.find("css/pdf.css"), encoding="utf-8").read()  # noqa: SIM115
    assert re.search(r"\.chapter \{[^}]*break-before: auto", css)
    for heading in ("h1", "h2", "h3"):
        assert re.search(rf"^{heading} \{{[^}}]*break-after: avoid", css, re.MULTILINE)
    assert re.search(r"\.table-title \{[^}]*break-after: avoid", css)


# --- Goals, budget and activities -------------------------------------------------------------------


def test_goals_are_a_table_of_targets_per_year_under_their_indsatsomraade(full_plan):
    html = html_of(full_plan, "helhedsplan")
    omraader = list(full_plan.indsats.periode.indsatsomraader.order_by("sortering"))
    assert f"4.1 {omraader[0].navn}" in html and f"4.2 {omraader[1].navn}" in html
    goals = html[html.index('<table class="goals">') :]
    goals = goals[: goals.index("</table>")]
    assert re.findall(r"Mål (\d{4})", goals) == ["2025", "2026", "2027"]
    cells = re.findall(r'<td class="num">(.*?)</td>', goals)
    assert cells[0].startswith("14") and "(2024)" in cells[0]  # the baseline and its year
    assert cells[1].startswith("12") and "målt 11" in cells[1]
    assert cells[2:] == ["10", "9"]


def test_the_budget_is_one_table_by_year_omraade_and_cost_type_with_every_sum(full_plan):
    financing = indsats_finansiering(full_plan.indsats)
    table = documents.budget_table(financing.version, [2025, 2026, 2027])
    first, second = table.groups
    assert [row.navn for row in first.rows] == ["Løn", "Aktiviteter"]
    assert first.rows[0].amounts == [Decimal("100000.00"), Decimal("110000.00"), Decimal("0.00")]
    assert first.amounts == [Decimal("120000.50"), Decimal("110000.00"), Decimal("0.00")]
    assert [row.navn for row in second.rows] == ["Evaluering"] and second.total == Decimal("5000.00")
    assert table.totals == [Decimal("120000.50"), Decimal("110000.00"), Decimal("5000.00")]
    assert table.total == Decimal("235000.50")
    html = html_of(full_plan, "helhedsplan")
    budget = html[html.index('<table class="money budget">') :]
    budget = budget[: budget.index("</table>")]
    assert re.findall(r'<th class="num">(\d{4})</th>', budget) == ["2025", "2026", "2027"]
    assert "Løn" in budget and "Evaluering" in budget and f"I alt, {first.navn}" in budget
    assert "235.000,50 kr." in budget


def test_activities_show_target_group_and_participants_per_year(full_plan):
    html = html_of(full_plan, "helhedsplan")
    activities = html[html.index('<table class="dense activities">') :]
    activities = activities[: activities.index("</table>")]
    assert "Lektiecafé i Ruten" in activities and "Børn i skolealderen" in activities
    assert "Deltagere pr. år" in activities
    assert re.findall(r'<td class="num">(.*?)</td>', activities) == ["40", "1.045", "–"]
    material = html_of(full_plan, "afdelingsmoede", full_plan.indsats.afdelinger.first())
    assert (
        "Lektiecafé i Ruten" in material
        and "for børn i skolealderen, op til 1.045 deltagere om året" in material
    )


# --- Trends in the challenges chapter ---------------------------------------------------------------


def test_trends_cover_the_last_five_final_rounds_with_the_official_limits(full_plan):
    afdelinger = list(full_plan.indsats.afdelinger.order_by("nummer"))
    latest = Screeningsrunde.objects.get(aar=2024)
    result = trends(latest, afdelinger)
    assert result.years == [2020, 2021, 2022, 2023, 2024]  # not 2019 (six back), not the draft 2025
    by_code = {t.indikator.kode: t for t in result.trends}
    a = by_code["uden_job_uddannelse_pct"]
    assert a.values == [[41.0, 42.0, 43.0, 44.0, 45.0], [42.0, 43.0, 44.0, 45.0, 46.0]]
    assert [(t.label, t.value) for t in a.thresholds] == [
        ("Udsat", Decimal("40.00")),
        ("Forebyggelse", Decimal("30.00")),
    ]
    # B is a multiple of the round's national share; small counts are never drawn.
    assert [t.value for t in by_code["domfaeldte_pct"].thresholds] == [Decimal("3.0000"), Decimal("2.0000")]
    assert by_code["udsaettelser_antal"].values == [[None] * 5, [None] * 5]
    assert "restancer_antal" in by_code and by_code["restancer_antal"].thresholds == []


def test_the_challenges_chapter_draws_a_trend_chart_per_indicator(full_plan):
    for pakketype, chapter in (("helhedsplan", 'id="analyse"'), ("praekvalifikation", 'id="udfordringer"')):
        html = html_of(full_plan, pakketype)
        section = html[html.index(chapter) :]
        section = section[: section.index("</section>")]
        assert "Udviklingen 2020–2024" in section
        charts_drawn = section.count('<figure class="chart trend">')
        assert charts_drawn == len(
            trends(Screeningsrunde.objects.get(aar=2024), full_plan.indsats.afdelinger.all()).trends
        )
        assert "71-01 Østergården" in section  # the legend
        assert "<script" not in html


def test_a_trend_chart_has_straight_lines_a_zero_axis_for_shares_and_the_thresholds():
    svg = charts.trend_chart(
        "A",
        "desc",
        [2020, 2021, 2022],
        [[41.0, None, 45.0], [42.0, 43.0, 44.0]],
        [("40 %", 40.0)],
        lambda v: f"{v:g}",
        zero_based=True,
        whole=False,
    )
    assert "<path" not in svg and svg.count("<polyline") == 1  # the first line is broken by its gap
    assert svg.count("<circle") == 2  # the first line's two figures between gaps are dots
    assert ">0</text>" in svg and ">50</text>" in svg  # from 0 to a round number above 45
    assert 'stroke-dasharray="2 2"' in svg and ">40 %</text>" in svg
    counts = charts.trend_chart("n", "d", [2020, 2021], [[3.0, 7.0]], [], str, zero_based=True, whole=True)
    assert ">4.0</text>" in counts and ">2.5</text>" not in counts  # a count's gridlines are whole


# --- Download names ---------------------------------------------------------------------------------


def test_download_names_are_built_from_the_plan_title_and_the_pack_type(full_plan):
    afdeling = full_plan.indsats.afdelinger.order_by("nummer").first()
    assert Pakke(plan=full_plan, pakketype="helhedsplan").filename == (
        "helhedsplan-tingbjerg-utterslevhuse-2025-helhedsplan.pdf"
    )
    assert Pakke(plan=full_plan, pakketype="afdelingsmoede", afdeling=afdeling).filename == (
        "helhedsplan-tingbjerg-utterslevhuse-2025-71-01-oestergaarden-afdelingsmoede.pdf"
    )
    assert Pakke(plan=full_plan, pakketype="aarsrapport", aar=2026).filename == (
        "helhedsplan-tingbjerg-utterslevhuse-2025-aarsrapport-2026.pdf"
    )


def test_the_download_header_carries_the_ascii_name_and_the_utf8_name(client_as, medarbejder, full_plan):
    pakke = Pakke.objects.create(
        plan=full_plan, pakketype="praekvalifikation", status=Pakke.Status.DONE, data_version="v1"
    )
    pakke.fil.save("p.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    response = client_as(medarbejder).get(reverse("plan_pack_download", args=[full_plan.pk, pakke.pk]))
    name = "helhedsplan-tingbjerg-utterslevhuse-2025-praekvalifikation.pdf"
    assert response["Content-Disposition"] == f"attachment; filename=\"{name}\"; filename*=UTF-8''{name}"


def test_a_danish_name_goes_out_as_ascii_and_as_utf8():
    assert slug("Ærø, Åbyhøj & Søborg") == "aeroe-aabyhoej-soeborg"
    header = attachment_header("Kommunens anbefaling «Nørrebro».pdf")
    ascii_part, utf8_part = header.split("; filename*=")
    assert ascii_part == 'attachment; filename="kommunens-anbefaling-noerrebro.pdf"'
    assert utf8_part == "UTF-8''" + quote("Kommunens anbefaling «Nørrebro».pdf", safe="")
    assert header.isascii()
