"""The rows of the plan list and of the pack export's table of plans, and the lists of the staff's start
page (written in helhedsplaner.rows)."""

from django import template

from helhedsplaner import rows

register = template.Library()
register.simple_tag(rows.plan_rows)
register.simple_tag(rows.export_plan_rows)
register.simple_tag(rows.reminder_items)
register.simple_tag(rows.waiting_thread_items)
register.simple_tag(rows.open_condition_items)
register.simple_tag(rows.funder_plan_items)
register.simple_tag(rows.own_obligation_items)
register.simple_tag(rows.ready_obligation_items)
register.simple_tag(rows.deadline_reminder_items)
