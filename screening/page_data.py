"""What the screening pages show, built from the results of screening.assessment: rows, tables and chart data.

Kept apart from the views so they stay thin, and so the masking of small counts happens in one place.
"""

from django.db.models import Count

from screening import assessment, criteria, display
from screening.models import Afdeling, Screeningsrunde
from screening.roles import sees_all_afdelinger

DEFAULT_SORT = "-risiko"
OVERVIEW_COLUMNS = [
    ("nummer", "Nr."),
    ("navn", "Afdeling"),
    ("omraade", "Boligområde"),
    ("signal", "Signaler"),
    ("risiko", "Risikoscore"),
    ("aendring", "Ændring"),
    ("klassifikation", "Områdets klassifikation"),
    ("forslag", "Foreslået indsats"),
]
SUGGESTION_ORDER = {code: i for i, code in enumerate(criteria.SUGGESTIONS)}


def results_for(user, runde) -> list[assessment.AfdelingResult]:
    """Every afdeling the user may see, with its result in the round."""
    afdelinger = list(
        Afdeling.objects.visible_to(user)
        .select_related("organisation", "boligomraade")
        .order_by("organisation__navn", "nummer")
    )
    if sees_all_afdelinger(user):
        data = assessment.load(runde)
    else:
        data = assessment.load(
            runde,
            afdeling_ids=[a.pk for a in afdelinger],
            area_ids={a.boligomraade_id for a in afdelinger if a.boligomraade_id},
        )
    return assessment.afdeling_results(data, afdelinger)


def _matches(result: assessment.AfdelingResult, filters: dict) -> bool:
    afdeling = result.afdeling
    if "q" in filters:
        needle = filters["q"].strip().casefold()
        haystack = " ".join(
            [
                afdeling.nummer,
                afdeling.navn,
                afdeling.organisation.navn,
                getattr(afdeling.boligomraade, "navn", ""),
            ]
        ).casefold()
        if needle not in haystack:
            return False
    if "organisation" in filters and afdeling.organisation_id != filters["organisation"]:
        return False
    if "boligomraade" in filters and afdeling.boligomraade_id != filters["boligomraade"]:
        return False
    if "klassifikation" in filters:
        if not result.klassifikation:
            return False
        if criteria.SEVERITY[result.klassifikation] != criteria.SEVERITY[filters["klassifikation"]]:
            return False
    if "signal" in filters and (result.risk is None or result.risk.level != filters["signal"]):
        return False
    if "forslag" in filters and (result.suggestion is None or result.suggestion.kode != filters["forslag"]):
        return False
    return True


def _sort_value(result: assessment.AfdelingResult, key: str):
    afdeling = result.afdeling
    if key == "nummer":
        return (afdeling.nummer, afdeling.organisation.navn)
    if key == "navn":
        return afdeling.navn.casefold()
    if key == "omraade":
        return afdeling.boligomraade.navn.casefold() if afdeling.boligomraade else None
    if key == "signal":
        return (
            None
            if result.risk is None
            else (result.risk.count(criteria.ROED), result.risk.count(criteria.GUL))
        )
    if key == "risiko":
        return None if result.risk is None else result.risk.score
    if key == "aendring":
        return result.risk_change
    if key == "klassifikation":
        return criteria.SEVERITY[result.klassifikation] if result.klassifikation else None
    return SUGGESTION_ORDER[result.suggestion.kode] if result.suggestion else None


def filtered_rows(results, filters: dict) -> list[assessment.AfdelingResult]:
    """Filter and sort; rows without a value for the sort key come last in either direction."""
    rows = [r for r in results if _matches(r, filters)]
    sort = filters.get("sort", DEFAULT_SORT)
    key = sort.lstrip("-")
    with_value = [r for r in rows if _sort_value(r, key) is not None]
    without = [r for r in rows if _sort_value(r, key) is None]
    with_value.sort(key=lambda r: _sort_value(r, key), reverse=sort.startswith("-"))
    return with_value + without


def sort_columns(query, current_sort: str) -> list[dict]:
    columns = []
    for key, label in OVERVIEW_COLUMNS:
        link = query.copy()
        link.pop("side", None)
        link["sort"] = f"-{key}" if current_sort == key else key
        aria_sort = {key: "ascending", f"-{key}": "descending"}.get(current_sort, "none")
        columns.append({"label": label, "query": link.urlencode(), "aria_sort": aria_sort})
    return columns


def totals(rows) -> dict:
    with_data = [r for r in rows if r.risk is not None]
    return {
        "afdelinger": len(rows),
        "med_tal": len(with_data),
        "roede": sum(1 for r in with_data if r.risk.level == criteria.ROED),
        "helhedsplan": sum(1 for r in rows if r.suggestion and r.suggestion.kode == "helhedsplan"),
        "ubesluttede": sum(1 for r in rows if r.suggestion and r.vurdering is None),
    }


