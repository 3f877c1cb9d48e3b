"""The official lists: importing a year's list (command and rules), the area's history, the export column."""

import csv
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from screening import official_lists
from screening.models import OfficielListeplacering
from tests.factories import AfdelingFactory, OmraadeFactory
from tests.screening.screening_data import BAD_FIGURES, CALM_FIGURES, make_round, measure

HEADER = "boligomraade;kommune;liste\n"
# session, user, groups, the imported years, the round, its freshness, the placements, the results
QUERIES = 8


def import_text(text: str, aar: int = 2024, name: str = "liste.csv"):
    return official_lists.import_file(text.encode("utf-8"), name, aar)


@pytest.fixture
def areas(db):
    return {
        name: OmraadeFactory(navn=name)
        for name in ("Tingbjerg/Utterslevhuse", "Bispeparken", "Lundtoftegade")
    }


def placed(aar):
    return sorted(
        OfficielListeplacering.objects.filter(aar=aar).values_list("boligomraade__navn", "liste", "kommune")
    )


def test_a_list_is_imported_with_an_area_on_two_lists(areas):
    report = import_text(
        HEADER + "Tingbjerg/Utterslevhuse;København;parallelsamfund\n"
        "tingbjerg/utterslevhuse;København;omdannelsesomraade\n"
        "Bispeparken;København;Forebyggelsesområde\n"
    )
    assert report.ok, report.error_lines
    assert placed(2024) == [
        ("Bispeparken", "forebyggelsesomraade", "København"),
        ("Tingbjerg/Utterslevhuse", "omdannelsesomraade", "København"),
        ("Tingbjerg/Utterslevhuse", "parallelsamfund", "København"),
    ]
    assert report.summary() == (
        "3 placeringer på listerne for 2024 "
        "(parallelsamfund: 1, omdannelsesområde: 1, forebyggelsesområde: 1)."
    )
    assert official_lists.classes_in_year(2024) == {
        areas["Tingbjerg/Utterslevhuse"].pk: "omdannelsesomraade",
        areas["Bispeparken"].pk: "forebyggelsesomraade",
    }
    assert official_lists.classes_in_year(2023) is None


def test_every_bad_row_is_reported_and_nothing_is_saved(areas):
    report = import_text(
        HEADER + "Tingbjerg/Utterslevhuse;København;parallelsamfund\n"
        "Mjølnerparken;København;parallelsamfund\n"
        "Bispeparken;;ghetto\n"
        "Tingbjerg/Utterslevhuse;København;parallelsamfund\n"
        ";København;udsat\n"
    )
    assert report.error_lines == [
        "række 3, kolonne boligomraade: Boligområdet 'Mjølnerparken' findes ikke i registret.",
        "række 4, kolonne kommune: Feltet skal udfyldes.",
        "række 4, kolonne liste: 'ghetto' er ingen liste. Brug en af: udsat, parallelsamfund, "
        "omdannelsesomraade, forebyggelsesomraade.",
        "række 5, kolonne liste: Området står på samme liste i række 2.",
        "række 6, kolonne boligomraade: Feltet skal udfyldes.",
    ]
    assert report.summary() == "5 fejl i filen. Intet er gemt."
    assert not OfficielListeplacering.objects.exists()


def test_a_file_without_the_columns_is_refused(areas):
    report = import_text("omraade;liste\nBispeparken;udsat\n")
    assert report.error_lines == ["række 1: Filen mangler kolonnen/kolonnerne: boligomraade, kommune."]


def test_importing_a_year_again_replaces_it_and_leaves_other_years(areas):
    assert import_text(HEADER + "Bispeparken;København;udsat\n", aar=2023).ok
    assert import_text(HEADER + "Bispeparken;København;udsat\nLundtoftegade;København;udsat\n").ok
    report = import_text(HEADER + "Lundtoftegade;København;forebyggelsesomraade\n")
    assert report.ok and report.replaced == 2
    assert "De 2 placeringer, der var indlæst for 2024, er erstattet." in report.summary()
    assert placed(2024) == [("Lundtoftegade", "forebyggelsesomraade", "København")]
    assert placed(2023) == [("Bispeparken", "udsat", "København")]


