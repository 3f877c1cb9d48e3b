"""The finansiering app's models: budgets and the fordelingsnøgle (budget.py), the regnskab (regnskab.py).

The money maths lives in allocation.py; actions.py holds every change that has rules.
"""

from finansiering.models.budget import (
    AftaltAfdelingsandel,
    Budgetlinje,
    Budgetversion,
    BudgetversionQuerySet,
    Finansieringspart,
    Fordelingsnoegle,
    Kommuneanvendelse,
    Omkostningstype,
)
from finansiering.models.regnskab import Regnskabslinje

__all__ = [
    "AftaltAfdelingsandel",
    "Budgetlinje",
    "Budgetversion",
    "BudgetversionQuerySet",
    "Finansieringspart",
    "Fordelingsnoegle",
    "Kommuneanvendelse",
    "Omkostningstype",
    "Regnskabslinje",
]
