"""The administrator's data-protection pages: the retention rules and the anonymisations done, a search for a
person (with an account, or without one: without_account.py), the export of everything held about them (a JSON
file) and their erasure."""

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from config.privacy import actions, retention, without_account
from config.privacy.anonymiser import is_anonymised
from config.privacy.export import person_data, person_without_account_data
from config.privacy.forms import AccountErasureForm, ErasureForm
from config.privacy.models import Anonymisering
from config.web import audit, roles
from config.web.forms import posted

MAX_FOUND = 50
# A shorter search would match nearly everyone; a longer one than any name or address is no search.
MIN_QUERY = 2
MAX_QUERY = 100
# The entries an erasure of a person without an account anonymised, by its count's kind (actions):
# singular, plural.
ERASED = {
    "kontaktpersoner": ("kontaktperson", "kontaktpersoner"),
    "tidligere_kontaktpersoner": ("tidligere kontaktperson", "tidligere kontaktpersoner"),
    "planens_organisation": ("medlemskab af en plans organisation", "medlemskaber af planers organisation"),
    "tidligere_organisationsmedlemmer": (
        "tidligere medlemskab af en plans organisation",
        "tidligere medlemskaber af planers organisation",
    ),
}


def administrator_only(view):
    """Logged out: to the login page. Logged in without the administrator's role: 403."""

    @login_required
    def checked(request, *args, **kwargs):
        if not roles.is_administrator(request.user):
            raise PermissionDenied("Kun en administrator har adgang til databeskyttelse.")
        return view(request, *args, **kwargs)

    return checked


@administrator_only
def overview(request):
    query = request.GET.get("q", "").strip()
    found, found_without_account = [], []
    if MIN_QUERY <= len(query) <= MAX_QUERY:
        found = list(
            get_user_model()
            .objects.filter(
                Q(username__icontains=query)
                | Q(first_name__icontains=query)
                | Q(last_name__icontains=query)
                | Q(email__icontains=query)
            )
            .order_by("first_name", "last_name", "username")[:MAX_FOUND]
        )
        found_without_account = without_account.search(query, MAX_FOUND)
    context = {
        "query": query,
        "too_short": 0 < len(query) < MIN_QUERY,
        "too_long": len(query) > MAX_QUERY,
        "min_query": MIN_QUERY,
        "max_query": MAX_QUERY,
        "found": found,
        "found_without_account": found_without_account,
        "max_found": MAX_FOUND,
        "rules": retention.rules(),
        "anonymiseringer": Anonymisering.objects.select_related("udfoert_af")[:20],
    }
    return render(request, "privacy/overview.html", context)


@administrator_only
@require_GET
@audit.logs_access("Alt om én person", art=audit.EXPORT)
def export(request, pk):
    user = get_object_or_404(get_user_model(), pk=pk)
    return _json_download(person_data(user), f"person-{user.pk}.json")


@administrator_only
def erase(request, pk):
    user = get_object_or_404(get_user_model(), pk=pk)
    form = AccountErasureForm(posted(request), user=user)
    if form.is_valid():
        try:
            actions.erase_person(user, form.cleaned_data["begrundelse"], acting_user=request.user)
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, f"Personen er slettet og hedder nu «Anonymiseret person #{user.pk}».")
            return redirect("privacy_overview")
    context = {"person": user, "form": form, "anonymised": is_anonymised(user)}
    return render(request, "privacy/erase.html", context, status=400 if form.is_bound else 200)


@administrator_only
@require_GET
@audit.logs_access("Alt om én person uden brugerkonto", art=audit.EXPORT)
def export_without_account(request, kind, pk):
    person = _person_without_account(kind, pk)
    return _json_download(person_without_account_data(person), f"{kind}-{pk}.json")


@administrator_only
@audit.logs_access("Alt om én person uden brugerkonto")
def erase_without_account(request, kind, pk):
    person = _person_without_account(kind, pk)
    form = ErasureForm(posted(request))
    if form.is_valid():
        try:
            erasure = actions.erase_person_without_account(
                person, form.cleaned_data["begrundelse"], acting_user=request.user
            )
        except ValidationError as refused:
            form.add_error(None, refused)
        else:
            messages.success(request, _erased(erasure.antal))
            return redirect("privacy_overview")
    context = {"person": person, "form": form, "held": person_without_account_data(person)}
    return render(
        request, "privacy/erase_without_account.html", context, status=400 if form.is_bound else 200
    )


def _erased(counts: dict) -> str:
    """What the erasure changed, and what it did not."""
    entries = [f"{count} {ERASED[kind][count != 1]}" for kind, count in counts.items() if kind in ERASED]
    listed = " og ".join([", ".join(entries[:-1]), entries[-1]]) if len(entries) > 1 else entries[0]
    text = (
        f"Personen er slettet: {listed} er anonymiseret, med personens versioner i historikken og de linjer "
        "på tidslinjerne og i administrationens log, der blev skrevet om dem."
    )
    if notices := counts.get("beskeder"):
        text += f" Adressen er fjernet fra {notices} {'besked' if notices == 1 else 'beskeder'}."
    return (
        f"{text} Uændret: andres versioner af de samme poster og linjerne om dem, fritekst, der nævner "
        "personen (fx kommentarer), og ældre linjer på tidslinjerne, der ikke kan knyttes sikkert til én "
        "post."
    )


def _person_without_account(kind, pk) -> without_account.PersonWithoutAccount:
    if kind not in without_account.KINDS:
        raise Http404("Ukendt slags oplysninger.")
    entry = get_object_or_404(without_account.entry_model(kind), pk=pk)
    return without_account.PersonWithoutAccount.of(kind, entry)


def _json_download(data: dict, filename: str) -> HttpResponse:
    body = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
