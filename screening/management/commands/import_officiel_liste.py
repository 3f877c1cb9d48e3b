from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from screening import official_lists


class Command(BaseCommand):
    help = (
        "Indlæs et års officielle lister over boligområder (CSV eller XLSX med kolonnerne boligomraade, "
        "kommune, liste; liste er udsat, parallelsamfund, omdannelsesomraade eller forebyggelsesomraade). "
        "Et år, der indlæses igen, erstattes."
    )

    def add_arguments(self, parser):
        parser.add_argument("fil")
        parser.add_argument("--aar", type=int, required=True)

    def handle(self, *args, fil, aar, **options):
        path = Path(fil)
        if not path.is_file():
            raise CommandError(f"Filen {fil} findes ikke.")
        latest = official_lists.latest_allowed_year()
        if not 1990 <= aar <= latest:
            raise CommandError(
                f"--aar skal være et årstal mellem 1990 og {latest}: listerne udkommer 1. december."
            )
        report = official_lists.import_file(path.read_bytes(), path.name, aar)
        if not report.ok:
            for line in report.error_lines:
                self.stderr.write(line)
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(f"Officielle lister {aar}: {report.summary()}"))
