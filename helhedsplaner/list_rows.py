"""The rows of the plan list as plain values."""

from django.db.models import F

from config.web.lists import person_subquery
from helhedsplaner.models import Helhedsplan
from indsatser.queries import afdeling_labels


def _plan_rows():
    """Every plan as a row of the list."""
    # The ansvarlig's names are a subquery rather than a join: the database looks them up for the 25 rows
    # shown, and the page count joins nothing.
    return (
        Helhedsplan.objects.annotate(
            titel=F("indsats__titel"),
            startdato=F("indsats__startdato"),
            slutdato=F("indsats__slutdato"),
            ansvarlig_person=person_subquery("indsats__ansvarlig_id"),
            afdeling_labels=afdeling_labels("indsats"),
        )
        .values(
            "pk",
            "titel",
            "tilstand",
            "tilstand_siden",
            "startdato",
            "slutdato",
            "ansvarlig_person",
            "afdeling_labels",
        )
        .order_by("indsats__titel", "pk")
    )


def plan_rows(user):
    """The plans the user may see, in title order, each a dict of the values the list shows: its ansvarlig's
    user name, first and last name as a dict (None without one), its afdelinger («nummer navn») as a list."""
    return _plan_rows().visible_to(user)
