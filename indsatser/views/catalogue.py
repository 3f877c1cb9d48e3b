"""Reference pages: the activity catalogue, the partners, and benchmarking goals across active indsatser."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from config.web.forms import posted
from config.web.lists import whole_number
from indsatser import actions, goals
from indsatser.forms import PartnerForm
from indsatser.models import Aktivitetstype, Indikator, Indsats, Maalsaetning, Partner
from screening.models import Afdeling


@login_required
def aktivitetskatalog(request):
    typer = Aktivitetstype.objects.filter(i_brug=True).select_related("maalgruppe", "indsatsomraade__periode")
    typer = typer.annotate(antal=Count("aktiviteter")).order_by("navn")
    return render(request, "indsatser/aktivitetskatalog.html", {"typer": typer})


@login_required
@require_http_methods(["GET", "POST"])
def partner_list(request):
    form = PartnerForm(posted(request))
    if request.method == "POST":
        if not request.user.has_perm("indsatser.add_partner"):
            raise PermissionDenied
        if form.is_valid():
            partner = actions.create_partner(form, acting_user=request.user)
            messages.success(request, f"Partneren {partner} er oprettet.")
            return redirect("partner_list")
    partnere = (
        Partner.objects.select_related("partnertype")
        .annotate(antal=Count("indsatser"))
        .order_by("partnertype__sortering", "navn")
    )
    context = {"partnere": partnere, "form": form}
    return render(request, "indsatser/partner_list.html", context, status=400 if form.errors else 200)


@login_required
def benchmarking(request):
    """One indicator across every active indsats the user may see: target and measurement in one year."""
    active = Indsats.objects.visible_to(request.user).filter(status=Indsats.Status.AKTIV)
    indikatorer = list(
        Indikator.objects.filter(maalsaetninger__indsats__in=active)
        .select_related("bymaal")
        .distinct()
        .order_by(F("bymaal__nummer").asc(nulls_last=True), "navn")
    )
    chosen = next((i for i in indikatorer if i.pk == whole_number(request.GET.get("indikator"))), None)
    if chosen is None and indikatorer:
        chosen = indikatorer[0]
    maalsaetninger, years, year, rows = [], [], None, []
    if chosen is not None:
        maalsaetninger = list(
            Maalsaetning.objects.filter(indikator=chosen, indsats__in=active)
            .select_related("indsats__type", "indikator")
            .prefetch_related(
                "maaltal",
                Prefetch("indsats__afdelinger", queryset=Afdeling.objects.select_related("boligomraade")),
            )
        )
        years = sorted(
            {m.aar for g in maalsaetninger for m in g.maaltal.all() if m.maalt is not None or m.maal}
        )
        year = whole_number(request.GET.get("aar"))
        if year not in years:
            measured = sorted({m.aar for g in maalsaetninger for m in g.maaltal.all() if m.maalt is not None})
            year = measured[-1] if measured else (years[-1] if years else None)
        if year is not None:
            rows = goals.benchmark(maalsaetninger, year)
    for row in rows:
        row.omraader = sorted(
            {a.boligomraade.navn for a in row.maalsaetning.indsats.afdelinger.all() if a.boligomraade}
        )
    chart = {
        "title": chosen.navn if chosen else "",
        "unit": chosen.enhed if chosen else "",
        "labels": [r.maalsaetning.indsats.titel for r in rows],
        "series": [
            {
                "label": "Mål",
                "data": [None if r.maal is None else float(r.maal) for r in rows],
                "kind": "target",
            },
            {
                "label": "Målt",
                "data": [None if r.maalt is None else float(r.maalt) for r in rows],
                "kind": "measured",
            },
        ],
        "type": "bar",
    }
    context = {
        "indikatorer": indikatorer,
        "chosen": chosen,
        "years": years,
        "year": year,
        "rows": rows,
        "chart_json": goals.chart_json(chart),
    }
    return render(request, "indsatser/benchmarking.html", context)
