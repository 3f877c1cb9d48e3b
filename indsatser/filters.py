import django_filters
from django import forms
from django.db.models import Q
from django.forms.models import ModelChoiceIterator

from indsatser.models import Finansieringsperiode, Indsats, Indsatstype, Maal
from screening.filters import visible_areas, visible_organisations
from screening.models import Afdeling, Boligomraade, Boligorganisation
from screening.widgets import SELECT, NamedSelect


class ShortChoiceIterator(ModelChoiceIterator):
    """A short reference list read in one plain query. Django's own iterator streams the rows through a
    server-side cursor: three round trips to the database for a handful of rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ShortChoiceField(forms.ModelChoiceField):
    iterator = ShortChoiceIterator


class ShortChoiceFilter(django_filters.ModelChoiceFilter):
    """A filter on a short reference list (types, periods, fsb's aims)."""

    field_class = ShortChoiceField


class IndsatsFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Søg", method="search", widget=forms.TextInput(attrs={"type": "search", "class": "form-input"})
    )
    type = ShortChoiceFilter(
        label="Type", queryset=Indsatstype.objects.all(), empty_label="Alle", widget=SELECT
    )
    status = django_filters.ChoiceFilter(
        label="Status", choices=Indsats.Status.choices, empty_label="Alle", widget=SELECT
    )
    omraade = django_filters.ModelChoiceFilter(
        label="Boligområde",
        queryset=visible_areas,
        method="by_area",
        empty_label="Alle",
        widget=NamedSelect(),
    )
    organisation = django_filters.ModelChoiceFilter(
        label="Boligorganisation",
        queryset=visible_organisations,
        method="by_organisation",
        empty_label="Alle",
        widget=NamedSelect(),
    )
    periode = ShortChoiceFilter(
        label="Finansieringsperiode",
        queryset=Finansieringsperiode.objects.all(),
        empty_label="Alle",
        widget=SELECT,
    )
    maal = ShortChoiceFilter(
        label="fsb-mål", queryset=Maal.objects.all(), method="by_aim", empty_label="Alle", widget=SELECT
    )

    class Meta:
        model = Indsats
        fields = ["q", "type", "status", "omraade", "organisation", "periode", "maal"]

    # Filters on the lists of an indsats go through a subquery, so an indsats appears once however many
    # of its afdelinger match.
    def _touching(self, queryset, afdelinger):
        through = Indsats.afdelinger.through.objects.filter(afdeling__in=afdelinger)
        return queryset.filter(pk__in=through.values("indsats_id"))

    def by_area(self, queryset, name, value: Boligomraade):
        return self._touching(queryset, Afdeling.objects.filter(boligomraade=value))

    def by_organisation(self, queryset, name, value: Boligorganisation):
        return self._touching(queryset, Afdeling.objects.filter(organisation=value))

    def by_aim(self, queryset, name, value):
        return queryset.filter(pk__in=Indsats.maal.through.objects.filter(maal=value).values("indsats_id"))

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        matching_afdelinger = Afdeling.objects.filter(Q(navn__icontains=value) | Q(nummer__icontains=value))
        return queryset.filter(
            Q(titel__icontains=value)
            | Q(beskrivelse__icontains=value)
            | Q(
                pk__in=Indsats.afdelinger.through.objects.filter(afdeling__in=matching_afdelinger).values(
                    "indsats_id"
                )
            )
        )
