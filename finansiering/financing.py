"""Who pays what: the budget split between the parties, the kommune's sub-uses and the afdelinger.

`indsats_finansiering` is the one entry point for pages, the Excel export and the PDF packs; the
helhedsplan lifecycle's checks compute the same split without what they do not ask about
(`finansiering_without_uses`). The afdelinger's split is computed from the indsats's current afdelinger
every time, so when an afdeling leaves a plan the others' shares follow at once.

Each split is a table per year that adds up both ways (`allocation.split_years_by_weights`): a party's total
is its exact share of the budget's total rounded once to the øre, a kommune use's or an afdeling's total is
its exact share of its party's total, and every year's parts add up to that year's amount.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Sum

from config.web.formatting import kroner, percent
from finansiering import allocation
from finansiering.models import Budgetversion, Finansieringspart, Fordelingsnoegle
from finansiering.queries import DefaultParty, default_parties, latest_version, period_years, threshold_of
from indsatser.models import Indsats
from screening.models import Afdeling

ZERO = Decimal("0.00")


@dataclass
class Andel:
    """An amount per year and in total (the total is the sum of the years, so everything adds up)."""

    per_aar: dict[int, Decimal]

    @property
    def total(self) -> Decimal:
        return sum(self.per_aar.values(), ZERO)

    def values(self, years) -> list[Decimal]:
        return [self.per_aar.get(year, ZERO) for year in years]


@dataclass
class Anvendelse(Andel):
    navn: str = ""
    procentpoint: Decimal = ZERO


@dataclass
class PartAndel(Andel):
    navn: str = ""
    art: str = ""
    art_label: str = ""
    procent: Decimal = ZERO
    anvendelser: list[Anvendelse] = field(default_factory=list)


@dataclass
class AfdelingAndel(Andel):
    afdeling: Afdeling | None = None
    grundlag: Decimal = ZERO
    antal_aar: int = 1
    # The afdeling's size the split used: as it was when the version was submitted, once it has been.
    lejemaal: int = 0
    areal_m2: Decimal | None = None

    @property
    def pr_aar(self) -> Decimal:
        """The average per year over the period."""
        return (self.total / self.antal_aar).quantize(allocation.ORE)

    @property
    def pr_lejemaal_pr_aar(self) -> Decimal | None:
        return allocation.per_unit(self.pr_aar, self.lejemaal)

    @property
    def pr_m2_pr_aar(self) -> Decimal | None:
        return allocation.per_unit(self.pr_aar, self.areal_m2)


@dataclass
class Finansiering:
    indsats: Indsats
    version: Budgetversion | None
    years: list[int]
    budget: Andel
    parter: list[PartAndel]
    afdelinger: list[AfdelingAndel]
    afdelingsgrundlag: str
    afdelingsgrundlag_label: str
    lokal_andel_pct: Decimal | None
    standardnoegle: bool
    advarsler: list[str]
    # The percentage of the budget beyond which a regnskab line is flagged.
    afvigelsesgraense: Decimal

    @property
    def procent_i_alt(self) -> Decimal:
        """The parties' percentages together (100 for a complete key)."""
        return sum((part.procent for part in self.parter), Decimal(0))

    @property
    def afdelingspart(self) -> PartAndel | None:
        return next((p for p in self.parter if p.art == Finansieringspart.Art.AFDELINGER), None)


def _stored_parter(noegle: Fordelingsnoegle | None) -> list[DefaultParty]:
    if noegle is None:
        return []
    return [
        DefaultParty(p.art, p.navn, p.procent, tuple((a.navn, a.procentpoint) for a in p.anvendelser.all()))
        for p in noegle.parter.all()
    ]


def budget_per_aar(version: Budgetversion | None, years: list[int]) -> dict[int, Decimal]:
    """The version's total per year of the period: as read with the version (queries.latest_version reads
    its `line_totals`), or in one aggregate query."""
    totals = {year: ZERO for year in years}
    if version is None:
        return totals
    line_totals = getattr(version, "line_totals", None)
    if line_totals is None:
        rows = version.linjer.filter(aar__in=years).values("aar").annotate(total=Sum("beloeb"))
    else:
        rows = [{"aar": row["aar"], "total": Decimal(row["total"])} for row in line_totals]
    for row in rows:
        if row["aar"] in totals:
            totals[row["aar"]] = row["total"]
    return totals


def indsats_finansiering(
    indsats: Indsats, version: Budgetversion | None = None, afdelinger: list[Afdeling] | None = None
) -> Finansiering:
    """The split of a budget version (default: the latest) per party, per kommune sub-use and per afdeling.

    `afdelinger` splits the local share between those instead of the indsats's current afdelinger: what
    each would pay if the others left (a helhedsplan before the afdelinger that voted no drop out).

    Problems that stop a split (a key that does not sum to 100, afdelinger without lejemål...) are
    returned as Danish warnings with zero amounts rather than raised, so a page or pack can always show
    what is there and what is missing.
    """
    if version is None:
        version = latest_version(indsats)
    noegle = (
        Fordelingsnoegle.objects.filter(indsats=indsats)
        .prefetch_related("parter__anvendelser", "aftalte_andele")
        .first()
    )
    if afdelinger is None:
        afdelinger = list(
            indsats.afdelinger.select_related("organisation").order_by("organisation__navn", "nummer")
        )
    return _split(indsats, version, noegle, _stored_parter(noegle), afdelinger)


