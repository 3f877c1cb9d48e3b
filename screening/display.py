"""How screening figures are shown: in Danish number format, and small counts hidden from all but staff.

DOMAIN.md: a count under 5 can point at a person (one eviction in a small afdeling), so anyone but fsb's
staff sees "< 5" instead of the number, and a change involving such a count is not shown either. Pages and
packs join "<" and "5" with a non-breaking space (config.web.formatting.below); a spreadsheet cell holds
the plain "< 5", which the screening import reads back.
"""

from decimal import Decimal

from config.web.formatting import MISSING, below, danish_number
from config.web.roles import is_medarbejder
from screening.models import Indikator

SMALL_COUNT = 5
HIDDEN = below(SMALL_COUNT)
HIDDEN_IN_FILES = f"< {SMALL_COUNT}"


def shows_small_counts(user) -> bool:
    return is_medarbejder(user)


def is_hidden(value: Decimal | None, indikator: Indikator, show_small: bool) -> bool:
    return value is not None and indikator.is_count and not show_small and value < SMALL_COUNT


def _places(value: Decimal, indikator: Indikator) -> int:
    if indikator.enhed in (Indikator.Enhed.ANTAL, Indikator.Enhed.KR_M2, Indikator.Enhed.KR):
        return 0
    return 2 if (value * 10) != (value * 10).to_integral_value() else 1


def format_number(value: Decimal, indikator: Indikator) -> str:
    return danish_number(value, _places(value, indikator))


def format_value(value: Decimal | None, indikator: Indikator, show_small: bool, unit: bool = True) -> str:
    if value is None:
        return MISSING
    if is_hidden(value, indikator, show_small):
        return HIDDEN
    return format_number(value, indikator) + (indikator.unit_suffix if unit else "")


def format_change(current, previous, indikator: Indikator, show_small: bool) -> str:
    if current is None or previous is None:
        return ""
    if is_hidden(current, indikator, show_small) or is_hidden(previous, indikator, show_small):
        return ""
    delta = current - previous
    if not delta:
        return "±0"
    sign = "+" if delta > 0 else "−"
    return sign + format_number(abs(delta), indikator)


def chart_value(value: Decimal | None, indikator: Indikator, show_small: bool) -> float | None:
    """A number for the chart, or None (a gap) where the value is missing or hidden."""
    if value is None or is_hidden(value, indikator, show_small):
        return None
    return float(value)


def export_value(value: Decimal | None, indikator: Indikator, show_small: bool):
    """A cell for a spreadsheet: the number itself, or the text "< 5"."""
    if value is None:
        return None
    if is_hidden(value, indikator, show_small):
        return HIDDEN_IN_FILES
    return value
