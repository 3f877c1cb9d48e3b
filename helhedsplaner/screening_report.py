"""What the screening report of a round shows: the method, each boligområde's official classification,
each afdeling's figures and fsb's risk assessment, and how many fall in each class.

Built from screening.assessment, like the screening pages. The report covers every afdeling and goes to
the secretariat and the funders, so small counts are masked ("< 5") as they are for everyone but staff.
"""

from collections import Counter
from dataclasses import dataclass

from config.web.formatting import danish_number
from screening import assessment, criteria, display
from screening.models import Afdeling, Boligomraade, Screeningsrunde, Vurdering

NO_AREA = "Uden boligområde"
LEVEL_COLOURS = {
    criteria.ROED: "#b3261e",
    criteria.GUL: "#d99a00",
    criteria.GROEN: "#2e7d32",
    criteria.UKENDT: "#8c8c8c",
}
CHANGE_LABELS = {"skaerpet": "Skærpet", "lempet": "Lempet", "uaendret": "Uændret", "": "–"}


@dataclass(frozen=True)
class Cell:
    text: str
    met: bool = False  # an official criterion met under the udsat thresholds


@dataclass(frozen=True)
class AreaRow:
    navn: str
    beboere: str
    cells: list[Cell]  # A, B, C, D and the share of non-western immigrants and descendants
    kriterier: str
    klassifikation: str
    aendring: str
    metode: str  # how the area's figures were found (criteria.METHOD_SHORT)


@dataclass(frozen=True)
class AfdelingRow:
    afdeling: Afdeling
    level: str
    level_label: str
    score: int | None
    roede: int
    gule: int
    klassifikation: str
    forslag: str
    beslutning: str
    cells: list[str]


@dataclass(frozen=True)
class Group:
    navn: str
    rows: list[AfdelingRow]


@dataclass(frozen=True)
class Count:
    label: str
    antal: int
    colour: str = "#004993"


def _area_row(navn: str, result: assessment.AreaResult, indicators) -> AreaRow:
    classification = result.classification
    values = result.values

    def shown(code):
        value = values.get(code)
        return display.format_value(value.value if value else None, indicators[code], show_small=False)

    udsat = {c.letter: c for c in classification.udsat}
    b = udsat["B"]
    b_text = "–" if b.value is None else danish_number(b.value, 1) + " ×"
    cells = [
        Cell(shown("uden_job_uddannelse_pct"), udsat["A"].met),
        Cell(b_text, b.met),
        Cell(shown("kun_grundskole_pct"), udsat["C"].met),
        Cell(shown("indkomst_pct_region"), udsat["D"].met),
        Cell(
            shown("ikke_vestlige_pct"),
            bool(classification.ikke_vestlige and classification.ikke_vestlige.met),
        ),
    ]
    return AreaRow(
        navn=navn,
        beboere=shown("beboere"),
        cells=cells,
        kriterier=", ".join(classification.kriterier) or "–",
        klassifikation=classification.label,
        aendring=CHANGE_LABELS[result.change],
        metode=criteria.METHOD_SHORT.get(criteria.area_method(values), "–"),
    )


def _decision_kind(vurdering: Vurdering | None) -> str:
    if vurdering is None:
        return "Ikke besluttet"
    return "Bekræftet" if vurdering.beslutning == Vurdering.Beslutning.BEKRAEFTET else "Tilsidesat"


def _decision(vurdering: Vurdering | None) -> str:
    kind = _decision_kind(vurdering)
    return f"{kind}: {vurdering.get_valgt_type_display()}" if kind == "Tilsidesat" else kind


def _afdeling_row(result: assessment.AfdelingResult, indicators) -> AfdelingRow:
    risk = result.risk
    level = risk.level if risk else criteria.UKENDT
    return AfdelingRow(
        afdeling=result.afdeling,
        level=level,
        level_label=criteria.LIGHT_LABELS[level].capitalize(),
        score=risk.score if risk else None,
        roede=risk.roede if risk else 0,
        gule=risk.gule if risk else 0,
        klassifikation=result.area.classification.label
        if result.area and result.area.classification
        else "–",
        forslag=result.suggestion.label if result.suggestion else "–",
        beslutning=_decision(result.vurdering) if result.suggestion else "–",
        cells=[
            display.format_value(result.values.get(i.kode), i, show_small=False, unit=False)
            for i in indicators
        ],
    )


def _counts(results, area_results, rule_set) -> dict:
    classes = Counter(r.classification.klassifikation for r in area_results)
    levels = Counter(r.risk.level if r.risk else criteria.UKENDT for r in results)
    suggestions = Counter(r.suggestion.kode for r in results if r.suggestion)
    decisions = Counter(_decision_kind(r.vurdering) for r in results if r.suggestion)
    return {
        "klasser": [Count(label, classes[code]) for code, label in (rule_set.classes() if rule_set else [])],
        "signaler": [
            Count(criteria.LIGHT_LABELS[level].capitalize(), levels[level], LEVEL_COLOURS[level])
            for level in (criteria.ROED, criteria.GUL, criteria.GROEN, criteria.UKENDT)
        ],
        "forslag": [
            Count(criteria.SUGGESTION_LABELS[code], suggestions[code]) for code in criteria.SUGGESTIONS
        ],
        "beslutninger": [
            Count(label, decisions[label]) for label in ("Bekræftet", "Tilsidesat", "Ikke besluttet")
        ],
    }


