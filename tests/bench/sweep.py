"""Every page of the application at national scale, one client at a time. `make bench` runs it after the key
pages under load, so that no page escapes measuring: one added later, or a form that lists every afdeling,
cannot be slow unnoticed.

The URLs and their arguments are the permission matrix's (tests/test_permission_matrix.py: every named URL
has a row there, so a new page is swept without being added here), and the objects they point at are its small
world (tests/world.py), built inside the national database in a transaction that is rolled back afterwards.
The objects are small, but every list, drop-down and count around them holds the whole country.
"""

import logging
import statistics
import tempfile
import time

from django.core import signals
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.test_permission_matrix import MATRIX_NAMES, kwargs_for
from tests.world import world_in_transaction

GOAL_MS = 150
# Who asks (the world's users): staff see everything; the board member sees their own afdeling's objects.
ROLES = ("medarbejder", "bestyrelse")


def _timed(client: Client, path: str, runs: int) -> tuple[int, list[float], str]:
    """The status, the seconds of each of `runs` requests after one to warm up, and the content type."""
    timings = []
    for run in range(runs + 1):
        started = time.perf_counter()
        response = client.get(path)
        if response.streaming:
            b"".join(response.streaming_content)
        if run:
            timings.append(time.perf_counter() - started)
    return response.status_code, timings, response.get("Content-Type", "")


def sweep(runs: int = 3) -> list[dict]:
    """One row per page and role that answers 200: the median time and the number of queries."""
    # The test client closes the database connection after each request unless the request was in a
    # transaction it knows of; here that would end the world's transaction.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    # Pages a role may not see or that take only POST answer 403 or 405 and are passed over; Django would
    # log each with its traceback.
    request_log = logging.getLogger("django.request")
    request_log_level = request_log.level
    request_log.setLevel(logging.ERROR)
    rows = []
    try:
        with tempfile.TemporaryDirectory() as storage, world_in_transaction(storage) as world:
            for role in ROLES:
                client = Client()
                client.force_login(world.users[role])
                for name in MATRIX_NAMES:
                    path = reverse(name, kwargs=kwargs_for(name, world.own, world))
                    status, timings, content_type = _timed(client, path, runs)
                    if status != 200:
                        continue
                    with CaptureQueriesContext(connection) as queries:
                        client.get(path)
                    rows.append(
                        {
                            "page": name,
                            "path": path,
                            "role": role,
                            "median_ms": round(statistics.median(timings) * 1000, 1),
                            "queries": len(queries),
                            "download": not content_type.startswith("text/html"),
                        }
                    )
    finally:
        request_log.setLevel(request_log_level)
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)
    return rows


def meets_goal(row: dict) -> bool:
    """A page (not a download: a national spreadsheet takes its time) answers one client within the goal."""
    return row["download"] or row["median_ms"] <= GOAL_MS


def print_summary(rows: list[dict], slowest: int = 12) -> None:
    pages = [row for row in rows if not row["download"]]
    misses = [row for row in rows if not meets_goal(row)]
    print(
        f"Every page, one client: {len(pages)} pages and {len(rows) - len(pages)} downloads answered 200;"
        f" {len(misses)} pages over {GOAL_MS} ms. The slowest:"
    )
    print(f"{'page':<34} {'role':<12} {'median ms':>9} {'queries':>7}")
    for row in sorted(rows, key=lambda row: -row["median_ms"])[:slowest]:
        label = f"{row['page']}{' (download)' if row['download'] else ''}"
        print(
            f"{label:<34} {row['role']:<12} {row['median_ms']:>9.1f} {row['queries']:>7}"
            f" {'ok' if meets_goal(row) else 'MISS':>5}"
        )
