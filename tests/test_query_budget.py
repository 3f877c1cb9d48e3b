"""No page runs more than 15 queries (tests/bench/goals.py): every named URL of the permission matrix, asked
with GET by staff, the secretariat and a board member about the world's own side, once to warm up and once
counted; and the overview of the world's plan in each of its phases, whose transitions' guards read what the
phase needs. Downloads (a workbook, a PDF, an archive) are exempt: a national export takes its queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.bench import goals
from tests.logins import log_in
from tests.test_permission_matrix import MATRIX_NAMES, kwargs_for
from tests.world import module_world

ROLES = ("medarbejder", "sekretariat", "bestyrelse")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with module_world(django_db_blocker, tmp_path_factory.mktemp("privat")) as built:
        yield built


def _pages(world) -> dict[str, str]:
    pages = {name: reverse(name, kwargs=kwargs_for(name, world.own, world)) for name in MATRIX_NAMES}
    for plan in (world.own.plan, world.own.funder_plan, world.own.aendring.plan):
        pages[f"plan_detail ({plan.tilstand})"] = reverse("plan_detail", args=[plan.pk])
    return pages


@pytest.mark.parametrize("role", ROLES)
def test_no_page_runs_more_than_the_goals_queries(db, world, role):
    client = log_in(Client(), world.users[role])
    over = {}
    for name, path in _pages(world).items():
        client.get(path)
        with CaptureQueriesContext(connection) as counted:
            response = client.get(path)
        if response.status_code != 200 or not response.get("Content-Type", "").startswith("text/html"):
            continue
        if len(counted) > goals.QUERIES:
            over[name] = len(counted)
    assert over == {}
