"""The screening pages as staff, secretariat, a board member (own, neighbour, foreign afdeling), anonymous."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from openpyxl import load_workbook

from config.web import jobs
from screening.models import Maaling, Screeningsimport, Screeningsrunde, Vurdering
from screening.views import screening as screening_views
from tests.factories import AfdelingFactory, OmraadeFactory
from tests.screening.screening_data import BAD_FIGURES, CALM_FIGURES, make_round, measure

pytestmark = pytest.mark.django_db


@pytest.fixture
def screened(own_afdeling, foreign_afdeling):
    """Two rounds: the board member's area turns parallel in 2024; the foreign area stays calm."""
    neighbour = AfdelingFactory(navn="Naboparken", boligomraade=own_afdeling.boligomraade, beboere=400)
    r2023, r2024 = make_round(2023, status="endelig"), make_round(2024)
    measure(r2023, own_afdeling, **CALM_FIGURES)
    measure(r2023, neighbour, **CALM_FIGURES)
    measure(r2024, own_afdeling, **BAD_FIGURES)
    measure(r2024, neighbour, **{**BAD_FIGURES, "udsaettelser_antal": 7, "restancer_antal": 2})
    measure(r2024, foreign_afdeling, **CALM_FIGURES)
    return {"neighbour": neighbour, "2023": r2023, "2024": r2024}


def urls(afdeling):
    return [
        reverse("screening_afdeling", args=[afdeling.pk]),
        reverse("screening_afdeling_status", args=[afdeling.pk]),
        reverse("screening_omraade", args=[afdeling.boligomraade_id]),
    ]


def test_anonymous_is_sent_to_login(client, screened, own_afdeling):
    for url in [
        reverse("screening_overview"),
        reverse("screening_runder"),
        reverse("screening_import"),
        *urls(own_afdeling),
    ]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_staff_overview_shows_every_afdeling_with_class_risk_and_suggestion(client_as, medarbejder, screened):
    response = client_as(medarbejder).get(reverse("screening_overview"))
    assert response.status_code == 200
    text = response.text
    assert "Screening 2024" in text
    for name in ("Egen Afdeling", "Naboparken", "Fremmed Afdeling"):
        assert name in text
    assert "Parallelsamfund" in text and "↑ skærpet" in text
    assert "Boligsocial helhedsplan" in text


def test_board_member_sees_only_own_afdeling(client_as, bestyrelse, screened, own_afdeling, foreign_afdeling):
    client = client_as(bestyrelse)
    overview = client.get(reverse("screening_overview"))
    assert "Egen Afdeling" in overview.text
    assert "Naboparken" not in overview.text and "Fremmed Afdeling" not in overview.text
    for url in urls(own_afdeling):
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
    for url in urls(foreign_afdeling) + urls(screened["neighbour"])[:2]:
        assert client.get(url).status_code == 404
        assert client.get(url, headers={"HX-Request": "true"}).status_code == 404


def test_area_page_never_shows_another_afdelings_figures_to_a_board_member(
    client_as, bestyrelse, screened, own_afdeling
):
    response = client_as(bestyrelse).get(reverse("screening_omraade", args=[own_afdeling.boligomraade_id]))
    assert response.status_code == 200
    assert "Egen Afdeling" in response.text
    assert "Naboparken" not in response.text
    # The area's own figures (aggregates over all its afdelinger) and its class are shown.
    assert "Parallelsamfund" in response.text
    assert "beregnet" in response.text


def test_area_page_lists_all_afdelinger_for_staff(client_as, sekretariat, screened, own_afdeling):
    response = client_as(sekretariat).get(reverse("screening_omraade", args=[own_afdeling.boligomraade_id]))
    assert "Egen Afdeling" in response.text and "Naboparken" in response.text
    assert "A. Andel 18-64-årige" in response.text
    assert "&gt;&nbsp;40&nbsp;%" in response.text  # the udsat threshold
    assert "med 5" in response.text  # A: 45 % against 40 %, by 5 points


def test_area_page_from_imported_area_figures_alone(client_as, medarbejder, screened):
    area = OmraadeFactory(navn="Områdetal")
    measure(screened["2024"], area, beboere=2400, uden_job_uddannelse_pct=41, kun_grundskole_pct=62)
    response = client_as(medarbejder).get(reverse("screening_omraade", args=[area.pk]), {"aar": 2024})
    assert response.status_code == 200
    assert "Udsat boligområde" in response.text and "beregnet" not in response.text.split("Kriterierne")[1]


