"""What list pages share: the people named in their rows, looked up per row shown, links built without a
reverse per row, and the numbers of their parameters."""

from django.contrib.auth import get_user_model
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat, JSONObject, NullIf, Trim
from django.urls import reverse

# Rows on a page of every paged list (includes/pager.html).
PAGE_SIZE = 25
# A parameter's number as the database holds a pk or a year (PostgreSQL's bigint has 19 digits).
_LONGEST_NUMBER = 18


def whole_number(value) -> int | None:
    """A request parameter's whole number (a pk, a year), or None for anything else. str.isdigit() alone lets
    through what int() then refuses: a superscript digit, a number of thousands of digits."""
    text = str(value)
    if text.isascii() and text.isdigit() and len(text) <= _LONGEST_NUMBER:
        return int(text)
    return None


def pk_address_parts(name: str) -> tuple[str, str]:
    """The address of the view `name` for an object as the text before and after its pk, so a page of rows
    reverses it once instead of once per row: f"{before}{pk}{after}"."""
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
