"""The plan list's and the pack export's table rows, and the lists of the staff's start page, written with
format_html.

The plan list and the pack export show 25 rows a page and the start page six lists of 20, and as template
nodes those rows cost more than the rest of the page's work (README, benchmark notes). Each writer gives
exactly the HTML its template twin in tests/ gives (line breaks and indentation included), and every value
goes through format_html's escaping.
"""

from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.timezone import template_localtime

from config.web.formatting import afdeling_labels, long_date, month_and_year, numeric_date
from config.web.lists import person_name, pk_address_parts
from helhedsplaner.lifecycle import STATE
from helhedsplaner.models import SECTION_LABELS, Notifikationsart
from indsatser.rows import period_years

PLAN_ROW = (
    "\n    <tr>\n"
    '      <td><a href="{}{}{}">{}</a></td>\n'
    '      <td><span class="helhedsplan-state helhedsplan-state--{}">{}</span>'
    '<br><span class="app-muted">siden {}</span></td>\n'
    "      <td>{}</td>\n"
    "      <td>{}</td>\n"
    "      <td>{}</td>\n"
    "    </tr>\n    "
)
SELECTED = mark_safe(' class="table-row-selected"')
CHECKED = mark_safe(" checked")
NOT_PACKED = mark_safe('<span class="app-muted">Ingen: laves ved eksporten</span>')
EXPORT_PLAN_ROW = (
    "\n      \n      "
    "<tr{row_class}>\n"
    "        <td>\n"
    '          <div class="form-group-checkbox">\n'
    '            <input class="form-checkbox" type="checkbox" name="planer" value="{pk}" id="plan-{pk}"'
    "{checked}>\n"
    '            <label for="plan-{pk}"><span class="sr-only">Vælg {titel}</span></label>\n'
    "          </div>\n"
    "        </td>\n"
    '        <td><a href="{before}{pk}{after}">{titel}</a></td>\n'
    '        <td class="pakkeeksport-afdelinger">{afdelinger}</td>\n'
    '        <td><span class="helhedsplan-state helhedsplan-state--{tilstand}">{tilstand_label}</span></td>\n'
    '        <td class="app-nowrap">{start}</td>\n'
    "        <td>{latest}</td>\n"
    "      </tr>\n      \n      "
)


def plan_rows(rows) -> SafeString:
    """The plan list's rows, from the plain values of helhedsplaner.list_rows.plan_rows."""
    before, after = pk_address_parts("plan_detail")
    return format_html_join(
        "",
        PLAN_ROW,
        (
            (
                before,
                row["pk"],
                after,
                row["titel"],
                row["tilstand"],
                STATE[row["tilstand"]].label,
                # As the template's |date: a time is shown in local time.
                numeric_date(template_localtime(row["tilstand_siden"])),
                afdeling_labels(row["afdeling_labels"]),
                period_years(row["startdato"], row["slutdato"]),
                person_name(row["ansvarlig_person"]) if row["ansvarlig_person"] else "–",
            )
            for row in rows
        ),
    )


def export_plan_rows(rows, chosen: set[str]) -> SafeString:
    """The pack export's table of plans, from the plain values of helhedsplaner.packs.exports.choosable_plans,
    each with its checkbox (ticked where its pk is in `chosen`)."""
    before, after = pk_address_parts("plan_detail")
    return format_html_join("", "{}", ((_export_plan_row(row, chosen, before, after),) for row in rows))


def _export_plan_row(row: dict, chosen: set[str], before: str, after: str) -> SafeString:
    selected = str(row["pk"]) in chosen
    afdelinger = format_html_join(
        ", ",
        '<abbr class="app-nowrap" title="{}">{}</abbr>',
        ((a["navn"], a["nummer"]) for a in row["afdelinger"]),
    )
    latest = NOT_PACKED
    if row["seneste_pakke"]:
        latest = long_date(template_localtime(row["seneste_pakke"]))
    return format_html(
        EXPORT_PLAN_ROW,
        row_class=SELECTED if selected else "",
        pk=row["pk"],
        checked=CHECKED if selected else "",
        titel=row["titel"],
        before=before,
        after=after,
        afdelinger=afdelinger or "–",
        tilstand=row["tilstand"],
        tilstand_label=STATE[row["tilstand"]].label,
        start=month_and_year(row["planlagt_start"]) if row["planlagt_start"] else "–",
        latest=latest,
    )


# The start page's list items, each as its template's loop wrote it: the line and the indentation around it.
REMINDER_ITEM = (
    '\n    <li class="helhedsplan-reminder helhedsplan-reminder--{}"><a href="{}{}{}">{}</a>: {}</li>\n    '
)
THREAD_ITEM = (
    '\n    <li><a href="{}{}{}#kommentarer-{}">{}: «{}»</a>'  # the plan, the section
    ' <span class="app-muted">{}{}, {}</span></li>\n    '  # the author, the board, the day
)
CONDITION_ITEM = (
    '\n    <li><a href="{}{}{}#tilsagn">{}</a>: {}\n      <span class="app-muted">{}{}</span></li>\n    '
)
FUNDER_ITEM = '\n    <li><a href="{}{}{}">{}</a> <span class="app-muted">{} siden {}</span></li>\n    '
OBLIGATION_ITEM = '\n    <li><a href="{}">{}</a>: {} {}\n      <span class="app-muted">{}</span></li>\n    '
OVERDUE = " (overskredet)"


