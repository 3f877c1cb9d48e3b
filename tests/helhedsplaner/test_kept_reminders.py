"""The staff start page reads the reminders kept in the shared cache for the day: a change to any row they are
read from shows on the next view, made by this worker or another."""

import uuid
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from config.web.tabular import read_table
from helhedsplaner import lifecycle, reminders
from helhedsplaner.models import Afdelingsmoede, Helhedsplan
from indsatser.models import Indikator, Maalsaetning, Maaltal
from screening import afdeling_import
from tests.helhedsplaner.conftest import Organ, Udfald, decide, place

pytestmark = pytest.mark.django_db


def _waiting_long(plan):
    place(plan, lifecycle.ORGANISATIONSBESTYRELSE)
    Helhedsplan.objects.filter(pk=plan.pk).update(tilstand_siden=timezone.now() - timedelta(weeks=10))
    reminders.KEPT.new_version()  # place() writes in bulk, as the application never does


def _reminder_texts(client) -> str:
    page = client.get(reverse("home")).text
    start = page.index("Påmindelser om helhedsplaner")
    return page[start : page.index("</section>", start)]


def test_the_reminders_are_kept_for_the_day(plan, django_assert_num_queries):
    _waiting_long(plan)
    today = timezone.localdate()
    first = reminders.kept_reminders(today)
    assert [reminder.kind for reminder in first] == ["beslutning"]
    with django_assert_num_queries(0):
        assert reminders.kept_reminders(today) == first
    # Tomorrow's are read anew (the weeks waited are counted to the day).
    with django_assert_num_queries(2):
        reminders.kept_reminders(today + timedelta(days=1))


def test_a_decision_recorded_takes_its_reminder_off_the_page(client_as, medarbejder, plan):
    _waiting_long(plan)
    client = client_as(medarbejder)
    assert "Har ventet 10 uger" in _reminder_texts(client)
    decide(plan, Organ.ORGANISATIONSBESTYRELSE, Udfald.GODKENDT, medarbejder)
    assert "Har ventet" not in _reminder_texts(client)


def test_a_renamed_plan_shows_its_new_title(client_as, medarbejder, plan):
    _waiting_long(plan)
    client = client_as(medarbejder)
    assert "Helhedsplan for Testparken" in _reminder_texts(client)
    plan.indsats.titel = "Helhedsplan for Nye Testparken"
    plan.indsats.save()
    assert "Helhedsplan for Nye Testparken" in _reminder_texts(client)


def test_a_plan_moved_on_or_deleted_leaves_the_page(client_as, medarbejder, plan):
    _waiting_long(plan)
    client = client_as(medarbejder)
    assert "Har ventet" in _reminder_texts(client)
    plan.refresh_from_db()
    plan.tilstand_siden = timezone.now()
    plan.save()
    assert "Har ventet" not in _reminder_texts(client)
    _waiting_long(plan)
    assert "Har ventet" in _reminder_texts(client)
    plan.indsats.delete()
    assert "Helhedsplan for Testparken" not in _reminder_texts(client)


def test_this_years_goal_figure_measured_and_deleted(client_as, medarbejder, plan):
    place(plan, lifecycle.AKTIV)
    client = client_as(medarbejder)
    assert f"Ingen målte værdier for {timezone.localdate().year}" in _reminder_texts(client)
    goal = Maalsaetning.objects.create(indsats=plan.indsats, indikator=Indikator.objects.first())
    figure = Maaltal.objects.create(maalsaetning=goal, aar=timezone.localdate().year, maal=Decimal(12))
    assert "Ingen målte værdier" in _reminder_texts(client)
    figure.maalt = Decimal(11)
    figure.save()
    assert "Ingen målte værdier" not in _reminder_texts(client)
    goal.delete()  # its figures go with it
    assert "Ingen målte værdier" in _reminder_texts(client)


def test_a_meetings_notice_recorded_and_its_afdeling_renamed(client_as, medarbejder, plan, own_afdeling):
    place(plan, lifecycle.AFDELINGSMOEDER)
    meeting = Afdelingsmoede.objects.create(
        plan=plan, afdeling=own_afdeling, runde=plan.moederunde, dato=timezone.localdate() + timedelta(days=3)
    )
    client = client_as(medarbejder)
    assert f"Afdelingsmødet i {own_afdeling}" in _reminder_texts(client)
    own_afdeling.navn = "Omdøbte Testparken"
    own_afdeling.save()
    assert f"Afdelingsmødet i {own_afdeling.nummer} Omdøbte Testparken" in _reminder_texts(client)
    meeting.indkaldt_dato = timezone.localdate()
    meeting.save()
    assert "Afdelingsmødet" not in _reminder_texts(client)


def test_a_change_made_by_another_worker_shows(client_as, medarbejder, plan):
    """Another worker's change sets the version every worker reads from the shared cache."""
    _waiting_long(plan)
    client = client_as(medarbejder)
    assert "Har ventet 10 uger" in _reminder_texts(client)
    Helhedsplan.objects.filter(pk=plan.pk).update(tilstand_siden=timezone.now() - timedelta(weeks=11))
    assert "Har ventet 10 uger" in _reminder_texts(client)  # kept: this worker saw no change
    cache.set(reminders.KEPT.version_key, f"another-worker-{uuid.uuid4().hex}", timeout=None)
    assert "Har ventet 11 uger" in _reminder_texts(client)


def test_an_afdeling_renamed_by_an_import_shows(client_as, medarbejder, plan, own_afdeling):
    """The afdeling import writes in bulk, which sends no signals: it forgets every kept value itself."""
    place(plan, lifecycle.AFDELINGSMOEDER)
    Afdelingsmoede.objects.create(
        plan=plan, afdeling=own_afdeling, runde=plan.moederunde, dato=timezone.localdate() + timedelta(days=3)
    )
    client = client_as(medarbejder)
    assert f"Afdelingsmødet i {own_afdeling}" in _reminder_texts(client)
    a = own_afdeling
    row = [a.organisation.navn, a.nummer, "Importerede Testparken", a.adresse, a.postnr, a.bydel]
    row += [a.boligomraade.navn, str(a.lejemaal), str(a.areal_m2), str(a.beboere)]
    table = "organisation,afdeling_nr,navn,adresse,postnr,bydel,boligomraade,lejemaal,areal_m2,beboere\n"
    table += ",".join(row) + "\n"
    report = afdeling_import.import_table(read_table(table.encode(), "a.csv"), acting_user=medarbejder)
    assert report.updated == 1
    assert f"Afdelingsmødet i {a.nummer} Importerede Testparken" in _reminder_texts(client)
