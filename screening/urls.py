from django.urls import path

from screening import screening_views, views

urlpatterns = [
    path("afdelinger/", views.afdeling_list, name="afdeling_list"),
    path("afdelinger/ny/", views.afdeling_create, name="afdeling_create"),
    path("afdelinger/import/", views.afdeling_import_view, name="afdeling_import"),
    path("afdelinger/import/skabelon.csv", views.afdeling_import_template, name="afdeling_import_template"),
    path("afdelinger/eksport.<str:fmt>", views.afdeling_export, name="afdeling_export"),
    path("afdelinger/<int:pk>/", views.afdeling_detail, name="afdeling_detail"),
    path("afdelinger/<int:pk>/rediger/", views.afdeling_edit, name="afdeling_edit"),
    path("omraader/", views.omraade_list, name="omraade_list"),
    path("omraader/<int:pk>/", views.omraade_detail, name="omraade_detail"),
    path("screening/", screening_views.screening_overview, name="screening_overview"),
    path("screening/eksport.xlsx", screening_views.screening_export, name="screening_export"),
    path("screening/runder/", screening_views.screening_runder, name="screening_runder"),
    path(
        "screening/runder/<int:aar>/endelig/",
        screening_views.screening_runde_endelig,
        name="screening_runde_endelig",
    ),
    path("screening/import/", screening_views.screening_import_view, name="screening_import"),
    path(
        "screening/import/skabelon.csv",
        screening_views.screening_import_template,
        name="screening_import_template",
    ),
    path(
        "screening/import/<int:pk>/", screening_views.screening_import_status, name="screening_import_status"
    ),
    path("screening/afdelinger/<int:pk>/", screening_views.screening_afdeling, name="screening_afdeling"),
    path(
        "screening/afdelinger/<int:pk>/status/",
        screening_views.screening_afdeling_status,
        name="screening_afdeling_status",
    ),
    path(
        "screening/afdelinger/<int:pk>/vurdering/<int:aar>/",
        screening_views.screening_vurdering,
        name="screening_vurdering",
    ),
    path("screening/omraader/<int:pk>/", screening_views.screening_omraade, name="screening_omraade"),
]
