"""Who may order application packs: staff and the secretariat. Downloading follows who may see the plan."""

import rules

from screening.rules import is_medarbejder, is_sekretariat

rules.add_perm("helhedsplaner.add_pakke", is_medarbejder | is_sekretariat)
