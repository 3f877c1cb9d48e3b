"""The active years of a plan: what the funders expect each year (report types per funding period and each
plan's obligations, see helhedsplaner/aarscyklus.py), and the yearly status staff fill in (milestones, the
reguleringskonto, explanations of the accounts' variances and the auditor's statement)."""

import calendar
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from config.web.formatting import numeric_date
from finansiering.models import Finansieringspart, ModtagetUdbetaling, Omkostningstype
from helhedsplaner.models.helhedsplan import Helhedsplan, upload_path
from indsatser.models import Aktivitet, Finansieringsperiode, Indsatsomraade


class Rapporteringstype(models.Model):
    """A report the funders expect from every plan of a funding period, with the rule for its deadline.

    Reference data: seeded by a migration for each period, and kept in the admin when a period's
    regulations say otherwise."""

    class Art(models.TextChoices):
        REGNSKAB = "regnskab", "Regnskab med reguleringskonto"
        MAALOPFOELGNING = "maalopfoelgning", "Målopfyldelse"
        MILEPAELSPLAN = "milepaelsplan", "Milepælsplan"
        MIDTVEJSSTATUS = "midtvejsstatus", "Midtvejsstatus"

    class Fristregel(models.TextChoices):
        EFTER_AARETS_UDGANG = "efter_aarets_udgang", "Et antal måneder efter årets udgang"
        FAST_DATO = "fast_dato", "En fast dato hvert år"
        MIDTVEJS = "midtvejs", "Midt i planens periode"

    periode = models.ForeignKey(
        Finansieringsperiode,
        on_delete=models.PROTECT,
        related_name="rapporteringstyper",
        verbose_name="finansieringsperiode",
    )
    navn = models.CharField("navn", max_length=120)
    art = models.CharField("art", max_length=20, choices=Art.choices)
    fristregel = models.CharField("fristregel", max_length=20, choices=Fristregel.choices)
    maaneder = models.PositiveSmallIntegerField(
        "måneder efter årets udgang",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(24)],
        help_text="Kun for fristen «et antal måneder efter årets udgang»: den sidste dag i måneden.",
    )
    dag = models.PositiveSmallIntegerField(
        "dag", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(31)]
    )
    maaned = models.PositiveSmallIntegerField(
        "måned", null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(12)]
    )
    aar_forskydning = models.SmallIntegerField(
        "år efter det år, der rapporteres for",
        default=0,
        validators=[MinValueValidator(-1), MaxValueValidator(1)],
        help_text="Kun for en fast dato: 1 = året efter (fx målopfyldelse for det forløbne år), "
        "-1 = året før (fx milepælsplanen for det kommende år).",
    )
    sortering = models.PositiveSmallIntegerField("sortering", default=0)

    class Meta:
        verbose_name = "rapporteringstype"
        verbose_name_plural = "rapporteringstyper"
        ordering = ["periode", "sortering", "navn"]
        constraints = [
            models.UniqueConstraint(fields=["periode", "navn"], name="rapporteringstype_unik_i_periode")
        ]

    def __str__(self):
        return self.navn

    def clean(self):
        if self.fristregel == self.Fristregel.EFTER_AARETS_UDGANG and not self.maaneder:
            raise ValidationError({"maaneder": "Angiv, hvor mange måneder efter årets udgang fristen er."})
        if self.fristregel == self.Fristregel.FAST_DATO:
            if not self.dag or not self.maaned:
                raise ValidationError({"dag": "Angiv dag og måned for den faste frist."})
            # A date that exists every year: 29 February does not.
            if self.dag > calendar.monthrange(2001, self.maaned)[1]:
                raise ValidationError({"dag": f"{self.dag}.{self.maaned}. findes ikke hvert år."})


