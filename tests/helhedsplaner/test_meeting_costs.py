"""What each afdeling voted on, and the rise after others vote no: shown on the Afdelingsmøder tab, and
above the limit it keeps the plan from going to the funders until a new vote or a revised budget."""

from decimal import Decimal

import pytest
from django.urls import reverse

from finansiering import queries as budget_queries
from finansiering.models import Budgetlinje
from helhedsplaner import lifecycle, meeting_costs
from helhedsplaner.lifecycle import fire
from indsatser.transitions import Refused
from tests.factories import AfdelingFactory, HelhedsplanFactory
from tests.helhedsplaner.conftest import TODAY, complete_text, give_budget, place, vote

HTMX = {"HTTP_HX_REQUEST": "true"}
SEND = "send_til_godkendelse"


@pytest.fixture
def staying(db):
    return AfdelingFactory(navn="Bliver", lejemaal=100)


@pytest.fixture
def leaving(db):
    return AfdelingFactory(navn="Går", lejemaal=56)


@pytest.fixture
def costed_plan(staying, leaving, medarbejder, walk_to):
    """A plan with a budget of 800,000 kr. (the afdelinger pay 12.5 %, over four years), at its meetings."""
    plan = HelhedsplanFactory(indsats__afdelinger=[staying, leaving], indsats__ansvarlig=medarbejder)
    give_budget(plan, medarbejder, "800000")
    return walk_to(plan, lifecycle.AFDELINGSMOEDER)


def test_a_meeting_keeps_the_cost_it_voted_on(costed_plan, medarbejder, staying):
    meeting = vote(costed_plan, staying, medarbejder, 40, 10)
    # 100,000 kr. for the afdelinger over four years, 100 of 156 lejemål: 16,025.64 kr. a year.
    assert meeting.udgift_pr_aar == Decimal("16025.64")
    assert meeting.udgift_pr_lejemaal_pr_aar == Decimal("160.26")


def test_a_correction_of_the_votes_keeps_the_cost_of_the_vote(costed_plan, medarbejder, staying):
    vote(costed_plan, staying, medarbejder, 40, 10)
    give_budget(costed_plan, medarbejder, "1600000")
    corrected = vote(costed_plan, staying, medarbejder, 41, 10)
    assert corrected.udgift_pr_lejemaal_pr_aar == Decimal("160.26")


def test_a_meeting_without_a_budget_stores_no_cost(plan, medarbejder, own_afdeling):
    plan = place(plan, lifecycle.AFDELINGSMOEDER, budget=False)  # a plan from before budgets were required
    meeting = vote(plan, own_afdeling, medarbejder, 40, 10)
    assert meeting.udgift_pr_aar is None and meeting.udgift_pr_lejemaal_pr_aar is None


def test_a_rise_of_56_percent_after_a_no_blocks_sending(costed_plan, medarbejder, staying, leaving):
    vote(costed_plan, staying, medarbejder, 40, 10)
    vote(costed_plan, leaving, medarbejder, 5, 30)

    latest = budget_queries.latest_version(costed_plan.indsats)
    [change] = meeting_costs.changes(costed_plan, lifecycle.current_meetings(costed_plan), latest)
    assert (change.afdeling, change.voted, change.now, change.rise_pct) == (
        staying,
        Decimal("160.26"),
        Decimal("250.00"),
        Decimal("56.0"),
    )
    with pytest.raises(Refused) as refused:
        fire(costed_plan, SEND, {"indsendt": TODAY}, notify=False, acting_user=medarbejder)
    assert refused.value.problems == [
        "Udgiften pr. lejemål er steget mere end 10 % over det, afdelingsmødet stemte om, i: "
        f"{staying} (160,26 → 250,00 kr. pr. lejemål pr. år, +56 %). Hold nye afdelingsmøder (send planen "
        "tilbage til udarbejdelse), eller registrér et revideret budget."
    ]
    costed_plan.refresh_from_db()
    assert costed_plan.tilstand == lifecycle.AFDELINGSMOEDER
    assert set(costed_plan.indsats.afdelinger.all()) == {staying, leaving}


def test_sending_over_http_is_refused_and_the_tab_shows_the_rise(
    client_as, costed_plan, medarbejder, staying, leaving
):
    vote(costed_plan, staying, medarbejder, 40, 10)
    vote(costed_plan, leaving, medarbejder, 5, 30)
    client = client_as(medarbejder)
    url = reverse("plan_transition", args=[costed_plan.pk, SEND])
    response = client.post(url, {"fase_nr": costed_plan.fase_nr, "indsendt": TODAY}, **HTMX)
    assert response.status_code == 400
    assert "steget mere end 10 %" in response.text
    page = client.get(reverse("plan_meetings", args=[costed_plan.pk]))
    assert "Udgift pr. lejemål" in page.text
    assert "160,26" in page.text and "250,00" in page.text and "+56 %" in page.text


