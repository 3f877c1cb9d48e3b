"""How screening figures are shown: Danish number formats, and small counts hidden from all but staff.

DOMAIN.md: a count under 5 can point at a person (one eviction in a small afdeling), so anyone but fsb's
staff sees "< 5" instead of the number, and a change involving such a count is not shown either.
"""

from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat, JSONObject, NullIf, Trim
from django.urls import reverse

from config.formats.da import formats as danish
from screening.models import Indikator
from screening.roles import is_medarbejder

SMALL_COUNT = 5
HIDDEN = "< 5"


def pk_address_parts(name: str) -> tuple[str, str]:
    """The address of the view `name` for an object as the text before and after its pk, so a page of rows
    reverses it once instead of once per row (some 30 µs each): f"{before}{pk}{after}"."""
    before, after = reverse(name, args=[0]).rsplit("0", 1)
    return before, after


def person_subquery(user_id: str) -> Subquery:
    """The user whose id is in the outer column `user_id` as one value {username, first_name, last_name}: a
    list looks the names up for the rows it shows instead of joining every user. person_name() writes it."""
    users = get_user_model().objects.filter(pk=OuterRef(user_id))
    return Subquery(
        users.values(person=JSONObject(username="username", first_name="first_name", last_name="last_name"))
    )


def person_name(person: dict) -> str:
    """A person_subquery() value's name, as User.get_full_name(), or the user name when there is no name."""
    return f"{person['first_name']} {person['last_name']}".strip() or person["username"]


# person_name() (and User.get_full_name() or the user name) in the database: the label of a user in the
# drop-downs screening.options keeps ready.
PERSON_NAME = Coalesce(NullIf(Trim(Concat("first_name", Value(" "), "last_name")), Value("")), "username")


def shows_small_counts(user) -> bool:
    return is_medarbejder(user)


def is_hidden(value: Decimal | None, indikator: Indikator, show_small: bool) -> bool:
    return value is not None and indikator.is_count and not show_small and value < SMALL_COUNT


def _places(value: Decimal, indikator: Indikator) -> int:
    if indikator.enhed in (Indikator.Enhed.ANTAL, Indikator.Enhed.KR_M2):
        return 0
    return 2 if (value * 10) != (value * 10).to_integral_value() else 1


# Below this, a number shows as 0 with `places` decimals, as in Django's number format (0.1 for 0 places too).
_ZERO_BELOW = {places: Decimal("0." + "1".rjust(places, "0")) for places in range(7)}


def danish_number(value: Decimal | int, places: int) -> str:
    """1234567.5 with 2 places -> '1.234.567,50'. Extra decimals are cut off, not rounded, as Django's
    number format does (tests/screening/test_display.py holds the two to the same result).

    Written out here rather than through django.utils.formats.number_format, which looks up the active
    language and its separators again for every number: an afdeling's history shows 200 of them, a plan's
    overview 160, and the lookups cost more than the rest of the figures' work."""
    if abs(value) < _ZERO_BELOW[places]:
        value = Decimal(0)
    sign, digits = ("-", f"{-value:f}") if value < 0 else ("", f"{value:f}")
    whole, _, fraction = digits.partition(".")
    text = sign + f"{int(whole):,}".replace(",", danish.THOUSAND_SEPARATOR)
    if places:
        text += danish.DECIMAL_SEPARATOR + fraction[:places].ljust(places, "0")
    return text


def format_number(value: Decimal, indikator: Indikator) -> str:
    return danish_number(value, _places(value, indikator))


def format_value(value: Decimal | None, indikator: Indikator, show_small: bool, unit: bool = True) -> str:
    if value is None:
        return "–"
    if is_hidden(value, indikator, show_small):
        return HIDDEN
    return format_number(value, indikator) + (indikator.unit_suffix if unit else "")


def format_change(current, previous, indikator: Indikator, show_small: bool) -> str:
    if current is None or previous is None:
        return ""
    if is_hidden(current, indikator, show_small) or is_hidden(previous, indikator, show_small):
        return ""
    delta = current - previous
    if not delta:
        return "±0"
    sign = "+" if delta > 0 else "−"
    return sign + format_number(abs(delta), indikator)


def chart_value(value: Decimal | None, indikator: Indikator, show_small: bool) -> float | None:
    """A number for the chart, or None (a gap) where the value is missing or hidden."""
    if value is None or is_hidden(value, indikator, show_small):
        return None
    return float(value)


def export_value(value: Decimal | None, indikator: Indikator, show_small: bool):
    """A cell for a spreadsheet: the number itself, or the text "< 5"."""
    if value is None:
        return None
    if is_hidden(value, indikator, show_small):
        return HIDDEN
    return value
