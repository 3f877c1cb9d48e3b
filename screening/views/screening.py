"""The screening pages: round overview, an afdeling's screening, an area's criteria, rounds and imports."""

import functools

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from config.web import roles
from config.web.forms import posted
from config.web.htmx import page_template
from config.web.lists import PAGE_SIZE
from config.web.tabular import csv_response, xlsx_response
from screening import actions, assessment, display, official_lists, options, page_data, screening_import
from screening.forms import GenaabnRundeForm, OverviewFilterForm, ScreeningImportForm, VurderingForm
from screening.models import (
    Afdeling,
    Boligomraade,
    Boligorganisation,
    Maaling,
    Regelsaet,
    Screeningsimport,
    Screeningsrunde,
)
from screening.queries import get_afdeling_for_user, scenario_rule_sets

# Files up to this size are imported while the user waits; larger ones go to a background job.
INLINE_IMPORT_BYTES = 200_000


def selected_round(request, rounds) -> Screeningsrunde | None:
    """The round named by ?aar=, else the default round. A year unknown (or hidden from the user): 404."""
    aar = request.GET.get("aar", "")
    if not aar:
        return default_round(rounds)
    for runde in rounds:
        if str(runde.aar) == aar:
            return runde
    raise Http404("Der findes ingen screening for det år.")


def default_round(rounds) -> Screeningsrunde | None:
    """The newest final round: a draft is opened only by choosing it (staff alone see drafts). Without any
    final round, the newest draft."""
    return next((r for r in rounds if r.is_final), rounds[0] if rounds else None)


def all_rounds(user) -> list[Screeningsrunde]:
    """The rounds the user may see (staff: drafts too), with their rule sets, newest first."""
    return list(Screeningsrunde.objects.visible_to(user).select_related("regelsaet").order_by("-aar"))


@login_required
@vary_on_headers("HX-Request")
def screening_overview(request):
    rounds = all_rounds(request.user)
    runde = selected_round(request, rounds)
    if runde is None:
        return render(request, "screening/screening_overview.html", {"runde": None, "rounds": rounds})
    form = OverviewFilterForm(
        request.GET,
        organisations=Boligorganisation.objects.visible_to(request.user).order_by("navn"),
        areas=Boligomraade.objects.visible_to(request.user).order_by("navn"),
        scenarios=scenario_choices(request.user, runde),
    )
    filters = form.values()
    scenario = filters.get("scenarie")
    rows = page_data.overview_rows(request.user, runde, filters)
    totals = page_data.totals(runde, rows, scenario)
    paginator = Paginator(rows.values_list("pk", flat=True), PAGE_SIZE)
    # The totals have counted the rows already; the paginator would count them again.
    paginator.count = totals["afdelinger"]
    page = paginator.get_page(request.GET.get("side"))
    page.object_list = page_data.page_rows(list(page.object_list), scenario)
    query = request.GET.copy()
    query.pop("side", None)
    query["aar"] = runde.aar
    context = {
        "runde": runde,
        "rounds": rounds,
        "form": form,
        "page": page,
        "query": query.urlencode(),
        "columns": page_data.sort_columns(query, filters.get("sort", page_data.DEFAULT_SORT)),
        "totals": totals,
        "scenario": scenario,
        # Called by the template only where it shows the list (not when htmx asks for the results alone): the
        # most severe areas and how many there are; the whole list has its own page.
        "watch_list": functools.partial(page_data.watch_list_head, request.user, runde, WATCH_LIST_SHOWN),
    }
    return render(request, page_template(request, "screening/screening_overview.html", "results"), context)


# The watched areas the screening overview shows above its list.
WATCH_LIST_SHOWN = 10


@login_required
def screening_watch_list(request):
    """The round's whole watch list: the areas near, or heading for, a stricter class, most severe first."""
    rounds = all_rounds(request.user)
    runde = selected_round(request, rounds)
    watched = page_data.watch_list(request.user, runde) if runde is not None else []
    context = {"runde": runde, "rounds": rounds, "watched": watched}
    return render(request, "screening/screening_watch_list.html", context)


def scenario_choices(user, runde) -> list[Regelsaet] | None:
    """The rule sets the round can be computed under besides its own (the scenarios), for a user who may use
    them; None for anyone else. The rule itself is asked: user.has_perm would go on to Django's own
    permission tables (two queries) for everyone it refuses, and the roles do not use them."""
    if not rules.has_perm("screening.view_scenarie", user):
        return None
    return list(scenario_rule_sets(runde))