def export_table(rows, show_small: bool) -> tuple[list[str], list[list]]:
    indicators = list(assessment.indicators_by_code().values())
    header = [
        "organisation",
        "afdeling_nr",
        "navn",
        "boligomraade",
        "klassifikation",
        "kriterier",
        "risikoscore",
        "aendring",
        "roede_signaler",
        "gule_signaler",
        "forslag",
        "besluttet",
        *[i.kode for i in indicators],
    ]
    table = []
    for result in rows:
        afdeling = result.afdeling
        classification = result.area.classification if result.area else None
        risk = result.risk
        table.append(
            [
                afdeling.organisation.navn,
                afdeling.nummer,
                afdeling.navn,
                afdeling.boligomraade.navn if afdeling.boligomraade else "",
                classification.label if classification else "",
                ",".join(classification.kriterier) if classification else "",
                risk.score if risk else None,
                result.risk_change,
                risk.count(criteria.ROED) if risk else None,
                risk.count(criteria.GUL) if risk else None,
                result.suggestion.label if result.suggestion else "",
                result.vurdering.get_valgt_type_display() if result.vurdering else "",
                *[display.export_value(result.values.get(i.kode), i, show_small) for i in indicators],
            ]
        )
    return header, table


def history_table(history: dict, indicators, show_small: bool) -> dict:
    """Indicators down, years across: the accessible twin of the charts."""
    years = sorted(history)
    rows = []
    for indikator in indicators:
        values = [history[aar].get(indikator.kode) for aar in years]
        if all(v is None for v in values):
            continue
        rows.append(
            {
                "indikator": indikator,
                "cells": [display.format_value(v, indikator, show_small, unit=False) for v in values],
            }
        )
    return {"years": years, "rows": rows}


def chart_data(history: dict, indicators, show_small: bool) -> dict:
    years = sorted(history)
    series = []
    for indikator in indicators:
        values = [
            display.chart_value(history[aar].get(indikator.kode), indikator, show_small) for aar in years
        ]
        if all(v is None for v in values):
            continue
        series.append(
            {
                "kode": indikator.kode,
                "navn": indikator.kort_navn,
                "enhed": indikator.unit_suffix.strip(),
                "values": values,
            }
        )
    return {"years": years, "series": series}


def afdeling_context(result: assessment.AfdelingResult, indicators, show_small: bool) -> dict:
    lights = {light.kode: light for light in (result.risk.lights if result.risk else ())}
    figures = []
    for indikator in indicators:
        value = result.values.get(indikator.kode)
        light = lights.get(indikator.kode)
        hidden = display.is_hidden(value, indikator, show_small)
        if value is None and light is None:
            continue
        figures.append(
            {
                "indikator": indikator,
                "value": display.format_value(value, indikator, show_small),
                "change": display.format_change(
                    value, result.previous_values.get(indikator.kode), indikator, show_small
                ),
                "level": light.level if light else "",
                "level_label": criteria.LIGHT_LABELS[light.level] if light else "",
                # A hidden count's limits would narrow it down again, so its reason names only the colour.
                "reason": "" if light is None or hidden else light.reason,
            }
        )
    return {"figures": figures}


def _criterion_row(result, letter, area_values, previous_values, indicators, show_small):
    codes = {
        "A": "uden_job_uddannelse_pct",
        "B": "domfaeldte_pct",
        "C": "kun_grundskole_pct",
        "D": "indkomst_pct_region",
        "I": "ikke_vestlige_pct",
    }
    code = codes[letter]
    indikator = indicators[code]
    current = area_values.get(code)
    previous = previous_values.get(code)
    classification = result.classification
    if letter == "I":
        udsat = classification.ikke_vestlige
        forebyggelse = classification.ikke_vestlige_forebyggelse
    else:
        index = "ABCD".index(letter)
        udsat = classification.udsat[index]
        forebyggelse = classification.forebyggelse[index] if classification.forebyggelse else None
    return {
        "letter": letter,
        "label": criteria.CRITERION_LABELS[letter],
        "value": display.format_value(current.value if current else None, indikator, show_small),
        "beregnet": current.beregnet if current else False,
        "daekning": current.daekning_pct if current else None,
        "change": display.format_change(
            current.value if current else None, previous.value if previous else None, indikator, show_small
        ),
        "udsat": udsat,
        "forebyggelse": forebyggelse,
    }


def area_context(result: assessment.AreaResult, data: assessment.RoundFigures, show_small: bool) -> dict:
    classification = result.classification
    context = {"result": result, "classification": classification, "previous_round": data.previous_round}
    if classification is None:
        return context
    beboere = result.values.get("beboere")
    context["criteria_rows"] = [
        _criterion_row(result, letter, result.values, result.previous_values, data.indicators, show_small)
        for letter in ("A", "B", "C", "D", "I")
    ]
    context["beboere"] = {
        "value": display.format_value(beboere.value if beboere else None, data.indicators["beboere"], True),
        "beregnet": beboere.beregnet if beboere else False,
        "min": classification.rule_set.min_beboere,
        "met": classification.stor_nok,
    }
    context["history_rows"] = [
        {"aar": aar, "classification": c, "runde": data.rounds[aar]}
        for aar, c in sorted(result.history.items())
    ]
    return context


def area_afdeling_rows(results, indicators: dict, show_small: bool) -> list[dict]:
    rows = []
    for result in results:
        rows.append(
            {
                "afdeling": result.afdeling,
                "values": [
                    display.format_value(result.values.get(code), indicators[code], show_small, unit=False)
                    for code in assessment.OFFICIAL_CODES
                ],
                "risk": result.risk,
                "suggestion": result.suggestion,
            }
        )
    return rows


def rounds_with_counts(user):
    return (
        Screeningsrunde.objects.visible_to(user)
        .select_related("regelsaet", "afsluttet_af")
        .annotate(
            antal_afdelinger=Count("maalinger__afdeling", distinct=True),
            antal_omraader=Count("maalinger__boligomraade", distinct=True),
            antal_maalinger=Count("maalinger"),
        )
        .order_by("-aar")
    )
