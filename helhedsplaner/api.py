"""The API's view of the helhedsplaner (config/api/urls.py): phase and dates, and the reports each owes the
funders, scoped and filtered."""

import django_filters
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, extend_schema_view
from rest_framework import serializers, viewsets

from helhedsplaner import queries
from helhedsplaner.filters import PlanFilter
from helhedsplaner.models import Helhedsplan, Rapporteringsforpligtelse, Rapporteringstype
from indsatser.api import afdelinger_prefetch
from screening.api import AfdelingRefSerializer


class HelhedsplanSerializer(serializers.ModelSerializer):
    indsats = serializers.IntegerField(source="indsats_id")
    titel = serializers.CharField(source="indsats.titel")
    fase = serializers.CharField(source="indsats.fase", help_text="Fasens navn, som siderne viser det.")
    startdato = serializers.DateField(source="indsats.startdato", allow_null=True)
    slutdato = serializers.DateField(source="indsats.slutdato", allow_null=True)
    afdelinger = AfdelingRefSerializer(source="indsats.afdelinger", many=True)

    class Meta:
        model = Helhedsplan
        fields = [
            "id",
            "indsats",
            "titel",
            "tilstand",
            "fase",
            "tilstand_siden",
            "startdato",
            "slutdato",
            "afdelinger",
        ]


ID_FILTERS = [
    OpenApiParameter("boligomraade", OpenApiTypes.INT, description="Et boligområdes id."),
    OpenApiParameter("organisation", OpenApiTypes.INT, description="En boligorganisations id."),
]


@extend_schema_view(list=extend_schema(parameters=ID_FILTERS))
class HelhedsplanViewSet(viewsets.ReadOnlyModelViewSet):
    """The helhedsplaner the user may see, with their phase (tilstand: its code; fase: its name), since when,
    and the plan period; filtered as the list (q, tilstand, boligomraade, organisation, ansvarlig)."""

    serializer_class = HelhedsplanSerializer
    filterset_class = PlanFilter

    def get_queryset(self):
        return (
            Helhedsplan.objects.visible_to(self.request.user)
            .select_related("indsats")
            .prefetch_related(afdelinger_prefetch("indsats__afdelinger"))
            .order_by("-indsats__startdato", "indsats__titel", "pk")
        )


def visible_plans(request):
    return Helhedsplan.objects.visible_to(request.user) if request else Helhedsplan.objects.none()


class ObligationFilter(django_filters.FilterSet):
    # A plan the user may not see answers 400 as one that does not exist, as the other lists' id filters.
    plan = django_filters.ModelChoiceFilter(queryset=visible_plans, label="Planens id")
    art = django_filters.ChoiceFilter(
        field_name="type__art", choices=Rapporteringstype.Art.choices, label="Rapportens art"
    )
    tilstand = django_filters.ChoiceFilter(
        choices=Rapporteringsforpligtelse.Tilstand.choices,
        method="in_state",
        label="Tilstand i dag: kommende, forfalden (fristen er overskredet), klar, sendt eller bortfaldet "
        "(ikke sendt, da planen blev afsluttet eller opgivet)",
    )
    frist_fra = django_filters.DateFilter(field_name="frist", lookup_expr="gte", label="Frist fra og med")
    frist_til = django_filters.DateFilter(field_name="frist", lookup_expr="lte", label="Frist til og med")

    class Meta:
        model = Rapporteringsforpligtelse
        fields = ["plan", "art", "tilstand", "frist_fra", "frist_til"]

    def in_state(self, queryset, name, value):
        return queries.in_state(queryset, value, timezone.localdate())


class ObligationSerializer(serializers.ModelSerializer):
    plan = serializers.IntegerField(source="plan_id")
    art = serializers.CharField(source="type.art", help_text="Rapportens art (kode).")
    navn = serializers.CharField(source="type.navn", help_text="Rapportens navn.")
    aar = serializers.IntegerField(help_text="Det år, der rapporteres for.")
    tilstand = serializers.SerializerMethodField()
    klar = serializers.DateTimeField(source="klar_tidspunkt", allow_null=True)
    sendt = serializers.DateField(source="sendt_dato", allow_null=True)

    class Meta:
        model = Rapporteringsforpligtelse
        fields = ["id", "plan", "art", "navn", "aar", "frist", "tilstand", "klar", "sendt"]

    @extend_schema_field(serializers.ChoiceField(choices=Rapporteringsforpligtelse.Tilstand.choices))
    def get_tilstand(self, obligation) -> str:
        return obligation.tilstand_pr(self.context["today"])


class ObligationViewSet(viewsets.ReadOnlyModelViewSet):
    """The reports the plans the user may see owe the funders: a type for one year, with its deadline, its
    state today (kommende, forfalden, klar, sendt) and when it was marked ready and sent. Filter: plan, art,
    tilstand, frist_fra, frist_til."""

    serializer_class = ObligationSerializer
    filterset_class = ObligationFilter

    def get_queryset(self):
        return (
            Rapporteringsforpligtelse.objects.filter(
                plan__in=Helhedsplan.objects.visible_to(self.request.user)
            )
            .select_related("type", "plan")
            .order_by("frist", "plan_id", "type__sortering", "pk")
        )

    def get_serializer_context(self):
        return {**super().get_serializer_context(), "today": timezone.localdate()}
