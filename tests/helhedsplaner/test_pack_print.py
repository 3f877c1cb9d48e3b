"""Print quality of the packs: A4, shipped fonts, metadata, Danish formats, tables inside the margins,
charts as accessible SVG, and uploaded PDF appendices merged at the end."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader
from weasyprint import HTML

from config.web.formatting import figure
from finansiering import actions as budget_actions
from finansiering.models import Omkostningstype
from helhedsplaner import charts
from helhedsplaner.models import Bilag
from helhedsplaner.packs import documents
from helhedsplaner.packs.pdf import STATIC_PREFIX, StaticFilesFetcher, html_to_pdf
from indsatser.models import Finansieringsperiode, Indikator, Maalsaetning, Maaltal
from screening import options
from tests.factories import AfdelingFactory, HelhedsplanFactory
from tests.screening.screening_data import BAD_FIGURES, make_round, measure

A4 = (595.28, 841.89)  # points
TODAY = date(2026, 11, 26)


pytestmark = pytest.mark.usefixtures("private_storage")  # packs are stored in a temporary folder


@pytest.fixture
def wide_plan(db, medarbejder):
    """Seven screened afdelinger, a budget over two years and a goal with targets and a measurement."""
    periode = Finansieringsperiode.objects.get(navn="2019-26")
    afdelinger = [AfdelingFactory(nummer=f"70-{n:02d}", navn=f"Bredegården {n}") for n in range(7)]
    plan = HelhedsplanFactory(
        indsats__titel="Helhedsplan Bredegården",
        indsats__afdelinger=afdelinger,
        indsats__ansvarlig=medarbejder,
        indsats__startdato=date(2025, 1, 1),
        indsats__slutdato=date(2026, 12, 31),
        indsats__periode=periode,
    )
    runde = make_round(2025)
    for afdeling in afdelinger:
        measure(runde, afdeling, **BAD_FIGURES)
    omraade = periode.indsatsomraader.order_by("sortering").first()
    typer = {t.kode: t for t in Omkostningstype.objects.all()}
    version = budget_actions.create_version(plan.indsats, "praekvalifikation", acting_user=medarbejder)
    budget_actions.save_budget_line(
        version, 2025, omraade, typer["loen"], Decimal("1234567.89"), "Projektleder", acting_user=medarbejder
    )
    budget_actions.save_budget_line(
        version, 2026, omraade, typer["aktiviteter"], Decimal("500000.00"), acting_user=medarbejder
    )
    goal = Maalsaetning.objects.create(
        indsats=plan.indsats,
        indikator=Indikator.objects.first(),
        indsatsomraade=omraade,
        baseline=Decimal("20"),
        baseline_aar=2024,
    )
    Maaltal.objects.create(maalsaetning=goal, aar=2025, maal=Decimal("18"), maalt=Decimal("17.5"))
    Maaltal.objects.create(maalsaetning=goal, aar=2026, maal=Decimal("16"))
    return plan


def reader(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def text_of(pdf: PdfReader) -> str:
    return "\n".join(page.extract_text() for page in pdf.pages)


def fonts_of(pdf: PdfReader) -> set[str]:
    names = set()
    for page in pdf.pages:
        for font in page["/Resources"].get("/Font", {}).values():
            names.add(str(font.get_object()["/BaseFont"]))
    return names


@pytest.mark.parametrize("pakketype", ["praekvalifikation", "helhedsplan", "afdelingsmoede", "afslutning"])
def test_every_pack_is_a4_in_the_shipped_font_with_metadata(wide_plan, pakketype):
    afdeling = wide_plan.indsats.afdelinger.first() if pakketype == "afdelingsmoede" else None
    rendered, _version = documents.render(wide_plan, pakketype, afdeling, today=TODAY)
    pdf = reader(rendered.content)
    for page in pdf.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        assert size == pytest.approx(A4, abs=0.5) or size == pytest.approx(A4[::-1], abs=0.5)
    assert fonts_of(pdf) and all("IBM-Plex-Sans" in name for name in fonts_of(pdf))
    assert pdf.metadata.title.endswith("Helhedsplan Bredegården") or "Bredegården" in pdf.metadata.title
    assert pdf.metadata.author == "fsb"
    assert pdf.trailer["/Root"]["/Lang"] == "da"
    text = text_of(pdf)
    assert "26. november 2026" in text
    assert f"Side 2 af {rendered.pages}" in text


def test_money_and_figures_are_in_danish_formats(wide_plan):
    text = text_of(reader(documents.render(wide_plan, "helhedsplan", today=TODAY)[0].content))
    assert "1.234.567,89" in text
    assert "1.734.567,89 kr." in text
    assert [figure(Decimal(v)) for v in ("1050", "12.50", "-1234.5")] == ["1.050", "12,5", "\u22121.234,5"]


def test_the_table_of_contents_has_page_numbers(wide_plan):
    pdf = reader(documents.render(wide_plan, "helhedsplan", today=TODAY)[0].content)
    toc = pdf.pages[1].extract_text()
    assert "Indhold" in toc
    # "1 Resumé ..... 3": every entry ends with the page it starts on.
    entries = [line for line in toc.splitlines() if line[:1].isdigit()]
    assert len(entries) == 10
    assert all(line.rstrip().split()[-1].isdigit() for line in entries)


def _overflowing_boxes(html: str) -> list[str]:
    """Boxes whose right edge lies past the page's right margin."""
    document = HTML(string=html, base_url=STATIC_PREFIX, url_fetcher=StaticFilesFetcher()).render()
    problems = []
    for number, page in enumerate(document.pages, 1):
        box = page._page_box
        limit = box.margin_width() - box.margin_right + 0.5
        stack = list(box.descendants())
        for child in stack:
            if getattr(child, "element_tag", "") in ("td", "th", "table") and child.width is not None:
                right = child.position_x + child.margin_width()
                if right > limit:
                    problems.append(
                        f"side {number}: <{child.element_tag}> slutter ved {right:.0f} > {limit:.0f}"
                    )
    return problems


