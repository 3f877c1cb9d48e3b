"""When an indsats may be closed: the five criteria of fsb's afslutning and every activity's forankring.

The criteria are judged case by case, so a criterion may well be "not met"; what closing requires is that
each has been assessed with a justification, and that every activity has a complete forankring decision.
The helhedsplan lifecycle calls `afslutning_mangler` as the guard of its own closing transition.
"""

from collections.abc import Iterable

from django.utils import timezone

from indsatser.models import Afslutningsvurdering, Aktivitet, Indsats


def mangler(vurderinger: Iterable[Afslutningsvurdering], aktiviteter: Iterable[Aktivitet]) -> list[str]:
    """Danish reasons why the checklist is incomplete, from already loaded assessments and activities."""
    by_kriterium = {v.kriterium: v for v in vurderinger}
    reasons = []
    for kriterium in Afslutningsvurdering.Kriterium:
        vurdering = by_kriterium.get(kriterium.value)
        if vurdering is None or vurdering.opfyldt is None:
            reasons.append(f"Kriteriet »{kriterium.label}« er ikke vurderet.")
        elif not vurdering.begrundelse.strip():
            reasons.append(f"Kriteriet »{kriterium.label}« mangler en begrundelse.")
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
