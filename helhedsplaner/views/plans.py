"""The plan list, creating a plan, its overview page (diagram, next steps, content) and editing its text."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import CharField, F, FilteredRelation, OuterRef, Q
from django.db.models.functions import Cast, JSONObject
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers

from config.web.audit import logs_access
from config.web.forms import posted
from config.web.htmx import page_template
from config.web.lists import PAGE_SIZE, ValueList
from config.web.roles import ROLE_LABELS
from helhedsplaner import actions, lifecycle, queries
from helhedsplaner.filters import PlanFilter
from helhedsplaner.forms import AttachmentForm, MemberForm, PlanCreateForm, PlanTextForm
from helhedsplaner.list_rows import plan_rows
from helhedsplaner.models import TEXT_SECTIONS, Haendelse, Organisationsmedlem
from helhedsplaner.rules import know_afdelinger
from helhedsplaner.screening_figures import drawn_latest_figures
from helhedsplaner.views.common import get_plan_for_user, plan_context, refused_status, sections_with_threads
from indsatser.models import Aktivitet, Indsatsomraade, Maalsaetning
from indsatser.overlap import OverlapNotConfirmed
from indsatser.transitions import Conflict, Refused


def _filtered_plans(request) -> PlanFilter:
    # Plain values for the rows (helhedsplaner/templatetags/plan_list_tags.py writes them out).
    queryset = plan_rows(request.user)
    plan_filter = PlanFilter(request.GET, queryset=queryset, request=request)
    if not plan_filter.form.is_valid():
        plan_filter = PlanFilter({}, queryset=queryset, request=request)
    return plan_filter


@login_required
@vary_on_headers("HX-Request")
def plan_list(request):
    plan_filter = _filtered_plans(request)
    page = Paginator(plan_filter.qs, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    context = {"filter": plan_filter, "page": page, "query": query.urlencode()}
    return render(request, page_template(request, "helhedsplaner/plan_list.html", "results"), context)


@login_required
@permission_required("helhedsplaner.add_helhedsplan", raise_exception=True)
@require_http_methods(["GET", "POST"])
def plan_create(request):
    form = PlanCreateForm(posted(request), initial={"ansvarlig": request.user.pk})
    if form.searching:
        form.find_afdelinger(request.user)
    problems = []
    if request.method == "POST" and form.is_valid():
        try:
            plan = actions.create_plan(
                **form.cleaned_without_overlap(),
                overlap_begrundelse=form.overlap_begrundelse(),
                acting_user=request.user,
            )
        except OverlapNotConfirmed as error:
            problems = error.problems
            form.ask_overlap_confirmation()
        else:
            messages.success(request, f"Helhedsplanen «{plan}» er oprettet i fasen «{plan.state.label}».")
            return redirect("plan_detail", pk=plan.pk)
    status = 400 if request.method == "POST" and not form.searching else 200
    context = {"form": form, "problems": problems}
    return render(request, "helhedsplaner/plan_create.html", context, status=status)


def diagram(plan) -> str:
    """The main path with each state done, current or to come; a plan on a side exit stopped where it left."""
    reached = plan.tilstand
    if plan.state.side_exit:
        left_from = (
            plan.haendelser.filter(art=Haendelse.Art.OVERGANG)
            .order_by("-tid", "-id")
            .values_list("fra_tilstand", flat=True)
            .first()
        )
        if left_from is not None:
            reached = left_from
    return _drawn_diagram(plan.tilstand, reached)


def _drawn_diagram(tilstand: str, reached: str) -> str:
    position = lifecycle.MAIN_PATH.index(reached) if reached in lifecycle.MAIN_PATH else 0
    steps = []
    for index, code in enumerate(lifecycle.MAIN_PATH):
        if index < position:
            status = "done"
        elif index == position:
            status = "current" if code == tilstand else "stopped"
        else:
            status = "todo"
        back = [lifecycle.STATE[t.target] for t in lifecycle.transitions_from(code) if t.kind == "tilbage"]
        steps.append({"state": lifecycle.STATE[code], "status": status, "number": index + 1, "back": back})
    exits = [{"state": lifecycle.STATE[code], "current": code == tilstand} for code in lifecycle.SIDE_EXITS]
    return render_to_string("helhedsplaner/_diagram.html", {"steps": steps, "exits": exits})


def _overview_lists() -> dict:
    """What the overview lists, read with the plan rather than one query a list, as plain values (no models
    to build for what the page just shows): the names of the indsats's indsatsområder, its goals ({indikator,
    enhed, omraade, baseline}) and activities ({betegnelse, type, evidens, omraade}), and the plan's
    organisation ({pk, gruppe, navn, rolle}). Each in its model's order, the goals' and the activities' less
    their first key, the indsats, which would join the indsats only to sort by its start date and title.
    Built once, as OVERVIEW_LISTS: Django copies an expression for each query it goes into, so the
    same expressions serve every request."""
    areas = Indsatsomraade.objects.filter(indsatser=OuterRef("indsats")).order_by(
        *Indsatsomraade._meta.ordering
    )
    goals = (
        Maalsaetning.objects.filter(indsats=OuterRef("indsats"))
        .order_by("indikator__bymaal__nummer", "indikator__navn")
        .values(
            goal=JSONObject(
                indikator="indikator__navn",
                enhed="indikator__enhed",
                omraade="indsatsomraade__navn",
                # As text: a JSON number would come back a float, not the figure stored.
                baseline=Cast("baseline", CharField()),
            )
        )
    )
    activities = (
        Aktivitet.objects.filter(indsats=OuterRef("indsats"))
        .order_by("pk")
        .values(
            activity=JSONObject(
                betegnelse="betegnelse",
                type="aktivitetstype__navn",
                evidens="aktivitetstype__evidens",
                omraade="indsatsomraade__navn",
            )
        )
    )
    members = (
        Organisationsmedlem.objects.filter(plan=OuterRef("pk"))
        .order_by(*Organisationsmedlem._meta.ordering)
        .values(member=JSONObject(pk="pk", gruppe="gruppe", navn="navn", rolle="rolle"))
    )
    return {
        "omraade_names": ValueList(areas.values("navn"), "navn"),
        "goals": ValueList(goals, "goal", is_json=True),
        "activities": ValueList(activities, "activity", is_json=True),
        "members": ValueList(members, "member", is_json=True),
    }


OVERVIEW_LISTS = _overview_lists()


@login_required
@logs_access("Helhedsplan med kommentarer")
@vary_on_headers("HX-Request")
def plan_detail(request, pk):
    plan = get_plan_for_user(request.user, pk, **OVERVIEW_LISTS)
    indsats = plan.indsats
    # Each afdeling with its meeting of this round (at most one), in the same query.
    this_round = Q(helhedsplan_moeder__plan=plan, helhedsplan_moeder__runde=plan.moederunde)
    afdelinger = list(
        indsats.afdelinger.annotate(meeting=FilteredRelation("helhedsplan_moeder", condition=this_round))
        .select_related("organisation", "boligomraade", "meeting")
        .order_by("nummer")
    )
    know_afdelinger(plan, afdelinger)
    # Every decision on the plan (a plan has few), read once for the lifecycle's guards and the grants, and
    # its conditions, for the guards too.
    decisions = list(plan.beslutninger.order_by("registreret", "id"))
    conditions = list(
        plan.betingelser.select_related(
            "beslutning", "aendringsbeslutning__anmodning", "ansvarlig", "opfyldt_af"
        ).order_by("status", F("frist").asc(nulls_last=True), "id")
    )
    meetings = []
    for afdeling in afdelinger:
        # Django sets no `meeting` on an afdeling whose filtered relation found no row.
        meeting = getattr(afdeling, "meeting", None)
        if meeting is not None:
            meeting.afdeling = afdeling
            meetings.append(meeting)
    context = plan_context(
        request, plan, afdelinger=afdelinger, meetings=meetings, decisions=decisions, conditions=conditions
    )
    context.update(
        diagram=diagram(plan),
        afdelinger=afdelinger,
        totals={
            "lejemaal": sum(a.lejemaal for a in afdelinger),
            "beboere": sum(a.beboere for a in afdelinger),
        },
        sections={section.code: section for section in sections_with_threads(plan, request.user)},
        period_started=plan.tilstand in (lifecycle.AKTIV, lifecycle.AFSLUTNING, lifecycle.AFSLUTTET),
        text_reopens=plan.tilstand in lifecycle.BEFORE_ACTIVE,
        figures_table=drawn_latest_figures(afdelinger, request.user),
        members=[
            {**member, "gruppe_label": Organisationsmedlem.Gruppe(member["gruppe"]).label}
            for member in plan.members
        ],
        attachments=list(plan.bilag.select_related("uploadet_af")),
        grants=queries.tilsagn(plan, decisions),
        conditions=conditions,
        can_follow_up=request.user.has_perm("helhedsplaner.change_betingelse", plan),
        member_form=MemberForm(),
        attachment_form=AttachmentForm(),
    )
    return render(request, page_template(request, "helhedsplaner/plan_detail.html"), context)


@login_required
@require_http_methods(["GET", "POST"])
def plan_text_edit(request, pk):
    plan = get_plan_for_user(request.user, pk)
    if not request.user.has_perm("helhedsplaner.change_helhedsplan", plan):
        raise PermissionDenied
    if not plan.state.editable:
        messages.error(request, f"Planens indhold er låst, mens den er i fasen «{plan.state.label}».")
        return redirect("plan_detail", pk=plan.pk)
    form = PlanTextForm(posted(request), instance=plan)
    if form.searching:
        form.find_afdelinger(request.user)
    conflict, status = None, 200
    if request.method == "POST" and not form.searching:
        status = 400
        if form.is_valid():
            data = form.cleaned_without_overlap()
            version = data.pop("version")
            try:
                actions.save_text(
                    plan,
                    data,
                    version=version,
                    overlap_begrundelse=form.overlap_begrundelse(),
                    acting_user=request.user,
                )
            except OverlapNotConfirmed as error:
                conflict = error
                form.ask_overlap_confirmation()
            except Refused as error:
                conflict, status = error, refused_status(error)
                plan.refresh_from_db()
                if isinstance(error, Conflict):
                    # The user's text stays in the form; the next save is based on the version now stored.
                    form.data = form.data.copy()
                    form.data["version"] = plan.version
            else:
                messages.success(request, "Planteksten er gemt.")
                return redirect("plan_detail", pk=plan.pk)
    show_saved = conflict and not isinstance(conflict, OverlapNotConfirmed)
    saved = [(label, getattr(plan, code)) for code, label in TEXT_SECTIONS] if show_saved else []
    context = {"plan": plan, "form": form, "conflict": conflict, "saved": saved}
    return render(request, "helhedsplaner/plan_text_form.html", context, status=status)


@login_required
def lifecycle_overview(request):
    """The whole lifecycle as declared: every state and every transition with who, what and which inputs."""
    rows = [
        {
            "transition": transition,
            "sources": [lifecycle.STATE[code] for code in transition.sources],
            "target": lifecycle.STATE[transition.target],
            "roles": [ROLE_LABELS[role] for role in sorted(transition.roles)],
        }
        for transition in lifecycle.TRANSITIONS
    ]
    recorders = [
        (organ.label, [ROLE_LABELS[role] for role in sorted(lifecycle.DECISION_RECORDERS[organ])])
        for organ in lifecycle.Organ
    ]
    context = {"states": lifecycle.STATES, "rows": rows, "recorders": recorders}
    return render(request, "helhedsplaner/lifecycle.html", context)
