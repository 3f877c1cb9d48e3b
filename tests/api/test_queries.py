"""Every list of the API runs the same number of queries whatever the number of rows (checked at two sizes),
and a detail a fixed number. Asked with a token that has just been used, so its use is not written again."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from config.api import actions
from finansiering import actions as budget_actions
from finansiering.models import Omkostningstype
from helhedsplaner import aarscyklus
from indsatser.models import Finansieringsperiode
from screening import results
from tests.factories import AfdelingFactory, HelhedsplanFactory, UserFactory
from tests.indsatser.factories import active_indsats
from tests.screening.screening_data import BAD_FIGURES, make_round, measure

YEAR = 2025

# Every request reads the token with its user; then each list counts its rows for the pager and reads one.
LISTS = {
    # + the user's roles, the bydele of the filter's choices
    "/api/v1/afdelinger/": 5,
    # + the user's roles
    "/api/v1/boligomraader/": 4,
    # + the user's roles (only staff see draft rounds)
    "/api/v1/screeningsrunder/": 4,
    # + the round, the user's roles, the page's figures (prefetched)
    f"/api/v1/screeningsrunder/{YEAR}/afdelinger/": 6,
    # + the round, the user's roles
    f"/api/v1/screeningsrunder/{YEAR}/omraader/": 5,
    # + the user's roles, the page's afdelinger (prefetched)
    "/api/v1/indsatser/": 5,
    "/api/v1/helhedsplaner/": 5,
    # + the user's roles, the page's totals per year
    "/api/v1/budgetter/": 5,
    # + the user's roles (the plans they may see are a subquery)
    "/api/v1/forpligtelser/": 4,
}

# The lists that hold a row per afdeling, indsats, plan or budget added.
GROWING = {
    "/api/v1/afdelinger/",
    f"/api/v1/screeningsrunder/{YEAR}/afdelinger/",
    "/api/v1/indsatser/",
    "/api/v1/helhedsplaner/",
    "/api/v1/budgetter/",
    "/api/v1/forpligtelser/",
}


def add_rows(count, staff, runde):
    periode = Finansieringsperiode.objects.get(navn="2019-26")
    omraade = periode.indsatsomraader.order_by("sortering").first()
    loen = Omkostningstype.objects.get(kode="loen")
    for _ in range(count):
        afdeling = AfdelingFactory()
        measure(runde, afdeling, **BAD_FIGURES)
        active_indsats(afdelinger=[afdeling])
        plan = HelhedsplanFactory(
            indsats__afdelinger=[afdeling],
            indsats__startdato=date(YEAR, 1, 1),
            indsats__slutdato=date(YEAR + 1, 12, 31),
            indsats__periode=periode,
        )
        version = budget_actions.create_version(plan.indsats, "praekvalifikation", acting_user=staff)
        budget_actions.save_budget_line(version, YEAR, omraade, loen, Decimal("1000.00"), acting_user=staff)
        aarscyklus.sync_obligations(plan, acting_user=staff)
    results.refresh_from(YEAR)


@pytest.fixture
def staff_client(db):
    staff = UserFactory(role="medarbejder")
    _, raw = actions.create_token(navn="BI", udloeber=None, acting_user=staff)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    client.get("/api/v1/screeningsrunder/")  # the token's use is recorded: later requests write nothing
    return staff, client


def test_the_lists_run_a_fixed_number_of_queries(staff_client, django_assert_num_queries):
    staff, client = staff_client
    runde = make_round(YEAR)
    for added, size in ((2, 2), (4, 6)):
        add_rows(added, staff, runde)
        for url, queries in LISTS.items():
            with django_assert_num_queries(queries):
                response = client.get(url)
            assert response.status_code == 200
            if url in GROWING:
                assert response.json()["count"] >= size, url
