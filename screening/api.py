"""The API's view of the register and the screening (config/api/urls.py): afdelinger, boligområder, rounds and
each round's results per afdeling and per area, scoped as the pages are and with small counts hidden as the
pages hide them (screening.display)."""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, serializers, viewsets

from screening import display, results
from screening.filters import AfdelingFilter
from screening.forms import CLASS_CHOICES, SIGNAL_CHOICES, SORT_KEYS, OverviewFilterForm
from screening.models import (
    Afdeling,
    Afdelingsresultat,
    Boligomraade,
    Boligorganisation,
    Maaling,
    Omraaderesultat,
    Screeningsrunde,
)
from screening.models.results import SUGGESTION_CHOICES
from screening.page_data import overview_rows


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    navn = serializers.CharField()


class AfdelingRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Afdeling
        fields = ["id", "nummer", "navn"]


class AfdelingSerializer(serializers.ModelSerializer):
    organisation = NamedSerializer()
    boligomraade = NamedSerializer(allow_null=True)

    class Meta:
        model = Afdeling
        fields = [
            "id",
            "nummer",
            "navn",
            "organisation",
            "boligomraade",
            "adresse",
            "postnr",
            "bydel",
            "lejemaal",
            "areal_m2",
            "beboere",
        ]


class AfdelingViewSet(viewsets.ReadOnlyModelViewSet):
    """Afdelinger: filtered and sorted as the register's list (q, organisation, boligomraade, bydel, sort)."""

    serializer_class = AfdelingSerializer
    filterset_class = AfdelingFilter

    def get_queryset(self):
        return (
            Afdeling.objects.visible_to(self.request.user)
            .select_related("organisation", "boligomraade")
            .order_by("organisation__navn", "nummer", "pk")
        )


class BoligomraadeSerializer(serializers.ModelSerializer):
    class Meta:
        model = Boligomraade
        fields = ["id", "navn", "beskrivelse"]


class BoligomraadeViewSet(viewsets.ReadOnlyModelViewSet):
    """Boligområder that hold an afdeling the user may see (staff and the secretariat: all)."""

    serializer_class = BoligomraadeSerializer

    def get_queryset(self):
        return Boligomraade.objects.visible_to(self.request.user).order_by("navn", "pk")


class ScreeningsrundeSerializer(serializers.ModelSerializer):
    regelsaet = serializers.CharField(source="regelsaet.navn", allow_null=True, default=None)

    class Meta:
        model = Screeningsrunde
        fields = ["aar", "status", "regelsaet", "afsluttet", "resultater_beregnet"]


class ScreeningsrundeViewSet(viewsets.ReadOnlyModelViewSet):
    """The screening rounds, newest first. A round's results: /screeningsrunder/{aar}/afdelinger/ and
    /screeningsrunder/{aar}/omraader/."""

    serializer_class = ScreeningsrundeSerializer
    lookup_field = "aar"
    lookup_value_regex = r"\d{4}"

    def get_queryset(self):
        return (
            Screeningsrunde.objects.visible_to(self.request.user).select_related("regelsaet").order_by("-aar")
        )


class FigureSerializer(serializers.Serializer):
    indikator = serializers.CharField(source="indikator.kode")
    vaerdi = serializers.DecimalField(max_digits=12, decimal_places=2, allow_null=True)
    skjult = serializers.BooleanField(help_text="Et lille antal (under 5), som kun fsb's medarbejdere ser.")


class AfdelingsresultatSerializer(serializers.ModelSerializer):
    afdeling = AfdelingRefSerializer()
    organisation = serializers.CharField(source="afdeling.organisation.navn")
    boligomraade_id = serializers.IntegerField(source="afdeling.boligomraade_id", allow_null=True)
    omraadets_klassifikation = serializers.CharField(source="omraade.klassifikation", default=None)
    tal = serializers.SerializerMethodField()

    class Meta:
        model = Afdelingsresultat
        fields = [
            "afdeling",
            "organisation",
            "boligomraade_id",
            "risikoscore",
            "signal",
            "roede",
            "gule",
            "risiko_aendring",
            "forslag",
            "omraadets_klassifikation",
            "tal",
        ]

    @extend_schema_field(FigureSerializer(many=True))
    def get_tal(self, result):
        show_small = self.context["show_small"]
        figures = [
            {"indikator": figure.indikator, "vaerdi": None if hidden else figure.vaerdi, "skjult": hidden}
            for figure in result.afdeling.round_figures
            for hidden in [display.is_hidden(figure.vaerdi, figure.indikator, show_small)]
        ]
        return FigureSerializer(figures, many=True).data


