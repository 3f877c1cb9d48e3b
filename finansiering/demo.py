"""Demo budgets for the demo indsatser: fictitious but realistic amounts, versions, keys and actuals.

The helhedsplaner's budgets are made step by step as their demo walks the lifecycle (an estimate before
the prækvalifikation, the application's budget before the afdelingsmøder, a revision and the regnskab
after the funders' approval); seed_budgets() makes the udviklingsprojekter's. Whatever exists already is
left alone, so running it again changes nothing.
"""

import random
import zlib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.contrib.auth.models import User
from simple_history.utils import bulk_create_with_history

from finansiering import actions as budget_actions
from finansiering import allocation
from finansiering import queries as budget_queries
from finansiering.models import (
    Budgetlinje,
    Budgetversion,
    Finansieringspart,
    Fordelingsnoegle,
    Omkostningstype,
    Regnskabslinje,
)
from indsatser.models import Indsats, Indsatstype

# The share of a year's budget each cost type gets (before a little noise per område and year).
TYPE_WEIGHTS = {
    "loen": Decimal(58),
    "aktiviteter": Decimal(22),
    "frikoeb": Decimal(9),
    "administration": Decimal(7),
    "evaluering": Decimal(4),
}
# The frame for a full four-year plan, in kroner, by indsats type (a few kroner either way per plan).
FRAMES = {
    Indsatstype.HELHEDSPLAN: (22_000_000, 28_100_000),
    Indsatstype.UDVIKLINGSPROJEKT: (1_800_000, 4_200_000),
}
UDVIKLINGSPROJEKT_PARTER = [
    (Finansieringspart.Art.KOMMUNE, "Københavns Kommune", Decimal(40)),
    (Finansieringspart.Art.ANDEN, "Fonden for Trygge Boligområder", Decimal(45)),
    (Finansieringspart.Art.AFDELINGER, "Boligorganisation/afdelinger", Decimal(15)),
]
# Actuals vary from the budget by this factor; one line per plan is far off, so the flags show.
USUAL_VARIATION = (0.9, 1.07)


def _months_in(year: int, start: date, end: date) -> int:
    first = start.month if year == start.year else 1
    last = end.month if year == end.year else 12
    return max(last - first + 1, 0)


def budget_amounts(indsats, rng, total: Decimal) -> dict[tuple[int, int, int], Decimal]:
    """The total spread over year × område × cost type, exactly, in multiples of 10 kr."""
    omraader = budget_queries.budget_omraader(indsats)[:4]
    typer = {t.kode: t for t in Omkostningstype.objects.filter(kode__in=TYPE_WEIGHTS)}
    weights = {}
    for year in budget_queries.period_years(indsats):
        months = _months_in(year, indsats.startdato, indsats.slutdato)
        for omraade in omraader:
            omraade_weight = Decimal(rng.randint(18, 32))
            for kode, type_weight in TYPE_WEIGHTS.items():
                noise = Decimal(rng.randint(85, 115)) / 100
                weights[(year, omraade.pk, typer[kode].pk)] = (
                    months * omraade_weight * type_weight * noise
                ).quantize(Decimal("0.01"))
    # Split in units of 10 kr. (the total divided by 1,000, split to the øre, multiplied back).
    parts = allocation.split_by_weights(total / 1000, weights)
    return {cell: amount * 1000 for cell, amount in parts.items()}


def _lines(version, amounts, notes=None) -> None:
    notes = notes or {}
    bulk_create_with_history(
        [
            Budgetlinje(
                version=version,
                aar=aar,
                indsatsomraade_id=omraade_id,
                omkostningstype_id=type_id,
                beloeb=amount,
                note=notes.get((aar, omraade_id, type_id), ""),
            )
            for (aar, omraade_id, type_id), amount in amounts.items()
        ],
        Budgetlinje,
    )


def budget_frame(indsats, rng) -> Decimal:
    low, high = FRAMES[indsats.type.kode]
    years = (indsats.slutdato - indsats.startdato).days / 365.25
    full = Decimal(rng.randrange(low, high + 1, 100_000))
    if indsats.type.kode == Indsatstype.HELHEDSPLAN and "Bispebjerg" in indsats.titel:
        full = Decimal(28_100_000)  # the size of the real Bispebjerg/Nordvest plan of 2021-25
    return round_to(full * Decimal(min(years, 4) / 4), 100_000)


def round_to(value: Decimal, step: int) -> Decimal:
    return (value / step).quantize(Decimal(1)) * step


@contextmanager
def _as_when_made(indsats):
    """A project's estimate and application were made, and the application approved, before it was closed:
    the demo lays them down in that open state and puts the status and lock back afterwards."""
    then = Indsats.objects.values("status", "ramme_laast").get(pk=indsats.pk)
    Indsats.objects.filter(pk=indsats.pk).update(status=Indsats.Status.AKTIV, ramme_laast=False)
    indsats.status, indsats.ramme_laast = Indsats.Status.AKTIV, False
    try:
        yield
    finally:
        Indsats.objects.filter(pk=indsats.pk).update(**then)
        indsats.status, indsats.ramme_laast = then["status"], then["ramme_laast"]


