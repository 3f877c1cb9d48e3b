"""A plan's overview keeps its afdelingers' screening figures under the time their round's results were
computed: a figure saved, or a round computed anew by an import in another process, shows on the next view."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from screening import results
from screening.models import Indikator, Maaling, Screeningsrunde
from tests.factories import AfdelingFactory

pytestmark = pytest.mark.django_db

READS_FIGURES = '"screening_maaling"."vaerdi"'


@pytest.fixture
def computed(own_afdeling):
    """A final round with two figures of the plan's afdeling, its results computed."""
    runde = Screeningsrunde.objects.create(aar=2025, status="endelig")
    youth = Maaling.objects.create(
        runde=runde,
        indikator=Indikator.objects.get(kode="uden_job_uddannelse_pct"),
        afdeling=own_afdeling,
        vaerdi=Decimal("41.5"),
    )
    Maaling.objects.create(
        runde=runde,
        indikator=Indikator.objects.get(kode="udsaettelser_antal"),
        afdeling=own_afdeling,
        vaerdi=Decimal(3),
    )
    results.refresh(runde)
    runde.refresh_from_db()
    assert runde.resultater_beregnet is not None
    return runde, youth


def _figures(client, plan) -> str:
    page = client.get(reverse("plan_detail", args=[plan.pk])).text
    start = page.index("helhedsplan-figures")
    return page[start : page.index("</table>", start)]


def test_the_figures_are_kept_and_a_saved_figure_shows_at_once(client_as, medarbejder, plan, computed):
    runde, youth = computed
    client = client_as(medarbejder)
    assert "41,5 %" in _figures(client, plan)
    with CaptureQueriesContext(connection) as queries:
        assert "41,5 %" in _figures(client, plan)
    assert not [query for query in queries if READS_FIGURES in query["sql"]]
    youth.vaerdi = Decimal("38")
    youth.save()  # marks the round's results stale
    assert "38,0 %" in _figures(client, plan)
    results.refresh(runde)
    assert "38,0 %" in _figures(client, plan)


def test_a_round_computed_anew_elsewhere_shows_its_figures(client_as, medarbejder, plan, computed):
    """An import in another process writes the figures in bulk and computes the round: the new time it was
    computed is read with the round, whatever this process kept."""
    runde, youth = computed
    client = client_as(medarbejder)
    assert "41,5 %" in _figures(client, plan)
    Maaling.objects.filter(pk=youth.pk).update(vaerdi=Decimal("12"))
    Screeningsrunde.objects.filter(pk=runde.pk).update(
        resultater_beregnet=runde.resultater_beregnet + timedelta(seconds=1)
    )
    assert "12,0 %" in _figures(client, plan)


def test_small_counts_stay_hidden_from_the_board_when_kept(
    client_as, medarbejder, bestyrelse, plan, computed
):
    for _ in range(2):
        assert ">3<" in _figures(client_as(medarbejder), plan)
        board_figures = _figures(client_as(bestyrelse), plan)
        assert "&lt;\u00a05" in board_figures and ">3<" not in board_figures


def test_an_afdeling_joining_the_plan_gets_its_column(client_as, medarbejder, plan, computed):
    runde, _ = computed
    joining = AfdelingFactory(navn="Tredje Afdeling")
    Maaling.objects.create(
        runde=runde,
        indikator=Indikator.objects.get(kode="uden_job_uddannelse_pct"),
        afdeling=joining,
        vaerdi=Decimal("7"),
    )
    Screeningsrunde.objects.filter(pk=runde.pk).update(resultater_beregnet=timezone.now())
    client = client_as(medarbejder)
    assert "7,0 %" not in _figures(client, plan)
    plan.indsats.afdelinger.add(joining)
    assert "7,0 %" in _figures(client, plan)


def test_a_figure_moved_to_another_round_leaves_the_kept_table(client_as, medarbejder, plan, computed):
    """The round a figure leaves changes too: its results are marked stale, and its table drawn anew."""
    runde, youth = computed
    client = client_as(medarbejder)
    assert "41,5 %" in _figures(client, plan)
    youth.runde = Screeningsrunde.objects.create(aar=2026, status="kladde")
    youth.save()
    runde.refresh_from_db()
    assert runde.resultater_beregnet is None
    figures = _figures(client, plan)
    assert "screeningen 2025" in figures and "41,5 %" not in figures
