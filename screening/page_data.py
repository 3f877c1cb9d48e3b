"""What the screening pages show: the overview from the stored results (screening.results), the pages of one
afdeling or area from screening.assessment; rows, tables and chart data.

Kept apart from the views so they stay thin, and so the masking of small counts happens in one place.
"""

from decimal import Decimal

from django.db.models import (
    Case,
    CharField,
    Count,
    F,
    FilteredRelation,
    IntegerField,
    Q,
    Value,
    When,
    Window,
)
from django.db.models.functions import Coalesce, Concat, Lower

from config.web.formatting import NBSP, percent
from config.web.roles import sees_all_afdelinger
from screening import assessment, criteria, display, forecast, options, results
from screening.models import (
    Afdeling,
    Afdelingsresultat,
    Boligomraade,
    Indikator,
    Maaling,
    Omraaderesultat,
    Screeningsrunde,
    Vurdering,
)

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


def overview_rows(user, runde, filters: dict):
    """The round's stored results for the afdelinger the user may see, filtered and sorted in SQL."""
    results.ensure_fresh(runde)
    rows = Afdelingsresultat.objects.filter(runde=runde)
    if not sees_all_afdelinger(user):
        rows = rows.filter(afdeling__in=Afdeling.objects.visible_to(user))
    if "q" in filters:
        haystack = Concat(
            "nummer",
            Value(" "),
            "navn",
            Value(" "),
            "organisation__navn",
            Value(" "),
            Coalesce("boligomraade__navn", Value("")),
            output_field=CharField(),
        )
        matching = Afdeling.objects.alias(haystack=haystack).filter(haystack__icontains=filters["q"].strip())
        rows = rows.filter(afdeling__in=matching)
    if "organisation" in filters:
        rows = rows.filter(afdeling__organisation_id=filters["organisation"])
    if "boligomraade" in filters:
        rows = rows.filter(afdeling__boligomraade_id=filters["boligomraade"])
    if "klassifikation" in filters:
        # The 2018 terms and their successors share a level: "parallelsamfund" finds ghettoområder too.
        rows = rows.filter(omraade__severity=criteria.SEVERITY[filters["klassifikation"]])
    if "signal" in filters:
        rows = rows.filter(signal=filters["signal"])
    if "forslag" in filters:
        rows = rows.filter(forslag=filters["forslag"])
    if "scenarie" in filters:
        rows = rows.alias(scenario=_scenario(filters["scenarie"]))
        if filters.get("kun_aendrede"):
            rows = rows.filter(scenario__aendret=True)
    return rows.order_by(*_ordering(filters.get("sort", DEFAULT_SORT)))


def _scenario(regelsaet) -> FilteredRelation:
    """A row's area's result under the scenario's rule set (screening.models.Scenarieresultat)."""
    return FilteredRelation("omraade__scenarier", condition=Q(omraade__scenarier__regelsaet=regelsaet))


SORT_EXPRESSIONS = {
    "nummer": [F("afdeling__nummer"), F("afdeling__organisation__navn")],
    "navn": [Lower("afdeling__navn")],
    "omraade": [Lower("afdeling__boligomraade__navn")],
    "signal": [F("roede"), F("gule")],
    "risiko": [F("risikoscore")],
    "aendring": [F("risiko_aendring")],
    "klassifikation": [F("omraade__severity")],
    "forslag": [
        Case(
            *[When(forslag=code, then=Value(rank)) for code, rank in SUGGESTION_ORDER.items()],
            default=None,
            output_field=IntegerField(),
        )
    ],
}


def _ordering(sort: str) -> list:
    """Rows without a value for the sort key come last in either direction; ties in the order the afdelinger
    were registered (their id), which needs no join to sort thousands of rows."""
    descending = sort.startswith("-")
    ordering = [
        expression.desc(nulls_last=True) if descending else expression.asc(nulls_last=True)
        for expression in SORT_EXPRESSIONS[sort.lstrip("-")]
    ]
    return [*ordering, "afdeling_id"]


