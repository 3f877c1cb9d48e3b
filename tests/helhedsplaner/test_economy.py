"""The plan's Økonomi tab: budget, financing, afdelinger's shares, regnskab, one click from the overview."""

from decimal import Decimal

import pytest
from django.urls import reverse

from config.web.formatting import kroner, kroner_whole
from finansiering import actions as budget_actions
from finansiering import queries as budget_queries
from finansiering.financing import indsats_finansiering
from finansiering.models import Omkostningstype
from tests.factories import AfdelingFactory, HelhedsplanFactory
from tests.helhedsplaner.conftest import give_budget

pytestmark = pytest.mark.django_db


def _section(page, heading_id):
    section = page[page.index(f'aria-labelledby="{heading_id}"') :]
    return section[: section.index("</section>")]


def _row(html, text):
    row = html[html.index(text) :]
    return row[: row.index("</tr>")]


@pytest.fixture
def budgeted(plan):
    give_budget(plan)
    return plan


def test_the_tab_is_one_click_from_the_overview_and_the_menu_marks_the_plans(
    client_as, medarbejder, budgeted
):
    url = reverse("plan_economy", args=[budgeted.pk])
    overview = client_as(medarbejder).get(reverse("plan_detail", args=[budgeted.pk])).text
    tabs = overview[overview.index('class="helhedsplan-tabs"') :]
    assert f'<a href="{url}">Økonomi</a>' in tabs[: tabs.index("</nav>")]
    page = client_as(medarbejder).get(url).text
    assert f'<a href="{url}" aria-current="page">Økonomi</a>' in page
    assert f'<a href="{reverse("plan_list")}" aria-current="page">Helhedsplaner</a>' in page


def test_each_afdelings_cost_per_lejemaal_per_year_comes_first_beside_its_name(
    client_as, medarbejder, budgeted
):
    page = client_as(medarbejder).get(reverse("plan_economy", args=[budgeted.pk])).text
    shares = _section(page, "afdelinger-heading")
    head = shares[shares.index("<thead>") : shares.index("</thead>")]
    columns = [cell.rsplit(">", 1)[1] for cell in head.split("</th>")[:-1]]
    assert columns[:3] == ["Afdeling", "Pr. lejemål pr. år", "Pr. år"]
    finansiering = indsats_finansiering(budgeted.indsats)
    assert len(finansiering.afdelinger) == 2
    for share in finansiering.afdelinger:
        cells = _row(shares, share.afdeling.navn).split("<td")
        assert kroner(share.pr_lejemaal_pr_aar) in cells[1]
        assert kroner(share.pr_aar) in cells[2]
    for party in finansiering.parter:
        assert kroner(party.total) in _row(_section(page, "finansiering-heading"), party.navn)
    assert kroner(finansiering.budget.total) in _section(page, "budget-heading")
    assert "Intet regnskab endnu" in _section(page, "regnskab-heading")


def test_staff_get_the_editing_pages_a_board_member_reads_only(
    client_as, medarbejder, bestyrelse, own_afdeling, second_afdeling, budgeted
):
    indsats_pk = budgeted.indsats_id
    editing = [
        reverse("budget_detail", args=[indsats_pk]),
        reverse("finansiering_edit", args=[indsats_pk]),
        reverse("regnskab_detail", args=[indsats_pk]),
    ]
    staff_page = client_as(medarbejder).get(reverse("plan_economy", args=[budgeted.pk])).text
    for url in editing:
        assert f'href="{url}"' in staff_page
    assert "din afdeling" not in staff_page and "Det betaler" not in staff_page

    board_page = client_as(bestyrelse).get(reverse("plan_economy", args=[budgeted.pk])).text
    assert f'href="{reverse("finansiering_edit", args=[indsats_pk])}"' not in board_page
    assert "Redigér budgettet" not in board_page and "Indtast regnskab" not in board_page
    # Their own afdeling's cost at the top of the page, and first in the table of every afdeling.
    own_share = next(
        s for s in indsats_finansiering(budgeted.indsats).afdelinger if s.afdeling == own_afdeling
    )
    top = _section(board_page, "own-cost-heading")
    assert "Det betaler din afdeling" in top and own_afdeling.navn in top and second_afdeling.navn not in top
    assert kroner_whole(own_share.pr_lejemaal_pr_aar) in top
    shares = _section(board_page, "afdelinger-heading")
    assert shares.index(own_afdeling.navn) < shares.index(second_afdeling.navn)
    assert "din afdeling" in _row(shares, own_afdeling.navn)
    assert "din afdeling" not in _row(shares, second_afdeling.navn)


def test_a_plan_without_a_budget_says_so(client_as, medarbejder, plan):
    page = client_as(medarbejder).get(reverse("plan_economy", args=[plan.pk])).text
    assert "Planen har intet budget endnu." in page


def _plan_with_money(afdelinger_count, staff):
    """A plan over four years with budget lines in every year and område, and regnskab for two years."""
    afdelinger = [AfdelingFactory(lejemaal=100 + i) for i in range(afdelinger_count)]
    plan = HelhedsplanFactory(indsats__afdelinger=afdelinger)
    version = give_budget(plan)
    indsats = plan.indsats
    for year in budget_queries.period_years(indsats):
        for omraade in budget_queries.budget_omraader(indsats)[:2]:
            for omkostningstype in Omkostningstype.objects.filter(aktiv=True)[:2]:
                budget_actions.save_budget_line(
                    version, year, omraade, omkostningstype, Decimal("12345.67"), acting_user=staff
                )
                if year < indsats.startdato.year + 2:
                    budget_actions.save_regnskab_line(
                        indsats, year, omraade, omkostningstype, Decimal("12000"), acting_user=staff
                    )
    return plan


@pytest.mark.parametrize("afdelinger_count", [2, 8])
def test_query_count_does_not_grow_with_the_data(
    client_as, django_assert_num_queries, medarbejder, afdelinger_count
):
    plan = _plan_with_money(afdelinger_count, medarbejder)
    client = client_as(medarbejder)
    client.get(reverse("home"))  # session and user warmed up
    # The first request reads the reference data the tables are laid out by, which are kept from then on
    # (screening.options): every period's indsatsområder and the cost types.
    client.get(reverse("plan_economy", args=[plan.pk]))
    # session, user, groups, plan; the version in force, its totals per year; the fordelingsnøgle, its
    # parties, their uses, the agreed amounts; the afdelinger; the budget's lines, the regnskab's lines; the
    # layout both share: the indsats's indsatsområder, the periods (the one its start falls in, else the
    # latest)
    with django_assert_num_queries(15):
        client.get(reverse("plan_economy", args=[plan.pk]))
