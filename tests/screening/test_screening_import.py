"""Import of screening figures: the happy path, idempotence, and the bad-file suite (nothing written)."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from screening import screening_import
from screening.models import Maaling, Screeningsrunde
from tests.factories import AfdelingFactory, OmraadeFactory, OrganisationFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "organisation;afdeling_nr;boligomraade;beboere;uden_job_uddannelse_pct;domfaeldte_pct;restancer_antal"
)
GOOD = HEADER + "\nfsb;01-10;;540;38,5;1,9;14\nfsb;01-13;;610;44;2,1;3\n;;Tingbjerg;3120;41,2;2,4;\n"


@pytest.fixture
def register(db):
    fsb = OrganisationFactory(navn="fsb")
    area = OmraadeFactory(navn="Tingbjerg")
    return {
        "a": AfdelingFactory(organisation=fsb, nummer="01-10", boligomraade=area),
        "b": AfdelingFactory(organisation=fsb, nummer="01-13", boligomraade=area),
        "area": area,
    }


def run(
    text: str, filename="tal.csv", aar=2024, national=Decimal("1.05"), encoding="utf-8", region_income=None
):
    content = text.encode(encoding) if isinstance(text, str) else text
    return screening_import.import_file(content, filename, aar, national, region_income=region_income)


def test_imports_afdelinger_and_area_rows(register):
    report = run(GOOD)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (11, 0, 0)
    runde = Screeningsrunde.objects.get(aar=2024)
    assert runde.regelsaet.kode == "2021"
    assert runde.landsgennemsnit_domfaeldte_pct == Decimal("1.05")
    assert runde.status == "kladde"
    stored = Maaling.objects.get(afdeling=register["a"], indikator__kode="uden_job_uddannelse_pct")
    assert stored.vaerdi == Decimal("38.5") and stored.kilde == "Danmarks Statistik"
    area_value = Maaling.objects.get(boligomraade=register["area"], indikator__kode="beboere")
    assert area_value.vaerdi == 3120


def test_importing_the_same_file_twice_changes_nothing(register):
    assert run(GOOD).ok
    before = list(Maaling.objects.order_by("pk").values_list("pk", "vaerdi", "kilde", "note", "aendret"))
    report = run(GOOD)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 11)
    assert (
        list(Maaling.objects.order_by("pk").values_list("pk", "vaerdi", "kilde", "note", "aendret")) == before
    )


def test_changed_figure_is_updated_and_the_rest_left_alone(register):
    run(GOOD)
    report = run(GOOD.replace("38,5", "39"))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 10)
    assert Maaling.objects.get(afdeling=register["a"], indikator__kode="uden_job_uddannelse_pct").vaerdi == 39


def test_national_rate_can_come_from_an_earlier_import(register):
    run(GOOD, national=Decimal("1.05"))
    assert run(GOOD.replace("38,5", "40"), national=None).ok
    assert Screeningsrunde.objects.get(aar=2024).landsgennemsnit_domfaeldte_pct == Decimal("1.05")


def test_xlsx_with_comma_file_kilde_and_note(register):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Organisation", "Afdeling_nr", "fraflytning_pct", "kilde", "note"])
    sheet.append(["FSB", "01-10", 12.5, "fsb's lejesystem 2024", "Renovering i 2. halvår"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = run(buffer.getvalue(), filename="tal.xlsx", national=None)
    assert report.ok, report.errors
    stored = Maaling.objects.get()
    assert (stored.vaerdi, stored.kilde, stored.note) == (
        Decimal("12.5"),
        "fsb's lejesystem 2024",
        "Renovering i 2. halvår",
    )


def xlsx_bytes(rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# (kind, file content, file name, message fragment). Each must be refused with nothing written.
BAD_FILES = [
    ("empty file", b"", "tal.csv", "Filen er tom"),
    ("header only", HEADER + "\n", "tal.csv", "ingen datarækker"),
    (
        "latin-1 encoding",
        (HEADER + "\nfsb;01-10;;540;38,5;1,9;14\nsø;01-13;;1;1;1;1\n").encode("latin-1"),
        "tal.csv",
        "UTF-8",
    ),
    (
        "tab delimiter",
        HEADER.replace(";", "\t") + "\nfsb\t01-10\t\t540\t38\t1\t1\n",
        "tal.csv",
        "adskilles med komma eller semikolon",
    ),
    (
        "no identifier column",
        "navn;beboere\nParken;500\n",
        "tal.csv",
        "mangler kolonnerne organisation og afdeling_nr",
    ),
    (
        "unknown indicator",
        "organisation;afdeling_nr;lykke_pct\nfsb;01-10;50\n",
        "tal.csv",
        "'lykke_pct' er ikke en kendt",
    ),
    ("text in a number", HEADER + "\nfsb;01-10;;mange;38;1;1\n", "tal.csv", "'mange' er ikke et tal"),
    ("share over 100", HEADER + "\nfsb;01-10;;540;100,5;1;1\n", "tal.csv", "mellem 0 og 100"),
    ("negative value", HEADER + "\nfsb;01-10;;540;-1;1;1\n", "tal.csv", "kan ikke være negativ"),
    ("count with decimals", HEADER + "\nfsb;01-10;;540;38;1;2,5\n", "tal.csv", "skal være et helt tal"),
    (
        "duplicate rows",
        HEADER + "\nfsb;01-10;;540;38;1;1\nFSB;01-10;;540;38;1;1\n",
        "tal.csv",
        "også i række 2",
    ),
    ("unknown afdeling", HEADER + "\nfsb;99-99;;540;38;1;1\n", "tal.csv", "Afdeling 99-99 i fsb findes ikke"),
    ("unknown area", HEADER + "\n;;Atlantis;540;38;1;1\n", "tal.csv", "'Atlantis' findes ikke"),
    (
        "row without identifier",
        HEADER + "\n;;;540;38;1;1\n",
        "tal.csv",
        "mangler organisation og afdeling_nr",
    ),
    (
        "afdeling-only indicator on an area",
        "boligomraade;restancer_antal\nTingbjerg;12\n",
        "tal.csv",
        "kun for afdelinger",
    ),
    ("more fields than headers", HEADER + "\nfsb;01-10;;540;38;1;1;99\n", "tal.csv", "flere felter end"),
    (
        "wrong area for the afdeling",
        HEADER + "\nfsb;01-10;Husum;540;38;1;1\n",
        "tal.csv",
        "hører ikke til 'Husum'",
    ),
    ("too many decimals", HEADER + "\nfsb;01-10;;540;38,123;1;1\n", "tal.csv", "mere end 2 decimaler"),
    ("not a spreadsheet", b"PK\x03\x04 this is not a workbook", "tal.xlsx", "kunne ikke læses som et Excel"),
    ("unsupported file type", b"%PDF-1.7", "tal.pdf", "Filtypen '.pdf' kan ikke læses"),
    (
        "no indicator columns",
        "organisation;afdeling_nr\nfsb;01-10\n",
        "tal.csv",
        "ingen kolonner med indikatorer",
    ),
    (
        "duplicate column",
        "organisation;afdeling_nr;beboere;beboere\nfsb;01-10;1;2\n",
        "tal.csv",
        "flere gange",
    ),
    (
        "organisation without afdeling_nr column",
        "organisation;boligomraade;beboere\n;Tingbjerg;3000\n",
        "tal.csv",
        "Kolonnen afdeling_nr mangler",
    ),
    (
        "xlsx with text in a number",
        xlsx_bytes([["boligomraade", "beboere"], ["Tingbjerg", "ca. 3000"]]),
        "tal.xlsx",
        "'ca. 3000' er ikke et tal",
    ),
]


COUNTS = "organisation;afdeling_nr;a_uden_job_uddannelse_antal;a_personer_18_64"
INCOME = "organisation;afdeling_nr;d_indkomst_sum;d_personer_15_64"
BAD_FILES += [
    ("count above its base", COUNTS + "\nfsb;01-10;333;332\n", "tal.csv", "er større end a_personer_18_64"),
    ("base of zero with a count", COUNTS + "\nfsb;01-10;0;0\n", "tal.csv", "a_personer_18_64 er 0"),
    ("count without its base", COUNTS + "\nfsb;01-10;128;\n", "tal.csv", "givet uden a_personer_18_64"),
    ("base without its count", COUNTS + "\nfsb;01-10;;332\n", "tal.csv", "givet uden a_uden_job_uddannelse"),
    (
        "non-western count above the residents",
        "organisation;afdeling_nr;beboere;ikke_vestlige_antal\nfsb;01-10;540;541\n",
        "tal.csv",
        "ikke_vestlige_antal (541) er større end beboere (540)",
    ),
    (
        "non-western count without residents",
        "organisation;afdeling_nr;ikke_vestlige_antal\nfsb;01-10;254\n",
        "tal.csv",
        "givet uden beboere",
    ),
    (
        "income without the region's average",
        INCOME + "\nfsb;01-10;48210000;290\n",
        "tal.csv",
        "Angiv regionens gennemsnitsindkomst",
    ),
    (
        "a row without the region's average",
        INCOME + ";d_region_gennemsnitsindkomst\nfsb;01-10;48210000;290;351200\nfsb;01-13;1;1;\n",
        "tal.csv",
        "Angiv regionens gennemsnitsindkomst",
    ),
    (
        "region's average of zero",
        INCOME + ";d_region_gennemsnitsindkomst\nfsb;01-10;48210000;290;0\n",
        "tal.csv",
        "d_region_gennemsnitsindkomst er 0",
    ),
    (
        "region's average without the income",
        "organisation;afdeling_nr;d_region_gennemsnitsindkomst\nfsb;01-10;351200\n",
        "tal.csv",
        "bruges kun sammen med d_indkomst_sum",
    ),
    (
        "income with persons of zero",
        INCOME + ";d_region_gennemsnitsindkomst\nfsb;01-10;1000;0;351200\n",
        "tal.csv",
        "d_personer_15_64 er 0",
    ),
    ("count with decimals", COUNTS + "\nfsb;01-10;12,5;332\n", "tal.csv", "skal være et helt tal"),
]


@pytest.mark.parametrize("kind,content,filename,message", BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_bad_file_is_refused_with_a_danish_message_and_nothing_written(
    register, kind, content, filename, message
):
    report = run(content, filename=filename)
    assert not report.ok
    assert any(message in error.message for error in report.errors), [e.message for e in report.errors]
    assert "Intet er gemt" in report.summary()
    assert not Maaling.objects.exists()
    assert not Screeningsrunde.objects.exists()


def test_bad_file_suite_has_at_least_twelve_kinds():
    assert len(BAD_FILES) >= 12


def test_every_problem_is_reported_row_by_row(register):
    report = run(HEADER + "\nfsb;01-10;;x;38;1;1\nfsb;99-99;;540;101;1;1\n")
    assert [(e.line, e.column) for e in report.errors] == [
        (2, "beboere"),
        (3, "afdeling_nr"),
        (3, "uden_job_uddannelse_pct"),
    ]


def test_final_year_is_refused(register):
    Screeningsrunde.objects.create(aar=2024, status="endelig")
    report = run(GOOD)
    assert not report.ok and "endelig" in report.errors[0].message
    assert not Maaling.objects.exists()


def test_conviction_figures_need_a_national_rate(register):
    report = run(GOOD, national=None)
    assert not report.ok and "landsgennemsnittet" in report.errors[0].message
    assert not Screeningsrunde.objects.exists()


@pytest.mark.parametrize("national", [Decimal(0), Decimal(101)])
def test_national_rate_must_be_a_share(register, national):
    assert not run(GOOD, national=national).ok


def test_validation_failure_midway_writes_nothing(register):
    """A bad last row must not leave the good first rows behind."""
    text = GOOD + "fsb;01-10;;540;38;1;1\n"  # duplicate of row 2
    assert not run(text).ok
    assert not Maaling.objects.exists()


def test_template_lists_every_indicator_and_is_importable(register, client_as, medarbejder):
    response = client_as(medarbejder).get("/screening/import/skabelon.csv")
    assert response.status_code == 200
    lines = response.content.decode("utf-8-sig").splitlines()
    header = lines[0].split(";")
    assert header[:3] == ["organisation", "afdeling_nr", "boligomraade"]
    assert {
        "beboere",
        "uden_job_uddannelse_pct",
        "domfaeldte_pct",
        "kun_grundskole_pct",
        "indkomst_pct_region",
        "ikke_vestlige_pct",
        "husleje_kr_m2",
        "udsaettelser_antal",
    } <= set(header)
    OmraadeFactory(navn="Eksempelområdet")
    assert run(
        response.content.decode("utf-8-sig").replace("Eksempelområdet", "Tingbjerg"), national=Decimal(1)
    ).ok


# --- counts and their bases ---------------------------------------------------------------------------

COUNTED = (
    "organisation;afdeling_nr;beboere;uden_job_uddannelse_pct;a_uden_job_uddannelse_antal;a_personer_18_64;"
    "d_indkomst_sum;d_personer_15_64;ikke_vestlige_antal;kun_grundskole_pct\n"
    "fsb;01-10;540;99;128;332;48210000;290;254;52\n"
)


def stored(unit, code):
    field = "afdeling" if not hasattr(unit, "afdelinger") else "boligomraade"
    row = Maaling.objects.filter(**{field: unit, "indikator__kode": code}).first()
    return None if row is None else row.vaerdi


def test_counts_give_the_share_and_are_kept_beside_it(register):
    report = run(COUNTED, region_income=Decimal(351200))
    assert report.ok, report.errors
    a = register["a"]
    # 128 / 332 = 38.554 %: the count wins over the 99 % given in the same row.
    assert stored(a, "uden_job_uddannelse_pct") == Decimal("38.55")
    assert stored(a, "a_uden_job_uddannelse_antal") == 128 and stored(a, "a_personer_18_64") == 332
    # 48.210.000 kr. / 290 persons = 166.241 kr. a person, 47.34 % of the region's 351.200 kr.
    assert stored(a, "indkomst_pct_region") == Decimal("47.34")
    assert stored(a, "d_region_gennemsnitsindkomst") == 351200
    assert stored(a, "ikke_vestlige_pct") == Decimal("47.04")  # 254 of 540 residents
    assert stored(a, "kun_grundskole_pct") == 52  # given as a share only
    assert report.created == 11  # 8 columns, and the D and non-western shares and the region's average
    assert run(COUNTED, region_income=Decimal(351200)).unchanged == 11


def test_the_region_average_in_a_row_wins_over_the_files(register):
    text = COUNTED.replace(";kun_grundskole_pct\n", ";d_region_gennemsnitsindkomst\n").replace(
        ";52\n", ";300000\n"
    )
    assert run(text, region_income=Decimal(351200)).ok
    assert stored(register["a"], "indkomst_pct_region") == Decimal("55.41")  # 166.241 / 300.000
    assert stored(register["a"], "d_region_gennemsnitsindkomst") == 300000


def test_a_share_given_alone_removes_the_counts_behind_it(register):
    assert run(COUNTED, region_income=Decimal(351200)).ok
    text = "organisation;afdeling_nr;uden_job_uddannelse_pct;indkomst_pct_region\nfsb;01-10;41;60\n"
    report = run(text)
    assert report.ok
    assert (report.updated, report.removed) == (2, 5)
    assert "5 fjernet" in report.summary()
    a = register["a"]
    assert stored(a, "uden_job_uddannelse_pct") == 41 and stored(a, "indkomst_pct_region") == 60
    for code in ("a_uden_job_uddannelse_antal", "a_personer_18_64", "d_indkomst_sum", "d_personer_15_64"):
        assert stored(a, code) is None
    assert stored(a, "d_region_gennemsnitsindkomst") is None
    # The non-western count was not given a share alone, so it stays with its share; so do the residents.
    assert stored(a, "ikke_vestlige_antal") == 254 and stored(a, "beboere") == 540


def test_an_area_row_can_carry_counts(register):
    text = "boligomraade;b_domfaeldte_antal;b_personer_15_plus\nTingbjerg;52;2600\n"
    assert run(text).ok
    assert stored(register["area"], "domfaeldte_pct") == 2


def test_conviction_counts_need_a_national_rate(register):
    report = run(
        "organisation;afdeling_nr;b_domfaeldte_antal;b_personer_15_plus\nfsb;01-10;5;400\n", national=None
    )
    assert not report.ok and "landsgennemsnittet" in report.errors[0].message


# --- the management commands -------------------------------------------------------------------------


def test_import_command(register, tmp_path, capsys):
    path = tmp_path / "tal.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_screening", str(path), "--aar", "2023", "--landsgennemsnit-domfaeldte-pct", "1,1")
    assert "11 oprettet" in capsys.readouterr().out
    assert Screeningsrunde.objects.get(aar=2023).landsgennemsnit_domfaeldte_pct == Decimal("1.1")
    call_command("import_screening", str(path), "--aar", "2023")
    assert "11 uændret" in capsys.readouterr().out


def test_import_command_reports_errors_and_fails(register, tmp_path, capsys):
    path = tmp_path / "tal.csv"
    path.write_text(HEADER + "\nfsb;01-10;;x;38;1;1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 fejl"):
        call_command("import_screening", str(path), "--aar", "2023", "--landsgennemsnit-domfaeldte-pct", "1")
    assert "række 2, kolonne beboere: 'x' er ikke et tal." in capsys.readouterr().err
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("import_screening", str(tmp_path / "nope.csv"), "--aar", "2023")
    with pytest.raises(CommandError, match="ikke et tal"):
        call_command(
            "import_screening", str(path), "--aar", "2023", "--landsgennemsnit-domfaeldte-pct", "lav"
        )
    with pytest.raises(CommandError, match="--region-gennemsnitsindkomst: 'høj' er ikke et tal"):
        call_command("import_screening", str(path), "--aar", "2023", "--region-gennemsnitsindkomst", "høj")


def test_import_command_takes_the_regions_average_income(register, tmp_path, capsys):
    path = tmp_path / "tal.csv"
    path.write_text(COUNTED, encoding="utf-8")
    with pytest.raises(CommandError, match="1 fejl"):
        call_command("import_screening", str(path), "--aar", "2023")
    assert "Angiv regionens gennemsnitsindkomst" in capsys.readouterr().err
    call_command("import_screening", str(path), "--aar", "2023", "--region-gennemsnitsindkomst", "351200")
    assert "11 oprettet" in capsys.readouterr().out
    assert stored(register["a"], "indkomst_pct_region") == Decimal("47.34")


# --- the template, one pass over every error, masked small counts --------------------------------------


def test_the_template_imports_as_it_is_downloaded(register, client_as, medarbejder):
    """Its example rows name an afdeling and an area of the register, and need nothing but the year."""
    client = client_as(medarbejder)
    template = client.get("/screening/import/skabelon.csv")
    upload = io.BytesIO(template.content)
    upload.name = "screening-skabelon.csv"
    response = client.post("/screening/import/", {"fil": upload, "aar": 2024})
    assert response.status_code == 302, response.text
    assert Maaling.objects.filter(afdeling=register["a"], indikator__kode="beboere").exists()
    assert Maaling.objects.filter(boligomraade=register["area"], indikator__kode="beboere").exists()


def test_every_error_is_reported_in_one_pass(register):
    """An unknown column, a missing national share and the rows' own errors, all in the first report."""
    text = (
        "organisation;afdeling_nr;boligomraade;beboere;domfaeldte_pct;ukendt\n"
        "fsb;01-10;;540;1,9;x\n"
        "fsb;99-99;;540;;\n"
        "fsb;01-13;;mange;;\n"
    )
    report = run(text, national=None)
    messages = [(error.line, error.column) for error in report.errors]
    assert (1, "ukendt") in messages
    assert (0, "domfaeldte_pct") in messages
    assert (3, "afdeling_nr") in messages
    assert (4, "beboere") in messages
    assert not Maaling.objects.exists()


def test_a_blank_column_needs_no_national_share(register):
    assert run("organisation;afdeling_nr;beboere;domfaeldte_pct\nfsb;01-10;540;\n", national=None).ok


def test_a_masked_small_count_is_accepted_and_not_stored(register):
    """The application writes counts under 5 as «< 5» for all but staff: a file with them imports, without
    those figures."""
    text = HEADER + "\nfsb;01-10;;540;38,5;1,9;< 5\nfsb;01-13;;610;44;2,1;<5\n"
    report = run(text)
    assert report.ok, report.errors
    assert report.masked == 2 and "2 maskerede små antal («< 5») er ikke gemt" in report.summary()
    assert not Maaling.objects.filter(indikator__kode="restancer_antal").exists()
    assert Maaling.objects.filter(indikator__kode="beboere").count() == 2


def test_a_masked_share_is_refused(register):
    report = run(HEADER + "\nfsb;01-10;;540;< 5;1,9;3\n")
    assert [(e.line, e.column) for e in report.errors] == [(2, "uden_job_uddannelse_pct")]
    assert "kun for antal" in report.errors[0].message
