"""The access log: who read or exported personal data. Changes are not logged here: every model that holds
personal data keeps its own history (django-simple-history), searched by config.web.audit.changes."""

from django.conf import settings
from django.db import models


class Adgangslog(models.Model):
    """One page or file with personal data (board members, contact persons, comments) shown or handed out.

    The user's name is kept as it was, so the log still says who it was after the account is renamed or
    anonymised; entries older than AUDIT_RETENTION_DAYS are deleted by a daily task.
    """

    class Art(models.TextChoices):
        READ = "laest", "Læst"
        EXPORT = "eksporteret", "Eksporteret"

    tidspunkt = models.DateTimeField("tidspunkt", auto_now_add=True, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name="bruger",
    )
    brugernavn = models.CharField("brugernavn", max_length=150)
    art = models.CharField("art", max_length=20, choices=Art.choices)
    hvad = models.CharField("hvad", max_length=100)
    adresse = models.CharField("side", max_length=500)
    klientadresse = models.GenericIPAddressField("klientens adresse", null=True, blank=True)

    class Meta:
        verbose_name = "adgang til persondata"
        verbose_name_plural = "adgangslog"
        ordering = ["-tidspunkt", "-pk"]
        indexes = [models.Index(fields=["user", "tidspunkt"])]

    def __str__(self):
        return f"{self.brugernavn} {self.get_art_display().lower()} {self.hvad}"