def test_the_screening_figures_of_many_afdelinger_stay_inside_the_margins(wide_plan):
    html, _version = documents.pack_html(wide_plan, "praekvalifikation")
    assert html.count('class="figures"') == 2  # seven afdelinger: tables of five and two
    assert _overflowing_boxes(html.replace(documents.DATE_PLACEHOLDER, "26. november 2026")) == []


def test_the_applications_show_the_official_criteria_of_the_plans_areas(wide_plan):
    for pakketype in ("praekvalifikation", "helhedsplan"):
        html = documents.pack_html(wide_plan, pakketype)[0]
        assert "De officielle kriterier for boligområdet" in html
        assert html.count("<td>Parallelsamfund</td>") == 7  # each afdeling lies in an area of its own
    assert "De officielle kriterier" not in documents.pack_html(wide_plan, "afslutning")[0]


def test_charts_are_inline_svg_with_title_and_description(wide_plan):
    html, _version = documents.pack_html(wide_plan, "helhedsplan")
    assert "<script" not in html
    assert html.count('<svg class="chart"') == 2  # the budget and the goal
    assert "<title>Budget pr. år og indsatsområde</title>" in html
    assert "<desc>Budgettet pr. år: 2025: 1.234.568\u00a0kr.; 2026: 500.000\u00a0kr.</desc>" in html
    afslutning, _version = documents.pack_html(wide_plan, "afslutning")
    assert "mål 18, målt 17,5" in afslutning


def test_chart_text_is_escaped():
    svg = charts.bar_chart(
        'Titel <script>alert("x")</script> & co',
        "Beskrivelse <b>",
        [charts.Bar("<img src=x>", 3)],
        str,
    )
    assert "<script>" not in svg and "<img" not in svg and "<b>" not in svg
    assert "&lt;script&gt;" in svg and "&amp; co" in svg and "&lt;img src=x&gt;" in svg
    assert svg.startswith('<svg class="chart"') and 'role="img"' in svg


def add_bilag(plan, titel, filnavn, content: bytes) -> Bilag:
    return Bilag.objects.create(
        plan=plan,
        titel=titel,
        filnavn=filnavn,
        stoerrelse=len(content),
        fil=ContentFile(content, name=filnavn),
    )


def appendix_pdf(heading: str, pages: int = 1) -> bytes:
    body = "".join(f'<p style="break-before: page">{heading} side {n + 1}</p>' for n in range(pages))
    return html_to_pdf(f'<html lang="da"><body>{body}</body></html>')


def test_uploaded_pdfs_are_merged_at_the_end_and_counted(wide_plan):
    plain = documents.render(wide_plan, "praekvalifikation", today=TODAY)[0]
    add_bilag(wide_plan, "Kommunens anbefaling", "anbefaling.pdf", appendix_pdf("Anbefaling", pages=2))
    add_bilag(wide_plan, "Budgetark", "budget.xlsx", b"PK\x03\x04 ikke en pdf")
    add_bilag(wide_plan, "Samarbejdsaftale", "aftale.pdf", appendix_pdf("Aftale"))

    rendered, _version = documents.render(wide_plan, "praekvalifikation", today=TODAY)
    pdf = reader(rendered.content)
    main_pages = rendered.pages - 3
    assert rendered.pages == len(pdf.pages) == plain.pages + 3  # the Bilag chapter fits its page
    assert pdf.pages[main_pages].extract_text().strip() == "Anbefaling side 1"
    assert pdf.pages[-1].extract_text().strip() == "Aftale side 1"
    text = text_of(pdf)
    # The chapter lists the PDFs by name with the page each starts on; the spreadsheet is not a PDF.
    assert f"1 Kommunens anbefaling anbefaling.pdf 2 {main_pages + 1}" in text
    assert f"2 Samarbejdsaftale aftale.pdf 1 {main_pages + 3}" in text
    assert "Budgetark" not in text
    # Page numbers count the appendices; metadata and language survive the merge.
    assert f"Side 2 af {rendered.pages}" in text
    assert "Prækvalifikationsansøgning" in pdf.metadata.title and pdf.metadata.author == "fsb"
    assert pdf.trailer["/Root"]["/Lang"] == "da"
    assert [item.title for item in pdf.outline if not isinstance(item, list)][-2:] == [
        "Bilag 1: Kommunens anbefaling",
        "Bilag 2: Samarbejdsaftale",
    ]


