"""The official lists page: a year's published lists beside the app's own classification of the same year."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required, permission_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from config.web.forms import posted
from screening import official_lists, results
from screening.forms import OfficialListForm
from screening.models import Boligomraade, OfficielListeplacering, Omraaderesultat, Screeningsrunde


def _comparison_rows(user, aar: int) -> list[dict]:
    """Every area the user may see that is on the year's lists or that the app classes as more than "ingen"
    in the round of that year, with both classes and whether they differ."""
    visible = Boligomraade.objects.visible_to(user)
    listed: dict[int, dict] = {}
    for placering in OfficielListeplacering.objects.filter(aar=aar, boligomraade__in=visible).select_related(
        "boligomraade"
    ):
        row = listed.setdefault(
            placering.boligomraade_id,
            {"area": placering.boligomraade, "kommune": placering.kommune, "lists": set(), "computed": None},
        )
        row["lists"].add(placering.liste)
    runde = Screeningsrunde.objects.filter(aar=aar).first()
    if runde is not None:
        results.ensure_fresh(runde)
        computed = Omraaderesultat.objects.filter(runde=runde, boligomraade__in=visible).select_related(
            "boligomraade"
        )
        for result in computed:
            if result.boligomraade_id in listed:
                listed[result.boligomraade_id]["computed"] = result
            elif result.klassifikation != official_lists.NOT_LISTED:
                listed[result.boligomraade_id] = {
                    "area": result.boligomraade,
                    "kommune": "",
                    "lists": set(),
                    "computed": result,
                }
    rows = []
    for row in listed.values():
        official = official_lists.official_class(row["lists"])
        computed = row["computed"]
        rows.append(
            {
                **row,
                "official": official,
                "official_label": official_lists.class_label(official),
                "differs": computed is not None and official_lists.differs(official, computed.klassifikation),
            }
        )
    rows.sort(key=lambda row: (not row["differs"], row["area"].navn.casefold()))
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def officielle_lister(request):
    may_import = request.user.has_perm("screening.import_officiel_liste")
    if request.method == "POST" and not may_import:
        raise PermissionDenied
    form = OfficialListForm(posted(request), request.FILES or None) if may_import else None
    report = None
    if request.method == "POST" and form.is_valid():
        upload, aar = form.cleaned_data["fil"], form.cleaned_data["aar"]
        report = official_lists.import_file(upload.read(), upload.name, aar, acting_user=request.user)
        if report.ok:
            messages.success(request, f"De officielle lister for {aar} er indlæst: {report.summary()}")
            return redirect(f"{reverse('officielle_lister')}?aar={aar}")
    years = official_lists.imported_years()
    requested = request.GET.get("aar", "")
    aar = next((year for year in years if str(year) == requested), years[-1] if years else None)
    context = {
        "form": form,
        "report": report,
        "columns": official_lists.COLUMNS,
        "list_codes": official_lists.LIST_CODES,
        "years": [{"aar": year, "is_final": True} for year in reversed(years)],
        "aar": aar,
        "aar_tab": {"aar": aar},
        "rows": _comparison_rows(request.user, aar) if aar is not None else [],
        "has_round": aar is not None and Screeningsrunde.objects.filter(aar=aar).exists(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "screening/officielle_lister.html", context, status=status)


@login_required
@permission_required("screening.import_officiel_liste", raise_exception=True)
@require_POST
def officielle_lister_slet(request, aar):
    removed = official_lists.remove_year(aar, acting_user=request.user)
    if not removed:
        raise Http404
    messages.success(request, f"De officielle lister for {aar} er fjernet ({removed} placeringer).")
    return redirect("officielle_lister")
