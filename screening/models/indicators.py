"""Indicators, the official rule sets, yearly screening rounds and the measurements in them."""

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from config.web.roles import is_medarbejder, sees_all_afdelinger
from screening import criteria
from screening.models.register import Afdeling, Boligomraade


class Indikator(models.Model):
    """What is measured (reference data, seeded by migration): the official criteria and fsb's own signals."""

    class Enhed(models.TextChoices):
        ANDEL = "pct", "andel i %"
        INDEKS = "indeks", "% af gennemsnit"
        ANTAL = "antal", "antal"
        KR_M2 = "kr_m2", "kr. pr. m²"
        KR = "kr", "kr."

    class Retning(models.TextChoices):
        HOEJ = "hoej", "Høj værdi er dårlig"
        LAV = "lav", "Lav værdi er dårlig"
        NEUTRAL = "neutral", "Hverken høj eller lav er dårlig"

    class Niveau(models.TextChoices):
        AFDELING = "afdeling", "Kun afdeling"
        BEGGE = "begge", "Afdeling og boligområde"

    kode = models.SlugField("kode", max_length=60, unique=True)
    navn = models.CharField("navn", max_length=120)
    kort_navn = models.CharField("kort navn", max_length=40)
    enhed = models.CharField("enhed", max_length=10, choices=Enhed.choices)
    retning = models.CharField("hvad er dårligt", max_length=10, choices=Retning.choices)
    niveau = models.CharField("niveau", max_length=10, choices=Niveau.choices, default=Niveau.BEGGE)
    kilde = models.CharField("kilde", max_length=120)
    officiel = models.BooleanField("officielt kriterium", default=False)
    beskrivelse = models.TextField("beskrivelse", blank=True)
    sortering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "indikator"
        verbose_name_plural = "indikatorer"
        ordering = ["sortering", "kode"]

    def __str__(self):
        return self.navn

    @property
    def is_count(self) -> bool:
        return self.enhed == self.Enhed.ANTAL

    @property
    def is_basis(self) -> bool:
        """A count or base an official share is computed from (criteria.COUNT_BASES): shown beside its share,
        not as an indicator of its own."""
        return self.kode in criteria.BASIS_CODES

    @property
    def unit_suffix(self) -> str:
        return {"pct": " %", "indeks": " %", "antal": "", "kr_m2": " kr./m²", "kr": " kr."}[self.enhed]

    def check_value(self, value: Decimal) -> str | None:
        """A Danish message if the value cannot be right for this indicator, else None."""
        if value < 0:
            return f"{self.kode} kan ikke være negativ."
        if self.enhed == self.Enhed.ANDEL and value > 100:
            return f"{self.kode} er en andel og skal ligge mellem 0 og 100."
        if self.enhed == self.Enhed.ANTAL and value != value.to_integral_value():
            return f"{self.kode} er et antal og skal være et helt tal."
        return None


class RegelsaetQuerySet(models.QuerySet):
    def in_force(self, aar: int):
        """The rule set covering the given year, or None."""
        return (
            self.filter(gyldig_fra_aar__lte=aar, scenarie=False)
            .filter(Q(gyldig_til_aar__isnull=True) | Q(gyldig_til_aar__gte=aar))
            .order_by("-gyldig_fra_aar")
            .first()
        )


def _pct(name, **kwargs):
    return models.DecimalField(
        name,
        max_digits=6,
        decimal_places=2,
        validators=[MinValueValidator(Decimal(0)), MaxValueValidator(Decimal(100))],
        **kwargs,
    )


