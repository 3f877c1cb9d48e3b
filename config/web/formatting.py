"""Numbers and dates as Danish readers write them: the one formatter of pages, exports, messages and PDFs.

Written out rather than through django.utils.formats, which looks up the active language and its formats
again for every value. Pages that use Django's own filters (|intcomma, |floatformat, |date) get the same text:
tests/config/test_formatting.py holds each function here to the Django filter or format it stands for.
Template filters for these are in config/web/templatetags/formatting.py.
"""

from datetime import date as Date
from datetime import datetime as DateTime
from decimal import ROUND_HALF_EVEN, Decimal

from config.formats.da import formats as danish

ORE = Decimal("0.01")
_WHOLE = Decimal(1)
MONTHS = (
    "januar",
    "februar",
    "marts",
    "april",
    "maj",
    "juni",
    "juli",
    "august",
    "september",
    "oktober",
    "november",
    "december",
)


def danish_number(value: Decimal | int, places: int) -> str:
    """1234567.5 with 2 places -> '1.234.567,50'. Extra decimals are cut off, not rounded, and a number that
    shows as zero has no sign, as Django's number format does."""
    if abs(value) < Decimal(1).scaleb(-max(places, 1)):  # as Django: 0.1 for 0 places too
        value = Decimal(0)
    sign, digits = ("-", f"{-value:f}") if value < 0 else ("", f"{value:f}")
    whole, _, fraction = digits.partition(".")
    text = sign + f"{int(whole):,}".replace(",", danish.THOUSAND_SEPARATOR)
    if places:
        text += danish.DECIMAL_SEPARATOR + fraction[:places].ljust(places, "0")
    return text


def kroner(value: Decimal | int | str) -> str:
    """An amount to the øre: 1234567.5 -> '1.234.567,50' (rounded half to even to the øre)."""
    return danish_number(Decimal(value).quantize(ORE), 2)


def whole_number(value: Decimal | int | float | str) -> str:
    """Rounded half to even to a whole number, thousands grouped: 12345.5 -> '12.346'."""
    return danish_number(Decimal(value).quantize(_WHOLE, ROUND_HALF_EVEN), 0)


def figure(value: Decimal | int | str) -> str:
    """A figure with the decimals it has and no trailing zeros, thousands grouped: 1050 -> '1.050',
    12.50 -> '12,5'."""
    value = Decimal(value).normalize()
    return danish_number(value, max(0, -value.as_tuple().exponent))


def percent(value: Decimal | int | str) -> str:
    """A percentage or a number of points with the decimals it has and no trailing zeros, not grouped:
    12.5 -> '12,5', 100.000 -> '100'."""
    return f"{Decimal(value).normalize():f}".replace(".", danish.DECIMAL_SEPARATOR)


def long_date(value: Date) -> str:
    """'5. marts 2024', as |date:"j. F Y" (Django's default date format in Danish)."""
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year:04d}"


def numeric_date(value: Date) -> str:
    """'05.03.2024', as |date:"d.m.Y"."""
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def month_and_year(value: Date) -> str:
    """'marts 2024', as |date:"F Y"."""
    return f"{MONTHS[value.month - 1]} {value.year:04d}"


def numeric_datetime(value: DateTime) -> str:
    """'05.03.2024 kl. 14:07', as |date:"d.m.Y \\k\\l. H:i" (the caller gives local time)."""
    return f"{numeric_date(value)} kl. {value.hour:02d}:{value.minute:02d}"


def one_decimal(value: Decimal | int | float) -> str:
    """Rounded half to even to one decimal, thousands grouped: 12.46 -> '12,5'."""
    return danish_number(round(Decimal(value), 1), 1)


def long_datetime(value: DateTime) -> str:
    """'5. marts 2024 kl. 14:07', as |date:"j. F Y \\k\\l. H:i" (the caller gives local time)."""
    return f"{long_date(value)} kl. {value.hour:02d}:{value.minute:02d}"
