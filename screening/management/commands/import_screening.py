from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from config.web.tabular import parse_decimal
from screening import screening_import


def _number(option: str):
    def parse(text: str):
        try:
            return parse_decimal(text)
        except ValueError as error:
            raise CommandError(f"{option}: {error}") from None

    return parse


class Command(BaseCommand):
    help = (
        "Indlæs screeningstal for et år fra en CSV- eller XLSX-fil: én række pr. afdeling (organisation, "
        "afdeling_nr) eller boligområde (boligomraade) og én kolonne pr. indikatorkode."
    )

    def add_arguments(self, parser):
        parser.add_argument("fil", help="Sti til CSV- eller XLSX-filen")
        parser.add_argument("--aar", type=int, required=True, help="Screeningsrundens år, fx 2024")
        parser.add_argument(
            "--landsgennemsnit-domfaeldte-pct",
            dest="landsgennemsnit",
            type=_number("--landsgennemsnit-domfaeldte-pct"),
            help="Andelen af alle beboere i landet, der er dømt (referencen for kriterium B), fx 1,2",
        )
        parser.add_argument(
            "--region-gennemsnitsindkomst",
            dest="region_income",
            type=_number("--region-gennemsnitsindkomst"),
            help=(
                "Regionens gennemsnitlige bruttoindkomst for 15-64-årige i kr. (grundlaget for kriterium D) "
                "for rækker med d_indkomst_sum uden kolonnen d_region_gennemsnitsindkomst, fx 351200"
            ),
        )

    def handle(self, *args, fil, aar, landsgennemsnit=None, region_income=None, **options):
        path = Path(fil)
        if not path.is_file():
            raise CommandError(f"Filen {fil} findes ikke.")
        if not 1990 <= aar <= 2100:
            raise CommandError("--aar skal være et årstal mellem 1990 og 2100.")
        report = screening_import.import_file(
            path.read_bytes(), path.name, aar, landsgennemsnit, region_income=region_income
        )
        if not report.ok:
            for line in report.error_lines:
                self.stderr.write(line)
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(f"Screening {aar}: {report.summary()}"))
