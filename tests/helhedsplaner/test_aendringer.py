"""The approved frame is locked (indsatser/ramme.py) and changes only through an ændring af godkendt plan
(helhedsplaner/actions.py): each hole tried over HTTP and at service level, and the change request
from kladde to the funders' decision."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from finansiering import actions as budget_actions
from finansiering import queries as budget_queries
from finansiering.financing import indsats_finansiering
from finansiering.models import Budgetlinje, Finansieringspart, Omkostningstype
from helhedsplaner import actions, lifecycle, queries
from helhedsplaner.lifecycle import fire
from helhedsplaner.models import Aendringsanmodning, Haendelse
from indsatser import actions as indsats_actions
from indsatser import ramme
from indsatser.forms import IndsatsForm
from indsatser.models import Finansieringsperiode, Indsats
from indsatser.transitions import Conflict, Forbidden, Refused, blockers
from tests.factories import AfdelingFactory, HelhedsplanFactory
from tests.finansiering.test_views import form_data
from tests.helhedsplaner.conftest import NO_CONDITIONS, complete_closing_checklist, walk
from tests.page_forms import page_form
from tests.world import one_page_pdf

# A change is decided on or after the day it is sent, which the tests do today.
DECIDED = timezone.localdate()

pytestmark = pytest.mark.django_db
Status = Aendringsanmodning.Status
YEARS = range(2027, 2031)
PDF = one_page_pdf()
HTMX = {"HTTP_HX_REQUEST": "true"}


def approved_plan(
    titel, afdelinger, staff, secretariat, costs=(("loen", 1_000_000), ("aktiviteter", 200_000))
):
    """A plan walked to aktiv for 2027-30, its budget (`costs` a year, in the period's first område)
    approved with it on the default 75/12.5/12.5."""
    periode = Finansieringsperiode.objects.get(navn="2019-26")
    plan = HelhedsplanFactory(
        indsats__titel=titel,
        indsats__afdelinger=afdelinger,
        indsats__ansvarlig=staff,
        indsats__startdato=date(2027, 1, 1),
        indsats__slutdato=date(2030, 12, 31),
        indsats__periode=periode,
    )
    version = budget_actions.create_version(plan.indsats, "ansoegning", acting_user=staff)
    omraade = periode.indsatsomraader.order_by("sortering").first()
    for year in YEARS:
        for kode, amount in costs:
            typ = Omkostningstype.objects.get(kode=kode)
            budget_actions.save_budget_line(version, year, omraade, typ, Decimal(amount), acting_user=staff)
    return walk(plan, lifecycle.AKTIV, staff, secretariat)


@pytest.fixture
def active_plan(own_afdeling, second_afdeling, medarbejder, sekretariat):
    """An active plan with an approved budget of 4 × 1.2 mio. kr. on 75/12.5/12.5."""
    return approved_plan(
        "Helhedsplan for Ændringsparken", [own_afdeling, second_afdeling], medarbejder, sekretariat
    )


def frame(plan):
    indsats = Indsats.objects.get(pk=plan.indsats_id)
    parts = Finansieringspart.objects.filter(noegle__indsats=indsats).order_by("sortering")
    return (
        sorted(indsats.afdelinger.values_list("pk", flat=True)),
        indsats.startdato,
        indsats.slutdato,
        [part.procent for part in parts],
        budget_queries.approved_version(indsats).nummer,
    )


# --- The lock follows the lifecycle --------------------------------------------------------------------


def test_the_frame_locks_when_sent_to_the_funders_and_from_approval_on(plan, medarbejder, sekretariat):
    seen = {}
    for state in lifecycle.MAIN_PATH:
        plan = walk(plan, state, medarbejder, sekretariat)
        seen[state] = Indsats.objects.get(pk=plan.indsats_id).ramme_laast
    assert {state for state, locked in seen.items() if locked} == set(lifecycle.FRAME_LOCKED)


# --- The holes, over HTTP ------------------------------------------------------------------------------


def test_register_form_cannot_change_afdelinger_or_dates_of_an_active_plan(
    client_as, medarbejder, active_plan, own_afdeling
):
    before = frame(active_plan)
    newcomer = AfdelingFactory(navn="Stemte Aldrig")
    client = client_as(medarbejder)
    url = reverse("indsats_edit", args=[active_plan.indsats_id])
    page = client.get(url)
    assert "Rammen er låst" in page.text
    assert reverse("plan_aendring_create", args=[active_plan.pk]) in page.text
    crafted = {
        "titel": "Helhedsplan for Ændringsparken og omegn",
        "startdato": "2027-01-01",
        "slutdato": "2028-12-31",
        "afdelinger": [own_afdeling.pk, newcomer.pk],
    }
    response = client.post(url, crafted)
    # The frame's fields are disabled, so a browser never posts them: a POST that does is refused as a
    # whole, saying why, instead of answering "saved" while keeping the frame.
    assert response.status_code == 400
    assert "Ændringerne er gemt" not in response.text
    assert "låst, siden Landsbyggefonden og kommunen godkendte planen" in response.text
    assert "ændring af godkendt plan" in response.text
    assert reverse("plan_aendring_create", args=[active_plan.pk]) in response.text
    assert frame(active_plan) == before
    assert Indsats.objects.get(pk=active_plan.indsats_id).titel == "Helhedsplan for Ændringsparken"
    assert budget_queries.approved_version(active_plan.indsats).linjer.count() == 8


def test_register_form_saves_the_working_content_of_an_active_plan(
    client_as, medarbejder, active_plan, own_afdeling
):
    before = frame(active_plan)
    client = client_as(medarbejder)
    url = reverse("indsats_edit", args=[active_plan.indsats_id])
    data = page_form(client.get(url).text, "titel")  # what a browser posts: the disabled frame left out
    assert not set(data) & set(ramme.FRAME_FIELDS)
    data["titel"] = "Helhedsplan for Ændringsparken og omegn"
    response = client.post(url, data, follow=True)
    assert "Ændringerne er gemt" in response.text
    assert frame(active_plan) == before
    assert Indsats.objects.get(pk=active_plan.indsats_id).titel == "Helhedsplan for Ændringsparken og omegn"


def test_fordelingsnoegle_of_an_active_plan_cannot_be_changed(client_as, medarbejder, active_plan):
    client = client_as(medarbejder)
    url = reverse("finansiering_edit", args=[active_plan.indsats_id])
    page = client.get(url)
    assert "Fordelingsnøglen er låst" in page.text and "Gem fordelingsnøglen" not in page.text
    data = form_data(page.context)
    data.update({"parter-0-procent": "80", "parter-1-procent": "10", "parter-2-procent": "10"})
    response = client.post(url, data, follow=True)
    assert "Rammen er låst" in response.text
    assert frame(active_plan)[3] == [Decimal(75), Decimal("12.5"), Decimal("12.5")]


def test_no_new_budget_version_outside_a_change_request(client_as, medarbejder, active_plan):
    client = client_as(medarbejder)
    versions = active_plan.indsats.budgetversioner.count()
    response = client.post(
        reverse("budget_version_create", args=[active_plan.indsats_id]),
        {
            "fase": "ansoegning",
            "kilde": budget_queries.approved_version(active_plan.indsats).pk,
            "begrundelse": "Ny",
        },
    )
    assert "Rammen er låst" in response.text
    assert active_plan.indsats.budgetversioner.count() == versions


def test_staff_cannot_approve_a_change_requests_budget_on_the_budget_page(
    client_as, medarbejder, active_plan
):
    approved = budget_queries.approved_version(active_plan.indsats).nummer
    anmodning = actions.create_change_request(active_plan, proposal(active_plan), acting_user=medarbejder)
    url = reverse("budget_version", args=[active_plan.indsats_id, anmodning.budgetversion.nummer])
    page = client_as(medarbejder).get(url).text
    assert "/godkend/" not in page
    with pytest.raises(budget_actions.BudgetError):
        budget_actions.approve_budget(anmodning.budgetversion, acting_user=medarbejder)
    assert budget_queries.approved_version(active_plan.indsats).nummer == approved


# --- The holes, at service level -----------------------------------------------------------------------


def test_a_form_opened_before_the_lock_cannot_save_a_frame_change(medarbejder, active_plan, own_afdeling):
    before = frame(active_plan)
    stale = Indsats.objects.get(pk=active_plan.indsats_id)
    stale.ramme_laast = False  # as read before the plan was sent to the funders
    form = IndsatsForm(
        {
            "titel": stale.titel,
            "startdato": "2027-01-01",
            "slutdato": "2028-12-31",
            "afdelinger": [own_afdeling.pk],
        },
        instance=stale,
    )
    assert form.is_valid(), form.errors
    with pytest.raises(ramme.FrameLocked):
        indsats_actions.save_indsats(form, acting_user=medarbejder)
    assert frame(active_plan) == before


def test_actions_refuse_the_frame(medarbejder, active_plan):
    indsats = Indsats.objects.get(pk=active_plan.indsats_id)
    with pytest.raises(budget_actions.BudgetError, match="Rammen er låst"):
        budget_actions.save_fordelingsnoegle(indsats, None, None, None, None, acting_user=medarbejder)
    with pytest.raises(budget_actions.BudgetError, match="Rammen er låst"):
        budget_actions.create_version(
            indsats, "ansoegning", "Flyt penge", kilde=None, acting_user=medarbejder
        )


# --- The change request --------------------------------------------------------------------------------


def proposal(plan, **changes):
    data = queries.current_frame(plan.indsats)
    data["begrundelse"] = "Afdeling 2 udtræder efter et nej på et ekstraordinært afdelingsmøde."
    data.update(changes)
    return data


def test_a_change_of_afdelinger_and_key_is_decided_by_both_funders_and_applied(
    medarbejder, sekretariat, active_plan, own_afdeling
):
    parts = queries.parts_of(active_plan.indsats)
    anmodning = actions.create_change_request(
        active_plan,
        proposal(
            active_plan,
            afdelinger=[own_afdeling],
            slutdato=date(2029, 12, 31),
            procenter={str(parts[0].pk): "80", str(parts[1].pk): "10", str(parts[2].pk): "10"},
        ),
        acting_user=medarbejder,
    )
    version = anmodning.budgetversion
    assert not version.laast and version.linjer.count() == 8
    Budgetlinje.objects.filter(version=version, aar=2030).delete()
    actions.send_change_request(anmodning, acting_user=medarbejder)
    assert queries.needs_funders(anmodning)
    with pytest.raises(Refused):
        actions.approve_change_request_by_staff(anmodning, acting_user=medarbejder)
    with pytest.raises(Forbidden):
        actions.record_change_decision(
            anmodning, {"organ": "lbf", "dato": DECIDED, "udfald": "godkendt"}, acting_user=medarbejder
        )
    # 3.6 mio. kr. on 80/10/10: each funder grants its new share.
    grant = {"dato": DECIDED, "udfald": "godkendt"}
    actions.record_change_decision(
        anmodning,
        {**grant, "organ": "lbf", "bevilget_beloeb": Decimal("2880000.00")},
        acting_user=sekretariat,
    )
    assert frame(active_plan)[0] == sorted(active_plan.indsats.afdelinger.values_list("pk", flat=True))
    assert Indsats.objects.get(pk=active_plan.indsats_id).afdelinger.count() == 2  # not yet: kommune
    actions.record_change_decision(
        anmodning,
        {**grant, "organ": "kommune", "bevilget_beloeb": Decimal("360000.00")},
        acting_user=sekretariat,
    )
    anmodning.refresh_from_db()
    assert anmodning.status == Status.GODKENDT
    afdelinger, start, slut, procenter, approved = frame(active_plan)
    assert afdelinger == [own_afdeling.pk] and slut == date(2029, 12, 31)
    assert procenter == [Decimal(80), Decimal(10), Decimal(10)] and approved == version.nummer
    event = active_plan.haendelser.filter(art=Haendelse.Art.AENDRING).first()
    assert "Slutdato: 31.12.2030 → 31.12.2029" in event.tekst
    assert "Landsbyggefonden (%): 75 → 80" in event.tekst
    assert "Københavns Kommune (%): 12,5 → 10" in event.tekst  # Danish decimals, as on the request's page
    before = version.nummer - 1  # the approved version the change request's draft was copied from
    assert (
        f"Budget i alt: 4.800.000,00 kr. (version {before}) → 3.600.000,00 kr. (version {version.nummer})"
        in event.tekst
    )


def test_a_funder_approving_a_change_of_its_share_grants_the_new_amount(
    client_as, medarbejder, sekretariat, bestyrelse, active_plan
):
    """After a change to 80/10/10 approved by LBF and the kommune, the plan still said «Landsbyggefonden
    bevilger 3.600.000,00 kr.»: the funders' decision on the change recorded no tilsagn."""
    parts = queries.parts_of(active_plan.indsats)
    key = {str(parts[0].pk): "80", str(parts[1].pk): "10", str(parts[2].pk): "10"}
    anmodning = actions.create_change_request(
        active_plan, proposal(active_plan, procenter=key), acting_user=medarbejder
    )
    actions.send_change_request(anmodning, acting_user=medarbejder)
    assert queries.change_shares(anmodning) == {
        "lbf": (Decimal("3600000.00"), Decimal("3840000.00")),
        "kommune": (Decimal("600000.00"), Decimal("480000.00")),
    }
    approval = {"organ": "lbf", "dato": DECIDED, "udfald": "godkendt"}
    with pytest.raises(Refused, match="skriv det beløb, Landsbyggefonden nu bevilger"):
        actions.record_change_decision(anmodning, approval, acting_user=sekretariat)
    with pytest.raises(Refused, match="begrundelse for afvigelsen"):
        actions.record_change_decision(
            anmodning, {**approval, "bevilget_beloeb": Decimal("1.00")}, acting_user=sekretariat
        )
    with pytest.raises(Refused, match="kun, når"):
        actions.record_change_decision(
            anmodning,
            {**approval, "udfald": "afvist", "bevilget_beloeb": Decimal("3840000.00")},
            acting_user=sekretariat,
        )
    url = reverse("plan_aendring_decision", args=[active_plan.pk, anmodning.nummer])
    secretariat = client_as(sekretariat)
    form = {"dato": DECIDED.isoformat(), "udfald": "godkendt", "journalnummer": "Æ1", **NO_CONDITIONS}
    refused = secretariat.post(url, {**form, "organ": "lbf"})
    assert refused.status_code == 400 and "3.840.000,00 kr." in refused.text
    assert (
        secretariat.post(url, {**form, "organ": "lbf", "bevilget_beloeb": "3.840.000,00"}).status_code == 302
    )
    short = {**form, "organ": "kommune", "bevilget_beloeb": "450.000,00"}
    assert secretariat.post(url, {**short, "afvigelse_begrundelse": "Mindre."}).status_code == 400
    reason = "Kommunen bevilger 30.000 kr. mindre til facilitering fra 2028."
    assert secretariat.post(url, {**short, "afvigelse_begrundelse": reason}).status_code == 302
    anmodning.refresh_from_db()
    assert anmodning.status == Status.GODKENDT
    detail = secretariat.get(reverse("plan_aendring_detail", args=[active_plan.pk, anmodning.nummer])).text
    assert "bevilget 3.840.000,00\u00a0kr." in detail and reason in detail
    grants = {decision.organ: decision.bevilget_beloeb for decision in queries.tilsagn(active_plan)}
    assert grants == {"lbf": Decimal("3840000.00"), "kommune": Decimal("450000.00")}
    page = client_as(bestyrelse).get(reverse("plan_detail", args=[active_plan.pk])).text
    assert "Landsbyggefonden bevilger</dt><dd>3.840.000\u00a0kr." in page and reason in page
    timeline = active_plan.haendelser.filter(art=Haendelse.Art.AENDRING).values_list("tekst", flat=True)
    assert any("Bevilget: 3.840.000,00 kr." in text for text in timeline)


def test_a_change_that_leaves_a_funders_share_needs_no_new_amount(medarbejder, sekretariat, active_plan):
    anmodning = actions.create_change_request(active_plan, proposal(active_plan), acting_user=medarbejder)
    version = anmodning.budgetversion
    moved = Budgetlinje.objects.get(version=version, aar=2028, omkostningstype__kode="aktiviteter")
    budget_actions.save_budget_line(
        version, 2028, moved.indsatsomraade, moved.omkostningstype, Decimal(0), acting_user=medarbejder
    )
    budget_actions.save_budget_line(
        version, 2029, moved.indsatsomraade, moved.omkostningstype, Decimal(400_000), acting_user=medarbejder
    )
    actions.send_change_request(anmodning, acting_user=medarbejder)
    assert queries.needs_funders(anmodning)  # money moved between years
    for organ in ("lbf", "kommune"):
        actions.record_change_decision(
            anmodning, {"organ": organ, "dato": DECIDED, "udfald": "godkendt"}, acting_user=sekretariat
        )
    anmodning.refresh_from_db()
    assert anmodning.status == Status.GODKENDT
    assert {d.organ: d.bevilget_beloeb for d in queries.tilsagn(active_plan)} == {
        "lbf": Decimal("3600000.00"),
        "kommune": Decimal("600000.00"),
    }


def test_a_shorter_period_cannot_be_sent_with_money_in_the_dropped_year(medarbejder, active_plan):
    anmodning = actions.create_change_request(
        active_plan, proposal(active_plan, slutdato=date(2029, 12, 31)), acting_user=medarbejder
    )
    with pytest.raises(Refused, match=r"uden for den foreslåede periode \(2030\)"):
        actions.send_change_request(anmodning, acting_user=medarbejder)
    Budgetlinje.objects.filter(version=anmodning.budgetversion, aar=2030).delete()
    assert actions.send_change_request(anmodning, acting_user=medarbejder).status == Status.SENDT


def test_a_refusal_leaves_the_frame(medarbejder, sekretariat, active_plan, own_afdeling):
    before = frame(active_plan)
    anmodning = actions.create_change_request(
        active_plan, proposal(active_plan, afdelinger=[own_afdeling]), acting_user=medarbejder
    )
    actions.send_change_request(anmodning, acting_user=medarbejder)
    actions.record_change_decision(
        anmodning, {"organ": "kommune", "dato": DECIDED, "udfald": "afvist"}, acting_user=sekretariat
    )
    anmodning.refresh_from_db()
    assert anmodning.status == Status.AFVIST and frame(active_plan) == before
    with pytest.raises(Conflict):
        actions.record_change_decision(
            anmodning, {"organ": "lbf", "dato": DECIDED, "udfald": "godkendt"}, acting_user=sekretariat
        )


def test_money_moved_between_cost_types_is_approved_by_staff_alone(medarbejder, active_plan):
    anmodning = actions.create_change_request(active_plan, proposal(active_plan), acting_user=medarbejder)
    version = anmodning.budgetversion
    loen = Budgetlinje.objects.get(version=version, aar=2028, omkostningstype__kode="loen")
    akt = Budgetlinje.objects.get(version=version, aar=2028, omkostningstype__kode="aktiviteter")
    budget_actions.save_budget_line(
        version, 2028, loen.indsatsomraade, loen.omkostningstype, Decimal(900_000), acting_user=medarbejder
    )
    budget_actions.save_budget_line(
        version, 2028, akt.indsatsomraade, akt.omkostningstype, Decimal(300_000), acting_user=medarbejder
    )
    actions.send_change_request(anmodning, acting_user=medarbejder)
    assert not queries.needs_funders(anmodning)
    actions.approve_change_request_by_staff(anmodning, acting_user=medarbejder)
    assert budget_queries.approved_version(active_plan.indsats) == version


def test_a_change_request_needs_a_real_reason(client_as, medarbejder, active_plan):
    """A change of an approved plan was asked for with "." as its reason."""
    with pytest.raises(Refused, match="mindst 5 ord"):
        actions.create_change_request(
            active_plan, proposal(active_plan, begrundelse="."), acting_user=medarbejder
        )
    frame_now = queries.current_frame(active_plan.indsats)
    data = {
        "begrundelse": ".",
        "afdelinger": [a.pk for a in frame_now["afdelinger"]],
        "startdato": frame_now["startdato"],
        "slutdato": frame_now["slutdato"],
        **{f"procent_{pk}": value for pk, value in frame_now["procenter"].items()},
    }
    response = client_as(medarbejder).post(reverse("plan_aendring_create", args=[active_plan.pk]), data)
    assert response.status_code == 400 and "mindst 5 ord" in response.text
    assert not active_plan.aendringsanmodninger.exists()
    anmodning = actions.create_change_request(active_plan, proposal(active_plan), acting_user=medarbejder)
    with pytest.raises(Refused, match="mindst 5 ord"):
        actions.update_change_request(
            anmodning, proposal(active_plan, begrundelse="ok"), acting_user=medarbejder
        )


def test_one_open_change_at_a_time_and_only_on_an_approved_plan(medarbejder, plan, active_plan):
    actions.create_change_request(active_plan, proposal(active_plan), acting_user=medarbejder)
    with pytest.raises(Refused, match="allerede en åben ændring"):
        actions.create_change_request(active_plan, proposal(active_plan), acting_user=medarbejder)
    with pytest.raises(Refused, match="aktiv eller i afslutning"):
        actions.create_change_request(plan, proposal(active_plan), acting_user=medarbejder)


def test_withdrawn_change_changes_nothing(medarbejder, active_plan):
    before = frame(active_plan)
    anmodning = actions.create_change_request(
        active_plan, proposal(active_plan, slutdato=date(2031, 6, 30)), acting_user=medarbejder
    )
    actions.withdraw_change_request(anmodning, acting_user=medarbejder)
    anmodning.refresh_from_db()
    assert anmodning.status == Status.TRUKKET_TILBAGE and frame(active_plan) == before
    with pytest.raises(Conflict):
        actions.send_change_request(anmodning, acting_user=medarbejder)


def closing(plan, staff):
    """The plan in afslutning with its checklist complete and every condition of its tilsagn met."""
    plan = lifecycle.fire(plan, "start_afslutning", {"begrundelse": "Målene er nået."}, acting_user=staff)
    complete_closing_checklist(plan)
    for condition in plan.betingelser.filter(status="aaben"):
        actions.mark_condition_met(condition, note="Opfyldt.", acting_user=staff)
    return plan


def test_a_plan_without_activities_and_with_placeholder_reasons_does_not_close(
    client_as, medarbejder, active_plan
):
    """With every activity deleted, a plan closed with every criterion «ikke opfyldt» and "." as reason; on
    the closed plan activities could still be deleted."""
    plan = closing(active_plan, medarbejder)
    client = client_as(medarbejder)
    for aktivitet in plan.indsats.aktiviteter.all():
        client.post(reverse("aktivitet_delete", args=[plan.indsats_id, aktivitet.pk]))
    assert plan.indsats.aktiviteter.exists()  # an activity of a plan that has run is not deleted
    plan.indsats.aktiviteter.all().delete()  # as if it never had any
    checklist = {}
    for kriterium in ("behov", "maal", "forankring", "opbakning", "finansiering"):
        checklist |= {f"opfyldt_{kriterium}": "nej", f"begrundelse_{kriterium}": "."}
    client.post(reverse("afslutning_checklist", args=[plan.indsats_id]), checklist)
    response = client.post(reverse("plan_transition", args=[plan.pk, "afslut"]), {"fase_nr": plan.fase_nr})
    assert response.status_code == 400
    for reason in (
        "er for kort: skriv mindst 5 ord",
        "Ingen af de fem kriterier er opfyldt",
        "ingen aktiviteter",
    ):
        assert reason in response.text
    plan.refresh_from_db()
    assert plan.tilstand == lifecycle.AFSLUTNING


def test_a_plan_does_not_close_while_a_change_to_it_is_open(
    client_as, medarbejder, active_plan, own_afdeling
):
    """A plan closed while LBF and the kommune were deciding a change to it; their approval then took an
    afdeling out of the closed plan and replaced its approved budget."""
    anmodning = actions.create_change_request(
        active_plan, proposal(active_plan, afdelinger=[own_afdeling]), acting_user=medarbejder
    )
    actions.send_change_request(anmodning, acting_user=medarbejder)
    plan = closing(active_plan, medarbejder)
    url = reverse("plan_transition", args=[plan.pk, "afslut"])
    response = client_as(medarbejder).post(url, {"fase_nr": plan.fase_nr})
    assert response.status_code == 400 and "Ændring 1 af godkendt plan er ikke afgjort" in response.text
    with pytest.raises(Refused, match="ikke afgjort"):
        lifecycle.fire(plan, "afslut", acting_user=medarbejder)
    actions.withdraw_change_request(anmodning, acting_user=medarbejder)
    assert lifecycle.fire(plan, "afslut", acting_user=medarbejder).tilstand == lifecycle.AFSLUTTET


def test_a_change_request_does_not_touch_a_closed_plan(medarbejder, sekretariat, active_plan, own_afdeling):
    anmodning = actions.create_change_request(
        active_plan, proposal(active_plan, afdelinger=[own_afdeling]), acting_user=medarbejder
    )
    actions.send_change_request(anmodning, acting_user=medarbejder)
    before = frame(active_plan)
    # Closed before the rule above (or by a correction): the change's decision no longer applies.
    Indsats.objects.filter(pk=active_plan.indsats_id).update(status=Indsats.Status.AFSLUTTET)
    for organ in ("lbf", "kommune"):
        with pytest.raises(Refused, match="afsluttet"):
            actions.record_change_decision(
                anmodning, {"organ": organ, "dato": DECIDED, "udfald": "godkendt"}, acting_user=sekretariat
            )
    with pytest.raises(Refused, match="afsluttet"):
        actions.withdraw_change_request(anmodning, acting_user=medarbejder)
    assert frame(active_plan) == before
    assert Aendringsanmodning.objects.get(pk=anmodning.pk).status == Status.SENDT


def test_a_sent_change_requests_budget_is_locked_until_it_is_decided(
    client_as, medarbejder, sekretariat, active_plan
):
    longer = proposal(active_plan, slutdato=date(2031, 6, 30))
    anmodning = actions.create_change_request(active_plan, longer, acting_user=medarbejder)
    version = anmodning.budgetversion
    line = version.linjer.select_related("indsatsomraade", "omkostningstype").first()
    actions.send_change_request(anmodning, acting_user=medarbejder)
    version.refresh_from_db()
    assert version.status == "indsendt"
    with pytest.raises(budget_actions.BudgetError):
        budget_actions.save_budget_line(
            version,
            line.aar,
            line.indsatsomraade,
            line.omkostningstype,
            Decimal("9999999.99"),
            acting_user=medarbejder,
        )
    cell = f"c-{line.aar}-{line.indsatsomraade_id}-{line.omkostningstype_id}"
    url = reverse(
        "budget_cell",
        args=[
            active_plan.indsats_id,
            version.nummer,
            line.aar,
            line.indsatsomraade_id,
            line.omkostningstype_id,
        ],
    )
    client_as(medarbejder).post(url, {cell: "9.999.999,99"})
    assert version.linjer.get(pk=line.pk).beloeb == line.beloeb
    actions.record_change_decision(
        anmodning, {"organ": "lbf", "dato": DECIDED, "udfald": "afvist"}, acting_user=sekretariat
    )
    version.refresh_from_db()
    assert version.status == "erstattet"
    assert budget_queries.approved_version(active_plan.indsats).pk != version.pk
    assert (
        actions.create_change_request(
            active_plan, proposal(active_plan), acting_user=medarbejder
        ).budgetversion.status
        == "udkast"
    )


def test_a_change_cannot_bring_an_afdeling_into_another_plans_period(medarbejder, active_plan):
    """A change request added an afdeling of another active plan, and nobody was asked."""
    elsewhere = AfdelingFactory(navn="Naboparken")
    HelhedsplanFactory(
        indsats__titel="Naboplanen",
        indsats__afdelinger=[elsewhere],
        indsats__startdato=date(2026, 1, 1),
        indsats__slutdato=date(2029, 12, 31),
        indsats__status=Indsats.Status.AKTIV,
    )
    afdelinger = [*active_plan.indsats.afdelinger.all(), elsewhere]
    anmodning = actions.create_change_request(
        active_plan, proposal(active_plan, afdelinger=afdelinger), acting_user=medarbejder
    )
    with pytest.raises(Refused, match="Naboparken er også med i «Naboplanen»"):
        actions.send_change_request(anmodning, acting_user=medarbejder)
    anmodning.refresh_from_db()
    assert anmodning.status == Status.KLADDE


def test_a_changed_register_does_not_move_the_approved_split(medarbejder, active_plan, own_afdeling):
    """An afdeling's lejemål set to 1 in the register rewrote the approved version's shares."""
    approved = budget_queries.approved_version(active_plan.indsats)
    before = {
        a.afdeling.pk: (a.total, a.pr_lejemaal_pr_aar)
        for a in indsats_finansiering(active_plan.indsats, approved).afdelinger
    }
    own_afdeling.lejemaal = 1
    own_afdeling.save()
    after = indsats_finansiering(active_plan.indsats, approved)
    assert {a.afdeling.pk: (a.total, a.pr_lejemaal_pr_aar) for a in after.afdelinger} == before
    draft = budget_actions.create_version(
        active_plan.indsats, "ansoegning", "Ny", kilde=approved, ramme_aendring=True, acting_user=medarbejder
    )
    moved = {a.afdeling.pk: a.total for a in indsats_finansiering(active_plan.indsats, draft).afdelinger}
    assert moved != {pk: total for pk, (total, _) in before.items()}  # a new draft is split by today's sizes


def test_the_afdeling_import_does_not_move_an_approved_frame(
    client_as, admin_client, active_plan, own_afdeling
):
    """The register's import rewrites an afdeling's lejemål: the approved plan keeps its afdelinger and the
    split the funders approved (the sizes recorded when the budget was submitted)."""
    approved = budget_queries.approved_version(active_plan.indsats)
    before = frame(active_plan)
    shares = {a.afdeling.pk: a.total for a in indsats_finansiering(active_plan.indsats, approved).afdelinger}
    row = (
        f"{own_afdeling.organisation.navn};{own_afdeling.nummer};{own_afdeling.navn};Vej 1;2400;Bispebjerg;"
        ";1;100,00;3"
    )
    header = "organisation;afdeling_nr;navn;adresse;postnr;bydel;boligomraade;lejemaal;areal_m2;beboere"
    upload = SimpleUploadedFile("afdelinger.csv", f"{header}\n{row}\n".encode(), content_type="text/csv")
    response = admin_client.post(reverse("afdeling_import"), {"fil": upload})
    assert response.status_code in (200, 302)
    own_afdeling.refresh_from_db()
    assert own_afdeling.lejemaal == 1  # the register did change
    assert frame(active_plan) == before
    after = {a.afdeling.pk: a.total for a in indsats_finansiering(active_plan.indsats, approved).afdelinger}
    assert after == shares


def test_a_decision_on_a_change_is_not_dated_before_it_was_sent(medarbejder, sekretariat, active_plan):
    longer = proposal(active_plan, slutdato=date(2031, 6, 30))
    anmodning = actions.send_change_request(
        actions.create_change_request(active_plan, longer, acting_user=medarbejder), acting_user=medarbejder
    )
    before = DECIDED - timedelta(days=1)
    with pytest.raises(Refused, match="før ændringen blev sendt"):
        actions.record_change_decision(
            anmodning, {"organ": "lbf", "dato": before, "udfald": "godkendt"}, acting_user=sekretariat
        )


def test_an_afdeling_taken_by_another_plan_after_sending_stops_the_change(
    medarbejder, sekretariat, active_plan
):
    newcomer = AfdelingFactory(navn="Tilflytterparken")
    afdelinger = [*active_plan.indsats.afdelinger.all(), newcomer]
    anmodning = actions.create_change_request(
        active_plan, proposal(active_plan, afdelinger=afdelinger), acting_user=medarbejder
    )
    actions.send_change_request(anmodning, acting_user=medarbejder)
    HelhedsplanFactory(
        indsats__titel="Naboplanen",
        indsats__afdelinger=[newcomer],
        indsats__startdato=date(2028, 1, 1),
        indsats__slutdato=date(2031, 12, 31),
        indsats__status=Indsats.Status.AKTIV,
    )
    actions.record_change_decision(
        anmodning, {"organ": "lbf", "dato": DECIDED, "udfald": "godkendt"}, acting_user=sekretariat
    )
    with pytest.raises(Refused, match="Tilflytterparken er også med i «Naboplanen»"):
        actions.record_change_decision(
            anmodning, {"organ": "kommune", "dato": DECIDED, "udfald": "godkendt"}, acting_user=sekretariat
        )
    assert not active_plan.indsats.afdelinger.filter(pk=newcomer.pk).exists()


def test_an_afdeling_a_change_adds_keeps_its_size_in_the_approved_split(
    medarbejder, sekretariat, active_plan
):
    newcomer = AfdelingFactory(navn="Tilflytterparken", lejemaal=157)
    afdelinger = [*active_plan.indsats.afdelinger.all(), newcomer]
    anmodning = actions.create_change_request(
        active_plan, proposal(active_plan, afdelinger=afdelinger), acting_user=medarbejder
    )
    actions.send_change_request(anmodning, acting_user=medarbejder)
    for organ in ("lbf", "kommune"):
        actions.record_change_decision(
            anmodning, {"organ": organ, "dato": DECIDED, "udfald": "godkendt"}, acting_user=sekretariat
        )
    approved = budget_queries.approved_version(active_plan.indsats)
    assert approved.pk == anmodning.budgetversion_id
    shares = {a.afdeling.pk: a.total for a in indsats_finansiering(active_plan.indsats, approved).afdelinger}
    newcomer.lejemaal = 2000
    newcomer.save()
    after = {a.afdeling.pk: a.total for a in indsats_finansiering(active_plan.indsats, approved).afdelinger}
    assert after == shares


def test_a_withdrawn_change_lays_its_budget_aside(medarbejder, active_plan):
    anmodning = actions.create_change_request(active_plan, proposal(active_plan), acting_user=medarbejder)
    actions.send_change_request(anmodning, acting_user=medarbejder)
    actions.withdraw_change_request(anmodning, acting_user=medarbejder)
    anmodning.budgetversion.refresh_from_db()
    assert anmodning.budgetversion.status == "erstattet"


def test_change_request_pages_over_http(
    client_as, medarbejder, sekretariat, bestyrelse, active_plan, own_afdeling
):
    staff = client_as(medarbejder)
    create = reverse("plan_aendring_create", args=[active_plan.pk])
    page = staff.get(create)
    assert page.status_code == 200
    data = {
        key: value
        for key, value in {
            "begrundelse": "Perioden forlænges et halvt år, fordi lektiecaféen åbnede senere end planlagt.",
            "afdelinger": [a.pk for a in active_plan.indsats.afdelinger.all()],
            "startdato": "2027-01-01",
            "slutdato": "2031-06-30",
            **{
                f"procent_{p.pk}": f"{p.procent}".replace(".", ",")
                for p in queries.parts_of(active_plan.indsats)
            },
        }.items()
    }
    response = staff.post(create, data)
    detail = reverse("plan_aendring_detail", args=[active_plan.pk, 1])
    assert response.status_code == 302 and response["Location"] == detail
    assert "Slutdato" in staff.get(detail).text
    assert staff.post(reverse("plan_aendring_action", args=[active_plan.pk, 1, "send"])).status_code == 302
    # The board member of the plan reads the change, and cannot act on it.
    board = client_as(bestyrelse)
    assert "Perioden forlænges" in board.get(detail).text
    assert (
        board.post(reverse("plan_aendring_action", args=[active_plan.pk, 1, "traek-tilbage"])).status_code
        == 403
    )
    secretariat = client_as(sekretariat)
    decision = reverse("plan_aendring_decision", args=[active_plan.pk, 1])
    for organ in ("lbf", "kommune"):
        response = secretariat.post(
            decision,
            {
                "organ": organ,
                "dato": DECIDED.isoformat(),
                "udfald": "godkendt",
                "journalnummer": "J-1",
                **NO_CONDITIONS,
            },
        )
        assert response.status_code == 302
    assert Indsats.objects.get(pk=active_plan.indsats_id).slutdato == date(2031, 6, 30)
    assert "Slutdato: 31.12.2030 → 30.06.2031" in staff.get(detail).text


@pytest.mark.parametrize("earlier", [1, 4])
def test_change_request_pages_run_a_fixed_number_of_queries(
    client_as, django_assert_num_queries, medarbejder, active_plan, earlier
):
    for _ in range(earlier):
        actions.withdraw_change_request(
            actions.create_change_request(active_plan, proposal(active_plan), acting_user=medarbejder),
            acting_user=medarbejder,
        )
    anmodning = actions.create_change_request(active_plan, proposal(active_plan), acting_user=medarbejder)
    client = client_as(medarbejder)
    client.get(reverse("home"))  # session and user warmed up
    # session, user, groups, plan; the change requests with who made them
    with django_assert_num_queries(5):
        client.get(reverse("plan_aendringer", args=[active_plan.pk]))
    # session, user, groups, plan, the change request (its version and people); the comparison, which also
    # tells whether the funders decide and gives the budget link its version: the approved version, both
    # versions' totals, the plan's and the proposal's afdelinger, the parties; the decisions
    with django_assert_num_queries(12):
        client.get(reverse("plan_aendring_detail", args=[active_plan.pk, anmodning.nummer]))


# --- The funders' decision on a change: its letter, its conditions, its corrections --------------------


def sent_change(plan, staff):
    """A longer period, sent: LBF and the kommune decide it."""
    anmodning = actions.create_change_request(
        plan, proposal(plan, slutdato=date(2031, 6, 30)), acting_user=staff
    )
    return actions.send_change_request(anmodning, acting_user=staff)


def test_a_change_decision_keeps_its_letter_and_its_conditions_hold_the_plan_open(
    client_as, medarbejder, sekretariat, bestyrelse, active_plan, private_storage
):
    anmodning = sent_change(active_plan, medarbejder)
    url = reverse("plan_aendring_decision", args=[active_plan.pk, anmodning.nummer])
    secretariat = client_as(sekretariat)
    form = secretariat.get(url, **HTMX).text
    assert 'enctype="multipart/form-data"' in form and "betingelse-0-tekst" in form
    assert "Sendt tilbage" not in form  # a change is approved or refused
    decision = {"organ": "lbf", "dato": DECIDED.isoformat(), "journalnummer": "Æ-7", **NO_CONDITIONS}
    renamed = SimpleUploadedFile("afgoerelse.pdf", b"MZ\x90\x00program", content_type="application/pdf")
    refused = secretariat.post(url, {**decision, "udfald": "godkendt", "dokument": renamed}, **HTMX)
    assert refused.status_code == 400 and "Filen er ikke en gyldig PDF-fil." in refused.text
    header_only = SimpleUploadedFile("afgoerelse.pdf", b"%PDF-1.4 ikke mere", content_type="application/pdf")
    refused = secretariat.post(url, {**decision, "udfald": "godkendt", "dokument": header_only}, **HTMX)
    assert refused.status_code == 400 and "Filen kan ikke læses som PDF." in refused.text
    assert not anmodning.beslutninger.exists()

    letter = SimpleUploadedFile("afgoerelse.pdf", PDF, content_type="application/pdf")
    response = secretariat.post(
        url,
        {
            **decision,
            "udfald": "godkendt_med_betingelser",
            "dokument": letter,
            "betingelse-0-tekst": "Den forlængede evaluering sendes til Landsbyggefonden.",
            "betingelse-0-frist": "2031-09-30",
            "betingelse-0-ansvarlig": medarbejder.pk,
        },
        **HTMX,
    )
    assert response.status_code == 204
    lbf = anmodning.beslutninger.get()
    assert lbf.dokument_navn == "afgoerelse.pdf"
    condition = lbf.betingelser.get()
    assert (condition.plan, condition.ansvarlig, condition.aaben) == (active_plan, medarbejder, True)
    kommune = {"organ": "kommune", "dato": DECIDED.isoformat(), "udfald": "godkendt", **NO_CONDITIONS}
    assert secretariat.post(url, kommune, **HTMX).status_code == 204
    anmodning.refresh_from_db()
    assert anmodning.status == Status.GODKENDT  # an approval with conditions approves

    # The letter is read where the change is; the condition shows on the plan and the staff's start page.
    detail = client_as(bestyrelse).get(
        reverse("plan_aendring_detail", args=[active_plan.pk, anmodning.nummer])
    )
    download = reverse("plan_aendring_decision_document", args=[active_plan.pk, anmodning.nummer, lbf.pk])
    assert download in detail.text and "Den forlængede evaluering" in detail.text
    letter_back = client_as(bestyrelse).get(download)
    assert letter_back.status_code == 200 and b"".join(letter_back.streaming_content) == PDF
    plan_page = client_as(medarbejder).get(reverse("plan_detail", args=[active_plan.pk])).text
    assert "Den forlængede evaluering sendes til Landsbyggefonden." in plan_page
    assert f"Landsbyggefonden, {DECIDED:%d.%m.%Y} (ændring {anmodning.nummer})" in plan_page
    assert reverse("plan_condition_met", args=[active_plan.pk, condition.pk]) in plan_page
    assert "Den forlængede evaluering" in client_as(medarbejder).get(reverse("home")).text

    # Open, it keeps the plan from closing, as the conditions of the plan's own tilsagn do.
    plan = fire(
        active_plan,
        "start_afslutning",
        {"begrundelse": "Målene er nået."},
        notify=False,
        acting_user=medarbejder,
    )
    complete_closing_checklist(plan)
    for other in plan.betingelser.exclude(pk=condition.pk).filter(status="aaben"):
        actions.mark_condition_met(other, note="Opfyldt.", acting_user=medarbejder)
    closing = client_as(medarbejder).post(
        reverse("plan_transition", args=[plan.pk, "afslut"]), {"fase_nr": plan.fase_nr}, **HTMX
    )
    assert closing.status_code == 400
    assert (
        "Betingelsen «Den forlængede evaluering sendes til Landsbyggefonden.» er ikke opfyldt."
        in closing.text
    )
    met_url = reverse("plan_condition_met", args=[plan.pk, condition.pk])
    assert "Landsbyggefonden: Den forlængede evaluering" in client_as(medarbejder).get(met_url, **HTMX).text
    assert client_as(medarbejder).post(met_url, {"note": "Sendt."}, **HTMX).status_code == 204
    assert not blockers(plan, lifecycle.TRANSITION["afslut"])


def test_a_change_is_not_sent_back_and_its_conditions_need_the_outcome(sekretariat, medarbejder, active_plan):
    anmodning = sent_change(active_plan, medarbejder)
    decision = {"organ": "lbf", "dato": DECIDED}
    with pytest.raises(Refused, match="godkendes, godkendes med betingelser eller afvises"):
        actions.record_change_decision(
            anmodning, {**decision, "udfald": "sendt_tilbage"}, acting_user=sekretariat
        )
    condition = {"tekst": "Årlig status.", "frist": date(2031, 1, 1), "ansvarlig": medarbejder}
    with pytest.raises(Refused, match="hører til udfaldet"):
        actions.record_change_decision(
            anmodning, {**decision, "udfald": "godkendt", "betingelser": [condition]}, acting_user=sekretariat
        )
    with pytest.raises(Refused, match="Skriv betingelserne"):
        actions.record_change_decision(
            anmodning, {**decision, "udfald": "godkendt_med_betingelser"}, acting_user=sekretariat
        )
    assert not anmodning.beslutninger.exists()


def test_a_corrected_change_decision_replaces_the_earlier_one(
    client_as, medarbejder, sekretariat, active_plan
):
    anmodning = sent_change(active_plan, medarbejder)
    decision = {"organ": "lbf", "dato": DECIDED}
    first = actions.record_change_decision(
        anmodning, {**decision, "udfald": "godkendt", "journalnummer": "Æ-1"}, acting_user=sekretariat
    )
    url = reverse("plan_aendring_decision", args=[active_plan.pk, anmodning.nummer])
    form = client_as(sekretariat).get(url, **HTMX).text
    assert "Landsbyggefonden har allerede registreret «Godkendt»" in form
    correction = actions.record_change_decision(
        anmodning, {**decision, "udfald": "godkendt", "journalnummer": "Æ-2"}, acting_user=sekretariat
    )
    assert correction.erstatter == first
    page = client_as(medarbejder).get(
        reverse("plan_aendring_detail", args=[active_plan.pk, anmodning.nummer])
    )
    assert f"Erstatter beslutning af {first.dato:%d.%m.%Y}" in page.text
    assert page.text.count("<strong>Erstattet</strong>") == 1
    # The latest counts: a refusal registered after the approval refuses the change.
    actions.record_change_decision(anmodning, {**decision, "udfald": "afvist"}, acting_user=sekretariat)
    anmodning.refresh_from_db()
    assert anmodning.status == Status.AFVIST
    assert anmodning.beslutninger.order_by("registreret", "id").last().erstatter == correction
