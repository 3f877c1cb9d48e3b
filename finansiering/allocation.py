"""Money allocation: pure functions on Decimal, no database.

Every split here is øre-exact: the parts always add up to the whole. The method is largest remainder
(Hamilton): each part first gets its exact proportion rounded down to the øre, and the øre left over go
one at a time to the parts whose rounded-down value lost the most.

Tie order (deterministic, documented because funders' sheets must be reproducible): when two parts lost
exactly the same fraction of an øre, the part listed first in the input gets the øre. Callers therefore
pass parties and afdelinger in a stable order (the fordelingsnøgle's order; afdelinger by organisation
and number), and the same input always gives the same output.
"""

from collections.abc import Mapping
from decimal import Decimal
from typing import TypeVar

K = TypeVar("K")

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
        raise AllocationError(f"Procentsatserne skal give præcis 100, men giver {format_pct(total)}.")


def split_by_percentages(total: Decimal, percentages: Mapping[K, Decimal]) -> dict[K, Decimal]:
    """Split `total` between parties by a fordelingsnøgle (percentages summing to exactly 100)."""
    check_percentages(percentages)
    if all(pct == 0 for pct in percentages.values()):
        raise AllocationError("Mindst én part skal have en andel over 0 %.")
    return split_by_weights(total, percentages)


def split_years_by_percentages(
    totals_per_year: Mapping[int, Decimal], percentages: Mapping[K, Decimal]
) -> dict[K, dict[int, Decimal]]:
    """Each year's total split between the parties; a party's total is the sum of its yearly parts,
    so the parties' totals also add up exactly to the grand total."""
    check_percentages(percentages)
    if totals_per_year and all(pct == 0 for pct in percentages.values()):
        raise AllocationError("Mindst én part skal have en andel over 0 %.")
    return split_years_by_weights(totals_per_year, percentages)


def split_years_by_weights(
    totals_per_year: Mapping[int, Decimal], weights: Mapping[K, Decimal | int]
) -> dict[K, dict[int, Decimal]]:
    """Each year's amount split by the same weights (e.g. the local share across afdelinger)."""
    result: dict[K, dict[int, Decimal]] = {key: {} for key in weights}
    scaled = None  # the weights are checked and scaled once, for the first year
    for year, total in totals_per_year.items():
        total_ore = to_ore(total)
        if scaled is None:
            scaled = _scaled(weights)
        for key, ore in _split_ore(total_ore, *scaled).items():
            result[key][year] = from_ore(ore)
    return result


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
            f"Den lokale medfinansiering er {format_pct(local)} %. Landsbyggefonden forventer mindst "
            f"{format_pct(MIN_LOCAL_COFINANCING)} % (alt andet end Landsbyggefondens andel)."
        )
    return None


def per_unit(amount: Decimal, units: Decimal | int) -> Decimal | None:
    """An amount per lejemål or per m², rounded half-up to the øre; None when there are no units."""
    if not units:
        return None
    return (Decimal(amount) / Decimal(units)).quantize(ORE)


def format_kr(value: Decimal) -> str:
    """1234567.5 -> '1.234.567,50' (Danish thousands separator and decimal comma, always two decimals)."""
    text = f"{Decimal(value).quantize(ORE):,.2f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def format_pct(value: Decimal) -> str:
    """12.5 -> '12,5'; 100.000 -> '100' (Danish decimal comma, no trailing zeros)."""
    return f"{value.normalize():f}".replace(".", ",")
