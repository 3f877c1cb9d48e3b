"""What is due across plans: the reminders of the reports' deadlines at the day boundaries (with an injected
date), written once however often the daily task runs; the e-mails at once or in the weekly digest as each
user chooses; the list of what is due with its filters, export and pinned queries; and the start pages."""

import io
from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from helhedsplaner import actions, frister, tasks
from helhedsplaner.frister import reminder_step
from helhedsplaner.models import (
    Besked,
    Fristpaamindelse,
    Levering,
    Notifikationsart,
    Rapporteringsforpligtelse,
    Rapporteringstype,
)
from tests.factories import HelhedsplanFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_here")]

FRIST = date(2027, 6, 30)
FOER, EFTER = Notifikationsart.FRIST_FOER, Notifikationsart.FRIST_OVERSKREDET


def running_plan(**fields):
    """A plan in a phase whose reports are owed (an active plan)."""
    return HelhedsplanFactory(tilstand="aktiv", **fields)


def owe(plan, *, frist=FRIST, ansvarlig=None, status=Rapporteringsforpligtelse.Status.AABEN, art="regnskab"):
    typ = Rapporteringstype.objects.filter(art=art).order_by("pk").first()
    return Rapporteringsforpligtelse.objects.create(
        plan=plan, type=typ, aar=frist.year - 1, frist=frist, ansvarlig=ansvarlig, status=status
    )


def test_the_steps_at_the_day_boundaries():
    assert reminder_step(FRIST, FRIST - timedelta(days=15)) is None
    assert reminder_step(FRIST, FRIST - timedelta(days=14)) == ("foer", FOER)
    assert reminder_step(FRIST, FRIST) == ("foer", FOER)  # the deadline day itself is still on time
    assert reminder_step(FRIST, FRIST + timedelta(days=1)) == ("efter-0", EFTER)
    assert reminder_step(FRIST, FRIST + timedelta(days=7)) == ("efter-0", EFTER)
    assert reminder_step(FRIST, FRIST + timedelta(days=8)) == ("efter-1", EFTER)
    assert reminder_step(FRIST, FRIST + timedelta(days=15)) == ("efter-2", EFTER)


@pytest.fixture
def people(db):
    return {
        "report": UserFactory(username="frist-rapport", role="medarbejder"),
        "plan": UserFactory(username="frist-plan", role="medarbejder"),
        "sekretariat": UserFactory(username="frist-sekretariat", role="sekretariat"),
    }


@pytest.fixture
def obligation(people):
    plan = running_plan(indsats__titel="Fristparken", indsats__ansvarlig=people["plan"])
    return owe(plan, ansvarlig=people["report"])


