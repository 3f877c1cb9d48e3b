"""Who may do what with budgets, the fordelingsnøgle and the regnskab (the object is the indsats).

Staff edit; the secretariat reads everything; a board member reads the budgets of indsatser touching
their own afdelinger (the views answer 404 for any other indsats) and can change nothing (403).
"""

import rules

from screening.models import board_afdeling_ids
from screening.rules import is_medarbejder, sees_all_afdelinger


@rules.predicate
def touches_own_afdeling(user, indsats):
    if indsats is None or not user.is_authenticated:
        return False
    return bool(board_afdeling_ids(user) & set(indsats.afdelinger.values_list("pk", flat=True)))


rules.add_perm("finansiering.view_budget", sees_all_afdelinger | touches_own_afdeling)
rules.add_perm("finansiering.change_budget", is_medarbejder)
rules.add_perm("finansiering.change_fordelingsnoegle", is_medarbejder)
rules.add_perm("finansiering.change_regnskab", is_medarbejder)
rules.add_perm("finansiering.change_udbetaling", is_medarbejder)
