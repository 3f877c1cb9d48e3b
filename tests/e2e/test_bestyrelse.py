"""An afdeling's board members in the browser: staff add one from the afdeling's page and see the card;
a board member reads the board; the login page leads to the password reset. At 1440 and 390 px the board
section and the login page fit the screen (no sideways scrolling), and so does a plan whose text and comments
hold a word longer than the screen; axe-core finds nothing serious."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from helhedsplaner import actions
from helhedsplaner.models import Besked
from tests.e2e.conftest import SCREENSHOTS, axe_violations, logged_in, login
from tests.factories import AfdelingFactory, BestyrelsesmedlemFactory, HelhedsplanFactory, UserFactory

WIDTHS = (1440, 390)


@pytest.fixture
def board(db):
    afdeling = AfdelingFactory(nummer="01-52", navn="Lærkehaven")
    UserFactory(username="medarbejder", role="medarbejder")
    formand = UserFactory(
        username="bestyrelse", first_name="Birthe", last_name="Lundholm", role="afdelingsbestyrelse"
    )
    BestyrelsesmedlemFactory(user=formand, afdeling=afdeling, rolle="formand", valgt_dato="2025-09-16")
    return afdeling


def section_shot(page, name):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("#bestyrelse").screenshot(path=str(SCREENSHOTS / f"{name}.png"))


def fits_the_screen(page) -> bool:
    return page.evaluate("document.querySelector('#bestyrelse').scrollWidth <= window.innerWidth")


def test_staff_add_a_board_member_from_the_afdeling_page(page, board, live_server):
    login(page, "medarbejder")
    page.goto(f"/afdelinger/{board.pk}/")
    page.click("#bestyrelse >> text=Tilføj medlem")
    page.fill("#id_fornavn", "Hassan")
    page.fill("#id_efternavn", "Yilmaz")
    page.fill("#id_email", "hassan.yilmaz@example.org")
    page.select_option("#id_rolle", "naestformand")
    page.fill("#id_valgt_dato", "2025-09-16")
    page.fill("#id_valgt_til", "2027-09-30")
    assert axe_violations(page) == []
    page.click("main button:has-text('Tilføj')")
    page.wait_for_url(f"**/afdelinger/{board.pk}/#bestyrelse")
    expect(page.locator(".alert-success")).to_contain_text("En invitation til at vælge adgangskode sendes")
    card = page.locator(".app-board-member", has_text="Hassan Yilmaz")
    expect(card).to_contain_text("Næstformand")
    expect(card).to_contain_text("Inviteret, har ikke valgt adgangskode")
    assert Besked.objects.filter(art=Besked.Art.INVITATION).count() == 1
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert fits_the_screen(page), f"the board section is wider than {width} px"
        section_shot(page, f"afdeling-bestyrelse-medarbejder-{width}")
    assert axe_violations(page) == []
    card.locator("text=Send invitation igen").click()
    expect(page.locator(".alert-success")).to_contain_text(
        "Invitationen sendes igen til hassan.yilmaz@example.org"
    )


def test_a_board_member_reads_the_board_without_the_tools(page, board):
    login(page, "bestyrelse")
    page.goto(f"/afdelinger/{board.pk}/")
    expect(page.locator("#bestyrelse")).to_contain_text("Birthe Lundholm")
    expect(page.locator("#bestyrelse >> text=Tilføj medlem")).to_have_count(0)
    expect(page.locator("#bestyrelse >> text=Redigér")).to_have_count(0)
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert fits_the_screen(page)
        section_shot(page, f"afdeling-bestyrelse-bestyrelse-{width}")
    assert axe_violations(page) == []


def test_a_word_longer_than_the_screen_wraps_in_a_comment_and_in_the_plan_text(page, board, live_server):
    long_word = "https://example.org/" + "x" * 3000
    plan = HelhedsplanFactory(indsats__afdelinger=[board], analyse=long_word)
    formand = board.bestyrelsesmedlemmer.get().user
    actions.post_comment(plan, sektion="maal", tekst=long_word, notify=False, acting_user=formand)
    logged_in(page, "bestyrelse", live_server.url)
    page.goto(f"/helhedsplaner/{plan.pk}/")
    expect(page.locator(".helhedsplan-comment-text")).to_contain_text("https://example.org/xxx")
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        assert page.evaluate("document.documentElement.scrollWidth") <= width


def test_the_login_page_leads_to_a_password_reset(page, board, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto("/accounts/login/")
        assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"login-{width}.png"), full_page=True)
    assert axe_violations(page) == []
    page.click("text=Glemt adgangskode?")
    page.wait_for_url("**/accounts/password_reset/")
    assert axe_violations(page) == []
    page.fill("#id_email", "bestyrelse@example.invalid")
    page.click("text=Send link")
    page.wait_for_url("**/accounts/password_reset/done/")
    expect(page.locator("h1")).to_have_text("Tjek din e-mail")
    assert axe_violations(page) == []
    assert [m.to for m in mail.outbox] == [["bestyrelse@example.invalid"]]
