"""The screening report of a round: its content, the command, the background job and who may see it."""

import io
from datetime import date

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, transaction
from django.urls import reverse
from pypdf import PdfReader

from helhedsplaner.models import Pakke
from helhedsplaner.packs import documents
from screening.models import Regelsaet, Screeningsrunde
from tests.factories import AfdelingFactory, OmraadeFactory
from tests.screening.screening_data import BAD_FIGURES, CALM_FIGURES, make_round, measure

pytestmark = pytest.mark.usefixtures("private_storage")  # packs are stored in a temporary folder


@pytest.fixture
def runde(db):
    """A round with a parallelsamfund area of two afdelinger and a calm area of one."""
    runde = make_round(2025)
    hard = OmraadeFactory(navn="Rapportparken")
    calm = OmraadeFactory(navn="Stillevej")
    measure(runde, AfdelingFactory(nummer="51-01", navn="Rapporthusene", boligomraade=hard), **BAD_FIGURES)
    measure(runde, AfdelingFactory(nummer="51-02", navn="Rapportgården", boligomraade=hard), **BAD_FIGURES)
    measure(runde, AfdelingFactory(nummer="52-01", navn="Stillehaven", boligomraade=calm), **CALM_FIGURES)
    AfdelingFactory(nummer="53-01", navn="Uden tal", boligomraade=calm)
    return runde


def pdf_text(content: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(content))
    return reader, "\n".join(page.extract_text() for page in reader.pages)


def test_the_report_shows_method_areas_afdelinger_and_counts(runde):
    rendered, version = documents.render_screening(runde, today=date(2026, 11, 26))
    reader, text = pdf_text(rendered.content)
    assert rendered.pages == len(reader.pages) >= 6
    assert reader.metadata.title == "Screening af afdelingerne 2025"
    assert reader.metadata.author == "fsb"
    assert reader.trailer["/Root"]["/Lang"] == "da"
    assert "26. november 2026" in text
    assert "Side 1 af" not in text  # the cover has no running footer
    assert f"Side 2 af {rendered.pages}" in text
    # The method names the rule set in force and fsb's risk model.
    assert runde.regelsaet.navn in text.replace("\n", " ")
    assert "fsb's risikovurdering" in text
    # Each area with its class, each afdeling with figures and its assessment; not the one without.
    assert "Rapportparken" in text and "Stillevej" in text
    assert "Parallelsamfund" in text
    assert "Rapporthusene" in text and "Stillehaven" in text
    assert "Uden tal" not in text
    assert "3 af 4 afdelinger har tal i runden" in text
    assert "Boligsocial helhedsplan" in text
    # Small counts are masked: three evictions in each hard-hit afdeling.
    assert "<\u00a05" in text
    assert len(version) == 64


def test_report_counts_per_class(runde):
    from helhedsplaner import screening_report

    context = screening_report.report_context(runde)
    klasser = {c.label: c.antal for c in context["fordeling"]["klasser"]}
    assert klasser["Parallelsamfund"] == 1 and klasser["Ingen"] == 1
    forslag = {c.label: c.antal for c in context["fordeling"]["forslag"]}
    assert forslag["Boligsocial helhedsplan"] == 2
    assert sum(c.antal for c in context["fordeling"]["signaler"]) == 3
    beslutninger = {c.label: c.antal for c in context["fordeling"]["beslutninger"]}
    assert beslutninger["Ikke besluttet"] == 3
    assert [g.navn for g in context["grupper"]] == ["Rapportparken", "Stillevej"]


@pytest.mark.parametrize("scenario", [None, "2021-uden-ikke-vestlige"])
def test_report_context_queries_do_not_grow_with_the_afdelinger(runde, django_assert_num_queries, scenario):
    from helhedsplaner import screening_report

    scenario = Regelsaet.objects.filter(kode=scenario).first()
    # rounds, indicators, risk models + thresholds, measurements, residents (weights), afdelinger,
    # decisions, area names (a scenario's classes are computed from the figures already read)
    with django_assert_num_queries(9):
        screening_report.report_context(runde, scenario)
    area = OmraadeFactory(navn="Flere")
    for number in range(5):
        measure(runde, AfdelingFactory(nummer=f"60-{number:02d}", boligomraade=area), **BAD_FIGURES)
    with django_assert_num_queries(9):
        screening_report.report_context(runde, scenario)


