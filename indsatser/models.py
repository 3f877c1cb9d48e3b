from django.conf import settings
from django.db import models
from simple_history.models import HistoricalRecords

from screening.models import Afdeling
from screening.roles import sees_all_afdelinger


class Indsatstype(models.Model):
    """The four kinds of boligsocial indsats (reference data, seeded by migration)."""

    HELHEDSPLAN = "helhedsplan"
    UDVIKLINGSPROJEKT = "udviklingsprojekt"
    EJENDOMSFUNKTIONAER = "ejendomsfunktionaer"
    KONTAKTPERSONORDNING = "kontaktpersonordning"

    kode = models.SlugField("kode", max_length=40, unique=True)
    navn = models.CharField("navn", max_length=120)
    beskrivelse = models.TextField("beskrivelse", blank=True)
    normal_varighed_aar = models.PositiveSmallIntegerField("normal varighed (år)", null=True, blank=True)
    finansiering = models.TextField("sædvanlig finansiering", blank=True)
    sortering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "indsatstype"
        verbose_name_plural = "indsatstyper"
        ordering = ["sortering", "navn"]

    def __str__(self):
        return self.navn


class Finansieringsperiode(models.Model):
    """An LBF funding period; each has its own set of indsatsområder. New periods are added as data."""

    navn = models.CharField("navn", max_length=40, unique=True)
    startaar = models.PositiveSmallIntegerField("første år")
    slutaar = models.PositiveSmallIntegerField("sidste år")

    class Meta:
        verbose_name = "finansieringsperiode"
        verbose_name_plural = "finansieringsperioder"
        ordering = ["-startaar"]

    def __str__(self):
        return f"Landsbyggefonden {self.navn}"


class Indsatsomraade(models.Model):
    """A theme of LBF's under which a plan's activities, goals and budget lines are grouped."""

    periode = models.ForeignKey(
        Finansieringsperiode, on_delete=models.PROTECT, related_name="indsatsomraader", verbose_name="periode"
    )
    navn = models.CharField("navn", max_length=120)
    sortering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "indsatsområde"
        verbose_name_plural = "indsatsområder"
        ordering = ["periode", "sortering"]
        constraints = [models.UniqueConstraint(fields=["periode", "navn"], name="indsatsomraade_unikt_i_periode")]

    def __str__(self):
        return self.navn


class IndsatsQuerySet(models.QuerySet):
    def visible_to(self, user):
        """Staff and secretariat see every indsats; a board member those touching their afdelinger."""
        if sees_all_afdelinger(user):
            return self
        return self.filter(pk__in=Indsats.afdelinger.through.objects.filter(
            afdeling__in=Afdeling.objects.visible_to(user)
        ).values("indsats_id"))


class Indsats(models.Model):
    """Every intervention, of every type. A helhedsplan adds its grant lifecycle on top (one-to-one)."""

    class Status(models.TextChoices):
        FORSLAG = "forslag", "Forslag"
        BEHANDLET = "behandlet", "Behandlet på afdelingsmøde"
        AKTIV = "aktiv", "Aktiv"
        AFSLUTTET = "afsluttet", "Afsluttet"
        OPGIVET = "opgivet", "Opgivet"

    titel = models.CharField("titel", max_length=200)
    type = models.ForeignKey(Indsatstype, on_delete=models.PROTECT, related_name="indsatser", verbose_name="type")
    afdelinger = models.ManyToManyField(Afdeling, related_name="indsatser", verbose_name="afdelinger", blank=True)
    startdato = models.DateField("startdato", null=True, blank=True)
    slutdato = models.DateField("slutdato", null=True, blank=True)
    beskrivelse = models.TextField("beskrivelse", blank=True)
    status = models.CharField("status", max_length=20, choices=Status.choices, default=Status.FORSLAG)
    ansvarlig = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="ansvarlig_for_indsatser",
        verbose_name="ansvarlig medarbejder",
    )
    oprettet = models.DateTimeField(auto_now_add=True)
    aendret = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(m2m_fields=[afdelinger])
    objects = IndsatsQuerySet.as_manager()

    class Meta:
        verbose_name = "indsats"
        verbose_name_plural = "indsatser"
        ordering = ["-startdato", "titel"]

    def __str__(self):
        return self.titel
