"""What each role reads through the API, in the world of tests/world.py: what the pages show them, no more.
Staff and the secretariat read both sides; the board member their two afdelinger and what touches them; a user
without a role nothing; an anonymous caller is refused. Small counts are hidden from all but staff."""

import pytest

from finansiering.models import Budgetversion
from tests.world import FOREIGN_MARK, SCREENING_YEAR

ROUND = f"/api/v1/screeningsrunder/{SCREENING_YEAR}"


def ids(response, key="id"):
    assert response.status_code == 200, response.content
    return {row[key] for row in response.json()["results"]}


def expected_ids(world, role, own, foreign, board=None):
    """The ids a role lists: both sides for staff and the secretariat, the board member's (`board`, default
    the own side's) for the board member, none for a user without a role."""
    return {
        "medarbejder": own | foreign,
        "sekretariat": own | foreign,
        "bestyrelse": own if board is None else board,
        "uden": set(),
    }[role]


ROLES = ["medarbejder", "sekretariat", "bestyrelse", "uden"]


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_what_the_pages_show_it(db, world, as_role, role):
    client, own, foreign = as_role(role), world.own, world.foreign
    board_afdelinger = {own.afdeling.pk, world.second_afdeling.pk}
    listed = ids(client.get("/api/v1/afdelinger/?antal=100"))
    if role in ("medarbejder", "sekretariat"):
        assert {own.afdeling.pk, foreign.afdeling.pk, world.second_afdeling.pk} <= listed
    else:
        assert listed == expected_ids(world, role, set(), set(), board_afdelinger)
    plans = {own.plan.pk, own.funder_plan.pk, own.aendring.plan_id}
    foreign_plans = {foreign.plan.pk, foreign.funder_plan.pk, foreign.aendring.plan_id}
    assert ids(client.get("/api/v1/helhedsplaner/")) == expected_ids(world, role, plans, foreign_plans)
    own_indsatser = {own.indsats.pk} | {p.indsats_id for p in (own.plan, own.funder_plan, own.aendring.plan)}
    foreign_indsatser = {foreign.indsats.pk} | {
        p.indsats_id for p in (foreign.plan, foreign.funder_plan, foreign.aendring.plan)
    }
    assert ids(client.get("/api/v1/indsatser/")) == expected_ids(
        world, role, own_indsatser, foreign_indsatser
    )
    own_budgets = set(Budgetversion.objects.filter(indsats__in=own_indsatser).values_list("pk", flat=True))
    foreign_budgets = set(
        Budgetversion.objects.filter(indsats__in=foreign_indsatser).values_list("pk", flat=True)
    )
    assert ids(client.get("/api/v1/budgetter/")) == expected_ids(world, role, own_budgets, foreign_budgets)
    assert ids(client.get("/api/v1/boligomraader/")) == expected_ids(
        world, role, {own.omraade.pk}, {foreign.omraade.pk}
    )
    results = client.get(f"{ROUND}/afdelinger/?antal=100")
    listed = {row["afdeling"]["id"] for row in results.json()["results"]}
    if role in ("medarbejder", "sekretariat"):
        assert {own.afdeling.pk, foreign.afdeling.pk} <= listed
    else:
        assert listed == expected_ids(world, role, set(), set(), board_afdelinger)
    areas = {row["boligomraade"]["id"] for row in client.get(f"{ROUND}/omraader/").json()["results"]}
    assert areas == expected_ids(world, role, {own.omraade.pk}, {foreign.omraade.pk})


@pytest.mark.parametrize("role", ["bestyrelse", "uden"])
def test_a_foreign_object_is_not_found_and_nothing_foreign_is_shown(db, world, as_role, role):
    client, foreign = as_role(role), world.foreign
    for url in (
        f"/api/v1/afdelinger/{foreign.afdeling.pk}/",
        f"/api/v1/boligomraader/{foreign.omraade.pk}/",
        f"/api/v1/indsatser/{foreign.indsats.pk}/",
        f"/api/v1/helhedsplaner/{foreign.plan.pk}/",
        f"/api/v1/budgetter/{foreign.version.pk}/",
    ):
        answer = client.get(url)
        # In the API's words, naming no model.
        assert (answer.status_code, answer.json()) == (404, {"detail": "Ikke fundet."}), url
    for url in (
        "/api/v1/afdelinger/",
        "/api/v1/boligomraader/",
        "/api/v1/indsatser/",
        "/api/v1/helhedsplaner/",
        "/api/v1/budgetter/",
        f"{ROUND}/afdelinger/",
        f"{ROUND}/omraader/",
    ):
        assert FOREIGN_MARK not in client.get(url).text, url


def test_anonymous_callers_are_refused(db, world, as_role):
    assert as_role(None).get("/api/v1/helhedsplaner/").status_code == 401


@pytest.mark.parametrize(
    ("role", "hidden"), [("medarbejder", False), ("sekretariat", True), ("bestyrelse", True)]
)
def test_small_counts_are_hidden_from_all_but_staff(db, world, as_role, role, hidden):
    rows = as_role(role).get(f"{ROUND}/afdelinger/?q={world.own.afdeling.nummer}").json()["results"]
    row = next(row for row in rows if row["afdeling"]["id"] == world.own.afdeling.pk)
    figures = {figure["indikator"]: figure for figure in row["tal"]}
    evictions = figures["udsaettelser_antal"]  # 3 evictions: a count under 5
    assert evictions == (
        {"indikator": "udsaettelser_antal", "vaerdi": None, "skjult": True}
        if hidden
        else {"indikator": "udsaettelser_antal", "vaerdi": "3.00", "skjult": False}
    )
    assert figures["beboere"]["vaerdi"] == "1200.00"  # a large count is shown to all


def test_a_budget_shows_the_parties_per_year(db, world, as_role):
    version = world.own.version
    budget = as_role("bestyrelse").get(f"/api/v1/budgetter/{version.pk}/").json()
    assert budget["i_alt"] == "100000.00"
    assert budget["per_aar"] == [{"aar": 2025, "beloeb": "100000.00"}]
    parts = {part["art"]: part for part in budget["parter"]}
    assert parts["lbf"]["i_alt"] == "75000.00"
    assert sum(float(part["i_alt"]) for part in budget["parter"]) == 100000


def test_a_plan_shows_its_phase_and_dates(db, world, as_role):
    plan = world.own.plan
    shown = as_role("bestyrelse").get(f"/api/v1/helhedsplaner/{plan.pk}/").json()
    assert shown["tilstand"] == plan.tilstand and shown["fase"] == plan.indsats.fase
    assert shown["startdato"] == "2025-01-01" and shown["slutdato"] == "2026-12-31"
    assert [a["id"] for a in shown["afdelinger"]] == [world.own.afdeling.pk]


def obligation_ids(side):
    return {obligation.pk for obligation in side.aendring.plan.forpligtelser.all()}


@pytest.mark.parametrize("role", ROLES)
def test_each_role_lists_the_obligations_of_the_plans_it_sees(db, world, as_role, role):
    client = as_role(role)
    own, foreign = obligation_ids(world.own), obligation_ids(world.foreign)
    assert own and foreign
    listed = ids(client.get("/api/v1/forpligtelser/?antal=100"))
    assert listed == expected_ids(world, role, own, foreign)
    detail = client.get(f"/api/v1/forpligtelser/{world.foreign.obligation.pk}/")
    assert detail.status_code == (200 if role in ("medarbejder", "sekretariat") else 404)
