"""The indsats register: reference data, every intervention, its activities, goals and closing."""

from indsatser.models.afslutning import Afslutningsvurdering
from indsatser.models.aktivitet import Aktivitet, Aktivitetstype, Deltagertal
from indsatser.models.indsats import Indsats, IndsatsHaendelse
from indsatser.models.kontaktperson import Kontaktperson
from indsatser.models.maalopfoelgning import Indikator, Indikatortal, Maalsaetning, Maaltal
from indsatser.models.reference import (
    Bymaal,
    Finansieringsperiode,
    Indsatsomraade,
    Indsatstype,
    Maal,
    Maalgruppe,
    Partner,
    Partnertype,
)

__all__ = [
    "Afslutningsvurdering",
    "Aktivitet",
    "Aktivitetstype",
    "Bymaal",
    "Deltagertal",
    "Finansieringsperiode",
    "Indikator",
    "Indikatortal",
    "Indsats",
    "IndsatsHaendelse",
    "Indsatsomraade",
    "Indsatstype",
    "Kontaktperson",
    "Maal",
    "Maalgruppe",
    "Maalsaetning",
    "Maaltal",
    "Partner",
    "Partnertype",
]
