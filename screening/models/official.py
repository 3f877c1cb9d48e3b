"""The official lists of boligområder, published every 1 December, kept beside the app's own result.

One row per area and list: an area on two lists (a parallelsamfund that is also an omdannelsesområde) has two.
"""

from django.db import models
from simple_history.models import HistoricalRecords

from screening.models.register import Boligomraade


class OfficielListeQuerySet(models.QuerySet):
    def visible_to(self, user):
        return self.filter(boligomraade__in=Boligomraade.objects.visible_to(user))


class OfficielListeplacering(models.Model):
    class Liste(models.TextChoices):
        # The codes are those of the import file's `liste` column.
        UDSAT = "udsat", "Udsat boligområde"
        PARALLELSAMFUND = "parallelsamfund", "Parallelsamfund"
        OMDANNELSESOMRAADE = "omdannelsesomraade", "Omdannelsesområde"
        FOREBYGGELSESOMRAADE = "forebyggelsesomraade", "Forebyggelsesområde"

    aar = models.PositiveSmallIntegerField("år")
    boligomraade = models.ForeignKey(
        Boligomraade, on_delete=models.CASCADE, related_name="officielle_lister", verbose_name="boligområde"
    )
    kommune = models.CharField("kommune", max_length=80)
    liste = models.CharField("liste", max_length=30, choices=Liste.choices)
    indlaest = models.DateTimeField("indlæst", auto_now_add=True)

    objects = OfficielListeQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        verbose_name = "placering på en officiel liste"
        verbose_name_plural = "placeringer på de officielle lister"
        ordering = ["-aar", "boligomraade__navn", "liste"]
        constraints = [
            models.UniqueConstraint(
                fields=["aar", "boligomraade", "liste"], name="en_placering_pr_liste_og_aar"
            )
        ]

    def __str__(self):
        return f"{self.boligomraade} på listen over {self.get_liste_display().lower()} {self.aar}"
