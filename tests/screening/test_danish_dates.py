"""`|date` (screening.templatetags.danish_dates) gives the same text as Django's own date filter."""

from datetime import date, datetime

from django.template import Context, Template
from django.template.defaultfilters import date as djangos_date
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from screening.templatetags.danish_dates import DATE_FORMATS, DATETIME_FORMATS
from screening.templatetags.danish_dates import date as danish_date

OTHER_FORMATS = ["F Y", "j. M Y", "Y", None]


@given(value=st.dates(min_value=date(1, 1, 1)), arg=st.sampled_from([*DATE_FORMATS, *OTHER_FORMATS]))
def test_dates(value, arg):
    with translation.override("da"):
        assert danish_date(value, arg) == djangos_date(value, arg)


@given(
    value=st.datetimes(min_value=datetime(1, 1, 1)), arg=st.sampled_from([*DATETIME_FORMATS, *OTHER_FORMATS])
)
def test_datetimes(value, arg):
    with translation.override("da"):
        assert danish_date(value, arg) == djangos_date(value, arg)


def test_every_month_and_other_values():
    with translation.override("da"):
        for month in range(1, 13):
            assert danish_date(date(2026, month, 1), "j. F Y") == djangos_date(date(2026, month, 1), "j. F Y")
        assert danish_date("", "d.m.Y") == ""
        assert danish_date(None, "d.m.Y") == ""
    with translation.override("en"):
        assert danish_date(date(2026, 3, 4), "j. F Y") == "4. March 2026"
        assert danish_date(date(2026, 3, 4)) == djangos_date(date(2026, 3, 4))


def test_templates_use_it():
    html = Template('{{ day|date:"j. F Y" }}').render(Context({"day": date(2026, 11, 26)}))
    assert html == "26. november 2026"
