"""What helhedsplaner's pages, the admin and the actions read about decisions and change requests: the
organs a user may record a decision from now, this round's meeting for an afdeling, the funders' grants,
and a change request's proposed frame beside the current one."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from operator import itemgetter

from django.db.models import OuterRef, Prefetch, Sum
from django.db.models.functions import JSONObject

from config.web.formatting import kroner, numeric_date, percent
from config.web.lists import ValueList
from finansiering import allocation
from finansiering import queries as budget_queries
from finansiering.models import Budgetversion, Finansieringspart
from helhedsplaner import lifecycle
from helhedsplaner.models import (
    Aarsstatus,
    Aendringsanmodning,
    Aendringsbeslutning,
    Afdelingsmoede,
    Afvigelsesforklaring,
    Beslutning,
    Helhedsplan,
    Rapporteringsforpligtelse,
    RapportUdbetaling,
    Reguleringspost,
)
from indsatser.models import Indsats, Maaltal
from indsatser.transitions import STAFF, user_roles

Organ = Beslutning.Organ


def organs_open(plan, user) -> list[str]:
    """The organs whose decisions this user may record on the plan now (afdelingsmøder: their own form)."""
    return [
        organ
        for organ in plan.state.awaits
        if organ != Organ.AFDELINGSMOEDE and lifecycle.may_record_decision(user, organ)
    ]


def new_meeting(plan, afdeling) -> Afdelingsmoede:
    """This round's meeting for the afdeling: the one already registered, or a new unsaved one."""
    meeting = plan.afdelingsmoeder.filter(afdeling=afdeling, runde=plan.moederunde).first()
    return meeting or Afdelingsmoede(plan=plan, afdeling=afdeling, runde=plan.moederunde)


def outcome_settled(decision) -> bool:
    """Whether the plan has left the phase the decision was recorded in: the lifecycle acted on its
    outcome, so a changed outcome would contradict where the plan stands."""
    return decision.fase_nr != Helhedsplan.objects.values_list("fase_nr", flat=True).get(pk=decision.plan_id)


@dataclass(frozen=True)
class Grant:
    """A funder's tilsagn: the amount it granted, and why it differs from its share of the budget."""

    organ: str
    bevilget_beloeb: Decimal
    afvigelse_begrundelse: str

    @property
    def organ_label(self) -> str:
        return Organ(self.organ).label


def tilsagn(plan, decisions=None) -> list[Grant]:
    """The funders' grants on the plan: for LBF and the kommune, the latest registered decision with a
    granted amount, on the plan or on a change to it that was approved and applied. `decisions`: every
    decision on the plan, when the caller has read them. Only a plan the funders approved is changed: the
    changes' decisions are read for no other."""
    if decisions is None:
        decisions = plan.beslutninger.filter(bevilget_beloeb__isnull=False)
    fields = ("organ", "bevilget_beloeb", "afvigelse_begrundelse", "registreret")
    granted = [
        tuple(getattr(decision, name) for name in fields)
        for decision in decisions
        if decision.bevilget_beloeb is not None
    ]
    if plan.tilstand not in lifecycle.BEFORE_ACTIVE:
        granted += Aendringsbeslutning.objects.filter(
            anmodning__plan=plan, anmodning__status=Status.GODKENDT, bevilget_beloeb__isnull=False
        ).values_list(*fields)
    latest = {}
    for organ, amount, reason, _registered in sorted(granted, key=itemgetter(3)):
        latest[organ] = Grant(organ, amount, reason)
    return [latest[organ] for organ in lifecycle.FUNDERS if organ in latest]


# --- Ændring af godkendt plan (the writes are in actions.py) ------------------------------------------------

Status = Aendringsanmodning.Status


# A change request is made to a plan the funders approved and that is still running.
OPEN_STATES = (lifecycle.AKTIV, lifecycle.AFSLUTNING)


def may_edit_change_requests(user) -> bool:
    return bool(user_roles(user) & STAFF)


def parts_of(indsats: Indsats) -> list[Finansieringspart]:
    return list(Finansieringspart.objects.filter(noegle__indsats=indsats).order_by("sortering", "id"))


def current_frame(indsats: Indsats) -> dict:
    """The frame as it is now, in the shape of a proposal (what a new change request starts from)."""
    return {
        "afdelinger": list(indsats.afdelinger.order_by("nummer")),
        "startdato": indsats.startdato,
        "slutdato": indsats.slutdato,
        "procenter": {str(part.pk): str(part.procent.normalize()) for part in parts_of(indsats)},
    }


