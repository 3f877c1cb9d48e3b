"""The afdelinger of the plan forms are options written out in Python and kept in the worker
(helhedsplaner.forms.AfdelingSelect): the HTML is the one Django's SelectMultiple gave."""

import pytest
from django import forms
from django.test.html import parse_html

from helhedsplaner.forms import PlanCreateForm
from tests.factories import AfdelingFactory, OmraadeFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def through_django_templates(form) -> str:
    field = form.fields["afdelinger"]
    field.widget = forms.SelectMultiple(attrs=form.fields["afdelinger"].widget.attrs)
    field.widget.choices = field.choices
    field.label_from_instance = lambda a: (
        f"{a.boligomraade.navn if a.boligomraade else 'uden boligområde'}: "
        f"{a.organisation.navn} {a.nummer} {a.navn}"
    )
    return str(form["afdelinger"])


@pytest.mark.parametrize("chosen", [[], [0], [0, 2]])
def test_the_options_are_the_ones_django_drew(chosen):
    organisation = OrganisationFactory(navn="<fsb>")
    afdelinger = [
        AfdelingFactory(boligomraade=OmraadeFactory(navn="Tingbjerg & Utterslev"), navn='Bo "1"'),
        AfdelingFactory(boligomraade=None, organisation=organisation, nummer="03", navn="Alene"),
        AfdelingFactory(organisation=organisation),
    ]
    data = {"afdelinger": [str(afdelinger[i].pk) for i in chosen] + ['1"><script>']} if chosen else None
    html = str(PlanCreateForm(data)["afdelinger"])
    assert parse_html(html) == parse_html(through_django_templates(PlanCreateForm(data)))
    assert html.count(" selected") == len(chosen)
    assert "Tingbjerg &amp; Utterslev: " in html and "uden boligområde: &lt;fsb&gt; 03 Alene<" in html
    assert "<script>" not in html
