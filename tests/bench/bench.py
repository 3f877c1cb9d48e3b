"""`make bench`: national-scale data, the app under gunicorn with production settings, 10 concurrent clients.

Prints one table of the key pages (p50, p95, p99, requests/s, p50 as a multiple of the floor page, measured in
the same run, and each page's queries and HTML size), the timings of the heavy operations (the median of a few
runs), then every page requested by one client (tests/bench/sweep.py) with its time, queries and HTML size,
and each gunicorn worker's memory after that sweep; writes everything to var/bench/latest.json. The goals are
in tests/bench/goals.py. The national data are built once into the database `boligsocial_bench` and reused
while the code that shapes them is unchanged; each run measures a fresh copy of them.
"""

import hashlib
import json
import os
import platform
import random
import shutil
import signal
import statistics
import subprocess
import sys
import time
import uuid
from datetime import datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.bench import goals  # noqa: E402
from tests.bench.load import QUERIES_HEADER, Session, drive  # noqa: E402

DATABASE = "boligsocial_bench"  # the national data, built once
RUN_DATABASE = "boligsocial_bench_run"  # a fresh copy of it for each run, dropped afterwards
PORT = 8899
CLIENTS = 10
SECONDS_PER_PAGE = float(os.environ.get("BENCH_SECONDS", "6"))
OUT = ROOT / "var" / "bench"
PRIVATE_FILES = OUT / "private"  # the files of the sweep's world, emptied with each run's copy
ENV = {
    **{k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")},
    "DJANGO_ENV_FILE": "",
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DJANGO_HTTPS": "false",
    "DJANGO_STATIC_MANIFEST": "true",
    "DJANGO_CONN_MAX_AGE": "60",
    "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{RUN_DATABASE}",
    "DJANGO_PRIVATE_STORAGE_ROOT": str(PRIVATE_FILES),
    "REDIS_URL": os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"),
    # Each run's copy starts with nothing kept in the cache, whatever an earlier run kept there.
    "DJANGO_CACHE_KEY_PREFIX": f"{RUN_DATABASE}-{uuid.uuid4().hex[:12]}",
    "AXES_FAILURE_LIMIT": "1000",
    # The clients log in with the password alone; the second step costs one request a login (tests/accounts).
    "DJANGO_REQUIRE_2FA": "false",
    # The sweep asks for pages a role may not see and pages that take only POST: Django would log each 403
    # and 405 with its traceback. Errors are still logged.
    "DJANGO_LOG_LEVEL": "ERROR",
}
PYTHON = str(ROOT / ".venv" / "bin" / "python")


def national_env() -> dict:
    return {**ENV, "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}"}


def psql(sql: str, database: str = "postgres") -> str:
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", database, "-tAc", sql],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout.strip()


def vacuum() -> None:
    """Compact and analyse the national data once they are built, so every run's copy starts with tables as
    a maintained database has them and fresh planner statistics. The build writes years of changes in minutes
    (each plan's row is rewritten at every step of its lifecycle) on a server that may run without
    autovacuum: the plans' table ended at 8.3 MB for 525 rows of about 0.9 kB, one plan to a page, and every
    query that reads plans read sixteen times the pages. In production autovacuum lets new row versions
    reuse the space of the dead ones as they arise."""
    psql("VACUUM (FULL, ANALYZE)", DATABASE)


def copy_for_run() -> None:
    """A fresh copy of the national data for this run: the sweep's world is written into it and the
    timed screening imports leave dead rows in it, and both go when it is dropped (drop_run)."""
    psql(f"DROP DATABASE IF EXISTS {RUN_DATABASE} WITH (FORCE)")
    psql(f"CREATE DATABASE {RUN_DATABASE} TEMPLATE {DATABASE}")
    shutil.rmtree(PRIVATE_FILES, ignore_errors=True)


def drop_run() -> None:
    from django.db import connections

    connections.close_all()
    psql(f"DROP DATABASE IF EXISTS {RUN_DATABASE} WITH (FORCE)")


# Code that only shows or takes in data, and that the national data's build never runs.
PRESENTATION = {"views", "templatetags", "admin.py", "urls.py", "forms.py", "filters.py"}


def data_version() -> str:
    """Hash of everything that decides what the national data look like: the generator, and the
    application code its plans are walked through (the demo's builder, the lifecycle, the actions)."""
    digest = hashlib.sha256()
    paths = [*ROOT.glob("tests/bench/scale_*.py")]
    for app in ("screening", "indsatser", "finansiering", "helhedsplaner"):
        paths += [path for path in (ROOT / app).rglob("*.py") if not PRESENTATION.intersection(path.parts)]
    for path in sorted(paths):
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
    subprocess.run(
        [PYTHON, "manage.py", "migrate", "--noinput", "-v0"], cwd=ROOT, env=national_env(), check=True
    )
    started = time.perf_counter()
    build = "import django; django.setup(); from tests.bench import scale_data; scale_data.build('national')"
    subprocess.run(
        [PYTHON, "-c", build],
        cwd=ROOT,
        env={**national_env(), "DJANGO_SETTINGS_MODULE": "config.settings"},
        check=True,
    )
    elapsed = time.perf_counter() - started
    vacuum()
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
    from django.db.models import Count

    from helhedsplaner import lifecycle
    from helhedsplaner.models import Helhedsplan, Kommentar
    from indsatser.models import Indsatstype
    from screening.models import Afdeling

    staff = User.objects.filter(username__startswith="skala-medarbejder-").order_by("pk").first()
    # Of the board members fsb has answered a comment from, the one whose afdelinger are in the most
    # plans: every part of their start page has something in it.
    answered = Kommentar.objects.threads().filter(seneste_fra_personale=True).values("forfatter_id")
    board = (
        User.objects.filter(username__startswith="skala-bestyrelse-", pk__in=answered)
        .annotate(plans=Count("bestyrelsesposter__afdeling__indsatser", distinct=True))
        .order_by("-plans", "pk")
        .first()
    )
    afdeling = Afdeling.objects.filter(navn__startswith="Skala ").order_by("-beboere").first()
    plan = (
        Helhedsplan.objects.filter(tilstand=lifecycle.AKTIV, indsats__titel__startswith="Skala ")
        .annotate(afdelinger=Count("indsats__afdelinger"))
        .filter(afdelinger__gte=6)
        .order_by("-afdelinger", "pk")
        .first()
    )
    return {
        "staff": staff.username,
        "board": board.username,
        "afdeling": afdeling.pk,
        "plan": plan.pk,
        # The plan's year with the most filled in: last year's status, milestones and goal figures.
        "aar": plan.milepaele.order_by("-dato").values_list("dato__year", flat=True).first()
        or plan.indsats.startdato.year,
        "plan_afdelinger": plan.afdelinger,
        "indsats": plan.indsats_id,
        "helhedsplan_type": Indsatstype.objects.get(kode=Indsatstype.HELHEDSPLAN).pk,
    }


def pages(targets: dict) -> list[tuple[str, str, str]]:
    """(name, path, who): the floor first; every key page of the application after it."""
    plan, indsats = targets["plan"], targets["indsats"]
    return [
        ("floor: trivial logged-in page", "/accounts/password_change/", "staff"),
        ("afdeling list, filtered", "/afdelinger/?bydel=Valby&sort=-beboere", "staff"),
        ("afdeling detail", f"/afdelinger/{targets['afdeling']}/", "staff"),
        ("screening overview", "/screening/", "staff"),
        ("screening afdeling history", f"/screening/afdelinger/{targets['afdeling']}/", "staff"),
        ("indsats register", "/indsatser/", "staff"),
        (
            "indsats register, filtered",
            f"/indsatser/?type={targets['helhedsplan_type']}&status=aktiv",
            "staff",
        ),
        ("helhedsplan list", "/helhedsplaner/", "staff"),
        (f"plan detail (aktiv, {targets['plan_afdelinger']} afd.)", f"/helhedsplaner/{plan}/", "staff"),
        ("plan budget", f"/indsatser/{indsats}/budget/", "staff"),
        ("plan year (aktiv)", f"/helhedsplaner/{plan}/aar/{targets['aar']}/", "staff"),
        ("plan payments (aktiv)", f"/helhedsplaner/{plan}/udbetalinger/", "staff"),
        ("plan timeline (aktiv)", f"/helhedsplaner/{plan}/tidslinje/", "staff"),
        ("reports due across plans", "/helhedsplaner/frister/", "staff"),
        ("staff home page", "/", "staff"),
        ("board member's home page", "/", "board"),
    ]


def start_server() -> subprocess.Popen:
    subprocess.run([PYTHON, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=ROOT, env=ENV, check=True)
    server = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "tests.bench.wsgi:application",
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
    from tests.bench.scale_data import PASSWORD

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
        one = sessions[who][0]
        _, body = one.request("GET", path)
        queries, html_kb = int(one.last_headers[QUERIES_HEADER.lower()]), round(len(body) / 1000, 1)
        result = drive(sessions[who], name, path, SECONDS_PER_PAGE)
        results.append((result, queries, html_kb))
        print(f"  {name}: p50 {result.p50:.1f} ms, {result.requests_per_second:.0f} req/s", flush=True)
    floor = results[0][0].p50
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
            "queries": queries,
            "html_kb": html_kb,
        }
        for r, queries, html_kb in results
    ]


