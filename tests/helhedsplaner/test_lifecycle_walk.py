"""The whole lifecycle, from idé to afsluttet, through the service functions; and its bookkeeping."""

from datetime import date
from decimal import Decimal

import pytest

from finansiering import actions as budget_actions
from finansiering import queries as budget_queries
from finansiering.financing import indsats_finansiering
from finansiering.models import Budgetversion, Omkostningstype
from helhedsplaner import lifecycle
from helhedsplaner.lifecycle import fire
from helhedsplaner.models import Haendelse
from indsatser.models import Indsats
from indsatser.transitions import Refused
from tests.helhedsplaner.conftest import Organ, Udfald, complete_text, decide, give_budget, place, vote

pytestmark = pytest.mark.django_db


def test_walk_from_ide_to_afsluttet_keeps_indsats_status_in_step(plan, walk_to):
    seen = {}
    for target in lifecycle.MAIN_PATH[1:]:
        plan = walk_to(plan, target)
        plan.indsats.refresh_from_db()
        seen[target] = plan.indsats.status
    expected = {code: lifecycle.STATE[code].indsats_status for code in lifecycle.MAIN_PATH[1:]}
    assert seen == expected
    assert seen[lifecycle.GODKENDELSE] == Indsats.Status.FORSLAG
    assert seen[lifecycle.AKTIV] == Indsats.Status.AKTIV
    assert seen[lifecycle.AFSLUTTET] == Indsats.Status.AFSLUTTET
    events = list(plan.haendelser.filter(art=Haendelse.Art.OVERGANG).order_by("tid", "id"))
    assert [e.til_tilstand for e in events] == lifecycle.MAIN_PATH[1:]
    assert plan.fase_nr == len(events)
    plan.indsats.refresh_from_db()
    assert plan.indsats.startdato == date(2027, 1, 1)
    assert plan.indsats.slutdato == date(2030, 12, 31)
    assert plan.indsats.afsluttet_af is not None


@pytest.mark.parametrize("state", [lifecycle.OPGIVET, lifecycle.AFVIST])
def test_side_exits_mark_the_indsats_opgivet(plan, medarbejder, sekretariat, state):
    if state == lifecycle.OPGIVET:
        fire(plan, "opgiv", {"begrundelse": "Ingen lokal opbakning."}, notify=False, acting_user=medarbejder)
    else:
        place(plan, lifecycle.PRAEKVALIFIKATION_BEHANDLES)
        decide(plan, Organ.LBF, Udfald.AFVIST, sekretariat)
        fire(plan, "praekvalifikation_afvist", notify=False, acting_user=sekretariat)
    plan.refresh_from_db()
    plan.indsats.refresh_from_db()
    assert plan.tilstand == state
    assert plan.indsats.status == Indsats.Status.OPGIVET


def test_decisions_from_before_a_send_back_do_not_count_in_the_next_round(plan, medarbejder, sekretariat):
    place(plan, lifecycle.PRAEKVALIFIKATION_BEHANDLES)
    decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat)
    decide(plan, Organ.KOMMUNE, Udfald.SENDT_TILBAGE, sekretariat)
    fire(
        plan,
        "praekvalifikation_tilbage",
        {"begrundelse": "Kommunen vil se budgettet."},
        notify=False,
        acting_user=medarbejder,
    )
    plan = fire(
        plan, "send_praekvalifikation", {"indsendt": date(2026, 4, 1)}, notify=False, acting_user=medarbejder
    )
    decide(plan, Organ.KOMMUNE, Udfald.GODKENDT, sekretariat)
    with pytest.raises(Refused, match="Landsbyggefondens beslutning er ikke registreret"):
        fire(plan, "praekvalificer", notify=False, acting_user=medarbejder)
    decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat)
    assert (
        fire(plan, "praekvalificer", notify=False, acting_user=medarbejder).tilstand
        == lifecycle.PRAEKVALIFICERET
    )


def test_afdeling_voting_no_leaves_the_plan_but_keeps_its_vote(
    plan, medarbejder, own_afdeling, second_afdeling
):
    place(plan, lifecycle.AFDELINGSMOEDER, budget=False)
    vote(plan, own_afdeling, medarbejder, 80, 20)
    no = vote(plan, second_afdeling, medarbejder, 10, 30, 2)
    give_budget(plan)  # after the votes: no cost of theirs to compare with
    plan = fire(
        plan, "send_til_godkendelse", {"indsendt": date(2026, 5, 1)}, notify=False, acting_user=medarbejder
    )
    assert list(plan.indsats.afdelinger.all()) == [own_afdeling]
    no.refresh_from_db()
    assert not no.vedtaget
    assert no.beslutning.udfald == Udfald.AFVIST
    event = plan.haendelser.get(overgang="send_til_godkendelse")
    assert str(second_afdeling) in event.tekst


