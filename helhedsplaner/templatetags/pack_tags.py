"""Danish number formats and the charts for the PDF packs (money comes from finansiering's `kr` and `pct`)."""

from decimal import Decimal

from django import template

from finansiering.allocation import format_pct
from finansiering.templatetags.finansiering import kr, pct, values_for
from helhedsplaner import charts

register = template.Library()
register.filter("kr", kr)
register.filter("pct", pct)
register.filter("values_for", values_for)


@register.filter
def kr_int(value):
    """12345 -> '12.345'; empty for None."""
    if value is None or value == "":
        return ""
    return f"{round(Decimal(value)):,}".replace(",", ".")


@register.filter
def kr_num(value):
    """12.50 -> '12,5', 1050 -> '1.050'; empty for None."""
    if value is None or value == "":
        return ""
    whole, comma, decimals = format_pct(Decimal(value)).partition(",")
    sign = "-" if whole.startswith("-") else ""
    return f"{sign}{kr_int(whole.lstrip('-'))}{comma}{decimals}"


def _amount(value) -> str:
    """Whole kroner with Danish grouping: 1.250.000 kr."""
    return f"{kr_int(value)} kr."


def _axis_amount(value: float) -> str:
    """Axis labels: 1,5 mio. / 750.000 / 0."""
    if value >= 1_000_000:
        return f"{format_pct(Decimal(value / 1_000_000).quantize(Decimal('0.01')))} mio."
    return kr_int(value)


def _figure(value) -> str:
    return "–" if value is None else format_pct(Decimal(value).quantize(Decimal("0.01")))


@register.filter
def budget_chart(budget):
    """The budget per year, stacked by indsatsområde."""
    series = [charts.Series(name, amounts) for name, amounts, _total in budget.rows]
    years = [str(year) for year in budget.years]
    desc = "Budgettet pr. år: " + "; ".join(
        f"{year}: {_amount(total)}" for year, total in zip(years, budget.totals, strict=True)
    )
    return charts.stacked_columns(
        "Budget pr. år og indsatsområde", desc, years, series, _amount, _axis_amount
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
