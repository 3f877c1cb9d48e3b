"""Ændring af godkendt plan: the only way the frame of an approved plan changes (indsatser/ramme.py).

Staff write a change request with a reason and the proposed frame: afdelinger, period, the
fordelingsnøgle's percentages, and a budget version (a draft copy of the approved one, edited on the
budget pages). They send it. It touches the funders' promise when the afdelinger, the period or the
percentages change, or when money moves between years or indsatsområder (a year's and an område's
totals differ from the approved budget): then LBF and the kommune decide it, recorded by the roles that
record their other decisions (lifecycle.DECISION_RECORDERS). Anything else (money moved between cost
types within a year and område) staff approve alone. Approved, it is applied in one transaction: the
frame changes, the proposed version becomes the approved budget, and the timeline says what changed.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db import transaction
from django.db.models import Max, Sum
from django.utils import timezone

from finansiering import actions as budget_actions
from finansiering import queries as budget_queries
from finansiering.models import Finansieringspart
from helhedsplaner import lifecycle
from helhedsplaner.models import Aendringsanmodning, Aendringsbeslutning, Haendelse
from indsatser import overlap
from indsatser.models import Indsats
from indsatser.transitions import STAFF, Conflict, Forbidden, Refused, user_roles

Status = Aendringsanmodning.Status
Udfald = Aendringsbeslutning.Udfald
# A change request is made to a plan the funders approved and that is still running.
OPEN_STATES = (lifecycle.AKTIV, lifecycle.AFSLUTNING)


def may_edit(user) -> bool:
    return bool(user_roles(user) & STAFF)


def _require_staff(user):
    if not may_edit(user):
        raise Forbidden("Din rolle kan ikke ændre en godkendt plan.")


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


def _check_proposal(indsats, data) -> None:
    problems = []
    if not data["afdelinger"]:
        problems.append("Vælg mindst én afdeling.")
    if data["slutdato"] < data["startdato"]:
        problems.append("Slutdatoen ligger før startdatoen.")
    parts = {str(part.pk) for part in parts_of(indsats)}
    procenter = data["procenter"]
    if set(procenter) != parts:
        problems.append("Angiv en procentsats for hver part i fordelingsnøglen.")
    elif sum((Decimal(v) for v in procenter.values()), Decimal(0)) != 100:
        problems.append("Fordelingsnøglens andele skal give præcis 100 %.")
    if problems:
        raise Refused(problems)


def _lock(anmodning) -> Aendringsanmodning:
    """The change request and its plan, both locked until the transaction ends."""
    lifecycle.lock(anmodning.plan)
    return Aendringsanmodning.objects.select_for_update().select_related("plan__indsats").get(pk=anmodning.pk)


def create(plan, user, data) -> Aendringsanmodning:
    """A new change request in kladde, with a draft copy of the approved budget to edit.

    data: begrundelse, afdelinger, startdato, slutdato, procenter ({part pk: percentage})."""
    _require_staff(user)
    with transaction.atomic():
        locked = lifecycle.lock(plan)
        if locked.tilstand not in OPEN_STATES:
            raise Refused(
                f"En ændring af godkendt plan kan kun laves, mens planen er aktiv eller i afslutning; "
                f"planen er i fasen «{locked.state.label}»."
            )
        if locked.aendringsanmodninger.filter(status__in=(Status.KLADDE, Status.SENDT)).exists():
            raise Refused("Planen har allerede en åben ændring. Afslut eller træk den tilbage først.")
        indsats = locked.indsats
        _check_proposal(indsats, data)
        approved = budget_queries.approved_version(indsats)
        if approved is None:
            raise Refused("Planen har intet godkendt budget at ændre.")
        nummer = (locked.aendringsanmodninger.aggregate(m=Max("nummer"))["m"] or 0) + 1
        version = budget_actions.create_version(
            indsats,
            approved.Fase.ANSOEGNING,
            f"Ændring {nummer} af godkendt plan: {data['begrundelse'].strip()}",
            kilde=approved,
            ramme_aendring=True,
            acting_user=user,
        )
        anmodning = Aendringsanmodning(
            plan=locked,
            nummer=nummer,
            begrundelse=data["begrundelse"].strip(),
            startdato=data["startdato"],
            slutdato=data["slutdato"],
            procenter=data["procenter"],
            budgetversion=version,
            oprettet_af=user,
        )
        anmodning._history_user = user
        anmodning.save()
        anmodning.afdelinger.set(data["afdelinger"])
        locked.haendelser.create(
            art=Haendelse.Art.AENDRING,
            bruger=user,
            tekst=f"Ændring {nummer} af godkendt plan oprettet: {anmodning.begrundelse}",
        )
    return anmodning


def update(anmodning, user, data) -> Aendringsanmodning:
    """Change the proposal while it is a kladde."""
    _require_staff(user)
    with transaction.atomic():
        locked = _lock(anmodning)
        if locked.status != Status.KLADDE:
            raise Conflict(f"Ændringen er {locked.get_status_display().lower()} og kan ikke længere rettes.")
        _check_proposal(locked.plan.indsats, data)
        locked.begrundelse = data["begrundelse"].strip()
        locked.startdato, locked.slutdato = data["startdato"], data["slutdato"]
        locked.procenter = data["procenter"]
        locked._history_user = user
        locked.save()
        locked.afdelinger.set(data["afdelinger"])
    return locked


# --- What the proposal changes ------------------------------------------------------------------------


@dataclass(frozen=True)
class Row:
    label: str
    current: str
    proposed: str

    @property
    def changed(self) -> bool:
        return self.current != self.proposed


def _dato(day: date | None) -> str:
    return f"{day:%d.%m.%Y}" if day else "–"


def _kr(amount: Decimal) -> str:
    return f"{amount:,.2f}".replace(",", "X").replace(".", ",").replace("X", ".") + " kr."


def _totals(version) -> dict:
    if version is None:
        return {}
    rows = version.linjer.values("aar", "indsatsomraade_id").annotate(s=Sum("beloeb"))
    return {(row["aar"], row["indsatsomraade_id"]): row["s"] for row in rows if row["s"]}


def _total(version) -> Decimal:
    return sum(_totals(version).values(), Decimal(0))


BUDGET_LABEL = "Budget i alt"


def comparison(anmodning) -> list[Row]:
    """The current frame beside the proposal, one row per part of the frame (for the page and the
    timeline); after the change is applied, `aendringer` holds the record of what it was."""
    indsats = anmodning.plan.indsats
    approved = budget_queries.approved_version(indsats)
    afdelinger_now = ", ".join(str(a) for a in indsats.afdelinger.order_by("nummer"))
    afdelinger_new = ", ".join(str(a) for a in anmodning.afdelinger.order_by("nummer"))
    rows = [
        Row("Afdelinger", afdelinger_now, afdelinger_new),
        Row("Startdato", _dato(indsats.startdato), _dato(anmodning.startdato)),
        Row("Slutdato", _dato(indsats.slutdato), _dato(anmodning.slutdato)),
    ]
    for part in parts_of(indsats):
        proposed = Decimal(anmodning.procenter.get(str(part.pk), part.procent))
        rows.append(Row(f"{part.navn} (%)", f"{part.procent.normalize():f}", f"{proposed.normalize():f}"))
    proposed_version = anmodning.budgetversion
    rows.append(
        Row(
            BUDGET_LABEL,
            f"{_kr(_total(approved))} (version {approved.nummer})" if approved else "–",
            f"{_kr(_total(proposed_version))} (version {proposed_version.nummer})"
            if proposed_version
            else "–",
        )
    )
    return rows


def needs_funders(anmodning, rows: list[Row] | None = None) -> bool:
    """Whether the change touches what the funders promised: afdelinger, period, percentages, or money
    moved between years or indsatsområder. `rows`: its comparison(), when the caller has it already."""
    rows = comparison(anmodning) if rows is None else rows
    if any(row.changed for row in rows if row.label != BUDGET_LABEL):
        return True
    approved = budget_queries.approved_version(anmodning.plan.indsats)
    return _totals(approved) != _totals(anmodning.budgetversion)


# --- Sending, deciding, withdrawing -------------------------------------------------------------------


def send(anmodning, user) -> Aendringsanmodning:
    _require_staff(user)
    with transaction.atomic():
        locked = _lock(anmodning)
        if locked.status != Status.KLADDE:
            raise Conflict(f"Ændringen er allerede {locked.get_status_display().lower()}.")
        if locked.budgetversion is None or not locked.budgetversion.linjer.exists():
            raise Refused("Det foreslåede budget er tomt.")
        years = range(locked.startdato.year, locked.slutdato.year + 1)
        outside = sorted({line.aar for line in locked.budgetversion.linjer.all() if line.aar not in years})
        if outside:
            raise Refused(
                "Det foreslåede budget har beløb uden for den foreslåede periode "
                f"({', '.join(map(str, outside))}). Ret budgettet, før ændringen sendes."
            )
        _refuse_new_overlaps(locked)
        try:
            # Sent, the proposed budget is what the decision is about: locked until it is decided.
            budget_actions.submit_budget(
                locked.budgetversion, afdelinger=locked.afdelinger.all(), acting_user=user
            )
        except budget_actions.BudgetError as problem:
            raise Refused(str(problem)) from problem
        locked.status = Status.SENDT
        locked.sendt = timezone.now()
        locked._history_user = user
        locked.save()
        who = "Landsbyggefonden og kommunen" if needs_funders(locked) else "fsb (ingen ændring af rammen)"
        locked.plan.haendelser.create(
            art=Haendelse.Art.AENDRING,
            bruger=user,
            tekst=f"Ændring {locked.nummer} af godkendt plan sendt til afgørelse hos {who}.",
        )
    return locked


def _refuse_new_overlaps(anmodning) -> None:
    """Checked when the change is sent and again when it is applied: another plan may have taken the
    afdeling in between."""
    added = _new_overlaps(anmodning)
    if added:
        raise Refused(
            [
                *(str(found) for found in added),
                "En ændring kan ikke føre en afdeling ind i en anden helhedsplans periode. "
                "Afklar det med den anden plan først.",
            ]
        )


def _new_overlaps(anmodning) -> list[overlap.Overlap]:
    """The other live helhedsplaner the proposed frame would share an afdeling with that the current frame
    does not already share (an overlap confirmed when the plan was approved stays as it was)."""
    indsats = anmodning.plan.indsats
    current = overlap.overlaps(indsats.afdelinger.all(), indsats.startdato, indsats.slutdato, exclude=indsats)
    shared = {(found.indsats.pk, afdeling.pk) for found in current for afdeling in found.afdelinger}
    proposed = overlap.overlaps(
        anmodning.afdelinger.all(), anmodning.startdato, anmodning.slutdato, exclude=indsats
    )
    return [
        found
        for found in proposed
        if any((found.indsats.pk, afdeling.pk) not in shared for afdeling in found.afdelinger)
    ]


def withdraw(anmodning, user) -> Aendringsanmodning:
    _require_staff(user)
    with transaction.atomic():
        locked = _lock(anmodning)
        if not locked.is_open:
            raise Conflict(f"Ændringen er allerede {locked.get_status_display().lower()}.")
        _close(locked, user, Status.TRUKKET_TILBAGE, f"Ændring {locked.nummer} er trukket tilbage.")
        if locked.budgetversion is not None:
            budget_actions.set_aside_budget(locked.budgetversion, acting_user=user)
    return locked


def approve_by_staff(anmodning, user) -> Aendringsanmodning:
    """Staff approve a sent change that does not touch the funders' promise; it is applied at once."""
    _require_staff(user)
    with transaction.atomic():
        locked = _lock(anmodning)
        if locked.status != Status.SENDT:
            raise Conflict("Kun en sendt ændring kan godkendes.")
        if needs_funders(locked):
            raise Refused(
                "Ændringen rører ved afdelinger, periode, fordelingsnøgle eller flytter penge mellem år "
                "eller indsatsområder: Landsbyggefonden og kommunen skal godkende den."
            )
        _apply(locked, user)
    return locked


