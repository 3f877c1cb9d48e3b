"""Reads of the afdeling register that more than one page needs."""

from django.shortcuts import get_object_or_404

from screening.models import Afdeling


def get_afdeling_for_user(user, pk) -> Afdeling:
    """The afdeling if the user may see it; 404 otherwise, so its existence is not revealed."""
    queryset = Afdeling.objects.visible_to(user).select_related("organisation", "boligomraade")
    return get_object_or_404(queryset, pk=pk)