def _key_without_uses(indsats: Indsats) -> tuple[Fordelingsnoegle | None, list[DefaultParty]]:
    """The indsats's fordelingsnøgle and its parties without the kommune's sub-uses: one query, and a second
    for a key without parties."""
    stored = list(
        Finansieringspart.objects.filter(noegle__indsats=indsats)
        .select_related("noegle")
        .order_by("sortering", "id")
    )
    if not stored:
        return Fordelingsnoegle.objects.filter(indsats=indsats).first(), []
    return stored[0].noegle, [DefaultParty(p.art, p.navn, p.procent) for p in stored]


def finansiering_without_uses(
    indsats: Indsats, version: Budgetversion | None, afdelinger: list[Afdeling] | None = None
) -> Finansiering:
    """The split of `version` as indsats_finansiering splits it, read for the helhedsplan lifecycle's checks
    with only what they ask about: the parties with their fordelingsnøgle in one query, without the kommune's
    sub-uses (each party's `anvendelser` is empty), and the agreed amounts only when the afdelinger are split
    by them. The local share is split between `afdelinger`, in the order given; without them it is not split
    (`afdelinger` is empty)."""
    noegle, parter = _key_without_uses(indsats)
    return _split(indsats, version, noegle, parter, afdelinger)


def party_totals(indsats: Indsats, version: Budgetversion) -> dict[str, Decimal]:
    """Each kind of party's total of the version, split as indsats_finansiering splits it."""
    totals: dict[str, Decimal] = {}
    for part in finansiering_without_uses(indsats, version).parter:
        totals[part.art] = totals.get(part.art, ZERO) + part.total
    return totals


def _split(indsats, version, noegle, parter, afdelinger) -> Finansiering:
    """The split of `version` by the fordelingsnøgle `noegle` with `parter` (the default key for an indsats
    without a key of its own) between the parties, the kommune's sub-uses and `afdelinger` (None: the local
    share is not split)."""
    years = period_years(indsats)
    per_aar = budget_per_aar(version, years)
    standard = False
    if not parter and noegle is None:
        parter, standard = default_parties(indsats), True
    grundlag = noegle.afdelingsgrundlag if noegle else Fordelingsnoegle.Grundlag.LEJEMAAL
    advarsler: list[str] = []
    if not years:
        advarsler.append("Indsatsen har ingen start- og slutdato, så budgettet kan ikke fordeles på år.")

    part_andele = _split_parter(parter, per_aar, advarsler)
    percentages = {i: p.procent for i, p in enumerate(parter)}
    lbf = {i for i, p in enumerate(parter) if p.art == Finansieringspart.Art.LBF}
    lokal = allocation.local_cofinancing_pct(percentages, lbf) if parter else None
    warning = allocation.local_cofinancing_warning(percentages, lbf) if parter else None
    if warning:
        advarsler.append(warning)

    afdelingspart = next((p for p in part_andele if p.art == Finansieringspart.Art.AFDELINGER), None)
    afdeling_andele = []
    if afdelingspart is not None and afdelinger is not None:
        aftalt = (
            {a.afdeling_id: a.beloeb for a in noegle.aftalte_andele.all()}
            if grundlag == Fordelingsnoegle.Grundlag.AFTALT
            else {}
        )
        sizes = _sizes(afdelinger, version)
        afdeling_andele = _split_afdelinger(afdelingspart, sizes, grundlag, aftalt, years, advarsler)
    return Finansiering(
        indsats=indsats,
        version=version,
        years=years,
        budget=Andel(per_aar),
        parter=part_andele,
        afdelinger=afdeling_andele,
        afdelingsgrundlag=grundlag,
        afdelingsgrundlag_label=Fordelingsnoegle.Grundlag(grundlag).label,
        lokal_andel_pct=lokal,
        standardnoegle=standard,
        advarsler=advarsler,
        afvigelsesgraense=threshold_of(noegle),
    )


def _split_parter(parter: list[DefaultParty], per_aar, advarsler) -> list[PartAndel]:
    labels = dict(Finansieringspart.Art.choices)
    if not parter:
        advarsler.append("Fordelingsnøglen har ingen parter endnu.")
        return []
    percentages = {i: p.procent for i, p in enumerate(parter)}
    try:
        split = allocation.split_years_by_percentages(per_aar, percentages)
    except allocation.AllocationError as error:
        advarsler.append(str(error))
        split = {i: {year: ZERO for year in per_aar} for i in percentages}
    result = []
    for i, part in enumerate(parter):
        andel = PartAndel(
            split[i],
            navn=part.navn,
            art=part.art,
            art_label=labels.get(part.art, part.art),
            procent=part.procent,
        )
        andel.anvendelser = _split_anvendelser(part, andel, advarsler)
        result.append(andel)
    return result


