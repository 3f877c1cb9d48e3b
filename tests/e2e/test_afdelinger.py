"""Each role logs in, filters the afdeling list, opens a detail page; axe-core finds nothing serious."""

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import axe_violations, login, screenshot
from tests.factories import AfdelingFactory, BestyrelsesmedlemFactory, OmraadeFactory, UserFactory


@pytest.fixture
def register(db):
    husum = OmraadeFactory(navn="Husum")
    tingbjerg = OmraadeFactory(navn="Tingbjerg")
    own = AfdelingFactory(navn="Lærkehaven", bydel="Brønshøj-Husum", boligomraade=tingbjerg)
    AfdelingFactory(navn="Bøgebakken", bydel="Brønshøj-Husum", boligomraade=husum)
    AfdelingFactory(navn="Egelunden", bydel="Bispebjerg", boligomraade=husum)
    for role in ("medarbejder", "sekretariat", "administrator"):
        UserFactory(username=role, role=role)
    board = UserFactory(username="bestyrelse", role="afdelingsbestyrelse")
    BestyrelsesmedlemFactory(user=board, afdeling=own)


@pytest.mark.parametrize("username", ["medarbejder", "sekretariat", "administrator"])
def test_staff_roles_filter_list_and_open_detail(page, register, username):
    login(page, username)
    page.click("nav >> text=Afdelinger")
    page.select_option("#id_bydel", "Bispebjerg")
    page.wait_for_url("**bydel=Bispebjerg**")
    rows = page.locator("#afdeling-results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Egelunden")
    assert axe_violations(page) == []
    page.click("text=Egelunden")
    page.wait_for_selector("h1:has-text('Egelunden')")
    assert axe_violations(page) == []
    screenshot(page, f"afdeling-detail-{username}")


def test_search_updates_in_place_and_url_is_shareable(page, register):
    login(page, "medarbejder")
    page.goto("/afdelinger/")
    page.fill("#id_q", "bøge")
    page.wait_for_url("**q=b%C3%B8ge**")
    expect(page.locator("#afdeling-results tbody tr")).to_have_count(1)
    page.goto(page.url)
    expect(page.locator("#afdeling-results tbody tr")).to_have_count(1)


def test_board_member_sees_only_own_afdeling(page, register):
    login(page, "bestyrelse")
    expect(page.locator("text=Lærkehaven").first).to_be_visible()
    page.click("nav >> text=Mine afdelinger")
    page.wait_for_url("**/afdelinger/**")
    rows = page.locator("#afdeling-results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Lærkehaven")
    body = page.content()
    assert "Bøgebakken" not in body and "Egelunden" not in body
    assert axe_violations(page) == []
    page.click("#afdeling-results >> text=Lærkehaven")
    page.wait_for_selector("h1:has-text('Lærkehaven')")
    screenshot(page, "afdeling-detail-bestyrelse")


def test_login_page_is_accessible(page, register):
    page.goto("/accounts/login/")
    assert axe_violations(page) == []
