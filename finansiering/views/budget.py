"""The budget of an indsats: the editable table, its lines with notes, versions, comparison, export.

The table is one form (saved as a whole without JavaScript); with htmx each amount saves itself when it
changes and the totals it counts towards are swapped in place (out of band).
"""

from decimal import Decimal

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from config.web.formatting import kroner
from config.web.forms import posted
from finansiering import actions as budget_actions
from finansiering import queries as budget_queries
from finansiering.export import budget_workbook, xlsx_download
from finansiering.financing import indsats_finansiering
from finansiering.forms import AmountNoteForm, CellForm, LineForm, VersionForm
from finansiering.models import Budgetlinje, Budgetversion
from finansiering.tables import budget_grid, compare, regnskab_grid
from finansiering.views.common import (
    get_indsats_for_user,
    get_version,
    limit_afdelinger,
    save_cell,
    version_by_number,
    versions_of,
)
from indsatser import ramme

VIEW = "finansiering.view_budget"
CHANGE = "finansiering.change_budget"


def _page_context(request, indsats, versions, version, grid, **extra):
    # The latest version submitted: the budget is with the funders and nothing of it changes.
    submitted = versions[-1] if versions and versions[-1].status == Budgetversion.Status.INDSENDT else None
    may_change = submitted is None and request.user.has_perm(CHANGE, indsats)
    return {
        "indsats": indsats,
        "versions": versions,
        "version": version,
        "grid": grid,
        "submitted": submitted,
        "can_edit": may_change and version is not None and not version.laast and not ramme.is_closed(indsats),
        "can_create": may_change and not ramme.frame_locked(indsats),
        "years_ok": bool(budget_queries.period_years(indsats)),
        **extra,
    }


@login_required
@require_GET
def budget_detail(request, indsats_pk, nummer=None):
    """The budget table of one version (default: the latest)."""
    indsats = get_indsats_for_user(request.user, indsats_pk, VIEW)
    versions = versions_of(indsats)
    if nummer is None:
        version = versions[-1] if versions else None
    else:
        version = version_by_number(versions, nummer)
        if version is None:
            raise Http404
    grid = budget_grid(version) if version else None
    return render(
        request, "finansiering/budget.html", _page_context(request, indsats, versions, version, grid)
    )


def _editable_version(request, indsats_pk, nummer):
    indsats = get_indsats_for_user(request.user, indsats_pk, CHANGE)
    version = get_version(indsats, nummer)
    return indsats, version


@login_required
@require_POST
def budget_save(request, indsats_pk, nummer):
    """The whole table at once (the form without JavaScript): every cell is checked, then all are saved."""
    indsats, version = _editable_version(request, indsats_pk, nummer)
    grid = budget_grid(version)
    changes, problems = _read_cells(request.POST, grid)
    try:
        budget_actions.check_version_editable(version)
        budget_actions.check_open(indsats)
    except budget_actions.BudgetError as problem:
        problems.append(str(problem))
    if problems:
        versions = versions_of(indsats)
        context = _page_context(request, indsats, versions, version, grid, problems=problems)
        return render(request, "finansiering/budget.html", context, status=400)
    with transaction.atomic():
        for cell, amount in changes:
            budget_actions.save_budget_line(
                version, cell.aar, cell.omraade, cell.omkostningstype, amount, acting_user=request.user
            )
    messages.success(request, f"Budgettet er gemt ({len(changes)} ændrede celler).")
    return redirect("budget_version", indsats_pk=indsats.pk, nummer=version.nummer)


def _read_cells(data, grid):
    """The cells whose posted amount differs from the stored one, and a message per refused cell."""
    changes, problems = [], []
    for name, cell in grid.cells.items():
        if name not in data:
            continue
        form = CellForm({"beloeb": data[name]})
        if not form.is_valid():
            cell.raw, cell.error = data[name], form.errors["beloeb"][0]
            problems.append(f"{cell.omkostningstype}, {cell.omraade}, {cell.aar}: {cell.error}")
            continue
        if form.cleaned_data["beloeb"] != cell.beloeb:
            changes.append((cell, form.cleaned_data["beloeb"]))
    return changes, problems


