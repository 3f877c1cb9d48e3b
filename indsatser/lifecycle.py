"""The simple lifecycle of every indsats that is not a helhedsplan, declared in one place.

forslag → behandlet (på afdelingsmøde) → aktiv → afsluttet, and opgivet from any open state.
A boligsocial helhedsplan has its own grant lifecycle (helhedsplaner/), which sets `Indsats.status`
itself; the register never offers these transitions for one. The detail page draws its buttons from
TRANSITIONS, and `fire` is the only code that changes the status of a non-helhedsplan indsats.
"""

from django.db import transaction

from indsatser.afslutning import afslutning_mangler, record_afslutning
from indsatser.models import Indsats, IndsatsHaendelse
from indsatser.transitions import (
    BEGRUNDELSE,
    KOMMENTAR,
    STAFF,
    Forbidden,
    Guard,
    Refused,
    Transition,
    blockers,
    may_fire,
)

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


HAS_AFDELINGER = Guard("har_afdelinger", "Indsatsen omfatter mindst én afdeling.", _needs_afdelinger)
READY_TO_START = Guard("klar_til_start", "Indsatsen har afdelinger og en startdato.", _ready_to_start)
CLOSING_CHECKLIST_COMPLETE = Guard(
    "afslutning_vurderet",
    "De fem afslutningskriterier er vurderet, og hver aktivitet har en forankring.",
    afslutning_mangler,
)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        name="behandl",
        label="Registrér behandling på afdelingsmøde",
        sources=(Status.FORSLAG,),
        target=Status.BEHANDLET,
        roles=STAFF,
        guards=(HAS_AFDELINGER,),
        inputs=(KOMMENTAR,),
        help="Afdelingsmøderne i de involverede afdelinger har behandlet forslaget og sagt ja.",
    ),
    Transition(
        name="start",
        label="Start indsatsen",
        sources=(Status.BEHANDLET,),
        target=Status.AKTIV,
        roles=STAFF,
        guards=(READY_TO_START,),
        inputs=(KOMMENTAR,),
        help="Indsatsen går i gang, og aktiviteterne kører.",
    ),
    Transition(
        name="afslut",
        label="Afslut indsatsen",
        sources=(Status.AKTIV,),
        target=Status.AFSLUTTET,
        roles=STAFF,
        guards=(CLOSING_CHECKLIST_COMPLETE,),
        inputs=(KOMMENTAR,),
        help="Alle fem afslutningskriterier er vurderet, og hver aktivitet har en forankringsbeslutning.",
    ),
    Transition(
        name="opgiv",
        label="Opgiv indsatsen",
        sources=(Status.FORSLAG, Status.BEHANDLET, Status.AKTIV),
        target=Status.OPGIVET,
        roles=STAFF,
        inputs=(BEGRUNDELSE,),
        kind="exit",
        help="Indsatsen gennemføres ikke (videre). Skriv hvorfor.",
    ),
)
BY_NAME = {t.name: t for t in TRANSITIONS}


def uses_simple_lifecycle(indsats: Indsats) -> bool:
    return not indsats.type.has_own_lifecycle


def comment_required(transition: Transition) -> bool:
    """Each transition of this lifecycle asks for one text: an optional comment or a required reason."""
    return any(spec.required for spec in transition.inputs)


def refusals(indsats: Indsats, transition: Transition) -> list[str]:
    if not uses_simple_lifecycle(indsats):
        return ["En boligsocial helhedsplans status følger helhedsplanens eget forløb."]
    if indsats.status not in transition.sources:
        return [f"Handlingen kan ikke udføres, når indsatsen har status »{indsats.get_status_display()}«."]
    return blockers(indsats, transition)


def available(indsats: Indsats, user) -> list[tuple[Transition, list[str]]]:
    """The transitions this user could fire from the current state, each with what still blocks it."""
    if not uses_simple_lifecycle(indsats):
        return []
    return [
        (t, blockers(indsats, t)) for t in TRANSITIONS if indsats.status in t.sources and may_fire(user, t)
    ]


def fire(indsats: Indsats, name: str, comment: str = "", *, acting_user) -> Indsats:
    """Fire one transition: lock the row, check permission and guard, write the state and the event.

    Raises Forbidden if the user's role may not fire it, Refused if it cannot be fired now.
    """
    transition = BY_NAME.get(name)
    if transition is None:
        raise Refused(["Handlingen findes ikke."])
    if not may_fire(acting_user, transition):
        raise Forbidden([f"Din rolle kan ikke udføre «{transition.label}»."])
    comment = comment.strip()
    with transaction.atomic():
        locked = Indsats.objects.select_for_update(of=("self",)).select_related("type").get(pk=indsats.pk)
        reasons = refusals(locked, transition)
        if comment_required(transition) and not comment:
            reasons.append("Skriv en begrundelse.")
        if reasons:
            raise Refused(reasons)
        previous = locked.status
        locked.status = transition.target
        if transition.target == Status.AFSLUTTET:
            record_afslutning(locked, acting_user)
        locked._history_user = acting_user
        locked._change_reason = transition.label
        locked.save()
        IndsatsHaendelse.objects.create(
            indsats=locked,
            bruger=acting_user,
            overgang=transition.name,
            fra_status=previous,
            til_status=transition.target,
            kommentar=comment,
        )
    return locked
