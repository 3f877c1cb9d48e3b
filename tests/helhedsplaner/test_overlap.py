"""An afdeling in two live helhedsplaner with overlapping periods: refused wherever afdelinger or periods
are set (the plan's forms, the register, the approval's dates) unless staff confirm it with a reason."""

from datetime import date

import pytest
from django.urls import reverse

from helhedsplaner import actions, lifecycle
from helhedsplaner.lifecycle import fire
from helhedsplaner.models import Haendelse, Helhedsplan
from indsatser.models import Indsats, Indsatstype
from indsatser.overlap import OverlapNotConfirmed, confirmed_overlap, overlaps
from tests.factories import AfdelingFactory, HelhedsplanFactory
from tests.helhedsplaner.conftest import Organ, Udfald, decide, place

HTMX = {"HTTP_HX_REQUEST": "true"}
REASON = "Den gamle plan slutter et halvt år efter, den nye begynder; LBF har accepteret overlappet."


@pytest.fixture
def shared(db):
    return AfdelingFactory(navn="Delt Afdeling")


@pytest.fixture
def running(shared, medarbejder):
    """An active helhedsplan 2025-2028 with the shared afdeling."""
    plan = HelhedsplanFactory(
        indsats__titel="Kørende plan",
        indsats__afdelinger=[shared],
        indsats__startdato=date(2025, 1, 1),
        indsats__slutdato=date(2028, 12, 31),
        indsats__status=Indsats.Status.AKTIV,
    )
    return place(plan, lifecycle.AKTIV)


def new_plan_data(shared, medarbejder, start="2027-01-01"):
    return {
        "titel": "Ny plan",
        "afdelinger": [shared.pk],
        "ansvarlig": medarbejder.pk,
        "planlagt_start": start,
        "varighed_aar": 4,
    }


def test_only_live_helhedsplaner_in_an_overlapping_period_count(running, shared):
    assert [o.indsats for o in overlaps([shared], date(2028, 6, 1), date(2032, 5, 31))] == [running.indsats]
    assert overlaps([shared], date(2029, 1, 1), date(2032, 12, 31)) == []
    assert overlaps([AfdelingFactory()], date(2026, 1, 1), date(2026, 12, 31)) == []
    assert overlaps([shared], date(2026, 1, 1), date(2026, 12, 31), exclude=running.indsats) == []
    Indsats.objects.filter(pk=running.indsats.pk).update(status=Indsats.Status.AFSLUTTET)
    assert overlaps([shared], date(2026, 1, 1), date(2026, 12, 31)) == []


def test_creating_an_overlapping_plan_is_refused_by_the_service(running, shared, medarbejder):
    with pytest.raises(OverlapNotConfirmed) as refused:
        actions.create_plan(
            titel="Ny plan", afdelinger=[shared], planlagt_start=date(2027, 1, 1), acting_user=medarbejder
        )
    assert f"{shared} er også med i «Kørende plan» (01.01.2025–31.12.2028)." in refused.value.problems
    assert Helhedsplan.objects.count() == 1


