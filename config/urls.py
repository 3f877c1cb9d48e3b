from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from config.api.views import api_token_revoke, api_tokens
from config.web.forms import PasswordChangeForm, SetPasswordForm
from config.web.health import health
from config.web.tokens import account_token_generator
from helhedsplaner.notifications import PasswordResetForm
from helhedsplaner.views import home

admin.site.site_header = "Boligsocial sagsbehandling – administration"
admin.site.site_title = "Boligsocial sagsbehandling"

urlpatterns = [
    path("", home, name="home"),
    # Django's page, with the e-mail sent by the notice task instead of inside the request.
    path(
        "accounts/password_reset/",
        auth_views.PasswordResetView.as_view(form_class=PasswordResetForm),
        name="password_reset",
    ),
    # Django's pages with the forms drawn as the application's are.
    path(
        "accounts/password_change/",
        auth_views.PasswordChangeView.as_view(form_class=PasswordChangeForm),
        name="password_change",
    ),
    path(
        "accounts/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            form_class=SetPasswordForm, token_generator=account_token_generator
        ),
        name="password_reset_confirm",
    ),
    path("accounts/api-noegler/", api_tokens, name="api_tokens"),
    path("accounts/api-noegler/<int:pk>/tilbagekald/", api_token_revoke, name="api_token_revoke"),
    path("", include("config.accounts.urls")),
    path("", include("config.privacy.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("api/v1/", include("config.api.urls")),
    path("admin/", admin.site.urls),
    path("sundhed/", health, name="health"),
    path("", include("screening.urls")),
    path("", include("helhedsplaner.urls")),
    path("", include("indsatser.urls")),
    path("", include("finansiering.urls")),
]