@login_required
def screening_export(request):
    rounds = all_rounds(request.user)
    runde = selected_round(request, rounds)
    if runde is None:
        raise Http404
    form = OverviewFilterForm(
        request.GET,
        organisations=Boligorganisation.objects.visible_to(request.user),
        areas=Boligomraade.objects.visible_to(request.user),
        # The list's "only areas that change" filter: the rule sets are read only when it names one.
        scenarios=scenario_choices(request.user, runde) if request.GET.get("scenarie") else None,
    )
    rows = page_data.overview_rows(request.user, runde, form.values())
    header, table = page_data.export_table(runde, rows, display.shows_small_counts(request.user))
    return xlsx_response(f"screening-{runde.aar}.xlsx", f"Screening {runde.aar}", header, table)


def _afdeling_round(request, rounds, latest_year: int | None) -> Screeningsrunde | None:
    """The round to show for an afdeling: ?aar=, else the newest final round that has its figures
    (latest_year), else the default round."""
    if request.GET.get("aar"):
        return selected_round(request, rounds)
    return next((r for r in rounds if r.aar == latest_year), None) or default_round(rounds)


def _latest_final_year(afdeling) -> int | None:
    """The year of the newest final round with figures for the afdeling."""
    latest = (
        Maaling.objects.filter(afdeling=afdeling, runde__status=Screeningsrunde.Status.ENDELIG)
        .order_by("-runde__aar")
        .values_list("runde__aar", flat=True)
    )
    return latest.first()


def afdeling_result(
    afdeling, runde, rounds=None
) -> tuple[assessment.AfdelingResult, assessment.RoundFigures]:
    """`rounds`: every round, if the view has them already (see assessment.load). The indicators are the ones
    the worker keeps, and the risk models (screening.options), which saves the page three queries."""
    area_ids = [afdeling.boligomraade_id] if afdeling.boligomraade_id else []
    data = assessment.load(
        runde,
        afdeling_ids=[afdeling.pk],
        area_ids=area_ids,
        every_round=rounds,
        indicators={i.kode: i for i in options.indicators()},
        risk_models=options.risk_models(),
    )
    return assessment.afdeling_results(data, [afdeling])[0], data


@login_required
def screening_afdeling(request, pk):
    afdeling = get_afdeling_for_user(request.user, pk)
    rounds = all_rounds(request.user)
    # Only the rounds the user may see: a board member's history has no draft year.
    shown = {r.aar for r in rounds}
    history = {aar: values for aar, values in assessment.afdeling_history(afdeling).items() if aar in shown}
    final_years = [r.aar for r in rounds if r.is_final and r.aar in history]
    runde = _afdeling_round(request, rounds, max(final_years, default=None))
    show_small = display.shows_small_counts(request.user)
    context = {"afdeling": afdeling, "runde": runde, "rounds": rounds, "show_small": show_small}
    if runde is not None:
        result, data = afdeling_result(afdeling, runde, rounds)
        indicators = list(data.indicators.values())
        context.update(page_data.afdeling_context(result, indicators, show_small))
        context.update(_vurdering_context(request, afdeling, runde, result))
        shown = page_data.shown_indicators(indicators)
        context["history"] = page_data.history_table(history, shown, show_small)
        thresholds = page_data.criterion_thresholds(runde)
        context["chart"] = page_data.chart_data(history, shown, show_small, thresholds)
    return render(request, "screening/screening_afdeling.html", context)


def _vurdering_context(request, afdeling, runde, result, form=None):
    can_decide = (
        request.user.has_perm("screening.decide_vurdering", afdeling) and result.suggestion is not None
    )
    if can_decide and form is None:
        form = VurderingForm(suggestion=result.suggestion.kode)
    return {
        "result": result,
        "can_decide": can_decide,
        "vurdering_form": form,
        "vurdering_url": reverse("screening_vurdering", args=[afdeling.pk, runde.aar]),
    }


