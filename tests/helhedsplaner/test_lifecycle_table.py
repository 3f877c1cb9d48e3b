"""Every transition × every role × every guard, allowed and refused.

The expected roles and guards are written out here rather than read from the declaration, so a change
to lifecycle.py that loosens a permission or drops a guard makes this test fail.
"""

from datetime import date
from decimal import Decimal

import pytest

from finansiering import queries as budget_queries
from finansiering.models import Budgetlinje, Finansieringspart
from helhedsplaner import lifecycle
from helhedsplaner.lifecycle import fire
from helhedsplaner.models import Aendringsanmodning, Afdelingsmoede, Beslutning, Betingelse, Helhedsplan
from indsatser.models import Afslutningsvurdering
from indsatser.transitions import Conflict, Forbidden, Refused, may_fire
from screening.models import Afdeling
from tests.factories import UserFactory
from tests.helhedsplaner.conftest import (
    COMPLETE_TEXT,
    Organ,
    Udfald,
    complete_closing_checklist,
    decide,
    give_budget,
    place,
    vote,
)

pytestmark = pytest.mark.django_db

STAFF = {"medarbejder", "administrator"}
STAFF_AND_SECRETARIAT = {"medarbejder", "administrator", "sekretariat"}
ROLES = ["medarbejder", "administrator", "sekretariat", "afdelingsbestyrelse"]

# transition -> (roles that may fire it, guard codes)
EXPECTED = {
    "send_til_organisationsbestyrelsen": (STAFF, {"har_afdelinger", "analyse_skrevet"}),
    "start_praekvalifikation": (STAFF, {"organisationsbestyrelse_godkendt"}),
    "send_praekvalifikation": (
        STAFF,
        {"har_afdelinger", "analyse_skrevet", "budgetoverslag", "budget_kan_indsendes"},
    ),
    "praekvalificer": (STAFF_AND_SECRETARIAT, {"lbf_og_kommune_godkendt"}),
    "praekvalifikation_tilbage": (STAFF_AND_SECRETARIAT, {"sendt_tilbage"}),
    "praekvalifikation_afvist": (STAFF_AND_SECRETARIAT, {"afvist"}),
    "start_helhedsplan": (STAFF, set()),
    "send_til_afdelingsmoeder": (STAFF, {"har_afdelinger", "plantekst_faerdig", "afdelingernes_udgift"}),
    "send_til_godkendelse": (
        STAFF,
        {
            "afdelingsmoeder_registreret",
            "mindst_en_afdeling_ja",
            "udgift_inden_for_graensen",
            "budget_kan_indsendes",
        },
    ),
    "afdelingsmoeder_tilbage": (STAFF, {"afdelingsmoeder_registreret"}),
    "godkend": (STAFF_AND_SECRETARIAT, {"lbf_og_kommune_godkendt", "tilsagn_svarer_til_budget"}),
    "godkendelse_tilbage": (STAFF_AND_SECRETARIAT, {"sendt_tilbage"}),
    "godkendelse_afvist": (STAFF_AND_SECRETARIAT, {"afvist"}),
    "start_afslutning": (STAFF, set()),
    "fortsaet": (STAFF, set()),
    "afslut": (STAFF, {"afslutning_vurderet", "ingen_aaben_aendring", "betingelser_opfyldt"}),
    "opgiv": (STAFF, set()),
}

INPUTS = {
    "send_praekvalifikation": {"indsendt": date(2026, 3, 1)},
    "praekvalifikation_tilbage": {"begrundelse": "Budgettet skal uddybes."},
    "send_til_godkendelse": {"indsendt": date(2026, 6, 1)},
    "afdelingsmoeder_tilbage": {"begrundelse": "Planen revideres."},
    "godkend": {"startdato": date(2027, 1, 1)},
    "godkendelse_tilbage": {"begrundelse": "LBF ønsker ændringer."},
    "start_afslutning": {"begrundelse": "Målene er nået."},
    "fortsaet": {"begrundelse": "Afslutningen er for tidlig."},
    "opgiv": {"begrundelse": "Ingen lokal opbakning."},
}


@pytest.fixture
def actors(medarbejder, administrator, sekretariat, own_afdeling):
    board = UserFactory(username="t-bestyrelse-tabel", role="afdelingsbestyrelse")
    board.bestyrelsesposter.create(afdeling=own_afdeling)
    return {
        "medarbejder": medarbejder,
        "administrator": administrator,
        "sekretariat": sekretariat,
        "afdelingsbestyrelse": board,
    }


def _funders(plan, sek, lbf, kommune):
    decide(plan, Organ.LBF, lbf, sek)
    decide(plan, Organ.KOMMUNE, kommune, sek)


def _votes(plan, staff, *results):
    for afdeling, yes in zip(plan.indsats.afdelinger.order_by("pk"), results, strict=True):
        vote(plan, afdeling, staff, 30 if yes else 5, 5 if yes else 30)


