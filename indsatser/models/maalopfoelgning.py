from django.db import models
from simple_history.models import HistoricalRecords

from indsatser.models.indsats import Indsats
from indsatser.models.reference import Bymaal, Indsatsomraade
from screening.models import Boligomraade


class Indikator(models.Model):
    """A measurable indicator. Those of the city goals are shared by all plans, so they can be benchmarked."""

    navn = models.CharField("navn", max_length=160, unique=True)
    kode = models.CharField(
        "kode",
        max_length=40,
        blank=True,
        help_text="Fondens kode for indikatoren i dens dataudtræk (en import finder den på kode eller navn).",
    )
    enhed = models.CharField("enhed", max_length=40, help_text="Fx '%', 'antal' eller 'karakter'.")
    bymaal = models.ForeignKey(
        Bymaal,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indikatorer",
        verbose_name="fælles bymål",
        help_text="Tomt for indsatsens egne indikatorer.",
    )
    hoejere_er_bedre = models.BooleanField("højere tal er bedre", default=True)
    beskrivelse = models.TextField("beskrivelse", blank=True)

    class Meta:
        verbose_name = "indikator"
        verbose_name_plural = "indikatorer"
        ordering = ["bymaal__nummer", "navn"]
        constraints = [
            models.UniqueConstraint(fields=["kode"], condition=~models.Q(kode=""), name="indikator_kode_unik")
        ]

    def __str__(self):
        return f"{self.navn} ({self.enhed})"


class Maalsaetning(models.Model):
    """A goal of one indsats on one indicator: where it started (baseline) and the targets per year."""

    indsats = models.ForeignKey(
        Indsats, on_delete=models.CASCADE, related_name="maalsaetninger", verbose_name="indsats"
    )
    indikator = models.ForeignKey(
        Indikator, on_delete=models.PROTECT, related_name="maalsaetninger", verbose_name="indikator"
    )
    indsatsomraade = models.ForeignKey(
        Indsatsomraade,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="maalsaetninger",
        verbose_name="indsatsområde",
    )
    baseline = models.DecimalField("udgangspunkt", max_digits=12, decimal_places=2, null=True, blank=True)
    baseline_aar = models.PositiveSmallIntegerField("udgangspunkt målt i år", null=True, blank=True)
    beskrivelse = models.TextField("beskrivelse", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "målsætning"
        verbose_name_plural = "målsætninger"
        ordering = ["indsats", "indikator__bymaal__nummer", "indikator__navn"]
        constraints = [
            models.UniqueConstraint(fields=["indsats", "indikator"], name="maalsaetning_en_pr_indikator")
        ]

    def __str__(self):
        return f"{self.indsats}: {self.indikator.navn}"


class Maaltal(models.Model):
    """The target and the measured value of a goal in one year, and staff's assessment of it in the year's
    status to the funders."""

    class Vurdering(models.TextChoices):
        PAA_SPORET = "paa_sporet", "På sporet"
        BAGUD = "bagud", "Bagud"
        NAAET = "naaet", "Nået"

    maalsaetning = models.ForeignKey(
        Maalsaetning, on_delete=models.CASCADE, related_name="maaltal", verbose_name="målsætning"
    )
    aar = models.PositiveSmallIntegerField("år")
    maal = models.DecimalField("mål", max_digits=12, decimal_places=2, null=True, blank=True)
    maalt = models.DecimalField("målt", max_digits=12, decimal_places=2, null=True, blank=True)
    vurdering = models.CharField("vurdering", max_length=12, choices=Vurdering.choices, blank=True)
    kommentar = models.TextField("kommentar", blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "måltal"
        verbose_name_plural = "måltal"
        ordering = ["maalsaetning", "aar"]
        constraints = [models.UniqueConstraint(fields=["maalsaetning", "aar"], name="maaltal_et_pr_aar")]
        # The measured figures of a year, which the staff's reminders look for across every active plan.
        indexes = [
            models.Index(
                fields=["aar", "maalsaetning"],
                condition=models.Q(maalt__isnull=False),
                name="maaltal_maalt_aar",
            )
        ]

    def __str__(self):
        return f"{self.maalsaetning}, {self.aar}"


def periode_tekst(aar: int, halvaar: int) -> str:
    """A period as the funder's exports write it: 2025, 2025H1 or 2025H2."""
    return f"{aar}H{halvaar}" if halvaar else str(aar)


class Indikatortal(models.Model):
    """One figure of a goal's indicator series as the funder's data exports give it: for a half year or a
    whole year, for the plan as a whole or for one of its areas. The goal's measured value for a year
    (Maaltal.maalt) is the plan-level figure of the year's latest period."""

    class Halvaar(models.IntegerChoices):
        HELE_AARET = 0, "hele året"
        FOERSTE = 1, "1. halvår"
        ANDET = 2, "2. halvår"

    maalsaetning = models.ForeignKey(
        Maalsaetning, on_delete=models.CASCADE, related_name="indikatortal", verbose_name="målsætning"
    )
    boligomraade = models.ForeignKey(
        Boligomraade,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indikatortal",
        verbose_name="boligområde",
        help_text="Tomt for et tal for hele planen.",
    )
    aar = models.PositiveSmallIntegerField("år")
    halvaar = models.PositiveSmallIntegerField("halvår", choices=Halvaar.choices, default=Halvaar.HELE_AARET)
    vaerdi = models.DecimalField("værdi", max_digits=12, decimal_places=2)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "indikatortal"
        verbose_name_plural = "indikatortal"
        ordering = ["maalsaetning", "boligomraade__navn", "aar", "halvaar"]
        constraints = [
            models.UniqueConstraint(
                fields=["maalsaetning", "aar", "halvaar"],
                condition=models.Q(boligomraade__isnull=True),
                name="indikatortal_et_pr_periode_for_planen",
            ),
            models.UniqueConstraint(
                fields=["maalsaetning", "boligomraade", "aar", "halvaar"],
                condition=models.Q(boligomraade__isnull=False),
                name="indikatortal_et_pr_periode_for_omraadet",
            ),
        ]

    def __str__(self):
        return f"{self.maalsaetning}, {self.periode}"

    @property
    def periode(self) -> str:
        return periode_tekst(self.aar, self.halvaar)
