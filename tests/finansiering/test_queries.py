"""Each page runs the same number of queries whatever the size of the budget (20 or 400 lines)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse

from finansiering import actions as budget_actions
from finansiering.models import Budgetlinje, Omkostningstype, Regnskabslinje
from indsatser.models import Indsatsomraade, Indsatstype
from tests.factories import AfdelingFactory, IndsatsFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def big_indsats(medarbejder, bestyrelse, own_afdeling):
    """A ten-year indsats over all eight indsatsområder: room for 10 × 8 × 5 = 400 lines."""
    indsats = IndsatsFactory(
        type=Indsatstype.objects.get(kode=Indsatstype.HELHEDSPLAN),
        startdato=date(2025, 1, 1),
        slutdato=date(2034, 12, 31),
        afdelinger=[own_afdeling, *AfdelingFactory.create_batch(3)],
    )
    indsats.indsatsomraader.set(Indsatsomraade.objects.all())
    return indsats


def fill(indsats, user, count: int):
    version = budget_actions.create_version(indsats, "ansoegning", acting_user=user)
    omraader = list(Indsatsomraade.objects.all())
    typer = list(Omkostningstype.objects.all()[:5])
    cells = [(aar, o, t) for aar in range(2025, 2035) for o in omraader for t in typer][:count]
    Budgetlinje.objects.bulk_create(
        Budgetlinje(
            version=version, aar=aar, indsatsomraade=o, omkostningstype=t, beloeb=Decimal("1000.50"), note="n"
        )
        for aar, o, t in cells
    )
    Regnskabslinje.objects.bulk_create(
        Regnskabslinje(
            indsats=indsats, aar=aar, indsatsomraade=o, omkostningstype=t, beloeb=Decimal("900.00")
        )
        for aar, o, t in cells
    )
    # A second version, a copy of the first, so the comparison has two sides.
    return budget_actions.create_version(indsats, "ansoegning", kilde=version, acting_user=user)


# Every page starts with the same four queries: the session, the user, the user's groups (the role) and
# the indsats with its type and period. Then, at most (the cost types and the periods' indsatsområder are
# kept by screening.options once read, so a page may read them fewer times than it shows them):
PAGES = [
    # versions; the version's lines; the indsatsområder; the cost types
    ("budget_detail", 8),
    # the version; the indsatsområder; the lines (with område and type); the form's two choice lists
    ("budget_lines", 9),
    # versions; totals per year (one aggregate); the key; its parties; the kommune's sub-uses;
    # agreed amounts; the afdelinger (with organisation)
    ("finansiering_detail", 11),
    ("finansiering_afdelinger", 11),
    # versions; budget lines, områder, types; regnskab lines, områder, types; the variance threshold
    ("regnskab_detail", 12),
    # versions; each version's lines, områder and types
    ("budget_compare", 11),
]


@pytest.mark.parametrize("lines", [20, 400])
@pytest.mark.parametrize("page,expected", PAGES)
def test_queries_do_not_grow_with_the_budget(
    client_as, medarbejder, big_indsats, django_assert_max_num_queries, lines, page, expected
):
    version = fill(big_indsats, medarbejder, lines)
    args = [big_indsats.pk, version.nummer] if page == "budget_lines" else [big_indsats.pk]
    client = client_as(medarbejder)
    with django_assert_max_num_queries(expected):
        response = client.get(reverse(page, args=args))
    assert response.status_code == 200


@pytest.mark.parametrize("lines", [20, 400])
def test_board_member_budget_page_queries(
    client_as, bestyrelse, medarbejder, big_indsats, django_assert_num_queries, lines
):
    fill(big_indsats, medarbejder, lines)
    client = client_as(bestyrelse)
    # As staff's (8), plus the board member's afdelinger and the indsats's afdelinger for the view permission.
    with django_assert_num_queries(10):
        response = client.get(reverse("budget_detail", args=[big_indsats.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [3, 40])
def test_the_budget_list_reads_one_page(client_as, medarbejder, django_assert_num_queries, count):
    for _ in range(count):
        fill(IndsatsFactory(), medarbejder, 5)
    client = client_as(medarbejder)
    # session, user, groups; the count and the page of indsatser; their versions; the versions' totals
    with django_assert_num_queries(7):
        response = client.get(reverse("budget_list"), {"side": 2 if count > 25 else 1})
    assert len(response.context["rows"]) == (count - 25 if count > 25 else count)
    assert all(row["total"] == Decimal("5002.50") for row in response.context["rows"])
