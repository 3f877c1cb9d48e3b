"""How long an application pack takes to render, beside WeasyPrint alone on the same HTML.

    .venv/bin/python tests/bench/pack_bench.py

Builds (once) a helhedsplan with 6 screened afdelinger, a budget of 4 years × 4 indsatsområder, 20 activities
and 4 goals in its own database `boligsocial_packbench`, then times 5 renders of the helhedsplan pack
(documents.render: queries, templates, WeasyPrint, page count) and 5 renders of the same HTML by WeasyPrint
alone, taking turns, after one warm-up of each. WeasyPrint gets the same URL fetcher in both, or it could
not read the stylesheet and fonts and would render another document. Prints the medians and their ratio
and writes them to var/bench/pack.json. Goal: under 3 s, and within 1.3 × WeasyPrint alone.
"""

import gc
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

DATABASE = "boligsocial_packbench"
TITLE = "Helhedsplan Målebyen 2023-26"
RUNS = 5
GOAL_SECONDS = 3.0
GOAL_RATIO = 1.3
OUT = ROOT / "var" / "bench" / "pack.json"

os.environ.update(
    {
        "DJANGO_ENV_FILE": "",
        "DJANGO_DEBUG": "false",  # production settings: cached templates, as in the worker
        "DJANGO_SECRET_KEY": "pack-bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
        "DJANGO_HTTPS": "false",
        "DJANGO_STATIC_MANIFEST": "false",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DATABASE}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
)


def psql(sql: str) -> str:
    result = subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-tAc", sql], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def ensure_database() -> None:
    if DATABASE not in psql("SELECT datname FROM pg_database").split():
        psql(f"CREATE DATABASE {DATABASE}")
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build_plan():
    """The plan to render, made through the factories and actions the tests use; reused when it exists."""
    from django.db import transaction

    from finansiering import actions as budget_actions
    from finansiering.models import Omkostningstype
    from helhedsplaner.models import Helhedsplan
    from indsatser import demo as indsatser_demo
    from indsatser.models import (
        Aktivitet,
        Aktivitetstype,
        Finansieringsperiode,
        Indikator,
        Maalsaetning,
        Maaltal,
    )
    from tests.factories import AfdelingFactory, HelhedsplanFactory, UserFactory
    from tests.screening.screening_data import BAD_FIGURES, make_round, measure

    existing = Helhedsplan.objects.filter(indsats__titel=TITLE).first()
    if existing is not None:
        return existing
    with transaction.atomic():
        staff = UserFactory(username="pakkemaaling", role="medarbejder")
        periode = Finansieringsperiode.objects.get(navn="2019-26")
        omraader = list(periode.indsatsomraader.order_by("sortering"))[:4]
        afdelinger = [AfdelingFactory(nummer=f"90-{n:02d}", navn=f"Målegården {n + 1}") for n in range(6)]
        plan = HelhedsplanFactory(
            indsats__titel=TITLE,
            indsats__afdelinger=afdelinger,
            indsats__ansvarlig=staff,
            indsats__startdato=date(2023, 1, 1),
            indsats__slutdato=date(2026, 12, 31),
            indsats__periode=periode,
            maal="Et område, hvor børn og unge får de samme chancer som i resten af byen.",
            organisering="En styregruppe med fsb, kommunen og afdelingsbestyrelserne.",
        )
        runde = make_round(2025)
        for afdeling in afdelinger:
            measure(runde, afdeling, **BAD_FIGURES)
        typer = {t.kode: t for t in Omkostningstype.objects.all()}
        version = budget_actions.create_version(plan.indsats, "ansoegning", acting_user=staff)
        for year in range(2023, 2027):
            for index, omraade in enumerate(omraader):
                amount = Decimal(1_250_000 + 150_000 * index + 10_000 * (year - 2023)) + Decimal("0.50")
                budget_actions.save_budget_line(
                    version, year, omraade, typer["loen"], amount, "Medarbejdere", acting_user=staff
                )
        partnere = list(indsatser_demo.seed_partnere().values())
        aktivitetstyper = list(Aktivitetstype.objects.order_by("navn"))
        for n in range(20):
            Aktivitet.objects.create(
                indsats=plan.indsats,
                aktivitetstype=aktivitetstyper[n % len(aktivitetstyper)],
                betegnelse=f"Aktivitet {n + 1}",
                indsatsomraade=omraader[n % 4],
                ansvarlig_partner=partnere[n % len(partnere)],
            )
        for n, indikator in enumerate(Indikator.objects.order_by("id")[:4]):
            goal = Maalsaetning.objects.create(
                indsats=plan.indsats,
                indikator=indikator,
                indsatsomraade=omraader[n],
                baseline=Decimal(20 + n),
                baseline_aar=2022,
            )
            Maaltal.objects.bulk_create(
                Maaltal(
                    maalsaetning=goal, aar=2023 + y, maal=Decimal(19 + n - y), maalt=Decimal(19.5 + n - y)
                )
                for y in range(4)
            )
    return plan


