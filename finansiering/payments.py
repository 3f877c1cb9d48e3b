"""A plan's cash position per funder: pure functions on plain values, no database.

Payments received settle a funder's expected instalments in date order (the oldest first), so each
instalment has an open remainder; a held instalment's open remainder is what the funder holds back.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class Instalment:
    key: object
    part: str
    dato: date
    beloeb: Decimal


def open_amounts(instalments: list[Instalment], received: dict[str, Decimal]) -> dict[object, Decimal]:
    """Each instalment's unpaid remainder: a part's payments received (`received`, totals per part) cover its
    instalments by date, then by their order in the list."""
    left = dict(received)
    remainders = {}
    for instalment in sorted(instalments, key=lambda i: i.dato):
        covered = min(instalment.beloeb, max(left.get(instalment.part, ZERO), ZERO))
        left[instalment.part] = left.get(instalment.part, ZERO) - covered
        remainders[instalment.key] = instalment.beloeb - covered
    return remainders


@dataclass(frozen=True)
class Payment:
    key: object
    part: str
    dato: date
    beloeb: Decimal


def settled_by(instalments: list[Instalment], payments: list[Payment]) -> dict[object, set]:
    """Which payments settle each instalment (by key), as open_amounts settles them: each part's payments in
    date order cover its instalments in date order, a payment running on into the next instalment."""
    found = {instalment.key: set() for instalment in instalments}
    for part in {i.part for i in instalments}:
        queue = [[p.key, p.beloeb] for p in sorted(payments, key=lambda p: p.dato) if p.part == part]
        for instalment in sorted((i for i in instalments if i.part == part), key=lambda i: i.dato):
            due = instalment.beloeb
            while due > 0 and queue:
                covered = min(due, queue[0][1])
                found[instalment.key].add(queue[0][0])
                due -= covered
                queue[0][1] -= covered
                if queue[0][1] <= 0:
                    queue.pop(0)
    return found


@dataclass(frozen=True)
class Position:
    """One funder's cash position on a plan."""

    part: str
    label: str
    tilsagn: Decimal | None
    forventet: Decimal
    modtaget: Decimal
    tilbageholdt: Decimal

    @property
    def udestaaende(self) -> Decimal:
        """What is still to come of the instalments expected (nothing, once more has been received)."""
        return max(self.forventet - self.modtaget, ZERO)


def cash_position(
    parts: list[tuple[str, str]],
    tilsagn: dict[str, Decimal],
    instalments: list[Instalment],
    received: dict[str, Decimal],
    held: set,
) -> list[Position]:
    """Per part (`parts`: (value, label) in the order shown): its tilsagn, the instalments expected, the
    payments received, and the open remainder of its held instalments (`held`: their keys)."""
    remainders = open_amounts(instalments, received)
    positions = []
    for part, label in parts:
        own = [i for i in instalments if i.part == part]
        positions.append(
            Position(
                part=part,
                label=label,
                tilsagn=tilsagn.get(part),
                forventet=sum((i.beloeb for i in own), ZERO),
                modtaget=received.get(part, ZERO),
                tilbageholdt=sum((remainders[i.key] for i in own if i.key in held), ZERO),
            )
        )
    return positions
