"""The plan's Udbetalinger tab: each funder's cash position (tilsagn, expected, received, held back,
outstanding), the instalments with why one is held back, and the payments received. Staff add instalments
and payments; everyone else who may see the plan (the secretariat, a board member of its afdelinger) reads
the same lines, which hold no personal data and are printed in the årsrapport anyway."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST

from finansiering import actions as finansiering_actions
from finansiering.forms import ForventetUdbetalingForm, ModtagetUdbetalingForm
from helhedsplaner import payments
from helhedsplaner.views.common import get_plan_for_user, plan_context

CHANGE = "finansiering.change_udbetaling"


def _page(request, plan, *, expected_form=None, received_form=None, status=200):
    can_change = request.user.has_perm(CHANGE, plan.indsats)
    context = {
        **plan_context(request, plan),
        "payments": payments.plan_payments(plan),
        "can_change_payments": can_change,
        "expected_form": expected_form or ForventetUdbetalingForm(prefix="forventet"),
        "received_form": received_form or ModtagetUdbetalingForm(prefix="modtaget"),
    }
    return render(request, "helhedsplaner/payments.html", context, status=status)


@login_required
@require_GET
def plan_payments(request, pk):
    return _page(request, get_plan_for_user(request.user, pk))


def _changeable_plan(request, pk):
    plan = get_plan_for_user(request.user, pk)
    if not request.user.has_perm(CHANGE, plan.indsats):
        raise PermissionDenied
    return plan


def _save(request, plan, form, save, success: str, form_name: str):
    """Validate `form`, then save with `save(cleaned_data, tilsagn)`; the refusals of the rules (over the
    tilsagn without a reason, a closed plan) are shown on the form."""
    if form.is_valid():
        tilsagn = payments.tilsagn_by_part(plan).get(form.cleaned_data["part"])
        try:
            save(form.cleaned_data, tilsagn)
        except finansiering_actions.BudgetError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, success)
            return redirect("plan_payments", pk=plan.pk)
    return _page(request, plan, status=400, **{form_name: form})


@login_required
@require_POST
def plan_payment_expected_add(request, pk):
    plan = _changeable_plan(request, pk)
    form = ForventetUdbetalingForm(request.POST, prefix="forventet")

    def save(data, tilsagn):
        finansiering_actions.add_expected_payment(
            plan.indsats,
            part=data["part"],
            dato=data["dato"],
            beloeb=data["beloeb"],
            beskrivelse=data["beskrivelse"],
            begrundelse=data["begrundelse"],
            tilsagn=tilsagn,
            acting_user=request.user,
        )

    return _save(request, plan, form, save, "Den forventede udbetaling er tilføjet.", "expected_form")


@login_required
@require_POST
def plan_payment_received_add(request, pk):
    plan = _changeable_plan(request, pk)
    form = ModtagetUdbetalingForm(request.POST, prefix="modtaget")

    def save(data, tilsagn):
        finansiering_actions.record_payment(
            plan.indsats,
            part=data["part"],
            dato=data["dato"],
            beloeb=data["beloeb"],
            reference=data["reference"],
            begrundelse=data["begrundelse"],
            tilsagn=tilsagn,
            acting_user=request.user,
        )

    return _save(request, plan, form, save, "Udbetalingen er registreret.", "received_form")
