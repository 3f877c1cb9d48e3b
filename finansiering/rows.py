"""The budget table's amount cells, written with format_html.

A budget has a cell per year, område and cost type, each an input with its own address, and as template
nodes they cost more than the rest of the budget page's work (README, benchmark notes). The HTML is exactly
what the template twin in tests/finansiering gives, and every value goes through format_html's escaping.
"""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from config.web.formatting import kroner

NO_AMOUNT = mark_safe('<span class="app-muted">–</span>')
INPUT = (
    '<input type="text" class="form-input finansiering-amount" id="in-{name}" name="{name}" value="{value}"'
    ' data-saved="{saved}" data-aar="{aar}" inputmode="decimal" autocomplete="off"'
    ' aria-label="{type_navn}, {omraade_navn}, {aar}"{invalid}'
    ' hx-post="{address}{aar}/{omraade_pk}/{type_pk}/" hx-trigger="change"'
    ' hx-target="closest td" hx-swap="outerHTML" hx-params="{name}">{error}'
)


def budget_cells(cells, can_edit: bool, indsats, version) -> SafeString:
    """The <td>s of one row of the budget table."""
    # One reverse for the table: a cell's address is this with its year, område and type after it.
    address = ""
    if can_edit:
        address = reverse("budget_cell", args=[indsats.pk, version.nummer, 0, 0, 0]).removesuffix("0/0/0/")
    return format_html_join("", "{}", ((_cell(cell, can_edit, address),) for cell in cells))


def _cell(cell, can_edit: bool, address: str) -> SafeString:
    line = cell.line
    amount = kroner(line.beloeb) if line else ""
    if can_edit:
        content = _input(cell, amount, address)
    elif line:
        content = amount
    else:
        content = NO_AMOUNT
    note = ""
    if cell.note:
        note = format_html(
            '<span class="finansiering-note" title="{}"><span aria-hidden="true">*</span>'
            '<span class="sr-only">Note: {}</span></span>',
            cell.note,
            cell.note,
        )
    error_class = " form-error" if cell.error else ""
    return format_html('<td class="finansiering-cell app-num{}">{}{}</td>', error_class, content, note)


def _input(cell, amount: str, address: str) -> SafeString:
    name, error = cell.name, cell.error
    invalid = error_message = ""
    if error:
        invalid = format_html(' aria-invalid="true" aria-describedby="err-{}"', name)
        error_message = format_html('<span class="form-error-message" id="err-{}">{}</span>', name, error)
    return format_html(
        INPUT,
        name=name,
        value=amount if cell.raw is None else cell.raw,
        saved=amount,
        aar=cell.aar,
        type_navn=cell.omkostningstype.navn,
        omraade_navn=cell.omraade.navn,
        invalid=invalid,
        address=address,
        omraade_pk=cell.omraade.pk,
        type_pk=cell.omkostningstype.pk,
        error=error_message,
    )
