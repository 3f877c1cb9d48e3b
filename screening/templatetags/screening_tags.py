"""Badges the screening pages draw many times (two in each row of the overview, one in each figure of an
afdeling's page): as tags they cost a fraction of an {% include %}."""

from decimal import ROUND_HALF_UP, Decimal
from html import escape

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from config.web.formatting import danish_number
from config.web.lists import pk_address_parts
from screening import criteria

register = template.Library()


@register.simple_tag
def light(level: str | None) -> str:
    """A traffic light with its name in words (colour is never the only signal)."""
    name = criteria.LIGHT_LABELS.get(level, criteria.LIGHT_LABELS[criteria.UKENDT])
    return format_html(
        '<span class="screening-light screening-light--{}">{}</span>',
        level or criteria.UKENDT,
        name.capitalize(),
    )


@register.simple_tag
def klasse(klassifikation: str, label: str) -> str:
    """An area's class as a badge (its code and name); a dash when the area has none."""
    if not klassifikation:
        return mark_safe('<span class="screening-muted">–</span>')
    return format_html(
        '<span class="badge screening-klasse screening-klasse--{}">{}</span>', klassifikation, label
    )


def _pluralize_e(count) -> str:
    """Django's |pluralize:"e": the suffix unless the count is 1 (or not a number)."""
    try:
        return "" if float(count) == 1 else "e"
    except (TypeError, ValueError):
        return ""


@register.simple_tag
def overview_rows(rows, aar) -> str:
    """The overview's table rows, from the plain values of page_data.page_rows. Written out in Python: as
    template nodes the 25 rows of a page were a third of the page's time. The HTML is what the template
    wrote, its line breaks and indentation included; whole numbers only, so nothing to localize."""
    # One reverse each for the page: every row's address is this one with its own pk.
    afdeling_before, afdeling_after = pk_address_parts("screening_afdeling")
    area_before, area_after = pk_address_parts("screening_omraade")
    afdeling_after += f"?aar={aar}"
    area_after += f"?aar={aar}"
    return mark_safe(  # noqa: S308 - every text from the database is escaped in _overview_row
        "".join(_overview_row(row, afdeling_before, afdeling_after, area_before, area_after) for row in rows)
    )


def _overview_row(row: dict, afdeling_before, afdeling_after, area_before, area_after) -> str:
    if row["boligomraade_id"]:
        area = (
            f'<a href="{area_before}{row["boligomraade_id"]}{area_after}">'
            f"{escape(str(row['boligomraade']))}</a>"
        )
    else:
        area = "–"
    if row["signal"]:
        roede, gule = row["roede"], row["gule"]
        signal = (
            f'{light(row["signal"])} <span class="screening-counts">{_text(roede)} rød{_pluralize_e(roede)}, '
            f"{_text(gule)} gul{_pluralize_e(gule)}</span>"
        )
    else:
        signal = '<span class="screening-muted">Ingen tal</span>'
    score = row["risikoscore"]
    change = row["risiko_aendring"]
    if change is not None:
        change = f"{'+' if change > 0 else ''}{change}"
    else:
        change = "–"
    klassifikation = klasse(row["klassifikation"], row["klasse"])
    if row["aendring"] == "skaerpet":
        klassifikation += ' <span class="screening-change">↑ skærpet</span>'
    elif row["aendring"] == "lempet":
        klassifikation += ' <span class="screening-change">↓ lempet</span>'
    if row["forslag"]:
        forslag = escape(str(row["forslag_label"]))
        if row["beslutning"]:
            if row["beslutning"] == "bekraeftet":
                decision = "Bekræftet"
            else:
                decision = f"Tilsidesat: {escape(str(row['valgt_label']))}"
            forslag += f'<br><span class="screening-muted">{decision}</span>'
    else:
        forslag = "–"
    return (
        "\n      <tr>\n"
        f'        <td class="app-nowrap">{escape(str(row["nummer"]))}</td>\n'
        f'        <td><a href="{afdeling_before}{row["afdeling_id"]}{afdeling_after}">'
        f"{escape(str(row['navn']))}</a>"
        f'<br><span class="screening-muted">{escape(str(row["organisation"]))}</span></td>\n'
        f"        <td>{area}</td>\n"
        f"        <td>{signal}</td>\n"
        f'        <td class="app-num">{"–" if score is None else score}</td>\n'
        f'        <td class="app-num">{change}</td>\n'
        f"        <td>{klassifikation}</td>\n"
        f"        <td>{forslag}</td>\n"
        "      </tr>\n      "
    )


_WHOLE = Decimal(1)


