"""Danish number formats for the PDF packs (money comes from finansiering's `kr` and `pct` filters)."""

from decimal import Decimal

from django import template

from finansiering.allocation import format_pct
from finansiering.templatetags.finansiering import kr, pct, values_for

register = template.Library()
register.filter("kr", kr)
register.filter("pct", pct)
register.filter("values_for", values_for)


@register.filter
def kr_int(value):
    """12345 -> '12.345'; empty for None."""
    if value is None or value == "":
        return ""
    return f"{round(Decimal(value)):,}".replace(",", ".")


@register.filter
def kr_num(value):
    """12.50 -> '12,5'; empty for None."""
    if value is None or value == "":
        return ""
    return format_pct(Decimal(value))