@login_required
@require_POST
@vary_on_headers("HX-Request")
def budget_cell(request, indsats_pk, nummer, aar, omraade_pk, type_pk):
    """One amount, posted by htmx when it changes. Answers with the cell and the totals it counts towards."""
    indsats, version = _editable_version(request, indsats_pk, nummer)
    grid = budget_grid(version)
    name = f"c-{aar}-{omraade_pk}-{type_pk}"
    cell = grid.cells.get(name)
    if cell is None:
        raise Http404
    error = save_cell(
        budget_actions.save_budget_line, version, cell, request.POST.get(name, ""), acting_user=request.user
    )
    if not request.htmx:
        if error:
            messages.error(request, f"{cell.omkostningstype}, {cell.omraade}, {aar}: {error}")
        return redirect("budget_version", indsats_pk=indsats.pk, nummer=version.nummer)
    if error:
        cell.raw, cell.error = request.POST.get(name, ""), error
        context = {"indsats": indsats, "version": version, "cell": cell, "can_edit": True}
        return render(request, "finansiering/budget.html#cell", context, status=400)
    grid = budget_grid(version)
    cell = grid.cells[name]
    context = {
        "indsats": indsats,
        "version": version,
        "cell": cell,
        "can_edit": True,
        "totals": grid.totals_around(cell),
        "saved_text": f"Gemt: {cell.omkostningstype}, {cell.omraade}, {aar}: "
        f"{kroner(cell.beloeb)} kr. Budget i alt: {kroner(grid.total)} kr.",
    }
    return render(request, "finansiering/budget_cell.html", context)


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def budget_lines(request, indsats_pk, nummer):
    """Every line of a version with its note, and a form to add or set a line."""
    indsats = get_indsats_for_user(request.user, indsats_pk, VIEW)
    version = get_version(indsats, nummer)
    can_edit = not version.laast and request.user.has_perm(CHANGE, indsats)
    form = LineForm(posted(request), indsats=indsats) if can_edit else None
    if request.method == "POST":
        if not can_edit:
            raise PermissionDenied
        if form.is_valid():
            data = form.cleaned_data
            try:
                budget_actions.save_budget_line(
                    version,
                    data["aar"],
                    data["indsatsomraade"],
                    data["omkostningstype"],
                    data["beloeb"],
                    data["note"],
                    acting_user=request.user,
                )
            except budget_actions.BudgetError as problem:  # e.g. the budget is with the funders
                form.add_error(None, str(problem))
            else:
                messages.success(request, "Linjen er gemt.")
                return redirect("budget_lines", indsats_pk=indsats.pk, nummer=version.nummer)
    lines = version.linjer.select_related("indsatsomraade", "omkostningstype").order_by(
        "aar", "indsatsomraade__periode__startaar", "indsatsomraade__sortering", "omkostningstype__sortering"
    )
    context = {
        "indsats": indsats,
        "version": version,
        "lines": lines,
        "form": form,
        "can_edit": can_edit,
        "total": sum((line.beloeb for line in lines), Decimal(0)),
    }
    return render(
        request, "finansiering/budget_lines.html", context, status=400 if form and form.errors else 200
    )


