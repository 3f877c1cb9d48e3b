"""Import of a plan's goal figures from the funders' data exports: upload, a preview of what changes, and the
confirmation that saves it (indsatser/goal_figures_import.py holds the rules)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from config.web.forms import ImportForm, posted
from indsatser import goal_figures_import
from indsatser.views.common import get_indsats_for_user
from screening.afdeling_import import ImportReport, RowError

STALE_CONFIRMATION = "Bekræftelsen kunne ikke læses. Indlæs filen igen."


def _context(indsats, form, report=None, changes=None, token=""):
    return {
        "indsats": indsats,
        "form": form,
        "report": report,
        "changes": changes,
        "changed": sum(1 for change in changes or () if change.changed),
        "token": token,
        "columns": goal_figures_import.COLUMNS + goal_figures_import.OPTIONAL_COLUMNS,
        "maalsaetninger": indsats.maalsaetninger.select_related("indikator"),
        "years": goal_figures_import.plan_years(indsats),
        "areas": goal_figures_import.plan_areas(indsats),
    }


@login_required
@require_http_methods(["GET", "POST"])
def goal_figures_import_view(request, pk):
    indsats = get_indsats_for_user(request.user, pk, change=True)
    if "bekraeft" in request.POST:
        return _confirm(request, indsats)
    form = ImportForm(posted(request), request.FILES or None)
    if request.method == "GET" or not form.is_valid():
        status = 400 if request.method == "POST" else 200
        return render(request, "indsatser/goal_figures_import.html", _context(indsats, form), status=status)
    upload = form.cleaned_data["fil"]
    table, errors = goal_figures_import.read(upload.read(), upload.name)
    changes = []
    if not errors:
        changes, errors = goal_figures_import.preview(table, indsats)
    if errors:
        context = _context(indsats, form, report=ImportReport(errors=errors))
        return render(request, "indsatser/goal_figures_import.html", context, status=400)
    token = goal_figures_import.sign_table(table, upload.name)
    context = _context(indsats, ImportForm(), changes=changes, token=token)
    return render(request, "indsatser/goal_figures_import.html", context)


def _confirm(request, indsats):
    try:
        table, filename = goal_figures_import.unsign_table(request.POST["bekraeft"])
    except signing.BadSignature:
        report = ImportReport(errors=[RowError(0, "", STALE_CONFIRMATION)])
    else:
        report = goal_figures_import.import_table(table, indsats, filename, acting_user=request.user)
    if not report.ok:
        context = _context(indsats, ImportForm(), report=report)
        return render(request, "indsatser/goal_figures_import.html", context, status=400)
    messages.success(request, f"Indikatortallene er indlæst: {report.summary()}")
    return redirect(reverse("indsats_detail", args=[indsats.pk]) + "#maal")
