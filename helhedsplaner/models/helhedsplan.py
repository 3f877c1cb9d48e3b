"""A helhedsplan: the grant lifecycle on top of an Indsats, with decisions, afdelingsmøder, review and events.

The state field is written only by helhedsplaner.lifecycle.fire(); everything about the states (names,
who may move a plan, what must exist first) is declared there.
"""

import uuid
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from config.web.formatting import numeric_date
from config.web.roles import sees_all_afdelinger
from indsatser.models import Indsats
from screening.models import Afdeling

# The plan's text, section by section: board members comment per section, "what changed" diffs per field.
TEXT_SECTIONS = [
    ("resume", "Resumé"),
    ("analyse", "Analyse af udfordringerne"),
    ("maal", "Vision og mål"),
    ("organisering", "Organisering"),
]
SECTIONS = [
    *TEXT_SECTIONS,
    ("indsatsomraader", "Indsatsområder og aktiviteter"),
    ("periode", "Periode og afdelinger"),
    ("bilag", "Bilag"),
]
SECTION_LABELS = dict(SECTIONS)


def upload_path(instance, filename):
    """A random name under the plan's folder: nothing guessable, the original name is kept in the row."""
    suffix = PurePosixPath(filename).suffix.lower()
    return f"helhedsplaner/{instance.plan_id}/{uuid.uuid4().hex}{suffix}"


class HelhedsplanQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and secretariat see every plan; a board member only plans touching their afdelinger."""
        if sees_all_afdelinger(user):
            return self
        return self.filter(indsats__in=Indsats.objects.visible_to(user))


class Helhedsplan(models.Model):
    indsats = models.OneToOneField(
        Indsats, on_delete=models.CASCADE, related_name="helhedsplan", verbose_name="indsats"
    )
    # The first state of lifecycle.STATES; only lifecycle.fire() changes it.
    tilstand = models.CharField("fase", max_length=40, default="ide", db_index=True, editable=False)
    tilstand_siden = models.DateTimeField("i fasen siden", default=timezone.now, editable=False)
    # Counts the plan's transitions. Decisions remember the number they were recorded under, so a
    # decision from before a plan was sent back never counts for the next round; forms carry it too,
    # so a dialog opened before someone else moved the plan is refused instead of acting on a new state.
    fase_nr = models.PositiveIntegerField("fasenummer", default=0, editable=False)
    moederunde = models.PositiveSmallIntegerField("runde af afdelingsmøder", default=0, editable=False)
    # Optimistic concurrency for the plan text: a save based on an older version is refused.
    version = models.PositiveIntegerField("version", default=1, editable=False)

    resume = models.TextField("resumé", blank=True, help_text="Planen på én side: hvorfor, hvad og for hvem.")
    analyse = models.TextField(
        "analyse af udfordringerne",
        blank=True,
        help_text="De sociale udfordringer i afdelingerne (højst ca. 5 sider).",
    )
    maal = models.TextField(
        "vision og mål", blank=True, help_text="Visionen og planens mål ud fra fsb's fire mål."
    )
    organisering = models.TextField(
        "organisering",
        blank=True,
        help_text="Hvem styrer, hvem følger planen, og samarbejdsaftalen med kommunen.",
    )
    planlagt_start = models.DateField("planlagt start", null=True, blank=True)
    varighed_aar = models.PositiveSmallIntegerField(
        "varighed (år)", default=4, validators=[MinValueValidator(1), MaxValueValidator(10)]
    )
    tekst_aendret = models.DateTimeField("teksten senest ændret", null=True, blank=True, editable=False)
    tekst_aendret_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
        verbose_name="teksten senest ændret af",
    )
    oprettet = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = HelhedsplanQuerySet.as_manager()

    class Meta:
        verbose_name = "helhedsplan"
        verbose_name_plural = "helhedsplaner"
        ordering = ["indsats__titel"]

    def __str__(self):
        return self.indsats.titel

    @property
    def state(self):
        # Imported here because the lifecycle module imports these models.
        from helhedsplaner.lifecycle import STATE

        return STATE[self.tilstand]

    @property
    def koerer(self) -> bool:
        """In a phase in which its years are reported on (lifecycle.RUNNING)."""
        from helhedsplaner.lifecycle import RUNNING

        return self.tilstand in RUNNING

    @property
    def planlagt_slut(self):
        if not self.planlagt_start:
            return None
        start = self.planlagt_start
        try:
            return start.replace(year=start.year + self.varighed_aar) - timedelta(days=1)
        except ValueError:  # 29 February plus whole years
            return start.replace(year=start.year + self.varighed_aar, day=28)

    def moederunde_startet(self, runde):
        """The day the plan was sent to round `runde` of afdelingsmøder (its meetings cannot be earlier),
        or None when that is not on record. send_til_afdelingsmoeder is the only way into the step and
        starts a new round each time, so round n began with the n-th such transition on the timeline."""
        from helhedsplaner.lifecycle import AFDELINGSMOEDER

        if runde == self.moederunde and self.tilstand == AFDELINGSMOEDER:
            return timezone.localdate(self.tilstand_siden)
        starts = list(
            self.haendelser.filter(art=Haendelse.Art.OVERGANG, til_tilstand=AFDELINGSMOEDER)
            .order_by("tid", "id")
            .values_list("tid", flat=True)[:runde]
        )
        if runde < 1 or len(starts) < runde:
            return None
        return timezone.localdate(starts[runde - 1])


def not_in_future(day, what: str):
    """The Danish error for a record dated after today, or None."""
    if day and day > timezone.localdate():
        return f"{what} kan ikke ligge i fremtiden (i dag er {numeric_date(timezone.localdate())})."
    return None


class AbstractBeslutning(models.Model):
    """What a decision records, whoever decides and on what: a plan's step (Beslutning) or a change to the
    approved plan (Aendringsbeslutning). A funder's approval holds its tilsagn (the granted amount) and
    may set conditions (Betingelse rows); the decision letter is kept with it. A later decision by the same
    organ on the same question is a correction: it replaces the earlier one (erstatter), both stay on
    record, and the one registered last counts."""

    class Udfald(models.TextChoices):
        GODKENDT = "godkendt", "Godkendt"
        GODKENDT_MED_BETINGELSER = "godkendt_med_betingelser", "Godkendt med betingelser"
        SENDT_TILBAGE = "sendt_tilbage", "Sendt tilbage"
        AFVIST = "afvist", "Afvist"

    POSITIVE = (Udfald.GODKENDT, Udfald.GODKENDT_MED_BETINGELSER)

    dato = models.DateField("dato")
    udfald = models.CharField("udfald", max_length=30, choices=Udfald.choices)
    journalnummer = models.CharField("journalnummer", max_length=60, blank=True)
    # The tilsagn: what LBF or the kommune granted when approving (their conditions are Betingelse rows).
    # It must equal the party's share of the budget it approves, or come with a reason why not.
    bevilget_beloeb = models.DecimalField(
        "bevilget beløb (kr.)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0, "Beløbet kan ikke være negativt.")],
    )
    afvigelse_begrundelse = models.TextField(
        "begrundelse for afvigelse",
        blank=True,
        help_text="Hvorfor det bevilgede beløb afviger fra partens andel af budgettet.",
    )
    bemaerkning = models.TextField("bemærkning", blank=True)
    dokument = models.FileField("dokument", upload_to=upload_path, blank=True)
    dokument_navn = models.CharField("dokumentets filnavn", max_length=200, blank=True)
    registreret_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="registreret af",
    )
    registreret = models.DateTimeField("registreret", default=timezone.now)
    erstatter = models.OneToOneField(
        "self",
        on_delete=models.SET_NULL,  # PROTECT would refuse deleting the plan itself
        null=True,
        blank=True,
        related_name="erstattet_af",
        editable=False,
        verbose_name="erstatter beslutning",
    )

    class Meta:
        abstract = True

    def clean(self):
        if error := not_in_future(self.dato, "Beslutningens dato"):
            raise ValidationError({"dato": error})

    @property
    def positiv(self) -> bool:
        return self.udfald in self.POSITIVE


class Beslutning(AbstractBeslutning):
    """A decision on the plan by one organ: what the lifecycle's guards look at. It replaces the decision
    of the same organ in the same phase (lifecycle.current_decisions)."""

    class Organ(models.TextChoices):
        ORGANISATIONSBESTYRELSE = "organisationsbestyrelse", "Organisationsbestyrelsen"
        LBF = "lbf", "Landsbyggefonden"
        KOMMUNE = "kommune", "Københavns Kommune"
        AFDELINGSMOEDE = "afdelingsmoede", "Afdelingsmøde"

    plan = models.ForeignKey(
        Helhedsplan, on_delete=models.CASCADE, related_name="beslutninger", verbose_name="plan"
    )
    organ = models.CharField("organ", max_length=30, choices=Organ.choices)
    afdeling = models.ForeignKey(
        Afdeling, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="afdeling"
    )
    afdelingsmoede = models.OneToOneField(
        "Afdelingsmoede", on_delete=models.CASCADE, null=True, blank=True, related_name="beslutning"
    )
    fase = models.CharField("fase ved registrering", max_length=40, editable=False)
    fase_nr = models.PositiveIntegerField(editable=False)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "beslutning"
        verbose_name_plural = "beslutninger"
        ordering = ["-dato", "-id"]

    def __str__(self):
        return f"{self.get_organ_display()}: {self.get_udfald_display()} ({numeric_date(self.dato)})"


class Betingelse(models.Model):
    """A condition (betingelse) of a decision, typically of a funder's tilsagn: followed up by a staff
    member by its due date, and met with a note or a document."""

    class Status(models.TextChoices):
        AABEN = "aaben", "Åben"
        OPFYLDT = "opfyldt", "Opfyldt"

    plan = models.ForeignKey(
        Helhedsplan, on_delete=models.CASCADE, related_name="betingelser", verbose_name="plan"
    )
    # The decision that set it: one on the plan, or one on a change to the approved plan.
    beslutning = models.ForeignKey(
        Beslutning,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="betingelser",
        verbose_name="beslutning",
    )
    aendringsbeslutning = models.ForeignKey(
        "Aendringsbeslutning",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="betingelser",
        verbose_name="beslutning om ændring",
    )
    tekst = models.TextField("betingelse")
    # Empty only for conditions recorded as free text before due dates and follow-up were kept.
    frist = models.DateField("frist", null=True, blank=True)
    ansvarlig = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="følges op af",
    )
    status = models.CharField("status", max_length=10, choices=Status.choices, default=Status.AABEN)
    opfyldt_note = models.TextField("hvordan betingelsen er opfyldt", blank=True)
    dokument = models.FileField("dokumentation", upload_to=upload_path, blank=True)
    dokument_navn = models.CharField("dokumentets filnavn", max_length=200, blank=True)
    opfyldt_tidspunkt = models.DateTimeField("opfyldt", null=True, blank=True)
    opfyldt_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="markeret opfyldt af",
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = "betingelse"
        verbose_name_plural = "betingelser"
        ordering = [models.F("frist").asc(nulls_last=True), "id"]
        # The start page's open conditions, the nearest due date first: 20 read from the index, rather than
        # every open condition of the country joined to its plan and sorted.
        indexes = [
            models.Index(
                fields=["frist", "id"], condition=models.Q(status="aaben"), name="betingelse_aaben_frist"
            )
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(beslutning__isnull=False, aendringsbeslutning__isnull=True)
                | models.Q(beslutning__isnull=True, aendringsbeslutning__isnull=False),
                name="betingelse_har_een_beslutning",
            )
        ]

    def __str__(self):
        return self.tekst[:80]

    @property
    def stillet_ved(self):
        """The decision that set the condition (select_related both to read it without a query)."""
        return self.beslutning or self.aendringsbeslutning

    @property
    def aaben(self) -> bool:
        return self.status == self.Status.AABEN

    @property
    def overskredet(self) -> bool:
        return self.aaben and self.frist is not None and self.frist < timezone.localdate()


def _count(number, one: str, many: str) -> str:
    """A number with its noun in Danish singular or plural: 1 blank, 2 blanke."""
    return f"{number} {one if number == 1 else many}"


class Afdelingsmoede(models.Model):
    """An involved afdeling's residents' meeting on the plan: its votes, and any ballot that followed."""

    plan = models.ForeignKey(
        Helhedsplan, on_delete=models.CASCADE, related_name="afdelingsmoeder", verbose_name="plan"
    )
    afdeling = models.ForeignKey(
        Afdeling, on_delete=models.PROTECT, related_name="helhedsplan_moeder", verbose_name="afdeling"
    )
    runde = models.PositiveSmallIntegerField("runde", editable=False)
    dato = models.DateField("mødedato")
    indkaldt_dato = models.DateField(
        "indkaldelse sendt",
        null=True,
        blank=True,
        help_text="Indkaldelsen bør sendes mindst 4 uger før mødet.",
    )
    husstande = models.PositiveIntegerField("fremmødte husstande", null=True, blank=True)
    stemmer_for = models.PositiveIntegerField("stemmer for", null=True, blank=True)
    stemmer_imod = models.PositiveIntegerField("stemmer imod", null=True, blank=True)
    stemmer_blanke = models.PositiveIntegerField("blanke stemmer", null=True, blank=True)
    urafstemning = models.BooleanField("urafstemning", default=False)
    ur_for = models.PositiveIntegerField("urafstemning: for", null=True, blank=True)
    ur_imod = models.PositiveIntegerField("urafstemning: imod", null=True, blank=True)
    ur_blanke = models.PositiveIntegerField("urafstemning: blanke", null=True, blank=True)
    referat = models.FileField("referat", upload_to=upload_path, blank=True)
    referat_navn = models.CharField("referatets filnavn", max_length=200, blank=True)
    # What the plan cost the afdeling when the result was recorded (finansiering.financing), i.e. what the
    # meeting voted on: compared with the cost after others drop out before the plan goes to the funders.
    # Empty when the plan had no budget then.
    udgift_pr_aar = models.DecimalField(
        "afdelingens udgift pr. år ved afstemningen (kr.)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    udgift_pr_lejemaal_pr_aar = models.DecimalField(
        "udgift pr. lejemål pr. år ved afstemningen (kr.)",
        max_digits=14,
        decimal_places=2,
        null=True,
        blank=True,
        editable=False,
    )
    registreret_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="registreret af",
    )
    aendret = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    VOTES_PER_HOUSEHOLD = 2
    MIN_NOTICE_DAYS = 28
    # How the meeting decides (moedet_vedtog), said wherever the votes are entered or explained.
    MAJORITY_RULE = (
        "Almindeligt stemmeflertal blandt de tilstedeværende: planen er vedtaget, når der er flere stemmer "
        "for end imod. Blanke stemmer tæller ikke med, og står det lige, er planen forkastet."
    )

    class Meta:
        verbose_name = "afdelingsmøde"
        verbose_name_plural = "afdelingsmøder"
        ordering = ["dato", "afdeling__nummer"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "afdeling", "runde"], name="et_afdelingsmoede_pr_runde")
        ]

    def __str__(self):
        return f"Afdelingsmøde i {self.afdeling} {numeric_date(self.dato)}"

    def clean(self):
        errors = {}
        votes = (self.stemmer_for, self.stemmer_imod, self.stemmer_blanke)
        if any(v is not None for v in (*votes, self.husstande)) and any(
            v is None for v in (*votes, self.husstande)
        ):
            errors["husstande"] = (
                "Udfyld fremmødte husstande og alle tre stemmetal, eller lad dem alle stå tomme."
            )
        elif self.husstande is not None:
            cast = sum(votes)
            if self.afdeling_id and self.husstande > self.afdeling.lejemaal:
                errors["husstande"] = (
                    f"{self.husstande} fremmødte husstande er flere end afdelingens "
                    f"{self.afdeling.lejemaal} lejemål."
                )
            if cast > self.VOTES_PER_HOUSEHOLD * self.husstande:
                errors["stemmer_for"] = (
                    f"Der er afgivet {_count(cast, 'stemme', 'stemmer')}, men "
                    f"{_count(self.husstande, 'husstand', 'husstande')} har højst "
                    f"{self.VOTES_PER_HOUSEHOLD * self.husstande} stemmer (2 pr. husstand)."
                )
        if self.indkaldt_dato and self.dato and self.indkaldt_dato > self.dato:
            errors["indkaldt_dato"] = "Indkaldelsen kan ikke være sendt efter mødet."
        if date_error := self._date_error(has_votes=any(v is not None for v in (*votes, self.husstande))):
            errors["dato"] = date_error
        ballot = (self.ur_for, self.ur_imod, self.ur_blanke)
        if self.urafstemning:
            if any(v is None for v in ballot):
                errors["ur_for"] = "Udfyld alle tre tal for urafstemningen."
            elif self.afdeling_id and sum(ballot) > self.VOTES_PER_HOUSEHOLD * self.afdeling.lejemaal:
                errors["ur_for"] = (
                    f"Urafstemningen har {sum(ballot)} stemmer, men afdelingens {self.afdeling.lejemaal} "
                    f"lejemål har højst {self.VOTES_PER_HOUSEHOLD * self.afdeling.lejemaal} stemmer."
                )
        elif any(v is not None for v in ballot):
            errors["urafstemning"] = "Sæt kryds i urafstemning, hvis der er tal for en urafstemning."
        if errors:
            raise ValidationError(errors)

    def _date_error(self, *, has_votes):
        """A meeting lies within its round: not before the plan was sent to the afdelingsmøder, and, once
        it has votes, not after today (a meeting to come can be planned, not counted as held)."""
        if not self.dato:
            return None
        if has_votes and (error := not_in_future(self.dato, "Et møde med stemmetal")):
            return error
        started = self.plan.moederunde_startet(self.runde) if self.plan_id and self.runde else None
        if started and self.dato < started:
            return (
                f"Mødet kan ikke ligge før {numeric_date(started)}, "
                "hvor planen blev sendt til afdelingsmøderne."
            )
        return None

    @property
    def har_resultat(self) -> bool:
        return self.stemmer_for is not None and (not self.urafstemning or self.ur_for is not None)

    @property
    def moedet_vedtog(self) -> bool:
        """Simple majority of the votes cast for or against; blank votes count for neither side."""
        return self.stemmer_for is not None and self.stemmer_for > self.stemmer_imod

    @property
    def vedtaget(self) -> bool:
        """The result that counts: a ballot of all households, when one followed, decides over the meeting."""
        if self.urafstemning and self.ur_for is not None:
            return self.ur_for > self.ur_imod
        return self.moedet_vedtog

    @property
    def varsel_dage(self):
        if not self.indkaldt_dato:
            return None
        return (self.dato - self.indkaldt_dato).days

    @property
    def kort_varsel(self) -> bool:
        return self.varsel_dage is not None and self.varsel_dage < self.MIN_NOTICE_DAYS

    def resultat_tekst(self) -> str:
        if not self.har_resultat:
            return "Ikke afholdt"
        text = f"{'Vedtaget' if self.vedtaget else 'Forkastet'} "
        text += f"({self.stemmer_for} for, {self.stemmer_imod} imod, "
        text += _count(self.stemmer_blanke, "blank", "blanke")
        if self.urafstemning:
            text += f"; urafstemning {self.ur_for} for, {self.ur_imod} imod, "
            text += _count(self.ur_blanke, "blank", "blanke")
        return text + ")"


class Organisationsmedlem(models.Model):
    """A member of the plan's styregruppe or følgegruppe, or a partner."""

    class Gruppe(models.TextChoices):
        STYREGRUPPE = "styregruppe", "Styregruppe"
        FOELGEGRUPPE = "foelgegruppe", "Følgegruppe"
        PARTNER = "partner", "Partner"

    plan = models.ForeignKey(
        Helhedsplan, on_delete=models.CASCADE, related_name="organisation", verbose_name="plan"
    )
    gruppe = models.CharField("gruppe", max_length=20, choices=Gruppe.choices)
    navn = models.CharField("navn", max_length=120)
    rolle = models.CharField("rolle eller organisation", max_length=160, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = "medlem af planens organisation"
        verbose_name_plural = "planens organisation"
        ordering = ["gruppe", "navn"]

    def __str__(self):
        return f"{self.navn} ({self.get_gruppe_display()})"


class Bilag(models.Model):
    """An attachment to the plan, stored privately and handed out only by a permission-checked view."""

    plan = models.ForeignKey(Helhedsplan, on_delete=models.CASCADE, related_name="bilag", verbose_name="plan")
    titel = models.CharField("titel", max_length=200)
    fil = models.FileField("fil", upload_to=upload_path)
    filnavn = models.CharField("filnavn", max_length=200)
    stoerrelse = models.PositiveIntegerField("størrelse (bytes)")
    uploadet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="uploadet af",
    )
    uploadet = models.DateTimeField("uploadet", default=timezone.now)

    class Meta:
        verbose_name = "bilag"
        verbose_name_plural = "bilag"
        ordering = ["-uploadet"]

    def __str__(self):
        return self.titel