def test_creating_an_overlapping_plan_over_http_asks_for_a_confirmed_reason(
    client_as, running, shared, medarbejder
):
    client = client_as(medarbejder)
    data = new_plan_data(shared, medarbejder)
    refused = client.post(reverse("plan_create"), data)
    assert refused.status_code == 400
    assert "er også med i «Kørende plan»" in refused.text
    assert 'name="bekraeft_overlap"' in refused.text and 'name="overlap_vist"' in refused.text
    assert Helhedsplan.objects.count() == 1

    unticked = client.post(
        reverse("plan_create"), {**data, "overlap_vist": "1", "overlap_begrundelse": REASON}
    )
    assert unticked.status_code == 400 and Helhedsplan.objects.count() == 1
    no_reason = client.post(reverse("plan_create"), {**data, "overlap_vist": "1", "bekraeft_overlap": "on"})
    assert no_reason.status_code == 400 and "Skriv, hvorfor" in no_reason.text
    dot = client.post(
        reverse("plan_create"),
        {**data, "overlap_vist": "1", "bekraeft_overlap": "on", "overlap_begrundelse": "."},
    )
    assert dot.status_code == 400 and "skriv mindst 5 ord" in dot.text
    assert Helhedsplan.objects.count() == 1

    created = client.post(
        reverse("plan_create"),
        {**data, "overlap_vist": "1", "bekraeft_overlap": "on", "overlap_begrundelse": REASON},
    )
    assert created.status_code == 302
    plan = Helhedsplan.objects.exclude(pk=running.pk).get()
    event = plan.haendelser.get(art=Haendelse.Art.OPRETTET)
    assert "Overlap med en anden helhedsplan bekræftet" in event.tekst and REASON in event.tekst


def test_a_plan_after_the_other_ends_needs_no_confirmation(client_as, running, shared, medarbejder):
    response = client_as(medarbejder).post(
        reverse("plan_create"), new_plan_data(shared, medarbejder, "2029-01-01")
    )
    assert response.status_code == 302


def test_adding_the_afdeling_to_a_plan_being_drafted_is_refused(client_as, running, shared, medarbejder):
    other = AfdelingFactory()
    plan = actions.create_plan(
        titel="Udkast", afdelinger=[other], planlagt_start=date(2027, 1, 1), acting_user=medarbejder
    )
    data = {
        "titel": "Udkast",
        "afdelinger": [other.pk, shared.pk],
        "ansvarlig": medarbejder.pk,
        "planlagt_start": "2027-01-01",
        "varighed_aar": 4,
        "version": plan.version,
    }
    url = reverse("plan_text_edit", args=[plan.pk])
    refused = client_as(medarbejder).post(url, data)
    assert refused.status_code == 400 and "er også med i «Kørende plan»" in refused.text
    assert list(plan.indsats.afdelinger.all()) == [other]

    with pytest.raises(OverlapNotConfirmed):
        actions.save_text(
            plan, {"afdelinger": [other, shared]}, version=plan.version, acting_user=medarbejder
        )

    saved = client_as(medarbejder).post(
        url, {**data, "overlap_vist": "1", "bekraeft_overlap": "on", "overlap_begrundelse": REASON}
    )
    assert saved.status_code == 302
    assert set(plan.indsats.afdelinger.all()) == {other, shared}
    assert REASON in plan.haendelser.filter(art=Haendelse.Art.TEKST).latest("id").tekst


def test_moving_the_planned_start_into_the_other_plans_period_is_refused(running, shared, medarbejder):
    plan = actions.create_plan(
        titel="Næste", afdelinger=[shared], planlagt_start=date(2029, 1, 1), acting_user=medarbejder
    )
    with pytest.raises(OverlapNotConfirmed):
        actions.save_text(
            plan, {"planlagt_start": date(2028, 1, 1)}, version=plan.version, acting_user=medarbejder
        )
    plan.refresh_from_db()
    assert plan.planlagt_start == date(2029, 1, 1)


def test_approval_dates_overlapping_another_plan_are_refused(
    client_as, running, shared, medarbejder, sekretariat
):
    plan = HelhedsplanFactory(indsats__afdelinger=[shared])
    place(plan, lifecycle.GODKENDELSE)
    decide(plan, Organ.LBF, Udfald.GODKENDT, sekretariat)
    decide(plan, Organ.KOMMUNE, Udfald.GODKENDT, sekretariat)
    planned_start = plan.indsats.startdato  # the planned period its budget was made for
    with pytest.raises(OverlapNotConfirmed):
        fire(plan, "godkend", {"startdato": date(2027, 7, 1)}, notify=False, acting_user=medarbejder)
    plan.refresh_from_db()
    assert plan.tilstand == lifecycle.GODKENDELSE and plan.indsats.startdato == planned_start

    url = reverse("plan_transition", args=[plan.pk, "godkend"])
    data = {"fase_nr": plan.fase_nr, "startdato": "2027-07-01"}
    refused = client_as(medarbejder).post(url, data, **HTMX)
    assert refused.status_code == 400 and 'name="bekraeft_overlap"' in refused.text
    confirmed = client_as(medarbejder).post(
        url, {**data, "overlap_vist": "1", "bekraeft_overlap": "on", "overlap_begrundelse": REASON}, **HTMX
    )
    assert confirmed.status_code == 204
    plan.refresh_from_db()
    assert plan.tilstand == lifecycle.AKTIV
    assert REASON in plan.haendelser.get(til_tilstand=lifecycle.AKTIV).tekst


