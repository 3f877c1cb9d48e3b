"""Access to an indsats's budget pages: 404 for an indsats the user may not see, 403 for a change they
may not make (the same rule for every view in the app). And what the budget and regnskab tables share."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from config.web.roles import sees_all_afdelinger
from finansiering import actions as budget_actions
from finansiering.forms import CellForm
from finansiering.models import Budgetversion
from indsatser.models import Indsats
from screening.models import board_afdeling_ids


def get_indsats_for_user(user, pk, perm: str | None = None) -> Indsats:
    indsats = get_object_or_404(Indsats.objects.visible_to(user).select_related("type", "periode"), pk=pk)
    if perm and not user.has_perm(perm, indsats):
        raise PermissionDenied
    return indsats


def get_version(indsats: Indsats, nummer: int) -> Budgetversion:
    version = get_object_or_404(
        Budgetversion.objects.select_related("oprettet_af", "indsendt_af"), indsats=indsats, nummer=nummer
    )
    version.indsats = indsats  # already loaded (with its type and period): saves a query per use
    return version


def versions_of(indsats: Indsats) -> list[Budgetversion]:
    versions = list(indsats.budgetversioner.select_related("oprettet_af", "indsendt_af").order_by("nummer"))
    for version in versions:
        version.indsats = indsats
    return versions


def version_by_number(versions: list[Budgetversion], text) -> Budgetversion | None:
    """The version numbered `text` (from a query string), or None for a missing or malformed number."""
    return next((v for v in versions if str(v.nummer) == str(text)), None)


def limit_afdelinger(user, finansiering) -> None:
    """A board member sees the shares of their own afdelinger only; the other afdelinger's are not theirs
    to read (the total local share stays visible)."""
    if not sees_all_afdelinger(user):
        own = board_afdeling_ids(user)
        finansiering.afdelinger = [a for a in finansiering.afdelinger if a.afdeling.pk in own]


def save_cell(save, owner, cell, text: str, *, acting_user) -> str:
    """Checks the amount typed into one cell of the budget or regnskab and stores it with `save`
    (actions.save_budget_line for a budget version, save_regnskab_line for an indsats). Returns the Danish
    reason the amount was refused, or "" when it was stored."""
    form = CellForm({"beloeb": text})
    if not form.is_valid():
        return form.errors["beloeb"][0]
    try:
        save(
            owner,
            cell.aar,
            cell.omraade,
            cell.omkostningstype,
            form.cleaned_data["beloeb"],
            acting_user=acting_user,
        )
    except budget_actions.BudgetError as problem:
        return str(problem)
    return ""
