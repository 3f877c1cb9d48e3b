"""Numbers as Danish readers write them."""

from decimal import Decimal

from config.formats.da import formats as danish

# Below this, a number shows as 0 with `places` decimals, as in Django's number format (0.1 for 0 places too).
_ZERO_BELOW = {places: Decimal("0." + "1".rjust(places, "0")) for places in range(7)}


def danish_number(value: Decimal | int, places: int) -> str:
    """1234567.5 with 2 places -> '1.234.567,50'. Extra decimals are cut off, not rounded, as Django's
    number format does (tests/screening/test_display.py holds the two to the same result).

    Written out here rather than through django.utils.formats.number_format, which looks up the active
    language and its separators again for every number, and pages show hundreds of numbers."""
    if abs(value) < _ZERO_BELOW[places]:
        value = Decimal(0)
    sign, digits = ("-", f"{-value:f}") if value < 0 else ("", f"{value:f}")
    whole, _, fraction = digits.partition(".")
    text = sign + f"{int(whole):,}".replace(",", danish.THOUSAND_SEPARATOR)
    if places:
        text += danish.DECIMAL_SEPARATOR + fraction[:places].ljust(places, "0")
    return text
