"""Every change to API tokens: made by their owner (or an administrator in the admin), recorded in the row."""

import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from config.api.models import ApiToken, token_digest

# Marks the text as this application's token (for secret scanners) and keeps it apart from other secrets.
PREFIX = "bs_"


@transaction.atomic
def create_token(*, navn: str, udloeber: datetime | None, acting_user) -> tuple[ApiToken, str]:
    """A new token of the acting user. Returns the row and the token itself, which is stored nowhere: it is
    shown once, to its owner."""
    raw = PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=acting_user, navn=navn, digest=token_digest(raw), begyndelse=raw[:8], udloeber=udloeber
    )
    return token, raw


@transaction.atomic
def revoke_token(token: ApiToken, *, acting_user) -> ApiToken:
    """Revoke one of the acting user's tokens: from now on it is refused. Revoking twice keeps the first
    time."""
    if token.user_id != acting_user.pk:
        raise PermissionError("Kun nøglens ejer kan tilbagekalde den.")
    ApiToken.objects.filter(pk=token.pk, tilbagekaldt__isnull=True).update(tilbagekaldt=timezone.now())
    token.refresh_from_db(fields=["tilbagekaldt"])
    return token


def record_use(token: ApiToken, now: datetime) -> None:
    """Note when the token was last used, at most once a minute: a client paging through a list does not
    write a row per page."""
    if token.sidst_brugt is None or (now - token.sidst_brugt).total_seconds() >= 60:
        ApiToken.objects.filter(pk=token.pk).update(sidst_brugt=now)
        token.sidst_brugt = now
