"""The querysets the register's pages read through, so every page runs a fixed number of queries."""

from django.db.models import Count, Exists, OuterRef, Prefetch, Subquery, Value
from django.db.models.functions import Coalesce, Concat, JSONObject

from config.web.lists import ValueList, person_subquery
from indsatser.models import (
    Aktivitet,
    Deltagertal,
    Finansieringsperiode,
    Indsats,
    Indsatsomraade,
    Indsatstype,
    Maal,
    Maalgruppe,
    Maalsaetning,
    Partner,
)
from screening.models import Afdeling

AFDELINGER = Prefetch(
    "afdelinger", queryset=Afdeling.objects.select_related("organisation", "boligomraade").order_by("nummer")
)


def afdeling_labels(indsats):
    """The afdelinger of the indsats `indsats` refers to, as «nummer navn» texts in number order (then by
    name, as numbers repeat across organisations): one array per row of a list instead of a model per
    afdeling (a page of 25 plans has some 100 afdelinger)."""
    return ValueList(
        Afdeling.objects.filter(indsatser=OuterRef(indsats))
        .order_by("nummer", "navn")
        .values(label=Concat("nummer", Value(" "), "navn")),
        "label",
    )


def _activity_count():
    # A subquery rather than a join and GROUP BY over every indsats: the database counts the activities of
    # the rows shown only, and the page count needs no join at all.
    activities = (
        Aktivitet.objects.filter(indsats=OuterRef("pk")).order_by().values("indsats").annotate(n=Count("pk"))
    )
    return Coalesce(Subquery(activities.values("n")), 0)


def _aims():
    """fsb's aims of each indsats, as a list of {nummer, navn} in number order."""
    aims = (
        Maal.objects.filter(indsatser=OuterRef("pk"))
        .order_by("nummer")
        .values(aim=JSONObject(nummer="nummer", navn="navn"))
    )
    return ValueList(aims, "aim", is_json=True)


def _register_rows():
    """Every indsats as a row of the register."""
    # The names of the type, the period and the ansvarlig are subqueries rather than joins: PostgreSQL sorts
    # the indsatser alone and looks the names up for the 25 rows shown (not a hash of every user for each
    # page), and the page count joins nothing.
    type_navn = Indsatstype.objects.filter(pk=OuterRef("type_id")).values("navn")
    periode_navn = Finansieringsperiode.objects.filter(pk=OuterRef("periode_id")).values("navn")
    return Indsats.objects.annotate(
        type_navn=Subquery(type_navn),
        periode_navn=Subquery(periode_navn),
        ansvarlig_person=person_subquery("ansvarlig_id"),
        antal_aktiviteter=_activity_count(),
        afdeling_labels=afdeling_labels("pk"),
        aims=_aims(),
    ).values(
        "pk",
        "titel",
        "status",
        "fase",
        "startdato",
        "slutdato",
        "type_navn",
        "periode_navn",
        "ansvarlig_person",
        "antal_aktiviteter",
        "afdeling_labels",
        "aims",
    )


def list_queryset(user):
    """The rows of the register the user may see, one query for a page of them, each a dict of the plain
    values the list shows (a page of 25 is read without building 100 models): the names of its type and
    period (None without one), its ansvarlig's user name, first and last name as a dict (None without one),
    its number of activities, and its afdelinger («nummer navn») and fsb's aims ({nummer, navn}) as lists."""
    return _register_rows().visible_to(user)


def export_queryset(user):
    return (
        Indsats.objects.visible_to(user)
        .select_related("type", "periode", "ansvarlig")
        .prefetch_related(AFDELINGER, "maal")
        .annotate(antal_aktiviteter=_activity_count())
    )


# The lists an indsats's form chooses from (the many-to-many fields of IndsatsForm) but the afdelinger, which
# the form shows by name.
FORM_LISTS = ("maal", "indsatsomraader", "maalgrupper", "partnere")


def form_queryset(user):
    """An indsats as its edit form reads it: its own fields, its afdelinger as the form shows them and, of
    each of its other lists, only which rows are chosen (their pks). The form shows nothing of the rest
    detail_queryset() reads: activities, goals, checklist, history and the names behind those rows."""
    return Indsats.objects.visible_to(user).prefetch_related(
        Prefetch("afdelinger", queryset=Afdeling.objects.select_related("organisation", "boligomraade")),
        *(
            Prefetch(name, queryset=Indsats._meta.get_field(name).related_model.objects.only("pk"))
            for name in FORM_LISTS
        ),
    )


def activities():
    """Activities as an indsats's page shows them: with their type, indsatsområde, partner and, read with the
    activity, its yearly numbers of participants (`participants`: a list of {aar, antal} by year)."""
    participants = (
        Deltagertal.objects.filter(aktivitet=OuterRef("pk"))
        .order_by("aar")
        .values(row=JSONObject(aar="aar", antal="antal"))
    )
    return Aktivitet.objects.select_related("aktivitetstype", "indsatsomraade", "ansvarlig_partner").annotate(
        participants=ValueList(participants, "row", is_json=True)
    )


def goals():
    """Goals as an indsats's page shows them: with their indicator (and its shared goal), indsatsområde and
    yearly values."""
    return Maalsaetning.objects.select_related("indikator__bymaal", "indsatsomraade").prefetch_related(
        "maaltal"
    )


def _overview_lists():
    """The lists an indsats's overview names, read with the indsats rather than one query a list: fsb's aims
    ({nummer, navn}), the names of its indsatsområder and target groups, and its partners ({navn, type}),
    each in its model's order."""

    def chosen(model):
        return model.objects.filter(indsatser=OuterRef("pk")).order_by(*model._meta.ordering)

    partners = chosen(Partner).values(partner=JSONObject(navn="navn", type="partnertype__navn"))
    return {
        "aims": _aims(),
        "omraade_names": ValueList(chosen(Indsatsomraade).values("navn"), "navn"),
        "maalgruppe_names": ValueList(chosen(Maalgruppe).values("navn"), "navn"),
        "partner_labels": ValueList(partners, "partner", is_json=True),
    }


def detail_queryset(user):
    """An indsats as its page reads it: its own fields with the names the overview shows, its afdelinger
    (each with `may_open`: whether this user may open the afdeling's page, a board member only their own),
    and its activities, goals and checklist as the sections show them (the history reads its own)."""
    may_open = Exists(Afdeling.objects.visible_to(user).filter(pk=OuterRef("pk")))
    return (
        Indsats.objects.visible_to(user)
        .select_related("type", "periode", "ansvarlig", "afsluttet_af")
        .annotate(**_overview_lists())
        .prefetch_related(
            Prefetch("afdelinger", queryset=AFDELINGER.queryset.annotate(may_open=may_open)),
            Prefetch("aktiviteter", queryset=activities()),
            Prefetch("maalsaetninger", queryset=goals()),
            "afslutningsvurderinger",
        )
    )
