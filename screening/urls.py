from django.urls import path

from screening import views

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
]
