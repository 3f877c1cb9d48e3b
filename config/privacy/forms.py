from django import forms

from config.web.forms import DkfdsFormMixin, within_text_limit


class ErasureForm(DkfdsFormMixin, forms.Form):
    """The reason for an erasure, recorded with it."""

    begrundelse = forms.CharField(
        label="Begrundelse",
        widget=forms.Textarea(attrs={"rows": 3}),
        validators=[within_text_limit],
        help_text="Fx «Anmodning om sletning modtaget 3. marts». Skriv ikke oplysninger om personen: "
        "begrundelsen gemmes.",
    )


class AccountErasureForm(ErasureForm):
    """An account's erasure is confirmed by typing its user name too."""

    brugernavn = forms.CharField(label="Skriv brugernavnet for at bekræfte", max_length=150)

    field_order = ["brugernavn", "begrundelse"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_brugernavn(self):
        name = self.cleaned_data["brugernavn"].strip()
        if name != self.user.get_username():
            raise forms.ValidationError("Brugernavnet passer ikke med den person, der skal slettes.")
        return name
