"""The forms' shared look: every drop-down says in Danish what to choose instead of Django's "---------"."""

import pytest
from django import forms
from django.contrib.auth.models import Group

from config.web.forms import DkfdsFormMixin, choose_label
from config.web.limits import MAX_TEXT_CHARS


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("Ansvarlig medarbejder", "Vælg ansvarlig medarbejder"),
        ("Udfald", "Vælg udfald"),
        ("LBF-område", "Vælg LBF-område"),
        ("Å", "Vælg Å"),
    ],
)
def test_the_empty_choice_is_named_from_the_label(label, expected):
    assert choose_label(label) == expected


@pytest.mark.django_db
def test_a_form_offers_vaelg_instead_of_dashes():
    class Form(DkfdsFormMixin, forms.Form):
        gruppe = forms.ModelChoiceField(queryset=Group.objects.all(), label="Gruppe")
        udfald = forms.ChoiceField(choices=[("", "---------"), ("ja", "Ja")])
        fast = forms.ChoiceField(choices=[("ja", "Ja"), ("nej", "Nej")])
        egen = forms.ModelChoiceField(queryset=Group.objects.all(), empty_label="Ingen gruppe")

    html = str(Form())
    assert "---------" not in html
    assert '<option value="" selected>Vælg gruppe</option>' in html
    assert '<option value="" selected>Vælg udfald</option>' in html
    assert 'name="fast" class="form-select" id="id_fast">\n  <option value="ja">' in html  # no empty choice
    assert ">Ingen gruppe</option>" in html


def test_a_text_field_without_its_own_limit_takes_the_common_one():
    class Form(DkfdsFormMixin, forms.Form):
        tekst = forms.CharField(widget=forms.Textarea)
        kort = forms.CharField(max_length=10)
        adresse = forms.EmailField()

    assert Form({"tekst": "x" * MAX_TEXT_CHARS, "kort": "x", "adresse": "a@b.dk"}).is_valid()
    form = Form({"tekst": "x" * (MAX_TEXT_CHARS + 1), "kort": "x" * 11, "adresse": "a@b.dk"})
    assert form.errors == {
        "tekst": ["Teksten må højst have 200.000 tegn (den har 200.001)."],
        "kort": ["Denne værdi må højst have 10 tegn (den har 11)."],
    }


def test_a_field_added_after_the_mixins_init_is_dressed_when_drawn_and_when_cleaned():
    class Form(DkfdsFormMixin, forms.Form):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.fields["udfald"] = forms.ChoiceField(choices=[("", "---------"), ("ja", "Ja")])
            self.fields["tekst"] = forms.CharField(widget=forms.Textarea)

    html = str(Form())
    assert 'class="form-select"' in html and 'class="form-input"' in html and "Vælg udfald" in html
    form = Form({"udfald": "ja", "tekst": "x" * (MAX_TEXT_CHARS + 1)})
    assert form.errors == {"tekst": ["Teksten må højst have 200.000 tegn (den har 200.001)."]}
    assert form.fields["tekst"].validators.count(form.fields["tekst"].validators[-1]) == 1
