"""The årsrapport: one plan's year as a PDF pack (goals against targets, milestones, accounts against the
budget, payments, the year's decisions), made by the command, ordered on the plan page as a versioned,
hashed pack, and exported by the secretariat for a chosen year."""

import io
import zipfile
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from config.web.filenames import slug
from config.web.formatting import kroner
from finansiering import actions as finansiering_actions
from finansiering.models import Omkostningstype
from helhedsplaner import queries
from helhedsplaner.forms import named_titles
from helhedsplaner.models import Milepael, Pakke, Pakkeeksport
from helhedsplaner.packs import documents, exports
from indsatser.models import Indikator, Maalsaetning, Maaltal
from tests.helhedsplaner.test_packs import pack_plan, pdf_text  # noqa: F401  (the fixture)

pytestmark = pytest.mark.usefixtures("private_storage")


@pytest.fixture
def year_plan(pack_plan, medarbejder):  # noqa: F811
    indsats = pack_plan.indsats
    goal = Maalsaetning.objects.create(
        indsats=indsats,
        indikator=Indikator.objects.create(navn="Unge i job", enhed="%"),
        baseline=Decimal(40),
    )
    Maaltal.objects.create(maalsaetning=goal, aar=2025, maal=Decimal(45), maalt=Decimal(47))
    Milepael.objects.create(plan=pack_plan, hvad="Lektiecafeen åbner", dato=date(2025, 3, 1))
    Milepael.objects.create(plan=pack_plan, hvad="Fritidsjob i alle afdelinger", dato=date(2026, 5, 1))
    omraade = indsats.periode.indsatsomraader.order_by("sortering").first()
    loen = Omkostningstype.objects.get(kode="loen")
    finansiering_actions.save_regnskab_line(
        indsats, 2025, omraade, loen, Decimal("900000"), acting_user=medarbejder
    )
    finansiering_actions.record_payment(
        indsats,
        part="lbf",
        dato=date(2025, 4, 1),
        beloeb=Decimal("300000"),
        reference="LBF-RATE-1",
        begrundelse="Forskud udbetalt efter aftale med fonden.",
        tilsagn=None,
        acting_user=medarbejder,
    )
    return pack_plan


def test_the_command_renders_one_year(year_plan, tmp_path):
    out = tmp_path / "aarsrapport.pdf"
    output = io.StringIO()
    call_command(
        "render_pack", year_plan.pk, "aarsrapport", "--aar", "2025", "--out", str(out), stdout=output
    )
    assert "sha256" in output.getvalue()
    _pages, text = pdf_text(out.read_bytes())
    flat = " ".join(text.split())
    assert "ÅRSRAPPORT 2025" in flat.upper() and "Helhedsplan Pakkeparken" in flat
    assert "Unge i job" in flat and "Lektiecafeen åbner" in flat and "Fritidsjob i alle afdelinger" in flat
    assert "900.000,00" in flat and "1.000.000,00" in flat  # the year's accounts against its budget
    assert "LBF-RATE-1" in flat


def test_the_reguleringskonto_shows_each_partys_amount_as_the_year_page_does(year_plan, tmp_path):
    out = tmp_path / "aarsrapport.pdf"
    call_command("render_pack", year_plan.pk, "aarsrapport", "--aar", "2025", "--out", str(out))
    _pages, text = pdf_text(out.read_bytes())
    flat = " ".join(text.split())
    chapter = flat[flat.rindex("4 Reguleringskonto") : flat.rindex("5 Udbetalinger")]
    rows = queries.year_status(year_plan, 2025).regulations
    # 1.000.000 budgeted, 900.000 spent: each party's share of the 100.000 unspent.
    assert sum(row.beloeb for row in rows) == Decimal("100000.00")
    assert "75.000,00" in chapter
    for row in rows:
        assert f"{row.part.navn} {kroner(row.beloeb)} Ikke besluttet" in chapter


def test_the_command_wants_a_year_for_an_aarsrapport_only(year_plan, tmp_path):
    out = str(tmp_path / "x.pdf")
    with pytest.raises(CommandError, match="--aar skal angives for en årsrapport og kun for den."):
        call_command("render_pack", year_plan.pk, "aarsrapport", "--out", out)
    with pytest.raises(CommandError, match="--aar skal angives"):
        call_command("render_pack", year_plan.pk, "helhedsplan", "--aar", "2025", "--out", out)
    with pytest.raises(CommandError, match="2031 ligger uden for planens periode."):
        call_command("render_pack", year_plan.pk, "aarsrapport", "--aar", "2031", "--out", out)


