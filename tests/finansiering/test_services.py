"""Budget rules: versions from draft to the funders' approval, locking, the indsats period, amounts."""

from decimal import Decimal

import pytest

from finansiering import services
from finansiering.models import Budgetlinje, Budgetversion, Finansieringspart, Fordelingsnoegle
from tests.finansiering.conftest import approve

pytestmark = pytest.mark.django_db


def test_first_version_gets_number_one_and_the_types_default_key(indsats, medarbejder):
    version = services.opret_version(indsats, medarbejder, "praekvalifikation")
    assert version.nummer == 1 and not version.laast
    parter = list(indsats.fordelingsnoegle.parter.values_list("art", "procent"))
    assert parter == [("lbf", Decimal(75)), ("kommune", Decimal("12.5")), ("afdelinger", Decimal("12.5"))]
    kommune = indsats.fordelingsnoegle.parter.get(art="kommune")
    assert [a.procentpoint for a in kommune.anvendelser.all()] == [Decimal("10.6"), Decimal("1.9")]


def test_periode_aar_and_budget_omraader(indsats, omraader):
    assert services.periode_aar(indsats) == [2025, 2026, 2027, 2028]
    assert services.budget_omraader(indsats) == omraader
    indsats.indsatsomraader.set(omraader[:2])
    assert services.budget_omraader(indsats) == omraader[:2]


def test_a_line_outside_the_period_is_refused(version, omraader, typer):
    with pytest.raises(services.BudgetError, match="2029 ligger uden for indsatsens periode"):
        services.gem_budgetlinje(version, 2029, omraader[0], typer["loen"], Decimal(1))
    assert version.linjer.count() == 2


def test_without_dates_nothing_can_be_budgeted(version, omraader, typer):
    version.indsats.slutdato = None
    with pytest.raises(services.BudgetError, match="startdato og en slutdato"):
        services.gem_budgetlinje(version, 2025, omraader[0], typer["loen"], Decimal(1))


@pytest.mark.parametrize(
    "amount,message",
    [(Decimal("-1.00"), "negativt"), (Decimal("1.005"), "to decimaler")],
)
def test_bad_amounts_are_refused(version, omraader, typer, amount, message):
    with pytest.raises(services.BudgetError, match=message):
        services.gem_budgetlinje(version, 2025, omraader[0], typer["loen"], amount)


def test_zero_without_note_removes_the_line_and_none_keeps_the_note(version, omraader, typer):
    line = services.gem_budgetlinje(version, 2025, omraader[0], typer["loen"], Decimal("5.00"))
    assert line.note == "Projektleder"  # note=None keeps it
    assert services.gem_budgetlinje(version, 2026, omraader[0], typer["aktiviteter"], Decimal(0)) is None
    assert version.linjer.count() == 1


def test_approval_locks_the_version_and_is_idempotent(version, medarbejder, omraader, typer):
    approved = approve(version, medarbejder)
    assert approved.laast and approved.status == Budgetversion.Status.GODKENDT
    assert approved.godkendt_af == medarbejder and approved.godkendt_grundlag == "LBF og KK"
    when = approved.godkendt_tidspunkt
    assert services.godkend_budget(approved, medarbejder).godkendt_tidspunkt == when
    with pytest.raises(services.BudgetError, match="låst"):
        services.gem_budgetlinje(approved, 2025, omraader[0], typer["loen"], Decimal(1))
    assert Budgetlinje.objects.get(version=approved, aar=2025).beloeb == Decimal("1000000.00")


def test_a_draft_cannot_be_approved_without_the_funders(version, medarbejder):
    """A version became approved by staff alone, on a plan with no funder decision."""
    with pytest.raises(services.BudgetError, match="indsendt til bevillingsgiverne"):
        services.godkend_budget(version, medarbejder)
    version.refresh_from_db()
    assert version.status == Budgetversion.Status.UDKAST and version.godkendt_tidspunkt is None


def test_an_empty_version_cannot_be_submitted(indsats, medarbejder):
    version = services.opret_version(indsats, medarbejder, "ansoegning")
    with pytest.raises(services.BudgetError, match="tomt budget"):
        services.indsend_budget(version, medarbejder)
    version.refresh_from_db()
    assert version.status == Budgetversion.Status.UDKAST


def test_only_the_latest_version_is_submitted(version, medarbejder):
    later = services.opret_version(version.indsats, medarbejder, "ansoegning", kilde=version)
    with pytest.raises(services.BudgetError, match="seneste version"):
        services.indsend_budget(version, medarbejder)
    assert services.indsend_budget(later, medarbejder).status == Budgetversion.Status.INDSENDT


