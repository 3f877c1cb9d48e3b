"""What an årsrapport shows for one plan and year: the goals against their targets, the milestones done
and coming, the accounts against the budget per indsatsområde, the reguleringskonto, the payments, and the
decisions and changes of the year. Read here; drawn by templates/pdf/aarsrapport.html."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Sum
from django.utils import timezone

from finansiering import queries as budget_queries
from finansiering.models import Regnskabslinje
from helhedsplaner import queries
from helhedsplaner.models import Aarsstatus, Helhedsplan
from helhedsplaner.payments import plan_payments
from indsatser import goals

ZERO = Decimal("0.00")


def default_year(plan: Helhedsplan) -> int:
    """The year an årsrapport is made for when none is named: this year, within the plan's period."""
    today = timezone.localdate().year
    years = budget_queries.period_years(plan.indsats)
    if not years:
        return today
    return min(max(today, years[0]), years[-1])


@dataclass(frozen=True)
class AccountRow:
    omraade: str
    budget: Decimal
    regnskab: Decimal

    @property
    def afvigelse(self) -> Decimal:
        return self.regnskab - self.budget


def accounts(indsats, aar: int) -> list[AccountRow]:
    """The year's budget in force against its accounts, per indsatsområde (two aggregate queries)."""
    version = budget_queries.budget_in_force(indsats)
    planned = {}
    if version is not None:
        for line in (
            version.linjer.filter(aar=aar).values("indsatsomraade__navn").annotate(total=Sum("beloeb"))
        ):
            planned[line["indsatsomraade__navn"]] = line["total"]
    spent = {
        line["indsatsomraade__navn"]: line["total"]
        for line in Regnskabslinje.objects.filter(indsats=indsats, aar=aar)
        .values("indsatsomraade__navn")
        .annotate(total=Sum("beloeb"))
    }
    names = sorted(set(planned) | set(spent))
    return [AccountRow(name, planned.get(name, ZERO), spent.get(name, ZERO)) for name in names]


def regulations(indsats, status, aar: int, rows: list[AccountRow]) -> list:
    """The reguleringskonto as the year page shows it (queries.regulation_rows), once there are accounts."""
    if not indsats.regnskabslinjer.filter(aar=aar).exists():
        return []
    chosen = {post.part_id: post for post in status.reguleringer.all()} if status else {}
    unspent = sum((r.budget for r in rows), ZERO) - sum((r.regnskab for r in rows), ZERO)
    return queries.regulation_rows(indsats, unspent, chosen)


def annual_context(plan: Helhedsplan, aar: int) -> dict:
    indsats = plan.indsats
    maalsaetninger = list(
        indsats.maalsaetninger.select_related("indikator", "indsatsomraade", "indsats")
        .prefetch_related("maaltal")
        .order_by("id")
    )
    payments = plan_payments(plan)
    status = Aarsstatus.objects.filter(plan=plan, aar=aar).first()
    rows = accounts(indsats, aar)
    return {
        "aar": aar,
        "aarets_maal": goals.benchmark(maalsaetninger, aar),
        "maalsaetninger": maalsaetninger,
        "milepaele": list(plan.milepaele.filter(dato__year=aar).order_by("dato", "id")),
        "kommende_milepaele": list(plan.milepaele.filter(dato__year=aar + 1).order_by("dato", "id")),
        "regnskab": rows,
        "regnskab_i_alt": AccountRow(
            "I alt", sum((r.budget for r in rows), ZERO), sum((r.regnskab for r in rows), ZERO)
        ),
        "aarsstatus": status,
        "reguleringer": regulations(indsats, status, aar, rows),
        "positioner": payments.positions,
        "aarets_rater": [row for row in payments.instalments if row.instalment.dato.year == aar],
        "aarets_udbetalinger": [p for p in payments.received if p.dato.year == aar],
        "beslutninger": list(
            plan.beslutninger.filter(dato__year=aar)
            .select_related("afdeling")
            .prefetch_related("betingelser")
            .order_by("dato", "id")
        ),
        "aendringer": list(plan.aendringsanmodninger.filter(oprettet__year=aar).order_by("nummer")),
    }
