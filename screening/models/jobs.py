"""The state of a screening import that runs in the background (the page polls this row)."""

from django.conf import settings
from django.db import models

from config.web.roles import is_medarbejder


class ScreeningsimportQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Imports are staff work; nobody else learns that one ran."""
        return self if is_medarbejder(user) else self.none()


class Screeningsimport(models.Model):
    class Status(models.TextChoices):
        I_KOE = "i_koe", "I kø"
        KOERER = "koerer", "Indlæses"
        FAERDIG = "faerdig", "Færdig"
        FEJLET = "fejlet", "Fejlet"

    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.I_KOE)
    aar = models.PositiveSmallIntegerField("år")
    landsgennemsnit_domfaeldte_pct = models.DecimalField(
        "landsgennemsnit, domfældte (%)", max_digits=5, decimal_places=2, null=True, blank=True
    )
    filnavn = models.CharField("filnavn", max_length=200)
    # The file itself, kept in the database so a worker on another machine can read it.
    indhold = models.BinaryField("indhold")
    behandlet = models.PositiveIntegerField("behandlede rækker", default=0)
    i_alt = models.PositiveIntegerField("rækker i alt", default=0)
    resultat = models.CharField("resultat", max_length=300, blank=True)
    fejl = models.JSONField("fejl", default=list, blank=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="oprettet af",
    )
    oprettet = models.DateTimeField(auto_now_add=True)
    startet = models.DateTimeField(null=True, blank=True)
    afsluttet = models.DateTimeField(null=True, blank=True)

    objects = ScreeningsimportQuerySet.as_manager()

    class Meta:
        verbose_name = "screeningsimport"
        verbose_name_plural = "screeningsimporter"
        ordering = ["-oprettet"]

    def __str__(self):
        return f"Import af {self.filnavn} til {self.aar} ({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.FAERDIG, self.Status.FEJLET)

    @property
    def progress_pct(self) -> int:
        if self.status == self.Status.FAERDIG:
            return 100
        return int(100 * self.behandlet / self.i_alt) if self.i_alt else 0
