"""A plan's active years: the reports it owes the funders year by year, and one page per year (årsstatus)
with the goal figures, milestones, accounts against the budget, the reguleringskonto and the auditor's
statement. Staff fill it and mark each report ready; the secretariat marks a report sent; board members of
the plan's afdelinger read it."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from config.web.formatting import numeric_date
from config.web.forms import posted
from helhedsplaner import actions, queries, uploads
from helhedsplaner.forms import (
    GoalYearForm,
    MilestoneForm,
    ObligationSentForm,
    ObligationUnsentForm,
    YearStatusForm,
)
from helhedsplaner.models import Rapporteringstype
from helhedsplaner.views.common import changed, get_plan_for_user, refused_status, render_dialog
from indsatser.transitions import Refused


def _year_of(request, pk, aar):
    """The plan (if the user may see it) and the year, which must be one of the plan's years."""
    plan = get_plan_for_user(request.user, pk)
    _require_year(plan, aar)
    return plan


def _require_year(plan, aar):
    if aar not in queries.plan_years(plan):
        raise Http404("Året hører ikke til planens periode.")


def _plan_for(request, pk, perm):
    plan = get_plan_for_user(request.user, pk)
    if not request.user.has_perm(perm, plan):
        raise PermissionDenied
    return plan


@login_required
@require_GET
def plan_years(request, pk):
    plan = get_plan_for_user(request.user, pk)
    today = timezone.localdate()
    obligations = list(plan.forpligtelser.select_related("type", "ansvarlig"))
    for obligation in obligations:
        obligation.er_overskredet = plan.koerer and obligation.overskredet_pr(today)
        obligation.kan_klar = obligation.kan_markeres_klar_pr(today)
    years = [
        (aar, [obligation for obligation in obligations if obligation.aar == aar])
        for aar in queries.plan_years(plan)
    ]
    return render(request, "helhedsplaner/aar_list.html", {"plan": plan, "years": years})


@login_required
@require_GET
def plan_year(request, pk, aar):
    plan = _year_of(request, pk, aar)
    year = queries.year_status(plan, aar)
    today = timezone.localdate()
    for obligation in year.obligations:
        obligation.er_overskredet = plan.koerer and obligation.overskredet_pr(today)
        obligation.kan_klar = obligation.kan_markeres_klar_pr(today)
    context = {
        "plan": plan,
        "year": year,
        # A plan not running (yet or any longer) takes no changes: no buttons that would be refused.
        "can_change": plan.koerer and request.user.has_perm("helhedsplaner.change_aarsstatus", plan),
        "can_send": plan.koerer and request.user.has_perm("helhedsplaner.send_rapportering", plan),
        "tied_payments": [(o, link.udbetaling) for o in year.obligations for link in o.udbetalinger.all()],
        "milestones_locked": any(
            o.sendt and o.type.art == actions.MILESTONES_REPORTED_IN for o in year.obligations
        ),
        "accounts_locked": any(
            o.sendt and o.type.art == Rapporteringstype.Art.REGNSKAB for o in year.obligations
        ),
    }
    return render(request, "helhedsplaner/aar_detail.html", context)


def _dialog(request, plan, aar, title, form, *, multipart=False, intro=""):
    return {
        "plan": plan,
        "title": f"{title} {aar}",
        "intro": intro,
        "form": form,
        "action": request.path,
        "submit": "Gem",
        "back": reverse("plan_year", args=[plan.pk, aar]),
        "multipart": multipart,
    }


