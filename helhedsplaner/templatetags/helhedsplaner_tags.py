import rules
from django import template

from config.web.lists import person_name
from helhedsplaner.lifecycle import STATE
from helhedsplaner.models import SECTION_LABELS
from helhedsplaner.views.common import TABS

register = template.Library()


@register.filter
def state_label(code):
    state = STATE.get(code)
    return state.label if state else ""


@register.filter
def section_label(code):
    """A plan section's name (the code itself for a section no longer declared)."""
    return SECTION_LABELS.get(code, code)


@register.filter
def person(user):
    """A person's name, from a user or from a screening.display.person_subquery() value; a removed user's
    place in the history shows without a name."""
    if user is None:
        return "Slettet bruger"
    if isinstance(user, dict):
        return person_name(user)
    return user.get_full_name() or user.username


@register.filter
def rules_allow(user, perm) -> bool:
    """The permission as the rules declare it. Unlike user.has_perm it never reads Django's own permission
    tables (two queries for everyone the rules refuse), which the roles do not use."""
    return rules.has_perm(perm, user)


@register.inclusion_tag("helhedsplaner/_tabs.html", takes_context=True)
def plan_tabs(context, plan):
    current = context["request"].resolver_match.url_name
    return {"plan": plan, "tabs": [(name, label, name == current) for name, label in TABS]}
