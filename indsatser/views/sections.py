"""In-place editing of an indsats's activities, goals and closing checklist (htmx, or plain forms)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from config.web.forms import posted
from indsatser import actions
from indsatser.forms import (
    AfslutningForm,
    AktivitetForm,
    ForankringForm,
    MaalsaetningForm,
    NyMaalsaetningForm,
)
from indsatser.models import Aktivitet, Maalsaetning
from indsatser.views.common import (
    SECTIONS,
    get_indsats_for_user,
    get_open_indsats,
    refuses_locked,
    require_open_checklist,
    respond,
    section_context,
)


@login_required
@vary_on_headers("HX-Request")
@require_GET
def section(request, pk, section):
    """A section as it is now: what "Annullér" on an inline form goes back to."""
    if section not in SECTIONS:
        raise Http404
    indsats = get_indsats_for_user(request.user, pk)
    return respond(request, indsats, section, done=True)


def _aktivitet(indsats, aid):
    return get_object_or_404(
        Aktivitet.objects.filter(indsats=indsats)
        .select_related("aktivitetstype")
        .prefetch_related("deltagertal"),
        pk=aid,
    )


@login_required
@vary_on_headers("HX-Request")
@require_POST
@refuses_locked("aktiviteter")
def aktivitet_create(request, pk):
    indsats = get_open_indsats(request.user, pk)
    form = AktivitetForm(request.POST, indsats=indsats, prefix="ny")
    if form.is_valid():
        actions.save_indsats_part(form, indsats, acting_user=request.user)
        return respond(request, indsats, "aktiviteter", done=True)
    return respond(request, indsats, "aktiviteter", status=400, new_aktivitet_form=form, new_open=True)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@refuses_locked("aktiviteter")
def aktivitet_edit(request, pk, aid):
    indsats = get_open_indsats(request.user, pk)
    aktivitet = _aktivitet(indsats, aid)
    form = AktivitetForm(posted(request), instance=aktivitet, indsats=indsats, prefix=f"akt{aktivitet.pk}")
    if request.method == "POST" and form.is_valid():
        actions.save_indsats_part(form, indsats, acting_user=request.user)
        return respond(request, indsats, "aktiviteter", done=True)
    extra = {"edit_aktivitet_id": aktivitet.pk, "edit_aktivitet_form": form}
    if request.method == "GET" and request.htmx:
        context = section_context(request, indsats, aktivitet=aktivitet, **extra)
        return render(request, "indsatser/_aktivitet_edit_row.html", context)
    return respond(request, indsats, "aktiviteter", status=400 if request.method == "POST" else 200, **extra)


@login_required
@vary_on_headers("HX-Request")
@require_POST
@refuses_locked("aktiviteter")
def aktivitet_delete(request, pk, aid):
    indsats = get_open_indsats(request.user, pk)
    actions.delete_aktivitet(_aktivitet(indsats, aid), acting_user=request.user)
    return respond(request, indsats, "aktiviteter", done=True)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@refuses_locked("afslutning")
def forankring_edit(request, pk, aid):
    indsats = get_open_indsats(request.user, pk)
    require_open_checklist(indsats)
    aktivitet = _aktivitet(indsats, aid)
    form = ForankringForm(posted(request), instance=aktivitet, prefix=f"fa{aktivitet.pk}")
    if request.method == "POST" and form.is_valid():
        actions.save_indsats_part(form, indsats, acting_user=request.user)
        return respond(request, indsats, "afslutning", done=True)
    extra = {"edit_forankring_id": aktivitet.pk, "forankring_form": form}
    if request.method == "GET" and request.htmx:
        context = section_context(request, indsats, aktivitet=aktivitet, **extra)
        return render(request, "indsatser/_forankring_edit_row.html", context)
    return respond(request, indsats, "afslutning", status=400 if request.method == "POST" else 200, **extra)


@login_required
@vary_on_headers("HX-Request")
@require_POST
@refuses_locked("afslutning")
def afslutning_checklist(request, pk):
    indsats = get_open_indsats(request.user, pk)
    require_open_checklist(indsats)
    form = AfslutningForm(request.POST, indsats=indsats, vurderinger=indsats.afslutningsvurderinger.all())
    if form.is_valid():
        actions.save_indsats_part(form, indsats, acting_user=request.user)
        return respond(request, indsats, "afslutning", done=True)
    return respond(request, indsats, "afslutning", status=400, checklist_form=form)


def _maalsaetning(indsats, mid):
    return get_object_or_404(
        Maalsaetning.objects.filter(indsats=indsats).select_related("indikator").prefetch_related("maaltal"),
        pk=mid,
    )


@login_required
@vary_on_headers("HX-Request")
@require_POST
@refuses_locked("maal")
def maalsaetning_create(request, pk):
    indsats = get_open_indsats(request.user, pk)
    form = NyMaalsaetningForm(request.POST, indsats=indsats, prefix="nytmaal")
    if form.is_valid():
        actions.save_indsats_part(form, indsats, acting_user=request.user)
        return respond(request, indsats, "maal", done=True)
    return respond(request, indsats, "maal", status=400, new_maal_form=form, new_open=True)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@refuses_locked("maal")
def maalsaetning_edit(request, pk, mid):
    indsats = get_open_indsats(request.user, pk)
    maalsaetning = _maalsaetning(indsats, mid)
    maalsaetning.indsats = indsats  # the form reads the years the indsats runs in
    form = MaalsaetningForm(posted(request), instance=maalsaetning, prefix=f"maal{maalsaetning.pk}")
    if request.method == "POST" and form.is_valid():
        actions.save_indsats_part(form, indsats, acting_user=request.user)
        return respond(request, indsats, "maal", done=True)
    extra = {"edit_maal_id": maalsaetning.pk, "edit_maal_form": form}
    if request.method == "GET" and request.htmx:
        context = section_context(request, indsats, **extra)
        goal = next(g for g in context["maalsaetninger"] if g.maalsaetning.pk == maalsaetning.pk)
        return render(request, "indsatser/_maal_goal.html", {**context, "goal": goal})
    return respond(request, indsats, "maal", status=400 if request.method == "POST" else 200, **extra)


@login_required
@vary_on_headers("HX-Request")
@require_POST
@refuses_locked("maal")
def maalsaetning_delete(request, pk, mid):
    indsats = get_open_indsats(request.user, pk)
    actions.delete_maalsaetning(_maalsaetning(indsats, mid), acting_user=request.user)
    return respond(request, indsats, "maal", done=True)
