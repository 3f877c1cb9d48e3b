"""Budget rules: versions from draft to the funders' approval, locking, the indsats period, amounts."""

from decimal import Decimal

import pytest

from finansiering import actions as budget_actions
from finansiering import queries as budget_queries
from finansiering.models import Budgetlinje, Budgetversion, Finansieringspart, Fordelingsnoegle
from tests.finansiering.conftest import approve

pytestmark = pytest.mark.django_db


def test_first_version_gets_number_one_and_the_types_default_key(indsats, medarbejder):
    version = budget_actions.create_version(indsats, "praekvalifikation", acting_user=medarbejder)
    assert version.nummer == 1 and not version.laast
    parter = list(indsats.fordelingsnoegle.parter.values_list("art", "procent"))
    assert parter == [("lbf", Decimal(75)), ("kommune", Decimal("12.5")), ("afdelinger", Decimal("12.5"))]
    kommune = indsats.fordelingsnoegle.parter.get(art="kommune")
    assert [a.procentpoint for a in kommune.anvendelser.all()] == [Decimal("10.6"), Decimal("1.9")]


def test_periode_aar_and_budget_omraader(indsats, omraader):
    assert budget_queries.period_years(indsats) == [2025, 2026, 2027, 2028]
    assert budget_queries.budget_omraader(indsats) == omraader
    indsats.indsatsomraader.set(omraader[:2])
    assert budget_queries.budget_omraader(indsats) == omraader[:2]


def test_a_line_outside_the_period_is_refused(version, omraader, typer, medarbejder):
    with pytest.raises(budget_actions.BudgetError, match="2029 ligger uden for indsatsens periode"):
        budget_actions.save_budget_line(
            version, 2029, omraader[0], typer["loen"], Decimal(1), acting_user=medarbejder
        )
    assert version.linjer.count() == 2


def test_without_dates_nothing_can_be_budgeted(version, omraader, typer, medarbejder):
    version.indsats.slutdato = None
    with pytest.raises(budget_actions.BudgetError, match="startdato og en slutdato"):
        budget_actions.save_budget_line(
            version, 2025, omraader[0], typer["loen"], Decimal(1), acting_user=medarbejder
        )


@pytest.mark.parametrize(
    "amount,message",
    [(Decimal("-1.00"), "negativt"), (Decimal("1.005"), "to decimaler")],
)
def test_bad_amounts_are_refused(version, omraader, typer, amount, message, medarbejder):
    with pytest.raises(budget_actions.BudgetError, match=message):
        budget_actions.save_budget_line(
            version, 2025, omraader[0], typer["loen"], amount, acting_user=medarbejder
        )


def test_zero_without_note_removes_the_line_and_none_keeps_the_note(version, omraader, typer, medarbejder):
    line = budget_actions.save_budget_line(
        version, 2025, omraader[0], typer["loen"], Decimal("5.00"), acting_user=medarbejder
    )
    assert line.note == "Projektleder"  # note=None keeps it
    assert (
        budget_actions.save_budget_line(
            version, 2026, omraader[0], typer["aktiviteter"], Decimal(0), acting_user=medarbejder
        )
        is None
    )
    assert version.linjer.count() == 1


def test_approval_locks_the_version_and_is_idempotent(version, medarbejder, omraader, typer):
    approved = approve(version, medarbejder)
    assert approved.laast and approved.status == Budgetversion.Status.GODKENDT
    assert approved.godkendt_af == medarbejder and approved.godkendt_grundlag == "LBF og KK"
    when = approved.godkendt_tidspunkt
    assert budget_actions.approve_budget(approved, acting_user=medarbejder).godkendt_tidspunkt == when
    with pytest.raises(budget_actions.BudgetError, match="låst"):
        budget_actions.save_budget_line(
            approved, 2025, omraader[0], typer["loen"], Decimal(1), acting_user=medarbejder
        )
    assert Budgetlinje.objects.get(version=approved, aar=2025).beloeb == Decimal("1000000.00")


def test_a_draft_cannot_be_approved_without_the_funders(version, medarbejder):
    """A version became approved by staff alone, on a plan with no funder decision."""
    with pytest.raises(budget_actions.BudgetError, match="indsendt til bevillingsgiverne"):
        budget_actions.approve_budget(version, acting_user=medarbejder)
    version.refresh_from_db()
    assert version.status == Budgetversion.Status.UDKAST and version.godkendt_tidspunkt is None


def test_an_empty_version_cannot_be_submitted(indsats, medarbejder):
    version = budget_actions.create_version(indsats, "ansoegning", acting_user=medarbejder)
    with pytest.raises(budget_actions.BudgetError, match="tomt budget"):
        budget_actions.submit_budget(version, acting_user=medarbejder)
    version.refresh_from_db()
    assert version.status == Budgetversion.Status.UDKAST


