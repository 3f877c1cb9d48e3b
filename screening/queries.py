"""Reads that more than one page needs."""

from django.conf import settings
from django.db.models import Case, Value, When
from django.db.models.functions import Lower
from django.shortcuts import get_object_or_404

from screening.models import Afdeling, Regelsaet


def get_afdeling_for_user(user, pk) -> Afdeling:
    """The afdeling if the user may see it; 404 otherwise, so its existence is not revealed."""
    queryset = Afdeling.objects.visible_to(user).select_related("organisation", "boligomraade")
    return get_object_or_404(queryset, pk=pk)


def own_afdelinger_first() -> list:
    """The order afdelinger are listed in until the user sorts: the organisation's own first
    (settings.OWN_ORGANISATION), then the others by name whatever the case, each by number."""
    own = When(organisation__navn__iexact=settings.OWN_ORGANISATION, then=Value(0))
    return [Case(own, default=Value(1)), Lower("organisation__navn"), "nummer"]


def scenario_rule_sets(runde):
    """The rule sets a round can be computed under besides its own (scenarios): those made for it first."""
    return Regelsaet.objects.exclude(pk=runde.regelsaet_id).order_by("-scenarie", "-gyldig_fra_aar")
