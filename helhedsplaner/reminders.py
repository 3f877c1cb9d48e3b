"""What staff should be reminded of, computed from the data: the daily e-mail and the staff home page.

- decisions pending for more than 8 weeks (a state that awaits an organ, entered more than 8 weeks ago,
  without that organ's decision in this round);
- afdelingsmøder within 14 days without a notice date;
- plans ending within 18 months (time to prepare the next one);
- active plans without this year's goal figures.
Each query is one SELECT however many plans there are.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Exists, F, OuterRef
from django.urls import reverse

from helhedsplaner import lifecycle
from helhedsplaner.models import Afdelingsmoede, Beslutning, Helhedsplan, Paamindelseskoersel
from indsatser.models import Maaltal
from screening import roles

User = get_user_model()

DECISION_WAIT = timedelta(weeks=8)
MEETING_NOTICE_WINDOW = timedelta(days=14)
ENDING_WINDOW_MONTHS = 18


@dataclass(frozen=True)
class Reminder:
    kind: str
    plan: Helhedsplan
    text: str
    recipient_id: int | None  # the plan's responsible staff member (None: every medarbejder)


def _months_later(day: date, months: int) -> date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, 28))


def _plans():
    """Just what a reminder shows and whom it goes to (the staff home lists one per plan, some 150
    at national scale): not the plan's texts, and the responsible user's id only."""
    return Helhedsplan.objects.select_related("indsats").only(
        "tilstand", "tilstand_siden", "fase_nr", "indsats__titel", "indsats__slutdato", "indsats__ansvarlig"
    )


def pending_decisions(today: date) -> list[Reminder]:
    reminders = []
    waiting = [state for state in lifecycle.STATES if set(state.awaits) - {Beslutning.Organ.AFDELINGSMOEDE}]
    cutoff = today - DECISION_WAIT
    for state in waiting:
        organs = [organ for organ in state.awaits if organ != Beslutning.Organ.AFDELINGSMOEDE]
        decided = {
            organ: Exists(
                Beslutning.objects.filter(plan=OuterRef("pk"), fase_nr=OuterRef("fase_nr"), organ=organ)
            )
            for organ in organs
        }
        plans = (
            _plans()
            .filter(tilstand=state.code, tilstand_siden__date__lt=cutoff)
            .annotate(**{f"har_{organ}": condition for organ, condition in decided.items()})
        )
        for plan in plans:
            missing = [Beslutning.Organ(organ).label for organ in organs if not getattr(plan, f"har_{organ}")]
            if missing:
                weeks = (today - plan.tilstand_siden.date()).days // 7
                text = f"Har ventet {weeks} uger i fasen «{state.label}» "
                text += f"på beslutning fra {' og '.join(missing)}."
                reminders.append(Reminder("beslutning", plan, text, plan.indsats.ansvarlig_id))
    return reminders


def meetings_without_notice(today: date) -> list[Reminder]:
    meetings = (
        Afdelingsmoede.objects.filter(
            plan__tilstand=lifecycle.AFDELINGSMOEDER,
            runde=F("plan__moederunde"),
            indkaldt_dato__isnull=True,
            dato__gte=today,
            dato__lte=today + MEETING_NOTICE_WINDOW,
        )
        .select_related("plan__indsats", "afdeling")
        .order_by("dato")
    )
    return [
        Reminder(
            "indkaldelse",
            meeting.plan,
            f"Afdelingsmødet i {meeting.afdeling} den {meeting.dato:%d.%m.%Y} "
            "har ingen registreret indkaldelse.",
            meeting.plan.indsats.ansvarlig_id,
        )
        for meeting in meetings
    ]


def plans_ending(today: date) -> list[Reminder]:
    horizon = _months_later(today, ENDING_WINDOW_MONTHS)
    plans = _plans().filter(
        tilstand__in=[lifecycle.AKTIV, lifecycle.AFSLUTNING],
        indsats__slutdato__gte=today,
        indsats__slutdato__lte=horizon,
    )
    return [
        Reminder(
            "slutter",
            plan,
            f"Slutter {plan.indsats.slutdato:%d.%m.%Y}: tid til at forberede den næste plan.",
            plan.indsats.ansvarlig_id,
        )
        for plan in plans.order_by("indsats__slutdato")
    ]


def missing_goal_figures(today: date) -> list[Reminder]:
    this_year = Maaltal.objects.filter(
        maalsaetning__indsats=OuterRef("indsats"), aar=today.year, maalt__isnull=False
    )
    plans = _plans().filter(tilstand=lifecycle.AKTIV).filter(~Exists(this_year))
    return [
        Reminder(
            "maaltal",
            plan,
            f"Ingen målte værdier for {today.year} på planens mål.",
            plan.indsats.ansvarlig_id,
        )
        for plan in plans.order_by("indsats__titel")
    ]


def all_reminders(today: date) -> list[Reminder]:
    return [
        *pending_decisions(today),
        *meetings_without_notice(today),
        *plans_ending(today),
        *missing_goal_figures(today),
    ]


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
            lines = [f"- {r.plan}: {r.text} ({reverse('plan_detail', args=[r.plan.pk])})" for r in items]
            body = "Påmindelser om helhedsplanerne i dag:\n\n" + "\n".join(lines) + "\n"
            subject = f"Helhedsplaner: {len(items)} påmindelse{'r' if len(items) != 1 else ''}"
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [users[user_pk].email]))
        send_mass_mail(messages)
        run.antal = len(reminders)
        run.save(update_fields=["antal"])
    return len(messages)