def plan_area_rows(runde: Screeningsrunde, afdelinger) -> list[AreaRow]:
    """The official criteria in the round for the areas a plan's afdelinger lie in, for its applications."""
    area_ids = {a.boligomraade_id for a in afdelinger if a.boligomraade_id}
    if not area_ids:
        return []
    data = assessment.load(runde, area_ids=area_ids, afdeling_ids=[a.pk for a in afdelinger])
    names = dict(Boligomraade.objects.filter(pk__in=area_ids).values_list("pk", "navn"))
    results = sorted((assessment.area_result(data, i) for i in area_ids), key=lambda r: names[r.area_id])
    return [_area_row(names[r.area_id], r, data.indicators) for r in results if r.classification is not None]


def report_context(runde: Screeningsrunde, scenario=None) -> dict:
    """Everything the report shows, in a fixed number of queries whatever the number of afdelinger. With a
    scenario (a rule set, screening.models.Regelsaet) every area is classified under it instead of the
    round's own rules, the suggestions follow those classes, and the areas whose class changes are listed."""
    rules = scenario.to_rule_set() if scenario else None
    data = assessment.load(runde, scenario=rules)
    afdelinger = list(Afdeling.objects.select_related("organisation", "boligomraade").order_by("nummer"))
    area_ids = {a.boligomraade_id for a in afdelinger if a.boligomraade_id}
    area_ids |= {area_id for aar, area_id in data.area_values if aar == runde.aar}
    official = {area_id: assessment.area_result(data, area_id) for area_id in area_ids}
    areas = official
    if rules is not None:
        areas = {area_id: assessment.scenario_result(data, r, rules) for area_id, r in official.items()}
    results = [r for r in assessment.afdeling_results(data, afdelinger, areas, rules) if r.has_data]
    names = dict(Boligomraade.objects.filter(pk__in=list(areas)).values_list("pk", "navn"))
    classified = sorted(
        (r for r in areas.values() if r.classification is not None), key=lambda r: names[r.area_id]
    )
    indicators = sorted(
        (i for i in data.indicators.values() if not i.is_basis and any(i.kode in r.values for r in results)),
        key=lambda i: (i.sortering, i.kode),
    )
    groups: dict[str, list[AfdelingRow]] = {}
    for result in sorted(
        results, key=lambda r: (r.afdeling.boligomraade is None, _area_name(r), r.afdeling.nummer)
    ):
        groups.setdefault(_area_name(result), []).append(_afdeling_row(result, indicators))
    regelsaet = scenario or runde.regelsaet
    rule_set = regelsaet.to_rule_set() if regelsaet else None
    risk_model = data.risk_model(runde.aar)
    title = f"Screening af afdelingerne {runde.aar}"
    return {
        "runde": runde,
        "scenarie": scenario,
        "aendringer": _changes(classified, official, names) if scenario else [],
        "regelsaet": regelsaet,
        "rule_set": rule_set,
        "risikomodel": risk_model,
        "taerskler": risk_model.thresholds() if risk_model else [],
        "indicators": indicators,
        "omraader": [_area_row(names[r.area_id], r, data.indicators) for r in classified],
        "grupper": [Group(navn, rows) for navn, rows in groups.items()],
        "antal_afdelinger": len(afdelinger),
        "antal_med_tal": len(results),
        "fordeling": _counts(results, classified, rule_set),
        "overvaagning": _watched(classified, names, runde),
        "document_kind": "Screeningsrapport",
        "document_title": f"{title} · scenarie: {scenario.navn}" if scenario else title,
        "document_author": "fsb",
    }


@dataclass(frozen=True)
class ChangedArea:
    navn: str
    officiel: str  # the class under the round's own rule set
    scenarie: str  # the class under the scenario's
    kriterier: str  # the letters met under the scenario


def _changes(classified, official: dict, names: dict[int, str]) -> list[ChangedArea]:
    """The areas whose class (its level) differs between the scenario and the round's own rule set."""
    changed = []
    for result in classified:
        own = official[result.area_id].classification
        if own is not None and own.severity != result.classification.severity:
            changed.append(
                ChangedArea(
                    names[result.area_id],
                    own.label,
                    result.classification.label,
                    ", ".join(result.classification.kriterier) or "–",
                )
            )
    return changed


@dataclass(frozen=True)
class WatchedArea:
    navn: str
    klasse: str
    prognose: str  # the class the trend gives at the next list, or "" without a projection
    grunde: list[str]


def _watched(classified: list[assessment.AreaResult], names: dict[int, str], runde) -> list[WatchedArea]:
    """The areas near, or heading for, a stricter class (screening.forecast), most severe first."""
    watched = []
    for result in sorted(classified, key=lambda r: -r.classification.severity):
        projection, reasons = assessment.area_forecast(result, runde)
        if reasons:
            prognose = projection.classification.label if projection else ""
            watched.append(WatchedArea(names[result.area_id], result.classification.label, prognose, reasons))
    return watched


def _area_name(result: assessment.AfdelingResult) -> str:
    area = result.afdeling.boligomraade
    return area.navn if area else NO_AREA