def ready(name, plan, staff, sek):
    """Put the plan in the transition's source state with every guard met."""
    if name == "send_til_organisationsbestyrelsen":
        return
    if name == "start_praekvalifikation":
        place(plan, lifecycle.ORGANISATIONSBESTYRELSE)
        decide(plan, Organ.ORGANISATIONSBESTYRELSE, Udfald.GODKENDT, staff)
    elif name == "send_praekvalifikation":
        place(plan, lifecycle.PRAEKVALIFIKATION_UDARBEJDES)
    elif name == "praekvalificer":
        place(plan, lifecycle.PRAEKVALIFIKATION_BEHANDLES)
        _funders(plan, sek, Udfald.GODKENDT, Udfald.GODKENDT_MED_BETINGELSER)
    elif name == "praekvalifikation_tilbage":
        place(plan, lifecycle.PRAEKVALIFIKATION_BEHANDLES)
        _funders(plan, sek, Udfald.SENDT_TILBAGE, Udfald.GODKENDT)
    elif name == "praekvalifikation_afvist":
        place(plan, lifecycle.PRAEKVALIFIKATION_BEHANDLES)
        _funders(plan, sek, Udfald.GODKENDT, Udfald.AFVIST)
    elif name == "start_helhedsplan":
        place(plan, lifecycle.PRAEKVALIFICERET)
    elif name == "send_til_afdelingsmoeder":
        place(plan, lifecycle.HELHEDSPLAN_UDARBEJDES, **COMPLETE_TEXT)
    elif name == "send_til_godkendelse":
        # The budget comes after the votes, so the meetings stored no cost to compare with.
        place(plan, lifecycle.AFDELINGSMOEDER, budget=False)
        _votes(plan, staff, True, False)
        give_budget(plan)
    elif name == "afdelingsmoeder_tilbage":
        place(plan, lifecycle.AFDELINGSMOEDER)
        _votes(plan, staff, True, False)
    elif name == "godkend":
        place(plan, lifecycle.GODKENDELSE)
        _funders(plan, sek, Udfald.GODKENDT, Udfald.GODKENDT)
    elif name == "godkendelse_tilbage":
        place(plan, lifecycle.GODKENDELSE)
        _funders(plan, sek, Udfald.GODKENDT, Udfald.SENDT_TILBAGE)
    elif name == "godkendelse_afvist":
        place(plan, lifecycle.GODKENDELSE)
        _funders(plan, sek, Udfald.AFVIST, Udfald.GODKENDT)
    elif name == "start_afslutning":
        place(plan, lifecycle.AKTIV)
    elif name == "fortsaet":
        place(plan, lifecycle.AFSLUTNING)
    elif name == "afslut":
        place(plan, lifecycle.AFSLUTNING)
        complete_closing_checklist(plan)
    elif name == "opgiv":
        place(plan, lifecycle.PRAEKVALIFICERET)
    else:
        raise AssertionError(name)


def break_guard(code, name, plan, staff, sek):
    """Undo exactly one guard's condition on a plan made ready for the transition."""
    if code == "har_afdelinger":
        plan.indsats.afdelinger.clear()
    elif code == "analyse_skrevet":
        Helhedsplan.objects.filter(pk=plan.pk).update(analyse="  ")
    elif code == "plantekst_faerdig":
        Helhedsplan.objects.filter(pk=plan.pk).update(maal="")
    elif code == "organisationsbestyrelse_godkendt":
        decide(plan, Organ.ORGANISATIONSBESTYRELSE, Udfald.AFVIST, staff)
    elif code == "lbf_og_kommune_godkendt":
        decide(plan, Organ.KOMMUNE, Udfald.SENDT_TILBAGE, sek)
    elif code in ("sendt_tilbage", "afvist"):
        _funders(plan, sek, Udfald.GODKENDT, Udfald.GODKENDT)
    elif code == "afdelingsmoeder_registreret":
        Afdelingsmoede.objects.filter(
            plan=plan, afdeling=plan.indsats.afdelinger.order_by("pk").last()
        ).update(stemmer_for=None, stemmer_imod=None, stemmer_blanke=None, husstande=None)
    elif code == "mindst_en_afdeling_ja":
        _votes(plan, staff, False, False)
    elif code == "udgift_inden_for_graensen":
        # The afdeling that voted yes had been shown a far lower cost than it pays without the other.
        give_budget(plan, staff, "800000")
        Afdelingsmoede.objects.filter(plan=plan, stemmer_for=30).update(udgift_pr_lejemaal_pr_aar=1)
    elif code == "afslutning_vurderet":
        Afslutningsvurdering.objects.filter(indsats=plan.indsats).first().delete()
    elif code == "ingen_aaben_aendring":
        Aendringsanmodning.objects.create(
            plan=plan,
            nummer=1,
            begrundelse="Ny slutdato.",
            startdato=date(2027, 1, 1),
            slutdato=date(2029, 12, 31),
        )
    elif code == "betingelser_opfyldt":
        tilsagn = Beslutning.objects.create(
            plan=plan,
            organ=Organ.LBF,
            udfald=Udfald.GODKENDT_MED_BETINGELSER,
            dato=date(2026, 1, 5),
            fase_nr=1,
        )
        Betingelse.objects.create(plan=plan, beslutning=tilsagn, tekst="Slutevalueringen sendes.")
    elif code == "budgetoverslag":
        Finansieringspart.objects.filter(noegle__indsats=plan.indsats, art="lbf").update(procent=70)
    elif code == "budget_kan_indsendes":
        Budgetlinje.objects.filter(version=budget_queries.latest_version(plan.indsats)).delete()
    elif code == "afdelingernes_udgift":
        Afdeling.objects.filter(pk=plan.indsats.afdelinger.order_by("pk").first().pk).update(lejemaal=0)
    elif code == "tilsagn_svarer_til_budget":
        decide(plan, Organ.LBF, Udfald.GODKENDT, sek, bevilget_beloeb=Decimal("1.00"))
    else:
        raise AssertionError(code)
    plan.refresh_from_db()