def row_values(rows, scenario=None):
    """What the overview's table and export show of each stored result: the afdeling, its organisation and
    area, the area's class (and under the scenario's rule set, if given), staff's decision in the round. As
    plain values, in one query: the five model instances behind a row cost twice as much."""
    decision = FilteredRelation("afdeling__vurderinger", condition=Q(afdeling__vurderinger__runde=F("runde")))
    rows = rows.annotate(vurdering=decision)
    scenario_values = {}
    if scenario is not None:
        rows = rows.annotate(scenario=_scenario(scenario))
        scenario_values = {
            "scenario_klassifikation": F("scenario__klassifikation"),
            "scenario_label": F("scenario__label"),
            "scenario_aendret": F("scenario__aendret"),
        }
    return rows.values(
        "pk",
        "afdeling_id",
        "signal",
        "roede",
        "gule",
        "risikoscore",
        "risiko_aendring",
        "forslag",
        nummer=F("afdeling__nummer"),
        navn=F("afdeling__navn"),
        organisation=F("afdeling__organisation__navn"),
        boligomraade_id=F("afdeling__boligomraade_id"),
        boligomraade=F("afdeling__boligomraade__navn"),
        klassifikation=F("omraade__klassifikation"),
        klasse=F("omraade__label"),
        kriterier=F("omraade__kriterier"),
        aendring=F("omraade__aendring"),
        metode=F("omraade__metode"),
        beslutning=F("vurdering__beslutning"),
        valgt_type=F("vurdering__valgt_type"),
        **scenario_values,
    )


def suggestion_label(kode: str | None) -> str:
    """The name of a type of indsats (a suggestion or a decision's choice); empty for none."""
    return criteria.SUGGESTION_LABELS.get(kode, kode or "")


def page_rows(ids: list[int], scenario=None) -> list[dict]:
    """One page of the overview from its row ids (paginated on the ids alone, so the database sorts narrow
    rows and joins only the page's)."""
    by_id = {row["pk"]: row for row in row_values(Afdelingsresultat.objects.filter(pk__in=ids), scenario)}
    rows = [by_id[pk] for pk in ids]
    for row in rows:
        row["forslag_label"] = suggestion_label(row["forslag"])
        row["valgt_label"] = suggestion_label(row["valgt_type"])
    return rows


def sort_columns(query, current_sort: str) -> list[dict]:
    columns = []
    for key, label in OVERVIEW_COLUMNS:
        link = query.copy()
        link.pop("side", None)
        link["sort"] = f"-{key}" if current_sort == key else key
        aria_sort = {key: "ascending", f"-{key}": "descending"}.get(current_sort, "none")
        columns.append({"label": label, "query": link.urlencode(), "aria_sort": aria_sort})
    return columns


def totals(runde, rows, scenario=None) -> dict:
    """The counts above the list; with a scenario (overview_rows made the rows with it), also how many of
    the rows' areas would change class under it."""
    # NOT IN over the round's decisions: PostgreSQL hashes them once instead of probing for every row.
    undecided = ~Q(afdeling_id__in=Vurdering.objects.filter(runde=runde).values("afdeling_id"))
    changed = {}
    if scenario is not None:
        changed["aendrede_omraader"] = Count(
            "afdeling__boligomraade", distinct=True, filter=Q(scenario__aendret=True)
        )
    return rows.order_by().aggregate(
        afdelinger=Count("pk"),
        med_tal=Count("pk", filter=~Q(signal="")),
        roede=Count("pk", filter=Q(signal=criteria.ROED)),
        helhedsplan=Count("pk", filter=Q(forslag="helhedsplan")),
        ubesluttede=Count("pk", filter=~Q(forslag="") & undecided),
        **changed,
    )


def export_table(runde, rows, show_small: bool) -> tuple[list[str], list[list]]:
    """Every filtered row with its figures; two queries for the rows (with their decisions) and figures."""
    indicators = list(assessment.indicators_by_code().values())
    rows = list(row_values(rows))
    code_of = {i.pk: i.kode for i in indicators}
    values: dict[int, dict] = {row["afdeling_id"]: {} for row in rows}
    figures = Maaling.objects.filter(runde=runde, afdeling_id__in=list(values)).values_list(
        "afdeling_id", "indikator_id", "vaerdi"
    )
    for afdeling_id, indikator_id, value in figures:
        values[afdeling_id][code_of[indikator_id]] = value
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
    for row in rows:
        table.append(
            [
                row["organisation"],
                row["nummer"],
                row["navn"],
                row["boligomraade"] or "",
                row["klasse"] or "",
                row["kriterier"] or "",
                row["risikoscore"],
                row["risiko_aendring"],
                row["roede"],
                row["gule"],
                suggestion_label(row["forslag"]),
                suggestion_label(row["valgt_type"]),
                *[
                    display.export_value(values[row["afdeling_id"]].get(i.kode), i, show_small)
                    for i in indicators
                ],
            ]
        )
    return header, table


