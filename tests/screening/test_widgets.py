"""The long drop-downs of the filters and the afdeling form: Django's HTML, without its cost."""

import re

import pytest
from django import forms
from django.urls import reverse

from screening.forms import AfdelingForm
from screening.widgets import LongSelect
from tests.factories import AfdelingFactory, IndsatsFactory, OmraadeFactory

pytestmark = pytest.mark.django_db

CHOICES = [("", "Alle"), (1, "Bispebjerg & Nordvest"), (2, 'Område "<Syd>"'), (3, "Sjælør")]


def compact(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.mark.parametrize("value", [None, "", "2", 3])
def test_long_select_writes_what_django_select_writes(value):
    attrs = {"class": "form-select"}
    expected = forms.Select(attrs=attrs, choices=CHOICES).render("omraade", value, {"id": "id_omraade"})
    written = LongSelect(attrs=attrs, choices=CHOICES).render("omraade", value, {"id": "id_omraade"})
    assert compact(written) == compact(expected)


@pytest.mark.parametrize("url_name", ["indsats_list", "plan_list"])
def test_the_chosen_area_is_selected_and_names_are_escaped(client_as, medarbejder, url_name):
    chosen = OmraadeFactory(navn="Tingbjerg & Utterslevhuse")
    OmraadeFactory(navn="<Husum>")
    page = client_as(medarbejder).get(reverse(url_name), {"omraade": chosen.pk, "boligomraade": chosen.pk})
    html = page.content.decode()
    assert f'<option value="{chosen.pk}" selected>Tingbjerg &amp; Utterslevhuse</option>' in html
    assert "&lt;Husum&gt;</option>" in html


def test_a_board_member_is_offered_only_the_areas_of_their_afdelinger(client_as, bestyrelse, own_afdeling):
    other = AfdelingFactory(boligomraade=OmraadeFactory(navn="Et andet område"))
    IndsatsFactory(afdelinger=[own_afdeling, other])
    html = client_as(bestyrelse).get(reverse("indsats_list")).content.decode()
    assert f">{own_afdeling.boligomraade.navn}</option>" in html
    assert "Et andet område</option>" not in html


def test_the_afdeling_forms_long_drop_downs_write_what_django_writes(own_afdeling):
    OmraadeFactory(navn='Område "<Syd>" & Co')
    form = AfdelingForm(instance=own_afdeling)
    for name in ("organisation", "boligomraade"):
        field = form[name]
        django_select = forms.Select(attrs=field.field.widget.attrs, choices=field.field.choices)
        written, expected = compact(str(field)), compact(field.as_widget(widget=django_select))
        # The same attributes on the <select> (in another order) and the same options.
        (written_tag, written_options), (expected_tag, expected_options) = (
            html.split(">", 1) for html in (written, expected)
        )
        assert sorted(written_tag.split()) == sorted(expected_tag.split())
        assert written_options == expected_options
        assert f'value="{field.value()}" selected>' in str(field)
