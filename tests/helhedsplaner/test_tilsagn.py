"""Money where the steps need it, and the tilsagn: the funders' granted amounts and their conditions.

Each hole is tried through the service and over HTTP and seen refused; a refused attempt changes nothing.
"""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from finansiering import actions as budget_actions
from finansiering import queries as budget_queries
from finansiering.financing import indsats_finansiering
from finansiering.models import Budgetversion, Finansieringspart
from helhedsplaner import actions, lifecycle
from helhedsplaner.lifecycle import fire
from helhedsplaner.models import Betingelse, Haendelse
from helhedsplaner.packs.documents import pack_context
from indsatser.models import Indsats
from indsatser.transitions import Conflict, Forbidden, Refused
from screening.models import Afdeling
from tests.helhedsplaner.conftest import (
    COMPLETE_TEXT,
    NO_CONDITIONS,
    TODAY,
    Organ,
    Udfald,
    complete_closing_checklist,
    decide,
    give_budget,
    place,
    shares_of_submitted_budget,
    vote,
    walk,
)
from tests.world import one_page_pdf

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
PDF = one_page_pdf()


def transition(client, plan, name, data=None):
    plan.refresh_from_db()
    url = reverse("plan_transition", args=[plan.pk, name])
    return client.post(url, {"fase_nr": plan.fase_nr, **(data or {})}, **HTMX)


# --- Money required where the steps need it ----------------------------------------------------------


def test_no_praekvalifikation_without_a_budget_estimate(client_as, medarbejder, plan):
    """A plan went through prækvalifikation with no budget and no fordelingsnøgle at all."""
    place(plan, lifecycle.PRAEKVALIFIKATION_UDARBEJDES, budget=False)
    with pytest.raises(Refused, match="Planen har intet budget"):
        fire(plan, "send_praekvalifikation", {"indsendt": TODAY}, notify=False, acting_user=medarbejder)
    response = transition(client_as(medarbejder), plan, "send_praekvalifikation", {"indsendt": "2026-03-02"})
    assert response.status_code == 400 and "Planen har intet budget" in response.text
    plan.refresh_from_db()
    assert plan.tilstand == lifecycle.PRAEKVALIFIKATION_UDARBEJDES


def test_no_praekvalifikation_without_a_fordelingsnoegle_of_100_percent(client_as, medarbejder, plan):
    place(plan, lifecycle.PRAEKVALIFIKATION_UDARBEJDES)
    Finansieringspart.objects.filter(noegle__indsats=plan.indsats).delete()
    with pytest.raises(Refused, match="ingen fordelingsnøgle"):
        fire(plan, "send_praekvalifikation", {"indsendt": TODAY}, notify=False, acting_user=medarbejder)
    page = client_as(medarbejder).get(reverse("plan_detail", args=[plan.pk]))
    assert "Planen har ingen fordelingsnøgle." in page.text  # the plan's "what is missing"
    assert budget_queries.latest_version(plan.indsats).status == Budgetversion.Status.UDKAST


def test_sending_the_praekvalifikation_submits_and_locks_the_estimate(medarbejder, plan):
    place(plan, lifecycle.PRAEKVALIFIKATION_UDARBEJDES)
    plan = fire(plan, "send_praekvalifikation", {"indsendt": TODAY}, notify=False, acting_user=medarbejder)
    estimate = budget_queries.latest_version(plan.indsats)
    assert estimate.status == Budgetversion.Status.INDSENDT
    with pytest.raises(budget_actions.BudgetError, match="sendt til bevillingsgiverne"):
        budget_actions.create_version(plan.indsats, "ansoegning", acting_user=medarbejder)
    assert (
        "Budgetversion 1 er indsendt og låst" in plan.haendelser.get(overgang="send_praekvalifikation").tekst
    )


