"""The input limits (config/web/limits.py) hold for every import, through its upload page and its command.

Each hostile file is built here and is small on disk. Each is refused with a Danish message, nothing is
written, and the reader stops early: the files that test it carry a poison after the point where reading
must stop (broken XML, or a CSV quote that never closes), which would give another message if it were read.
The README's table of limits is held to the module.
"""

import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from config import password_reset_throttle
from config.web import limits, tabular
from finansiering import actuals_import
from finansiering.forms import AMOUNT_RANGE
from finansiering.models import Regnskabslinje
from finansiering.queries import budget_omraader
from helhedsplaner import uploads
from indsatser.models import Indikator, Indikatortal, Indsatstype, Maalsaetning
from screening import afdeling_import, screening_import
from screening.forms import AfdelingForm
from screening.models import Afdeling, Boligorganisation, Maaling, Screeningsimport
from tests.factories import AfdelingFactory, IndsatsFactory, OrganisationFactory
from tests.logins import log_in

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parent.parent / "README.md"
SPREADSHEET_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
# A CSV quote that never closes: read, it makes the rest of the file one field beyond the csv module's cap.
CSV_POISON = '\n"' + "y" * 140_000
# Broken XML, after more rows than the workbook reader reads ahead (16 kB).
XLSX_POISON = "".join(f'<row r="{n}"><c r="A{n}"><v>1</v></c></row>' for n in range(900_000, 901_000)) + "<<<"


# --- Files ------------------------------------------------------------------------------------------------


def csv_file(rows: list[list[str]], tail: str = "") -> bytes:
    return ("\n".join(";".join(row) for row in rows) + tail).encode()


def xlsx_file(rows: dict[int, list[str]], tail: str = "", parts: dict[str, str] | None = None) -> bytes:
    """A workbook whose first sheet holds `rows` (row number -> texts), then `tail` as it is: the sheet of a
    well-formed workbook written by the application, replaced; `parts` (name -> XML) added or replaced too."""
    cells = "".join(
        f'<row r="{number}">'
        + "".join(
            f'<c r="{chr(65 + index)}{number}" t="inlineStr"><is><t>{text}</t></is></c>'
            for index, text in enumerate(texts)
        )
        + "</row>"
        for number, texts in rows.items()
    )
    sheet = (
        '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        f"{cells}{tail}</sheetData></worksheet>"
    )
    template = zipfile.ZipFile(io.BytesIO(tabular.xlsx_response("x.xlsx", "Ark", ["x"], []).content))
    contents = {member.filename: template.read(member) for member in template.infolist()}
    contents.update({"xl/worksheets/sheet1.xml": sheet, **(parts or {})})
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as workbook:
        for name, part in contents.items():
            workbook.writestr(name, part)
    return buffer.getvalue()