def _closed(context, check, *args) -> bool:
    """On opening a dialog: whether its save would be refused because the year's report is sent (`check`
    raises Refused); then the dialog says so, without a form."""
    try:
        check(*args)
    except Refused as error:
        context.update(problems=error.problems, form=None)
        return True
    return False


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def plan_year_goals(request, pk, aar):
    plan = _plan_for(request, pk, "helhedsplaner.change_aarsstatus")
    _require_year(plan, aar)
    form = GoalYearForm(posted(request), rows=queries.goal_rows(plan, aar))
    context = _dialog(request, plan, aar, "Målopfølgning", form)
    status = 200
    if request.method == "GET":
        _closed(context, actions.check_goal_year_open, plan, aar)
    else:
        status = 400
        if form.is_valid():
            try:
                actions.save_goal_year(plan, aar, form.goal_rows(), acting_user=request.user)
            except Refused as error:
                context["problems"], status = error.problems, refused_status(error)
            else:
                return changed(request, f"Målopfølgningen for {aar} er gemt.", context["back"])
    return render_dialog(request, context, status=status)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def plan_year_milestone(request, pk, aar):
    plan = _plan_for(request, pk, "helhedsplaner.change_aarsstatus")
    _require_year(plan, aar)
    form = MilestoneForm(posted(request), plan=plan)
    context = _dialog(request, plan, aar, "Ny milepæl i", form)
    status = 200
    if request.method == "GET":
        _closed(context, actions.check_milestone_years_open, plan, aar)
    else:
        status = 400
        if form.is_valid():
            try:
                milestone = actions.save_milestone(plan, form.cleaned_data, acting_user=request.user)
            except Refused as error:
                context["problems"], status = error.problems, refused_status(error)
            else:
                back = reverse("plan_year", args=[plan.pk, milestone.dato.year])
                return changed(request, f"Milepælen «{milestone.hvad}» er tilføjet.", back)
    return render_dialog(request, context, status=status)


def _milestone_for(request, pk, milestone_pk):
    plan = _plan_for(request, pk, "helhedsplaner.change_aarsstatus")
    milestone = get_object_or_404(plan.milepaele.select_related("aktivitet"), pk=milestone_pk)
    return plan, milestone


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def plan_milestone_edit(request, pk, milestone_pk):
    plan, milestone = _milestone_for(request, pk, milestone_pk)
    aar = milestone.dato.year
    form = MilestoneForm(posted(request), instance=milestone, plan=plan)
    context = _dialog(request, plan, aar, "Ret milepæl i", form)
    status = 200
    if request.method == "GET":
        _closed(context, actions.check_milestone_years_open, plan, aar)
    else:
        status = 400
        if form.is_valid():
            try:
                saved = actions.save_milestone(
                    plan, form.cleaned_data, milestone=milestone, acting_user=request.user
                )
            except Refused as error:
                context["problems"], status = error.problems, refused_status(error)
            else:
                back = reverse("plan_year", args=[plan.pk, saved.dato.year])
                return changed(request, f"Milepælen «{saved.hvad}» er ændret.", back)
    return render_dialog(request, context, status=status)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def plan_milestone_delete(request, pk, milestone_pk):
    plan, milestone = _milestone_for(request, pk, milestone_pk)
    context = _dialog(request, plan, milestone.dato.year, "Slet milepæl i", forms.Form())
    context.update(intro=f"«{milestone.hvad}» ({numeric_date(milestone.dato)}) slettes.", submit="Slet")
    if request.method == "GET" and _closed(
        context, actions.check_milestone_years_open, plan, milestone.dato.year
    ):
        context["intro"] = ""
    if request.method == "POST":
        try:
            actions.delete_milestone(milestone, acting_user=request.user)
        except Refused as error:
            context["problems"] = error.problems
            return render_dialog(request, context, status=refused_status(error))
        return changed(request, f"Milepælen «{milestone.hvad}» er slettet.", context["back"])
    return render_dialog(request, context)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def plan_year_status(request, pk, aar):
    plan = _plan_for(request, pk, "helhedsplaner.change_aarsstatus")
    _require_year(plan, aar)
    form = YearStatusForm(posted(request), request.FILES or None, year=queries.year_status(plan, aar))
    context = _dialog(request, plan, aar, "Regnskab og reguleringskonto", form, multipart=True)
    status = 200
    if request.method == "GET":
        _closed(context, actions.check_year_status_open, plan, aar)
    else:
        status = 400
        if form.is_valid():
            try:
                actions.save_year_status(
                    plan,
                    aar,
                    bemaerkning=form.cleaned_data["bemaerkning"],
                    forklaringer=form.explanations(),
                    reguleringer=form.regulations(),
                    revisorerklaering=form.cleaned_data.get("revisorerklaering"),
                    acting_user=request.user,
                )
            except Refused as error:
                context["problems"], status = error.problems, refused_status(error)
            else:
                return changed(request, f"Årsstatus for {aar} er gemt.", context["back"])
    return render_dialog(request, context, status=status)


