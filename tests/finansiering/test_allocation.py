"""The allocation maths: property tests (10,000 cases each) and worked examples. No database."""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from finansiering.allocation import (
    AllocationError,
    check_percentages,
    local_cofinancing_pct,
    local_cofinancing_warning,
    per_unit,
    split_by_percentages,
    split_by_weights,
    split_years_by_percentages,
    split_years_by_weights,
)

D = Decimal

# Simple, flat strategies keep 10,000 cases quick: hypothesis spends most of its time building examples.
totals_in_ore = st.integers(min_value=0, max_value=100_000_000_000)  # 0 to one milliard kroner
numbers = st.lists(st.integers(min_value=0, max_value=1_000_000), min_size=1, max_size=8)


def amount(ore: int) -> Decimal:
    return D(ore) / 100


def percentages_from(numbers: list[int]) -> dict[str, Decimal]:
    """Percentages (up to three decimals) summing to exactly 100: the numbers cut 0..100,000 into parts."""
    cuts = sorted(n % 100_001 for n in numbers[1:])
    bounds = [0, *cuts, 100_000]
    return {f"part-{i}": D(b - a) / 1000 for i, (a, b) in enumerate(zip(bounds, bounds[1:], strict=False))}


def assert_fair_split(total, weights, parts):
    assert list(parts) == list(weights)  # same keys, same order
    assert sum(parts.values(), D(0)) == total  # exactly the whole
    weight_sum = sum(weights.values())
    for key, part in parts.items():
        assert part >= 0
        assert part == part.quantize(D("0.01"))  # whole øre
        # Within one øre of the exact proportion total * w / W, i.e. |part * W - total * w| < 0.01 * W.
        assert abs(part * weight_sum - total * weights[key]) < weight_sum / 100


@settings(max_examples=10_000, deadline=None, database=None)
@given(total_ore=totals_in_ore, numbers=numbers)
def test_splits_are_exact_fair_and_deterministic(total_ore, numbers):
    total = amount(total_ore)
    if any(numbers):
        # Whole weights (lejemål) and two-decimal weights (m², agreed amounts in kroner).
        lejemaal = {f"afd-{i}": n for i, n in enumerate(numbers)}
        m2 = {f"afd-{i}": D(n) / 100 for i, n in enumerate(numbers)}
        for weights in (lejemaal, m2):
            parts = split_by_weights(total, weights)
            assert_fair_split(total, weights, parts)
            assert split_by_weights(total, dict(weights)) == parts  # same input, same output
    percentages = percentages_from(numbers)
    parts = split_by_percentages(total, percentages)
    assert_fair_split(total, percentages, parts)
    assert split_by_percentages(total, dict(percentages)) == parts


@settings(max_examples=300, deadline=None, database=None)
@given(years=st.lists(totals_in_ore, min_size=1, max_size=6), numbers=numbers)
def test_yearly_split_adds_up_per_year_and_overall(years, numbers):
    percentages = percentages_from(numbers)
    per_year = {2025 + i: amount(ore) for i, ore in enumerate(years)}
    parts = split_years_by_percentages(per_year, percentages)
    for year, year_total in per_year.items():
        assert sum(parts[key][year] for key in parts) == year_total
    assert sum(sum(p.values(), D(0)) for p in parts.values()) == sum(per_year.values())


def test_helhedsplan_default_key_on_bispebjerg_frame():
    key = {"LBF": D(75), "Kommune": D("12.5"), "Afdelinger": D("12.5")}
    parts = split_by_percentages(D("28100000.00"), key)
    assert parts == {"LBF": D("21075000.00"), "Kommune": D("3512500.00"), "Afdelinger": D("3512500.00")}


def test_leftover_ore_go_to_largest_remainders_and_ties_to_the_first_listed():
    assert split_by_weights(D("100.00"), {"a": 1, "b": 1, "c": 1}) == {
        "a": D("33.34"),
        "b": D("33.33"),
        "c": D("33.33"),
    }
    # The same weights listed in another order: the first listed still wins the tie.
    assert split_by_weights(D("100.00"), {"c": 1, "a": 1, "b": 1})["c"] == D("33.34")
    # 0.05 by 75/12.5/12.5: exact 0.0375/0.00625/0.00625; LBF's remainder (0.75 øre) is largest.
    assert split_by_percentages(D("0.05"), {"lbf": D(75), "kk": D("12.5"), "bo": D("12.5")}) == {
        "lbf": D("0.04"),
        "kk": D("0.01"),
        "bo": D("0.00"),
    }


def test_kommune_share_into_sub_uses():
    kommune = D("3512500.00")
    parts = split_by_weights(kommune, {"personale": D("10.6"), "facilitering": D("1.9")})
    assert parts == {"personale": D("2978600.00"), "facilitering": D("533900.00")}


def test_local_share_across_afdelinger_by_lejemaal():
    # Exact shares 452,234.375 / 252,460.9375 / 173,429.6875: the two øre left after rounding down go to
    # the two largest remainders (0.75 øre each), not to the largest afdeling (0.5 øre).
    parts = split_by_weights(D("878125.00"), {"01-10": 412, "01-13": 230, "02-10": 158})
    assert parts == {"01-10": D("452234.37"), "01-13": D("252460.94"), "02-10": D("173429.69")}


def test_yearly_weights_split():
    parts = split_years_by_weights({2025: D("10.00"), 2026: D("20.01")}, {"a": 1, "b": 2})
    assert parts == {"a": {2025: D("3.33"), 2026: D("6.67")}, "b": {2025: D("6.67"), 2026: D("13.34")}}


def test_zero_total_gives_zeros():
    assert split_by_weights(D("0"), {"a": 3, "b": 0}) == {"a": D("0.00"), "b": D("0.00")}


@pytest.mark.parametrize(
    "total,weights,message",
    [
        (D("-1.00"), {"a": 1}, "negativt"),
        (D("1.005"), {"a": 1}, "to decimaler"),
        (D("NaN"), {"a": 1}, "ikke et beløb"),
        ("100", {"a": 1}, "ikke et beløb"),
        (D("1"), {}, "ingen at fordele"),
        (D("1"), {"a": 0, "b": 0}, "nul for alle"),
        (D("1"), {"a": -1, "b": 2}, "negativt"),
        (D("1"), {"a": 1.5}, "ikke et tal"),
    ],
)
def test_bad_input_is_refused_in_danish(total, weights, message):
    with pytest.raises(AllocationError, match=message):
        split_by_weights(total, weights)


@pytest.mark.parametrize(
    "percentages,message",
    [
        ({"a": D(75), "b": D("12.5"), "c": D("12.4")}, "præcis 100, men giver 99,9"),
        ({"a": D(101), "b": D(-1)}, "negativ"),
        ({}, "ingen parter"),
        ({"a": D(100), "b": D(0.0001)}, "præcis 100"),
    ],
)
def test_percentages_must_sum_to_exactly_100(percentages, message):
    with pytest.raises(AllocationError, match=message):
        check_percentages(percentages)


def test_local_cofinancing_warning_under_25_percent():
    default = {"lbf": D(75), "kk": D("12.5"), "bo": D("12.5")}
    assert local_cofinancing_pct(default, {"lbf"}) == D(25)
    assert local_cofinancing_warning(default, {"lbf"}) is None
    low = {"lbf": D(80), "kk": D(10), "bo": D(10)}
    assert "20 %" in local_cofinancing_warning(low, {"lbf"})
    assert local_cofinancing_warning(low, set()) is None


def test_per_unit():
    assert per_unit(D("452233.75"), 412) == D("1097.65")
    assert per_unit(D("100.00"), D("0")) is None
