"""The dialogs that move a plan: htmx answers 204 + HX-Trigger or 400/409 with the form; without JS, pages."""

import json
from datetime import timedelta

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from helhedsplaner import lifecycle
from helhedsplaner.models import Afdelingsmoede, Beslutning, Haendelse
from tests.helhedsplaner.conftest import (
    NO_CONDITIONS,
    TODAY,
    Organ,
    Udfald,
    decide,
    give_budget,
    place,
    vote,
)
from tests.world import one_page_pdf

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = one_page_pdf()


def transition_url(plan, name):
    return reverse("plan_transition", args=[plan.pk, name])


def test_dialog_fragment_for_htmx_and_a_page_without(client_as, medarbejder, plan):
    client = client_as(medarbejder)
    fragment = client.get(transition_url(plan, "opgiv"), **HTMX)
    assert fragment.status_code == 200
    assert "<html" not in fragment.text
    assert 'name="begrundelse"' in fragment.text and 'name="fase_nr"' in fragment.text
    page = client.get(transition_url(plan, "opgiv"))
    assert "<html" in page.text and "<h1" in page.text


def test_successful_dialog_post_answers_204_with_a_trigger(client_as, medarbejder, plan):
    response = client_as(medarbejder).post(
        transition_url(plan, "send_til_organisationsbestyrelsen"),
        {"fase_nr": plan.fase_nr, "kommentar": ""},
        **HTMX,
    )
    assert response.status_code == 204
    trigger = json.loads(response["HX-Trigger"])
    assert "Organisationsbestyrelsen behandler" in trigger["helhedsplanChanged"]["message"]
    plan.refresh_from_db()
    assert plan.tilstand == lifecycle.ORGANISATIONSBESTYRELSE


def test_without_javascript_the_post_redirects_with_a_message(client_as, medarbejder, plan):
    response = client_as(medarbejder).post(
        transition_url(plan, "opgiv"),
        {"fase_nr": plan.fase_nr, "begrundelse": "Ingen opbakning."},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == reverse("plan_detail", args=[plan.pk])
    assert "Planen er nu i fasen «Opgivet»" in response.text


def test_invalid_input_answers_400_with_the_form_and_changes_nothing(client_as, medarbejder, plan):
    response = client_as(medarbejder).post(transition_url(plan, "opgiv"), {"fase_nr": plan.fase_nr}, **HTMX)
    assert response.status_code == 400
    assert "form-error-message" in response.text
    plan.refresh_from_db()
    assert plan.tilstand == lifecycle.IDE


def test_an_unmet_guard_answers_400_with_the_reasons(client_as, medarbejder, plan):
    plan.indsats.afdelinger.clear()
    response = client_as(medarbejder).post(
        transition_url(plan, "send_til_organisationsbestyrelsen"), {"fase_nr": plan.fase_nr}, **HTMX
    )
    assert response.status_code == 400
    assert "Planen omfatter ingen afdelinger." in response.text


def test_a_dialog_opened_before_someone_moved_the_plan_answers_409(client_as, medarbejder, plan):
    stale = plan.fase_nr
    client = client_as(medarbejder)
    client.post(transition_url(plan, "send_til_organisationsbestyrelsen"), {"fase_nr": stale}, **HTMX)
    response = client.post(transition_url(plan, "opgiv"), {"fase_nr": stale, "begrundelse": "x"}, **HTMX)
    assert response.status_code == 409
    assert "flyttet" in response.text
    plan.refresh_from_db()
    assert plan.tilstand == lifecycle.ORGANISATIONSBESTYRELSE


def test_the_approval_dialog_asks_for_the_start_date(client_as, sekretariat, plan):
    place(plan, lifecycle.GODKENDELSE)
    decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat)
    decide(plan, Organ.KOMMUNE, Udfald.GODKENDT, sekretariat)
    client = client_as(sekretariat)
    bad = client.post(
        transition_url(plan, "godkend"),
        {"fase_nr": plan.fase_nr, "startdato": "2027-01-01", "slutdato": "2026-01-01"},
        **HTMX,
    )
    assert bad.status_code == 400 and "Slutdatoen skal ligge efter startdatoen." in bad.text
    ok = client.post(
        transition_url(plan, "godkend"), {"fase_nr": plan.fase_nr, "startdato": "2027-01-01"}, **HTMX
    )
    assert ok.status_code == 204
    plan.indsats.refresh_from_db()
    assert str(plan.indsats.slutdato) == "2030-12-31"


