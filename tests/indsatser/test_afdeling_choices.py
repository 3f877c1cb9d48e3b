"""The afdelinger of the indsats form are written out in Python and kept in the worker (indsatser.forms.
AfdelingCheckboxes): the HTML is the one Django's checkboxes gave through indsatser/_choices.html."""

import pytest
from django import forms
from django.template.loader import render_to_string
from django.test.html import parse_html

from indsatser.forms import IndsatsForm, grouped
from tests.factories import AfdelingFactory, OmraadeFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def afdelinger():
    area = OmraadeFactory(navn="Tingbjerg & Utterslev")
    organisation = OrganisationFactory(navn="<fsb>")
    return [
        AfdelingFactory(boligomraade=area, organisation=organisation, nummer="01", navn='Bo "1"'),
        AfdelingFactory(boligomraade=area, organisation=organisation, nummer="02", navn="Bo 2"),
        AfdelingFactory(boligomraade=None, organisation=organisation, nummer="03", navn="Alene"),
        AfdelingFactory(boligomraade=OmraadeFactory(navn="Husum"), nummer="04", navn="Husum 4"),
    ]


def drawn(form) -> str:
    context = {"field": form["afdelinger"], "widget_groups": True, "filter_label": "Find <afdeling>"}
    return render_to_string("indsatser/_choices.html", context)


def through_django_templates(form) -> str:
    """What the form drew before: Django's checkboxes, grouped by boligområde in the template."""
    field = form.fields["afdelinger"]
    field.widget = forms.CheckboxSelectMultiple(attrs={"class": "form-checkbox"})
    field.widget.choices = field.choices
    field.label_from_instance = lambda a: f"{a.nummer} {a.navn} ({a.organisation.navn})"
    groups = grouped(
        form["afdelinger"], lambda a: a.boligomraade.navn if a.boligomraade else "Uden boligområde"
    )
    context = {"field": form["afdelinger"], "groups": groups, "filter_label": "Find <afdeling>"}
    return render_to_string("indsatser/_choices.html", context)


@pytest.mark.parametrize("chosen", [[], [0], [1, 3]])
def test_the_checkboxes_are_the_ones_django_drew(afdelinger, chosen):
    data = {"afdelinger": [str(afdelinger[i].pk) for i in chosen] + ['1"><script>']}
    html = drawn(IndsatsForm(data if chosen else None))
    assert parse_html(html) == parse_html(through_django_templates(IndsatsForm(data if chosen else None)))
    assert html.count(" checked") == len(chosen)
    assert "Bo &quot;1&quot; (&lt;fsb&gt;)" in html and "Tingbjerg &amp; Utterslev" in html
    assert "<script>" not in html


def test_an_indsats_shows_its_own_afdelinger_ticked_and_a_rename_at_once(afdelinger):
    indsats_form = IndsatsForm(initial={"afdelinger": [afdelinger[2]]})
    assert f'value="{afdelinger[2].pk}" checked>' in drawn(indsats_form)
    assert " checked" not in drawn(IndsatsForm())
    afdelinger[3].navn = "Husum Nord"
    afdelinger[3].save()
    assert ">04 Husum Nord (" in drawn(IndsatsForm())