def test_sending_back_from_the_meetings_keeps_every_afdeling(
    plan, medarbejder, own_afdeling, second_afdeling
):
    place(plan, lifecycle.AFDELINGSMOEDER)
    vote(plan, own_afdeling, medarbejder, 80, 20)
    vote(plan, second_afdeling, medarbejder, 10, 30)
    plan = fire(
        plan, "afdelingsmoeder_tilbage", {"begrundelse": "Revideres."}, notify=False, acting_user=medarbejder
    )
    assert plan.tilstand == lifecycle.HELHEDSPLAN_UDARBEJDES
    assert set(plan.indsats.afdelinger.all()) == {own_afdeling, second_afdeling}


def test_a_new_round_of_meetings_needs_new_votes(plan, medarbejder, own_afdeling, second_afdeling):
    place(plan, lifecycle.AFDELINGSMOEDER)
    vote(plan, own_afdeling, medarbejder, 80, 20)
    vote(plan, second_afdeling, medarbejder, 10, 30)
    plan = fire(
        plan, "afdelingsmoeder_tilbage", {"begrundelse": "Revideres."}, notify=False, acting_user=medarbejder
    )
    plan = place(plan, lifecycle.HELHEDSPLAN_UDARBEJDES)
    complete_text(plan)
    plan = fire(plan, "send_til_afdelingsmoeder", notify=False, acting_user=medarbejder)
    assert plan.moederunde == 2
    with pytest.raises(Refused, match="Mangler resultat"):
        fire(
            plan,
            "send_til_godkendelse",
            {"indsendt": date(2026, 9, 1)},
            notify=False,
            acting_user=medarbejder,
        )


def test_missing_required_input_is_refused_and_changes_nothing(plan, medarbejder):
    with pytest.raises(Refused, match="begrundelse"):
        fire(plan, "opgiv", {"begrundelse": ""}, notify=False, acting_user=medarbejder)
    plan.refresh_from_db()
    assert plan.tilstand == lifecycle.IDE
    assert not plan.haendelser.filter(art=Haendelse.Art.OVERGANG).exists()


def test_every_transition_leads_between_declared_states():
    for transition in lifecycle.TRANSITIONS:
        assert transition.target in lifecycle.STATE
        assert all(source in lifecycle.STATE for source in transition.sources)
    reachable = {lifecycle.IDE} | {t.target for t in lifecycle.TRANSITIONS}
    assert reachable == set(lifecycle.STATE)


def test_financing_follows_the_afdelinger_left_after_a_no(plan, medarbejder, own_afdeling, second_afdeling):
    plan.indsats.startdato, plan.indsats.slutdato = date(2027, 1, 1), date(2030, 12, 31)
    plan.indsats.save()
    shares = indsats_finansiering(plan.indsats).afdelinger
    assert {share.afdeling for share in shares} == {own_afdeling, second_afdeling}
    place(plan, lifecycle.AFDELINGSMOEDER, budget=False)
    vote(plan, own_afdeling, medarbejder, 80, 20)
    vote(plan, second_afdeling, medarbejder, 10, 30)
    give_budget(plan)  # after the votes: no cost of theirs to compare with
    plan = fire(
        plan, "send_til_godkendelse", {"indsendt": date(2026, 5, 1)}, notify=False, acting_user=medarbejder
    )
    assert [a.afdeling for a in indsats_finansiering(plan.indsats).afdelinger] == [own_afdeling]


def test_the_budget_is_submitted_with_each_application_and_approved_by_the_funders(
    plan, walk_to, medarbejder
):
    plan.indsats.startdato, plan.indsats.slutdato = date(2027, 1, 1), date(2030, 12, 31)
    plan.indsats.save()
    estimate = budget_actions.create_version(
        plan.indsats, Budgetversion.Fase.PRAEKVALIFIKATION, acting_user=medarbejder
    )
    omraade = budget_queries.budget_omraader(plan.indsats)[0]
    budget_actions.save_budget_line(
        estimate, 2027, omraade, Omkostningstype.objects.first(), Decimal("250000"), acting_user=medarbejder
    )

    plan = walk_to(plan, lifecycle.PRAEKVALIFIKATION_BEHANDLES)
    estimate.refresh_from_db()
    assert estimate.status == Budgetversion.Status.INDSENDT and estimate.indsendt_af == medarbejder

    plan = walk_to(plan, lifecycle.PRAEKVALIFICERET)
    application = budget_queries.latest_version(plan.indsats)
    assert (application.nummer, application.status, application.fase) == (2, "udkast", "ansoegning")
    assert application.linjer.get().beloeb == Decimal("250000.00")  # a copy of the estimate

    plan = walk_to(plan, lifecycle.AKTIV)
    estimate.refresh_from_db()
    application.refresh_from_db()
    assert estimate.status == Budgetversion.Status.BESLUTTET  # what the prækvalifikation was decided on
    assert application.status == Budgetversion.Status.GODKENDT and application.laast
    assert "Landsbyggefonden" in application.godkendt_grundlag
    event = Haendelse.objects.get(plan=plan, til_tilstand=lifecycle.AKTIV)
    assert "Budgetversion 2 er godkendt af Landsbyggefonden og kommunen." in event.tekst
