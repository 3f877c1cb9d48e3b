"""The querysets the register's pages read through, so every page runs a fixed number of queries."""

from django.db.models import Count, Prefetch

from indsatser.models import (
    Aktivitet,
    Indsats,
    IndsatsHaendelse,
    Indsatsomraade,
    Maalsaetning,
    Partner,
)
from screening.models import Afdeling

AFDELINGER = Prefetch(
    "afdelinger", queryset=Afdeling.objects.select_related("organisation", "boligomraade").order_by("nummer")
)


# The list shows each afdeling's number and name only: at national scale a page of 25 indsatser has some
# 125 afdelinger, whose organisations and areas only the export needs.
AFDELING_NAMES = Prefetch("afdelinger", queryset=Afdeling.objects.only("nummer", "navn").order_by("nummer"))


def list_queryset(user):
    return _register(user, AFDELING_NAMES)


def export_queryset(user):
    return _register(user, AFDELINGER)


def _register(user, afdelinger: Prefetch):
    return (
        Indsats.objects.visible_to(user)
        .select_related("type", "periode", "ansvarlig")
        .prefetch_related(afdelinger, "maal")
        .annotate(antal_aktiviteter=Count("aktiviteter", distinct=True))
    )


def detail_queryset(user):
    return (
        Indsats.objects.visible_to(user)
        .select_related("type", "periode", "ansvarlig", "afsluttet_af")
        .prefetch_related(
            AFDELINGER,
            "maal",
            Prefetch("indsatsomraader", queryset=Indsatsomraade.objects.select_related("periode")),
            "maalgrupper",
            Prefetch("partnere", queryset=Partner.objects.select_related("partnertype")),
            Prefetch(
                "aktiviteter",
                queryset=Aktivitet.objects.select_related(
                    "aktivitetstype", "indsatsomraade", "ansvarlig_partner"
                ).prefetch_related("deltagertal"),
            ),
            Prefetch(
                "maalsaetninger",
                queryset=Maalsaetning.objects.select_related(
                    "indikator__bymaal", "indsatsomraade"
                ).prefetch_related("maaltal"),
            ),
            "afslutningsvurderinger",
            Prefetch("haendelser", queryset=IndsatsHaendelse.objects.select_related("bruger")),
        )
    )
