"""Counts and bases through the import page to the pages and the report: an area computed exactly from its
afdelinger's counts, and the same area from their shares alone, approximately and in another class."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse

from helhedsplaner import screening_report
from screening import actions, assessment, criteria
from screening.models import Maaling, Screeningsrunde
from tests.factories import AfdelingFactory

pytestmark = pytest.mark.django_db

HEADER = (
    "organisation;afdeling_nr;beboere;domfaeldte_pct;b_domfaeldte_antal;b_personer_15_plus;"
    "a_uden_job_uddannelse_antal;a_personer_18_64;c_kun_grundskole_antal;c_personer_30_59;"
    "d_indkomst_sum;d_personer_15_64;ikke_vestlige_antal"
)
# The numbers of tests/screening/test_criteria.py's hand computation: A 38,75 % counted, 41 % weighted.
ROWS = ["600;;3;480;150;300;130;200;49000000;280;420", "600;;9;500;160;500;163;250;110250000;450;120"]
SHARES = (
    "organisation;afdeling_nr;uden_job_uddannelse_pct;kun_grundskole_pct;indkomst_pct_region;"
    "ikke_vestlige_pct"
)
SHARE_ROWS = ["50;65;50;70", "32;65,2;70;20"]


@pytest.fixture
def pair(own_afdeling):
    area = own_afdeling.boligomraade
    area.navn = "Tællevej"
    area.save()
    own_afdeling.beboere = 600
    own_afdeling.save()
    neighbour = AfdelingFactory(navn="Naboblokken", boligomraade=area, beboere=600)
    return [own_afdeling, neighbour]


def upload(client, header, rows, afdelinger, **fields):
    lines = [header] + [
        f"{a.organisation.navn};{a.nummer};{row}" for a, row in zip(afdelinger, rows, strict=True)
    ]
    handle = io.BytesIO("\n".join(lines).encode())
    handle.name = "tal.csv"
    data = {"fil": handle, "aar": 2024, "landsgennemsnit": "1,05", **fields}
    return client.post(reverse("screening_import"), data)


def finalise(user):
    """The import made 2024 a draft, which only staff see: make it final for the secretariat and the board."""
    actions.finalize_round(Screeningsrunde.objects.get(aar=2024), acting_user=user)


def test_counts_make_the_area_exact_and_shares_alone_approximate(client_as, medarbejder, sekretariat, pair):
    staff = client_as(medarbejder)
    refused = upload(staff, HEADER, ROWS, pair)
    assert refused.status_code == 400 and "Angiv regionens gennemsnitsindkomst" in refused.text
    assert not Maaling.objects.exists()
    response = upload(staff, HEADER, ROWS, pair, region_gennemsnitsindkomst="350000")
    assert response.status_code == 302, response.text
    finalise(medarbejder)

    area_url = reverse("screening_omraade", args=[pair[0].boligomraade_id])
    page = client_as(sekretariat).get(area_url, {"aar": 2024}).text
    assert "Områdets tal: eksakt: afdelingernes antal og grundlag." in page
    assert "38,75 %" in page and "Forebyggelsesområde" in page
    overview = client_as(sekretariat).get(reverse("screening_overview"), {"aar": 2024}).text
    assert '<br><span class="screening-muted">eksakt</span>' in overview
    report = screening_report.report_context(Screeningsrunde.objects.get(aar=2024))
    assert [(row.navn, row.klassifikation, row.metode) for row in report["omraader"]] == [
        ("Tællevej", "Forebyggelsesområde", "eksakt")
    ]

    # The same afdelinger's shares alone: the counts go, and the area, weighted by residents, is udsat.
    actions.reopen_round(Screeningsrunde.objects.get(aar=2024), "Andelene i stedet", acting_user=medarbejder)
    assert upload(client_as(medarbejder), SHARES, SHARE_ROWS, pair).status_code == 302
    finalise(medarbejder)
    assert not Maaling.objects.filter(indikator__kode="a_personer_18_64").exists()
    page = client_as(sekretariat).get(area_url, {"aar": 2024}).text
    assert "Områdets tal: tilnærmet: afdelingernes andele vægtet med antal beboere." in page
    assert "41,0 %" in page and "Udsat boligområde" in page
    overview = client_as(sekretariat).get(reverse("screening_overview"), {"aar": 2024}).text
    assert '<br><span class="screening-muted">tilnærmet</span>' in overview


def test_the_afdeling_page_shows_the_count_behind_a_share_and_masks_small_ones(
    client_as, medarbejder, bestyrelse, pair
):
    assert (
        upload(client_as(medarbejder), HEADER, ROWS, pair, region_gennemsnitsindkomst="350000").status_code
        == 302
    )
    finalise(medarbejder)
    url = reverse("screening_afdeling", args=[pair[0].pk])
    staff = client_as(medarbejder).get(url).text
    assert "150 af 300" in staff and "3 af 480" in staff
    assert "49.000.000 kr. for 280 personer; regionens gennemsnit 350.000 kr." in staff
    # The counts and bases are not indicators of their own in the list, the charts or the history.
    assert "A: 18-64-årige" not in staff
    board = client_as(bestyrelse).get(url).text
    assert "&lt;\u00a05 af 480" in board and "3 af 480" not in board
    assert Decimal(Maaling.objects.get(afdeling=pair[0], indikator__kode="domfaeldte_pct").vaerdi) == Decimal(
        "0.62"  # 3 of 480 is 0.625 %, rounded half to even
    )


def test_an_area_with_counts_from_only_some_afdelinger_is_approximate(
    client_as, medarbejder, sekretariat, pair
):
    third = AfdelingFactory(boligomraade=pair[0].boligomraade, beboere=100)
    staff = client_as(medarbejder)
    assert upload(staff, HEADER, ROWS, pair, region_gennemsnitsindkomst="350000").status_code == 302
    assert upload(staff, SHARES, ["30;50;80;10"], [third]).status_code == 302
    finalise(medarbejder)
    page = client_as(sekretariat).get(
        reverse("screening_omraade", args=[third.boligomraade_id]), {"aar": 2024}
    )
    assert "Områdets tal: tilnærmet" in page.text


def test_export_screening_keeps_its_columns_and_adds_the_counts_last(client_as, medarbejder, pair, capsys):
    assert (
        upload(client_as(medarbejder), HEADER, ROWS, pair, region_gennemsnitsindkomst="350000").status_code
        == 302
    )
    call_command("export_screening", "--aar", "2024", "--niveau", "omraade")
    areas = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert areas[0] == [
        "boligomraade",
        "klassifikation",
        "kriterier",
        "regelsaet",
        *assessment.OFFICIAL_CODES,
        "beregnet",
        "officiel_klassifikation",
    ]
    assert areas[1][areas[0].index("uden_job_uddannelse_pct")] == "38.75"
    call_command("export_screening", "--aar", "2024", "--niveau", "afdeling")
    header = next(csv.reader(io.StringIO(capsys.readouterr().out)))
    shares_and_own = [code for code in header[7:] if code not in criteria.BASIS_CODES]
    assert header[7 : 7 + len(shares_and_own)] == shares_and_own  # the counts and bases come after
    assert set(header[7 + len(shares_and_own) :]) == criteria.BASIS_CODES
