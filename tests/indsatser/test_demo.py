"""The demo data: every type, one closed indsats with a complete checklist, contact persons for all
afdelinger but two; running it again changes nothing."""

import pytest

from indsatser import demo
from indsatser.afslutning import afslutning_mangler
from indsatser.models import Indsats, Kontaktperson
from screening import demo as screening_demo

pytestmark = pytest.mark.django_db


def test_demo_is_complete_idempotent_and_fast(django_assert_max_num_queries):
    afdelinger = screening_demo.seed_afdelinger()
    screening_demo.seed_users(afdelinger)
    # A query budget rather than a stopwatch: it keeps seed_demo quick without depending on machine load.
    with django_assert_max_num_queries(550):
        demo.seed_indsatser()
    counts = (Indsats.objects.count(), Kontaktperson.objects.count())
    with django_assert_max_num_queries(25):
        demo.seed_indsatser()
    assert (Indsats.objects.count(), Kontaktperson.objects.count()) == counts

    assert set(Indsats.objects.values_list("type__kode", flat=True)) == {
        "helhedsplan",
        "udviklingsprojekt",
        "ejendomsfunktionaer",
        "kontaktpersonordning",
    }
    closed = Indsats.objects.get(status="afsluttet")
    assert afslutning_mangler(closed) == [] and closed.afsluttet_af is not None
    missing = [a for a in afdelinger if not Kontaktperson.objects.current().filter(afdeling=a).exists()]
    assert len(missing) == 2
    board_member_afdelinger = [a for a in afdelinger if a.bestyrelsesmedlemmer.exists()]
    assert Indsats.objects.filter(afdelinger__in=board_member_afdelinger).exists()
