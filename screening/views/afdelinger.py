"""The afdeling register's pages: the list with its import and export, an afdeling, and the areas."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, F, Sum
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods
from django.views.decorators.vary import vary_on_headers

from config.web import roles
from config.web.audit import logs_access
from config.web.forms import ImportForm, posted
from config.web.htmx import page_template
from config.web.lists import PAGE_SIZE
from config.web.tabular import csv_response, xlsx_response
from screening import actions, afdeling_import, afdeling_picker
from screening.filters import AfdelingFilter
from screening.forms import AfdelingForm
from screening.models import Afdeling, Bestyrelsesmedlem, Boligomraade
from screening.queries import get_afdeling_for_user, own_afdelinger_first


def filtered_afdelinger(request) -> AfdelingFilter:
    queryset = Afdeling.objects.visible_to(request.user).select_related("organisation", "boligomraade")
    afdeling_filter = AfdelingFilter(request.GET, queryset=queryset, request=request)
    if not afdeling_filter.form.is_valid():
        # A stale or hand-edited link (an organisation that is gone, a bad sort key) shows everything
        # rather than an error page.
        afdeling_filter = AfdelingFilter({}, queryset=queryset, request=request)
    return afdeling_filter


LIST_COLUMNS = [
    ("nummer", "Nr."),
    ("navn", "Navn"),
    ("organisation", "Organisation"),
    ("bydel", "Bydel"),
    ("omraade", "Boligområde"),
    ("lejemaal", "Lejemål"),
    ("areal", "Areal (m²)"),
    ("beboere", "Beboere"),
]


def sort_columns(query, current_sort):
    """Column headers as links that sort by the column, and reverse the order when clicked again."""
    columns = []
    for key, label in LIST_COLUMNS:
        query = query.copy()
        query["sort"] = f"-{key}" if current_sort == key else key
        aria_sort = {key: "ascending", f"-{key}": "descending"}.get(current_sort, "none")
        columns.append({"label": label, "query": query.urlencode(), "aria_sort": aria_sort})
    return columns


@login_required
@vary_on_headers("HX-Request")
def afdeling_list(request):
    afdeling_filter = filtered_afdelinger(request)
    queryset = afdeling_filter.qs
    if not request.GET.get("sort"):
        queryset = queryset.order_by(*own_afdelinger_first())
    # Plain values for the rows (screening_tags.afdeling_rows writes them): a page is read without building
    # an afdeling, its organisation and its område for each of the 25 rows.
    queryset = queryset.values(
        "pk",
        "nummer",
        "navn",
        "bydel",
        "lejemaal",
        "areal_m2",
        "beboere",
        organisation_navn=F("organisation__navn"),
        omraade_navn=F("boligomraade__navn"),
    )
    page = Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("side"))
    query_without_page = request.GET.copy()
    query_without_page.pop("side", None)
    query_without_sort = query_without_page.copy()
    query_without_sort.pop("sort", None)
    context = {
        "filter": afdeling_filter,
        "options": afdeling_filter.options(),
        "page": page,
        "query": query_without_page.urlencode(),
        "columns": sort_columns(query_without_sort, request.GET.get("sort", "")),
    }
    return render(request, page_template(request, "screening/afdeling_list.html", "results"), context)


@login_required
def afdeling_export(request, fmt):
    """The list as it is filtered, in the import's own column layout (so an export can be re-imported)."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    # Plain values in the export's column order: a national export would otherwise build every afdeling
    # with its organisation and area as model instances, only to read a few fields of each.
    rows = (
        filtered_afdelinger(request)
        .qs.order_by(*own_afdelinger_first())
        .values_list(
            "organisation__navn",
            "nummer",
            "navn",
            "adresse",
            "postnr",
            "bydel",
            "boligomraade__navn",
            "lejemaal",
            "areal_m2",
            "beboere",
        )
        .iterator(chunk_size=2000)
    )
    if fmt == "xlsx":
        return xlsx_response("afdelinger.xlsx", "Afdelinger", afdeling_import.COLUMNS, rows)
    csv_rows = ([str(v).replace(".", ",") if k == 8 else v for k, v in enumerate(row)] for row in rows)
    return csv_response("afdelinger.csv", afdeling_import.COLUMNS, csv_rows)


@login_required
@logs_access("Afdelingsbestyrelse og kontaktpersoner")
def afdeling_detail(request, pk):
    afdeling = get_afdeling_for_user(request.user, pk)
    can_manage = request.user.has_perm("screening.manage_bestyrelse", afdeling)
    seats = Bestyrelsesmedlem.objects.filter(afdeling=afdeling).select_related("user")
    if not can_manage:
        seats = seats.held()
    rank = {rolle: index for index, rolle in enumerate(Bestyrelsesmedlem.Rolle.values)}
    seats = sorted(seats, key=lambda seat: (rank[seat.rolle], seat.user.last_name, seat.user.first_name))
    context = {
        "afdeling": afdeling,
        "members": [seat for seat in seats if seat.fratraadt is None],
        # Who sat on the board before: staff's record, by the day they left, latest first.
        "former_members": sorted(
            (seat for seat in seats if seat.fratraadt is not None),
            key=lambda seat: seat.fratraadt,
            reverse=True,
        ),
        "can_manage": can_manage,
        "today": timezone.localdate(),
        "m2_per_lejemaal": (afdeling.areal_m2 / afdeling.lejemaal) if afdeling.lejemaal else None,
        "beboere_per_lejemaal": (afdeling.beboere / afdeling.lejemaal) if afdeling.lejemaal else None,
        "can_edit": request.user.has_perm("screening.change_afdeling", afdeling),
    }
    return render(request, "screening/afdeling_detail.html", context)


