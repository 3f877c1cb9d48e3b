"""The plan overview's queries in each phase that reads more than the plan itself, for staff: the lifecycle's
guards share what the page has read (the afdelinger, the decisions) and read the financing only as far as they
need it (the parties' totals, not the afdelinger's split)."""

import pytest
from django.test import Client
from django.urls import reverse

from tests.logins import log_in
from tests.world import module_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with module_world(django_db_blocker, tmp_path_factory.mktemp("privat")) as built:
        yield built


# Every request: session, user, groups, plan (with its indsats, the indsats's indsatsområder, goals and
# activities, and the plan's organisation); the plan's afdelinger with this round's meetings; the plan's
# decisions (for the guards and the grants); the comments; the newest screening round of the afdelinger and
# its figures; attachments; the conditions; the access log entry (the comments are personal data). That is
# 12; on top of it:
PLUS = {
    # the grants on its approved changes (only a plan the funders approved is changed); its transitions
    # need nothing more
    "aktiv": 1,
    # this round's meetings, the latest budget version (the afdelinger's costs)
    "afdelingsmoeder": 2,
    # the submitted budget version, its parties and its total per year
    "godkendelse": 3,
}


@pytest.mark.parametrize("which", ["aendring", "plan", "funder_plan"])
def test_the_overview_runs_the_phases_queries(db, world, django_assert_num_queries, which):
    side = world.own
    plan = side.aendring.plan if which == "aendring" else getattr(side, which)
    client = log_in(Client(), world.users["medarbejder"])
    url = reverse("plan_detail", args=[plan.pk])
    client.get(url)  # the indicators the figures are drawn with are kept by the worker
    with django_assert_num_queries(12 + PLUS[plan.tilstand]):
        assert client.get(url).status_code == 200
