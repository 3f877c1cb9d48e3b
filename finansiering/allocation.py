"""Money allocation: pure functions on Decimal, no database.

Every split here is øre-exact: the parts always add up to the whole. The method is largest remainder
(Hamilton): each part first gets its exact proportion rounded down to the øre, and the øre left over go
one at a time to the parts whose rounded-down value lost the most.

A budget is split per year too (parties × years, the kommune's uses × years, afdelinger × years), and such
a table adds up both ways: each row's total is its exact share of the grand total rounded once, by largest
remainder over the rows, and each year's parts sum to that year's total. A row's total is therefore never
the sum of yearly parts rounded one year at a time (10,000,000.00 kr. on 75/12.5/12.5 gives exactly
7,500,000.00 / 1,250,000.00 / 1,250,000.00 whatever the years hold). The cells are then rounded so that
both margins hold, each within one øre of its exact amount whenever such a table exists (see `_round_table`).

Tie order (deterministic, documented because funders' sheets must be reproducible): when two parts lost
exactly the same fraction of an øre, the part listed first in the input gets the øre; in a table, equal
fractions go to the earlier row, then the earlier year, among the cells whose row and year still miss
øre. Callers therefore pass parties and afdelinger in a stable order (the fordelingsnøgle's order;
afdelinger by organisation and number) and years in calendar order, and the same input always gives the
same output.
"""

from collections import deque
from collections.abc import Mapping
from decimal import Decimal
from typing import TypeVar

from config.web.formatting import percent

K = TypeVar("K")
Y = TypeVar("Y")

ORE = Decimal("0.01")
HUNDRED = Decimal(100)
# LBF asks for at least this share (in percent) of local co-financing: everything but LBF's own share.
MIN_LOCAL_COFINANCING = Decimal(25)


class AllocationError(ValueError):
    """The input cannot be split; the message is Danish and meant for the user."""


