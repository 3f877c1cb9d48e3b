"""The regnskab: what an indsats actually spent, per year, indsatsområde and omkostningstype."""

from django.db import models
from simple_history.models import HistoricalRecords

from finansiering.models.budget import NOT_NEGATIVE, Omkostningstype
from indsatser.models import Indsats, Indsatsomraade


class Regnskabslinje(models.Model):
    """The actual spending (regnskab) for one year, indsatsområde and omkostningstype of an indsats."""

    indsats = models.ForeignKey(
        Indsats, on_delete=models.CASCADE, related_name="regnskabslinjer", verbose_name="indsats"
    )
    aar = models.PositiveSmallIntegerField("år")
    indsatsomraade = models.ForeignKey(
        Indsatsomraade, on_delete=models.PROTECT, related_name="regnskabslinjer", verbose_name="indsatsområde"
    )
    omkostningstype = models.ForeignKey(
        Omkostningstype,
        on_delete=models.PROTECT,
        related_name="regnskabslinjer",
        verbose_name="omkostningstype",
    )
    beloeb = models.DecimalField("beløb (kr.)", max_digits=14, decimal_places=2, validators=NOT_NEGATIVE)
    note = models.CharField("note", max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "regnskabslinje"
        verbose_name_plural = "regnskabslinjer"
        ordering = ["aar", "indsatsomraade__sortering", "omkostningstype__sortering"]
        constraints = [
            models.UniqueConstraint(
                fields=["indsats", "aar", "indsatsomraade", "omkostningstype"],
                name="regnskabslinje_unik_celle",
            ),
            models.CheckConstraint(
                condition=models.Q(beloeb__gte=0), name="regnskabslinje_beloeb_ikke_negativt"
            ),
        ]

    def __str__(self):
        return f"{self.aar} · {self.indsatsomraade} · {self.omkostningstype}: {self.beloeb} kr."