class Rapporteringsforpligtelse(models.Model):
    """One report a plan owes the funders: a type for one year, with its deadline and how far it has got.

    Created for every year of the approved period when the plan becomes active, and moved when an approved
    change request changes the period (helhedsplaner/aarscyklus.py)."""

    class Status(models.TextChoices):
        AABEN = "aaben", "Åben"
        KLAR = "klar", "Klar til afsendelse"
        SENDT = "sendt", "Sendt"

    class Tilstand(models.TextChoices):
        """Where the report stands on a given day: its status, with an open or ready report past its deadline
        counted as overdue until it is sent; one not sent when the plan closed is no longer owed."""

        KOMMENDE = "kommende", "Kommende"
        FORFALDEN = "forfalden", "Forfalden"
        KLAR = "klar", "Klar"
        SENDT = "sendt", "Sendt"
        BORTFALDET = "bortfaldet", "Bortfaldet"

    plan = models.ForeignKey(
        Helhedsplan, on_delete=models.CASCADE, related_name="forpligtelser", verbose_name="plan"
    )
    type = models.ForeignKey(
        Rapporteringstype, on_delete=models.PROTECT, related_name="forpligtelser", verbose_name="type"
    )
    aar = models.PositiveSmallIntegerField("år")
    frist = models.DateField("frist", db_index=True)
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.AABEN)
    ansvarlig = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="ansvarlig",
    )
    klar_tidspunkt = models.DateTimeField("markeret klar", null=True, blank=True, editable=False)
    klar_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="markeret klar af",
    )
    sendt_dato = models.DateField("sendt", null=True, blank=True)
    sendt_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="markeret sendt af",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "rapporteringsforpligtelse"
        verbose_name_plural = "rapporteringsforpligtelser"
        ordering = ["frist", "type__sortering", "id"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "type", "aar"], name="forpligtelse_en_pr_type_og_aar")
        ]

    def __str__(self):
        return f"{self.type} {self.aar} ({self.plan})"

    @property
    def sendt(self) -> bool:
        return self.status == self.Status.SENDT

    def overskredet_pr(self, day) -> bool:
        """Not sent when its deadline has passed: on the deadline day itself it is still on time."""
        return not self.sendt and self.frist < day

    @property
    def overskredet(self) -> bool:
        return self.overskredet_pr(timezone.localdate())

    def klar_fra(self):
        """The first day the report can be marked ready: a report about a year (the accounts, the goal
        report) once the year is over, the midway status from the middle of the period (its deadline day),
        the plan for the coming year at any time (None)."""
        Art = Rapporteringstype.Art
        if self.type.art in (Art.REGNSKAB, Art.MAALOPFOELGNING):
            return date(self.aar + 1, 1, 1)
        if self.type.art == Art.MIDTVEJSSTATUS:
            return self.frist
        return None

    def kan_markeres_klar_pr(self, day) -> bool:
        first = self.klar_fra()
        return first is None or first <= day

    def tilstand_pr(self, day) -> "Rapporteringsforpligtelse.Tilstand":
        if self.sendt:
            return self.Tilstand.SENDT
        if not self.plan.koerer:
            return self.Tilstand.BORTFALDET
        if self.overskredet_pr(day):
            return self.Tilstand.FORFALDEN
        return self.Tilstand.KLAR if self.status == self.Status.KLAR else self.Tilstand.KOMMENDE


