"""Early warning: how far an area is from each threshold, and where a straight line through its last rounds
puts it at the next list.

The method, stated so staff can explain it: for each official figure, an ordinary least-squares line through
the area's values of up to the last MAX_ROUNDS rounds (the current one included), read off at the next year.
Its uncertainty is one standard error of that prediction. Fewer than MIN_ROUNDS rounds give no projection.
The projected figures are then classified by the same rules as the real ones (screening.criteria), with the
run of parallel rounds carried on, so the projection says which class and letters the trend leads to.
Pure functions: plain values in, plain values out.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from screening import criteria

MIN_ROUNDS = 3
MAX_ROUNDS = 5
TWO_PLACES = Decimal("0.01")

# The figures that decide a class, projected one by one.
PROJECTED_CODES = (
    "beboere",
    "uden_job_uddannelse_pct",
    "domfaeldte_pct",
    "kun_grundskole_pct",
    "indkomst_pct_region",
    "ikke_vestlige_pct",
)


@dataclass(frozen=True)
class Trend:
    value: Decimal  # the line read off at the target year
    slope: Decimal  # change per year
    spread: Decimal  # one standard error of the projected value
    rounds: int  # how many rounds the line was drawn through


def linear_trend(points: Sequence[tuple[int, Decimal]], target_year: int) -> Trend | None:
    """The least-squares line through the last MAX_ROUNDS (year, value) points, read off at target_year;
    None from fewer than MIN_ROUNDS points."""
    points = sorted(points)[-MAX_ROUNDS:]
    n = len(points)
    if n < MIN_ROUNDS:
        return None
    mean_x = Decimal(sum(year for year, _ in points)) / n
    mean_y = sum(value for _, value in points) / n
    sxx = sum((year - mean_x) ** 2 for year, _ in points)
    sxy = sum((year - mean_x) * (value - mean_y) for year, value in points)
    slope = sxy / sxx
    intercept = mean_y - slope * mean_x
    predicted = intercept + slope * target_year
    residuals = sum((value - (intercept + slope * year)) ** 2 for year, value in points)
    residual_variance = residuals / (n - 2)
    spread = (residual_variance * (1 + Decimal(1) / n + (target_year - mean_x) ** 2 / sxx)).sqrt()
    return Trend(
        value=predicted.quantize(TWO_PLACES),
        slope=slope.quantize(TWO_PLACES),
        spread=spread.quantize(TWO_PLACES),
        rounds=n,
    )


@dataclass(frozen=True)
class Forecast:
    aar: int  # the year projected to (the next list)
    trends: dict[str, Trend]
    classification: criteria.Classification


def project(
    values_by_year: Mapping[int, Mapping[str, Decimal | None]],
    aar: int,
    rules: criteria.RuleSet,
    national_domfaeldte_pct: Decimal | None,
    current: criteria.Classification,
) -> Forecast | None:
    """The area's figures and class at the list after `aar`, from its rounds up to `aar`; None when any
    deciding figure has fewer than MIN_ROUNDS rounds behind it."""
    target = aar + 1
    trends = {}
    for code in PROJECTED_CODES:
        points = [
            (year, values[code])
            for year, values in values_by_year.items()
            if year <= aar and values.get(code) is not None
        ]
        trend = linear_trend(points, target)
        if trend is None:
            return None
        trends[code] = trend
    projected = {code: trend.value for code, trend in trends.items()}
    projected["beboere"] = max(Decimal(0), projected["beboere"].to_integral_value())
    # The run of parallel rounds up to and including the current one, most recent first.
    previous_parallel = [True] * current.runder_i_traek if current.parallel else []
    classification = criteria.classify(
        criteria.Figures.from_values(projected), rules, national_domfaeldte_pct, previous_parallel
    )
    return Forecast(target, trends, classification)


def _distance(result: criteria.CriterionResult) -> str:
    unit = " ×" if result.letter == "B" else " point"
    return f"{criteria.figure_text(-result.margin)}{unit}"


@dataclass(frozen=True)
class WatchMargin:
    points: Decimal  # for the shares (A, C, D and the non-western share), in percentage points
    multiple: Decimal  # for B, in multiples of the national share


def _near(results: Sequence[criteria.CriterionResult], margin: WatchMargin) -> list[criteria.CriterionResult]:
    """The criteria not met, but within the margin of their thresholds."""
    return [
        r
        for r in results
        if not r.met
        and r.margin is not None
        and -r.margin <= (margin.multiple if r.letter == "B" else margin.points)
    ]


def warnings(
    current: criteria.Classification,
    forecast: Forecast | None,
    beboere: int | None,
    margin: WatchMargin,
) -> list[str]:
    """Why an area belongs on the watch list (empty: it does not): a projection to a stricter class, or a
    stricter class one criterion away, that criterion within the margin of its threshold."""
    rules = current.rule_set
    reasons = []
    if forecast is not None and forecast.classification.severity > current.severity:
        reasons.append(
            f"Prognosen for {forecast.aar} giver {forecast.classification.label.lower()} "
            f"(kriterier {', '.join(forecast.classification.kriterier) or 'ingen'})."
        )
    udsat_met = sum(1 for r in current.udsat if r.met)
    if current.severity < criteria.SEVERITY[criteria.UDSAT] and udsat_met == rules.min_kriterier - 1:
        for result in _near(current.udsat, margin):
            reasons.append(
                f"Ét kriterium fra udsat boligområde: {result.letter} er {_distance(result)} fra grænsen."
            )
    if current.klassifikation == criteria.INGEN and current.forebyggelse:
        forebyggelse_met = sum(1 for r in current.forebyggelse if r.met)
        share = (
            current.ikke_vestlige_forebyggelse
        )  # None: the rule set asks no share of non-western residents
        if forebyggelse_met == rules.min_kriterier - 1 and (share is None or share.met):
            for result in _near(current.forebyggelse, margin):
                reasons.append(
                    f"Ét kriterium fra forebyggelsesområde: {result.letter} er {_distance(result)} "
                    "fra grænsen."
                )
    if (
        current.klassifikation == criteria.UDSAT
        and current.ikke_vestlige is not None
        and _near([current.ikke_vestlige], margin)
    ):
        reasons.append(
            f"Andelen af ikke-vestlige er {_distance(current.ikke_vestlige)} fra grænsen "
            f"for {rules.navn_parallel.lower()}."
        )
    if beboere is not None and not current.stor_nok and udsat_met >= rules.min_kriterier:
        reasons.append(
            f"Området opfylder {udsat_met} kriterier, men har {beboere} beboere: "
            f"{rules.min_beboere - beboere} under grænsen på {rules.min_beboere}."
        )
    return reasons
