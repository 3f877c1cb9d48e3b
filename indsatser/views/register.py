"""The register of every indsats: the filtered list, its Excel export, the detail page, create and edit,
and the simple lifecycle's transitions."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django.views.decorators.vary import vary_on_headers
from django_htmx.http import HttpResponseClientRedirect

from config.web.audit import EXPORT, logs_access
from config.web.forms import posted
from config.web.htmx import page_template
from config.web.lists import PAGE_SIZE
from config.web.tabular import xlsx_response
from indsatser import actions, lifecycle, overlap
from indsatser.filters import IndsatsFilter
from indsatser.forms import IndsatsForm, OvergangForm
from indsatser.models import Indsats, Indsatstype
from indsatser.queries import export_queryset, form_queryset, list_queryset
from indsatser.transitions import Refused, may_fire
from indsatser.views.common import detail_context, get_indsats_for_user, get_open_indsats, refuses_locked


def filtered_indsatser(request, queryset) -> IndsatsFilter:
    indsats_filter = IndsatsFilter(request.GET, queryset=queryset, request=request)
    if not indsats_filter.form.is_valid():
        # A stale or hand-edited link shows everything rather than an error page.
        indsats_filter = IndsatsFilter({}, queryset=queryset, request=request)
    return indsats_filter


@login_required
@vary_on_headers("HX-Request")
def indsats_list(request):
    indsats_filter = filtered_indsatser(request, list_queryset(request.user))
    queryset = indsats_filter.qs.order_by("-startdato", "titel", "pk")
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    context = {"filter": indsats_filter, "page": page, "query": query.urlencode()}
    return render(request, page_template(request, "indsatser/indsats_list.html", "results"), context)


EXPORT_HEADER = [
    "Titel",
    "Type",
    "Status",
    "Finansieringsperiode",
    "Startdato",
    "Slutdato",
    "Afdelinger",
    "Boligorganisationer",
    "Boligområder",
    "fsb-mål",
    "Ansvarlig",
    "Aktiviteter",
]


@login_required
@logs_access("Indsatsregister med ansvarlige", EXPORT)
def indsats_export(request):
    """The list as it is filtered, as an Excel workbook."""
    queryset = filtered_indsatser(request, export_queryset(request.user)).qs.order_by(
        "-startdato", "titel", "pk"
    )

    def rows():
        for indsats in queryset:
            afdelinger = list(indsats.afdelinger.all())
            yield (
                indsats.titel,
                indsats.type.navn,
                indsats.status_label,
                indsats.periode.navn if indsats.periode else "",
                indsats.startdato,
                indsats.slutdato,
                ", ".join(f"{a.nummer} {a.navn}" for a in afdelinger),
                ", ".join(sorted({a.organisation.navn for a in afdelinger})),
                ", ".join(sorted({a.boligomraade.navn for a in afdelinger if a.boligomraade})),
                ", ".join(str(m.nummer) for m in indsats.maal.all()),
                (indsats.ansvarlig.get_full_name() or indsats.ansvarlig.username)
                if indsats.ansvarlig
                else "",
                indsats.antal_aktiviteter,
            )

    return xlsx_response("indsatser.xlsx", "Indsatser", EXPORT_HEADER, rows())


@login_required
def indsats_detail(request, pk):
    indsats = get_indsats_for_user(request.user, pk)
    return render(request, "indsatser/indsats_detail.html", detail_context(request, indsats))


def _save(form, user) -> Indsats | None:
    """Save a valid register form. A helhedsplan that shares afdelinger with another live helhedsplan in
    its period is saved only with the confirmation and its reason, which goes into the indsats's history;
    without it the form gets the confirmation fields and nothing is saved (None)."""
    cleaned = form.cleaned_data
    note = ""
    if cleaned["type"].kode == Indsatstype.HELHEDSPLAN:
        try:
            note = overlap.confirmed_overlap(
                cleaned["afdelinger"],
                cleaned["startdato"],
                cleaned["slutdato"],
                form.overlap_begrundelse(),
                exclude=form.instance,
            )
        except overlap.OverlapNotConfirmed as error:
            for problem in error.problems:
                form.add_error(None, problem)
            form.ask_overlap_confirmation()
            return None
    return actions.save_indsats(form, acting_user=user, overlap_note=note)


@login_required
@permission_required("indsatser.add_indsats", raise_exception=True)
@require_http_methods(["GET", "POST"])
def indsats_create(request):
    form = IndsatsForm(posted(request), initial={"ansvarlig": request.user.pk})
    if form.searching:
        form.find_afdelinger(request.user)
    if request.method == "POST" and form.is_valid() and (indsats := _save(form, request.user)):
        messages.success(request, f"Indsatsen »{indsats}« er oprettet.")
        return redirect("indsats_detail", pk=indsats.pk)
    status = 400 if request.method == "POST" and not form.searching else 200
    return render(request, "indsatser/indsats_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
@refuses_locked(None)
def indsats_edit(request, pk):
    indsats = get_open_indsats(request.user, pk, queryset=form_queryset(request.user))
    form = IndsatsForm(posted(request), instance=indsats)
    if form.searching:
        form.find_afdelinger(request.user)
    if request.method == "POST" and form.is_valid() and _save(form, request.user):
        messages.success(request, "Ændringerne er gemt.")
        return redirect("indsats_detail", pk=indsats.pk)
    status = 400 if request.method == "POST" and not form.searching else 200
    return render(request, "indsatser/indsats_form.html", {"form": form, "indsats": indsats}, status=status)


@login_required
@vary_on_headers("HX-Request")
@require_http_methods(["GET", "POST"])
def indsats_overgang(request, pk, name):
    """Confirm and fire one transition of the simple lifecycle (a dialog with htmx, a page without)."""
    indsats = get_indsats_for_user(request.user, pk)
    transition = lifecycle.BY_NAME.get(name)
    if transition is None or not may_fire(request.user, transition):
        raise PermissionDenied
    form = OvergangForm(posted(request), transition=transition)
    reasons = lifecycle.refusals(indsats, transition)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                lifecycle.fire(indsats, name, form.cleaned_data["kommentar"], acting_user=request.user)
            except Refused as refused:
                reasons = refused.problems
            else:
                target = Indsats.Status(transition.target).label
                messages.success(request, f"Indsatsen har nu status »{target}«.")
                url = reverse("indsats_detail", args=[indsats.pk])
                if request.htmx:
                    return HttpResponseClientRedirect(url)
                return redirect(url)
        status = 400
    context = {"indsats": indsats, "transition": transition, "form": form, "reasons": reasons}
    template = "indsatser/overgang_form.html"
    if request.htmx:
        template += "#dialog"
    return render(request, template, context, status=status)
