"""The register (organisations, areas, afdelinger, board seats) and the screening built on it."""

from screening.models.assessment import Risikomodel, Risikotaerskel, Vurdering
from screening.models.indicators import Indikator, Maaling, Regelsaet, Screeningsrunde
from screening.models.jobs import Screeningsimport
from screening.models.official import OfficielListeplacering
from screening.models.register import (
    Afdeling,
    Bestyrelsesmedlem,
    Boligomraade,
    Boligorganisation,
    board_afdeling_ids,
    held_seat,
    other_digits,
)
from screening.models.results import Afdelingsresultat, Omraaderesultat, Scenarieresultat

__all__ = [
    "Afdeling",
    "Afdelingsresultat",
    "Bestyrelsesmedlem",
    "Boligomraade",
    "Boligorganisation",
    "Indikator",
    "Maaling",
    "OfficielListeplacering",
    "Omraaderesultat",
    "Regelsaet",
    "Risikomodel",
    "Risikotaerskel",
    "Scenarieresultat",
    "Screeningsimport",
    "Screeningsrunde",
    "Vurdering",
    "board_afdeling_ids",
    "held_seat",
    "other_digits",
]
