"""Reads that more than one page needs."""

from django.shortcuts import get_object_or_404

from screening.models import Afdeling, Regelsaet


def get_afdeling_for_user(user, pk) -> Afdeling:
    """The afdeling if the user may see it; 404 otherwise, so its existence is not revealed."""
    queryset = Afdeling.objects.visible_to(user).select_related("organisation", "boligomraade")
    return get_object_or_404(queryset, pk=pk)


def scenario_rule_sets(runde):
    """The rule sets a round can be computed under besides its own (scenarios): those made for it first."""
    return Regelsaet.objects.exclude(pk=runde.regelsaet_id).order_by("-scenarie", "-gyldig_fra_aar")
