from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import template_localtime

from config.web.lists import person_name, pk_address_parts
from helhedsplaner.lifecycle import STATE
from indsatser.rows import period_years
from screening.templatetags.danish_dates import date

register = template.Library()


@register.simple_tag
def plan_rows(rows) -> SafeString:
    """The plan list's table rows, from the plain values of helhedsplaner.list_rows.plan_rows. Written out
    in Python: as template nodes the 25 rows of a page were most of the page's template time. The HTML is
    what the template wrote, its line breaks and indentation included."""
    # One reverse for the page: the address of every row is this one with its own pk.
    before, after = pk_address_parts("plan_detail")
    return mark_safe("".join(_plan_row(row, before, after) for row in rows))  # noqa: S308 - escaped below


def _plan_row(row: dict, before: str, after: str) -> str:
    """One <tr>; every text from the database goes through escape()."""
    tilstand = row["tilstand"]
    # The template's {{ plan.tilstand_siden|date:"d.m.Y" }}: the filter is given the time in local time.
    siden = escape(date(template_localtime(row["tilstand_siden"]), "d.m.Y"))
    afdelinger = ", ".join(escape(label) for label in row["afdeling_labels"] or ()) or "–"
    years = period_years(row["startdato"], row["slutdato"])
    ansvarlig = "–"
    if person := row["ansvarlig_person"]:
        ansvarlig = escape(person_name(person))
    return (
        "\n    <tr>\n"
        f'      <td><a href="{before}{row["pk"]}{after}">{escape(row["titel"])}</a></td>\n'
        f'      <td><span class="helhedsplan-state helhedsplan-state--{escape(tilstand)}">'
        f"{escape(STATE[tilstand].label)}</span>"
        f'<br><span class="app-muted">siden {siden}</span></td>\n'
        f"      <td>{afdelinger}</td>\n"
        f"      <td>{years}</td>\n"
        f"      <td>{ansvarlig}</td>\n"
        "    </tr>\n    "
    )


@register.simple_tag
def export_plan_rows(rows, chosen: set[str]) -> SafeString:
    """The rows of the pack export's table of plans, from the plain values of
    helhedsplaner.packs.exports.choosable_plans, each with its checkbox (ticked where its pk is in `chosen`).
    Written out in Python, as the plan list's rows are: the page lists every plan matching the filters.
    The HTML is what the template wrote."""
    before, after = pk_address_parts("plan_detail")
    return mark_safe("".join(_export_plan_row(row, chosen, before, after) for row in rows))  # noqa: S308


def _export_plan_row(row: dict, chosen: set[str], before: str, after: str) -> str:
    """One <tr>; every text from the database goes through escape()."""
    pk, titel, tilstand = row["pk"], escape(row["titel"]), row["tilstand"]
    selected = str(pk) in chosen
    row_class = ' class="table-row-selected"' if selected else ""
    checked = " checked" if selected else ""
    afdelinger = (
        ", ".join(
            f'<abbr title="{escape(afdeling["navn"])}">{escape(afdeling["nummer"])}</abbr>'
            for afdeling in row["afdelinger"]
        )
        or "–"
    )
    start = escape(date(row["planlagt_start"], "F Y")) if row["planlagt_start"] else "–"
    if row["seneste_pakke"]:
        # The template's {{ plan.seneste_pakke|date:"j. F Y" }}: the filter is given the time in local time.
        latest = escape(date(template_localtime(row["seneste_pakke"]), "j. F Y"))
    else:
        latest = '<span class="app-muted">Ingen: laves ved eksporten</span>'
    return (
        "\n      \n      "
        f"<tr{row_class}>\n"
        "        <td>\n"
        '          <div class="form-group-checkbox">\n'
        f'            <input class="form-checkbox" type="checkbox" name="planer" value="{pk}" id="plan-{pk}"'
        f"{checked}>\n"
        f'            <label for="plan-{pk}"><span class="sr-only">Vælg {titel}</span></label>\n'
        "          </div>\n"
        "        </td>\n"
        f'        <td><a href="{before}{pk}{after}">{titel}</a></td>\n'
        f'        <td class="pakkeeksport-afdelinger">{afdelinger}</td>\n'
        f'        <td><span class="helhedsplan-state helhedsplan-state--{escape(tilstand)}">'
        f"{escape(STATE[tilstand].label)}</span></td>\n"
        f'        <td class="app-nowrap">{start}</td>\n'
        f"        <td>{latest}</td>\n"
        "      </tr>\n      \n      "
    )