def organs_open(anmodning, user) -> list[str]:
    """The funders whose decision this user may record on the change request now."""
    if anmodning.status != Status.SENDT or not needs_funders(anmodning):
        return []
    return [organ for organ in lifecycle.FUNDERS if lifecycle.may_record_decision(user, organ)]


def record_decision(anmodning, user, data) -> Aendringsbeslutning:
    """LBF's or the kommune's decision (data: organ, dato, udfald, journalnummer, bemaerkning). A refusal
    refuses the change; when both have approved, the change is applied."""
    organ = data["organ"]
    if organ not in lifecycle.FUNDERS:
        raise Refused("Kun Landsbyggefondens og kommunens beslutninger registreres her.")
    if not lifecycle.may_record_decision(user, organ):
        raise Forbidden(f"Din rolle kan ikke registrere beslutninger fra {lifecycle.Organ(organ).label}.")
    if data["dato"] > timezone.localdate():
        raise Refused("Beslutningens dato ligger i fremtiden.")
    with transaction.atomic():
        locked = _lock(anmodning)
        if locked.status != Status.SENDT:
            raise Conflict(
                f"Ændringen er {locked.get_status_display().lower()}: den venter ikke på en beslutning."
            )
        if not needs_funders(locked):
            raise Refused("Ændringen rører ikke ved rammen og godkendes af fsb.")
        sent = timezone.localdate(locked.sendt)
        if data["dato"] < sent:
            raise Refused(f"Beslutningen kan ikke ligge før ændringen blev sendt ({sent:%d.%m.%Y}).")
        decision = Aendringsbeslutning(
            anmodning=locked,
            organ=organ,
            dato=data["dato"],
            udfald=data["udfald"],
            journalnummer=data.get("journalnummer", ""),
            bemaerkning=data.get("bemaerkning", ""),
            registreret_af=user,
        )
        decision._history_user = user
        decision.save()
        label = lifecycle.Organ(organ).label
        locked.plan.haendelser.create(
            art=Haendelse.Art.AENDRING,
            bruger=user,
            tekst=f"{label}: {decision.get_udfald_display().lower()} ændring {locked.nummer} "
            f"den {decision.dato:%d.%m.%Y}." + (f"\n{decision.bemaerkning}" if decision.bemaerkning else ""),
        )
        if decision.udfald == Udfald.AFVIST:
            _close(locked, user, Status.AFVIST, f"Ændring {locked.nummer} er afvist af {label}.")
            budget_actions.set_aside_budget(locked.budgetversion, acting_user=user)
        elif _funders_approved(locked):
            _apply(locked, user)
    return decision


