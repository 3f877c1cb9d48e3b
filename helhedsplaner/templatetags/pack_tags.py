"""The charts of the PDF packs (their numbers are written by config.web.formatting, as the packs' text is)."""

from decimal import Decimal

from django import template

from config.web.formatting import figure, kroner_whole, percent, whole_number
from finansiering.templatetags.finansiering import values_for
from helhedsplaner import charts
from screening.models import Indikator

register = template.Library()
register.filter("values_for", values_for)


def _axis_amount(value: float) -> str:
    """Axis labels: 1,5 mio. / 750.000 / 0."""
    if value >= 1_000_000:
        return f"{percent(Decimal(value / 1_000_000).quantize(Decimal('0.01')))} mio."
    return whole_number(value)


def _figure(value) -> str:
    return "–" if value is None else percent(Decimal(value).quantize(Decimal("0.01")))


@register.filter
def budget_chart(budget):
    """The budget per year, stacked by indsatsområde."""
    series = [charts.Series(group.navn, group.amounts) for group in budget.groups]
    years = [str(year) for year in budget.years]
    desc = "Budgettet pr. år: " + "; ".join(
        f"{year}: {kroner_whole(total)}" for year, total in zip(years, budget.totals, strict=True)
    )
    return charts.stacked_columns(
        "Budget pr. år og indsatsområde", desc, years, series, kroner_whole, _axis_amount
    )


@register.filter
def goal_chart(maalsaetning):
    """A goal's target per year against what was measured (needs the goal's maaltal prefetched)."""
    maaltal = sorted(maalsaetning.maaltal.all(), key=lambda t: t.aar)
    years = [t.aar for t in maaltal]
    name = f"{maalsaetning.indikator.navn} ({maalsaetning.indikator.enhed})"
    desc = f"Udgangspunkt {_figure(maalsaetning.baseline)}. " + "; ".join(
        f"{t.aar}: mål {_figure(t.maal)}, målt {_figure(t.maalt)}" for t in maaltal
    )
    return charts.target_chart(
        name,
        desc,
        years,
        [t.maal for t in maaltal],
        [t.maalt for t in maaltal],
        maalsaetning.baseline,
        _figure,
    )


@register.filter
def count_chart(counts, title):
    """How many fall in each class (a list of screening_report.Count)."""
    bars = [charts.Bar(c.label, c.antal, c.colour) for c in counts]
    desc = "; ".join(f"{c.label}: {c.antal}" for c in counts)
    return charts.bar_chart(title, desc, bars, str)


@register.filter
def trend_chart(trend):
    """An indicator over the last rounds, a line per afdeling, with the official thresholds
    (screening_figures.Trend)."""
    indikator = trend.indikator

    def fmt(value: float) -> str:
        """Axis and threshold figures: 40, 2,5, 1.200."""
        return figure(Decimal(value).quantize(Decimal("0.01")))

    def text(value) -> str:
        return "–" if value is None else fmt(value) + indikator.unit_suffix

    desc = "; ".join(
        f"{name}: " + ", ".join(f"{year} {text(v)}" for year, v in zip(trend.years, values, strict=True))
        for name, values in zip(trend.names, trend.values, strict=True)
    )
    return charts.trend_chart(
        indikator.navn,
        desc,
        trend.years,
        trend.values,
        # The caption says which limit is which; limits of the same value are one line.
        [(text(value), value) for value in sorted({float(t.value) for t in trend.thresholds})],
        fmt,
        zero_based=indikator.enhed in (Indikator.Enhed.ANTAL, Indikator.Enhed.ANDEL),
        whole=indikator.is_count,
    )


@register.filter
def trend_legend(trends):
    """The key to the trend charts' lines: the afdelinger (screening_figures.Trends)."""
    return charts.line_legend(
        "Afdelingerne i udviklingsgraferne", [f"{a.nummer} {a.navn}" for a in trends.afdelinger]
    )
