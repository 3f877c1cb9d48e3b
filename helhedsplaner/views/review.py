"""Comments per section of the plan: board members ask, staff answer and resolve."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from helhedsplaner import actions
from helhedsplaner.forms import CommentForm
from helhedsplaner.models import SECTION_LABELS
from helhedsplaner.views.common import get_plan_for_user, sections_with_threads


def _section_response(request, plan, sektion, *, status=200, bound_form=None, bound_reply=None):
    """The section's comments: the fragment for htmx, the plan page (at the section) without JavaScript."""
    section = sections_with_threads(
        plan, request.user, only=sektion, bound_form=bound_form, bound_reply=bound_reply
    )[0]
    context = {
        "plan": plan,
        "section": section,
        "can_comment": request.user.has_perm("helhedsplaner.comment_helhedsplan", plan),
        "can_resolve": request.user.has_perm("helhedsplaner.resolve_kommentar", plan),
    }
    if request.htmx:
        return render(request, "helhedsplaner/_comments.html", context, status=status)
    if status == 200:
        return redirect(reverse("plan_detail", args=[plan.pk]) + f"#kommentarer-{sektion}")
    return render(request, "helhedsplaner/comment_page.html", context, status=status)


@login_required
@vary_on_headers("HX-Request")
@require_POST
def comment_create(request, pk, sektion):
    plan = get_plan_for_user(request.user, pk)
    if sektion not in SECTION_LABELS:
        raise Http404
    if not request.user.has_perm("helhedsplaner.comment_helhedsplan", plan):
        raise PermissionDenied
    form = CommentForm(request.POST, prefix=sektion)
    if not form.is_valid():
        return _section_response(request, plan, sektion, status=400, bound_form=form)
    actions.post_comment(plan, sektion=sektion, tekst=form.cleaned_data["tekst"], acting_user=request.user)
    if not request.htmx:
        messages.success(request, "Din kommentar er sendt.")
    return _section_response(request, plan, sektion)


@login_required
@vary_on_headers("HX-Request")
@require_POST
def comment_reply(request, pk, comment_pk):
    plan = get_plan_for_user(request.user, pk)
    thread = get_object_or_404(plan.kommentarer.threads(), pk=comment_pk)
    if not request.user.has_perm("helhedsplaner.comment_helhedsplan", plan):
        raise PermissionDenied
    form = CommentForm(request.POST, prefix=f"svar-{thread.pk}")
    if not form.is_valid():
        return _section_response(request, plan, thread.sektion, status=400, bound_reply=form)
    actions.post_comment(
        plan,
        sektion=thread.sektion,
        tekst=form.cleaned_data["tekst"],
        thread=thread,
        acting_user=request.user,
    )
    if not request.htmx:
        messages.success(request, "Dit svar er sendt.")
    return _section_response(request, plan, thread.sektion)


@login_required
@vary_on_headers("HX-Request")
@require_POST
def thread_resolve(request, pk, comment_pk):
    plan = get_plan_for_user(request.user, pk)
    thread = get_object_or_404(plan.kommentarer.threads(), pk=comment_pk)
    if not request.user.has_perm("helhedsplaner.resolve_kommentar", plan):
        raise PermissionDenied
    actions.resolve_thread(thread, acting_user=request.user)
    if not request.htmx:
        messages.success(request, "Tråden er markeret som løst.")
    return _section_response(request, plan, thread.sektion)