class KommentarQuerySet(models.QuerySet):
    def threads(self):
        return self.filter(traad__isnull=True)


class Kommentar(models.Model):
    """A comment on one section of the plan. A thread is a first comment (traad empty) and its answers."""

    plan = models.ForeignKey(
        Helhedsplan, on_delete=models.CASCADE, related_name="kommentarer", verbose_name="plan"
    )
    sektion = models.CharField("afsnit", max_length=30, choices=SECTIONS)
    traad = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="svar", verbose_name="svar på"
    )
    forfatter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="skrevet af",
    )
    tekst = models.TextField("kommentar")
    oprettet = models.DateTimeField("skrevet", default=timezone.now)
    fra_personale = models.BooleanField("skrevet af fsb", default=False)
    # A board member's comment: the plan's afdelinger whose board they sat on when they wrote it, by number
    # and name ("01-52 Tingbjerg og 01-53 Utterslevhuse"), kept as written should the seat end later.
    bestyrelse_for = models.CharField("skrevet for afdelingsbestyrelsen i", max_length=1000, blank=True)
    # On the thread's first comment only.
    seneste_fra_personale = models.BooleanField(
        "seneste indlæg er fra fsb", default=False, help_text="Tråden venter på bestyrelsen, ikke på fsb."
    )
    loest = models.DateTimeField("løst", null=True, blank=True)
    loest_af = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    objects = KommentarQuerySet.as_manager()

    class Meta:
        verbose_name = "kommentar"
        verbose_name_plural = "kommentarer"
        ordering = ["oprettet", "id"]
        indexes = [models.Index(fields=["plan", "sektion"])]

    def __str__(self):
        return f"{self.get_sektion_display()}: {self.tekst[:40]}"