def test_nothing_changes_while_the_budget_is_with_the_funders(version, medarbejder, omraader, typer):
    """A budget cell was changed to 9,999,999.99 and an empty version added while the plan was with LBF
    and the kommune."""
    older_draft = version
    submitted = services.indsend_budget(
        services.opret_version(version.indsats, medarbejder, "ansoegning", kilde=version), medarbejder
    )
    for target in (submitted, older_draft):
        with pytest.raises(services.BudgetError, match="sendt til bevillingsgiverne"):
            services.gem_budgetlinje(target, 2025, omraader[0], typer["loen"], Decimal("9999999.99"))
    with pytest.raises(services.BudgetError, match="sendt til bevillingsgiverne"):
        services.opret_version(version.indsats, medarbejder, "ansoegning")
    assert list(version.indsats.budgetversioner.values_list("nummer", flat=True)) == [1, 2]
    assert not Budgetlinje.objects.filter(beloeb=Decimal("9999999.99")).exists()


def test_after_a_decision_without_approval_work_goes_on_in_a_copy(version, medarbejder, omraader, typer):
    assert services.nyt_udkast_efter_afgoerelse(version.indsats, medarbejder, "ansoegning", "x") is None
    submitted = services.indsend_budget(version, medarbejder)
    draft = services.nyt_udkast_efter_afgoerelse(version.indsats, medarbejder, "ansoegning", "Sendt tilbage.")
    assert (draft.nummer, draft.status, draft.begrundelse) == (2, "udkast", "Sendt tilbage.")
    assert draft.linjer.count() == submitted.linjer.count() == 2
    services.gem_budgetlinje(draft, 2025, omraader[0], typer["loen"], Decimal("5.00"))
    submitted.refresh_from_db()
    assert submitted.status == Budgetversion.Status.INDSENDT
    assert submitted.linjer.get(aar=2025).beloeb == Decimal("1000000.00")


def test_a_new_approval_supersedes_the_one_before(version, medarbejder):
    first = approve(version, medarbejder)
    change = services.opret_version(version.indsats, medarbejder, "ansoegning", "Ændring.", kilde=first)
    second = approve(change, medarbejder)
    first.refresh_from_db()
    assert (first.status, second.status) == (Budgetversion.Status.ERSTATTET, Budgetversion.Status.GODKENDT)
    assert services.godkendt_version(version.indsats) == second
    with pytest.raises(services.BudgetError, match="indsendt til bevillingsgiverne"):
        services.godkend_budget(first, medarbejder)


def test_change_after_approval_is_a_new_version_with_a_reason(version, medarbejder):
    approve(version, medarbejder)
    with pytest.raises(services.BudgetError, match="begrundelse"):
        services.opret_version(version.indsats, medarbejder, "ansoegning", "   ", kilde=version)
    revision = services.opret_version(
        version.indsats, medarbejder, "ansoegning", "Flere timer til lektiecafé.", version
    )
    assert revision.nummer == 2 and not revision.laast
    assert revision.begrundelse == "Flere timer til lektiecafé."
    copied = sorted(revision.linjer.values_list("aar", "beloeb", "note"))
    assert copied == [(2025, Decimal("1000000.00"), "Projektleder"), (2026, Decimal("250000.50"), "")]
    with pytest.raises(services.BudgetError, match="når bevillingsgiverne godkender den"):
        services.opret_version(version.indsats, medarbejder, "godkendt", "x")


def test_versions_of_another_indsats_cannot_be_copied(version, foreign_indsats, medarbejder):
    with pytest.raises(services.BudgetError, match="anden indsats"):
        services.opret_version(foreign_indsats, medarbejder, "ansoegning", kilde=version)


def test_default_keys_by_type(indsats, foreign_indsats):
    assert [p.procent for p in services.default_parter(indsats)] == [
        Decimal(75),
        Decimal("12.5"),
        Decimal("12.5"),
    ]
    assert services.default_parter(foreign_indsats) == []  # udviklingsprojekt: no usual key


def test_approval_stores_the_default_key_when_none_was_stored(version, medarbejder):
    Fordelingsnoegle.objects.filter(indsats=version.indsats).delete()
    approve(version, medarbejder)
    assert Finansieringspart.objects.filter(noegle__indsats=version.indsats).count() == 3


def test_history_is_kept(version, omraader, typer):
    line = services.gem_budgetlinje(version, 2025, omraader[0], typer["loen"], Decimal("7.00"))
    assert [h.beloeb for h in line.history.order_by("history_date")] == [
        Decimal("1000000.00"),
        Decimal("7.00"),
    ]