class Regelsaet(models.Model):
    """One version of the official criteria (a law in force for a span of years), as data. A scenario is a
    rule set that never applies to a round by itself: staff compute any round under it beside the rules in
    force, to see which areas would change class (e.g. the 2021 rules without the non-western criterion)."""

    kode = models.SlugField("kode", max_length=40, unique=True)
    navn = models.CharField("navn", max_length=120)
    scenarie = models.BooleanField(
        "kun et scenarie",
        default=False,
        help_text="Gælder aldrig for en runde af sig selv (årene er kun til orientering); "
        "rundernes tal kan beregnes efter det ved siden af de gældende regler.",
    )
    gyldig_fra_aar = models.PositiveSmallIntegerField("gælder fra runde (år)")
    gyldig_til_aar = models.PositiveSmallIntegerField("gælder til og med runde (år)", null=True, blank=True)
    udsat_uden_job_pct = _pct("A: uden job/uddannelse over (%)")
    udsat_domfaeldte_faktor = models.DecimalField(
        "B: domfældte mindst (× landsgennemsnit)", max_digits=4, decimal_places=2
    )
    udsat_kun_grundskole_pct = _pct("C: kun grundskole over (%)")
    udsat_indkomst_pct = _pct("D: indkomst under (% af regionen)")
    parallel_ikke_vestlige_pct = _pct(
        "ikke-vestlige over (%) for parallelsamfund",
        null=True,
        blank=True,
        help_text="Tom: regelsættet har intet kriterium om ikke-vestlige, og intet område bliver "
        "parallelsamfund eller får den vedvarende klasse.",
    )
    forebyggelse_uden_job_pct = _pct("forebyggelse A over (%)", null=True, blank=True)
    forebyggelse_domfaeldte_faktor = models.DecimalField(
        "forebyggelse B mindst (×)", max_digits=4, decimal_places=2, null=True, blank=True
    )
    forebyggelse_kun_grundskole_pct = _pct("forebyggelse C over (%)", null=True, blank=True)
    forebyggelse_indkomst_pct = _pct("forebyggelse D under (%)", null=True, blank=True)
    forebyggelse_ikke_vestlige_pct = _pct("forebyggelse ikke-vestlige over (%)", null=True, blank=True)
    min_beboere = models.PositiveIntegerField("mindst antal beboere", default=1000)
    min_kriterier = models.PositiveSmallIntegerField("mindst antal opfyldte kriterier A-D", default=2)
    vedvarende_runder = models.PositiveSmallIntegerField("runder i træk for den vedvarende klasse")
    klasse_parallel = models.SlugField("kode for parallelsamfund", max_length=40)
    navn_parallel = models.CharField("navn for parallelsamfund", max_length=60)
    klasse_vedvarende = models.SlugField("kode for den vedvarende klasse", max_length=40)
    navn_vedvarende = models.CharField("navn for den vedvarende klasse", max_length=60)

    history = HistoricalRecords()
    objects = RegelsaetQuerySet.as_manager()

    class Meta:
        verbose_name = "regelsæt"
        verbose_name_plural = "regelsæt"
        ordering = ["-gyldig_fra_aar"]

    def __str__(self):
        return self.navn

    FOREBYGGELSE_FIELDS = (
        "forebyggelse_uden_job_pct",
        "forebyggelse_domfaeldte_faktor",
        "forebyggelse_kun_grundskole_pct",
        "forebyggelse_indkomst_pct",
    )

    def clean(self):
        given = [getattr(self, name) is not None for name in self.FOREBYGGELSE_FIELDS]
        if any(given) and not all(given):
            raise ValidationError("Udfyld alle forebyggelsesgrænserne for A-D eller ingen af dem.")
        # The non-western criterion is in a rule set as a whole, or not at all.
        share_given = self.forebyggelse_ikke_vestlige_pct is not None
        if self.parallel_ikke_vestlige_pct is None and share_given:
            raise ValidationError(
                "Uden grænsen for parallelsamfund indgår kriteriet om ikke-vestlige ikke; lad også "
                "forebyggelsesgrænsen for ikke-vestlige stå tom."
            )
        if self.parallel_ikke_vestlige_pct is not None and all(given) != share_given:
            raise ValidationError(
                "Forebyggelsesgrænsen for ikke-vestlige udfyldes sammen med de øvrige forebyggelsesgrænser."
            )
        if self.gyldig_til_aar is not None and self.gyldig_til_aar < self.gyldig_fra_aar:
            raise ValidationError("Slutåret ligger før startåret.")
        for code in (self.klasse_parallel, self.klasse_vedvarende):
            if code not in criteria.SEVERITY:
                known = ", ".join(sorted(criteria.SEVERITY))
                raise ValidationError(f"Klassen '{code}' kendes ikke af beregningen (kendte: {known}).")

    def to_rule_set(self) -> criteria.RuleSet:
        forebyggelse = None
        if self.forebyggelse_uden_job_pct is not None:
            forebyggelse = criteria.Thresholds(
                self.forebyggelse_uden_job_pct,
                self.forebyggelse_domfaeldte_faktor,
                self.forebyggelse_kun_grundskole_pct,
                self.forebyggelse_indkomst_pct,
                self.forebyggelse_ikke_vestlige_pct,
            )
        return criteria.RuleSet(
            kode=self.kode,
            navn=self.navn,
            udsat=criteria.Thresholds(
                self.udsat_uden_job_pct,
                self.udsat_domfaeldte_faktor,
                self.udsat_kun_grundskole_pct,
                self.udsat_indkomst_pct,
                self.parallel_ikke_vestlige_pct,
            ),
            forebyggelse=forebyggelse,
            min_beboere=self.min_beboere,
            min_kriterier=self.min_kriterier,
            vedvarende_runder=self.vedvarende_runder,
            klasse_parallel=self.klasse_parallel,
            navn_parallel=self.navn_parallel,
            klasse_vedvarende=self.klasse_vedvarende,
            navn_vedvarende=self.navn_vedvarende,
        )


class ScreeningsrundeQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff see every round, drafts included; everyone else only the final ones (a draft's few rows
        would change areas' classes before the year's figures are in)."""
        if not user.is_authenticated:
            return self.none()
        return self if is_medarbejder(user) else self.final()

    def final(self):
        return self.filter(status=Screeningsrunde.Status.ENDELIG)


class Screeningsrunde(models.Model):
    """The screening of one year: a draft while figures come in, final when the year is closed."""

    class Status(models.TextChoices):
        KLADDE = "kladde", "Kladde"
        ENDELIG = "endelig", "Endelig"

    aar = models.PositiveSmallIntegerField(
        "år", unique=True, validators=[MinValueValidator(1990), MaxValueValidator(2100)]
    )
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.KLADDE)
    regelsaet = models.ForeignKey(
        Regelsaet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="runder",
        verbose_name="regelsæt",
        limit_choices_to={"scenarie": False},
        help_text="Sættes efter året; tomt hvis ingen officielle kriterier gjaldt.",
    )
    landsgennemsnit_domfaeldte_pct = models.DecimalField(
        "landsgennemsnit, domfældte (%)",
        max_digits=5,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal(100))],
        help_text="Andelen af alle beboere i landet, der er dømt (referencen for kriterium B).",
    )
    note = models.TextField("note", blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    afsluttet = models.DateTimeField("gjort endelig", null=True, blank=True)
    afsluttet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="gjort endelig af",
    )
    # The last time staff reopened the round after it was final, and why (each change is in its history too).
    genaabnet = models.DateTimeField("genåbnet", null=True, blank=True, editable=False)
    genaabnet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name="genåbnet af",
    )
    genaabnet_begrundelse = models.TextField("begrundelse for genåbning", blank=True, editable=False)
    # When the stored results (screening.models.results) were last computed; empty while they are stale.
    resultater_beregnet = models.DateTimeField("resultater beregnet", null=True, blank=True, editable=False)
    # What the round holds, taken when its results are computed (screening.results.compute), so the rounds
    # page does not count a national round's figures on every view. Emptied when figures are
    # saved or deleted outside an import (screening.results.forget_counts).
    antal_afdelinger = models.PositiveIntegerField("afdelinger med tal", null=True, editable=False)
    antal_omraader = models.PositiveIntegerField("områder med egne tal", null=True, editable=False)
    antal_maalinger = models.PositiveIntegerField("tal i alt", null=True, editable=False)

    history = HistoricalRecords(
        excluded_fields=["resultater_beregnet", "antal_afdelinger", "antal_omraader", "antal_maalinger"]
    )
    objects = ScreeningsrundeQuerySet.as_manager()

    class Meta:
        verbose_name = "screeningsrunde"
        verbose_name_plural = "screeningsrunder"
        ordering = ["-aar"]

    def __str__(self):
        return f"Screening {self.aar}"

    @property
    def is_final(self) -> bool:
        return self.status == self.Status.ENDELIG


class MaalingQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_all_afdelinger(user):
            return self
        visible = Afdeling.objects.visible_to(user)
        return self.filter(
            Q(afdeling__in=visible) | Q(boligomraade__in=Boligomraade.objects.visible_to(user))
        )


class Maaling(models.Model):
    """One figure: an afdeling's or an area's value of one indicator in one round."""

    runde = models.ForeignKey(
        Screeningsrunde, on_delete=models.CASCADE, related_name="maalinger", verbose_name="runde"
    )
    indikator = models.ForeignKey(
        Indikator, on_delete=models.PROTECT, related_name="maalinger", verbose_name="indikator"
    )
    afdeling = models.ForeignKey(
        Afdeling,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="maalinger",
        verbose_name="afdeling",
    )
    boligomraade = models.ForeignKey(
        Boligomraade,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="maalinger",
        verbose_name="boligområde",
    )
    vaerdi = models.DecimalField("værdi", max_digits=12, decimal_places=2)
    kilde = models.CharField("kilde", max_length=120, blank=True)
    note = models.CharField("note", max_length=200, blank=True)
    aendret = models.DateTimeField(auto_now=True)

    objects = MaalingQuerySet.as_manager()

    class Meta:
        verbose_name = "måling"
        verbose_name_plural = "målinger"
        constraints = [
            models.CheckConstraint(
                condition=Q(afdeling__isnull=False, boligomraade__isnull=True)
                | Q(afdeling__isnull=True, boligomraade__isnull=False),
                name="maaling_enten_afdeling_eller_omraade",
            ),
            models.UniqueConstraint(
                fields=["runde", "indikator", "afdeling"],
                condition=Q(afdeling__isnull=False),
                name="maaling_unik_for_afdeling",
            ),
            models.UniqueConstraint(
                fields=["runde", "indikator", "boligomraade"],
                condition=Q(boligomraade__isnull=False),
                name="maaling_unik_for_omraade",
            ),
        ]
        # An afdeling's figures in a round (a plan's analysis, an afdeling's history): the unique index
        # above starts with the round and the indicator, so without this the database reads the whole round.
        indexes = [models.Index(fields=["afdeling", "runde"], name="maaling_afdeling_runde")]

    def __str__(self):
        return f"{self.indikator.kode} {self.afdeling or self.boligomraade} {self.runde.aar}: {self.vaerdi}"
