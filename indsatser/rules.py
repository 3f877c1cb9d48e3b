"""Who may do what in the indsats register: the vocabulary used by views, templates and the admin.

Staff edit; the secretariat reads everything; a board member reads what touches their own afdelinger.
"""

import rules

from screening.models import board_afdeling_ids
from screening.rules import is_board_member_of_afdeling, is_medarbejder, sees_all_afdelinger


@rules.predicate
def touches_own_afdeling(user, indsats):
    if indsats is None or not user.is_authenticated:
        return False
    return bool(board_afdeling_ids(user) & {afdeling.pk for afdeling in indsats.afdelinger.all()})


rules.add_perm("indsatser.view_indsats", sees_all_afdelinger | touches_own_afdeling)
rules.add_perm("indsatser.add_indsats", is_medarbejder)
rules.add_perm("indsatser.change_indsats", is_medarbejder)
rules.add_perm("indsatser.view_kontaktperson", sees_all_afdelinger | is_board_member_of_afdeling)
rules.add_perm("indsatser.change_kontaktperson", is_medarbejder)
rules.add_perm("indsatser.add_partner", is_medarbejder)
