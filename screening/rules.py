"""Who may do what with afdelinger: the permission vocabulary used by views, templates and admin."""

import rules

from config.web import roles
from screening.models import board_afdeling_ids


@rules.predicate
def is_medarbejder(user):
    return roles.is_medarbejder(user)


@rules.predicate
def is_sekretariat(user):
    return roles.is_sekretariat(user)


@rules.predicate
def is_administrator(user):
    return roles.is_administrator(user)


@rules.predicate
def sees_all_afdelinger(user):
    return roles.sees_all_afdelinger(user)


@rules.predicate
def is_board_member_of_afdeling(user, afdeling):
    return afdeling is not None and user.is_authenticated and afdeling.pk in board_afdeling_ids(user)


rules.add_perm("screening.view_afdeling", sees_all_afdelinger | is_board_member_of_afdeling)
rules.add_perm("screening.add_afdeling", is_medarbejder)
rules.add_perm("screening.change_afdeling", is_medarbejder)
rules.add_perm("screening.import_afdelinger", is_medarbejder)
# Who sits on an afdeling's board is staff's to keep; board members and the secretariat read it.
rules.add_perm("screening.manage_bestyrelse", is_medarbejder)

# The screening: staff import figures, close rounds and decide on the suggested indsats; everyone else
# reads what their afdelinger allow (the querysets' visible_to does the filtering).
rules.add_perm("screening.import_screening", is_medarbejder)
rules.add_perm("screening.import_officiel_liste", is_medarbejder)
rules.add_perm("screening.finalize_screeningsrunde", is_medarbejder)
rules.add_perm("screening.reopen_screeningsrunde", is_medarbejder)
rules.add_perm("screening.decide_vurdering", is_medarbejder)

# Rule scenarios (a round computed under another rule set) are a tool for staff and the secretariat, who see
# every area; a board member sees the official classification only.
rules.add_perm("screening.view_scenarie", sees_all_afdelinger)
