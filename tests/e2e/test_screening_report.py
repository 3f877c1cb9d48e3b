"""The secretariat orders a screening round's report from the overview, watches the job finish and downloads
the PDF. axe-core finds nothing serious."""

import pytest
from playwright.sync_api import expect

from helhedsplaner.models import Pakke
from helhedsplaner.tasks import render_pack
from tests.e2e.conftest import axe_violations, login, screenshot
from tests.factories import AfdelingFactory, OmraadeFactory, UserFactory
from tests.screening.screening_data import BAD_FIGURES, CALM_FIGURES, make_round, measure


@pytest.fixture
def screened_round(db):
    UserFactory(username="sekretariat", role="sekretariat")
    runde = make_round(2024)
    area = OmraadeFactory(navn="Tingbjerg")
    measure(runde, AfdelingFactory(nummer="01-10", navn="Lærkehaven", boligomraade=area), **BAD_FIGURES)
    measure(runde, AfdelingFactory(nummer="04-10", navn="Egelunden"), **CALM_FIGURES)
    return runde


@pytest.fixture
def queue(monkeypatch):
    """The Celery queue: the page sends the job here, and the test plays the worker."""
    sent = []
    monkeypatch.setattr(render_pack, "delay", sent.append)
    return sent


def test_the_secretariat_orders_and_downloads_the_screening_report(page, screened_round, queue):
    login(page, "sekretariat")
    page.goto("/screening/?aar=2024")
    section = page.locator("#pakker")
    order = section.get_by_role("button", name="Generér screeningsrapport 2024")
    expect(order).to_be_visible()
    order.click()
    expect(section.locator(".alert-success")).to_contain_text("Screeningsrapporten er sat i kø")
    status = section.locator(".pakke-status").first
    expect(status).to_contain_text("I kø")

    pakke = Pakke.objects.get()
    assert queue == [pakke.pk] and pakke.runde == screened_round
    render_pack.run(pakke.pk)  # the worker

    expect(status.get_by_role("link", name="Hent PDF")).to_be_visible(timeout=10_000)
    assert axe_violations(page) == []
    screenshot(page, "screeningsrapport")
    with page.expect_download() as download_info:
        status.get_by_role("link", name="Hent PDF").click()
    download = download_info.value
    assert download.suggested_filename == f"screeningsrapport-2024-{pakke.pk}.pdf"
    with open(download.path(), "rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