def test_a_revised_budget_within_the_limit_lets_the_plan_go(costed_plan, medarbejder, staying, leaving):
    vote(costed_plan, staying, medarbejder, 40, 10)
    vote(costed_plan, leaving, medarbejder, 5, 30)
    # The frame cut to what the afdeling that stays pays for its own lejemål: 100/156 of 800,000 kr.
    give_budget(costed_plan, medarbejder, "512820.51")
    latest = budget_queries.latest_version(costed_plan.indsats)
    [change] = meeting_costs.changes(costed_plan, lifecycle.current_meetings(costed_plan), latest)
    assert change.rise_pct == Decimal("0.0")

    costed_plan = fire(costed_plan, SEND, {"indsendt": TODAY}, notify=False, acting_user=medarbejder)
    assert costed_plan.tilstand == lifecycle.GODKENDELSE
    assert list(costed_plan.indsats.afdelinger.all()) == [staying]


def test_a_revised_budget_still_above_the_limit_does_not(costed_plan, medarbejder, staying, leaving):
    vote(costed_plan, staying, medarbejder, 40, 10)
    vote(costed_plan, leaving, medarbejder, 5, 30)
    give_budget(costed_plan, medarbejder, "600000")  # +17 %
    with pytest.raises(Refused, match=r"\+17 %"):
        fire(costed_plan, SEND, {"indsendt": TODAY}, notify=False, acting_user=medarbejder)


def test_a_new_round_of_meetings_votes_on_the_new_cost(costed_plan, medarbejder, staying, leaving):
    vote(costed_plan, staying, medarbejder, 40, 10)
    vote(costed_plan, leaving, medarbejder, 5, 30)
    costed_plan = fire(
        costed_plan,
        "afdelingsmoeder_tilbage",
        {"begrundelse": "Uden Går."},
        notify=False,
        acting_user=medarbejder,
    )
    costed_plan.indsats.afdelinger.remove(leaving)
    complete_text(costed_plan)
    costed_plan = fire(costed_plan, "send_til_afdelingsmoeder", notify=False, acting_user=medarbejder)
    meeting = vote(costed_plan, staying, medarbejder, 40, 10)
    assert meeting.udgift_pr_lejemaal_pr_aar == Decimal("250.00")
    costed_plan = fire(costed_plan, SEND, {"indsendt": TODAY}, notify=False, acting_user=medarbejder)
    assert costed_plan.tilstand == lifecycle.GODKENDELSE


def test_the_limit_is_a_setting(settings, costed_plan, medarbejder, staying, leaving):
    settings.HELHEDSPLAN_MAX_UDGIFTSSTIGNING_PCT = Decimal(60)
    vote(costed_plan, staying, medarbejder, 40, 10)
    vote(costed_plan, leaving, medarbejder, 5, 30)
    assert fire(costed_plan, SEND, {"indsendt": TODAY}, notify=False, acting_user=medarbejder).tilstand == (
        lifecycle.GODKENDELSE
    )


def test_a_rise_without_a_drop_out_counts_too(costed_plan, medarbejder, staying, leaving):
    vote(costed_plan, staying, medarbejder, 40, 10)
    vote(costed_plan, leaving, medarbejder, 30, 10)
    version = budget_queries.latest_version(costed_plan.indsats)
    Budgetlinje.objects.filter(version=version).update(beloeb=Decimal("900000"))
    with pytest.raises(Refused, match=r"\+12,5 %"):
        fire(costed_plan, SEND, {"indsendt": TODAY}, notify=False, acting_user=medarbejder)


def test_the_tab_keeps_showing_the_costs_after_the_plan_has_gone(
    client_as, costed_plan, medarbejder, staying, leaving
):
    vote(costed_plan, staying, medarbejder, 40, 10)
    vote(costed_plan, leaving, medarbejder, 5, 30)
    give_budget(costed_plan, medarbejder, "512820.51")
    fire(costed_plan, SEND, {"indsendt": TODAY}, notify=False, acting_user=medarbejder)
    page = client_as(medarbejder).get(reverse("plan_meetings", args=[costed_plan.pk]))
    assert "160,26" in page.text and "0 %" in page.text
