"""indsats_finansiering: the split per party, per kommune sub-use and per afdeling, and its warnings."""

from decimal import Decimal

import pytest

from finansiering import actions as budget_actions
from finansiering.financing import indsats_finansiering
from finansiering.models import AftaltAfdelingsandel, Finansieringspart, Fordelingsnoegle
from tests.finansiering.conftest import approve

pytestmark = pytest.mark.django_db
D = Decimal


def test_default_key_splits_every_year_exactly(version):
    fin = indsats_finansiering(version.indsats)
    assert fin.years == [2025, 2026, 2027, 2028]
    assert fin.budget.total == D("1250000.50")
    parts = {p.art: p for p in fin.parter}
    assert parts["lbf"].per_aar == {2025: D("750000.00"), 2026: D("187500.38"), 2027: D(0), 2028: D(0)}
    assert parts["kommune"].total + parts["lbf"].total + parts["afdelinger"].total == D("1250000.50")
    for year in fin.years:
        assert sum(p.per_aar[year] for p in fin.parter) == fin.budget.per_aar[year]
    kommune = parts["kommune"]
    assert [a.navn for a in kommune.anvendelser] == [
        "Personale, aktiviteter og netværk",
        "Facilitering af samarbejdet",
    ]
    assert sum(a.total for a in kommune.anvendelser) == kommune.total
    assert fin.lokal_andel_pct == D(25) and fin.advarsler == []


def test_ten_million_gives_each_party_its_exact_share_whatever_the_years(ten_million):
    fin = indsats_finansiering(ten_million.indsats)
    assert fin.budget.total == D("10000000.00")
    parts = {p.art: p for p in fin.parter}
    assert parts["lbf"].total == D("7500000.00")
    assert parts["kommune"].total == D("1250000.00")
    assert parts["afdelinger"].total == D("1250000.00")
    for year in fin.years:
        assert sum(p.per_aar[year] for p in fin.parter) == fin.budget.per_aar[year]
    # The kommune's uses (10.6 and 1.9 of its 12.5 points) and the afdelinger (200 and 600 lejemål) are each
    # the exact share of their party's total, and each year still adds up to the party's year.
    uses = parts["kommune"].anvendelser
    assert [a.total for a in uses] == [D("1060000.00"), D("190000.00")]
    # By lejemål: the afdelinger come in their organisations' order, which the factory's names decide.
    by_lejemaal = {a.afdeling.lejemaal: a.total for a in fin.afdelinger}
    assert by_lejemaal == {200: D("312500.00"), 600: D("937500.00")}
    for year in fin.years:
        assert sum(a.per_aar[year] for a in uses) == parts["kommune"].per_aar[year]
        assert sum(a.per_aar[year] for a in fin.afdelinger) == parts["afdelinger"].per_aar[year]


def test_local_share_by_lejemaal_per_year_per_lejemaal_and_m2(version, own_afdeling, second_afdeling):
    fin = indsats_finansiering(version.indsats)
    local = fin.afdelingspart
    shares = {a.afdeling: a for a in fin.afdelinger}
    # 200 and 600 lejemål: a quarter and three quarters of the local share, every year.
    assert shares[own_afdeling].per_aar[2025] == D("31250.00")
    assert shares[second_afdeling].per_aar[2025] == D("93750.00")
    assert sum(a.total for a in fin.afdelinger) == local.total
    own = shares[own_afdeling]
    assert own.pr_aar == (own.total / 4).quantize(D("0.01"))
    assert own.pr_lejemaal_pr_aar == (own.pr_aar / 200).quantize(D("0.01"))
    assert own.pr_m2_pr_aar == (own.pr_aar / D("15000")).quantize(D("0.01"))


def test_an_afdeling_that_leaves_the_plan_drops_out_and_the_others_follow(
    version, own_afdeling, second_afdeling
):
    version.indsats.afdelinger.remove(second_afdeling)
    fin = indsats_finansiering(version.indsats)
    assert [a.afdeling for a in fin.afdelinger] == [own_afdeling]
    assert fin.afdelinger[0].total == fin.afdelingspart.total