def test_area_page_for_a_year_without_figures_and_unknown_year(
    client_as, medarbejder, screened, foreign_afdeling
):
    client = client_as(medarbejder)
    response = client.get(
        reverse("screening_omraade", args=[foreign_afdeling.boligomraade_id]), {"aar": 2023}
    )
    assert response.status_code == 200 and "ingen tal for området i 2023" in response.text
    assert client.get(reverse("screening_overview"), {"aar": 1999}).status_code == 404
    assert client.get(reverse("screening_overview"), {"aar": "x"}).status_code == 404


@pytest.mark.parametrize("role", ["sekretariat", "bestyrelse"])
def test_small_counts_are_hidden_from_all_but_staff(client_as, request, screened, own_afdeling, role):
    user = request.getfixturevalue(role)
    page = client_as(user).get(reverse("screening_afdeling", args=[own_afdeling.pk]), {"aar": 2024})
    assert page.status_code == 200
    assert "&lt;\u00a05" in page.text
    # The reason for a hidden count's light would give the number away.
    assert "Udsættelser: 3" not in page.text
    assert '"values": [0.0, 3.0]' not in page.text and "null" in page.text


def test_the_afdeling_charts_carry_the_official_thresholds(client_as, bestyrelse, screened, own_afdeling):
    """Each criterion figure's chart gets the rule set's thresholds as lines (static/js/screening-charts.js
    draws them dashed and names them); other figures get none."""
    page = client_as(bestyrelse).get(reverse("screening_afdeling", args=[own_afdeling.pk]), {"aar": 2024})
    series = {s["kode"]: s for s in page.context["chart"]["series"]}
    unemployed = series["uden_job_uddannelse_pct"]["thresholds"]
    assert [(t["label"], t["value"]) for t in unemployed] == [
        ("Grænse 40\u00a0%", 40.0),
        ("Forebyggelse 30\u00a0%", 30.0),
    ]
    assert [t["label"] for t in series["indkomst_pct_region"]["thresholds"]] == [
        "Grænse 55\u00a0%",
        "Forebyggelse 65\u00a0%",
    ]
    # B: a multiple of the round's national share (1,00 % in the test round).
    assert [(t["label"], t["value"]) for t in series["domfaeldte_pct"]["thresholds"]] == [
        ("Grænse 3\u00a0× landsgns.", 3.0),
        ("Forebyggelse 2\u00a0× landsgns.", 2.0),
    ]
    assert series["fraflytning_pct"]["thresholds"] == []
    assert series["uden_job_uddannelse_pct"]["zero"]
    assert "Gr\\u00e6nse 40" in page.text  # in the JSON the chart is drawn from


def test_staff_sees_small_counts(client_as, medarbejder, screened, own_afdeling):
    page = client_as(medarbejder).get(reverse("screening_afdeling", args=[own_afdeling.pk]), {"aar": 2024})
    assert "&lt;\u00a05" not in page.text
    assert "Udsættelser: 3" in page.text


def test_export_follows_filters_and_hides_small_counts(client_as, sekretariat, screened):
    response = client_as(sekretariat).get(
        reverse("screening_export"), {"aar": 2024, "klassifikation": "parallelsamfund"}
    )
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    header = rows[0]
    names = sorted(row[2] for row in rows[1:])
    assert names == ["Egen Afdeling", "Naboparken"]
    column = header.index("udsaettelser_antal")
    assert sorted(str(row[column]) for row in rows[1:]) == ["7", "< 5"]


def test_overview_filters_sort_and_htmx_fragment(client_as, medarbejder, screened):
    client = client_as(medarbejder)
    url = reverse("screening_overview")
    calm = client.get(url, {"aar": 2024, "klassifikation": "ingen"})
    assert "Fremmed Afdeling" in calm.text and "Egen Afdeling" not in calm.text
    red = client.get(url, {"aar": 2024, "signal": "roed"})
    assert "Egen Afdeling" in red.text and "Fremmed Afdeling" not in red.text
    search = client.get(url, {"q": "nabo"})
    assert "Naboparken" in search.text and "Egen Afdeling" not in search.text
    ascending = client.get(url, {"sort": "risiko"})
    assert ascending.text.index("Fremmed Afdeling") < ascending.text.index("Egen Afdeling")
    fragment = client.get(url, {"sort": "-risiko"}, headers={"HX-Request": "true"})
    assert fragment.text.lstrip().startswith('<section id="screening-results"')
    assert "HX-Request" in fragment["Vary"]
    stale = client.get(url, {"organisation": "x", "sort": "nope", "side": "z", "signal": "lilla"})
    assert stale.status_code == 200 and "Egen Afdeling" in stale.text


