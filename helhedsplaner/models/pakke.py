"""Application packs: every generated PDF is kept as a version with its checksum and the data it came from."""

import uuid

from django.db import models
from django.db.models import Q
from django.urls import reverse

from config.web.filenames import slug
from config.web.jobs import Job
from screening.models import Afdeling, Regelsaet, Screeningsrunde


def pack_path(instance, filename):
    """A random name under the plan's (or round's) folder: files are reached only through the
    permission-checked view."""
    folder = instance.plan_id if instance.plan_id else f"screening-{instance.runde_id}"
    return f"pakker/{folder}/{uuid.uuid4().hex}.pdf"


class Pakke(Job):
    """One version of a pack: made by a Celery task (tasks.render_pack), then kept with its checksum."""

    class Type(models.TextChoices):
        PRAEKVALIFIKATION = "praekvalifikation", "Prækvalifikationsansøgning"
        HELHEDSPLAN = "helhedsplan", "Helhedsplan-ansøgning"
        AFDELINGSMOEDE = "afdelingsmoede", "Afdelingsmødemateriale"
        AFSLUTNING = "afslutning", "Afslutningsrapport"
        AARSRAPPORT = "aarsrapport", "Årsrapport"
        SCREENINGSRAPPORT = "screeningsrapport", "Screeningsrapport"

    # The packs made for a plan; the screening report is made for a screening round instead.
    PLAN_TYPES = (
        Type.PRAEKVALIFIKATION,
        Type.HELHEDSPLAN,
        Type.AFDELINGSMOEDE,
        Type.AFSLUTNING,
        Type.AARSRAPPORT,
    )

    plan = models.ForeignKey(
        "helhedsplaner.Helhedsplan",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pakker",
        verbose_name="plan",
    )
    runde = models.ForeignKey(
        Screeningsrunde,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="screeningsrunde",
    )
    # A screening report computed under another rule set than the round's own (a scenario); marked as such on
    # every page.
    scenarie = models.ForeignKey(
        Regelsaet,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="scenarie",
    )
    pakketype = models.CharField("pakketype", max_length=30, choices=Type.choices)
    afdeling = models.ForeignKey(
        Afdeling, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name="afdeling"
    )
    # The year an årsrapport reports on (and only an årsrapport has one).
    aar = models.PositiveSmallIntegerField("år", null=True, blank=True)
    fil = models.FileField("fil", upload_to=pack_path, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    stoerrelse = models.PositiveIntegerField("størrelse (bytes)", null=True, blank=True)
    sider = models.PositiveIntegerField("sider", null=True, blank=True)
    # A hash of everything the pack shows: an unchanged plan reuses its latest finished pack.
    data_version = models.CharField("dataversion", max_length=64)
    genbrugt_fra = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="genbrugt fra",
    )

    task = "helhedsplaner.tasks.render_pack"

    class Meta:
        verbose_name = "ansøgningspakke"
        verbose_name_plural = "ansøgningspakker"
        ordering = ["-created", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(plan__isnull=False, runde__isnull=True) & ~Q(pakketype="screeningsrapport"))
                | Q(plan__isnull=True, runde__isnull=False, pakketype="screeningsrapport"),
                name="pakke_til_en_plan_eller_en_screeningsrunde",
            ),
            models.CheckConstraint(
                condition=Q(pakketype="aarsrapport", aar__isnull=False)
                | (~Q(pakketype="aarsrapport") & Q(aar__isnull=True)),
                name="aarsrapport_har_et_aar",
            ),
            # One pack per thing it is made for and data version: orders placed at the same moment get the
            # same job (packs.pack_for_version), and a pack is never made twice from the same data.
            models.UniqueConstraint(
                fields=["plan", "pakketype", "data_version"],
                condition=Q(plan__isnull=False, afdeling__isnull=True),
                name="en_pakke_pr_plan_type_og_dataversion",
            ),
            models.UniqueConstraint(
                fields=["plan", "pakketype", "afdeling", "data_version"],
                condition=Q(afdeling__isnull=False),
                name="en_pakke_pr_plan_type_afdeling_og_dataversion",
            ),
            models.UniqueConstraint(
                fields=["runde", "pakketype", "data_version"],
                condition=Q(runde__isnull=False),
                name="en_rapport_pr_runde_og_dataversion",
            ),
        ]

    def __str__(self):
        year = f" {self.aar}" if self.aar else ""
        return f"{self.get_pakketype_display()}{year} ({self.created:%d.%m.%Y %H:%M})"

    def _url(self, action: str) -> str:
        if self.runde_id:
            return reverse(f"screening_pack_{action}", args=[self.runde.aar, self.pk])
        return reverse(f"plan_pack_{action}", args=[self.plan_id, self.pk])

    @property
    def status_url(self) -> str:
        return self._url("status")

    @property
    def download_url(self) -> str:
        return self._url("download")

    @property
    def retry_url(self) -> str:
        return self._url("retry")

    @property
    def filename(self) -> str:
        if self.runde_id:
            scenario = f"-scenarie-{self.scenarie.kode}" if self.scenarie_id else ""
            return f"{self.pakketype}-{self.runde.aar}{scenario}-{self.pk}.pdf"
        return self.file_name(self.plan.indsats.titel, self.pakketype, self.afdeling, self.aar)

    @staticmethod
    def file_name(titel: str, pakketype: str, afdeling=None, aar=None) -> str:
        """A plan pack's download name, from the plan's title and the pack's type (an afdeling's material
        names the afdeling, an årsrapport ends with its year), e.g.
        boligsocial-helhedsplan-tingbjerg-utterslevhuse-2024-28-helhedsplan.pdf."""
        parts = [slug(titel, max_length=100)]
        if afdeling is not None:
            parts.append(slug(f"{afdeling.nummer} {afdeling.navn}"))
        parts.append(f"{pakketype}-{aar}" if aar else pakketype)
        return "-".join(part for part in parts if part) + ".pdf"