def test_the_estimate_shows_the_funders_decision_on_the_praekvalifikation(
    client_as, medarbejder, sekretariat, plan
):
    place(plan, lifecycle.PRAEKVALIFIKATION_UDARBEJDES)
    plan = walk(plan, lifecycle.PRAEKVALIFICERET, medarbejder, sekretariat)
    estimate, draft = plan.indsats.budgetversioner.order_by("nummer")
    page = client_as(medarbejder).get(reverse("budget_version", args=[plan.indsats_id, estimate.nummer]))
    assert "<dt>Status</dt><dd>Besluttet af bevillingsgiverne</dd>" in page.text
    assert (
        f"<dt>Afgørelse</dt><dd>Landsbyggefonden: godkendt {TODAY:%d.%m.%Y}; "
        f"Københavns Kommune: godkendt {TODAY:%d.%m.%Y}</dd>"
    ) in page.text
    assert f'Version {estimate.nummer}</a> <span class="app-muted">Ansøgning, besluttet' in page.text
    assert draft.status == Budgetversion.Status.UDKAST


def test_a_refused_praekvalifikation_leaves_its_estimate_decided(medarbejder, sekretariat, plan):
    place(plan, lifecycle.PRAEKVALIFIKATION_BEHANDLES)
    decide(plan, Organ.LBF, Udfald.AFVIST, sekretariat)
    fire(plan, "praekvalifikation_afvist", notify=False, acting_user=sekretariat)
    estimate = plan.indsats.budgetversioner.get()
    assert estimate.status == Budgetversion.Status.BESLUTTET
    assert estimate.godkendt_grundlag == f"Landsbyggefonden: afvist {TODAY:%d.%m.%Y}"


def test_no_afdelingsmoeder_unless_every_afdelings_cost_is_known(
    client_as, medarbejder, plan, second_afdeling
):
    """The afdelingsmøder were held with no budget: nobody could tell the residents what it costs."""
    place(plan, lifecycle.HELHEDSPLAN_UDARBEJDES, budget=False, **COMPLETE_TEXT)
    with pytest.raises(Refused, match="Planen har intet budget"):
        fire(plan, "send_til_afdelingsmoeder", notify=False, acting_user=medarbejder)
    give_budget(plan)
    Afdeling.objects.filter(pk=second_afdeling.pk).update(lejemaal=0)
    response = transition(client_as(medarbejder), plan, "send_til_afdelingsmoeder")
    assert response.status_code == 400
    assert f"Udgiften pr. lejemål kan ikke beregnes for {second_afdeling}" in response.text
    Afdeling.objects.filter(pk=second_afdeling.pk).update(lejemaal=100)
    assert transition(client_as(medarbejder), plan, "send_til_afdelingsmoeder").status_code == 204


def test_the_afdelingsmoede_material_shows_the_afdelings_cost(medarbejder, plan, own_afdeling, walk_to):
    plan = walk_to(plan, lifecycle.AFDELINGSMOEDER)
    share = next(a for a in indsats_finansiering(plan.indsats).afdelinger if a.afdeling == own_afdeling)
    context = pack_context(plan, "afdelingsmoede", afdeling=own_afdeling)
    assert context["afdelingsandel"].pr_lejemaal_pr_aar == share.pr_lejemaal_pr_aar > 0


def test_no_sending_to_the_funders_without_budget_lines(client_as, medarbejder, plan, own_afdeling):
    place(plan, lifecycle.AFDELINGSMOEDER)
    budget_queries.latest_version(plan.indsats).linjer.all().delete()
    for afdeling in plan.indsats.afdelinger.all():
        vote(plan, afdeling, medarbejder, 40, 10)
    response = transition(client_as(medarbejder), plan, "send_til_godkendelse", {"indsendt": "2026-03-02"})
    assert response.status_code == 400 and "har ingen linjer" in response.text
    plan.refresh_from_db()
    assert plan.tilstand == lifecycle.AFDELINGSMOEDER


# --- The tilsagn ----------------------------------------------------------------------------------------


