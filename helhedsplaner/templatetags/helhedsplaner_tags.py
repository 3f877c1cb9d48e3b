from html import escape

import rules
from django import template
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from config.web.formatting import danish_number
from helhedsplaner.lifecycle import STATE
from helhedsplaner.views.common import TABS
from screening.templatetags.danish_dates import date

register = template.Library()


@register.filter
def state_label(code):
    state = STATE.get(code)
    return state.label if state else ""


@register.filter
def person(user):
    """A person's name; a removed user's place in the history shows without a name."""
    if user is None:
        return "Slettet bruger"
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


@register.simple_tag
def plan_afdeling_rows(afdelinger) -> SafeString:
    """The rows of a plan's table of afdelinger, each with its meeting of this round (the `meeting` its
    query brings along) or "–". Written out in Python: as template nodes the rows were a tenth of the
    overview's template time. The HTML is what the template wrote, line breaks and indentation included."""
    rows = []
    for afdeling in afdelinger:
        omraade = afdeling.boligomraade.navn if afdeling.boligomraade else ""
        # Django leaves a FilteredRelation's attribute unset where the join found no row.
        meeting = getattr(afdeling, "meeting", None)
        moede = f"{date(meeting.dato, 'd.m.Y')}: {escape(meeting.resultat_tekst())}" if meeting else "–"
        rows.append(
            "\n      <tr>\n"
            f'        <td><a href="{reverse("afdeling_detail", args=[afdeling.pk])}">'
            f"{escape(afdeling.nummer)} {escape(afdeling.navn)}</a></td>\n"
            f"        <td>{escape(afdeling.organisation.navn)}</td>\n"
            f"        <td>{escape(omraade) or '–'}</td>\n"
            f'        <td class="app-num">{danish_number(afdeling.lejemaal, 0)}</td>\n'
            f'        <td class="app-num">{danish_number(afdeling.beboere, 0)}</td>\n'
            f"        <td>{moede}</td>\n"
            "      </tr>\n      "
        )
    return mark_safe("".join(rows))  # noqa: S308 - every text from the database is escaped above
