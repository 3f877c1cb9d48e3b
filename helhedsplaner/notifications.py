"""E-mails to the people involved in a plan (on state changes, decisions and comments), invitations to new
board members and password resets.

A service queues a notice (`queue`) inside its transaction: a Besked row, sent by a Celery task once the
transaction has committed. The request itself never talks to the mail server, and a mail server that is
down or refuses delays the e-mail (the task retries with back-off) without touching what was saved.
The task reads the rows again by id. One message per recipient, so no one sees the others' addresses.
A mail is read outside the application, so its links are absolute: settings.SITE_URL and the page's path.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from config import password_reset_throttle
from config.web import roles
from config.web.formatting import numeric_date
from config.web.forms import DkfdsFormMixin
from config.web.tokens import account_token_generator
from helhedsplaner.models import Besked, Fristpaamindelse, Haendelse, Kommentar, Notifikationsart
from screening.models import Bestyrelsesmedlem, held_seat

logger = logging.getLogger(__name__)
User = get_user_model()

# A notice whose task should have run this long ago (the queue was down when it was sent, or its worker died)
# is sent again by send_stale_notices.
STALE = timedelta(minutes=10)


def queue(art, objekt_id=None, *, adresse="") -> Besked:
    """Queue a notice about `objekt_id` (a password reset: about `adresse`); it is sent once the current
    transaction commits."""
    besked = Besked.objects.create(art=art, objekt_id=objekt_id, adresse=adresse)
    transaction.on_commit(lambda: send_later(besked.pk))
    return besked


def send_later(besked_id):
    """Hand the notice to the queue. Never raises: what it tells about is committed already.

    Without a broker (REDIS_URL unset) the task runs here and now; a mail server that fails it is logged and
    the notice stays unsent, as when the queue is unreachable.
    """
    from helhedsplaner.tasks import send_notice  # imported here: the tasks module imports this one

    try:
        send_notice.delay(besked_id)
    except Exception:
        logger.exception("Besked %s kunne ikke sendes nu; den bliver liggende", besked_id)


def resend_stale() -> int:
    """Send again the notices whose task should have run by now; the task skips addresses already mailed."""
    stale = Besked.objects.filter(
        sendt__isnull=True, opgivet__isnull=True, naeste_forsoeg__lt=timezone.now() - STALE
    ).values_list("pk", flat=True)
    ids = list(stale)
    for besked_id in ids:
        send_later(besked_id)
    return len(ids)


def deliver(besked_id) -> list[str]:
    """Send the notice to each recipient not mailed yet, recording each address as it goes out."""
    besked = Besked.objects.filter(pk=besked_id, sendt__isnull=True, opgivet__isnull=True).first()
    if besked is None:
        return []
    done = set(besked.sendt_til)
    pending = [message for message in MESSAGES[besked.art](besked) if message.to[0] not in done]
    if pending:
        with get_connection() as mail_connection:
            for message in pending:
                message.connection = mail_connection
                message.send()
                done.add(message.to[0])
                Besked.objects.filter(pk=besked.pk).update(sendt_til=sorted(done))
    Besked.objects.filter(pk=besked.pk).update(sendt=timezone.now(), fejl="")
    return [message.to[0] for message in pending]


def record_failure(besked_id, error, retry_in: float | None):
    """A failed attempt: when the next one is due, or (retry_in None) that the task gave up."""
    now = timezone.now()
    fields = {"fejl": f"{type(error).__name__}: {error}"[:2000]}
    if retry_in is None:
        fields["opgivet"] = now
    else:
        fields["naeste_forsoeg"] = now + timedelta(seconds=retry_in)
    Besked.objects.filter(pk=besked_id).update(forsoeg=F("forsoeg") + 1, **fields)


def _involved(plan):
    """The plan's responsible staff member and the board members of its afdelinger."""
    # One Q: the seat on the plan's afdeling must be one still held.
    board = Q(bestyrelsesposter__afdeling__in=plan.indsats.afdelinger.all())
    board &= held_seat("bestyrelsesposter__")
    condition = board | Q(pk=plan.indsats.ansvarlig_id) if plan.indsats.ansvarlig_id else board
    return User.objects.filter(condition)