@dataclass
class DemoAmounts:
    """An indsats's demo amounts, the same every time they are drawn (the random numbers come from its
    title): the estimate for the prækvalifikation, the application's budget, and a generator for the rest."""

    rng: random.Random
    estimate: dict
    application: dict


def demo_amounts(indsats) -> DemoAmounts:
    rng = random.Random(zlib.crc32(indsats.titel.encode()))
    total = budget_frame(indsats, rng)
    estimate = budget_amounts(indsats, rng, round_to(total * Decimal("0.94"), 10_000))
    return DemoAmounts(rng, estimate, budget_amounts(indsats, rng, total))


def seed_estimate(indsats, user) -> None:
    """The budget estimate of a plan or project being prepared (a draft), with its fordelingsnøgle."""
    if indsats.budgetversioner.exists():
        return
    estimate = budget_actions.create_version(indsats, Budgetversion.Fase.PRAEKVALIFIKATION, acting_user=user)
    _lines(estimate, demo_amounts(indsats).estimate)
    if indsats.type.kode == Indsatstype.UDVIKLINGSPROJEKT:
        _projekt_noegle(indsats)
    if indsats.type.kode == Indsatstype.HELHEDSPLAN and "Bispebjerg" in indsats.titel:
        noegle = Fordelingsnoegle.objects.get(indsats=indsats)
        noegle.afdelingsgrundlag = Fordelingsnoegle.Grundlag.AREAL
        noegle.save(update_fields=["afdelingsgrundlag"])


def seed_application(indsats, user) -> None:
    """The application's budget: the full frame, in the application's draft (replacing the estimate's
    amounts a helhedsplan's draft was copied with after its prækvalifikation), or in a new version."""
    draft = budget_queries.latest_version(indsats)
    if draft is None or draft.laast or draft.fase != Budgetversion.Fase.ANSOEGNING:
        draft = budget_actions.create_version(indsats, Budgetversion.Fase.ANSOEGNING, acting_user=user)
    draft.linjer.all().delete()
    amounts = demo_amounts(indsats).application
    _lines(draft, amounts, {next(iter(amounts)): "Projektleder og to boligsociale medarbejdere."})


def seed_after_approval(indsats, user) -> None:
    """An approved budget's life: the regnskab so far (a helhedsplan's later changes are change requests)."""
    approved = budget_queries.approved_version(indsats)
    if approved is None or indsats.regnskabslinjer.exists():
        return
    amounts = demo_amounts(indsats)
    _actuals(indsats, amounts.rng, amounts.application)


def _projekt_noegle(indsats) -> None:
    noegle = Fordelingsnoegle.objects.get(indsats=indsats)
    if noegle.parter.exists():
        return
    for order, (art, navn, procent) in enumerate(UDVIKLINGSPROJEKT_PARTER):
        Finansieringspart.objects.create(noegle=noegle, art=art, navn=navn, procent=procent, sortering=order)


def _actuals(indsats, rng, amounts) -> None:
    """Regnskab for the years that are over: close to budget, with one line clearly under."""
    done = [year for year in budget_queries.period_years(indsats) if year < date.today().year]
    existing = set(indsats.regnskabslinjer.values_list("aar", "indsatsomraade_id", "omkostningstype_id"))
    cells = [cell for cell in amounts if cell[0] in done and cell not in existing]
    if not cells:
        return
    off = rng.choice(cells)
    lines = []
    for cell in cells:
        aar, omraade_id, type_id = cell
        factor = Decimal("0.62") if cell == off else Decimal(str(round(rng.uniform(*USUAL_VARIATION), 3)))
        lines.append(
            Regnskabslinje(
                indsats=indsats,
                aar=aar,
                indsatsomraade_id=omraade_id,
                omkostningstype_id=type_id,
                beloeb=(amounts[cell] * factor).quantize(Decimal(1)),
                note="Stillingen var ubesat i fem måneder." if cell == off else "",
            )
        )
    bulk_create_with_history(lines, Regnskabslinje)


def seed_budgets() -> int:
    """Budgets for the demo udviklingsprojekter that have none yet; returns how many. A project under way
    has its application approved by its funders (the foundation and the kommune). The helhedsplaner get
    theirs step by step as they move through their lifecycle (helhedsplaner.demo)."""
    user = User.objects.filter(username="medarbejder").first()
    indsatser = (
        Indsats.objects.filter(
            type__kode=Indsatstype.UDVIKLINGSPROJEKT,
            startdato__isnull=False,
            slutdato__isnull=False,
            budgetversioner__isnull=True,
        )
        .exclude(status=Indsats.Status.OPGIVET)
        .select_related("type", "periode")
        .order_by("pk")
    )
    count = 0
    for indsats in indsatser:
        status = indsats.status
        with _as_when_made(indsats):
            seed_estimate(indsats, user)
            if status != Indsats.Status.FORSLAG:
                seed_application(indsats, user)
                application = budget_actions.submit_budget(
                    budget_queries.latest_version(indsats), acting_user=user
                )
                if status in (Indsats.Status.AKTIV, Indsats.Status.AFSLUTTET):
                    budget_actions.approve_budget(
                        application, grounds="Fondens og kommunens bevillinger", acting_user=user
                    )
                    seed_after_approval(indsats, user)
        count += 1
    return count
