"""The decisions that move a plan on, and the dialogs that record them: lifecycle transitions, the
organs' decisions with their conditions, and the afdelingsmøders' votes.

Each GET answers the dialog's form (a fragment for htmx, a page of its own without JavaScript); a
valid POST answers 204 with an HX-Trigger (or a redirect), an invalid one 400 with the form, a plan
someone else moved meanwhile 409, a role that may not do it 403.
"""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from config.web.forms import posted
from config.web.htmx import page_template
from finansiering.queries import latest_version
from helhedsplaner import actions, lifecycle, meeting_costs, queries
from helhedsplaner.forms import (
    CONDITIONS_HELP,
    ConditionFormSet,
    ConditionMetForm,
    DecisionForm,
    MeetingForm,
    transition_form_class,
)
from helhedsplaner.models import Afdelingsmoede
from helhedsplaner.views.common import (
    changed,
    get_plan_for_user,
    plan_context,
    refused_status,
    render_dialog,
    replacement_warning,
)
from indsatser.overlap import OverlapNotConfirmed
from indsatser.transitions import Refused, blockers, may_fire


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def plan_transition(request, pk, name):
    plan = get_plan_for_user(request.user, pk)
    transition = lifecycle.TRANSITION.get(name)
    if transition is None:
        raise Http404
    if not may_fire(request.user, transition):
        raise PermissionDenied
    form_class = transition_form_class(transition)
    form = form_class(posted(request), initial={"fase_nr": plan.fase_nr, "startdato": plan.planlagt_start})
    problems, status = [], 200
    if plan.tilstand not in transition.sources:
        problems, status = (
            [f"Planen er i fasen «{plan.state.label}», så handlingen kan ikke udføres nu."],
            409,
        )
    elif request.method == "GET":
        problems = blockers(plan, transition)
    elif form.is_valid():
        data = {**form.cleaned_without_overlap(), "overlap_begrundelse": form.overlap_begrundelse()}
        expected = data.pop("fase_nr")
        try:
            lifecycle.fire(plan, name, data, expected_fase_nr=expected, acting_user=request.user)
        except OverlapNotConfirmed as error:
            problems, status = error.problems, 400
            form.ask_overlap_confirmation()
        except Refused as error:
            problems, status = error.problems, refused_status(error)
        else:
            target = lifecycle.STATE[transition.target]
            return changed(
                request, f"Planen er nu i fasen «{target.label}».", reverse("plan_detail", args=[plan.pk])
            )
    else:
        status = 400
    context = {
        "plan": plan,
        "title": transition.label,
        "intro": transition.help,
        "target": lifecycle.STATE[transition.target],
        "requirements": [guard.requirement for guard in transition.guards],
        "problems": problems,
        "form": form if status != 409 else None,
        "action": reverse("plan_transition", args=[plan.pk, name]),
        "submit": transition.label,
        "back": reverse("plan_detail", args=[plan.pk]),
    }
    return render_dialog(request, context, status=status)


@login_required
@vary_on_headers("HX-Request")
def decision_list(request, pk):
    plan = get_plan_for_user(request.user, pk)
    context = plan_context(request, plan)
    context["decisions"] = (
        plan.beslutninger.select_related("afdeling", "registreret_af", "erstatter", "erstattet_af")
        .prefetch_related("betingelser")
        .order_by("-registreret", "-id")
    )
    return render(request, page_template(request, "helhedsplaner/decision_list.html"), context)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def decision_create(request, pk):
    plan = get_plan_for_user(request.user, pk)
    if not request.user.has_perm("helhedsplaner.add_beslutning", plan):
        raise PermissionDenied
    organs = queries.organs_open(plan, request.user)
    back = reverse("plan_decisions", args=[plan.pk])
    context = {
        "plan": plan,
        "title": "Registrér beslutning",
        "intro": f"Planen er i fasen «{plan.state.label}».",
        "action": reverse("plan_decision_create", args=[plan.pk]),
        "submit": "Registrér beslutningen",
        "back": back,
        "multipart": True,
    }
    if not organs:
        awaited = [organ for organ in plan.state.awaits if organ != lifecycle.Organ.AFDELINGSMOEDE]
        if awaited:
            # The plan does wait for a decision, only not one this role records (LBF's for staff, say).
            raise PermissionDenied
        context["problems"] = [f"Planen venter ikke på en beslutning i fasen «{plan.state.label}»."]
        return render_dialog(request, context, status=409)
    form = DecisionForm(
        posted(request), request.FILES or None, organs=organs, initial={"fase_nr": plan.fase_nr}
    )
    current = lifecycle.current_decisions(plan)
    context["warnings"] = [
        replacement_warning(current[organ], " i denne fase") for organ in organs if organ in current
    ]
    conditions = ConditionFormSet(posted(request), prefix="betingelse")
    status = 200
    if request.method == "POST":
        status = 400
        # Both validated, so every error shows at once.
        if all([form.is_valid(), conditions.is_valid()]):
            data = {**form.cleaned_data, "betingelser": conditions.conditions()}
            expected = data.pop("fase_nr")
            try:
                decision = actions.record_decision(
                    plan, data, expected_fase_nr=expected, acting_user=request.user
                )
            except Refused as error:
                context["problems"], status = error.problems, refused_status(error)
            else:
                return changed(request, f"Beslutningen er registreret: {decision}.", back)
    context.update(form=form, formset=conditions, formset_legend="Betingelser")
    context["formset_help"] = CONDITIONS_HELP
    return render_dialog(request, context, status=status)