def round_of(user, aar) -> Screeningsrunde:
    """The round of the year, with its results computed (as the overview page does before reading them)."""
    runde = get_object_or_404(Screeningsrunde.objects.visible_to(user), aar=aar)
    results.ensure_fresh(runde)
    return runde


def _choice_values(choices) -> list[str]:
    return [value for value, _ in choices if value]


RESULT_FILTERS = [
    OpenApiParameter("q", OpenApiTypes.STR, description="Søg i nummer, navn, organisation og område."),
    OpenApiParameter("organisation", OpenApiTypes.INT, description="En boligorganisations id."),
    OpenApiParameter("boligomraade", OpenApiTypes.INT, description="Et boligområdes id."),
    OpenApiParameter("klassifikation", OpenApiTypes.STR, enum=_choice_values(CLASS_CHOICES)),
    OpenApiParameter("signal", OpenApiTypes.STR, enum=_choice_values(SIGNAL_CHOICES)),
    OpenApiParameter("forslag", OpenApiTypes.STR, enum=_choice_values(SUGGESTION_CHOICES)),
    OpenApiParameter("sort", OpenApiTypes.STR, enum=[*SORT_KEYS, *(f"-{key}" for key in SORT_KEYS)]),
]


@extend_schema(parameters=RESULT_FILTERS)
class AfdelingsresultatList(generics.ListAPIView):
    """A round's result per afdeling (risk score, signals, suggested indsats, the area's class) with its
    figures, filtered and sorted as the screening overview. Counts under 5 are hidden (skjult) for all but
    fsb's staff."""

    serializer_class = AfdelingsresultatSerializer
    queryset = Afdelingsresultat.objects.none()  # for the schema; the rows come from get_queryset

    def get_queryset(self):
        user = self.request.user
        self.runde = round_of(user, self.kwargs["aar"])
        form = OverviewFilterForm(
            self.request.query_params,
            organisations=Boligorganisation.objects.visible_to(user),
            areas=Boligomraade.objects.visible_to(user),
        )
        if not form.is_valid():
            raise exceptions.ValidationError(form.errors)
        figures = (
            Maaling.objects.filter(runde=self.runde).select_related("indikator").order_by("indikator__kode")
        )
        return (
            overview_rows(user, self.runde, form.values())
            .select_related("afdeling__organisation", "omraade")
            .prefetch_related(Prefetch("afdeling__maalinger", figures, to_attr="round_figures"))
        )

    def get_serializer_context(self):
        return {
            **super().get_serializer_context(),
            "show_small": display.shows_small_counts(self.request.user),
        }


class OmraaderesultatSerializer(serializers.ModelSerializer):
    boligomraade = NamedSerializer()
    kriterier = serializers.SerializerMethodField()
    advarsler = serializers.ListField(source="warnings", child=serializers.CharField())

    class Meta:
        model = Omraaderesultat
        fields = [
            "boligomraade",
            "klassifikation",
            "label",
            "kriterier",
            "aendring",
            "metode",
            "prognose_klassifikation",
            "prognose_label",
            "advarsler",
        ]

    def get_kriterier(self, result) -> list[str]:
        return [letter for letter in result.kriterier.split(",") if letter]


class OmraaderesultatList(generics.ListAPIView):
    """A round's official class per boligområde (the areas the user may see), most severe first."""

    serializer_class = OmraaderesultatSerializer
    queryset = Omraaderesultat.objects.none()  # for the schema; the rows come from get_queryset

    def get_queryset(self):
        user = self.request.user
        runde = round_of(user, self.kwargs["aar"])
        return (
            Omraaderesultat.objects.filter(
                runde=runde, boligomraade__in=Boligomraade.objects.visible_to(user)
            )
            .select_related("boligomraade")
            .order_by("-severity", "boligomraade__navn", "pk")
        )
