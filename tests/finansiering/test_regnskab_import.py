"""The regnskab import: bad files are refused row by row in Danish with nothing written; good files are
written in one go, and importing the same file again changes nothing."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from finansiering import actuals_import
from finansiering.models import Regnskabslinje

pytestmark = pytest.mark.django_db
HEADER = "aar;indsatsomraade;omkostningstype;beloeb;note"


def csv(*rows, header=HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def xlsx(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def messages(report):
    return [(e.line, e.column, e.message) for e in report.errors]


def test_good_file_is_written_and_reimporting_changes_nothing(indsats, omraader, medarbejder):
    content = csv(
        f"2025;{omraader[0].navn};Løn;812.500,00;Lønninger 2025",
        f"2025;{omraader[0].navn.upper()};aktiviteter;120000.5;",
        f"2026;{omraader[1].navn};Evaluering;0;",
        f"2027;{omraader[1].navn};Evaluering;;",  # no amount: not reported yet, left alone
    )
    report = actuals_import.import_file(content, "regnskab.csv", indsats, acting_user=medarbejder)
    assert report.ok and (report.created, report.updated, report.unchanged) == (2, 0, 1)
    assert sorted(Regnskabslinje.objects.values_list("beloeb", flat=True)) == [
        Decimal("120000.50"),
        Decimal("812500.00"),
    ]
    again = actuals_import.import_file(content, "regnskab.csv", indsats, acting_user=medarbejder)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)
    changed = actuals_import.import_file(
        csv(f"2025;{omraader[0].navn};loen;800000;"), "r.csv", indsats, acting_user=medarbejder
    )
    assert changed.updated == 1
    assert Regnskabslinje.objects.get(omkostningstype__kode="loen").note == ""


def test_xlsx_file(indsats, omraader, medarbejder):
    content = xlsx(
        [["aar", "indsatsomraade", "omkostningstype", "beloeb"], [2028, omraader[2].navn, "Løn", 12.5]]
    )
    report = actuals_import.import_file(content, "regnskab.xlsx", indsats, acting_user=medarbejder)
    assert report.ok and Regnskabslinje.objects.get().beloeb == Decimal("12.50")


def test_every_bad_row_is_reported_and_nothing_is_written(indsats, omraader, medarbejder):
    content = csv(
        f"2025;{omraader[0].navn};Løn;1000;",  # fine, but not written because of the others
        f"2030;{omraader[0].navn};Løn;1000;",
        f"tyve;{omraader[0].navn};Løn;1000;",
        "2025;Ukendt område;Løn;1000;",
        f"2025;{omraader[0].navn};Kaffe;1000;",
        f"2026;{omraader[0].navn};Løn;-5;",
        f"2026;{omraader[1].navn};Løn;12,345;",
        f"2026;{omraader[2].navn};Løn;mange;",
        f"2025;{omraader[0].navn};loen;2000;",
    )
    report = actuals_import.import_file(content, "regnskab.csv", indsats, acting_user=medarbejder)
    assert not report.ok
    assert messages(report) == [
        (3, "aar", "2030 ligger uden for indsatsens periode (2025–2028)."),
        (4, "aar", "'tyve' er ikke et årstal."),
        (5, "indsatsomraade", "'Ukendt område' er ikke et af indsatsens indsatsområder."),
        (6, "omkostningstype", "'Kaffe' er ikke en kendt omkostningstype."),
        (7, "beloeb", "Beløbet kan ikke være negativt."),
        (8, "beloeb", "Beløbet må højst have to decimaler (øre)."),
        (9, "beloeb", "'mange' er ikke et beløb. Skriv fx 125.000,00."),
        (10, "", "Samme år, område og type står også i række 2."),
    ]
    assert report.summary() == "8 fejl i filen. Intet er gemt."
    assert not Regnskabslinje.objects.exists()


@pytest.mark.parametrize(
    "content,name,message",
    [
        (b"", "r.csv", "Filen er tom."),
        (
            b"aar;beloeb\n2025;1\n",
            "r.csv",
            "Filen mangler kolonnen/kolonnerne: indsatsomraade, omkostningstype.",
        ),
        (b"\xff\xfe\x00a", "r.csv", "ikke gemt som UTF-8"),
        (b"PK\x03\x04 not really", "r.xlsx", "kunne ikke læses som et Excel-regneark"),
        (b"aar,beloeb", "r.pdf", "Filtypen '.pdf' kan ikke læses"),
        (HEADER.encode(), "r.csv", "ingen datarækker"),
    ],
)
def test_bad_files(indsats, content, name, message, medarbejder):
    report = actuals_import.import_file(content, name, indsats, acting_user=medarbejder)
    assert not report.ok and message in report.errors[0].message
    assert not Regnskabslinje.objects.exists()


def test_import_page(client_as, medarbejder, indsats, omraader):
    client = client_as(medarbejder)
    url = reverse("regnskab_import", args=[indsats.pk])
    assert client.get(url).status_code == 200
    bad = SimpleUploadedFile("r.csv", csv(f"2031;{omraader[0].navn};Løn;1;"))
    response = client.post(url, {"fil": bad})
    assert response.status_code == 400 and "2031 ligger uden for" in response.content.decode()
    good = SimpleUploadedFile("r.csv", csv(f"2026;{omraader[0].navn};Løn;1;"))
    response = client.post(url, {"fil": good})
    assert response.status_code == 302 and Regnskabslinje.objects.count() == 1
    template = client.get(reverse("regnskab_template", args=[indsats.pk]))
    lines = template.content.decode("utf-8-sig").splitlines()
    assert lines[0] == "aar;indsatsomraade;omkostningstype;beloeb;note"
    assert len(lines) == 1 + 4 * 4 * 6
    assert actuals_import.import_file(template.content, "skabelon.csv", indsats, acting_user=medarbejder).ok
