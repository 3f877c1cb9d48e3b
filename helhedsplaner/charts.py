"""Charts for the PDF packs as inline SVG, drawn here in Python: a PDF runs no JavaScript.

Every text that goes into the markup is escaped. Each chart is an image with a <title> and a <desc>
for screen readers, and the figures it draws are also printed in a table next to it.
Sizes are in SVG user units (1 unit = 1 CSS px = 0.75 pt); the stylesheet scales a chart to the text width.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH = 640
GOAL_WIDTH = 320
FONT = 'font-family="IBM Plex Sans, sans-serif"'
TEXT = "#1a1a1a"
MUTED = "#595959"
GRID = "#d9d9d9"
# fsb blue first; then colours that stay apart in grey print.
SERIES_COLOURS = ("#004993", "#6fa8dc", "#e0a030", "#7a9a3a", "#8e5ea2", "#b04040")


@dataclass(frozen=True)
class Bar:
    label: str
    value: Decimal | int | float
    colour: str = SERIES_COLOURS[0]


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[Decimal | int | float | None]


def _number(value) -> float:
    return float(value or 0)


def _svg(title: str, desc: str, height: int, body: list[str], width: int = WIDTH) -> SafeString:
    # The <title> as first child is the image's accessible name, the <desc> its description.
    return mark_safe(  # noqa: S308 - every text in the markup is escaped (_text and here)
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}">'
        f"<title>{escape(title)}</title><desc>{escape(desc)}</desc>" + "".join(body) + "</svg>"
    )


def _text(x, y, text, *, size=11, anchor="start", colour=TEXT, weight=400) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" {FONT} font-size="{size}" font-weight="{weight}" '
        f'text-anchor="{anchor}" fill="{colour}">{escape(text)}</text>'
    )


def _nice_max(value: float) -> float:
    """A round number at or above value, for the top of an axis: 1, 2, 2.5 or 5 times a power of ten."""
    if value <= 0:
        return 1.0
    power = 10 ** (len(str(int(value))) - 1) if value >= 1 else 1
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return step * power
    return 10 * power


def _round_range(smallest: float, largest: float) -> tuple[float, float]:
    """An axis from a round number below `smallest` in two round steps to at least `largest`."""
    step = max((largest - smallest) / 2, abs(largest) / 20, 0.01)
    power = 10 ** math.floor(math.log10(step))
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= step)
    while True:
        low = math.floor(smallest / step) * step
        if low + 2 * step >= largest:
            return low, low + 2 * step
        step = next(m * power for m in (1, 2, 2.5, 5, 10, 20, 25, 50, 100) if m * power > step)


def bar_chart(title: str, desc: str, bars: Sequence[Bar], fmt: Callable[[object], str]) -> SafeString:
    """Horizontal bars, one per label, with the value printed at the end of each bar."""
    label_width, value_width, row, top = 210, 90, 22, 6
    height = top + row * len(bars) + 6
    largest = max((_number(bar.value) for bar in bars), default=0) or 1
    span = WIDTH - label_width - value_width
    body = []
    for index, bar in enumerate(bars):
        y = top + index * row
        length = span * _number(bar.value) / largest
        body.append(_text(label_width - 8, y + 14, bar.label, anchor="end"))
        body.append(
            f'<rect x="{label_width}" y="{y + 3}" width="{length:.1f}" height="{row - 8}" '
            f'fill="{bar.colour}"/>'
        )
        body.append(_text(label_width + length + 6, y + 14, fmt(bar.value), colour=MUTED))
    return _svg(title, desc, height, body)


def _legend(series_names: Sequence[str], y: int) -> list[str]:
    body, x = [], 60
    for index, name in enumerate(series_names):
        colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
        body.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{colour}"/>')
        body.append(_text(x + 14, y, name, size=10))
        x += 24 + 6.2 * len(name)
        if x > WIDTH - 120:
            x, y = 60, y + 16
    return body


def _legend_height(series_names: Sequence[str]) -> int:
    lines, x = 1, 60
    for name in series_names:
        x += 24 + 6.2 * len(name)
        if x > WIDTH - 120:
            lines, x = lines + 1, 60
    return 16 * lines + 8


def stacked_columns(
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    fmt: Callable[[object], str],
    axis_fmt: Callable[[float], str],
) -> SafeString:
    """One column per category (a year), stacked by series (an indsatsområde), with the total on top."""
    left, plot_top, plot_height = 60, 18, 200
    legend_top = plot_top + plot_height + 34
    height = legend_top + _legend_height([s.name for s in series])
    totals = [sum(_number(s.values[i]) for s in series) for i in range(len(categories))]
    top_value = _nice_max(max(totals, default=0))
    slot = (WIDTH - left - 10) / max(len(categories), 1)
    column = min(slot * 0.6, 80)
    body = []
    for step in range(5):
        value = top_value * step / 4
        y = plot_top + plot_height - plot_height * step / 4
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{WIDTH - 10}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 6, y + 4, axis_fmt(value), size=9, anchor="end", colour=MUTED))
    for index, category in enumerate(categories):
        x = left + slot * index + (slot - column) / 2
        base = plot_top + plot_height
        for series_index, item in enumerate(series):
            part = plot_height * _number(item.values[index]) / top_value
            colour = SERIES_COLOURS[series_index % len(SERIES_COLOURS)]
            body.append(
                f'<rect x="{x:.1f}" y="{base - part:.1f}" width="{column:.1f}" height="{part:.1f}" '
                f'fill="{colour}"/>'
            )
            base -= part
        centre = x + column / 2
        body.append(_text(centre, base - 4, fmt(totals[index]), size=9, anchor="middle", colour=MUTED))
        body.append(_text(centre, plot_top + plot_height + 16, category, anchor="middle"))
    body += _legend([s.name for s in series], legend_top)
    return _svg(title, desc, height, body)


def target_chart(
    title: str,
    desc: str,
    years: Sequence[int],
    targets: Sequence[Decimal | None],
    measured: Sequence[Decimal | None],
    baseline: Decimal | None,
    fmt: Callable[[object], str],
) -> SafeString:
    """A goal over the years: the target per year as a dashed line, what was measured as a solid line,
    and the baseline as a grey line. Drawn half as wide as the other charts, to stand two in a row;
    the axis spans the figures rather than starting at 0, since a goal moves a few points at a time."""
    width, left, right, plot_top, plot_height = GOAL_WIDTH, 44, 10, 10, 100
    legend_top = plot_top + plot_height + 34
    height = legend_top + 8
    values = [_number(v) for v in (*targets, *measured, baseline) if v is not None]
    low, high = _round_range(min(values, default=0), max(values, default=1))
    slot = (width - left - right) / max(len(years), 1)

    def y_of(value) -> float:
        return plot_top + plot_height - plot_height * (_number(value) - low) / (high - low)

    body = []
    for step in range(3):
        value = low + (high - low) * step / 2
        y = y_of(value)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 5, y + 4, fmt(value), size=9, anchor="end", colour=MUTED))
    legend = [("Mål", SERIES_COLOURS[2])]
    if baseline is not None:
        y = y_of(baseline)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{MUTED}"/>')
    for values, colour, dash in (
        (targets, SERIES_COLOURS[2], ' stroke-dasharray="6 4"'),
        (measured, SERIES_COLOURS[0], ""),
    ):
        points = [(left + slot * (i + 0.5), y_of(v)) for i, v in enumerate(values) if v is not None]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            body.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"{dash}/>')
        body += [f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3.5" fill="{colour}"/>' for x, y in points]
    if any(v is not None for v in measured):
        legend.append(("Målt", SERIES_COLOURS[0]))
    if baseline is not None:
        legend.append(("Udgangspunkt", MUTED))
    for index, year in enumerate(years):
        x = left + slot * (index + 0.5)
        body.append(_text(x, plot_top + plot_height + 16, str(year), size=10, anchor="middle"))
    x = left
    for name, colour in legend:
        body.append(f'<rect x="{x}" y="{legend_top - 9}" width="10" height="10" fill="{colour}"/>')
        body.append(_text(x + 14, legend_top, name, size=10))
        x += 30 + 6 * len(name)
    return _svg(title, desc, height, body, width)


# The lines of a trend chart: each afdeling a colour and a dash pattern, so a dozen stay apart in grey print.
LINE_DASHES = ("", "6 3", "1.5 2.5")


def line_style(index: int) -> tuple[str, str]:
    """The colour and stroke-dasharray ("" for solid) of the index-th line."""
    colour = SERIES_COLOURS[index % len(SERIES_COLOURS)]
    dash = LINE_DASHES[(index // len(SERIES_COLOURS)) % len(LINE_DASHES)]
    return colour, dash


def _dash(dash: str) -> str:
    return f' stroke-dasharray="{dash}"' if dash else ""


def _segments(points: Sequence[tuple[float, float] | None]) -> list[list[tuple[float, float]]]:
    """Runs of points without a gap: a missing figure breaks the line rather than being bridged."""
    runs, run = [], []
    for point in points:
        if point is None:
            run = []
            continue
        if not run:
            runs.append(run)
        run.append(point)
    return runs


def _tight_max(value: float) -> float:
    """A round number at or above value, in finer steps than _nice_max: a share of 51 % gets an axis to 60,
    not to 100, so its changes stay visible."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10) if value <= m * power)


