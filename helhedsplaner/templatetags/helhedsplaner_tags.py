from dataclasses import dataclass

import rules
from django import template
from django.urls import reverse

from config.web import roles
from config.web.lists import person_name
from helhedsplaner.lifecycle import STATE
from helhedsplaner.models import SECTION_LABELS
from helhedsplaner.tabs import TABS

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


@dataclass(frozen=True)
class MenuItem:
    url: str
    label: str
    current: bool


@register.simple_tag(takes_context=True)
def main_menu(context) -> list[MenuItem]:
    """The main menu's items, for the bar on wide screens and the drawer on small ones. Staff and the
    secretariat get every part of the application; a board member (or a user without a role) what they use:
    their afdelinger and the plans that include them. The rest they reach from there."""
    request = context["request"]
    user = request.user
    match = request.resolver_match
    name, route = (match.url_name or "", match.route) if match else ("", "")
    everything = roles.sees_all_afdelinger(user)
    items = [
        ("home", "Forside", name == "home"),
        ("afdeling_list", "Afdelinger" if everything else "Mine afdelinger", name.startswith("afdeling")),
    ]
    if everything:
        items += [
            ("omraade_list", "Boligområder", name.startswith("omraade")),
            ("screening_overview", "Screening", name.startswith("screening")),
            ("indsats_list", "Indsatser", route.startswith("indsatser/")),
        ]
    items.append(("plan_list", "Helhedsplaner", name.startswith("plan_")))
    if everything:
        items.append(("due_list", "Frister", name.startswith("due_")))
    if rules.has_perm("helhedsplaner.export_pakker", user):
        items.append(("pack_export", "Pakkeeksport", name.startswith("pack_export")))
    if everything:
        items.append(("budget_list", "Budgetter", name == "budget_list"))
    if roles.is_administrator(user):
        items.append(("admin:index", "Administration", False))
    return [MenuItem(reverse(url), label, current) for url, label, current in items]
