"""Board review: comments per section, answers, resolving, e-mails and the board member's home page."""

import pytest
from django.core import mail
from django.urls import reverse

from helhedsplaner import actions, lifecycle
from helhedsplaner.models import Haendelse, Kommentar
from tests.factories import HelhedsplanFactory
from tests.helhedsplaner.conftest import place

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def comment_url(plan, section="analyse"):
    return reverse("plan_comment_create", args=[plan.pk, section])


def test_board_member_comments_on_a_section_and_staff_is_told(
    client_as, bestyrelse, medarbejder, plan, django_capture_on_commit_callbacks, tasks_run_here
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(bestyrelse).post(
            comment_url(plan), {"analyse-tekst": "De ældre mangler."}, **HTMX
        )
    assert response.status_code == 200
    assert 'id="kommentarer-analyse"' in response.text and "De ældre mangler." in response.text
    thread = Kommentar.objects.get()
    assert (thread.sektion, thread.forfatter, thread.fra_personale) == ("analyse", bestyrelse, False)
    assert [m.to for m in mail.outbox] == [[medarbejder.email]]
    assert "«Analyse af udfordringerne»" in mail.outbox[0].subject
    assert plan.haendelser.filter(art=Haendelse.Art.KOMMENTAR, kommentar=thread).exists()


def test_staff_answer_goes_back_to_the_board_member_and_the_thread_awaits_them(
    client_as, bestyrelse, medarbejder, plan, django_capture_on_commit_callbacks, tasks_run_here
):
    thread = actions.post_comment(
        plan, sektion="maal", tekst="Hvad med lektiecaféen?", notify=False, acting_user=bestyrelse
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client_as(medarbejder).post(
            reverse("plan_comment_reply", args=[plan.pk, thread.pk]),
            {f"svar-{thread.pk}-tekst": "Den fortsætter."},
            **HTMX,
        )
    assert response.status_code == 200 and "Den fortsætter." in response.text
    assert [m.to for m in mail.outbox] == [[bestyrelse.email]]
    thread.refresh_from_db()
    assert thread.seneste_fra_personale
    home = client_as(bestyrelse).get(reverse("home"))
    assert "Svar til dig" in home.text and "fsb har svaret på din kommentar" in home.text


def test_staff_resolves_a_thread_and_a_board_member_cannot(client_as, bestyrelse, medarbejder, plan):
    thread = actions.post_comment(
        plan, sektion="maal", tekst="Spørgsmål", notify=False, acting_user=bestyrelse
    )
    url = reverse("plan_thread_resolve", args=[plan.pk, thread.pk])
    assert client_as(bestyrelse).post(url, **HTMX).status_code == 403
    response = client_as(medarbejder).post(url, **HTMX)
    assert response.status_code == 200 and "Løst af" in response.text
    thread.refresh_from_db()
    assert thread.loest is not None and thread.loest_af == medarbejder


def test_answering_reopens_a_resolved_thread(bestyrelse, medarbejder, plan):
    thread = actions.post_comment(
        plan, sektion="maal", tekst="Spørgsmål", notify=False, acting_user=bestyrelse
    )
    actions.resolve_thread(thread, acting_user=medarbejder)
    actions.post_comment(
        plan, sektion="maal", tekst="Ikke helt", thread=thread, notify=False, acting_user=bestyrelse
    )
    thread.refresh_from_db()
    assert thread.loest is None and not thread.seneste_fra_personale


def test_an_empty_comment_answers_400_in_place(client_as, bestyrelse, plan):
    response = client_as(bestyrelse).post(comment_url(plan), {"analyse-tekst": "  "}, **HTMX)
    assert response.status_code == 400
    assert 'id="kommentarer-analyse"' in response.text and "form-error-message" in response.text
    assert not Kommentar.objects.exists()


def test_without_javascript_a_comment_redirects_to_its_section(client_as, bestyrelse, plan):
    response = client_as(bestyrelse).post(comment_url(plan), {"analyse-tekst": "Hej"})
    assert response.status_code == 302
    assert response["Location"].endswith("#kommentarer-analyse")
    invalid = client_as(bestyrelse).post(comment_url(plan), {"analyse-tekst": ""})
    assert invalid.status_code == 400 and "<html" in invalid.text


@pytest.mark.parametrize("state", [lifecycle.ORGANISATIONSBESTYRELSE, lifecycle.AKTIV, lifecycle.GODKENDELSE])
def test_board_members_comment_only_while_the_plan_is_open_for_review(
    client_as, bestyrelse, medarbejder, plan, state
):
    place(plan, state)
    assert client_as(bestyrelse).post(comment_url(plan), {"analyse-tekst": "Hej"}).status_code == 403
    assert client_as(medarbejder).post(comment_url(plan), {"analyse-tekst": "Note"}).status_code == 302


def test_an_unknown_section_is_404(client_as, bestyrelse, plan):
    assert (
        client_as(bestyrelse).post(comment_url(plan, "hemmelig"), {"hemmelig-tekst": "x"}).status_code == 404
    )


def test_a_thread_of_another_plan_cannot_be_answered_through_this_one(
    client_as, medarbejder, bestyrelse, plan, own_afdeling
):
    other = HelhedsplanFactory(indsats__afdelinger=[own_afdeling])
    thread = actions.post_comment(other, sektion="maal", tekst="Andet", notify=False, acting_user=bestyrelse)
    url = reverse("plan_comment_reply", args=[plan.pk, thread.pk])
    assert client_as(medarbejder).post(url, {f"svar-{thread.pk}-tekst": "x"}).status_code == 404


def test_board_home_lists_afdelinger_plans_for_review_and_threads(
    client_as, bestyrelse, medarbejder, plan, foreign_afdeling
):
    HelhedsplanFactory(indsats__titel="Fremmed plan", indsats__afdelinger=[foreign_afdeling])
    closed = HelhedsplanFactory(
        indsats__titel="Aktiv plan", indsats__afdelinger=list(plan.indsats.afdelinger.all())
    )
    place(closed, lifecycle.AKTIV)
    home = client_as(bestyrelse).get(reverse("home"))
    assert "Egen Afdeling" in home.text
    assert "Planer til kommentering" in home.text and "Helhedsplan for Testparken" in home.text
    assert "Fremmed plan" not in home.text and "Aktiv plan" not in home.text


def test_staff_home_lists_threads_waiting_for_fsb(client_as, bestyrelse, medarbejder, plan, own_afdeling):
    actions.post_comment(
        plan, sektion="organisering", tekst="To pladser?", notify=False, acting_user=bestyrelse
    )
    home = client_as(medarbejder).get(reverse("home"))
    assert "Kommentarer der venter på svar fra fsb" in home.text
    assert "«Organisering»" in home.text
    assert f"{bestyrelse.get_full_name()} (afdelingsbestyrelsen i {own_afdeling})" in home.text


def test_the_plan_page_shows_threads_under_their_section(client_as, bestyrelse, medarbejder, plan):
    thread = actions.post_comment(
        plan, sektion="organisering", tekst="To pladser?", notify=False, acting_user=bestyrelse
    )
    actions.post_comment(
        plan, sektion="organisering", tekst="Ja.", thread=thread, notify=False, acting_user=medarbejder
    )
    page = client_as(bestyrelse).get(reverse("plan_detail", args=[plan.pk])).text
    section = page[page.index('id="kommentarer-organisering"') :]
    assert "To pladser?" in section[:3000] and "Ja." in section[:3000]
    assert "Markér som løst" not in page  # not for board members


def test_secretariat_home_lists_the_plans_waiting_for_the_funders(client_as, sekretariat, plan):
    page = client_as(sekretariat).get(reverse("home")).text
    assert "Planer hos Landsbyggefonden og kommunen" not in page
    place(plan, lifecycle.GODKENDELSE)
    page = client_as(sekretariat).get(reverse("home")).text
    assert "Planer hos Landsbyggefonden og kommunen" in page and "Helhedsplan for Testparken" in page
    assert "Påmindelser om helhedsplaner" not in page  # the reminders are staff's


def test_a_board_members_comment_names_the_afdelinger_they_speak_for(
    client_as, bestyrelse, medarbejder, plan, own_afdeling, second_afdeling
):
    """The board's name on the comment is kept as written: it stays when the seat ends."""
    place(plan, lifecycle.AFDELINGSMOEDER)
    response = client_as(bestyrelse).post(comment_url(plan), {"analyse-tekst": "Og de ældre?"}, **HTMX)
    assert f"Afdelingsbestyrelsen i {own_afdeling}" in response.text
    bestyrelse.bestyrelsesposter.create(afdeling=second_afdeling)
    actions.post_comment(plan, sektion="maal", tekst="Begge afdelinger.", acting_user=bestyrelse)
    bestyrelse.bestyrelsesposter.filter(afdeling=own_afdeling).update(fratraadt="2026-03-01")
    page = client_as(medarbejder).get(reverse("plan_detail", args=[plan.pk])).text
    assert f"Afdelingsbestyrelsen i {own_afdeling} ·" in page
    assert f"Afdelingsbestyrelsen i {own_afdeling} og {second_afdeling} ·" in page
