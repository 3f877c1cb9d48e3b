"""The scale-data generator's helhedsplaner (small scale): every state, with a history fire() accepts."""

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from finansiering.models import Budgetversion
from helhedsplaner import lifecycle
from helhedsplaner.models import Afdelingsmoede, Beslutning, Haendelse, Helhedsplan
from indsatser.models import Indsats, Indsatstype

pytestmark = pytest.mark.django_db

PLANS = 16
# 4 years × 4 indsatsområder × 5 omkostningstyper
LINES_PER_VERSION = 80


@pytest.fixture
def plans():
    call_command("generate_scale_data", "--scale", "small")
    return list(Helhedsplan.objects.filter(indsats__titel__startswith="Skala ").select_related("indsats"))


def test_every_state_of_the_lifecycle_is_there(plans):
    assert len(plans) == PLANS
    assert {plan.tilstand for plan in plans} == {state.code for state in lifecycle.STATES}
    for plan in plans:
        assert plan.indsats.type.kode == Indsatstype.HELHEDSPLAN
        assert plan.indsats.status == plan.state.indsats_status
    afdelinger = Indsats.objects.filter(titel__startswith="Skala ").annotate(n=Count("afdelinger"))
    assert all(1 <= indsats.n <= 8 for indsats in afdelinger)


# The budget's guards look at the budget versions' states, which only the plan's state today is kept for;
# test_budgets_follow_the_state checks those.
BUDGET_GUARDS = {
    lifecycle.BUDGET_ESTIMATE_READY,
    lifecycle.BUDGET_READY_TO_SUBMIT,
    lifecycle.AFDELING_COSTS_KNOWN,
    lifecycle.TILSAGN_MATCHES_BUDGET,
}


def test_each_transition_on_record_passed_the_guards_of_its_time(plans):
    """Replays each plan's transitions: in the state and round it was in then, every guard is met."""
    for plan in plans:
        transitions = list(plan.haendelser.filter(art=Haendelse.Art.OVERGANG).order_by("tid", "id"))
        assert len(transitions) == plan.fase_nr
        then = Helhedsplan.objects.select_related("indsats").get(pk=plan.pk)
        then.tilstand, then.fase_nr, then.moederunde = lifecycle.IDE, 0, 0
        for event in transitions:
            transition = lifecycle.TRANSITION[event.overgang]
            assert event.fra_tilstand == then.tilstand
            assert then.tilstand in transition.sources
            if transition.target == lifecycle.AFDELINGSMOEDER:
                then.moederunde += 1
            blocked = [guard.reasons(then) for guard in transition.guards if guard not in BUDGET_GUARDS]
            assert not any(blocked), (plan, transition.name)
            then.tilstand, then.fase_nr = transition.target, then.fase_nr + 1
        assert (then.tilstand, then.moederunde) == (plan.tilstand, plan.moederunde)


def test_budgets_follow_the_state(plans):
    started = {lifecycle.AKTIV, lifecycle.AFSLUTNING, lifecycle.AFSLUTTET}
    for plan in plans:
        versions = list(
            Budgetversion.objects.filter(indsats=plan.indsats)
            .annotate(lines=Count("linjer"))
            .order_by("nummer")
        )
        approved = [v for v in versions if v.status == Budgetversion.Status.GODKENDT]
        if plan.tilstand in (lifecycle.PRAEKVALIFIKATION_BEHANDLES, lifecycle.GODKENDELSE):
            assert versions[-1].status == Budgetversion.Status.INDSENDT
        if plan.tilstand in started:
            assert len(approved) == 1
            assert approved[0].fase == Budgetversion.Fase.ANSOEGNING
            assert hasattr(plan.indsats, "fordelingsnoegle")
            assert plan.indsats.aktiviteter.exists()
        else:
            assert approved == []
        if plan.tilstand == lifecycle.IDE:
            assert versions == []
        for version in versions:
            assert version.lines in (LINES_PER_VERSION, LINES_PER_VERSION - 4)  # a revision moves 4 cells


def test_what_has_happened_is_dated_in_the_past(plans):
    today = timezone.localdate()
    assert not Haendelse.objects.filter(plan__in=plans, tid__date__gt=today).exists()
    assert not Beslutning.objects.filter(plan__in=plans, dato__gt=today).exists()
    held = Afdelingsmoede.objects.filter(plan__in=plans, stemmer_for__isnull=False)
    assert held.exists() and not held.filter(dato__gt=today).exists()
    for plan in plans:
        assert plan.tilstand_siden.date() <= today
        events = plan.haendelser.order_by("tid", "id")
        assert events.first().art == Haendelse.Art.OPRETTET
