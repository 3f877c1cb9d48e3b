"""Screening results from the database: load a round's figures in a fixed number of queries, then run the pure
functions of screening.criteria on them.

An area's official figures come from rows imported for the area itself where there are any, otherwise from
its afdelinger (marked as computed): exactly from their counts and bases where they have them, else their
shares weighted by residents (marked as approximate; see criteria.aggregate). The classification of a round
depends on the rounds before it (a lasting class needs several in a row), so a few earlier rounds are loaded
too.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, Q

from screening import criteria, forecast
from screening.models import (
    Afdeling,
    Indikator,
    Maaling,
    Risikomodel,
    Risikotaerskel,
    Screeningsrunde,
    Vurdering,
)

OFFICIAL_CODES = (
    "beboere",
    "uden_job_uddannelse_pct",
    "domfaeldte_pct",
    "kun_grundskole_pct",
    "indkomst_pct_region",
    "ikke_vestlige_pct",
)
# The official figures and the counts and bases their shares are computed from.
AREA_CODES = OFFICIAL_CODES + tuple(sorted(criteria.BASIS_CODES))
# How far back rounds are looked up: more than any rule set's run of rounds needs.
MAX_LOOKBACK = 10


@dataclass
class AreaResult:
    area_id: int
    values: dict[str, criteria.AreaValue]  # the round's official figures
    classification: criteria.Classification | None
    previous: criteria.Classification | None
    previous_values: dict[str, criteria.AreaValue]
    history: dict[int, criteria.Classification | None]
    values_by_year: dict[int, dict[str, criteria.AreaValue]] = field(default_factory=dict)

    @property
    def change(self) -> str:
        return criteria.class_change(self.previous, self.classification)


@dataclass
class AfdelingResult:
    afdeling: Afdeling
    values: dict[str, Decimal]
    previous_values: dict[str, Decimal]
    risk: criteria.RiskResult | None
    previous_risk: criteria.RiskResult | None
    suggestion: criteria.Suggestion | None
    area: AreaResult | None
    vurdering: Vurdering | None = None

    @property
    def has_data(self) -> bool:
        return bool(self.values)

    @property
    def risk_change(self) -> int | None:
        if self.risk is None or self.previous_risk is None:
            return None
        if self.risk.score is None or self.previous_risk.score is None:
            return None
        return self.risk.score - self.previous_risk.score

    @property
    def klassifikation(self) -> str:
        if self.area is None or self.area.classification is None:
            return ""
        return self.area.classification.klassifikation


@dataclass
class RoundFigures:
    """Everything loaded for one round (and the rounds it looks back on)."""

    runde: Screeningsrunde
    rounds: dict[int, Screeningsrunde]
    indicators: dict[str, Indikator]
    risk_models: list[Risikomodel]
    afdeling_values: dict[tuple[int, int], dict[str, Decimal]] = field(default_factory=dict)
    area_values: dict[tuple[int, int], dict[str, Decimal]] = field(default_factory=dict)
    members: dict[int, list[tuple[int, int]]] = field(default_factory=dict)  # area -> [(afdeling, residents)]
    thresholds: dict[int, list[criteria.RiskThreshold]] = field(default_factory=dict)  # per risk model

    @property
    def previous_round(self) -> Screeningsrunde | None:
        return self.rounds.get(self.runde.aar - 1)

    def risk_model(self, aar: int) -> Risikomodel | None:
        return next((m for m in self.risk_models if m.gyldig_fra_aar <= aar), None)


def indicators_by_code() -> dict[str, Indikator]:
    return {i.kode: i for i in Indikator.objects.all()}


def read_risk_models() -> list[Risikomodel]:
    """Every risk model, newest first, with its thresholds and their indicators."""
    return list(
        Risikomodel.objects.order_by("-gyldig_fra_aar").prefetch_related(
            Prefetch("taerskler", Risikotaerskel.objects.select_related("indikator"))
        )
    )


def load(
    runde: Screeningsrunde,
    *,
    afdeling_ids=None,
    area_ids=None,
    lookback: int | None = None,
    every_round: list[Screeningsrunde] | None = None,
    indicators: dict[str, Indikator] | None = None,
    risk_models: list[Risikomodel] | None = None,
    scenario: criteria.RuleSet | None = None,
) -> RoundFigures:
    """Load the figures needed for the given afdelinger and areas (None: all of them).

    Queries, whatever the number of afdelinger: rounds (unless the caller has read every round, with its
    rule set, already), indicators (unless the caller passes them, by code), risk models and their
    thresholds (unless the caller passes them, see read_risk_models), the residents of the areas'
    afdelinger (the weights), and measurements.
    """
    first_year = runde.aar - (lookback or MAX_LOOKBACK)
    if every_round is None:
        every_round = Screeningsrunde.objects.filter(aar__lte=runde.aar, aar__gte=first_year).select_related(
            "regelsaet"
        )
    rounds = {r.aar: r for r in every_round if first_year <= r.aar <= runde.aar}
    rounds[runde.aar] = runde
    if lookback is None:
        needed = max((r.regelsaet.vedvarende_runder for r in rounds.values() if r.regelsaet), default=1)
        if scenario is not None:  # the round is to be classified under these rules too
            needed = max(needed, scenario.vedvarende_runder)
        rounds = {aar: r for aar, r in rounds.items() if aar >= runde.aar - needed}
    if indicators is None:
        indicators = indicators_by_code()
    if risk_models is None:
        risk_models = read_risk_models()
    data = RoundFigures(runde, rounds, indicators, risk_models)

    code_of = {i.pk: i.kode for i in indicators.values()}
    year_of = {r.pk: r.aar for r in rounds.values()}
    official_ids = [indicators[c].pk for c in AREA_CODES if c in indicators]
    recent = [r.pk for aar, r in rounds.items() if aar >= runde.aar - 1]
    measurements = Maaling.objects.filter(runde_id__in=list(year_of)).filter(
        Q(runde_id__in=recent) | Q(indikator_id__in=official_ids)
    )
    weights = Afdeling.objects.order_by()
    selected = area_ids is not None or afdeling_ids is not None
    if selected:
        area_ids, afdeling_ids = list(area_ids or []), list(afdeling_ids or [])
        weights = weights.filter(boligomraade_id__in=area_ids)
    members = defaultdict(list)
    for afdeling_id, area_id, beboere in weights.exclude(boligomraade=None).values_list(
        "id", "boligomraade_id", "beboere"
    ):
        members[area_id].append((afdeling_id, beboere))
    data.members = dict(members)
    if selected:
        # The areas' afdelinger as a list of ids, not a join: given plain ids PostgreSQL reads the few rows
        # through the afdeling index instead of scanning every measurement of the rounds.
        member_ids = [afdeling_id for rows in members.values() for afdeling_id, _ in rows]
        measurements = measurements.filter(
            Q(boligomraade_id__in=area_ids) | Q(afdeling_id__in=[*member_ids, *afdeling_ids])
        )
    for runde_id, indikator_id, afdeling_id, area_id, value in measurements.values_list(
        "runde_id", "indikator_id", "afdeling_id", "boligomraade_id", "vaerdi"
    ):
        key = (year_of[runde_id], afdeling_id or area_id)
        target = data.afdeling_values if afdeling_id else data.area_values
        target.setdefault(key, {})[code_of[indikator_id]] = value
    return data


def area_values(data: RoundFigures, area_id: int, aar: int) -> dict[str, criteria.AreaValue]:
    """Imported area figures where there are any, else the afdelinger's (residents from the register
    stand in for an afdeling without a resident count in the round)."""
    counts = {code for code, i in data.indicators.items() if i.is_count}
    afdelinger = []
    for afdeling_id, register_beboere in data.members.get(area_id, []):
        values = data.afdeling_values.get((aar, afdeling_id), {})
        weight = int(values["beboere"]) if values.get("beboere") is not None else register_beboere
        official = {code: values.get(code) for code in AREA_CODES}
        official["beboere"] = Decimal(weight)
        afdelinger.append((weight, official))
    result = criteria.aggregate(afdelinger, counts)
    for code, value in data.area_values.get((aar, area_id), {}).items():
        if code in OFFICIAL_CODES:
            result[code] = criteria.AreaValue(value, False, None, criteria.OMRAADETS_TAL)
    return result


def _has_any_figures(data: RoundFigures, area_id: int, aar: int) -> bool:
    if (aar, area_id) in data.area_values:
        return True
    return any((aar, afdeling_id) in data.afdeling_values for afdeling_id, _ in data.members.get(area_id, []))


def area_result(data: RoundFigures, area_id: int, rules: criteria.RuleSet | None = None) -> AreaResult:
    """The area's class in the round (and the rounds it looks back on), each round under its own rule set;
    under `rules` instead, if given (a scenario)."""
    values_by_year = {
        aar: area_values(data, area_id, aar)
        for aar in sorted(data.rounds)
        if _has_any_figures(data, area_id, aar)
    }
    return _classified(data, area_id, values_by_year, rules)


def scenario_result(data: RoundFigures, result: AreaResult, rules: criteria.RuleSet) -> AreaResult:
    """The area's result under another rule set, from the figures an area_result found already."""
    return _classified(data, result.area_id, result.values_by_year, rules)