@login_required
@permission_required("screening.add_afdeling", raise_exception=True)
@require_http_methods(["GET", "POST"])
def afdeling_create(request):
    form = AfdelingForm(posted(request))
    if request.method == "POST" and form.is_valid():
        afdeling = actions.save_afdeling(form, acting_user=request.user)
        messages.success(request, f"Afdeling {afdeling} er oprettet.")
        return redirect("afdeling_detail", pk=afdeling.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "screening/afdeling_form.html", {"form": form}, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def afdeling_edit(request, pk):
    afdeling = get_afdeling_for_user(request.user, pk)
    if not request.user.has_perm("screening.change_afdeling", afdeling):
        raise PermissionDenied
    form = AfdelingForm(posted(request), instance=afdeling)
    if request.method == "POST" and form.is_valid():
        actions.save_afdeling(form, acting_user=request.user)
        messages.success(request, f"Ændringerne til {afdeling} er gemt.")
        return redirect("afdeling_detail", pk=afdeling.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request, "screening/afdeling_form.html", {"form": form, "afdeling": afdeling}, status=status
    )


@login_required
@permission_required("screening.import_afdelinger", raise_exception=True)
@require_http_methods(["GET", "POST"])
def afdeling_import_view(request):
    form = ImportForm(posted(request), request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["fil"]
        report = afdeling_import.import_file(upload.read(), upload.name, acting_user=request.user)
        if report.ok:
            messages.success(request, f"Afdelingerne er indlæst: {report.summary()}")
            return redirect("afdeling_list")
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "report": report, "columns": afdeling_import.COLUMNS}
    return render(request, "screening/afdeling_import.html", context, status=status)


@login_required
@permission_required("screening.import_afdelinger", raise_exception=True)
def afdeling_import_template(request):
    example = [
        [
            "fsb",
            "01-99",
            "Eksempelparken",
            "Eksempelvej 1",
            "2400",
            "Bispebjerg",
            "Eksempelområdet",
            "250",
            "18500,5",
            "540",
        ]
    ]
    return csv_response("afdelinger-skabelon.csv", afdeling_import.COLUMNS, example)


@login_required
@vary_on_headers("HX-Request")
def omraade_list(request):
    """The areas the user may see, by name, a page at a time (900 nationally), optionally searched by name."""
    search = request.GET.get("q", "").strip()
    areas = Boligomraade.objects.visible_to(request.user)
    if search:
        areas = areas.filter(navn__icontains=search)
    areas = areas.annotate(
        antal_afdelinger=Count("afdelinger", distinct=True),
        lejemaal=Sum("afdelinger__lejemaal"),
        beboere=Sum("afdelinger__beboere"),
    ).order_by("navn", "pk")
    page = Paginator(areas, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    return render(
        request,
        page_template(request, "screening/omraade_list.html", "results"),
        {"page": page, "query": query.urlencode(), "search": search},
    )


@login_required
def omraade_detail(request, pk):
    area = get_object_or_404(Boligomraade.objects.visible_to(request.user), pk=pk)
    afdelinger = (
        Afdeling.objects.visible_to(request.user)
        .filter(boligomraade=area)
        .select_related("organisation")
        .order_by(*own_afdelinger_first())
    )
    totals = afdelinger.aggregate(lejemaal=Sum("lejemaal"), beboere=Sum("beboere"), areal=Sum("areal_m2"))
    if not afdelinger:
        raise Http404
    return render(
        request, "screening/omraade_detail.html", {"area": area, "afdelinger": afdelinger, "totals": totals}
    )


@login_required
@require_GET
def afdeling_search(request):
    """The chosen afdelinger and the matches of a form's afdeling search (screening/afdeling_picker.py), for
    htmx to put in the form as one types. Only staff fill in the forms that have the picker."""
    if not roles.is_medarbejder(request.user):
        raise PermissionDenied
    name = request.GET.get("felt", "afdelinger")
    if not afdeling_picker.FIELD_NAME.fullmatch(name):
        raise Http404
    text = request.GET.get(name + afdeling_picker.SEARCH_SUFFIX, "")[:100]
    ticked = request.GET.getlist(name)
    matches, more = afdeling_picker.matching(request.user, text, exclude=ticked)
    context = afdeling_picker.choices_context(
        name, afdeling_picker.chosen(ticked, user=request.user), text, matches, more
    )
    return render(request, "screening/_afdeling_choices.html", context)