def test_the_command_imports_and_reports_errors(areas, tmp_path, capsys):
    good = tmp_path / "lister-2024.csv"
    good.write_text(HEADER + "Bispeparken;København;udsat\n", encoding="utf-8")
    call_command("import_officiel_liste", str(good), "--aar", "2024")
    assert (
        "Officielle lister 2024: 1 placering på listerne for 2024 (udsat boligområde: 1)."
        in capsys.readouterr().out
    )
    bad = tmp_path / "forkert.csv"
    bad.write_text(HEADER + "Ukendt;København;udsat\n", encoding="utf-8")
    with pytest.raises(CommandError, match="1 fejl i filen"):
        call_command("import_officiel_liste", str(bad), "--aar", "2024")
    assert "Boligområdet 'Ukendt' findes ikke" in capsys.readouterr().err
    assert placed(2024) == [("Bispeparken", "udsat", "København")]
    with pytest.raises(CommandError, match="findes ikke"):
        call_command("import_officiel_liste", str(tmp_path / "mangler.csv"), "--aar", "2024")


def test_history_counts_the_run_and_keeps_the_udviklingsplan_after_the_area_leaves(areas):
    rows = {
        2019: "parallelsamfund",
        2020: "parallelsamfund",
        2021: "parallelsamfund\nTingbjerg/Utterslevhuse;København;omdannelsesomraade",
        2022: "udsat",
        2023: None,
    }
    for aar, liste in rows.items():
        text = HEADER + "Bispeparken;København;udsat\n"
        if liste:
            text += f"Tingbjerg/Utterslevhuse;København;{liste}\n"
        assert import_text(text, aar=aar).ok
    history = official_lists.area_history(areas["Tingbjerg/Utterslevhuse"], official_lists.imported_years())
    assert [(y.aar, y.klassifikation, y.parallel_years, y.udviklingsplan_since) for y in history] == [
        (2019, "parallelsamfund", 1, None),
        (2020, "parallelsamfund", 2, None),
        (2021, "omdannelsesomraade", 3, None),
        (2022, "udsat", 0, 2021),
        (2023, "ingen", 0, 2021),
    ]
    assert history[-1].label == "Ikke på listerne"


def test_export_writes_the_official_class_beside_the_computed_one(areas, capsys):
    runde = make_round(2024)
    ting = AfdelingFactory(boligomraade=areas["Tingbjerg/Utterslevhuse"])
    bispe = AfdelingFactory(boligomraade=areas["Bispeparken"])
    measure(runde, ting, **BAD_FIGURES)
    measure(runde, bispe, **BAD_FIGURES)
    call_command("export_screening", "--aar", "2024", "--niveau", "omraade")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert list(rows[0])[-1] == "officiel_klassifikation"
    assert {row["officiel_klassifikation"] for row in rows} == {""}  # no list imported for 2024
    assert import_text(HEADER + "Tingbjerg/Utterslevhuse;København;udsat\n").ok
    call_command("export_screening", "--aar", "2024", "--niveau", "omraade")
    by_area = {row["boligomraade"]: row for row in csv.DictReader(io.StringIO(capsys.readouterr().out))}
    assert by_area["Tingbjerg/Utterslevhuse"]["officiel_klassifikation"] == "udsat"
    assert by_area["Bispeparken"]["officiel_klassifikation"] == "ingen"


def test_a_mismatch_compares_levels_not_words():
    assert official_lists.differs("udsat", "parallelsamfund")
    assert not official_lists.differs("parallelsamfund", "ghettoomraade")
    assert not official_lists.differs("ingen", "ingen")


# --- the page --------------------------------------------------------------------------------------------


@pytest.fixture
def listed(own_afdeling, foreign_afdeling):
    """2024: the board member's area is computed parallelsamfund but listed only as udsat; the foreign area is
    calm but on the list."""
    runde = make_round(2024)
    measure(runde, own_afdeling, **BAD_FIGURES)
    measure(runde, foreign_afdeling, **CALM_FIGURES)
    text = (
        HEADER + f"{own_afdeling.boligomraade.navn};København;udsat\n"
        f"{foreign_afdeling.boligomraade.navn};Aarhus;forebyggelsesomraade\n"
    )
    assert import_text(text).ok
    return runde


def test_staff_see_both_classes_with_the_mismatch_flagged(client_as, medarbejder, listed, own_afdeling):
    page = client_as(medarbejder).get(reverse("officielle_lister"))
    assert page.status_code == 200
    rows = page.text.split("<tbody>")[1].split("</tbody>")[0].split("<tr>")[1:]
    # Both differ: the own area is listed as udsat but computed parallelsamfund; the foreign area is on the
    # forebyggelse list with calm figures.
    assert all("Afviger" in row for row in rows) and len(rows) == 2
    own_row = next(row for row in rows if own_afdeling.boligomraade.navn in row)
    assert "Udsat boligområde" in own_row and "Parallelsamfund" in own_row
    assert 'name="fil"' in page.text