def test_command_renders_the_report_and_keeps_the_plan_form(runde, tmp_path):
    out = tmp_path / "screening.pdf"
    output = io.StringIO()
    call_command("render_pack", "--screening", "2025", "--out", str(out), stdout=output)
    assert "sider" in output.getvalue()
    assert "Rapporthusene" in pdf_text(out.read_bytes())[1]
    with pytest.raises(CommandError, match="ingen screeningsrunde for 1999"):
        call_command("render_pack", "--screening", "1999", "--out", str(out))
    with pytest.raises(CommandError, match="Angiv PLAN_ID"):
        call_command("render_pack", "--out", str(out))
    with pytest.raises(CommandError):
        call_command("render_pack", "1", "screeningsrapport", "--out", str(out))


SCENARIO_MARK = "Scenarie: 2021-regler uden kriteriet om ikke-vestlige"


def test_a_scenario_report_is_marked_on_every_page_and_lists_the_changes(runde):
    scenario = Regelsaet.objects.get(kode="2021-uden-ikke-vestlige")
    rendered, version = documents.render_screening(runde, today=date(2026, 11, 26), scenario=scenario)
    reader, text = pdf_text(rendered.content)
    assert reader.metadata.title == f"Screening af afdelingerne 2025 · scenarie: {scenario.navn}"
    for number, page in enumerate(reader.pages, start=1):
        assert SCENARIO_MARK in page.extract_text().replace("\n", " "), f"side {number}"
    flat = text.replace("\n", " ")
    assert "Rapporten er et scenarie." in flat
    assert "Områder, der ændrer klasse i scenariet" in flat
    assert "Rapportparken Parallelsamfund Udsat boligområde A, C" in flat
    assert "Regelsættet har intet kriterium om ikke-vestlige" in flat
    assert version != documents.render_screening(runde, today=date(2026, 11, 26))[1]
    plain = pdf_text(documents.render_screening(runde, today=date(2026, 11, 26))[0].content)[1]
    assert "Scenarie" not in plain


def test_a_report_is_ordered_for_a_scenario(
    client_as, sekretariat, runde, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client = client_as(sekretariat)
    section = client.get(reverse("screening_packs", args=[2025])).text
    assert '<option value="2021-uden-ikke-vestlige">Scenarie: 2021-regler uden kriteriet om' in section
    url = reverse("screening_pack_order", args=[2025])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"scenarie": "2021-uden-ikke-vestlige"})
        client.post(url)
    official, scenario = Pakke.objects.get(scenarie=None), Pakke.objects.get(scenarie__isnull=False)
    assert official.status == scenario.status == Pakke.Status.DONE and official.sha256 != scenario.sha256
    assert scenario.filename == f"screeningsrapport-2025-scenarie-2021-uden-ikke-vestlige-{scenario.pk}.pdf"
    listed = client.get(reverse("screening_packs", args=[2025])).text
    assert (
        "Scenarie: 2021-regler uden kriteriet om ikke-vestlige</td>" in listed
        and "Rundens eget</td>" in listed
    )
    # The round's own rule set is no scenario of it, and an unknown one is not found.
    for kode in ("2021", "ukendt"):
        assert client.post(url, {"scenarie": kode}).status_code == 404
    assert Pakke.objects.count() == 2


