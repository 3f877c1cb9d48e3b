"""The retention rules: the daily anonymisation changes exactly what is due on the day it runs (one day
earlier is not due yet), in the rows and in their history, and a second run changes nothing."""

from datetime import date, datetime, time, timedelta

import pytest
from django.conf import settings
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import User
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from config.privacy import retention, tasks
from config.privacy.actions import erase_person_without_account
from config.privacy.models import Anonymisering
from config.privacy.without_account import PersonWithoutAccount
from helhedsplaner.models import Besked, Haendelse, Kommentar, Organisationsmedlem
from indsatser import actions as indsats_actions
from indsatser.models import IndsatsHaendelse, Kontaktperson
from screening.models import Bestyrelsesmedlem
from tests.factories import (
    AfdelingFactory,
    BestyrelsesmedlemFactory,
    HelhedsplanFactory,
    IndsatsFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TODAY = date(2030, 6, 15)
# With the default periods: 5 years after a plan, a contact person or a board seat ended, 3 years after a
# closed account's last login, 90 days after a notice was sent.
DUE = date(2025, 6, 14)
NOT_YET = date(2025, 6, 15)


@pytest.fixture(autouse=True)
def default_periods(settings):
    settings.RETENTION_YEARS_AFTER_CLOSING = 5
    settings.RETENTION_YEARS_AFTER_SEAT = 5
    settings.RETENTION_YEARS_INACTIVE_ACCOUNT = 3
    settings.RETENTION_DAYS_NOTICES = 90


def at_noon(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(12)))


def ended_plan(day: date, state="afsluttet"):
    plan = HelhedsplanFactory()
    type(plan).objects.filter(pk=plan.pk).update(tilstand=state, tilstand_siden=at_noon(day))
    return plan


def comment(plan, author):
    made = Kommentar.objects.create(
        plan=plan, sektion="resume", forfatter=author, tekst=f"Tekst på {plan.pk}"
    )
    Haendelse.objects.create(plan=plan, bruger=author, art=Haendelse.Art.KOMMENTAR, kommentar=made)
    return made


def test_comments_on_plans_ended_more_than_the_period_ago_keep_their_text_and_lose_their_authors():
    author = UserFactory(role="afdelingsbestyrelse")
    due = comment(ended_plan(DUE), author)
    given_up = comment(ended_plan(DUE - timedelta(days=400), state="opgivet"), author)
    not_yet = comment(ended_plan(NOT_YET), author)
    active = comment(ended_plan(DUE, state="aktiv"), author)

    assert retention.anonymise_due(today=TODAY)["kommentarer"] == 2

    for kept_author, row in ((None, due), (None, given_up), (author, not_yet), (author, active)):
        row.refresh_from_db()
        assert (row.forfatter, row.tekst) == (kept_author, f"Tekst på {row.plan_id}")
        assert Haendelse.objects.get(kommentar=row).bruger == kept_author
    author.refresh_from_db()
    assert author.is_active and author.first_name == "Test"


def test_the_plans_organisation_is_anonymised_in_its_rows_and_history_also_when_removed_since():
    due_plan, later_plan = ended_plan(DUE), ended_plan(NOT_YET)
    member = Organisationsmedlem.objects.create(
        plan=due_plan, gruppe="styregruppe", navn="Bodil Berg", rolle="BL"
    )
    member.rolle = "Formand"
    member.save()
    removed = Organisationsmedlem.objects.create(plan=due_plan, gruppe="partner", navn="Carl Clausen").pk
    Organisationsmedlem.objects.filter(pk=removed).get().delete()
    kept = Organisationsmedlem.objects.create(plan=later_plan, gruppe="styregruppe", navn="Dorte Dam")
    for plan, name, number in (
        (due_plan, "Bodil Berg", member.pk),
        (due_plan, "Carl Clausen", removed),
        (later_plan, "Dorte Dam", kept.pk),
        # A line from before the lines referred to the member, which no member fitted unambiguously.
        (due_plan, "Bodil Berg", None),
    ):
        Haendelse.objects.create(
            plan=plan,
            art="organisation",
            tekst=f"Tilføjet til styregruppe: {name}.",
            organisationsmedlem_id=number,
        )
    history_rows = Organisationsmedlem.history.count()

    assert retention.anonymise_due(today=TODAY)["planens_organisation"] == 2

    member.refresh_from_db()
    assert (member.navn, member.rolle) == (f"Anonymiseret person #{member.pk}", "Formand")
    assert Organisationsmedlem.history.count() == history_rows
    assert set(Organisationsmedlem.history.filter(id=member.pk).values_list("navn", flat=True)) == {
        f"Anonymiseret person #{member.pk}"
    }
    assert set(Organisationsmedlem.history.filter(id=removed).values_list("navn", flat=True)) == {
        f"Anonymiseret person #{removed}"
    }
    assert set(Organisationsmedlem.history.filter(id=kept.pk).values_list("navn", flat=True)) == {"Dorte Dam"}
    assert sorted(Haendelse.objects.values_list("tekst", flat=True)) == sorted(
        [
            f"Tilføjet til styregruppe: Anonymiseret person #{member.pk}.",
            f"Tilføjet til styregruppe: Anonymiseret person #{removed}.",
            "Tilføjet til styregruppe: Dorte Dam.",
            "Tilføjet til styregruppe: Bodil Berg.",
        ]
    )


