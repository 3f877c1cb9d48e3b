import random
import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from helhedsplaner import scale_data as plan_scale
from screening import scale_data as screening_scale
from screening.models import Boligorganisation

# (organisations, areas, afdelinger, screening rounds, indicators, users, helhedsplaner)
SCALES = {
    "national": {
        "organisations": 500,
        "areas": 900,
        "afdelinger": 7500,
        "rounds": 10,
        "indicators": 20,
        "users": 3000,
        "indsatser": 300,
    },
    "small": {
        "organisations": 6,
        "areas": 10,
        "afdelinger": 80,
        "rounds": 3,
        "indicators": 14,
        "users": 40,
        "indsatser": 16,
    },
}
LAST_YEAR = 2025


class Command(BaseCommand):
    help = (
        "Byg syntetiske data i national skala (alle almene afdelinger i Danmark) til benchmarks. "
        "Alle navne begynder med 'Skala'. Kræver PostgreSQL for --scale national."
    )

    def add_arguments(self, parser):
        parser.add_argument("--scale", choices=sorted(SCALES), default="small")
        parser.add_argument("--seed", type=int, default=7500)

    def handle(self, *args, scale, seed, **options):
        size = SCALES[scale]
        if scale == "national" and connection.vendor != "postgresql":
            raise CommandError("--scale national kræver PostgreSQL (DATABASE_URL=postgres://...).")
        if Boligorganisation.objects.filter(navn__startswith="Skala ").exists():
            raise CommandError("Der findes allerede skaladata i databasen; brug en tom database.")
        rng = random.Random(seed)
        started = time.perf_counter()
        with transaction.atomic():
            counts = screening_scale.generate_register(
                rng, size["organisations"], size["areas"], size["afdelinger"], size["users"]
            )
            self.report(counts, started)
            counts = screening_scale.generate_screening(rng, size["rounds"], LAST_YEAR, size["indicators"])
            self.report(counts, started)
            counts = plan_scale.generate_helhedsplaner(rng, size["indsatser"], timezone.localdate())
            self.report(counts, started)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            self.style.SUCCESS(f"Skaladata ({scale}) bygget på {time.perf_counter() - started:.0f} s.")
        )

    def report(self, counts: dict, started: float) -> None:
        figures = ", ".join(f"{count:,} {name}".replace(",", ".") for name, count in counts.items())
        self.stdout.write(f"  {figures} ({time.perf_counter() - started:.0f} s)")
