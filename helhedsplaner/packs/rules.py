"""Who may order application packs: staff and the secretariat. Downloading follows who may see the plan.

Exporting packs of many plans at once (and downloading those exports) is for the same two roles only:
board members never, whatever their afdelinger.
"""

import rules

from screening.rules import is_medarbejder, is_sekretariat

rules.add_perm("helhedsplaner.add_pakke", is_medarbejder | is_sekretariat)
rules.add_perm("helhedsplaner.export_pakker", is_medarbejder | is_sekretariat)
