"""Query counts of the register's pages are constant in the number of afdelinger (pinned at 10 and 200)."""

import pytest
from django.urls import reverse

from tests.factories import AfdelingFactory, BestyrelsesmedlemFactory, OmraadeFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def make_afdelinger(count: int):
    organisations = [OrganisationFactory() for _ in range(4)]
    areas = [OmraadeFactory() for _ in range(6)]
    return [
        AfdelingFactory(organisation=organisations[i % 4], boligomraade=areas[i % 6], bydel=f"Bydel {i % 5}")
        for i in range(count)
    ]


# session, user, groups (role), count, page of rows, filter choices: organisations, areas, bydele
LIST_QUERIES_STAFF = 8
# as above, plus Django's model-permission lookups (user and group permissions): for a board member the
# rules backend says no to "add afdeling", so the model backend is asked too
LIST_QUERIES_BOARD = 10
# session, user, groups, afdeling, board members, and the afdeling's indsatser and contact person; the access
# log entry
DETAIL_QUERIES = 8


@pytest.mark.parametrize("size", [10, 200])
def test_list_queries_are_constant(client_as, medarbejder, django_assert_num_queries, size):
    make_afdelinger(size)
    client = client_as(medarbejder)
    with django_assert_num_queries(LIST_QUERIES_STAFF):
        response = client.get(reverse("afdeling_list"), {"sort": "-beboere"})
    assert response.status_code == 200


@pytest.mark.parametrize("size", [10, 200])
def test_board_list_queries_are_constant(client_as, bestyrelse, django_assert_num_queries, size):
    afdelinger = make_afdelinger(size)
    for afdeling in afdelinger[: size // 2]:
        BestyrelsesmedlemFactory(user=bestyrelse, afdeling=afdeling)
    client = client_as(bestyrelse)
    with django_assert_num_queries(LIST_QUERIES_BOARD):
        response = client.get(reverse("afdeling_list"))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [10, 200])
def test_detail_queries_are_constant(client_as, medarbejder, django_assert_num_queries, size):
    afdelinger = make_afdelinger(size)
    for _ in range(3):
        BestyrelsesmedlemFactory(afdeling=afdelinger[0])
    client = client_as(medarbejder)
    with django_assert_num_queries(DETAIL_QUERIES):
        response = client.get(reverse("afdeling_detail", args=[afdelinger[0].pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("size", [10, 200])
def test_export_queries_are_constant(client_as, medarbejder, django_assert_num_queries, size):
    make_afdelinger(size)
    client = client_as(medarbejder)
    # session, user, groups, bydel choices, the rows (one server-side cursor)
    with django_assert_num_queries(5):
        response = client.get(reverse("afdeling_export", args=["xlsx"]))
    assert response.status_code == 200


@pytest.mark.parametrize("areas", [3, 60])
def test_area_list_queries_are_constant(client_as, medarbejder, django_assert_num_queries, areas):
    for number in range(areas):
        AfdelingFactory(boligomraade=OmraadeFactory(navn=f"Område {number:03}"))
    client = client_as(medarbejder)
    # session, user, groups, the count, the page of areas with their sums
    with django_assert_num_queries(5):
        response = client.get(reverse("omraade_list"), {"side": 2})
    assert response.status_code == 200
