"""Application packs on the plan page: order, poll a job's status, retry a failed or stalled one, download."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import BadRequest, PermissionDenied
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django.views.decorators.vary import vary_on_headers

from config.web import jobs
from config.web.audit import EXPORT, logs_access
from config.web.lists import whole_number
from finansiering import queries as budget_queries
from helhedsplaner import uploads
from helhedsplaner.models import Pakke
from helhedsplaner.packs import documents
from helhedsplaner.views.common import get_plan_for_user


def _plan_for_ordering(request, pk):
    plan = get_plan_for_user(request.user, pk)
    if not request.user.has_perm("helhedsplaner.add_pakke"):
        raise PermissionDenied
    return plan


def _section(request, plan, *, aar_fejl=None, status=200):
    """After a change: the section for htmx, the packs page without JavaScript. An order refused for its
    year (`aar_fejl`) shows the section again with the message, in either case."""
    context = {**documents.section_context(request, plan), "aar_fejl": aar_fejl}
    if request.htmx:
        return render(request, "helhedsplaner/_packs.html", context, status=status)
    if aar_fejl:
        return render(request, "helhedsplaner/packs_page.html", context, status=status)
    return redirect("plan_packs", pk=plan.pk)


@login_required
@vary_on_headers("HX-Request")
def pack_list(request, pk):
    """The plan's packs: loaded into the plan page by htmx, a page of its own without JavaScript."""
    plan = get_plan_for_user(request.user, pk)
    template = "helhedsplaner/_packs.html" if request.htmx else "helhedsplaner/packs_page.html"
    return render(request, template, documents.section_context(request, plan))


@login_required
@vary_on_headers("HX-Request")
@require_POST
def pack_order(request, pk):
    plan = _plan_for_ordering(request, pk)
    pakketype = request.POST.get("pakketype", "")
    if pakketype not in Pakke.PLAN_TYPES:
        raise BadRequest("Ukendt pakketype.")
    afdeling = None
    if pakketype == Pakke.Type.AFDELINGSMOEDE and request.POST.get("afdeling"):
        afdeling = get_object_or_404(plan.indsats.afdelinger.all(), pk=request.POST["afdeling"])
    aar = None
    if pakketype == Pakke.Type.AARSRAPPORT:
        aar = whole_number(request.POST.get("aar", "").strip())
        years = budget_queries.period_years(plan.indsats)
        if aar not in years:
            period = f"{years[0]}–{years[-1]}" if years else "ingen; planen har ingen periode endnu"
            problem = f"Vælg et år i planens periode ({period})."
            return _section(request, plan, aar_fejl=problem, status=400)
    with transaction.atomic():
        ordered = documents.bestil_pakke(plan, pakketype, request.user, afdeling, aar)
    label = Pakke.Type(pakketype).label + (f" {ordered.pakke.aar}" if ordered.pakke.aar else "")
    # Outside its phase the pack is marked UDKAST on every page: say so before it is downloaded.
    draft = documents.draft_reason(plan, pakketype)
    if ordered.genbrugt:
        messages.info(request, f"{label}: intet er ændret siden sidste version, som kan hentes herunder.")
    else:
        messages.success(request, f"{label} er sat i kø og bliver lavet om lidt.")
    if draft:
        messages.warning(request, draft)
    return _section(request, plan)


@login_required
@vary_on_headers("HX-Request")
def pack_status(request, pk, pack_pk):
    plan = get_plan_for_user(request.user, pk)
    pakke = get_object_or_404(plan.pakker.select_related("afdeling"), pk=pack_pk)
    if not request.htmx:
        return redirect("plan_packs", pk=plan.pk)
    jobs.mark_stalled([pakke])
    return render(request, "helhedsplaner/_pack_status.html", {"plan": plan, "pakke": pakke})


@login_required
@vary_on_headers("HX-Request")
@require_POST
def pack_retry(request, pk, pack_pk):
    plan = _plan_for_ordering(request, pk)
    pakke = get_object_or_404(plan.pakker.exclude(status=Pakke.Status.DONE), pk=pack_pk)
    if jobs.send_again(pakke):
        messages.success(request, "Pakken er sat i kø igen.")
    else:
        messages.info(request, "Pakken er ved at blive lavet.")
    return _section(request, plan)


@login_required
@logs_access("Ansøgningspakke", EXPORT)
def pack_download(request, pk, pack_pk):
    plan = get_plan_for_user(request.user, pk)
    pakke = get_object_or_404(
        plan.pakker.filter(status=Pakke.Status.DONE).select_related("afdeling"), pk=pack_pk
    )
    return uploads.download(pakke.fil, pakke.filename)
