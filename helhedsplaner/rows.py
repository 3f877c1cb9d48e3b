"""The plan list's and the pack export's table rows, written with format_html from plain values.

The plan list and the pack export show 25 rows a page, and as template nodes those rows cost more than the
rest of the page's work (README, benchmark notes). Each writer gives exactly the HTML its template twin in
tests/ gives (line breaks and indentation included), and every value goes through format_html's escaping.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from config.web.formatting import afdeling_labels, long_date, month_and_year, numeric_date
from config.web.lists import person_name, pk_address_parts
from helhedsplaner.lifecycle import STATE
from indsatser.rows import period_years

PLAN_ROW = (
    "\n    <tr>\n"
    '      <td><a href="{}{}{}">{}</a></td>\n'
    '      <td><span class="helhedsplan-state helhedsplan-state--{}">{}</span>'
    '<br><span class="app-muted">siden {}</span></td>\n'
    "      <td>{}</td>\n"
    "      <td>{}</td>\n"
    "      <td>{}</td>\n"
    "    </tr>\n    "
)
SELECTED = mark_safe(' class="table-row-selected"')
CHECKED = mark_safe(" checked")
NOT_PACKED = mark_safe('<span class="app-muted">Ingen: laves ved eksporten</span>')
EXPORT_PLAN_ROW = (
    "\n      \n      "
    "<tr{row_class}>\n"
    "        <td>\n"
    '          <div class="form-group-checkbox">\n'
    '            <input class="form-checkbox" type="checkbox" name="planer" value="{pk}" id="plan-{pk}"'
    "{checked}>\n"
    '            <label for="plan-{pk}"><span class="sr-only">Vælg {titel}</span></label>\n'
    "          </div>\n"
    "        </td>\n"
    '        <td><a href="{before}{pk}{after}">{titel}</a></td>\n'
    '        <td class="pakkeeksport-afdelinger">{afdelinger}</td>\n'
    '        <td><span class="helhedsplan-state helhedsplan-state--{tilstand}">{tilstand_label}</span></td>\n'
    '        <td class="app-nowrap">{start}</td>\n'
    "        <td>{latest}</td>\n"
    "      </tr>\n      \n      "
)


def plan_rows(rows) -> SafeString:
    """The plan list's rows, from the plain values of helhedsplaner.list_rows.plan_rows."""
    before, after = pk_address_parts("plan_detail")
    return format_html_join(
        "",
        PLAN_ROW,
        (
            (
                before,
                row["pk"],
                after,
                row["titel"],
                row["tilstand"],
                STATE[row["tilstand"]].label,
                # As the template's |date: a time is shown in local time.
                numeric_date(template_localtime(row["tilstand_siden"])),
                afdeling_labels(row["afdeling_labels"]),
                period_years(row["startdato"], row["slutdato"]),
                person_name(row["ansvarlig_person"]) if row["ansvarlig_person"] else "–",
            )
            for row in rows
        ),
    )


def export_plan_rows(rows, chosen: set[str]) -> SafeString:
    """The pack export's table of plans, from the plain values of helhedsplaner.packs.exports.choosable_plans,
    each with its checkbox (ticked where its pk is in `chosen`)."""
    before, after = pk_address_parts("plan_detail")
    return format_html_join("", "{}", ((_export_plan_row(row, chosen, before, after),) for row in rows))


def _export_plan_row(row: dict, chosen: set[str], before: str, after: str) -> SafeString:
    selected = str(row["pk"]) in chosen
    afdelinger = format_html_join(
        ", ",
        '<abbr class="app-nowrap" title="{}">{}</abbr>',
        ((a["navn"], a["nummer"]) for a in row["afdelinger"]),
    )
    latest = NOT_PACKED
    if row["seneste_pakke"]:
        latest = long_date(template_localtime(row["seneste_pakke"]))
    return format_html(
        EXPORT_PLAN_ROW,
        row_class=SELECTED if selected else "",
        pk=row["pk"],
        checked=CHECKED if selected else "",
        titel=row["titel"],
        before=before,
        after=after,
        afdelinger=afdelinger or "–",
        tilstand=row["tilstand"],
        tilstand_label=STATE[row["tilstand"]].label,
        start=month_and_year(row["planlagt_start"]) if row["planlagt_start"] else "–",
        latest=latest,
    )
