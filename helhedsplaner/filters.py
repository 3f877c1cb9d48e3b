import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone

from config.web.lists import PERSON_NAME
from config.web.roles import staff_users
from helhedsplaner.lifecycle import STATE_CHOICES
from helhedsplaner.models import Helhedsplan, Rapporteringsforpligtelse, Rapporteringstype
from screening.filters import visible_areas, visible_organisations
from screening.models import Afdeling, Boligomraade, Boligorganisation
from screening.widgets import SELECT, NamedSelect


class PlanFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Søg", method="search", widget=forms.TextInput(attrs={"type": "search", "class": "form-input"})
    )
    tilstand = django_filters.ChoiceFilter(
        label="Fase",
        choices=STATE_CHOICES,
        empty_label="Alle",
        widget=SELECT,
    )
    boligomraade = django_filters.ModelChoiceFilter(
        label="Boligområde",
        queryset=visible_areas,
        empty_label="Alle",
        method="by_afdeling",
        widget=NamedSelect(),
    )
    organisation = django_filters.ModelChoiceFilter(
        label="Boligorganisation",
        queryset=visible_organisations,
        empty_label="Alle",
        method="by_afdeling",
        widget=NamedSelect(),
    )
    ansvarlig = django_filters.ModelChoiceFilter(
        label="Ansvarlig",
        field_name="indsats__ansvarlig",
        queryset=lambda request: staff_users(),
        empty_label="Alle",
        widget=NamedSelect(label=PERSON_NAME),
    )

    class Meta:
        model = Helhedsplan
        fields = ["q", "tilstand", "boligomraade", "organisation", "ansvarlig"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        afdelinger = Afdeling.objects.filter(Q(navn__icontains=value) | Q(nummer__icontains=value))
        return queryset.filter(
            Q(indsats__titel__icontains=value) | Q(indsats__afdelinger__in=afdelinger)
        ).distinct()

    def by_afdeling(self, queryset, name, value: Boligomraade | Boligorganisation):
        if not value:
            return queryset
        afdelinger = Afdeling.objects.filter(**{name: value})
        return queryset.filter(indsats__afdelinger__in=afdelinger).distinct()


class DueFilter(django_filters.FilterSet):
    """The filters of the reports due across plans (queries.due_obligations)."""

    q = django_filters.CharFilter(
        label="Søg plan",
        field_name="plan__indsats__titel",
        lookup_expr="icontains",
        widget=forms.TextInput(attrs={"type": "search", "class": "form-input"}),
    )
    art = django_filters.ChoiceFilter(
        label="Rapport",
        field_name="type__art",
        choices=Rapporteringstype.Art.choices,
        empty_label="Alle",
        widget=SELECT,
    )
    ansvarlig = django_filters.ModelChoiceFilter(
        label="Ansvarlig",
        queryset=lambda request: staff_users(),
        empty_label="Alle",
        widget=NamedSelect(label=PERSON_NAME),
    )
    status = django_filters.ChoiceFilter(
        label="Status",
        choices=[
            (s.value, s.label)
            for s in Rapporteringsforpligtelse.Status
            if s != Rapporteringsforpligtelse.Status.SENDT
        ],
        empty_label="Alle",
        widget=SELECT,
    )
    frist = django_filters.ChoiceFilter(
        label="Frist",
        choices=[("overskredet", "Kun overskredne")],
        empty_label="Alle",
        method="only_overdue",
        widget=SELECT,
    )

    class Meta:
        model = Rapporteringsforpligtelse
        fields = ["q", "art", "ansvarlig", "status", "frist"]

    def only_overdue(self, queryset, name, value):
        if value != "overskredet":
            return queryset
        return queryset.filter(frist__lt=timezone.localdate())
