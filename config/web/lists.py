"""What list pages share: the people named in their rows, looked up per row shown, lists of values read with
the row they belong to, links built without a reverse per row, and the numbers of their parameters."""

import json

from django.contrib.auth import get_user_model
from django.contrib.postgres.expressions import ArraySubquery
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


class ValueList(ArraySubquery):
    """The values of a subquery of one column, named `column`, as a list in the subquery's order: PostgreSQL's
    ARRAY(subquery), and on SQLite (the demo's default database) the same gathered with json_group_array.
    `is_json`: the column holds JSON objects (JSONObject), which SQLite must be told to nest as such."""

    def __init__(self, queryset, column: str, *, is_json: bool = False):
        super().__init__(queryset)
        self.column, self.is_json = column, is_json

    def as_sqlite(self, compiler, connection):
        subquery, params = self.query.as_sql(compiler, connection)
        value = f"json(rows.{self.column})" if self.is_json else f"rows.{self.column}"
        # The column name comes from the code, the subquery is compiled by Django with its parameters apart.
        return f"(SELECT json_group_array({value}) FROM ({subquery}) rows)", params  # noqa: S608

    def get_db_converters(self, connection):
        if connection.vendor == "sqlite":
            return [lambda value, expression, connection: json.loads(value)]
        return super().get_db_converters(connection)
