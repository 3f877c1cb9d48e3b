"""The API's view of the register of indsatser (config/api/urls.py), scoped and filtered as its list."""

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, viewsets

from indsatser.filters import IndsatsFilter
from indsatser.models import Indsats
from screening.api import AfdelingRefSerializer, NamedSerializer
from screening.models import Afdeling


def afdelinger_prefetch(path="afdelinger") -> Prefetch:
    """An indsats's afdelinger as the rows show them, read once for the page."""
    return Prefetch(path, Afdeling.objects.only("id", "nummer", "navn").order_by("nummer", "pk"))


class IndsatsSerializer(serializers.ModelSerializer):
    type = NamedSerializer()
    afdelinger = AfdelingRefSerializer(many=True)

    class Meta:
        model = Indsats
        fields = [
            "id",
            "titel",
            "type",
            "status",
            "fase",
            "startdato",
            "slutdato",
            "beskrivelse",
            "afdelinger",
        ]


ID_FILTERS = [
    OpenApiParameter("omraade", OpenApiTypes.INT, description="Et boligområdes id."),
    OpenApiParameter("organisation", OpenApiTypes.INT, description="En boligorganisations id."),
]


@extend_schema_view(list=extend_schema(parameters=ID_FILTERS))
class IndsatsViewSet(viewsets.ReadOnlyModelViewSet):
    """Every indsats the user may see: filtered as the register (q, type, status, omraade, organisation,
    periode, maal). A helhedsplan's `fase` is its phase's name."""

    serializer_class = IndsatsSerializer
    filterset_class = IndsatsFilter

    def get_queryset(self):
        return (
            Indsats.objects.visible_to(self.request.user)
            .select_related("type")
            .prefetch_related(afdelinger_prefetch())
            .order_by("-startdato", "titel", "pk")
        )