def _user_name(user) -> str:
    """A user's name as the |person filter writes it."""
    return user.get_full_name() or user.username


def reminder_items(reminders) -> SafeString:
    """The reminders (helhedsplaner.reminders.Reminder) as the start page lists them."""
    before, after = pk_address_parts("plan_detail")
    return format_html_join(
        "", REMINDER_ITEM, ((r.kind, before, r.plan_id, after, r.plan_titel, r.text) for r in reminders)
    )


def waiting_thread_items(threads) -> SafeString:
    """The threads waiting for fsb's answer, from the plain values of the start page's query."""
    before, after = pk_address_parts("plan_detail")
    return format_html_join(
        "",
        THREAD_ITEM,
        (
            (
                before,
                thread["plan_id"],
                after,
                thread["sektion"],
                thread["plan_titel"],
                SECTION_LABELS.get(thread["sektion"], thread["sektion"]),
                person_name(thread["forfatter_person"]) if thread["forfatter_person"] else "Slettet bruger",
                format_html(" (afdelingsbestyrelsen i {})", thread["bestyrelse_for"])
                if thread["bestyrelse_for"]
                else "",
                long_date(thread["oprettet_dag"]),
            )
            for thread in threads
        ),
    )


def open_condition_items(conditions, user) -> SafeString:
    """The open conditions of the funders' tilsagn (Betingelse, with the plan's indsats and the one who
    follows up), `user`'s own marked as such."""
    before, after = pk_address_parts("plan_detail")
    return format_html_join(
        "",
        CONDITION_ITEM,
        (
            (
                before,
                condition.plan_id,
                after,
                condition.plan.indsats.titel,
                Truncator(condition.tekst).chars(120),
                format_html(
                    "frist {}{}", numeric_date(condition.frist), OVERDUE if condition.overskredet else ""
                )
                if condition.frist
                else "ingen frist",
                format_html(
                    ", følges op af {}{}",
                    _user_name(condition.ansvarlig),
                    " (dig)" if condition.ansvarlig_id == user.pk else "",
                )
                if condition.ansvarlig
                else "",
            )
            for condition in conditions
        ),
    )


def funder_plan_items(plans) -> SafeString:
    """The plans waiting for the funders, from the plain values of the start page's query."""
    before, after = pk_address_parts("plan_decisions")
    return format_html_join(
        "",
        FUNDER_ITEM,
        (
            (
                before,
                plan["pk"],
                after,
                plan["indsats__titel"],
                STATE[plan["tilstand"]].label if plan["tilstand"] in STATE else "",
                long_date(plan["i_fasen_siden"]),
            )
            for plan in plans
        ),
    )


def _obligation_item(obligation, details) -> SafeString:
    return format_html(
        OBLIGATION_ITEM,
        reverse("plan_year", args=[obligation.plan_id, obligation.aar]),
        obligation.plan.indsats.titel,
        obligation.type.navn,
        obligation.aar,
        details,
    )


def own_obligation_items(obligations) -> SafeString:
    """The reports a staff member is responsible for (Rapporteringsforpligtelse), with deadline and status."""
    return format_html_join(
        "",
        "{}",
        (
            (
                _obligation_item(
                    obligation,
                    format_html(
                        "frist {}{}, {}",
                        numeric_date(obligation.frist),
                        OVERDUE if obligation.overskredet else "",
                        obligation.get_status_display().lower(),
                    ),
                ),
            )
            for obligation in obligations
        ),
    )


def ready_obligation_items(obligations) -> SafeString:
    """The reports marked ready for the secretariat to send, with deadline and who is responsible."""
    return format_html_join(
        "",
        "{}",
        (
            (
                _obligation_item(
                    obligation,
                    format_html(
                        "frist {}{}{}",
                        numeric_date(obligation.frist),
                        OVERDUE if obligation.overskredet else "",
                        format_html(", {}", _user_name(obligation.ansvarlig)) if obligation.ansvarlig else "",
                    ),
                ),
            )
            for obligation in obligations
        ),
    )


def deadline_reminder_items(reminders) -> SafeString:
    """The deadline reminders written to a user lately (Fristpaamindelse, with the report and its plan)."""
    return format_html_join(
        "",
        "{}",
        (
            (
                _obligation_item(
                    reminder.forpligtelse,
                    format_html(
                        "{}{}, påmindet {}",
                        format_html("fristen {} er overskredet", numeric_date(reminder.forpligtelse.frist))
                        if reminder.art == Notifikationsart.FRIST_OVERSKREDET
                        else format_html("frist {}", numeric_date(reminder.forpligtelse.frist)),
                        " (nu sendt)" if reminder.forpligtelse.sendt else "",
                        numeric_date(reminder.dato),
                    ),
                ),
            )
            for reminder in reminders
        ),
    )
