"""Rounds and figures for the screening tests, written straight to the database."""

from decimal import Decimal

from screening.models import Afdeling, Indikator, Maaling, Regelsaet, Screeningsrunde


def make_round(aar: int, national="1.00", status="endelig", **kwargs) -> Screeningsrunde:
    """A final round unless `status` says "kladde": most tests read closed years."""
    return Screeningsrunde.objects.create(
        status=status,
        aar=aar,
        regelsaet=Regelsaet.objects.in_force(aar),
        landsgennemsnit_domfaeldte_pct=Decimal(national) if national is not None else None,
        **kwargs,
    )


def measure(runde, unit, **values) -> None:
    """Store figures for an afdeling or an area (by type of `unit`), one per indicator code."""
    indicators = {i.kode: i for i in Indikator.objects.all()}
    field = "afdeling" if isinstance(unit, Afdeling) else "boligomraade"
    Maaling.objects.bulk_create(
        Maaling(runde=runde, indikator=indicators[code], vaerdi=Decimal(str(value)), **{field: unit})
        for code, value in values.items()
    )


# An afdeling whose figures meet A and C (udsat) with a non-western majority (parallelsamfund).
BAD_FIGURES = dict(
    beboere=1200,
    uden_job_uddannelse_pct=45,
    domfaeldte_pct="1.5",
    kun_grundskole_pct=65,
    indkomst_pct_region=70,
    ikke_vestlige_pct=60,
    fraflytning_pct=18,
    udsaettelser_antal=3,
    restancer_antal=30,
)
CALM_FIGURES = dict(
    beboere=1200,
    uden_job_uddannelse_pct=20,
    domfaeldte_pct="0.8",
    kun_grundskole_pct=30,
    indkomst_pct_region=90,
    ikke_vestlige_pct=15,
    fraflytning_pct=8,
    udsaettelser_antal=0,
    restancer_antal=4,
)