def test_overview_without_rounds(client_as, medarbejder):
    response = client_as(medarbejder).get(reverse("screening_overview"))
    assert response.status_code == 200 and "ingen screeningsrunder" in response.text


# --- staff's decision -----------------------------------------------------------------------------------


def decide(client, afdeling, headers=None, **data):
    return client.post(reverse("screening_vurdering", args=[afdeling.pk, 2024]), data, headers=headers or {})


def test_staff_confirms_the_suggestion(client_as, medarbejder, screened, own_afdeling):
    response = decide(client_as(medarbejder), own_afdeling, beslutning="bekraeftet")
    assert response.status_code == 302
    vurdering = Vurdering.objects.get()
    assert (vurdering.foreslaaet_type, vurdering.valgt_type, vurdering.besluttet_af) == (
        "helhedsplan",
        "helhedsplan",
        medarbejder,
    )
    page = client_as(medarbejder).get(reverse("screening_afdeling", args=[own_afdeling.pk]), {"aar": 2024})
    assert "Forslaget er bekræftet" in page.text


def test_overruling_needs_a_type_and_a_reason(client_as, medarbejder, screened, own_afdeling):
    client = client_as(medarbejder)
    response = decide(client, own_afdeling, beslutning="tilsidesat", valgt_type="", begrundelse="")
    assert response.status_code == 400
    assert "Skriv en begrundelse" in response.text and "Vælg den indsats" in response.text
    same = decide(client, own_afdeling, beslutning="tilsidesat", valgt_type="helhedsplan", begrundelse="x")
    assert same.status_code == 400 and "bekræft forslaget i stedet" in same.text
    assert not Vurdering.objects.exists()
    ok = decide(
        client,
        own_afdeling,
        headers={"HX-Request": "true"},
        beslutning="tilsidesat",
        valgt_type="udviklingsprojekt",
        begrundelse="Et udviklingsprojekt om tryghed er allerede i gang.",
    )
    assert ok.status_code == 200
    assert ok.text.lstrip().startswith('<section id="screening-vurdering"')
    vurdering = Vurdering.objects.get()
    assert vurdering.valgt_type == "udviklingsprojekt" and vurdering.beslutning == "tilsidesat"
    assert vurdering.history.count() == 1


def test_htmx_invalid_decision_answers_400_with_the_fragment(client_as, medarbejder, screened, own_afdeling):
    response = decide(client_as(medarbejder), own_afdeling, headers={"HX-Request": "true"}, beslutning="")
    assert response.status_code == 400
    assert response.text.lstrip().startswith('<section id="screening-vurdering"')
    assert "<html" not in response.text


def test_only_staff_decide(client_as, sekretariat, bestyrelse, screened, own_afdeling, foreign_afdeling):
    assert decide(client_as(sekretariat), own_afdeling, beslutning="bekraeftet").status_code == 403
    assert decide(client_as(bestyrelse), own_afdeling, beslutning="bekraeftet").status_code == 403
    assert decide(client_as(bestyrelse), foreign_afdeling, beslutning="bekraeftet").status_code == 404
    assert not Vurdering.objects.exists()


def test_decision_needs_figures_in_the_round(client_as, medarbejder, screened, foreign_afdeling):
    response = client_as(medarbejder).post(
        reverse("screening_vurdering", args=[foreign_afdeling.pk, 2023]), {"beslutning": "bekraeftet"}
    )
    assert response.status_code == 404


def test_decision_is_post_only(client_as, medarbejder, screened, own_afdeling):
    response = client_as(medarbejder).get(reverse("screening_vurdering", args=[own_afdeling.pk, 2024]))
    assert response.status_code == 405


# --- rounds and imports ---------------------------------------------------------------------------------


def test_staff_makes_a_round_final_and_imports_are_refused_after(
    client_as, medarbejder, sekretariat, screened
):
    Screeningsrunde.objects.filter(aar=2024).update(status=Screeningsrunde.Status.KLADDE)
    assert client_as(sekretariat).post(reverse("screening_runde_endelig", args=[2024])).status_code == 403
    client = client_as(medarbejder)
    page = client.get(reverse("screening_runder"))
    assert "Gør 2024 endelig" in page.text and "Gør 2023 endelig" not in page.text
    assert client.post(reverse("screening_runde_endelig", args=[2024])).status_code == 302
    runde = Screeningsrunde.objects.get(aar=2024)
    assert runde.is_final and runde.afsluttet_af == medarbejder
    upload = io.BytesIO(b"boligomraade;beboere\nx;1\n")
    upload.name = "tal.csv"
    response = client.post(reverse("screening_import"), {"fil": upload, "aar": 2024})
    assert response.status_code == 400 and "endelig" in response.text


