"""An afdeling's board members, kept by staff (screening.actions): one account per person, known by e-mail,
with a seat on each board; an ended seat is a record that no longer gives access."""

from datetime import date

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError

from config.web import roles
from screening import actions
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
