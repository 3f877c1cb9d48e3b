"""Board members kept from the afdeling's page: staff add, change and end seats and invite by e-mail (sent by
the notice task, never in the request); the invited member chooses a password from the link and logs in;
board members and the secretariat only read. The login page leads to a password reset that does not tell
whether an address belongs to anyone."""

import re
from datetime import date, timedelta

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from helhedsplaner import actions, lifecycle
from helhedsplaner.models import Besked
from screening import tasks
from screening.models import Bestyrelsesmedlem
from tests.factories import BestyrelsesmedlemFactory, UserFactory
from tests.helhedsplaner.conftest import place
from tests.logins import log_in

pytestmark = pytest.mark.django_db

SITE = "https://boligsocial.fsb.dk"
NEW_MEMBER = {
    "fornavn": "Grethe",
    "efternavn": "Holm",
    "email": "Grethe.Holm@example.org",
    "rolle": "naestformand",
    "valgt_dato": "2025-09-16",
    "valgt_til": "2027-09-30",
}


@pytest.fixture(autouse=True)
def site_address(settings):
    settings.SITE_URL = SITE


def add_url(afdeling):
    return reverse("afdeling_bestyrelse_add", args=[afdeling.pk])


def link_in(message) -> str:
    return re.search(rf"{SITE}/accounts/reset/\S+", message.body).group(0)


def test_staff_add_a_member_who_is_invited_after_the_request(
    client_as, medarbejder, own_afdeling, mail_server, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client_as(medarbejder).post(add_url(own_afdeling), NEW_MEMBER)
    assert response.status_code == 302
    assert response["Location"] == reverse("afdeling_detail", args=[own_afdeling.pk]) + "#bestyrelse"
    seat = Bestyrelsesmedlem.objects.get(user__email="grethe.holm@example.org")
    assert (seat.afdeling, seat.rolle, seat.valgt_til) == (own_afdeling, "naestformand", date(2027, 9, 30))
    assert not seat.user.has_usable_password()
    besked = Besked.objects.get()
    assert (besked.art, besked.objekt_id) == (Besked.Art.INVITATION, seat.pk)
    # queued in the request's transaction, handed to the task only after it
    assert callbacks and mail_server.received == [] and mail.outbox == []
    page = client_as(medarbejder).get(response["Location"]).text
    assert "Grethe Holm er tilføjet afdelingsbestyrelsen" in page
    assert "En invitation til at vælge adgangskode sendes til grethe.holm@example.org." in page


@pytest.mark.usefixtures("tasks_run_here")
def test_the_invited_member_chooses_a_password_from_the_link_and_logs_in(
    client, client_as, medarbejder, own_afdeling, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_as(medarbejder).post(add_url(own_afdeling), NEW_MEMBER)
    [message] = mail.outbox
    assert message.to == ["grethe.holm@example.org"]
    assert f"næstformand i afdelingsbestyrelsen for {own_afdeling}" in message.body
    assert "Dit brugernavn er grethe.holm@example.org." in message.body
    assert f"{SITE}/accounts/login/" in message.body
    client.logout()
    form = client.get(link_in(message).removeprefix(SITE), follow=True)
    assert "Vælg adgangskode" in form.text and "grethe.holm@example.org" in form.text
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": "Fjordhest-Lyng-2026", "new_password2": "Fjordhest-Lyng-2026"},
        follow=True,
    )
    assert "Adgangskoden er gemt" in done.text
    login = {"username": "grethe.holm@example.org", "password": "Fjordhest-Lyng-2026"}
    assert client.post(reverse("login"), login)["Location"] == reverse("home")
    assert own_afdeling.navn in client.get(reverse("afdeling_list")).text
    # the link works once
    again = client.get(link_in(message).removeprefix(SITE), follow=True)
    assert "Linket virker ikke længere" in again.text


def test_a_member_of_another_board_is_given_the_afdeling_without_a_new_account(
    client_as, medarbejder, bestyrelse, foreign_afdeling
):
    response = client_as(medarbejder).post(
        add_url(foreign_afdeling), {**NEW_MEMBER, "email": bestyrelse.email}
    )
    assert response.status_code == 302
    assert User.objects.filter(email=bestyrelse.email).count() == 1
    assert set(bestyrelse.bestyrelsesposter.values_list("afdeling", flat=True)) == {
        bestyrelse.bestyrelsesposter.first().afdeling_id,
        foreign_afdeling.pk,
    }
    assert not Besked.objects.exists()  # they log in with the password they have


def test_a_refused_member_comes_back_with_the_reason(client_as, medarbejder, bestyrelse, own_afdeling):
    response = client_as(medarbejder).post(add_url(own_afdeling), {**NEW_MEMBER, "email": bestyrelse.email})
    assert response.status_code == 400
    assert "sidder allerede i afdelingsbestyrelsen" in response.text
    invalid = client_as(medarbejder).post(add_url(own_afdeling), {**NEW_MEMBER, "valgt_til": "2025-01-01"})
    assert invalid.status_code == 400 and "Valgperioden skal udløbe efter valget." in invalid.text
    assert not User.objects.filter(email__iexact=NEW_MEMBER["email"]).exists()


def test_staff_change_a_member_and_a_new_address_gets_the_invitation_again(
    client_as, medarbejder, own_afdeling, django_capture_on_commit_callbacks, tasks_run_here
):
    client = client_as(medarbejder)
    client.post(add_url(own_afdeling), NEW_MEMBER)
    seat = Bestyrelsesmedlem.objects.get(user__email="grethe.holm@example.org")
    url = reverse("afdeling_bestyrelse_edit", args=[own_afdeling.pk, seat.pk])
    assert 'value="grethe.holm@example.org"' in client.get(url).text
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**NEW_MEMBER, "email": "grethe@example.org", "rolle": "formand"})
    assert response.status_code == 302
    seat.refresh_from_db()
    assert (seat.rolle, seat.user.email, seat.user.username) == (
        "formand",
        "grethe@example.org",
        "grethe@example.org",
    )
    assert [m.to for m in mail.outbox] == [["grethe@example.org"]]