def test_only_the_funders_packs_carry_the_appendices(wide_plan):
    add_bilag(wide_plan, "Kommunens anbefaling", "anbefaling.pdf", appendix_pdf("Anbefaling"))
    helhedsplan = text_of(reader(documents.render(wide_plan, "helhedsplan", today=TODAY)[0].content))
    afslutning = text_of(reader(documents.render(wide_plan, "afslutning", today=TODAY)[0].content))
    assert "Anbefaling side 1" in helhedsplan
    assert "Anbefaling side 1" not in afslutning


def test_a_changed_appendix_changes_the_data_version(wide_plan):
    before = documents.pack_html(wide_plan, "helhedsplan")[1]
    bilag = add_bilag(wide_plan, "Kommunens anbefaling", "anbefaling.pdf", appendix_pdf("Første udgave"))
    with_appendix = documents.pack_html(wide_plan, "helhedsplan")[1]
    closing_with_appendix = documents.pack_html(wide_plan, "afslutning")[1]
    bilag.fil.save("anbefaling.pdf", ContentFile(appendix_pdf("Anden udgave")), save=True)
    changed = documents.pack_html(wide_plan, "helhedsplan")[1]
    assert len({before, with_appendix, changed}) == 3
    # The closing report never carries appendices, so a new edition of one does not change it.
    assert documents.pack_html(wide_plan, "afslutning")[1] == closing_with_appendix


def test_an_unreadable_pdf_is_named_but_not_merged(wide_plan):
    add_bilag(wide_plan, "Ødelagt fil", "oedelagt.pdf", b"%PDF-1.4 afbrudt upload")
    rendered, _version = documents.render(wide_plan, "praekvalifikation", today=TODAY)
    text = text_of(reader(rendered.content))
    assert "Ødelagt fil" in text and "kunne ikke læses" in text
    assert f"Side 2 af {rendered.pages}" in text


def test_the_closing_report_judges_the_five_criteria(wide_plan):
    from indsatser.models import Afslutningsvurdering

    Afslutningsvurdering.objects.create(
        indsats=wide_plan.indsats,
        kriterium=Afslutningsvurdering.Kriterium.FORANKRING,
        opfyldt=True,
        begrundelse="Lektiecaféen fortsætter i foreningen.",
    )
    text = " ".join(
        text_of(reader(documents.render(wide_plan, "afslutning", today=TODAY)[0].content)).split()
    )
    assert "3 Afslutningskriterierne" in text
    assert "Lektiecaféen fortsætter i foreningen." in text and "Opfyldt" in text
    assert text.count("Ikke vurderet") == 4


def test_a_pack_runs_the_same_queries_however_big_the_plan(wide_plan, medarbejder, django_assert_num_queries):
    from helhedsplaner import lifecycle
    from indsatser.models import Aktivitet, Aktivitetstype
    from tests.helhedsplaner.conftest import place, vote

    place(wide_plan, lifecycle.AFDELINGSMOEDER)
    afdelinger = list(wide_plan.indsats.afdelinger.order_by("nummer"))
    vote(wide_plan, afdelinger[0], medarbejder, 30, 10)
    wide_plan.refresh_from_db()
    options.indicators()  # as in a worker that has drawn a pack before
    with django_assert_num_queries(PLAN_PACK_QUERIES):
        documents.plan_source(wide_plan, "helhedsplan")

    for afdeling in afdelinger[1:]:
        vote(wide_plan, afdeling, medarbejder, 25, 12)
    for aktivitetstype in Aktivitetstype.objects.all()[:6]:
        Aktivitet.objects.create(indsats=wide_plan.indsats, aktivitetstype=aktivitetstype)
    add_bilag(wide_plan, "Kommunens anbefaling", "anbefaling.pdf", appendix_pdf("Anbefaling"))
    wide_plan.refresh_from_db()
    with django_assert_num_queries(PLAN_PACK_QUERIES):
        documents.plan_source(wide_plan, "helhedsplan")


# indsats, PDF appendices, afdelinger; financing: budget version (with its total per year), its lines,
# fordelingsnøgle, parties, the kommune's uses, agreed shares, the afdelinger's bases; screening figures:
# round, measurements (the indicators are kept by screening.options); the areas' official criteria: rounds,
# rule set, indicators, risk models, their thresholds, measurements, residents, area names; the contact
# person; budget table; activities, their participants per year; goals, their targets; meetings with results;
# decisions, their conditions; the rounds of the trend charts (one round here: too few for a trend, so not
# their figures)
PLAN_PACK_QUERIES = 29
