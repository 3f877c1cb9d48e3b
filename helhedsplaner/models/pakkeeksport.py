"""The secretariat's export of application packs: one ZIP with a pack per chosen plan and an index.csv."""

import uuid

from django.db import models
from django.utils import timezone

from config.web.jobs import Job
from helhedsplaner.models.pakke import Pakke


def export_path(instance, filename):
    """A random name: the ZIP is reached only through the permission-checked view."""
    return f"pakkeeksporter/{uuid.uuid4().hex}.zip"


class Pakkeeksport(Job):
    """One export: made by a Celery task (tasks.build_pack_export), then kept with its checksum."""

    # The packs made for a plan (the screening report belongs to a screening round).
    pakketype = models.CharField(
        "pakketype", max_length=30, choices=[(t.value, t.label) for t in Pakke.PLAN_TYPES]
    )
    # The year of the årsrapporter exported (only for them).
    aar = models.PositiveSmallIntegerField("år", null=True, blank=True)
    planer = models.ManyToManyField("helhedsplaner.Helhedsplan", related_name="+", verbose_name="planer")
    fil = models.FileField("fil", upload_to=export_path, blank=True)
    sha256 = models.CharField("SHA-256", max_length=64, blank=True)
    stoerrelse = models.PositiveBigIntegerField("størrelse (bytes)", null=True, blank=True)
    antal_pakker = models.PositiveIntegerField("antal pakker", null=True, blank=True)

    task = "helhedsplaner.tasks.build_pack_export"

    class Meta:
        verbose_name = "eksport af ansøgningspakker"
        verbose_name_plural = "eksporter af ansøgningspakker"
        ordering = ["-created", "-id"]

    def __str__(self):
        year = f" {self.aar}" if self.aar else ""
        return f"Eksport af {self.get_pakketype_display().lower()}{year} ({self.created:%d.%m.%Y %H:%M})"

    @property
    def filename(self) -> str:
        year = f"-{self.aar}" if self.aar else ""
        made = timezone.localtime(self.created)
        return f"ansoegningspakker-{self.pakketype}{year}-{made:%Y-%m-%d}-{self.pk}.zip"