def test_the_table_covers_the_declaration():
    assert set(EXPECTED) == set(lifecycle.TRANSITION)
    for name, (roles, guards) in EXPECTED.items():
        transition = lifecycle.TRANSITION[name]
        declared_roles = {r for r in ROLES if may_fire(_FakeUser(r), transition)}
        assert declared_roles == roles, name
        assert {g.code for g in transition.guards} == guards, name


class _FakeUser:
    """Just enough of a user for indsatser.transitions.user_roles()."""

    is_authenticated = True
    is_superuser = False

    def __init__(self, role):
        self._role_names = frozenset({role})


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_role_may_or_may_not_fire(plan, actors, name, role):
    ready(name, plan, actors["medarbejder"], actors["sekretariat"])
    allowed = role in EXPECTED[name][0]
    if allowed:
        moved = fire(plan, name, INPUTS.get(name), notify=False, acting_user=actors[role])
        assert moved.tilstand == lifecycle.TRANSITION[name].target
    else:
        with pytest.raises(Forbidden):
            fire(plan, name, INPUTS.get(name), notify=False, acting_user=actors[role])
        plan.refresh_from_db()
        assert plan.tilstand in lifecycle.TRANSITION[name].sources


GUARD_CASES = [(name, code) for name, (_, guards) in sorted(EXPECTED.items()) for code in sorted(guards)]


@pytest.mark.parametrize(("name", "code"), GUARD_CASES)
def test_each_guard_refuses_when_unmet(plan, actors, name, code):
    staff, sek = actors["medarbejder"], actors["sekretariat"]
    ready(name, plan, staff, sek)
    break_guard(code, name, plan, staff, sek)
    before = (plan.tilstand, plan.fase_nr)
    with pytest.raises(Refused) as refused:
        fire(plan, name, INPUTS.get(name), notify=False, acting_user=staff)
    assert not isinstance(refused.value, (Forbidden, Conflict))
    assert refused.value.problems
    plan.refresh_from_db()
    assert (plan.tilstand, plan.fase_nr) == before


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_transition_from_another_state_is_a_conflict(plan, actors, name):
    wrong = next(code for code in lifecycle.STATE if code not in lifecycle.TRANSITION[name].sources)
    place(plan, wrong)
    with pytest.raises(Conflict):
        fire(plan, name, INPUTS.get(name), notify=False, acting_user=actors["medarbejder"])


@pytest.mark.parametrize("state", lifecycle.BEFORE_ACTIVE)
def test_a_plan_can_be_given_up_before_it_starts(plan, medarbejder, state):
    place(plan, state)
    assert (
        fire(plan, "opgiv", INPUTS["opgiv"], notify=False, acting_user=medarbejder).tilstand
        == lifecycle.OPGIVET
    )


@pytest.mark.parametrize(
    "state", [lifecycle.AKTIV, lifecycle.AFSLUTNING, lifecycle.AFSLUTTET, lifecycle.AFVIST]
)
def test_a_started_or_ended_plan_cannot_be_given_up(plan, medarbejder, state):
    place(plan, state)
    with pytest.raises(Conflict):
        fire(plan, "opgiv", INPUTS["opgiv"], notify=False, acting_user=medarbejder)


def test_a_stale_dialog_is_refused(plan, medarbejder):
    opened_at = plan.fase_nr
    fire(plan, "send_til_organisationsbestyrelsen", notify=False, acting_user=medarbejder)
    with pytest.raises(Conflict, match="flyttet"):
        fire(
            plan, "opgiv", INPUTS["opgiv"], expected_fase_nr=opened_at, notify=False, acting_user=medarbejder
        )
