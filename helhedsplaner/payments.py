"""A plan's payments from the funders: the instalments expected, the payments received, which instalments are
held back and why, and the cash position per funder (finansiering/payments.py does the sums).

An instalment waits for the reports due by its date (LBF held back payments while the accounts or goal
reports were late): it is held while one of them is overdue, that is not sent after its deadline day. When
the funder has paid part of it with a payment tied to a report (RapportUdbetaling), it also waits for that
report until it is sent: a tie adds to what it waits for and never lifts the hold of an overdue report. The
hold is worked out when the page is read, so it lifts the day the last report it waits for is marked sent.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.utils import timezone

from config.web.formatting import numeric_date
from finansiering.models import ForventetUdbetaling, ModtagetUdbetaling, Udbetalingspart
from finansiering.payments import Instalment, Payment, Position, cash_position, open_amounts, settled_by
from helhedsplaner import queries
from helhedsplaner.models import Rapporteringsforpligtelse, RapportUdbetaling


def waits_for(instalment_date: date, obligations, today: date) -> list:
    """The obligations an instalment due on `instalment_date` is held back by on `today`: those due by its
    date that are overdue (the deadline day itself is still on time)."""
    return [o for o in obligations if o.frist <= instalment_date and o.overskredet_pr(today)]


def _names(obligations) -> str:
    return "; ".join(f"{o.type.navn} {o.aar} (frist {numeric_date(o.frist)})" for o in obligations)


def hold_reason(obligations, today: date) -> str:
    late = [o for o in obligations if o.overskredet_pr(today)]
    awaited = [o for o in obligations if not o.overskredet_pr(today)]
    reasons = []
    if late:
        reasons.append(f"Tilbageholdes, fordi rapporteringen er overskredet: {_names(late)}.")
    if awaited:
        lead = "Afventer desuden" if late else "Tilbageholdes, indtil rapporten er sendt"
        reasons.append(f"{lead}: {_names(awaited)}.")
    return " ".join(reasons)


@dataclass
class InstalmentRow:
    instalment: ForventetUdbetaling
    aaben: Decimal  # what is not yet paid of it
    afventer: list  # the obligations holding it back: overdue ones, and a tied one not sent
    today: date

    @property
    def held(self) -> bool:
        return bool(self.afventer) and self.aaben > 0

    @property
    def reason(self) -> str:
        return hold_reason(self.afventer, self.today) if self.held else ""


@dataclass
class PlanPayments:
    positions: list[Position]
    instalments: list[InstalmentRow]
    received: list[ModtagetUdbetaling]


def report_of(payment: ModtagetUdbetaling):
    """The report a payment received was paid for, or None."""
    try:
        return payment.for_rapport.forpligtelse
    except RapportUdbetaling.DoesNotExist:
        return None


def tilsagn_by_part(plan) -> dict[str, Decimal]:
    """Each funder's granted amount (helhedsplaner.queries.tilsagn), by the payments' part."""
    return {grant.organ: grant.bevilget_beloeb for grant in queries.tilsagn(plan)}


def plan_payments(plan, today: date | None = None) -> PlanPayments:
    today = today or timezone.localdate()
    indsats = plan.indsats
    instalments = list(ForventetUdbetaling.objects.filter(indsats=indsats).order_by("dato", "part", "id"))
    received = list(
        ModtagetUdbetaling.objects.filter(indsats=indsats)
        .select_related("for_rapport__forpligtelse__type")
        .order_by("dato", "part", "id")
    )
    obligations = list(
        Rapporteringsforpligtelse.objects.filter(plan=plan)
        .exclude(status=Rapporteringsforpligtelse.Status.SENDT)
        .select_related("type")
    )
    totals = {part: Decimal("0.00") for part in Udbetalingspart.values}
    for payment in received:
        totals[payment.part] += payment.beloeb
    plain = [Instalment(i.pk, i.part, i.dato, i.beloeb) for i in instalments]
    remainders = open_amounts(plain, totals)
    tied = {payment.pk: report_of(payment).pk for payment in received if report_of(payment)}
    settling = settled_by(plain, [Payment(p.pk, p.part, p.dato, p.beloeb) for p in received])
    rows = []
    for instalment in instalments:
        own_reports = {tied[key] for key in settling[instalment.pk] if key in tied}
        waiting = waits_for(instalment.dato, obligations, today)
        waiting += [o for o in obligations if o.pk in own_reports and o not in waiting]
        rows.append(InstalmentRow(instalment, remainders[instalment.pk], waiting, today))
    positions = cash_position(
        Udbetalingspart.choices,
        tilsagn_by_part(plan),
        plain,
        totals,
        {row.instalment.pk for row in rows if row.held},
    )
    return PlanPayments(positions=positions, instalments=rows, received=received)
