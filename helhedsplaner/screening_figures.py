"""The afdelinger's latest screening figures, for the plan's analysis of the challenges.

Read from the screening app's measurements; a plan whose afdelinger have not been screened yet simply
shows none. Small counts can point at a person, so counts under 5 are shown as "< 5" to anyone but staff.
"""

from dataclasses import dataclass
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.safestring import SafeString

from config.web import roles
from screening import display, options
from screening.models import Indikator, Maaling, Screeningsrunde

# The trend charts of the packs' challenges chapter cover this many final rounds, up to the latest.
TREND_ROUNDS = 5


@dataclass(frozen=True)
class FigureRow:
    indikator: object
    cells: list[str]


@dataclass(frozen=True)
class Figures:
    runde: Screeningsrunde
    afdelinger: list
    rows: list[FigureRow]

    def split(self, size: int) -> list["Figures"]:
        """The same figures as tables of at most `size` afdelinger each, so a table fits the page."""
        return [
            Figures(
                self.runde,
                self.afdelinger[start : start + size],
                [FigureRow(row.indikator, row.cells[start : start + size]) for row in self.rows],
            )
            for start in range(0, len(self.afdelinger), size)
        ]


def _newest_round_measuring(afdelinger) -> Screeningsrunde | None:
    """The newest final round with a figure for any of the afdelinger (a draft's figures are not yet the
    year's, so plans and packs never show them). The rounds newest first, each asked whether
    it measured any of them: the database stops at the first that did, instead of joining every measurement
    of the afdelinger. Written out, as building it through the ORM costs more than running it."""
    if not afdelinger:
        return None
    rounds, measurements = Screeningsrunde._meta.db_table, Maaling._meta.db_table
    placeholders = ", ".join(["%s"] * len(afdelinger))
    newest = Screeningsrunde.objects.raw(
        f"SELECT * FROM {rounds} r WHERE r.status = %s AND EXISTS (SELECT 1 FROM {measurements} m"  # noqa: S608 - names from the models
        f" WHERE m.runde_id = r.id AND m.afdeling_id IN ({placeholders})) ORDER BY r.aar DESC LIMIT 1",
        [Screeningsrunde.Status.ENDELIG, *(afdeling.pk for afdeling in afdelinger)],
    )
    return next(iter(newest), None)


def latest_figures(afdelinger, user) -> Figures | None:
    """The newest final round with figures for any of the afdelinger, as indicator rows × afdeling columns."""
    afdelinger = list(afdelinger)
    runde = _newest_round_measuring(afdelinger)
    if runde is None:
        return None
    return Figures(runde, afdelinger, _rows(runde, afdelinger, roles.is_medarbejder(user)))


def drawn_latest_figures(afdelinger, user) -> SafeString:
    """latest_figures() drawn as a plan's overview shows them (helhedsplaner/_figures.html), kept under the
    time their round's results were computed. Any change to what the table shows (a figure saved, an
    indicator or an afdeling changed, an import) computes the results anew or marks them stale
    (screening.results), so a kept table is never older than the figures; stale results are drawn from the
    figures as they are."""
    afdelinger = list(afdelinger)
    runde = _newest_round_measuring(afdelinger)
    staff = roles.is_medarbejder(user)

    def draw() -> SafeString:
        figures = Figures(runde, afdelinger, _rows(runde, afdelinger, staff)) if runde else None
        return render_to_string("helhedsplaner/_figures.html", {"figures": figures})

    if runde is None or runde.resultater_beregnet is None:
        return draw()
    computed = runde.resultater_beregnet.isoformat()
    key = f"plan figures: {runde.pk} {computed} {staff} {[afdeling.pk for afdeling in afdelinger]}"
    return options.kept_value(key, draw)


