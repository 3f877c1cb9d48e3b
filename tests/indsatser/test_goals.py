"""Goal follow-up maths and the benchmarking page."""

from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from indsatser.goals import share_of_target, target_met
from indsatser.models import Indikator
from tests.indsatser.factories import active_indsats, goal_with_values

values = st.decimals(min_value=-1000, max_value=1000, places=2, allow_nan=False, allow_infinity=False)


def test_share_of_target_both_directions():
    assert share_of_target(Decimal("20"), Decimal("10"), Decimal("15")) == Decimal("50")  # fewer is better
    assert share_of_target(Decimal("5.9"), Decimal("7"), Decimal("7.2")) == Decimal(
        "118"
    )  # beyond the target
    assert share_of_target(Decimal("5"), Decimal("5"), Decimal("6")) is None  # no change was planned
    assert share_of_target(None, Decimal("5"), Decimal("6")) is None


@given(baseline=values, target=values)
def test_share_is_0_at_baseline_and_100_at_target(baseline, target):
    if baseline == target:
        return
    assert share_of_target(baseline, target, baseline) == 0
    assert share_of_target(baseline, target, target) == 100


@given(target=values, measured=values)
def test_target_met_respects_the_direction(target, measured):
    assert target_met(True, target, measured) == (measured >= target)
    assert target_met(False, target, measured) == (measured <= target)


@pytest.mark.django_db
def test_benchmarking_compares_active_indsatser_on_one_indicator(
    client_as, medarbejder, bestyrelse, own_afdeling
):
    ledighed = Indikator.objects.get(bymaal__nummer=1)
    own = active_indsats(titel="Tingbjerg", afdelinger=[own_afdeling])
    goal_with_values(own, {2024: ("18", "17")}, indikator=ledighed, baseline=Decimal("20"))
    other = active_indsats(titel="Bispebjerg")
    goal_with_values(other, {2024: ("15", "19")}, indikator=ledighed, baseline=Decimal("20"))
    closed = active_indsats(titel="Lukket", status="afsluttet")
    goal_with_values(closed, {2024: ("15", "10")}, indikator=ledighed)

    page = client_as(medarbejder).get(reverse("benchmarking"), {"indikator": ledighed.pk, "aar": 2024})
    assert page.status_code == 200
    assert page.text.index("Tingbjerg") < page.text.index("Bispebjerg")  # 150 % of the way before 20 %
    assert "150 %" in page.text and "20 %" in page.text
    assert "Lukket" not in page.text
    assert "data-indsatser-chart=" in page.text

    board_page = client_as(bestyrelse).get(reverse("benchmarking"))
    assert "Tingbjerg" in board_page.text and "Bispebjerg" not in board_page.text


@pytest.mark.django_db
def test_benchmarking_without_data_and_with_bad_parameters(client_as, medarbejder):
    client = client_as(medarbejder)
    assert "Ingen aktive indsatser" in client.get(reverse("benchmarking")).text
    assert client.get(reverse("benchmarking"), {"indikator": "x", "aar": "y"}).status_code == 200
