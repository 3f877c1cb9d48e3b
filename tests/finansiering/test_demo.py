"""Demo budgets: realistic, exact, and seeding twice changes nothing."""

from datetime import date

import pytest
from django.db.models import Sum

from finansiering import actions as budget_actions
from finansiering import demo
from finansiering import queries as budget_queries
from finansiering.financing import indsats_finansiering
from finansiering.models import Budgetversion, Regnskabslinje
from indsatser.models import Indsats, Indsatstype
from tests.factories import IndsatsFactory

pytestmark = pytest.mark.django_db


def test_nothing_without_helhedsplaner_or_projects(db):
    assert demo.seed_budgets() == 0
    assert not Budgetversion.objects.exists()


def test_a_project_under_way_has_its_application_approved(medarbejder, own_afdeling):
    projekt = IndsatsFactory(
        titel="Tryghedspartnerskab",
        startdato=date(2024, 1, 1),
        slutdato=date(2027, 12, 31),
        status=Indsats.Status.AKTIV,
        afdelinger=[own_afdeling],
    )
    forslag = IndsatsFactory(
        titel="Nyt partnerskab",
        startdato=date(2027, 1, 1),
        slutdato=date(2028, 12, 31),
        afdelinger=[own_afdeling],
    )
    assert demo.seed_budgets() == 2
    assert demo.seed_budgets() == 0  # idempotent
    versions = list(projekt.budgetversioner.order_by("nummer"))
    assert [(v.fase, v.status) for v in versions] == [
        ("praekvalifikation", Budgetversion.Status.ERSTATTET),  # passed over by the application sent
        ("ansoegning", Budgetversion.Status.GODKENDT),
    ]
    assert (
        versions[1].linjer.aggregate(s=Sum("beloeb"))["s"]
        > versions[0].linjer.aggregate(s=Sum("beloeb"))["s"]
    )
    assert Regnskabslinje.objects.filter(indsats=projekt).exists()
    assert [p.navn for p in indsats_finansiering(projekt).parter][1] == "Fonden for Trygge Boligområder"
    assert [(v.fase, v.status) for v in forslag.budgetversioner.all()] == [("praekvalifikation", "udkast")]


def test_a_helhedsplans_budget_step_by_step(medarbejder, own_afdeling, second_afdeling, periode):
    """What the helhedsplan demo calls as its plan moves on: the estimate, the application, and after the
    funders' approval the regnskab."""
    plan = IndsatsFactory(
        titel="Boligsocial helhedsplan Bispebjerg/Nordvest 2022-26",
        type=Indsatstype.objects.get(kode=Indsatstype.HELHEDSPLAN),
        startdato=date(2022, 1, 1),
        slutdato=date(2025, 12, 31),
        periode=periode,
        afdelinger=[own_afdeling, second_afdeling],
    )
    demo.seed_estimate(plan, medarbejder)
    estimate = budget_actions.submit_budget(budget_queries.latest_version(plan), acting_user=medarbejder)
    budget_actions.create_draft_after_decision(
        plan, "ansoegning", "Prækvalificeret.", decision="Landsbyggefonden: godkendt", acting_user=medarbejder
    )
    demo.seed_application(plan, medarbejder)
    application = budget_actions.submit_budget(budget_queries.latest_version(plan), acting_user=medarbejder)
    assert application.linjer.aggregate(s=Sum("beloeb"))["s"] == 28_100_000
    assert application.linjer.count() == 4 * 4 * 5  # four years × four områder × five cost types
    budget_actions.approve_budget(application, acting_user=medarbejder)
    demo.seed_after_approval(plan, medarbejder)
    demo.seed_after_approval(plan, medarbejder)  # idempotent
    versions = list(plan.budgetversioner.order_by("nummer"))
    # Later changes to the approved budget are change requests (helhedsplaner's demo), not loose versions.
    assert [(v.nummer, v.status) for v in versions] == [(1, "besluttet"), (2, "godkendt")]
    assert versions[0] == estimate
    assert Regnskabslinje.objects.filter(indsats=plan).exists()
    fin = indsats_finansiering(plan, application)
    assert fin.advarsler == [] and sum(a.total for a in fin.afdelinger) == fin.afdelingspart.total
    assert fin.afdelingsgrundlag == "areal"