def _staff_for(plan):
    """Who answers for the plan at fsb: its responsible staff member, or every medarbejder if none is set."""
    if plan.indsats.ansvarlig_id:
        return User.objects.filter(pk=plan.indsats.ansvarlig_id)
    return User.objects.filter(groups__name=roles.MEDARBEJDER)


def _messages(recipients, subject, body, exclude=None) -> list[EmailMessage]:
    addresses = sorted(
        {
            user.email
            for user in recipients.filter(is_active=True).exclude(email="")
            if exclude is None or user.pk != exclude.pk
        }
    )
    return [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in addresses]


def site_link(viewname, *args) -> str:
    """The absolute address of a page, for an e-mail."""
    return settings.SITE_URL + reverse(viewname, args=args)


def _footer(plan):
    return f"\n\nSe planen i Boligsocial sagsbehandling: {site_link('plan_detail', plan.pk)}\n"


def _actor(user):
    return (user.get_full_name() or user.username) if user else "Systemet"


def transition_fired(besked):
    from helhedsplaner.lifecycle import STATE  # imported here: the lifecycle module imports this one

    event = Haendelse.objects.select_related("plan__indsats", "bruger").filter(pk=besked.objekt_id).first()
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
    return _messages(recipients.distinct(), subject, body + _footer(plan), exclude=event.bruger)


def decision_recorded(besked):
    events = Haendelse.objects.select_related("plan__indsats", "bruger", "beslutning")
    event = events.filter(pk=besked.objekt_id).first()
    if event is None or event.beslutning is None:
        return []
    plan, decision = event.plan, event.beslutning
    subject = (
        f"Helhedsplan «{plan}»: {decision.get_organ_display()} – {decision.get_udfald_display().lower()}"
    )
    body = f"{_actor(event.bruger)} har registreret en beslutning om helhedsplanen «{plan}»:\n\n{event.tekst}"
    return _messages(_involved(plan).distinct(), subject, body + _footer(plan), exclude=event.bruger)


def comment_posted(besked):
    """A board member's comment goes to the staff; an answer goes to everyone who wrote in the thread."""
    comments = Kommentar.objects.select_related("plan__indsats", "forfatter", "traad")
    comment = comments.filter(pk=besked.objekt_id).first()
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
    writer = _actor(comment.forfatter)
    if comment.bestyrelse_for:
        writer += f" (afdelingsbestyrelsen i {comment.bestyrelse_for})"
    body = f"{writer} skriver om afsnittet «{section}» i helhedsplanen «{plan}»:"
    body += f"\n\n{comment.tekst}"
    return _messages(recipients.distinct(), subject, body + _footer(plan), exclude=comment.forfatter)


def _password_link(user) -> str:
    """A link to choose a password, made when the e-mail is sent (the token is never queued): Django's
    password reset token, which a new password or a login makes void."""
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return site_link("password_reset_confirm", uid, account_token_generator.make_token(user))


def _link_lifetime() -> str:
    days = settings.PASSWORD_RESET_TIMEOUT // (24 * 60 * 60)
    return f"{days} dage" if days != 1 else "1 døgn"


def password_reset(besked):
    """A link for each active user with the address as typed (any case); none for an unknown address. Also
    for a user who has not chosen a password yet (an invited board member whose link ran out): there is no
    other way to log in that a password here would bypass. None, while single sign-on is on, for an account
    linked to the provider: it logs in there (config.accounts.forms.LoginForm)."""
    users = User.objects.filter(email__iexact=besked.adresse, is_active=True).exclude(email="")
    if settings.SSO_ENABLED:
        users = users.filter(provider_identity__isnull=True)
    return [_password_reset_message(user) for user in users.order_by("pk")]


def _password_reset_message(user) -> EmailMessage:
    subject = "Nulstil din adgangskode til Boligsocial sagsbehandling"
    body = (
        f"Der er bedt om en ny adgangskode til din bruger i Boligsocial sagsbehandling.\n\n"
        f"Vælg en ny adgangskode her:\n{_password_link(user)}\n\n"
        f"Dit brugernavn er {user.get_username()}. Linket virker i {_link_lifetime()} og kun én gang.\n\n"
        "Har du ikke bedt om det, kan du se bort fra denne e-mail: din adgangskode er ikke ændret.\n"
    )
    return EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])


