"""The financing of an indsats: the split per party (table and chart), per afdeling, and the key's editor."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from finansiering import actions as budget_actions
from finansiering import allocation
from finansiering import queries as budget_queries
from finansiering.financing import indsats_finansiering
from finansiering.forms import AftalteBeloebForm, FordelingsnoegleForm, anvendelse_formset, part_formset
from finansiering.models import Finansieringspart, Fordelingsnoegle
from finansiering.views.common import get_indsats_for_user, limit_afdelinger, version_by_number, versions_of
from indsatser import ramme

VIEW = "finansiering.view_budget"
CHANGE = "finansiering.change_fordelingsnoegle"


def _finansiering_for_request(request, indsats):
    versions = versions_of(indsats)
    version = version_by_number(versions, request.GET.get("version")) or (versions[-1] if versions else None)
    finansiering = indsats_finansiering(indsats, version)
    limit_afdelinger(request.user, finansiering)
    return versions, finansiering


def chart_data(finansiering) -> dict:
    """What the chart script draws: one stacked bar per year, one colour per party (kroner as numbers)."""
    return {
        "labels": [str(year) for year in finansiering.years],
        "datasets": [
            {"label": part.navn, "data": [float(v) for v in part.values(finansiering.years)]}
            for part in finansiering.parter
        ],
    }


@login_required
@require_GET
def finansiering_detail(request, indsats_pk):
    indsats = get_indsats_for_user(request.user, indsats_pk, VIEW)
    versions, finansiering = _finansiering_for_request(request, indsats)
    context = {
        "indsats": indsats,
        "versions": versions,
        "fin": finansiering,
        "chart": chart_data(finansiering),
        "can_edit": request.user.has_perm(CHANGE, indsats),
    }
    return render(request, "finansiering/finansiering.html", context)


@login_required
@require_GET
def finansiering_afdelinger(request, indsats_pk):
    """Each afdeling's share of the local financing: per year, per lejemål per year and per m² per year."""
    indsats = get_indsats_for_user(request.user, indsats_pk, VIEW)
    versions, finansiering = _finansiering_for_request(request, indsats)
    context = {"indsats": indsats, "versions": versions, "fin": finansiering}
    return render(request, "finansiering/finansiering_afdelinger.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def finansiering_edit(request, indsats_pk):
    """The fordelingsnøgle: parties and percentages (exactly 100 in total), the kommune's sub-uses, how the
    local share is split between the afdelinger, agreed amounts, and the variance threshold.
    Everything is checked first and saved together, or nothing is."""
    indsats = get_indsats_for_user(request.user, indsats_pk, CHANGE)
    noegle = Fordelingsnoegle.objects.filter(indsats=indsats).first()
    stored = noegle is not None
    if noegle is None:
        noegle = Fordelingsnoegle(indsats=indsats)
    defaults = [] if stored else budget_queries.default_parties(indsats)
    kommune = noegle.parter.filter(art=Finansieringspart.Art.KOMMUNE).first() if stored else None
    kommune_defaults = next((p.anvendelser for p in defaults if p.art == Finansieringspart.Art.KOMMUNE), ())
    afdelinger = list(
        indsats.afdelinger.select_related("organisation").order_by("organisation__navn", "nummer")
    )
    aftalt = {a.afdeling_id: a.beloeb for a in noegle.aftalte_andele.all()} if stored else {}

    data = request.POST if request.method == "POST" else None
    form = FordelingsnoegleForm(data, instance=noegle, prefix="noegle")
    parts = part_formset(len(defaults))(
        data,
        instance=noegle,
        prefix="parter",
        initial=[{"art": p.art, "navn": p.navn, "procent": p.procent} for p in defaults],
    )
    anvendelser = anvendelse_formset(len(kommune_defaults))(
        data,
        instance=kommune or Finansieringspart(),
        prefix="anvendelser",
        initial=[{"navn": navn, "procentpoint": point} for navn, point in kommune_defaults],
    )
    aftalte = AftalteBeloebForm(data, afdelinger=afdelinger, aftalt=aftalt, prefix="aftalt")

    locked = ramme.frame_locked(indsats)
    if locked:
        # Shown as it is, every field disabled: the page says why and where a change is asked for.
        for each in [form, *parts.forms, *anvendelser.forms, aftalte]:
            for field in each.fields.values():
                field.disabled = True
        if request.method == "POST":
            messages.error(request, ramme.FRAME_MESSAGE)
            return redirect("finansiering_detail", indsats_pk=indsats.pk)
    if request.method == "POST":
        parts_valid = parts.is_valid()
        anvendelser.check_sum = parts_valid
        anvendelser.kommune_procent = parts.kommune_procent() if parts_valid else None
        if all([form.is_valid(), parts_valid, anvendelser.is_valid(), aftalte.is_valid()]):
            try:
                budget_actions.save_fordelingsnoegle(
                    indsats, form, parts, anvendelser, aftalte, acting_user=request.user
                )
            except budget_actions.BudgetError as problem:
                messages.error(request, str(problem))
                return redirect("finansiering_detail", indsats_pk=indsats.pk)
            messages.success(request, "Fordelingsnøglen er gemt.")
            parter = list(Finansieringspart.objects.filter(noegle__indsats=indsats))
            lbf = {p.pk for p in parter if p.art == Finansieringspart.Art.LBF}
            warning = allocation.local_cofinancing_warning({p.pk: p.procent for p in parter}, lbf)
            if warning:
                messages.warning(request, warning)
            return redirect("finansiering_detail", indsats_pk=indsats.pk)
    context = {
        "locked": locked,
        "indsats": indsats,
        "form": form,
        "parts": parts,
        "anvendelser": anvendelser,
        "aftalte": aftalte,
        "stored": stored,
    }
    return render(request, "finansiering/finansiering_form.html", context, status=400 if data else 200)
