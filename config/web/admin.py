"""The administrator's audit pages: the access log, and a search of changes across every model's history."""

from django import forms
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.template.response import TemplateResponse
from django.urls import path

from config.admin import ReadOnlyAdmin
from config.web import audit
from config.web.models import Adgangslog


class ChangeSearchForm(forms.Form):
    brugernavn = forms.CharField(label="Brugernavn", required=False, max_length=150)
    fra = forms.DateField(label="Fra og med", required=False)
    til = forms.DateField(label="Til og med", required=False)
    model = forms.ChoiceField(label="Hvad", required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model"].choices = [("", "Alt")] + audit.history_models()

    def clean_brugernavn(self):
        name = self.cleaned_data["brugernavn"].strip()
        if not name:
            return None
        user = get_user_model().objects.filter(username__iexact=name).first()
        if user is None:
            raise forms.ValidationError("Der er ingen bruger med det brugernavn.")
        return user


@admin.register(Adgangslog)
class AdgangslogAdmin(ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ["tidspunkt", "brugernavn", "art", "hvad", "adresse", "klientadresse"]
    list_filter = ["art", "hvad"]
    search_fields = ["brugernavn", "hvad", "adresse"]
    date_hierarchy = "tidspunkt"
    list_select_related = False
    show_full_result_count = False

    def get_urls(self):
        search = self.admin_site.admin_view(self.change_search)
        return [path("aendringer/", search, name="web_aendringer"), *super().get_urls()]

    def change_search(self, request):
        """Who changed what: the histories of every model, filtered by user, period and model."""
        form = ChangeSearchForm(request.GET or None)
        found = []
        if form.is_valid():
            found = audit.changes(
                user=form.cleaned_data["brugernavn"],
                since=form.cleaned_data["fra"],
                until=form.cleaned_data["til"],
                model_label=form.cleaned_data["model"],
            )
        context = {
            **self.admin_site.each_context(request),
            "title": "Ændringer",
            "form": form,
            "changes": found,
            "opts": self.model._meta,
        }
        return TemplateResponse(request, "admin/web/aendringer.html", context)