def test_split_by_area(version, own_afdeling, second_afdeling):
    noegle = version.indsats.fordelingsnoegle
    noegle.afdelingsgrundlag = Fordelingsnoegle.Grundlag.AREAL
    noegle.save()
    fin = indsats_finansiering(version.indsats)
    shares = {a.afdeling: a for a in fin.afdelinger}
    # 15,000 and 45,000 m²: again a quarter and three quarters.
    assert shares[own_afdeling].per_aar[2025] == D("31250.00")
    assert fin.afdelingsgrundlag_label == "Efter areal (m²)"


def test_split_by_agreed_amounts_warns_when_they_do_not_match(version, own_afdeling, second_afdeling):
    noegle = version.indsats.fordelingsnoegle
    noegle.afdelingsgrundlag = Fordelingsnoegle.Grundlag.AFTALT
    noegle.save()
    AftaltAfdelingsandel.objects.create(noegle=noegle, afdeling=own_afdeling, beloeb=D("100000.00"))
    AftaltAfdelingsandel.objects.create(noegle=noegle, afdeling=second_afdeling, beloeb=D("56250.06"))
    fin = indsats_finansiering(version.indsats)
    assert fin.afdelingspart.total == D("156250.06")
    assert [a.total for a in fin.afdelinger] == [D("100000.00"), D("56250.06")]
    assert fin.advarsler == []
    AftaltAfdelingsandel.objects.filter(afdeling=second_afdeling).update(beloeb=D("300000.00"))
    fin = indsats_finansiering(version.indsats)
    assert "De aftalte beløb giver 400.000,00 kr." in fin.advarsler[0]
    assert sum(a.total for a in fin.afdelinger) == fin.afdelingspart.total


def test_warning_under_25_percent_local_cofinancing(version):
    noegle = version.indsats.fordelingsnoegle
    noegle.parter.filter(art="lbf").update(procent=D(80))
    noegle.parter.filter(art="afdelinger").update(procent=D("7.5"))
    Finansieringspart.objects.get(noegle=noegle, art="kommune").anvendelser.all().delete()
    fin = indsats_finansiering(version.indsats)
    assert any("lokale medfinansiering er 20 %" in w for w in fin.advarsler)


def test_a_key_not_summing_to_100_is_reported_not_raised(version):
    version.indsats.fordelingsnoegle.parter.filter(art="lbf").update(procent=D(70))
    fin = indsats_finansiering(version.indsats)
    assert any("præcis 100, men giver 95" in w for w in fin.advarsler)
    assert all(p.total == 0 for p in fin.parter)


def test_kommune_sub_uses_must_match_its_share(version):
    kommune = version.indsats.fordelingsnoegle.parter.get(art="kommune")
    kommune.anvendelser.filter(procentpoint=D("1.9")).update(procentpoint=D("2.9"))
    fin = indsats_finansiering(version.indsats)
    assert any("giver 13,5 point, men andelen er 12,5 %" in w for w in fin.advarsler)


def test_without_a_budget_or_a_stored_key(indsats, foreign_indsats):
    fin = indsats_finansiering(indsats)
    assert fin.version is None and fin.budget.total == 0
    assert fin.standardnoegle and [p.procent for p in fin.parter] == [D(75), D("12.5"), D("12.5")]
    projekt = indsats_finansiering(foreign_indsats)
    assert projekt.parter == [] and "ingen parter" in projekt.advarsler[0]


def test_chosen_version(version, medarbejder, omraader, typer):
    approve(version, medarbejder)
    revision = budget_actions.create_version(
        version.indsats, "ansoegning", "Mere", kilde=version, acting_user=medarbejder
    )
    budget_actions.save_budget_line(
        revision, 2027, omraader[1], typer["loen"], D("100.00"), acting_user=medarbejder
    )
    assert indsats_finansiering(version.indsats).budget.total == D("1250100.50")
    assert indsats_finansiering(version.indsats, version).budget.total == D("1250000.50")
