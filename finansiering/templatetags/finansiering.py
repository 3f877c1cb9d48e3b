"""Danish money and percentage formatting for the finansiering templates."""

from decimal import Decimal
from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from finansiering.allocation import format_kr, format_pct

register = template.Library()


@register.filter
def kr(value):
    """1234567.5 -> '1.234.567,50'; empty for None."""
    if value is None or value == "":
        return ""
    return format_kr(Decimal(value))


@register.filter
def pct(value):
    """12.5000 -> '12,5'; empty for None."""
    if value is None or value == "":
        return ""
    return format_pct(Decimal(value))


@register.filter
def values_for(andel, years):
    """An Andel's amounts in the order of the given years (a missing year is 0)."""
    return andel.values(years)


@register.simple_tag
def budget_cells(cells, can_edit, indsats, version) -> SafeString:
    """The <td>s of one row of the budget table (the template's partial `cell` for each), written out in
    Python: as template nodes the cells were half the budget page's template time. The same HTML."""
    before = _cell_address_start(indsats, version) if can_edit else ""
    return mark_safe("".join(_cell_td(cell, can_edit, before) for cell in cells))  # noqa: S308 - escaped below


@register.simple_tag
def budget_cell(cell, can_edit, indsats, version) -> SafeString:
    """One cell of the budget table, as the whole table writes it (for the answer to a posted amount)."""
    return budget_cells([cell], can_edit, indsats, version)


def _cell_address_start(indsats, version) -> str:
    # One reverse for the table: a cell's address is this with its year, område and type after it.
    address = reverse("budget_cell", args=[indsats.pk, version.nummer, 0, 0, 0])
    return address.removesuffix("0/0/0/")


def _cell_td(cell, can_edit: bool, before: str) -> str:
    """Every text from the database or the user goes through escape()."""
    name = escape(cell.name)
    error = cell.error
    line = cell.line
    amount = format_kr(Decimal(line.beloeb)) if line else ""
    html = [f'<td class="finansiering-cell app-num{" form-error" if error else ""}">']
    if can_edit:
        value = escape(str(cell.raw)) if cell.raw is not None else amount
        aar = cell.aar
        omraade, omkostningstype = cell.omraade, cell.omkostningstype
        invalid = f' aria-invalid="true" aria-describedby="err-{name}"' if error else ""
        html.append(
            f'<input type="text" class="form-input finansiering-amount" id="in-{name}" name="{name}"'
            f' value="{value}" data-saved="{amount}" data-aar="{aar}" inputmode="decimal" autocomplete="off"'
            f' aria-label="{escape(str(omkostningstype.navn))}, {escape(str(omraade.navn))}, {aar}"{invalid}'
            f' hx-post="{before}{aar}/{omraade.pk}/{omkostningstype.pk}/" hx-trigger="change"'
            f' hx-target="closest td" hx-swap="outerHTML" hx-params="{name}">'
        )
        if error:
            html.append(f'<span class="form-error-message" id="err-{name}">{escape(str(error))}</span>')
    elif line:
        html.append(amount)
    else:
        html.append('<span class="app-muted">–</span>')
    if note := cell.note:
        note = escape(note)
        html.append(
            f'<span class="finansiering-note" title="{note}"><span aria-hidden="true">*</span>'
            f'<span class="sr-only">Note: {note}</span></span>'
        )
    html.append("</td>")
    return "".join(html)
