"""The plan overview's queries in every phase, for staff (whose role can do the most there): the lifecycle's
guards share what the page has read (the afdelinger, the decisions, the conditions) and read the financing
only as far as they need it (the parties' split and the afdelinger's, not the kommune's sub-uses)."""

from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from finansiering.models import AftaltAfdelingsandel, Fordelingsnoegle
from helhedsplaner import lifecycle
from tests.bench import goals
from tests.factories import AfdelingFactory
from tests.helhedsplaner.conftest import COMPLETE_TEXT, place, vote
from tests.logins import log_in
from tests.world import module_world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with module_world(django_db_blocker, tmp_path_factory.mktemp("privat")) as built:
        yield built


# Every request: session, user, groups, plan (with its indsats, the indsats's indsatsområder, goals and
# activities, and the plan's organisation); the plan's afdelinger with this round's meetings (which the guards
# share); the plan's decisions (for the guards and the grants); the conditions (for the guards too); the
# comments; the newest screening round of the afdelinger (the table of its figures was drawn by the first
# request and is kept); attachments; the access log entry (the comments are personal data). That is BASE; on
# top of it:
BASE = 11
PLUS = {
    # its guards ask the plan's text and the page's afdelinger
    lifecycle.IDE: 0,
    # the organisationsbestyrelse's decision is among the page's
    lifecycle.ORGANISATIONSBESTYRELSE: 0,
    # the latest budget version (a draft with lines, and its total per year) and the fordelingsnøgle's parties
    # with the key: the parties' split
    lifecycle.PRAEKVALIFIKATION_UDARBEJDES: 2,
    # the funders' decisions are among the page's
    lifecycle.PRAEKVALIFIKATION_BEHANDLES: 0,
    # its transition has no guards
    lifecycle.PRAEKVALIFICERET: 0,
    # the same two, and each afdeling's cost split between the page's afdelinger
    lifecycle.HELHEDSPLAN_UDARBEJDES: 2,
    # the latest budget version (no afdeling has voted yet)
    lifecycle.AFDELINGSMOEDER: 1,
    # the submitted budget version with its total per year, and its parties (LBF has granted an amount)
    lifecycle.GODKENDELSE: 2,
    # the grants on its approved changes (only a plan the funders approved is changed); its transitions
    # need nothing more
    lifecycle.AKTIV: 1,
    # the grants on its approved changes; the assessments of the closing criteria with the open change
    # requests in one query, and the activities (their forankring)
    lifecycle.AFSLUTNING: 3,
    # the grants on its approved changes
    lifecycle.AFSLUTTET: 1,
    # the transition it left the main path by (the diagram), the grants on approved changes
    lifecycle.OPGIVET: 2,
    lifecycle.AFVIST: 2,
}


def plan_in(side, state):
    """The world's plan in `state`, or one put there: an active plan's later phases from the world's active
    plan (its change request to the funders still open), the others from the plan at the afdelingsmøder with
    its text written (and the budget version the phase has)."""
    world_plans = {
        lifecycle.AKTIV: side.aendring.plan,
        lifecycle.AFDELINGSMOEDER: side.plan,
        lifecycle.GODKENDELSE: side.funder_plan,
    }
    if state in world_plans:
        return world_plans[state]
    approved = state in (lifecycle.AFSLUTNING, lifecycle.AFSLUTTET)
    return place(side.aendring.plan if approved else side.plan, state, **COMPLETE_TEXT)


@pytest.mark.parametrize("state", [state.code for state in lifecycle.STATES])
def test_the_overview_runs_the_phases_queries(db, world, django_assert_num_queries, state):
    plan = plan_in(world.own, state)
    client = log_in(Client(), world.users["medarbejder"])
    url = reverse("plan_detail", args=[plan.pk])
    client.get(url)  # draws the figures' table, which is kept
    with django_assert_num_queries(BASE + PLUS[state]):
        assert client.get(url).status_code == 200
    assert BASE + PLUS[state] <= goals.QUERIES


def test_the_overview_after_the_afdelinger_voted(db, world, django_assert_num_queries):
    """One afdeling voted yes, another no: the cost-per-lejemål guard splits the budget again without the one
    that voted no, in the order the financing splits the local share: the split's parties and the afdelinger
    in that order, on top of the phase's one."""
    plan = world.own.plan
    staff = world.users["medarbejder"]
    yes, no = plan.indsats.afdelinger.get(), AfdelingFactory(navn="Nejparken", lejemaal=80)
    plan.indsats.afdelinger.add(no)
    vote(plan, yes, staff, 20, 3)
    vote(plan, no, staff, 2, 30)
    client = log_in(Client(), staff)
    url = reverse("plan_detail", args=[plan.pk])
    client.get(url)
    # The new afdeling marked the round's results stale (screening.results): its figures are read each time
    # until the results are computed again, one query.
    with django_assert_num_queries(BASE + PLUS[lifecycle.AFDELINGSMOEDER] + 2 + 1):
        assert client.get(url).status_code == 200


def test_the_overview_of_a_plan_whose_afdelinger_pay_agreed_amounts(db, world, django_assert_num_queries):
    """The afdelinger's split by agreed amounts reads those amounts besides: one query more, within 15."""
    plan = plan_in(world.own, lifecycle.HELHEDSPLAN_UDARBEJDES)
    noegle = Fordelingsnoegle.objects.get(indsats=plan.indsats)
    noegle.afdelingsgrundlag = Fordelingsnoegle.Grundlag.AFTALT
    noegle.save()
    for afdeling in plan.indsats.afdelinger.all():
        AftaltAfdelingsandel.objects.create(noegle=noegle, afdeling=afdeling, beloeb=Decimal("50000.00"))
    client = log_in(Client(), world.users["medarbejder"])
    url = reverse("plan_detail", args=[plan.pk])
    client.get(url)
    with django_assert_num_queries(BASE + PLUS[lifecycle.HELHEDSPLAN_UDARBEJDES] + 1):
        assert client.get(url).status_code == 200
