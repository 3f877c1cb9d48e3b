"""The simple lifecycle of every indsats that is not a helhedsplan, declared in one place.

forslag → behandlet (på afdelingsmøde) → aktiv → afsluttet, and opgivet from any open state.
A boligsocial helhedsplan has its own grant lifecycle (helhedsplaner/), which sets `Indsats.status`
itself; the register never offers these transitions for one. The detail page draws its buttons from
TRANSITIONS, and `fire` is the only code that changes the status of a non-helhedsplan indsats.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import transaction

from config.web import roles
from indsatser.afslutning import afslutning_mangler, record_afslutning
from indsatser.models import Indsats, IndsatsHaendelse

Status = Indsats.Status


def _needs_afdelinger(indsats: Indsats) -> list[str]:
    if not indsats.afdelinger.all():
        return ["Indsatsen har ingen afdelinger."]
    return []


def _ready_to_start(indsats: Indsats) -> list[str]:
    reasons = _needs_afdelinger(indsats)
    if not indsats.startdato:
        reasons.append("Indsatsen har ingen startdato.")
    return reasons


def _no_guard(indsats: Indsats) -> list[str]:
    return []


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    allowed: Callable[..., bool]
    guard: Callable[[Indsats], list[str]]
    help: str
    comment_required: bool = False
    primary: bool = True


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        name="behandl",
        label="Registrér behandling på afdelingsmøde",
        sources=(Status.FORSLAG,),
        target=Status.BEHANDLET,
        allowed=roles.is_medarbejder,
        guard=_needs_afdelinger,
        help="Afdelingsmøderne i de involverede afdelinger har behandlet forslaget og sagt ja.",
    ),
    Transition(
        name="start",
        label="Start indsatsen",
        sources=(Status.BEHANDLET,),
        target=Status.AKTIV,
        allowed=roles.is_medarbejder,
        guard=_ready_to_start,
        help="Indsatsen går i gang, og aktiviteterne kører.",
    ),
    Transition(
        name="afslut",
        label="Afslut indsatsen",
        sources=(Status.AKTIV,),
        target=Status.AFSLUTTET,
        allowed=roles.is_medarbejder,
        guard=afslutning_mangler,
        help="Alle fem afslutningskriterier er vurderet, og hver aktivitet har en forankringsbeslutning.",
    ),
    Transition(
        name="opgiv",
        label="Opgiv indsatsen",
        sources=(Status.FORSLAG, Status.BEHANDLET, Status.AKTIV),
        target=Status.OPGIVET,
        allowed=roles.is_medarbejder,
        guard=_no_guard,
        help="Indsatsen gennemføres ikke (videre). Skriv hvorfor.",
        comment_required=True,
        primary=False,
    ),
)
BY_NAME = {t.name: t for t in TRANSITIONS}


class TransitionRefused(Exception):
    """The transition cannot be fired now; `reasons` says why, in Danish, for the user."""

    def __init__(self, reasons: list[str]):
        super().__init__("; ".join(reasons))
        self.reasons = reasons


def uses_simple_lifecycle(indsats: Indsats) -> bool:
    return not indsats.type.has_own_lifecycle


def refusals(indsats: Indsats, transition: Transition, *, check_guard: bool = True) -> list[str]:
    if not uses_simple_lifecycle(indsats):
        return ["En boligsocial helhedsplans status følger helhedsplanens eget forløb."]
    if indsats.status not in transition.sources:
        return [f"Handlingen kan ikke udføres, når indsatsen har status »{indsats.get_status_display()}«."]
    return transition.guard(indsats) if check_guard else []


def available(indsats: Indsats, user) -> list[tuple[Transition, list[str]]]:
    """The transitions this user could fire from the current state, each with what still blocks it."""
    if not uses_simple_lifecycle(indsats):
        return []
    return [(t, t.guard(indsats)) for t in TRANSITIONS if indsats.status in t.sources and t.allowed(user)]


def fire(indsats: Indsats, name: str, user, comment: str = "") -> Indsats:
    """Fire one transition: lock the row, check permission and guard, write the state and the event.

    Raises PermissionDenied if the user's role may not fire it, TransitionRefused if it cannot be fired now.
    """
    transition = BY_NAME.get(name)
    if transition is None:
        raise TransitionRefused(["Handlingen findes ikke."])
    if not transition.allowed(user):
        raise PermissionDenied
    comment = comment.strip()
    with transaction.atomic():
        locked = Indsats.objects.select_for_update(of=("self",)).select_related("type").get(pk=indsats.pk)
        reasons = refusals(locked, transition)
        if transition.comment_required and not comment:
            reasons.append("Skriv en begrundelse.")
        if reasons:
            raise TransitionRefused(reasons)
        previous = locked.status
        locked.status = transition.target
        if transition.target == Status.AFSLUTTET:
            record_afslutning(locked, user)
        locked._history_user = user
        locked._change_reason = transition.label
        locked.save()
        IndsatsHaendelse.objects.create(
            indsats=locked,
            bruger=user,
            overgang=transition.name,
            fra_status=previous,
            til_status=transition.target,
            kommentar=comment,
        )
    return locked
