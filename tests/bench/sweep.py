"""Every page of the application at national scale, one client at a time, through the bench's gunicorn.
`make bench` runs it after the key pages under load, so that no page escapes measuring: one added later, or
a form that lists every afdeling, cannot be slow, chatty with the database or heavy unnoticed.

The URLs and their arguments are the permission matrix's (tests/test_permission_matrix.py: every named URL
has a row there, so a new page is swept without being added here), and the objects they point at are its small
world (tests/world.py), built inside the bench's copy of the national database. The objects are small, but
every list, drop-down and count around them holds the whole country. Each page's queries are those the
server counted for its request (tests/bench/wsgi.py); its size is the HTML before compression.
"""

import statistics
import subprocess
import time

from django.urls import reverse

from tests.bench import goals
from tests.bench.load import QUERIES_HEADER, Session
from tests.test_permission_matrix import MATRIX_NAMES, kwargs_for

# Who asks (the world's users): staff see everything; the board member sees their own afdeling's objects.
ROLES = ("medarbejder", "bestyrelse")


def sweep(world, host: str, port: int, password: str, runs: int = 3) -> list[dict]:
    """One row per page and role that answers 200: the median time of `runs` requests after one to warm
    up, the queries of the last request, and for a page its HTML's size."""
    rows = []
    for role in ROLES:
        session = Session(host, port)
        session.login(world.users[role].username, password)
        for name in MATRIX_NAMES:
            path = reverse(name, kwargs=kwargs_for(name, world.own, world))
            timings = []
            for run in range(runs + 1):
                started = time.perf_counter()
                status, body = session.request("GET", path)
                if run:
                    timings.append(time.perf_counter() - started)
            if status != 200:
                continue  # a page the role may not see, or one that takes only POST
            download = not session.last_headers.get("content-type", "").startswith("text/html")
            rows.append(
                {
                    "page": name,
                    "path": path,
                    "role": role,
                    "median_ms": round(statistics.median(timings) * 1000, 1),
                    "queries": int(session.last_headers[QUERIES_HEADER.lower()]),
                    "html_kb": None if download else round(len(body) / 1000, 1),
                    "download": download,
                }
            )
    return rows


def worker_rss_mb(master_pid: int) -> list[dict]:
    """The resident memory of each of gunicorn's workers (the master's children)."""
    lines = subprocess.run(
        ["ps", "-o", "pid=,rss=", "--ppid", str(master_pid)], capture_output=True, text=True, check=True
    ).stdout.split()
    return [
        {
            "pid": int(pid),
            "rss_mb": round(int(kb) / 1024, 1),
            "meets_goal": int(kb) / 1024 <= goals.WORKER_RSS_MB,
        }
        for pid, kb in zip(lines[::2], lines[1::2], strict=True)
    ]


def misses(row: dict) -> list[str]:
    """The goals a page misses (none for a download)."""
    if row["download"]:
        return []
    missed = []
    if row["median_ms"] > goals.ONE_CLIENT_MS:
        missed.append("time")
    if row["queries"] > goals.QUERIES:
        missed.append("queries")
    if row["html_kb"] > goals.HTML_KB:
        missed.append("size")
    return missed


def print_summary(rows: list[dict], workers: list[dict]) -> None:
    pages = [row for row in rows if not row["download"]]
    print(
        f"Every page, one client: {len(pages)} pages and {len(rows) - len(pages)} downloads answered 200."
        f" Goals for a page: at most {goals.ONE_CLIENT_MS} ms, {goals.QUERIES} queries,"
        f" {goals.HTML_KB} kB of HTML."
    )
    print(f"{'page':<40} {'role':<12} {'median ms':>9} {'queries':>7} {'HTML kB':>8}  goal")
    for row in sorted(rows, key=lambda row: (row["download"], row["page"], row["role"])):
        label = f"{row['page']}{' (download)' if row['download'] else ''}"
        size = "-" if row["html_kb"] is None else f"{row['html_kb']:.1f}"
        missed = misses(row)
        print(
            f"{label:<40} {row['role']:<12} {row['median_ms']:>9.1f} {row['queries']:>7} {size:>8}"
            f"  {'MISS ' + ', '.join(missed) if missed else 'ok'}"
        )
    for goal in ("time", "queries", "size"):
        missed = [row for row in rows if goal in misses(row)]
        print(f"Pages missing the {goal} goal: {len(missed)}")
    for worker in workers:
        print(
            f"gunicorn worker {worker['pid']}: {worker['rss_mb']:.0f} MB resident after the sweep"
            f" (goal {goals.WORKER_RSS_MB} MB) {'ok' if worker['meets_goal'] else 'MISS'}"
        )
