"""The simple lifecycle: its transitions, who may fire them, the guards, and the event row each writes."""

import pytest

from indsatser import lifecycle
from indsatser.models import Indsats, IndsatsHaendelse, Indsatstype
from indsatser.transitions import Forbidden, Refused
from tests.factories import AfdelingFactory, IndsatsFactory
from tests.indsatser.factories import (
    AktivitetFactory,
    active_indsats,
    anchor,
    complete_checklist,
    indsatstype,
)

pytestmark = pytest.mark.django_db


def test_the_whole_way_from_forslag_to_afsluttet(medarbejder):
    indsats = IndsatsFactory(afdelinger=[AfdelingFactory()])
    lifecycle.fire(indsats, "behandl", acting_user=medarbejder)
    Indsats.objects.filter(pk=indsats.pk).update(startdato="2025-01-01")
    lifecycle.fire(indsats, "start", "Afdelingsmødet sagde ja.", acting_user=medarbejder)
    complete_checklist(indsats)
    anchor(AktivitetFactory(indsats=indsats))
    closed = lifecycle.fire(indsats, "afslut", acting_user=medarbejder)
    assert closed.status == Indsats.Status.AFSLUTTET
    assert closed.afsluttet_af == medarbejder and closed.afsluttet_tidspunkt is not None
    steps = list(
        IndsatsHaendelse.objects.filter(indsats=indsats)
        .order_by("id")
        .values_list("fra_status", "til_status")
    )
    assert steps == [("forslag", "behandlet"), ("behandlet", "aktiv"), ("aktiv", "afsluttet")]
    assert IndsatsHaendelse.objects.get(til_status="aktiv").kommentar == "Afdelingsmødet sagde ja."
    assert IndsatsHaendelse.objects.get(til_status="afsluttet").bruger == medarbejder


def test_every_transition_is_declared_once_with_sources_and_target():
    names = [t.name for t in lifecycle.TRANSITIONS]
    assert len(names) == len(set(names))
    reachable = {t.target for t in lifecycle.TRANSITIONS}
    assert reachable == {"behandlet", "aktiv", "afsluttet", "opgivet"}
    assert all(t.sources for t in lifecycle.TRANSITIONS)


def test_guard_refuses_and_changes_nothing(medarbejder):
    indsats = IndsatsFactory()  # no afdelinger
    with pytest.raises(Refused) as refused:
        lifecycle.fire(indsats, "behandl", acting_user=medarbejder)
    assert refused.value.problems == ["Indsatsen har ingen afdelinger."]
    indsats.refresh_from_db()
    assert indsats.status == Indsats.Status.FORSLAG
    assert not IndsatsHaendelse.objects.exists()


def test_transition_from_wrong_state_is_refused(medarbejder):
    indsats = active_indsats()
    with pytest.raises(Refused):
        lifecycle.fire(indsats, "behandl", acting_user=medarbejder)


def test_opgiv_needs_a_reason(medarbejder):
    indsats = active_indsats()
    with pytest.raises(Refused) as refused:
        lifecycle.fire(indsats, "opgiv", "   ", acting_user=medarbejder)
    assert refused.value.problems == ["Skriv en begrundelse."]
    lifecycle.fire(indsats, "opgiv", "Fonden sagde nej.", acting_user=medarbejder)
    indsats.refresh_from_db()
    assert indsats.status == Indsats.Status.OPGIVET


@pytest.mark.parametrize("role", ["sekretariat", "bestyrelse"])
def test_only_staff_may_fire(request, role):
    user = request.getfixturevalue(role)
    indsats = active_indsats()
    with pytest.raises(Forbidden):
        lifecycle.fire(indsats, "opgiv", "Nej tak.", acting_user=user)
    assert lifecycle.available(indsats, user) == []


def test_helhedsplan_is_not_offered_the_simple_lifecycle(medarbejder):
    indsats = active_indsats(type=indsatstype(Indsatstype.HELHEDSPLAN))
    assert lifecycle.available(indsats, medarbejder) == []
    with pytest.raises(Refused) as refused:
        lifecycle.fire(indsats, "opgiv", "Test", acting_user=medarbejder)
    assert "helhedsplan" in refused.value.problems[0]


def test_cannot_close_with_a_missing_forankring(medarbejder):
    indsats = active_indsats()
    anchored = AktivitetFactory(indsats=indsats)
    anchor(anchored)
    AktivitetFactory(indsats=indsats, betegnelse="Lektiecafé i kælderen")
    complete_checklist(indsats)
    with pytest.raises(Refused) as refused:
        lifecycle.fire(indsats, "afslut", acting_user=medarbejder)
    assert refused.value.problems == ["Aktiviteten »Lektiecafé i kælderen« mangler en forankringsbeslutning."]
    indsats.refresh_from_db()
    assert indsats.status == Indsats.Status.AKTIV and indsats.afsluttet_af is None


def test_available_shows_what_blocks_each_transition(medarbejder):
    indsats = active_indsats()
    anchor(AktivitetFactory(indsats=indsats))
    offered = {t.name: blocked for t, blocked in lifecycle.available(indsats, medarbejder)}
    assert set(offered) == {"afslut", "opgiv"}
    assert len(offered["afslut"]) == 5 and offered["opgiv"] == []
