import hashlib

from django.conf import settings
from django.db import models
from django.utils import timezone


def token_digest(raw: str) -> str:
    """What is stored of a token: its SHA-256. The token itself is 256 random bits, so a salted, slow hash
    (as for passwords) would add nothing but time to every request."""
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiTokenQuerySet(models.QuerySet):
    def of(self, user):
        return self.filter(user=user)


class ApiToken(models.Model):
    """A user's personal token for the API: it reads what its user may read, nothing more."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens", verbose_name="bruger"
    )
    navn = models.CharField("navn", max_length=80, help_text="Hvad nøglen bruges til, fx «Power BI».")
    digest = models.CharField(max_length=64, unique=True, editable=False)
    # The token's first letters, shown in the list so its owner can tell their tokens apart.
    begyndelse = models.CharField("begynder med", max_length=8, editable=False)
    oprettet = models.DateTimeField("oprettet", default=timezone.now, editable=False)
    udloeber = models.DateTimeField("udløber", null=True, blank=True)
    sidst_brugt = models.DateTimeField("sidst brugt", null=True, blank=True, editable=False)
    tilbagekaldt = models.DateTimeField("tilbagekaldt", null=True, blank=True, editable=False)

    objects = ApiTokenQuerySet.as_manager()

    class Meta:
        verbose_name = "API-nøgle"
        verbose_name_plural = "API-nøgler"
        ordering = ["-oprettet"]

    def __str__(self):
        return f"{self.navn} ({self.begyndelse}…)"

    def is_expired(self, now=None) -> bool:
        return self.udloeber is not None and self.udloeber <= (now or timezone.now())

    @property
    def is_usable(self) -> bool:
        return self.tilbagekaldt is None and not self.is_expired()