def test_approval_needs_a_submitted_budget(medarbejder, sekretariat, plan):
    """Approval made a plan active with no approved budget."""
    place(plan, lifecycle.GODKENDELSE, budget=False)
    decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat, bevilget_beloeb=Decimal(750))
    decide(plan, Organ.KOMMUNE, Udfald.GODKENDT, sekretariat, bevilget_beloeb=Decimal(125))
    with pytest.raises(Refused, match="ingen budgetversion indsendt"):
        fire(plan, "godkend", {"startdato": date(2027, 1, 1)}, notify=False, acting_user=medarbejder)
    plan.refresh_from_db()
    assert plan.tilstand == lifecycle.GODKENDELSE


def test_approval_needs_the_granted_amounts_to_match_or_a_reason(client_as, medarbejder, sekretariat, plan):
    place(plan, lifecycle.GODKENDELSE)
    shares = shares_of_submitted_budget(plan)
    assert shares == {Organ.LBF: Decimal("750000.00"), Organ.KOMMUNE: Decimal("125000.00")}
    decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat, bevilget_beloeb=Decimal("700000.00"))
    decide(plan, Organ.KOMMUNE, Udfald.GODKENDT, sekretariat)
    response = transition(client_as(sekretariat), plan, "godkend", {"startdato": "2027-01-01"})
    assert response.status_code == 400
    assert "Landsbyggefonden har bevilget 700.000,00 kr., men dens andel af budgetversion 1" in response.text
    plan.refresh_from_db()
    assert plan.tilstand == lifecycle.GODKENDELSE

    decide(
        plan,
        Organ.LBF,
        Udfald.GODKENDT,
        sekretariat,
        bevilget_beloeb=Decimal("700000.00"),
        afvigelse_begrundelse="LBF's ramme for perioden er brugt; 50.000 kr. dækkes af fonde.",
    )
    assert transition(client_as(sekretariat), plan, "godkend", {"startdato": "2027-01-01"}).status_code == 204
    plan.refresh_from_db()
    assert plan.tilstand == lifecycle.AKTIV
    assert budget_queries.approved_version(plan.indsats).nummer == 1
    page = client_as(medarbejder).get(reverse("plan_detail", args=[plan.pk]))
    assert "700.000\u00a0kr." in page.text and "dækkes af fonde" in page.text


def test_a_difference_from_the_budget_needs_a_real_reason(sekretariat, plan):
    """One krone granted with "." as the reason let the plan start."""
    place(plan, lifecycle.GODKENDELSE)
    with pytest.raises(Refused, match="for kort"):
        decide(
            plan,
            Organ.LBF,
            Udfald.GODKENDT,
            sekretariat,
            bevilget_beloeb=Decimal(1),
            afvigelse_begrundelse=".",
        )


def test_the_approved_period_is_the_one_applied_for(client_as, sekretariat, plan):
    """Approval set 2020-2045 for a plan whose budget covered 2027."""
    place(plan, lifecycle.GODKENDELSE)
    shares = shares_of_submitted_budget(plan)
    decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat, bevilget_beloeb=shares[Organ.LBF])
    decide(plan, Organ.KOMMUNE, Udfald.GODKENDT, sekretariat, bevilget_beloeb=shares[Organ.KOMMUNE])
    client = client_as(sekretariat)
    too_long = transition(client, plan, "godkend", {"startdato": "2020-01-01", "slutdato": "2045-12-31"})
    assert too_long.status_code == 400 and "længere end planens varighed (4 år)" in too_long.text
    beside = transition(client, plan, "godkend", {"startdato": "2029-01-01"})
    assert beside.status_code == 400 and "beløb uden for perioden (2027)" in beside.text
    backwards = transition(client, plan, "godkend", {"startdato": "2027-01-01", "slutdato": "2026-12-31"})
    assert backwards.status_code == 400
    plan.refresh_from_db()
    assert plan.tilstand == lifecycle.GODKENDELSE and plan.indsats.startdato != date(2020, 1, 1)
    assert transition(client, plan, "godkend", {"startdato": "2027-01-01"}).status_code == 204


