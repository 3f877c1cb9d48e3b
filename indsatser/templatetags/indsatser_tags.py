from django import template

from indsatser import rows
from indsatser.models import Aktivitetstype, Indsats, Kontaktperson
from indsatser.rows import STATUS_BADGES

register = template.Library()

EVIDENS_BADGES = {
    Aktivitetstype.Evidens.DOKUMENTERET: "badge-success",
    Aktivitetstype.Evidens.LOVENDE: "badge-info",
    Aktivitetstype.Evidens.AFPROEVNING: "",
}


@register.filter
def status_badge(status: str) -> str:
    return STATUS_BADGES.get(status, "")


@register.filter
def evidens_badge(evidens: str) -> str:
    return EVIDENS_BADGES.get(evidens, "")


@register.filter
def evidens_label(evidens: str) -> str:
    """An evidence level's name, as Aktivitetstype.get_evidens_display(), for rows read as plain values."""
    return Aktivitetstype.Evidens(evidens).label


register.simple_tag(rows.indsats_rows)


@register.simple_tag
def afdeling_indsatser(afdeling, user):
    """The indsatser touching one afdeling that the user may see, and its current contact person.

    For the afdeling page; two queries whatever the number of indsatser.
    """
    indsatser = (
        Indsats.objects.visible_to(user)
        .filter(afdelinger=afdeling)
        .select_related("type")
        .order_by("-startdato", "titel")
    )
    may_see_contact = user.has_perm("indsatser.view_kontaktperson", afdeling)
    kontaktperson = (
        Kontaktperson.objects.current().filter(afdeling=afdeling).first() if may_see_contact else None
    )
    return {"indsatser": list(indsatser), "kontaktperson": kontaktperson, "may_see_contact": may_see_contact}