def test_ordered_on_the_plan_page_per_year_and_reused_when_unchanged(
    year_plan, medarbejder, client_as, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client = client_as(medarbejder)
    url = reverse("plan_pack_order", args=[year_plan.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"pakketype": "aarsrapport", "aar": "2025"})
    pakke = Pakke.objects.get(pakketype="aarsrapport")
    assert (pakke.aar, pakke.status, len(pakke.sha256)) == (2025, Pakke.Status.DONE, 64)
    assert pakke.filename == f"{slug(year_plan.indsats.titel)}-aarsrapport-2025.pdf"
    again = documents.bestil_pakke(year_plan, "aarsrapport", medarbejder, aar=2025)
    assert again.genbrugt and again.pakke == pakke
    with django_capture_on_commit_callbacks(execute=True):
        other_year = documents.bestil_pakke(year_plan, "aarsrapport", medarbejder, aar=2026)
    assert other_year.pakke != pakke and other_year.pakke.aar == 2026
    for aar in ("2031", "abc", ""):
        for htmx in ({}, {"HTTP_HX_REQUEST": "true"}):
            refused = client.post(url, {"pakketype": "aarsrapport", "aar": aar}, **htmx)
            assert refused.status_code == 400
            assert "Vælg et år i planens periode (2025–2026)." in refused.content.decode()
    assert Pakke.objects.filter(pakketype="aarsrapport").count() == 2
    assert "pakke-aar" in client.get(reverse("plan_packs", args=[year_plan.pk])).content.decode()


def test_the_secretariat_exports_a_years_aarsrapporter(
    year_plan, sekretariat, client_as, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client = client_as(sekretariat)
    page = client.get(reverse("pack_export"), {"pakketype": "aarsrapport", "rapportaar": "2025"})
    assert 'name="rapportaar" value="2025"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("pack_export") + "?pakketype=aarsrapport&rapportaar=2025",
            {"pakketype": "aarsrapport", "rapportaar": "2025", "planer": [year_plan.pk]},
        )
    assert response.status_code == 302
    eksport = Pakkeeksport.objects.get()
    assert (eksport.pakketype, eksport.aar, eksport.status) == ("aarsrapport", 2025, Pakkeeksport.Status.DONE)
    with eksport.fil.open("rb") as stored:
        archive = zipfile.ZipFile(io.BytesIO(stored.read()))
    assert "helhedsplan-pakkeparken-aarsrapport-2025.pdf" in archive.namelist()
    assert Pakke.objects.get(pakketype="aarsrapport").aar == 2025
    assert (
        exports.file_name(year_plan, None, "helhedsplan", set()) == "helhedsplan-pakkeparken-helhedsplan.pdf"
    )


def test_an_export_of_aarsrapporter_for_a_year_outside_a_plans_period_is_refused(
    year_plan, sekretariat, client_as
):
    """As on the plan's page: the plan runs 2025-2026, so there is no årsrapport for 2035."""
    response = client_as(sekretariat).post(
        reverse("pack_export") + "?pakketype=aarsrapport&rapportaar=2035",
        {"pakketype": "aarsrapport", "rapportaar": "2035", "planer": [year_plan.pk]},
    )
    assert response.status_code == 400
    assert f"2035 ligger uden for perioden for {year_plan.indsats.titel}." in response.content.decode()
    assert not Pakkeeksport.objects.exists()


def test_the_plans_for_aarsrapporter_are_those_whose_period_holds_the_year(year_plan, sekretariat, client_as):
    """The plan runs 2025-2026: it is listed for 2026, and not for 2024, where «alle» finds no plan."""
    client = client_as(sekretariat)
    listed = client.get(reverse("pack_export"), {"pakketype": "aarsrapport", "rapportaar": "2026"})
    assert year_plan.indsats.titel in listed.content.decode()
    response = client.post(
        reverse("pack_export") + "?pakketype=aarsrapport&rapportaar=2024",
        {"pakketype": "aarsrapport", "rapportaar": "2024", "alle": "1"},
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert year_plan.indsats.titel not in body
    assert "Ingen helhedsplaner matcher filtrene." in body
    assert not Pakkeeksport.objects.exists()


def test_a_refusal_names_at_most_ten_plans():
    titles = [f"Plan {letter}" for letter in "ABCDEFGHIJKL"]
    assert named_titles(titles[:10]) == ", ".join(titles[:10])
    assert named_titles(titles) == f"{', '.join(titles[:10])} og 2 andre"
