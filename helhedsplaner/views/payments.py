"""The plan's Udbetalinger tab: each funder's cash position (tilsagn, expected, received, held back,
outstanding), the instalments with why one is held back, and the payments received. Staff add, change and
delete instalments and payments; everyone else who may see the plan (the secretariat, a board member of its
afdelinger) reads the same lines, which hold no personal data and are printed in the årsrapport anyway.

The two kinds of line (an expected instalment, a payment received) share one set of views, told apart by
`kind` ("forventet" or "modtaget", fixed per URL): the differences are the model, the form and the words.
"""

from dataclasses import dataclass

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from config.web.formatting import kroner, numeric_date
from config.web.forms import posted
from finansiering.actions import BudgetError
from finansiering.forms import ForventetUdbetalingForm
from finansiering.models import ForventetUdbetaling, ModtagetUdbetaling
from helhedsplaner import actions, payments
from helhedsplaner.forms import ReceivedPaymentForm
from helhedsplaner.views.common import changed, get_plan_for_user, plan_context, render_dialog
from indsatser.transitions import Refused

CHANGE = "finansiering.change_udbetaling"


@dataclass(frozen=True)
class Kind:
    prefix: str  # the form's prefix and the URLs' word
    model: type
    noun: str  # "Den forventede udbetaling", "Udbetalingen"
    fields: tuple[str, ...]  # the row's fields the form edits
    add_title: str  # the add dialog's title
    add_submit: str  # its submit button
    added: str

    def form(self, plan, data=None, row=None):
        initial = {name: getattr(row, name) for name in self.fields} if row else None
        if self.model is ModtagetUdbetaling:
            if row is not None:
                initial["forpligtelse"] = payments.report_of(row)
            return ReceivedPaymentForm(data, prefix=self.prefix, initial=initial, plan=plan)
        return ForventetUdbetalingForm(data, prefix=self.prefix, initial=initial)


EXPECTED = Kind(
    "forventet",
    ForventetUdbetaling,
    "Den forventede udbetaling",
    ("part", "dato", "beloeb", "beskrivelse", "begrundelse"),
    "Tilføj forventet udbetaling",
    "Tilføj",
    "Den forventede udbetaling er tilføjet.",
)
RECEIVED = Kind(
    "modtaget",
    ModtagetUdbetaling,
    "Udbetalingen",
    ("part", "dato", "beloeb", "reference", "begrundelse"),
    "Registrér modtaget udbetaling",
    "Registrér",
    "Udbetalingen er registreret.",
)
KINDS = {kind.prefix: kind for kind in (EXPECTED, RECEIVED)}


@login_required
@require_GET
def plan_payments(request, pk):
    plan = get_plan_for_user(request.user, pk)
    context = {
        **plan_context(request, plan),
        "payments": payments.plan_payments(plan),
        "can_change_payments": request.user.has_perm(CHANGE, plan.indsats),
    }
    return render(request, "helhedsplaner/payments.html", context)


def _changeable_plan(request, pk):
    plan = get_plan_for_user(request.user, pk)
    if not request.user.has_perm(CHANGE, plan.indsats):
        raise PermissionDenied
    return plan


def _save(request, plan, kind, form, row) -> bool:
    """Validate `form` and save its values on `row` (new or changed): True when saved, else False with the
    refusal of the rules (over the tilsagn without a reason, a closed plan) on the form."""
    if not form.is_valid():
        return False
    for name in kind.fields:
        setattr(row, name, form.cleaned_data[name])
    try:
        actions.save_plan_payment(
            plan, row, forpligtelse=form.cleaned_data.get("forpligtelse"), acting_user=request.user
        )
    except (BudgetError, Refused) as problem:
        form.add_error(None, " ".join(problem.problems) if isinstance(problem, Refused) else str(problem))
        return False
    return True


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def plan_payment_add(request, pk, kind):
    plan = _changeable_plan(request, pk)
    kind = KINDS[kind]
    form = kind.form(plan, posted(request))
    context = _dialog(request, plan, kind.add_title, form, kind.add_submit)
    if request.method == "POST":
        if _save(request, plan, kind, form, kind.model(indsats=plan.indsats)):
            return changed(request, kind.added, context["back"])
        return render_dialog(request, context, status=400)
    return render_dialog(request, context)


def _row(request, pk, kind, payment_pk):
    plan = _changeable_plan(request, pk)
    kind = KINDS[kind]
    row = get_object_or_404(kind.model, indsats=plan.indsats, pk=payment_pk)
    return plan, kind, row


def _describe(row) -> str:
    return f"{row.get_part_display()} {numeric_date(row.dato)}, {kroner(row.beloeb)} kr."


def _dialog(request, plan, title, form, submit):
    back = reverse("plan_payments", args=[plan.pk])
    return {
        "plan": plan,
        "title": title,
        "form": form,
        "action": request.path,
        "submit": submit,
        "back": back,
    }


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def plan_payment_edit(request, pk, kind, payment_pk):
    plan, kind, row = _row(request, pk, kind, payment_pk)
    form = kind.form(plan, posted(request), row)
    context = _dialog(request, plan, f"Ret: {_describe(row)}", form, "Gem")
    if request.method == "POST":
        if _save(request, plan, kind, form, row):
            return changed(request, f"{kind.noun} er ændret.", context["back"])
        return render_dialog(request, context, status=400)
    return render_dialog(request, context)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def plan_payment_delete(request, pk, kind, payment_pk):
    plan, kind, row = _row(request, pk, kind, payment_pk)
    context = _dialog(request, plan, f"Slet: {_describe(row)}", forms.Form(), "Slet")
    if request.method == "POST":
        try:
            actions.delete_plan_payment(row, acting_user=request.user)
        except BudgetError as problem:
            context["problems"] = [str(problem)]
            return render_dialog(request, context, status=400)
        return changed(request, f"{kind.noun} er slettet.", context["back"])
    return render_dialog(request, context)
