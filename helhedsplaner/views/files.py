"""The plan's organisation and attachments, and downloading its documents (only after a permission check)."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from helhedsplaner import actions, uploads
from helhedsplaner.forms import AttachmentForm, MemberForm
from helhedsplaner.models import Aendringsbeslutning
from helhedsplaner.views.common import changed, get_plan_for_user, refused_status, render_dialog
from indsatser.transitions import Refused


def _plan_for_change(request, pk):
    plan = get_plan_for_user(request.user, pk)
    if not request.user.has_perm("helhedsplaner.change_helhedsplan", plan):
        raise PermissionDenied
    return plan


def _form_page(request, plan, form, title, status, problems=()):
    context = {
        "plan": plan,
        "form": form,
        "title": title,
        "problems": problems,
        "multipart": True,
        "action": request.path,
        "submit": "Gem",
        "back": reverse("plan_detail", args=[plan.pk]),
    }
    return render(request, "helhedsplaner/dialog_form.html", context, status=status)


@login_required
@require_POST
def member_add(request, pk):
    plan = _plan_for_change(request, pk)
    form = MemberForm(request.POST)
    if not form.is_valid():
        return _form_page(request, plan, form, "Tilføj til planens organisation", 400)
    try:
        member = actions.add_member(plan, **form.cleaned_data, acting_user=request.user)
    except Refused as error:
        return _form_page(
            request, plan, form, "Tilføj til planens organisation", refused_status(error), error.problems
        )
    messages.success(request, f"{member.navn} er tilføjet til {member.get_gruppe_display().lower()}.")
    return redirect(reverse("plan_detail", args=[plan.pk]) + "#organisering")


@login_required
@require_POST
def member_delete(request, pk, member_pk):
    plan = _plan_for_change(request, pk)
    member = get_object_or_404(plan.organisation.all(), pk=member_pk)
    try:
        actions.remove_member(member, acting_user=request.user)
    except Refused as error:
        messages.error(request, " ".join(error.problems))
    else:
        messages.success(request, f"{member.navn} er fjernet fra planens organisation.")
    return redirect(reverse("plan_detail", args=[plan.pk]) + "#organisering")


@login_required
@require_POST
def attachment_upload(request, pk):
    plan = _plan_for_change(request, pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        return _form_page(request, plan, form, "Tilføj bilag", 400)
    try:
        attachment = actions.add_attachment(plan, **form.cleaned_data, acting_user=request.user)
    except Refused as error:
        return _form_page(request, plan, form, "Tilføj bilag", refused_status(error), error.problems)
    messages.success(request, f"Bilaget «{attachment.titel}» er tilføjet.")
    return redirect(reverse("plan_detail", args=[plan.pk]) + "#bilag")


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def attachment_delete(request, pk, attachment_pk):
    """Staff remove an attachment after confirming it (GET shows the question, POST removes)."""
    plan = _plan_for_change(request, pk)
    attachment = get_object_or_404(plan.bilag.all(), pk=attachment_pk)
    back = reverse("plan_detail", args=[plan.pk]) + "#bilag"
    context = {
        "plan": plan,
        "title": "Fjern bilag",
        "intro": (
            f"Bilaget «{attachment.titel}» ({attachment.filnavn}) fjernes fra planen og kommer ikke med "
            "i nye ansøgningspakker. Pakker, der allerede er lavet, er uændrede."
        ),
        "form": forms.Form(),
        "action": request.path,
        "submit": "Fjern bilaget",
        "back": back,
    }
    if request.method == "GET":
        return render_dialog(request, context)
    try:
        actions.remove_attachment(attachment, acting_user=request.user)
    except Refused as error:
        return render_dialog(request, {**context, "problems": error.problems}, status=refused_status(error))
    return changed(request, f"Bilaget «{attachment.titel}» er fjernet.", back)


@login_required
def attachment_download(request, pk, attachment_pk):
    plan = get_plan_for_user(request.user, pk)
    attachment = get_object_or_404(plan.bilag.all(), pk=attachment_pk)
    return uploads.download(attachment.fil, attachment.filnavn)


@login_required
def decision_document(request, pk, decision_pk):
    plan = get_plan_for_user(request.user, pk)
    decision = get_object_or_404(plan.beslutninger.exclude(dokument=""), pk=decision_pk)
    return uploads.download(decision.dokument, decision.dokument_navn or "beslutning.pdf")


@login_required
def change_decision_document(request, pk, nummer, decision_pk):
    plan = get_plan_for_user(request.user, pk)
    decisions = Aendringsbeslutning.objects.filter(anmodning__plan=plan, anmodning__nummer=nummer)
    decision = get_object_or_404(decisions.exclude(dokument=""), pk=decision_pk)
    return uploads.download(decision.dokument, decision.dokument_navn or "beslutning.pdf")


@login_required
def meeting_minutes(request, pk, meeting_pk):
    plan = get_plan_for_user(request.user, pk)
    meeting = get_object_or_404(plan.afdelingsmoeder.exclude(referat=""), pk=meeting_pk)
    return uploads.download(meeting.referat, meeting.referat_navn or "referat.pdf")


@login_required
def condition_document(request, pk, condition_pk):
    plan = get_plan_for_user(request.user, pk)
    condition = get_object_or_404(plan.betingelser.exclude(dokument=""), pk=condition_pk)
    return uploads.download(condition.dokument, condition.dokument_navn or "dokumentation.pdf")
