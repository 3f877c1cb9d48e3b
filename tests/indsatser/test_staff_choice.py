"""The ansvarlig drop-down of the indsats and plan forms: the staff list screening.options keeps ready,
written as Django's Select widget writes it."""

import re

import pytest
from django import forms
from django.contrib.auth.models import Group
from django.test.html import parse_html
from django.urls import reverse

from helhedsplaner.forms import PlanCreateForm
from indsatser.forms import IndsatsForm, StaffChoiceField
from tests.factories import UserFactory
from tests.indsatser.factories import active_indsats

pytestmark = pytest.mark.django_db


def compact(html: str) -> str:
    return re.sub(r">\s+<", "><", html.strip())


@pytest.fixture
def staff():
    """Staff with names to escape, one without a name, a superuser without a group, and a user who is not
    staff (not in the list)."""
    UserFactory(username="ikke-personale", first_name="Ikke", last_name="Personale", role="sekretariat")
    return [
        UserFactory(username="a", first_name="Anne & Bo", last_name='"Hansen"', role="medarbejder"),
        UserFactory(username="b", first_name="<Bent>", last_name="O'Neill", role="administrator"),
        UserFactory(username="uden-navn", first_name="", last_name="", role="medarbejder"),
        UserFactory(username="super", first_name="Sys", last_name="Admin", is_superuser=True),
    ]


def chosen_values(staff):
    return [None, "", staff[1].pk, str(staff[2].pk), "999999", '1"><b>']


def test_the_staff_drop_down_writes_what_django_select_writes(staff):
    for value in chosen_values(staff):
        field = StaffChoiceField()
        attrs = {"id": "id_ansvarlig"}
        expected = forms.Select(attrs={"class": "form-select"}, choices=field.choices).render(
            "ansvarlig", value, attrs
        )
        assert compact(field.widget.render("ansvarlig", value, attrs)) == compact(expected)


def test_the_list_is_staff_only_with_escaped_names(staff):
    html = str(StaffChoiceField().widget.render("ansvarlig", staff[0].pk))
    assert f'<option value="{staff[0].pk}" selected>Anne &amp; Bo &quot;Hansen&quot;</option>' in html
    assert ">&lt;Bent&gt; O&#x27;Neill</option>" in html
    assert ">uden-navn</option>" in html and ">Sys Admin</option>" in html
    assert "Ikke Personale" not in html
    assert html.count("selected") == 1


@pytest.mark.parametrize("form_class", [IndsatsForm, PlanCreateForm])
@pytest.mark.parametrize("posted", [None, {"ansvarlig": "999999"}])
def test_the_forms_draw_the_field_as_django_did(staff, form_class, posted):
    """As on the pages: the chosen staff member, or a posted value that is not one of staff (with its error).
    Only the order of the attributes may differ (LongSelect writes them sorted, as Django's flatatt)."""
    form = form_class(posted, initial={"ansvarlig": staff[1].pk})
    bound_field = form["ansvarlig"]
    django_select = forms.Select(attrs={"class": "form-select"}, choices=bound_field.field.choices)
    expected = bound_field.as_widget(widget=django_select)
    assert parse_html(compact(str(bound_field))) == parse_html(compact(expected))
    assert ('aria-invalid="true"' in str(bound_field)) == bool(posted)


@pytest.mark.parametrize("url_name", ["indsats_edit", "plan_create"])
def test_a_new_staff_member_or_a_changed_role_shows_at_once(client_as, medarbejder, url_name):
    args = [active_indsats().pk] if url_name == "indsats_edit" else []
    client = client_as(medarbejder)
    client.get(reverse(url_name, args=args))
    UserFactory(username="ny", first_name="Nanna", last_name="Ny", role="medarbejder")
    leaving = UserFactory(username="skifter", first_name="Sofie", last_name="Skifter", role="medarbejder")
    leaving.groups.set([Group.objects.get(name="sekretariat")])
    html = client.get(reverse(url_name, args=args)).content.decode()
    assert ">Nanna Ny</option>" in html
    assert "Sofie Skifter" not in html
