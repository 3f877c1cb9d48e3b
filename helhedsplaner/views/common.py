"""Helpers shared by the plan pages: access, the dialog responses, and the page's tabs."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django_htmx.http import trigger_client_event

from config.web.htmx import page_template
from helhedsplaner.lifecycle import Conflict, Forbidden
from helhedsplaner.models import Helhedsplan

# The event a successful dialog POST announces (HX-Trigger): the plan's page fragments listen for it.
CHANGED_EVENT = "helhedsplanChanged"

TABS = [
    ("plan_detail", "Oversigt"),
    ("plan_decisions", "Beslutninger"),
    ("plan_meetings", "Afdelingsmøder"),
    ("plan_timeline", "Tidslinje"),
    ("plan_changes", "Ændringer i teksten"),
    ("plan_aendringer", "Ændring af godkendt plan"),
]


def get_plan_for_user(user, pk) -> Helhedsplan:
    """The plan if the user may see it; 404 otherwise, so its existence is not revealed."""
    queryset = Helhedsplan.objects.visible_to(user).select_related(
        "indsats__ansvarlig", "indsats__periode", "tekst_aendret_af"
    )
    return get_object_or_404(queryset, pk=pk)


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


def refused_status(error) -> int:
    if isinstance(error, Forbidden):
        return 403
    if isinstance(error, Conflict):
        return 409
    return 400