def _classified(data, area_id, values_by_year, rules: criteria.RuleSet | None) -> AreaResult:
    inputs = []
    for aar, values in values_by_year.items():
        runde = data.rounds[aar]
        figures = criteria.Figures.from_values({code: v.value for code, v in values.items()})
        in_force = rules or (runde.regelsaet.to_rule_set() if runde.regelsaet else None)
        inputs.append(criteria.RoundInput(aar, figures, in_force, runde.landsgennemsnit_domfaeldte_pct))
    history = criteria.classify_series(inputs)
    aar = data.runde.aar
    return AreaResult(
        area_id=area_id,
        values=values_by_year.get(aar, {}),
        classification=history.get(aar),
        previous=history.get(aar - 1),
        previous_values=values_by_year.get(aar - 1, {}),
        history=history,
        values_by_year=values_by_year,
    )


def watch_margin() -> forecast.WatchMargin:
    return forecast.WatchMargin(
        points=settings.SCREENING_WATCH_MARGIN_POINTS, multiple=settings.SCREENING_WATCH_MARGIN_MULTIPLE
    )


def area_forecast(result: AreaResult, runde: Screeningsrunde) -> tuple[forecast.Forecast | None, list[str]]:
    """Where the area's trend leads at the next list, and why it is watched (screening.forecast), under the
    round's rule set and national share."""
    current = result.classification
    if current is None:
        return None, []
    plain = {
        aar: {code: value.value for code, value in values.items()}
        for aar, values in result.values_by_year.items()
    }
    projection = forecast.project(
        plain, runde.aar, current.rule_set, runde.landsgennemsnit_domfaeldte_pct, current
    )
    beboere = result.values.get("beboere")
    residents = int(beboere.value) if beboere is not None and beboere.value is not None else None
    return projection, forecast.warnings(current, projection, residents, watch_margin())


