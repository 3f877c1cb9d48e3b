"""Exporting application packs: choose plans, start an export, follow it, retry it, download the ZIP.

Only staff and the secretariat may (helhedsplaner.export_pakker); board members get 403 everywhere here.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from config.web import jobs
from config.web.audit import EXPORT, logs_access
from config.web.forms import posted
from config.web.htmx import page_template
from config.web.lists import PAGE_SIZE
from helhedsplaner import uploads
from helhedsplaner.forms import PakkeeksportFilterForm, PakkeeksportForm
from helhedsplaner.models import Pakke, Pakkeeksport
from helhedsplaner.packs import exports

PAGE = "helhedsplaner/export_page.html"


def _check_permission(request):
    if not request.user.has_perm("helhedsplaner.export_pakker"):
        raise PermissionDenied


def _filters(request) -> PakkeeksportFilterForm:
    """The page's filters; missing or unknown values fall back to all prækvalifikationsansøgninger."""
    data = request.GET.copy()
    data.setdefault("pakketype", Pakke.Type.PRAEKVALIFIKATION)
    filters = PakkeeksportFilterForm(data)
    if not filters.is_valid():
        filters = PakkeeksportFilterForm({"pakketype": Pakke.Type.PRAEKVALIFIKATION})
        filters.is_valid()
    return filters


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def export_page(request):
    """The plans the filters match, a page at a time, to tick and export, or to export all of them."""
    _check_permission(request)
    filters = _filters(request)
    choice = filters.cleaned_data
    rapportaar = None
    if choice["pakketype"] == Pakke.Type.AARSRAPPORT:
        rapportaar = choice.get("rapportaar") or timezone.localdate().year
    matching = exports.matching_plans(
        request.user, choice["tilstand"], choice["periode"], choice["aar"], rapportaar
    )
    form = PakkeeksportForm(request.user, matching, posted(request))
    if request.method == "POST" and form.is_valid():
        pakketype = form.cleaned_data["pakketype"]
        aar = None
        if pakketype == Pakke.Type.AARSRAPPORT:
            aar = form.cleaned_data["rapportaar"] or timezone.localdate().year
        with transaction.atomic():
            eksport, ordered = exports.order_export(request.user, pakketype, form.cleaned_data["planer"], aar)
        if ordered:
            _tell_how_it_went(request, eksport)
        else:
            messages.info(
                request, "Den samme eksport er allerede i gang. Du kan følge den under «Eksporter» herunder."
            )
        return redirect(f"{request.get_full_path()}#eksporter")
    plans = exports.choosable_plans(matching, choice["pakketype"], rapportaar)
    page = Paginator(plans, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    context = {
        "filters": filters,
        "form": form,
        "pakketype": Pakke.Type(choice["pakketype"]),
        "rapportaar": rapportaar,
        "page": page,
        "query": query.urlencode(),
        "chosen": {str(pk) for pk in request.POST.getlist("planer")},
        "eksporter": exports.recent_exports(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, page_template(request, PAGE, "plans"), context, status=status)


def _tell_how_it_went(request, eksport):
    """Sent when the transaction committed; if Redis was down the job waits in the queue, and the user
    should know why nothing happens yet."""
    eksport.refresh_from_db(fields=["status", "sent"])
    if eksport.status == Pakkeeksport.Status.QUEUED and eksport.sent is None:
        messages.warning(
            request,
            "Eksporten er sat i kø, men køserveren svarer ikke lige nu. "
            "Den startes automatisk, så snart køserveren svarer igen.",
        )
    else:
        messages.success(request, "Eksporten er sat i gang. Du kan følge den under «Eksporter» herunder.")


def _export(request, pk, **conditions) -> Pakkeeksport:
    _check_permission(request)
    return get_object_or_404(Pakkeeksport.objects.filter(**conditions), pk=pk)


@login_required
@vary_on_headers("HX-Request")
def export_status(request, pk):
    """Polled by the page while the export is queued or being made; stops polling when it has ended."""
    eksport = _export(request, pk)
    if not request.htmx:
        return redirect("pack_export")
    jobs.mark_stalled([eksport])
    return render(request, "helhedsplaner/_export_status.html", {"eksport": eksport})


@login_required
@vary_on_headers("HX-Request")
@require_POST
def export_retry(request, pk):
    eksport = _export(request, pk, status__in=[Pakkeeksport.Status.FAILED, *Pakkeeksport.ACTIVE])
    retried = jobs.send_again(eksport)
    if request.htmx:
        return render(request, f"{PAGE}#exports", {"eksporter": exports.recent_exports()})
    if retried:
        messages.success(request, "Eksporten er sat i kø igen.")
    else:
        messages.info(request, "Eksporten er ved at blive lavet.")
    return redirect("pack_export")


@login_required
@logs_access("Pakkeeksport", EXPORT)
def export_download(request, pk):
    eksport = _export(request, pk, status=Pakkeeksport.Status.DONE)
    return uploads.download(eksport.fil, eksport.filename)
