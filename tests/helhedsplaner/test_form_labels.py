"""The plan's forms say what a field is for: texts the next step needs are marked with that step rather than
"(valgfri)", and a drop-down says in Danish what to choose."""

import re

import pytest
from django.urls import reverse

from helhedsplaner import lifecycle
from tests.helhedsplaner.conftest import NO_CONDITIONS, place

pytestmark = pytest.mark.django_db

TO_THE_BOARD = "(skal udfyldes før «Send til organisationsbestyrelsen»)"
TO_THE_MEETINGS = "(skal udfyldes før «Send planen til afdelingsmøderne»)"


def label(html, field) -> str:
    start = html.index(f'for="id_{field}">')
    return html[start : html.index("</label>", start)]


def test_the_plan_text_is_marked_with_the_step_that_needs_it(client_as, medarbejder, plan):
    html = client_as(medarbejder).get(reverse("plan_text_edit", args=[plan.pk])).text
    for field in ("resume", "analyse"):
        assert TO_THE_BOARD in label(html, field) and "(valgfri)" not in label(html, field)
    for field in ("maal", "organisering", "planlagt_start"):
        assert TO_THE_MEETINGS in label(html, field)
    assert "(valgfri)" in label(html, "ansvarlig")


def test_past_a_step_the_text_is_marked_with_the_next_that_needs_it(client_as, medarbejder, plan):
    place(plan, lifecycle.HELHEDSPLAN_UDARBEJDES)
    html = client_as(medarbejder).get(reverse("plan_text_edit", args=[plan.pk])).text
    assert TO_THE_MEETINGS in label(html, "resume") and TO_THE_BOARD not in html


def test_a_new_plan_is_given_to_its_author_and_its_idea_is_marked(client_as, medarbejder):
    html = client_as(medarbejder).get(reverse("plan_create")).text
    assert f'<option value="{medarbejder.pk}" selected>' in html
    assert TO_THE_BOARD in label(html, "resume")


def test_the_decision_dialog_says_what_to_choose(client_as, sekretariat, plan):
    place(plan, lifecycle.GODKENDELSE)
    html = client_as(sekretariat).get(reverse("plan_decision_create", args=[plan.pk])).text
    assert "---------" not in html
    assert '<option value="" selected>Vælg udfald</option>' in html
    assert html.count('<option value="" selected>Vælg medarbejder</option>') == 3  # each condition's
    refused = client_as(sekretariat).post(
        reverse("plan_decision_create", args=[plan.pk]), {"fase_nr": plan.fase_nr, **NO_CONDITIONS}
    )
    assert refused.status_code == 400 and "---------" not in refused.text


def test_a_file_field_is_drawn_as_the_design_systems_file_input(client_as, sekretariat, plan):
    place(plan, lifecycle.GODKENDELSE)
    html = client_as(sekretariat).get(reverse("plan_decision_create", args=[plan.pk])).text
    assert '<label class="form-label" for="id_dokument">Dokument' in html
    assert re.search(r'<input type="file" name="dokument"[^>]* class="form-file-input"', html)