def test_secretariat_and_board_cannot_import(client_as, sekretariat, bestyrelse):
    for user in (sekretariat, bestyrelse):
        client = client_as(user)
        assert client.get(reverse("screening_import")).status_code == 403
        assert client.get(reverse("screening_import_template")).status_code == 403


def upload(text: str, name="tal.csv"):
    handle = io.BytesIO(text.encode("utf-8"))
    handle.name = name
    return handle


def test_small_upload_is_imported_at_once(client_as, medarbejder, own_afdeling):
    row = f"{own_afdeling.organisation.navn};{own_afdeling.nummer};500;9,5"
    text = f"organisation;afdeling_nr;beboere;fraflytning_pct\n{row}\n"
    response = client_as(medarbejder).post(reverse("screening_import"), {"fil": upload(text), "aar": 2022})
    assert response.status_code == 302 and response["Location"] == "/screening/?aar=2022"
    assert Maaling.objects.count() == 2


def test_bad_upload_answers_400_with_the_report(client_as, medarbejder, own_afdeling):
    response = client_as(medarbejder).post(
        reverse("screening_import"),
        {"fil": upload("organisation;afdeling_nr;beboere\nx;y;mange\n"), "aar": 2022},
    )
    assert response.status_code == 400
    assert (
        "Afdeling y i x findes ikke" in response.text and "&#x27;mange&#x27; er ikke et tal" in response.text
    )
    missing = client_as(medarbejder).post(reverse("screening_import"), {"aar": "tyve"})
    assert missing.status_code == 400 and "Dette felt er påkrævet" in missing.text
    empty = client_as(medarbejder).post(reverse("screening_import"))
    assert empty.status_code == 400 and "Dette felt er påkrævet" in empty.text
    assert not Maaling.objects.exists()


def test_large_upload_runs_as_a_job_and_the_page_polls_until_done(
    client_as, medarbejder, own_afdeling, sent_jobs, monkeypatch, django_capture_on_commit_callbacks
):
    from screening.tasks import run_screening_import

    monkeypatch.setattr(screening_views, "INLINE_IMPORT_BYTES", 10)
    client = client_as(medarbejder)
    text = f"organisation;afdeling_nr;beboere\n{own_afdeling.organisation.navn};{own_afdeling.nummer};500\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("screening_import"), {"fil": upload(text), "aar": 2022})
    job = Screeningsimport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "screening_import_status", args=[job.pk]
    )
    assert sent_jobs == [(Screeningsimport, job.pk)]
    # Before a worker has taken it the page shows the job as queued and polls.
    queued = client.get(response["Location"], headers={"HX-Request": "true"})
    assert 'hx-trigger="every 1s"' in queued.text and "venter" in queued.text
    run_screening_import(job.pk)
    job.refresh_from_db()
    assert job.status == "done" and job.progress == 100 and job.resultat.startswith("1 oprettet")
    done = client.get(response["Location"], headers={"HX-Request": "true"})
    assert "hx-trigger" not in done.text and "Tallene er indlæst" in done.text
    assert Maaling.objects.count() == 1


def test_failed_job_shows_the_row_report(
    client_as, medarbejder, own_afdeling, settings, monkeypatch, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    monkeypatch.setattr(screening_views, "INLINE_IMPORT_BYTES", 10)
    client = client_as(medarbejder)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("screening_import"), {"fil": upload("boligomraade;beboere\nAtlantis;5\n"), "aar": 2022}
        )
    page = client.get(response["Location"])
    assert "Filen blev ikke indlæst" in page.text and "Atlantis" in page.text
    assert Screeningsimport.objects.get().status == "failed"
    assert not Maaling.objects.exists()


def test_import_task_is_idempotent_and_survives_a_deleted_job(medarbejder, own_afdeling):
    from screening.tasks import run_screening_import

    text = f"organisation;afdeling_nr;beboere\n{own_afdeling.organisation.navn};{own_afdeling.nummer};500\n"
    job = Screeningsimport.objects.create(
        aar=2022, filnavn="tal.csv", indhold=text.encode(), oprettet_af=medarbejder
    )
    run_screening_import(job.pk)
    run_screening_import(job.pk)  # a redelivered task finds the job done and leaves it
    run_screening_import(987654)  # a deleted job is no error
    assert Maaling.objects.count() == 1
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 1


