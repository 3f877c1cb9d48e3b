"""Demo change requests (ændring af godkendt plan), laid down through helhedsplaner/actions.py after the
demo budgets: Tingbjerg's approved move of money between years, decided by both funders, and Bispebjerg's
pending change (an afdeling leaves, the last year's budget shrinks), approved by LBF and awaiting the
kommune. Running it again changes nothing: a plan that has a change request is left alone."""

from decimal import Decimal

from django.contrib.auth.models import User
from django.utils import timezone

from finansiering import actions as budget_actions
from finansiering import queries as budget_queries
from finansiering.models import Budgetlinje
from helhedsplaner import actions, queries
from helhedsplaner.models import Beslutning, Helhedsplan

Organ = Beslutning.Organ
TINGBJERG = "Boligsocial helhedsplan Tingbjerg-Utterslevhuse 2024-28"
BISPEBJERG = "Boligsocial helhedsplan Bispebjerg/Nordvest 2022-26"


def _plan(titel) -> Helhedsplan | None:
    plan = Helhedsplan.objects.filter(indsats__titel=titel).select_related("indsats").first()
    if plan is None or plan.aendringsanmodninger.exists() or plan.tilstand not in queries.OPEN_STATES:
        return None
    if budget_queries.approved_version(plan.indsats) is None:
        return None
    return plan


def _move(version, kode, from_year, to_year, amount, staff) -> None:
    """Move `amount` of one cost type's money from one year to another (the first område that has it)."""
    source = (
        Budgetlinje.objects.filter(version=version, aar=from_year, omkostningstype__kode=kode)
        .select_related("indsatsomraade", "omkostningstype")
        .order_by("indsatsomraade__sortering")
        .first()
    )
    target = Budgetlinje.objects.filter(
        version=version,
        aar=to_year,
        indsatsomraade=source.indsatsomraade,
        omkostningstype=source.omkostningstype,
    ).first()
    omraade, typ = source.indsatsomraade, source.omkostningstype
    budget_actions.save_budget_line(
        version, from_year, omraade, typ, source.beloeb - amount, acting_user=staff
    )
    budget_actions.save_budget_line(
        version,
        to_year,
        omraade,
        typ,
        (target.beloeb if target else Decimal(0)) + amount,
        "Flyttet ved ændring.",
        acting_user=staff,
    )


def _decide(anmodning, secretariat, organ, journalnummer):
    """The funder decides the day the change is sent (a decision cannot be dated before that) and grants its
    share of the proposed budget."""
    _now, share = queries.change_shares(anmodning)[organ]
    actions.record_change_decision(
        anmodning,
        {
            "organ": organ,
            "dato": timezone.localdate(),
            "udfald": "godkendt",
            "journalnummer": journalnummer,
            "bevilget_beloeb": share,
        },
        acting_user=secretariat,
    )


def seed_aendringer() -> int:
    """Returns how many change requests were made."""
    staff = User.objects.get(username="medarbejder")
    secretariat = User.objects.get(username="sekretariat")
    made = 0
    plan = _plan(TINGBJERG)
    if plan is not None:
        proposal = queries.current_frame(plan.indsats)
        proposal["begrundelse"] = (
            "Lektiecaféen i Tingbjerg Skole åbnede et år senere end planlagt, fordi lokalerne blev "
            "renoveret: 200.000 kr. til aktiviteter flyttes fra 2025 til 2027."
        )
        anmodning = actions.create_change_request(plan, proposal, acting_user=staff)
        _move(anmodning.budgetversion, "aktiviteter", 2025, 2027, Decimal(200_000), staff)
        actions.send_change_request(anmodning, acting_user=staff)
        _decide(anmodning, secretariat, Organ.LBF, "LBF-2025-1187-Æ1")
        _decide(anmodning, secretariat, Organ.KOMMUNE, "KK-2025-2044-Æ1")
        made += 1
    plan = _plan(BISPEBJERG)
    if plan is not None:
        proposal = queries.current_frame(plan.indsats)
        leaving = proposal["afdelinger"].pop()
        proposal["begrundelse"] = (
            f"{leaving} har på et ekstraordinært afdelingsmøde besluttet at træde ud af planen det sidste "
            "år. Budgettet for 2026 nedsættes tilsvarende."
        )
        anmodning = actions.create_change_request(plan, proposal, acting_user=staff)
        last = Budgetlinje.objects.filter(
            version=anmodning.budgetversion, aar=2026, omkostningstype__kode="loen"
        )
        line = last.select_related("indsatsomraade", "omkostningstype").order_by("-beloeb").first()
        budget_actions.save_budget_line(
            anmodning.budgetversion,
            2026,
            line.indsatsomraade,
            line.omkostningstype,
            line.beloeb - Decimal(250_000),
            "En medarbejder mindre i 2026.",
            acting_user=staff,
        )
        actions.send_change_request(anmodning, acting_user=staff)
        _decide(anmodning, secretariat, Organ.LBF, "LBF-2026-0311-Æ1")
        made += 1
    return made
