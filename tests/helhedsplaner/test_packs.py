"""Application packs: each type renders, an unchanged plan reuses its pack, jobs run, downloads checked."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from finansiering import actions as budget_actions
from finansiering.models import Omkostningstype
from helhedsplaner.models import Pakke
from helhedsplaner.packs import documents
from indsatser.models import Finansieringsperiode
from tests.factories import AfdelingFactory, BestyrelsesmedlemFactory, HelhedsplanFactory, UserFactory

BUDGET_TOTAL = "1.250.000,50 kr."


pytestmark = pytest.mark.usefixtures("private_storage")  # packs are stored in a temporary folder


@pytest.fixture
def pack_plan(own_afdeling, medarbejder):
    periode = Finansieringsperiode.objects.get(navn="2019-26")
    plan = HelhedsplanFactory(
        indsats__titel="Helhedsplan Pakkeparken",
        indsats__afdelinger=[own_afdeling, AfdelingFactory(navn="Anden Afdeling", lejemaal=300)],
        indsats__ansvarlig=medarbejder,
        indsats__startdato=date(2025, 1, 1),
        indsats__slutdato=date(2026, 12, 31),
        indsats__periode=periode,
    )
    omraade = periode.indsatsomraader.order_by("sortering").first()
    typer = {t.kode: t for t in Omkostningstype.objects.all()}
    version = budget_actions.create_version(plan.indsats, "praekvalifikation", acting_user=medarbejder)
    budget_actions.save_budget_line(
        version, 2025, omraade, typer["loen"], Decimal("1000000.00"), "Projektleder", acting_user=medarbejder
    )
    budget_actions.save_budget_line(
        version, 2026, omraade, typer["aktiviteter"], Decimal("250000.50"), acting_user=medarbejder
    )
    return plan


def pdf_text(content: bytes) -> tuple[int, str]:
    reader = PdfReader(io.BytesIO(content))
    return len(reader.pages), "\n".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(
    ("pakketype", "min_pages", "max_pages"),
    # Short chapters share pages: a plan with little in it makes a short pack.
    [("praekvalifikation", 3, 14), ("helhedsplan", 4, 16), ("afdelingsmoede", 2, 4), ("afslutning", 3, 10)],
)
def test_every_pack_type_renders(pack_plan, own_afdeling, pakketype, min_pages, max_pages):
    afdeling = own_afdeling if pakketype == "afdelingsmoede" else None
    rendered, _version = documents.render(pack_plan, pakketype, afdeling, today=date(2026, 11, 26))
    pages, text = pdf_text(rendered.content)
    assert min_pages <= pages <= max_pages
    assert rendered.pages == pages
    assert "Helhedsplan Pakkeparken" in text
    assert "26. november 2026" in text
    if pakketype != "afdelingsmoede":
        assert BUDGET_TOTAL in text


def test_command_writes_the_pack(pack_plan, tmp_path):
    out = tmp_path / "pakke.pdf"
    call_command("render_pack", pack_plan.pk, "afdelingsmoede", "--out", str(out), stdout=io.StringIO())
    pages, text = pdf_text(out.read_bytes())
    assert 2 <= pages <= 4
    assert "pr. lejemål pr. år" in text.lower()
    # How the meeting decides, as the votes are counted: the residents' material said "a majority of the
    # votes cast", which blank votes are.
    assert "Blanke stemmer tæller ikke med, og står det lige, er planen forkastet." in " ".join(text.split())


def test_ordering_runs_the_job_and_an_unchanged_plan_reuses_it(
    pack_plan, medarbejder, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    with django_capture_on_commit_callbacks(execute=True):
        first = documents.bestil_pakke(pack_plan, "praekvalifikation", medarbejder)
    pakke = Pakke.objects.get(pk=first.pakke.pk)
    assert not first.genbrugt
    assert pakke.status == Pakke.Status.DONE and pakke.progress == 100
    assert pakke.sider >= 3 and len(pakke.sha256) == 64 and pakke.stoerrelse > 0
    with pakke.fil.open("rb") as stored:
        assert pdf_text(stored.read())[1].count("Helhedsplan Pakkeparken") >= 1

    again = documents.bestil_pakke(pack_plan, "praekvalifikation", medarbejder)
    assert again.genbrugt and again.pakke.pk == pakke.pk

    pack_plan.resume = "Et nyt resumé."
    pack_plan.save()
    with django_capture_on_commit_callbacks(execute=True):
        changed = documents.bestil_pakke(pack_plan, "praekvalifikation", medarbejder)
    assert not changed.genbrugt and changed.pakke.pk != pakke.pk
    assert Pakke.objects.filter(plan=pack_plan, status=Pakke.Status.DONE).count() == 2


def test_a_job_stays_queued_when_the_broker_is_down(
    pack_plan, medarbejder, monkeypatch, django_capture_on_commit_callbacks
):
    from helhedsplaner.tasks import render_pack

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis svarer ikke")

    monkeypatch.setattr(render_pack, "delay", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        ordered = documents.bestil_pakke(pack_plan, "helhedsplan", medarbejder)
    assert Pakke.objects.get(pk=ordered.pakke.pk).status == Pakke.Status.QUEUED


def test_the_task_leaves_a_finished_or_missing_job_alone(pack_plan, medarbejder):
    from helhedsplaner.tasks import render_pack

    assert render_pack.run(987654) is None
    pakke = Pakke.objects.create(
        plan=pack_plan, pakketype="helhedsplan", status=Pakke.Status.DONE, data_version="x"
    )
    assert render_pack.run(pakke.pk) is None
    assert not Pakke.objects.get(pk=pakke.pk).fil


def test_a_failing_render_is_recorded_with_a_reason(pack_plan, medarbejder, monkeypatch):
    from helhedsplaner.tasks import render_pack

    pakke = Pakke.objects.create(plan=pack_plan, pakketype="helhedsplan", data_version="x")

    def broken(*args, **kwargs):
        raise ValueError("skabelonen mangler")

    monkeypatch.setattr(documents, "render", broken)
    render_pack.run(pakke.pk)
    pakke.refresh_from_db()
    assert pakke.status == Pakke.Status.FAILED
    assert "skabelonen mangler" in pakke.error


@pytest.fixture
def finished_pack(pack_plan):
    pakke = Pakke(plan=pack_plan, pakketype="helhedsplan", status=Pakke.Status.DONE, data_version="v1")
    pakke.save()
    pakke.fil.save("p.pdf", ContentFile(b"%PDF-1.7 test"), save=True)
    return pakke


@pytest.mark.parametrize("who", ["medarbejder", "sekretariat", "bestyrelse"])
def test_download_for_staff_secretariat_and_own_board(request, client_as, finished_pack, who):
    response = client_as(request.getfixturevalue(who)).get(
        reverse("plan_pack_download", args=[finished_pack.plan_id, finished_pack.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]


def test_download_is_hidden_from_a_foreign_board_member(client_as, finished_pack, foreign_afdeling):
    foreign = UserFactory(username="t-fremmed", role="afdelingsbestyrelse")
    BestyrelsesmedlemFactory(user=foreign, afdeling=foreign_afdeling)
    response = client_as(foreign).get(
        reverse("plan_pack_download", args=[finished_pack.plan_id, finished_pack.pk])
    )
    assert response.status_code == 404


def test_download_needs_login(client, finished_pack):
    response = client.get(reverse("plan_pack_download", args=[finished_pack.plan_id, finished_pack.pk]))
    assert response.status_code == 302 and "login" in response["Location"]


def test_plan_page_orders_and_polls(
    client_as, medarbejder, pack_plan, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    client = client_as(medarbejder)
    page = client.get(reverse("plan_detail", args=[pack_plan.pk]))
    assert reverse("plan_packs", args=[pack_plan.pk]) in page.content.decode()
    packs_page = client.get(reverse("plan_packs", args=[pack_plan.pk]))
    order_form = packs_page.content.decode()
    assert '<option value="afdelingsmoede">Afdelingsmødemateriale</option>' in order_form
    assert 'name="afdeling"' in order_form and "Generér pakke" in order_form
    url = reverse("plan_pack_order", args=[pack_plan.pk])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(url, {"pakketype": "afdelingsmoede"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert 'hx-trigger="every 2s"' in body and "I kø" in body
    pakke = Pakke.objects.get(plan=pack_plan)
    for callback in callbacks:
        callback()
    status = client.get(reverse("plan_pack_status", args=[pack_plan.pk, pakke.pk]), HTTP_HX_REQUEST="true")
    assert "Hent PDF" in status.content.decode() and "every 2s" not in status.content.decode()


def test_board_members_cannot_order(client_as, bestyrelse, pack_plan):
    response = client_as(bestyrelse).post(
        reverse("plan_pack_order", args=[pack_plan.pk]), {"pakketype": "helhedsplan"}
    )
    assert response.status_code == 403
    assert not Pakke.objects.exists()


def test_ordering_without_a_known_pack_type_is_a_bad_request(client_as, sekretariat, pack_plan):
    url = reverse("plan_pack_order", args=[pack_plan.pk])
    for data in ({}, {"pakketype": "hemmelig"}):
        assert client_as(sekretariat).post(url, data).status_code == 400
    assert not Pakke.objects.exists()


def test_a_failed_job_can_be_retried(
    client_as, sekretariat, pack_plan, settings, django_capture_on_commit_callbacks
):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    pakke = Pakke.objects.create(
        plan=pack_plan,
        pakketype="afdelingsmoede",
        afdeling=pack_plan.indsats.afdelinger.first(),
        status=Pakke.Status.FAILED,
        error="Pakken kunne ikke laves",
        data_version="x",
    )
    client = client_as(sekretariat)
    status = client.get(reverse("plan_pack_status", args=[pack_plan.pk, pakke.pk]), HTTP_HX_REQUEST="true")
    assert "Prøv igen" in status.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("plan_pack_retry", args=[pack_plan.pk, pakke.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("plan_packs", args=[pack_plan.pk])
    pakke.refresh_from_db()
    assert pakke.status == Pakke.Status.DONE and pakke.fil
