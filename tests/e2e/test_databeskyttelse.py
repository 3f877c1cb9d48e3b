"""The administrator finds a person on Databeskyttelse, reads the retention rules and erases the person after
typing their user name; axe-core finds nothing serious on either page."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, login, screenshot
from tests.factories import BestyrelsesmedlemFactory, UserFactory


@pytest.fixture
def people(db):
    UserFactory(username="administrator", role="administrator")
    member = UserFactory(username="karen", first_name="Karen", last_name="Kofoed", role="afdelingsbestyrelse")
    BestyrelsesmedlemFactory(user=member)
    return member


def test_the_administrator_erases_a_board_member(page, people):
    login(page, "administrator")
    page.click(".app-user >> text=Databeskyttelse")
    expect(page.locator("h1")).to_have_text("Databeskyttelse")
    page.fill("#id_q", "kofoed")
    page.click("button:has-text('Søg')")
    row = page.locator("tbody tr", has_text="karen")
    expect(row).to_have_count(1)
    assert axe_violations(page) == []
    screenshot(page, "databeskyttelse")

    row.locator("text=Slet").click()
    expect(page.locator("h1")).to_have_text("Slet Karen Kofoed")
    page.fill("#id_brugernavn", "karen")
    page.fill("#id_begrundelse", "Anmodning om sletning modtaget.")
    assert axe_violations(page) == []
    page.click("button:has-text('Slet personen')")

    expect(page.locator("text=Anonymiseret person #")).to_have_count(1)
    expect(page.locator("h1")).to_have_text("Databeskyttelse")
    assert "Sletning af en person" in page.content()
