"""Schemathesis against the API's own OpenAPI schema: every operation with valid and invalid input (random,
but the same on every run), as a staff member and as a board member. No answer is a 5xx, every answer's status
is documented, and its body matches the schema; invalid input is refused."""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from tests.api.conftest import token_of

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Examples per operation, role and kind of input: enough to find the common mistakes in about a minute.
EXAMPLES = 8


def load_schema():
    schema = schemathesis.openapi.from_dict(SchemaGenerator().get_schema(request=None, public=True))
    schema.app = WSGIHandler()
    return schema


SCHEMA = load_schema()


@pytest.fixture
def connection_kept_open():
    """The WSGI handler closes the database connection after each request, which would end the test's
    transaction; Django's test client keeps it open the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


OPERATIONS = [result.ok() for result in SCHEMA.get_all_operations()]


def test_the_schema_is_served_and_covers_every_list(db, as_role, world):
    served = as_role("bestyrelse").get(
        "/api/v1/schema/", headers={"Accept": "application/vnd.oai.openapi+json"}
    )
    assert served.status_code == 200
    paths = served.json()["paths"]
    for path in (
        "afdelinger",
        "boligomraader",
        "screeningsrunder",
        "indsatser",
        "helhedsplaner",
        "budgetter",
        "forpligtelser",
    ):
        assert f"/api/v1/{path}/" in paths
    assert len(OPERATIONS) == sum(len(operations) for operations in paths.values())


@pytest.mark.parametrize("mode", [schemathesis.GenerationMode.POSITIVE, schemathesis.GenerationMode.NEGATIVE])
@pytest.mark.parametrize("role", ["medarbejder", "bestyrelse"])
@pytest.mark.parametrize("operation", OPERATIONS, ids=lambda operation: operation.label)
def test_every_operation_answers_as_its_schema_says(db, world, connection_kept_open, operation, role, mode):
    headers = {"Authorization": f"Bearer {token_of(world.users[role])}"}

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def answers_as_documented(case):
        case.call_and_validate(headers=headers, checks=CHECKS)

    answers_as_documented()
