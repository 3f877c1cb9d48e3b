"""The benchmark's scale data (tests/bench/scale_data.py), at small scale: a consistent register and
screening, and helhedsplaner in every state that got there through the lifecycle."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db.models import Count
from django.utils import timezone

from finansiering.models import Budgetversion
from helhedsplaner import lifecycle
from helhedsplaner.aarscyklus import funding_period
from helhedsplaner.models import (
    Afdelingsmoede,
    Beslutning,
    Haendelse,
    Helhedsplan,
    Rapporteringsforpligtelse,
)
from indsatser.models import Indsats, Indsatstype
from screening.models import Afdeling, Afdelingsresultat, Bestyrelsesmedlem, Maaling, Screeningsrunde
from tests.bench import scale_data

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker):
    """Built once for the module, in a transaction rolled back afterwards: the plans take a while."""
    lines = []
    with django_db_blocker.unblock():
        from django.db import transaction

        with transaction.atomic():
            scale_data.build("small", report=lines.append)
            yield lines
            transaction.set_rollback(True)


def test_register_and_screening(built):
    assert Afdeling.objects.filter(navn__startswith="Skala ").count() == 120
    assert User.objects.filter(username__startswith="skala-").count() == 40
    assert Bestyrelsesmedlem.objects.filter(user__username__startswith="skala-bestyrelse-").exists()
    assert Screeningsrunde.objects.filter(aar__in=[2023, 2024, 2025]).count() == 3
    assert Maaling.objects.filter(kilde="Skaladata").count() == 120 * 3 * 14
    # The stored results of every round come with them, one per afdeling.
    assert not Screeningsrunde.objects.filter(resultater_beregnet=None).exists()
    assert Afdelingsresultat.objects.filter(runde__aar=2025).count() == Afdeling.objects.count()
    shares = Maaling.objects.filter(kilde="Skaladata", indikator__enhed="pct")
    assert not shares.filter(vaerdi__lt=0).exists() and not shares.filter(vaerdi__gt=100).exists()
    assert "Scale data (small) built" in built[-1]


def test_a_second_build_is_refused(built):
    with pytest.raises(scale_data.ScaleDataExists):
        scale_data.build("small", report=lambda line: None)


@pytest.fixture
def plans(built):
    return list(Helhedsplan.objects.filter(indsats__titel__startswith="Skala ").select_related("indsats"))


def test_every_state_of_the_lifecycle_is_there(plans):
    assert len(plans) == scale_data.SCALES["small"]["helhedsplaner"] + scale_data.SCALES["small"]["aktive"]
    assert {plan.tilstand for plan in plans} == {state.code for state in lifecycle.STATES}
    for plan in plans:
        assert plan.indsats.type.kode == Indsatstype.HELHEDSPLAN
        assert plan.indsats.status == plan.state.indsats_status
        # Every step is a transition fire() recorded.
        assert plan.haendelser.filter(art=Haendelse.Art.OVERGANG).count() == plan.fase_nr
    afdelinger = Indsats.objects.filter(titel__startswith="Skala ").annotate(n=Count("afdelinger"))
    assert all(1 <= indsats.n <= 8 for indsats in afdelinger)


def test_budgets_follow_the_state(plans):
    started = {lifecycle.AKTIV, lifecycle.AFSLUTNING, lifecycle.AFSLUTTET}
    for plan in plans:
        versions = list(Budgetversion.objects.filter(indsats=plan.indsats).order_by("nummer"))
        approved = [v for v in versions if v.status == Budgetversion.Status.GODKENDT]
        if plan.tilstand in (lifecycle.PRAEKVALIFIKATION_BEHANDLES, lifecycle.GODKENDELSE):
            assert versions[-1].status == Budgetversion.Status.INDSENDT
        assert len(approved) == (1 if plan.tilstand in started else 0), plan.tilstand
        if plan.tilstand in started:
            assert plan.indsats.aktiviteter.exists()


def test_what_has_happened_is_dated_in_the_past(plans):
    today = timezone.localdate()
    assert not Haendelse.objects.filter(plan__in=plans, tid__date__gt=today).exists()
    assert not Beslutning.objects.filter(plan__in=plans, dato__gt=today).exists()
    held = Afdelingsmoede.objects.filter(plan__in=plans, stemmer_for__isnull=False)
    assert held.exists() and not held.filter(dato__gt=today).exists()
    for plan in plans:
        assert plan.tilstand_siden.date() <= today
        assert plan.haendelser.order_by("tid", "id").first().art == Haendelse.Art.OPRETTET


def test_active_plans_have_their_years(plans):
    """Each active plan owes the reports its approval created (the older ones sent), has last year's goal
    figures and milestones where last year is in its period, and the funders' instalments, those long due
    received."""
    today = timezone.localdate()
    active = [plan for plan in plans if plan.tilstand == lifecycle.AKTIV]
    assert len(active) >= 1 + scale_data.SCALES["small"]["aktive"]
    for plan in active:
        obligations = plan.forpligtelser.all()
        assert obligations.exists()
        periode = plan.indsats.periode or funding_period(plan.indsats)
        assert {o.type_id for o in obligations} == set(
            periode.rapporteringstyper.values_list("pk", flat=True)
        )
        long_due = obligations.filter(frist__lt=today - timedelta(days=60))
        assert long_due.count() == long_due.filter(status=Rapporteringsforpligtelse.Status.SENDT).count()
        instalments = plan.indsats.forventede_udbetalinger.all()
        assert {i.part for i in instalments} == {"lbf", "kommune"}
        received = plan.indsats.modtagne_udbetalinger.count()
        assert received == instalments.filter(dato__lte=today - timedelta(days=30)).count()
        if plan.indsats.startdato.year < today.year:
            assert plan.milepaele.exists()
