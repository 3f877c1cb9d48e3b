"""The screening demo: six rounds that show every classification, seeded in bulk and idempotently."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from screening import assessment, criteria, demo
from screening.models import Boligomraade, Maaling, Screeningsrunde, Vurdering
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def seed():
    afdelinger = demo.seed_afdelinger()
    UserFactory(username="medarbejder", role="medarbejder")  # decides the demo's suggestions
    return afdelinger, demo.seed_screening(afdelinger)


def test_demo_rounds_show_every_classification_and_reseeding_changes_nothing():
    with CaptureQueriesContext(connection) as queries:
        afdelinger, written = seed()
    # Seeding writes its 8,136 figures in bulk: a few hundred queries, not one per figure.
    assert len(queries) <= 650
    counted = sum(
        demo.has_counts(afdeling, index)
        for area in Boligomraade.objects.all()
        for index, afdeling in enumerate(a for a in afdelinger if a.boligomraade == area)
    )
    assert counted == 10 + 5  # every afdeling in Husum, every other in Urbanplanen
    assert written == Maaling.objects.count() == (len(afdelinger) * 14 + counted * 10) * 6
    rounds = list(Screeningsrunde.objects.order_by("aar"))
    assert [r.aar for r in rounds] == list(range(2020, 2026))
    assert rounds[0].regelsaet.kode == "2018" and rounds[-1].regelsaet.kode == "2021"
    assert [r.status for r in rounds] == ["endelig"] * 5 + ["kladde"]

    classes = set()
    by_year = {}
    for runde in rounds:
        data = assessment.load(runde)
        for area in Boligomraade.objects.all():
            result = assessment.area_result(data, area.pk).classification
            classes.add(result.klassifikation)
            by_year[(runde.aar, area.navn)] = result.klassifikation
    assert {
        "ingen",
        "forebyggelsesomraade",
        "udsat",
        "parallelsamfund",
        "omdannelsesomraade",
        "ghettoomraade",
    } <= classes
    # Tingbjerg: parallel every round, so omdannelsesområde once five rounds are in a row.
    assert by_year[(2023, "Tingbjerg/Utterslevhuse")] == "parallelsamfund"
    assert by_year[(2024, "Tingbjerg/Utterslevhuse")] == "omdannelsesomraade"
    assert by_year[(2020, "Sydhavnen")] == "udsat" and by_year[(2025, "Sydhavnen")] == "ingen"
    # Husum is computed exactly from its afdelinger's counts; Urbanplanen, where half have them, is not.
    methods = {
        area.navn: criteria.area_method(assessment.area_result(data, area.pk).values)
        for area in Boligomraade.objects.all()
    }
    assert methods["Husum"] == "eksakt"
    assert methods["Urbanplanen"] == methods["Tingbjerg/Utterslevhuse"] == "tilnaermet"
    assert by_year[(2025, "Husum")] == "udsat" and by_year[(2025, "Urbanplanen")] == "forebyggelsesomraade"

    before = list(Maaling.objects.order_by("pk").values_list("pk", "vaerdi"))
    assert seed()[1] == 0
    assert list(Maaling.objects.order_by("pk").values_list("pk", "vaerdi")) == before
    assert Screeningsrunde.objects.count() == 6 and Vurdering.objects.count() == 2
