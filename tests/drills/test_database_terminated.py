"""The web process's database connections terminated under load (pg_terminate_backend, as a failover or an
administrator does): the requests in flight end cleanly (the page, made again on a new connection by
config/lost_connection.py, or at worst the error page; none hangs), and the same gunicorn workers answer the
next requests without a restart.

gunicorn runs with production settings and persistent connections (DJANGO_CONN_MAX_AGE), so a terminated
connection is one a worker would otherwise have kept using: Django's health check (CONN_HEALTH_CHECKS)
replaces it before the next request uses it.
"""

import http.client
import os
import signal
import socket
import sys
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.urls import reverse

from tests.drills.conftest import DrillProcess, the_test_database_url, wait_for
from tests.logins import log_in

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="the drills need PostgreSQL")

CLIENTS = 4
ROUNDS = 5
# Bounded, so a request that hangs fails the drill instead of stalling it.
REQUEST_TIMEOUT = 60


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Gunicorn(DrillProcess):
    """The web app as production runs it (two sync workers), on the test database."""

    def __init__(self, log_path: Path):
        self.port = free_port()
        env = {**os.environ, "DATABASE_URL": the_test_database_url(), "DJANGO_CONN_MAX_AGE": "600"}
        command = [sys.executable, "-m", "gunicorn", "config.wsgi:application", "--workers", "2"]
        command += ["--bind", f"127.0.0.1:{self.port}", "--timeout", str(REQUEST_TIMEOUT)]
        super().__init__(command, env, log_path)

    def get(self, path, session_key="") -> int:
        """The answer's status; a connection refused, reset or timed out raises."""
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=REQUEST_TIMEOUT)
        try:
            client.request("GET", path, headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session_key}"})
            response = client.getresponse()
            response.read()
            return response.status
        finally:
            client.close()

    def workers(self) -> set[int]:
        """The pids of the master's worker processes."""
        pids = set()
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:  # the process ended while we looked
                continue
            if int(fields[1]) == self.process.pid:
                pids.add(int(stat.parent.name))
        return pids

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        self.process.wait(timeout=30)


@pytest.fixture
def gunicorn(transactional_db, tmp_path):
    server = Gunicorn(tmp_path / "gunicorn.log")

    def serves():
        if server.process.poll() is not None:
            raise AssertionError(f"gunicorn stopped as it started:\n{server.log()}")
        try:
            return server.get(reverse("health")) == 200
        except OSError:
            return False

    try:
        wait_for(serves, "gunicorn to answer", server.log)
        wait_for(lambda: len(server.workers()) == 2, "both gunicorn workers", server.log)
        yield server
    finally:
        server.stop()


def terminate_the_other_connections() -> int:
    """End every other server process on the test database: the web workers' connections."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FILTER (WHERE pg_terminate_backend(pid)) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        return cursor.fetchone()[0]


def test_requests_fail_cleanly_and_the_workers_recover_when_their_connections_are_terminated(
    client, gunicorn, budget_plan, medarbejder
):
    log_in(client, medarbejder)
    session_key = client.cookies[settings.SESSION_COOKIE_NAME].value
    page = reverse("plan_detail", args=[budget_plan.pk])
    assert gunicorn.get(page, session_key) == 200
    workers = gunicorn.workers()

    answers: list = []
    stop = threading.Event()

    def keep_asking():
        while not stop.is_set():
            try:
                answers.append(gunicorn.get(page, session_key))
            except OSError as error:  # refused, reset or timed out: not a clean failure
                answers.append(error)

    clients = [threading.Thread(target=keep_asking) for _ in range(CLIENTS)]
    for thread in clients:
        thread.start()
    terminated = 0
    try:
        for _ in range(ROUNDS):
            # Under load: each round waits for a few more answers, so the workers hold connections again.
            seen = len(answers)
            wait_for(lambda seen=seen: len(answers) >= seen + 2 * CLIENTS, "more answers", gunicorn.log)
            terminated += terminate_the_other_connections()
        seen = len(answers)
        wait_for(lambda: len(answers) >= seen + 2 * CLIENTS, "answers after the last round", gunicorn.log)
    finally:
        stop.set()
        for thread in clients:
            thread.join(timeout=REQUEST_TIMEOUT + 10)
    assert not any(thread.is_alive() for thread in clients), "a request hung"

    assert terminated >= ROUNDS  # every round ended at least one of the workers' connections
    assert set(answers) <= {200, 500}, [answer for answer in answers if answer not in (200, 500)]
    assert answers.count(200) > len(answers) // 2
    # The same workers, no restart, answer every request now.
    assert [gunicorn.get(page, session_key) for _ in range(2 * CLIENTS)] == [200] * (2 * CLIENTS)
    assert gunicorn.workers() == workers, gunicorn.log()
