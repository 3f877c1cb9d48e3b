"""What the funders approved is the record: the frame of an indsats, and an indsats that is closed.

The frame is what LBF and the kommune were asked for and approved (DOMAIN.md "The approved plan and
changes to it"): the afdelinger, the period, the funding period and its indsatsområder (the budget is laid
out by them), the type, and in finansiering the fordelingsnøgle and the approved budget version. The
helhedsplan lifecycle locks it (`Indsats.ramme_laast`) from the moment a plan is sent to the funders, and
from their approval on; while it is locked it changes only through an approved change request
(helhedsplaner/actions.py), which writes the new frame itself. The title, description, goals, partners
and the person responsible are the plan's working content and stay editable.

A closed indsats (afsluttet) is the record of how it ended: nothing of it changes any more, except through
the admin's correction, which asks why and leaves an entry on the timeline. Comments stay open.

Every page, form, import and the admin asks these functions; there is no other copy of the rule.
"""

from indsatser.models import Indsats

# The Indsats fields (and many-to-many fields) that make up the frame.
FRAME_FIELDS = ("type", "periode", "startdato", "slutdato", "afdelinger", "indsatsomraader")

FRAME_MESSAGE = (
    "Rammen er låst, fordi planen er sendt til eller godkendt af Landsbyggefonden og kommunen: "
    "afdelinger, periode, indsatsområder, fordelingsnøgle og det godkendte budget ændres med en "
    "ændring af godkendt plan."
)
APPROVED_FRAME_MESSAGE = (
    "Rammen er låst, siden Landsbyggefonden og kommunen godkendte planen: afdelinger, periode og "
    "fordelingsnøgle ændres ikke her, og intet er gemt. Anmod om en ændring af godkendt plan "
    "(ændringsanmodning)."
)
CLOSED_MESSAGE = (
    "Indsatsen er afsluttet og kan ikke længere ændres. En fejl rettes af en administrator, "
    "som skal begrunde rettelsen."
)


class Locked(Exception):
    """A change the lock refuses; the message is Danish and meant for the user."""


class FrameLocked(Locked):
    """The frame is locked: it changes only through an approved change request."""


class IndsatsClosed(Locked):
    """The indsats is closed: only the admin's audited correction changes it."""


def is_closed(indsats: Indsats) -> bool:
    return indsats.status == Indsats.Status.AFSLUTTET


def frame_locked(indsats: Indsats) -> bool:
    return indsats.ramme_laast or is_closed(indsats)


def frame_message(indsats: Indsats) -> str:
    """Why the frame of this indsats cannot be changed here: since the funders' approval (the indsats is
    aktiv), or since the plan was sent to them."""
    return APPROVED_FRAME_MESSAGE if indsats.status == Indsats.Status.AKTIV else FRAME_MESSAGE


def check_open(indsats: Indsats) -> None:
    """Refuse any change to a closed indsats."""
    if is_closed(indsats):
        raise IndsatsClosed(CLOSED_MESSAGE)


def check_frame(indsats: Indsats, changed=FRAME_FIELDS) -> None:
    """Refuse a change to a closed indsats, and a change to the frame (`changed`: the names of the fields
    that change; by default the whole frame) while it is locked."""
    check_open(indsats)
    if indsats.ramme_laast and set(changed) & set(FRAME_FIELDS):
        raise FrameLocked(FRAME_MESSAGE)
