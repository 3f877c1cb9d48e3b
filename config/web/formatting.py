"""Numbers and dates as Danish readers write them: the one formatter of pages, exports, messages and PDFs.

Written out rather than through django.utils.formats, which looks up the active language and its formats
again for every value. Template filters for these are in config/web/templatetags/formatting.py; templates
use them, not Django's humanize filters (a test keeps |intcomma and |floatformat out). Dates are shown with
Django's own |date filter; long_date and the other date functions write the same text for Python code.

A number is shown by its kind:

- a count: whole, thousands grouped, "12.345" (count);
- kroner in overviews and summaries: whole kroner, "1.234.567 kr." (kroner_whole);
- kroner in budgets, accounts and payments: to the øre, "1.234.567,50" in a column headed "kr." (kroner)
  or "1.234.567,50 kr." in a sentence (kroner_ore);
- a share: "12,3 %" (share), a threshold or a rate as stated: "12,5", "40" (percent);
- a masked count: "< 5" (below), a count only shown from a floor: "≥ 1.000" (at_least).

Shown text uses the typographic minus "−" (U+2212), as printed Danish does, and joins a number to its unit
or its sign with a non-breaking space, so "1.234 kr." or "≥ 1.000" never wraps. Files for machines (CSV and
XLSX) do not take their numbers from here: they write numbers as numbers, with a plain "-", so a spreadsheet
can sum them; tabular.parse_decimal reads "−" too, for a figure copied from a page. A missing value shows as
"–" (MISSING) in the functions by kind.
"""

from datetime import date as Date
from datetime import datetime as DateTime
from decimal import ROUND_HALF_EVEN, Decimal

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from config.formats.da import formats as danish

ORE = Decimal("0.01")
MINUS = "\u2212"
NBSP = "\u00a0"
MISSING = "–"
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
    """1234567.5 with 2 places -> '1.234.567,50', -1500 -> '−1.500'. Extra decimals are cut off, not rounded,
    and a number that shows as zero has no sign, as Django's number format does."""
    if abs(value) < Decimal(1).scaleb(-max(places, 1)):  # as Django: 0.1 for 0 places too
        value = Decimal(0)
    sign, digits = (MINUS, f"{-value:f}") if value < 0 else ("", f"{value:f}")
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
    text = f"{Decimal(value).normalize():f}".replace(".", danish.DECIMAL_SEPARATOR)
    return text.replace("-", MINUS)


def count(value: Decimal | int | float | str | None) -> str:
    """A count: 12345 -> '12.345'."""
    return MISSING if value is None else whole_number(value)


def kroner_whole(value: Decimal | int | float | str | None) -> str:
    """Kroner in an overview or a summary, without øre: 1234567.5 -> '1.234.568 kr.'."""
    return MISSING if value is None else f"{whole_number(value)}{NBSP}kr."


def kroner_ore(value: Decimal | int | str | None) -> str:
    """Kroner in a budget, an account or a payment, in a sentence: 1234567.5 -> '1.234.567,50 kr.'."""
    return MISSING if value is None else f"{kroner(value)}{NBSP}kr."


def share(value: Decimal | int | float | str | None, places: int = 1) -> str:
    """A share in per cent, rounded half to even: 12.34 -> '12,3 %'."""
    if value is None:
        return MISSING
    rounded = round(Decimal(value), places) if places else Decimal(value).quantize(_WHOLE, ROUND_HALF_EVEN)
    return f"{danish_number(rounded, places)}{NBSP}%"


def below(value: Decimal | int) -> str:
    """A count hidden below a floor: 5 -> '< 5'."""
    return f"<{NBSP}{whole_number(value)}"


def at_least(value: Decimal | int) -> str:
    """A floor a count must reach: 1000 -> '≥ 1.000'."""
    return f"≥{NBSP}{whole_number(value)}"


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


def decimals(value: Decimal | int | float, places: int) -> str:
    """Rounded half to even to `places` decimals, thousands grouped: 1.456 with 2 places -> '1,46'."""
    return danish_number(round(Decimal(value), places), places)


def one_decimal(value: Decimal | int | float) -> str:
    """Rounded half to even to one decimal, thousands grouped: 12.46 -> '12,5'."""
    return decimals(value, 1)


def long_datetime(value: DateTime) -> str:
    """'5. marts 2024 kl. 14:07', as |date:"j. F Y \\k\\l. H:i" (the caller gives local time)."""
    return f"{long_date(value)} kl. {value.hour:02d}:{value.minute:02d}"


def afdeling_labels(labels: list[str] | None) -> SafeString | str:
    """Afdelinger as «nummer navn» texts, joined by commas, each number kept on one line: an afdeling number
    such as "1101-3" would otherwise wrap at its hyphen on a phone. MISSING for none."""
    if not labels:
        return MISSING
    return format_html_join(
        ", ", '<span class="app-nowrap">{}</span>{}', (_number_and_rest(label) for label in labels)
    )


def _number_and_rest(label: str) -> tuple[str, str]:
    number, space, name = label.partition(" ")
    return number, space + name