def test_the_granted_amount_is_required_where_it_belongs(sekretariat, plan, medarbejder):
    place(plan, lifecycle.GODKENDELSE)
    with pytest.raises(Refused, match="Skriv det beløb, Landsbyggefonden bevilger"):
        decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat, bevilget_beloeb=None)
    with pytest.raises(Refused, match="kun, når Landsbyggefonden eller kommunen godkender planen"):
        decide(plan, Organ.LBF, Udfald.SENDT_TILBAGE, sekretariat, bevilget_beloeb=Decimal(1))
    assert not plan.beslutninger.exists()


@pytest.mark.parametrize(
    "condition,message",
    [
        ({"tekst": "Årlig status.", "frist": None}, "tekst og en frist"),
        ({"tekst": "Årlig status.", "frist": TODAY, "ansvarlig": None}, "medarbejdere"),
        ({"tekst": "Årlig status.", "frist": TODAY, "ansvarlig": "sekretariat"}, "medarbejdere"),
    ],
)
def test_a_condition_needs_a_due_date_and_a_staff_member(sekretariat, medarbejder, plan, condition, message):
    place(plan, lifecycle.GODKENDELSE)
    follower = {"sekretariat": sekretariat}.get(condition.get("ansvarlig"), medarbejder)
    if "ansvarlig" in condition and condition["ansvarlig"] is None:
        follower = None
    with pytest.raises(Refused, match=message):
        decide(
            plan,
            Organ.KOMMUNE,
            Udfald.GODKENDT_MED_BETINGELSER,
            sekretariat,
            betingelser=[{**condition, "ansvarlig": follower}],
        )
    assert not plan.beslutninger.exists() and not Betingelse.objects.exists()


def _conditional_approval(client, plan, medarbejder):
    plan.refresh_from_db()
    return client.post(
        reverse("plan_decision_create", args=[plan.pk]),
        {
            "fase_nr": plan.fase_nr,
            "organ": "lbf",
            "dato": "2026-03-02",
            "udfald": "godkendt_med_betingelser",
            "journalnummer": "LBF-2026-88",
            "bevilget_beloeb": "750.000,00",
            **NO_CONDITIONS,
            "betingelse-0-tekst": "Midtvejsevalueringen sendes til Landsbyggefonden.",
            "betingelse-0-frist": (TODAY + timedelta(days=400)).isoformat(),
            "betingelse-0-ansvarlig": medarbejder.pk,
            "betingelse-1-tekst": "Kommissoriet sendes til Landsbyggefonden.",
            "betingelse-1-frist": (TODAY + timedelta(days=30)).isoformat(),
            "betingelse-1-ansvarlig": medarbejder.pk,
        },
        **HTMX,
    )


