"""Access to one indsats, and the context its page and each of its sections are drawn from.

The activities, goals and afslutning sections are edited in place with htmx: a successful change answers
with the section's fresh fragment, an invalid one with the fragment and the form's errors (status 400).
Without JavaScript the same forms post normally and the whole page is shown (or redirected back to).
"""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django_htmx.http import HttpResponseClientRedirect

from indsatser import actions, afslutning, goals, history, lifecycle, ramme
from indsatser.forms import AfslutningForm, AktivitetForm, NyMaalsaetningForm
from indsatser.models import Afslutningsvurdering, Indsats
from indsatser.queries import detail_queryset

SECTIONS = {
    "aktiviteter": "indsatser/_aktiviteter.html",
    "maal": "indsatser/_maal.html",
    "afslutning": "indsatser/_afslutning.html",
}
CLOSED = (Indsats.Status.AFSLUTTET, Indsats.Status.OPGIVET)


def get_indsats_for_user(user, pk, *, change=False, queryset=None):
    """The indsats if the user may see it (404 otherwise: its existence is not revealed); with change=True
    also require the right to edit it (403 for someone who may only read it). Read through `queryset` (one
    of the user's, from indsatser.queries), by default the detail page's."""
    if queryset is None:
        queryset = detail_queryset(user)
    indsats = get_object_or_404(queryset, pk=pk)
    if change and not user.has_perm("indsatser.change_indsats", indsats):
        raise PermissionDenied
    return indsats


def require_open_checklist(indsats):
    """The checklist and the forankring decisions are the record of a closed indsats: frozen once closed."""
    if indsats.status in CLOSED:
        raise PermissionDenied


def section_context(request, indsats, **extra):
    aktiviteter = list(indsats.aktiviteter.all())
    for aktivitet in aktiviteter:
        by_year = {row["aar"]: row["antal"] for row in aktivitet.participants}
        aktivitet.deltagere_pr_aar = [by_year.get(year) for year in indsats.aar]
    vurderinger = list(indsats.afslutningsvurderinger.all())
    by_kriterium = {v.kriterium: v for v in vurderinger}
    can_edit = request.user.has_perm("indsatser.change_indsats", indsats) and not ramme.is_closed(indsats)
    checklist_open = can_edit and indsats.status not in CLOSED
    context = {
        "indsats": indsats,
        "years": indsats.aar,
        "aktiviteter": aktiviteter,
        "maalsaetninger": goals.progress(indsats),
        "kriterier": [(k, by_kriterium.get(k.value)) for k in Afslutningsvurdering.Kriterium],
        "mangler": afslutning.mangler(vurderinger, aktiviteter),
        "can_edit": can_edit,
        "can_delete_aktivitet": can_edit and indsats.status not in actions.RUNNING,
        "checklist_open": checklist_open,
        "transitions": lifecycle.available(indsats, request.user),
        "simple_lifecycle": lifecycle.uses_simple_lifecycle(indsats),
    }
    if can_edit:
        context["new_aktivitet_form"] = AktivitetForm(indsats=indsats, prefix="ny")
        context["new_maal_form"] = NyMaalsaetningForm(indsats=indsats, prefix="nytmaal")
    if checklist_open:
        context["checklist_form"] = AfslutningForm(indsats=indsats, vurderinger=vurderinger)
    context.update(extra)
    return context


def detail_context(request, indsats, **extra):
    context = section_context(request, indsats, **extra)
    afdelinger = list(indsats.afdelinger.all())
    context.update(
        afdelinger=afdelinger,
        visible_afdeling_ids={a.pk for a in afdelinger if a.may_open},
        totals={
            "lejemaal": sum(a.lejemaal for a in afdelinger),
            "beboere": sum(a.beboere for a in afdelinger),
        },
        historik=history.entries_for(indsats),
    )
    return context


def get_open_indsats(user, pk, **kwargs):
    """The indsats to change (get_indsats_for_user with change=True), refused with ramme.IndsatsClosed
    when it is closed."""
    indsats = get_indsats_for_user(user, pk, change=True, **kwargs)
    ramme.check_open(indsats)
    return indsats


def refuses_locked(section):
    """A view whose change the lock refused (indsatser.ramme.Locked) answers with the reason, back on the
    indsats's page at `section` (htmx: the browser is sent there)."""

    def decorate(view):
        @wraps(view)
        def wrapper(request, pk, *args, **kwargs):
            try:
                return view(request, pk, *args, **kwargs)
            except ramme.Locked as error:
                messages.error(request, str(error))
                url = reverse("indsats_detail", args=[pk]) + (f"#{section}" if section else "")
                if request.htmx:
                    return HttpResponseClientRedirect(url)
                return redirect(url)

        return wrapper

    return decorate


def respond(request, indsats, section, *, done=False, status=200, **extra):
    """Answer a change to one section of the page.

    done: the change was saved (or cancelled). htmx gets the fresh section; a plain browser is sent back
    to the section on the page. Otherwise (a form to show, perhaps with errors) htmx gets the section and a
    plain browser the whole page, both with `extra` (the form) in the context.
    """
    if done and not request.htmx:
        return redirect(reverse("indsats_detail", args=[indsats.pk]) + f"#{section}")
    if done and request.method == "POST":
        # Saved: read the indsats and its lists again, so the section shows the change. A form to show
        # (or a cancel) changed nothing, and the indsats the view read is still current.
        indsats = get_indsats_for_user(request.user, indsats.pk)
    if request.htmx:
        return render(request, SECTIONS[section], section_context(request, indsats, **extra), status=status)
    return render(
        request, "indsatser/indsats_detail.html", detail_context(request, indsats, **extra), status=status
    )
