"""The afdeling import: good files write exactly once, bad files write nothing and say why, row by row."""

import io
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from config.web.tabular import read_table
from screening import afdeling_import, options
from screening.models import Afdeling, Boligomraade, Boligorganisation, Screeningsrunde

pytestmark = pytest.mark.django_db

HEADER = "organisation,afdeling_nr,navn,adresse,postnr,bydel,boligomraade,lejemaal,areal_m2,beboere\n"
GOOD = HEADER + (
    "fsb,01-52,Lærkeparken,Lærkevej 1,2400,Bispebjerg,Bispebjerg/Nordvest,250,18500.5,540\n"
    "AAB,12,Bøgehaven,Bøgevej 2,2700,Brønshøj-Husum,Husum,120,9000,260\n"
)


def run(text: str, filename: str = "afdelinger.csv", encoding: str = "utf-8"):
    return afdeling_import.import_file(text.encode(encoding), filename)


def test_good_file_creates_organisations_areas_and_afdelinger():
    report = run(GOOD)
    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (2, 0, 0)
    assert set(Boligorganisation.objects.values_list("navn", flat=True)) == {"fsb", "AAB"}
    assert set(Boligomraade.objects.values_list("navn", flat=True)) == {"Bispebjerg/Nordvest", "Husum"}
    afdeling = Afdeling.objects.get(nummer="01-52")
    assert str(afdeling.areal_m2) == "18500.50" and afdeling.beboere == 540


def test_reimporting_the_same_file_changes_nothing():
    run(GOOD)
    history_before = Afdeling.history.count()
    report = run(GOOD)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 2)
    assert Afdeling.history.count() == history_before


def test_changed_row_updates_the_afdeling():
    run(GOOD)
    report = run(GOOD.replace("Lærkeparken", "Lærkeparken Nord"))
    assert (report.created, report.updated, report.unchanged) == (0, 1, 1)
    assert Afdeling.objects.get(nummer="01-52").navn == "Lærkeparken Nord"


def test_semicolons_and_danish_decimals_are_read():
    text = GOOD.replace(",", ";").replace("18500.5", "18.500,5")
    report = run(text)
    assert report.ok, report.errors
    assert str(Afdeling.objects.get(nummer="01-52").areal_m2) == "18500.50"