def timed(actions: dict, runs: int) -> dict[str, dict[str, list[float]]]:
    """Wall-clock and CPU seconds per run of each action, taking turns so that both see the same load;
    one warm-up each first (fonts, templates, connections). The CPU time of this process hardly moves with
    what else runs on a shared machine (the database's own time is not in it, but it is a few queries)."""
    for action in actions.values():
        action()
    times = {name: {"wall": [], "cpu": []} for name in actions}
    for _ in range(runs):
        for name, action in actions.items():
            gc.collect()  # the previous render's garbage is not charged to this one
            wall, cpu = time.perf_counter(), time.process_time()
            action()
            times[name]["wall"].append(time.perf_counter() - wall)
            times[name]["cpu"].append(time.process_time() - cpu)
    return times


def main() -> int:
    import django

    django.setup()
    ensure_database()
    from weasyprint import HTML

    from helhedsplaner.packs import documents
    from helhedsplaner.packs.pdf import STATIC_PREFIX, StaticFilesFetcher

    plan = build_plan()
    html = documents.pack_html(plan, "helhedsplan")[0].replace(
        documents.DATE_PLACEHOLDER, "26. november 2026"
    )
    pages = documents.render(plan, "helhedsplan")[0].pages

    times = timed(
        {
            "pack": lambda: documents.render(plan, "helhedsplan"),
            "weasyprint": lambda: HTML(
                string=html, base_url=STATIC_PREFIX, url_fetcher=StaticFilesFetcher()
            ).write_pdf(),
        },
        RUNS,
    )
    median = {name: {kind: statistics.median(v) for kind, v in t.items()} for name, t in times.items()}
    pack, bare = median["pack"]["wall"], median["weasyprint"]["wall"]
    ratio = pack / bare
    cpu_ratio = median["pack"]["cpu"] / median["weasyprint"]["cpu"]
    result = {
        "when": datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.node()} ({os.cpu_count()} cores, Python {platform.python_version()})",
        "load_average": os.getloadavg()[0],
        "plan": {"afdelinger": 6, "budget": "4 år × 4 indsatsområder", "aktiviteter": 20, "sider": pages},
        "runs": RUNS,
        "pack_median_s": round(pack, 3),
        "weasyprint_median_s": round(bare, 3),
        "ratio": round(ratio, 3),
        "pack_cpu_median_s": round(median["pack"]["cpu"], 3),
        "weasyprint_cpu_median_s": round(median["weasyprint"]["cpu"], 3),
        "cpu_ratio": round(cpu_ratio, 3),
        "runs_s": {
            name: {kind: [round(x, 3) for x in v] for kind, v in t.items()} for name, t in times.items()
        },
        "goal": {"seconds": GOAL_SECONDS, "ratio": GOAL_RATIO},
        "met": pack < GOAL_SECONDS and ratio <= GOAL_RATIO,
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(result, indent=2, ensure_ascii=False) + "\n")
    print(f"Helhedsplan-pakke, {pages} sider, median af {RUNS} (load {result['load_average']:.1f}):")
    print("                        ur        CPU")
    print(f"  documents.render          {pack:6.3f} s  {median['pack']['cpu']:6.3f} s")
    print(f"  WeasyPrint alene      {bare:6.3f} s  {median['weasyprint']['cpu']:6.3f} s")
    print(f"  forhold               {ratio:6.2f} ×  {cpu_ratio:6.2f} ×")
    verdict = "nået" if result["met"] else "IKKE nået"
    print(f"  mål: under {GOAL_SECONDS:g} s og højst {GOAL_RATIO:g} × (ur): {verdict}")
    print(f"  skrevet til {OUT.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
