"""Every kind of e-mail links to the application with absolute addresses at settings.SITE_URL: a mail is read
outside the application, where "/helhedsplaner/4/" leads nowhere."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from helhedsplaner import actions, lifecycle, tasks
from helhedsplaner.lifecycle import fire
from helhedsplaner.models import Helhedsplan
from tests.factories import UserFactory
from tests.helhedsplaner.conftest import Organ, Udfald, place

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("tasks_run_here")]

SITE = "https://boligsocial.fsb.dk:8443"


@pytest.fixture(autouse=True)
def site_address(settings):
    settings.SITE_URL = SITE


def transition(plan, **_):
    fire(plan, "send_til_organisationsbestyrelsen", acting_user=UserFactory(role="medarbejder"))


def decision(plan, sekretariat, **_):
    place(plan, lifecycle.GODKENDELSE)
    actions.record_decision(
        plan,
        {
            "organ": Organ.KOMMUNE,
            "udfald": Udfald.GODKENDT,
            "dato": plan.oprettet.date(),
            "bevilget_beloeb": Decimal("125000.00"),
            "betingelser": [],
        },
        acting_user=sekretariat,
    )


def comment(plan, bestyrelse, **_):
    place(plan, lifecycle.AFDELINGSMOEDER)
    actions.post_comment(plan, sektion="analyse", tekst="Hvad med de ældre?", acting_user=bestyrelse)


def reminder(plan, monkeypatch, **_):
    place(plan, lifecycle.ORGANISATIONSBESTYRELSE)
    Helhedsplan.objects.filter(pk=plan.pk).update(tilstand_siden=timezone.now().replace(year=2020))
    monkeypatch.setattr(timezone, "localdate", lambda: date(2026, 3, 2))
    tasks.send_reminders()


def invitation(own_afdeling, medarbejder, **_):
    member = {"fornavn": "Ny", "efternavn": "Medlem", "email": "ny@example.org", "rolle": "medlem"}
    actions.add_board_member(own_afdeling, member, acting_user=medarbejder)


def password_reset(client, medarbejder, **_):
    client.post(reverse("password_reset"), {"email": medarbejder.email})


@pytest.mark.parametrize(
    ("send", "page"),
    [
        (transition, "/helhedsplaner/"),
        (decision, "/helhedsplaner/"),
        (comment, "/helhedsplaner/"),
        (reminder, "/helhedsplaner/"),
        (invitation, "/accounts/reset/"),
        (password_reset, "/accounts/reset/"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_every_kind_of_mail_links_to_the_site_address(
    send,
    page,
    plan,
    own_afdeling,
    medarbejder,
    sekretariat,
    bestyrelse,
    client,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        send(
            plan=plan,
            own_afdeling=own_afdeling,
            medarbejder=medarbejder,
            sekretariat=sekretariat,
            bestyrelse=bestyrelse,
            client=client,
            monkeypatch=monkeypatch,
        )
    assert mail.outbox, "no e-mail was sent"
    for message in mail.outbox:
        paths = re.findall(r"\S*/(?:helhedsplaner|accounts)/\S*", message.body)
        assert paths and all(path.removeprefix("(").startswith(SITE + "/") for path in paths), message.body
        assert any(f"{SITE}{page}" in path for path in paths)


def test_a_board_members_comment_names_their_afdeling_in_the_mail(
    plan, bestyrelse, own_afdeling, medarbejder, django_capture_on_commit_callbacks
):
    place(plan, lifecycle.AFDELINGSMOEDER)
    with django_capture_on_commit_callbacks(execute=True):
        actions.post_comment(plan, sektion="analyse", tekst="Hvad med de ældre?", acting_user=bestyrelse)
    [message] = mail.outbox
    assert f"{bestyrelse.get_full_name()} (afdelingsbestyrelsen i {own_afdeling}) skriver" in message.body
