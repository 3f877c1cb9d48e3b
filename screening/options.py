"""The long drop-downs of the filters (900 boligområder, 500 boligorganisationer, some 500 staff members at
national scale) and of the indsats and plan forms (the same staff; the afdelinger, 7,500, as ready checkboxes
and options) as ready HTML, and the screening's indicators and risk models, kept for a short while.

Reading and writing that many options costs about a quarter of a list page's time, and the lists hardly ever
change, so each is kept in the worker for KEEP_SECONDS under its exact query (a board member's lists, limited
to their afdelinger, are kept apart from the full ones). Saving or deleting an område, an organisation, an
afdeling, an indicator, a risk model or threshold, a user, a board seat or a group, or changing a user's
groups, drops every kept list in that worker at once (the receivers at the bottom); the other workers show
the change within KEEP_SECONDS. (The stored results of the rounds are computed from the database itself,
never from these.)
"""

import time
from html import escape

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import F
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.safestring import SafeString, mark_safe

from screening import assessment
from screening.models import (
    Afdeling,
    Bestyrelsesmedlem,
    Boligomraade,
    Boligorganisation,
    Indikator,
    Risikomodel,
    Risikotaerskel,
)

KEEP_SECONDS = 30
KEEP_AT_MOST = 500  # lists; board members each have their own
NAME = F("navn")
INDICATORS = "indicators"
RISK_MODELS = "risk models"
_kept: dict[str, tuple[float, object]] = {}


def _kept_value(key: str, read):
    """What `read()` returned under `key`, read again when older than KEEP_SECONDS."""
    kept = _kept.get(key)
    if kept is None or time.monotonic() - kept[0] > KEEP_SECONDS:
        kept = (time.monotonic(), read())
        if len(_kept) >= KEEP_AT_MOST:
            _kept.clear()
        _kept[key] = kept
    return kept[1]


def option_tags(options, chosen: str | None) -> SafeString:
    """(value, label) pairs as ready <option> HTML, the chosen value selected."""
    tags = "".join(
        f'<option value="{escape(str(value))}"{" selected" if str(value) == chosen else ""}>'
        f"{escape(label)}</option>"
        for value, label in options
    )
    return mark_safe(tags)  # noqa: S308 - every value and label is escaped just above


def long_options(queryset, chosen: str | list[str] | None, label=NAME) -> SafeString:
    """<option>s for the rows of `queryset` in its order: the pk as value, `label` (a database expression)
    as the text, the `chosen` pk (or pks) selected."""
    pairs = queryset.annotate(option_label=label).values_list("pk", "option_label")
    chosen_pks = [chosen] if isinstance(chosen, str) else chosen or []
    return kept_choices(str(pairs.query), lambda: option_tags(pairs, None), chosen_pks, " selected")


def kept_choices(key: str, draw, chosen: list[str], mark: str) -> SafeString:
    """The HTML `draw()` returns, kept under `key`, with `mark` (" selected", " checked") added to the tag of
    each chosen pk. `draw` escapes every text and ends each choice's tag in ` value="<pk>">`, which no
    escaped text can contain, so only that tag matches."""
    tags = _kept_value(key, draw)
    for pk in chosen:
        if str(pk).isdigit():
            # Only a pk that is in the list matches, and what is put in is that pk.
            tags = tags.replace(f' value="{pk}">', f' value="{pk}"{mark}>', 1)
    return mark_safe(tags)  # noqa: S308 - drawn escaped, and only a matched pk's own tag is changed


def indicators() -> list[Indikator]:
    """Every indicator in the order the screening shows them; for reading only, as they are shared."""
    return _kept_value(INDICATORS, lambda: list(Indikator.objects.order_by("sortering", "kode")))


def risk_models() -> list[Risikomodel]:
    """assessment.read_risk_models(), kept: an afdeling's page costs 1-2 ms less. For reading only."""
    return _kept_value(RISK_MODELS, assessment.read_risk_models)


def _forget_kept_options(update_fields=None, **kwargs) -> None:
    # A login stamps the user's last_login, which no list shows: every login would empty the worker's lists.
    if update_fields is not None and set(update_fields) == {"last_login"}:
        return
    _kept.clear()


User = get_user_model()
KEPT_FROM = (
    Boligomraade,
    Boligorganisation,
    Afdeling,
    Indikator,
    Risikomodel,
    Risikotaerskel,
    Bestyrelsesmedlem,
    User,
    # The staff list is chosen by group name; deleting a group drops its memberships without m2m_changed.
    Group,
)
for _model in KEPT_FROM:
    post_save.connect(_forget_kept_options, sender=_model, dispatch_uid=f"options-save-{_model.__name__}")
    post_delete.connect(_forget_kept_options, sender=_model, dispatch_uid=f"options-delete-{_model.__name__}")
m2m_changed.connect(_forget_kept_options, sender=User.groups.through, dispatch_uid="options-groups")
