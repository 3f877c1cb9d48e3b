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
