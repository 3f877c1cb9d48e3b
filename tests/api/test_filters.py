"""The API's lists filter as the pages' lists do (the same filter sets), page with ?side= and ?antal=, and
answer a filter of the wrong type with 400 and the field's reason, never 500."""

from datetime import timedelta

import pytest
from django.utils import timezone

from helhedsplaner import queries
from helhedsplaner.models import Rapporteringsforpligtelse
from tests.world import SCREENING_YEAR

ROUND = f"/api/v1/screeningsrunder/{SCREENING_YEAR}"


def test_filters_of_the_lists_apply(db, world, as_role):
    client, own = as_role("medarbejder"), world.own
    org = own.afdeling.organisation_id
    listed = client.get(f"/api/v1/afdelinger/?organisation={org}").json()["results"]
    assert [row["id"] for row in listed] == [own.afdeling.pk]
    found = client.get("/api/v1/indsatser/?q=Alfa-indsatsen").json()["results"]
    assert [row["id"] for row in found] == [own.indsats.pk]
    plans = client.get(f"/api/v1/helhedsplaner/?tilstand={own.funder_plan.tilstand}").json()["results"]
    assert own.funder_plan.pk in {row["id"] for row in plans} and own.plan.pk not in {
        row["id"] for row in plans
    }
    budgets = client.get(f"/api/v1/budgetter/?indsats={own.version.indsats_id}").json()["results"]
    assert [row["id"] for row in budgets] == list(
        own.version.indsats.budgetversioner.order_by("nummer").values_list("pk", flat=True)
    )
    results = client.get(f"{ROUND}/afdelinger/?organisation={org}").json()["results"]
    assert [row["afdeling"]["id"] for row in results] == [own.afdeling.pk]


def test_lists_are_paged(db, world, as_role):
    client = as_role("medarbejder")
    first = client.get("/api/v1/afdelinger/?antal=1").json()
    assert first["count"] >= 3 and len(first["results"]) == 1 and "side=2" in first["next"]
    second = client.get("/api/v1/afdelinger/?antal=1&side=2").json()
    assert second["results"][0]["id"] != first["results"][0]["id"]
    assert client.get("/api/v1/afdelinger/?side=999").status_code == 404


@pytest.mark.parametrize(
    ("url", "field"),
    [
        ("/api/v1/afdelinger/?organisation=abc", "organisation"),
        ("/api/v1/afdelinger/?boligomraade=1.5", "boligomraade"),
        ("/api/v1/afdelinger/?bydel=Ingen-bydel", "bydel"),
        ("/api/v1/afdelinger/?sort=adgangskode", "sort"),
        ("/api/v1/afdelinger/?side=abc", "side"),
        ("/api/v1/afdelinger/?side=0", "side"),
        ("/api/v1/afdelinger/?antal=-1", "antal"),
        ("/api/v1/indsatser/?status=ukendt", "status"),
        ("/api/v1/indsatser/?type=x", "type"),
        ("/api/v1/indsatser/?omraade=99999999999999999999", "omraade"),
        ("/api/v1/helhedsplaner/?tilstand=ukendt", "tilstand"),
        ("/api/v1/helhedsplaner/?ansvarlig=abc", "ansvarlig"),
        ("/api/v1/budgetter/?indsats=abc", "indsats"),
        ("/api/v1/budgetter/?status=ukendt", "status"),
        ("/api/v1/forpligtelser/?plan=abc", "plan"),
        ("/api/v1/forpligtelser/?tilstand=ukendt", "tilstand"),
        ("/api/v1/forpligtelser/?frist_fra=i-morgen", "frist_fra"),
        (f"{ROUND}/afdelinger/?organisation=abc", "organisation"),
        (f"{ROUND}/afdelinger/?signal=lilla", "signal"),
        (f"{ROUND}/afdelinger/?sort=adgangskode", "sort"),
    ],
)
def test_a_filter_of_the_wrong_type_is_refused_with_its_reason(db, world, as_role, url, field):
    response = as_role("medarbejder").get(url)
    assert response.status_code == 400, url
    reasons = response.json()[field]
    assert reasons and all(isinstance(reason, str) and reason for reason in reasons)


