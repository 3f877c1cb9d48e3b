"""Payments from the funders: the instalments each expects to pay a plan against its tilsagn, and the payments
received. Whether an instalment is held back (a report it waits for is overdue) is worked out from the plan's
reporting obligations when it is shown (helhedsplaner/payments.py), never stored, so it cannot go stale."""

from django.db import models
from simple_history.models import HistoricalRecords

from finansiering.models.budget import NOT_NEGATIVE, Finansieringspart
from indsatser.models import Indsats


class Udbetalingspart(models.TextChoices):
    """The funders that pay a plan in instalments against a tilsagn (the afdelinger pay through the rent)."""

    LBF = Finansieringspart.Art.LBF.value, Finansieringspart.Art.LBF.label
    KOMMUNE = Finansieringspart.Art.KOMMUNE.value, Finansieringspart.Art.KOMMUNE.label


class ForventetUdbetaling(models.Model):
    """An instalment a funder is expected to pay on a date."""

    indsats = models.ForeignKey(
        Indsats, on_delete=models.CASCADE, related_name="forventede_udbetalinger", verbose_name="indsats"
    )
    part = models.CharField("part", max_length=20, choices=Udbetalingspart.choices)
    dato = models.DateField("forventet dato")
    beloeb = models.DecimalField("beløb (kr.)", max_digits=14, decimal_places=2, validators=NOT_NEGATIVE)
    beskrivelse = models.CharField("beskrivelse", max_length=200, blank=True, help_text="Fx 1. rate 2025.")
    begrundelse = models.TextField(
        "begrundelse",
        blank=True,
        help_text="Skal udfyldes, hvis raterne tilsammen bliver større end partens tilsagn.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "forventet udbetaling"
        verbose_name_plural = "forventede udbetalinger"
        ordering = ["indsats", "dato", "part", "id"]

    def __str__(self):
        return f"{self.get_part_display()} {self.dato}: {self.beloeb} kr."


class ModtagetUdbetaling(models.Model):
    """A payment received from a funder, with its reference (the funder's or the bank's)."""

    indsats = models.ForeignKey(
        Indsats, on_delete=models.CASCADE, related_name="modtagne_udbetalinger", verbose_name="indsats"
    )
    part = models.CharField("part", max_length=20, choices=Udbetalingspart.choices)
    dato = models.DateField("modtaget")
    beloeb = models.DecimalField("beløb (kr.)", max_digits=14, decimal_places=2, validators=NOT_NEGATIVE)
    reference = models.CharField("reference", max_length=100)
    begrundelse = models.TextField(
        "begrundelse",
        blank=True,
        help_text="Skal udfyldes, hvis partens udbetalinger tilsammen bliver større end dens tilsagn.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "modtaget udbetaling"
        verbose_name_plural = "modtagne udbetalinger"
        ordering = ["indsats", "dato", "part", "id"]

    def __str__(self):
        return f"{self.get_part_display()} {self.dato}: {self.beloeb} kr. ({self.reference})"
