from datetime import timedelta

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.db.models import Count, F, OuterRef, Subquery
from django.db.models.functions import TruncDate
from django.shortcuts import render
from django.utils import timezone

from config.web import roles
from config.web.lists import person_subquery
from helhedsplaner import lifecycle, queries, reminders
from helhedsplaner.models import (
    Betingelse,
    Fristpaamindelse,
    Helhedsplan,
    Kommentar,
    Rapporteringsforpligtelse,
)
from screening import options, page_data
from screening.models import Afdeling, Boligomraade, Screeningsrunde

LIST_LIMIT = 20

# The organisations with their afdelinger's sums, largest first (those without afdelinger last, by name): the
# first LIST_LIMIT + 1 of them (the page shows LIST_LIMIT and says whether there are more), each row also
# carrying the sums over every organisation (the key figures) and the number of boligområder, so Python reads
# 21 rows rather than 500 and the page asks no separate count.
# PostgreSQL sums the afdelinger per organisation before it joins the names: through the ORM it would join
# every afdeling of a national register to its organisation and group the joined rows.
# The window sums are cast to bigint: PostgreSQL's SUM of a bigint is a numeric (a Decimal in Python).
ORGANISATIONS_BY_SIZE = """
    SELECT organisation.id, organisation.navn, COALESCE(afdelinger.antal, 0),
        COALESCE(afdelinger.lejemaal, 0), COALESCE(afdelinger.beboere, 0),
        CAST(SUM(COALESCE(afdelinger.antal, 0)) OVER () AS BIGINT),
        CAST(SUM(COALESCE(afdelinger.lejemaal, 0)) OVER () AS BIGINT),
        CAST(SUM(COALESCE(afdelinger.beboere, 0)) OVER () AS BIGINT),
        COUNT(*) OVER (),
        (SELECT COUNT(*) FROM screening_boligomraade)
    FROM screening_boligorganisation organisation
    LEFT JOIN (
        SELECT organisation_id, COUNT(*) AS antal, SUM(lejemaal) AS lejemaal, SUM(beboere) AS beboere
        FROM screening_afdeling
        GROUP BY organisation_id
    ) afdelinger ON afdelinger.organisation_id = organisation.id
    ORDER BY afdelinger.lejemaal DESC NULLS LAST, organisation.navn
    LIMIT %s
"""


def _plan_counts(plans):
    """How many plans are in each state, in the lifecycle's order."""
    counts = dict(plans.values_list("tilstand").annotate(n=Count("pk")).order_by())
    return [(state, counts.get(state.code, 0)) for state in lifecycle.STATES]


def _organisations_by_size() -> dict:
    """The context of the key figures and the organisations table, for those who see every afdeling (and
    with that every organisation and boligområde): the same for all of them, and changed only with the
    register, so kept with the drop-downs' lists until an afdeling, organisation or område changes."""
    return options.kept_value("home: organisations by size", _read_organisations_by_size)


def _read_organisations_by_size() -> dict:
    with connection.cursor() as cursor:
        cursor.execute(ORGANISATIONS_BY_SIZE, [LIST_LIMIT + 1])
        rows = cursor.fetchall()
    if not rows:  # no organisations: nothing to add up, and no row to carry the boligområder
        return {
            "totals": {"antal": 0, "lejemaal": 0, "beboere": 0},
            "omraader_antal": Boligomraade.objects.count(),
            "organisationer": [],
            "organisationer_flere": False,
        }
    antal, lejemaal, beboere, organisations, omraader = rows[0][5:]
    return {
        "totals": {"antal": antal, "lejemaal": lejemaal, "beboere": beboere},
        "omraader_antal": omraader,
        "organisationer": [
            dict(zip(("pk", "navn", "antal", "lejemaal", "beboere"), row[:5], strict=True))
            for row in rows[:LIST_LIMIT]
        ],
        "organisationer_flere": organisations > LIST_LIMIT,
    }


def _reminders_for(user) -> list:
    """Everyone's reminders, the user's own first."""
    everyone = reminders.kept_reminders(timezone.localdate())
    return sorted(everyone, key=lambda reminder: reminder.recipient_id != user.pk)


def _threads_waiting_for_fsb():
    """The first open threads whose latest word is the board's, oldest first, as plain values (models cost
    more to build than the row they show): the same for every medarbejder."""
    # The plan's title and the author's name are subqueries rather than joins: PostgreSQL sorts the threads
    # alone and looks the names up for the 20 rows shown, rather than hashing every user for each page.
    titel = Helhedsplan.objects.filter(pk=OuterRef("plan_id")).values("indsats__titel")
    return (
        Kommentar.objects.threads()
        .filter(loest__isnull=True, seneste_fra_personale=False)
        .annotate(
            oprettet_dag=TruncDate("oprettet"),
            plan_titel=Subquery(titel),
            forfatter_person=person_subquery("forfatter_id"),
        )
        .order_by("oprettet", "pk")
        .values("plan_id", "sektion", "plan_titel", "forfatter_person", "bestyrelse_for", "oprettet_dag")[
            :LIST_LIMIT
        ]
    )


