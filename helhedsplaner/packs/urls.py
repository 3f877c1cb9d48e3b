from django.urls import path

from helhedsplaner.packs.views import exports, plans, screening

PLAN_PACKS = "helhedsplaner/<int:pk>/pakker/"
EXPORTS = "helhedsplaner/eksport/"
SCREENING_REPORT = "screening/<int:aar>/rapport/"

urlpatterns = [
    path(PLAN_PACKS, plans.pack_list, name="plan_packs"),
    path(PLAN_PACKS + "bestil/", plans.pack_order, name="plan_pack_order"),
    path(PLAN_PACKS + "<int:pack_pk>/status/", plans.pack_status, name="plan_pack_status"),
    path(PLAN_PACKS + "<int:pack_pk>/igen/", plans.pack_retry, name="plan_pack_retry"),
    path(PLAN_PACKS + "<int:pack_pk>/hent/", plans.pack_download, name="plan_pack_download"),
    path(EXPORTS, exports.export_page, name="pack_export"),
    path(EXPORTS + "<int:pk>/status/", exports.export_status, name="pack_export_status"),
    path(EXPORTS + "<int:pk>/igen/", exports.export_retry, name="pack_export_retry"),
    path(EXPORTS + "<int:pk>/hent/", exports.export_download, name="pack_export_download"),
    path(SCREENING_REPORT, screening.screening_pack_list, name="screening_packs"),
    path(SCREENING_REPORT + "bestil/", screening.screening_pack_order, name="screening_pack_order"),
    path(
        SCREENING_REPORT + "<int:pack_pk>/status/",
        screening.screening_pack_status,
        name="screening_pack_status",
    ),
    path(
        SCREENING_REPORT + "<int:pack_pk>/igen/", screening.screening_pack_retry, name="screening_pack_retry"
    ),
    path(
        SCREENING_REPORT + "<int:pack_pk>/hent/",
        screening.screening_pack_download,
        name="screening_pack_download",
    ),
]
