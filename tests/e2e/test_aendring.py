"""An ændring af godkendt plan from request to the funders' decision: staff ask to end an active plan a
year early and send it; the secretariat records Landsbyggefonden's and the kommune's approval with the
amounts they now grant; the plan's period changes, the proposed budget version becomes the approved one and
the plan shows the new tilsagn. axe-core finds nothing serious."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from finansiering import queries as budget_queries
from finansiering.models import Omkostningstype
from indsatser.models import Finansieringsperiode
from tests.e2e.conftest import axe_violations, login
from tests.e2e.test_helhedsplaner import act
from tests.factories import AfdelingFactory, OmraadeFactory, UserFactory
from tests.helhedsplaner.test_aendringer import approved_plan


@pytest.fixture
def active_plan(db):
    area = OmraadeFactory(navn="Tingbjerg/Utterslevhuse")
    afdelinger = [
        AfdelingFactory(nummer="01-10", navn="Grønvænget", boligomraade=area, lejemaal=300),
        AfdelingFactory(nummer="01-13", navn="Lærkevænget", boligomraade=area, lejemaal=250),
    ]
    staff = UserFactory(username="medarbejder", role="medarbejder", first_name="Mette", last_name="Kragelund")
    secretariat = UserFactory(username="sekretariat", role="sekretariat", first_name="Sami", last_name="Dahl")
    return approved_plan(
        "Helhedsplan Tingbjerg 2027-30", afdelinger, staff, secretariat, (("loen", 1_000_000),)
    )


def test_a_change_request_from_request_to_the_funders_decision(page, active_plan, open_page):
    login(page, "medarbejder")
    page.goto(f"/helhedsplaner/{active_plan.pk}/")
    page.click("nav.helhedsplan-tabs >> text=Ændring af godkendt plan")
    page.click("text=Anmod om en ændring")
    page.fill("#id_begrundelse", "Kommunens medfinansiering ophører; planen afsluttes et år før.")
    page.fill("#id_slutdato", "2029-12-31")
    page.click("button:has-text('Gem ændringen')")
    expect(page.locator("h2")).to_contain_text(["Ændring 1 af godkendt plan"])
    expect(page.locator("table")).to_contain_text("31.12.2029")
    expect(page.locator("#plan-main")).to_contain_text("Landsbyggefonden og kommunen afgør den")
    assert axe_violations(page) == []

    # The year dropped from the period is taken out of the proposed budget (a draft copy of the approved one).
    draft = budget_queries.latest_version(active_plan.indsats).nummer
    page.click(f"#plan-main a:has-text('version {draft}')")
    omraade = Finansieringsperiode.objects.get(navn="2019-26").indsatsomraader.order_by("sortering").first()
    loen = Omkostningstype.objects.get(kode="loen")
    cell = page.locator(f"input[name='c-2030-{omraade.pk}-{loen.pk}']")
    cell.fill("0")
    cell.press("Tab")
    expect(page.locator("#tot-year-2030")).to_have_text("0,00")
    page.goto(f"/helhedsplaner/{active_plan.pk}/aendring-af-godkendt-plan/1/")
    act(page, "Send ændringen til afgørelse")
    expect(page.locator("h2 .helhedsplan-outcome")).to_have_text("Sendt")

    secretariat = open_page()
    login(secretariat, "sekretariat")
    secretariat.goto(f"/helhedsplaner/{active_plan.pk}/aendring-af-godkendt-plan/1/")
    label = "Registrér beslutning fra Landsbyggefonden eller kommunen"
    # A year less of 1 mio. kr.: each funder grants its new share (75 and 12.5 % of 3 mio. kr.).
    for organ, granted in (("lbf", "2.250.000,00"), ("kommune", "375.000,00")):
        act(
            secretariat,
            label,
            {
                "#id_dato": timezone.localdate().isoformat(),
                "#id_journalnummer": f"{organ}-Æ1",
                "#id_bevilget_beloeb": granted,
            },
            {"#id_organ": organ, "#id_udfald": "godkendt"},
        )
    expect(secretariat.locator("h2 .helhedsplan-outcome")).to_have_text("Godkendt")
    expect(secretariat.locator("#plan-main")).to_contain_text("Slutdato: 31.12.2030 → 31.12.2029")
    expect(secretariat.locator("#plan-main")).to_contain_text("bevilget 2.250.000,00 kr.")
    assert axe_violations(secretariat) == []
    secretariat.goto(f"/helhedsplaner/{active_plan.pk}/")
    # Whole kroner in the overview.
    expect(secretariat.locator("#tilsagn dd").first).to_have_text("2.250.000 kr.")

    # The proposed budget version is now the approved one.
    page.goto(f"/helhedsplaner/{active_plan.pk}/aendring-af-godkendt-plan/1/")
    page.click(f"#plan-main a:has-text('version {draft}')")
    expect(page.locator("dd").nth(1)).to_have_text("Godkendt af bevillingsgiverne")
    assert budget_queries.approved_version(active_plan.indsats).nummer == draft
