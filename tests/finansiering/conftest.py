"""Fixtures for the finansiering tests: a four-year helhedsplan touching the board member's afdeling."""

from datetime import date
from decimal import Decimal

import pytest

from finansiering import actions as budget_actions
from finansiering.models import Omkostningstype
from indsatser.models import Finansieringsperiode, Indsatstype
from tests.factories import AfdelingFactory, IndsatsFactory


@pytest.fixture
def periode(db):
    return Finansieringsperiode.objects.get(navn="2019-26")


@pytest.fixture
def omraader(periode):
    return list(periode.indsatsomraader.order_by("sortering"))


@pytest.fixture
def typer(db):
    return {t.kode: t for t in Omkostningstype.objects.all()}


@pytest.fixture
def second_afdeling(db):
    return AfdelingFactory(navn="Anden Afdeling", lejemaal=600, areal_m2=Decimal("45000.00"))


@pytest.fixture
def indsats(own_afdeling, second_afdeling, periode):
    """A helhedsplan 2025-2028 in the board member's own afdeling (200 lejemål) and another (600)."""
    indsats = IndsatsFactory(
        titel="Helhedsplan Testparken",
        type=Indsatstype.objects.get(kode=Indsatstype.HELHEDSPLAN),
        startdato=date(2025, 1, 1),
        slutdato=date(2028, 12, 31),
        periode=periode,
        afdelinger=[own_afdeling, second_afdeling],
    )
    return indsats


@pytest.fixture
def foreign_indsats(foreign_afdeling, periode):
    return IndsatsFactory(
        titel="Fremmed Plan",
        startdato=date(2025, 1, 1),
        slutdato=date(2026, 12, 31),
        periode=periode,
        afdelinger=[foreign_afdeling],
    )


@pytest.fixture
def version(indsats, medarbejder, omraader, typer):
    """Version 1 with two lines: løn 2025 and aktiviteter 2026 in the first område."""
    version = budget_actions.create_version(indsats, "praekvalifikation", acting_user=medarbejder)
    budget_actions.save_budget_line(
        version,
        2025,
        omraader[0],
        typer["loen"],
        Decimal("1000000.00"),
        "Projektleder",
        acting_user=medarbejder,
    )
    budget_actions.save_budget_line(
        version, 2026, omraader[0], typer["aktiviteter"], Decimal("250000.50"), acting_user=medarbejder
    )
    return version


@pytest.fixture
def ten_million(indsats, medarbejder, omraader, typer):
    """A budget of exactly 10,000,000.00 kr. whose years each hold a tied øre for the kommune and the
    afdelinger when split on their own (12.5 % of 2,500,000.04 and of 2,499,999.96 ends in half an øre)."""
    version = budget_actions.create_version(indsats, "praekvalifikation", acting_user=medarbejder)
    years = {2025: "2500000.04", 2026: "2500000.00", 2027: "2500000.00", 2028: "2499999.96"}
    for year, amount in years.items():
        budget_actions.save_budget_line(
            version, year, omraader[0], typer["loen"], Decimal(amount), acting_user=medarbejder
        )
    return version


def approve(version, user):
    """What the helhedsplan lifecycle does: submit the version with the application, then the funders
    approve it."""
    return budget_actions.approve_budget(
        budget_actions.submit_budget(version, acting_user=user), grounds="LBF og KK", acting_user=user
    )