class RapportUdbetaling(models.Model):
    """A payment received that a funder paid for one report of the plan (a row here, not a field on the
    payment: finansiering knows nothing of helhedsplaner's reports). The instalment the payment settles then
    waits for that report too (helhedsplaner/payments.py)."""

    udbetaling = models.OneToOneField(
        ModtagetUdbetaling, on_delete=models.CASCADE, related_name="for_rapport", verbose_name="udbetaling"
    )
    forpligtelse = models.ForeignKey(
        Rapporteringsforpligtelse,
        on_delete=models.CASCADE,
        related_name="udbetalinger",
        verbose_name="for rapport",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "udbetaling for en rapport"
        verbose_name_plural = "udbetalinger for rapporter"

    def __str__(self):
        return f"{self.udbetaling} for {self.forpligtelse}"


class Aarsstatus(models.Model):
    """What one year of an active plan has to show that the other records do not hold: the auditor's
    statement on the accounts and a comment on the year. Created with the first thing saved for the year."""

    plan = models.ForeignKey(
        Helhedsplan, on_delete=models.CASCADE, related_name="aarsstatusser", verbose_name="plan"
    )
    aar = models.PositiveSmallIntegerField("år")
    bemaerkning = models.TextField("bemærkning til året", blank=True)
    revisorerklaering = models.FileField("revisorerklæring", upload_to=upload_path, blank=True)
    revisorerklaering_navn = models.CharField("revisorerklæringens filnavn", max_length=200, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "årsstatus"
        verbose_name_plural = "årsstatusser"
        ordering = ["plan", "aar"]
        constraints = [models.UniqueConstraint(fields=["plan", "aar"], name="aarsstatus_en_pr_aar")]

    def __str__(self):
        return f"Årsstatus {self.aar} for {self.plan}"


class Afvigelsesforklaring(models.Model):
    """Why the accounts of one budget line (indsatsområde and omkostningstype) differ from the budget."""

    aarsstatus = models.ForeignKey(
        Aarsstatus, on_delete=models.CASCADE, related_name="forklaringer", verbose_name="årsstatus"
    )
    indsatsomraade = models.ForeignKey(
        Indsatsomraade, on_delete=models.PROTECT, related_name="+", verbose_name="indsatsområde"
    )
    omkostningstype = models.ForeignKey(
        Omkostningstype, on_delete=models.PROTECT, related_name="+", verbose_name="omkostningstype"
    )
    tekst = models.TextField("forklaring")

    history = HistoricalRecords()

    class Meta:
        verbose_name = "forklaring på afvigelse"
        verbose_name_plural = "forklaringer på afvigelser"
        constraints = [
            models.UniqueConstraint(
                fields=["aarsstatus", "indsatsomraade", "omkostningstype"], name="en_forklaring_pr_linje"
            )
        ]

    def __str__(self):
        return f"{self.indsatsomraade} · {self.omkostningstype}"


class Reguleringspost(models.Model):
    """The reguleringskonto for one party in one year: what is done with its share of the money unspent
    (or overspent) against the budget. The amount itself follows from the budget and the accounts."""

    class Behandling(models.TextChoices):
        OVERFOERES = "overfoeres", "Overføres til næste år"
        TILBAGEBETALES = "tilbagebetales", "Tilbagebetales"

    aarsstatus = models.ForeignKey(
        Aarsstatus, on_delete=models.CASCADE, related_name="reguleringer", verbose_name="årsstatus"
    )
    part = models.ForeignKey(
        Finansieringspart, on_delete=models.CASCADE, related_name="+", verbose_name="finansieringspart"
    )
    behandling = models.CharField("behandling", max_length=20, choices=Behandling.choices)
    bemaerkning = models.CharField("bemærkning", max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "post på reguleringskontoen"
        verbose_name_plural = "reguleringskonto"
        constraints = [models.UniqueConstraint(fields=["aarsstatus", "part"], name="en_regulering_pr_part")]

    def __str__(self):
        return f"{self.part.navn}: {self.get_behandling_display()}"


class Milepael(models.Model):
    """A milestone of the plan's milepælsplan: what is to be reached, by when and by whom."""

    class Status(models.TextChoices):
        PLANLAGT = "planlagt", "Planlagt"
        NAAET = "naaet", "Nået"
        FORSINKET = "forsinket", "Forsinket"
        OPGIVET = "opgivet", "Opgivet"

    plan = models.ForeignKey(
        Helhedsplan, on_delete=models.CASCADE, related_name="milepaele", verbose_name="plan"
    )
    aktivitet = models.ForeignKey(
        Aktivitet,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="milepaele",
        verbose_name="aktivitet",
    )
    hvad = models.CharField("milepæl", max_length=300)
    dato = models.DateField("hvornår")
    hvem = models.CharField("hvem", max_length=160, blank=True)
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.PLANLAGT)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "milepæl"
        verbose_name_plural = "milepæle"
        ordering = ["dato", "id"]

    def __str__(self):
        return self.hvad

    def clean(self):
        indsats = self.plan.indsats if self.plan_id else None
        if not (self.dato and indsats and indsats.startdato and indsats.slutdato):
            return
        if not indsats.startdato <= self.dato <= indsats.slutdato:
            raise ValidationError(
                {
                    "dato": f"Milepælen ligger uden for planens periode "
                    f"({numeric_date(indsats.startdato)}–{numeric_date(indsats.slutdato)})."
                }
            )
        if self.aktivitet_id and self.aktivitet.indsats_id != indsats.pk:
            raise ValidationError({"aktivitet": "Aktiviteten hører ikke til planen."})
