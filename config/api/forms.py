from datetime import datetime, time, timedelta

from django import forms
from django.utils import timezone

from config.web.forms import DkfdsFormMixin

# A token that must expire some day: a forgotten one stops by itself.
LONGEST_VALIDITY = timedelta(days=5 * 365)


class TokenForm(DkfdsFormMixin, forms.Form):
    navn = forms.CharField(label="Navn", max_length=80, help_text="Hvad nøglen bruges til, fx «Power BI».")
    gyldig_til = forms.DateField(
        label="Gyldig til og med",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text="Tom: nøglen gælder, til du tilbagekalder den.",
    )

    def clean_gyldig_til(self):
        day = self.cleaned_data["gyldig_til"]
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError("Datoen er allerede passeret.")
        if day is not None and day > timezone.localdate() + LONGEST_VALIDITY:
            raise forms.ValidationError("En nøgle kan højst gælde fem år frem.")
        return day

    def expiry(self) -> datetime | None:
        """The moment the token stops working: the end of its last day, in Danish time."""
        day = self.cleaned_data["gyldig_til"]
        if day is None:
            return None
        return timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
