"""The screening app's long table rows and the badges in them, written with format_html from plain values.

The afdeling list and the screening overview show 25 rows a page, and as template nodes those rows cost more
than the rest of the page's work (README, benchmark notes). Each writer gives exactly the HTML its template
twin in tests/ gives (line breaks and indentation included), and every value goes through format_html's
escaping. A page reverses a row's address once (pk_address_parts) and puts each row's pk into it.
"""

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from config.web.formatting import count
from config.web.lists import pk_address_parts
from screening import criteria

MUTED_DASH = mark_safe('<span class="screening-muted">–</span>')
NO_FIGURES = mark_safe('<span class="screening-muted">Ingen tal</span>')
CLASS_CHANGES = {
    "skaerpet": mark_safe(' <span class="screening-change">↑ skærpet</span>'),
    "lempet": mark_safe(' <span class="screening-change">↓ lempet</span>'),
}


def light(level: str | None) -> SafeString:
    """A traffic light with its name in words (colour is never the only signal)."""
    name = criteria.LIGHT_LABELS.get(level, criteria.LIGHT_LABELS[criteria.UKENDT])
    return format_html(
        '<span class="screening-light screening-light--{}">{}</span>',
        level or criteria.UKENDT,
        name.capitalize(),
    )


def klasse(klassifikation: str, label: str) -> SafeString:
    """An area's class as a badge (its code and name); a dash when the area has none."""
    if not klassifikation:
        return MUTED_DASH
    return format_html(
        '<span class="badge screening-klasse screening-klasse--{}">{}</span>', klassifikation, label
    )


def method(metode: str | None) -> SafeString | str:
    """How the area's figures were found (criteria.METHOD_SHORT), under its class."""
    if not metode:
        return ""
    return format_html('<br><span class="screening-muted">{}</span>', criteria.METHOD_SHORT[metode])


def _pluralize_e(count) -> str:
    """Django's |pluralize:"e": the suffix unless the count is 1 (or not a number)."""
    try:
        return "" if float(count) == 1 else "e"
    except (TypeError, ValueError):
        return ""


OVERVIEW_ROW = (
    "\n      <tr>\n"
    '        <td class="app-nowrap">{}</td>\n'
    '        <td><a href="{}{}{}">{}</a><br><span class="screening-muted">{}</span></td>\n'
    "        <td>{}</td>\n"
    "        <td>{}</td>\n"
    '        <td class="app-num">{}</td>\n'
    '        <td class="app-num">{}</td>\n'
    "        <td>{}{}{}</td>\n"
    "{}"
    "        <td>{}</td>\n"
    "      </tr>\n      "
)
SCENARIO_CELL = "        <td>{}</td>\n"
UNCHANGED = mark_safe('<span class="screening-muted">uændret</span>')


def overview_rows(rows, aar, scenario=False) -> SafeString:
    """The screening overview's rows, from the plain values of page_data.overview_rows; with a scenario, a
    cell with the area's class under it where that changes."""
    afdeling_before, afdeling_after = pk_address_parts("screening_afdeling")
    area_before, area_after = pk_address_parts("screening_omraade")
    afdeling_after += f"?aar={aar}"
    area_after += f"?aar={aar}"
    return format_html_join(
        "",
        "{}",
        (
            (_overview_row(row, afdeling_before, afdeling_after, area_before, area_after, scenario),)
            for row in rows
        ),
    )


def _scenario_cell(row: dict) -> SafeString:
    if row["scenario_klassifikation"] is None:
        content = MUTED_DASH
    elif row["scenario_aendret"]:
        content = format_html(
            '{}<br><span class="screening-change">ændres i scenariet</span>',
            klasse(row["scenario_klassifikation"], row["scenario_label"]),
        )
    else:
        content = UNCHANGED
    return format_html(SCENARIO_CELL, content)


def _overview_row(
    row: dict, afdeling_before, afdeling_after, area_before, area_after, scenario
) -> SafeString:
    area = "–"
    if row["boligomraade_id"]:
        area = format_html(
            '<a href="{}{}{}">{}</a>', area_before, row["boligomraade_id"], area_after, row["boligomraade"]
        )
    signal = NO_FIGURES
    if row["signal"]:
        roede, gule = row["roede"], row["gule"]
        signal = format_html(
            '{} <span class="screening-counts">{} rød{}, {} gul{}</span>',
            light(row["signal"]),
            roede,
            _pluralize_e(roede),
            gule,
            _pluralize_e(gule),
        )
    score = row["risikoscore"]
    change = row["risiko_aendring"]
    forslag = "–"
    if row["forslag"]:
        forslag = row["forslag_label"]
        if row["beslutning"] == "bekraeftet":
            forslag = format_html('{}<br><span class="screening-muted">Bekræftet</span>', forslag)
        elif row["beslutning"]:
            forslag = format_html(
                '{}<br><span class="screening-muted">Tilsidesat: {}</span>', forslag, row["valgt_label"]
            )
    return format_html(
        OVERVIEW_ROW,
        row["nummer"],
        afdeling_before,
        row["afdeling_id"],
        afdeling_after,
        row["navn"],
        row["organisation"],
        area,
        signal,
        "–" if score is None else score,
        "–" if change is None else f"{'+' if change > 0 else ''}{change}",
        klasse(row["klassifikation"], row["klasse"]),
        CLASS_CHANGES.get(row["aendring"], ""),
        method(row["metode"]),
        _scenario_cell(row) if scenario else "",
        forslag,
    )


AFDELING_ROW = (
    "\n      <tr>\n"
    '        <td class="app-nowrap">{}</td>\n'
    '        <td><a href="{}{}{}">{}</a></td>\n'
    "        <td>{}</td>\n"
    "        <td>{}</td>\n"
    "        <td>{}</td>\n"
    '        <td class="app-num">{}</td>\n'
    '        <td class="app-num">{}</td>\n'
    '        <td class="app-num">{}</td>\n'
    "      </tr>\n      "
)


def afdeling_rows(rows) -> SafeString:
    """The afdeling list's rows, from the plain values screening.views.afdelinger.afdeling_list reads."""
    before, after = pk_address_parts("afdeling_detail")
    return format_html_join(
        "",
        AFDELING_ROW,
        (
            (
                row["nummer"],
                before,
                row["pk"],
                after,
                row["navn"],
                row["organisation_navn"],
                row["bydel"],
                row["omraade_navn"] or "–",
                count(row["lejemaal"]),
                count(row["areal_m2"]),
                count(row["beboere"]),
            )
            for row in rows
        ),
    )
