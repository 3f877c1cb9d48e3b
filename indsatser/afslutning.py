"""When an indsats may be closed: the five criteria of fsb's afslutning and every activity's forankring.

The criteria are judged case by case, so a criterion may well be "not met"; what closing requires is that
each has been assessed with a real justification (MIN_WORDS words at least), that at least one of them is
met (each is a reason to end: with none met there is no reason to close, and the indsats carries on), and
that the indsats has activities, every one with a complete forankring decision (an activity of an indsats
that has started is never deleted, see indsatser/actions.py).
The helhedsplan lifecycle calls `mangler` as the guard of its own closing transition.
"""

import re
from collections.abc import Iterable

from django.utils import timezone

from indsatser.models import Afslutningsvurdering, Aktivitet, Indsats

# A justification is a few sentences a reader can follow, not a placeholder: at least this many words
# (runs of two or more letters; "." or "ok" is no justification).
MIN_WORDS = 5
WORD = re.compile(r"[^\W\d_]{2,}")


def too_short(begrundelse: str) -> bool:
    return len(WORD.findall(begrundelse)) < MIN_WORDS


def mangler(vurderinger: Iterable[Afslutningsvurdering], aktiviteter: Iterable[Aktivitet]) -> list[str]:
    """Danish reasons why the checklist is incomplete, from already loaded assessments and activities."""
    by_kriterium = {v.kriterium: v for v in vurderinger}
    aktiviteter = list(aktiviteter)
    reasons = []
    for kriterium in Afslutningsvurdering.Kriterium:
        vurdering = by_kriterium.get(kriterium.value)
        if vurdering is None or vurdering.opfyldt is None:
            reasons.append(f"Kriteriet »{kriterium.label}« er ikke vurderet.")
        elif not vurdering.begrundelse.strip():
            reasons.append(f"Kriteriet »{kriterium.label}« mangler en begrundelse.")
        elif too_short(vurdering.begrundelse):
            reasons.append(
                f"Begrundelsen for kriteriet »{kriterium.label}« er for kort: skriv mindst {MIN_WORDS} ord."
            )
    assessed = [by_kriterium.get(k.value) for k in Afslutningsvurdering.Kriterium]
    if all(v is not None and v.opfyldt is False for v in assessed):
        reasons.append(
            "Ingen af de fem kriterier er opfyldt, så der er ingen grund til at afslutte efter fsb's "
            "kriterier. Fortsæt indsatsen, eller vurdér kriterierne igen."
        )
    if not aktiviteter:
        reasons.append(
            "Indsatsen har ingen aktiviteter: en afslutning viser, hvordan hver aktivitet er forankret."
        )
    for aktivitet in aktiviteter:
        problem = aktivitet.forankring_mangler
        if problem:
            reasons.append(f"Aktiviteten »{aktivitet.navn}« {problem}.")
    return reasons


def afslutning_mangler(indsats: Indsats) -> list[str]:
    """Danish reasons why the indsats cannot be closed yet; an empty list means it can be closed.

    Uses the assessments and activities already prefetched on `indsats` (a page that shows them pays no
    extra queries); otherwise it loads them.
    """
    prefetched = getattr(indsats, "_prefetched_objects_cache", {})
    vurderinger = prefetched.get("afslutningsvurderinger", indsats.afslutningsvurderinger.all())
    aktiviteter = prefetched.get("aktiviteter", indsats.aktiviteter.select_related("aktivitetstype"))
    return mangler(vurderinger, aktiviteter)


def record_afslutning(indsats: Indsats, user) -> None:
    """Note who closed the indsats and when (the caller saves it, inside its own transaction)."""
    indsats.afsluttet_af = user
    indsats.afsluttet_tidspunkt = timezone.now()
