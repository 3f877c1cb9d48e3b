"""`make bench`: national-scale data, the app under gunicorn with production settings, 10 concurrent clients.

Prints one table (p50, p95, p99, requests/s, p50 as a multiple of the floor page, measured in the same run)
and the timings of the heavy operations, and writes everything to var/bench/latest.json.
The national data are built once into the database `boligsocial_bench` and reused while the code that shapes
them (migrations and scale-data generators) is unchanged.
"""

import hashlib
import json
import os
import platform
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench.load import Session, drive  # noqa: E402

DATABASE = "boligsocial_bench"
PORT = 8899
CLIENTS = 10
SECONDS_PER_PAGE = float(os.environ.get("BENCH_SECONDS", "6"))
OUT = ROOT / "var" / "bench"
ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
    "DJANGO_ENV_FILE": "",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DJANGO_HTTPS": "false",
    "DJANGO_STATIC_MANIFEST": "true",
    "DJANGO_CONN_MAX_AGE": "60",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    "AXES_FAILURE_LIMIT": "1000",
}
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def manage(*args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run(
        [PYTHON, "manage.py", *args], cwd=ROOT, env=ENV, check=check, capture_output=True, text=True
    )


def psql(sql: str) -> str:
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", sql], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def data_version() -> str:
    """Hash of everything that decides what the national data look like."""
    digest = hashlib.sha256()
    for pattern in (
        "*/migrations/*.py",
        "*/scale_data.py",
        "helhedsplaner/management/commands/generate_scale_data.py",
    ):
        for path in sorted(ROOT.glob(pattern)):
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def ensure_data() -> float | None:
    """Build the national data unless the cached database matches; returns the build time if it built."""
    marker = OUT / "data-version.txt"
    version = data_version()
    exists = psql(f"SELECT 1 FROM pg_database WHERE datname = '{DATABASE}'") == "1"  # noqa: S608 - a constant
    if exists and marker.exists() and marker.read_text() == version:
        print(f"National data: reusing database {DATABASE} (version {version}).")
        return None
    print(f"National data: building database {DATABASE} (takes a few minutes) ...", flush=True)
    psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    psql(f"CREATE DATABASE {DATABASE}")
    manage("migrate", "--noinput", "-v0")
    started = time.perf_counter()
    result = manage("generate_scale_data", "--scale", "national")
    elapsed = time.perf_counter() - started
    print(result.stdout)
    marker.write_text(version)
    return elapsed


def django_setup():
    os.environ.update(ENV)
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    import django

    django.setup()


def pick_targets() -> dict:
    """Ids and user names the pages below need, taken from the national data."""
    from django.contrib.auth.models import User

    from screening.models import Afdeling, Bestyrelsesmedlem

    staff = User.objects.filter(username__startswith="skala-medarbejder-").order_by("pk").first()
    board_seat = (
        Bestyrelsesmedlem.objects.filter(user__username__startswith="skala-bestyrelse-")
        .order_by("pk")
        .first()
    )
    afdeling = Afdeling.objects.filter(navn__startswith="Skala ").order_by("-beboere").first()
    return {"staff": staff.username, "board": board_seat.user.username, "afdeling": afdeling.pk}


def pages(targets: dict) -> list[tuple[str, str, str]]:
    """(name, path, who): the floor first; every key page of the application after it."""
    return [
        ("floor: trivial logged-in page", "/accounts/password_change/", "staff"),
        ("afdeling list, filtered", "/afdelinger/?bydel=Valby&sort=-beboere", "staff"),
        ("afdeling detail", f"/afdelinger/{targets['afdeling']}/", "staff"),
        ("screening overview", "/screening/", "staff"),
        ("screening afdeling history", f"/screening/afdelinger/{targets['afdeling']}/", "staff"),
        ("board member's home page", "/", "board"),
    ]


def start_server() -> subprocess.Popen:
    manage("collectstatic", "--noinput", "-v0")
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "config.wsgi:application",
            "--workers",
            "2",
            "--bind",
            f"127.0.0.1:{PORT}",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=ENV,
        start_new_session=True,
    )
    for _ in range(100):
        try:
            Session("127.0.0.1", PORT).request("GET", "/sundhed/")
            return server
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not start")


def measure_pages(targets: dict) -> list[dict]:
    from screening.scale_data import PASSWORD

    sessions = {}
    for who in ("staff", "board"):
        sessions[who] = []
        for _ in range(CLIENTS):
            session = Session("127.0.0.1", PORT)
            session.login(targets[who], PASSWORD)
            sessions[who].append(session)
    results = []
    for name, path, who in pages(targets):
        drive(sessions[who], name, path, 1.0)  # warm-up: caches, connections, first-request imports
        result = drive(sessions[who], name, path, SECONDS_PER_PAGE)
        results.append(result)
        print(f"  {name}: p50 {result.p50:.1f} ms, {result.requests_per_second:.0f} req/s", flush=True)
    floor = results[0].p50
    return [
        {
            "page": r.name,
            "path": r.path,
            "requests": len(r.latencies_ms),
            "errors": r.errors,
            "p50_ms": round(r.p50, 1),
            "p95_ms": round(r.percentile(95), 1),
            "p99_ms": round(r.percentile(99), 1),
            "requests_per_second": round(r.requests_per_second, 1),
            "p50_x_floor": round(r.p50 / floor, 2),
        }
        for r in results
    ]


def print_table(rows: list[dict]) -> None:
    header = (
        f"{'page':<34} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>7} {'×floor':>7} {'errors':>6}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['page']:<34} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f} "
            f"{row['requests_per_second']:>7.1f} {row['p50_x_floor']:>7.2f} {row['errors']:>6}"
        )


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    build_seconds = ensure_data()
    django_setup()
    targets = pick_targets()
    server = start_server()
    try:
        print(f"Pages: {CLIENTS} concurrent clients, {SECONDS_PER_PAGE:.0f} s each, gunicorn with 2 workers")
        rows = measure_pages(targets)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    print()
    print_table(rows)
    report = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}",
        "clients": CLIENTS,
        "seconds_per_page": SECONDS_PER_PAGE,
        "national_data_build_seconds": build_seconds,
        "pages": rows,
    }
    (OUT / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nWritten to {OUT / 'latest.json'}")


if __name__ == "__main__":
    main()