def test_staff_import_a_list_on_the_page(client_as, medarbejder, listed, own_afdeling):
    upload = SimpleUploadedFile(
        "liste.csv", (HEADER + f"{own_afdeling.boligomraade.navn};København;parallelsamfund\n").encode()
    )
    response = client_as(medarbejder).post(reverse("officielle_lister"), {"fil": upload, "aar": "2024"})
    assert response.status_code == 302 and response.url == reverse("officielle_lister") + "?aar=2024"
    page = client_as(medarbejder).get(response.url)
    assert "er indlæst: 1 placering på listerne for 2024 (parallelsamfund: 1)." in page.text
    assert "Stemmer" in page.text
    bad = SimpleUploadedFile("liste.csv", (HEADER + "Ukendt;København;udsat\n").encode())
    refused = client_as(medarbejder).post(reverse("officielle_lister"), {"fil": bad, "aar": "2024"})
    assert (
        refused.status_code == 400
        and "Boligområdet &#x27;Ukendt&#x27; findes ikke i registret." in refused.text
    )
    assert placed(2024) == [(own_afdeling.boligomraade.navn, "parallelsamfund", "København")]


def test_a_board_member_sees_only_their_own_area_and_cannot_import(
    client_as, bestyrelse, listed, foreign_afdeling
):
    client = client_as(bestyrelse)
    page = client.get(reverse("officielle_lister"))
    assert page.status_code == 200
    assert foreign_afdeling.boligomraade.navn not in page.text and "Aarhus" not in page.text
    assert 'name="fil"' not in page.text
    upload = SimpleUploadedFile("liste.csv", (HEADER + "x;y;udsat\n").encode())
    assert client.post(reverse("officielle_lister"), {"fil": upload, "aar": "2024"}).status_code == 403
    assert OfficielListeplacering.objects.count() == 2


def test_the_area_page_shows_the_official_list_and_its_history(client_as, medarbejder, listed, own_afdeling):
    page = client_as(medarbejder).get(
        reverse("screening_omraade", args=[own_afdeling.boligomraade_id]), {"aar": 2024}
    )
    assert "De officielle lister" in page.text
    assert "Afviger fra systemets klassifikation (Parallelsamfund)." in page.text


def test_the_page_runs_the_same_queries_whatever_the_number_of_areas(
    client_as, medarbejder, listed, django_assert_num_queries
):
    client = client_as(medarbejder)
    client.get(reverse("officielle_lister"))  # the round's results are computed once
    with django_assert_num_queries(QUERIES) as small:
        client.get(reverse("officielle_lister"))
    for number in range(5):
        area = OmraadeFactory(navn=f"Ekstra {number}")
        OfficielListeplacering.objects.create(aar=2024, boligomraade=area, kommune="Odense", liste="udsat")
    with django_assert_num_queries(QUERIES):
        page = client.get(reverse("officielle_lister"))
    assert page.text.split("<tbody>")[1].count("<tr>") == 7
    assert small


def test_a_year_is_removed_with_its_history_and_a_future_year_is_refused(client_as, medarbejder, listed):
    client = client_as(medarbejder)
    removed = client.post(reverse("officielle_lister_slet", args=[2024]))
    assert removed.status_code == 302 and not OfficielListeplacering.objects.exists()
    assert OfficielListeplacering.history.filter(history_type="-", history_user=medarbejder).count() == 2
    assert client.post(reverse("officielle_lister_slet", args=[2024])).status_code == 404
    next_year = timezone.localdate().year + 1
    upload = SimpleUploadedFile("liste.csv", (HEADER + "x;y;udsat\n").encode())
    refused = client.post(reverse("officielle_lister"), {"fil": upload, "aar": str(next_year)})
    assert refused.status_code == 400 and "ude i fremtiden" in refused.text


def test_an_import_leaves_history_with_who_did_it(areas, medarbejder):
    assert import_text(HEADER + "Bispeparken;København;udsat\n").ok  # no user: the command
    report = official_lists.import_file(
        (HEADER + "Lundtoftegade;København;udsat\n").encode(), "liste.csv", 2024, acting_user=medarbejder
    )
    assert report.ok
    history = OfficielListeplacering.history.order_by("history_id")
    assert [(h.history_type, h.history_user_id) for h in history] == [
        ("+", None),
        ("-", medarbejder.pk),
        ("+", medarbejder.pk),
    ]


def test_a_year_without_a_list_breaks_the_run(areas):
    for aar in (2019, 2020, 2022):
        assert import_text(HEADER + "Bispeparken;København;parallelsamfund\n", aar=aar).ok
    history = official_lists.area_history(areas["Bispeparken"], official_lists.imported_years())
    assert [(y.aar, y.parallel_years) for y in history] == [(2019, 1), (2020, 2), (2022, 1)]
