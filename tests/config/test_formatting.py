"""config.web.formatting gives the text that Django's number format and the project's earlier formatters gave,
with the typographic minus, and each kind of number as its docstring says."""

from datetime import date, datetime
from decimal import Decimal

from django.template import Context, Template
from django.template.defaultfilters import date as djangos_date
from django.utils import numberformat, translation
from hypothesis import given
from hypothesis import strategies as st

from config.web.formatting import (
    MINUS,
    at_least,
    below,
    count,
    danish_number,
    decimals,
    figure,
    kroner,
    kroner_ore,
    kroner_whole,
    long_date,
    long_datetime,
    month_and_year,
    numeric_date,
    numeric_datetime,
    one_decimal,
    percent,
    share,
    whole_number,
)
from config.web.tabular import parse_decimal

NUMBERS = st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=4)


def djangos(value, places):
    return numberformat.format(value, ",", places, 3, ".", force_grouping=True).replace("-", MINUS)


# How amounts, whole numbers and figures were written before there was one formatter (finansiering's
# format_kr, the packs' kr_int and kr_num).
def earlier_kr(value: Decimal) -> str:
    text = f"{Decimal(value).quantize(Decimal('0.01')):,.2f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".").replace("-", MINUS)


def earlier_whole(value) -> str:
    return f"{round(Decimal(value)):,}".replace(",", ".").replace("-", MINUS)


def earlier_figure(value) -> str:
    whole, comma, decimals = f"{Decimal(value).normalize():f}".replace(".", ",").partition(",")
    sign = MINUS if whole.startswith("-") else ""
    return f"{sign}{earlier_whole(whole.lstrip('-'))}{comma}{decimals}"


@given(value=NUMBERS, places=st.integers(min_value=0, max_value=2))
def test_danish_number_is_djangos_number_format(value, places):
    assert danish_number(value, places) == djangos(value, places)


@given(value=st.integers(min_value=-(10**9), max_value=10**9), places=st.integers(min_value=0, max_value=2))
def test_whole_numbers(value, places):
    assert danish_number(value, places) == djangos(value, places)


@given(value=NUMBERS)
def test_kroner_as_before(value):
    # An amount that rounds to a negative zero showed as "-0,00"; it is "0,00" now, as Django shows it.
    if value.quantize(Decimal("0.01")) != 0:
        assert kroner(value) == earlier_kr(value)


@given(value=NUMBERS)
def test_whole_number_as_before(value):
    assert whole_number(value) == earlier_whole(value)


@given(value=NUMBERS)
def test_figure_as_before(value):
    if value != 0:
        assert figure(value) == earlier_figure(value)


def test_examples():
    assert danish_number(Decimal("1234567.5"), 2) == "1.234.567,50"
    assert danish_number(Decimal("12.79"), 1) == "12,7"  # cut off, not rounded, as Django does
    assert danish_number(Decimal("-0.04"), 1) == "0,0"
    assert danish_number(Decimal("-1500"), 0) == "\u22121.500"
    assert danish_number(Decimal("0.25"), 0) == "0"
    assert kroner(Decimal("1234567.5")) == "1.234.567,50"
    assert kroner(Decimal("-0.004")) == "0,00"
    assert whole_number(12345.5) == "12.346"
    figures = [figure(Decimal(v)) for v in ("1050", "12.50", "-1234.5", "0")]
    assert figures == ["1.050", "12,5", "\u22121.234,5", "0"]
    assert [percent(Decimal(v)) for v in ("12.5000", "100.000", "1050")] == ["12,5", "100", "1050"]
    one_decimals = [one_decimal(v) for v in (12.46, 10.96, Decimal("1234.5"), 3)]
    assert one_decimals == ["12,5", "11,0", "1.234,5", "3,0"]


@given(value=st.dates(min_value=date(1, 1, 1)))
def test_dates_as_djangos_date_filter(value):
    with translation.override("da"):
        assert long_date(value) == djangos_date(value, "j. F Y") == djangos_date(value)
        assert numeric_date(value) == djangos_date(value, "d.m.Y")
        assert month_and_year(value) == djangos_date(value, "F Y")


@given(value=st.datetimes(min_value=datetime(1, 1, 1)))
def test_datetimes_as_djangos_date_filter(value):
    with translation.override("da"):
        assert long_datetime(value) == djangos_date(value, r"j. F Y \k\l. H:i")
        assert numeric_datetime(value) == djangos_date(value, r"d.m.Y \k\l. H:i")
        assert numeric_date(value) == djangos_date(value, "d.m.Y")


def test_every_month():
    with translation.override("da"):
        for month in range(1, 13):
            assert long_date(date(2026, month, 1)) == djangos_date(date(2026, month, 1), "j. F Y")


# The kinds of number. "\u00a0" is the non-breaking space between a number and its unit or sign.


def test_counts():
    assert [count(v) for v in (12345, Decimal("1234.5"), 0, -1500, None)] == [
        "12.345",
        "1.234",
        "0",
        "−1.500",
        "–",
    ]


def test_kroner_in_overviews_have_no_ore():
    amounts = (Decimal("1234567.50"), Decimal("1234567.51"), 0, Decimal("-2500.4"), None)
    assert [kroner_whole(v) for v in amounts] == [
        "1.234.568\u00a0kr.",
        "1.234.568\u00a0kr.",
        "0\u00a0kr.",
        "−2.500\u00a0kr.",
        "–",
    ]


def test_kroner_in_budgets_and_accounts_have_ore():
    assert [kroner(v) for v in (Decimal("1234567.5"), 0, Decimal("-12.345"))] == [
        "1.234.567,50",
        "0,00",
        "−12,34",
    ]
    assert [kroner_ore(v) for v in (Decimal("1234567.5"), None)] == ["1.234.567,50\u00a0kr.", "–"]


def test_shares():
    assert [share(v) for v in (Decimal("12.34"), Decimal("12.35"), 0, -3, None)] == [
        "12,3\u00a0%",
        "12,4\u00a0%",
        "0,0\u00a0%",
        "−3,0\u00a0%",
        "–",
    ]
    assert share(Decimal("99.5"), 0) == "100\u00a0%"
    assert [percent(v) for v in (Decimal("40"), Decimal("-2.5"))] == ["40", "−2,5"]


def test_masked_and_floor_counts():
    assert below(5) == "<\u00a05"
    assert at_least(1000) == "≥\u00a01.000"


def test_decimals():
    assert [decimals(v, 2) for v in (Decimal("1.456"), Decimal("-0.001"), 2)] == ["1,46", "0,00", "2,00"]


def test_a_figure_copied_from_a_page_reads_back():
    assert parse_decimal(decimals(-1500, 1)) == Decimal("-1500.0")
    assert parse_decimal(kroner(Decimal("-1234.5"))) == Decimal("-1234.50")


def test_filters_by_kind():
    template = Template(
        "{% load formatting %}{{ n|count }}|{{ a|kr_whole }}|{{ a|kr_ore }}|{{ s|share }}|{{ s|share:0 }}|"
        "{{ n|at_least }}|{{ missing|count }}|{{ missing|kr }}|{{ r|decimals:1 }}"
    )
    text = template.render(
        Context({"n": 1000, "a": Decimal("-1234.5"), "s": Decimal("40"), "missing": None, "r": 2.25})
    )
    assert text == ("1.000|−1.234\u00a0kr.|−1.234,50\u00a0kr.|40,0\u00a0%|40\u00a0%|≥\u00a01.000|–||2,2")
