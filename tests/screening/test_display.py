"""The screening's own Danish number format gives what Django's number format gives, for any figure."""

from decimal import Decimal

from django.utils import numberformat
from hypothesis import given
from hypothesis import strategies as st

from config.web.formatting import danish_number


def djangos(value, places):
    return numberformat.format(value, ",", places, 3, ".", force_grouping=True)


@given(
    value=st.decimals(min_value=-(10**9), max_value=10**9, allow_nan=False, allow_infinity=False, places=4),
    places=st.integers(min_value=0, max_value=2),
)
def test_same_as_djangos_number_format(value, places):
    assert danish_number(value, places) == djangos(value, places)


@given(value=st.integers(min_value=-(10**9), max_value=10**9), places=st.integers(min_value=0, max_value=2))
def test_whole_numbers(value, places):
    assert danish_number(value, places) == djangos(value, places)


def test_examples():
    assert danish_number(Decimal("1234567.5"), 2) == "1.234.567,50"
    assert danish_number(Decimal("12.79"), 1) == "12,7"  # cut off, not rounded, as Django does
    assert danish_number(Decimal("-0.04"), 1) == "0,0"
    assert danish_number(Decimal("-1500"), 0) == "-1.500"
    assert danish_number(Decimal("0.25"), 0) == "0"