def shown_indicators(indicators) -> list:
    """The indicators shown as figures of their own: not the counts and bases behind an official share."""
    return [indikator for indikator in indicators if not indikator.is_basis]


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


def chart_data(history: dict, indicators, show_small: bool, thresholds: dict | None = None) -> dict:
    """The chart data (static/js/screening-charts.js) of an afdeling's figures over the years, each series
    with the official criterion's threshold lines where its figure has one (`thresholds`, by indicator code,
    as criterion_thresholds gives them)."""
    thresholds = thresholds or {}
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
                # Counts and shares are drawn from zero, so a small change does not look like a large one;
                # a count's axis steps in whole numbers (no "4,5 udsættelser").
                "zero": indikator.enhed in (Indikator.Enhed.ANTAL, Indikator.Enhed.ANDEL),
                "whole": indikator.is_count,
                "thresholds": thresholds.get(indikator.kode, []),
            }
        )
    return {"years": years, "series": series}


BASIS_OF_SHARE = {basis.share: basis for basis in criteria.COUNT_BASES}


def _basis_text(code: str, values: dict, indicators: dict, show_small: bool) -> str:
    """The count and base a share was computed from ("128 af 332"); empty if it was given as a share, or if
    its base is a small count hidden from this user (D's income of a handful of persons, too)."""
    basis = BASIS_OF_SHARE.get(code)
    if basis is None or values.get(basis.count) is None or values.get(basis.base) is None:
        return ""
    base = values[basis.base]
    if display.is_hidden(base, indicators[basis.base], show_small):
        return ""
    count_text = display.format_value(values[basis.count], indicators[basis.count], show_small)
    base_text = display.format_value(base, indicators[basis.base], show_small)
    if basis.share == criteria.INDKOMST:
        region = values.get(criteria.REGION_INCOME)
        region_text = display.format_value(region, indicators[criteria.REGION_INCOME], show_small)
        return f"{count_text} for {base_text} personer; regionens gennemsnit {region_text}"
    return f"{count_text} af {base_text}"


def afdeling_context(result: assessment.AfdelingResult, indicators, show_small: bool) -> dict:
    """The afdeling's figures in the round with their signals; the counts and bases behind an official share
    are shown with the share (`indicators`: every indicator, the counts and bases included)."""
    by_code = {indikator.kode: indikator for indikator in indicators}
    lights = {light.kode: light for light in (result.risk.lights if result.risk else ())}
    figures = []
    for indikator in shown_indicators(indicators):
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
                "basis": _basis_text(indikator.kode, result.values, by_code, show_small),
            }
        )
    return {"figures": figures}


# The figure each criterion letter (I: the non-western share) is read from.
CRITERION_CODES = {
    "A": "uden_job_uddannelse_pct",
    "B": "domfaeldte_pct",
    "C": "kun_grundskole_pct",
    "D": "indkomst_pct_region",
    "I": "ikke_vestlige_pct",
}


def criterion_thresholds(runde: Screeningsrunde) -> dict[str, list[dict]]:
    """The round's official thresholds as chart lines, by the code of the figure they apply to."""
    return threshold_lines(runde.regelsaet.to_rule_set(), runde.landsgennemsnit_domfaeldte_pct)