@login_required
@vary_on_headers("HX-Request")
def screening_afdeling_status(request, pk):
    """The afdeling's latest screening, as a fragment for its register page (loaded there by htmx).
    Opened as a page of its own, it leads to the afdeling's full screening."""
    afdeling = get_afdeling_for_user(request.user, pk)
    if not request.htmx:
        return redirect("screening_afdeling", pk=afdeling.pk)
    rounds = all_rounds(request.user)
    runde = _afdeling_round(request, rounds, _latest_final_year(afdeling))
    result = afdeling_result(afdeling, runde, rounds)[0] if runde is not None else None
    return render(
        request, "screening/_afdeling_status.html", {"afdeling": afdeling, "runde": runde, "result": result}
    )


@login_required
@vary_on_headers("HX-Request")
@require_POST
def screening_vurdering(request, pk, aar):
    afdeling = get_afdeling_for_user(request.user, pk)
    if not request.user.has_perm("screening.decide_vurdering", afdeling):
        raise PermissionDenied
    runde = get_object_or_404(Screeningsrunde.objects.select_related("regelsaet"), aar=aar)
    result = afdeling_result(afdeling, runde)[0]
    if result.suggestion is None:
        raise Http404("Afdelingen har ingen tal i runden.")
    form = VurderingForm(request.POST, suggestion=result.suggestion.kode)
    if form.is_valid():
        result.vurdering = actions.decide_vurdering(
            runde, afdeling, result.suggestion, result.risk, form.cleaned_data, acting_user=request.user
        )
        if not request.htmx:
            messages.success(request, "Beslutningen er gemt.")
            return redirect(f"{reverse('screening_afdeling', args=[afdeling.pk])}?aar={runde.aar}")
        form = None
    context = {
        "afdeling": afdeling,
        "runde": runde,
        **_vurdering_context(request, afdeling, runde, result, form),
    }
    status = 400 if form is not None and form.errors else 200
    if request.htmx:
        return render(request, "screening/_vurdering.html", context, status=status)
    return render(request, "screening/screening_vurdering.html", context, status=status)


@login_required
def screening_omraade(request, pk):
    area = get_object_or_404(Boligomraade.objects.visible_to(request.user), pk=pk)
    rounds = all_rounds(request.user)
    runde = selected_round(request, rounds)
    context = {"area": area, "rounds": rounds, "runde": runde}
    if runde is not None:
        # Only the afdelinger this user may see are listed; the area's own figures are aggregates. (A board
        # member sees the area at all only through an afdeling of theirs in it.)
        afdelinger = list(
            Afdeling.objects.visible_to(request.user)
            .filter(boligomraade=area)
            .select_related("organisation", "boligomraade")
            .order_by("organisation__navn", "nummer")
        )
        data = assessment.load(
            runde,
            area_ids=[area.pk],
            afdeling_ids=[a.pk for a in afdelinger],
            lookback=assessment.MAX_LOOKBACK,
            every_round=rounds,
        )
        result = assessment.area_result(data, area.pk)
        show_small = display.shows_small_counts(request.user)
        context.update(page_data.area_context(result, data, show_small))
        context["afdeling_rows"] = page_data.area_afdeling_rows(
            assessment.afdeling_results(data, afdelinger, {area.pk: result}), data.indicators, show_small
        )
        context.update(_official_context(area, runde, result))
        if result.classification is not None:
            context.update(page_data.forecast_context(result, runde))
            context.update(_scenario_context(request, runde, data, result))
    return render(request, "screening/screening_omraade.html", context)


def _scenario_context(request, runde, data, result) -> dict:
    """The rule sets staff may compute the round under, and the area's class under the one chosen."""
    scenarios = scenario_choices(request.user, runde)
    if scenarios is None:
        return {}
    chosen = next((r for r in scenarios if r.kode == request.GET.get("scenarie")), None)
    scenario = page_data.scenario_context(data, result, chosen) if chosen else None
    return {"scenarios": scenarios, "scenario": scenario}


def _official_context(area, runde, result) -> dict:
    """The area's place on every imported year's official lists, and whether the round's year agrees."""
    history = official_lists.area_history(area, official_lists.imported_years())
    this_year = next((year for year in history if year.aar == runde.aar), None)
    computed = result.classification
    return {
        "official_history": history,
        "official_this_year": this_year,
        "official_differs": this_year is not None
        and computed is not None
        and official_lists.differs(this_year.klassifikation, computed.klassifikation),
    }


@login_required
def screening_runder(request):
    return _render_runder(request)


