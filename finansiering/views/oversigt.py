"""The list of budgets: every indsats the user may see, with its latest version and total."""

from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.shortcuts import render
from django.views.decorators.http import require_GET

from finansiering.models import Budgetlinje, Budgetversion
from indsatser.models import Indsats


@login_required
@require_GET
def budget_list(request):
    indsatser = list(
        Indsats.objects.visible_to(request.user).select_related("type").order_by("-startdato", "titel")
    )
    versions = {}
    for version in Budgetversion.objects.filter(indsats__in=[i.pk for i in indsatser]).order_by("nummer"):
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
        for i in indsatser
    ]
    return render(request, "finansiering/budget_list.html", {"rows": rows})