def contact(til_dato, navn="Eva Egholm"):
    return Kontaktperson.objects.create(
        afdeling=AfdelingFactory(),
        navn=navn,
        rolle="Socialrådgiver",
        telefon="12345678",
        email="eva@kommune.example",
        fra_dato=date(2020, 1, 1),
        til_dato=til_dato,
    )


def admin_log(entry) -> LogEntry:
    """As the admin logs a change: the entry named as it was then."""
    return LogEntry.objects.create(
        user=UserFactory(),
        content_type=ContentType.objects.get_for_model(entry),
        object_id=str(entry.pk),
        object_repr=str(entry),
        action_flag=CHANGE,
        change_message='[{"changed": {"fields": ["Telefon"]}}]',
    )


def note(afdeling, text, **about):
    return IndsatsHaendelse.objects.create(
        indsats=IndsatsFactory(),
        overgang="kontaktperson_skiftet",
        fra_status="aktiv",
        til_status="aktiv",
        kommentar=f"{afdeling}: {text}",
        **about,
    )


def test_contact_persons_whose_period_ended_more_than_the_period_ago_lose_name_phone_and_e_mail():
    due, not_yet, current = contact(DUE), contact(NOT_YET), contact(None)
    started = note(due.afdeling, "Eva Egholm fra 01.01.2020.", kontaktperson=due)
    succeeded = note(due.afdeling, "Frank Falk fra 15.06.2025, efter Eva Egholm.", forrige_kontaktperson=due)
    other = note(not_yet.afdeling, "Eva Egholm til 15.06.2025.", kontaktperson=not_yet)
    # From before the lines referred to the contact persons, and fitting none unambiguously: left as it is.
    unreferred = note(due.afdeling, "Eva Egholm fra 01.01.2020.")
    logged = admin_log(due)

    assert retention.anonymise_due(today=TODAY)["kontaktpersoner"] == 1

    anonymous = (f"Anonymiseret person #{due.pk}", "", "", "Socialrådgiver")
    fields = ("navn", "telefon", "email", "rolle")
    assert Kontaktperson.objects.filter(pk=due.pk).values_list(*fields).get() == anonymous
    assert set(Kontaktperson.history.filter(id=due.pk).values_list(*fields)) == {anonymous}
    ph = f"Anonymiseret person #{due.pk}"
    assert [
        IndsatsHaendelse.objects.get(pk=n.pk).kommentar for n in (started, succeeded, other, unreferred)
    ] == [
        f"{due.afdeling}: {ph} fra 01.01.2020.",
        f"{due.afdeling}: Frank Falk fra 15.06.2025, efter {ph}.",
        f"{not_yet.afdeling}: Eva Egholm til 15.06.2025.",
        f"{due.afdeling}: Eva Egholm fra 01.01.2020.",
    ]
    assert LogEntry.objects.get(pk=logged.pk).object_repr == f"{ph} ({due.afdeling})"
    for row in (not_yet, current):
        assert Kontaktperson.history.get(id=row.pk).navn == "Eva Egholm"
        row.refresh_from_db()
        assert (row.navn, row.telefon) == ("Eva Egholm", "12345678")


def test_an_entry_whose_person_was_erased_is_anonymised_whole_when_its_time_is_up(medarbejder, administrator):
    """An erasure of the person an entry names now leaves the person it named before; the retention rule, when
    the entry's time is up, leaves nobody."""
    entry = contact(DUE, navn="Anne")
    entry.navn, entry.email = "Carl", "carl@kommune.example"
    entry.save()
    carl = PersonWithoutAccount.of("kontaktperson", entry)
    erase_person_without_account(carl, "Anmodning", acting_user=administrator)
    assert Kontaktperson.history.filter(id=entry.pk, navn="Anne").exists()

    assert retention.anonymise_due(today=TODAY)["kontaktpersoner"] == 1

    assert set(Kontaktperson.history.filter(id=entry.pk).values_list("navn", "email")) == {
        (f"Anonymiseret person #{entry.pk}", "")
    }
    assert retention.anonymise_due(today=TODAY)["kontaktpersoner"] == 0


def test_the_admins_removal_of_a_contact_person_is_the_same_anonymisation(medarbejder):
    row = contact(None)
    indsats_actions.anonymise_kontaktpersoner([row.pk], acting_user=medarbejder)
    assert set(Kontaktperson.history.filter(id=row.pk).values_list("navn", "telefon")) == {
        (f"Anonymiseret person #{row.pk}", "")
    }


def seat(user, fratraadt, **fields):
    return BestyrelsesmedlemFactory(user=user, fratraadt=fratraadt, **fields)


