from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from config.web.roles import sees_all_afdelinger
from screening.models import Afdeling


class KontaktpersonQuerySet(models.QuerySet):
    def visible_to(self, user):
        if sees_all_afdelinger(user):
            return self
        return self.filter(afdeling__in=Afdeling.objects.visible_to(user))

    def current(self):
        return self.filter(til_dato__isnull=True)


class Kontaktperson(models.Model):
    """The kontaktpersonordning: who links an afdeling to the kommune's social services, and since when.

    The current contact person has no end date; earlier ones are kept with theirs as the history.
    """

    afdeling = models.ForeignKey(
        Afdeling, on_delete=models.CASCADE, related_name="kontaktpersoner", verbose_name="afdeling"
    )
    navn = models.CharField("navn", max_length=160)
    rolle = models.CharField(
        "rolle", max_length=160, help_text="Fx 'Socialrådgiver' eller 'Boligsocial medarbejder'."
    )
    organisation = models.CharField(
        "arbejdssted", max_length=160, blank=True, help_text="Fx 'Socialforvaltningen, Københavns Kommune'."
    )
    telefon = models.CharField("telefon", max_length=40, blank=True)
    email = models.EmailField("e-mail", blank=True)
    fra_dato = models.DateField("fra dato")
    til_dato = models.DateField("til dato", null=True, blank=True)

    history = HistoricalRecords()
    objects = KontaktpersonQuerySet.as_manager()

    class Meta:
        verbose_name = "kontaktperson"
        verbose_name_plural = "kontaktpersoner"
        ordering = ["afdeling", "-fra_dato", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["afdeling"],
                condition=Q(til_dato__isnull=True),
                name="kontaktperson_en_aktuel_pr_afdeling",
            )
        ]

    def __str__(self):
        return f"{self.navn} ({self.afdeling})"
