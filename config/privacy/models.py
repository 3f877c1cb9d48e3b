from django.conf import settings
from django.db import models
from django.utils import timezone


class Anonymisering(models.Model):
    """That personal data was anonymised, and how much of each kind: by the daily task (past its retention) or
    by an administrator erasing one person on request. It holds nothing of what was anonymised: the person is
    named by their account's number, or one without an account by the entry they were found by ("kontaktperson
    nr. 12"), which after the erasure belongs to "Anonymiseret person #<number>"."""

    class Art(models.TextChoices):
        FRIST = "frist", "Opbevaringsfrist udløbet"
        SLETNING = "sletning", "Sletning af en person"

    tidspunkt = models.DateTimeField("tidspunkt", default=timezone.now, db_index=True)
    art = models.CharField("art", max_length=20, choices=Art.choices)
    udfoert_af = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name="udført af",
    )
    # As it was, like the access log's: still says who acted should that account be anonymised later.
    udfoert_af_navn = models.CharField("udført af (brugernavn)", max_length=150, blank=True)
    person_id = models.PositiveIntegerField("brugerkonto nr.", null=True, blank=True)
    person_uden_konto = models.CharField("person uden brugerkonto", max_length=40, blank=True)
    begrundelse = models.TextField("begrundelse", blank=True)
    antal = models.JSONField("antal pr. slags", default=dict)

    class Meta:
        verbose_name = "anonymisering"
        verbose_name_plural = "anonymiseringer"
        ordering = ["-tidspunkt", "-pk"]

    def __str__(self):
        return f"{self.get_art_display()} {self.tidspunkt:%d.%m.%Y %H:%M}"
