"""Goal follow-up: each goal's targets and measurements per year, how far it has come, and benchmarking.

Plain values in, plain values out; the numbers shown in charts are always also shown in a table.
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.serializers.json import DjangoJSONEncoder

from config.web.limits import NumberRange
from config.web.tabular import parse_number
from indsatser.models import Maalsaetning, Maaltal

# What a goal figure (a target or a measurement) can hold, from its column.
FIGURE_RANGE = NumberRange.of(Maaltal._meta.get_field("maalt"))
# Units of a share in per cent, and of figures that cannot be negative (shares, counts, amounts); a mark on
# the Danish scale can (-3).
SHARE_UNITS = {"%", "pct", "pct.", "procent"}
NOT_NEGATIVE_UNITS = SHARE_UNITS | {"antal", "kr", "kr."}


def parse_goal_figure(text: str, enhed: str) -> Decimal:
    """A goal figure as typed or imported ('44,5'), for an indicator measured in `enhed`: a number without
    exponent notation, within the column, a share from 0 to 100 and a count or amount not negative.
    Raises ValueError with a Danish message. The year page's dialog and the goal-figure import use this."""
    value = parse_number(text, FIGURE_RANGE)
    unit = enhed.strip().casefold()
    if unit in SHARE_UNITS and not 0 <= value <= 100:
        raise ValueError(f"En andel i procent ligger mellem 0 og 100, ikke {text.strip()}.")
    if unit in NOT_NEGATIVE_UNITS and value < 0:
        raise ValueError(f"Tallet kan ikke være negativt for enheden '{enhed}'.")
    return value


@dataclass
class YearRow:
    aar: int
    maal: Decimal | None
    maalt: Decimal | None


@dataclass
class GoalProgress:
    maalsaetning: Maalsaetning
    rows: list[YearRow]
    latest: YearRow | None  # the last year with a measurement
    andel_naaet: Decimal | None  # share of the way from baseline to that year's target, in per cent
    naaet: bool | None
    chart: dict = field(default_factory=dict)

    @property
    def chart_json(self) -> str:
        return chart_json(self.chart)


def chart_json(chart: dict) -> str:
    """A chart's data for the page: put in an attribute of its canvas (htmx drops <script> elements from
    swapped fragments, so a json_script block would not survive the in-place editing of a section)."""
    return json.dumps(chart, cls=DjangoJSONEncoder)


def share_of_target(
    baseline: Decimal | None, target: Decimal | None, measured: Decimal | None
) -> Decimal | None:
    """How much of the planned change from baseline to target has been achieved, in per cent (rounded).

    Works both ways (a fall in evictions as well as a rise in grades) because it compares changes, not levels.
    None when it cannot be said: a value is missing or the target is the baseline itself.
    """
    if baseline is None or target is None or measured is None or target == baseline:
        return None
    return ((measured - baseline) / (target - baseline) * 100).quantize(Decimal("1"))


def target_met(hoejere_er_bedre: bool, target: Decimal | None, measured: Decimal | None) -> bool | None:
    if target is None or measured is None:
        return None
    return measured >= target if hoejere_er_bedre else measured <= target


def _number(value: Decimal | None) -> float | None:
    return None if value is None else float(value)


def goal_progress(maalsaetning: Maalsaetning, years: list[int]) -> GoalProgress:
    by_year = {m.aar: m for m in maalsaetning.maaltal.all()}
    all_years = sorted(set(years) | set(by_year))
    rows = [
        YearRow(year, getattr(by_year.get(year), "maal", None), getattr(by_year.get(year), "maalt", None))
        for year in all_years
    ]
    measured = [r for r in rows if r.maalt is not None]
    latest = measured[-1] if measured else None
    indikator = maalsaetning.indikator
    labels = [str(r.aar) for r in rows]
    baseline = maalsaetning.baseline
    chart = {
        "title": indikator.navn,
        "unit": indikator.enhed,
        "labels": labels,
        "series": [
            {"label": "Mål", "data": [_number(r.maal) for r in rows], "kind": "target"},
            {"label": "Målt", "data": [_number(r.maalt) for r in rows], "kind": "measured"},
        ],
    }
    if baseline is not None:
        chart["series"].append(
            {"label": "Udgangspunkt", "data": [_number(baseline)] * len(rows), "kind": "baseline"}
        )
    return GoalProgress(
        maalsaetning=maalsaetning,
        rows=rows,
        latest=latest,
        andel_naaet=share_of_target(baseline, latest.maal, latest.maalt) if latest else None,
        naaet=target_met(indikator.hoejere_er_bedre, latest.maal, latest.maalt) if latest else None,
        chart=chart,
    )


def progress(indsats) -> list[GoalProgress]:
    """Every goal of the indsats with its progress (reads the prefetched goals and their yearly values)."""
    return [goal_progress(m, indsats.aar) for m in indsats.maalsaetninger.all()]


@dataclass
class BenchmarkRow:
    maalsaetning: Maalsaetning
    maal: Decimal | None
    maalt: Decimal | None
    andel_naaet: Decimal | None
    naaet: bool | None


def benchmark(maalsaetninger, year: int) -> list[BenchmarkRow]:
    """The same indicator across indsatser in one year: target, measurement and share of the way."""
    rows = []
    for maalsaetning in maalsaetninger:
        value = next((m for m in maalsaetning.maaltal.all() if m.aar == year), None)
        maal, maalt = (value.maal, value.maalt) if value else (None, None)
        rows.append(
            BenchmarkRow(
                maalsaetning=maalsaetning,
                maal=maal,
                maalt=maalt,
                andel_naaet=share_of_target(maalsaetning.baseline, maal, maalt),
                naaet=target_met(maalsaetning.indikator.hoejere_er_bedre, maal, maalt),
            )
        )
    rows.sort(key=lambda r: (r.andel_naaet is None, -(r.andel_naaet or 0), r.maalsaetning.indsats.titel))
    return rows