class Haendelse(models.Model):
    """One line of the plan's timeline: a transition, decision, vote, comment, upload or text change."""

    class Art(models.TextChoices):
        OPRETTET = "oprettet", "Plan oprettet"
        OVERGANG = "overgang", "Ny fase"
        BESLUTNING = "beslutning", "Beslutning"
        AFDELINGSMOEDE = "afdelingsmoede", "Afdelingsmøde"
        KOMMENTAR = "kommentar", "Kommentar"
        LOEST = "loest", "Tråd løst"
        BILAG = "bilag", "Bilag"
        TEKST = "tekst", "Planteksten ændret"
        ORGANISATION = "organisation", "Organisation ændret"
        AENDRING = "aendring", "Ændring af godkendt plan"
        BETINGELSE = "betingelse", "Betingelse opfyldt"
        AARSSTATUS = "aarsstatus", "Årsstatus"

    plan = models.ForeignKey(
        Helhedsplan, on_delete=models.CASCADE, related_name="haendelser", verbose_name="plan"
    )
    tid = models.DateTimeField("tidspunkt", default=timezone.now, db_index=True)
    bruger = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="udført af",
    )
    art = models.CharField("art", max_length=20, choices=Art.choices)
    overgang = models.CharField("handling", max_length=40, blank=True)
    fra_tilstand = models.CharField("fra fase", max_length=40, blank=True)
    til_tilstand = models.CharField("til fase", max_length=40, blank=True)
    tekst = models.TextField("tekst", blank=True)
    beslutning = models.ForeignKey(
        Beslutning, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    afdelingsmoede = models.ForeignKey(
        Afdelingsmoede, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    kommentar = models.ForeignKey(
        Kommentar, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    bilag = models.ForeignKey(Bilag, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    # A member added or removed (Art.ORGANISATION): the member the line names, so the anonymiser rewrites
    # exactly the lines about an anonymised one. A removed member's row is deleted while its lines and its
    # history (under the same number) stay: hence no constraint and nothing done on delete, the number kept.
    organisationsmedlem = models.ForeignKey(
        Organisationsmedlem,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="medlem af planens organisation",
    )

    class Meta:
        verbose_name = "hændelse"
        verbose_name_plural = "hændelser"
        ordering = ["-tid", "-id"]

    def __str__(self):
        return f"{self.plan}: {self.get_art_display()} {self.tid:%d.%m.%Y %H:%M}"


class Paamindelseskoersel(models.Model):
    """One day's reminder e-mails: the daily task sends them once, however often it is started."""

    dato = models.DateField("dato", unique=True)
    antal = models.PositiveIntegerField("påmindelser", default=0)
    sendt = models.DateTimeField("sendt", default=timezone.now)

    class Meta:
        verbose_name = "udsendelse af påmindelser"
        verbose_name_plural = "udsendelser af påmindelser"
        ordering = ["-dato"]

    def __str__(self):
        return f"Påmindelser {numeric_date(self.dato)}"


class Besked(models.Model):
    """One e-mail notice to send after a commit: a transition, a decision, a comment, a board member's
    invitation or a password reset.

    The row is written in the same transaction as what it tells about, so a notice is neither lost when the
    queue is down nor sent for something rolled back. The task that sends it records each address it has
    sent to, so a retry or a second delivery of the task mails nobody twice.
    """

    class Art(models.TextChoices):
        OVERGANG = "overgang", "Ny fase"
        BESLUTNING = "beslutning", "Beslutning"
        KOMMENTAR = "kommentar", "Kommentar"
        NULSTIL_ADGANGSKODE = "nulstil_adgangskode", "Nulstil adgangskode"
        INVITATION = "invitation", "Invitation"
        FRISTPAAMINDELSE = "fristpaamindelse", "Påmindelse om frist"

    art = models.CharField("art", max_length=30, choices=Art.choices)
    # The event, comment or board seat the notice is about: read again when it is sent.
    objekt_id = models.PositiveBigIntegerField("om", null=True, blank=True)
    # A password reset's address as typed: the task looks up who has it, so the request does the same work
    # whether anyone has it or not.
    adresse = models.EmailField("adresse", blank=True)
    oprettet = models.DateTimeField("oprettet", default=timezone.now)
    naeste_forsoeg = models.DateTimeField("næste forsøg", default=timezone.now)
    forsoeg = models.PositiveSmallIntegerField("forsøg", default=0)
    sendt_til = models.JSONField("sendt til", default=list, blank=True)
    sendt = models.DateTimeField("sendt", null=True, blank=True)
    opgivet = models.DateTimeField("opgivet", null=True, blank=True)
    fejl = models.TextField("fejl", blank=True)

    class Meta:
        verbose_name = "besked"
        verbose_name_plural = "beskeder"
        ordering = ["-oprettet"]
        indexes = [
            models.Index(
                fields=["naeste_forsoeg"],
                condition=models.Q(sendt__isnull=True, opgivet__isnull=True),
                name="besked_venter",
            )
        ]

    def __str__(self):
        return f"{self.get_art_display()} {self.objekt_id or self.adresse}"
