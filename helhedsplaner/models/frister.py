"""Reminders of the funders' deadlines (helhedsplaner/frister.py) and how each user wants them by e-mail."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from helhedsplaner.models.aarscyklus import Rapporteringsforpligtelse


class Levering(models.TextChoices):
    STRAKS = "straks", "Med det samme"
    UGENTLIG = "ugentlig", "Samlet én gang om ugen"


class Notifikationsart(models.TextChoices):
    FRIST_FOER = "frist_foer", "En rapport har frist om 14 dage"
    FRIST_OVERSKREDET = "frist_overskredet", "En rapports frist er overskredet"


class Notifikationsvalg(models.Model):
    """How one user wants one kind of notification by e-mail. Without a row: with the same."""

    bruger = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifikationsvalg",
        verbose_name="bruger",
    )
    art = models.CharField("art", max_length=30, choices=Notifikationsart.choices)
    levering = models.CharField("levering", max_length=10, choices=Levering.choices, default=Levering.STRAKS)

    class Meta:
        verbose_name = "valg af notifikation"
        verbose_name_plural = "valg af notifikationer"
        constraints = [models.UniqueConstraint(fields=["bruger", "art"], name="notifikationsvalg_et_pr_art")]

    def __str__(self):
        return f"{self.bruger}: {self.get_art_display()} – {self.get_levering_display()}"


class Fristpaamindelse(models.Model):
    """One reminder of one report's deadline to one person, on one step (14 days before, the day after, then
    every week). Unique per step and person: the daily task that writes them sends nothing twice. The person
    reads it on their start page; it is e-mailed at once (as a Besked) or in the weekly digest, as they chose
    when it was written."""

    forpligtelse = models.ForeignKey(
        Rapporteringsforpligtelse,
        on_delete=models.CASCADE,
        related_name="paamindelser",
        verbose_name="rapporteringsforpligtelse",
    )
    trin = models.CharField("trin", max_length=20)
    art = models.CharField("art", max_length=30, choices=Notifikationsart.choices)
    modtager = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name="modtager"
    )
    dato = models.DateField("dato")
    levering = models.CharField("levering", max_length=10, choices=Levering.choices)
    mailet = models.DateTimeField("mailet", null=True, blank=True)
    oprettet = models.DateTimeField("oprettet", default=timezone.now)

    class Meta:
        verbose_name = "påmindelse om frist"
        verbose_name_plural = "påmindelser om frister"
        ordering = ["-dato", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["forpligtelse", "trin", "modtager"], name="fristpaamindelse_en_pr_trin_og_modtager"
            )
        ]
        indexes = [models.Index(fields=["modtager", "-dato"], name="fristpaamindelse_modtager")]

    def __str__(self):
        return f"{self.forpligtelse} ({self.trin}) til {self.modtager}"
