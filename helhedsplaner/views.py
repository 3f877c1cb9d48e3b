from django.contrib.auth.decorators import login_required
from django.db.models import Count, Sum
from django.shortcuts import render

from screening.models import Afdeling, Boligomraade, Boligorganisation


@login_required
def home(request):
    """The start page: what this user should look at first, by role."""
    afdelinger = Afdeling.objects.visible_to(request.user)
    context = {
        "mine_afdelinger": afdelinger.select_related("organisation", "boligomraade").order_by("nummer")[:50],
        "totals": afdelinger.aggregate(antal=Count("id"), lejemaal=Sum("lejemaal"), beboere=Sum("beboere")),
        "organisationer": Boligorganisation.objects.visible_to(request.user)
        .annotate(antal=Count("afdelinger"), lejemaal=Sum("afdelinger__lejemaal"))
        .order_by("navn"),
        "omraader_antal": Boligomraade.objects.visible_to(request.user).count(),
    }
    return render(request, "home.html", context)
