"""The secretariat exports a round's prækvalifikationsansøgninger: filters the plans, selects all of them,
starts the export, watches its progress finish and downloads the ZIP; or pages through a longer list and
exports every plan the filters match. axe-core finds nothing serious."""

import io
import re
import zipfile

import pytest
from playwright.sync_api import expect

from helhedsplaner import lifecycle
from helhedsplaner.models import Helhedsplan, Pakkeeksport
from helhedsplaner.packs.views import exports as export_views
from helhedsplaner.tasks import build_pack_export
from tests.e2e.conftest import axe_violations, login, screenshot
from tests.factories import AfdelingFactory, HelhedsplanFactory, UserFactory


@pytest.fixture
def round_of_applications(db):
    UserFactory(username="sekretariat", role="sekretariat", first_name="Sami", last_name="Østergård")
    for titel, nummer, navn in [
        ("Helhedsplan Sydhavnen 2028-32", "06-10", "Egelyhaven"),
        ("Helhedsplan Husum 2028-32", "02-10", "Bøgebakken"),
    ]:
        plan = HelhedsplanFactory(
            indsats__titel=titel, indsats__afdelinger=[AfdelingFactory(nummer=nummer, navn=navn)]
        )
        Helhedsplan.objects.filter(pk=plan.pk).update(tilstand=lifecycle.PRAEKVALIFIKATION_BEHANDLES)
    HelhedsplanFactory(indsats__titel="Helhedsplan i en anden fase")


@pytest.fixture
def queue(monkeypatch):
    """The Celery queue: the page sends the job here, and the test plays the worker."""
    sent = []
    monkeypatch.setattr(build_pack_export, "delay", sent.append)
    return sent


def test_the_secretariat_exports_a_round_of_applications(page, round_of_applications, queue):
    login(page, "sekretariat")
    page.click("nav >> text=Pakkeeksport")
    expect(page.locator("h1")).to_have_text("Eksport af ansøgningspakker")
    menu = page.locator(".app-nav-list > li")
    assert len({menu.nth(i).bounding_box()["y"] for i in range(menu.count())}) == 1  # one row at 1280 px

    page.select_option("#id_tilstand", lifecycle.PRAEKVALIFIKATION_BEHANDLES)
    plans = page.locator("#eksport-planer tbody tr")
    expect(plans).to_have_count(2)
    page.locator("#vaelg-alle-planer").check()
    expect(page.locator("[data-selected-count]")).to_have_text("2 af 2 planer på siden valgt")
    assert axe_violations(page) == []
    screenshot(page, "pakkeeksport-valg")

    page.click("text=Eksportér valgte planer")
    expect(page.locator(".alert-success")).to_contain_text("Eksporten er sat i gang.")
    status = page.locator("#eksporter .pakke-status").first
    expect(status).to_contain_text("I kø")

    eksport = Pakkeeksport.objects.get()
    assert queue == [eksport.pk] and eksport.planer.count() == 2
    build_pack_export.run(eksport.pk)  # the worker: renders both packs and writes the ZIP

    expect(status.get_by_role("link", name="Hent ZIP")).to_be_visible(timeout=10_000)
    expect(status).to_contain_text("2 pakker")
    assert axe_violations(page) == []
    screenshot(page, "pakkeeksport-faerdig")

    with page.expect_download() as download_info:
        status.get_by_role("link", name="Hent ZIP").click()
    download = download_info.value
    assert download.suggested_filename == Pakkeeksport.objects.get().filename
    with open(download.path(), "rb") as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    assert archive.namelist() == [
        "helhedsplan-husum-2028-32-praekvalifikation.pdf",
        "helhedsplan-sydhavnen-2028-32-praekvalifikation.pdf",
        "index.csv",
    ]

    # Årsrapporter have a year to choose: picking the type brings its field, another type takes it away.
    expect(page.locator("#id_rapportaar")).to_have_count(0)
    page.select_option("#id_pakketype", "aarsrapport")
    expect(page.locator("#id_rapportaar")).to_be_visible()
    expect(page).to_have_url(re.compile(r"pakketype=aarsrapport"))
    page.select_option("#id_pakketype", "helhedsplan")
    expect(page.locator("#id_rapportaar")).to_have_count(0)


def test_the_secretariat_pages_through_the_plans_and_exports_all_that_match(
    page, round_of_applications, queue, monkeypatch
):
    monkeypatch.setattr(export_views, "PAGE_SIZE", 2)  # three plans: two pages
    login(page, "sekretariat")
    page.click("nav >> text=Pakkeeksport")
    results = page.locator("#eksport-planer")
    expect(results).to_contain_text("3 planer matcher filtrene · viser 1–2")
    page.locator("#vaelg-alle-planer").check()
    expect(page.locator("[data-selected-count]")).to_have_text("2 af 2 planer på siden valgt")

    page.get_by_role("link", name="Næste ›").click()
    expect(results).to_contain_text("3 planer matcher filtrene · viser 3")
    expect(page).to_have_url(re.compile(r"side=2"))
    # Back and forward again: each time the whole page, not the table alone.
    page.go_back()
    expect(page.locator("h1")).to_have_text("Eksport af ansøgningspakker")
    expect(results).to_contain_text("3 planer matcher filtrene · viser 1–2")
    page.go_forward()
    expect(page.locator("h1")).to_have_text("Eksport af ansøgningspakker")
    expect(results).to_contain_text("3 planer matcher filtrene · viser 3")
    expect(page.locator("#eksport-planer tbody tr")).to_have_count(1)
    expect(page.locator("[data-selected-count]")).to_have_text("0 af 1 plan på siden valgt")
    page.locator("#vaelg-alle-planer").check()
    expect(page.locator("[data-selected-count]")).to_have_text("1 af 1 plan på siden valgt")
    assert axe_violations(page) == []
    screenshot(page, "pakkeeksport-side-2")

    page.click("text=Eksportér alle 3 planer, der matcher filtrene")
    expect(page.locator(".alert-success")).to_contain_text("Eksporten er sat i gang.")
    expect(page).to_have_url(re.compile(r"side=2#eksporter$"))
    eksport = Pakkeeksport.objects.get()
    assert queue == [eksport.pk] and eksport.planer.count() == 3
