"""The API under /api/v1/ (each app's api.py), its OpenAPI schema and docs."""

from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.utils import extend_schema
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.decorators import api_view
from rest_framework.exceptions import NotFound
from rest_framework.routers import SimpleRouter

from finansiering.api import BudgetViewSet
from helhedsplaner.api import HelhedsplanViewSet, ObligationViewSet
from indsatser.api import IndsatsViewSet
from screening.api import (
    AfdelingsresultatList,
    AfdelingViewSet,
    BoligomraadeViewSet,
    OmraaderesultatList,
    ScreeningsrundeViewSet,
)

app_name = "api"

router = SimpleRouter()
router.register("afdelinger", AfdelingViewSet, basename="afdeling")
router.register("boligomraader", BoligomraadeViewSet, basename="boligomraade")
router.register("screeningsrunder", ScreeningsrundeViewSet, basename="screeningsrunde")
router.register("indsatser", IndsatsViewSet, basename="indsats")
router.register("helhedsplaner", HelhedsplanViewSet, basename="helhedsplan")
router.register("budgetter", BudgetViewSet, basename="budget")
router.register("forpligtelser", ObligationViewSet, basename="forpligtelse")


@extend_schema(exclude=True)
@api_view(["GET"])
def unknown_address(request, rest):
    """Any other address under /api/v1/ (a pk that is no number, a typo) answers in JSON like the rest of the
    API, not with the HTML page of the site."""
    raise NotFound("Adressen findes ikke i API'et.")


urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI sets styles on its elements from its script: its page alone allows inline styles.
    path(
        "docs/",
        csp_update({"style-src": ["'unsafe-inline'"]})(
            SpectacularSwaggerSplitView.as_view(url_name="api:schema")
        ),
        name="docs",
    ),
    path(
        "screeningsrunder/<int:aar>/afdelinger/",
        AfdelingsresultatList.as_view(),
        name="screeningsrunde-afdelinger",
    ),
    path(
        "screeningsrunder/<int:aar>/omraader/", OmraaderesultatList.as_view(), name="screeningsrunde-omraader"
    ),
    *router.urls,
    re_path(r"^(?P<rest>.*)$", unknown_address),
]
