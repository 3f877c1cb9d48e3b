"""E-mails after commit to the people involved: on state changes, decisions and comments."""

from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.db import transaction

from config.web.kept import Kept
from helhedsplaner import actions, lifecycle
from helhedsplaner.lifecycle import fire
from helhedsplaner.models import Besked
from tests.factories import UserFactory
from tests.helhedsplaner.conftest import Organ, Udfald, place

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_here")]


def test_a_state_change_mails_the_responsible_and_the_board_members(
    plan, bestyrelse, medarbejder, django_capture_on_commit_callbacks
):
    colleague = UserFactory(username="t-kollega", role="medarbejder")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        fire(
            plan, "send_til_organisationsbestyrelsen", {"kommentar": "Klar til mødet."}, acting_user=colleague
        )
    # One notice, besides the new versions of the values kept from the plan's rows (config.web.kept).
    notices = [call for call in callbacks if not isinstance(getattr(call, "__self__", None), Kept)]
    assert len(notices) == 1
    recipients = sorted(m.to[0] for m in mail.outbox)
    assert recipients == sorted([medarbejder.email, bestyrelse.email])
    message = mail.outbox[0]
    assert "Organisationsbestyrelsen behandler" in message.subject
    assert "Klar til mødet." in message.body and f"/helhedsplaner/{plan.pk}/" in message.body


def test_the_actor_is_not_mailed_about_their_own_action(
    plan, medarbejder, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        fire(plan, "send_til_organisationsbestyrelsen", acting_user=medarbejder)
    assert medarbejder.email not in [m.to[0] for m in mail.outbox]


def test_the_secretariat_is_told_when_a_plan_reaches_the_funders(
    plan, medarbejder, sekretariat, django_capture_on_commit_callbacks
):
    place(plan, lifecycle.PRAEKVALIFIKATION_UDARBEJDES)
    with django_capture_on_commit_callbacks(execute=True):
        fire(plan, "send_praekvalifikation", {"indsendt": plan.oprettet.date()}, acting_user=medarbejder)
    assert sekretariat.email in [m.to[0] for m in mail.outbox]


def test_a_decision_mails_the_people_involved(
    plan, medarbejder, sekretariat, bestyrelse, django_capture_on_commit_callbacks
):
    place(plan, lifecycle.GODKENDELSE)
    with django_capture_on_commit_callbacks(execute=True):
        actions.record_decision(
            plan,
            {
                "organ": Organ.KOMMUNE,
                "udfald": Udfald.GODKENDT_MED_BETINGELSER,
                "dato": plan.oprettet.date(),
                "bevilget_beloeb": Decimal("125000.00"),
                "betingelser": [
                    {"tekst": "Midtvejsevaluering.", "frist": date(2028, 6, 30), "ansvarlig": medarbejder}
                ],
            },
            acting_user=sekretariat,
        )
    assert sorted(m.to[0] for m in mail.outbox) == sorted([medarbejder.email, bestyrelse.email])
    assert "Københavns Kommune – godkendt med betingelser" in mail.outbox[0].subject
    assert "Midtvejsevaluering." in mail.outbox[0].body and "Bevilget: 125.000,00 kr." in mail.outbox[0].body


def test_nothing_is_mailed_when_the_transaction_is_rolled_back(
    plan, bestyrelse, medarbejder, django_capture_on_commit_callbacks
):
    colleague = UserFactory(username="t-kollega3", role="medarbejder")
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            fire(plan, "send_til_organisationsbestyrelsen", acting_user=colleague)
            assert Besked.objects.exists()  # the notices to the responsible and the board members
            transaction.set_rollback(True)
    assert callbacks == [] and mail.outbox == []
    assert not Besked.objects.exists()
    plan.refresh_from_db()
    assert plan.tilstand == lifecycle.IDE


def test_a_board_member_without_an_address_is_skipped(
    plan, bestyrelse, medarbejder, django_capture_on_commit_callbacks
):
    bestyrelse.email = ""
    bestyrelse.save()
    colleague = UserFactory(username="t-kollega2", role="medarbejder")
    with django_capture_on_commit_callbacks(execute=True):
        fire(plan, "send_til_organisationsbestyrelsen", acting_user=colleague)
    assert [m.to[0] for m in mail.outbox] == [medarbejder.email]
