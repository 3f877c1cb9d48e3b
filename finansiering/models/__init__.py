"""The finansiering app's models: budgets and the fordelingsnøgle (budget.py), the regnskab (regnskab.py), the
funders' payments (udbetaling.py).

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
from finansiering.models.udbetaling import ForventetUdbetaling, ModtagetUdbetaling, Udbetalingspart

__all__ = [
    "AftaltAfdelingsandel",
    "Budgetlinje",
    "Budgetversion",
    "BudgetversionQuerySet",
    "Finansieringspart",
    "Fordelingsnoegle",
    "ForventetUdbetaling",
    "Kommuneanvendelse",
    "ModtagetUdbetaling",
    "Omkostningstype",
    "Regnskabslinje",
    "Udbetalingspart",
]
