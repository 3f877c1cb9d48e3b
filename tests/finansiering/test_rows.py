"""The budget table's cells written with format_html (finansiering.rows) are their template twin's HTML."""

from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.template import Context, Template

from finansiering.models import Budgetlinje, Omkostningstype
from finansiering.rows import budget_cells
from finansiering.tables import Cell
from indsatser.models import Indsatsomraade

HOSTILE = "<script>x</script> & \"'=HYPERLINK()"

# The cells as the budget page's partial wrote them before finansiering.rows.
TEMPLATE_CELLS = """{% load formatting l10n %}{% for cell in cells %}<td class="finansiering-cell app-num{% if cell.error %} form-error{% endif %}">{% if can_edit %}<input type="text" class="form-input finansiering-amount" id="in-{{ cell.name }}" name="{{ cell.name }}" value="{% if cell.raw is not None %}{{ cell.raw }}{% elif cell.line %}{{ cell.beloeb|kr }}{% endif %}" data-saved="{% if cell.line %}{{ cell.beloeb|kr }}{% endif %}" data-aar="{{ cell.aar|unlocalize }}" inputmode="decimal" autocomplete="off" aria-label="{{ cell.omkostningstype.navn }}, {{ cell.omraade.navn }}, {{ cell.aar|unlocalize }}"{% if cell.error %} aria-invalid="true" aria-describedby="err-{{ cell.name }}"{% endif %} hx-post="{% url 'budget_cell' indsats.pk version.nummer cell.aar cell.omraade.pk cell.omkostningstype.pk %}" hx-trigger="change" hx-target="closest td" hx-swap="outerHTML" hx-params="{{ cell.name }}">{% if cell.error %}<span class="form-error-message" id="err-{{ cell.name }}">{{ cell.error }}</span>{% endif %}{% elif cell.line %}{{ cell.beloeb|kr }}{% else %}<span class="app-muted">–</span>{% endif %}{% if cell.note %}<span class="finansiering-note" title="{{ cell.note }}"><span aria-hidden="true">*</span><span class="sr-only">Note: {{ cell.note }}</span></span>{% endif %}</td>{% endfor %}"""  # noqa: E501


def cells() -> list[Cell]:
    omraade = Indsatsomraade(pk=3, navn=f"Område {HOSTILE}")
    omkostningstype = Omkostningstype(pk=4, navn=f"Løn {HOSTILE}")
    line = Budgetlinje(beloeb=Decimal("1234567.5"), note=f"Note {HOSTILE}")
    plain_line = Budgetlinje(beloeb=Decimal("-0.5"), note="")
    return [
        Cell(2025, omraade, omkostningstype, line),
        Cell(2026, omraade, omkostningstype, plain_line),
        Cell(2027, omraade, omkostningstype, None),
        Cell(2028, omraade, omkostningstype, line, raw=f"12{HOSTILE}", error=f"Ugyldigt {HOSTILE}"),
        Cell(2029, omraade, omkostningstype, None, raw="", error="Mangler"),
    ]


@pytest.mark.parametrize("can_edit", [True, False])
def test_the_cells_are_the_template_cells(can_edit):
    indsats, version = SimpleNamespace(pk=7), SimpleNamespace(nummer=2)
    context = {"cells": cells(), "can_edit": can_edit, "indsats": indsats, "version": version}
    expected = Template(TEMPLATE_CELLS).render(Context(context))
    assert budget_cells(cells(), can_edit, indsats, version) == expected
    assert "<script>" not in expected