@login_required
@vary_on_headers("HX-Request")
def meeting_list(request, pk):
    plan = get_plan_for_user(request.user, pk)
    context = plan_context(request, plan)
    meetings = list(
        plan.afdelingsmoeder.select_related("afdeling", "registreret_af").order_by("-runde", "dato")
    )
    this_round = [m for m in meetings if m.runde == plan.moederunde]
    current = {m.afdeling_id: m for m in this_round}
    afdelinger = plan.indsats.afdelinger.select_related("organisation").order_by("nummer")
    context.update(
        cost_changes=meeting_costs.changes(plan, this_round, latest_version(plan.indsats)),
        cost_limit=meeting_costs.limit_pct(),
        current=[(afdeling, current.get(afdeling.pk)) for afdeling in afdelinger],
        earlier=[
            m
            for m in meetings
            if m.runde != plan.moederunde or m.afdeling_id not in {a.pk for a in afdelinger}
        ],
        meetings_open=lifecycle.Organ.AFDELINGSMOEDE in plan.state.awaits,
        meeting_link=False,  # this is the page the link leads to
        can_record=request.user.has_perm("helhedsplaner.change_afdelingsmoede", plan),
    )
    return render(request, page_template(request, "helhedsplaner/meeting_list.html"), context)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def meeting_edit(request, pk, afdeling_pk):
    plan = get_plan_for_user(request.user, pk)
    afdeling = get_object_or_404(plan.indsats.afdelinger.all(), pk=afdeling_pk)
    if not request.user.has_perm("helhedsplaner.change_afdelingsmoede", plan):
        raise PermissionDenied
    back = reverse("plan_meetings", args=[plan.pk])
    context = {
        "plan": plan,
        "title": f"Afdelingsmøde i {afdeling}",
        "intro": f"{afdeling.lejemaal} lejemål. Hver fremmødt husstand har 2 stemmer. "
        + Afdelingsmoede.MAJORITY_RULE,
        "action": reverse("plan_meeting_edit", args=[plan.pk, afdeling.pk]),
        "submit": "Gem afdelingsmødet",
        "back": back,
        "multipart": True,
    }
    if lifecycle.Organ.AFDELINGSMOEDE not in plan.state.awaits:
        context["problems"] = [
            f"Afdelingsmøder registreres, når planen er i fasen «{lifecycle.STATE['afdelingsmoeder'].label}»."
        ]
        return render_dialog(request, context, status=409)
    meeting = queries.new_meeting(plan, afdeling)
    form = MeetingForm(posted(request), request.FILES or None, instance=meeting)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                saved = actions.save_meeting(
                    form.instance, referat=form.cleaned_data.get("nyt_referat"), acting_user=request.user
                )
            except Refused as error:
                context["problems"], status = error.problems, refused_status(error)
            else:
                message = f"Afdelingsmødet i {afdeling} er gemt: {saved.resultat_tekst()}."
                if saved.kort_varsel:
                    message += f" Bemærk: indkaldt med kun {saved.varsel_dage} dages varsel (mindst 4 uger)."
                return changed(request, message, back)
    elif meeting.kort_varsel:
        context["warnings"] = [
            f"Indkaldelsen er sendt med kun {meeting.varsel_dage} dages varsel; det bør være mindst 4 uger."
        ]
    context["form"] = form
    return render_dialog(request, context, status=status)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def condition_met(request, pk, condition_pk):
    """Staff mark a condition of a decision as met, with a note or a document."""
    plan = get_plan_for_user(request.user, pk)
    condition = get_object_or_404(
        plan.betingelser.select_related("beslutning", "aendringsbeslutning"), pk=condition_pk
    )
    if not request.user.has_perm("helhedsplaner.change_betingelse", plan):
        raise PermissionDenied
    back = reverse("plan_detail", args=[plan.pk])
    context = {
        "plan": plan,
        "title": "Markér betingelsen som opfyldt",
        "intro": f"{condition.stillet_ved.get_organ_display()}: {condition.tekst}",
        "action": reverse("plan_condition_met", args=[plan.pk, condition.pk]),
        "submit": "Markér som opfyldt",
        "back": back,
        "multipart": True,
    }
    if not condition.aaben:
        context["problems"] = ["Betingelsen er allerede markeret som opfyldt."]
        return render_dialog(request, context, status=409)
    form = ConditionMetForm(posted(request), request.FILES or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                actions.mark_condition_met(
                    condition,
                    note=form.cleaned_data["note"],
                    dokument=form.cleaned_data.get("dokument"),
                    acting_user=request.user,
                )
            except Refused as error:
                context["problems"], status = error.problems, refused_status(error)
            else:
                return changed(request, "Betingelsen er markeret som opfyldt.", back)
    context["form"] = form
    return render_dialog(request, context, status=status)
