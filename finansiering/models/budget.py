"""Budgets (versions of lines year × indsatsområde × omkostningstype) and the fordelingsnøgle.

The money maths lives in allocation.py; actions.py holds every change that has rules (locking,
versioning, the indsats period) so views, imports, demo data and the helhedsplan lifecycle share them.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from indsatser.models import Indsats, Indsatsomraade
from screening.models import Afdeling

NOT_NEGATIVE = [MinValueValidator(Decimal(0), "Beløbet kan ikke være negativt.")]
PERCENT = [
    MinValueValidator(Decimal(0), "Procentsatsen kan ikke være negativ."),
    MaxValueValidator(Decimal(100), "Procentsatsen kan ikke være over 100."),
]


class Omkostningstype(models.Model):
    """A kind of cost on a budget line (løn, aktiviteter...). Reference data: editable in the admin."""

    kode = models.SlugField("kode", max_length=40, unique=True)
    navn = models.CharField("navn", max_length=80, unique=True)
    beskrivelse = models.TextField("beskrivelse", blank=True)
    sortering = models.PositiveSmallIntegerField("sortering", default=0)
    aktiv = models.BooleanField(
        "aktiv", default=True, help_text="Inaktive typer bliver på gamle linjer, men tilbydes ikke."
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "omkostningstype"
        verbose_name_plural = "omkostningstyper"
        ordering = ["sortering", "navn"]

    def __str__(self):
        return self.navn


class BudgetversionQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(indsats__in=Indsats.objects.visible_to(user))


class Budgetversion(models.Model):
    """One version of an indsats's budget, from draft to the funders' decision.

    A draft (udkast) is edited by staff. Sending the plan to the funders submits its latest version
    (indsendt): it is locked, and while it is with them no cell changes and no version is added. Only the
    funders' approval makes a submitted version approved (godkendt); the version it replaces as the
    approved budget becomes superseded (erstattet), as do the drafts before a version that is submitted
    (they can no longer be sent). A submitted version the funders decided on without approving it as the
    budget (the prækvalifikation's estimate, an application sent back or refused) is decided (besluttet).
    A change after approval is a new draft with a reason, so what the funders approved stays readable next
    to what changed.
    """

    class Fase(models.TextChoices):
        """What the version is for."""

        PRAEKVALIFIKATION = "praekvalifikation", "Prækvalifikationsestimat"
        ANSOEGNING = "ansoegning", "Ansøgning"

    class Status(models.TextChoices):
        UDKAST = "udkast", "Udkast"
        INDSENDT = "indsendt", "Indsendt"
        GODKENDT = "godkendt", "Godkendt af bevillingsgiverne"
        # The funders decided on it without making it the approved budget: a prækvalifikation's
        # estimate, or an application sent back or refused. Their decision is in godkendt_grundlag.
        BESLUTTET = "besluttet", "Besluttet af bevillingsgiverne"
        ERSTATTET = "erstattet", "Erstattet"

    indsats = models.ForeignKey(
        Indsats, on_delete=models.CASCADE, related_name="budgetversioner", verbose_name="indsats"
    )
    nummer = models.PositiveSmallIntegerField("versionsnummer")
    fase = models.CharField("formål", max_length=20, choices=Fase.choices, default=Fase.PRAEKVALIFIKATION)
    status = models.CharField(
        "status", max_length=20, choices=Status.choices, default=Status.UDKAST, editable=False
    )
    begrundelse = models.TextField("begrundelse", blank=True)
    oprettet = models.DateTimeField("oprettet", auto_now_add=True)
    oprettet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="oprettet af",
    )
    indsendt_tidspunkt = models.DateTimeField("indsendt", null=True, blank=True, editable=False)
    indsendt_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="indsendt af",
    )
    godkendt_tidspunkt = models.DateTimeField("godkendt", null=True, blank=True, editable=False)
    godkendt_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="godkendelsen registreret af",
    )
    godkendt_grundlag = models.TextField(
        "bevillingsgivernes afgørelse",
        blank=True,
        editable=False,
        help_text="De afgørelser, der godkendte versionen eller på anden måde besluttede om den.",
    )
    # The afdelinger's lejemål and m² when the version was submitted: {str(afdeling pk): {"lejemaal": n,
    # "areal_m2": "1234.5"}}. The local share of a submitted or approved version is split by these, so a later
    # change in the register does not move what the afdelinger were asked for.
    afdelingstal = models.JSONField("afdelingernes størrelse ved indsendelse", default=dict, editable=False)

    history = HistoricalRecords()
    objects = BudgetversionQuerySet.as_manager()

    class Meta:
        verbose_name = "budgetversion"
        verbose_name_plural = "budgetversioner"
        ordering = ["indsats", "nummer"]
        constraints = [
            models.UniqueConstraint(fields=["indsats", "nummer"], name="budgetversion_nummer_unikt")
        ]

    def __str__(self):
        return (
            f"Version {self.nummer} ({self.get_fase_display().lower()}, {self.get_status_display().lower()})"
        )

    @property
    def laast(self) -> bool:
        """Only a draft can be changed: a submitted, approved or superseded version is what it was."""
        return self.status != self.Status.UDKAST


class Budgetlinje(models.Model):
    """One cell of a budget: the amount for one year, indsatsområde and omkostningstype, with a note."""

    version = models.ForeignKey(
        Budgetversion, on_delete=models.CASCADE, related_name="linjer", verbose_name="version"
    )
    aar = models.PositiveSmallIntegerField("år")
    indsatsomraade = models.ForeignKey(
        Indsatsomraade, on_delete=models.PROTECT, related_name="budgetlinjer", verbose_name="indsatsområde"
    )
    omkostningstype = models.ForeignKey(
        Omkostningstype, on_delete=models.PROTECT, related_name="budgetlinjer", verbose_name="omkostningstype"
    )
    beloeb = models.DecimalField("beløb (kr.)", max_digits=14, decimal_places=2, validators=NOT_NEGATIVE)
    note = models.CharField("note", max_length=500, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "budgetlinje"
        verbose_name_plural = "budgetlinjer"
        ordering = ["aar", "indsatsomraade__sortering", "omkostningstype__sortering"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "aar", "indsatsomraade", "omkostningstype"], name="budgetlinje_unik_celle"
            ),
            models.CheckConstraint(
                condition=models.Q(beloeb__gte=0), name="budgetlinje_beloeb_ikke_negativt"
            ),
        ]

    def __str__(self):
        return f"{self.aar} · {self.indsatsomraade} · {self.omkostningstype}: {self.beloeb} kr."


class Fordelingsnoegle(models.Model):
    """How an indsats is financed: the parties (below), how the local share is split between its current
    afdelinger, and the threshold above which a variance between budget and regnskab is flagged."""

    class Grundlag(models.TextChoices):
        LEJEMAAL = "lejemaal", "Efter antal lejemål"
        AREAL = "areal", "Efter areal (m²)"
        AFTALT = "aftalt", "Efter aftalte beløb"

    indsats = models.OneToOneField(
        Indsats, on_delete=models.CASCADE, related_name="fordelingsnoegle", verbose_name="indsats"
    )
    afdelingsgrundlag = models.CharField(
        "fordeling mellem afdelingerne", max_length=20, choices=Grundlag.choices, default=Grundlag.LEJEMAAL
    )
    afvigelsesgraense = models.DecimalField(
        "grænse for afvigelser (%)",
        max_digits=5,
        decimal_places=2,
        default=Decimal(10),
        validators=[MinValueValidator(Decimal(0), "Grænsen kan ikke være negativ.")],
        help_text="Forskelle mellem budget og regnskab over denne procentdel af budgettet markeres.",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "fordelingsnøgle"
        verbose_name_plural = "fordelingsnøgler"

    def __str__(self):
        return f"Fordelingsnøgle for {self.indsats}"


class Finansieringspart(models.Model):
    """A party paying a share of the indsats, in percent of the whole budget."""

    class Art(models.TextChoices):
        LBF = "lbf", "Landsbyggefonden"
        KOMMUNE = "kommune", "Kommune"
        AFDELINGER = "afdelinger", "Boligorganisation/afdelinger"
        ANDEN = "anden", "Anden finansiering (fx fond)"

    noegle = models.ForeignKey(
        Fordelingsnoegle, on_delete=models.CASCADE, related_name="parter", verbose_name="fordelingsnøgle"
    )
    art = models.CharField("art", max_length=20, choices=Art.choices)
    navn = models.CharField("navn", max_length=120)
    procent = models.DecimalField("andel (%)", max_digits=7, decimal_places=4, validators=PERCENT)
    sortering = models.PositiveSmallIntegerField("sortering", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "finansieringspart"
        verbose_name_plural = "finansieringsparter"
        ordering = ["noegle", "sortering", "id"]
        constraints = [
            # The afdelinger's share is the one split between the afdelinger: there can be only one.
            models.UniqueConstraint(
                fields=["noegle"], condition=models.Q(art="afdelinger"), name="en_afdelingspart_pr_noegle"
            ),
        ]

    def __str__(self):
        return f"{self.navn} ({self.procent} %)"


class Kommuneanvendelse(models.Model):
    """What the kommune's share is used for, in percentage points of the whole budget
    (in Copenhagen about 10.6 points for staff, activities and networks and 1.9 for facilitation)."""

    part = models.ForeignKey(
        Finansieringspart, on_delete=models.CASCADE, related_name="anvendelser", verbose_name="part"
    )
    navn = models.CharField("anvendelse", max_length=120)
    procentpoint = models.DecimalField("procentpoint", max_digits=7, decimal_places=4, validators=PERCENT)
    sortering = models.PositiveSmallIntegerField("sortering", default=0)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "anvendelse af kommunens andel"
        verbose_name_plural = "anvendelser af kommunens andel"
        ordering = ["part", "sortering", "id"]

    def __str__(self):
        return f"{self.navn} ({self.procentpoint} point)"


class AftaltAfdelingsandel(models.Model):
    """An agreed amount for one afdeling over the whole period, used when the local share is split by
    agreed amounts. Rows for an afdeling that has left the indsats are kept but no longer count."""

    noegle = models.ForeignKey(
        Fordelingsnoegle,
        on_delete=models.CASCADE,
        related_name="aftalte_andele",
        verbose_name="fordelingsnøgle",
    )
    afdeling = models.ForeignKey(
        Afdeling, on_delete=models.CASCADE, related_name="+", verbose_name="afdeling"
    )
    beloeb = models.DecimalField(
        "aftalt beløb (kr.)", max_digits=14, decimal_places=2, validators=NOT_NEGATIVE
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "aftalt afdelingsandel"
        verbose_name_plural = "aftalte afdelingsandele"
        constraints = [models.UniqueConstraint(fields=["noegle", "afdeling"], name="en_aftale_pr_afdeling")]

    def __str__(self):
        return f"{self.afdeling}: {self.beloeb} kr."
