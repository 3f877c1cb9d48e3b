"""The list of budgets: every indsats the user may see with its latest version and total, a page at a time."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.shortcuts import render
from django.views.decorators.http import require_GET
from django.views.decorators.vary import vary_on_headers

from config.web.htmx import page_template
from config.web.lists import PAGE_SIZE
from finansiering.models import Budgetlinje, Budgetversion
from indsatser.models import Indsats


@login_required
@require_GET
@vary_on_headers("HX-Request")
def budget_list(request):
    indsatser = (
        Indsats.objects.visible_to(request.user).select_related("type").order_by("-startdato", "titel", "pk")
    )
    page = Paginator(indsatser, PAGE_SIZE).get_page(request.GET.get("side"))
    # The versions and totals of the page's indsatser only.
    versions = {}
    for version in Budgetversion.objects.filter(indsats__in=[i.pk for i in page]).order_by("nummer"):
        versions[version.indsats_id] = version  # the last one wins: the latest version
    totals = dict(
        Budgetlinje.objects.filter(version__in=[v.pk for v in versions.values()])
        .values("version")
        .annotate(total=Sum("beloeb"))
        .values_list("version", "total")
    )
    rows = [
        {
            "indsats": i,
            "version": versions.get(i.pk),
            "total": totals.get(getattr(versions.get(i.pk), "pk", None)),
        }
        for i in page
    ]
    return render(
        request,
        page_template(request, "finansiering/budget_list.html", "results"),
        {"rows": rows, "page": page, "query": ""},
    )