def threshold_lines(rule_set: criteria.RuleSet, national: Decimal | None) -> dict[str, list[dict]]:
    """A rule set's thresholds as chart lines, by the code of the figure they apply to: the udsat threshold
    first ("Grænse 40 %"), then the forebyggelse threshold where the rule set has one. B's threshold is a
    multiple of the round's national share (`national`), drawn as the share it comes to."""
    lines: dict[str, list[dict]] = {}
    for name, limits in (("udsat", rule_set.udsat), ("forebyggelse", rule_set.forebyggelse)):
        if limits is None:
            continue
        prefix = "Grænse" if name == "udsat" else "Forebyggelse"
        # Each figure but B is named as the Thresholds field that holds its threshold.
        for code in CRITERION_CODES.values():
            limit = None if code == "domfaeldte_pct" else getattr(limits, code)
            if limit is not None:
                label = f"{prefix} {percent(limit)}{NBSP}%"
                lines.setdefault(code, []).append({"navn": name, "label": label, "value": float(limit)})
        if national:
            factor = limits.domfaeldte_faktor
            label = f"{prefix} {percent(factor)}{NBSP}× landsgns."
            value = float(factor * national)
            lines.setdefault("domfaeldte_pct", []).append({"navn": name, "label": label, "value": value})
    return lines


def scenario_context(data: assessment.RoundFigures, result: assessment.AreaResult, regelsaet) -> dict:
    """The area's class in the round under another rule set (a scenario), beside its own."""
    scenario = assessment.scenario_result(data, result, regelsaet.to_rule_set())
    official, computed = result.classification, scenario.classification
    return {
        "regelsaet": regelsaet,
        "classification": computed,
        "changed": computed is not None and official is not None and computed.severity != official.severity,
    }


def _criterion_row(result, letter, area_values, previous_values, indicators, show_small):
    code = CRITERION_CODES[letter]
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
        "metode": criteria.METHOD_SHORT[current.metode] if current else "",
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
    metode = criteria.area_method(result.values)
    context["metode"] = {"kode": metode, "label": criteria.METHOD_LABELS.get(metode, "")}
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


# Where a rule set has no criterion on the non-western share (screening.criteria.Thresholds).
NOT_APPLIED = "indgår ikke"


def _signed(value: Decimal | None, unit: str) -> str:
    """A margin as the page shows it: + where the criterion is met by that much, − where it falls short."""
    if value is None:
        return "–"
    sign = "+" if value > 0 else ("−" if value < 0 else "±")
    return f"{sign}{criteria.figure_text(abs(value))}{unit}"


def _in_multiples(letter: str, runde) -> Decimal | None:
    """B's national share, by which its trend is shown in multiples as its threshold is; None for the rest."""
    return runde.landsgennemsnit_domfaeldte_pct if letter == "B" else None


def _trend_slope(letter, trend, runde) -> str:
    if trend is None:
        return "–"
    national = _in_multiples(letter, runde)
    return _signed(trend.slope / national, " ×") if national else _signed(trend.slope, " point")


def _trend_value(letter, trend, runde) -> str:
    if trend is None:
        return "–"
    national = _in_multiples(letter, runde)
    if national:
        value, spread = trend.value / national, trend.spread / national
        return f"{criteria.figure_text(value)} × ± {criteria.figure_text(spread)}"
    return f"{criteria.figure_text(trend.value)} % ± {criteria.figure_text(trend.spread)}"


def forecast_context(result: assessment.AreaResult, runde) -> dict:
    """The area's early warning: each criterion's margin to its thresholds now, the trend per year and the
    value the line gives at the next list (± one standard error), the residents' distance to the minimum, the
    class the projection gives and the reasons the area is watched."""
    classification = result.classification
    projection, warnings = assessment.area_forecast(result, runde)
    trends = projection.trends if projection else {}
    rows = []
    for letter, code in CRITERION_CODES.items():
        if letter == "I":
            udsat, forebyggelse = classification.ikke_vestlige, classification.ikke_vestlige_forebyggelse
        else:
            index = "ABCD".index(letter)
            udsat = classification.udsat[index]
            forebyggelse = classification.forebyggelse[index] if classification.forebyggelse else None
        unit = " ×" if letter == "B" else " point"
        trend = trends.get(code)
        rows.append(
            {
                "letter": letter,
                "label": criteria.CRITERION_LABELS[letter],
                "udsat": _signed(udsat.margin, unit) if udsat else NOT_APPLIED,
                "forebyggelse": _signed(forebyggelse.margin, unit)
                if forebyggelse
                else (NOT_APPLIED if classification.forebyggelse else ""),
                "slope": _trend_slope(letter, trend, runde),
                "projected": _trend_value(letter, trend, runde),
            }
        )
    beboere = result.values.get("beboere")
    residents = beboere.value if beboere is not None else None
    minimum = classification.rule_set.min_beboere
    chart = _forecast_chart(result, runde, trends)
    return {
        "forecast": projection,
        "forecast_rows": rows,
        "forecast_residents": {
            "distance": _signed(residents - minimum, "") if residents is not None else "–",
            "minimum": minimum,
            "projected": trends["beboere"] if "beboere" in trends else None,
        },
        "forecast_warnings": warnings,
        "forecast_chart": chart,
        "forecast_min_rounds": forecast.MIN_ROUNDS,
        "forecast_max_rounds": forecast.MAX_ROUNDS,
    }


