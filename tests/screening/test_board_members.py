"""An afdeling's board members, kept by staff (screening.actions): one account per person, known by e-mail,
with a seat on each board; an ended seat is a record that no longer gives access."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from config.web import roles
from screening import actions, tasks
from screening.models import Afdeling, Bestyrelsesmedlem, board_afdeling_ids
from tests.factories import BestyrelsesmedlemFactory, UserFactory

pytestmark = pytest.mark.django_db


def member(email="grethe.holm@example.org", **fields):
    return {
        "fornavn": "Grethe",
        "efternavn": "Holm",
        "email": email,
        "rolle": Bestyrelsesmedlem.Rolle.NAESTFORMAND,
        "valgt_dato": date(2025, 9, 16),
        "valgt_til": date(2027, 9, 30),
        **fields,
    }


def test_a_new_member_gets_an_account_with_the_board_role_and_no_password(medarbejder, own_afdeling):
    seat = actions.add_board_member(own_afdeling, member(), acting_user=medarbejder)
    user = seat.user
    assert (user.username, user.email, user.get_full_name()) == (
        "grethe.holm@example.org",
        "grethe.holm@example.org",
        "Grethe Holm",
    )
    assert not user.has_usable_password() and user.is_active
    assert roles.group_names(user) == {roles.AFDELINGSBESTYRELSE}
    assert (seat.rolle, seat.valgt_dato, seat.valgt_til, seat.fratraadt) == (
        "naestformand",
        date(2025, 9, 16),
        date(2027, 9, 30),
        None,
    )
    assert seat.history.get().history_user == medarbejder
    assert board_afdeling_ids(User.objects.get(pk=user.pk)) == {own_afdeling.pk}


def test_a_member_of_another_board_gets_the_afdeling_on_their_own_account(
    medarbejder, bestyrelse, own_afdeling, foreign_afdeling
):
    other_spelling = member(email=bestyrelse.email.upper(), fornavn="Andet navn")
    seat = actions.add_board_member(foreign_afdeling, other_spelling, acting_user=medarbejder)
    assert seat.user == bestyrelse
    assert User.objects.filter(email__iexact=bestyrelse.email).count() == 1
    assert User.objects.get(pk=bestyrelse.pk).first_name == bestyrelse.first_name  # the account's own name
    assert board_afdeling_ids(User.objects.get(pk=bestyrelse.pk)) == {own_afdeling.pk, foreign_afdeling.pk}


def test_someone_already_on_the_board_is_refused(medarbejder, bestyrelse, own_afdeling):
    with pytest.raises(ValidationError, match="sidder allerede i afdelingsbestyrelsen"):
        actions.add_board_member(own_afdeling, member(email=bestyrelse.email), acting_user=medarbejder)
    assert Bestyrelsesmedlem.objects.filter(user=bestyrelse).count() == 1


@pytest.mark.parametrize("role", ["medarbejder", "sekretariat", "administrator"])
def test_an_address_of_a_user_with_another_role_is_refused(medarbejder, own_afdeling, role):
    other = UserFactory(username=f"t-{role}-2", email=f"{role}@fsb.dk", role=role)
    with pytest.raises(ValidationError, match="ikke et bestyrelsesmedlem"):
        actions.add_board_member(own_afdeling, member(email=other.email), acting_user=medarbejder)
    assert not Bestyrelsesmedlem.objects.filter(user=other).exists()


def test_an_address_two_accounts_share_is_refused(medarbejder, own_afdeling):
    for name in ("a", "b"):
        UserFactory(username=f"dobbelt-{name}", email="dobbelt@example.org")
    with pytest.raises(ValidationError, match="Flere brugere har den adresse"):
        actions.add_board_member(own_afdeling, member(email="dobbelt@example.org"), acting_user=medarbejder)


def test_a_taken_user_name_gets_a_number(medarbejder, own_afdeling):
    UserFactory(username="grethe.holm@example.org", email="en.anden@example.org")
    seat = actions.add_board_member(own_afdeling, member(), acting_user=medarbejder)
    assert seat.user.username == "grethe.holm@example.org-2"


def test_only_staff_keep_the_boards(bestyrelse, sekretariat, own_afdeling):
    seat = Bestyrelsesmedlem.objects.get(user=bestyrelse)
    for user in (bestyrelse, sekretariat):
        with pytest.raises(PermissionDenied):
            actions.add_board_member(own_afdeling, member(), acting_user=user)
        with pytest.raises(PermissionDenied):
            actions.change_board_member(seat, member(), acting_user=user)
        with pytest.raises(PermissionDenied):
            actions.end_board_seat(seat, date(2026, 1, 1), acting_user=user)
    assert not User.objects.filter(email="grethe.holm@example.org").exists()


def test_a_change_of_address_moves_the_user_name_along(medarbejder, own_afdeling):
    seat = actions.add_board_member(own_afdeling, member(), acting_user=medarbejder)
    changed = member(email="grethe@example.org", efternavn="Holm-Jensen", rolle="formand", valgt_til=None)
    actions.change_board_member(seat, changed, acting_user=medarbejder)
    seat.refresh_from_db()
    assert (seat.user.username, seat.user.email, seat.user.last_name) == (
        "grethe@example.org",
        "grethe@example.org",
        "Holm-Jensen",
    )
    assert (seat.rolle, seat.valgt_til) == ("formand", None)


def test_a_user_name_of_its_own_stays(medarbejder, bestyrelse):
    seat = Bestyrelsesmedlem.objects.get(user=bestyrelse)
    actions.change_board_member(seat, member(email="ny@example.org"), acting_user=medarbejder)
    bestyrelse.refresh_from_db()
    assert (bestyrelse.username, bestyrelse.email) == ("t-bestyrelse", "ny@example.org")


def test_an_address_another_user_has_is_refused_on_a_change(medarbejder, bestyrelse, own_afdeling):
    seat = actions.add_board_member(own_afdeling, member(), acting_user=medarbejder)
    with pytest.raises(ValidationError, match="En anden bruger har allerede den adresse"):
        actions.change_board_member(seat, member(email=bestyrelse.email), acting_user=medarbejder)


def test_an_ended_seat_stays_on_record_and_no_longer_gives_access(medarbejder, bestyrelse, own_afdeling):
    seat = Bestyrelsesmedlem.objects.get(user=bestyrelse)
    actions.end_board_seat(seat, date(2026, 3, 1), acting_user=medarbejder)
    seat.refresh_from_db()
    assert seat.fratraadt == date(2026, 3, 1)
    user = User.objects.get(pk=bestyrelse.pk)
    assert board_afdeling_ids(user) == set()
    assert not Afdeling.objects.visible_to(user).exists()
    # the last seat of an account with no other role: it is closed
    assert not user.is_active


def test_an_account_with_another_seat_stays_open(medarbejder, bestyrelse, own_afdeling, foreign_afdeling):
    BestyrelsesmedlemFactory(user=bestyrelse, afdeling=foreign_afdeling)
    actions.end_board_seat(
        Bestyrelsesmedlem.objects.get(user=bestyrelse, afdeling=own_afdeling),
        date(2026, 3, 1),
        acting_user=medarbejder,
    )
    user = User.objects.get(pk=bestyrelse.pk)
    assert user.is_active and board_afdeling_ids(user) == {foreign_afdeling.pk}
    assert list(Afdeling.objects.visible_to(user)) == [foreign_afdeling]


def test_a_former_member_elected_again_gets_seat_and_account_back(medarbejder, bestyrelse, own_afdeling):
    seat = Bestyrelsesmedlem.objects.get(user=bestyrelse)
    actions.end_board_seat(seat, date(2026, 3, 1), acting_user=medarbejder)
    again = actions.add_board_member(
        own_afdeling, member(email=bestyrelse.email, rolle="formand"), acting_user=medarbejder
    )
    assert again.pk == seat.pk and again.fratraadt is None and again.rolle == "formand"
    user = User.objects.get(pk=bestyrelse.pk)
    assert user.is_active and board_afdeling_ids(user) == {own_afdeling.pk}


def test_ending_a_seat_twice_keeps_the_first_date(medarbejder, bestyrelse):
    seat = Bestyrelsesmedlem.objects.get(user=bestyrelse)
    actions.end_board_seat(seat, date(2026, 3, 1), acting_user=medarbejder)
    actions.end_board_seat(seat, date(2026, 4, 1), acting_user=medarbejder)
    seat.refresh_from_db()
    assert seat.fratraadt == date(2026, 3, 1)


@pytest.mark.parametrize("role", ["medarbejder", "sekretariat", "administrator", "superuser"])
def test_the_name_and_address_of_a_seat_holder_with_another_role_are_not_changed_by_staff(
    medarbejder, own_afdeling, role
):
    # A seat given in the admin to a user with another role must not let staff redirect that user's e-mail
    # (and so their password reset) to an address of their choosing.
    if role == "superuser":
        other = UserFactory(username="t-super-2", email="super@fsb.dk", is_superuser=True)
    else:
        other = UserFactory(username=f"t-{role}-2", email=f"{role}@fsb.dk", role=role)
    seat = BestyrelsesmedlemFactory(user=other, afdeling=own_afdeling)
    with pytest.raises(ValidationError, match="retter en administrator"):
        actions.change_board_member(seat, member(email="ude@example.org"), acting_user=medarbejder)
    assert User.objects.get(pk=other.pk).email == other.email
    # the seat's own fields may still change when name and address stay
    same_person = member(
        email=other.email, fornavn=other.first_name, efternavn=other.last_name, rolle="formand"
    )
    actions.change_board_member(seat, same_person, acting_user=medarbejder)
    seat.refresh_from_db()
    assert seat.rolle == "formand"


# --- the term (valgt_til) ends access ----------------------------------------------------------------------


def _term_ends(user, afdeling, valgt_til):
    Bestyrelsesmedlem.objects.filter(user=user, afdeling=afdeling).update(valgt_til=valgt_til)
    return User.objects.get(pk=user.pk)


def test_a_term_that_ends_today_still_gives_access(bestyrelse, own_afdeling):
    user = _term_ends(bestyrelse, own_afdeling, timezone.localdate())
    assert board_afdeling_ids(user) == {own_afdeling.pk}
    assert list(Afdeling.objects.visible_to(user)) == [own_afdeling]


def test_access_ends_the_day_after_the_term_before_the_daily_task_runs(bestyrelse, own_afdeling):
    user = _term_ends(bestyrelse, own_afdeling, timezone.localdate() - timedelta(days=1))
    assert board_afdeling_ids(user) == set()
    assert not Afdeling.objects.visible_to(user).exists()
    assert not Bestyrelsesmedlem.objects.held().filter(user=user).exists()


def test_the_daily_task_ends_seats_past_their_term_and_closes_accounts_left_without_one(
    medarbejder, bestyrelse, own_afdeling, foreign_afdeling
):
    yesterday = timezone.localdate() - timedelta(days=1)
    _term_ends(bestyrelse, own_afdeling, yesterday)
    on_two_boards = BestyrelsesmedlemFactory(afdeling=own_afdeling, valgt_til=yesterday).user
    BestyrelsesmedlemFactory(user=on_two_boards, afdeling=foreign_afdeling)
    staff_on_a_board = BestyrelsesmedlemFactory(
        afdeling=foreign_afdeling, valgt_til=yesterday, user=UserFactory(username="t-m-2", role="medarbejder")
    ).user
    not_yet = BestyrelsesmedlemFactory(afdeling=foreign_afdeling, valgt_til=timezone.localdate())

    assert tasks.end_board_seats_past_term() == 3
    assert tasks.end_board_seats_past_term() == 0  # a second run finds nothing

    seat = Bestyrelsesmedlem.objects.get(user=bestyrelse)
    assert seat.fratraadt == yesterday and seat.history.first().history_user is None
    assert not User.objects.get(pk=bestyrelse.pk).is_active
    assert User.objects.get(pk=on_two_boards.pk).is_active  # still on the other board
    assert User.objects.get(pk=staff_on_a_board.pk).is_active  # the account has another role
    not_yet.refresh_from_db()
    assert not_yet.fratraadt is None and not_yet.user.is_active


def test_the_daily_task_is_scheduled():
    schedule = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "screening.tasks.end_board_seats_past_term" in schedule