def _rows(runde, afdelinger, staff: bool) -> list[FigureRow]:
    # Only the columns shown (a plan of eight afdelinger has 160 figures in a national screening), as plain
    # values; the indicators as kept by screening.options.
    values = {
        (indikator_id, afdeling_id): vaerdi
        for indikator_id, afdeling_id, vaerdi in Maaling.objects.filter(
            runde=runde, afdeling__in=afdelinger
        ).values_list("indikator_id", "afdeling_id", "vaerdi")
    }
    measured = {indikator_id for indikator_id, _ in values}
    return [
        FigureRow(indikator, _cells(indikator, [values.get((indikator.pk, a.pk)) for a in afdelinger], staff))
        for indikator in options.indicators()
        # The counts and bases behind an official share are not figures of their own.
        if indikator.pk in measured and not indikator.is_basis
    ]


def _cells(indikator, row_values: list, staff: bool) -> list[str]:
    """One indicator's figures as the screening pages write them (counts and kroner whole, shares with
    their decimals and "%"), "–" where there is none and "< 5" for a small count shown to anyone but staff."""
    return [display.format_value(value, indikator, staff) for value in row_values]


@dataclass(frozen=True)
class Threshold:
    label: str
    value: Decimal


@dataclass(frozen=True)
class Trend:
    """One indicator over the rounds, one line per afdeling; None where a figure is missing or is a small
    count (the packs are read outside fsb, so small counts are never drawn)."""

    indikator: Indikator
    years: list[int]
    names: list[str]  # the afdelinger's numbers, in the order of `values`
    values: list[list[float | None]]  # per afdeling, per year
    thresholds: list[Threshold]


@dataclass(frozen=True)
class Trends:
    years: list[int]
    afdelinger: list
    trends: list[Trend]


def official_thresholds(indikator: Indikator, runde: Screeningsrunde) -> list[Threshold]:
    """The official criteria's limits for an indicator under the round's rule set: for the udsatte
    boligområder (for the non-western share: parallelsamfund) and the forebyggelsesområder. Criterion B is
    a multiple of the national share of the round."""
    if runde.regelsaet is None or not indikator.officiel:
        return []
    rule_set = runde.regelsaet.to_rule_set()
    udsat = "Parallelsamfund" if indikator.kode == "ikke_vestlige_pct" else "Udsat"
    lines = []
    for label, limits in ((udsat, rule_set.udsat), ("Forebyggelse", rule_set.forebyggelse)):
        if limits is None:
            continue
        if indikator.kode == "domfaeldte_pct":
            national = runde.landsgennemsnit_domfaeldte_pct
            value = limits.domfaeldte_faktor * national if national else None
        else:
            value = getattr(limits, indikator.kode, None)
        if value is not None:
            lines.append(Threshold(label, value))
    return lines


def trends(runde: Screeningsrunde, afdelinger) -> Trends | None:
    """The afdelinger's figures in the last TREND_ROUNDS final rounds up to `runde` (their latest), per
    indicator; None if there are fewer than two such rounds. Two queries: the rounds, their figures."""
    rounds = list(Screeningsrunde.objects.final().filter(aar__lte=runde.aar).order_by("-aar")[:TREND_ROUNDS])[
        ::-1
    ]
    if len(rounds) < 2:
        return None
    year_of = {r.pk: r.aar for r in rounds}
    years = [r.aar for r in rounds]
    values = {
        (year_of[runde_id], indikator_id, afdeling_id): vaerdi
        for runde_id, indikator_id, afdeling_id, vaerdi in Maaling.objects.filter(
            runde__in=rounds, afdeling__in=afdelinger
        ).values_list("runde_id", "indikator_id", "afdeling_id", "vaerdi")
    }
    measured = {indikator_id for _, indikator_id, _ in values}
    result = []
    for indikator in options.indicators():
        if indikator.pk not in measured or indikator.is_basis:
            continue
        lines = [
            [display.chart_value(values.get((year, indikator.pk, a.pk)), indikator, False) for year in years]
            for a in afdelinger
        ]
        names = [a.nummer for a in afdelinger]
        result.append(Trend(indikator, years, names, lines, official_thresholds(indikator, runde)))
    return Trends(years, afdelinger, result)
