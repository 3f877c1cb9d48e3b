from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch, Q
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST
from django.views.decorators.vary import vary_on_headers

from config.web.audit import logs_access
from config.web.htmx import page_template
from config.web.lists import PAGE_SIZE
from indsatser import actions
from indsatser.forms import AfmeldForm, KontaktpersonForm
from indsatser.models import Kontaktperson
from screening.models import Afdeling
from screening.queries import get_afdeling_for_user


@login_required
@logs_access("Kontaktpersoner")
@vary_on_headers("HX-Request")
def kontaktperson_list(request):
    """Every afdeling the user may see with its current contact person; optionally only those missing one."""
    afdelinger = Afdeling.objects.visible_to(request.user)
    current = Kontaktperson.objects.current()
    totals = afdelinger.aggregate(
        antal=Count("id", distinct=True),
        mangler=Count("id", distinct=True, filter=~Q(pk__in=current.values("afdeling_id"))),
    )
    only_missing = request.GET.get("mangler") == "1"
    if only_missing:
        afdelinger = afdelinger.exclude(pk__in=current.values("afdeling_id"))
    afdelinger = (
        afdelinger.select_related("organisation", "boligomraade")
        # Read for the page's rows only: the page is a slice of this queryset.
        .prefetch_related(Prefetch("kontaktpersoner", queryset=current, to_attr="aktuelle"))
        .order_by("organisation__navn", "nummer", "pk")
    )
    page = Paginator(afdelinger, PAGE_SIZE).get_page(request.GET.get("side"))
    query = request.GET.copy()
    query.pop("side", None)
    context = {"page": page, "query": query.urlencode(), "totals": totals, "only_missing": only_missing}
    return render(request, page_template(request, "indsatser/kontaktperson_list.html", "results"), context)


@login_required
@logs_access("Kontaktpersoner")
@require_http_methods(["GET", "POST"])
def kontaktperson_afdeling(request, afdeling_pk):
    """One afdeling's contact person now and before; staff register a new one here."""
    afdeling = get_afdeling_for_user(request.user, afdeling_pk)
    if not request.user.has_perm("indsatser.view_kontaktperson", afdeling):
        raise PermissionDenied
    can_change = request.user.has_perm("indsatser.change_kontaktperson", afdeling)
    personer = list(Kontaktperson.objects.filter(afdeling=afdeling).order_by("-fra_dato", "-id"))
    current = next((p for p in personer if p.til_dato is None), None)
    form = KontaktpersonForm(None, current=current)
    if request.method == "POST":
        if not can_change:
            raise PermissionDenied
        form = KontaktpersonForm(request.POST, current=current)
        if form.is_valid():
            ny = actions.change_kontaktperson(afdeling, form.save(commit=False), acting_user=request.user)
            messages.success(request, f"{ny.navn} er nu kontaktperson for {afdeling}.")
            return redirect("kontaktperson_afdeling", afdeling_pk=afdeling.pk)
    context = {
        "afdeling": afdeling,
        "current": current,
        "personer": personer,
        "form": form,
        "afmeld_form": AfmeldForm(current=current) if current else None,
        "can_change": can_change,
    }
    return render(
        request, "indsatser/kontaktperson_afdeling.html", context, status=400 if form.errors else 200
    )


@login_required
@require_POST
def kontaktperson_afmeld(request, afdeling_pk):
    afdeling = get_afdeling_for_user(request.user, afdeling_pk)
    if not request.user.has_perm("indsatser.change_kontaktperson", afdeling):
        raise PermissionDenied
    current = Kontaktperson.objects.current().filter(afdeling=afdeling).first()
    if current is None:
        messages.info(request, "Afdelingen har ingen kontaktperson.")
        return redirect("kontaktperson_afdeling", afdeling_pk=afdeling.pk)
    form = AfmeldForm(request.POST, current=current)
    if form.is_valid():
        actions.end_kontaktperson(current, form.cleaned_data["til_dato"], acting_user=request.user)
        messages.success(request, f"{current.navn} er afmeldt som kontaktperson.")
        return redirect("kontaktperson_afdeling", afdeling_pk=afdeling.pk)
    personer = list(Kontaktperson.objects.filter(afdeling=afdeling).order_by("-fra_dato", "-id"))
    context = {
        "afdeling": afdeling,
        "current": current,
        "personer": personer,
        "form": KontaktpersonForm(None, current=current),
        "afmeld_form": form,
        "can_change": True,
    }
    return render(request, "indsatser/kontaktperson_afdeling.html", context, status=400)