# The conditions' rows of the decision form, left empty.


def test_secretariat_records_the_lbf_decision_with_its_letter(
    client_as,
    sekretariat,
    bestyrelse,
    plan,
    private_storage,
    django_capture_on_commit_callbacks,
    tasks_run_here,
):
    place(plan, lifecycle.PRAEKVALIFIKATION_BEHANDLES)
    client = client_as(sekretariat)
    form = client.get(reverse("plan_decision_create", args=[plan.pk]), **HTMX)
    assert 'value="lbf"' in form.text and 'value="organisationsbestyrelse"' not in form.text
    letter = SimpleUploadedFile("afgoerelse.pdf", PDF, content_type="application/pdf")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("plan_decision_create", args=[plan.pk]),
            {
                "fase_nr": plan.fase_nr,
                "organ": "lbf",
                "dato": "2026-03-02",
                "udfald": "godkendt",
                "journalnummer": "LBF-2026-17",
                "dokument": letter,
                **NO_CONDITIONS,
            },
            **HTMX,
        )
    assert response.status_code == 204
    decision = plan.beslutninger.get()
    assert (decision.organ, decision.udfald, decision.journalnummer) == ("lbf", "godkendt", "LBF-2026-17")
    assert decision.registreret_af == sekretariat and decision.dokument_navn == "afgoerelse.pdf"
    assert plan.haendelser.filter(art=Haendelse.Art.BESLUTNING, beslutning=decision).exists()
    assert any(bestyrelse.email in m.to for m in mail.outbox)
    download = client_as(bestyrelse).get(reverse("plan_decision_document", args=[plan.pk, decision.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]


def test_conditions_are_required_for_a_conditional_approval(client_as, sekretariat, plan):
    place(plan, lifecycle.GODKENDELSE)
    response = client_as(sekretariat).post(
        reverse("plan_decision_create", args=[plan.pk]),
        {
            "fase_nr": plan.fase_nr,
            "organ": "kommune",
            "dato": "2026-03-02",
            "udfald": "godkendt_med_betingelser",
            "bevilget_beloeb": "125.000,00",
            **NO_CONDITIONS,
        },
        **HTMX,
    )
    assert response.status_code == 400
    assert "Skriv betingelserne" in response.text
    assert not plan.beslutninger.exists()


def test_a_decision_nobody_waits_for_is_refused(client_as, medarbejder, plan):
    response = client_as(medarbejder).get(reverse("plan_decision_create", args=[plan.pk]), **HTMX)
    assert response.status_code == 409
    assert "venter ikke på en beslutning" in response.text


def test_a_disguised_file_is_refused(client_as, sekretariat, plan, private_storage):
    place(plan, lifecycle.GODKENDELSE)
    fake = SimpleUploadedFile("afgoerelse.pdf", b"MZ\x90\x00 not a pdf", content_type="application/pdf")
    response = client_as(sekretariat).post(
        reverse("plan_decision_create", args=[plan.pk]),
        {
            "fase_nr": plan.fase_nr,
            "organ": "lbf",
            "dato": "2026-03-02",
            "udfald": "godkendt",
            "dokument": fake,
        },
        **HTMX,
    )
    assert response.status_code == 400
    assert "ikke en gyldig PDF-fil" in response.text
    header_only = SimpleUploadedFile("afgoerelse.pdf", b"%PDF-1.4 ikke mere", content_type="application/pdf")
    response = client_as(sekretariat).post(
        reverse("plan_decision_create", args=[plan.pk]),
        {
            "fase_nr": plan.fase_nr,
            "organ": "lbf",
            "dato": "2026-03-02",
            "udfald": "godkendt",
            "dokument": header_only,
        },
        **HTMX,
    )
    assert response.status_code == 400
    assert "Filen kan ikke læses som PDF." in response.text
    assert not plan.beslutninger.exists()


def meeting_url(plan, afdeling):
    return reverse("plan_meeting_edit", args=[plan.pk, afdeling.pk])


def test_meeting_votes_may_not_exceed_two_per_household(client_as, medarbejder, plan, own_afdeling):
    place(plan, lifecycle.AFDELINGSMOEDER)
    response = client_as(medarbejder).post(
        meeting_url(plan, own_afdeling),
        {
            "dato": str(timezone.localdate()),
            "husstande": 10,
            "stemmer_for": 15,
            "stemmer_imod": 5,
            "stemmer_blanke": 1,
        },
        **HTMX,
    )
    assert response.status_code == 400
    assert "højst 20 stemmer" in response.text
    assert not Afdelingsmoede.objects.exists()


def test_a_meeting_result_becomes_the_afdelings_decision(
    client_as, medarbejder, plan, own_afdeling, private_storage
):
    place(plan, lifecycle.AFDELINGSMOEDER)
    minutes = SimpleUploadedFile("referat.pdf", PDF, content_type="application/pdf")
    response = client_as(medarbejder).post(
        meeting_url(plan, own_afdeling),
        {
            "dato": str(timezone.localdate()),
            "indkaldt_dato": str(timezone.localdate() - timedelta(days=14)),
            "husstande": 40,
            "stemmer_for": 50,
            "stemmer_imod": 20,
            "stemmer_blanke": 4,
            "nyt_referat": minutes,
        },
        **HTMX,
    )
    assert response.status_code == 204
    message = json.loads(response["HX-Trigger"])["helhedsplanChanged"]["message"]
    assert "Vedtaget" in message and "kun 14 dages varsel" in message
    meeting = Afdelingsmoede.objects.get()
    assert meeting.vedtaget and meeting.kort_varsel and meeting.referat_navn == "referat.pdf"
    decision = Beslutning.objects.get(afdelingsmoede=meeting)
    assert (decision.organ, decision.udfald, decision.afdeling) == (
        "afdelingsmoede",
        "godkendt",
        own_afdeling,
    )
    assert (
        client_as(medarbejder).get(reverse("plan_meeting_minutes", args=[plan.pk, meeting.pk])).status_code
        == 200
    )


def test_a_ballot_decides_over_the_meeting(client_as, medarbejder, plan, own_afdeling):
    place(plan, lifecycle.AFDELINGSMOEDER)
    client_as(medarbejder).post(
        meeting_url(plan, own_afdeling),
        {
            "dato": str(timezone.localdate()),
            "husstande": 40,
            "stemmer_for": 30,
            "stemmer_imod": 40,
            "stemmer_blanke": 0,
            "urafstemning": "on",
            "ur_for": 200,
            "ur_imod": 90,
            "ur_blanke": 3,
        },
        **HTMX,
    )
    meeting = Afdelingsmoede.objects.get()
    assert not meeting.moedet_vedtog and meeting.vedtaget
    assert meeting.beslutning.udfald == Udfald.GODKENDT


def test_a_ballot_larger_than_the_afdeling_is_refused(client_as, medarbejder, plan, own_afdeling):
    place(plan, lifecycle.AFDELINGSMOEDER)
    response = client_as(medarbejder).post(
        meeting_url(plan, own_afdeling),
        {
            "dato": str(timezone.localdate()),
            "husstande": 40,
            "stemmer_for": 30,
            "stemmer_imod": 40,
            "stemmer_blanke": 0,
            "urafstemning": "on",
            "ur_for": 300,
            "ur_imod": 150,
            "ur_blanke": 3,
        },
        **HTMX,
    )
    assert response.status_code == 400
    assert "lejemål har højst 400 stemmer" in response.text


def test_meetings_are_recorded_only_in_the_meeting_phase(client_as, medarbejder, plan, own_afdeling):
    response = client_as(medarbejder).get(meeting_url(plan, own_afdeling), **HTMX)
    assert response.status_code == 409


def test_the_meetings_page_lists_each_afdeling_and_earlier_votes(
    client_as, medarbejder, plan, own_afdeling, second_afdeling
):
    place(plan, lifecycle.AFDELINGSMOEDER, budget=False)
    vote(plan, own_afdeling, medarbejder, 40, 10)
    vote(plan, second_afdeling, medarbejder, 5, 30)
    give_budget(plan)  # after the votes: no cost of theirs to compare with
    lifecycle.fire(plan, "send_til_godkendelse", {"indsendt": TODAY}, notify=False, acting_user=medarbejder)
    page = client_as(medarbejder).get(reverse("plan_meetings", args=[plan.pk]))
    assert page.status_code == 200
    assert "Tidligere møder" in page.text and "Forkastet (5 for, 30 imod" in page.text
