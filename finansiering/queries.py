"""The budget facts the pages, forms, the money maths and the actions read: the years and indsatsområder a
budget is laid out by, the versions that count, and the fordelingsnøgle an indsats starts from."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Case, CharField, Exists, OuterRef, Sum, Value, When
from django.db.models.functions import Cast, JSONObject

from config.web.lists import ValueList
from finansiering.models import (
    Budgetlinje,
    Budgetversion,
    Finansieringspart,
    Fordelingsnoegle,
    Omkostningstype,
)
from indsatser.models import Finansieringsperiode, Indsats, Indsatsomraade, Indsatstype
from screening import options

# The Copenhagen default: 75 % LBF, 12.5 % the kommune (10.6 points for staff, activities and networks,
# 1.9 for facilitating the cooperation), 12.5 % the boligorganisation and its afdelinger.
KOMMUNE_ANVENDELSER = [
    ("Personale, aktiviteter og netværk", Decimal("10.6")),
    ("Facilitering af samarbejdet", Decimal("1.9")),
]
HELHEDSPLAN_PARTER = [
    (Finansieringspart.Art.LBF, "Landsbyggefonden", Decimal(75)),
    (Finansieringspart.Art.KOMMUNE, "Københavns Kommune", Decimal("12.5")),
    (Finansieringspart.Art.AFDELINGER, "Boligorganisation/afdelinger", Decimal("12.5")),
]
# An ejendomsfunktionær is paid by the afdelinger; other types have no usual key to start from.
AFDELINGER_ALENE = [(Finansieringspart.Art.AFDELINGER, "Boligorganisation/afdelinger", Decimal(100))]


@dataclass(frozen=True)
class DefaultParty:
    art: str
    navn: str
    procent: Decimal
    anvendelser: tuple[tuple[str, Decimal], ...] = ()


def default_parties(indsats: Indsats) -> list[DefaultParty]:
    """The fordelingsnøgle an indsats starts from, by its type."""
    kode = indsats.type.kode
    if kode == Indsatstype.HELHEDSPLAN:
        return [
            DefaultParty(
                art, navn, pct, tuple(KOMMUNE_ANVENDELSER) if art == Finansieringspart.Art.KOMMUNE else ()
            )
            for art, navn, pct in HELHEDSPLAN_PARTER
        ]
    if kode == Indsatstype.EJENDOMSFUNKTIONAER:
        return [DefaultParty(art, navn, pct) for art, navn, pct in AFDELINGER_ALENE]
    return []


def period_years(indsats: Indsats) -> list[int]:
    """The calendar years a budget may have lines for: the start date's year to the end date's year."""
    if not indsats.startdato or not indsats.slutdato or indsats.slutdato < indsats.startdato:
        return []
    return list(range(indsats.startdato.year, indsats.slutdato.year + 1))


def budget_omraader(indsats: Indsats) -> list[Indsatsomraade]:
    """The indsatsområder a budget is laid out by: those chosen for the indsats, else those of its LBF
    period, else those of the period its start year falls in, else the latest period's (a plan prepared
    for a period whose themes are not published yet is budgeted under the current ones)."""
    chosen = list(indsats.indsatsomraader.order_by("periode__startaar", "sortering"))
    if chosen:
        return chosen
    periode = indsats.periode
    if periode is None:
        # The periods are a handful of rows: read once, chosen from here.
        periods = list(Finansieringsperiode.objects.order_by("-startaar"))
        year = indsats.startdato.year if indsats.startdato else None
        in_year = [p for p in periods if year and p.startaar <= year <= p.slutaar]
        periode = (in_year or periods or [None])[0]
    if periode is None:
        return []
    # Every period's områder are reference data, kept by screening.options (indsatser registers them).
    every = options.kept_value("indsatsomraader", lambda: list(Indsatsomraade.objects.order_by("sortering")))
    return [omraade for omraade in every if omraade.periode_id == periode.pk]


def cost_types() -> list[Omkostningstype]:
    """Every cost type in its order, inactive ones included (they stay on old lines): reference data read
    on every budget and regnskab page, kept by screening.options until a cost type changes."""
    return options.kept_value("cost types", lambda: list(Omkostningstype.objects.all()))


def active_cost_types() -> list[Omkostningstype]:
    return [cost_type for cost_type in cost_types() if cost_type.aktiv]


def latest_version(indsats: Indsats) -> Budgetversion | None:
    """The indsats's newest budget version, with `has_lines`: whether it has a line (an amount) at all, and
    `line_totals`: its lines' total per year in the same query, which the split (financing.budget_per_aar)
    then need not read."""
    has_lines = Exists(Budgetlinje.objects.filter(version=OuterRef("pk")))
    per_year = (
        Budgetlinje.objects.filter(version=OuterRef("pk"))
        .order_by("aar")
        .values("aar")
        .annotate(total=Sum("beloeb"))
        # The total as text: a JSON number would come back a float, not the amount stored.
        .values(row=JSONObject(aar="aar", total=Cast("total", CharField())))
    )
    line_totals = ValueList(per_year, "row", is_json=True)
    versions = indsats.budgetversioner.annotate(has_lines=has_lines, line_totals=line_totals)
    return versions.order_by("-nummer").first()


def approved_version(indsats: Indsats) -> Budgetversion | None:
    """The version the funders approved last (the budget in force), if any."""
    return indsats.budgetversioner.filter(status=Budgetversion.Status.GODKENDT).order_by("-nummer").first()


def submitted_version(indsats: Indsats) -> Budgetversion | None:
    """The version with the funders now: the latest version, when it has been submitted and not decided."""
    latest = latest_version(indsats)
    return latest if latest is not None and latest.status == Budgetversion.Status.INDSENDT else None


def budget_in_force(indsats: Indsats) -> Budgetversion | None:
    """The version the regnskab is held against and the plan's economy shows: the latest approved version,
    or before any approval the latest version (one query)."""
    approved_first = Case(When(status=Budgetversion.Status.GODKENDT, then=Value(0)), default=Value(1))
    version = indsats.budgetversioner.order_by(approved_first, "-nummer").first()
    if version is not None:
        version.indsats = indsats  # already loaded: saves a query per use
    return version


def variance_threshold(indsats: Indsats) -> Decimal:
    """The percentage of the budget beyond which a regnskab line is flagged (the fordelingsnøgle's)."""
    return threshold_of(Fordelingsnoegle.objects.filter(indsats=indsats).only("afvigelsesgraense").first())


def threshold_of(noegle: Fordelingsnoegle | None) -> Decimal:
    """A fordelingsnøgle's variance threshold; the default for an indsats without one."""
    if noegle is None:
        return Fordelingsnoegle._meta.get_field("afvigelsesgraense").default
    return noegle.afvigelsesgraense
