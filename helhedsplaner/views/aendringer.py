"""Ændring af godkendt plan: the plan's change requests, creating and editing one, its page (the proposal
beside the current frame) and the dialogs that send, decide and withdraw it (helhedsplaner/actions.py)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from config.web.formatting import kroner
from config.web.forms import posted
from config.web.htmx import page_template
from finansiering import queries as budget_queries
from helhedsplaner import actions, queries
from helhedsplaner.forms import CONDITIONS_HELP, AendringForm, AendringsbeslutningForm, ConditionFormSet
from helhedsplaner.models import Aendringsanmodning, Beslutning
from helhedsplaner.views.common import (
    changed,
    get_plan_for_user,
    plan_context,
    refused_status,
    render_dialog,
    replacement_warning,
)
from indsatser.transitions import Refused

Status = Aendringsanmodning.Status

# The buttons of a change request: (name, label, the statuses it is offered in, service function).
ACTIONS = {
    "send": ("Send ændringen til afgørelse", (Status.KLADDE,), actions.send_change_request),
    "godkend": (
        "Godkend ændringen (inden for rammen)",
        (Status.SENDT,),
        actions.approve_change_request_by_staff,
    ),
    "traek-tilbage": (
        "Træk ændringen tilbage",
        (Status.KLADDE, Status.SENDT),
        actions.withdraw_change_request,
    ),
}


def _anmodning(plan, nummer) -> Aendringsanmodning:
    anmodning = get_object_or_404(
        plan.aendringsanmodninger.select_related("budgetversion", "oprettet_af", "afgjort_af"), nummer=nummer
    )
    anmodning.plan = plan
    return anmodning


def _require_staff(user):
    if not queries.may_edit_change_requests(user):
        raise PermissionDenied


@login_required
@vary_on_headers("HX-Request")
def aendring_list(request, pk):
    plan = get_plan_for_user(request.user, pk)
    context = plan_context(request, plan)
    context.update(
        anmodninger=list(plan.aendringsanmodninger.select_related("oprettet_af").order_by("-nummer")),
        can_create=queries.may_edit_change_requests(request.user) and plan.tilstand in queries.OPEN_STATES,
    )
    return render(request, page_template(request, "helhedsplaner/aendring_list.html"), context)


def _form_page(request, plan, form, anmodning=None, problems=(), status=200):
    context = {"plan": plan, "form": form, "anmodning": anmodning, "problems": problems}
    return render(request, "helhedsplaner/aendring_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def aendring_create(request, pk):
    plan = get_plan_for_user(request.user, pk)
    _require_staff(request.user)
    indsats = plan.indsats
    initial = AendringForm.initial_from(queries.current_frame(indsats))
    form = AendringForm(posted(request), parts=queries.parts_of(indsats), initial=initial)
    if form.searching:
        form.find_afdelinger(request.user)
    if plan.tilstand not in queries.OPEN_STATES:
        problem = (
            f"En ændring af godkendt plan laves, når planen er aktiv; den er i fasen «{plan.state.label}»."
        )
        return _form_page(request, plan, None, problems=[problem], status=409)
    if request.method == "POST" and not form.searching:
        if form.is_valid():
            try:
                anmodning = actions.create_change_request(plan, form.proposal(), acting_user=request.user)
            except Refused as error:
                return _form_page(request, plan, form, problems=error.problems, status=refused_status(error))
            messages.success(
                request, f"Ændring {anmodning.nummer} er oprettet. Ret det foreslåede budget, og send den."
            )
            return redirect("plan_aendring_detail", pk=plan.pk, nummer=anmodning.nummer)
        return _form_page(request, plan, form, status=400)
    return _form_page(request, plan, form)


@login_required
@require_http_methods(["GET", "POST"])
def aendring_edit(request, pk, nummer):
    plan = get_plan_for_user(request.user, pk)
    anmodning = _anmodning(plan, nummer)
    _require_staff(request.user)
    if anmodning.status != Status.KLADDE:
        messages.error(request, f"Ændringen er {anmodning.get_status_display().lower()} og kan ikke rettes.")
        return redirect("plan_aendring_detail", pk=plan.pk, nummer=nummer)
    frame = {
        "afdelinger": list(anmodning.afdelinger.all()),
        "startdato": anmodning.startdato,
        "slutdato": anmodning.slutdato,
        "procenter": anmodning.procenter,
    }
    initial = AendringForm.initial_from(frame, anmodning.begrundelse)
    form = AendringForm(posted(request), parts=queries.parts_of(plan.indsats), initial=initial)
    if form.searching:
        form.find_afdelinger(request.user)
    if request.method == "POST" and not form.searching:
        if form.is_valid():
            try:
                actions.update_change_request(anmodning, form.proposal(), acting_user=request.user)
            except Refused as error:
                status = refused_status(error)
                return _form_page(request, plan, form, anmodning, error.problems, status)
            messages.success(request, "Ændringen er gemt.")
            return redirect("plan_aendring_detail", pk=plan.pk, nummer=nummer)
        return _form_page(request, plan, form, anmodning, status=400)
    return _form_page(request, plan, form, anmodning)


@login_required
@vary_on_headers("HX-Request")
def aendring_detail(request, pk, nummer):
    plan = get_plan_for_user(request.user, pk)
    anmodning = _anmodning(plan, nummer)
    staff = queries.may_edit_change_requests(request.user)
    review = queries.review(anmodning) if anmodning.is_open else None
    needs_funders = review.needs_funders if review else None
    buttons = [
        (name, label)
        for name, (label, statuses, _) in ACTIONS.items()
        if staff and anmodning.status in statuses and not (name == "godkend" and needs_funders)
    ]
    context = plan_context(request, plan)
    context.update(
        anmodning=anmodning,
        rows=review.rows if review else [],
        needs_funders=needs_funders,
        beslutninger=list(
            anmodning.beslutninger.select_related(
                "registreret_af", "erstatter", "erstattet_af"
            ).prefetch_related("betingelser")
        ),
        aendring_actions=buttons,
        can_decide=bool(queries.change_organs_open(anmodning, request.user, funders_decide=needs_funders)),
        approved_version=review.approved if review else budget_queries.approved_version(plan.indsats),
    )
    return render(request, page_template(request, "helhedsplaner/aendring_detail.html"), context)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def aendring_action(request, pk, nummer, handling):
    plan = get_plan_for_user(request.user, pk)
    anmodning = _anmodning(plan, nummer)
    if handling not in ACTIONS:
        raise Http404
    _require_staff(request.user)
    label, statuses, service = ACTIONS[handling]
    back = reverse("plan_aendring_detail", args=[plan.pk, nummer])
    action = reverse("plan_aendring_action", args=[plan.pk, nummer, handling])
    context = {"plan": plan, "title": label, "action": action, "submit": label, "back": back}
    context["intro"] = f"Ændring {anmodning.nummer}: {anmodning.begrundelse}"
    status, problems = 200, []
    if anmodning.status not in statuses:
        status, problems = 409, [f"Ændringen er {anmodning.get_status_display().lower()}."]
    elif request.method == "POST":
        try:
            service(anmodning, acting_user=request.user)
        except Refused as error:
            status, problems = refused_status(error), error.problems
        else:
            anmodning.refresh_from_db()
            return changed(request, f"Ændringen er nu {anmodning.get_status_display().lower()}.", back)
    # A form without fields: the dialog asks only for the click (none when there is nothing to do).
    context.update(problems=problems, form=forms.Form() if status != 409 else None)
    return render_dialog(request, context, status=status)


def _shares_text(review, organs) -> list[str]:
    """What each funder's tilsagn covers now and with the change, for the secretariat recording it."""
    if not organs:
        return []
    shares = review.shares()
    return [
        f"{Beslutning.Organ(organ).label}s andel: {kroner(shares[organ][0])} kr. nu, "
        f"{kroner(shares[organ][1])} kr. med ændringen."
        for organ in organs
    ]


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def aendring_decision(request, pk, nummer):
    plan = get_plan_for_user(request.user, pk)
    anmodning = _anmodning(plan, nummer)
    # Weighed once: whether the funders decide, and then their shares.
    review = queries.review(anmodning) if anmodning.status == Status.SENDT else None
    needs_funders = review is not None and review.needs_funders
    organs = queries.change_organs_open(anmodning, request.user, funders_decide=needs_funders)
    back = reverse("plan_aendring_detail", args=[plan.pk, nummer])
    context = {
        "plan": plan,
        "title": f"Registrér beslutning om ændring {anmodning.nummer}",
        "intro": " ".join([anmodning.begrundelse, *_shares_text(review, organs)]),
        "action": reverse("plan_aendring_decision", args=[plan.pk, nummer]),
        "submit": "Registrér beslutningen",
        "back": back,
        "multipart": True,
    }
    if not organs:
        if needs_funders:
            raise PermissionDenied  # it awaits the funders, only not from this role
        context["problems"] = ["Ændringen venter ikke på en beslutning fra Landsbyggefonden eller kommunen."]
        return render_dialog(request, context, status=409)
    form = AendringsbeslutningForm(posted(request), request.FILES or None, organs=organs)
    latest = {decision.organ: decision for decision in anmodning.beslutninger.all()}  # registered order
    context["warnings"] = [replacement_warning(latest[organ]) for organ in organs if organ in latest]
    conditions = ConditionFormSet(posted(request), prefix="betingelse")
    status = 200
    if request.method == "POST":
        status = 400
        # Both validated, so every error shows at once.
        if all([form.is_valid(), conditions.is_valid()]):
            data = {**form.cleaned_data, "betingelser": conditions.conditions()}
            try:
                decision = actions.record_change_decision(anmodning, data, acting_user=request.user)
            except Refused as error:
                context["problems"], status = error.problems, refused_status(error)
            else:
                return changed(request, f"Beslutningen er registreret: {decision}.", back)
    context.update(form=form, formset=conditions, formset_legend="Betingelser")
    context["formset_help"] = CONDITIONS_HELP
    return render_dialog(request, context, status=status)
