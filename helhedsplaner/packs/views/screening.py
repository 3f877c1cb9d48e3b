"""The screening report of a round, on the screening overview: order, poll a job's status, retry, download.

The report covers every afdeling, so only staff and the secretariat (who may order packs) see it at all.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from config.web import jobs
from helhedsplaner import uploads
from helhedsplaner.models import Pakke
from helhedsplaner.packs import documents
from screening.models import Screeningsrunde
from screening.queries import scenario_rule_sets


def _round_for_user(user, aar) -> Screeningsrunde:
    if not user.has_perm("helhedsplaner.add_pakke"):
        raise PermissionDenied
    # The secretariat orders and reads reports of final rounds only, as it sees only those.
    return get_object_or_404(Screeningsrunde.objects.visible_to(user).select_related("regelsaet"), aar=aar)


def _report(runde, pack_pk, **filters) -> Pakke:
    return get_object_or_404(Pakke.objects.filter(runde=runde, **filters).select_related("runde"), pk=pack_pk)


def _section(request, runde):
    """After a change: the section for htmx, the report page without JavaScript."""
    if request.htmx:
        return render(
            request, "helhedsplaner/_screening_packs.html", documents.screening_section_context(runde)
        )
    return redirect("screening_packs", aar=runde.aar)


@login_required
@vary_on_headers("HX-Request")
def screening_pack_list(request, aar):
    """The round's reports: loaded into the overview by htmx, a page of its own without JavaScript."""
    runde = _round_for_user(request.user, aar)
    template = (
        "helhedsplaner/_screening_packs.html" if request.htmx else "helhedsplaner/screening_packs_page.html"
    )
    return render(request, template, documents.screening_section_context(runde))


@login_required
@vary_on_headers("HX-Request")
@require_POST
def screening_pack_order(request, aar):
    runde = _round_for_user(request.user, aar)
    scenario = None
    if request.POST.get("scenarie"):
        scenario = get_object_or_404(scenario_rule_sets(runde), kode=request.POST["scenarie"])
    with transaction.atomic():
        ordered = documents.bestil_screeningsrapport(runde, request.user, scenario)
    if ordered.genbrugt:
        messages.info(
            request, "Screeningsrapport: intet er ændret siden sidste version, som kan hentes herunder."
        )
    else:
        messages.success(request, "Screeningsrapporten er sat i kø og bliver lavet om lidt.")
    return _section(request, runde)


@login_required
@vary_on_headers("HX-Request")
def screening_pack_status(request, aar, pack_pk):
    runde = _round_for_user(request.user, aar)
    pakke = _report(runde, pack_pk)
    if not request.htmx:
        return redirect("screening_packs", aar=runde.aar)
    jobs.mark_stalled([pakke])
    return render(request, "helhedsplaner/_pack_status.html", {"pakke": pakke})


@login_required
@vary_on_headers("HX-Request")
@require_POST
def screening_pack_retry(request, aar, pack_pk):
    runde = _round_for_user(request.user, aar)
    pakke = get_object_or_404(Pakke.objects.filter(runde=runde).exclude(status=Pakke.Status.DONE), pk=pack_pk)
    if jobs.send_again(pakke):
        messages.success(request, "Rapporten er sat i kø igen.")
    else:
        messages.info(request, "Rapporten er ved at blive lavet.")
    return _section(request, runde)


@login_required
def screening_pack_download(request, aar, pack_pk):
    runde = _round_for_user(request.user, aar)
    pakke = _report(runde, pack_pk, status=Pakke.Status.DONE)
    return uploads.download(pakke.fil, pakke.filename)
