"""An indsats's money read together (a helhedsplan's Økonomi tab): the budget in force, its split per party
and per afdeling, its totals per indsatsområde and year, and the regnskab held against it."""

from dataclasses import dataclass

from finansiering.financing import Finansiering, indsats_finansiering
from finansiering.models import Budgetversion
from finansiering.queries import budget_in_force
from finansiering.tables import Grid, budget_and_regnskab_grids, variance_table
from indsatser.models import Indsats


@dataclass
class Economy:
    version: Budgetversion | None
    finansiering: Finansiering
    budget: Grid | None
    regnskab: Grid
    # Budget against regnskab per line and year (tables.variance_table); None without a budget.
    variance: dict | None


def indsats_economy(indsats: Indsats) -> Economy:
    version = budget_in_force(indsats)
    finansiering = indsats_finansiering(indsats, version)
    budget, regnskab = budget_and_regnskab_grids(version, indsats)
    variance = variance_table(budget, regnskab, finansiering.afvigelsesgraense) if budget else None
    return Economy(version, finansiering, budget, regnskab, variance)
