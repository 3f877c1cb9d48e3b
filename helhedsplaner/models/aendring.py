"""Ændring af godkendt plan: a change request to the frame the funders approved (see actions.py)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from finansiering.models import Budgetversion
from helhedsplaner.models.helhedsplan import AbstractBeslutning, Beslutning, Helhedsplan
from screening.models import Afdeling


class Aendringsanmodning(models.Model):
    """A proposed new frame (afdelinger, period, fordelingsnøgle percentages and a budget version) with the
    reason for it. Staff write it and send it; the funders decide it when it touches money, period or
    afdelinger, staff alone otherwise; an approved one is applied to the plan at once."""

    class Status(models.TextChoices):
        KLADDE = "kladde", "Kladde"
        SENDT = "sendt", "Sendt"
        GODKENDT = "godkendt", "Godkendt"
        AFVIST = "afvist", "Afvist"
        TRUKKET_TILBAGE = "trukket_tilbage", "Trukket tilbage"

    plan = models.ForeignKey(
        Helhedsplan, on_delete=models.CASCADE, related_name="aendringsanmodninger", verbose_name="plan"
    )
    nummer = models.PositiveSmallIntegerField("nummer", editable=False)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.KLADDE, editable=False
    )
    begrundelse = models.TextField("begrundelse")
    afdelinger = models.ManyToManyField(Afdeling, related_name="+", verbose_name="afdelinger")
    startdato = models.DateField("startdato")
    slutdato = models.DateField("slutdato")
    # The proposed percentage of each party of the plan's fordelingsnøgle: {str(Finansieringspart.pk): "75"}.
    procenter = models.JSONField("fordelingsnøgle (%)", default=dict, blank=True)
    budgetversion = models.ForeignKey(
        Budgetversion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="foreslået budgetversion",
        editable=False,
    )
    aendringer = models.TextField("hvad blev ændret", blank=True, editable=False)
    oprettet = models.DateTimeField("oprettet", default=timezone.now, editable=False)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="oprettet af",
        editable=False,
    )
    sendt = models.DateTimeField("sendt", null=True, blank=True, editable=False)
    afgjort = models.DateTimeField("afgjort", null=True, blank=True, editable=False)
    afgjort_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="afgjort af",
        editable=False,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "ændring af godkendt plan"
        verbose_name_plural = "ændringer af godkendt plan"
        ordering = ["plan", "-nummer"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "nummer"], name="aendringsanmodning_nummer_unikt")
        ]

    def __str__(self):
        return f"Ændring {self.nummer} af {self.plan}"

    @property
    def is_open(self) -> bool:
        return self.status in (self.Status.KLADDE, self.Status.SENDT)


class Aendringsbeslutning(AbstractBeslutning):
    """LBF's or the kommune's decision on a change request, recorded by the secretariat. A change is
    approved (with or without conditions) or refused; a later decision by the same funder on the same
    change replaces the earlier one."""

    OUTCOMES = (
        AbstractBeslutning.Udfald.GODKENDT,
        AbstractBeslutning.Udfald.GODKENDT_MED_BETINGELSER,
        AbstractBeslutning.Udfald.AFVIST,
    )

    anmodning = models.ForeignKey(
        Aendringsanmodning, on_delete=models.CASCADE, related_name="beslutninger", verbose_name="ændring"
    )
    organ = models.CharField(
        "organ",
        max_length=30,
        choices=[(o.value, o.label) for o in (Beslutning.Organ.LBF, Beslutning.Organ.KOMMUNE)],
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "beslutning om ændring"
        verbose_name_plural = "beslutninger om ændringer"
        ordering = ["anmodning", "registreret", "id"]

    def __str__(self):
        return f"{self.get_organ_display()}: {self.get_udfald_display()} ({self.anmodning})"

    @property
    def plan_id(self):
        """The plan the change is to: the decision letter is kept in the plan's folder (upload_path)."""
        return self.anmodning.plan_id
