import django_filters
from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator

from helhedsplaner.forms import StaffChoiceField, staff_users
from helhedsplaner.lifecycle import STATE_CHOICES
from helhedsplaner.models import Helhedsplan
from indsatser.filters import SELECT, NameChoiceFilter
from screening.filters import visible_areas, visible_organisations
from screening.models import Afdeling


class StaffNameIterator(ModelChoiceIterator):
    """The staff as (id, name) pairs read straight from the database, without a model per person:
    at national scale the filter offers some 500 staff members."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for pk, first_name, last_name, username in self.queryset.values_list(
            "pk", "first_name", "last_name", "username"
        ):
            # The label StaffChoiceField gives a user: the full name, else the user name.
            yield (pk, f"{first_name} {last_name}".strip() or username)


class StaffFilterField(StaffChoiceField):
    iterator = StaffNameIterator


class StaffFilter(django_filters.ModelChoiceFilter):
    field_class = StaffFilterField


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
    boligomraade = NameChoiceFilter(
        label="Boligområde",
        queryset=visible_areas,
        empty_label="Alle",
        method="by_afdeling",
        widget=SELECT,
    )
    organisation = NameChoiceFilter(
        label="Boligorganisation",
        queryset=visible_organisations,
        empty_label="Alle",
        method="by_afdeling",
        widget=SELECT,
    )
    ansvarlig = StaffFilter(
        label="Ansvarlig",
        field_name="indsats__ansvarlig",
        queryset=lambda request: staff_users(),
        empty_label="Alle",
        widget=SELECT,
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

    def by_afdeling(self, queryset, name, value):
        if not value:
            return queryset
        afdelinger = Afdeling.objects.filter(**{name: value})
        return queryset.filter(indsats__afdelinger__in=afdelinger).distinct()
