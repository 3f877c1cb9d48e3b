"""The administrator finds a person on Databeskyttelse, reads the retention rules and erases the person after
typing their user name, and erases a contact person without an account after reading what goes; axe-core finds
nothing serious on any of the pages."""

from datetime import date

import pytest
from playwright.sync_api import expect

from indsatser.models import Kontaktperson
from tests.e2e.conftest import axe_violations, login, screenshot
from tests.factories import AfdelingFactory, BestyrelsesmedlemFactory, UserFactory


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
    screenshot(page, "databeskyttelse-slet-uden-konto")
    page.click("button:has-text('Slet personen')")

    expect(page.locator("text=Anonymiseret person #")).to_have_count(1)
    expect(page.locator("h1")).to_have_text("Databeskyttelse")
    assert "Sletning af en person" in page.content()


def test_the_administrator_erases_a_contact_person_without_an_account(page, people):
    Kontaktperson.objects.create(
        afdeling=AfdelingFactory(navn="Kofoedparken"),
        navn="Karen Kofoed",
        rolle="Socialrådgiver",
        email="karen.kofoed@kommune.dk",
        fra_dato=date(2024, 1, 1),
    )
    login(page, "administrator")
    page.goto("/databeskyttelse/?q=kofoed")
    table = page.locator("table", has_text="Personer uden brugerkonto")
    row = table.locator("tbody tr", has_text="karen.kofoed@kommune.dk")
    expect(row).to_have_count(1)

    row.locator("text=Slet").click()
    expect(page.locator("h1")).to_have_text("Slet Karen Kofoed")
    expect(page.locator("table", has_text="Kontaktpersoner")).to_contain_text("Kofoedparken")
    page.fill("#id_begrundelse", "Anmodning om sletning modtaget.")
    assert axe_violations(page) == []
    screenshot(page, "databeskyttelse-slet-uden-konto")
    page.click("button:has-text('Slet personen')")

    expect(page.locator("h1")).to_have_text("Databeskyttelse")
    expect(page.locator("text=Personen er slettet")).to_have_count(1)
    assert Kontaktperson.objects.get().navn.startswith("Anonymiseret person #")
