"""Danish money and percentage formatting for the finansiering templates."""

from decimal import Decimal

from django import template

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
