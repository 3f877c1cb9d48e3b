"""fsb's risk model and the rule sets are edited in admin; bad values are refused with Danish messages."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from screening.models import Indikator, Regelsaet, Risikomodel, Risikotaerskel

pytestmark = pytest.mark.django_db

MODELS = [
    "indikator",
    "regelsaet",
    "risikomodel",
    "screeningsrunde",
    "maaling",
    "vurdering",
    "screeningsimport",
]


@pytest.mark.parametrize("model", MODELS)
def test_admin_lists_open(admin_client, model):
    assert admin_client.get(reverse(f"admin:screening_{model}_changelist")).status_code == 200


def test_seeded_risk_model_opens_with_its_thresholds(admin_client):
    model = Risikomodel.objects.get()
    response = admin_client.get(reverse("admin:screening_risikomodel_change", args=[model.pk]))
    assert response.status_code == 200 and "Gem som ny" in response.text
    assert model.taerskler.count() == 11


def test_limits_must_rise():
    model = Risikomodel(
        navn="x",
        gyldig_fra_aar=2030,
        graense_ejendomsfunktionaer=50,
        graense_udviklingsprojekt=40,
        graense_helhedsplan=60,
    )
    with pytest.raises(ValidationError, match="Grænserne skal stige"):
        model.full_clean()


@pytest.mark.parametrize(
    "kode,gul,roed,ok",
    [
        ("fraflytning_pct", 12, 16, True),
        ("fraflytning_pct", 16, 12, False),
        ("indkomst_pct_region", 65, 55, True),
        ("indkomst_pct_region", 55, 65, False),
    ],
)
def test_red_lies_beyond_yellow_in_the_bad_direction(kode, gul, roed, ok):
    threshold = Risikotaerskel(
        model=Risikomodel.objects.get(),
        indikator=Indikator.objects.get(kode=kode),
        gul=Decimal(gul),
        roed=Decimal(roed),
        vaegt=1,
    )
    if ok:
        threshold.clean()
    else:
        with pytest.raises(ValidationError):
            threshold.clean()


def test_rule_set_needs_all_or_no_forebyggelse_limits_and_known_classes():
    rules = Regelsaet.objects.get(kode="2021")
    rules.forebyggelse_indkomst_pct = None
    with pytest.raises(ValidationError, match="alle forebyggelsesgrænser"):
        rules.clean()
    rules = Regelsaet.objects.get(kode="2018")
    rules.klasse_vedvarende = "noget_nyt"
    with pytest.raises(ValidationError, match="kendes ikke"):
        rules.clean()


def test_rule_sets_by_year():
    assert Regelsaet.objects.in_force(2017) is None
    assert Regelsaet.objects.in_force(2018).kode == "2018"
    assert Regelsaet.objects.in_force(2020).kode == "2018"
    assert Regelsaet.objects.in_force(2021).kode == "2021"
    assert Regelsaet.objects.in_force(2035).kode == "2021"
