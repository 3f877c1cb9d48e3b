"""The audit: reads and exports of personal data are logged per answer given, kept for the configured time,
and the administrator searches the log and every model's history of changes."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from config.web import audit, tasks
from config.web.models import Adgangslog
from screening import actions as register_actions
from tests.factories import AfdelingFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_page_with_contact_persons_is_logged_with_who_where_and_from_which_address(client_as, medarbejder):
    response = client_as(medarbejder).get(reverse("kontaktperson_list"), {"q": "a"}, REMOTE_ADDR="10.1.2.3")
    assert response.status_code == 200
    entry = Adgangslog.objects.get()
    assert (entry.user, entry.brugernavn, entry.art, entry.hvad, entry.klientadresse) == (
        medarbejder,
        "t-medarbejder",
        "laest",
        "Kontaktpersoner",
        "10.1.2.3",
    )
    assert entry.adresse == "/indsatser/kontaktpersoner/?q=a"


def test_a_board_member_reading_their_own_board_is_logged_and_a_refused_page_is_not(
    client_as, bestyrelse, own_afdeling, foreign_afdeling
):
    member = client_as(bestyrelse)
    assert member.get(reverse("afdeling_detail", args=[foreign_afdeling.pk])).status_code == 404
    assert not Adgangslog.objects.exists()
    assert member.get(reverse("afdeling_detail", args=[own_afdeling.pk])).status_code == 200
    assert list(Adgangslog.objects.values_list("brugernavn", "hvad")) == [
        ("t-bestyrelse", "Afdelingsbestyrelse og kontaktpersoner")
    ]


def test_an_anonymous_visitor_is_sent_to_the_login_and_nothing_is_logged(client, own_afdeling):
    assert client.get(reverse("afdeling_detail", args=[own_afdeling.pk])).status_code == 302
    assert not Adgangslog.objects.exists()


def test_an_export_is_logged_as_exported(client_as, medarbejder):
    assert client_as(medarbejder).get(reverse("indsats_export")).status_code == 200
    assert Adgangslog.objects.get().get_art_display() == "Eksporteret"


def test_entries_older_than_the_retention_are_deleted_daily(medarbejder, settings):
    settings.AUDIT_RETENTION_DAYS = 30
    old, recent = (
        Adgangslog.objects.create(user=medarbejder, brugernavn="x", art="laest", hvad="Kontaktpersoner")
        for _ in range(2)
    )
    Adgangslog.objects.filter(pk=old.pk).update(tidspunkt=timezone.now() - timedelta(days=31))
    Adgangslog.objects.filter(pk=recent.pk).update(tidspunkt=timezone.now() - timedelta(days=29))
    assert tasks.forget_old_access() == 1
    assert list(Adgangslog.objects.values_list("pk", flat=True)) == [recent.pk]


def test_the_retention_task_is_scheduled():
    assert "config.web.tasks.forget_old_access" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()
    }


def _board_member(email):
    return {"fornavn": "Ole", "efternavn": "Lund", "email": email, "rolle": "medlem"}


def test_changes_are_found_across_models_by_user_model_and_period(medarbejder, own_afdeling):
    other = UserFactory(username="t-m-2", role="medarbejder")
    register_actions.add_board_member(own_afdeling, _board_member("ole@example.org"), acting_user=medarbejder)
    register_actions.add_board_member(own_afdeling, _board_member("kim@example.org"), acting_user=other)
    AfdelingFactory()  # a change without a user

    mine = audit.changes(user=medarbejder)
    assert [(c.brugernavn, c.art, c.hvad) for c in mine] == [
        ("t-medarbejder", "Oprettet", "bestyrelsesmedlem")
    ]
    everything = audit.changes()
    assert [c.tidspunkt for c in everything] == sorted((c.tidspunkt for c in everything), reverse=True)
    assert {c.hvad for c in everything} >= {"bestyrelsesmedlem", "afdeling"}
    assert {c.model_label for c in audit.changes(model_label="screening.afdeling")} == {"screening.afdeling"}
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert audit.changes(since=tomorrow) == []
    assert len(audit.changes(until=timezone.localdate())) == len(everything)


@pytest.fixture
def admin_user(db):
    return UserFactory(username="t-superbruger", role="administrator", is_staff=True, is_superuser=True)


def test_the_administrator_searches_the_log_and_the_changes(client_as, admin_user, medarbejder, own_afdeling):
    register_actions.add_board_member(own_afdeling, _board_member("ole@example.org"), acting_user=medarbejder)
    Adgangslog.objects.create(
        user=medarbejder, brugernavn="t-medarbejder", art="laest", hvad="Kontaktpersoner"
    )
    admin = client_as(admin_user)
    log = admin.get(reverse("admin:web_adgangslog_changelist"), {"q": "t-medarbejder"})
    assert log.status_code == 200 and "Kontaktpersoner" in log.text and "Søg i ændringer" in log.text
    found = admin.get(reverse("admin:web_aendringer"), {"brugernavn": "T-Medarbejder"})
    assert found.status_code == 200 and "Bestyrelsesmedlem" in found.text and "Oprettet" in found.text
    unknown = admin.get(reverse("admin:web_aendringer"), {"brugernavn": "ingen"})
    assert "Der er ingen bruger med det brugernavn." in unknown.text
    bad_date = admin.get(reverse("admin:web_aendringer"), {"fra": "i går"})
    assert bad_date.status_code == 200 and "Ingen ændringer fundet" not in bad_date.text


def test_staff_without_the_admin_cannot_read_the_log(client_as, medarbejder):
    for name in ("admin:web_adgangslog_changelist", "admin:web_aendringer"):
        response = client_as(medarbejder).get(reverse(name))
        assert response.status_code == 302 and "/admin/login/" in response["Location"]
