from django.conf import settings
from django.db import models
from django.utils import timezone


class SecondFactorEvent(models.Model):
    """A user's authenticator app set up or reset: by the user, or (reset) by an administrator."""

    class Kind(models.TextChoices):
        SET_UP = "set_up", "Opsat"
        RESET = "reset", "Nulstillet"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="second_factor_events"
    )
    kind = models.CharField(max_length=10, choices=Kind.choices)
    acting_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = "hændelse i totrinslogin"
        verbose_name_plural = "hændelser i totrinslogin"

    def __str__(self):
        return f"{self.user}: {self.get_kind_display()}"


class ProviderIdentity(models.Model):
    """Who a user is at the organisation's OpenID provider: its issuer and the subject (`sub`) it gives them,
    which it never reuses, unlike an e-mail address. A login through the provider finds the user by these."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="provider_identity",
        verbose_name="bruger",
    )
    issuer = models.CharField("udsteder", max_length=255)
    subject = models.CharField("subjekt (sub)", max_length=255)
    created_at = models.DateTimeField("koblet", default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="unique_provider_identity")]
        verbose_name = "fsb-konto"
        verbose_name_plural = "fsb-konti"

    def __str__(self):
        return f"{self.user}: {self.subject}"
