"""Reminders of the reports the funders expect (Rapporteringsforpligtelse): 14 days before the deadline to
the person responsible for the report, and after it (the day after, then every week until it is sent) also
to the plan's responsible staff member and the secretariat.

The daily task writes one Fristpaamindelse per report, step and person; the unique constraint on those three
makes a second run on the same day, or a run after a missed day, write nothing that is there already. A
reminder is on its person's start page at once, and by e-mail either at once (a Besked) or in the weekly
digest, as the person has chosen for that kind of notification (Notifikationsvalg; without a choice: at once).
"""

from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone

from config.web import roles
from helhedsplaner import notifications, queries
from helhedsplaner.models import (
    Besked,
    Fristpaamindelse,
    Levering,
    Notifikationsart,
    Notifikationsvalg,
    Rapporteringsforpligtelse,
)

User = get_user_model()

BEFORE = timedelta(days=14)
AFTER_EVERY = timedelta(weeks=1)


def reminder_step(frist: date, today: date) -> tuple[str, str] | None:
    """The step a report with this deadline is at today, as (step, kind of notification), or None.

    From 14 days before the deadline to the deadline itself: "foer". From the day after: "efter-0" for the
    first week, "efter-1" for the next, and so on, so each step starts on the day after the deadline plus a
    whole number of weeks. A day the task did not run is caught up the next day within the same step."""
    if frist - BEFORE <= today <= frist:
        return "foer", Notifikationsart.FRIST_FOER
    if today > frist:
        week = (today - frist - timedelta(days=1)) // AFTER_EVERY
        return f"efter-{week}", Notifikationsart.FRIST_OVERSKREDET
    return None


def _recipients(obligation, art, secretariat, staff) -> set:
    """Who is reminded of the report: its responsible person (or the plan's, or every medarbejder); after
    the deadline also the plan's responsible staff member and the secretariat."""
    responsible = obligation.ansvarlig_id or obligation.plan.indsats.ansvarlig_id
    users = {responsible} if responsible else set(staff)
    if art == Notifikationsart.FRIST_OVERSKREDET:
        if obligation.plan.indsats.ansvarlig_id:
            users.add(obligation.plan.indsats.ansvarlig_id)
        users.update(secretariat)
    return users


def write_reminders(today: date) -> int:
    """Write today's reminders and queue the e-mails of those who want them at once; returns how many were
    written. Safe to run again: what is written already is not written or sent twice."""
    with transaction.atomic():
        obligations = list(
            queries.owed(
                Rapporteringsforpligtelse.objects.exclude(status=Rapporteringsforpligtelse.Status.SENDT)
            )
            .filter(frist__lte=today + BEFORE)
            .select_related("plan__indsats")
            .only("frist", "ansvarlig_id", "plan__indsats__ansvarlig_id")
        )
        active = User.objects.filter(is_active=True)
        secretariat = set(active.filter(groups__name=roles.SEKRETARIAT).values_list("pk", flat=True))
        staff = set(active.filter(groups__name=roles.MEDARBEJDER).values_list("pk", flat=True))
        choices = {
            (user_id, art): levering
            for user_id, art, levering in Notifikationsvalg.objects.values_list("bruger", "art", "levering")
        }
        existing = set(
            Fristpaamindelse.objects.filter(forpligtelse__in=obligations).values_list(
                "forpligtelse", "trin", "modtager"
            )
        )
        new = []
        for obligation in obligations:
            step = reminder_step(obligation.frist, today)
            if step is None:
                continue
            trin, art = step
            for user_id in sorted(_recipients(obligation, art, secretariat, staff)):
                if (obligation.pk, trin, user_id) in existing:
                    continue
                new.append(
                    Fristpaamindelse(
                        forpligtelse=obligation,
                        trin=trin,
                        art=art,
                        modtager_id=user_id,
                        dato=today,
                        levering=choices.get((user_id, art), Levering.STRAKS),
                    )
                )
        written = Fristpaamindelse.objects.bulk_create(new)
        for reminder in written:
            if reminder.levering == Levering.STRAKS:
                notifications.queue(Besked.Art.FRISTPAAMINDELSE, reminder.pk)
    return len(written)


def send_weekly_digest() -> int:
    """E-mail each person who chose the weekly digest one message with every reminder not mailed yet;
    returns the number of e-mails. The reminders are marked in the same transaction as the sending, so a
    failed run is retried in full and a repeated run sends nothing."""
    with transaction.atomic():
        pending = list(
            Fristpaamindelse.objects.select_for_update(of=("self",))
            .filter(levering=Levering.UGENTLIG, mailet__isnull=True)
            .select_related("modtager", "forpligtelse__type", "forpligtelse__plan__indsats")
            .order_by("modtager", "forpligtelse__frist", "pk")
        )
        by_user = {}
        for reminder in pending:
            # Sent to the funders since, or the plan closed: nothing to remind of.
            if reminder.forpligtelse.sendt or not reminder.forpligtelse.plan.koerer:
                continue
            by_user.setdefault(reminder.modtager, []).append(reminder)
        messages = []
        for user, items in by_user.items():
            if not user.is_active or not user.email:
                continue
            lines = "\n".join(f"- {notifications.deadline_line(reminder)}" for reminder in items)
            subject = f"Rapporteringsfrister: {len(items)} påmindelse{'r' if len(items) != 1 else ''} i ugen"
            body = f"Ugens påmindelser om helhedsplanernes rapporteringsfrister:\n\n{lines}\n"
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, [user.email]))
        send_mass_mail(messages)
        Fristpaamindelse.objects.filter(pk__in=[reminder.pk for reminder in pending]).update(
            mailet=timezone.now()
        )
    return len(messages)
