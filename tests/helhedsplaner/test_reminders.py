"""The daily reminders: what they find, the e-mails, the staff home page, and running twice sends once."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from helhedsplaner import lifecycle, reminders, tasks
from helhedsplaner.models import Afdelingsmoede, Helhedsplan
from indsatser.models import Indikator, Maalsaetning, Maaltal
from tests.factories import HelhedsplanFactory
from tests.helhedsplaner.conftest import Organ, Udfald, decide, place

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 26)


def _of_kind(kind):
    return [reminder for reminder in reminders.all_reminders(TODAY) if reminder.kind == kind]


def _since(plan, days):
    moment = timezone.make_aware(
        timezone.datetime.combine(TODAY - timedelta(days=days), timezone.datetime.min.time())
    )
    Helhedsplan.objects.filter(pk=plan.pk).update(tilstand_siden=moment)


def test_a_decision_pending_for_more_than_eight_weeks(plan, sekretariat):
    place(plan, lifecycle.GODKENDELSE)
    decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat)
    _since(plan, 7 * 8)
    assert _of_kind("beslutning") == []
    _since(plan, 7 * 8 + 1)
    [reminder] = _of_kind("beslutning")
    assert (
        reminder.plan_id == plan.pk
        and "Københavns Kommune" in reminder.text
        and "Landsbyggefonden" not in reminder.text
    )
    decide(plan, Organ.KOMMUNE, Udfald.SENDT_TILBAGE, sekretariat)
    assert _of_kind("beslutning") == []


def test_an_organisation_decision_pending(plan):
    place(plan, lifecycle.ORGANISATIONSBESTYRELSE)
    _since(plan, 70)
    [reminder] = _of_kind("beslutning")
    assert "Organisationsbestyrelsen" in reminder.text


def test_a_meeting_within_fourteen_days_without_notice(plan, own_afdeling, second_afdeling):
    place(plan, lifecycle.AFDELINGSMOEDER)
    Afdelingsmoede.objects.create(plan=plan, afdeling=own_afdeling, runde=1, dato=TODAY + timedelta(days=14))
    Afdelingsmoede.objects.create(
        plan=plan, afdeling=second_afdeling, runde=1, dato=TODAY + timedelta(days=15)
    )
    [reminder] = _of_kind("indkaldelse")
    assert str(own_afdeling) in reminder.text
    Afdelingsmoede.objects.filter(afdeling=own_afdeling).update(indkaldt_dato=TODAY)
    assert _of_kind("indkaldelse") == []


def test_plans_ending_within_eighteen_months(plan):
    place(plan, lifecycle.AKTIV)
    plan.indsats.slutdato = date(2028, 5, 26)
    plan.indsats.save()
    assert [r.plan_id for r in _of_kind("slutter")] == [plan.pk]
    plan.indsats.slutdato = date(2028, 6, 30)
    plan.indsats.save()
    assert _of_kind("slutter") == []


def test_active_plans_without_this_years_goal_figures(plan):
    place(plan, lifecycle.AKTIV)
    assert [r.plan_id for r in _of_kind("maaltal")] == [plan.pk]
    goal = Maalsaetning.objects.create(indsats=plan.indsats, indikator=Indikator.objects.first())
    Maaltal.objects.create(maalsaetning=goal, aar=2025, maalt=Decimal(10))
    Maaltal.objects.create(maalsaetning=goal, aar=2026, maal=Decimal(12))
    assert [r.plan_id for r in _of_kind("maaltal")] == [plan.pk]
    Maaltal.objects.filter(aar=2026).update(maalt=Decimal(11))
    assert _of_kind("maaltal") == []


def test_the_kinds_come_in_turn_each_in_its_own_order():
    first_to_end = HelhedsplanFactory(indsats__titel="B slutter først")
    last_to_end = HelhedsplanFactory(indsats__titel="A slutter sidst")
    for each, slutdato in ((first_to_end, date(2027, 1, 31)), (last_to_end, date(2027, 6, 30))):
        place(each, lifecycle.AKTIV)
        each.indsats.slutdato = slutdato
        each.indsats.save()
    for titel, state in (
        ("A til godkendelse", lifecycle.GODKENDELSE),
        ("B hos bestyrelsen", lifecycle.ORGANISATIONSBESTYRELSE),
    ):
        _since(place(HelhedsplanFactory(indsats__titel=titel), state), 70)

    assert [(r.kind, r.plan_titel) for r in reminders.all_reminders(TODAY)] == [
        ("beslutning", "B hos bestyrelsen"),  # by state in the lifecycle's order, then by title
        ("beslutning", "A til godkendelse"),
        ("slutter", "B slutter først"),  # by end date
        ("slutter", "A slutter sidst"),
        ("maaltal", "A slutter sidst"),  # by title
        ("maaltal", "B slutter først"),
    ]


def test_the_daily_task_mails_each_responsible_once_a_day(plan, medarbejder, monkeypatch):
    other = HelhedsplanFactory(indsats__titel="Plan uden ansvarlig")
    for each in (plan, other):
        place(each, lifecycle.ORGANISATIONSBESTYRELSE)
        _since(each, 70)
    monkeypatch.setattr(timezone, "localdate", lambda: TODAY)
    assert tasks.send_reminders() == 1  # the unassigned plan goes to every medarbejder: here the same person
    assert [m.to for m in mail.outbox] == [[medarbejder.email]]
    body = mail.outbox[0].body
    assert "Helhedsplan for Testparken" in body and "Plan uden ansvarlig" in body
    assert tasks.send_reminders() == 0
    assert len(mail.outbox) == 1


def test_the_task_is_scheduled_daily():
    entry = settings.CELERY_BEAT_SCHEDULE["helhedsplaner-paamindelser"]
    assert entry["task"] == tasks.send_reminders.name
    assert entry["schedule"] == 24 * 60 * 60


def test_staff_home_lists_the_reminders(client_as, medarbejder, plan):
    place(plan, lifecycle.ORGANISATIONSBESTYRELSE)
    Helhedsplan.objects.filter(pk=plan.pk).update(tilstand_siden=timezone.now() - timedelta(weeks=10))
    page = client_as(medarbejder).get(reverse("home")).text
    assert "Påmindelser om helhedsplaner" in page and "Har ventet 10 uger" in page