def _axis(values: Sequence[float], zero_based: bool, whole: bool) -> tuple[float, float, list[float]]:
    """The axis's bottom, top and gridline values. Counts and shares start at 0, so a small change does not
    look like a large one; a count's gridlines are whole numbers."""
    if zero_based:
        low, high = 0.0, _tight_max(max(values, default=0))
        if whole:
            high = max(math.ceil(high), 2.0)
    else:
        low, high = _round_range(min(values, default=0), max(values, default=1))
    middle = (low + high) / 2
    ticks = [low, middle, high] if not whole or middle == int(middle) else [low, high]
    return low, high, ticks


def trend_chart(
    title: str,
    desc: str,
    years: Sequence[int],
    lines: Sequence[Sequence[float | None]],
    thresholds: Sequence[tuple[str, float]],
    fmt: Callable[[float], str],
    *,
    zero_based: bool,
    whole: bool,
) -> SafeString:
    """Values over the years, one line of straight segments per series (styled by line_style; the legend
    is drawn apart), with the official thresholds as labelled grey lines. Half as wide as the other
    charts, to stand two in a row."""
    width, left, right, plot_top, plot_height = GOAL_WIDTH, 40, 48, 10, 110
    height = plot_top + plot_height + 24
    numbers = [v for line in lines for v in line if v is not None] + [float(v) for _label, v in thresholds]
    low, high, ticks = _axis(numbers, zero_based, whole)
    slot = (width - left - right) / max(len(years), 1)

    def y_of(value: float) -> float:
        return plot_top + plot_height - plot_height * (value - low) / (high - low)

    body = []
    for value in ticks:
        y = y_of(value)
        body.append(f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(_text(left - 5, y + 4, fmt(value), size=9, anchor="end", colour=MUTED))
    for label, value in thresholds:
        y = y_of(float(value))
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" stroke="{MUTED}" '
            'stroke-width="1" stroke-dasharray="2 2"/>'
        )
        body.append(_text(width - right + 4, y + 3, label, size=8, colour=MUTED))
    for index, line in enumerate(lines):
        colour, dash = line_style(index)
        points = [None if v is None else (left + slot * (i + 0.5), y_of(v)) for i, v in enumerate(line)]
        for run in _segments(points):
            if len(run) > 1:
                path = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
                style = f'fill="none" stroke="{colour}" stroke-width="1.5"{_dash(dash)}'
                body.append(f'<polyline points="{path}" {style}/>')
            else:  # a figure between two gaps is a dot (the lines need no markers: they bend only at a year)
                x, y = run[0]
                body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{colour}"/>')
    for index, year in enumerate(years):
        x = left + slot * (index + 0.5)
        body.append(_text(x, plot_top + plot_height + 16, str(year), size=10, anchor="middle"))
    return _svg(title, desc, height, body, width)


def line_legend(title: str, names: Sequence[str]) -> SafeString:
    """The key to the trend charts' lines: a sample of each line_style with its name, in three columns."""
    columns, row = 3, 18
    column_width = (WIDTH - 10) / columns
    height = row * math.ceil(len(names) / columns) + 4
    body = []
    for index, name in enumerate(names):
        colour, dash = line_style(index)
        x = 5 + column_width * (index % columns)
        y = 4 + row * (index // columns) + 9
        body.append(
            f'<line x1="{x:.1f}" y1="{y:.1f}" x2="{x + 28:.1f}" y2="{y:.1f}" stroke="{colour}" '
            f'stroke-width="2"{_dash(dash)}/>'
        )
        body.append(_text(x + 34, y + 4, name, size=10))
    return _svg(title, ", ".join(names), height, body)
