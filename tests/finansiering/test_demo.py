"""Demo budgets: realistic, exact, and seeding twice changes nothing."""

from datetime import date

import pytest
from django.db.models import Sum

from finansiering import demo
from finansiering.financing import indsats_finansiering
from finansiering.models import Budgetversion, Regnskabslinje
from indsatser.models import Indsats, Indsatstype
from tests.factories import IndsatsFactory

pytestmark = pytest.mark.django_db


def test_nothing_without_helhedsplaner_or_projects(db):
    assert demo.seed_budgets() == 0
    assert not Budgetversion.objects.exists()


def test_budgets_versions_and_actuals(medarbejder, own_afdeling, second_afdeling, periode):
    plan = IndsatsFactory(
        titel="Boligsocial helhedsplan Bispebjerg/Nordvest 2022-26",
        type=Indsatstype.objects.get(kode=Indsatstype.HELHEDSPLAN),
        startdato=date(2022, 1, 1),
        slutdato=date(2025, 12, 31),
        periode=periode,
        status=Indsats.Status.AKTIV,
        afdelinger=[own_afdeling, second_afdeling],
    )
    projekt = IndsatsFactory(
        titel="Tryghedspartnerskab",
        startdato=date(2026, 1, 1),
        slutdato=date(2027, 12, 31),
        afdelinger=[own_afdeling],
    )
    assert demo.seed_budgets() == 2
    assert demo.seed_budgets() == 0  # idempotent
    versions = list(plan.budgetversioner.order_by("nummer"))
    assert [(v.fase, v.laast) for v in versions] == [
        ("praekvalifikation", False),
        ("godkendt", True),
        ("ansoegning", False),
    ]
    assert versions[1].linjer.aggregate(s=Sum("beloeb"))["s"] == 28_100_000
    assert versions[2].begrundelse and versions[2].linjer.aggregate(s=Sum("beloeb"))["s"] == 28_100_000
    assert versions[1].linjer.count() == 4 * 4 * 5  # four years × four områder × five cost types
    assert Regnskabslinje.objects.filter(indsats=plan).exists()
    fin = indsats_finansiering(plan, versions[1])
    assert fin.advarsler == [] and sum(a.total for a in fin.afdelinger) == fin.afdelingspart.total
    assert fin.afdelingsgrundlag == "areal"
    assert [v.fase for v in projekt.budgetversioner.all()] == ["praekvalifikation"]
    assert [p.navn for p in indsats_finansiering(projekt).parter][1] == "Fonden for Trygge Boligområder"
