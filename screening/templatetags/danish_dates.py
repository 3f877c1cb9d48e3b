"""Django's |date filter, with the formats the pages use written out directly: the same text, faster.

Django's filter builds a formatter and asks the active language for its month names for every date it shows;
the staff start page shows 40 dates and a board member's list as many, and that costs more than the rest of
a row. Settings add this library to every template as a builtin, so `|date` is this filter everywhere; any
other format, another language or a value that is not a date goes to Django's own filter.
tests/screening/test_danish_dates.py holds the two to the same text.
"""

from datetime import date as Date
from datetime import datetime as DateTime

from django import template
from django.template.defaultfilters import date as djangos_date
from django.utils import translation

from config.formats.da import formats as danish

register = template.Library()

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


def _day_month_year(value: Date) -> str:
    return f"{value.day}. {MONTHS[value.month - 1]} {value.year:04d}"


def _numeric(value: Date) -> str:
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def _with_time(value: DateTime) -> str:
    return f"{_day_month_year(value)} kl. {value.hour:02d}:{value.minute:02d}"


DATE_FORMATS = {"j. F Y": _day_month_year, "d.m.Y": _numeric}
DATETIME_FORMATS = {**DATE_FORMATS, r"j. F Y \k\l. H:i": _with_time}


@register.filter(expects_localtime=True, is_safe=False)
def date(value, arg=None):
    if translation.get_language() == "da":
        danish_format = danish.DATE_FORMAT if arg is None else arg  # no format: the date format, as Django's
        if isinstance(value, DateTime):
            if danish_format in DATETIME_FORMATS:
                return DATETIME_FORMATS[danish_format](value)
        elif isinstance(value, Date) and danish_format in DATE_FORMATS:
            return DATE_FORMATS[danish_format](value)
    return djangos_date(value, arg)
