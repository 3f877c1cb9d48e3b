"""The screening pages' badges and long rows, written in screening.rows."""

from django import template

from screening import rows

register = template.Library()
register.simple_tag(rows.light)
register.simple_tag(rows.klasse)
register.simple_tag(rows.overview_rows)
register.simple_tag(rows.afdeling_rows)