def test_unexpected_error_ends_the_job_with_a_message(client_as, medarbejder, monkeypatch):
    from screening import tasks

    def broken(*args, **kwargs):
        raise ValueError("bug")

    monkeypatch.setattr(tasks.screening_import, "import_file", broken)
    job = Screeningsimport.objects.create(aar=2022, filnavn="tal.csv", indhold=b"x", oprettet_af=medarbejder)
    assert tasks.run_screening_import(job.pk) is None
    job.refresh_from_db()
    assert job.status == "failed" and "uventet fejl" in job.error
    page = client_as(medarbejder).get(reverse("screening_import_status", args=[job.pk])).text
    assert "Filen blev ikke indlæst" in page and "uventet fejl" in page


def test_unreachable_queue_leaves_the_job_queued_and_says_so(client_as, medarbejder, monkeypatch):
    from kombu.exceptions import OperationalError

    from screening import tasks

    def down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(tasks.run_screening_import, "delay", down)
    job = Screeningsimport.objects.create(aar=2022, filnavn="tal.csv", indhold=b"x", oprettet_af=medarbejder)
    assert not jobs.send(Screeningsimport, job.pk)
    job.refresh_from_db()
    assert job.status == "queued" and job.sent is None
    page = client_as(medarbejder).get(reverse("screening_import_status", args=[job.pk])).text
    assert "starter af sig selv, så snart den er tilbage" in page


def test_others_cannot_see_an_import_job(client_as, medarbejder, sekretariat):
    job = Screeningsimport.objects.create(aar=2022, filnavn="tal.csv", indhold=b"", oprettet_af=medarbejder)
    assert client_as(sekretariat).get(reverse("screening_import_status", args=[job.pk])).status_code == 404


def test_register_page_loads_the_latest_screening(client_as, bestyrelse, screened, own_afdeling):
    client = client_as(bestyrelse)
    detail = client.get(reverse("afdeling_detail", args=[own_afdeling.pk]))
    assert reverse("screening_afdeling_status", args=[own_afdeling.pk]) in detail.text
    url = reverse("screening_afdeling_status", args=[own_afdeling.pk])
    status = client.get(url, headers={"HX-Request": "true"})
    assert (
        "2024" in status.text
        and "Parallelsamfund" in status.text
        and "Boligsocial helhedsplan" in status.text
    )
    assert "<html" not in status.text
    assert client.get(url)["Location"] == reverse("screening_afdeling", args=[own_afdeling.pk])


# --- export command -------------------------------------------------------------------------------------


def test_export_command_writes_areas_as_csv(screened, own_afdeling, foreign_afdeling, capsys):
    call_command("export_screening", "--aar", "2024", "--niveau", "omraade")
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    by_area = {row["boligomraade"]: row for row in rows}
    own = by_area[own_afdeling.boligomraade.navn]
    assert (own["klassifikation"], own["kriterier"]) == ("parallelsamfund", "A,C")
    assert own["uden_job_uddannelse_pct"] == "45.00"
    assert by_area[foreign_afdeling.boligomraade.navn]["klassifikation"] == "ingen"
    call_command("export_screening", "--aar", "2024", "--niveau", "afdeling")
    afdelinger = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert {row["forslag"] for row in afdelinger} >= {"helhedsplan"}


def test_export_command_uses_the_2018_terms(own_afdeling, capsys):
    for aar in range(2017, 2021):
        runde = make_round(aar)
        measure(runde, own_afdeling, **BAD_FIGURES)
    call_command("export_screening", "--aar", "2020")
    row = next(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    # 2017 had no rule set, so the run of ghetto years starts in 2018: three years, not yet "hårdt".
    assert row["klassifikation"] == "ghettoomraade"
    assert Decimal(row["beboere"]) == 1200


def test_export_command_unknown_year(db):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="ingen screening for 1999"):
        call_command("export_screening", "--aar", "1999")


def test_board_member_sees_the_years_but_not_how_many_were_screened(client_as, bestyrelse, screened):
    page = client_as(bestyrelse).get(reverse("screening_runder"))
    assert page.status_code == 200
    assert "2024" in page.text and "Afdelinger med tal" not in page.text
    assert "Gør 2024 endelig" not in page.text and "Seneste importer" not in page.text


def test_the_rows_and_round_tabs_escape_names(client_as, medarbejder, screened, own_afdeling):
    """The overview's rows are written by screening.rows, not the template's autoescape."""
    own_afdeling.navn = '<b>"Egen" & Co</b>'
    own_afdeling.save()
    text = client_as(medarbejder).get(reverse("screening_overview"), {"aar": 2024}).text
    assert "&lt;b&gt;&quot;Egen&quot; &amp; Co&lt;/b&gt;" in text and "<b>" not in text
    assert f'href="{reverse("screening_afdeling", args=[own_afdeling.pk])}?aar=2024"' in text
    assert f'<a href="{reverse("screening_overview")}?aar=2024" aria-current="page">2024' in text
