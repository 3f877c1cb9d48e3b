"""Editing a budget in the browser: amounts save as they are typed, the totals follow in place, bad input
shows a Danish error in the cell; the financing chart draws; a board member only reads."""

import re
from datetime import date
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from finansiering import actions as budget_actions
from finansiering.models import Budgetlinje, Omkostningstype
from indsatser.models import Finansieringsperiode, Indsatstype
from tests.e2e.conftest import axe_violations, login, screenshot
from tests.factories import AfdelingFactory, BestyrelsesmedlemFactory, IndsatsFactory, UserFactory


@pytest.fixture
def budget(db):
    staff = UserFactory(username="medarbejder", role="medarbejder")
    own = AfdelingFactory(navn="Lærkehaven", lejemaal=300)
    board = UserFactory(username="bestyrelse", role="afdelingsbestyrelse")
    BestyrelsesmedlemFactory(user=board, afdeling=own)
    indsats = IndsatsFactory(
        titel="Helhedsplan Lærkehaven",
        type=Indsatstype.objects.get(kode=Indsatstype.HELHEDSPLAN),
        startdato=date(2025, 1, 1),
        slutdato=date(2026, 12, 31),
        periode=Finansieringsperiode.objects.get(navn="2019-26"),
        afdelinger=[own, AfdelingFactory(navn="Bøgebakken", lejemaal=100)],
    )
    version = budget_actions.create_version(indsats, "praekvalifikation", acting_user=staff)
    omraade = indsats.periode.indsatsomraader.order_by("sortering").first()
    loen = Omkostningstype.objects.get(kode="loen")
    budget_actions.save_budget_line(
        version,
        2025,
        omraade,
        Omkostningstype.objects.get(kode="aktiviteter"),
        Decimal(1000),
        acting_user=staff,
    )
    return {"indsats": indsats, "version": version, "omraade": omraade, "loen": loen}


def cell(budget, year, kode="loen"):
    type_pk = Omkostningstype.objects.get(kode=kode).pk
    return f"#in-c-{year}-{budget['omraade'].pk}-{type_pk}"


def test_editing_cells_updates_the_totals_in_place(page, budget):
    login(page, "medarbejder")
    page.goto(f"/indsatser/{budget['indsats'].pk}/budget/")
    omraade_pk, loen_pk = budget["omraade"].pk, budget["loen"].pk
    assert page.inner_text("#tot-all") == "1.000,00"

    page.fill(cell(budget, 2025), "100.000")
    page.keyboard.press("Tab")  # leaving the field saves it
    expect(page.locator("#tot-all")).to_have_text("101.000,00")
    assert page.inner_text(f"#tot-row-{omraade_pk}-{loen_pk}") == "100.000,00"
    assert page.inner_text("#tot-year-2025") == "101.000,00"
    assert page.inner_text("#tot-facts") == "101.000,00"
    assert page.input_value(cell(budget, 2025)) == "100.000,00"

    page.fill(cell(budget, 2026), "50000,5")
    page.keyboard.press("Enter")  # Enter saves and moves down the column, like a spreadsheet
    expect(page.locator("#tot-all")).to_have_text("151.000,50")
    assert page.evaluate("document.activeElement.id") == cell(budget, 2026, "aktiviteter")[1:]
    assert page.inner_text(f"#tot-blk-{omraade_pk}") == "151.000,50"
    assert page.inner_text(f"#tot-type-{loen_pk}") == "150.000,50"
    page.keyboard.press("ArrowUp")
    assert page.evaluate("document.activeElement.id") == cell(budget, 2026)[1:]

    page.fill(cell(budget, 2026), "mange penge")
    page.keyboard.press("Tab")
    page.wait_for_selector("text='mange penge' er ikke et beløb. Skriv fx 125.000,00.")
    assert page.inner_text("#tot-all") == "151.000,50"
    assert Budgetlinje.objects.get(version=budget["version"], aar=2026).beloeb == Decimal("50000.50")
    assert axe_violations(page) == []
    screenshot(page, "finansiering-budget")


def test_financing_page_draws_the_chart_beside_its_table(page, budget):
    login(page, "medarbejder")
    page.goto(f"/indsatser/{budget['indsats'].pk}/finansiering/")
    # Chart.js sets the canvas's size attributes when it has drawn.
    expect(page.locator("#finansiering-chart")).to_have_attribute("style", re.compile("height"))
    table = page.inner_text("#finansiering-table")
    assert "Landsbyggefonden" in table and "750,00" in table
    assert axe_violations(page) == []
    page.goto(f"/indsatser/{budget['indsats'].pk}/finansiering/afdelinger/")
    expect(page.locator("main")).to_contain_text("Lærkehaven")
    assert axe_violations(page) == []


def test_board_member_reads_without_inputs(page, budget):
    login(page, "bestyrelse")
    page.goto(f"/indsatser/{budget['indsats'].pk}/budget/")
    expect(page.locator("#budget-table input")).to_have_count(0)
    expect(page.locator("#tot-all")).to_have_text("1.000,00")
    page.goto(f"/indsatser/{budget['indsats'].pk}/finansiering/afdelinger/")
    body = page.content()
    assert "Lærkehaven" in body and "Bøgebakken" not in body
    assert axe_violations(page) == []
