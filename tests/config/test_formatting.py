"""config.web.formatting gives the text that Django's filters and the project's earlier formatters gave."""

from datetime import date, datetime
from decimal import Decimal

from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import date as djangos_date
from django.utils import numberformat, translation
from hypothesis import given
from hypothesis import strategies as st

from config.web.formatting import (
    danish_number,
    figure,
    kroner,
    long_date,
    long_datetime,
    month_and_year,
    numeric_date,
    numeric_datetime,
    one_decimal,
    percent,
    whole_number,
)

NUMBERS = st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=4)


def djangos(value, places):
    return numberformat.format(value, ",", places, 3, ".", force_grouping=True)


# How amounts, whole numbers and figures were written before there was one formatter (finansiering's
# format_kr, the packs' kr_int and kr_num).
def earlier_kr(value: Decimal) -> str:
    text = f"{Decimal(value).quantize(Decimal('0.01')):,.2f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def earlier_whole(value) -> str:
    return f"{round(Decimal(value)):,}".replace(",", ".")


def earlier_figure(value) -> str:
    whole, comma, decimals = f"{Decimal(value).normalize():f}".replace(".", ",").partition(",")
    sign = "-" if whole.startswith("-") else ""
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
def test_whole_number_as_before_and_as_intcomma(value):
    assert whole_number(value) == earlier_whole(value)
    with translation.override("da"):
        assert whole_number(int(value)) == intcomma(int(value))


@given(value=NUMBERS)
def test_figure_as_before(value):
    if value != 0:
        assert figure(value) == earlier_figure(value)


def test_examples():
    assert danish_number(Decimal("1234567.5"), 2) == "1.234.567,50"
    assert danish_number(Decimal("12.79"), 1) == "12,7"  # cut off, not rounded, as Django does
    assert danish_number(Decimal("-0.04"), 1) == "0,0"
    assert danish_number(Decimal("-1500"), 0) == "-1.500"
    assert danish_number(Decimal("0.25"), 0) == "0"
    assert kroner(Decimal("1234567.5")) == "1.234.567,50"
    assert kroner(Decimal("-0.004")) == "0,00"
    assert whole_number(12345.5) == "12.346"
    figures = [figure(Decimal(v)) for v in ("1050", "12.50", "-1234.5", "0")]
    assert figures == ["1.050", "12,5", "-1.234,5", "0"]
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
