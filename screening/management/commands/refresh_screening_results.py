import time

from django.core.management.base import BaseCommand

from config.web.formatting import one_decimal
from screening import results
from screening.models import Screeningsrunde


class Command(BaseCommand):
    help = (
        "Beregn de gemte screeningsresultater (afdelingernes risiko og forslag, områdernes klassifikation) "
        "igen for alle runder, eller for --fra-aar og senere. Oversigten beregner ellers en forældet runde, "
        "første gang den vises."
    )

    def add_arguments(self, parser):
        parser.add_argument("--fra-aar", dest="fra_aar", type=int, help="Første runde (år), fx 2024")

    def handle(self, *args, fra_aar=None, **options):
        first = fra_aar or Screeningsrunde.objects.order_by("aar").values_list("aar", flat=True).first()
        if first is None:
            self.stdout.write("Der er ingen screeningsrunder.")
            return
        started = time.perf_counter()
        count = results.refresh_from(first)
        elapsed = time.perf_counter() - started
        message = f"Resultaterne af {count} runde(r) er beregnet på {one_decimal(elapsed)} s."
        self.stdout.write(self.style.SUCCESS(message))
