"""The closing guard: five criteria assessed with a justification, and every activity's forankring."""

from datetime import date

import pytest

from indsatser.afslutning import afslutning_mangler, mangler
from indsatser.models import Afslutningsvurdering, Aktivitet, Aktivitetstype
from tests.indsatser.factories import AktivitetFactory, active_indsats, anchor, complete_checklist

pytestmark = pytest.mark.django_db


def test_complete_checklist_and_forankring_can_close():
    indsats = active_indsats()
    anchor(AktivitetFactory(indsats=indsats))
    complete_checklist(indsats)
    assert afslutning_mangler(indsats) == []


def test_no_assessment_lists_all_five_criteria():
    indsats = active_indsats()
    anchor(AktivitetFactory(indsats=indsats))
    reasons = afslutning_mangler(indsats)
    assert len(reasons) == 5
    assert all(reason.endswith("er ikke vurderet.") for reason in reasons)


def test_an_indsats_without_activities_cannot_close():
    indsats = active_indsats()
    complete_checklist(indsats)
    assert afslutning_mangler(indsats) == [
        "Indsatsen har ingen aktiviteter: en afslutning viser, hvordan hver aktivitet er forankret."
    ]


@pytest.mark.parametrize("begrundelse", [".", "ok", "Ja, 100 %.", "Se bilag 3 og 4."])
def test_a_placeholder_is_no_justification(begrundelse):
    indsats = active_indsats()
    anchor(AktivitetFactory(indsats=indsats))
    complete_checklist(indsats)
    Afslutningsvurdering.objects.filter(indsats=indsats, kriterium="maal").update(begrundelse=begrundelse)
    assert afslutning_mangler(indsats) == [
        "Begrundelsen for kriteriet »Målene er nået, og en stabil positiv udvikling er sat i gang« er for "
        "kort: skriv mindst 5 ord."
    ]


def test_closing_needs_at_least_one_criterion_met():
    indsats = active_indsats()
    anchor(AktivitetFactory(indsats=indsats))
    complete_checklist(indsats)
    Afslutningsvurdering.objects.filter(indsats=indsats).update(opfyldt=False)
    assert afslutning_mangler(indsats) == [
        "Ingen af de fem kriterier er opfyldt, så der er ingen grund til at afslutte efter fsb's "
        "kriterier. Fortsæt indsatsen, eller vurdér kriterierne igen."
    ]
    Afslutningsvurdering.objects.filter(indsats=indsats, kriterium="finansiering").update(opfyldt=True)
    assert afslutning_mangler(indsats) == []


def test_a_criterion_not_met_is_fine_but_a_missing_justification_is_not():
    indsats = active_indsats()
    anchor(AktivitetFactory(indsats=indsats))
    complete_checklist(indsats)
    Afslutningsvurdering.objects.filter(indsats=indsats, kriterium="opbakning").update(opfyldt=False)
    assert afslutning_mangler(indsats) == []
    Afslutningsvurdering.objects.filter(indsats=indsats, kriterium="maal").update(begrundelse="  ")
    assert afslutning_mangler(indsats) == [
        "Kriteriet »Målene er nået, og en stabil positiv udvikling er sat i gang« mangler en begrundelse."
    ]


@pytest.mark.parametrize(
    ("forankring", "hvem", "fra", "expected"),
    [
        ("", "", None, "mangler en forankringsbeslutning"),
        ("kommune", "", date(2026, 1, 1), "mangler, hvem der overtager den"),
        ("ngo", "Red Kors", None, "mangler en dato for forankringen"),
        ("ophoerer", "", date(2026, 1, 1), ""),
        ("fsb_drift", "fsb Ejendomsdrift", date(2026, 1, 1), ""),
    ],
)
def test_forankring_decision_needs_who_and_when(forankring, hvem, fra, expected):
    aktivitet = Aktivitet(
        aktivitetstype=Aktivitetstype(navn="Lektiecafé"),
        forankring=forankring,
        forankring_hvem=hvem,
        forankring_fra=fra,
    )
    assert aktivitet.forankring_mangler == expected


def test_pure_core_works_on_plain_objects():
    vurderinger = [
        Afslutningsvurdering(
            kriterium=k.value, opfyldt=True, begrundelse="Ja, det vurderer styregruppen samlet."
        )
        for k in Afslutningsvurdering.Kriterium
    ]
    aktivitet = Aktivitet(aktivitetstype=Aktivitetstype(navn="Fritidsjob"))
    assert mangler(vurderinger, [aktivitet]) == ["Aktiviteten »Fritidsjob« mangler en forankringsbeslutning."]
    anchored = Aktivitet(
        aktivitetstype=Aktivitetstype(navn="Fritidsjob"),
        forankring="ophoerer",
        forankring_fra=date(2026, 1, 1),
    )
    assert mangler(vurderinger, [anchored]) == []


def test_guard_uses_prefetched_data_without_queries(django_assert_num_queries):
    from indsatser.queries import detail_queryset
    from tests.factories import UserFactory

    indsats = active_indsats()
    AktivitetFactory.create_batch(3, indsats=indsats)
    loaded = detail_queryset(UserFactory(role="medarbejder")).get(pk=indsats.pk)
    with django_assert_num_queries(0):
        assert len(afslutning_mangler(loaded)) == 8