def test_only_the_latest_version_is_submitted(version, medarbejder):
    later = budget_actions.create_version(
        version.indsats, "ansoegning", kilde=version, acting_user=medarbejder
    )
    with pytest.raises(budget_actions.BudgetError, match="seneste version"):
        budget_actions.submit_budget(version, acting_user=medarbejder)
    assert (
        budget_actions.submit_budget(later, acting_user=medarbejder).status == Budgetversion.Status.INDSENDT
    )


def test_nothing_changes_while_the_budget_is_with_the_funders(version, medarbejder, omraader, typer):
    """A budget cell was changed to 9,999,999.99 and an empty version added while the plan was with LBF
    and the kommune."""
    older_draft = version
    submitted = budget_actions.submit_budget(
        budget_actions.create_version(version.indsats, "ansoegning", kilde=version, acting_user=medarbejder),
        acting_user=medarbejder,
    )
    for target in (submitted, older_draft):
        with pytest.raises(budget_actions.BudgetError, match="sendt til bevillingsgiverne"):
            budget_actions.save_budget_line(
                target, 2025, omraader[0], typer["loen"], Decimal("9999999.99"), acting_user=medarbejder
            )
    with pytest.raises(budget_actions.BudgetError, match="sendt til bevillingsgiverne"):
        budget_actions.create_version(version.indsats, "ansoegning", acting_user=medarbejder)
    assert list(version.indsats.budgetversioner.values_list("nummer", flat=True)) == [1, 2]
    assert not Budgetlinje.objects.filter(beloeb=Decimal("9999999.99")).exists()


def test_after_a_decision_without_approval_work_goes_on_in_a_copy(version, medarbejder, omraader, typer):
    assert (
        budget_actions.create_draft_after_decision(
            version.indsats, "ansoegning", "x", decision="", acting_user=medarbejder
        )
        is None
    )
    submitted = budget_actions.submit_budget(version, acting_user=medarbejder)
    draft = budget_actions.create_draft_after_decision(
        version.indsats,
        "ansoegning",
        "Sendt tilbage.",
        decision="Landsbyggefonden: sendt tilbage 01.03.2026",
        acting_user=medarbejder,
    )
    assert (draft.nummer, draft.status, draft.begrundelse) == (2, "udkast", "Sendt tilbage.")
    assert draft.linjer.count() == submitted.linjer.count() == 2
    budget_actions.save_budget_line(
        draft, 2025, omraader[0], typer["loen"], Decimal("5.00"), acting_user=medarbejder
    )
    submitted.refresh_from_db()
    assert submitted.status == Budgetversion.Status.BESLUTTET
    assert submitted.godkendt_grundlag == "Landsbyggefonden: sendt tilbage 01.03.2026"
    assert submitted.linjer.get(aar=2025).beloeb == Decimal("1000000.00")


def test_a_new_approval_supersedes_the_one_before(version, medarbejder):
    first = approve(version, medarbejder)
    change = budget_actions.create_version(
        version.indsats, "ansoegning", "Ændring.", kilde=first, acting_user=medarbejder
    )
    second = approve(change, medarbejder)
    first.refresh_from_db()
    assert (first.status, second.status) == (Budgetversion.Status.ERSTATTET, Budgetversion.Status.GODKENDT)
    assert budget_queries.approved_version(version.indsats) == second
    with pytest.raises(budget_actions.BudgetError, match="indsendt til bevillingsgiverne"):
        budget_actions.approve_budget(first, acting_user=medarbejder)


def test_change_after_approval_is_a_new_version_with_a_reason(version, medarbejder):
    approve(version, medarbejder)
    with pytest.raises(budget_actions.BudgetError, match="begrundelse"):
        budget_actions.create_version(
            version.indsats, "ansoegning", "   ", kilde=version, acting_user=medarbejder
        )
    revision = budget_actions.create_version(
        version.indsats, "ansoegning", "Flere timer til lektiecafé.", version, acting_user=medarbejder
    )
    assert revision.nummer == 2 and not revision.laast
    assert revision.begrundelse == "Flere timer til lektiecafé."
    copied = sorted(revision.linjer.values_list("aar", "beloeb", "note"))
    assert copied == [(2025, Decimal("1000000.00"), "Projektleder"), (2026, Decimal("250000.50"), "")]
    with pytest.raises(budget_actions.BudgetError, match="når bevillingsgiverne godkender den"):
        budget_actions.create_version(version.indsats, "godkendt", "x", acting_user=medarbejder)


