"""The goal figures import: indicator series from the funders' data exports, mapped to a plan's goals. Bad
files are refused row by row in Danish with nothing written; a good file is previewed, then written in one go,
and importing it again changes nothing. A plan-level figure sets the goal's measured value of its year."""

from datetime import date
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from openpyxl import Workbook

from config.web.limits import MAX_ROWS
from indsatser import goal_figures_import
from indsatser.models import Indikator, Indikatortal, IndsatsHaendelse, Maalsaetning, Maaltal
from tests.factories import AfdelingFactory
from tests.indsatser.factories import active_indsats

pytestmark = pytest.mark.django_db
HEADER = "indikator;enhed;periode;vaerdi;omraade"


def csv(*rows, header=HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def messages(report):
    return [(e.line, e.column, e.message) for e in report.errors]


@pytest.fixture
def plan():
    afdeling = AfdelingFactory()
    indsats = active_indsats(afdelinger=[afdeling], startdato=date(2024, 1, 1), slutdato=date(2027, 12, 31))
    indsats.omraade = afdeling.boligomraade
    beskaeftigelse = Indikator.objects.create(navn="Beskæftigelse, 16-64 år", kode="BSD-01", enhed="%")
    udsaettelser = Indikator.objects.create(navn="Udsættelser", enhed="antal", hoejere_er_bedre=False)
    indsats.maal_beskaeftigelse = Maalsaetning.objects.create(indsats=indsats, indikator=beskaeftigelse)
    indsats.maal_udsaettelser = Maalsaetning.objects.create(indsats=indsats, indikator=udsaettelser)
    Indikator.objects.create(navn="Karaktergennemsnit", enhed="karakter")  # no goal of this plan
    return indsats


def test_good_file_is_written_and_reimporting_changes_nothing(plan, medarbejder):
    area = plan.omraade.navn
    content = csv(
        "BSD-01;%;2025H1;52,4;",
        "bsd-01;%;2025H2;53,1;",
        f"Beskæftigelse, 16-64 år;%;2025H2;49;{area}",
        "Udsættelser;Antal;2024;3;",
        "Udsættelser;antal;2025;;",  # left out of the export: too small to publish
    )
    report = goal_figures_import.import_file(content, "bsd.csv", plan, acting_user=medarbejder)
    assert report.ok, report.error_lines
    assert (report.created, report.updated, report.unchanged) == (4, 0, 0)
    # The year's measured value is the plan-level figure of its latest period; area figures are kept apart.
    assert Maaltal.objects.get(maalsaetning=plan.maal_beskaeftigelse, aar=2025).maalt == Decimal("53.10")
    assert Maaltal.objects.get(maalsaetning=plan.maal_udsaettelser, aar=2024).maalt == Decimal("3")
    assert Indikatortal.objects.get(boligomraade__navn=area).periode == "2025H2"
    events = IndsatsHaendelse.objects.filter(indsats=plan, overgang="indikatortal_indlaest")
    assert [e.kommentar for e in events] == ["4 nye og 0 ændrede indikatortal fra bsd.csv."]

    history = Indikatortal.history.count() + Maaltal.history.count()
    again = goal_figures_import.import_file(content, "bsd.csv", plan, acting_user=medarbejder)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)
    assert Indikatortal.history.count() + Maaltal.history.count() == history
    assert events.count() == 1

    corrected = goal_figures_import.import_file(
        csv("BSD-01;%;2025;54;"), "b.csv", plan, acting_user=medarbejder
    )
    assert (corrected.created, corrected.updated) == (1, 0)
    # A whole year's figure is the year's last word.
    assert Maaltal.objects.get(maalsaetning=plan.maal_beskaeftigelse, aar=2025).maalt == Decimal("54")


def test_a_target_typed_in_is_kept(plan, medarbejder):
    Maaltal.objects.create(maalsaetning=plan.maal_udsaettelser, aar=2026, maal=Decimal("2"))
    report = goal_figures_import.import_file(
        csv("Udsættelser;antal;2026H1;4;"), "u.csv", plan, acting_user=None
    )
    assert report.ok
    maaltal = Maaltal.objects.get(maalsaetning=plan.maal_udsaettelser, aar=2026)
    assert (maaltal.maal, maaltal.maalt) == (Decimal("2"), Decimal("4"))


