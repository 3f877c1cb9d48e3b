"""The finansiering pages' tags: an Andel's amounts by year, the budget table's cells (finansiering.rows)."""

from django import template

from finansiering import rows

register = template.Library()


@register.filter
def values_for(andel, years):
    """An Andel's amounts in the order of the given years (a missing year is 0)."""
    return andel.values(years)


register.simple_tag(rows.budget_cells)


@register.simple_tag
def budget_cell(cell, can_edit, indsats, version):
    """One cell of the budget table, as the whole table writes it (for the answer to a posted amount)."""
    return rows.budget_cells([cell], can_edit, indsats, version)
