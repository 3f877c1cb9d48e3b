"""What staff should be reminded of, computed from the data: the daily e-mail and the staff home page.

- decisions pending for more than 8 weeks (a state that awaits an organ, entered more than 8 weeks ago,
  without that organ's decision in this round);
- afdelingsmøder within 14 days without a notice date;
- plans ending within 18 months (time to prepare the next one);
- active plans without this year's goal figures.
The plan-based kinds are one SELECT together and the meetings one more, however many plans there are. The
staff home page shows the first 20 and counts them all (some 500 at national scale): it reads them kept for
the day (kept_reminders) until a row they are read from changes.
"""

from datetime import UTC, date, timedelta
from typing import NamedTuple

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.db.models.functions import TruncDate

from config.web import roles
from config.web.formatting import numeric_date
from config.web.kept import Kept
from config.web.lists import ValueList
from helhedsplaner import lifecycle
from helhedsplaner.models import Afdelingsmoede, Beslutning, Helhedsplan, Paamindelseskoersel
from helhedsplaner.notifications import site_link
from indsatser.models import Indsats, Maalsaetning, Maaltal
from screening.models import Afdeling

User = get_user_model()

DECISION_WAIT = timedelta(weeks=8)
MEETING_NOTICE_WINDOW = timedelta(days=14)
ENDING_WINDOW_MONTHS = 18


# A tuple rather than a dataclass: the kept list of some 500 is read back (unpickled) four times faster.
class Reminder(NamedTuple):
    kind: str
    plan_id: int
    plan_titel: str
    text: str
    recipient_id: int | None  # the plan's responsible staff member (None: every medarbejder)


def _months_later(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, 28))


def _organs_awaited(state) -> list[str]:
    # Afdelingsmøder are reminded of by their date instead: meetings_without_notice.
    return [organ for organ in state.awaits if organ != Beslutning.Organ.AFDELINGSMOEDE]


def _waiting_states() -> list:
    return [state for state in lifecycle.STATES if _organs_awaited(state)]


def _plans_to_remind(today: date) -> list:
    return list(_plans_query(today))


def _plans_query(today: date):
    """The plans in the states the plan-based kinds remind of, in one SELECT of just the values the kinds
    look at and a reminder shows, by title."""
    decisions = Beslutning.objects.filter(plan=OuterRef("pk"), fase_nr=OuterRef("fase_nr"))
    decided_this_round = ValueList(decisions.order_by().values("organ"), "organ")
    figures_this_year = Maaltal.objects.filter(
        maalsaetning__indsats=OuterRef("indsats"), aar=today.year, maalt__isnull=False
    )
    states = [*(state.code for state in _waiting_states()), lifecycle.AKTIV, lifecycle.AFSLUTNING]
    return (
        Helhedsplan.objects.filter(tilstand__in=states)
        .annotate(
            besluttet=decided_this_round,
            har_maaltal=Exists(figures_this_year),
            # The day the plan entered its state, here and in UTC (which the weeks waited are counted from),
            # read as dates: Django takes some 20 times longer to read a timestamp.
            siden=TruncDate("tilstand_siden"),
            siden_utc=TruncDate("tilstand_siden", tzinfo=UTC),
        )
        .order_by("indsats__titel", "pk")
        .values_list(
            "tilstand",
            "pk",
            "indsats__titel",
            "indsats__ansvarlig",
            "indsats__slutdato",
            "besluttet",
            "har_maaltal",
            "siden",
            "siden_utc",
            named=True,
        )
    )


def pending_decisions(plans: list, today: date) -> list[Reminder]:
    state_order = {state.code: index for index, state in enumerate(_waiting_states())}
    waiting_long = [
        plan for plan in plans if plan.tilstand in state_order and plan.siden < today - DECISION_WAIT
    ]
    reminders = []
    # sorted() is stable: by title in each state
    for plan in sorted(waiting_long, key=lambda plan: state_order[plan.tilstand]):
        state = lifecycle.STATE[plan.tilstand]
        missing = [
            Beslutning.Organ(organ).label for organ in _organs_awaited(state) if organ not in plan.besluttet
        ]
        if missing:
            weeks = (today - plan.siden_utc).days // 7
            text = (
                f"Har ventet {weeks} uger i fasen «{state.label}» på beslutning fra {' og '.join(missing)}."
            )
            reminders.append(
                Reminder("beslutning", plan.pk, plan.indsats__titel, text, plan.indsats__ansvarlig)
            )
    return reminders


