"""The register (organisations, areas, afdelinger, board seats) and the screening built on it."""

from screening.models.assessment import Risikomodel, Risikotaerskel, Vurdering
from screening.models.indicators import Indikator, Maaling, Regelsaet, Screeningsrunde
from screening.models.jobs import Screeningsimport
from screening.models.register import (
    Afdeling,
    Bestyrelsesmedlem,
    Boligomraade,
    Boligorganisation,
    board_afdeling_ids,
)

__all__ = [
    "Afdeling",
    "Bestyrelsesmedlem",
    "Boligomraade",
    "Boligorganisation",
    "Indikator",
    "Maaling",
    "Regelsaet",
    "Risikomodel",
    "Risikotaerskel",
    "Screeningsimport",
    "Screeningsrunde",
    "Vurdering",
    "board_afdeling_ids",
]
