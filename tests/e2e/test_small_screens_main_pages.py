"""Each role's main pages are photographed at 1440 and 390 px (var/screenshots/) and hold at both widths: no
page is wider than the screen or breaks a word across lines, and axe-core finds nothing serious."""

from django.urls import reverse
from playwright.sync_api import expect

from helhedsplaner.models import Helhedsplan
from screening.models import Afdeling
from tests.e2e.conftest import DESKTOP, PHONE, axe_violations, screenshot
from tests.e2e.test_small_screens import fits_the_screen

# Each role's main pages (URL names; a plan's pages are the demo plan's, an afdeling's the board member's).
MAIN_PAGES = {
    "medarbejder": [
        "home",
        "afdeling_list",
        "afdeling_detail",
        "screening_overview",
        "indsats_list",
        "plan_list",
        "plan_detail",
        "plan_years",
        "budget_detail",
        "due_list",
    ],
    "sekretariat": [
        "home",
        "plan_list",
        "plan_detail",
        "plan_decisions",
        "plan_years",
        "due_list",
        "pack_export",
    ],
    "bestyrelse": ["home", "afdeling_detail", "plan_list", "plan_detail", "plan_economy"],
}


def main_page_address(name: str) -> str:
    plan = Helhedsplan.objects.get(indsats__titel="Boligsocial helhedsplan Tingbjerg-Utterslevhuse 2024-28")
    if name in ("plan_detail", "plan_decisions", "plan_years", "plan_economy"):
        return reverse(name, args=[plan.pk])
    if name == "budget_detail":
        return reverse(name, args=[plan.indsats_id])
    if name == "afdeling_detail":
        return reverse(name, args=[Afdeling.objects.get(nummer="01-10", organisation__navn="fsb").pk])
    return reverse(name)


# Each test goes through every role on one copy of the demo data: the pages only read it, and seeding it
# costs more than a role's pages.


def test_each_roles_main_pages_at_both_widths(demo, phone):
    """Photographed for var/screenshots/ at 1440 and 390 px; neither scrolls sideways or breaks a word."""
    for username, names in MAIN_PAGES.items():
        for viewport in (DESKTOP, PHONE):
            page = phone(username, viewport)
            for name in names:
                page.goto(main_page_address(name))
                page.wait_for_load_state("networkidle")
                screenshot(page, f"{viewport['width']}-{username}-{name}")  # taken first, to show what fails
                fits_the_screen(page, viewport["width"])
                assert axe_violations(page) == [], (username, viewport["width"], name)


def test_the_plans_economy_at_both_widths(demo, phone):
    for username in ("medarbejder", "bestyrelse"):
        check_the_plans_economy(phone, username)


def check_the_plans_economy(phone, username):
    plan = Helhedsplan.objects.get(indsats__titel="Boligsocial helhedsplan Tingbjerg-Utterslevhuse 2024-28")
    for viewport in (DESKTOP, PHONE):
        page = phone(username, viewport)
        page.goto(reverse("plan_detail", args=[plan.pk]))
        page.click(".helhedsplan-tabs >> text=Økonomi")
        page.wait_for_url(f"**{reverse('plan_economy', args=[plan.pk])}")
        expect(page.locator(".helhedsplan-tabs a[aria-current=page]")).to_have_text("Økonomi")
        shares = page.locator("#afdelingernes-andel table")
        expect(shares.locator("thead th").nth(1)).to_have_text("Pr. lejemål pr. år")
        # The cost per lejemål per year is on screen beside the afdeling's name, not off to the right.
        first_cost = shares.locator("tbody tr").first.locator("td").first
        assert first_cost.bounding_box()["x"] + first_cost.bounding_box()["width"] <= viewport["width"]
        if username == "bestyrelse":
            expect(page.locator("#own-cost-heading")).to_have_text("Det betaler dine afdelinger")
            expect(shares.locator("tbody tr").first).to_contain_text("din afdeling")
        else:
            expect(page.locator("a:has-text('Redigér budgettet')")).to_be_visible()
        fits_the_screen(page, viewport["width"])
        assert axe_violations(page) == [], (username, viewport["width"])
        screenshot(page, f"{viewport['width']}-{username}-plan_economy")