def test_the_command_renders_a_scenario_report(runde, tmp_path):
    out = tmp_path / "scenarie.pdf"
    call_command(
        "render_pack",
        "--screening",
        "2025",
        "--scenarie",
        "2021-uden-ikke-vestlige",
        "--out",
        str(out),
        stdout=io.StringIO(),
    )
    assert SCENARIO_MARK in pdf_text(out.read_bytes())[1].replace("\n", " ")
    with pytest.raises(CommandError, match="kan ikke bruges som scenarie for 2025"):
        call_command("render_pack", "--screening", "2025", "--scenarie", "2021", "--out", str(out))
    with pytest.raises(CommandError, match="--scenarie gælder kun --screening"):
        call_command("render_pack", "1", "helhedsplan", "--scenarie", "2018", "--out", str(out))


def test_a_pack_belongs_to_exactly_one_plan_or_round(runde):
    with transaction.atomic(), pytest.raises(IntegrityError):
        Pakke.objects.create(pakketype="helhedsplan", data_version="x")
    with transaction.atomic(), pytest.raises(IntegrityError):
        Pakke.objects.create(pakketype="helhedsplan", runde=runde, data_version="x")
    Pakke.objects.create(pakketype="screeningsrapport", runde=runde, data_version="x")


def test_ordering_runs_the_job_and_an_unchanged_round_reuses_it(
    runde, sekretariat, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        first = documents.bestil_screeningsrapport(runde, sekretariat)
    pakke = Pakke.objects.get(pk=first.pakke.pk)
    assert pakke.status == Pakke.Status.DONE and pakke.runde == runde and pakke.plan is None
    assert pakke.sider >= 6 and len(pakke.sha256) == 64
    assert pakke.fil.name.startswith(f"pakker/screening-{runde.pk}/")
    assert pakke.filename == f"screeningsrapport-2025-{pakke.pk}.pdf"
    assert documents.bestil_screeningsrapport(runde, sekretariat).genbrugt

    measure(runde, AfdelingFactory(nummer="54-01", navn="Nykommeren"), **CALM_FIGURES)
    with django_capture_on_commit_callbacks(execute=True):
        changed = documents.bestil_screeningsrapport(runde, sekretariat)
    assert not changed.genbrugt and changed.pakke.pk != pakke.pk


def test_overview_orders_and_polls(
    client_as, medarbejder, runde, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client = client_as(medarbejder)
    overview = client.get(reverse("screening_overview") + "?aar=2025").content.decode()
    assert reverse("screening_packs", args=[2025]) in overview
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("screening_pack_order", args=[2025]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'hx-trigger="every 2s"' in response.content.decode()
    pakke = Pakke.objects.get(runde=runde)
    for callback in callbacks:
        callback()
    status = client.get(reverse("screening_pack_status", args=[2025, pakke.pk]), HTTP_HX_REQUEST="true")
    body = status.content.decode()
    assert reverse("screening_pack_download", args=[2025, pakke.pk]) in body and "every 2s" not in body
    download = client.get(reverse("screening_pack_download", args=[2025, pakke.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert download["Content-Disposition"].startswith("attachment")


def test_without_javascript_the_order_leads_to_the_report_page(client_as, sekretariat, runde):
    client = client_as(sekretariat)
    response = client.post(reverse("screening_pack_order", args=[2025]))
    assert response.status_code == 302 and response["Location"] == reverse("screening_packs", args=[2025])
    page = client.get(response["Location"])
    assert page.status_code == 200 and "Generér screeningsrapport 2025" in page.content.decode()


@pytest.fixture
def finished_report(runde):
    pakke = Pakke.objects.create(
        runde=runde, pakketype="screeningsrapport", status=Pakke.Status.DONE, data_version="v1"
    )
    pakke.fil.save("r.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    return pakke


def test_board_members_see_nothing_of_the_report(client_as, bestyrelse, finished_report):
    client = client_as(bestyrelse)
    overview = client.get(reverse("screening_overview") + "?aar=2025").content.decode()
    assert reverse("screening_packs", args=[2025]) not in overview
    for url in (
        reverse("screening_packs", args=[2025]),
        reverse("screening_pack_status", args=[2025, finished_report.pk]),
        reverse("screening_pack_download", args=[2025, finished_report.pk]),
    ):
        assert client.get(url).status_code == 403
    assert client.post(reverse("screening_pack_order", args=[2025])).status_code == 403
    assert Pakke.objects.count() == 1


def test_a_report_is_reached_only_under_its_own_round(client_as, sekretariat, finished_report):
    make_round(2024)
    response = client_as(sekretariat).get(reverse("screening_pack_download", args=[2024, finished_report.pk]))
    assert response.status_code == 404


def test_download_needs_login(client, finished_report):
    response = client.get(reverse("screening_pack_download", args=[2025, finished_report.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_report_whose_orderer_is_gone_is_still_listed(client_as, sekretariat, finished_report):
    assert finished_report.oprettet_af is None  # the user was deleted (SET_NULL)
    response = client_as(sekretariat).get(reverse("screening_packs", args=[2025]))
    assert response.status_code == 200
    assert reverse("screening_pack_download", args=[2025, finished_report.pk]) in response.content.decode()


def test_a_failed_report_can_be_retried(
    client_as, medarbejder, runde, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    pakke = Pakke.objects.create(
        runde=runde, pakketype="screeningsrapport", status=Pakke.Status.FAILED, data_version="x"
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(medarbejder).post(reverse("screening_pack_retry", args=[2025, pakke.pk]))
    assert response.status_code == 302
    pakke.refresh_from_db()
    assert pakke.status == Pakke.Status.DONE and pakke.fil


def test_a_plan_cannot_order_the_screening_report(client_as, medarbejder, plan):
    response = client_as(medarbejder).post(
        reverse("plan_pack_order", args=[plan.pk]), {"pakketype": "screeningsrapport"}
    )
    assert response.status_code == 400
    assert not Pakke.objects.exists()


def test_the_report_section_runs_the_same_queries_for_one_or_many_versions(
    client_as, sekretariat, runde, django_assert_num_queries
):
    client = client_as(sekretariat)
    url = reverse("screening_packs", args=[2025])

    def versions(count):
        for _ in range(count):
            Pakke.objects.create(
                runde=runde,
                pakketype="screeningsrapport",
                status=Pakke.Status.DONE,
                data_version=f"v{Pakke.objects.count()}",
            )

    versions(1)
    # session, user, the user's groups (permission), the round, the versions with who ordered them and their
    # scenario, the rule sets a report can be ordered for as a scenario
    with django_assert_num_queries(6):
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200
    versions(4)
    with django_assert_num_queries(6):
        assert client.get(url, HTTP_HX_REQUEST="true").status_code == 200


def test_a_round_without_rules_or_figures_still_makes_a_report(db):
    runde = make_round(2010, national=None)
    runde.regelsaet = None
    runde.save()
    rendered, _version = documents.render_screening(runde, today=date(2026, 11, 26))
    text = pdf_text(rendered.content)[1]
    assert "Der gjaldt ingen officielle kriterier i 2010" in text
    assert "Ingen afdelinger har tal i runden." in text


def test_the_report_lists_the_watched_areas(db):
    """An area whose A and C rise three and four points a year is projected udsat at the next list."""
    rising = AfdelingFactory(navn="Stigende", boligomraade=OmraadeFactory(navn="Stigebakken"), beboere=1500)
    for year in (2023, 2024, 2025):
        back = 2025 - year
        figures = {
            **CALM_FIGURES,
            "uden_job_uddannelse_pct": 39 - 3 * back,
            "kun_grundskole_pct": 59 - 4 * back,
        }
        measure(make_round(year), rising, **figures)
    rendered, _ = documents.render_screening(Screeningsrunde.objects.get(aar=2025), today=date(2026, 11, 26))
    text = pdf_text(rendered.content)[1].replace("\n", " ")
    assert "Overvågningsliste" in text
    assert "Prognosen for 2026 giver udsat boligområde (kriterier A, C)." in text