def to_ore(amount: Decimal) -> int:
    """An amount in kroner as whole øre; refuses negative amounts and fractions of an øre."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        raise AllocationError(f"'{amount}' er ikke et beløb.")
    if amount < 0:
        raise AllocationError("Beløbet kan ikke være negativt.")
    ore = amount * 100
    if ore != ore.to_integral_value():
        raise AllocationError("Beløbet må højst have to decimaler (øre).")
    return int(ore)


def from_ore(ore: int) -> Decimal:
    return (Decimal(ore) / 100).quantize(ORE)


def _integer_weights(weights: Mapping[K, Decimal | int]) -> dict[K, int]:
    """The weights scaled by one power of ten to whole numbers, so the maths below is exact integer maths."""
    if not weights:
        raise AllocationError("Der er ingen at fordele beløbet imellem.")
    places = 0
    for key, weight in weights.items():
        if isinstance(weight, bool) or not isinstance(weight, Decimal | int):
            raise AllocationError(f"Fordelingsgrundlaget for {key} er ikke et tal.")
        if isinstance(weight, Decimal):
            if not weight.is_finite():
                raise AllocationError(f"Fordelingsgrundlaget for {key} er ikke et tal.")
            places = max(places, -weight.as_tuple().exponent)
        if weight < 0:
            raise AllocationError(f"Fordelingsgrundlaget for {key} kan ikke være negativt.")
    return {key: int(Decimal(weight).scaleb(places)) for key, weight in weights.items()}


def split_by_weights(total: Decimal, weights: Mapping[K, Decimal | int]) -> dict[K, Decimal]:
    """Split `total` in proportion to the weights (lejemål, m², agreed amounts, percentages...).

    Weights must be non-negative and not all zero. The result has the same keys in the same order.
    """
    total_ore = to_ore(total)
    return {key: from_ore(ore) for key, ore in _split_ore(total_ore, *_scaled(weights)).items()}


def _scaled(weights: Mapping[K, Decimal | int]) -> tuple[dict[K, int], int]:
    """The weights as whole numbers, and their sum (refused when it is zero)."""
    scaled = _integer_weights(weights)
    weight_sum = sum(scaled.values())
    if weight_sum == 0:
        raise AllocationError("Fordelingsgrundlaget er nul for alle; beløbet kan ikke fordeles.")
    return scaled, weight_sum


def _split_ore(total_ore: int, scaled: dict[K, int], weight_sum: int) -> dict[K, int]:
    """Whole øre split by whole-number weights, largest remainder first."""
    # A part's exact share is total_ore * weight / weight_sum øre: `floor` whole øre + remainder/weight_sum.
    floors: dict[K, int] = {}
    remainders: list[tuple[int, int, K]] = []
    for position, (key, weight) in enumerate(scaled.items()):
        floor, remainder = divmod(total_ore * weight, weight_sum)
        floors[key] = floor
        remainders.append((remainder, position, key))
    leftover = total_ore - sum(floors.values())
    # Largest remainder first; equal remainders in input order (the position): that makes it deterministic.
    remainders.sort(key=lambda item: (-item[0], item[1]))
    for _remainder, _position, key in remainders[:leftover]:
        floors[key] += 1
    return floors


def check_percentages(percentages: Mapping[K, Decimal]) -> None:
    """Refuse a fordelingsnøgle that is not a set of non-negative percentages summing to exactly 100."""
    if not percentages:
        raise AllocationError("Fordelingsnøglen har ingen parter.")
    for key, pct in percentages.items():
        if not isinstance(pct, Decimal) or not pct.is_finite():
            raise AllocationError(f"Procentsatsen for {key} er ikke et tal.")
        if pct < 0:
            raise AllocationError(f"Procentsatsen for {key} kan ikke være negativ.")
    total = sum(percentages.values(), Decimal(0))
    if total != HUNDRED:
        raise AllocationError(f"Procentsatserne skal give præcis 100, men giver {percent(total)}.")


def split_by_percentages(total: Decimal, percentages: Mapping[K, Decimal]) -> dict[K, Decimal]:
    """Split `total` between parties by a fordelingsnøgle (percentages summing to exactly 100)."""
    check_percentages(percentages)
    if all(pct == 0 for pct in percentages.values()):
        raise AllocationError("Mindst én part skal have en andel over 0 %.")
    return split_by_weights(total, percentages)


def split_years_by_percentages(
    totals_per_year: Mapping[Y, Decimal], percentages: Mapping[K, Decimal]
) -> dict[K, dict[Y, Decimal]]:
    """A budget's yearly totals split between the parties by a fordelingsnøgle, as a table of parts that
    adds up both ways (see `split_years_by_weights`)."""
    check_percentages(percentages)
    return split_years_by_weights(totals_per_year, percentages)


def split_years_by_weights(
    totals_per_year: Mapping[Y, Decimal], weights: Mapping[K, Decimal | int]
) -> dict[K, dict[Y, Decimal]]:
    """Yearly totals split by the same weights (parties, the kommune's uses, afdelinger), as a table of parts
    with one row per key and one column per year that adds up both ways: each key's total is its share of
    the grand total split once by largest remainder, and each year's parts sum to that year's total.

    The rows and columns keep the input's order. Weights are checked even when there are no years.
    """
    scaled, weight_sum = _scaled(weights)
    years = list(totals_per_year)
    year_totals = [to_ore(totals_per_year[year]) for year in years]
    row_totals = list(_split_ore(sum(year_totals), scaled, weight_sum).values())
    table = _round_table(row_totals, year_totals, list(scaled.values()), weight_sum)
    return {
        key: {year: from_ore(ore) for year, ore in zip(years, row, strict=True)}
        for key, row in zip(scaled, table, strict=True)
    }


def _round_table(
    row_totals: list[int], column_totals: list[int], weights: list[int], weight_sum: int
) -> list[list[int]]:
    """Whole øre per cell, where the exact cell is column_total * weight / weight_sum, such that every row
    sums to its row total and every column to its column total (the two sets of totals have the same sum,
    and each row total is its exact share of that sum rounded up or down).

    Cells start at their exact amount rounded down. Rows and columns are then each short a few øre, and no
    row or column is over (a row total is at least its exact share rounded down, which is at least the sum of
    its rounded-down cells; a column total is exactly the sum of its exact cells). The missing øre are
    placed in two steps:

    1. Largest remainder: in order of the fraction of an øre a cell lost when rounded down (largest first;
       equal fractions: the earlier row, then the earlier column), a cell gets one øre when both its row and
       its column still miss øre.
    2. That greedy pass can block itself (the øre a row misses may be only in columns already full). Then
       an øre is moved along a chain: breadth-first search from the rows still missing øre, through cells
       that may take one more øre (row to column) and cells holding an øre from these steps that may give
       it back (column to row), to a column still missing øre; rows and columns are visited in input order,
       so the chain is always the same. A cell may take at most its exact amount rounded up; under that
       bound the chains are the augmenting paths of a maximum flow, so they find a table with every cell
       within one øre of its exact amount whenever one exists. When none exists (it happens, rarely:
       2/2/2/3/3 on years of 0.04 and 0.06 kr.), the bound is widened by one øre and the search goes on.

    It ends with both margins met: every chain places one missing øre in its row and one in its column and
    changes no other total, so the øre still missing go down by one each time. A search only fails while
    the bound is below what some cell needs: while a row misses øre, some column does too (the two sets of
    totals have the same sum); the row has a positive weight (a zero weight gets nothing by largest
    remainder) and the column a positive total (more than its rounded-down cells), so their shared cell has
    a positive exact amount and, once the bound has grown past what it holds, is a chain of one step. Cells
    whose exact amount is zero (a zero weight, a year with no money) can never take an øre and stay zero.
    """
    floors = [[total * weight // weight_sum for total in column_totals] for weight in weights]
    remainders = [[total * weight % weight_sum for total in column_totals] for weight in weights]
    table = [list(row) for row in floors]
    row_missing = [total - sum(row) for total, row in zip(row_totals, floors, strict=True)]
    column_missing = [
        total - sum(column) for total, column in zip(column_totals, zip(*floors, strict=True), strict=True)
    ]

    # Step 1: largest remainder first; equal remainders by row, then column (the tuple's order).
    missing = sum(row_missing)
    by_remainder = sorted(
        (-remainder, row, column)
        for row, row_remainders in enumerate(remainders)
        for column, remainder in enumerate(row_remainders)
        if remainder
    )
    for _remainder, row, column in by_remainder:
        if not missing:
            return table
        if row_missing[row] and column_missing[column]:
            table[row][column] += 1
            row_missing[row] -= 1
            column_missing[column] -= 1
            missing -= 1
    if not missing:
        return table

    # Step 2: chains, under a bound that starts at each cell's exact amount rounded up.
    ceilings = [
        [floor + 1 if remainder else floor for floor, remainder in zip(floor_row, remainder_row, strict=True)]
        for floor_row, remainder_row in zip(floors, remainders, strict=True)
    ]
    widening = 0
    while any(row_missing):
        chain = _chain(table, floors, ceilings, widening, row_missing, column_missing)
        if chain is None:
            widening += 1
            continue
        for step, (row, column) in enumerate(chain):
            table[row][column] += -1 if step % 2 else 1
        row_missing[chain[0][0]] -= 1
        column_missing[chain[-1][1]] -= 1
    return table


def _chain(table, floors, ceilings, widening, row_missing, column_missing) -> list[tuple[int, int]] | None:
    """The shortest chain of cells (row, column) from a row missing øre to a column missing øre: the cells at
    even steps take one øre, those at odd steps give one back. A cell may take one while it holds less than
    its ceiling plus the widening (never when its exact amount is zero) and give one back while it holds more
    than its floor. Breadth-first, rows and columns in input order; None when there is no chain."""
    reached_from_row: dict[int, int] = {}  # column -> the row whose cell takes an øre in it
    # row -> the column where its cell gives an øre back (None: a row that misses øre starts a chain there)
    reached_from_column: dict[int, int | None] = {row: None for row, short in enumerate(row_missing) if short}
    rows = deque(reached_from_column)
    while rows:
        row = rows.popleft()
        for column, ceiling in enumerate(ceilings[row]):
            if column in reached_from_row or not ceiling or table[row][column] >= ceiling + widening:
                continue
            reached_from_row[column] = row
            if column_missing[column]:
                return _walk_back(column, reached_from_row, reached_from_column)
            for other in range(len(table)):
                if other not in reached_from_column and table[other][column] > floors[other][column]:
                    reached_from_column[other] = column
                    rows.append(other)
    return None


def _walk_back(column: int, reached_from_row: dict, reached_from_column: dict) -> list[tuple[int, int]]:
    """The chain that ends in `column`, from its first cell (in the starting row) to its last."""
    chain = []
    while column is not None:
        row = reached_from_row[column]
        chain.append((row, column))
        column = reached_from_column[row]
        if column is not None:
            chain.append((row, column))
    return chain[::-1]


def local_cofinancing_pct(percentages: Mapping[K, Decimal], lbf_keys: set) -> Decimal:
    """The share (in percent) that does not come from LBF: kommune, boligorganisation, foundations, others."""
    return sum((pct for key, pct in percentages.items() if key not in lbf_keys), Decimal(0))


def local_cofinancing_warning(percentages: Mapping[K, Decimal], lbf_keys: set) -> str | None:
    """A Danish warning when local co-financing is under LBF's 25 %, else None."""
    if not lbf_keys:
        return None
    local = local_cofinancing_pct(percentages, lbf_keys)
    if local < MIN_LOCAL_COFINANCING:
        return (
            f"Den lokale medfinansiering er {percent(local)} %. Landsbyggefonden forventer mindst "
            f"{percent(MIN_LOCAL_COFINANCING)} % (alt andet end Landsbyggefondens andel)."
        )
    return None


def per_unit(amount: Decimal, units: Decimal | int) -> Decimal | None:
    """An amount per lejemål or per m², rounded half-up to the øre; None when there are no units."""
    if not units:
        return None
    return (Decimal(amount) / Decimal(units)).quantize(ORE)
