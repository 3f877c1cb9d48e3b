from django.urls import path

from config.accounts import views

urlpatterns = [
    path("accounts/login/", views.LoginView.as_view(), name="login"),
    path("accounts/fsb-konto/", views.SsoLoginView.as_view(), name="sso_login"),
    path("accounts/fsb-konto/retur/", views.SsoCallbackView.as_view(), name="sso_callback"),
    path("accounts/login/kode/", views.login_code, name="login_code"),
    path("konto/", views.account, name="account"),
    path("konto/totrinslogin/", views.set_up, name="second_factor_set_up"),
    path("konto/totrinslogin/gendannelseskoder/", views.recovery_codes, name="recovery_codes"),
    path("konto/totrinslogin/nulstil/", views.reset, name="second_factor_reset"),
]
