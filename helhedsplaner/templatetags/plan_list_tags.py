"""The rows of the plan list and of the pack export's table of plans (written in helhedsplaner.rows)."""

from django import template

from helhedsplaner import rows

register = template.Library()
register.simple_tag(rows.plan_rows)
register.simple_tag(rows.export_plan_rows)
