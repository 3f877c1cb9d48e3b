from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Sum
from django.shortcuts import render
from django.utils import timezone

from helhedsplaner import lifecycle, reminders
from helhedsplaner.models import Helhedsplan, Kommentar
from screening import roles
from screening.models import Afdeling, Boligomraade, Boligorganisation

LIST_LIMIT = 20


def _plan_counts(plans):
    """How many plans are in each state, in the lifecycle's order."""
    counts = dict(plans.values_list("tilstand").annotate(n=Count("pk")).order_by())
    return [(state, counts.get(state.code, 0)) for state in lifecycle.STATES]


def _reminders_for(user) -> list:
    """Everyone's reminders, the user's own first."""
    everyone = reminders.all_reminders(timezone.localdate())
    return sorted(everyone, key=lambda reminder: reminder.recipient_id != user.pk)


@login_required
def home(request):
    """The start page: what this user should look at first, by role."""
    user = request.user
    context = {"liste_graense": LIST_LIMIT}
    plans = Helhedsplan.objects.visible_to(user)
    # The lists show a plan by its title and state, a thread by its section, author and date: not the texts.
    listed_plans = plans.select_related("indsats").only("tilstand", "tilstand_siden", "indsats__titel")
    threads = (
        Kommentar.objects.threads()
        .filter(loest__isnull=True)
        .select_related("plan__indsats", "forfatter")
        .only(
            "sektion",
            "oprettet",
            "plan__indsats__titel",
            "forfatter__username",
            "forfatter__first_name",
            "forfatter__last_name",
        )
    )
    if roles.is_medarbejder(user):
        context["paamindelser"] = _reminders_for(user)
        context["plan_counts"] = _plan_counts(plans)
        context["venter_paa_fsb"] = threads.filter(seneste_fra_personale=False).order_by("oprettet", "pk")[
            :LIST_LIMIT
        ]
    if roles.sees_all_afdelinger(user):
        # Every organisation with its afdelinger's sums, largest first. The key figures add them up (each
        # afdeling belongs to one organisation), so a national register's 7,500 afdelinger are summed once;
        # the table shows the first 20 and says whether there are more (the afdeling list filters by any).
        organisationer = list(
            Boligorganisation.objects.visible_to(user)
            .annotate(
                antal=Count("afdelinger"),
                lejemaal=Sum("afdelinger__lejemaal"),
                beboere=Sum("afdelinger__beboere"),
            )
            .order_by(F("lejemaal").desc(nulls_last=True), "navn")
            .values("pk", "navn", "antal", "lejemaal", "beboere")
        )
        context["totals"] = {
            figure: sum(organisation[figure] or 0 for organisation in organisationer)
            for figure in ("antal", "lejemaal", "beboere")
        }
        context["omraader_antal"] = Boligomraade.objects.visible_to(user).count()
        context["organisationer"] = organisationer[:LIST_LIMIT]
        context["organisationer_flere"] = len(organisationer) > LIST_LIMIT
        funder_states = [s.code for s in lifecycle.STATES if set(s.awaits) & set(lifecycle.FUNDERS)]
        context["hos_lbf_og_kommune"] = listed_plans.filter(tilstand__in=funder_states).order_by(
            "tilstand_siden"
        )[:LIST_LIMIT]
    else:
        context["mine_afdelinger"] = (
            Afdeling.objects.visible_to(user)
            .select_related("organisation")
            .only("nummer", "navn", "bydel", "lejemaal", "beboere", "organisation__navn")
            .order_by("nummer")[:50]
        )
        review_states = [s.code for s in lifecycle.STATES if s.review_open]
        context["til_kommentering"] = listed_plans.filter(tilstand__in=review_states).order_by(
            "indsats__titel"
        )[:LIST_LIMIT]
        context["venter_paa_mig"] = threads.filter(
            plan__in=plans, forfatter=user, seneste_fra_personale=True
        ).order_by("-oprettet", "-pk")[:LIST_LIMIT]
    return render(request, "home.html", context)
