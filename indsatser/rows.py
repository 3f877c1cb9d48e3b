"""The indsats register's table rows, written with format_html from plain values.

The register shows 25 rows a page, and as template nodes they cost more than the rest of the page's work
(README, benchmark notes). The HTML is exactly what its template twin in tests/ gives, line breaks and
indentation included, and every value goes through format_html's escaping.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from config.web.formatting import afdeling_labels
from config.web.lists import person_name, pk_address_parts
from indsatser.models import Indsats

STATUS_BADGES = {
    Indsats.Status.FORSLAG: "",
    Indsats.Status.BEHANDLET: "badge-info",
    Indsats.Status.AKTIV: "badge-success",
    Indsats.Status.AFSLUTTET: "",
    Indsats.Status.OPGIVET: "badge-warning",
}
STATUS_LABELS = dict(Indsats.Status.choices)
SHOWN_AFDELINGER = 3

INDSATS_ROW = (
    "\n      <tr>\n"
    '        <td><a href="{}{}{}">{}</a>{}</td>\n'
    "        <td>{}</td>\n"
    '        <td><span class="badge {}">{}</span></td>\n'
    "        <td>{}{}</td>\n"
    "        <td>{}</td>\n"
    "        <td>{}</td>\n"
    '        <td class="app-num">{}</td>\n'
    "      </tr>\n      "
)


def period_years(startdato, slutdato) -> str:
    """An indsats's years as a list shows them: "2025–2028", "2025–" without an end, "–" without a start."""
    if not startdato:
        return "–"
    return f"{startdato.year}–{slutdato.year if slutdato else ''}"


def indsats_rows(rows) -> SafeString:
    """The register's rows, from the plain values of indsatser.queries.list_queryset."""
    before, after = pk_address_parts("indsats_detail")
    return format_html_join("", "{}", ((_indsats_row(row, before, after),) for row in rows))


def _indsats_row(row: dict, before: str, after: str) -> SafeString:
    ansvarlig = ""
    if person := row["ansvarlig_person"]:
        ansvarlig = format_html('<br><span class="app-muted">{}</span>', person_name(person))
    periode = ""
    if row["periode_navn"] is not None:
        periode = format_html('<br><span class="app-muted">LBF {}</span>', row["periode_navn"])
    labels = row["afdeling_labels"]
    afdelinger = afdeling_labels(labels[:SHOWN_AFDELINGER])
    if len(labels) > SHOWN_AFDELINGER:
        afdelinger = format_html("{} og {} flere", afdelinger, len(labels) - SHOWN_AFDELINGER)
    aims = format_html_join(
        "",
        '<span class="indsatser-aim" title="{}">{}<span class="sr-only"> {}</span></span>',
        ((aim["navn"], aim["nummer"], aim["navn"]) for aim in row["aims"]),
    )
    status = row["status"]
    return format_html(
        INDSATS_ROW,
        before,
        row["pk"],
        after,
        row["titel"],
        ansvarlig,
        row["type_navn"],
        STATUS_BADGES.get(status, ""),
        row["fase"] or STATUS_LABELS.get(status, status),
        period_years(row["startdato"], row["slutdato"]),
        periode,
        afdelinger,
        aims or "–",
        row["antal_aktiviteter"],
    )
