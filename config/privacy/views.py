"""The administrator's data-protection pages: the retention rules and the anonymisations done, a search for a
person, the export of everything held about them (a JSON file) and their erasure."""

import json

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET

from config.privacy import actions, retention
from config.privacy.anonymiser import is_anonymised
from config.privacy.export import person_data
from config.privacy.forms import ErasureForm
from config.privacy.models import Anonymisering
from config.web import audit, roles
from config.web.forms import posted

MAX_FOUND = 50


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
    found = []
    if query:
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
    context = {
        "query": query,
        "found": found,
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
    body = json.dumps(person_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="person-{user.pk}.json"'
    return response


@administrator_only
def erase(request, pk):
    user = get_object_or_404(get_user_model(), pk=pk)
    form = ErasureForm(posted(request), user=user)
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
