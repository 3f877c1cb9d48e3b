"""A staff member creates a lokalt udviklingsprojekt, adds activities in place, takes it through its
lifecycle and closes it once every criterion is assessed and every activity anchored; a board member
reads it. axe-core finds nothing serious on the way."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, login, screenshot
from tests.factories import AfdelingFactory, BestyrelsesmedlemFactory, OmraadeFactory, UserFactory


@pytest.fixture
def register(db):
    urbanplanen = OmraadeFactory(navn="Urbanplanen")
    own = AfdelingFactory(navn="Hørgården", boligomraade=urbanplanen)
    AfdelingFactory(navn="Lergravsparken", boligomraade=urbanplanen)
    UserFactory(username="medarbejder", role="medarbejder", first_name="Mette", last_name="Kragelund")
    board = UserFactory(username="bestyrelse", role="afdelingsbestyrelse")
    BestyrelsesmedlemFactory(user=board, afdeling=own)


def add_activity(page, catalogue_name, local_name, participants):
    details = page.locator("#aktiviteter details.indsatser-new")
    if details.get_attribute("open") is None:
        details.locator("summary").click()
    option = page.locator("#id_ny-aktivitetstype option", has_text=catalogue_name).first
    page.select_option("#id_ny-aktivitetstype", option.get_attribute("value"))
    page.fill("#id_ny-betegnelse", local_name)
    page.fill("#id_ny-deltagere_2026", str(participants))
    page.click("#aktiviteter form button:has-text('Tilføj aktivitet')")
    expect(page.locator("#aktiviteter tbody")).to_contain_text(local_name)


def fire(page, label):
    page.click(f"#overblik a:has-text('{label}')")
    page.wait_for_selector("#overgang-heading")
    page.click(f"#indsats-handling button:has-text('{label}')")
    page.wait_for_load_state("load")


def test_create_udviklingsprojekt_add_activities_and_close_it(page, register):
    login(page, "medarbejder")
    page.click("nav >> text=Indsatser")
    page.click("text=Opret indsats")
    page.fill("#id_titel", "Tryghedspartnerskab Urbanplanen")
    page.select_option("#id_type", label="Lokalt udviklingsprojekt")
    page.fill("#id_startdato", "2026-01-01")
    page.fill("#id_slutdato", "2027-12-31")
    # The afdelinger are found by a search on the server as one types; a ticked one stays in view.
    choices = page.locator("#id_afdelinger_choices")
    expect(choices).to_contain_text("Ingen afdelinger valgt")
    page.fill("#id_afdelinger_soeg", "hørg")
    expect(choices.locator("label:has-text('Hørgården')")).to_be_visible()
    expect(choices.locator("label:has-text('Lergravsparken')")).to_have_count(0)
    page.click("label:has-text('Hørgården')")
    page.fill("#id_afdelinger_soeg", "lergrav")
    expect(choices.locator("label:has-text('Lergravsparken')")).to_be_visible()
    expect(choices.locator("input:checked + label")).to_have_text(re.compile("Hørgården"))
    page.click("label:has-text('Styrke naboskab og sammenhængskraft')")
    assert axe_violations(page) == []
    page.click("button:has-text('Gem')")
    page.wait_for_selector("h1:has-text('Tryghedspartnerskab Urbanplanen')")

    add_activity(page, "Tryghedsvandringer", "Tryghedsvandring i gårdene", 40)
    add_activity(page, "Børne- og ungeråd", "Ungerådet", 12)
    expect(page.locator("#aktiviteter tbody tr")).to_have_count(2)

    fire(page, "Registrér behandling på afdelingsmøde")
    expect(page.locator(".app-page-head")).to_contain_text("Behandlet på afdelingsmøde")
    fire(page, "Start indsatsen")
    expect(page.locator(".app-page-head")).to_contain_text("Aktiv")

    for index in range(5):
        page.locator(".indsatser-criterion").nth(index).locator("label:has-text('Opfyldt')").first.click()
        page.locator(".indsatser-criterion").nth(index).locator("textarea").fill(
            f"Vurderet af styregruppen ud fra målopfølgningen ({index})."
        )
    page.click("button:has-text('Gem vurderingerne')")
    expect(page.locator("#afslutning-mangler")).to_contain_text("Aktiviteten »Ungerådet« mangler")

    # Closing is refused while an activity has no forankring decision.
    page.click("#afslutning a:has-text('Afslut indsatsen')")
    expect(page.locator(".alert-error")).to_contain_text("mangler en forankringsbeslutning")
    page.go_back()

    for name, decision, who in [
        ("Tryghedsvandring i gårdene", "kommune", "Teknik- og Miljøforvaltningen"),
        ("Ungerådet", "ophoerer", ""),
    ]:
        page.click(f"#afslutning a:has-text('Angiv'):has(span:text-is(' forankring af {name}'))")
        row = page.locator("#afslutning .indsatser-edit-row")
        row.locator("select").select_option(decision)
        if who:
            row.locator("input[name$='forankring_hvem']").fill(who)
        row.locator("input[type=date]").fill("2027-12-31")
        row.locator("button:has-text('Gem forankring')").click()
        expect(page.locator("#afslutning .indsatser-edit-row")).to_have_count(0)
    expect(page.locator("#afslutning-mangler")).to_contain_text("Tjeklisten er komplet")

    page.click("#afslutning a:has-text('Afslut indsatsen')")
    page.click("button:has-text('Afslut indsatsen')")
    page.wait_for_selector("text=Indsatsen blev afsluttet")
    expect(page.locator("#afslutning")).to_contain_text("Mette Kragelund")
    expect(page.locator("#historik")).to_contain_text("Status: Aktiv → Afsluttet")
    assert axe_violations(page) == []
    screenshot(page, "indsats-afsluttet")


def test_board_member_reads_own_indsats(page, register):
    from screening.models import Afdeling
    from tests.indsatser.factories import active_indsats

    active_indsats(titel="Ungeindsats Hørgården", afdelinger=[Afdeling.objects.get(navn="Hørgården")])
    active_indsats(titel="Lergravsparken alene", afdelinger=[Afdeling.objects.get(navn="Lergravsparken")])
    login(page, "bestyrelse")
    # The register is not in a board member's menu (they reach indsatser from their afdelinger), but it
    # answers them with their own afdelinger's indsatser only.
    page.goto("/indsatser/")
    expect(page.locator("#indsats-results tbody tr")).to_have_count(1)
    assert "Lergravsparken alene" not in page.content()
    page.click("text=Ungeindsats Hørgården")
    page.wait_for_selector("h1:has-text('Ungeindsats Hørgården')")
    expect(page.locator("text=Tilføj aktivitet")).to_have_count(0)
    assert axe_violations(page) == []


def test_goal_with_chart_and_period_bound_indsatsomraader(page, register):
    from datetime import date

    from indsatser.models import Finansieringsperiode
    from screening.models import Afdeling
    from tests.indsatser.factories import active_indsats

    indsats = active_indsats(
        titel="Helhedsplan Urbanplanen",
        afdelinger=[Afdeling.objects.get(navn="Hørgården")],
        startdato=date(2025, 1, 1),
        slutdato=date(2027, 12, 31),
        periode=Finansieringsperiode.objects.get(navn="2019-26"),
    )
    login(page, "medarbejder")
    page.goto(f"/indsatser/{indsats.pk}/rediger/")
    expect(page.locator("label:text-is('Beskæftigelse')")).to_be_visible()
    expect(page.locator("label:has-text('Tryghed og trivsel')")).to_be_hidden()
    page.select_option("#id_periode", label="Landsbyggefonden 2015-18")
    expect(page.locator("label:has-text('Tryghed og trivsel')")).to_be_visible()
    expect(page.locator("label:text-is('Beskæftigelse')")).to_be_hidden()

    page.goto(f"/indsatser/{indsats.pk}/")
    page.click("#maal summary:has-text('Tilføj mål')")
    option = page.locator("#id_nytmaal-indikator option", has_text="Udsættelser pr. år").first
    page.select_option("#id_nytmaal-indikator", option.get_attribute("value"))
    page.fill("#id_nytmaal-baseline", "14")
    page.fill("#id_nytmaal-baseline_aar", "2024")
    page.click("#maal button:has-text('Tilføj mål')")
    # htmx wires up the links of what it swaps in only once the swap has settled; a click before that follows
    # the link as a plain page load, which can land after the form below is filled and empty it again.
    expect(page.locator("#maal a:has-text('Redigér mål og målinger')")).to_be_visible()
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    page.click("#maal a:has-text('Redigér mål og målinger')")
    # The form is swapped in by htmx: fill it only once it has settled, and check what it holds before saving.
    expect(page.locator("#maal button:has-text('Gem målet')")).to_be_visible()
    page.wait_for_load_state("networkidle")
    typed = {"maal_2025": "12", "maalt_2025": "11,5", "maal_2026": "10"}
    for name, value in typed.items():
        page.fill(f"input[name$='{name}']", value)
    for name, value in typed.items():
        expect(page.locator(f"input[name$='{name}']")).to_have_value(value)
    page.click("#maal button:has-text('Gem målet')")
    expect(page.locator("#maal table")).to_contain_text("11,5")
    expect(page.locator("#maal")).to_contain_text("Målet er nået")
    # The chart is drawn by a deferred script, which may run after the table is already on the page.
    page.wait_for_function("() => Boolean(window.Chart?.getChart(document.querySelector('#maal canvas')))")
    assert axe_violations(page) == []
    screenshot(page, "indsats-maal")
