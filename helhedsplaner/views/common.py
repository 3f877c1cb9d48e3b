"""Helpers shared by the plan pages: access, the head every tab shows, the sections with their comment
threads, the dialog responses, and the page's tabs."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django_htmx.http import trigger_client_event

from config.web.formatting import numeric_date
from config.web.htmx import page_template
from helhedsplaner import lifecycle, queries
from helhedsplaner.forms import CommentForm
from helhedsplaner.models import SECTIONS, Helhedsplan
from indsatser.transitions import Conflict, Forbidden

# The event a successful dialog POST announces (HX-Trigger): the plan's page fragments listen for it.
CHANGED_EVENT = "helhedsplanChanged"

# Forward first, then back to drafting, then the exits.
ACTION_ORDER = {"frem": 0, "tilbage": 1, "exit": 2}


def get_plan_for_user(user, pk, **annotations) -> Helhedsplan:
    """The plan if the user may see it; 404 otherwise, so its existence is not revealed. `annotations`:
    what a page reads with the plan's row."""
    queryset = (
        Helhedsplan.objects.visible_to(user)
        .select_related("indsats__ansvarlig", "indsats__periode", "tekst_aendret_af")
        .annotate(**annotations)
    )
    return get_object_or_404(queryset, pk=pk)


def plan_context(request, plan, *, afdelinger=None, meetings=None, decisions=None, conditions=None):
    """What every tab of a plan shows in its head: the state and what this user can do now. `afdelinger`:
    the plan's afdelinger by number, `meetings`: this round's meetings of those afdelinger, `decisions`:
    every decision on the plan in registration order, and `conditions`: every condition on the plan, by
    status and due date, when the page has read them anyway."""
    user = request.user
    can_change = user.has_perm("helhedsplaner.change_helhedsplan", plan)
    offered = lifecycle.available(
        plan, user, afdelinger=afdelinger, meetings=meetings, decisions=decisions, conditions=conditions
    )
    actions = sorted(offered, key=lambda action: ACTION_ORDER[action[0].kind])
    return {
        "plan": plan,
        # What can be done now first; what cannot yet is shown apart, with the reasons.
        "possible_actions": [transition for transition, problems in actions if not problems],
        "blocked_actions": [(transition, problems) for transition, problems in actions if problems],
        "decision_labels": [lifecycle.Organ(organ).label for organ in queries.organs_open(plan, user)],
        "meeting_link": lifecycle.Organ.AFDELINGSMOEDE in plan.state.awaits
        and user.has_perm("helhedsplaner.change_afdelingsmoede", plan),
        "can_edit": can_change and plan.state.editable,
        "can_change": can_change,
        "can_comment": user.has_perm("helhedsplaner.comment_helhedsplan", plan),
        "can_resolve": user.has_perm("helhedsplaner.resolve_kommentar", plan),
    }


@dataclass
class Section:
    code: str
    label: str
    threads: list = field(default_factory=list)
    # A form sent back with errors; None for an empty one (templates/helhedsplaner/_comment_fields.html).
    form: CommentForm | None = None


def sections_with_threads(plan, user, *, only=None, bound_form=None, bound_reply=None) -> list[Section]:
    """Every section (or `only` that one) with its threads, each with its answers (`answers`), in one
    query."""
    comments = plan.kommentarer.select_related("forfatter", "loest_af")
    if only:
        comments = comments.filter(sektion=only)
    threads, answers = [], defaultdict(list)
    for comment in comments:
        if comment.traad_id is None:
            threads.append(comment)
        else:
            answers[comment.traad_id].append(comment)
    by_section = defaultdict(list)
    for thread in threads:
        thread.answers = answers[thread.pk]
        thread.reply_prefix = f"svar-{thread.pk}"
        # A reply sent back with errors; None for an empty one (helhedsplaner/_comment_fields.html).
        thread.reply_form = (
            bound_reply if bound_reply is not None and bound_reply.prefix == thread.reply_prefix else None
        )
        by_section[thread.sektion].append(thread)
    return [
        Section(
            code,
            label,
            by_section[code],
            bound_form if bound_form is not None and bound_form.prefix == code else None,
        )
        for code, label in SECTIONS
        if only is None or code == only
    ]


def render_dialog(request, context, *, status=200):
    """The dialog form: inside the page's <dialog> for htmx, a page of its own without JavaScript."""
    return render(
        request, page_template(request, "helhedsplaner/dialog_form.html", "dialog"), context, status=status
    )


def changed(request, message, redirect_to):
    """After a successful dialog POST: 204 and an HX-Trigger for htmx, else a redirect with a message."""
    if request.htmx:
        response = HttpResponse(status=204)
        return trigger_client_event(response, CHANGED_EVENT, {"message": message})
    messages.success(request, message)
    return redirect(redirect_to)


def replacement_warning(earlier, where: str = "") -> str:
    """Said in a decision's dialog when the organ has decided already: a new decision replaces that one."""
    return (
        f"{earlier.get_organ_display()} har allerede registreret «{earlier.get_udfald_display()}» "
        f"(dateret {numeric_date(earlier.dato)}){where}. En ny beslutning fra samme organ erstatter den."
    )


def refused_status(error) -> int:
    if isinstance(error, Forbidden):
        return 403
    if isinstance(error, Conflict):
        return 409
    return 400