def test_a_member_leaves_the_board_and_loses_access(client_as, client, medarbejder, bestyrelse, own_afdeling):
    seat = Bestyrelsesmedlem.objects.get(user=bestyrelse)
    url = reverse("afdeling_bestyrelse_end", args=[own_afdeling.pk, seat.pk])
    staff = client_as(medarbejder)
    form = staff.get(url).text
    assert "Fratrådt den" in form and "ikke længere se afdelingen" in form
    future = staff.post(url, {"fratraadt": "2999-01-01"})
    assert future.status_code == 400 and "kan ikke ligge i fremtiden" in future.text
    assert staff.post(url, {"fratraadt": "2026-03-01"}).status_code == 302
    page = staff.get(reverse("afdeling_detail", args=[own_afdeling.pk])).text
    assert "Tidligere medlemmer (1)" in page and "1. marts 2026" in page
    assert staff.get(url).status_code == 404  # an ended seat is not ended again
    log_in(client, bestyrelse)
    assert client.get(reverse("afdeling_detail", args=[own_afdeling.pk])).status_code == 302  # logged out


def test_the_invitation_is_sent_again_only_to_someone_without_a_password(
    client_as, medarbejder, bestyrelse, own_afdeling
):
    invited = BestyrelsesmedlemFactory(
        afdeling=own_afdeling, user=UserFactory(username="inviteret", password=None)
    )
    client = client_as(medarbejder)
    again = client.post(
        reverse("afdeling_bestyrelse_invite", args=[own_afdeling.pk, invited.pk]), follow=True
    )
    assert "Invitationen sendes igen til inviteret@example.invalid." in again.text
    assert Besked.objects.get().objekt_id == invited.pk
    has_password = Bestyrelsesmedlem.objects.get(user=bestyrelse)
    refused = client.post(
        reverse("afdeling_bestyrelse_invite", args=[own_afdeling.pk, has_password.pk]), follow=True
    )
    assert "har allerede valgt en adgangskode" in refused.text
    assert Besked.objects.count() == 1


def test_the_afdeling_page_shows_the_board_to_everyone_who_reads_it_and_the_tools_to_staff(
    client_as, medarbejder, sekretariat, bestyrelse, own_afdeling
):
    BestyrelsesmedlemFactory(
        afdeling=own_afdeling,
        user=UserFactory(username="tidligere", first_name="Inge", last_name="Dahl"),
        fratraadt=date(2025, 11, 1),
    )
    url = reverse("afdeling_detail", args=[own_afdeling.pk])
    staff = client_as(medarbejder).get(url).text
    assert bestyrelse.email in staff and "Tilføj medlem" in staff and "Inge Dahl" in staff
    for reader in (bestyrelse, sekretariat):
        page = client_as(reader).get(url).text
        assert bestyrelse.get_full_name() in page
        assert bestyrelse.email not in page and "Tilføj medlem" not in page and "Inge Dahl" not in page


@pytest.mark.parametrize("size", [3, 30])
def test_the_afdeling_page_and_the_form_pages_run_a_constant_number_of_queries(
    client_as, medarbejder, own_afdeling, django_assert_num_queries, size
):
    for _ in range(size):
        BestyrelsesmedlemFactory(afdeling=own_afdeling)
    seat = own_afdeling.bestyrelsesmedlemmer.first()
    client = client_as(medarbejder)
    # session, user, groups, afdeling, board members with their users, the afdeling's indsatser and contact
    # person; the access log entry
    with django_assert_num_queries(8):
        assert client.get(reverse("afdeling_detail", args=[own_afdeling.pk])).status_code == 200
    # session, user, groups, afdeling
    with django_assert_num_queries(4):
        assert client.get(add_url(own_afdeling)).status_code == 200
    # session, user, groups, afdeling, the seat with its user; the edit form shows the member's address, so
    # its access is logged
    for name, queries in (("afdeling_bestyrelse_edit", 6), ("afdeling_bestyrelse_end", 5)):
        with django_assert_num_queries(queries):
            assert client.get(reverse(name, args=[own_afdeling.pk, seat.pk])).status_code == 200


