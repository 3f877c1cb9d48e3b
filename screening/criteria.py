"""The official area criteria (almenboligloven § 61 a and § 61 b) and fsb's own risk assessment.

Pure functions: plain values in, plain values with reasons out. No database and no Django, so the maths can
be tested exhaustively on its own. The rule sets themselves are data (screening.models.Regelsaet) and
arrive here as `RuleSet` values.

Conventions
- Shares are percentages (40 means 40 %). Conviction figures (B) are the share of residents convicted,
  compared with the national share of the same round.
- A criterion's `margin` is how far the figure lies on the bad side of its threshold, in the criterion's
  own unit (percentage points; for B multiples of the national rate): positive beyond, negative short of it.
- "Over 40 %" is strict (exactly 40 % is not over); "at least 3 ×" is inclusive (exactly 3 × counts).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_EVEN, Decimal

INGEN = "ingen"
FOREBYGGELSE = "forebyggelsesomraade"
UDSAT = "udsat"

OVER, AT_LEAST, UNDER = ">", "≥", "<"

LETTERS = ("A", "B", "C", "D")
CRITERION_LABELS = {
    "A": "Andel 18-64-årige uden for arbejde eller uddannelse",
    "B": "Domfældte i forhold til landsgennemsnittet",
    "C": "Andel 30-59-årige med kun grundskole",
    "D": "Gennemsnitlig bruttoindkomst i forhold til regionen",
    "I": "Andel indvandrere og efterkommere fra ikke-vestlige lande",
}

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Thresholds:
    """One column of the criteria table (udsat or forebyggelse)."""

    uden_job_uddannelse_pct: Decimal  # A: over
    domfaeldte_faktor: Decimal  # B: at least this many times the national share
    kun_grundskole_pct: Decimal  # C: over
    indkomst_pct_region: Decimal  # D: under
    # Over (for udsat: the parallelsamfund threshold). None: the rule set has no criterion on non-western
    # residents; then no area is parallelsamfund (nor its lasting class), and forebyggelse needs A-D alone.
    ikke_vestlige_pct: Decimal | None


@dataclass(frozen=True)
class RuleSet:
    kode: str
    navn: str
    udsat: Thresholds
    forebyggelse: Thresholds | None
    min_beboere: int
    min_kriterier: int
    # Parallelsamfund in this many consecutive rounds (the current included) makes the lasting class.
    vedvarende_runder: int
    klasse_parallel: str
    navn_parallel: str
    klasse_vedvarende: str
    navn_vedvarende: str

    @property
    def uses_ikke_vestlige(self) -> bool:
        return self.udsat.ikke_vestlige_pct is not None

    def classes(self) -> list[tuple[str, str]]:
        """(code, Danish label) from the mildest to the most severe."""
        classes = [(INGEN, "Ingen")]
        if self.forebyggelse is not None:
            classes.append((FOREBYGGELSE, "Forebyggelsesområde"))
        classes.append((UDSAT, "Udsat boligområde"))
        if self.uses_ikke_vestlige:
            classes += [
                (self.klasse_parallel, self.navn_parallel),
                (self.klasse_vedvarende, self.navn_vedvarende),
            ]
        return classes


# How severe a class is, whatever rule set named it; the 2018 terms sit on the levels of their successors.
SEVERITY = {
    INGEN: 0,
    FOREBYGGELSE: 1,
    UDSAT: 2,
    "parallelsamfund": 3,
    "ghettoomraade": 3,
    "omdannelsesomraade": 4,
    "haardt_ghettoomraade": 4,
}


@dataclass(frozen=True)
class Figures:
    """An area's (or afdeling's) official figures for one round. None means not known."""

    beboere: int | None = None
    uden_job_uddannelse_pct: Decimal | None = None
    domfaeldte_pct: Decimal | None = None
    kun_grundskole_pct: Decimal | None = None
    indkomst_pct_region: Decimal | None = None
    ikke_vestlige_pct: Decimal | None = None

    @classmethod
    def from_values(cls, values: Mapping[str, Decimal | None]) -> "Figures":
        beboere = values.get("beboere")
        return cls(
            beboere=int(beboere) if beboere is not None else None,
            uden_job_uddannelse_pct=values.get("uden_job_uddannelse_pct"),
            domfaeldte_pct=values.get("domfaeldte_pct"),
            kun_grundskole_pct=values.get("kun_grundskole_pct"),
            indkomst_pct_region=values.get("indkomst_pct_region"),
            ikke_vestlige_pct=values.get("ikke_vestlige_pct"),
        )


@dataclass(frozen=True)
class CriterionResult:
    letter: str  # A-D, or I for the share of non-western immigrants and descendants
    label: str
    value: Decimal | None  # for B the multiple of the national share
    threshold: Decimal
    comparison: str  # OVER, AT_LEAST or UNDER
    met: bool
    margin: Decimal | None
    reason: str

    @property
    def distance(self) -> Decimal | None:
        """The margin without its sign: by how much the criterion is met, or how much is missing."""
        return None if self.margin is None else abs(self.margin)


@dataclass(frozen=True)
class Classification:
    rule_set: RuleSet
    klassifikation: str
    label: str
    kriterier: tuple[str, ...]  # the letters met under the thresholds that decided the class
    udsat: tuple[CriterionResult, ...]
    forebyggelse: tuple[CriterionResult, ...]  # empty when the rule set has no forebyggelse
    ikke_vestlige: CriterionResult | None  # None when the rule set has no criterion on non-western residents
    ikke_vestlige_forebyggelse: CriterionResult | None
    stor_nok: bool
    parallel: bool  # udsat with a non-western majority: counts towards the lasting class
    runder_i_traek: int  # consecutive parallel rounds up to and including this one
    reasons: tuple[str, ...]

    @property
    def severity(self) -> int:
        return SEVERITY[self.klassifikation]


def figure_text(value: Decimal) -> str:
    """Danish decimal comma, at most two decimals, no trailing zeros: 40, 43,2, 2,49."""
    text = f"{value.quantize(TWO_PLACES, rounding=ROUND_HALF_EVEN):f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


COMPARISON_WORDS = {OVER: "over", AT_LEAST: "mindst", UNDER: "under"}


def _criterion(letter, value, threshold, comparison, unit) -> CriterionResult:
    label = CRITERION_LABELS[letter]
    if value is None:
        reason = f"{letter}: tallet mangler."
        return CriterionResult(letter, label, None, threshold, comparison, False, None, reason)
    margin = threshold - value if comparison == UNDER else value - threshold
    met = margin >= 0 if comparison == AT_LEAST else margin > 0
    rule = f"grænse: {COMPARISON_WORDS[comparison]} {figure_text(threshold)}{unit}"
    reason = f"{letter}: {figure_text(value)}{unit} ({rule}) – {'opfyldt' if met else 'ikke opfyldt'}"
    distance = value - threshold
    if distance:
        reason += f", {figure_text(abs(distance))} {'over' if distance > 0 else 'under'} grænsen"
    else:
        reason += ", præcis på grænsen"
    return CriterionResult(letter, label, value, threshold, comparison, met, margin, reason + ".")


def _b_criterion(domfaeldte_pct, national_pct, faktor) -> CriterionResult:
    """B as a multiple of the national share. Both shares have two decimals, so the division is exact
    whenever the share is an exact multiple: exactly 3 × is 3, never 2.999…"""
    if domfaeldte_pct is not None and not national_pct:
        return CriterionResult(
            "B",
            CRITERION_LABELS["B"],
            None,
            faktor,
            AT_LEAST,
            False,
            None,
            "B: landsgennemsnittet for runden mangler.",
        )
    ratio = None if domfaeldte_pct is None else domfaeldte_pct / national_pct
    return _criterion("B", ratio, faktor, AT_LEAST, " ×")


def _criteria(figures: Figures, thresholds: Thresholds, national_pct) -> tuple[CriterionResult, ...]:
    return (
        _criterion("A", figures.uden_job_uddannelse_pct, thresholds.uden_job_uddannelse_pct, OVER, " %"),
        _b_criterion(figures.domfaeldte_pct, national_pct, thresholds.domfaeldte_faktor),
        _criterion("C", figures.kun_grundskole_pct, thresholds.kun_grundskole_pct, OVER, " %"),
        _criterion("D", figures.indkomst_pct_region, thresholds.indkomst_pct_region, UNDER, " %"),
    )


def _letters(results) -> tuple[str, ...]:
    return tuple(r.letter for r in results if r.met)


def classify(
    figures: Figures,
    rules: RuleSet,
    national_domfaeldte_pct: Decimal | None,
    previous_parallel: Sequence[bool] = (),
) -> Classification:
    """Classify one area for one round.

    `previous_parallel` holds, most recent first, whether each immediately preceding round found the area
    parallel (udsat with a non-western majority); a gap in the rounds must end the sequence.
    """
    udsat = _criteria(figures, rules.udsat, national_domfaeldte_pct)
    ikke_vestlige = None
    if rules.uses_ikke_vestlige:
        ikke_vestlige = _criterion("I", figures.ikke_vestlige_pct, rules.udsat.ikke_vestlige_pct, OVER, " %")
    forebyggelse: tuple[CriterionResult, ...] = ()
    ikke_vestlige_f = None
    if rules.forebyggelse is not None:
        forebyggelse = _criteria(figures, rules.forebyggelse, national_domfaeldte_pct)
        limit = rules.forebyggelse.ikke_vestlige_pct
        if limit is not None:
            ikke_vestlige_f = _criterion("I", figures.ikke_vestlige_pct, limit, OVER, " %")

    stor_nok = figures.beboere is not None and figures.beboere >= rules.min_beboere
    udsat_letters = _letters(udsat)
    is_udsat = stor_nok and len(udsat_letters) >= rules.min_kriterier
    parallel = is_udsat and ikke_vestlige is not None and ikke_vestlige.met
    runder = 0
    if parallel:
        runder = 1
        for was_parallel in previous_parallel:
            if not was_parallel:
                break
            runder += 1
    forebyggelse_letters = _letters(forebyggelse)
    is_forebyggelse = (
        stor_nok
        and rules.forebyggelse is not None
        and (ikke_vestlige_f is None or ikke_vestlige_f.met)
        and len(forebyggelse_letters) >= rules.min_kriterier
    )

    reasons = []
    if figures.beboere is None:
        reasons.append("Antallet af beboere mangler; området kan ikke klassificeres.")
    elif not stor_nok:
        reasons.append(
            f"Området har {figures.beboere} beboere; kun områder med mindst {rules.min_beboere} indgår."
        )
    if parallel and runder >= rules.vedvarende_runder:
        klasse, label, kriterier = rules.klasse_vedvarende, rules.navn_vedvarende, udsat_letters
        reasons.append(f"{rules.navn_parallel} {runder} runder i træk (grænse: {rules.vedvarende_runder}).")
    elif parallel:
        klasse, label, kriterier = rules.klasse_parallel, rules.navn_parallel, udsat_letters
        reasons.append(
            f"Udsat og over {figure_text(rules.udsat.ikke_vestlige_pct)} % ikke-vestlige; "
            f"{runder} runde(r) i træk."
        )
    elif is_udsat:
        klasse, label, kriterier = UDSAT, "Udsat boligområde", udsat_letters
        reasons.append(f"{len(udsat_letters)} af kriterierne A-D er opfyldt (mindst {rules.min_kriterier}).")
    elif is_forebyggelse:
        klasse, label, kriterier = FOREBYGGELSE, "Forebyggelsesområde", forebyggelse_letters
        reason = f"{len(forebyggelse_letters)} af kriterierne A-D med forebyggelsesgrænserne."
        if ikke_vestlige_f is not None:
            reason = f"Over {figure_text(ikke_vestlige_f.threshold)} % ikke-vestlige og {reason}"
        reasons.append(reason)
    else:
        klasse, label, kriterier = INGEN, "Ingen", udsat_letters
        if stor_nok:
            reasons.append(
                f"{len(udsat_letters)} af kriterierne A-D er opfyldt (mindst {rules.min_kriterier} kræves)."
            )
    return Classification(
        rule_set=rules,
        klassifikation=klasse,
        label=label,
        kriterier=kriterier,
        udsat=udsat,
        forebyggelse=forebyggelse,
        ikke_vestlige=ikke_vestlige,
        ikke_vestlige_forebyggelse=ikke_vestlige_f,
        stor_nok=stor_nok,
        parallel=parallel,
        runder_i_traek=runder,
        reasons=tuple(reasons),
    )


@dataclass(frozen=True)
class RoundInput:
    aar: int
    figures: Figures
    rules: RuleSet | None  # None: no rule set in force that year
    national_domfaeldte_pct: Decimal | None


def classify_series(rounds: Sequence[RoundInput]) -> dict[int, Classification | None]:
    """Classify an area in every given round, carrying the run of parallel rounds from year to year.

    A year without a round (or without a rule set) breaks the run: the law counts consecutive lists.
    """
    results: dict[int, Classification | None] = {}
    history: list[bool] = []  # most recent first
    previous_year = None
    for item in sorted(rounds, key=lambda r: r.aar):
        if previous_year is not None and item.aar != previous_year + 1:
            history = []
        previous_year = item.aar
        if item.rules is None:
            results[item.aar] = None
            history = []
            continue
        result = classify(item.figures, item.rules, item.national_domfaeldte_pct, history)
        results[item.aar] = result
        history = [result.parallel, *history]
    return results


def class_change(previous: Classification | None, current: Classification | None) -> str:
    """'skaerpet', 'lempet', 'uaendret' or '' (nothing to compare with)."""
    if previous is None or current is None:
        return ""
    if current.severity > previous.severity:
        return "skaerpet"
    if current.severity < previous.severity:
        return "lempet"
    return "uaendret"


def change(current: Decimal | None, previous: Decimal | None) -> Decimal | None:
    if current is None or previous is None:
        return None
    return current - previous


# --- counts and their bases ------------------------------------------------------------------------------


@dataclass(frozen=True)
class CountBasis:
    """A criterion's count and its population base, as the import's column codes name them (a contract, like
    the shares' codes), and the share they give."""

    share: str
    count: str
    base: str


INDKOMST = "indkomst_pct_region"
# D's count is an income sum; its base, the persons, counts at the region's average income (given with them).
REGION_INCOME = "d_region_gennemsnitsindkomst"
COUNT_BASES = (
    CountBasis("uden_job_uddannelse_pct", "a_uden_job_uddannelse_antal", "a_personer_18_64"),
    CountBasis("domfaeldte_pct", "b_domfaeldte_antal", "b_personer_15_plus"),
    CountBasis("kun_grundskole_pct", "c_kun_grundskole_antal", "c_personer_30_59"),
    CountBasis(INDKOMST, "d_indkomst_sum", "d_personer_15_64"),
    CountBasis("ikke_vestlige_pct", "ikke_vestlige_antal", "beboere"),
)
# The figures that are there only to compute a share from (the residents are a figure of their own too).
BASIS_CODES = frozenset(
    {basis.count for basis in COUNT_BASES} | {basis.base for basis in COUNT_BASES} | {REGION_INCOME}
) - {"beboere"}


def fraction(basis: CountBasis, values: Mapping[str, Decimal | None]) -> tuple[Decimal, Decimal] | None:
    """The numerator and denominator of the basis's share where its count and base are given; for D the
    income sum over the income the persons would have at the region's average (persons × that average), so
    that areas add up as the other criteria do."""
    count, base = values.get(basis.count), values.get(basis.base)
    if count is None or base is None:
        return None
    if basis.share == INDKOMST:
        region = values.get(REGION_INCOME)
        if region is None:
            return None
        base = base * region
    return count, base


def share_of(count: Decimal, base: Decimal) -> Decimal:
    """count / base in percent, rounded to two decimals like every stored share (half to even), so a share
    is judged as it is shown: 400.04 of 1,000 is 40.00 %, not over 40 %."""
    return (Decimal(count) * 100 / base).quantize(TWO_PLACES, ROUND_HALF_EVEN)


# --- aggregation from afdelinger to an area ------------------------------------------------------------

# How an area's figure was found.
OMRAADETS_TAL = "omraade"  # imported for the area itself
EKSAKT = "eksakt"  # from the afdelingers' counts and bases (or a sum of counts)
TILNAERMET = "tilnaermet"  # the afdelingers' shares weighted by all residents
METHOD_LABELS = {
    OMRAADETS_TAL: "områdets egne tal",
    EKSAKT: "eksakt: afdelingernes antal og grundlag",
    TILNAERMET: "tilnærmet: afdelingernes andele vægtet med antal beboere",
}
# As the overview writes it under an area's class.
METHOD_SHORT = {OMRAADETS_TAL: "områdets tal", EKSAKT: "eksakt", TILNAERMET: "tilnærmet"}
SHARE_CODES = tuple(basis.share for basis in COUNT_BASES)


@dataclass(frozen=True)
class AreaValue:
    value: Decimal | None
    beregnet: bool  # computed from the afdelinger rather than imported for the area
    daekning_pct: Decimal | None  # share of the area's residents whose afdeling had a figure
    metode: str = OMRAADETS_TAL


def aggregate(
    afdelinger: Sequence[tuple[int, Mapping[str, Decimal | None]]],
    summed: set[str],
) -> dict[str, AreaValue]:
    """An area's figures from its afdelinger: counts (codes in `summed`) add up; a criterion's share is its
    afdelinger's counts over their bases (COUNT_BASES) where every afdeling with the share has them, and
    otherwise their shares weighted by residents, which is only approximate: each criterion has its own
    population (the 18-64-year-olds, the 30-59-year-olds…), not all residents.

    `afdelinger` holds (residents, {code: value}) per afdeling. Shares are rounded to two decimals, like
    the stored figures, so a computed 40.004 % does not pass as over 40 %.
    """
    total_residents = sum(weight for weight, _ in afdelinger)
    codes = {code for _, values in afdelinger for code, value in values.items() if value is not None}
    bases = {basis.share: basis for basis in COUNT_BASES}
    result = {}
    for code in sorted(codes):
        present = [(weight, values) for weight, values in afdelinger if values.get(code) is not None]
        covered = sum(weight for weight, _ in present)
        coverage = None
        if total_residents:
            coverage = (Decimal(covered) * 100 / total_residents).quantize(TWO_PLACES)
        fractions = [fraction(bases[code], values) for _, values in present] if code in bases else [None]
        if code in summed:
            value, metode = sum((values[code] for _, values in present), Decimal(0)), EKSAKT
        elif None not in fractions and sum(base for _, base in fractions):
            counts = sum(count for count, _ in fractions)
            value, metode = share_of(counts, sum(base for _, base in fractions)), EKSAKT
        elif covered:
            weighted = sum(Decimal(weight) * values[code] for weight, values in present) / covered
            value, metode = weighted.quantize(TWO_PLACES, ROUND_HALF_EVEN), TILNAERMET
        else:
            value, metode = None, TILNAERMET
        result[code] = AreaValue(value, True, coverage, metode)
    return result


def area_method(values: Mapping[str, AreaValue]) -> str:
    """How the area's criteria were found, as a whole: approximate if any share is, else exact if any was
    computed from counts, else the area's own figures; empty without figures."""
    methods = {
        values[code].metode for code in SHARE_CODES if code in values and values[code].value is not None
    }
    for metode in (TILNAERMET, EKSAKT, OMRAADETS_TAL):
        if metode in methods:
            return metode
    return ""


# --- fsb's own risk assessment ---------------------------------------------------------------------------

GROEN, GUL, ROED, UKENDT = "groen", "gul", "roed", "ukendt"
LIGHT_POINTS = {GROEN: 0, GUL: 1, ROED: 2}
LIGHT_LABELS = {GROEN: "grøn", GUL: "gul", ROED: "rød", UKENDT: "ingen data"}

SUGGESTIONS = ("ingen", "ejendomsfunktionaer", "udviklingsprojekt", "helhedsplan")
SUGGESTION_LABELS = {
    "ingen": "Ingen indsats",
    "ejendomsfunktionaer": "Boligsocial ejendomsfunktionær",
    "udviklingsprojekt": "Lokalt udviklingsprojekt",
    "helhedsplan": "Boligsocial helhedsplan",
}


@dataclass(frozen=True)
class RiskThreshold:
    """fsb's yellow and red limits for one indicator; a figure at or beyond a limit takes its colour."""

    kode: str
    navn: str
    hoej_er_daarlig: bool
    gul: Decimal
    roed: Decimal
    vaegt: int
    enhed: str = ""


@dataclass(frozen=True)
class Light:
    kode: str
    navn: str
    value: Decimal | None
    level: str
    limit: Decimal | None = None  # the limit reached (for green: the yellow limit not reached)
    hoej_er_daarlig: bool = True
    enhed: str = ""

    @property
    def reason(self) -> str:
        """Built on demand: an overview of a thousand afdelinger never shows these."""
        if self.value is None:
            return f"{self.navn}: ingen data."
        unit = f" {self.enhed}" if self.enhed else ""
        word = "mindst" if self.hoej_er_daarlig else "højst"
        colour = GUL if self.level == GROEN else self.level
        limit_text = f"{LIGHT_LABELS[colour]} ved {word} {figure_text(self.limit)}{unit}"
        return f"{self.navn}: {figure_text(self.value)}{unit} ({limit_text})."


@dataclass(frozen=True)
class RiskResult:
    score: int | None  # 0-100, None when no indicator had a figure
    points: int
    max_points: int
    lights: tuple[Light, ...]

    def count(self, level: str) -> int:
        return sum(1 for light in self.lights if light.level == level)

    @property
    def roede(self) -> int:
        return self.count(ROED)

    @property
    def gule(self) -> int:
        return self.count(GUL)

    @property
    def level(self) -> str:
        """The worst light: the afdeling's overall traffic light."""
        levels = {light.level for light in self.lights}
        for level in (ROED, GUL, GROEN):
            if level in levels:
                return level
        return UKENDT


def _beyond(value: Decimal, limit: Decimal, high_is_bad: bool) -> bool:
    return value >= limit if high_is_bad else value <= limit


def assess_risk(values: Mapping[str, Decimal | None], thresholds: Sequence[RiskThreshold]) -> RiskResult:
    """Score = weighted light points as a share of the most the afdeling's known figures could have given."""
    lights = []
    points = max_points = 0
    for threshold in thresholds:
        value = values.get(threshold.kode)
        if value is None:
            lights.append(Light(threshold.kode, threshold.navn, None, UKENDT))
            continue
        if _beyond(value, threshold.roed, threshold.hoej_er_daarlig):
            level, limit = ROED, threshold.roed
        elif _beyond(value, threshold.gul, threshold.hoej_er_daarlig):
            level, limit = GUL, threshold.gul
        else:
            level, limit = GROEN, threshold.gul
        lights.append(
            Light(
                threshold.kode,
                threshold.navn,
                value,
                level,
                limit,
                threshold.hoej_er_daarlig,
                threshold.enhed,
            )
        )
        points += threshold.vaegt * LIGHT_POINTS[level]
        max_points += threshold.vaegt * 2
    score = round(100 * points / max_points) if max_points else None
    return RiskResult(score, points, max_points, tuple(lights))


@dataclass(frozen=True)
class SuggestionLimits:
    """The risk score from which each type of indsats is suggested (ascending)."""

    ejendomsfunktionaer: int
    udviklingsprojekt: int
    helhedsplan: int


@dataclass(frozen=True)
class Suggestion:
    kode: str
    label: str
    reasons: tuple[str, ...]


def suggest_indsats(risk: RiskResult, area: Classification | None, limits: SuggestionLimits) -> Suggestion:
    """The suggested type of indsats: from the risk score, raised by the official class of the area."""
    order = {code: i for i, code in enumerate(SUGGESTIONS)}
    kode = "ingen"
    reasons = []
    if risk.score is None:
        reasons.append("Ingen af fsb's egne indikatorer har tal for runden.")
    else:
        for candidate, limit in (
            ("helhedsplan", limits.helhedsplan),
            ("udviklingsprojekt", limits.udviklingsprojekt),
            ("ejendomsfunktionaer", limits.ejendomsfunktionaer),
        ):
            if risk.score >= limit:
                kode = candidate
                label = SUGGESTION_LABELS[candidate].lower()
                reasons.append(f"Risikoscore {risk.score} er mindst {limit} (grænsen for {label}).")
                break
        else:
            reasons.append(f"Risikoscore {risk.score} er under {limits.ejendomsfunktionaer}.")
        red = [light.navn.lower() for light in risk.lights if light.level == ROED]
        if red:
            reasons.append("Røde signaler: " + ", ".join(red) + ".")
    severity = area.severity if area is not None else 0
    if severity >= SEVERITY[UDSAT] and order[kode] < order["helhedsplan"]:
        kode = "helhedsplan"
        reasons.append(f"Boligområdet er {area.label.lower()}: en helhedsplan bør overvejes.")
    elif severity == SEVERITY[FOREBYGGELSE] and order[kode] < order["udviklingsprojekt"]:
        kode = "udviklingsprojekt"
        reasons.append("Boligområdet er et forebyggelsesområde: mindst et lokalt udviklingsprojekt.")
    return Suggestion(kode, SUGGESTION_LABELS[kode], tuple(reasons))
