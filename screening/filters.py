import django_filters
from django import forms
from django.db.models import Q
from django.db.models.functions import Lower

from screening.models import Afdeling, Boligomraade, Boligorganisation
from screening.options import long_options, option_tags

# The columns of text: sorted whatever the case ("fsb" among the others, not after every capital).
TEXT_COLUMNS = {"navn", "organisation__navn", "bydel", "boligomraade__navn"}


class CaseInsensitiveOrdering(django_filters.OrderingFilter):
    def get_ordering_value(self, param):
        ordering = super().get_ordering_value(param)
        field = ordering.removeprefix("-")
        if field not in TEXT_COLUMNS:
            return ordering
        return Lower(field).desc() if ordering.startswith("-") else Lower(field).asc()


def visible_organisations(request):
    return Boligorganisation.objects.visible_to(request.user) if request else Boligorganisation.objects.none()


def visible_areas(request):
    return Boligomraade.objects.visible_to(request.user) if request else Boligomraade.objects.none()


class AfdelingFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Søg", method="search", widget=forms.TextInput(attrs={"type": "search", "class": "form-input"})
    )
    organisation = django_filters.ModelChoiceFilter(
        label="Boligorganisation",
        queryset=visible_organisations,
        empty_label="Alle",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    boligomraade = django_filters.ModelChoiceFilter(
        label="Boligområde",
        queryset=visible_areas,
        empty_label="Alle",
        widget=forms.Select(attrs={"class": "form-select"}),
    )
    bydel = django_filters.ChoiceFilter(
        label="Bydel", choices=[], empty_label="Alle", widget=forms.Select(attrs={"class": "form-select"})
    )
    sort = CaseInsensitiveOrdering(
        label="Sortér efter",
        fields=(
            ("nummer", "nummer"),
            ("navn", "navn"),
            ("organisation__navn", "organisation"),
            ("bydel", "bydel"),
            ("boligomraade__navn", "omraade"),
            ("lejemaal", "lejemaal"),
            ("areal_m2", "areal"),
            ("beboere", "beboere"),
        ),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Afdeling
        fields = ["q", "organisation", "boligomraade", "bydel"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bydele = (
            Afdeling.objects.visible_to(self.request.user)
            .order_by("bydel")
            .values_list("bydel", flat=True)
            .distinct()
        )
        bydel = self.filters["bydel"]
        bydel.extra["choices"] = [(b, b) for b in bydele]
        # Its form field may exist already, copied from the class's filter with no choices: the API's schema
        # makes every filter's field once, and a field is made only once.
        bydel.field.choices = bydel.extra["choices"]

    def options(self) -> dict[str, str]:
        """The <option>s of each drop-down as ready HTML: a national register has 900 områder and 500
        organisations, and drawing that many options through the template engine costs more than the page."""
        user, chosen = self.request.user, self.data.get
        return {
            "organisation": long_options(Boligorganisation.objects.visible_to(user), chosen("organisation")),
            "boligomraade": long_options(Boligomraade.objects.visible_to(user), chosen("boligomraade")),
            "bydel": option_tags(self.filters["bydel"].extra["choices"], chosen("bydel")),
        }

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(navn__icontains=value)
            | Q(nummer__icontains=value)
            | Q(adresse__icontains=value)
            | Q(organisation__navn__icontains=value)
        )
