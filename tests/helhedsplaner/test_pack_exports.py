"""Exporting application packs: the job and its task, the ZIP and its index, the page, and who may use it."""

import csv
import hashlib
import io
import zipfile
from datetime import UTC, date, datetime
from types import SimpleNamespace

import pytest
from celery.exceptions import SoftTimeLimitExceeded
from django.core.files.base import ContentFile
from django.db import OperationalError
from django.urls import reverse
from django.utils import timezone

from config.web import jobs
from config.web.filenames import slug
from config.web.lists import PAGE_SIZE
from helhedsplaner import lifecycle
from helhedsplaner.forms import PakkeeksportForm
from helhedsplaner.models import Helhedsplan, Pakke, Pakkeeksport
from helhedsplaner.packs import documents, exports
from helhedsplaner.packs.views import exports as export_views
from helhedsplaner.tasks import build_pack_export
from indsatser.models import Finansieringsperiode
from tests.factories import AfdelingFactory, HelhedsplanFactory
from tests.helhedsplaner.conftest import worker_holding

FAKE_PDF = b"%PDF-1.7 en pakke, der allerede findes"


@pytest.fixture(autouse=True)
def private_storage(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path, "base_url": None},
        },
    }


@pytest.fixture
def eager(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True


def make_plan(titel, *afdelinger, **fields) -> Helhedsplan:
    plan = HelhedsplanFactory(indsats__titel=titel, indsats__afdelinger=list(afdelinger), **fields)
    return Helhedsplan.objects.select_related("indsats").get(pk=plan.pk)


@pytest.fixture
def groenvaenget(db):
    return AfdelingFactory(nummer="01-10", navn="Grønvænget")


@pytest.fixture
def laerkevaenget(db):
    return AfdelingFactory(nummer="01-13", navn="Lærkevænget")


@pytest.fixture
def tingbjerg(groenvaenget, laerkevaenget):
    return make_plan("Helhedsplan Tingbjerg 2028-32", groenvaenget, laerkevaenget)


@pytest.fixture
def husum(db):
    return make_plan("Helhedsplan Husum 2027-31", AfdelingFactory(nummer="02-10", navn="Bøgebakken"))


def finished_pack(plan, pakketype, data_version, content=FAKE_PDF, afdeling=None) -> Pakke:
    pakke = Pakke.objects.create(
        plan=plan,
        pakketype=pakketype,
        afdeling=afdeling,
        status=Pakke.Status.DONE,
        progress=100,
        data_version=data_version,
        sha256=hashlib.sha256(content).hexdigest(),
        stoerrelse=len(content),
        sider=3,
        finished=timezone.now(),
    )
    pakke.fil.save("p.pdf", ContentFile(content), save=True)
    return pakke


def current_version(plan, pakketype, afdeling=None) -> str:
    return documents.plan_source(plan, pakketype, afdeling).version


def export_now(user, pakketype, planer, capture) -> Pakkeeksport:
    with capture(execute=True):
        eksport, _ = exports.order_export(user, pakketype, planer)
    return Pakkeeksport.objects.get(pk=eksport.pk)


def read_zip(eksport) -> zipfile.ZipFile:
    with eksport.fil.open("rb") as stored:
        return zipfile.ZipFile(io.BytesIO(stored.read()))


def index_rows(archive) -> list[dict]:
    raw = archive.read("index.csv")
    assert raw.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig")), delimiter=";"))


# --- The job and its task ---------------------------------------------------------------------------


def test_an_export_reuses_current_packs_renders_stale_ones_and_writes_the_index(
    eager, sekretariat, tingbjerg, husum, django_capture_on_commit_callbacks
):
    current = finished_pack(husum, "praekvalifikation", current_version(husum, "praekvalifikation"))
    stale = finished_pack(tingbjerg, "praekvalifikation", "en ældre version af planen")

    eksport = export_now(
        sekretariat, "praekvalifikation", [tingbjerg, husum], django_capture_on_commit_callbacks
    )

    assert eksport.status == Pakkeeksport.Status.DONE and eksport.progress == 100 and not eksport.error
    assert eksport.sent is not None and eksport.started is not None and eksport.finished is not None
    with eksport.fil.open("rb") as stored:
        content = stored.read()
    assert eksport.sha256 == hashlib.sha256(content).hexdigest() and eksport.stoerrelse == len(content)
    assert eksport.antal_pakker == 2

    rendered = Pakke.objects.get(plan=tingbjerg, status=Pakke.Status.DONE, pk__gt=stale.pk)
    assert rendered.oprettet_af == sekretariat
    assert rendered.data_version == current_version(tingbjerg, "praekvalifikation")
    assert Pakke.objects.filter(plan=husum).count() == 1

    archive = read_zip(eksport)
    husum_file = "helhedsplan-husum-2027-31-praekvalifikation.pdf"
    tingbjerg_file = "helhedsplan-tingbjerg-2028-32-praekvalifikation.pdf"
    assert archive.namelist() == [husum_file, tingbjerg_file, "index.csv"]
    assert archive.read(husum_file) == FAKE_PDF
    assert archive.read(tingbjerg_file).startswith(b"%PDF")

    rows = index_rows(archive)
    assert list(rows[0]) == exports.INDEX_COLUMNS
    assert [row["fil"] for row in rows] == [husum_file, tingbjerg_file]
    husum_row, tingbjerg_row = rows
    assert husum_row == {
        "fil": husum_file,
        "plan_id": str(husum.pk),
        "plan": "Helhedsplan Husum 2027-31",
        "afdelinger": "02-10 Bøgebakken",
        "pakketype": "Prækvalifikationsansøgning",
        "pakke_id": str(current.pk),
        "data_version": current.data_version,
        "sider": "3",
        "bytes": str(len(FAKE_PDF)),
        "sha256": hashlib.sha256(FAKE_PDF).hexdigest(),
        "genereret": timezone.localtime(current.finished).strftime("%Y-%m-%d %H:%M"),
    }
    assert tingbjerg_row["afdelinger"] == "01-10 Grønvænget, 01-13 Lærkevænget"
    assert tingbjerg_row["pakke_id"] == str(rendered.pk)
    assert tingbjerg_row["sha256"] == hashlib.sha256(archive.read(tingbjerg_file)).hexdigest()
    assert tingbjerg_row["bytes"] == str(len(archive.read(tingbjerg_file))) == str(rendered.stoerrelse)
    assert int(tingbjerg_row["sider"]) == rendered.sider >= 1


def test_the_index_shows_a_title_that_looks_like_a_formula_as_text(
    eager, sekretariat, django_capture_on_commit_callbacks
):
    plan = make_plan('=HYPERLINK("http://angriber.example/")', AfdelingFactory(nummer="-1", navn="Nord"))
    finished_pack(plan, "praekvalifikation", current_version(plan, "praekvalifikation"))
    eksport = export_now(sekretariat, "praekvalifikation", [plan], django_capture_on_commit_callbacks)
    (row,) = index_rows(read_zip(eksport))
    assert row["plan"] == '\'=HYPERLINK("http://angriber.example/")' and row["afdelinger"] == "'-1 Nord"
    assert row["plan_id"] == str(plan.pk) and row["sider"] == "3"


def test_afdelingsmoede_material_is_one_pack_per_afdeling(
    eager, medarbejder, tingbjerg, groenvaenget, laerkevaenget, django_capture_on_commit_callbacks
):
    for afdeling in (groenvaenget, laerkevaenget):
        version = current_version(tingbjerg, "afdelingsmoede", afdeling)
        finished_pack(tingbjerg, "afdelingsmoede", version, afdeling=afdeling)

    eksport = export_now(medarbejder, "afdelingsmoede", [tingbjerg], django_capture_on_commit_callbacks)

    archive = read_zip(eksport)
    assert archive.namelist() == [
        "helhedsplan-tingbjerg-2028-32-01-10-groenvaenget-afdelingsmoede.pdf",
        "helhedsplan-tingbjerg-2028-32-01-13-laerkevaenget-afdelingsmoede.pdf",
        "index.csv",
    ]
    assert [row["afdelinger"] for row in index_rows(archive)] == ["01-10 Grønvænget", "01-13 Lærkevænget"]
    assert eksport.antal_pakker == 2


def test_file_names_are_ascii_and_unique():
    assert (
        slug("Helhedsplan Tingbjerg/Utterslevhuse 2028-32") == "helhedsplan-tingbjerg-utterslevhuse-2028-32"
    )
    assert slug("Ærø, Åbyhøj & Søborg") == "aeroe-aabyhoej-soeborg"
    assert slug("Café «Nørrebro»") == "cafe-noerrebro"
    first, second = (SimpleNamespace(pk=pk, indsats=SimpleNamespace(titel="Samme titel")) for pk in (7, 8))
    taken = set()
    assert exports.file_name(first, None, "helhedsplan", taken) == "samme-titel-helhedsplan.pdf"
    assert exports.file_name(second, None, "helhedsplan", taken) == "samme-titel-helhedsplan-8.pdf"


def test_the_task_leaves_missing_running_and_finished_exports_alone(husum):
    assert build_pack_export.run(987654) is None
    for status in (Pakkeeksport.Status.RUNNING, Pakkeeksport.Status.DONE, Pakkeeksport.Status.FAILED):
        eksport = Pakkeeksport.objects.create(pakketype="helhedsplan", status=status)
        eksport.planer.set([husum])
        with worker_holding(eksport):  # the running one's worker is alive
            assert build_pack_export.run(eksport.pk) is None
        eksport.refresh_from_db()
        assert eksport.status == status and not eksport.fil


def test_the_task_is_idempotent(husum, sekretariat):
    finished_pack(husum, "helhedsplan", current_version(husum, "helhedsplan"))
    eksport = Pakkeeksport.objects.create(pakketype="helhedsplan", oprettet_af=sekretariat)
    eksport.planer.set([husum])
    assert build_pack_export.run(eksport.pk) == eksport.pk
    eksport.refresh_from_db()
    first_file = eksport.fil.name
    assert build_pack_export.run(eksport.pk) is None
    eksport.refresh_from_db()
    assert eksport.fil.name == first_file and eksport.status == Pakkeeksport.Status.DONE


def test_a_pack_that_cannot_be_made_fails_the_export_with_a_readable_reason(husum, sekretariat, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("skabelonen mangler")

    monkeypatch.setattr(documents, "render", broken)
    eksport = Pakkeeksport.objects.create(pakketype="helhedsplan", oprettet_af=sekretariat)
    eksport.planer.set([husum])
    assert build_pack_export.run(eksport.pk) is None
    eksport.refresh_from_db()
    assert eksport.status == Pakkeeksport.Status.FAILED
    assert eksport.error == "Pakken til «Helhedsplan Husum 2027-31» kunne ikke laves: skabelonen mangler"
    pakke = Pakke.objects.get(plan=husum)
    assert pakke.status == Pakke.Status.FAILED and "skabelonen mangler" in pakke.error


def test_a_passing_database_fault_puts_the_export_back_in_the_queue_for_the_retry(husum, monkeypatch):
    def database_gone(eksport):
        raise OperationalError("forbindelsen blev afbrudt")

    monkeypatch.setattr(exports, "build", database_gone)
    eksport = Pakkeeksport.objects.create(pakketype="helhedsplan")
    eksport.planer.set([husum])
    with pytest.raises(OperationalError):
        build_pack_export.run(eksport.pk)
    eksport.refresh_from_db()
    assert eksport.status == Pakkeeksport.Status.QUEUED


def test_an_export_that_takes_too_long_fails_and_can_be_retried(
    eager, husum, monkeypatch, django_capture_on_commit_callbacks
):
    def too_slow(eksport):
        raise SoftTimeLimitExceeded()

    monkeypatch.setattr(exports, "build", too_slow)
    eksport = Pakkeeksport.objects.create(pakketype="helhedsplan")
    eksport.planer.set([husum])
    build_pack_export.run(eksport.pk)
    eksport.refresh_from_db()
    assert eksport.status == Pakkeeksport.Status.FAILED and "tog for lang tid" in eksport.error

    monkeypatch.undo()  # the next run has time enough
    with django_capture_on_commit_callbacks(execute=True):
        jobs.requeue(eksport)
    eksport.refresh_from_db()
    assert eksport.status == Pakkeeksport.Status.DONE and not eksport.error
    assert read_zip(eksport).namelist()


def test_an_export_stays_queued_when_redis_is_down(
    husum, sekretariat, monkeypatch, django_capture_on_commit_callbacks
):
    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis svarer ikke")

    monkeypatch.setattr(build_pack_export, "delay", broker_down)
    eksport = export_now(sekretariat, "helhedsplan", [husum], django_capture_on_commit_callbacks)
    assert eksport.status == Pakkeeksport.Status.QUEUED and eksport.sent is None


# --- The page --------------------------------------------------------------------------------------

PAGE = reverse("pack_export")


def page_url(**filters) -> str:
    return f"{PAGE}?{'&'.join(f'{key}={value}' for key, value in filters.items())}"


def listed(response) -> list[int]:
    return [plan["pk"] for plan in response.context["page"].object_list]


def test_the_page_filters_by_phase_period_and_planned_start(client_as, sekretariat, tingbjerg, husum):
    periode = Finansieringsperiode.objects.get(navn="2019-26")
    Helhedsplan.objects.filter(pk=tingbjerg.pk).update(
        tilstand=lifecycle.PRAEKVALIFIKATION_BEHANDLES, planlagt_start=date(2028, 1, 1)
    )
    Helhedsplan.objects.filter(pk=husum.pk).update(planlagt_start=date(2027, 7, 1))
    husum.indsats.periode = periode
    husum.indsats.save()
    client = client_as(sekretariat)

    assert listed(client.get(PAGE)) == [husum.pk, tingbjerg.pk]
    assert listed(client.get(page_url(tilstand=lifecycle.PRAEKVALIFIKATION_BEHANDLES))) == [tingbjerg.pk]
    assert listed(client.get(page_url(periode=periode.pk))) == [husum.pk]
    assert listed(client.get(page_url(aar=2028))) == [tingbjerg.pk]
    assert listed(client.get(page_url(aar=2028, tilstand=lifecycle.IDE))) == []
    body = client.get(page_url(aar=2030)).content.decode()
    assert "Ingen helhedsplaner matcher filtrene." not in body  # an unknown year is ignored
    assert '<option value="2027">2027</option>' in body and '<option value="2028">2028</option>' in body


def test_the_page_shows_each_plans_latest_pack_of_the_chosen_type(client_as, sekretariat, husum):
    pakke = finished_pack(husum, "helhedsplan", "v1")
    client = client_as(sekretariat)
    helhedsplan_page = client.get(page_url(pakketype="helhedsplan"))
    assert helhedsplan_page.context["page"][0]["seneste_pakke"] == pakke.finished
    assert "Seneste helhedsplan-ansøgning" in helhedsplan_page.content.decode()
    praekvalifikation_page = client.get(page_url(pakketype="praekvalifikation"))
    assert praekvalifikation_page.context["page"][0]["seneste_pakke"] is None
    assert "Ingen: laves ved eksporten" in praekvalifikation_page.content.decode()


def test_each_plan_is_a_row_with_its_afdelinger_phase_start_and_latest_pack(
    client_as, sekretariat, groenvaenget, django_assert_num_queries
):
    plan = make_plan('Plan <b>"A&B"</b>', groenvaenget, AfdelingFactory(nummer="01-02", navn="<i>Vej</i>"))
    Helhedsplan.objects.filter(pk=plan.pk).update(planlagt_start=date(2028, 3, 1))
    pakke = finished_pack(plan, "helhedsplan", "v1")
    Pakke.objects.filter(pk=pakke.pk).update(finished=datetime(2026, 12, 31, 23, 30, tzinfo=UTC))
    make_plan("Plan uden afdelinger")
    client = client_as(sekretariat)
    # session, user, roles, periods and years of the filters, the number of plans, the plans, exports
    with django_assert_num_queries(8):
        body = client.get(page_url(pakketype="helhedsplan")).content.decode()
    title = "Plan &lt;b&gt;&quot;A&amp;B&quot;&lt;/b&gt;"
    assert (
        f'<input class="form-checkbox" type="checkbox" name="planer" value="{plan.pk}" id="plan-{plan.pk}">'
        f'\n            <label for="plan-{plan.pk}"><span class="sr-only">Vælg {title}</span></label>'
    ) in body
    assert f'<td><a href="/helhedsplaner/{plan.pk}/">{title}</a></td>' in body
    assert (
        '<td class="pakkeeksport-afdelinger">'
        '<abbr class="app-nowrap" title="&lt;i&gt;Vej&lt;/i&gt;">01-02</abbr>, '
        '<abbr class="app-nowrap" title="Grønvænget">01-10</abbr></td>'
    ) in body
    assert '<td class="app-nowrap">marts 2028</td>' in body
    assert "<td>1. januar 2027</td>" in body  # the pack's time in Danish local time
    assert '<td class="pakkeeksport-afdelinger">–</td>' in body and '<td class="app-nowrap">–</td>' in body
    # A refused export keeps the plans that were ticked.
    refused = client.post(page_url(pakketype="helhedsplan"), {"pakketype": "nope", "planer": [plan.pk]})
    assert refused.status_code == 400
    assert '<tr class="table-row-selected">' in refused.content.decode()
    assert f'id="plan-{plan.pk}" checked>' in refused.content.decode()


def test_htmx_filtering_answers_with_the_plan_table_only(client_as, medarbejder, husum):
    response = client_as(medarbejder).get(page_url(pakketype="afslutning"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200
    assert body.lstrip().startswith('<section id="eksport-planer"')
    assert 'name="pakketype" value="afslutning"' in body and "<html" not in body


def test_going_back_to_a_page_htmx_changed_gets_the_whole_page(client_as, medarbejder, husum):
    """A history restore: htmx asks again for a page it did not keep, to put in the whole body."""
    response = client_as(medarbejder).get(
        page_url(pakketype="afslutning"), HTTP_HX_REQUEST="true", HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" in body and "<h1>Eksport af ansøgningspakker</h1>" in body


@pytest.fixture
def a_round(db):
    """Five plans in the phase a round is filtered by, and one in another phase."""
    plans = [make_plan(f"Helhedsplan {number}") for number in range(1, 6)]
    Helhedsplan.objects.filter(pk__in=[plan.pk for plan in plans]).update(
        tilstand=lifecycle.PRAEKVALIFIKATION_BEHANDLES
    )
    make_plan("Helhedsplan i en anden fase")
    return plans


ROUND = f"pakketype=helhedsplan&tilstand={lifecycle.PRAEKVALIFIKATION_BEHANDLES}"


@pytest.fixture
def two_a_page(monkeypatch):
    monkeypatch.setattr(export_views, "PAGE_SIZE", 2)


def test_the_plans_are_shown_a_page_at_a_time_with_the_filters_kept(
    client_as, sekretariat, a_round, two_a_page
):
    client = client_as(sekretariat)
    pks = [plan.pk for plan in a_round]
    first = client.get(f"{PAGE}?{ROUND}")
    assert listed(first) == pks[:2]
    body = first.content.decode()
    assert "<strong>5</strong> planer matcher filtrene · viser 1–2</p>" in body
    kept = ROUND.replace("&", "&amp;")
    assert f'href="?{kept}&amp;side=2" hx-get="?{kept}&amp;side=2" hx-target="#eksport-planer"' in body
    assert "Forrige" not in body and "Side 1 af 3" in body
    assert "2 planer på siden</span>" in body
    assert "Eksportér alle 5 planer, der matcher filtrene</button>" in body

    second = client.get(f"{PAGE}?{ROUND}&side=2")
    assert listed(second) == pks[2:4]
    body = second.content.decode()
    assert "· viser 3–4</p>" in body and f'href="?{kept}&amp;side=1"' in body
    assert f'href="?{kept}&amp;side=3"' in body
    assert f'action="{PAGE}?{kept}&amp;side=2"' in body  # an export from here comes back here

    last = client.get(f"{PAGE}?{ROUND}&side=3", HTTP_HX_REQUEST="true")
    body = last.content.decode()
    assert body.lstrip().startswith('<section id="eksport-planer"') and "<html" not in body
    assert listed(last) == pks[4:] and "· viser 5</p>" in body and "Næste" not in body
    # A page that is not there shows the nearest one, as the other lists do.
    assert listed(client.get(f"{PAGE}?{ROUND}&side=99")) == pks[4:]
    assert listed(client.get(f"{PAGE}?{ROUND}&side=x")) == pks[:2]


def test_one_page_needs_no_pager(client_as, sekretariat, husum):
    body = client_as(sekretariat).get(PAGE).content.decode()
    assert "<strong>1</strong> plan matcher filtrene</p>" in body and "Side 1" not in body
    assert "Eksportér planen, der matcher filtrene</button>" in body


def test_exporting_all_takes_every_page_of_the_filtered_plans_and_never_the_posted_ids(
    client_as, sekretariat, a_round, two_a_page
):
    other = Helhedsplan.objects.exclude(pk__in=[plan.pk for plan in a_round]).get()
    url = f"{PAGE}?{ROUND}&side=2"
    posted = {"pakketype": "helhedsplan", "alle": "1", "planer": [other.pk]}
    response = client_as(sekretariat).post(url, posted)
    assert response.status_code == 302 and response["Location"] == f"{url}#eksporter"
    eksport = Pakkeeksport.objects.get()
    assert set(eksport.planer.all()) == set(a_round) and eksport.pakketype == "helhedsplan"


def test_exporting_all_with_tampered_filters_takes_the_plans_the_page_shows(client_as, sekretariat, a_round):
    """Unknown filter values fall back to the page's defaults (every plan), on the page and in the export."""
    client = client_as(sekretariat)
    url = f"{PAGE}?pakketype=helhedsplan&tilstand=findes-ikke&periode=abc"
    assert "<strong>6</strong> planer matcher filtrene" in client.get(url).content.decode()
    assert client.post(url, {"pakketype": "praekvalifikation", "alle": "1"}).status_code == 302
    assert Pakkeeksport.objects.get().planer.count() == 6


def test_exporting_all_when_nothing_matches_is_refused(client_as, sekretariat, a_round):
    """The round's plans left the phase after the page was shown."""
    Helhedsplan.objects.filter(pk__in=[plan.pk for plan in a_round]).update(tilstand=lifecycle.IDE)
    response = client_as(sekretariat).post(f"{PAGE}?{ROUND}", {"pakketype": "helhedsplan", "alle": "1"})
    assert response.status_code == 400
    assert "Ingen helhedsplaner matcher filtrene. Vælg andre filtre." in response.content.decode()
    assert not Pakkeeksport.objects.exists()


def test_all_matching_plans_are_only_those_the_user_may_see(bestyrelse, own_afdeling, foreign_afdeling):
    own = make_plan("Egen plan", own_afdeling)
    make_plan("Fremmed plan", foreign_afdeling)
    form = PakkeeksportForm(
        bestyrelse, exports.matching_plans(bestyrelse), {"pakketype": "helhedsplan", "alle": "1"}
    )
    assert form.is_valid() and form.cleaned_data["planer"] == [own]


def test_starting_an_export_from_the_page(
    eager, client_as, sekretariat, tingbjerg, husum, django_capture_on_commit_callbacks
):
    for plan in (tingbjerg, husum):
        finished_pack(plan, "helhedsplan", current_version(plan, "helhedsplan"))
    client = client_as(sekretariat)
    url = page_url(pakketype="helhedsplan")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {"pakketype": "helhedsplan", "planer": [tingbjerg.pk, husum.pk]})
    assert response.status_code == 302 and response["Location"] == f"{url}#eksporter"
    eksport = Pakkeeksport.objects.get()
    assert set(eksport.planer.all()) == {tingbjerg, husum} and eksport.oprettet_af == sekretariat
    assert eksport.status == Pakkeeksport.Status.DONE

    page = client.get(url).content.decode()
    assert reverse("pack_export_download", args=[eksport.pk]) in page and "2 pakker" in page

    download = client.get(reverse("pack_export_download", args=[eksport.pk]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert f'filename="{eksport.filename}"' in download["Content-Disposition"]
    assert "attachment" in download["Content-Disposition"]
    content = b"".join(download.streaming_content)
    assert content.startswith(b"PK") and hashlib.sha256(content).hexdigest() == eksport.sha256


def test_the_same_export_ordered_again_before_it_ends_is_not_ordered_twice(
    client_as, sekretariat, medarbejder, tingbjerg, husum
):
    client = client_as(sekretariat)  # the job is sent on commit: here it stays in the queue
    url = page_url(pakketype="helhedsplan")
    chosen = {"pakketype": "helhedsplan", "planer": [tingbjerg.pk, husum.pk]}
    client.post(url, chosen)
    again = client.post(url, chosen, follow=True).content.decode()
    assert "Den samme eksport er allerede i gang." in again
    assert Pakkeeksport.objects.count() == 1
    # Other plans, another pack type or another user's order is a new export.
    client.post(url, {"pakketype": "helhedsplan", "planer": [husum.pk]})
    client.post(url, {"pakketype": "praekvalifikation", "planer": [tingbjerg.pk, husum.pk]})
    client_as(medarbejder).post(url, chosen)
    assert Pakkeeksport.objects.count() == 4
    # Once it has ended, the same choice is a new export.
    Pakkeeksport.objects.update(status=Pakkeeksport.Status.DONE)
    client.post(url, chosen)
    assert Pakkeeksport.objects.count() == 5


def test_an_export_needs_a_plan(client_as, sekretariat, husum):
    response = client_as(sekretariat).post(PAGE, {"pakketype": "helhedsplan"})
    assert response.status_code == 400
    assert "Vælg mindst én plan." in response.content.decode()
    assert not Pakkeeksport.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("redis_up", [True, False])
def test_the_user_is_told_whether_the_export_reached_the_queue(
    eager, client_as, sekretariat, husum, monkeypatch, redis_up
):
    """In a real transaction: the job is sent when the view's transaction commits, before the answer."""
    finished_pack(husum, "helhedsplan", current_version(husum, "helhedsplan"))
    if not redis_up:

        def broker_down(*args, **kwargs):
            raise ConnectionError("Redis svarer ikke")

        monkeypatch.setattr(build_pack_export, "delay", broker_down)
    response = client_as(sekretariat).post(
        PAGE, {"pakketype": "helhedsplan", "planer": [husum.pk]}, follow=True
    )
    body = response.content.decode()
    eksport = Pakkeeksport.objects.get()
    if redis_up:
        assert "Eksporten er sat i gang." in body and "Hent ZIP" in body
        assert eksport.status == Pakkeeksport.Status.DONE
    else:
        assert "køserveren svarer ikke lige nu" in body
        assert "I kø: venter på, at køserveren svarer" in body
        assert eksport.status == Pakkeeksport.Status.QUEUED and eksport.sent is None


def test_the_status_fragment_polls_until_the_export_has_ended(client_as, medarbejder, husum):
    eksport = Pakkeeksport.objects.create(
        pakketype="helhedsplan", status=Pakkeeksport.Status.RUNNING, progress=40, sent=timezone.now()
    )
    client = client_as(medarbejder)
    url = reverse("pack_export_status", args=[eksport.pk])
    with worker_holding(eksport):
        running = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in running and "Genereres 40 %" in running
    assert 'value="40"' in running and "Prøv igen" not in running
    # The worker died: still polled (a redelivery may take it), and the user may send it again at once.
    stalled = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in stalled and "Prøv igen" in stalled
    assert "Gået i stå ved 40 %: ingen er i gang med at lave eksporten." in stalled
    Pakkeeksport.objects.filter(pk=eksport.pk).update(
        status=Pakkeeksport.Status.FAILED, error="Pakken til «Husum» kunne ikke laves: skabelonen mangler"
    )
    failed = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "every 2s" not in failed and "skabelonen mangler" in failed and "Prøv igen" in failed
    assert client.get(url).status_code == 302  # without htmx: the page


def test_a_failed_export_can_be_retried(
    eager, client_as, sekretariat, husum, django_capture_on_commit_callbacks
):
    finished_pack(husum, "helhedsplan", current_version(husum, "helhedsplan"))
    eksport = Pakkeeksport.objects.create(
        pakketype="helhedsplan", status=Pakkeeksport.Status.FAILED, error="Redis forsvandt"
    )
    eksport.planer.set([husum])
    client = client_as(sekretariat)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("pack_export_retry", args=[eksport.pk]), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and body.lstrip().startswith('<section id="eksporter"')
    assert 'hx-trigger="every 2s"' in body and "Redis forsvandt" not in body  # queued again, polling
    eksport.refresh_from_db()
    assert eksport.status == Pakkeeksport.Status.DONE and not eksport.error
    finished = client.post(reverse("pack_export_retry", args=[eksport.pk]))
    assert finished.status_code == 404  # only a failed export is retried


# --- Who may ---------------------------------------------------------------------------------------


@pytest.fixture
def finished_export(husum):
    eksport = Pakkeeksport.objects.create(
        pakketype="helhedsplan", status=Pakkeeksport.Status.DONE, antal_pakker=1, stoerrelse=4
    )
    eksport.planer.set([husum])
    eksport.fil.save("e.zip", ContentFile(b"PK\x03\x04"), save=True)
    return eksport


@pytest.fixture
def failed_export(husum):
    eksport = Pakkeeksport.objects.create(pakketype="helhedsplan", status=Pakkeeksport.Status.FAILED)
    eksport.planer.set([husum])
    return eksport


ALLOWED = ["sekretariat", "medarbejder", "administrator"]


@pytest.mark.parametrize("who", ALLOWED)
def test_staff_secretariat_and_administrators_may_export(request, client_as, who, finished_export):
    client = client_as(request.getfixturevalue(who))
    page = client.get(PAGE)
    assert page.status_code == 200
    body = page.content.decode()
    assert f'href="{PAGE}"' in body and ">Pakkeeksport</a>" in body  # in the menu
    assert (
        client.get(
            reverse("pack_export_status", args=[finished_export.pk]), HTTP_HX_REQUEST="true"
        ).status_code
        == 200
    )
    download = client.get(reverse("pack_export_download", args=[finished_export.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == b"PK\x03\x04"


def test_board_members_may_not(client_as, bestyrelse, finished_export, failed_export, own_afdeling):
    plan = make_plan("Bestyrelsens egen plan", own_afdeling)
    client = client_as(bestyrelse)
    assert client.get(PAGE).status_code == 403
    assert client.post(PAGE, {"pakketype": "helhedsplan", "planer": [plan.pk]}).status_code == 403
    assert (
        client.get(
            reverse("pack_export_status", args=[finished_export.pk]), HTTP_HX_REQUEST="true"
        ).status_code
        == 403
    )
    assert client.get(reverse("pack_export_download", args=[finished_export.pk])).status_code == 403
    assert client.post(reverse("pack_export_retry", args=[failed_export.pk])).status_code == 403
    assert Pakkeeksport.objects.count() == 2
    failed_export.refresh_from_db()
    assert failed_export.status == Pakkeeksport.Status.FAILED
    home = client.get(reverse("home")).content.decode()
    assert "Pakkeeksport" not in home and PAGE not in home


def test_anonymous_users_are_sent_to_the_login(client, finished_export, failed_export):
    for response in (
        client.get(PAGE),
        client.post(PAGE, {"pakketype": "helhedsplan"}),
        client.get(reverse("pack_export_status", args=[finished_export.pk])),
        client.get(reverse("pack_export_download", args=[finished_export.pk])),
        client.post(reverse("pack_export_retry", args=[failed_export.pk])),
    ):
        assert response.status_code == 302 and reverse("login") in response["Location"]
    assert Pakkeeksport.objects.count() == 2


# --- Queries ---------------------------------------------------------------------------------------


def add_data(count, user):
    """count plans of three afdelinger, each with a finished pack, and count exports of them."""
    for number in range(count):
        afdelinger = [AfdelingFactory() for _ in range(3)]
        plan = make_plan(f"Plan {number:03d}", *afdelinger)
        finished_pack(plan, "praekvalifikation", "v1")
        eksport = Pakkeeksport.objects.create(pakketype="praekvalifikation", oprettet_af=user)
        eksport.planer.set([plan])


@pytest.mark.parametrize("size", [1, 26])
def test_the_page_runs_a_constant_number_of_queries(client_as, sekretariat, django_assert_num_queries, size):
    add_data(size, sekretariat)
    client = client_as(sekretariat)
    client.get(PAGE)  # warm up: content types and the like are cached after the first request
    # session, user, the user's groups; the years for the filter; the number of matching plans; the page's
    # plans with their latest pack and their afdelinger; the financing periods for the filter; the exports
    # with their plan counts
    with django_assert_num_queries(8):
        response = client.get(PAGE)
    page = response.context["page"]
    assert page.paginator.count == size and len(page.object_list) == min(size, PAGE_SIZE)
    assert len(response.context["eksporter"]) == min(size, exports.RECENT_EXPORTS)
