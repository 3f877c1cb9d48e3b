"""The regnskab (actual spending) of an indsats against its budget: per year and line, with flags, typed
in (one row at a time with htmx, or the whole year as one form) or imported from CSV/XLSX."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from config.web.forms import ImportForm, posted
from config.web.lists import whole_number
from config.web.tabular import csv_response
from finansiering import actions as budget_actions
from finansiering import actuals_import
from finansiering import queries as budget_queries
from finansiering.forms import CellForm
from finansiering.tables import ZERO, Variance, budget_grid, regnskab_grid, variance_table
from finansiering.views.common import get_indsats_for_user, save_cell

VIEW = "finansiering.view_budget"
CHANGE = "finansiering.change_regnskab"


def _chosen_year(request, years):
    chosen = whole_number(request.GET.get("aar") or request.POST.get("aar", ""))
    if chosen in years:
        return chosen
    return years[0] if years else None


def _rows_for_year(budget, regnskab, year, threshold):
    """Every område × type row for one year: its regnskab cell (editable) and the variance."""
    i = regnskab.years.index(year)
    budget_cells = budget.cells if budget else {}
    reported = year in regnskab.reported_years
    rows = []
    for block in regnskab.blocks:
        for row in block.rows:
            cell = row.cells[i]
            planned = budget_cells.get(cell.name)
            variance = Variance(planned.beloeb if planned else ZERO, cell.beloeb, threshold, year, reported)
            rows.append({"cell": cell, "variance": variance})
    return rows


def _context(request, indsats, year, regnskab=None):
    version = budget_queries.budget_in_force(indsats)
    budget = budget_grid(version) if version else None
    regnskab = regnskab or regnskab_grid(indsats)
    threshold = budget_queries.variance_threshold(indsats)
    table = variance_table(budget, regnskab, threshold) if budget else None
    context = {
        "indsats": indsats,
        "version": version,
        "regnskab": regnskab,
        "table": table,
        "threshold": threshold,
        "year": year,
        "can_edit": request.user.has_perm(CHANGE, indsats),
    }
    if year is not None:
        context["rows"] = _rows_for_year(budget, regnskab, year, threshold)
        context["year_variance"] = dict(table["years"]).get(year) if table else None
    return context


@login_required
@require_GET
def regnskab_detail(request, indsats_pk):
    indsats = get_indsats_for_user(request.user, indsats_pk, VIEW)
    year = _chosen_year(request, budget_queries.period_years(indsats))
    return render(request, "finansiering/regnskab.html", _context(request, indsats, year))


@login_required
@require_POST
def regnskab_save(request, indsats_pk):
    """One year's regnskab as one form (without JavaScript): all cells are checked, then all are saved."""
    indsats = get_indsats_for_user(request.user, indsats_pk, CHANGE)
    year = _chosen_year(request, budget_queries.period_years(indsats))
    if year is None:
        raise Http404
    regnskab = regnskab_grid(indsats)
    changes, problems = [], []
    for name, cell in regnskab.cells.items():
        if cell.aar != year or name not in request.POST:
            continue
        form = CellForm({"beloeb": request.POST[name]})
        if not form.is_valid():
            cell.raw, cell.error = request.POST[name], form.errors["beloeb"][0]
            problems.append(f"{cell.omkostningstype}, {cell.omraade}: {cell.error}")
        elif form.cleaned_data["beloeb"] != cell.beloeb:
            changes.append((cell, form.cleaned_data["beloeb"]))
    try:
        budget_actions.check_open(indsats)
    except budget_actions.BudgetError as problem:
        problems.append(str(problem))
    if problems:
        context = _context(request, indsats, year, regnskab)
        context["problems"] = problems
        return render(request, "finansiering/regnskab.html", context, status=400)
    with transaction.atomic():
        for cell, amount in changes:
            budget_actions.save_regnskab_line(
                indsats, year, cell.omraade, cell.omkostningstype, amount, acting_user=request.user
            )
    messages.success(request, f"Regnskabet for {year} er gemt ({len(changes)} ændrede celler).")
    return redirect(f"{reverse('regnskab_detail', args=[indsats.pk])}?aar={year}")


@login_required
@require_POST
@vary_on_headers("HX-Request")
def regnskab_cell(request, indsats_pk, aar, omraade_pk, type_pk):
    """One actual amount, posted by htmx when it changes; answers with the row (amount, variance, flag)."""
    indsats = get_indsats_for_user(request.user, indsats_pk, CHANGE)
    regnskab = regnskab_grid(indsats)
    name = f"c-{aar}-{omraade_pk}-{type_pk}"
    cell = regnskab.cells.get(name)
    if cell is None:
        raise Http404
    error = save_cell(
        budget_actions.save_regnskab_line, indsats, cell, request.POST.get(name, ""), acting_user=request.user
    )
    if not request.htmx:
        if error:
            messages.error(request, f"{cell.omkostningstype}, {cell.omraade}, {aar}: {error}")
        return redirect(f"{reverse('regnskab_detail', args=[indsats.pk])}?aar={aar}")
    context = _context(request, indsats, aar)
    row = next(r for r in context["rows"] if r["cell"].name == name)
    if error:
        row["cell"].raw, row["cell"].error = request.POST.get(name, ""), error
    context["row"] = row
    return render(request, "finansiering/regnskab_row.html", context, status=400 if error else 200)


@login_required
@require_http_methods(["GET", "POST"])
def regnskab_import_view(request, indsats_pk):
    indsats = get_indsats_for_user(request.user, indsats_pk, CHANGE)
    form = ImportForm(posted(request), request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fil"]
        report = actuals_import.import_file(upload.read(), upload.name, indsats, acting_user=request.user)
        if report.ok:
            messages.success(request, f"Regnskabet er indlæst: {report.summary()}")
            return redirect("regnskab_detail", indsats_pk=indsats.pk)
    context = {
        "indsats": indsats,
        "form": form,
        "report": report,
        "columns": actuals_import.COLUMNS + actuals_import.OPTIONAL_COLUMNS,
        "omraader": budget_queries.budget_omraader(indsats),
        "typer": budget_queries.active_cost_types(),
        "years": budget_queries.period_years(indsats),
    }
    return render(
        request, "finansiering/regnskab_import.html", context, status=400 if request.method == "POST" else 200
    )


@login_required
@require_GET
def regnskab_template(request, indsats_pk):
    """A CSV to fill in: one row per year, område and cost type of the indsats, amounts blank."""
    indsats = get_indsats_for_user(request.user, indsats_pk, CHANGE)
    rows = [
        [year, omraade.navn, omkostningstype.navn, "", ""]
        for year in budget_queries.period_years(indsats)
        for omraade in budget_queries.budget_omraader(indsats)
        for omkostningstype in budget_queries.active_cost_types()
    ]
    return csv_response(
        f"regnskab-{indsats.pk}.csv", actuals_import.COLUMNS + actuals_import.OPTIONAL_COLUMNS, rows
    )
