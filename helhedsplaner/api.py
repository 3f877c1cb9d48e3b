"""The API's view of the helhedsplaner (config/api/urls.py): phase and dates, scoped and filtered."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from helhedsplaner.filters import PlanFilter
from helhedsplaner.models import Helhedsplan
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
