"""fsb's own risk model (editable and versioned in admin) and staff's decisions on the suggested indsats."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from screening import criteria
from screening.models.indicators import Indikator, Screeningsrunde
from screening.models.register import Afdeling


class RisikomodelQuerySet(models.QuerySet):
    def in_force(self, aar: int):
        """The newest version that applies to the year's round (a new version starts from its first year)."""
        return (
            self.filter(gyldig_fra_aar__lte=aar)
            .prefetch_related(
                models.Prefetch("taerskler", Risikotaerskel.objects.select_related("indikator"))
            )
            .order_by("-gyldig_fra_aar")
            .first()
        )


class Risikomodel(models.Model):
    """One version of fsb's thresholds. Change it for a new year by saving a copy with a later start year."""

    navn = models.CharField("navn", max_length=120)
    gyldig_fra_aar = models.PositiveSmallIntegerField("gælder fra runde (år)", unique=True)
    beskrivelse = models.TextField("beskrivelse", blank=True)
    graense_ejendomsfunktionaer = models.PositiveSmallIntegerField(
        "risikoscore for boligsocial ejendomsfunktionær", validators=[MaxValueValidator(100)]
    )
    graense_udviklingsprojekt = models.PositiveSmallIntegerField(
        "risikoscore for lokalt udviklingsprojekt", validators=[MaxValueValidator(100)]
    )
    graense_helhedsplan = models.PositiveSmallIntegerField(
        "risikoscore for boligsocial helhedsplan", validators=[MaxValueValidator(100)]
    )

    history = HistoricalRecords()
    objects = RisikomodelQuerySet.as_manager()

    class Meta:
        verbose_name = "risikomodel"
        verbose_name_plural = "risikomodeller"
        ordering = ["-gyldig_fra_aar"]

    def __str__(self):
        return f"{self.navn} (fra {self.gyldig_fra_aar})"

    def clean(self):
        limits = (self.graense_ejendomsfunktionaer, self.graense_udviklingsprojekt, self.graense_helhedsplan)
        if None not in limits and not limits[0] <= limits[1] <= limits[2]:
            raise ValidationError(
                "Grænserne skal stige: ejendomsfunktionær ≤ udviklingsprojekt ≤ helhedsplan."
            )

    def limits(self) -> criteria.SuggestionLimits:
        return criteria.SuggestionLimits(
            self.graense_ejendomsfunktionaer, self.graense_udviklingsprojekt, self.graense_helhedsplan
        )

    def thresholds(self) -> list[criteria.RiskThreshold]:
        """Uses the prefetched thresholds (see in_force) so a page asks the database once."""
        return [
            criteria.RiskThreshold(
                kode=t.indikator.kode,
                navn=t.indikator.kort_navn,
                hoej_er_daarlig=t.indikator.retning != Indikator.Retning.LAV,
                gul=t.gul,
                roed=t.roed,
                vaegt=t.vaegt,
                enhed=t.indikator.unit_suffix.strip(),
            )
            for t in sorted(self.taerskler.all(), key=lambda t: (t.indikator.sortering, t.indikator.kode))
        ]


class Risikotaerskel(models.Model):
    model = models.ForeignKey(
        Risikomodel, on_delete=models.CASCADE, related_name="taerskler", verbose_name="model"
    )
    indikator = models.ForeignKey(
        Indikator, on_delete=models.PROTECT, related_name="+", verbose_name="indikator"
    )
    gul = models.DecimalField("gul fra", max_digits=12, decimal_places=2)
    roed = models.DecimalField("rød fra", max_digits=12, decimal_places=2)
    vaegt = models.PositiveSmallIntegerField("vægt", default=1, validators=[MaxValueValidator(10)])

    history = HistoricalRecords()

    class Meta:
        verbose_name = "tærskel"
        verbose_name_plural = "tærskler"
        constraints = [
            models.UniqueConstraint(fields=["model", "indikator"], name="en_taerskel_pr_indikator")
        ]

    def __str__(self):
        return f"{self.indikator.kode}: gul {self.gul}, rød {self.roed}"

    def clean(self):
        if self.gul is None or self.roed is None or not self.indikator_id:
            return
        if self.indikator.retning == Indikator.Retning.LAV and self.roed > self.gul:
            raise ValidationError("Når lav værdi er dårlig, skal rød ligge under eller på gul.")
        if self.indikator.retning != Indikator.Retning.LAV and self.roed < self.gul:
            raise ValidationError("Når høj værdi er dårlig, skal rød ligge over eller på gul.")


class VurderingQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(afdeling__in=Afdeling.objects.visible_to(user))


class Vurdering(models.Model):
    """Staff's decision on the suggested type of indsats for one afdeling in one round."""

    class Beslutning(models.TextChoices):
        BEKRAEFTET = "bekraeftet", "Forslaget er bekræftet"
        TILSIDESAT = "tilsidesat", "Forslaget er tilsidesat"

    TYPE_CHOICES = [(code, criteria.SUGGESTION_LABELS[code]) for code in criteria.SUGGESTIONS]

    runde = models.ForeignKey(Screeningsrunde, on_delete=models.CASCADE, related_name="vurderinger")
    afdeling = models.ForeignKey(Afdeling, on_delete=models.CASCADE, related_name="vurderinger")
    foreslaaet_type = models.CharField("foreslået indsats", max_length=30, choices=TYPE_CHOICES)
    risikoscore = models.PositiveSmallIntegerField("risikoscore ved beslutningen", null=True, blank=True)
    beslutning = models.CharField("beslutning", max_length=12, choices=Beslutning.choices)
    valgt_type = models.CharField("valgt indsats", max_length=30, choices=TYPE_CHOICES)
    begrundelse = models.TextField("begrundelse", blank=True)
    besluttet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="besluttet af",
    )
    besluttet = models.DateTimeField("besluttet")

    history = HistoricalRecords()
    objects = VurderingQuerySet.as_manager()

    class Meta:
        verbose_name = "vurdering"
        verbose_name_plural = "vurderinger"
        constraints = [
            models.UniqueConstraint(fields=["runde", "afdeling"], name="en_vurdering_pr_afdeling_og_runde")
        ]

    def __str__(self):
        return f"{self.afdeling} {self.runde.aar}: {self.get_valgt_type_display()}"