@login_required
@require_GET
def plan_year_auditor(request, pk, aar):
    plan = _year_of(request, pk, aar)
    status = get_object_or_404(plan.aarsstatusser.exclude(revisorerklaering=""), aar=aar)
    return uploads.download(status.revisorerklaering, status.revisorerklaering_navn)


def _obligation_dialog(request, pk, obligation_pk, *, permission, form, title, intro, submit, act, done):
    """The dialog that confirms one step of a report (klar, sendt, or undoing either): `act(obligation, data)`
    takes the step with the form's cleaned data, and `done` is the message after it."""
    plan = _plan_for(request, pk, permission)
    obligation = get_object_or_404(plan.forpligtelser.select_related("type"), pk=obligation_pk)
    named = f"{obligation.type} {obligation.aar}"
    context = {
        "plan": plan,
        "title": f"{named} {title}",
        "intro": intro,
        "form": form,
        "action": request.path,
        "submit": submit,
        "back": reverse("plan_year", args=[plan.pk, obligation.aar]),
    }
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                act(obligation, form.cleaned_data)
            except Refused as error:
                context["problems"], status = error.problems, refused_status(error)
            else:
                return changed(request, f"{named} {done}", context["back"])
    return render_dialog(request, context, status=status)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def obligation_ready(request, pk, obligation_pk):
    return _obligation_dialog(
        request,
        pk,
        obligation_pk,
        permission="helhedsplaner.change_aarsstatus",
        form=forms.Form(posted(request)),
        title="er klar",
        intro="Sekretariatet kan derefter sende den til Landsbyggefonden og kommunen.",
        submit="Markér som klar",
        act=lambda obligation, data: actions.mark_obligation_ready(obligation, acting_user=request.user),
        done="er markeret klar.",
    )


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def obligation_sent(request, pk, obligation_pk):
    return _obligation_dialog(
        request,
        pk,
        obligation_pk,
        permission="helhedsplaner.send_rapportering",
        form=ObligationSentForm(posted(request), initial={"dato": timezone.localdate()}),
        title="er sendt",
        intro=None,
        submit="Markér som sendt",
        act=lambda obligation, data: actions.mark_obligation_sent(
            obligation, dato=data["dato"], acting_user=request.user
        ),
        done="er markeret sendt.",
    )


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def obligation_unready(request, pk, obligation_pk):
    return _obligation_dialog(
        request,
        pk,
        obligation_pk,
        permission="helhedsplaner.change_aarsstatus",
        form=forms.Form(posted(request)),
        title="er alligevel ikke klar",
        intro="Rapporteringen bliver åben igen, så den kan rettes, før sekretariatet sender den.",
        submit="Fortryd klar",
        act=lambda obligation, data: actions.unmark_obligation_ready(obligation, acting_user=request.user),
        done="er åben igen.",
    )


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def obligation_unsent(request, pk, obligation_pk):
    return _obligation_dialog(
        request,
        pk,
        obligation_pk,
        permission="helhedsplaner.send_rapportering",
        form=ObligationUnsentForm(posted(request)),
        title="er alligevel ikke sendt",
        intro="Rapporteringen står igen som klar til afsendelse; begrundelsen står på planens tidslinje.",
        submit="Fortryd sendt",
        act=lambda obligation, data: actions.unmark_obligation_sent(
            obligation, begrundelse=data["begrundelse"], acting_user=request.user
        ),
        done="er ikke længere sendt.",
    )