def with_shared_strings(strings_xml: str) -> dict[str, str]:
    """The parts that give a workbook of xlsx_file the shared strings `strings_xml` (the <si> elements)."""
    template = zipfile.ZipFile(io.BytesIO(tabular.xlsx_response("x.xlsx", "Ark", ["x"], []).content))
    types = template.read("[Content_Types].xml").decode()
    relations = template.read("xl/_rels/workbook.xml.rels").decode()
    return {
        "xl/sharedStrings.xml": f'<sst xmlns="{SPREADSHEET_NS}">{strings_xml}</sst>',
        "[Content_Types].xml": types.replace(
            "</Types>",
            '<Override PartName="/xl/sharedStrings.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        ),
        "xl/_rels/workbook.xml.rels": relations.replace(
            "</Relationships>",
            '<Relationship Id="rId9" Target="sharedStrings.xml" Type="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships/sharedStrings"/></Relationships>',
        ),
    }


# --- The imports, each through its page and its command ---------------------------------------------------


@dataclass
class Target:
    """One way in: `run(content, filename)` answers the text the user reads; `row(number)` is a valid row
    of the import with `number` in its number column, under `header`."""

    header: list[str]
    number_row: object
    run: object

    def row(self, number: str) -> list[str]:
        return self.number_row(number)


def written() -> tuple:
    return (
        Afdeling.objects.count(),
        Boligorganisation.objects.count(),
        Maaling.objects.count(),
        Regnskabslinje.objects.count(),
        Indikatortal.objects.count(),
    )


def uploaded(content: bytes, filename: str):
    upload = io.BytesIO(content)
    upload.name = filename
    return upload


def command_errors(capsys, name: str, tmp_path, content: bytes, filename: str, *args) -> str:
    path = tmp_path / filename
    path.write_bytes(content)
    with pytest.raises(CommandError, match="Intet er gemt"):
        call_command(name, str(path), *args)
    return capsys.readouterr().err


@pytest.fixture
def indsats(db):
    afdeling = AfdelingFactory(organisation=OrganisationFactory(navn="fsb"), nummer="01-10")
    return IndsatsFactory(
        type=Indsatstype.objects.get(kode=Indsatstype.HELHEDSPLAN),
        startdato=date(2025, 1, 1),
        slutdato=date(2028, 12, 31),
        afdelinger=[afdeling],
    )


TARGETS = [
    "afdeling page",
    "afdeling command",
    "screening page",
    "screening command",
    "regnskab page",
    "goal figures page",
]


@pytest.fixture(params=TARGETS)
def target(
    request, client, medarbejder, indsats, tmp_path, capsys, settings, django_capture_on_commit_callbacks
):
    log_in(client, medarbejder)
    omraade = budget_omraader(indsats)[0].navn
    maalsaetning = Maalsaetning.objects.create(
        indsats=indsats, indikator=Indikator.objects.create(navn="Beskæftigelse", enhed="%")
    )
    afdeling_header = afdeling_import.COLUMNS

    def afdeling_row(number):
        return ["fsb", "02-20", "Navn", "Vej 1", "2400", "Bydel", "", number, "100", "20"]

    def screening_row(number):
        return ["fsb", "01-10", number]

    def page(url, content, filename, **fields):
        response = client.post(url, {"fil": uploaded(content, filename), **fields})
        assert response.status_code == 400
        return response.text.replace("&#x27;", "'")

    def screening_page(content, filename):
        # Files above 200 kB are imported by a background job; its page shows the report.
        settings.CELERY_TASK_ALWAYS_EAGER = True
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(
                reverse("screening_import"), {"fil": uploaded(content, filename), "aar": 2024}
            )
        if response.status_code == 302:
            assert Screeningsimport.objects.get().status == "failed"
            response = client.get(response["Location"])
        else:
            assert response.status_code == 400
        return response.text.replace("&#x27;", "'")

    ways = {
        "afdeling page": Target(
            afdeling_header, afdeling_row, lambda c, f: page(reverse("afdeling_import"), c, f)
        ),
        "afdeling command": Target(
            afdeling_header,
            afdeling_row,
            lambda c, f: command_errors(capsys, "import_afdelinger", tmp_path, c, f),
        ),
        "screening page": Target(["organisation", "afdeling_nr", "beboere"], screening_row, screening_page),
        "screening command": Target(
            ["organisation", "afdeling_nr", "beboere"],
            screening_row,
            lambda c, f: command_errors(capsys, "import_screening", tmp_path, c, f, "--aar", "2024"),
        ),
        "regnskab page": Target(
            ["aar", "indsatsomraade", "omkostningstype", "beloeb"],
            lambda number: ["2025", omraade, "Løn", number],
            lambda c, f: page(reverse("regnskab_import", args=[indsats.pk]), c, f),
        ),
        "goal figures page": Target(
            ["indikator", "enhed", "periode", "vaerdi"],
            lambda number: [maalsaetning.indikator.navn, maalsaetning.indikator.enhed, "2025", number],
            lambda c, f: page(reverse("goal_figures_import", args=[indsats.pk]), c, f),
        ),
    }
    return ways[request.param]


def refused(target, content: bytes, filename: str) -> str:
    before = written()
    text = target.run(content, filename)
    assert written() == before
    return text


# --- Hostile files ---------------------------------------------------------------------------------------


def test_a_csv_with_more_rows_than_the_limit_is_refused_at_the_first_row_beyond(target):
    rows = [target.header] + [["x"]] * (limits.MAX_ROWS + 1)
    text = refused(target, csv_file(rows, CSV_POISON), "mange.csv")
    assert "Filen har mere end 200.000 rækker under overskriften" in text
    assert "anførselstegn" not in text


def test_an_xlsx_with_a_row_far_below_the_limit_is_refused_without_reading_the_rows_between(target):
    rows = {1: target.header, 2: target.row("1"), limits.MAX_ROWS + 2: target.row("1")}
    text = refused(target, xlsx_file(rows, XLSX_POISON), "mange.xlsx")
    assert "Filen har mere end 200.000 rækker under overskriften" in text


def test_a_huge_cell_is_refused_and_not_repeated(target):
    huge = "x" * (limits.MAX_CELL_CHARS + 1000)
    for content, filename in (
        (csv_file([target.header, [huge]], CSV_POISON), "celle.csv"),
        (xlsx_file({1: target.header, 2: [huge]}, XLSX_POISON), "celle.xlsx"),
    ):
        text = refused(target, content, filename)
        assert "Række 2, kolonne " in text and "cellen har 2.000 tegn; højst 1.000 tegn pr. celle" in text
        assert "x" * (limits.QUOTED_CHARS + 1) not in text


def test_an_xlsx_that_unpacks_beyond_the_limit_is_refused_before_it_is_parsed(target):
    bomb = xlsx_file({1: target.header, 2: target.row("1")}, "<" * limits.MAX_UNPACKED_BYTES)
    assert len(bomb) < 200_000
    text = refused(target, bomb, "bombe.xlsx")
    assert "Regnearket fylder mere end 50 MB, når det pakkes ud, og kan ikke indlæses." in text


def test_an_xlsx_of_more_xml_elements_than_the_limit_is_refused_at_the_first_beyond(target):
    # A row of blank cells holds no value, but openpyxl built a row of four million of them whole (3 GB).
    row = '<row r="2">' + '<c r="A2"/>' * limits.MAX_XML_ELEMENTS
    text = refused(target, xlsx_file({1: target.header}, row + XLSX_POISON), "celler.xlsx")
    assert "Regnearket har mere end 2.000.000 XML-elementer" in text


def test_shared_strings_count_against_the_same_limit(target):
    # Three million tiny texts in a 130 kB file took openpyxl 71 s and 600 MB to read whole.
    strings = with_shared_strings("<si><t>x</t></si>" * (limits.MAX_XML_ELEMENTS // 2) + "<<<")
    text = refused(target, xlsx_file({1: target.header}, parts=strings), "tekster.xlsx")
    assert "Regnearket har mere end 2.000.000 XML-elementer" in text


@pytest.mark.parametrize(
    ("part", "filler"),
    [
        ("xl/styles.xml", '<xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'),
        ("xl/workbook.xml", '<definedName name="n">Ark!$A$1</definedName>'),
    ],
)
def test_a_workbook_part_read_whole_beyond_its_limit_is_refused_before_it_is_read(target, part, filler):
    # A megabyte of formats or names took openpyxl 20-40 s per 50 MB, and a gigabyte of memory.
    xml = f'<x xmlns="{SPREADSHEET_NS}">' + filler * (limits.MAX_WORKBOOK_PART_BYTES // len(filler)) + "<<<"
    text = refused(target, xlsx_file({1: target.header, 2: target.row("1")}, parts={part: xml}), "dele.xlsx")
    assert f"Regnearkets del {part} fylder mere end 1 MB, når den pakkes ud" in text


def test_an_xlsx_as_excel_writes_it_is_read_cell_for_cell():
    # Texts in the shared strings (rich text too, without its phonetic guide), inline text, numbers, a date
    # (style 2 is the template's yyyy-mm-dd), a truth value, and cells without their reference.
    strings = with_shared_strings(
        "<si><t>organisation</t></si><si><t>afdeling_nr</t></si>"
        '<si><r><t>fs</t></r><r><rPr><b/></rPr><t>b</t></r><rPh sb="0" eb="3"><t>ふりがな</t></rPh></si>'
    )
    names = ["beboere", "dato", "sand", "tekst"]
    header = '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c>' + "".join(
        f'<c t="inlineStr"><is><t>{name}</t></is></c>' for name in names
    )
    row = (
        '</row><row><c r="A2" t="s"><v>2</v></c>'
        '<c t="inlineStr"><is><r><t>01-</t></r><r><t>10</t></r></is></c>'
        '<c><v>12.5</v></c><c r="D2" s="2"><v>45292</v></c><c t="b"><v>1</v></c>'
        '<c r="F2" t="inlineStr"><is><t xml:space="preserve"> x </t></is></c></row>'
        '<row r="4"><c r="C4"><v>3</v><f>1+2</f></c></row>'
    )
    table = tabular.read_table(xlsx_file({}, header + row, strings), "excel.xlsx")
    assert table.columns == ["organisation", "afdeling_nr", *names]
    assert table.rows == [
        (
            2,
            {
                "organisation": "fsb",
                "afdeling_nr": "01-10",
                "beboere": "12.5",
                "dato": "2024-01-01 00:00:00",
                "sand": "True",
                "tekst": "x",
            },
        ),
        (4, {"organisation": "", "afdeling_nr": "", "beboere": "3", "dato": "", "sand": "", "tekst": ""}),
    ]


def test_a_file_larger_than_the_upload_limit_is_refused(target):
    content = csv_file([target.header]) + b"\n" + b"x" * limits.MAX_UPLOAD_BYTES
    assert "Filen er større end 5 MB." in refused(target, content, "stor.csv")


def test_a_number_with_a_huge_exponent_is_refused_as_text(target):
    text = refused(target, csv_file([target.header, target.row("1e1000000")]), "tal.csv")
    assert "'1e1000000' er ikke et tal." in text or "'1e1000000' er ikke et beløb." in text


def test_a_number_beyond_its_field_is_refused(target):
    text = refused(target, csv_file([target.header, target.row("99999999999999")]), "tal.csv")
    assert "'99999999999999' er for stort" in text or "Beløbet er for stort" in text


def test_a_dense_xlsx_beyond_the_row_limit_stops_at_the_limit(tmp_path, capsys):
    rows = "".join(f'<row r="{n}"><c r="A{n}"><v>{n}</v></c></row>' for n in range(2, limits.MAX_ROWS + 3))
    header = '<row r="1"><c r="A1" t="inlineStr"><is><t>organisation</t></is></c></row>'
    content = xlsx_file({}, header + rows + XLSX_POISON)
    assert len(content) < limits.MAX_UPLOAD_BYTES
    error = command_errors(capsys, "import_afdelinger", tmp_path, content, "mange.xlsx")
    assert "Filen har mere end 200.000 rækker under overskriften" in error
    assert Afdeling.objects.count() == 0


# --- Numbers: the import refuses what the field and its form refuse ---------------------------------------

AFDELING_HEADER = ",".join(afdeling_import.COLUMNS) + "\n"


def afdeling_rows(*counts: tuple[str, str]) -> bytes:
    return (
        AFDELING_HEADER
        + "".join(
            f"fsb,{n},Navn,Vej 1,2400,Bydel,,{lejemaal},100,{beboere}\n"
            for n, (lejemaal, beboere) in enumerate(counts, start=1)
        )
    ).encode()


def test_counts_beyond_the_integer_column_are_refused_not_cut_to_32_bits():
    # Enough rows that the insert is a prepared statement (prepare_threshold 5, config/settings.py), which
    # stored 99999999999 as 1215752191 and 4294967301 as 5.
    counts = [("10", "20")] * 7 + [("99999999999", "4294967301")]
    report = afdeling_import.import_file(afdeling_rows(*counts), "afdelinger.csv")
    assert [(e.line, e.column, e.message) for e in report.errors] == [
        (9, "lejemaal", "'99999999999' er for stort; tallet skal ligge fra 0 til 2.147.483.647."),
        (9, "beboere", "'4294967301' er for stort; tallet skal ligge fra 0 til 2.147.483.647."),
    ]
    assert Afdeling.objects.count() == 0


def test_the_largest_count_the_form_accepts_is_imported_exactly_and_one_more_is_refused_by_both():
    largest = afdeling_import.NUMBER_RANGES["lejemaal"].maximum
    assert largest == 2_147_483_647
    counts = [("10", "20")] * 7 + [(str(largest), str(largest))]
    assert afdeling_import.import_file(afdeling_rows(*counts), "afdelinger.csv").ok
    assert Afdeling.objects.get(nummer="8").lejemaal == largest == Afdeling.objects.get(nummer="8").beboere
    organisation = Boligorganisation.objects.get()
    data = {
        "organisation": organisation.pk,
        "nummer": "99",
        "navn": "N",
        "adresse": "V 1",
        "postnr": "2400",
        "bydel": "B",
        "areal_m2": "1",
        "beboere": "1",
    }
    assert AfdelingForm({**data, "lejemaal": str(largest)}).is_valid()
    assert not AfdelingForm({**data, "lejemaal": str(largest + 1)}).is_valid()
    report = afdeling_import.import_file(afdeling_rows((str(largest + 1), "1")), "afdelinger.csv")
    assert report.errors[0].message.startswith("'2147483648' er for stort")


def test_a_figure_beyond_the_measurement_column_is_refused_not_a_database_error():
    AfdelingFactory(organisation=OrganisationFactory(navn="fsb"), nummer="01-10")
    content = b"organisation;afdeling_nr;beboere\nfsb;01-10;10000000000\n"
    report = screening_import.import_file(content, "tal.csv", 2024)
    assert [(e.column, e.message) for e in report.errors] == [
        (
            "beboere",
            "'10000000000' er for stort; tallet skal ligge fra \u22129.999.999.999,99 til 9.999.999.999,99.",
        )
    ]
    assert not Maaling.objects.exists()


@pytest.mark.parametrize("year", ["²⁰²⁵", "9" * limits.MAX_CELL_CHARS, "2025,5", "1e3"])
def test_a_year_that_is_no_whole_number_is_explained(indsats, year, medarbejder):
    omraade = budget_omraader(indsats)[0].navn
    content = f"aar;indsatsomraade;omkostningstype;beloeb\n{year};{omraade};Løn;100\n".encode()
    report = actuals_import.import_file(content, "regnskab.csv", indsats, acting_user=medarbejder)
    assert [e.column for e in report.errors] == ["aar"]
    assert "er ikke et årstal" in report.errors[0].message and len(report.errors[0].message) < 80


def test_amounts_share_their_limit_with_the_amount_fields():
    assert AMOUNT_RANGE == limits.NumberRange(Decimal(0), Decimal("999999999999.99"), 2)
    assert actuals_import.NOTE_LIMIT == Regnskabslinje._meta.get_field("note").max_length


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("1e1000000", "'1e1000000' er ikke et tal."),
        ("-Infinity", "'-Infinity' er ikke et tal."),
        ("NaN", "'NaN' er ikke et tal."),
        ("1_000", "'1_000' er ikke et tal."),
        ("٣", "'٣' er ikke et tal."),
        (
            "1" * 100,
            "'" + "1" * limits.QUOTED_CHARS + "…' er for stort; tallet skal ligge fra 0 til 2.147.483.647.",
        ),
        ("-1", "'-1' er negativt; tallet skal ligge fra 0 til 2.147.483.647."),
        ("2,5", "'2,5' skal være et helt tal."),
    ],
)
def test_numbers_are_read_by_their_form_before_any_conversion(text, message):
    with pytest.raises(ValueError) as refusal:
        tabular.parse_number(text, afdeling_import.NUMBER_RANGES["lejemaal"])
    assert str(refusal.value) == message


# --- The request body -------------------------------------------------------------------------------------


def test_a_request_body_larger_than_any_form_takes_is_refused_unread(client_as, medarbejder):
    client = client_as(medarbejder)
    body = b"x" * (limits.MAX_REQUEST_BYTES + 1)
    response = client.generic("POST", reverse("afdeling_import"), body, content_type="multipart/form-data")
    assert (
        response.status_code == 413 and response.text == "Forespørgslen er for stor: højst 12 MB ad gangen."
    )
    assert limits.MAX_REQUEST_BYTES >= uploads.MAX_BYTES + 1024 * 1024
    # Just within: the form reads the file and refuses it by its size, in Danish.
    content = csv_file([afdeling_import.COLUMNS]) + b"\n" + b"x" * (limits.MAX_REQUEST_BYTES - 100_000)
    response = client.post(reverse("afdeling_import"), {"fil": uploaded(content, "stor.csv")})
    assert response.status_code == 400 and "Filen er større end 5 MB." in response.text


# --- The README states the limits the module holds ---------------------------------------------------------


def test_the_readme_states_every_limit():
    readme = README.read_text(encoding="utf-8")
    table = readme[readme.index("### Input limits") :]
    table = table[: table.index("\n\n", table.index("|"))]
    stated = {
        f"{limits.megabytes(limits.MAX_UPLOAD_BYTES)}",
        f"{limits.megabytes(limits.MAX_UNPACKED_BYTES)}",
        f"{limits.megabytes(limits.MAX_REQUEST_BYTES)}",
        f"{limits.megabytes(limits.MAX_WORKBOOK_PART_BYTES)}",
        f"{limits.MAX_XML_ELEMENTS:,}".replace(",", "."),
        f"{limits.MAX_ROWS:,}".replace(",", "."),
        f"{limits.MAX_COLUMNS}",
        f"{limits.MAX_CELL_CHARS:,}".replace(",", "."),
        f"{limits.MAX_TEXT_CHARS:,} characters".replace(",", "."),
        afdeling_import.NUMBER_RANGES["lejemaal"].describe(),
        afdeling_import.NUMBER_RANGES["areal_m2"].describe(),
        screening_import.VALUE_RANGE.describe(),
        AMOUNT_RANGE.describe(),
        f"{password_reset_throttle.PER_ADDRESS_LIMIT} links an hour per typed address",
        f"{password_reset_throttle.PER_CLIENT_LIMIT} requests an hour per client address",
    }
    missing = {value for value in stated if not re.search(re.escape(value), table)}
    assert not missing, f"README's input limits lack {missing}"
