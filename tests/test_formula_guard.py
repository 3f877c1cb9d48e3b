"""Every CSV and XLSX file the application writes shows a text that looks like a formula as text.

A text beginning with = + - @, a tab or a carriage return gets an apostrophe in front
(config.web.tabular.spreadsheet_text); numbers are written as numbers, negative ones too. Each download and
command is read back with a hostile name in one of its text fields. The pack export's index is tested with
the export itself (tests/helhedsplaner/test_pack_exports.py).
"""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import get_resolver, reverse
from openpyxl import load_workbook

from config.web import tabular
from finansiering import actions as budget_actions
from finansiering import queries as budget_queries
from finansiering.models import Omkostningstype
from helhedsplaner.models import Rapporteringsforpligtelse, Rapporteringstype
from indsatser.models import Indsatstype
from screening.models import Indikator
from tests.factories import (
    AfdelingFactory,
    HelhedsplanFactory,
    IndsatsFactory,
    OmraadeFactory,
    OrganisationFactory,
)
from tests.screening.screening_data import CALM_FIGURES, make_round, measure

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://angriber.example/","Klik her")'
GUARDED = "'" + HOSTILE

# Every named URL that answers with a file, and the test below that reads it back.
DOWNLOADS = {
    "afdeling_export": "test_the_afdeling_list_as_csv_and_xlsx",
    "afdeling_import_template": "test_the_import_templates",
    "screening_export": "test_the_screening_workbook",
    "screening_import_template": "test_the_import_templates",
    "indsats_export": "test_the_indsats_register_workbook",
    "due_export": "test_the_workbook_of_what_is_due",
    "budget_export": "test_the_budget_workbook",
    "regnskab_template": "test_the_import_templates",
    "pack_export_download": "tests/helhedsplaner/test_pack_exports.py",
    # JSON, not a spreadsheet: no formula to guard.
    "privacy_export": "tests/config/test_privacy_pages.py",
    "privacy_export_without_account": "tests/config/test_privacy_without_account.py",
}
# Named like a download, but pages.
PAGES = {"pack_export", "pack_export_status", "pack_export_retry"}


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig")), delimiter=";"))


def xlsx_cells(response) -> list:
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    return [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]


def assert_guarded_xlsx(cells) -> None:
    texts = [cell.value for cell in cells if cell.data_type == "s"]
    assert any(GUARDED in text for text in texts), texts
    assert not any(text.startswith(tabular.FORMULA_START) for text in texts)
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


@pytest.fixture
def hostile_afdeling(db):
    return AfdelingFactory(
        organisation=OrganisationFactory(navn="-fsb"),
        nummer="+01",
        navn=HOSTILE,
        bydel="@Bispebjerg",
        boligomraade=OmraadeFactory(navn="+Tingbjerg"),
        lejemaal=250,
        areal_m2=Decimal("18500.50"),
        beboere=540,
    )


def test_every_download_is_read_back_here_or_named():
    names = {
        name
        for name in get_resolver().reverse_dict
        if isinstance(name, str) and ("export" in name or "template" in name)
    }
    assert names == set(DOWNLOADS) | PAGES


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_each_start_of_a_formula_is_guarded_and_a_read_file_loses_the_guard(start):
    text = f"{start}1+1"
    assert tabular.spreadsheet_text(text) == f"'{text}"
    buffer = io.StringIO()
    tabular.GuardedCsvWriter(buffer, delimiter=";").writerow([text, -5, Decimal("-1.50"), "Husum"])
    written = buffer.getvalue()
    assert written.split(";")[1:] == ["-5", "-1.50", "Husum\r\n"]
    content = ("navn;tal\n" + written).encode()
    assert tabular.read_table(content, "x.csv").rows[0][1]["navn"] == text.strip()


def test_the_afdeling_list_as_csv_and_xlsx(client_as, medarbejder, hostile_afdeling):
    client = client_as(medarbejder)
    header, row = csv_rows(client.get(reverse("afdeling_export", args=["csv"])))
    assert row == [
        "'-fsb",
        "'+01",
        GUARDED,
        row[3],
        row[4],
        "'@Bispebjerg",
        "'+Tingbjerg",
        "250",
        "18500,50",
        "540",
    ]
    cells = xlsx_cells(client.get(reverse("afdeling_export", args=["xlsx"])))
    assert_guarded_xlsx(cells)
    numbers = [cell.value for cell in cells if cell.data_type == "n"]
    assert numbers == [250, 18500.5, 540]


