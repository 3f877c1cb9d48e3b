from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm

from config.web.forms import DkfdsFormMixin


class CodeForm(DkfdsFormMixin, forms.Form):
    code = forms.CharField(
        label="Kode",
        max_length=20,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )


class ConfirmIdentityForm(DkfdsFormMixin, forms.Form):
    """Before the app is reset: the password, or a code from the app the user is about to replace."""

    secret = forms.CharField(
        label="Din adgangskode eller en kode fra appen",
        max_length=128,
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


PROVIDER_ACCOUNT = "Du logger ind med din fsb-konto: brug knappen «Log ind med fsb-konto»."


class LoginForm(AuthenticationForm):
    """Django's login form. An account linked to the organisation's provider logs in there only, while single
    sign-on is on: its roles follow the provider's groups, and a password here would outlive the person's
    removal at the provider."""

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        if settings.SSO_ENABLED and hasattr(user, "provider_identity"):
            raise forms.ValidationError(PROVIDER_ACCOUNT, code="provider_account")

    def provider_account_refused(self) -> bool:
        return self.has_error(forms.forms.NON_FIELD_ERRORS, "provider_account")
