from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from config.web.roles import sees_all_afdelinger
from indsatser.models.reference import (
    Finansieringsperiode,
    Indsatsomraade,
    Indsatstype,
    Maal,
    Maalgruppe,
    Partner,
)
from screening.models import Afdeling


class IndsatsQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and secretariat see every indsats; a board member those touching their afdelinger."""
        if sees_all_afdelinger(user):
            return self
        return self.filter(
            pk__in=Indsats.afdelinger.through.objects.filter(
                afdeling__in=Afdeling.objects.visible_to(user)
            ).values("indsats_id")
        )


class Indsats(models.Model):
    """Every intervention, of every type. A helhedsplan adds its grant lifecycle on top (one-to-one)."""

    class Status(models.TextChoices):
        FORSLAG = "forslag", "Forslag"
        BEHANDLET = "behandlet", "Behandlet på afdelingsmøde"
        AKTIV = "aktiv", "Aktiv"
        AFSLUTTET = "afsluttet", "Afsluttet"
        OPGIVET = "opgivet", "Opgivet"

    titel = models.CharField("titel", max_length=200)
    type = models.ForeignKey(
        Indsatstype, on_delete=models.PROTECT, related_name="indsatser", verbose_name="type"
    )
    afdelinger = models.ManyToManyField(
        Afdeling, related_name="indsatser", verbose_name="afdelinger", blank=True
    )
    startdato = models.DateField("startdato", null=True, blank=True)
    slutdato = models.DateField("slutdato", null=True, blank=True)
    beskrivelse = models.TextField("beskrivelse", blank=True)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.FORSLAG)
    # A helhedsplan's status is the phase of its own grant lifecycle, which lives in the layer above: its
    # lifecycle writes the phase's name here (as it keeps `status` in step), so that every list says the
    # same word as the plan's page.
    fase = models.CharField(
        "fase",
        max_length=100,
        blank=True,
        editable=False,
        help_text="Sat af helhedsplanens forløb: fasens navn, som listerne viser som status.",
    )
    ramme_laast = models.BooleanField(
        "rammen er låst",
        default=False,
        editable=False,
        help_text="Sat af helhedsplanens forløb, fra planen sendes til LBF og kommunen (indsatser/ramme.py).",
    )
    ansvarlig = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ansvarlig_for_indsatser",
        verbose_name="ansvarlig medarbejder",
    )
    periode = models.ForeignKey(
        Finansieringsperiode,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="indsatser",
        verbose_name="finansieringsperiode",
        help_text="Landsbyggefondens periode. Bestemmer, hvilke indsatsområder der kan vælges.",
    )
    maal = models.ManyToManyField(Maal, related_name="indsatser", verbose_name="fsb's mål", blank=True)
    indsatsomraader = models.ManyToManyField(
        Indsatsomraade, related_name="indsatser", verbose_name="indsatsområder", blank=True
    )
    maalgrupper = models.ManyToManyField(
        Maalgruppe, related_name="indsatser", verbose_name="målgrupper", blank=True
    )
    partnere = models.ManyToManyField(Partner, related_name="indsatser", verbose_name="partnere", blank=True)
    afsluttet_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="afsluttet af",
    )
    afsluttet_tidspunkt = models.DateTimeField("afsluttet", null=True, blank=True)
    oprettet = models.DateTimeField(auto_now_add=True)
    aendret = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[afdelinger, maal, indsatsomraader, maalgrupper, partnere])
    objects = IndsatsQuerySet.as_manager()

    class Meta:
        verbose_name = "indsats"
        verbose_name_plural = "indsatser"
        ordering = ["-startdato", "titel"]

    def __str__(self):
        return self.titel

    @property
    def status_label(self) -> str:
        """The status word lists show: a helhedsplan's phase, else the register's own status."""
        return self.fase or self.get_status_display()

    @property
    def aar(self) -> list[int]:
        """The calendar years the indsats runs in (for yearly participant numbers and goal values)."""
        if not self.startdato:
            return []
        last = self.slutdato.year if self.slutdato else self.startdato.year + 3
        return list(range(self.startdato.year, max(last, self.startdato.year) + 1))[:12]


class IndsatsHaendelse(models.Model):
    """One step of the register's simple lifecycle: who moved the indsats from which state to which, why."""

    indsats = models.ForeignKey(
        Indsats, on_delete=models.CASCADE, related_name="haendelser", verbose_name="indsats"
    )
    tidspunkt = models.DateTimeField("tidspunkt", default=timezone.now)
    bruger = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="udført af",
    )
    overgang = models.CharField("handling", max_length=40)
    fra_status = models.CharField("fra", max_length=20, choices=Indsats.Status.choices)
    til_status = models.CharField("til", max_length=20, choices=Indsats.Status.choices)
    kommentar = models.TextField("kommentar", blank=True)
    # A change of contact person (indsatser.actions): the contact person the line names, and the one before
    # ("efter"), so the anonymiser rewrites exactly the lines about an anonymised one. A contact person can be
    # deleted while the line and the person's history (under the same number) stay: hence no constraint and
    # nothing done on delete, the number kept.
    kontaktperson = models.ForeignKey(
        "indsatser.Kontaktperson",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="kontaktperson",
    )
    forrige_kontaktperson = models.ForeignKey(
        "indsatser.Kontaktperson",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="forrige kontaktperson",
    )

    class Meta:
        verbose_name = "hændelse"
        verbose_name_plural = "hændelser"
        ordering = ["-tidspunkt", "-id"]

    def __str__(self):
        return f"{self.indsats}: {self.get_fra_status_display()} → {self.get_til_status_display()}"
