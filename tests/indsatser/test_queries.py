"""Every page of the register runs a fixed number of queries, whatever the amount of data.

Each count is pinned at two data sizes. Common to all pages: the session, the user and the user's groups
(3 queries). A board member's pages add one for the afdelinger of their boards.
"""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from indsatser import lifecycle
from indsatser.models import Deltagertal, Indsats, Maal, Maaltal
from tests.factories import AfdelingFactory, UserFactory
from tests.indsatser.factories import (
    AktivitetFactory,
    KontaktpersonFactory,
    MaalsaetningFactory,
    PartnerFactory,
    active_indsats,
    complete_checklist,
)

pytestmark = pytest.mark.django_db


def build(size: int, board_afdeling=None):
    """`size` indsatser, each with `size` afdelinger, activities (with yearly numbers), goals and history."""
    medarbejder = UserFactory(username=f"q-staff-{size}", role="medarbejder")
    last = None
    for i in range(size):
        afdelinger = [AfdelingFactory() for _ in range(size)]
        for afdeling in afdelinger:
            KontaktpersonFactory(afdeling=afdeling)
        if board_afdeling is not None:
            afdelinger.append(board_afdeling)
        indsats = active_indsats(
            titel=f"Indsats {size}-{i}", afdelinger=afdelinger, startdato=date(2024, 1, 1)
        )
        indsats.maal.set(Maal.objects.all()[: 1 + i % 4])
        indsats.partnere.set([PartnerFactory() for _ in range(size)])
        for _ in range(size):
            aktivitet = AktivitetFactory(indsats=indsats)
            Deltagertal.objects.create(aktivitet=aktivitet, aar=2024, antal=10)
        maal = MaalsaetningFactory(indsats=indsats)
        Maaltal.objects.create(maalsaetning=maal, aar=2024, maal=Decimal("18"), maalt=Decimal("19"))
        complete_checklist(indsats)
        lifecycle.fire(indsats, "opgiv", "Ingen midler.", acting_user=medarbejder)
        last = indsats
    if board_afdeling is not None:
        KontaktpersonFactory(afdeling=board_afdeling)
    return last


LIST_QUERIES = {
    # session, user, groups; count, page of indsatser (with activity counts, afdelinger and aims);
    # the filter drop-downs: types, areas, organisations, periods, aims
    "medarbejder": 10,
    # + Django's own permission lookups (2) when the board member's rules say no to "add"
    "bestyrelse": 12,
}


@pytest.mark.parametrize("size", [1, 4])
@pytest.mark.parametrize("role", ["medarbejder", "bestyrelse"])
def test_list_queries_are_constant(
    client_as, django_assert_num_queries, size, role, bestyrelse, own_afdeling
):
    build(size, board_afdeling=own_afdeling)
    user = UserFactory(username="q-staff", role="medarbejder") if role == "medarbejder" else bestyrelse
    client = client_as(user)
    with django_assert_num_queries(LIST_QUERIES[role]):
        response = client.get(reverse("indsats_list"))
    assert response.status_code == 200


DETAIL_QUERIES = {
    # session, user, groups; the indsats (with the names of its aims, indsatsområder, target groups and
    # partners); 5 prefetches (afdelinger with whether this user may open each, activities with their yearly
    # numbers, goals + yearly values, checklist); the history (the indsats's records with what its lists
    # held, lifecycle events, activities, goals, yearly values, checklist: 6). The empty "add" forms'
    # drop-downs are kept (screening.options).
    "medarbejder": 15,
    # no "add" forms; the same queries
    "bestyrelse": 15,
}
# The first request after a change to the rows behind the drop-downs reads them: activity types,
# indsatsområder, partners and indicators.
KEPT_DROP_DOWNS = 4


@pytest.mark.parametrize("size", [1, 4])
@pytest.mark.parametrize("role", ["medarbejder", "bestyrelse"])
def test_detail_queries_are_constant(
    client_as, django_assert_num_queries, size, role, bestyrelse, own_afdeling
):
    indsats = build(size, board_afdeling=own_afdeling)
    user = UserFactory(username="q-staff", role="medarbejder") if role == "medarbejder" else bestyrelse
    client = client_as(user)
    url = reverse("indsats_detail", args=[indsats.pk])
    with django_assert_num_queries(DETAIL_QUERIES[role] + (KEPT_DROP_DOWNS if role == "medarbejder" else 0)):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(DETAIL_QUERIES[role]):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [1, 4])
def test_other_pages_are_constant(client_as, django_assert_num_queries, size, own_afdeling):
    indsats = build(size, board_afdeling=own_afdeling)
    Indsats.objects.filter(pk=indsats.pk).update(status="aktiv")
    client = client_as(UserFactory(username="q-staff", role="medarbejder"))
    pages = {
        # session, user, groups; indicators in use, goals, yearly values, afdelinger of the indsatser
        reverse("benchmarking"): 7,
        # session, user, groups; indsatser (with activity counts), afdelinger, aims; the access log entry
        reverse("indsats_export"): 7,
    }
    for url, expected in pages.items():
        with django_assert_num_queries(expected):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize("size", [1, 4])