def test_an_exported_afdeling_list_imports_as_the_values_it_was_written_from(
    client_as, medarbejder, hostile_afdeling
):
    from screening import afdeling_import

    exported = client_as(medarbejder).get(reverse("afdeling_export", args=["xlsx"])).content
    report = afdeling_import.import_file(exported, "afdelinger.xlsx")
    assert report.ok and report.unchanged == 1, report.errors


def test_the_screening_workbook(client_as, medarbejder, hostile_afdeling):
    runde = make_round(2024)
    measure(runde, hostile_afdeling, **CALM_FIGURES)
    cells = xlsx_cells(client_as(medarbejder).get(reverse("screening_export") + "?aar=2024"))
    assert_guarded_xlsx(cells)
    assert 1200 in [cell.value for cell in cells if cell.data_type == "n"]


def test_the_indsats_register_workbook(client_as, medarbejder, hostile_afdeling):
    IndsatsFactory(titel=HOSTILE, afdelinger=[hostile_afdeling], startdato=date(2025, 1, 1))
    assert_guarded_xlsx(xlsx_cells(client_as(medarbejder).get(reverse("indsats_export"))))


def test_the_workbook_of_what_is_due(client_as, sekretariat):
    plan = HelhedsplanFactory(indsats__titel=HOSTILE, tilstand="aktiv")  # a running plan's reports are due
    Rapporteringsforpligtelse.objects.create(
        plan=plan, type=Rapporteringstype.objects.order_by("pk").first(), aar=2025, frist=date(2026, 6, 30)
    )
    assert_guarded_xlsx(xlsx_cells(client_as(sekretariat).get(reverse("due_export"))))


@pytest.fixture
def budgeted_indsats(medarbejder, hostile_afdeling):
    indsats = IndsatsFactory(
        titel="Helhedsplan Testparken",
        type=Indsatstype.objects.get(kode=Indsatstype.HELHEDSPLAN),
        startdato=date(2025, 1, 1),
        slutdato=date(2026, 12, 31),
        afdelinger=[hostile_afdeling],
    )
    omraade = budget_queries.budget_omraader(indsats)[0]
    omraade.navn = HOSTILE
    omraade.save()
    loen = Omkostningstype.objects.get(kode="loen")
    version = budget_actions.create_version(indsats, "praekvalifikation", acting_user=medarbejder)
    budget_actions.save_budget_line(
        version, 2025, omraade, loen, Decimal("1000000.00"), "-note", acting_user=medarbejder
    )
    budget_actions.save_regnskab_line(
        indsats, 2025, omraade, loen, Decimal("400000.00"), acting_user=medarbejder
    )
    return indsats


def test_the_budget_workbook(client_as, medarbejder, budgeted_indsats):
    cells = xlsx_cells(client_as(medarbejder).get(reverse("budget_export", args=[budgeted_indsats.pk])))
    assert_guarded_xlsx(cells)
    # The regnskab sheet's variance: 400.000 spent of 1.000.000, a negative number, not a text.
    assert -600000 in [cell.value for cell in cells if cell.data_type == "n"]


def test_the_import_templates(client_as, medarbejder, budgeted_indsats):
    client = client_as(medarbejder)
    # Saved as the admin saves it: the cost types are kept (screening.options) until one is saved.
    loen = Omkostningstype.objects.get(kode="loen")
    loen.navn = "=Løn"
    loen.save()
    Indikator.objects.filter(kode="beboere").update(kode="-beboere")
    regnskab = csv_rows(client.get(reverse("regnskab_template", args=[budgeted_indsats.pk])))
    assert ["2025", GUARDED, "'=Løn", "", ""] in regnskab
    screening = csv_rows(client.get(reverse("screening_import_template")))
    assert "'-beboere" in screening[0] and "-beboere" not in screening[0]
    afdeling = csv_rows(client.get(reverse("afdeling_import_template")))
    assert afdeling[1][7:] == ["250", "18500,5", "540"]


@pytest.mark.parametrize("niveau", ["omraade", "afdeling"])
def test_the_screening_command(hostile_afdeling, niveau, capsys):
    runde = make_round(2024)
    measure(runde, hostile_afdeling, **CALM_FIGURES)
    measure(runde, hostile_afdeling.boligomraade, **CALM_FIGURES)
    call_command("export_screening", "--aar", "2024", "--niveau", niveau)
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    texts = [value for row in rows[1:] for value in row]
    assert ("'+Tingbjerg" if niveau == "omraade" else GUARDED) in texts
    assert not any(value.startswith(tabular.FORMULA_START) for value in texts)
    assert "1200" in texts or "1200.00" in texts
