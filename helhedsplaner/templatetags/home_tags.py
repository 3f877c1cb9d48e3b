"""The staff start page's list rows, written out in Python from plain values.

As template nodes the page's 60-odd rows (a {% url %}, a filter or two and an escape per value each) were most
of the page's time. Each tag writes what the template's loop wrote, its line breaks and indentation included;
every text from the database goes through escape(). Numbers are written as the template wrote them: plain
(USE_THOUSAND_SEPARATOR is off) or, for |intcomma, grouped by the Danish thousand separator.
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe

from config.web.lists import person_name, pk_address_parts
from helhedsplaner.lifecycle import STATE
from helhedsplaner.models import SECTION_LABELS
from screening.templatetags.danish_dates import date

register = template.Library()


def grouped(number: int) -> str:
    """|intcomma of an int in Danish: 1.234.567 (tests hold the two together)."""
    return f"{number:,}".replace(",", ".")


def _state_label(code: str) -> str:
    # As the state_label filter
    state = STATE.get(code)
    return state.label if state else ""


def _author(person: dict | None) -> str:
    # As the person filter: a removed author (no user) shows without a name.
    if person is None:
        return "Slettet bruger"
    return person_name(person)


@register.simple_tag
def reminder_items(reminders) -> str:
    before, after = pk_address_parts("plan_detail")
    return mark_safe(  # noqa: S308 - escaped here
        "".join(
            f'\n    <li class="helhedsplan-reminder helhedsplan-reminder--{reminder.kind}">'
            f'<a href="{before}{reminder.plan_id}{after}">{escape(reminder.plan_titel)}</a>: '
            f"{escape(reminder.text)}</li>\n    "
            for reminder in reminders
        )
    )


@register.simple_tag
def thread_items(threads) -> str:
    """Threads as the values of the view's venter_paa_fsb."""
    before, after = pk_address_parts("plan_detail")
    return mark_safe(  # noqa: S308 - escaped here
        "".join(
            f'\n    <li><a href="{before}{thread["plan_id"]}{after}#kommentarer-{escape(thread["sektion"])}">'
            f"{escape(thread['plan_titel'])}: "
            f"«{escape(str(SECTION_LABELS.get(thread['sektion'], thread['sektion'])))}»</a> "
            '<span class="app-muted">'
            f"{escape(_author(thread['forfatter_person']))}"
            f", {escape(date(thread['oprettet_dag']))}</span></li>\n    "
            for thread in threads
        )
    )


@register.simple_tag
def state_count_rows(plan_counts, plan_list_url) -> str:
    return mark_safe(  # noqa: S308 - escaped here
        "".join(
            f'\n    <tr><td><a href="{plan_list_url}?tilstand={escape(state.code)}">'
            f'{escape(str(state.label))}</a></td><td class="app-num">{count}</td></tr>\n    '
            for state, count in plan_counts
        )
    )


@register.simple_tag
def funder_items(plans) -> str:
    before, after = pk_address_parts("plan_decisions")
    return mark_safe(  # noqa: S308 - escaped here
        "".join(
            f'\n    <li><a href="{before}{plan["pk"]}{after}">{escape(plan["indsats__titel"])}</a> '
            f'<span class="app-muted">{escape(str(_state_label(plan["tilstand"])))} siden '
            f"{escape(date(plan['i_fasen_siden']))}</span></li>\n    "
            for plan in plans
        )
    )


@register.simple_tag
def organisation_rows(organisationer, afdeling_list_url) -> str:
    return mark_safe(  # noqa: S308 - escaped here
        "".join(
            f'\n  <tr><td><a href="{afdeling_list_url}?organisation={organisation["pk"]}">'
            f'{escape(organisation["navn"])}</a></td><td class="app-num">{organisation["antal"]}</td>'
            f'<td class="app-num">{grouped(organisation["lejemaal"])}</td></tr>\n  '
            for organisation in organisationer
        )
    )
