"""The helhedsplaner app's models: the plan and its records (helhedsplan.py), changes to an approved plan
(aendring.py), the active years (aarscyklus.py), and the application packs and their exports (pakke.py,
pakkeeksport.py)."""

from helhedsplaner.models.aarscyklus import (
    Aarsstatus,
    Afvigelsesforklaring,
    Milepael,
    Rapporteringsforpligtelse,
    Rapporteringstype,
    RapportUdbetaling,
    Reguleringspost,
)
from helhedsplaner.models.aendring import Aendringsanmodning, Aendringsbeslutning
from helhedsplaner.models.frister import Fristpaamindelse, Levering, Notifikationsart, Notifikationsvalg
from helhedsplaner.models.helhedsplan import (
    SECTION_LABELS,
    SECTIONS,
    TEXT_SECTIONS,
    Afdelingsmoede,
    Besked,
    Beslutning,
    Betingelse,
    Bilag,
    Haendelse,
    Helhedsplan,
    HelhedsplanQuerySet,
    Kommentar,
    KommentarQuerySet,
    Organisationsmedlem,
    Paamindelseskoersel,
    upload_path,
)
from helhedsplaner.models.pakke import Pakke, pack_path
from helhedsplaner.models.pakkeeksport import Pakkeeksport, export_path

__all__ = [
    "SECTION_LABELS",
    "SECTIONS",
    "TEXT_SECTIONS",
    "Aarsstatus",
    "Aendringsanmodning",
    "Aendringsbeslutning",
    "Afdelingsmoede",
    "Afvigelsesforklaring",
    "Besked",
    "Beslutning",
    "Betingelse",
    "Bilag",
    "Haendelse",
    "Fristpaamindelse",
    "Helhedsplan",
    "HelhedsplanQuerySet",
    "Kommentar",
    "Levering",
    "Milepael",
    "Notifikationsart",
    "Notifikationsvalg",
    "KommentarQuerySet",
    "Organisationsmedlem",
    "Paamindelseskoersel",
    "Pakke",
    "Pakkeeksport",
    "RapportUdbetaling",
    "Rapporteringsforpligtelse",
    "Rapporteringstype",
    "Reguleringspost",
    "export_path",
    "pack_path",
    "upload_path",
]
