from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from indsatser.models.indsats import Indsats
from indsatser.models.reference import Indsatsomraade, Maalgruppe, Partner


class Aktivitetstype(models.Model):
    """An entry in the activity catalogue, with how well documented its effect is (CFBU's videnskatalog)."""

    class Evidens(models.TextChoices):
        DOKUMENTERET = "dokumenteret", "Dokumenteret effekt"
        LOVENDE = "lovende", "Lovende praksis"
        AFPROEVNING = "afproevning", "Afprøvning"

    navn = models.CharField("navn", max_length=120, unique=True)
    beskrivelse = models.TextField("beskrivelse", blank=True)
    maalgruppe = models.ForeignKey(
        Maalgruppe,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="målgruppe",
    )
    indsatsomraade = models.ForeignKey(
        Indsatsomraade,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aktivitetstyper",
        verbose_name="typisk indsatsområde",
    )
    evidens = models.CharField("evidensniveau", max_length=20, choices=Evidens.choices)
    i_brug = models.BooleanField(
        "kan vælges", default=True, help_text="Fjern fluebenet for at udgå af kataloget."
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "aktivitetstype"
        verbose_name_plural = "aktivitetskatalog"
        ordering = ["navn"]

    def __str__(self):
        return self.navn


class Aktivitet(models.Model):
    """An activity of an indsats; at the end it gets a forankring decision (who carries it on, from when)."""

    class Status(models.TextChoices):
        PLANLAGT = "planlagt", "Planlagt"
        I_GANG = "i_gang", "I gang"
        AFSLUTTET = "afsluttet", "Afsluttet"

    class Forankring(models.TextChoices):
        FSB_DRIFT = "fsb_drift", "fsb's drift"
        KOMMUNE = "kommune", "Kommunen"
        NGO = "ngo", "NGO"
        LOKAL_AKTOER = "lokal_aktoer", "Lokal aktør"
        OPHOERER = "ophoerer", "Ophører"

    indsats = models.ForeignKey(
        Indsats, on_delete=models.CASCADE, related_name="aktiviteter", verbose_name="indsats"
    )
    aktivitetstype = models.ForeignKey(
        Aktivitetstype,
        on_delete=models.PROTECT,
        related_name="aktiviteter",
        verbose_name="aktivitet fra kataloget",
    )
    betegnelse = models.CharField(
        "lokalt navn", max_length=160, blank=True, help_text="Fx 'Lektiecafé i Ruten'. Tomt: katalogets navn."
    )
    indsatsomraade = models.ForeignKey(
        Indsatsomraade,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="aktiviteter",
        verbose_name="indsatsområde",
    )
    ansvarlig_partner = models.ForeignKey(
        Partner,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="aktiviteter",
        verbose_name="ansvarlig partner",
    )
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.PLANLAGT)
    beskrivelse = models.TextField("beskrivelse", blank=True)
    forankring = models.CharField("forankring", max_length=20, choices=Forankring.choices, blank=True)
    forankring_hvem = models.CharField(
        "hvem overtager", max_length=200, blank=True, help_text="Fx 'Socialforvaltningen, Center for Unge'."
    )
    forankring_fra = models.DateField("fra dato", null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "aktivitet"
        verbose_name_plural = "aktiviteter"
        ordering = ["indsats", "id"]

    def __str__(self):
        return self.navn

    @property
    def navn(self) -> str:
        return self.betegnelse or self.aktivitetstype.navn

    @property
    def forankring_mangler(self) -> str:
        """Why this activity's forankring decision is incomplete, in Danish; empty when it is complete."""
        if not self.forankring:
            return "mangler en forankringsbeslutning"
        if self.forankring != self.Forankring.OPHOERER and not self.forankring_hvem.strip():
            return "mangler, hvem der overtager den"
        if not self.forankring_fra:
            return "mangler en dato for forankringen"
        return ""


class Deltagertal(models.Model):
    """How many took part in an activity in a year (planned or actual, as the activity's status says)."""

    aktivitet = models.ForeignKey(
        Aktivitet, on_delete=models.CASCADE, related_name="deltagertal", verbose_name="aktivitet"
    )
    aar = models.PositiveSmallIntegerField("år")
    antal = models.PositiveIntegerField("deltagere")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "deltagertal"
        verbose_name_plural = "deltagertal"
        ordering = ["aktivitet", "aar"]
        constraints = [
            models.UniqueConstraint(fields=["aktivitet", "aar"], name="deltagertal_et_pr_aar"),
            models.CheckConstraint(
                condition=Q(aar__gte=1990, aar__lte=2100), name="deltagertal_rimeligt_aar"
            ),
        ]

    def __str__(self):
        return f"{self.aktivitet}, {self.aar}: {self.antal}"
