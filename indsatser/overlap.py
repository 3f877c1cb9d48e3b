"""An afdeling in two helhedsplaner at once: refused unless staff confirm it with a reason.

A helhedsplan that is being prepared or runs (not closed, abandoned or refused) covers its afdelinger for
its period (the planned one until it starts). Wherever a helhedsplan's afdelinger or period are set (the
plan's forms, the register, the approval's dates), the service asks `confirmed_overlap` first: it raises
OverlapNotConfirmed listing the other plans, or returns the note the caller writes on the timeline. A reason
is a few words a reader can follow (indsatser.afslutning.too_short), as the closing criteria's are.
"""

from dataclasses import dataclass
from datetime import date

from config.web.formatting import numeric_date
from indsatser.afslutning import MIN_WORDS, too_short
from indsatser.models import Indsats, Indsatstype

# IndsatsHaendelse.overgang of a confirmed overlap saved through the register (the status stays as it was).
CONFIRMED = "overlap_bekraeftet"
CONFIRMED_LABEL = "Overlap med en anden helhedsplan bekræftet"

# Indsats.status of a helhedsplan that still covers its afdelinger (the plan's lifecycle keeps it in step).
LIVE = (Indsats.Status.FORSLAG, Indsats.Status.BEHANDLET, Indsats.Status.AKTIV)


@dataclass(frozen=True)
class Overlap:
    indsats: Indsats
    afdelinger: tuple

    def __str__(self):
        names = ", ".join(str(afdeling) for afdeling in self.afdelinger)
        start, slut = self.indsats.startdato, self.indsats.slutdato
        return f"{names} er også med i «{self.indsats.titel}» ({numeric_date(start)}–{numeric_date(slut)})."


REASON_TOO_SHORT = f"Begrundelsen for overlappet er for kort: skriv mindst {MIN_WORDS} ord."


class OverlapNotConfirmed(Exception):
    """The afdelinger are in another helhedsplan in the same period, and no reason (or one too short to be
    a reason) confirms it. .problems are Danish sentences."""

    def __init__(self, overlaps, *, reason_too_short=False):
        self.overlaps = overlaps
        self.problems = [
            *(str(overlap) for overlap in overlaps),
            REASON_TOO_SHORT
            if reason_too_short
            else "En afdeling kan kun være med i to helhedsplaner med overlappende perioder, hvis I "
            "bekræfter det med en begrundelse.",
        ]
        super().__init__(" ".join(self.problems))


def overlaps(afdelinger, start: date | None, slut: date | None, *, exclude=None) -> list[Overlap]:
    """The other live helhedsplaner sharing any of `afdelinger` in a period overlapping start–slut."""
    chosen = {afdeling.pk for afdeling in afdelinger}
    if not chosen or start is None or slut is None:
        return []
    others = (
        Indsats.objects.filter(
            type__kode=Indsatstype.HELHEDSPLAN,
            status__in=LIVE,
            afdelinger__in=chosen,
            startdato__lte=slut,
            slutdato__gte=start,
        )
        .exclude(pk=getattr(exclude, "pk", None))
        .distinct()
        .order_by("startdato", "titel")
        .prefetch_related("afdelinger")
    )
    return [
        Overlap(other, tuple(sorted((a for a in other.afdelinger.all() if a.pk in chosen), key=str)))
        for other in others
    ]


def confirmed_overlap(afdelinger, start, slut, begrundelse: str, *, exclude=None) -> str:
    """'' when the helhedsplan shares no afdeling with another in its period; the timeline's note when it
    does and `begrundelse` confirms it; OverlapNotConfirmed when it does and nothing confirms it."""
    found = overlaps(afdelinger, start, slut, exclude=exclude)
    if not found:
        return ""
    begrundelse = (begrundelse or "").strip()
    if not begrundelse:
        raise OverlapNotConfirmed(found)
    if too_short(begrundelse):  # "." is no reason
        raise OverlapNotConfirmed(found, reason_too_short=True)
    listed = " ".join(str(overlap) for overlap in found)
    return f"{CONFIRMED_LABEL}: {listed} Begrundelse: {begrundelse}"