def test_xlsx_file(plan, medarbejder):
    workbook = Workbook()
    workbook.active.append(["Indikator", "Enhed", "Periode", "Vaerdi"])
    workbook.active.append(["BSD-01", "%", "2027H2", 61.25])
    buffer = BytesIO()
    workbook.save(buffer)
    report = goal_figures_import.import_file(buffer.getvalue(), "bsd.xlsx", plan, acting_user=medarbejder)
    assert report.ok and Indikatortal.objects.get().vaerdi == Decimal("61.25")


def test_every_bad_row_is_reported_and_nothing_is_written(plan, medarbejder):
    content = csv(
        "BSD-01;%;2025H1;52;",  # fine, but not written because of the others
        "BSD-02;%;2025H1;52;",
        "Karaktergennemsnit;karakter;2025;7;",
        "BSD-01;antal;2025H2;52;",
        "BSD-01;%;2031;52;",
        "BSD-01;%;2025H3;52;",
        "BSD-01;%;2026;mange;",
        "BSD-01;%;2026H1;1,234;",
        "BSD-01;%;2027;10000000000;",
        "BSD-01;%;2025h1;53;",
        "Udsættelser;antal;2025;2;Atlantis",
        ";;;4;",
        "BSD-01;%;2026H2;250;",
        "Udsættelser;antal;2026;-12;",
        "BSD-01;%;2027H1;1e3;",
    )
    report = goal_figures_import.import_file(content, "bsd.csv", plan, acting_user=medarbejder)
    assert messages(report) == [
        (3, "indikator", "'BSD-02' er ikke en kendt indikator (hverken kode eller navn)."),
        (4, "indikator", "Planen har intet mål for indikatoren 'Karaktergennemsnit'."),
        (5, "enhed", "Enheden 'antal' passer ikke til indikatorens enhed '%'."),
        (6, "periode", "2031 ligger uden for planens periode (2024–2027)."),
        (7, "periode", "'2025H3' er ikke en periode; skriv fx 2025, 2025H1 eller 2025H2."),
        (8, "vaerdi", "'mange' er ikke et tal."),
        (9, "vaerdi", "'1,234' har mere end 2 decimaler."),
        (
            10,
            "vaerdi",
            "'10000000000' er for stort; tallet skal ligge fra \u22129.999.999.999,99 til 9.999.999.999,99.",
        ),
        (11, "", "Samme indikator, periode og område står også i række 2."),
        (12, "omraade", "'Atlantis' er ikke et af planens boligområder."),
        (13, "indikator", "Feltet skal udfyldes."),
        (13, "enhed", "Feltet skal udfyldes."),
        (13, "periode", "Feltet skal udfyldes."),
        (14, "vaerdi", "En andel i procent ligger mellem 0 og 100, ikke 250."),
        (15, "vaerdi", "Tallet kan ikke være negativt for enheden 'antal'."),
        (16, "vaerdi", "'1e3' er ikke et tal."),
    ]
    assert report.summary() == "16 fejl i filen. Intet er gemt."
    assert not Indikatortal.objects.exists() and not Maaltal.objects.exists()


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"", "tom.csv", "Filen er tom."),
        (b"indikator;enhed;periode;vaerdi\n", "kun-overskrift.csv", "Filen har ingen datarækker"),
        (
            b"indikator;aar;tal\nBSD-01;2025;5\n",
            "forkert.csv",
            "Filen mangler kolonnen/kolonnerne: enhed, periode, vaerdi.",
        ),
        (
            b"indikator,enhed,periode,vaerdi\nBSD-01,%,2025,5,ekstra\n",
            "felter.csv",
            "flere felter end overskriftsrækken",
        ),
        (b"%PDF-1.4", "tal.pdf", "Filtypen '.pdf' kan ikke læses"),
        (
            b"indikator;enhed;periode;vaerdi\n" + b"BSD-01;%;2025;1\n" * (MAX_ROWS + 1),
            "mange.csv",
            "rækker under overskriften",
        ),
    ],
    ids=["empty", "header-only", "wrong-columns", "extra-fields", "wrong-type", "too-many-rows"],
)
def test_bad_files(plan, medarbejder, content, filename, message):
    report = goal_figures_import.import_file(content, filename, plan, acting_user=medarbejder)
    assert not report.ok and message in report.error_lines[0]
    assert not Indikatortal.objects.exists()


