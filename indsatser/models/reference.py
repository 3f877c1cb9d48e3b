"""Reference data, seeded by migrations and kept up to date in the admin: types, aims, themes, partners."""

from django.db import models


class Maal(models.Model):
    """One of fsb's four aims for boligsocialt arbejde; a helhedsplan serves all four, the others some."""

    nummer = models.PositiveSmallIntegerField("nummer", unique=True)
    navn = models.CharField("navn", max_length=120)
    beskrivelse = models.TextField("beskrivelse", blank=True)

    class Meta:
        verbose_name = "fsb-mål"
        verbose_name_plural = "fsb's mål"
        ordering = ["nummer"]

    def __str__(self):
        return self.navn


class Bymaal(models.Model):
    """One of the five goals shared by the city's plans, followed over time and across plans."""

    nummer = models.PositiveSmallIntegerField("nummer", unique=True)
    navn = models.CharField("navn", max_length=120)
    beskrivelse = models.TextField("beskrivelse", blank=True)

    class Meta:
        verbose_name = "fælles bymål"
        verbose_name_plural = "fælles bymål"
        ordering = ["nummer"]

    def __str__(self):
        return self.navn


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
    maal = models.ManyToManyField(
        Maal, related_name="indsatstyper", verbose_name="tjener fsb's mål", blank=True
    )
    sortering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "indsatstype"
        verbose_name_plural = "indsatstyper"
        ordering = ["sortering", "navn"]

    def __str__(self):
        return self.navn

    @property
    def has_own_lifecycle(self) -> bool:
        """A helhedsplan's state is driven by its grant lifecycle, not by the register's simple one."""
        return self.kode == self.HELHEDSPLAN


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
        constraints = [
            models.UniqueConstraint(fields=["periode", "navn"], name="indsatsomraade_unikt_i_periode")
        ]

    def __str__(self):
        return self.navn


class Maalgruppe(models.Model):
    """Who an indsats or activity is for (children, young people, parents, isolated adults, ...)."""

    navn = models.CharField("navn", max_length=120, unique=True)
    sortering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "målgruppe"
        verbose_name_plural = "målgrupper"
        ordering = ["sortering", "navn"]

    def __str__(self):
        return self.navn


class Partnertype(models.Model):
    """A kind of partner: a department of the kommune, an NGO, the police and SSP, a school, ..."""

    navn = models.CharField("navn", max_length=120, unique=True)
    sortering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "partnertype"
        verbose_name_plural = "partnertyper"
        ordering = ["sortering", "navn"]

    def __str__(self):
        return self.navn


class Partner(models.Model):
    """A named organisation that works with fsb on indsatser or is responsible for an activity."""

    navn = models.CharField("navn", max_length=160, unique=True)
    partnertype = models.ForeignKey(
        Partnertype, on_delete=models.PROTECT, related_name="partnere", verbose_name="partnertype"
    )

    class Meta:
        verbose_name = "partner"
        verbose_name_plural = "partnere"
        ordering = ["navn"]

    def __str__(self):
        return self.navn
