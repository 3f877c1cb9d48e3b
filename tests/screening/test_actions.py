"""The screening actions record who acted in the history, and change nothing when they fail part-way."""

from decimal import Decimal

import pytest

from screening import actions
from screening.forms import AfdelingForm
from screening.models import Afdeling, Screeningsrunde
from tests.factories import AfdelingFactory

pytestmark = pytest.mark.django_db


def test_saving_an_afdeling_records_who_did_it(medarbejder):
    afdeling = AfdelingFactory(navn="Før")
    data = {
        **{f: getattr(afdeling, f) for f in ("nummer", "adresse", "postnr", "bydel", "lejemaal", "beboere")},
        "organisation": afdeling.organisation_id,
        "boligomraade": afdeling.boligomraade_id or "",
        "areal_m2": afdeling.areal_m2,
        "navn": "Efter",
    }
    form = AfdelingForm(data, instance=afdeling)
    assert form.is_valid(), form.errors
    actions.save_afdeling(form, acting_user=medarbejder)
    latest = afdeling.history.latest()
    assert latest.navn == "Efter" and latest.history_user == medarbejder


def test_finalising_a_round_is_recorded_once(medarbejder):
    runde = Screeningsrunde.objects.create(aar=2031, landsgennemsnit_domfaeldte_pct=Decimal("1.0"))
    assert actions.finalize_round(runde, acting_user=medarbejder) is True
    assert actions.finalize_round(runde, acting_user=medarbejder) is False
    runde.refresh_from_db()
    assert runde.is_final and runde.afsluttet_af == medarbejder
    assert runde.history.latest().history_user == medarbejder
    assert runde.history.count() == 2  # created, finalised; the second call changed nothing


def test_a_save_that_fails_part_way_leaves_nothing(monkeypatch, medarbejder):
    afdeling = AfdelingFactory(navn="Før")
    history = afdeling.history.count()
    form = AfdelingForm(instance=afdeling)
    form.cleaned_data = {}
    monkeypatch.setattr(form, "save_m2m", lambda: 1 / 0, raising=False)
    afdeling.navn = "Efter"
    monkeypatch.setattr(form, "save", lambda commit=True: afdeling)
    with pytest.raises(ZeroDivisionError):
        actions.save_afdeling(form, acting_user=medarbejder)
    assert Afdeling.objects.get(pk=afdeling.pk).navn == "Før"
    assert afdeling.history.count() == history
