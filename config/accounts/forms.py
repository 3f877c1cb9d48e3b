from django import forms

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