def cpu_reference_ms() -> float:
    """How fast this machine runs Python just now: the best of five runs of a fixed loop, in ms. The virtual
    machines this runs on change speed by up to 2× over minutes; the figure before and after the pages says
    whether a run was measured in a slow spell, and lets runs be compared."""

    def loop():
        total, names = 0, {}
        for number in range(300_000):
            total += number * number
            names[number % 997] = f"afdeling {number}"
        return total, names

    seconds = []
    for _ in range(5):
        started = time.process_time()
        loop()
        seconds.append(time.process_time() - started)
    return round(min(seconds) * 1000, 1)


def timed(runs: int, operation) -> list[float]:
    """Seconds per run of `operation`."""
    seconds = []
    for _ in range(runs):
        started = time.perf_counter()
        operation()
        seconds.append(time.perf_counter() - started)
    return seconds


def national_screening_file(year: int) -> tuple[bytes, int]:
    """A year's figures for every afdeling and indicator, as a semicolon CSV with decimal commas (what
    Danish Excel saves); returns the file and the number of figures in it."""
    from screening.models import Afdeling, Indikator
    from tests.bench.scale_data import indicator_value

    rng = random.Random(year)
    # The shares, as the national data hold them: counts and their bases would each have to fit the other.
    indicators = [i for i in Indikator.objects.order_by("sortering") if not i.is_basis]
    lines = [";".join(["organisation", "afdeling_nr", *(i.kode for i in indicators)])]
    for afdeling in Afdeling.objects.filter(navn__startswith="Skala ").select_related("organisation"):
        values = [
            str(indicator_value(i.kode, i.enhed, rng.betavariate(2, 3), afdeling.beboere, 0.03, rng))
            for i in indicators
        ]
        lines.append(";".join([afdeling.organisation.navn, afdeling.nummer, *values]).replace(".", ","))
    return "\n".join(lines).encode(), (len(lines) - 1) * len(indicators)