def test_a_board_member_cannot_filter_by_a_foreign_organisation(db, world, as_role):
    foreign_org = world.foreign.afdeling.organisation_id
    response = as_role("bestyrelse").get(f"/api/v1/afdelinger/?organisation={foreign_org}")
    assert response.status_code == 400 and "organisation" in response.json()


def test_a_board_member_filtering_budgets_by_a_foreign_or_unknown_indsats_gets_the_same_refusal(
    db, world, as_role
):
    member = as_role("bestyrelse")
    foreign = member.get(f"/api/v1/budgetter/?indsats={world.foreign.version.indsats_id}")
    unknown = member.get("/api/v1/budgetter/?indsats=999999999")
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json() == unknown.json()


def test_options_is_refused_like_every_method_but_get(db, world, as_role):
    assert as_role("medarbejder").options("/api/v1/afdelinger/").status_code == 405


def test_a_round_that_does_not_exist_is_not_found(db, world, as_role):
    assert as_role("medarbejder").get("/api/v1/screeningsrunder/1899/afdelinger/").status_code == 404


def test_obligations_filter_by_plan_state_and_deadline(db, world, as_role):
    client, obligation = as_role("medarbejder"), world.own.obligation
    plan = obligation.plan
    rows = client.get(f"/api/v1/forpligtelser/?plan={plan.pk}&antal=100").json()["results"]
    assert {row["id"] for row in rows} == set(plan.forpligtelser.values_list("pk", flat=True))
    row = next(row for row in rows if row["id"] == obligation.pk)
    assert row == {
        "id": obligation.pk,
        "plan": plan.pk,
        "art": "regnskab",
        "navn": obligation.type.navn,
        "aar": obligation.aar,
        "frist": obligation.frist.isoformat(),
        "tilstand": obligation.tilstand_pr(timezone.localdate()),
        "klar": None,
        "sendt": None,
    }
    day = obligation.frist.isoformat()
    on_day = client.get(f"/api/v1/forpligtelser/?plan={plan.pk}&frist_fra={day}&frist_til={day}").json()
    assert obligation.pk in {row["id"] for row in on_day["results"]}
    assert all(row["frist"] == day for row in on_day["results"])
    state = row["tilstand"]
    same = client.get(f"/api/v1/forpligtelser/?plan={plan.pk}&tilstand={state}").json()["results"]
    assert obligation.pk in {row["id"] for row in same} and {row["tilstand"] for row in same} == {state}
    sent = client.get(f"/api/v1/forpligtelser/?plan={plan.pk}&tilstand=sendt").json()["results"]
    assert sent == []


def test_the_obligation_states_in_sql_agree_with_each_obligation(db, world):
    """Each state's filter picks exactly the obligations whose own state it is, on a day with some due."""
    obligations = Rapporteringsforpligtelse.objects.all()
    first = obligations.order_by("frist").first()
    first.status = Rapporteringsforpligtelse.Status.KLAR
    first.save()
    last = obligations.order_by("-frist").first()
    last.status = Rapporteringsforpligtelse.Status.SENDT
    last.save()
    ready_later = obligations.order_by("-frist")[1]
    ready_later.status = Rapporteringsforpligtelse.Status.KLAR
    ready_later.save()
    day = first.frist + timedelta(days=1)
    for state in Rapporteringsforpligtelse.Tilstand:
        picked = set(queries.in_state(obligations, state, day).values_list("pk", flat=True))
        assert picked == {o.pk for o in obligations if o.tilstand_pr(day) == state}, state
    assert first.tilstand_pr(day) == "forfalden" and last.tilstand_pr(day) == "sendt"
    assert ready_later.tilstand_pr(day) == "klar"


def test_a_board_member_cannot_filter_obligations_by_a_foreign_plan(db, world, as_role):
    member = as_role("bestyrelse")
    foreign = member.get(f"/api/v1/forpligtelser/?plan={world.foreign.obligation.plan_id}")
    unknown = member.get("/api/v1/forpligtelser/?plan=999999999")
    assert foreign.status_code == unknown.status_code == 400
    assert foreign.json() == unknown.json()
