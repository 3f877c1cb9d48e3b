from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from screening import afdeling_import


class Command(BaseCommand):
    help = (
        "Indlæs afdelinger fra en CSV- eller XLSX-fil (kolonner: " + ", ".join(afdeling_import.COLUMNS) + ")."
    )

    def add_arguments(self, parser):
        parser.add_argument("fil", help="Sti til CSV- eller XLSX-filen")

    def handle(self, *args, fil, **options):
        path = Path(fil)
        if not path.is_file():
            raise CommandError(f"Filen {fil} findes ikke.")
        report = afdeling_import.import_file(path.read_bytes(), path.name)
        if not report.ok:
            for line in report.error_lines:
                self.stderr.write(line)
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