@dataclass(frozen=True)
class Row:
    label: str
    current: str
    proposed: str

    @property
    def changed(self) -> bool:
        return self.current != self.proposed


def _dato(day: date | None) -> str:
    return numeric_date(day) if day else "–"


def _kr(amount: Decimal) -> str:
    return kroner(amount) + " kr."


def _totals(version) -> dict:
    if version is None:
        return {}
    rows = version.linjer.values("aar", "indsatsomraade_id").annotate(s=Sum("beloeb"))
    return {(row["aar"], row["indsatsomraade_id"]): row["s"] for row in rows if row["s"]}


BUDGET_LABEL = "Budget i alt"


@dataclass(frozen=True)
class Review:
    """An open change request as its page weighs it: the budget version in force, the comparison of the
    frame with the proposal, whether the funders must decide, and what their shares are computed from (the
    parties with their proposed percentages, both budgets' totals)."""

    approved: Budgetversion | None
    rows: list[Row]
    needs_funders: bool
    parts: list[Finansieringspart]
    proposed_percentages: dict[int, Decimal]
    total_now: Decimal
    total_proposed: Decimal

    def shares(self) -> dict[str, tuple[Decimal, Decimal]]:
        """Each funder's share (LBF's, the kommune's) of the approved budget now and of the change's proposed
        budget under its proposed percentages: what its tilsagn covers before the change and after it. A
        party's share is its exact share of the budget's total, rounded once (finansiering.allocation), as
        the financing's tables give it."""
        now = _shares_by_kind(self.parts, {part.pk: part.procent for part in self.parts}, self.total_now)
        then = _shares_by_kind(self.parts, self.proposed_percentages, self.total_proposed)
        return {
            organ: (now.get(kind, Decimal(0)), then.get(kind, Decimal(0)))
            for organ, kind in lifecycle.FUNDER_PARTY.items()
        }


def _shares_by_kind(parts, percentages, total) -> dict[str, Decimal]:
    split = allocation.split_by_percentages(total.quantize(allocation.ORE), percentages)
    shares: dict[str, Decimal] = {}
    for part in parts:
        shares[part.art] = shares.get(part.art, Decimal(0)) + split[part.pk]
    return shares


def review(anmodning) -> Review:
    """The change request weighed, each row behind it read once: the approved version, both versions'
    totals by year and indsatsområde, both sets of afdelinger and the parties."""
    indsats = anmodning.plan.indsats
    approved = budget_queries.approved_version(indsats)
    proposed_version = anmodning.budgetversion
    totals_now, totals_proposed = _totals(approved), _totals(proposed_version)
    total_now, total_proposed = (
        sum(totals_now.values(), Decimal(0)),
        sum(totals_proposed.values(), Decimal(0)),
    )
    afdelinger_now = ", ".join(str(a) for a in indsats.afdelinger.order_by("nummer"))
    afdelinger_new = ", ".join(str(a) for a in anmodning.afdelinger.order_by("nummer"))
    parts = parts_of(indsats)
    proposed_percentages = {
        part.pk: Decimal(anmodning.procenter.get(str(part.pk), part.procent)) for part in parts
    }
    rows = [
        Row("Afdelinger", afdelinger_now, afdelinger_new),
        Row("Startdato", _dato(indsats.startdato), _dato(anmodning.startdato)),
        Row("Slutdato", _dato(indsats.slutdato), _dato(anmodning.slutdato)),
    ]
    for part in parts:
        proposed = proposed_percentages[part.pk]
        rows.append(Row(f"{part.navn} (%)", percent(part.procent), percent(proposed)))
    rows.append(
        Row(
            BUDGET_LABEL,
            f"{_kr(total_now)} (version {approved.nummer})" if approved else "–",
            f"{_kr(total_proposed)} (version {proposed_version.nummer})" if proposed_version else "–",
        )
    )
    # The funders decide when the change touches what they promised: afdelinger, period, percentages, or
    # money moved between years or indsatsområder.
    frame_changed = any(row.changed for row in rows if row.label != BUDGET_LABEL)
    return Review(
        approved,
        rows,
        frame_changed or totals_now != totals_proposed,
        parts,
        proposed_percentages,
        total_now,
        total_proposed,
    )


def comparison(anmodning) -> list[Row]:
    """The current frame beside the proposal, one row per part of the frame (for the page and the
    timeline); after the change is applied, `aendringer` holds the record of what it was."""
    return review(anmodning).rows