def invitation(besked):
    """A new board member's invitation: a link to choose their first password. Not sent once the seat has
    ended or the person has chosen a password (they then log in as usual)."""
    seats = Bestyrelsesmedlem.objects.held().select_related("user", "afdeling")
    seat = seats.filter(pk=besked.objekt_id, user__is_active=True).first()
    if seat is None or not seat.user.email or seat.user.has_usable_password():
        return []
    user = seat.user
    subject = f"Invitation til Boligsocial sagsbehandling: afdelingsbestyrelsen i {seat.afdeling}"
    body = (
        f"Kære {user.get_full_name() or user.get_username()}\n\n"
        f"fsb har registreret dig som {seat.get_rolle_display().lower()} i afdelingsbestyrelsen for "
        f"{seat.afdeling}. I Boligsocial sagsbehandling kan du læse og kommentere de boligsociale planer, "
        f"der omfatter afdelingen.\n\n"
        f"Vælg din adgangskode her:\n{_password_link(user)}\n\n"
        f"Dit brugernavn er {user.get_username()}. Linket virker i {_link_lifetime()} og kun én gang. "
        f"Er det udløbet, kan du bruge «Glemt adgangskode?» på siden, hvor du logger ind:\n"
        f"{site_link('login')}\n"
    )
    return [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [user.email])]


def deadline_line(reminder) -> str:
    """One reminder of a report's deadline as a line of text, with the address of the plan's year."""
    obligation = reminder.forpligtelse
    plan = obligation.plan
    if reminder.art == Notifikationsart.FRIST_OVERSKREDET:
        when = f"fristen var {numeric_date(obligation.frist)} og er overskredet"
    else:
        when = f"frist {numeric_date(obligation.frist)}"
    link = site_link("plan_year", plan.pk, obligation.aar)
    return f"«{obligation.type} {obligation.aar}» for helhedsplanen «{plan}»: {when} ({link})"


def deadline_reminder(besked):
    """A reminder of a report's deadline to the one person it was written for, unless the report has been
    sent since."""
    reminders = Fristpaamindelse.objects.select_related(
        "modtager", "forpligtelse__type", "forpligtelse__plan__indsats"
    )
    reminder = reminders.filter(pk=besked.objekt_id, modtager__is_active=True).first()
    if reminder is None or reminder.forpligtelse.sendt or not reminder.modtager.email:
        return []
    if reminder.art == Notifikationsart.FRIST_OVERSKREDET:
        subject = f"Overskredet frist: {reminder.forpligtelse.type} {reminder.forpligtelse.aar}"
    else:
        subject = f"Frist om 14 dage: {reminder.forpligtelse.type} {reminder.forpligtelse.aar}"
    body = (
        f"Påmindelse om en rapport til fonden:\n\n{deadline_line(reminder)}\n\n"
        f"Du kan vælge at få disse påmindelser samlet én gang om ugen: {site_link('notification_settings')}\n"
    )
    return [EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [reminder.modtager.email])]


MESSAGES = {
    Besked.Art.OVERGANG: transition_fired,
    Besked.Art.BESLUTNING: decision_recorded,
    Besked.Art.KOMMENTAR: comment_posted,
    Besked.Art.NULSTIL_ADGANGSKODE: password_reset,
    Besked.Art.INVITATION: invitation,
    Besked.Art.FRISTPAAMINDELSE: deadline_reminder,
}


class PasswordResetForm(DkfdsFormMixin, auth_forms.PasswordResetForm):
    """Django's form, with the e-mail queued as a notice about the address as typed: the request neither waits
    for the mail server nor looks up who has the address (the task does), so it does the same work whether
    the address belongs to someone or not. Requests beyond the limits (config.password_reset_throttle) queue
    nothing and get the same answer. The link points at SITE_URL, never at the host the request named."""

    def save(self, *, request, **kwargs):
        address = self.cleaned_data["email"]
        if password_reset_throttle.admits(request, address):
            queue(Besked.Art.NULSTIL_ADGANGSKODE, adresse=address)
