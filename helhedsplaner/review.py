"""Board review: comments per section of the plan, answers, and resolving threads."""

from django.db import transaction
from django.utils import timezone

from config.web import roles
from helhedsplaner import notifications
from helhedsplaner.models import SECTION_LABELS, Besked, Haendelse, Kommentar
from indsatser.transitions import Forbidden, Refused


def post_comment(plan, user, *, sektion, tekst, thread=None, notify=True) -> Kommentar:
    """A new thread on a section, or (with `thread`) an answer to one. Answering reopens a resolved thread."""
    if not user.has_perm("helhedsplaner.comment_helhedsplan", plan):
        raise Forbidden("Du kan ikke kommentere planen nu.")
    if thread is not None and (thread.plan_id != plan.pk or thread.traad_id is not None):
        raise Refused("Tråden findes ikke på denne plan.")
    if sektion not in SECTION_LABELS:
        raise Refused("Afsnittet findes ikke.")
    from_staff = roles.is_medarbejder(user)
    with transaction.atomic():
        comment = Kommentar.objects.create(
            plan=plan,
            sektion=thread.sektion if thread else sektion,
            traad=thread,
            forfatter=user,
            tekst=tekst,
            fra_personale=from_staff,
            seneste_fra_personale=from_staff,
        )
        if thread is not None:
            thread.seneste_fra_personale = from_staff
            thread.loest, thread.loest_af = None, None
            thread.save(update_fields=["seneste_fra_personale", "loest", "loest_af"])
        plan.haendelser.create(
            art=Haendelse.Art.KOMMENTAR,
            bruger=user,
            kommentar=comment,
            tekst=f"{'Svar' if thread else 'Kommentar'} til «{comment.get_sektion_display()}»: {tekst}",
        )
        if notify:
            notifications.queue(Besked.Art.KOMMENTAR, comment.pk)
    return comment


def resolve_thread(thread, user) -> Kommentar:
    if not user.has_perm("helhedsplaner.resolve_kommentar", thread.plan):
        raise Forbidden("Kun fsb's medarbejdere kan markere en tråd som løst.")
    with transaction.atomic():
        thread.loest, thread.loest_af = timezone.now(), user
        thread.save(update_fields=["loest", "loest_af"])
        thread.plan.haendelser.create(
            art=Haendelse.Art.LOEST,
            bruger=user,
            kommentar=thread,
            tekst=f"Tråd om «{thread.get_sektion_display()}» markeret som løst.",
        )
    return thread