def needs_funders(anmodning) -> bool:
    """Whether the change touches what the funders promised (see review())."""
    return review(anmodning).needs_funders


def change_shares(anmodning) -> dict[str, tuple[Decimal, Decimal]]:
    """Each funder's share now and with the change (see Review.shares())."""
    return review(anmodning).shares()


def change_organs_open(anmodning, user, *, funders_decide: bool | None = None) -> list[str]:
    """The funders whose decision this user may record on the change request now. `funders_decide`: its
    needs_funders(), when the caller has it already."""
    if anmodning.status != Status.SENDT:
        return []
    if not (needs_funders(anmodning) if funders_decide is None else funders_decide):
        return []
    return [organ for organ in lifecycle.FUNDERS if lifecycle.may_record_decision(user, organ)]


# --- The active years ---------------------------------------------------------------------------------


def plan_years(plan) -> list[int]:
    """The calendar years of the plan's approved period, and any other year it still has a report for."""
    indsats = plan.indsats
    years = set(range(indsats.startdato.year, indsats.slutdato.year + 1)) if indsats.slutdato else set()
    return sorted(years | set(plan.forpligtelser.values_list("aar", flat=True)))


@dataclass
class GoalRow:
    maalsaetning: object
    maal: Decimal | None
    maalt: Decimal | None
    vurdering: str
    vurdering_label: str
    kommentar: str


@dataclass
class AccountRow:
    indsatsomraade: object
    omkostningstype: object
    budget: Decimal
    regnskab: Decimal | None
    forklaring: str

    @property
    def afvigelse(self) -> Decimal | None:
        return None if self.regnskab is None else self.regnskab - self.budget


@dataclass
class RegulationRow:
    part: Finansieringspart
    beloeb: Decimal  # positive: unspent; negative: overspent
    behandling: str
    behandling_label: str
    bemaerkning: str


@dataclass
class YearStatus:
    aar: int
    status: object  # the year's Aarsstatus, or None before anything is saved for the year
    obligations: list
    goals: list[GoalRow]
    milestones: list
    accounts: list[AccountRow]
    regulations: list[RegulationRow]

    @property
    def budget_total(self) -> Decimal:
        return sum((row.budget for row in self.accounts), Decimal(0))

    @property
    def regnskab_total(self) -> Decimal | None:
        if all(row.regnskab is None for row in self.accounts):
            return None
        return sum((row.regnskab or Decimal(0) for row in self.accounts), Decimal(0))


def goal_rows(plan, aar) -> list[GoalRow]:
    """Each of the plan's goals with its target, measured value and assessment for the year."""
    goals = list(plan.indsats.maalsaetninger.select_related("indikator").order_by("indikator__navn", "pk"))
    figures = {
        figure.maalsaetning_id: figure for figure in Maaltal.objects.filter(maalsaetning__in=goals, aar=aar)
    }
    labels = dict(Maaltal.Vurdering.choices)
    rows = []
    for goal in goals:
        figure = figures.get(goal.pk) or Maaltal(maalsaetning=goal, aar=aar)
        rows.append(
            GoalRow(
                goal,
                figure.maal,
                figure.maalt,
                figure.vurdering,
                labels.get(figure.vurdering, ""),
                figure.kommentar,
            )
        )
    return rows


def regulation_rows(indsats, unspent: Decimal, chosen: dict) -> list[RegulationRow]:
    """The reguleringskonto of a year with accounts: each party's share (its procent) of the money unspent
    (`unspent`: the budget in force less the accounts; negative when overspent) and what is done with it
    (`chosen`: the year's Reguleringspost rows by part id, as {"behandling", "bemaerkning"}). The year page
    and the årsrapport both show it."""
    labels = dict(Reguleringspost.Behandling.choices)
    rows = []
    for part in parts_of(indsats):
        post = chosen.get(part.pk, {"behandling": "", "bemaerkning": ""})
        rows.append(
            RegulationRow(
                part,
                (unspent * part.procent / 100).quantize(Decimal("0.01")),
                post["behandling"],
                labels.get(post["behandling"], ""),
                post["bemaerkning"],
            )
        )
    return rows