def test_versions_of_another_indsats_cannot_be_copied(version, foreign_indsats, medarbejder):
    with pytest.raises(budget_actions.BudgetError, match="anden indsats"):
        budget_actions.create_version(foreign_indsats, "ansoegning", kilde=version, acting_user=medarbejder)


def test_default_keys_by_type(indsats, foreign_indsats):
    assert [p.procent for p in budget_queries.default_parties(indsats)] == [
        Decimal(75),
        Decimal("12.5"),
        Decimal("12.5"),
    ]
    assert budget_queries.default_parties(foreign_indsats) == []  # udviklingsprojekt: no usual key


def test_approval_stores_the_default_key_when_none_was_stored(version, medarbejder):
    Fordelingsnoegle.objects.filter(indsats=version.indsats).delete()
    approve(version, medarbejder)
    assert Finansieringspart.objects.filter(noegle__indsats=version.indsats).count() == 3


def test_history_is_kept(version, omraader, typer, medarbejder):
    line = budget_actions.save_budget_line(
        version, 2025, omraader[0], typer["loen"], Decimal("7.00"), acting_user=medarbejder
    )
    assert [h.beloeb for h in line.history.order_by("history_date")] == [
        Decimal("1000000.00"),
        Decimal("7.00"),
    ]


def test_each_action_records_who_acted(version, omraader, typer, medarbejder, sekretariat):
    budget_actions.save_budget_line(
        version, 2027, omraader[0], typer["loen"], Decimal("3.00"), acting_user=sekretariat
    )
    assert Budgetlinje.history.latest("history_id").history_user == sekretariat
    submitted = budget_actions.submit_budget(version, acting_user=medarbejder)
    assert submitted.history.latest().history_user == medarbejder and submitted.indsendt_af == medarbejder
    approved = budget_actions.approve_budget(submitted, acting_user=sekretariat, grounds="LBF")
    assert approved.history.latest().history_user == sekretariat and approved.godkendt_af == sekretariat
    draft = budget_actions.create_version(
        version.indsats, "ansoegning", "Mere", kilde=approved, acting_user=medarbejder
    )
    assert {h.history_user for h in Budgetlinje.history.filter(version_id=draft.pk)} == {medarbejder}


def test_a_version_that_fails_part_way_leaves_nothing(monkeypatch, version, medarbejder):
    """The copy of the lines is written after the version row: when it fails, the version is gone too."""
    approve(version, medarbejder)
    versions, history = Budgetversion.objects.count(), Budgetversion.history.count()

    def fail(*args, **kwargs):
        raise RuntimeError("the copy failed")

    monkeypatch.setattr(budget_actions, "bulk_create_with_history", fail)
    with pytest.raises(RuntimeError):
        budget_actions.create_version(
            version.indsats, "ansoegning", "Mere", kilde=version, acting_user=medarbejder
        )
    assert Budgetversion.objects.count() == versions and Budgetversion.history.count() == history


def test_approval_that_fails_part_way_leaves_the_earlier_approval(monkeypatch, version, medarbejder):
    first = approve(version, medarbejder)
    change = budget_actions.create_version(
        version.indsats, "ansoegning", "Ændring.", kilde=first, acting_user=medarbejder
    )
    submitted = budget_actions.submit_budget(change, acting_user=medarbejder)
    saves = []

    def save_then_fail(row, acting_user, **kwargs):
        saves.append(row)
        raise RuntimeError("the approval failed")

    monkeypatch.setattr(budget_actions, "_save", save_then_fail)
    with pytest.raises(RuntimeError):
        budget_actions.approve_budget(submitted, acting_user=medarbejder)
    assert saves == [submitted]  # it failed after the earlier approval had been superseded
    assert budget_queries.approved_version(version.indsats) == first
    assert Budgetversion.objects.get(pk=submitted.pk).status == Budgetversion.Status.INDSENDT


def test_sending_a_version_lays_aside_the_drafts_it_passed_over(version, medarbejder, omraader, typer):
    """A draft left behind by a later version stayed a draft for good: never sent, yet editable after the
    funders had approved the later one."""
    revised = budget_actions.create_version(
        version.indsats, "ansoegning", kilde=version, acting_user=medarbejder
    )
    budget_actions.submit_budget(revised, acting_user=medarbejder)
    version.refresh_from_db()
    assert version.status == Budgetversion.Status.ERSTATTET
    budget_actions.approve_budget(revised, acting_user=medarbejder)
    with pytest.raises(budget_actions.BudgetError, match="erstattet"):
        budget_actions.save_budget_line(
            version, 2025, omraader[0], typer["loen"], Decimal("9999999.99"), acting_user=medarbejder
        )
    assert version.linjer.get(aar=2025).beloeb == Decimal("1000000.00")
