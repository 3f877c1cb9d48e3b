"""The allocation maths: property tests (thousands of cases, the same ones every run) and worked examples.
No database."""

from decimal import Decimal
from fractions import Fraction
from itertools import combinations
from math import floor

import pytest
from hypothesis import assume, given, settings
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


@settings(max_examples=10_000, deadline=None, database=None, derandomize=True)
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


def exact_cells(per_year: dict[int, Decimal], weights: dict) -> dict:
    """Each cell's exact amount in øre (a fraction): the year's total times the key's share of the weights."""
    weight_sum = sum(Fraction(w) for w in weights.values())
    return {
        key: {year: Fraction(total * 100) * Fraction(weight) / weight_sum for year, total in per_year.items()}
        for key, weight in weights.items()
    }


def a_table_within_one_ore_exists(row_totals: dict, per_year: dict, exact: dict) -> bool:
    """Whether some table with these margins has every cell at its exact amount rounded down or up.

    Gale's theorem for the øre still missing once every cell is rounded down: a row may take one more øre
    in each year where its cell has a fraction, and a table exists exactly when no set of rows needs more
    øre than the years can give it, each year giving at most what it misses and one øre per row of the set.
    """
    rows = list(exact)
    row_missing = {key: row_totals[key] - sum(floor(c) for c in exact[key].values()) for key in rows}
    year_missing = {y: int(t * 100) - sum(floor(exact[key][y]) for key in rows) for y, t in per_year.items()}
    for size in range(1, len(rows) + 1):
        for subset in combinations(rows, size):
            can_take = sum(
                min(year_missing[year], sum(1 for key in subset if exact[key][year].denominator != 1))
                for year in per_year
            )
            if sum(row_missing[key] for key in subset) > can_take:
                return False
    return True


def assert_table_adds_up_both_ways(per_year, weights, table):
    assert list(table) == list(weights)  # same keys, same order
    grand_total = sum(per_year.values(), D(0))
    row_totals = split_by_weights(grand_total, weights)  # each key's share of the grand total, rounded once
    exact = exact_cells(per_year, weights)
    for key, row in table.items():
        assert list(row) == list(per_year)  # same years, same order
        assert sum(row.values(), D(0)) == row_totals[key]
        for year, part in row.items():
            assert part == part.quantize(D("0.01"))
            assert part * 100 >= floor(exact[key][year])  # never below the exact amount rounded down
            if exact[key][year] == 0:
                assert part == 0  # a zero weight or an empty year gets nothing
    for year, year_total in per_year.items():
        assert sum(row[year] for row in table.values()) == year_total
    # Within one øre of the exact cell whenever such a table exists (checked by brute force when it can be).
    if len(weights) <= 8:
        row_ore = {key: int(total * 100) for key, total in row_totals.items()}
        if a_table_within_one_ore_exists(row_ore, per_year, exact):
            for key, row in table.items():
                assert all(abs(Fraction(part * 100) - exact[key][year]) < 1 for year, part in row.items())


# Years with nothing, a single øre, small and large totals; weights with zeros, few or many (afdelinger).
year_totals_in_ore = st.one_of(st.just(0), st.integers(0, 12), st.integers(0, 100_000_000_000))
yearly_budgets = st.lists(year_totals_in_ore, min_size=0, max_size=6)
many_weights = st.one_of(
    st.lists(st.integers(0, 12), min_size=1, max_size=8),
    st.lists(st.integers(0, 1_000), min_size=1, max_size=40),
)


@settings(max_examples=3_000, deadline=None, database=None, derandomize=True)
@given(years=yearly_budgets, numbers=many_weights, kind=st.sampled_from(["lejemaal", "m2", "procent"]))
def test_a_table_of_parts_adds_up_both_ways(years, numbers, kind):
    per_year = {2025 + i: amount(ore) for i, ore in enumerate(years)}
    if kind == "procent":
        weights = percentages_from(numbers)
        table = split_years_by_percentages(per_year, weights)
    else:
        assume(any(numbers))
        weights = {f"afd-{i}": n if kind == "lejemaal" else D(n) / 100 for i, n in enumerate(numbers)}
        table = split_years_by_weights(per_year, weights)
    assert_table_adds_up_both_ways(per_year, weights, table)
    assert split_years_by_weights(dict(per_year), dict(weights)) == table  # same input, same output


