from django.urls import path

from config.privacy import views

urlpatterns = [
    path("databeskyttelse/", views.overview, name="privacy_overview"),
    path("databeskyttelse/personer/<int:pk>/eksport/", views.export, name="privacy_export"),
    path("databeskyttelse/personer/<int:pk>/slet/", views.erase, name="privacy_erase"),
]
