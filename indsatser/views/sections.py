"""In-place editing of an indsats's activities, goals and closing checklist (htmx, or plain forms)."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from config.web.forms import posted
from indsatser import actions, goals, queries
from indsatser.forms import (
    AfslutningForm,
    AktivitetForm,
    ForankringForm,
    MaalsaetningForm,
    NyMaalsaetningForm,
)
from indsatser.models import Indsats
from indsatser.views.common import (
    SECTIONS,
    get_indsats_for_user,
    get_open_indsats,
    refuses_locked,
    require_open_checklist,
    respond,
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


def _in_place(request) -> bool:
    """An htmx GET of an edit form: it goes in place of its row, which shows the indsats's own fields only."""
    return request.method == "GET" and request.htmx


def _edited(request, pk, relation, row_pk):
    """The indsats to change and the row `row_pk` of its `relation` ("aktiviteter" or "maalsaetninger"), 404
    if it has no such row.

    A form in place of its row needs the indsats's own fields and that row. The whole page reads the indsats
    with every list it shows: a GET finds the row among them, a POST reads it on its own (its form writes the
    posted values into its instance, and the list must go on showing what is saved)."""
    if _in_place(request):
        indsats = get_open_indsats(request.user, pk, queryset=Indsats.objects.visible_to(request.user))
    else:
        indsats = get_open_indsats(request.user, pk)
        if request.method == "GET":
            row = next((row for row in getattr(indsats, relation).all() if row.pk == row_pk), None)
            if row is None:
                raise Http404
            return indsats, row
    rows = queries.activities() if relation == "aktiviteter" else queries.goals()
    return indsats, get_object_or_404(rows.filter(indsats=indsats), pk=row_pk)


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
    indsats, aktivitet = _edited(request, pk, "aktiviteter", aid)
    form = AktivitetForm(posted(request), instance=aktivitet, indsats=indsats, prefix=f"akt{aktivitet.pk}")
    if request.method == "POST" and form.is_valid():
        actions.save_indsats_part(form, indsats, acting_user=request.user)
        return respond(request, indsats, "aktiviteter", done=True)
    extra = {"edit_aktivitet_id": aktivitet.pk, "edit_aktivitet_form": form}
    if _in_place(request):
        context = {
            "indsats": indsats,
            "years": indsats.aar,
            "aktivitet": aktivitet,
            "can_delete_aktivitet": indsats.status not in actions.RUNNING,
            **extra,
        }
        return render(request, "indsatser/_aktivitet_edit_row.html", context)
    return respond(request, indsats, "aktiviteter", status=400 if request.method == "POST" else 200, **extra)


@login_required
@vary_on_headers("HX-Request")
@require_POST
@refuses_locked("aktiviteter")
def aktivitet_delete(request, pk, aid):
    indsats, aktivitet = _edited(request, pk, "aktiviteter", aid)
    actions.delete_aktivitet(aktivitet, acting_user=request.user)
    return respond(request, indsats, "aktiviteter", done=True)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
@refuses_locked("afslutning")
def forankring_edit(request, pk, aid):
    indsats, aktivitet = _edited(request, pk, "aktiviteter", aid)
    require_open_checklist(indsats)
    form = ForankringForm(posted(request), instance=aktivitet, prefix=f"fa{aktivitet.pk}")
    if request.method == "POST" and form.is_valid():
        actions.save_indsats_part(form, indsats, acting_user=request.user)
        return respond(request, indsats, "afslutning", done=True)
    extra = {"edit_forankring_id": aktivitet.pk, "forankring_form": form}
    if _in_place(request):
        context = {"indsats": indsats, "aktivitet": aktivitet, **extra}
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
    indsats, maalsaetning = _edited(request, pk, "maalsaetninger", mid)
    maalsaetning.indsats = indsats  # the form reads the years the indsats runs in
    form = MaalsaetningForm(posted(request), instance=maalsaetning, prefix=f"maal{maalsaetning.pk}")
    if request.method == "POST" and form.is_valid():
        actions.save_indsats_part(form, indsats, acting_user=request.user)
        return respond(request, indsats, "maal", done=True)
    extra = {"edit_maal_id": maalsaetning.pk, "edit_maal_form": form}
    if _in_place(request):
        goal = goals.goal_progress(maalsaetning, indsats.aar)
        context = {"indsats": indsats, "years": indsats.aar, "can_edit": True, "goal": goal, **extra}
        return render(request, "indsatser/_maal_goal.html", context)
    return respond(request, indsats, "maal", status=400 if request.method == "POST" else 200, **extra)


@login_required
@vary_on_headers("HX-Request")
@require_POST
@refuses_locked("maal")
def maalsaetning_delete(request, pk, mid):
    indsats, maalsaetning = _edited(request, pk, "maalsaetninger", mid)
    actions.delete_maalsaetning(maalsaetning, acting_user=request.user)
    return respond(request, indsats, "maal", done=True)