def test_ten_million_on_the_default_key_is_exact_whatever_the_years():
    key = {"LBF": D(75), "Kommune": D("12.5"), "Afdelinger": D("12.5")}
    # 12.5 % of 2,500,000.04 and of 2,499,999.96 each end in half an øre for the kommune and the afdelinger.
    per_year = {2025: D("2500000.04"), 2026: D("2500000.00"), 2027: D("2500000.00"), 2028: D("2499999.96")}
    table = split_years_by_percentages(per_year, key)
    totals = {party: sum(row.values(), D(0)) for party, row in table.items()}
    assert totals == {"LBF": D("7500000.00"), "Kommune": D("1250000.00"), "Afdelinger": D("1250000.00")}
    assert_table_adds_up_both_ways(per_year, key, table)


def test_tied_ore_in_a_table_go_to_the_earlier_row_then_the_earlier_year():
    # Each cell is exactly half an øre. Each key's total is one øre: "a" takes the first year's øre (earlier
    # row, earlier year), and the second year's øre then goes to "b", whose row still misses one.
    table = split_years_by_weights({2025: D("0.01"), 2026: D("0.01")}, {"a": 1, "b": 1})
    assert table == {"a": {2025: D("0.01"), 2026: D("0.00")}, "b": {2025: D("0.00"), 2026: D("0.01")}}


def test_when_largest_remainder_blocks_itself_an_ore_is_moved_along_a_chain():
    # 25/25/50 of 0.02 and 0.03 kr.: exact cells 0.5/0.5/1 and 0.75/0.75/1.5 øre, key totals 1/1/3 øre.
    # Largest remainder first gives "a" and "b" the second year's øre, which leaves "c" missing one and
    # only the first year missing one, where c's cell is exactly 1 øre. So "a" moves its øre to the first
    # year and "c" takes the second year's.
    table = split_years_by_weights({2025: D("0.02"), 2026: D("0.03")}, {"a": 1, "b": 1, "c": 2})
    assert table == {
        "a": {2025: D("0.01"), 2026: D("0.00")},
        "b": {2025: D("0.00"), 2026: D("0.01")},
        "c": {2025: D("0.01"), 2026: D("0.02")},
    }


def test_when_no_table_within_one_ore_exists_the_margins_still_hold():
    # 2/2/2/3/3 of 0.04 and 0.06 kr.: the first three keys' totals (1.67 øre) round up to 2 øre, which
    # rounding cells of 0.67 and 1 øre up or down cannot give while the years still add up.
    per_year = {2025: D("0.04"), 2026: D("0.06")}
    weights = {"a": 2, "b": 2, "c": 2, "d": 3, "e": 3}
    exact = exact_cells(per_year, weights)
    assert not a_table_within_one_ore_exists({"a": 2, "b": 2, "c": 2, "d": 2, "e": 2}, per_year, exact)
    table = split_years_by_weights(per_year, weights)
    assert {key: sum(row.values()) for key, row in table.items()} == dict.fromkeys(weights, D("0.02"))
    assert_table_adds_up_both_ways(per_year, weights, table)


def test_zero_years_and_zero_weights_stay_zero():
    table = split_years_by_weights({2025: D("0.00"), 2026: D("5.00")}, {"a": 0, "b": 3, "c": 1})
    assert table == {
        "a": {2025: D("0.00"), 2026: D("0.00")},
        "b": {2025: D("0.00"), 2026: D("3.75")},
        "c": {2025: D("0.00"), 2026: D("1.25")},
    }


def test_a_table_without_years_still_checks_its_weights():
    assert split_years_by_weights({}, {"a": 1, "b": 2}) == {"a": {}, "b": {}}
    with pytest.raises(AllocationError, match="nul for alle"):
        split_years_by_weights({}, {"a": 0})


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