def test_board_members_whose_last_seat_ended_more_than_the_period_ago_are_anonymised():
    due = UserFactory(username="gammel", first_name="Grete", role="afdelingsbestyrelse", is_active=False)
    old_seat = seat(due, DUE - timedelta(days=30))
    seat(due, DUE)
    not_yet = UserFactory(role="afdelingsbestyrelse", is_active=False)
    seat(not_yet, NOT_YET)
    still_sitting = UserFactory(role="afdelingsbestyrelse")
    seat(still_sitting, DUE)
    seat(still_sitting, None)
    staff = UserFactory(role="medarbejder")
    seat(staff, DUE)
    # What the board member did stays in the history, now done by the anonymous account.
    member = Organisationsmedlem(plan=HelhedsplanFactory(), gruppe="partner", navn="Hans Holm")
    member._history_user = due
    member.save()

    assert retention.anonymise_due(today=TODAY)["bestyrelsesmedlemmer"] == 1

    due.refresh_from_db()
    assert (due.username, due.get_full_name(), due.email, due.is_active) == (
        f"anonymiseret-{due.pk}",
        f"Anonymiseret person #{due.pk}",
        "",
        False,
    )
    assert not due.has_usable_password() and not due.groups.exists()
    assert Bestyrelsesmedlem.objects.filter(user=due).count() == 2
    assert Bestyrelsesmedlem.objects.get(pk=old_seat.pk).fratraadt == DUE - timedelta(days=30)
    assert Organisationsmedlem.history.get(id=member.pk).history_user == due
    for kept in (not_yet, still_sitting, staff):
        kept.refresh_from_db()
        assert kept.first_name == "Test" and kept.email


def test_closed_accounts_not_used_for_the_period_are_anonymised_and_open_ones_never():
    due = UserFactory(is_active=False, last_login=at_noon(date(2027, 6, 14)))
    never_used = UserFactory(is_active=False, last_login=None, date_joined=at_noon(date(2027, 6, 14)))
    not_yet = UserFactory(is_active=False, last_login=at_noon(date(2027, 6, 15)))
    open_account = UserFactory(is_active=True, last_login=at_noon(date(2020, 1, 1)))
    logged = admin_log(due)

    assert retention.anonymise_due(today=TODAY)["brugerkonti"] == 2

    assert set(User.objects.filter(username__startswith="anonymiseret-").values_list("pk", flat=True)) == {
        due.pk,
        never_used.pk,
    }
    assert LogEntry.objects.get(pk=logged.pk).object_repr == f"anonymiseret-{due.pk}"
    assert {not_yet.pk, open_account.pk} <= set(
        User.objects.filter(first_name="Test").values_list("pk", flat=True)
    )


def test_notices_are_deleted_the_period_after_they_were_sent_or_given_up_and_pending_ones_kept():
    day = TODAY - timedelta(days=90)
    sent_due = Besked.objects.create(
        art="kommentar", sendt_til=["a@example.org"], sendt=at_noon(day - timedelta(1))
    )
    given_up = Besked.objects.create(art="kommentar", opgivet=at_noon(day - timedelta(1)))
    sent_later = Besked.objects.create(art="kommentar", sendt_til=["a@example.org"], sendt=at_noon(day))
    pending = Besked.objects.create(art="kommentar", oprettet=at_noon(day - timedelta(days=400)))

    assert retention.anonymise_due(today=TODAY)["beskeder"] == 2

    assert set(Besked.objects.values_list("pk", flat=True)) == {sent_later.pk, pending.pk}
    assert not Besked.objects.filter(pk__in=[sent_due.pk, given_up.pk]).exists()


def test_a_second_run_changes_nothing_and_each_run_that_did_something_is_recorded():
    comment(ended_plan(DUE), UserFactory())
    contact(DUE)
    seat(UserFactory(is_active=False), DUE)

    first = retention.anonymise_due(today=TODAY)
    snapshot = (
        list(Kontaktperson.history.values_list("history_id", "navn", "email")),
        list(User.objects.order_by("pk").values_list("username", "first_name", "email", "password")),
        list(Kommentar.objects.values_list("pk", "forfatter_id")),
    )
    second = retention.anonymise_due(today=TODAY)

    assert first == {
        "kommentarer": 1,
        "planens_organisation": 0,
        "kontaktpersoner": 1,
        "bestyrelsesmedlemmer": 1,
        "brugerkonti": 0,
        "beskeder": 0,
    }
    assert not any(second.values())
    assert snapshot == (
        list(Kontaktperson.history.values_list("history_id", "navn", "email")),
        list(User.objects.order_by("pk").values_list("username", "first_name", "email", "password")),
        list(Kommentar.objects.values_list("pk", "forfatter_id")),
    )
    record = Anonymisering.objects.get()
    assert (record.art, record.antal, record.udfoert_af) == ("frist", first, None)


def test_the_daily_task_runs_on_today_and_is_scheduled(tasks_run_here):
    contact(timezone.localdate() - timedelta(days=5 * 366 + 1))
    assert tasks.anonymise_due.delay().get()["kontaktpersoner"] == 1
    assert "config.privacy.tasks.anonymise_due" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


def test_29_february_counts_back_to_28_february():
    assert retention.years_before(date(2028, 2, 29), 5) == date(2023, 2, 28)