def meetings_without_notice(today: date) -> list[Reminder]:
    return [
        Reminder(
            "indkaldelse",
            plan_id,
            titel,
            # As the afdeling names itself (str(afdeling)), without loading it
            f"Afdelingsmødet i {nummer} {navn} den {numeric_date(dato)} har ingen registreret indkaldelse.",
            ansvarlig,
        )
        for plan_id, titel, ansvarlig, nummer, navn, dato in _meetings_query(today)
    ]


def _meetings_query(today: date):
    return (
        Afdelingsmoede.objects.filter(
            plan__tilstand=lifecycle.AFDELINGSMOEDER,
            runde=F("plan__moederunde"),
            indkaldt_dato__isnull=True,
            dato__gte=today,
            dato__lte=today + MEETING_NOTICE_WINDOW,
        )
        .order_by("dato", "afdeling__nummer", "pk")
        .values_list(
            "plan",
            "plan__indsats__titel",
            "plan__indsats__ansvarlig",
            "afdeling__nummer",
            "afdeling__navn",
            "dato",
        )
    )


def plans_ending(plans: list, today: date) -> list[Reminder]:
    horizon = _months_later(today, ENDING_WINDOW_MONTHS)
    ending = [
        plan
        for plan in plans
        if plan.tilstand in (lifecycle.AKTIV, lifecycle.AFSLUTNING)
        and plan.indsats__slutdato is not None
        and today <= plan.indsats__slutdato <= horizon
    ]
    return [
        Reminder(
            "slutter",
            plan.pk,
            plan.indsats__titel,
            f"Slutter {numeric_date(plan.indsats__slutdato)}: tid til at forberede den næste plan.",
            plan.indsats__ansvarlig,
        )
        for plan in sorted(ending, key=lambda plan: plan.indsats__slutdato)  # stable: by title on each day
    ]


def missing_goal_figures(plans: list, today: date) -> list[Reminder]:
    text = f"Ingen målte værdier for {today.year} på planens mål."
    return [
        Reminder("maaltal", plan.pk, plan.indsats__titel, text, plan.indsats__ansvarlig)
        for plan in plans
        if plan.tilstand == lifecycle.AKTIV and not plan.har_maaltal
    ]


def all_reminders(today: date) -> list[Reminder]:
    plans = _plans_to_remind(today)
    return [
        *pending_decisions(plans, today),
        *meetings_without_notice(today),
        *plans_ending(plans, today),
        *missing_goal_figures(plans, today),
    ]


KEPT = Kept("reminders")
# Every row a reminder is read from: the plans, their indsatser, decisions and meetings, the goals and their
# figures, and the afdelinger the meeting reminders name (helhedsplaner.apps registers them).
KEPT_FROM = (Helhedsplan, Indsats, Beslutning, Afdelingsmoede, Maalsaetning, Maaltal, Afdeling)


def kept_reminders(today: date) -> list[Reminder]:
    """all_reminders(today), kept until the day changes or a row of KEPT_FROM is saved or deleted."""
    return KEPT.value(f"all reminders: {today.isoformat()}", lambda: all_reminders(today))


def send_daily(today: date) -> int:
    """E-mail each staff member their reminders, once per day; returns the number of e-mails sent.

    The day's row is written in the same transaction as the sending, so a failed run is retried in full
    and a repeated run sends nothing.
    """
    with transaction.atomic():
        run, created = Paamindelseskoersel.objects.select_for_update().get_or_create(dato=today)
        if not created:
            return 0
        reminders = all_reminders(today)
        everyone = list(User.objects.filter(groups__name=roles.MEDARBEJDER, is_active=True).exclude(email=""))
        named = {r.recipient_id for r in reminders if r.recipient_id is not None}
        users = {
            u.pk: u for u in [*everyone, *User.objects.filter(pk__in=named, is_active=True).exclude(email="")]
        }
        by_user = {}
        for reminder in reminders:
            targets = [users[reminder.recipient_id]] if reminder.recipient_id in users else everyone
            for user in targets:
                by_user.setdefault(user.pk, []).append(reminder)
        messages = []
        for user_pk, items in sorted(by_user.items()):
            lines = [f"- {r.plan_titel}: {r.text} ({site_link('plan_detail', r.plan_id)})" for r in items]
            body = "Påmindelser om helhedsplanerne i dag:\n\n" + "\n".join(lines) + "\n"
            subject = f"Helhedsplaner: {len(items)} påmindelse{'r' if len(items) != 1 else ''}"
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [users[user_pk].email]))
        send_mass_mail(messages)
        run.antal = len(reminders)
        run.save(update_fields=["antal"])
    return len(messages)
