"""Staff import figures through the upload page and read the overview; decisions; a board member's view."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, login, screenshot
from tests.factories import (
    AfdelingFactory,
    BestyrelsesmedlemFactory,
    OmraadeFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.screening.screening_data import BAD_FIGURES, CALM_FIGURES, make_round, measure

FIGURES = (
    "organisation;afdeling_nr;beboere;uden_job_uddannelse_pct;domfaeldte_pct;kun_grundskole_pct;"
    "indkomst_pct_region;ikke_vestlige_pct;fraflytning_pct;udsaettelser_antal\n"
    "fsb;01-10;640;46,2;3,4;63;50;61;17,5;3\n"
    "fsb;01-13;520;44,8;3,1;61,5;53;58;15;6\n"
    "fsb;04-10;700;18;0,8;33;84;20;7,5;0\n"
)


# Tests name their data fixtures before `page`: set up after the browser has started, database code runs in
# another context with its own connection object, which lacks the serialized reference data (indicators,
# rule sets, groups) that the serialized rollback restores.


@pytest.fixture
def register(db):
    fsb = OrganisationFactory(navn="fsb")
    tingbjerg = OmraadeFactory(navn="Tingbjerg")
    bellahoej = OmraadeFactory(navn="Bellahøj")
    own = AfdelingFactory(organisation=fsb, nummer="01-10", navn="Lærkehaven", boligomraade=tingbjerg)
    AfdelingFactory(organisation=fsb, nummer="01-13", navn="Bøgebakken", boligomraade=tingbjerg)
    AfdelingFactory(organisation=fsb, nummer="04-10", navn="Egelunden", boligomraade=bellahoej)
    UserFactory(username="medarbejder", role="medarbejder")
    board = UserFactory(username="bestyrelse", role="afdelingsbestyrelse")
    BestyrelsesmedlemFactory(user=board, afdeling=own)
    return own


def test_staff_import_a_file_and_read_the_overview(register, page):
    login(page, "medarbejder")
    page.click("nav >> text=Screening")
    page.wait_for_selector("text=ingen screeningsrunder")
    page.click("text=Importér tal")
    page.set_input_files(
        "#id_fil",
        files=[{"name": "screening-2024.csv", "mimeType": "text/csv", "buffer": FIGURES.encode("utf-8")}],
    )
    page.fill("#id_aar", "2024")
    page.fill("#id_landsgennemsnit", "1,05")
    assert axe_violations(page) == []
    page.click("button:has-text('Indlæs fil')")
    page.wait_for_url("**/screening/?aar=2024")
    expect(page.locator("body")).to_contain_text("Screeningstallene for 2024 er indlæst: 24 oprettet")
    rows = page.locator("#screening-results tbody tr")
    expect(rows).to_have_count(3)
    # Sorted by risk, highest first; Tingbjerg's two afdelinger make a parallelsamfund (A, B, C, D met).
    expect(rows.first).to_contain_text("Lærkehaven")
    expect(rows.first).to_contain_text("Parallelsamfund")
    expect(rows.last).to_contain_text("Ingen")
    assert axe_violations(page) == []
    screenshot(page, "screening-overview")

    page.select_option("#id_klassifikation", "ingen")
    page.wait_for_url("**klassifikation=ingen**")
    expect(page.locator("#screening-results tbody tr")).to_have_count(1)
    expect(page.locator("#screening-results tbody tr").first).to_contain_text("Egelunden")

    page.click("#screening-results >> text=Egelunden")
    page.wait_for_selector("h1:has-text('Screening af Egelunden')")
    # The charts are drawn by a deferred script once the page has loaded.
    page.locator(".screening-chart canvas").nth(4).wait_for()
    assert axe_violations(page) == []
    screenshot(page, "screening-afdeling")


@pytest.fixture
def screened(register):
    runde = make_round(2024)
    measure(runde, register, **BAD_FIGURES)
    measure(runde, register.__class__.objects.get(navn="Egelunden"), **CALM_FIGURES)
    return register


def test_staff_overrule_the_suggestion_in_place_and_read_the_area(screened, page):
    login(page, "medarbejder")
    page.goto(f"/screening/afdelinger/{screened.pk}/")
    page.click("text=Bekræft eller tilsidesæt forslaget")
    page.check("input[value=tilsidesat]")
    page.click("button:has-text('Gem beslutningen')")
    page.wait_for_selector("text=Skriv en begrundelse")
    page.check("input[value=tilsidesat]")
    page.select_option("#id_valgt_type", "udviklingsprojekt")
    page.fill("#id_begrundelse", "Et tryghedsprojekt med kommunen er allerede i gang.")
    page.click("button:has-text('Gem beslutningen')")
    page.wait_for_selector("text=Forslaget er tilsidesat: Lokalt udviklingsprojekt")
    assert "/vurdering/" not in page.url  # swapped in place
    assert axe_violations(page) == []

    page.click("text=Boligområdet Tingbjerg")
    expect(page.locator("table.screening-criteria")).to_contain_text("A. Andel 18-64-årige")
    assert axe_violations(page) == []
    screenshot(page, "screening-omraade")


def test_board_member_sees_own_afdeling_with_small_counts_hidden(screened, page):
    login(page, "bestyrelse")
    # Screening is not in a board member's shorter menu; the page answers them with their own afdelinger only.
    page.goto("/screening/")
    rows = page.locator("#screening-results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Lærkehaven")
    assert "Egelunden" not in page.content()
    page.click("#screening-results >> text=Lærkehaven")
    page.wait_for_selector("h1:has-text('Screening af Lærkehaven')")
    expect(page.locator("table").first).to_contain_text("< 5")
    expect(page.locator("text=Bekræft eller tilsidesæt forslaget")).to_have_count(0)
    assert axe_violations(page) == []


def test_staff_compute_the_round_under_a_scenario(screened, page):
    login(page, "medarbejder")
    page.goto("/screening/?aar=2024")
    page.select_option("#id_scenarie", "2021-uden-ikke-vestlige")
    page.wait_for_url("**scenarie=2021-uden-ikke-vestlige**")
    rows = page.locator("#screening-results tbody tr")
    expect(rows).to_have_count(3)
    expect(page.locator("#screening-results")).to_contain_text("1 område i listen ændrer klasse")
    expect(rows.filter(has_text="Lærkehaven")).to_contain_text("ændres i scenariet")
    expect(rows.filter(has_text="Egelunden")).to_contain_text("uændret")
    page.check("#id_kun_aendrede")
    page.wait_for_url("**kun_aendrede=on**")
    expect(rows).to_have_count(2)  # Tingbjerg's two afdelinger
    expect(rows.filter(has_text="Egelunden")).to_have_count(0)
    assert axe_violations(page) == []
    screenshot(page, "screening-scenario")

    page.click("#screening-results >> text=Tingbjerg")
    page.wait_for_selector("h1:has-text('Tingbjerg')")
    page.select_option("#id_scenarie", "2021-uden-ikke-vestlige")
    page.click("button:has-text('Beregn')")
    expect(page.locator(".screening-scenario")).to_contain_text("Ændres i scenariet")
    assert axe_violations(page) == []
