"""The long drop-downs of the filters and forms (900 boligområder, 500 boligorganisationer, some 500 staff
members at national scale) as ready HTML, the choices of other forms' drop-downs, and the screening's
indicators and risk models, kept in Django's cache (config.web.kept: Redis when configured), which every
worker reads.

Each list is kept under its exact query (a board member's lists, limited to their afdelinger, are kept apart
from the full ones) and the current version of the lists. Saving or deleting an område, an organisation, an
afdeling, an indicator, a risk model or threshold, a user, a board seat or a group, or a row of a model the
apps above register (LISTS.until_changed), or changing a user's groups, sets a new version (the receivers at
the bottom), so every worker reads the lists anew at once. (The stored results of the rounds are computed
from the database itself, never from these.)
"""

from html import escape

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import F
from django.db.models.signals import m2m_changed
from django.utils.safestring import SafeString, mark_safe

from config.web.kept import Kept
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

LISTS = Kept("options")
NAME = F("navn")
INDICATORS = "indicators"
RISK_MODELS = "risk models"


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
    # option_tags escapes every text and ends each option's tag in ` value="<pk>">`, which no escaped text
    # can contain, so only that tag matches.
    tags = LISTS.value(str(pairs.query), lambda: option_tags(pairs, None))
    for pk in chosen_pks:
        if str(pk).isdigit():
            # Only a pk that is in the list matches, and what is put in is that pk.
            tags = tags.replace(f' value="{pk}">', f' value="{pk}" selected>', 1)
    return mark_safe(tags)  # noqa: S308 - drawn escaped, and only a matched pk's own tag is changed


def kept_choices(field) -> None:
    """Give a ModelChoiceField the choices of its queryset's rows as kept (under the query and the lists'
    version), so that drawing the form reads no rows; a posted value is still looked up in the queryset."""

    def read():
        return [(getattr(value, "value", value), label) for value, label in field.choices]

    field.choices = LISTS.value(f"choices:{field.queryset.query}", read)


def kept_value(key: str, read):
    """What `read()` returns, kept under `key` until a row of a model of KEPT_FROM or of
    LISTS.until_changed() changes."""
    return LISTS.value(f"value:{key}", read)


def indicators() -> list[Indikator]:
    """Every indicator in the order the screening shows them."""
    return LISTS.value(INDICATORS, lambda: list(Indikator.objects.order_by("sortering", "kode")))


def risk_models() -> list[Risikomodel]:
    """assessment.read_risk_models(), kept."""
    return LISTS.value(RISK_MODELS, assessment.read_risk_models)


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
LISTS.until_changed(*KEPT_FROM)
m2m_changed.connect(LISTS.forget, sender=User.groups.through, dispatch_uid="options-groups", weak=False)
