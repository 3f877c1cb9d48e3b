from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from indsatser import goal_figures_import
from indsatser.models import Indsats


class Command(BaseCommand):
    help = (
        "Indlæs indikatortal til en plans mål fra fondens dataudtræk (CSV eller XLSX; kolonner: "
        + ", ".join(goal_figures_import.COLUMNS)
        + ", valgfrit omraade)."
    )

    def add_arguments(self, parser):
        parser.add_argument("indsats_id", type=int, help="Planens indsats-id (som i indsatsens adresse)")
        parser.add_argument("fil", help="Sti til CSV- eller XLSX-filen")
        parser.add_argument("--bruger", help="Brugernavnet, ændringen står i historikken under")
        parser.add_argument(
            "--kontroller", dest="check_only", action="store_true", help="Vis kun, hvad filen ændrer"
        )

    def handle(self, *args, indsats_id, fil, bruger, check_only, **options):
        indsats = Indsats.objects.filter(pk=indsats_id).first()
        if indsats is None:
            raise CommandError(f"Der er ingen indsats med id {indsats_id}.")
        path = Path(fil)
        if not path.is_file():
            raise CommandError(f"Filen {fil} findes ikke.")
        user = None
        if bruger:
            user = get_user_model().objects.filter(username=bruger).first()
            if user is None:
                raise CommandError(f"Der er ingen bruger med brugernavnet {bruger}.")
        if check_only:
            table, errors = goal_figures_import.read(path.read_bytes(), path.name)
            changes = []
            if not errors:
                changes, errors = goal_figures_import.preview(table, indsats)
            report = goal_figures_import.ImportReport(errors=errors)
            if errors:
                self._fail(report)
            for change in changes:
                before = "ny" if change.before is None else f"{change.before} →"
                area = change.figure.boligomraade or "hele planen"
                self.stdout.write(
                    f"{change.indikator.navn}, {area}, {change.periode}: {before} {change.figure.vaerdi}"
                )
            self.stdout.write(
                f"{sum(c.changed for c in changes)} af {len(changes)} tal er nye eller ændrede."
            )
            return
        report = goal_figures_import.import_file(path.read_bytes(), path.name, indsats, acting_user=user)
        if not report.ok:
            self._fail(report)
        self.stdout.write(self.style.SUCCESS(report.summary()))

    def _fail(self, report):
        for line in report.error_lines:
            self.stderr.write(line)
        raise CommandError(report.summary())