def year_status(plan, aar) -> YearStatus:
    """What the year's page shows: the reports due for the year, the goal figures, the milestones dated in
    the year, the accounts against the budget in force per line, and each party's part of the difference."""
    indsats = plan.indsats
    # The explanations of the accounts and what is done with each party's share come with the year's row.
    explained = Afvigelsesforklaring.objects.filter(aarsstatus=OuterRef("pk")).values(
        row=JSONObject(omraade="indsatsomraade_id", kind="omkostningstype_id", tekst="tekst")
    )
    regulated = Reguleringspost.objects.filter(aarsstatus=OuterRef("pk")).values(
        row=JSONObject(part="part_id", behandling="behandling", bemaerkning="bemaerkning")
    )
    status = (
        Aarsstatus.objects.filter(plan=plan, aar=aar)
        .annotate(
            explanation_values=ValueList(explained, "row", is_json=True),
            regulation_values=ValueList(regulated, "row", is_json=True),
        )
        .first()
    )
    explanations = {}
    chosen = {}
    if status is not None:
        explanations = {(row["omraade"], row["kind"]): row["tekst"] for row in status.explanation_values}
        chosen = {row["part"]: row for row in status.regulation_values}
    version = budget_queries.budget_in_force(indsats)
    budget = {}
    if version is not None:
        for line in version.linjer.filter(aar=aar).select_related("indsatsomraade", "omkostningstype"):
            budget[(line.indsatsomraade, line.omkostningstype)] = line.beloeb
    actual = {
        (line.indsatsomraade, line.omkostningstype): line.beloeb
        for line in indsats.regnskabslinjer.filter(aar=aar).select_related(
            "indsatsomraade", "omkostningstype"
        )
    }
    keys = sorted(
        set(budget) | set(actual),
        key=lambda key: (key[0].sortering, key[0].pk, key[1].sortering, key[1].pk),
    )
    accounts = [
        AccountRow(
            omraade,
            kind,
            budget.get((omraade, kind), Decimal(0)),
            actual.get((omraade, kind)),
            explanations.get((omraade.pk, kind.pk), ""),
        )
        for omraade, kind in keys
    ]
    unspent = sum(budget.values(), Decimal(0)) - sum(actual.values(), Decimal(0))
    regulations = regulation_rows(indsats, unspent, chosen) if actual else []
    return YearStatus(
        aar=aar,
        status=status,
        obligations=list(
            plan.forpligtelser.filter(aar=aar)
            .select_related("type", "ansvarlig", "sendt_af")
            .prefetch_related(
                Prefetch(
                    "udbetalinger",
                    queryset=RapportUdbetaling.objects.select_related("udbetaling").order_by(
                        "udbetaling__dato"
                    ),
                )
            )
        ),
        goals=goal_rows(plan, aar),
        milestones=list(plan.milepaele.filter(dato__year=aar).select_related("aktivitet")),
        accounts=accounts,
        regulations=regulations,
    )


DUE_WINDOW = timedelta(days=60)


def owed(obligations):
    """The obligations of plans that run: a closed plan's reports not sent are no longer owed, so they are
    neither due nor overdue (their state is Tilstand.BORTFALDET)."""
    return obligations.filter(plan__tilstand__in=lifecycle.RUNNING)


def due_obligations(today: date):
    """The reports not sent to the funders whose deadline is within 60 days or has passed, across every plan
    that runs, the nearest deadline first: the columns of the list of what is due, in one query."""
    return (
        owed(Rapporteringsforpligtelse.objects.exclude(status=Rapporteringsforpligtelse.Status.SENDT))
        .filter(frist__lte=today + DUE_WINDOW)
        .select_related("plan__indsats", "type", "ansvarlig")
        .only(
            "aar",
            "frist",
            "status",
            "plan__indsats__titel",
            "type__navn",
            "type__art",
            "ansvarlig__username",
            "ansvarlig__first_name",
            "ansvarlig__last_name",
        )
        .order_by("frist", "plan__indsats__titel", "type__sortering", "pk")
    )


def in_state(obligations, tilstand: str, today: date):
    """The obligations that are in `tilstand` (Rapporteringsforpligtelse.Tilstand) today, as a filter in SQL
    that agrees with `tilstand_pr`."""
    Status, Tilstand = Rapporteringsforpligtelse.Status, Rapporteringsforpligtelse.Tilstand
    if tilstand == Tilstand.SENDT:
        return obligations.filter(status=Status.SENDT)
    if tilstand == Tilstand.BORTFALDET:
        return obligations.exclude(status=Status.SENDT).exclude(plan__tilstand__in=lifecycle.RUNNING)
    open_ones = owed(obligations.exclude(status=Status.SENDT))
    if tilstand == Tilstand.FORFALDEN:
        return open_ones.filter(frist__lt=today)
    status = Status.KLAR if tilstand == Tilstand.KLAR else Status.AABEN
    return open_ones.filter(status=status, frist__gte=today)
