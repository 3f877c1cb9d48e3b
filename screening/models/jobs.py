"""The state of a screening import that runs in the background (the page polls this row)."""

from django.db import models

from config.web.jobs import Job
from config.web.roles import is_medarbejder


class ScreeningsimportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Imports are staff work; nobody else learns that one ran."""
        return self if is_medarbejder(user) else self.none()


class Screeningsimport(Job):
    """A large file of screening figures read by a Celery task (tasks.run_screening_import): all of it is
    stored, or nothing, with a row-by-row report of what was wrong."""

    aar = models.PositiveSmallIntegerField("år")
    landsgennemsnit_domfaeldte_pct = models.DecimalField(
        "landsgennemsnit, domfældte (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    region_gennemsnitsindkomst = models.DecimalField(
        "regionens gennemsnitsindkomst (kr.)", max_digits=12, decimal_places=2, null=True, blank=True
    )
    filnavn = models.CharField("filnavn", max_length=200)
    # The file itself, kept in the database so a worker on another machine can read it.
    indhold = models.BinaryField("indhold")
    # What was read, for the page once the import is done.
    resultat = models.CharField("resultat", max_length=300, blank=True)
    # (line, column, message) for each error found in the file.
    row_errors = models.JSONField("fejl i filen", default=list, blank=True)

    task = "screening.tasks.run_screening_import"

    objects = ScreeningsimportQuerySet.as_manager()

    class Meta:
        verbose_name = "screeningsimport"
        verbose_name_plural = "screeningsimporter"
        ordering = ["-created"]

    def __str__(self):
        return f"Import af {self.filnavn} til {self.aar} ({self.get_status_display()})"