def time_screening_import() -> list[float]:
    """The real import (as the command and the upload page run it) of a new year's national figures;
    each run is rolled back, so every run writes the same rows."""
    from django.db import transaction

    from screening.screening_import import import_file

    year = 2026
    content, figures = national_screening_file(year)

    def run():
        with transaction.atomic():
            report = import_file(content, "screening.csv", year, Decimal("0.55"))
            if not report.ok or report.created != figures:
                raise RuntimeError(f"screening import failed: {report.summary()}")
            transaction.set_rollback(True)

    return timed(3, run)


def time_pack_render(targets: dict) -> list[float]:
    from helhedsplaner.models import Helhedsplan
    from helhedsplaner.packs import documents

    plan = Helhedsplan.objects.select_related("indsats__ansvarlig").get(pk=targets["plan"])
    return timed(1, lambda: documents.render(plan, "helhedsplan"))


def time_allocations(count: int = 10_000) -> list[float]:
    """`count` budget allocations with allocation.py: a plan's yearly totals split 75/12.5/12.5, the
    kommune's share into its two uses and the afdelinger's share across the afdelinger by lejemål.
    The inputs are the national plans' latest budgets, read before the clock starts."""
    from django.db.models import Max, Sum

    from finansiering import allocation
    from finansiering.models import Budgetlinje, Budgetversion
    from finansiering.queries import HELHEDSPLAN_PARTER, KOMMUNE_ANVENDELSER
    from indsatser.models import Indsats

    latest = Budgetversion.objects.values("indsats_id").annotate(nummer=Max("nummer"))
    budgets = {}
    for row in latest:
        totals = (
            Budgetlinje.objects.filter(version__indsats_id=row["indsats_id"], version__nummer=row["nummer"])
            .values("aar")
            .annotate(total=Sum("beloeb"))
        )
        budgets[row["indsats_id"]] = {t["aar"]: t["total"] for t in totals}
    weights = {}
    for link in Indsats.afdelinger.through.objects.filter(indsats_id__in=budgets).select_related("afdeling"):
        weights.setdefault(link.indsats_id, {})[link.afdeling_id] = link.afdeling.lejemaal
    inputs = [(budgets[pk], weights[pk]) for pk in sorted(budgets) if pk in weights]
    parties = {art: pct for art, _, pct in HELHEDSPLAN_PARTER}
    uses = dict(KOMMUNE_ANVENDELSER)

    def run():
        for index in range(count):
            per_aar, lejemaal = inputs[index % len(inputs)]
            shares = allocation.split_years_by_percentages(per_aar, parties)
            allocation.split_years_by_weights(shares["kommune"], uses)
            allocation.split_years_by_weights(shares["afdelinger"], lejemaal)

    return timed(5, run)