def register_data(shared, medarbejder, **changes):
    return {
        "titel": "Helhedsplan i registret",
        "type": Indsatstype.objects.get(kode=Indsatstype.HELHEDSPLAN).pk,
        "startdato": "2026-01-01",
        "slutdato": "2029-12-31",
        "afdelinger": [shared.pk],
        "ansvarlig": medarbejder.pk,
        **changes,
    }


def test_the_register_refuses_an_overlapping_helhedsplan_unless_confirmed(
    client_as, running, shared, medarbejder
):
    client = client_as(medarbejder)
    refused = client.post(reverse("indsats_create"), register_data(shared, medarbejder))
    assert refused.status_code == 400 and "er også med i «Kørende plan»" in refused.text
    assert 'name="bekraeft_overlap"' in refused.text
    assert not Indsats.objects.filter(titel="Helhedsplan i registret").exists()
    created = client.post(
        reverse("indsats_create"),
        register_data(
            shared, medarbejder, overlap_vist="1", bekraeft_overlap="on", overlap_begrundelse=REASON
        ),
    )
    assert created.status_code == 302
    indsats = Indsats.objects.get(titel="Helhedsplan i registret")
    assert REASON in indsats.haendelser.get(overgang="overlap_bekraeftet").kommentar
    page = client.get(reverse("indsats_detail", args=[indsats.pk]))
    assert REASON in page.text


def test_the_register_refuses_moving_a_helhedsplan_into_an_overlap(client_as, running, shared, medarbejder):
    later = Indsats.objects.create(
        titel="Senere plan",
        type=Indsatstype.objects.get(kode=Indsatstype.HELHEDSPLAN),
        startdato=date(2029, 1, 1),
        slutdato=date(2032, 12, 31),
        ansvarlig=medarbejder,
    )
    later.afdelinger.set([shared])
    url = reverse("indsats_edit", args=[later.pk])
    data = register_data(
        shared, medarbejder, titel="Senere plan", startdato="2028-06-01", slutdato="2032-05-31"
    )
    assert client_as(medarbejder).post(url, data).status_code == 400
    later.refresh_from_db()
    assert later.startdato == date(2029, 1, 1)


def test_other_kinds_of_indsats_may_share_afdelinger(client_as, running, shared, medarbejder):
    data = register_data(
        shared, medarbejder, type=Indsatstype.objects.get(kode=Indsatstype.UDVIKLINGSPROJEKT).pk
    )
    assert client_as(medarbejder).post(reverse("indsats_create"), data).status_code == 302


def test_the_confirmation_is_a_reason(running, shared):
    """ "." confirmed an afdeling in two helhedsplaner at once."""
    for placeholder in ("   ", ".", "ok", "Se mail."):
        with pytest.raises(OverlapNotConfirmed) as refused:
            confirmed_overlap([shared], date(2027, 1, 1), date(2030, 12, 31), placeholder)
    assert "skriv mindst 5 ord" in refused.value.problems[-1]
    note = confirmed_overlap([shared], date(2027, 1, 1), date(2030, 12, 31), REASON)
    assert note.endswith(f"Begrundelse: {REASON}")
