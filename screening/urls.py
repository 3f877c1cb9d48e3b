from django.urls import path

from screening.views import afdelinger, official, screening

urlpatterns = [
    path("afdelinger/", afdelinger.afdeling_list, name="afdeling_list"),
    path("afdelinger/ny/", afdelinger.afdeling_create, name="afdeling_create"),
    path("afdelinger/import/", afdelinger.afdeling_import_view, name="afdeling_import"),
    path(
        "afdelinger/import/skabelon.csv", afdelinger.afdeling_import_template, name="afdeling_import_template"
    ),
    path("afdelinger/eksport.<str:fmt>", afdelinger.afdeling_export, name="afdeling_export"),
    path("afdelinger/soeg/", afdelinger.afdeling_search, name="afdeling_search"),
    path("afdelinger/<int:pk>/", afdelinger.afdeling_detail, name="afdeling_detail"),
    path("afdelinger/<int:pk>/rediger/", afdelinger.afdeling_edit, name="afdeling_edit"),
    path("omraader/", afdelinger.omraade_list, name="omraade_list"),
    path("omraader/<int:pk>/", afdelinger.omraade_detail, name="omraade_detail"),
    path("screening/", screening.screening_overview, name="screening_overview"),
    path("screening/eksport.xlsx", screening.screening_export, name="screening_export"),
    path("screening/runder/", screening.screening_runder, name="screening_runder"),
    path("screening/overvaagning/", screening.screening_watch_list, name="screening_watch_list"),
    path(
        "screening/runder/<int:aar>/endelig/",
        screening.screening_runde_endelig,
        name="screening_runde_endelig",
    ),
    path(
        "screening/runder/<int:aar>/genaabn/",
        screening.screening_runde_genaabn,
        name="screening_runde_genaabn",
    ),
    path("screening/import/", screening.screening_import_view, name="screening_import"),
    path(
        "screening/import/skabelon.csv",
        screening.screening_import_template,
        name="screening_import_template",
    ),
    path("screening/import/<int:pk>/", screening.screening_import_status, name="screening_import_status"),
    path("screening/afdelinger/<int:pk>/", screening.screening_afdeling, name="screening_afdeling"),
    path(
        "screening/afdelinger/<int:pk>/status/",
        screening.screening_afdeling_status,
        name="screening_afdeling_status",
    ),
    path(
        "screening/afdelinger/<int:pk>/vurdering/<int:aar>/",
        screening.screening_vurdering,
        name="screening_vurdering",
    ),
    path("screening/omraader/<int:pk>/", screening.screening_omraade, name="screening_omraade"),
    path("screening/officielle-lister/", official.officielle_lister, name="officielle_lister"),
    path(
        "screening/officielle-lister/<int:aar>/fjern/",
        official.officielle_lister_slet,
        name="officielle_lister_slet",
    ),
]
