from html import escape

from django import template
from django.utils.safestring import mark_safe

from config.web.lists import person_name, pk_address_parts
from indsatser.models import Aktivitetstype, Indsats, Kontaktperson

register = template.Library()

STATUS_BADGES = {
    Indsats.Status.FORSLAG: "",
    Indsats.Status.BEHANDLET: "badge-info",
    Indsats.Status.AKTIV: "badge-success",
    Indsats.Status.AFSLUTTET: "",
    Indsats.Status.OPGIVET: "badge-warning",
}
STATUS_LABELS = dict(Indsats.Status.choices)
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


def period_years(startdato, slutdato) -> str:
    """An indsats's years as a list shows them: "2025–2028", "2025–" without an end, "–" without a start."""
    if not startdato:
        return "–"
    return f"{startdato.year}–{slutdato.year if slutdato else ''}"


@register.simple_tag
def indsats_rows(rows) -> str:
    """The register's table rows, from the plain values of indsatser.queries.list_queryset. Written out in
    Python: as template nodes the 25 rows of a page were a third of the page's time. The HTML is what the
    template wrote, its line breaks and indentation included."""
    # One reverse for the page: the detail address of every row is this one with its own pk.
    before, after = pk_address_parts("indsats_detail")
    return mark_safe("".join(_indsats_row(row, before, after) for row in rows))  # noqa: S308 - escaped below


def _indsats_row(row: dict, before: str, after: str) -> str:
    """One <tr>; every text from the database goes through escape()."""
    ansvarlig = ""
    if person := row["ansvarlig_person"]:
        ansvarlig = f'<br><span class="app-muted">{escape(person_name(person))}</span>'
    status = row["status"]
    years = period_years(row["startdato"], row["slutdato"])
    periode = ""
    if row["periode_navn"] is not None:
        periode = f'<br><span class="app-muted">LBF {escape(row["periode_navn"])}</span>'
    labels = row["afdeling_labels"]
    afdelinger = ", ".join(escape(label) for label in labels[:3]) or "–"
    if len(labels) > 3:
        afdelinger += f" og {len(labels) - 3} flere"
    aims = "".join(
        f'<span class="indsatser-aim" title="{escape(aim["navn"])}">{aim["nummer"]}'
        f'<span class="sr-only"> {escape(aim["navn"])}</span></span>'
        for aim in row["aims"]
    )
    return (
        "\n      <tr>\n"
        f'        <td><a href="{before}{row["pk"]}{after}">{escape(row["titel"])}</a>{ansvarlig}</td>\n'
        f"        <td>{escape(row['type_navn'])}</td>\n"
        f'        <td><span class="badge {STATUS_BADGES.get(status, "")}">'
        f"{escape(STATUS_LABELS.get(status, status))}</span></td>\n"
        f"        <td>{years}{periode}</td>\n"
        f"        <td>{afdelinger}</td>\n"
        f"        <td>{aims or '–'}</td>\n"
        f'        <td class="app-num">{row["antal_aktiviteter"]}</td>\n'
        "      </tr>\n      "
    )


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