def test_the_tilsagn_and_its_conditions_are_recorded_and_followed_up(
    client_as, medarbejder, sekretariat, bestyrelse, plan, private_storage
):
    place(plan, lifecycle.GODKENDELSE)
    missing_date = client_as(sekretariat).post(
        reverse("plan_decision_create", args=[plan.pk]),
        {
            "fase_nr": plan.fase_nr,
            "organ": "lbf",
            "dato": "2026-03-02",
            "udfald": "godkendt_med_betingelser",
            "bevilget_beloeb": "750.000,00",
            **NO_CONDITIONS,
            "betingelse-0-tekst": "Kommissoriet sendes.",
        },
        **HTMX,
    )
    assert missing_date.status_code == 400 and "Sæt en frist for betingelsen." in missing_date.text
    before_decision = client_as(sekretariat).post(
        reverse("plan_decision_create", args=[plan.pk]),
        {
            "fase_nr": plan.fase_nr,
            "organ": "lbf",
            "dato": "2026-03-02",
            "udfald": "godkendt_med_betingelser",
            "bevilget_beloeb": "750.000,00",
            **NO_CONDITIONS,
            "betingelse-0-tekst": "Kommissoriet sendes.",
            "betingelse-0-frist": "1900-01-01",
            "betingelse-0-ansvarlig": medarbejder.pk,
        },
        **HTMX,
    )
    assert before_decision.status_code == 400
    assert "En betingelses frist kan ikke ligge før beslutningens dato (02.03.2026)." in before_decision.text
    assert not plan.beslutninger.exists()

    assert _conditional_approval(client_as(sekretariat), plan, medarbejder).status_code == 204
    decision = plan.beslutninger.get()
    assert decision.bevilget_beloeb == Decimal("750000.00")
    first, second = decision.betingelser.order_by("frist")
    assert (first.tekst, first.ansvarlig, first.status) == (
        "Kommissoriet sendes til Landsbyggefonden.",
        medarbejder,
        Betingelse.Status.AABEN,
    )
    event = plan.haendelser.get(art=Haendelse.Art.BESLUTNING)
    assert "Bevilget: 750.000,00 kr." in event.tekst and "Kommissoriet" in event.tekst

    # Open conditions on the plan and on the staff's start page; a board member reads them only.
    staff = client_as(medarbejder)
    assert "Kommissoriet sendes til Landsbyggefonden." in staff.get(reverse("home")).text
    met_url = reverse("plan_condition_met", args=[plan.pk, first.pk])
    assert met_url in staff.get(reverse("plan_detail", args=[plan.pk])).text
    board = client_as(bestyrelse)
    board_page = board.get(reverse("plan_detail", args=[plan.pk])).text
    assert "Kommissoriet sendes til Landsbyggefonden." in board_page and met_url not in board_page
    assert board.post(met_url, {"note": "Sendt."}).status_code == 403
    assert client_as(sekretariat).post(met_url, {"note": "Sendt."}).status_code == 403
    first.refresh_from_db()
    assert first.aaben

    staff = client_as(medarbejder)
    assert staff.post(met_url, {"note": ""}, **HTMX).status_code == 400
    letter = SimpleUploadedFile("kommissorium.pdf", PDF, content_type="application/pdf")
    assert staff.post(met_url, {"note": "Sendt 1. marts.", "dokument": letter}, **HTMX).status_code == 204
    first.refresh_from_db()
    assert (first.status, first.opfyldt_af, first.opfyldt_note) == ("opfyldt", medarbejder, "Sendt 1. marts.")
    assert plan.haendelser.filter(art=Haendelse.Art.BETINGELSE, tekst__contains="Kommissoriet").exists()
    assert staff.post(met_url, {"note": "Igen."}, **HTMX).status_code == 409
    home = staff.get(reverse("home")).text
    assert "Kommissoriet sendes" not in home and "Midtvejsevalueringen sendes" in home
    document = client_as(bestyrelse).get(reverse("plan_condition_document", args=[plan.pk, first.pk]))
    assert document.status_code == 200 and b"".join(document.streaming_content) == PDF


def test_marking_a_condition_met_is_staffs_alone_at_service_level(sekretariat, medarbejder, plan):
    place(plan, lifecycle.GODKENDELSE)
    decide(plan, Organ.LBF, Udfald.GODKENDT_MED_BETINGELSER, sekretariat)
    condition = Betingelse.objects.get()
    with pytest.raises(Forbidden):
        actions.mark_condition_met(condition, note="Sendt.", acting_user=sekretariat)
    with pytest.raises(Refused, match="note eller vedhæft"):
        actions.mark_condition_met(condition, note="  ", acting_user=medarbejder)
    actions.mark_condition_met(condition, note="Sendt.", acting_user=medarbejder)
    with pytest.raises(Conflict, match="allerede"):
        actions.mark_condition_met(condition, note="Sendt igen.", acting_user=medarbejder)