def test_the_login_page_leads_to_the_password_reset(client):
    page = client.get(reverse("login")).text
    assert f'href="{reverse("password_reset")}">Glemt adgangskode?</a>' in page


@pytest.mark.usefixtures("tasks_run_here")
def test_the_password_reset_answers_alike_whether_the_address_is_known_or_not(
    client, django_capture_on_commit_callbacks
):
    UserFactory(username="anna", email="anna@fsb.dk", role="medarbejder")
    answers = []
    for address in ("anna@fsb.dk", "ukendt@fsb.dk"):
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("password_reset"), {"email": address}, follow=True)
        # the page as shown, less the CSRF token (masked anew on every answer)
        text = re.sub(r'"X-CSRFToken": "\w+"', "", response.text)
        answers.append((response.status_code, response.redirect_chain, text))
    assert answers[0] == answers[1]
    status, chain, text = answers[0]
    assert chain == [(reverse("password_reset_done"), 302)] and "Hvis adressen hører til en bruger" in text
    assert [m.to for m in mail.outbox] == [["anna@fsb.dk"]]


@pytest.mark.usefixtures("tasks_run_here")
def test_an_invited_member_whose_link_ran_out_can_ask_for_a_new_one(
    client, django_capture_on_commit_callbacks
):
    UserFactory(
        username="inviteret", email="inviteret@example.org", password=None, role="afdelingsbestyrelse"
    )
    UserFactory(username="lukket", email="lukket@example.org", is_active=False)
    for address in ("inviteret@example.org", "lukket@example.org"):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("password_reset"), {"email": address})
    assert [m.to for m in mail.outbox] == [["inviteret@example.org"]]


def test_staff_cannot_move_the_address_of_an_administrator_who_holds_a_seat(
    client_as, medarbejder, own_afdeling
):
    admin = UserFactory(username="t-admin-seat", email="admin-seat@fsb.dk", is_superuser=True)
    seat = BestyrelsesmedlemFactory(user=admin, afdeling=own_afdeling)
    url = reverse("afdeling_bestyrelse_edit", args=[own_afdeling.pk, seat.pk])
    response = client_as(medarbejder).post(url, {**NEW_MEMBER, "email": "attacker@example.org"})
    assert response.status_code == 400 and "retter en administrator" in response.text
    assert User.objects.get(pk=admin.pk).email == "admin-seat@fsb.dk"


@pytest.mark.usefixtures("tasks_run_here")
def test_an_invitation_link_is_void_once_the_member_has_left(
    client, client_as, medarbejder, own_afdeling, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_as(medarbejder).post(add_url(own_afdeling), NEW_MEMBER)
    [message] = mail.outbox
    seat = Bestyrelsesmedlem.objects.get(user__email="grethe.holm@example.org")
    url = reverse("afdeling_bestyrelse_end", args=[own_afdeling.pk, seat.pk])
    assert client_as(medarbejder).post(url, {"fratraadt": "2026-03-01"}).status_code == 302
    client.logout()
    page = client.get(link_in(message).removeprefix(SITE), follow=True)
    assert "Linket virker ikke længere" in page.text
    assert not User.objects.get(pk=seat.user_id).has_usable_password()


def test_a_member_whose_term_ran_out_loses_access_and_keeps_their_comments(
    client_as, client, medarbejder, bestyrelse, own_afdeling, plan
):
    place(plan, lifecycle.AFDELINGSMOEDER)
    actions.post_comment(plan, sektion="analyse", tekst="Hvad med de ældre?", acting_user=bestyrelse)
    plan_url = reverse("plan_detail", args=[plan.pk])
    afdeling_url = reverse("afdeling_detail", args=[own_afdeling.pk])
    yesterday = timezone.localdate() - timedelta(days=1)
    Bestyrelsesmedlem.objects.filter(user=bestyrelse).update(valgt_til=yesterday)

    member = client_as(bestyrelse)
    assert member.get(plan_url).status_code == 404
    assert member.get(afdeling_url).status_code == 404
    staff = client_as(medarbejder)
    assert "Valgperioden er udløbet" in staff.get(afdeling_url).text
    assert "Hvad med de ældre?" in staff.get(plan_url).text

    tasks.end_board_seats_past_term()
    page = staff.get(afdeling_url).text
    assert "Tidligere medlemmer (1)" in page
    assert "Hvad med de ældre?" in staff.get(plan_url).text  # the comment and its author stay
    client.force_login(bestyrelse)
    assert client.get(afdeling_url).status_code == 302  # the account is closed: logged out