def _forecast_chart(result: assessment.AreaResult, runde, trends: dict) -> dict:
    """The chart data (static/js/screening-charts.js) of the area's shares over the rounds, each with its
    thresholds as lines and the projected value at the next list. B is drawn as a share too, its threshold
    the multiple of the round's national share."""
    lines = threshold_lines(result.classification.rule_set, runde.landsgennemsnit_domfaeldte_pct)
    years = sorted(result.values_by_year)
    target = runde.aar + 1
    series = []
    for letter, code in CRITERION_CODES.items():
        values = [result.values_by_year[aar].get(code) for aar in years]
        values = [float(v.value) if v is not None and v.value is not None else None for v in values]
        if all(v is None for v in values):
            continue
        trend = trends.get(code)
        series.append(
            {
                "kode": code,
                "navn": criteria.CRITERION_LABELS[letter]
                if letter == "I"
                else f"{letter}. {criteria.CRITERION_LABELS[letter]}",
                "enhed": "%",
                "values": values,
                "thresholds": lines.get(code, []),
                "projection": float(trend.value) if trend else None,
                "zero": True,
            }
        )
    return {"years": [*years, target], "series": series}


def _watched(user, runde):
    results.ensure_fresh(runde)
    return (
        Omraaderesultat.objects.filter(runde=runde, boligomraade__in=Boligomraade.objects.visible_to(user))
        .exclude(advarsler="")
        .select_related("boligomraade")
        .order_by("-severity", "boligomraade__navn")
    )


def watch_list(user, runde, limit: int | None = None) -> list:
    """The round's watched areas the user may see, the most severe class first (the first `limit` of them)."""
    areas = _watched(user, runde)
    return list(areas[:limit] if limit is not None else areas)


def watch_list_head(user, runde, limit: int) -> dict:
    """The first `limit` areas of the round's watch list the user may see, and how many it holds. For those
    who see every area it is the same for all of them: kept under the time the round's results were
    computed (a new computation is a new key) and with the drop-downs' lists (the areas' names)."""

    def read():
        areas = list(_watched(user, runde).annotate(watched=Window(Count("pk")))[:limit])
        return {"areas": areas, "count": areas[0].watched if areas else 0}

    if not sees_all_afdelinger(user):
        return read()
    results.ensure_fresh(runde)
    computed = runde.resultater_beregnet.isoformat()
    return options.kept_value(f"watch list head: {runde.pk} {computed} {limit}", read)


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


def rounds_with_counts(user) -> list[Screeningsrunde]:
    """Every round, newest first, with how many afdelinger and areas have figures in it and how many figures
    it holds: as stored with its results, and counted here only where figures changed since."""
    rounds = list(
        Screeningsrunde.objects.visible_to(user)
        .select_related("regelsaet", "afsluttet_af", "genaabnet_af")
        .order_by("-aar")
    )
    stale = [runde for runde in rounds if runde.antal_maalinger is None]
    if stale:
        counted = {
            row["runde"]: row
            for row in Maaling.objects.filter(runde__in=stale)
            .values("runde")
            .annotate(
                afdelinger=Count("afdeling", distinct=True),
                omraader=Count("boligomraade", distinct=True),
                maalinger=Count("pk"),
            )
            .order_by()
        }
        for runde in stale:
            row = counted.get(runde.pk, {})
            runde.antal_afdelinger = row.get("afdelinger", 0)
            runde.antal_omraader = row.get("omraader", 0)
            runde.antal_maalinger = row.get("maalinger", 0)
    return rounds


def afdelinger_in_register() -> int:
    """How many afdelinger the register holds: what a round's coverage is measured against."""
    return Afdeling.objects.count()
