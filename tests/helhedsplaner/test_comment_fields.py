"""The empty comment form a plan's page draws for every section and thread
(helhedsplaner/_comment_fields.html) is the HTML Django draws for CommentForm; a comment sent back with
errors is drawn by Django with them."""

import re

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from helhedsplaner import actions
from helhedsplaner.forms import CommentForm

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
TEXTAREA = re.compile(r"<textarea.*?</textarea>", re.DOTALL)


def lines(html: str) -> list[str]:
    return [line.strip() for line in html.splitlines() if line.strip()]


@pytest.mark.parametrize("prefix", ["resume", "svar-17"])
def test_the_empty_comment_form_is_what_django_draws_for_the_form(prefix):
    drawn_by_django = render_to_string("includes/form_fields.html", {"form": CommentForm(prefix=prefix)})
    partial = render_to_string("helhedsplaner/_comment_fields.html", {"prefix": prefix})
    assert lines(partial) == lines(drawn_by_django)
    # Inside a textarea every character is its text: compared as written.
    assert TEXTAREA.findall(partial) == TEXTAREA.findall(drawn_by_django)


def test_the_plan_page_has_an_empty_form_for_each_section_and_thread(client_as, bestyrelse, plan):
    thread = actions.post_comment(
        plan, sektion="maal", tekst="Spørgsmål", notify=False, acting_user=bestyrelse
    )
    page = client_as(bestyrelse).get(reverse("plan_detail", args=[plan.pk])).text
    for prefix in ["resume", "analyse", "maal", "periode", "organisering", f"svar-{thread.pk}"]:
        assert f'<textarea name="{prefix}-tekst" cols="40" rows="3" maxlength="5000"' in page


def test_a_reply_sent_back_keeps_its_text_and_error_and_the_others_stay_empty(client_as, bestyrelse, plan):
    first = actions.post_comment(plan, sektion="maal", tekst="Første", notify=False, acting_user=bestyrelse)
    second = actions.post_comment(plan, sektion="maal", tekst="Anden", notify=False, acting_user=bestyrelse)
    too_long = "x" * 5001
    response = client_as(bestyrelse).post(
        reverse("plan_comment_reply", args=[plan.pk, first.pk]), {f"svar-{first.pk}-tekst": too_long}, **HTMX
    )
    assert response.status_code == 400
    assert too_long in response.text and f'id="id_svar-{first.pk}-tekst_error"' in response.text
    assert f'<textarea name="svar-{second.pk}-tekst" cols="40" rows="3" maxlength="5000"' in response.text
    assert '<details class="helhedsplan-reply" open>' in response.text
    assert response.text.count(" open>") == 1