@login_required
@require_http_methods(["GET", "POST"])
@vary_on_headers("HX-Request")
def budget_line_edit(request, indsats_pk, nummer, linje_pk):
    """Edit one line's amount and note: inline in the list with htmx, or as its own page without."""
    indsats, version = _editable_version(request, indsats_pk, nummer)
    if version.laast:
        raise PermissionDenied
    line = get_object_or_404(
        Budgetlinje.objects.select_related("indsatsomraade", "omkostningstype"), version=version, pk=linje_pk
    )
    initial = {"beloeb": kroner(line.beloeb), "note": line.note}
    # A prefix per line: several lines may be open for editing at once without clashing ids.
    form = AmountNoteForm(posted(request), initial=initial, prefix=f"linje-{line.pk}")
    lines_url = reverse("budget_lines", args=[indsats.pk, version.nummer])
    status = 200
    if request.method == "POST":
        valid = form.is_valid()
        if "slet" in request.POST:
            amount, note = Decimal(0), ""  # an empty cell: the service removes the line
        elif valid:
            amount, note = form.cleaned_data["beloeb"], form.cleaned_data["note"]
        else:
            status = 400
        if status == 200:
            try:
                saved = budget_actions.save_budget_line(
                    version,
                    line.aar,
                    line.indsatsomraade,
                    line.omkostningstype,
                    amount,
                    note,
                    acting_user=request.user,
                )
            except budget_actions.BudgetError as problem:  # e.g. the budget was sent to the funders meanwhile
                form.add_error(None if "slet" in request.POST else "beloeb", str(problem))
                status = 400
        if status == 200:
            if request.htmx and saved is not None:
                context = {"indsats": indsats, "version": version, "line": saved, "can_edit": True}
                return render(request, "finansiering/budget_lines.html#line", context)
            messages.success(request, "Linjen er gemt." if saved else "Linjen er fjernet.")
            if request.htmx:
                # A removed line changes the list's count and total too: reload the whole page.
                return HttpResponse(headers={"HX-Redirect": lines_url})
            return redirect(lines_url)
    context = {"indsats": indsats, "version": version, "line": line, "form": form, "can_edit": True}
    template = "finansiering/budget_lines.html#line_form" if request.htmx else "finansiering/line_form.html"
    return render(request, template, context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def budget_version_create(request, indsats_pk):
    indsats = get_indsats_for_user(request.user, indsats_pk, CHANGE)
    approved = budget_queries.approved_version(indsats) is not None
    form = VersionForm(posted(request), indsats=indsats, approved=approved)
    if request.method == "POST" and form.is_valid():
        try:
            version = budget_actions.create_version(
                indsats,
                form.cleaned_data["fase"],
                form.cleaned_data["begrundelse"],
                kilde=form.cleaned_data["kilde"],
                acting_user=request.user,
            )
        except budget_actions.BudgetError as problem:
            form.add_error(None, str(problem))
        else:
            messages.success(request, f"{version} er oprettet.")
            return redirect("budget_version", indsats_pk=indsats.pk, nummer=version.nummer)
    status = 400 if request.method == "POST" else 200
    context = {
        "indsats": indsats,
        "form": form,
        "approved": approved,
        "years_ok": bool(budget_queries.period_years(indsats)),
    }
    return render(request, "finansiering/version_form.html", context, status=status)


@login_required
@require_GET
def budget_compare(request, indsats_pk):
    """Two versions side by side (default: the one before the latest against the latest)."""
    indsats = get_indsats_for_user(request.user, indsats_pk, VIEW)
    versions = versions_of(indsats)
    a = version_by_number(versions, request.GET.get("a")) or (versions[-2] if len(versions) > 1 else None)
    b = version_by_number(versions, request.GET.get("b")) or (versions[-1] if versions else None)
    comparison = compare(budget_grid(a), budget_grid(b)) if a and b else None
    context = {"indsats": indsats, "versions": versions, "a": a, "b": b, "comparison": comparison}
    return render(request, "finansiering/compare.html", context)


@login_required
@require_GET
def budget_export(request, indsats_pk):
    """The budget (the chosen or latest version), its financing and the afdelinger's shares as Excel."""
    indsats = get_indsats_for_user(request.user, indsats_pk, VIEW)
    versions = versions_of(indsats)
    version = version_by_number(versions, request.GET.get("version")) or (versions[-1] if versions else None)
    if version is None:
        raise Http404
    finansiering = indsats_finansiering(indsats, version)
    limit_afdelinger(request.user, finansiering)
    regnskab = regnskab_grid(indsats) if indsats.regnskabslinjer.exists() else None
    workbook = budget_workbook(budget_grid(version), finansiering, regnskab)
    return xlsx_download(workbook, f"{indsats.titel}-v{version.nummer}")
