"""Query counts of the screening pages do not grow with the data: pinned at 50 and 1,000 afdelinger."""

import random
from decimal import Decimal

import pytest
from django.urls import reverse

from screening import results
from screening.models import Afdeling, Indikator, Maaling, Vurdering
from tests.factories import BestyrelsesmedlemFactory, OmraadeFactory, OrganisationFactory
from tests.screening.screening_data import make_round

pytestmark = pytest.mark.django_db

SCENARIO = "2021-uden-ikke-vestlige"

CODES = [
    "beboere",
    "uden_job_uddannelse_pct",
    "domfaeldte_pct",
    "kun_grundskole_pct",
    "indkomst_pct_region",
    "ikke_vestlige_pct",
    "fraflytning_pct",
    "restancer_antal",
    "udsaettelser_antal",
]


def make_screened(count: int) -> list[Afdeling]:
    """`count` afdelinger in count/10 areas, with figures in two rounds and a few decisions."""
    rng = random.Random(count)
    organisations = [OrganisationFactory() for _ in range(4)]
    areas = [OmraadeFactory() for _ in range(count // 10)]
    afdelinger = Afdeling.objects.bulk_create(
        Afdeling(
            organisation=organisations[i % 4],
            nummer=f"{i:04d}",
            navn=f"Afdeling {i}",
            adresse=f"Testvej {i}",
            postnr="2400",
            bydel="Bispebjerg",
            boligomraade=areas[i % len(areas)],
            lejemaal=200,
            areal_m2=Decimal(15000),
            beboere=450,
        )
        for i in range(count)
    )
    indicators = {i.kode: i for i in Indikator.objects.filter(kode__in=CODES)}
    rounds = [make_round(2023), make_round(2024)]
    Maaling.objects.bulk_create(
        (
            Maaling(
                runde=runde,
                afdeling=afdeling,
                indikator=indicators[code],
                vaerdi=Decimal(450) if code == "beboere" else Decimal(rng.randrange(0, 9000)) / 100,
            )
            for runde in rounds
            for afdeling in afdelinger
            for code in CODES
        ),
        batch_size=5000,
    )
    for afdeling in afdelinger[:5]:
        Vurdering.objects.create(
            runde=rounds[1],
            afdeling=afdeling,
            foreslaaet_type="ingen",
            beslutning="bekraeftet",
            valgt_type="ingen",
            besluttet="2025-01-01T12:00:00+01:00",
        )
    # As the import does after writing its figures.
    results.refresh_from(2023)
    return afdelinger


# session, user, groups (role); rounds (the year tabs); filter choices: organisations, areas, the rule sets
# to choose a scenario from; from the stored results: the totals (which give the paginator its count), the
# ids of the page, the page's rows with their decisions (and their areas' class in the scenario, if one is
# chosen); the watch list
OVERVIEW_QUERIES = 11
# as above without the scenarios, which a board member is not offered, plus Django's model-permission lookups
# (user and group permissions): the rules backend says no to importing and deciding for a board member, so
# the model backend is asked too
OVERVIEW_QUERIES_BOARD = 12


@pytest.mark.parametrize("size", [50, 1000])
def test_overview_queries_are_constant(client_as, medarbejder, django_assert_num_queries, size):
    make_screened(size)
    client = client_as(medarbejder)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(reverse("screening_overview"), {"aar": 2024, "sort": "-risiko"})
    assert response.status_code == 200
    assert f"<strong>{size:,}</strong>".replace(",", ".") in response.text


@pytest.mark.parametrize("size", [50, 1000])
def test_overview_queries_with_a_scenario_are_constant(
    client_as, medarbejder, django_assert_num_queries, size
):
    make_screened(size)
    client = client_as(medarbejder)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        response = client.get(
            reverse("screening_overview"), {"aar": 2024, "scenarie": SCENARIO, "kun_aendrede": "on"}
        )
    assert response.status_code == 200
    assert "I scenariet</th>" in response.text and "område" in response.text


@pytest.mark.parametrize("size", [50, 1000])
def test_board_overview_queries_are_constant(client_as, bestyrelse, django_assert_num_queries, size):
    afdelinger = make_screened(size)
    for afdeling in afdelinger[: size // 2]:
        BestyrelsesmedlemFactory(user=bestyrelse, afdeling=afdeling)
    client = client_as(bestyrelse)
    with django_assert_num_queries(OVERVIEW_QUERIES_BOARD):
        response = client.get(reverse("screening_overview"), {"aar": 2024})
    assert response.status_code == 200
    # A scenario named in the address is no filter for a board member: the same queries (but the lists of
    # organisations and areas, kept in the cache now), and no trace of it.
    with django_assert_num_queries(OVERVIEW_QUERIES_BOARD - 2):
        response = client.get(reverse("screening_overview"), {"aar": 2024, "scenarie": SCENARIO})
    assert "Scenarie" not in response.text and "I scenariet" not in response.text


# session, user, groups; rounds; the indicators (the spreadsheet's columns); the stored results of every row
# with their decisions, their figures
EXPORT_QUERIES = 7


@pytest.mark.parametrize("size", [50, 1000])
def test_export_queries_are_constant(client_as, medarbejder, django_assert_num_queries, size):
    make_screened(size)
    client = client_as(medarbejder)
    with django_assert_num_queries(EXPORT_QUERIES):
        response = client.get(reverse("screening_export"), {"aar": 2024})
    assert response.status_code == 200


# session, user, groups; the area; rounds; the area's visible afdelinger; the screening (5: the rounds are
# known); decisions; the years of the official lists and the area's places on them; the rule sets to choose a
# scenario from (the area's class under the one chosen is computed from the figures already read)
AREA_QUERIES = 15


@pytest.mark.parametrize("size", [50, 1000])
@pytest.mark.parametrize("scenario", ["", SCENARIO])
def test_area_page_queries_are_constant(client_as, sekretariat, django_assert_num_queries, size, scenario):
    afdelinger = make_screened(size)
    client = client_as(sekretariat)
    with django_assert_num_queries(AREA_QUERIES):
        response = client.get(
            reverse("screening_omraade", args=[afdelinger[0].boligomraade_id]),
            {"aar": 2024, "scenarie": scenario},
        )
    assert response.status_code == 200
    assert ("Ændres i scenariet" in response.text or "Samme klasse som" in response.text) == bool(scenario)


# session, user, groups; the afdeling; rounds; its history (which gives its newest round); the screening (5:
# the rounds are known; three of them the indicators and risk models, which a worker then keeps, see
# screening.options); decisions. The decision permission is granted by the rules backend without a query.
AFDELING_QUERIES = 12


@pytest.mark.parametrize("size", [50, 1000])
def test_afdeling_page_queries_are_constant(client_as, medarbejder, django_assert_num_queries, size):
    afdelinger = make_screened(size)
    client = client_as(medarbejder)
    with django_assert_num_queries(AFDELING_QUERIES):
        response = client.get(reverse("screening_afdeling", args=[afdelinger[0].pk]))
    assert response.status_code == 200
