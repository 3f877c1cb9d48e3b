from django.db import models
from simple_history.models import HistoricalRecords

from indsatser.models.indsats import Indsats


class Afslutningsvurdering(models.Model):
    """The assessment of one of the five closing criteria for one indsats: met or not, and why."""

    class Kriterium(models.TextChoices):
        # The five criteria fsb judges an afslutning on, case by case (DOMAIN: step 5).
        BEHOV = (
            "behov",
            "Afdelingen har ikke længere behov for en tryghedsskabende og trivselsfremmende indsats",
        )
        MAAL = "maal", "Målene er nået, og en stabil positiv udvikling er sat i gang"
        FORANKRING = (
            "forankring",
            ("De relevante aktiviteter er forankret i fsb's drift, kommunen, NGO'er eller lokale aktører"),
        )
        OPBAKNING = "opbakning", "Der er ikke længere lokal opbakning til indsatsen"
        FINANSIERING = (
            "finansiering",
            ("Der kan ikke længere skaffes finansiering, og en fortsættelse vil koste afdelingen for meget"),
        )

    indsats = models.ForeignKey(
        Indsats, on_delete=models.CASCADE, related_name="afslutningsvurderinger", verbose_name="indsats"
    )
    kriterium = models.CharField("kriterium", max_length=20, choices=Kriterium.choices)
    opfyldt = models.BooleanField("opfyldt", null=True, blank=True)
    begrundelse = models.TextField("begrundelse", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "afslutningsvurdering"
        verbose_name_plural = "afslutningsvurderinger"
        ordering = ["indsats", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indsats", "kriterium"], name="afslutningsvurdering_en_pr_kriterium"
            )
        ]

    def __str__(self):
        return f"{self.indsats}: {self.get_kriterium_display()}"