def _risk(data: RoundFigures, values: dict[str, Decimal], aar: int) -> criteria.RiskResult | None:
    model = data.risk_model(aar)
    if model is None or not values:
        return None
    if model.pk not in data.thresholds:
        data.thresholds[model.pk] = model.thresholds()
    return criteria.assess_risk(values, data.thresholds[model.pk])


def afdeling_results(
    data: RoundFigures,
    afdelinger,
    areas: dict[int, AreaResult] | None = None,
    rules: criteria.RuleSet | None = None,
):
    """One result per afdeling; area results are computed once per area and shared (under `rules` instead of
    each round's own, if given: a scenario, whose classes raise the suggestions as the real ones do)."""
    areas = {} if areas is None else areas
    aar = data.runde.aar
    model = data.risk_model(aar)
    vurderinger = {
        v.afdeling_id: v
        for v in Vurdering.objects.filter(
            runde=data.runde, afdeling__in=[a.pk for a in afdelinger]
        ).select_related("besluttet_af")
    }
    results = []
    for afdeling in afdelinger:
        area = None
        if afdeling.boligomraade_id is not None:
            if afdeling.boligomraade_id not in areas:
                areas[afdeling.boligomraade_id] = area_result(data, afdeling.boligomraade_id, rules)
            area = areas[afdeling.boligomraade_id]
        values = data.afdeling_values.get((aar, afdeling.pk), {})
        previous_values = data.afdeling_values.get((aar - 1, afdeling.pk), {})
        risk = _risk(data, values, aar)
        suggestion = None
        if risk is not None:
            suggestion = criteria.suggest_indsats(risk, area.classification if area else None, model.limits())
        results.append(
            AfdelingResult(
                afdeling=afdeling,
                values=values,
                previous_values=previous_values,
                risk=risk,
                previous_risk=_risk(data, previous_values, aar - 1),
                suggestion=suggestion,
                area=area,
                vurdering=vurderinger.get(afdeling.pk),
            )
        )
    return results


def afdeling_history(afdeling: Afdeling) -> dict[int, dict[str, Decimal]]:
    """Every round's figures for one afdeling: {year: {code: value}}, in one query."""
    history: dict[int, dict[str, Decimal]] = defaultdict(dict)
    rows = Maaling.objects.filter(afdeling=afdeling).values_list("runde__aar", "indikator__kode", "vaerdi")
    for aar, kode, value in rows:
        history[aar][kode] = value
    return dict(history)
