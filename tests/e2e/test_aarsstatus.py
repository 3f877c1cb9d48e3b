"""One active year in the browser: staff enter a goal figure with their assessment and a milestone, and mark
the next year's milestone plan ready (a report about the year itself waits until the year is over); the
secretariat marks it sent; staff order the year's årsrapport and the pack is made.
axe-core finds nothing serious on the year page."""

import pytest
from playwright.sync_api import expect

from helhedsplaner.models import Pakke, Rapporteringsforpligtelse
from helhedsplaner.tasks import render_pack
from tests.e2e.conftest import axe_violations, login, screenshot
from tests.factories import AfdelingFactory, UserFactory
from tests.helhedsplaner.test_aendringer import approved_plan
from tests.indsatser.factories import MaalsaetningFactory


@pytest.fixture
def year_plan(db):
    staff = UserFactory(username="medarbejder", role="medarbejder")
    secretariat = UserFactory(username="sekretariat", role="sekretariat")
    plan = approved_plan(
        "Helhedsplan for Årsparken",
        [AfdelingFactory(navn="Årsparken", lejemaal=300), AfdelingFactory(navn="Vinterlyst", lejemaal=100)],
        staff,
        secretariat,
    )
    MaalsaetningFactory(indsats=plan.indsats, indikator__navn="Unge i job", indikator__enhed="%")
    return plan


@pytest.fixture
def queue(monkeypatch):
    """The Celery queue: the page sends the job here, and the test plays the worker."""
    sent = []
    monkeypatch.setattr(render_pack, "delay", sent.append)
    return sent


def open_dialog(page, link_name):
    # Click once htmx has taken charge of the link (after a refresh in place), or it is followed as a page.
    link = page.get_by_role("link", name=link_name)
    page.wait_for_function(
        """name => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')
            && [...document.querySelectorAll('#plan-main a')]
                .some(a => a.textContent.trim() === name && a['htmx-internal-data'] !== undefined)""",
        arg=link_name,
    )
    link.click()
    dialog = page.locator("#helhedsplan-dialog")
    expect(dialog).to_be_visible()
    return dialog


def submit(page, dialog):
    dialog.locator("button[type=submit]").click()
    expect(dialog).to_be_hidden()


def test_staff_fill_a_year_the_secretariat_sends_it_and_the_aarsrapport_is_made(
    page, open_page, year_plan, queue
):
    goal = year_plan.indsats.maalsaetninger.get()
    report = year_plan.forpligtelser.get(type__art="milepaelsplan", aar=2028)
    year_url = f"/helhedsplaner/{year_plan.pk}/aar/2027/"
    next_year_url = f"/helhedsplaner/{year_plan.pk}/aar/2028/"
    login(page, "medarbejder")
    page.goto(year_url)

    dialog = open_dialog(page, "Opdatér målopfølgningen")
    dialog.locator(f"#id_maalt_{goal.pk}").fill("44,5")
    dialog.locator(f"#id_vurdering_{goal.pk}").select_option("paa_sporet")
    dialog.locator(f"#id_kommentar_{goal.pk}").fill("Flere unge i fritidsjob end ventet.")
    assert "form-input" in dialog.locator(f"#id_maalt_{goal.pk}").get_attribute("class")
    submit(page, dialog)
    goals = page.locator("#maal-heading + div table")
    expect(goals).to_contain_text("44,5")
    expect(goals).to_contain_text("Flere unge i fritidsjob end ventet.")

    dialog = open_dialog(page, "Tilføj milepæl")
    dialog.locator("#id_hvad").fill("Lektiecaféen har 40 faste børn")
    dialog.locator("#id_dato").fill("2027-06-01")
    submit(page, dialog)
    expect(page.locator("#milepaele-heading + div table")).to_contain_text("Lektiecaféen har 40 faste børn")

    assert axe_violations(page) == []

    page.goto(next_year_url)
    dialog = open_dialog(page, f"Markér klar {report.type.navn} 2028")
    submit(page, dialog)
    expect(page.get_by_role("link", name=f"Fortryd klar {report.type.navn} 2028")).to_be_visible()

    secretariat = open_page()
    login(secretariat, "sekretariat")
    secretariat.goto(next_year_url)
    dialog = open_dialog(secretariat, f"Markér sendt {report.type.navn} 2028")
    submit(secretariat, dialog)
    expect(secretariat.get_by_role("link", name=f"Fortryd sendt {report.type.navn} 2028")).to_be_visible()
    report.refresh_from_db()
    assert report.status == Rapporteringsforpligtelse.Status.SENDT

    page.goto(f"/helhedsplaner/{year_plan.pk}/pakker/")
    section = page.locator("#pakker")
    section.locator("#pakke-type").select_option("aarsrapport")
    section.locator("#pakke-aar").select_option("2027")
    section.get_by_role("button", name="Generér pakke").click()
    status = page.locator("#pakker .pakke-status").first
    expect(status).to_be_visible()
    pakke = Pakke.objects.get(pakketype="aarsrapport")
    assert queue == [pakke.pk] and pakke.aar == 2027
    render_pack.run(pakke.pk)  # the worker
    expect(status.get_by_role("link", name="Hent PDF")).to_be_visible(timeout=10_000)
    screenshot(page, "aarsrapport-bestilt")
