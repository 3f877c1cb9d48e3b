from django.urls import path

from helhedsplaner.views import packs

urlpatterns = [
    path("", packs.pack_list, name="plan_packs"),
    path("bestil/", packs.pack_order, name="plan_pack_order"),
    path("<int:pack_pk>/status/", packs.pack_status, name="plan_pack_status"),
    path("<int:pack_pk>/igen/", packs.pack_retry, name="plan_pack_retry"),
    path("<int:pack_pk>/hent/", packs.pack_download, name="plan_pack_download"),
]