def test_a_plan_does_not_close_with_an_open_condition(client_as, medarbejder, sekretariat, plan):
    """A plan closed with the slutevaluering its tilsagn asked for still open; the condition was then marked
    met on the closed plan."""
    plan = walk(plan, lifecycle.AFSLUTNING, medarbejder, sekretariat)
    complete_closing_checklist(plan)
    condition = plan.betingelser.get(status=Betingelse.Status.AABEN)
    response = client_as(medarbejder).post(
        reverse("plan_transition", args=[plan.pk, "afslut"]), {"fase_nr": plan.fase_nr}
    )
    assert response.status_code == 400 and f"Betingelsen «{condition.tekst}» er ikke opfyldt" in response.text
    with pytest.raises(Refused, match="er ikke opfyldt"):
        fire(plan, "afslut", acting_user=medarbejder)
    actions.mark_condition_met(condition, note="Sendt til Landsbyggefonden.", acting_user=medarbejder)
    assert fire(plan, "afslut", acting_user=medarbejder).tilstand == lifecycle.AFSLUTTET


def test_a_condition_of_a_closed_plan_is_not_marked_met(client_as, medarbejder, sekretariat, plan):
    place(plan, lifecycle.GODKENDELSE)
    decide(plan, Organ.LBF, Udfald.GODKENDT_MED_BETINGELSER, sekretariat)
    condition = Betingelse.objects.get()
    place(plan, lifecycle.AFSLUTTET)
    Indsats.objects.filter(pk=plan.indsats_id).update(status=Indsats.Status.AFSLUTTET)
    url = reverse("plan_condition_met", args=[plan.pk, condition.pk])
    response = client_as(medarbejder).post(url, {"note": "Sendt."}, **HTMX)
    assert response.status_code == 400 and "afsluttet" in response.text
    with pytest.raises(Refused, match="afsluttet"):
        actions.mark_condition_met(condition, note="Sendt.", acting_user=medarbejder)
    assert Betingelse.objects.get(pk=condition.pk).aaben


# --- Sent back and approved -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "state,name,fase",
    [
        (lifecycle.PRAEKVALIFIKATION_BEHANDLES, "praekvalifikation_tilbage", "praekvalifikation"),
        (lifecycle.GODKENDELSE, "godkendelse_tilbage", "ansoegning"),
    ],
)
def test_a_plan_sent_back_gets_a_new_draft_to_work_on(medarbejder, sekretariat, plan, state, name, fase):
    place(plan, state)
    decide(plan, Organ.LBF, Udfald.SENDT_TILBAGE, sekretariat)
    plan = fire(plan, name, {"begrundelse": "Budgettet skal uddybes."}, notify=False, acting_user=sekretariat)
    submitted, draft = plan.indsats.budgetversioner.order_by("nummer")
    assert (submitted.status, draft.status, draft.fase) == ("besluttet", "udkast", fase)
    assert submitted.godkendt_grundlag == f"Landsbyggefonden: sendt tilbage {TODAY:%d.%m.%Y}"
    assert draft.begrundelse == "Budgettet skal uddybes." and draft.linjer.count() == 1
    give_budget(plan, amount=Decimal("2000000.00"))  # staff can work on the draft
    assert submitted.linjer.get().beloeb == Decimal("1000000.00")


def test_the_admin_reads_the_tilsagn_and_its_conditions_but_changes_neither(admin_client, sekretariat, plan):
    place(plan, lifecycle.GODKENDELSE)
    decision = decide(plan, Organ.LBF, Udfald.GODKENDT_MED_BETINGELSER, sekretariat)
    condition = decision.betingelser.get()
    assert admin_client.get(reverse("admin:helhedsplaner_betingelse_changelist")).status_code == 200
    change = reverse("admin:helhedsplaner_betingelse_change", args=[condition.pk])
    admin_client.post(change, {"tekst": "Ændret.", "status": "opfyldt"})
    condition.refresh_from_db()
    assert (condition.tekst, condition.status) == ("Årlig status.", Betingelse.Status.AABEN)
    page = admin_client.get(reverse("admin:helhedsplaner_beslutning_change", args=[decision.pk])).text
    assert 'name="bevilget_beloeb"' not in page  # shown, not editable
    versions = reverse("admin:finansiering_budgetversion_changelist")
    assert admin_client.get(versions).status_code == 200
    assert admin_client.get(reverse("admin:finansiering_budgetversion_add")).status_code == 403