def _funders_approved(anmodning) -> bool:
    latest = {}
    for decision in anmodning.beslutninger.order_by("registreret", "id"):
        latest[decision.organ] = decision.udfald
    return all(latest.get(organ) == Udfald.GODKENDT for organ in lifecycle.FUNDERS)


def _close(anmodning, user, status, text) -> None:
    anmodning.status = status
    anmodning.afgjort, anmodning.afgjort_af = timezone.now(), user
    anmodning._history_user = user
    anmodning.save()
    anmodning.plan.haendelser.create(art=Haendelse.Art.AENDRING, bruger=user, tekst=text)


def approve_proposed_budget(anmodning, user):
    """The funders (or staff, for a change within the frame) approved the change and its budget version:
    the version goes through the budget's own states, submitted and then approved, and the version approved
    before it is superseded."""
    version = budget_actions.submit_budget(anmodning.budgetversion, acting_user=user)
    return budget_actions.approve_budget(
        version, grounds=f"Ændring {anmodning.nummer} af godkendt plan", acting_user=user
    )


def _apply(anmodning, user) -> None:
    """Write the proposed frame to the plan (inside the caller's transaction, the rows locked)."""
    _refuse_new_overlaps(anmodning)
    changes = [f"{row.label}: {row.current} → {row.proposed}" for row in comparison(anmodning) if row.changed]
    indsats = Indsats.objects.select_for_update(of=("self",)).get(pk=anmodning.plan.indsats_id)
    indsats.startdato, indsats.slutdato = anmodning.startdato, anmodning.slutdato
    indsats._history_user = user
    indsats._change_reason = f"Ændring {anmodning.nummer} af godkendt plan"
    indsats.save(update_fields=["startdato", "slutdato", "aendret"])
    indsats.afdelinger.set(anmodning.afdelinger.all())
    for part in parts_of(indsats):
        proposed = Decimal(anmodning.procenter.get(str(part.pk), part.procent))
        if proposed != part.procent:
            part.procent = proposed
            part._history_user = user
            part.save(update_fields=["procent"])
    approve_proposed_budget(anmodning, user)
    text = f"Ændring {anmodning.nummer} af godkendt plan er godkendt og gennemført."
    anmodning.aendringer = "\n".join(changes or ["Budgettet er ændret inden for rammen."])
    _close(anmodning, user, Status.GODKENDT, f"{text}\n{anmodning.aendringer}")