@pytest.mark.parametrize("query", [{}, {"mangler": "1"}, {"mangler": "1", "side": "2"}])
def test_kontaktperson_list_is_constant(client_as, django_assert_num_queries, size, query, own_afdeling):
    build(size, board_afdeling=own_afdeling)
    for _ in range(10 * size):
        AfdelingFactory()  # without a contact person
    client = client_as(UserFactory(username="q-staff", role="medarbejder"))
    # session, user, groups; totals; count, the page's afdelinger, their current contact persons; the access
    # log entry
    with django_assert_num_queries(8):
        response = client.get(reverse("kontaktperson_list"), query)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 4])
def test_afdeling_include_costs_two_queries(django_assert_num_queries, size, own_afdeling):
    from indsatser.templatetags.indsatser_tags import afdeling_indsatser

    build(size, board_afdeling=own_afdeling)
    user = UserFactory(username="q-staff", role="medarbejder")
    user._role_names = frozenset({"medarbejder"})
    with django_assert_num_queries(2):
        data = afdeling_indsatser(own_afdeling, user)
    assert len(data["indsatser"]) == size
    assert data["kontaktperson"] is not None


SECTION_QUERIES = {
    # htmx gets the form in place of its row: session, user, groups; the indsats (its own fields only); the
    # activity with its yearly numbers; the form's drop-downs are kept.
    # A plain browser gets the whole page around the form, and the form's activity is one of the page's.
    "aktivitet_edit": {"page": DETAIL_QUERIES["medarbejder"], "htmx": 5},
    # the goal (with its indicator and indsatsområde) and its yearly values instead of the activity
    "maalsaetning_edit": {"page": DETAIL_QUERIES["medarbejder"], "htmx": 6},
    "forankring_edit": {"page": DETAIL_QUERIES["medarbejder"], "htmx": 5},
}


@pytest.mark.parametrize("size", [1, 4])
@pytest.mark.parametrize("view", SECTION_QUERIES)
@pytest.mark.parametrize("way", ["page", "htmx"])
def test_section_forms_are_constant(client_as, django_assert_num_queries, size, view, way, own_afdeling):
    """The forms of the activities, goals and afslutning sections read the indsats once, and its history
    in a fixed number of queries, however long the history is."""
    indsats = build(size, board_afdeling=own_afdeling)
    Indsats.objects.filter(pk=indsats.pk).update(status="aktiv")
    for i in range(3 * size):
        indsats.titel = f"Indsats {size} rettet {i}"
        indsats.save()
    aktivitet = indsats.aktiviteter.first()
    args = {
        "aktivitet_edit": [indsats.pk, aktivitet.pk],
        "maalsaetning_edit": [indsats.pk, indsats.maalsaetninger.get().pk],
        "forankring_edit": [indsats.pk, aktivitet.pk],
    }[view]
    client = client_as(UserFactory(username="q-staff", role="medarbejder"))
    headers = {"HX-Request": "true"} if way == "htmx" else {}
    url = reverse(view, args=args)
    assert client.get(url, headers=headers).status_code == 200  # the drop-downs are kept from here on
    with django_assert_num_queries(SECTION_QUERIES[view][way]):
        response = client.get(url, headers=headers)
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 4])
def test_section_cancel_reads_the_indsats_once(client_as, django_assert_num_queries, size, own_afdeling):
    indsats = build(size, board_afdeling=own_afdeling)
    client = client_as(UserFactory(username="q-staff", role="medarbejder"))
    url = reverse("indsats_section", args=[indsats.pk, "aktiviteter"])
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 200
    # session, user, groups; the indsats, its afdelinger and its activities (with their yearly numbers),
    # goals and checklist (4 prefetches); the drop-downs of the empty "add" forms are kept
    with django_assert_num_queries(9):
        response = client.get(url, headers={"HX-Request": "true"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [1, 4])
def test_the_form_pages_are_constant(client_as, django_assert_num_queries, size, own_afdeling):
    indsats = build(size, board_afdeling=own_afdeling)
    client = client_as(UserFactory(username="q-staff", role="medarbejder"))
    # session, user, groups; the choices: types, staff, aims, periods, indsatsområder, target groups,
    # partners (no afdeling is chosen yet, and none is listed until searched for)
    with django_assert_num_queries(10):
        assert client.get(reverse("indsats_create")).status_code == 200
    # session, user, groups; the indsats, its afdelinger (with organisation and område) and the pks chosen in
    # its 4 other lists; the same choices but the staff, now kept
    with django_assert_num_queries(15):
        assert client.get(reverse("indsats_edit", args=[indsats.pk])).status_code == 200