def test_formula_guard_of_an_exported_cell_is_undone(plan, medarbejder):
    """A cell an export guarded against formulas ('-5) imports as the value it was written from."""
    karakter = Indikator.objects.create(navn="Karakter i dansk", enhed="karakter")
    Maalsaetning.objects.create(indsats=plan, indikator=karakter)
    content = csv("Karakter i dansk;karakter;2025;'-3;")
    report = goal_figures_import.import_file(content, "bsd.csv", plan, acting_user=medarbejder)
    assert report.ok and Indikatortal.objects.get().vaerdi == Decimal("-3")


def test_a_plan_without_period_or_goals_or_closed_is_refused(plan, medarbejder):
    content = csv("BSD-01;%;2025;5;")
    plan.slutdato = None
    report = goal_figures_import.import_file(content, "b.csv", plan, acting_user=medarbejder)
    assert report.error_lines == [
        "filen: Planen skal have en startdato og en slutdato, før der kan indlæses tal."
    ]
    plan.slutdato = date(2027, 12, 31)
    plan.status = plan.Status.AFSLUTTET
    report = goal_figures_import.import_file(content, "b.csv", plan, acting_user=medarbejder)
    assert "afsluttet" in report.error_lines[0]
    empty = active_indsats()
    report = goal_figures_import.import_file(content, "b.csv", empty, acting_user=medarbejder)
    assert report.error_lines == ["filen: Planen har endnu ingen mål at indlæse tal til."]


def test_command(plan, medarbejder, tmp_path, capsys):
    path = tmp_path / "bsd.csv"
    path.write_bytes(csv("BSD-01;%;2025H1;52,4;"))
    call_command("import_indikatortal", plan.pk, str(path), "--kontroller")
    assert "1 af 1 tal er nye eller ændrede." in capsys.readouterr().out
    assert not Indikatortal.objects.exists()
    call_command("import_indikatortal", plan.pk, str(path), "--bruger", medarbejder.username)
    assert "1 oprettet, 0 opdateret, 0 uændret." in capsys.readouterr().out
    assert Indikatortal.history.get().history_user == medarbejder
    path.write_bytes(csv("BSD-01;%;2035;1;"))
    with pytest.raises(CommandError, match="1 fejl i filen"):
        call_command("import_indikatortal", plan.pk, str(path))
    assert "række 2, kolonne periode: 2035 ligger uden for planens periode" in capsys.readouterr().err


def upload(content, name="bsd.csv"):
    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_page_previews_then_saves(plan, medarbejder, client_as):
    client = client_as(medarbejder)
    url = reverse("goal_figures_import", args=[plan.pk])
    assert client.get(url).status_code == 200
    Indikatortal.objects.create(maalsaetning=plan.maal_beskaeftigelse, aar=2025, halvaar=1, vaerdi=50)
    response = client.post(url, {"fil": upload(csv("BSD-01;%;2025H1;52,4;", "Udsættelser;antal;2024;3;"))})
    assert response.status_code == 200
    page = response.content.decode()
    assert "2 tal i filen, 2 af dem nye eller ændrede. Intet er gemt endnu." in page
    assert Indikatortal.objects.get().vaerdi == Decimal("50")  # the preview writes nothing
    token = response.context["token"]
    response = client.post(url, {"bekraeft": token})
    assert response.status_code == 302 and response.url.endswith("#maal")
    assert sorted(Indikatortal.objects.values_list("vaerdi", flat=True)) == [Decimal("3"), Decimal("52.40")]
    tampered = client.post(url, {"bekraeft": token[:-2] + "xx"})
    assert tampered.status_code == 400 and "Indlæs filen igen" in tampered.content.decode()


def test_page_shows_row_errors(plan, medarbejder, client_as):
    response = client_as(medarbejder).post(
        reverse("goal_figures_import", args=[plan.pk]), {"fil": upload(csv("BSD-01;%;2031;5;"))}
    )
    assert response.status_code == 400
    assert "2031 ligger uden for planens periode (2024–2027)." in response.content.decode()
    assert not Indikatortal.objects.exists()


def test_only_staff_import(plan, client_as, sekretariat, bestyrelse, own_afdeling):
    url = reverse("goal_figures_import", args=[plan.pk])
    assert client_as(sekretariat).get(url).status_code == 403
    assert client_as(bestyrelse).get(url).status_code == 404
    plan.afdelinger.add(own_afdeling)
    assert client_as(bestyrelse).get(url).status_code == 403
