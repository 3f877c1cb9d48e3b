"""The terms every lifecycle is declared in: transitions, their guards and inputs, and the refusals.

indsatser/lifecycle.py (every indsats that is not a helhedsplan) and helhedsplaner/lifecycle.py (the
helhedsplan's grant lifecycle) each declare their states and TRANSITIONS with these, and their `fire`
raises these errors, so the pages, the admin and the tests handle a refusal from either the same way.
"""

from collections.abc import Callable
from dataclasses import dataclass

from config.web import roles

MEDARBEJDER = roles.MEDARBEJDER
SEKRETARIAT = roles.SEKRETARIAT
ADMINISTRATOR = roles.ADMINISTRATOR

STAFF = frozenset({MEDARBEJDER})
STAFF_AND_SECRETARIAT = frozenset({MEDARBEJDER, SEKRETARIAT})


class Refused(Exception):
    """The action cannot happen now. .problems are Danish sentences for the user."""

    def __init__(self, problems):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__(" ".join(self.problems))


class Forbidden(Refused):
    """The user's role may not do this."""


class Conflict(Refused):
    """Someone else changed the record after this user looked at it."""


@dataclass(frozen=True)
class Guard:
    code: str
    requirement: str  # what must be true, in Danish
    # subject -> why it is not yet true, in Danish: a sentence or a list of them; None or [] when it is
    blocker: Callable

    def reasons(self, subject) -> list[str]:
        found = self.blocker(subject)
        if not found:
            return []
        return [found] if isinstance(found, str) else list(found)


@dataclass(frozen=True)
class Input:
    name: str
    label: str
    kind: str  # "text" (several lines) or "date"
    required: bool = True
    help: str = ""


BEGRUNDELSE = Input("begrundelse", "Begrundelse", "text")
KOMMENTAR = Input("kommentar", "Kommentar", "text", required=False)


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: tuple[str, ...]
    target: str
    roles: frozenset[str]
    guards: tuple[Guard, ...] = ()
    inputs: tuple[Input, ...] = ()
    # (subject, user, inputs) -> a note for the timeline or None; run inside the transition's transaction
    effects: tuple[Callable, ...] = ()
    kind: str = "frem"  # "frem" along the main path, "tilbage" to drafting, "exit" to a side exit
    help: str = ""


def user_roles(user) -> frozenset[str]:
    """The user's roles as a lifecycle sees them: an administrator can do what staff can."""
    if not user.is_authenticated:
        return frozenset()
    found = set(roles.group_names(user)) & set(roles.ALL_ROLES)
    if roles.is_administrator(user):
        found |= {ADMINISTRATOR, MEDARBEJDER}
    return frozenset(found)


def may_fire(user, transition: Transition) -> bool:
    return bool(user_roles(user) & transition.roles)


def blockers(subject, transition: Transition) -> list[str]:
    """The Danish reasons the transition's guards give for not allowing it now (empty: allowed)."""
    return [reason for guard in transition.guards for reason in guard.reasons(subject)]


def missing_inputs(transition: Transition, inputs: dict) -> list[str]:
    """The labels of the required inputs that are empty."""
    return [spec.label for spec in transition.inputs if spec.required and inputs.get(spec.name) in (None, "")]
