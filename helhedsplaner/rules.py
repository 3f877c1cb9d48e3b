"""Who may do what with helhedsplaner. Moving a plan through its lifecycle is declared in lifecycle.py."""

import rules

from helhedsplaner.packs import rules as pack_rules  # noqa: F401  (registers who may order and export packs)
from screening.models import board_afdeling_ids
from screening.rules import is_administrator, is_medarbejder, is_sekretariat, sees_all_afdelinger


def plan_afdeling_ids(plan) -> set[int]:
    """The plan's afdelinger, fetched once per plan object."""
    cached = getattr(plan, "_afdeling_ids", None)
    if cached is None:
        cached = set(plan.indsats.afdelinger.values_list("pk", flat=True))
        plan._afdeling_ids = cached
    return cached


def know_afdelinger(plan, afdelinger) -> None:
    """Give the permission checks the plan's afdelinger from a list a page has read anyway."""
    plan._afdeling_ids = {afdeling.pk for afdeling in afdelinger}


@rules.predicate
def is_board_member_of_plan(user, plan):
    return (
        plan is not None
        and user.is_authenticated
        and bool(board_afdeling_ids(user) & plan_afdeling_ids(plan))
    )


@rules.predicate
def is_open_for_review(user, plan):
    return plan is not None and plan.state.review_open


rules.add_perm("helhedsplaner.view_helhedsplan", sees_all_afdelinger | is_board_member_of_plan)
rules.add_perm("helhedsplaner.add_helhedsplan", is_medarbejder)
rules.add_perm("helhedsplaner.change_helhedsplan", is_medarbejder)
# The state first: it needs no query, and outside the review no board seat is looked up.
rules.add_perm(
    "helhedsplaner.comment_helhedsplan", is_medarbejder | (is_open_for_review & is_board_member_of_plan)
)
rules.add_perm("helhedsplaner.resolve_kommentar", is_medarbejder)
rules.add_perm("helhedsplaner.add_beslutning", is_medarbejder | is_sekretariat)
rules.add_perm("helhedsplaner.change_afdelingsmoede", is_medarbejder)
# Following up a tilsagn's conditions is staff's work; board members read them with the plan.
rules.add_perm("helhedsplaner.change_betingelse", is_medarbejder)
# The active years: staff fill the year's status and mark reports ready; the secretariat, which sends them
# to the funders, marks them sent. Board members read the plan's years with the plan.
rules.add_perm("helhedsplaner.change_aarsstatus", is_medarbejder)
rules.add_perm("helhedsplaner.send_rapportering", is_sekretariat | is_administrator)
# What is due across plans (every plan's reports) is for those who see every plan: not a board member.
rules.add_perm("helhedsplaner.view_frister", sees_all_afdelinger)