def _render_runder(request, refused_form=None, refused_aar=None, status=200):
    """The rounds page; after a refused reopening, with that round's form and its errors."""
    rounds = page_data.rounds_with_counts(request.user)
    if request.user.has_perm("screening.reopen_screeningsrunde"):
        for runde in rounds:
            if runde.is_final:
                runde.reopen_form = (
                    refused_form
                    if runde.aar == refused_aar
                    else GenaabnRundeForm(auto_id=f"id_genaabn_{runde.aar}_%s")
                )
    imports = (
        Screeningsimport.objects.visible_to(request.user).select_related("oprettet_af").defer("indhold")[:10]
    )
    context = {
        "rounds": rounds,
        "imports": imports,
        "register_size": (
            page_data.afdelinger_in_register() if roles.sees_all_afdelinger(request.user) else None
        ),
    }
    return render(request, "screening/screening_runder.html", context, status=status)


@login_required
@permission_required("screening.finalize_screeningsrunde", raise_exception=True)
@require_POST
def screening_runde_endelig(request, aar):
    runde = get_object_or_404(Screeningsrunde, aar=aar)
    if actions.finalize_round(runde, acting_user=request.user):
        messages.success(request, f"Screeningen for {aar} er nu endelig; dens tal kan ikke længere ændres.")
    else:
        messages.info(request, f"Screeningen for {aar} var allerede endelig.")
    return redirect("screening_runder")


@login_required
@permission_required("screening.reopen_screeningsrunde", raise_exception=True)
@require_POST
def screening_runde_genaabn(request, aar):
    runde = get_object_or_404(Screeningsrunde, aar=aar)
    form = GenaabnRundeForm(request.POST, auto_id=f"id_genaabn_{runde.aar}_%s")
    if not form.is_valid():
        return _render_runder(request, form, runde.aar, status=400)
    if actions.reopen_round(runde, form.cleaned_data["begrundelse"], acting_user=request.user):
        messages.success(
            request,
            f"Screeningen for {aar} er genåbnet som kladde; kun medarbejdere ser den, til den er endelig.",
        )
    else:
        messages.info(request, f"Screeningen for {aar} var allerede en kladde.")
    return redirect("screening_runder")


@login_required
@permission_required("screening.import_screening", raise_exception=True)
@require_http_methods(["GET", "POST"])
def screening_import_view(request):
    latest = Screeningsrunde.objects.order_by("-aar").first()
    initial = {"aar": latest.aar if latest and not latest.is_final else timezone.now().year}
    form = ScreeningImportForm(posted(request), request.FILES or None, initial=initial)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fil"]
        aar = form.cleaned_data["aar"]
        national = form.cleaned_data["landsgennemsnit"]
        region_income = form.cleaned_data["region_gennemsnitsindkomst"]
        if upload.size > INLINE_IMPORT_BYTES:
            job = actions.start_screening_import(
                upload, aar, national, region_income=region_income, acting_user=request.user
            )
            return redirect("screening_import_status", pk=job.pk)
        report = screening_import.import_file(
            upload.read(), upload.name, aar, national, region_income=region_income
        )
        if report.ok:
            messages.success(request, f"Screeningstallene for {aar} er indlæst: {report.summary()}")
            return redirect(f"{reverse('screening_overview')}?aar={aar}")
    status = 400 if request.method == "POST" else 200
    context = {
        "form": form,
        "report": report,
        "indicators": assessment.indicators_by_code().values(),
    }
    return render(request, "screening/screening_import.html", context, status=status)


@login_required
@vary_on_headers("HX-Request")
def screening_import_status(request, pk):
    job = get_object_or_404(Screeningsimport.objects.visible_to(request.user).defer("indhold"), pk=pk)
    template = "screening/screening_import_status.html"
    if request.htmx:
        template += "#status"
    return render(request, template, {"job": job})


@login_required
@permission_required("screening.import_screening", raise_exception=True)
def screening_import_template(request):
    indicators = list(assessment.indicators_by_code().values())
    # The examples name an afdeling and an area that exist, so the template imports as it is.
    afdeling = (
        Afdeling.objects.select_related("organisation", "boligomraade")
        .order_by("organisation__navn", "nummer")
        .first()
    )
    area = (afdeling and afdeling.boligomraade) or Boligomraade.objects.order_by("navn").first()
    header, rows = screening_import.template_rows(indicators, afdeling, area)
    return csv_response("screening-skabelon.csv", header, rows)