# The reminders of deadlines a user has had on the start page: those of the last weeks.
REMINDERS_SHOWN_FOR = timedelta(days=30)


def _deadlines_for(user, today) -> dict:
    """The reports this user should see first: staff those they are responsible for (due within 60 days or
    overdue), the secretariat those marked ready and waiting to be sent; and the deadline reminders
    written to them lately, whoever they are."""
    context = {
        "fristpaamindelser": Fristpaamindelse.objects.filter(
            modtager=user,
            dato__gte=today - REMINDERS_SHOWN_FOR,
            forpligtelse__plan__tilstand__in=lifecycle.RUNNING,
        )
        .select_related("forpligtelse__type", "forpligtelse__plan__indsats")
        .only(
            "art",
            "dato",
            "forpligtelse__aar",
            "forpligtelse__frist",
            "forpligtelse__status",
            "forpligtelse__plan_id",
            "forpligtelse__type__navn",
            "forpligtelse__plan__indsats__titel",
        )[:LIST_LIMIT]
    }
    if roles.is_medarbejder(user):
        context["mine_frister"] = queries.due_obligations(today).filter(ansvarlig=user)[:LIST_LIMIT]
    if roles.is_sekretariat(user):
        # Every report marked ready, however far its deadline is: it waits only for the secretariat.
        context["klar_til_afsendelse"] = (
            queries.owed(
                Rapporteringsforpligtelse.objects.filter(status=Rapporteringsforpligtelse.Status.KLAR)
            )
            .select_related("plan__indsats", "type", "ansvarlig")
            .order_by("frist", "plan__indsats__titel", "pk")[:LIST_LIMIT]
        )
    return context


@login_required
def home(request):
    """The start page: what this user should look at first, by role."""
    user = request.user
    context = {"liste_graense": LIST_LIMIT}
    plans = Helhedsplan.objects.visible_to(user)
    # The lists show a plan by its title and state, a thread by its section and author: not the texts. Days
    # are read as dates (TruncDate): Django takes some 20 times longer to read a timestamp.
    if roles.is_medarbejder(user):
        context["paamindelser"] = _reminders_for(user)
        context["plan_counts"] = _plan_counts(plans)
        context["venter_paa_fsb"] = list(_threads_waiting_for_fsb())
        # The open conditions of the funders' tilsagn, the nearest due date first (staff see every plan).
        context["aabne_betingelser"] = list(
            Betingelse.objects.filter(status=Betingelse.Status.AABEN)
            .select_related("plan__indsats", "ansvarlig")
            .only(
                "tekst",
                "frist",
                "status",
                "plan__indsats__titel",
                "ansvarlig__username",
                "ansvarlig__first_name",
                "ansvarlig__last_name",
            )
            .order_by(F("frist").asc(nulls_last=True), "pk")[:LIST_LIMIT]
        )
        # The watch list of the newest final screening round: areas near, or heading for, a stricter class.
        runde = Screeningsrunde.objects.filter(status=Screeningsrunde.Status.ENDELIG).order_by("-aar").first()
        if runde is not None:
            context["overvaagning_runde"] = runde
            context["overvaagning"] = page_data.watch_list_head(user, runde, LIST_LIMIT)
    if roles.sees_all_afdelinger(user):
        context.update(_deadlines_for(user, timezone.localdate()))
        context.update(_organisations_by_size())
        funder_states = [s.code for s in lifecycle.STATES if set(s.awaits) & set(lifecycle.FUNDERS)]
        context["hos_lbf_og_kommune"] = (
            plans.filter(tilstand__in=funder_states)
            .annotate(i_fasen_siden=TruncDate("tilstand_siden"))
            .order_by("tilstand_siden", "pk")
            .values("pk", "tilstand", "indsats__titel", "i_fasen_siden")[:LIST_LIMIT]
        )
    else:
        context["mine_afdelinger"] = (
            Afdeling.objects.visible_to(user)
            .select_related("organisation")
            .only("nummer", "navn", "bydel", "lejemaal", "beboere", "organisation__navn")
            .order_by("nummer")[:50]
        )
        review_states = [s.code for s in lifecycle.STATES if s.review_open]
        context["til_kommentering"] = (
            plans.filter(tilstand__in=review_states)
            .order_by("indsats__titel")
            .values("pk", "tilstand", "indsats__titel")[:LIST_LIMIT]
        )
        # The list shows a thread by its plan's title and its section: not the texts.
        threads = (
            Kommentar.objects.threads()
            .filter(loest__isnull=True)
            .select_related("plan__indsats", "forfatter")
            .only(
                "sektion",
                "plan__indsats__titel",
                "forfatter__username",
                "forfatter__first_name",
                "forfatter__last_name",
            )
        )
        context["venter_paa_mig"] = threads.filter(
            plan__in=plans, forfatter=user, seneste_fra_personale=True
        ).order_by("-oprettet", "-pk")[:LIST_LIMIT]
    return render(request, "home.html", context)