@register.simple_tag
def afdeling_rows(rows) -> str:
    """The afdeling list's table rows, from the plain values screening.views.afdelinger.afdeling_list reads.
    Written out in Python like overview_rows: as template nodes the 25 rows were over a third of the page's
    time. The HTML is what the template wrote, its line breaks and indentation included."""
    # One reverse for the page: every row's address is this one with its own pk.
    before, after = pk_address_parts("afdeling_detail")
    return mark_safe("".join(_afdeling_row(row, before, after) for row in rows))  # noqa: S308 - escaped below


def _afdeling_row(row: dict, before: str, after: str) -> str:
    """One <tr>; every text from the database goes through escape()."""
    omraade = escape(row["omraade_navn"]) if row["omraade_navn"] else "–"
    # |floatformat:"0g": rounded half up to whole m², thousands grouped.
    areal = danish_number(row["areal_m2"].quantize(_WHOLE, ROUND_HALF_UP), 0)
    return (
        "\n      <tr>\n"
        f'        <td class="app-nowrap">{escape(row["nummer"])}</td>\n'
        f'        <td><a href="{before}{row["pk"]}{after}">{escape(row["navn"])}</a></td>\n'
        f"        <td>{escape(row['organisation_navn'])}</td>\n"
        f"        <td>{escape(row['bydel'])}</td>\n"
        f"        <td>{omraade}</td>\n"
        f'        <td class="app-num">{danish_number(row["lejemaal"], 0)}</td>\n'
        f'        <td class="app-num">{areal}</td>\n'
        f'        <td class="app-num">{danish_number(row["beboere"], 0)}</td>\n'
        "      </tr>\n      "
    )


def _text(value) -> str:
    """A value as {{ value }} writes it (None as "None"), escaped."""
    return escape(str(value))


@register.simple_tag
def figure_rows(figures) -> str:
    """An afdeling's figures in the round (page_data.afdeling_context) as table rows, written out in Python
    like overview_rows; the HTML is what the template wrote."""
    return mark_safe("".join(_figure_row(f) for f in figures))  # noqa: S308 - every text is escaped below


def _figure_row(f: dict) -> str:
    indikator = f["indikator"]
    official = ' <span class="screening-muted">(officiel)</span>' if indikator.officiel else ""
    level = light(f["level"]) if f["level"] else '<span class="screening-muted">–</span>'
    return (
        "\n    <tr>\n"
        f'      <th scope="row">{_text(indikator.kort_navn)}{official}</th>\n'
        f'      <td class="app-num">{_text(f["value"])}</td>\n'
        f'      <td class="app-num">{_text(f["change"] or "–")}</td>\n'
        f"      <td>{level}</td>\n"
        f"      <td>{_text(f['reason'])}</td>\n"
        "    </tr>\n  "
    )


@register.simple_tag
def history_rows(rows) -> str:
    """An afdeling's figures over the years (page_data.history_table) as table rows, written out in Python:
    some 200 cells, which as template nodes cost more than the rest of the page's table work."""
    return mark_safe("".join(_history_row(row) for row in rows))  # noqa: S308 - every text is escaped below


def _history_row(row: dict) -> str:
    indikator = row["indikator"]
    unit = ""
    if indikator.unit_suffix:
        unit = f' <span class="screening-muted">({_text(indikator.unit_suffix.replace(" ", ""))})</span>'
    cells = "".join(f'<td class="app-num">{_text(cell)}</td>' for cell in row["cells"])
    return f'\n    <tr><th scope="row">{_text(indikator.kort_navn)}{unit}</th>{cells}</tr>\n  '


@register.simple_tag
def round_tabs(rounds, runde, tab_url) -> str:
    """What screening/_round_tabs.html writes (links to the same page for each round), written out in Python:
    as an include with a loop it cost about a millisecond a page. The HTML is the include's, its blank lines
    included."""
    if not rounds:
        return mark_safe("\n\n\n")
    url = escape(str(tab_url))
    items = "".join(_round_tab(r, runde, url) for r in rounds)
    return mark_safe(  # noqa: S308 - the only text, the page's address, is escaped above
        '\n\n\n<nav class="screening-rounds" aria-label="Screeningsrunder">\n  <ul>\n    '
        f"{items}\n  </ul>\n</nav>\n\n"
    )


def _round_tab(r, runde, url: str) -> str:
    current = ' aria-current="page"' if r.aar == runde.aar else ""
    draft = "" if r.is_final else ' <span class="screening-muted">(kladde)</span>'
    return f'\n    <li><a href="{url}?aar={r.aar}"{current}>{r.aar}{draft}</a></li>\n    '
