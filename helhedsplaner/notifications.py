"""E-mails to the people involved in a plan: on state changes, decisions and comments.

Called after the transaction commits (transaction.on_commit), with ids: the rows are read again here.
One message per recipient, so no one sees the others' addresses.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import send_mass_mail
from django.db.models import Q
from django.urls import reverse

from helhedsplaner.models import Haendelse, Kommentar
from screening import roles

User = get_user_model()


def _involved(plan):
    """The plan's responsible staff member and the board members of its afdelinger."""
    board = Q(bestyrelsesposter__afdeling__in=plan.indsats.afdelinger.all())
    condition = board | Q(pk=plan.indsats.ansvarlig_id) if plan.indsats.ansvarlig_id else board
    return User.objects.filter(condition)


def _staff_for(plan):
    """Who answers for the plan at fsb: its responsible staff member, or every medarbejder if none is set."""
    if plan.indsats.ansvarlig_id:
        return User.objects.filter(pk=plan.indsats.ansvarlig_id)
    return User.objects.filter(groups__name=roles.MEDARBEJDER)


def _send(recipients, subject, body, exclude=None):
    addresses = sorted(
        {
            user.email
            for user in recipients.filter(is_active=True).exclude(email="")
            if exclude is None or user.pk != exclude.pk
        }
    )
    send_mass_mail([(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses])
    return addresses


def _footer(plan):
    return f"\n\nSe planen i Boligsocial sagsbehandling: {reverse('plan_detail', args=[plan.pk])}\n"


def _actor(user):
    return (user.get_full_name() or user.username) if user else "Systemet"


def transition_fired(event_id):
    from helhedsplaner.lifecycle import STATE  # imported here: the lifecycle module imports this one

    event = Haendelse.objects.select_related("plan__indsats", "bruger").filter(pk=event_id).first()
    if event is None:
        return []
    plan = event.plan
    state = STATE[event.til_tilstand]
    recipients = _involved(plan)
    if set(state.awaits) & {"lbf", "kommune"}:
        recipients = recipients | User.objects.filter(groups__name=roles.SEKRETARIAT)
    subject = f"Helhedsplan «{plan}»: {state.label}"
    body = (
        f"{_actor(event.bruger)} har flyttet helhedsplanen «{plan}» fra «{STATE[event.fra_tilstand].label}» "
        f"til «{state.label}».\n\n{state.description}"
    )
    if event.tekst:
        body += f"\n\n{event.tekst}"
    return _send(recipients.distinct(), subject, body + _footer(plan), exclude=event.bruger)


def decision_recorded(event_id):
    event = (
        Haendelse.objects.select_related("plan__indsats", "bruger", "beslutning").filter(pk=event_id).first()
    )
    if event is None or event.beslutning is None:
        return []
    plan, decision = event.plan, event.beslutning
    subject = (
        f"Helhedsplan «{plan}»: {decision.get_organ_display()} – {decision.get_udfald_display().lower()}"
    )
    body = f"{_actor(event.bruger)} har registreret en beslutning om helhedsplanen «{plan}»:\n\n{event.tekst}"
    return _send(_involved(plan).distinct(), subject, body + _footer(plan), exclude=event.bruger)


def comment_posted(comment_id):
    """A board member's comment goes to the staff; an answer goes to everyone who wrote in the thread."""
    comment = (
        Kommentar.objects.select_related("plan__indsats", "forfatter", "traad").filter(pk=comment_id).first()
    )
    if comment is None:
        return []
    plan = comment.plan
    thread = comment.traad or comment
    writers = User.objects.filter(Q(pk=thread.forfatter_id) | Q(pk__in=thread.svar.values("forfatter_id")))
    recipients = writers
    if comment.forfatter is None or not roles.is_medarbejder(comment.forfatter):
        recipients = writers | _staff_for(plan)
    section = comment.get_sektion_display()
    subject = f"Helhedsplan «{plan}»: {'svar' if comment.traad_id else 'ny kommentar'} til «{section}»"
    body = f"{_actor(comment.forfatter)} skriver om afsnittet «{section}» i helhedsplanen «{plan}»:"
    body += f"\n\n{comment.tekst}"
    return _send(recipients.distinct(), subject, body + _footer(plan), exclude=comment.forfatter)