def run_on(day, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        written = frister.write_reminders(day)
    return written, sorted(message.to[0] for message in mail.outbox)


def test_reminders_before_and_after_the_deadline_each_sent_once(
    obligation, people, django_capture_on_commit_callbacks
):
    report, plan_owner, secretariat = (people[k].email for k in ("report", "plan", "sekretariat"))
    assert run_on(FRIST - timedelta(days=15), django_capture_on_commit_callbacks) == (0, [])
    # 14 days before: the one responsible for the report, and again the same day: nothing
    assert run_on(FRIST - timedelta(days=14), django_capture_on_commit_callbacks) == (1, [report])
    assert run_on(FRIST - timedelta(days=14), django_capture_on_commit_callbacks) == (0, [])
    assert Besked.objects.filter(art=Besked.Art.FRISTPAAMINDELSE).count() == 1
    # on the deadline day: still on time, already reminded
    assert run_on(FRIST, django_capture_on_commit_callbacks) == (0, [])
    # the day after: escalated to the plan's responsible and the secretariat
    assert run_on(FRIST + timedelta(days=1), django_capture_on_commit_callbacks) == (
        3,
        sorted([report, plan_owner, secretariat]),
    )
    assert run_on(FRIST + timedelta(days=1), django_capture_on_commit_callbacks) == (0, [])
    assert run_on(FRIST + timedelta(days=7), django_capture_on_commit_callbacks) == (0, [])
    # then weekly
    assert run_on(FRIST + timedelta(days=8), django_capture_on_commit_callbacks)[0] == 3
    # once sent to the funders: no more
    Rapporteringsforpligtelse.objects.filter(pk=obligation.pk).update(
        status=Rapporteringsforpligtelse.Status.SENDT
    )
    assert run_on(FRIST + timedelta(days=15), django_capture_on_commit_callbacks) == (0, [])


def test_a_missed_day_is_caught_up_within_its_step(obligation, django_capture_on_commit_callbacks):
    assert run_on(FRIST - timedelta(days=10), django_capture_on_commit_callbacks)[0] == 1
    assert run_on(FRIST + timedelta(days=3), django_capture_on_commit_callbacks)[0] == 3


def test_the_mail_names_the_report_the_plan_and_the_deadline(obligation, django_capture_on_commit_callbacks):
    run_on(FRIST + timedelta(days=1), django_capture_on_commit_callbacks)
    message = mail.outbox[0]
    assert message.subject == f"Overskredet frist: {obligation.type} 2026"
    assert "Fristparken" in message.body and "30.06.2027" in message.body and "overskredet" in message.body
    assert reverse("plan_year", args=[obligation.plan_id, 2026]) in message.body


def test_a_weekly_digest_instead_for_those_who_chose_it(
    obligation, people, django_capture_on_commit_callbacks
):
    second = owe(obligation.plan, ansvarlig=people["report"], art="maalopfoelgning")
    actions.save_notification_choices(
        {FOER: Levering.UGENTLIG, EFTER: Levering.STRAKS}, acting_user=people["report"]
    )
    # Before the deadline: nothing at once for the one who wants the week's in one e-mail
    assert run_on(FRIST - timedelta(days=14), django_capture_on_commit_callbacks) == (2, [])
    mail.outbox.clear()
    assert tasks.send_deadline_digest() == 1
    [digest] = mail.outbox
    assert digest.to == [people["report"].email]
    assert digest.body.count("Fristparken") == 2 and str(second.type) in digest.body
    assert tasks.send_deadline_digest() == 0  # run twice: nothing twice
    assert len(mail.outbox) == 1
    # The other kind still comes at once
    assert people["report"].email in run_on(FRIST + timedelta(days=1), django_capture_on_commit_callbacks)[1]


def test_the_settings_page_stores_the_choices(client_as, people):
    client = client_as(people["report"])
    assert client.get(reverse("notification_settings")).status_code == 200
    response = client.post(reverse("notification_settings"), {FOER: "ugentlig", EFTER: "straks"})
    assert response.status_code == 302
    assert dict(people["report"].notifikationsvalg.values_list("art", "levering")) == {
        FOER: "ugentlig",
        EFTER: "straks",
    }
    assert client.post(reverse("notification_settings"), {FOER: "dagligt"}).status_code == 400
    assert people["report"].notifikationsvalg.get(art=FOER).levering == "ugentlig"


def test_a_board_member_is_offered_no_report_reminders(client_as, bestyrelse):
    page = client_as(bestyrelse).get(reverse("notification_settings")).content.decode()
    assert "Der er ingen e-mails at vælge her for dig" in page
    assert FOER not in page and EFTER not in page and "<select" not in page


def test_the_choices_are_dkfds_selects(client_as, people):
    page = client_as(people["report"]).get(reverse("notification_settings")).content.decode()
    assert f'<select name="{FOER}" class="form-select"' in page


def _build(count, staff):
    today = timezone.localdate()
    for index in range(count):
        plan = running_plan(indsats__titel=f"Plan {index}", indsats__ansvarlig=staff)
        owe(plan, frist=today + timedelta(days=index % 90 - 20), ansvarlig=staff)


@pytest.mark.parametrize("size", [3, 30])
def test_the_list_of_what_is_due_runs_the_same_queries_whatever_the_size(
    client_as, people, django_assert_num_queries, size
):
    _build(size, people["report"])
    client = client_as(people["sekretariat"])
    client.get(reverse("due_list"))
    # session and user, the user's groups (role), the page's count, the page's rows, the filter's staff list
    with django_assert_num_queries(5):
        response = client.get(reverse("due_list"))
    assert response.status_code == 200
    with django_assert_num_queries(4):
        assert client.get(reverse("due_export")).status_code == 200


def test_the_list_shows_only_what_is_due_and_filters(client_as, people):
    today = timezone.localdate()
    staff, other = people["report"], people["plan"]
    late = owe(running_plan(indsats__titel="Sen plan"), frist=today - timedelta(days=1), ansvarlig=staff)
    owe(running_plan(indsats__titel="Snart plan"), frist=today + timedelta(days=60), ansvarlig=other)
    owe(running_plan(indsats__titel="Fjern plan"), frist=today + timedelta(days=61), ansvarlig=staff)
    owe(
        running_plan(indsats__titel="Sendt plan"),
        frist=today - timedelta(days=5),
        status=Rapporteringsforpligtelse.Status.SENDT,
    )
    client = client_as(staff)

    def titles(**query):
        page = client.get(reverse("due_list"), query).content.decode()
        return [t for t in ("Sen plan", "Snart plan", "Fjern plan", "Sendt plan") if t in page]

    assert titles() == ["Sen plan", "Snart plan"]
    assert titles(frist="overskredet") == ["Sen plan"]
    assert titles(ansvarlig=other.pk) == ["Snart plan"]
    assert titles(q="snart") == ["Snart plan"]
    assert titles(status="klar") == []
    assert titles(art="maalopfoelgning") == []
    workbook = load_workbook(io.BytesIO(client.get(reverse("due_export"), {"frist": "overskredet"}).content))
    rows = list(workbook.active.iter_rows(values_only=True))
    assert rows[0][:2] == ("Helhedsplan", "Rapport")
    assert [row[0] for row in rows[1:]] == ["Sen plan"]
    assert rows[1][4] == "Ja" and late.type.navn == rows[1][1]


def test_the_start_pages_show_each_ones_own(client_as, people):
    today = timezone.localdate()
    staff = people["report"]
    owe(running_plan(indsats__titel="Min plan"), frist=today + timedelta(days=10), ansvarlig=staff)
    owe(
        running_plan(indsats__titel="Andens plan"),
        frist=today + timedelta(days=10),
        ansvarlig=people["plan"],
    )
    owe(
        running_plan(indsats__titel="Klar plan"),
        frist=today + timedelta(days=200),
        status=Rapporteringsforpligtelse.Status.KLAR,
    )
    # The plans run, so the start page's other reminders (goal figures missing) name them all: see the lists.
    mine = client_as(staff).get(reverse("home")).context["mine_frister"]
    assert [o.plan.indsats.titel for o in mine] == ["Min plan"]
    ready = client_as(people["sekretariat"]).get(reverse("home")).context["klar_til_afsendelse"]
    assert [o.plan.indsats.titel for o in ready] == ["Klar plan"]


def test_the_reminders_are_on_the_start_page(
    client_as, obligation, people, django_capture_on_commit_callbacks
):
    run_on(timezone.localdate(), django_capture_on_commit_callbacks)  # FRIST is far off: nothing
    assert not Fristpaamindelse.objects.exists()
    Rapporteringsforpligtelse.objects.filter(pk=obligation.pk).update(
        frist=timezone.localdate() - timedelta(days=2)
    )
    run_on(timezone.localdate(), django_capture_on_commit_callbacks)
    page = client_as(people["sekretariat"]).get(reverse("home")).content.decode()
    assert "Dine påmindelser" in page and "Fristparken" in page


def test_a_board_member_gets_no_list(client_as, bestyrelse):
    assert client_as(bestyrelse).get(reverse("due_list")).status_code == 403
    assert client_as(bestyrelse).get(reverse("due_export")).status_code == 403


@pytest.mark.parametrize("closed", ["afsluttet", "opgivet"])
def test_a_closed_plans_reports_not_sent_are_no_longer_due_anywhere(
    closed, client_as, people, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    staff, secretariat = people["report"], people["sekretariat"]
    plan = running_plan(indsats__titel="Lukket plan", indsats__ansvarlig=people["plan"])
    overdue = owe(plan, frist=today - timedelta(days=10), ansvarlig=staff)
    ready = owe(plan, frist=today + timedelta(days=5), ansvarlig=staff, art="maalopfoelgning")
    Rapporteringsforpligtelse.objects.filter(pk=ready.pk).update(status="klar", klar_tidspunkt=timezone.now())
    run_on(today, django_capture_on_commit_callbacks)
    assert Fristpaamindelse.objects.filter(forpligtelse=overdue).exists()
    Fristpaamindelse.objects.update(levering=Levering.UGENTLIG)
    type(plan).objects.filter(pk=plan.pk).update(tilstand=closed)
    # No new reminders, no weekly digest of those written, not on the list, its export or the start pages.
    assert run_on(today + timedelta(days=8), django_capture_on_commit_callbacks) == (0, [])
    assert frister.send_weekly_digest() == 0
    for user in (staff, secretariat):
        client = client_as(user)
        assert "Lukket plan" not in client.get(reverse("due_list")).content.decode()
        assert "Lukket plan" not in client.get(reverse("home")).content.decode()
    export = load_workbook(io.BytesIO(client_as(staff).get(reverse("due_export")).content)).active
    assert "Lukket plan" not in [row[0] for row in export.iter_rows(values_only=True)]
    # The API tells them apart from those overdue: bortfaldet.
    api = client_as(secretariat)
    states = {row["id"]: row["tilstand"] for row in api.get("/api/v1/forpligtelser/").json()["results"]}
    assert states[overdue.pk] == states[ready.pk] == "bortfaldet"
    assert not api.get("/api/v1/forpligtelser/?tilstand=forfalden").json()["results"]
    assert not api.get("/api/v1/forpligtelser/?tilstand=klar").json()["results"]
    gone = api.get("/api/v1/forpligtelser/?tilstand=bortfaldet").json()["results"]
    assert sorted(row["id"] for row in gone) == sorted([overdue.pk, ready.pk])
