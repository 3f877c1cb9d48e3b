"""The database connection dropped between two requests (a database restart, a proxy's idle timeout).

The requests go through Django's WSGI handler on this thread, as a gunicorn worker makes them: the test
client would skip the request signals that let Django check a persistent connection before using it.
"""

import io
from wsgiref.util import setup_testing_defaults

import pytest
from django.conf import settings
from django.core.handlers.wsgi import WSGIHandler
from django.db import connection
from django.urls import reverse

from tests.drills.conftest import wait_for
from tests.logins import log_in

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the drills need PostgreSQL")


def get(path, session_key) -> tuple[str, str]:
    environ = {"PATH_INFO": path, "HTTP_COOKIE": f"{settings.SESSION_COOKIE_NAME}={session_key}"}
    setup_testing_defaults(environ)
    environ["wsgi.errors"] = io.StringIO()
    statuses = []
    response = WSGIHandler()(environ, lambda status, headers, exc_info=None: statuses.append(status))
    try:
        body = b"".join(response).decode()
    finally:
        response.close()  # the end of the request, when Django decides whether to keep the connection
    return statuses[0], body


def backend_pid() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def terminate(pid):
    """End the server process behind a connection, from another connection, and wait until it is gone."""
    admin = connection.copy()
    try:
        with admin.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])

        def gone():
            with admin.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [pid])
                return cursor.fetchone()[0] == 0

        wait_for(gone, f"PostgreSQL to end backend {pid}")
    finally:
        admin.close()


@pytest.mark.django_db(transaction=True)  # the requests commit, as they do in production
def test_the_next_request_replaces_a_dropped_persistent_connection(
    client, budget_plan, medarbejder, monkeypatch
):
    monkeypatch.setitem(connection.settings_dict, "CONN_MAX_AGE", 600)
    connection.close()  # the next connection is opened as a persistent one
    try:
        log_in(client, medarbejder)
        session_key = client.session.session_key
        assert get(reverse("home"), session_key)[0] == "200 OK"
        dropped = backend_pid()
        terminate(dropped)

        status, body = get(reverse("plan_detail", args=[budget_plan.pk]), session_key)
        assert status == "200 OK"
        assert budget_plan.indsats.titel in body
        assert backend_pid() != dropped
    finally:
        connection.close()