def _split_anvendelser(part: DefaultParty, andel: PartAndel, advarsler) -> list[Anvendelse]:
    if not part.anvendelser:
        return []
    points = {navn: point for navn, point in part.anvendelser}
    if sum(points.values(), Decimal(0)) != part.procent:
        advarsler.append(
            f"Anvendelserne af {part.navn}s andel giver {percent(sum(points.values()))} point, "
            f"men andelen er {percent(part.procent)} %."
        )
        return [
            Anvendelse({y: ZERO for y in andel.per_aar}, navn=n, procentpoint=p) for n, p in points.items()
        ]
    if not any(points.values()):
        return [Anvendelse(dict(andel.per_aar), navn=n, procentpoint=p) for n, p in points.items()]
    split = allocation.split_years_by_weights(andel.per_aar, points)
    return [Anvendelse(split[n], navn=n, procentpoint=p) for n, p in points.items()]


def _sizes(afdelinger, version) -> dict[Afdeling, tuple[int, Decimal | None]]:
    """Each afdeling's lejemål and m² for the split: those recorded when the version was submitted (a later
    change in the register does not move what was applied for and approved), else the current ones."""
    recorded = version.afdelingstal if version is not None else {}
    sizes = {}
    for afdeling in afdelinger:
        then = recorded.get(str(afdeling.pk))
        if then is None:
            sizes[afdeling] = (afdeling.lejemaal, afdeling.areal_m2)
        else:
            areal = then["areal_m2"]
            sizes[afdeling] = (then["lejemaal"], Decimal(areal) if areal is not None else None)
    return sizes


def _split_afdelinger(afdelingspart, sizes, grundlag, aftalt, years, advarsler) -> list[AfdelingAndel]:
    afdelinger = list(sizes)
    if not afdelinger:
        advarsler.append("Indsatsen har ingen afdelinger at fordele den lokale andel på.")
        return []
    if grundlag == Fordelingsnoegle.Grundlag.AREAL:
        weights = {a.pk: sizes[a][1] for a in afdelinger}
    elif grundlag == Fordelingsnoegle.Grundlag.AFTALT:
        weights = {a.pk: aftalt.get(a.pk, ZERO) for a in afdelinger}
        agreed = sum(weights.values(), ZERO)
        if agreed and agreed != afdelingspart.total:
            advarsler.append(
                f"De aftalte beløb giver {kroner(agreed)} kr., men afdelingernes andel er "
                f"{kroner(afdelingspart.total)} kr. "
                "Andelen er fordelt i forhold til de aftalte beløb."
            )
    else:
        weights = {a.pk: sizes[a][0] for a in afdelinger}
    try:
        split = allocation.split_years_by_weights(afdelingspart.per_aar, weights)
    except allocation.AllocationError as error:
        advarsler.append(f"Den lokale andel kan ikke fordeles på afdelingerne: {error}")
        split = {pk: {year: ZERO for year in afdelingspart.per_aar} for pk in weights}
    antal_aar = max(len(years), 1)
    return [
        AfdelingAndel(
            split[a.pk],
            afdeling=a,
            grundlag=Decimal(weights[a.pk] or 0),
            antal_aar=antal_aar,
            lejemaal=sizes[a][0],
            areal_m2=sizes[a][1],
        )
        for a in afdelinger
    ]


def budget_problems(finansiering: Finansiering) -> list[str]:
    """What keeps a budget from being sent with an application, in Danish (empty: nothing): it needs
    amounts in the period and a fordelingsnøgle whose parties make 100 %."""
    version = finansiering.version
    if version is None:
        return ["Planen har intet budget."]
    problems = []
    if not finansiering.years:
        problems.append("Planen har ingen start- og slutdato, så budgettet kan ikke fordeles på år.")
    elif finansiering.budget.total == ZERO:
        problems.append(f"Budgetversion {version.nummer} har ingen beløb i planens periode.")
    if finansiering.standardnoegle or not finansiering.parter:
        problems.append("Planen har ingen fordelingsnøgle.")
    else:
        total_pct = finansiering.procent_i_alt
        if total_pct != 100:
            problems.append(f"Fordelingsnøglens parter giver {percent(total_pct)} %, ikke 100 %.")
    return problems


def afdeling_cost_problems(finansiering: Finansiering) -> list[str]:
    """What keeps each afdeling's cost (kr. per year and per lejemål per year) from being computed, in
    Danish (empty: every afdeling's cost can be shown to its afdelingsmøde)."""
    problems = budget_problems(finansiering)
    if problems:
        return problems
    part = finansiering.afdelingspart
    if part is None:
        return []  # the afdelinger pay nothing
    if not finansiering.afdelinger:
        return ["Planen har ingen afdelinger at fordele den lokale andel på."]
    without = [str(share.afdeling) for share in finansiering.afdelinger if not share.lejemaal]
    if without:
        problems.append(
            f"Udgiften pr. lejemål kan ikke beregnes for {', '.join(without)}: antal lejemål mangler."
        )
    if sum((share.total for share in finansiering.afdelinger), ZERO) != part.total:
        problems.append(
            "Afdelingernes andel kan ikke fordeles på afdelingerne. Se fordelingen under Finansiering."
        )
    return problems
