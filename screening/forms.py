from django import forms

from config.web.forms import DkfdsFormMixin
from screening.models import Afdeling


class AfdelingForm(DkfdsFormMixin, forms.ModelForm):
    class Meta:
        model = Afdeling
        fields = [
            "organisation",
            "nummer",
            "navn",
            "adresse",
            "postnr",
            "bydel",
            "boligomraade",
            "lejemaal",
            "areal_m2",
            "beboere",
        ]
        localized_fields = ["areal_m2"]
        help_texts = {"nummer": "Fx 01-52. Skal være entydigt i organisationen."}
        error_messages = {
            "lejemaal": {"min_value": "Antallet kan ikke være negativt."},
            "beboere": {"min_value": "Antallet kan ikke være negativt."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["areal_m2"].error_messages["min_value"] = "Arealet kan ikke være negativt."
        self.fields["areal_m2"].error_messages["max_decimal_places"] = "Højst to decimaler."
