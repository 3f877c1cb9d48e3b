from django.urls import path

from helhedsplaner.views import exports

urlpatterns = [
    path("", exports.export_page, name="pack_export"),
    path("<int:pk>/status/", exports.export_status, name="pack_export_status"),
    path("<int:pk>/igen/", exports.export_retry, name="pack_export_retry"),
    path("<int:pk>/hent/", exports.export_download, name="pack_export_download"),
]
