from django.urls import path

from config.privacy import views

urlpatterns = [
    path("databeskyttelse/", views.overview, name="privacy_overview"),
    path("databeskyttelse/personer/<int:pk>/eksport/", views.export, name="privacy_export"),
    path("databeskyttelse/personer/<int:pk>/slet/", views.erase, name="privacy_erase"),
    # A person without an account, by one entry of theirs (without_account.py): kontaktperson or
    # organisationsmedlem, and its number.
    path(
        "databeskyttelse/uden-konto/<slug:kind>/<int:pk>/eksport/",
        views.export_without_account,
        name="privacy_export_without_account",
    ),
    path(
        "databeskyttelse/uden-konto/<slug:kind>/<int:pk>/slet/",
        views.erase_without_account,
        name="privacy_erase_without_account",
    ),
]
