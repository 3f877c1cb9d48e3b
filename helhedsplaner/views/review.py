"""Comments per section of the plan: board members ask, staff answer and resolve."""

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.http import require_POST

from helhedsplaner import review
from helhedsplaner.forms import CommentForm
from helhedsplaner.models import SECTION_LABELS, SECTIONS, Kommentar
from helhedsplaner.views.common import get_plan_for_user


@dataclass
class Section:
    code: str
    label: str
    threads: list = field(default_factory=list)
    # Only a form sent back with errors; an empty form is never built (see empty_form_fields).
    form: CommentForm | None = None

    def form_fields(self) -> str:
        """The comment form's fields as HTML; an empty form's are drawn once per process."""
        if self.form is not None:
            return render_to_string("includes/form_fields.html", {"form": self.form})
        return empty_form_fields(self.code)


@cache
def empty_form_fields(code) -> str:
    """A section's empty comment form. It is the same on every plan's page for everyone, so it is drawn once
    per process: a plan's overview has one under each of its seven sections, and drawing them through
    Django's widget templates took a third of the page's template time."""
    return render_to_string("includes/form_fields.html", {"form": CommentForm(prefix=code)})


def sections_with_threads(plan, user, *, only=None, bound_form=None, bound_reply=None) -> list[Section]:
    """Every section (or `only` that one) with its threads and answers, in two queries."""
    threads = (
        plan.kommentarer.threads()
        .select_related("forfatter", "loest_af")
        .prefetch_related(Prefetch("svar", queryset=Kommentar.objects.select_related("forfatter")))
    )
    if only:
        threads = threads.filter(sektion=only)
    by_section = defaultdict(list)
    for thread in threads:
        thread.reply_form = (
            bound_reply
            if bound_reply is not None and bound_reply.prefix == f"svar-{thread.pk}"
            else CommentForm(prefix=f"svar-{thread.pk}")
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
    review.post_comment(plan, request.user, sektion=sektion, tekst=form.cleaned_data["tekst"])
    if not request.htmx:
        messages.success(request, "Din kommentar er sendt.")
    return _section_response(request, plan, sektion)


@login_required
@require_POST
def comment_reply(request, pk, comment_pk):
    plan = get_plan_for_user(request.user, pk)
    thread = get_object_or_404(plan.kommentarer.threads(), pk=comment_pk)
    if not request.user.has_perm("helhedsplaner.comment_helhedsplan", plan):
        raise PermissionDenied
    form = CommentForm(request.POST, prefix=f"svar-{thread.pk}")
    if not form.is_valid():
        return _section_response(request, plan, thread.sektion, status=400, bound_reply=form)
    review.post_comment(
        plan, request.user, sektion=thread.sektion, tekst=form.cleaned_data["tekst"], thread=thread
    )
    if not request.htmx:
        messages.success(request, "Dit svar er sendt.")
    return _section_response(request, plan, thread.sektion)


@login_required
@require_POST
def thread_resolve(request, pk, comment_pk):
    plan = get_plan_for_user(request.user, pk)
    thread = get_object_or_404(plan.kommentarer.threads(), pk=comment_pk)
    if not request.user.has_perm("helhedsplaner.resolve_kommentar", plan):
        raise PermissionDenied
    review.resolve_thread(thread, request.user)
    if not request.htmx:
        messages.success(request, "Tråden er markeret som løst.")
    return _section_response(request, plan, thread.sektion)
