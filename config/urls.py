from django.contrib import admin
from django.urls import include, path

from helhedsplaner.views import home
from screening.views import health

admin.site.site_header = "Boligsocial sagsbehandling – administration"
admin.site.site_title = "Boligsocial sagsbehandling"

urlpatterns = [
    path("", home, name="home"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("sundhed/", health, name="health"),
    path("", include("screening.urls")),
    path("", include("helhedsplaner.urls")),
    path("", include("indsatser.urls")),
    path("", include("finansiering.urls")),
]