def test_xlsx_is_read():
    workbook = Workbook()
    sheet = workbook.active
    for line in GOOD.splitlines():
        sheet.append(
            [int(v) if v.isdigit() and len(v) > 2 and not v.startswith("0") else v for v in line.split(",")]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    report = afdeling_import.import_file(buffer.getvalue(), "afdelinger.xlsx")
    assert report.ok, report.errors
    assert Afdeling.objects.count() == 2


BAD_FILES = {
    "missing column": (HEADER.replace(",beboere", "") + "fsb,1,A,V 1,2400,B,O,1,1\n", "mangler kolonnen"),
    "text in a number": (HEADER + "fsb,1,A,V 1,2400,B,O,mange,1,1\n", "'mange' er ikke et tal"),
    "negative count": (HEADER + "fsb,1,A,V 1,2400,B,O,-4,1,1\n", "negativt"),
    "negative area": (HEADER + "fsb,1,A,V 1,2400,B,O,4,-1,1\n", "'-1' er negativt"),
    "duplicate afdeling": (
        HEADER + "fsb,1,A,V 1,2400,B,O,1,1,1\nFSB,1,B,V 2,2400,B,O,1,1,1\n",
        "også i række 2",
    ),
    "empty required field": (HEADER + "fsb,1,,V 1,2400,B,O,1,1,1\n", "Feltet skal udfyldes"),
    "bad postal code": (HEADER + "fsb,1,A,V 1,24,B,O,1,1,1\n", "postnummer på fire cifre"),
    "afdeling number in other digits": (HEADER + "fsb,٩٩٥,A,V 1,2400,B,O,1,1,1\n", "cifre, der ikke er 0-9"),
    "too many decimals": (HEADER + "fsb,1,A,V 1,2400,B,O,1,1.234,1\n", "mere end 2 decimaler"),
    "fraction of a count": (HEADER + "fsb,1,A,V 1,2400,B,O,1.5,1,1\n", "'1.5' skal være et helt tal"),
    "extra fields": (HEADER + "fsb,1,A,V 1,2400,B,O,1,1,1,ekstra\n", "flere felter"),
    "empty file": ("", "Filen er tom"),
    "header only": (HEADER, "ingen datarækker"),
    "wrong delimiter": (HEADER.replace(",", "|") + "fsb|1|A|V 1|2400|B|O|1|1|1\n", "komma eller semikolon"),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_writes_nothing_and_explains(case):
    text, expected = BAD_FILES[case]
    report = run(text)
    assert not report.ok
    assert any(expected in error.message for error in report.errors), [e.message for e in report.errors]
    assert Afdeling.objects.count() == 0 and Boligorganisation.objects.count() == 0


def test_one_bad_row_among_good_ones_writes_nothing():
    report = run(GOOD + "fsb,01-53,Hylden,Hyldevej 3,2400,Bispebjerg,,xx,1,1\n")
    assert [(e.line, e.column) for e in report.errors] == [(4, "lejemaal")]
    assert Afdeling.objects.count() == 0


def test_wrong_encoding_is_explained():
    report = run(GOOD, encoding="cp1252")
    assert "UTF-8" in report.errors[0].message
    assert Afdeling.objects.count() == 0


def test_wrong_file_type_is_explained():
    report = afdeling_import.import_file(b"%PDF-1.7", "afdelinger.pdf")
    assert "kan ikke læses" in report.errors[0].message


def test_broken_xlsx_is_explained():
    report = afdeling_import.import_file(b"not a zip", "afdelinger.xlsx")
    assert "Excel" in report.errors[0].message


def rows(count: int, lejemaal: int = 100) -> str:
    return HEADER + "".join(
        f"{'fsb' if n % 2 else f'Org {n % 5}'},{n},Afdeling {n},Vej {n},2400,Bispebjerg,"
        f"{f'Område {n % 7}' if n % 3 else ''},{lejemaal},1000,{lejemaal * 2}\n"
        for n in range(count)
    )


@pytest.mark.parametrize("count", [5, 50])
def test_an_import_runs_the_same_queries_for_five_rows_as_for_fifty(
    count, medarbejder, django_assert_num_queries
):
    """New and changed afdelinger are written in bulk with their history, and the rounds marked stale once."""
    with django_assert_num_queries(10):
        # savepoint; organisations read and the new ones written, areas likewise; afdelinger read; the new
        # afdelinger and their history written; the rounds marked stale; savepoint released
        report = afdeling_import.import_table(
            read_table(rows(count).encode(), "a.csv"), acting_user=medarbejder
        )
    assert report.created == count
    with django_assert_num_queries(8):
        # savepoint; organisations, areas and afdelinger read; the changed afdelinger and their history
        # written; the rounds marked stale; savepoint released
        report = afdeling_import.import_table(
            read_table(rows(count, lejemaal=200).encode(), "a.csv"), acting_user=medarbejder
        )
    assert report.updated == count and Afdeling.objects.filter(lejemaal=200).count() == count
    history = Afdeling.history.filter(nummer="1")
    assert [(h.history_type, h.history_user, h.lejemaal) for h in history] == [
        ("~", medarbejder, 200),
        ("+", medarbejder, 100),
    ]


def test_an_import_marks_the_rounds_stale_and_new_options_show(medarbejder):
    """What the afdelingers' save signals did for each row, the import does once."""
    runde = Screeningsrunde.objects.create(aar=2031, landsgennemsnit_domfaeldte_pct=Decimal("1.0"))
    Screeningsrunde.objects.filter(pk=runde.pk).update(resultater_beregnet=timezone.now())
    version = options.LISTS.version()
    afdeling_import.import_table(read_table(GOOD.encode(), "a.csv"), acting_user=medarbejder)
    assert Screeningsrunde.objects.get(pk=runde.pk).resultater_beregnet is None
    assert options.LISTS.version() != version
    assert Afdeling.objects.get(nummer="01-52").aendret is not None


def test_command_imports_and_reports(tmp_path, capsys):
    path = tmp_path / "afdelinger.csv"
    path.write_text(GOOD, encoding="utf-8")
    call_command("import_afdelinger", str(path))
    assert "2 oprettet" in capsys.readouterr().out
    call_command("import_afdelinger", str(path))
    assert "2 uændret" in capsys.readouterr().out


def test_command_fails_on_bad_file(tmp_path, capsys):
    path = tmp_path / "afdelinger.csv"
    path.write_text(HEADER + "fsb,1,A,V 1,2400,B,O,mange,1,1\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Intet er gemt"):
        call_command("import_afdelinger", str(path))
    assert "række 2, kolonne lejemaal" in capsys.readouterr().err
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("import_afdelinger", str(tmp_path / "mangler.csv"))


def test_upload_page_imports_for_staff(client_as, medarbejder):
    client = client_as(medarbejder)
    upload = io.BytesIO(GOOD.encode())
    upload.name = "afdelinger.csv"
    response = client.post(reverse("afdeling_import"), {"fil": upload})
    assert response.status_code == 302
    assert Afdeling.objects.count() == 2
    assert {record.history_user for record in Afdeling.history.all()} == {medarbejder}


def test_upload_page_shows_row_errors(client_as, medarbejder):
    upload = io.BytesIO((HEADER + "fsb,1,A,V 1,2400,B,O,mange,1,1\n").encode())
    upload.name = "afdelinger.csv"
    response = client_as(medarbejder).post(reverse("afdeling_import"), {"fil": upload})
    assert response.status_code == 400
    assert "&#x27;mange&#x27; er ikke et tal" in response.text
    assert Afdeling.objects.count() == 0


def test_upload_page_without_a_file_says_so(client_as, medarbejder):
    response = client_as(medarbejder).post(reverse("afdeling_import"))
    assert response.status_code == 400
    assert "Dette felt er påkrævet." in response.text
    assert Afdeling.objects.count() == 0


def test_board_member_cannot_import(client_as, bestyrelse):
    upload = io.BytesIO(GOOD.encode())
    upload.name = "afdelinger.csv"
    response = client_as(bestyrelse).post(reverse("afdeling_import"), {"fil": upload})
    assert response.status_code == 403
    assert not Afdeling.objects.filter(nummer="01-52").exists()


def test_template_download(client_as, medarbejder):
    response = client_as(medarbejder).get(reverse("afdeling_import_template"))
    assert response.content.decode("utf-8-sig").splitlines()[0] == ";".join(afdeling_import.COLUMNS)