def measure_operations(targets: dict) -> list[dict]:
    operations = [
        ("national screening import (7.500 × 20)", 15, time_screening_import),
        ("helhedsplan pack render", None, lambda: time_pack_render(targets)),
        ("10.000 budget allocations", 2, time_allocations),
    ]
    results = []
    for name, goal, measure in operations:
        seconds = measure()
        median = statistics.median(seconds)
        print(f"  {name}: median {median:.2f} s of {len(seconds)}", flush=True)
        results.append(
            {
                "operation": name,
                "runs_s": [round(s, 3) for s in seconds],
                "median_s": round(median, 3),
                "goal_s": goal,
                "meets_goal": goal is None or median <= goal,
            }
        )
    return results


def meets_page_goal(row: dict) -> bool:
    return (
        row["p95_ms"] <= goals.P95_MS
        and row["p50_x_floor"] <= goals.P50_X_FLOOR
        and row["queries"] <= goals.QUERIES
        and row["html_kb"] <= goals.HTML_KB
    )


def print_table(rows: list[dict], operations: list[dict]) -> None:
    header = (
        f"{'page':<34} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'req/s':>7} {'×floor':>7} {'errors':>6}"
        f" {'queries':>7} {'HTML kB':>7} {'goal':>5}"
    )
    print(header)
    print("-" * len(header))
    for row in rows:
        print(
            f"{row['page']:<34} {row['p50_ms']:>8.1f} {row['p95_ms']:>8.1f} {row['p99_ms']:>8.1f} "
            f"{row['requests_per_second']:>7.1f} {row['p50_x_floor']:>7.2f} {row['errors']:>6}"
            f" {row['queries']:>7} {row['html_kb']:>7.1f} {'ok' if meets_page_goal(row) else 'MISS':>5}"
        )
    print("-" * len(header))
    print(f"{'operation':<42} {'median s':>8} {'runs':>5} {'goal s':>7}")
    for op in operations:
        goal = f"{op['goal_s']:.0f}" if op["goal_s"] is not None else "-"
        print(
            f"{op['operation']:<42} {op['median_s']:>8.2f} {len(op['runs_s']):>5} {goal:>7}"
            f" {'ok' if op['meets_goal'] else 'MISS':>5}"
        )


def build_sweep_world():
    """The permission matrix's world, written into this run's copy of the national data, its users with
    the bench's password so the sweep logs in as they would."""
    from django.db import transaction

    from tests.bench.scale_data import PASSWORD
    from tests.world import build_world

    # In one transaction, as in the tests: parts of the world are written with the functions the actions
    # call inside theirs (e.g. the obligations' sync, which locks the plan's rows).
    with transaction.atomic():
        world = build_world()
    for user in world.users.values():
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    return world


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    build_seconds = ensure_data()
    copy_for_run()
    django_setup()
    from tests.bench import sweep  # the permission matrix's URLs and world need Django set up
    from tests.bench.scale_data import PASSWORD

    targets = pick_targets()
    world = build_sweep_world()
    server = start_server()
    reference_before = cpu_reference_ms()
    try:
        print(f"Pages: {CLIENTS} concurrent clients, {SECONDS_PER_PAGE:.0f} s each, gunicorn with 2 workers")
        rows = measure_pages(targets)
        print("Every page, one client ...", flush=True)
        swept = sweep.sweep(world, "127.0.0.1", PORT, PASSWORD)
        workers = sweep.worker_rss_mb(server.pid)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
    reference_after = cpu_reference_ms()
    print("Operations, in this process, with the server stopped:")
    operations = measure_operations(targets)
    drop_run()
    print()
    print_table(rows, operations)
    print(
        f"CPU reference (a fixed Python loop, best of 5; lower is faster): {reference_before} ms before the"
        f" pages, {reference_after} ms after"
    )
    print()
    sweep.print_summary(swept, workers)
    report = {
        "date": datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.node()} · {os.cpu_count()} cores · Python {platform.python_version()}",
        "clients": CLIENTS,
        "seconds_per_page": SECONDS_PER_PAGE,
        "national_data_build_seconds": build_seconds,
        "cpu_reference_ms": {"before_pages": reference_before, "after_pages": reference_after},
        "goals": {
            "p95_ms": goals.P95_MS,
            "p50_x_floor": goals.P50_X_FLOOR,
            "queries": goals.QUERIES,
            "html_kb": goals.HTML_KB,
        },
        "pages": rows,
        "operations": operations,
        "every_page_one_client": {
            "goals": {"ms": goals.ONE_CLIENT_MS, "queries": goals.QUERIES, "html_kb": goals.HTML_KB},
            "pages": swept,
        },
        "workers_after_sweep": {"goal_rss_mb": goals.WORKER_RSS_MB, "workers": workers},
    }
    (OUT / "latest.json").write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"\nWritten to {OUT / 'latest.json'}")


if __name__ == "__main__":
    main()
