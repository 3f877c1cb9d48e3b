"""The official area criteria at every threshold edge, and fsb's risk score. Pure functions: no database."""

import dataclasses
from decimal import Decimal as D

import pytest

from screening import criteria
from screening.criteria import Figures, RoundInput, classify, classify_series

RULES_2021 = criteria.RuleSet(
    kode="2021",
    navn="Regler fra 2021",
    udsat=criteria.Thresholds(D(40), D(3), D(60), D(55), D(50)),
    forebyggelse=criteria.Thresholds(D(30), D(2), D(60), D(65), D(30)),
    min_beboere=1000,
    min_kriterier=2,
    vedvarende_runder=5,
    klasse_parallel="parallelsamfund",
    navn_parallel="Parallelsamfund",
    klasse_vedvarende="omdannelsesomraade",
    navn_vedvarende="Omdannelsesområde",
)
RULES_2018 = criteria.RuleSet(
    kode="2018",
    navn="Regler fra 2018",
    udsat=criteria.Thresholds(D(40), D(3), D(60), D(55), D(50)),
    forebyggelse=None,
    min_beboere=1000,
    min_kriterier=2,
    vedvarende_runder=4,
    klasse_parallel="ghettoomraade",
    navn_parallel="Ghettoområde",
    klasse_vedvarende="haardt_ghettoomraade",
    navn_vedvarende="Hårdt ghettoområde",
)
# The scenario of screening/migrations/0018: the 2021 rules without the criterion on non-western residents.
RULES_2021_UDEN_IKKE_VESTLIGE = dataclasses.replace(
    RULES_2021,
    kode="2021-uden-ikke-vestlige",
    navn="2021-regler uden kriteriet om ikke-vestlige",
    udsat=dataclasses.replace(RULES_2021.udsat, ikke_vestlige_pct=None),
    forebyggelse=dataclasses.replace(RULES_2021.forebyggelse, ikke_vestlige_pct=None),
)
NATIONAL = D("1.00")

# Comfortably on the good side of every threshold: each test moves one or two figures.
CALM = dict(
    beboere=2000,
    uden_job_uddannelse_pct=D(20),
    domfaeldte_pct=D("1.00"),
    kun_grundskole_pct=D(30),
    indkomst_pct_region=D(90),
    ikke_vestlige_pct=D(10),
)


def figures(**changes):
    return Figures(**{**CALM, **changes})


def klasse(rules=RULES_2021, national=NATIONAL, previous=(), **changes):
    return classify(figures(**changes), rules, national, previous).klassifikation


# Two udsat criteria met on their own threshold edge, with the second criterion (C) clearly met.
@pytest.mark.parametrize(
    "changes,expected",
    [
        ({"uden_job_uddannelse_pct": D("40.00")}, "ingen"),  # exactly 40 % is not over 40 %
        ({"uden_job_uddannelse_pct": D("40.01")}, "udsat"),
        ({"domfaeldte_pct": D("2.99")}, "ingen"),
        ({"domfaeldte_pct": D("3.00")}, "udsat"),  # exactly 3 × counts
        ({"indkomst_pct_region": D("55.00")}, "ingen"),  # exactly 55 % is not under 55 %
        ({"indkomst_pct_region": D("54.99")}, "udsat"),
    ],
)
def test_udsat_edges_with_c_met(changes, expected):
    assert klasse(kun_grundskole_pct=D(70), **changes) == expected


@pytest.mark.parametrize("value,expected", [(D("60.00"), "ingen"), (D("60.01"), "udsat")])
def test_c_edge(value, expected):
    assert klasse(uden_job_uddannelse_pct=D(45), kun_grundskole_pct=value) == expected


@pytest.mark.parametrize(
    "domfaeldte,national,met",
    [
        (D("2.49"), D("0.83"), True),  # 3 × 0.83 = 2.49 exactly
        (D("2.48"), D("0.83"), False),
        (D("0.21"), D("0.07"), True),
        (D("0.20"), D("0.07"), False),
        (D("4.50"), D("1.50"), True),
    ],
)
def test_b_is_an_exact_multiple_of_the_national_share(domfaeldte, national, met):
    result = classify(figures(domfaeldte_pct=domfaeldte), RULES_2021, national)
    b = result.udsat[1]
    assert b.letter == "B" and b.met is met
    assert (b.margin >= 0) is met


def test_b_without_national_share_is_not_met_and_says_why():
    result = classify(figures(domfaeldte_pct=D(9), uden_job_uddannelse_pct=D(45)), RULES_2021, None)
    assert result.udsat[1].met is False
    assert "landsgennemsnittet" in result.udsat[1].reason
    assert result.klassifikation == "ingen"


@pytest.mark.parametrize(
    "beboere,expected",
    [
        (999, "ingen"),
        (1000, "omdannelsesomraade"),
        (None, "ingen"),
        (0, "ingen"),
        (25000, "omdannelsesomraade"),
    ],
)
def test_only_areas_of_at_least_1000_residents_qualify(beboere, expected):
    result = classify(
        figures(
            beboere=beboere, uden_job_uddannelse_pct=D(80), kun_grundskole_pct=D(90), ikke_vestlige_pct=D(90)
        ),
        RULES_2021,
        NATIONAL,
        previous_parallel=[True] * 10,
    )
    assert result.klassifikation == expected
    if expected == "ingen":
        assert result.parallel is False and result.runder_i_traek == 0
        assert "beboere" in " ".join(result.reasons).lower()


def test_one_criterion_is_not_enough():
    assert klasse(uden_job_uddannelse_pct=D(90)) == "ingen"
    assert klasse(uden_job_uddannelse_pct=D(90), kun_grundskole_pct=D(90)) == "udsat"


@pytest.mark.parametrize(
    "ikke_vestlige,expected",
    [
        (D("50.00"), "udsat"),
        (D("50.01"), "parallelsamfund"),
        (D("30.01"), "udsat"),
        (D(100), "parallelsamfund"),
    ],
)
def test_parallelsamfund_edge(ikke_vestlige, expected):
    assert (
        klasse(uden_job_uddannelse_pct=D(45), kun_grundskole_pct=D(65), ikke_vestlige_pct=ikke_vestlige)
        == expected
    )


BAD = dict(uden_job_uddannelse_pct=D(45), kun_grundskole_pct=D(65), ikke_vestlige_pct=D(60))


@pytest.mark.parametrize(
    "previous,expected",
    [
        ([], "parallelsamfund"),
        ([True, True, True], "parallelsamfund"),  # four rounds in a row: not yet
        ([True, True, True, True], "omdannelsesomraade"),  # five make omdannelse
        ([True, True, True, True, True, True], "omdannelsesomraade"),
        ([True, True, False, True, True], "parallelsamfund"),  # a break starts the count again
        ([False, True, True, True, True], "parallelsamfund"),
    ],
)
def test_omdannelse_needs_five_rounds_in_a_row(previous, expected):
    result = classify(figures(**BAD), RULES_2021, NATIONAL, previous)
    assert result.klassifikation == expected
    assert result.runder_i_traek == 1 + next((i for i, p in enumerate(previous) if not p), len(previous))


@pytest.mark.parametrize(
    "previous,expected",
    [([True, True], "ghettoomraade"), ([True, True, True], "haardt_ghettoomraade"), ([], "ghettoomraade")],
)
def test_2018_rules_use_ghetto_terms_and_four_years(previous, expected):
    assert classify(figures(**BAD), RULES_2018, NATIONAL, previous).klassifikation == expected


def test_2018_rules_have_no_forebyggelse():
    changes = dict(ikke_vestlige_pct=D(35), uden_job_uddannelse_pct=D(35), indkomst_pct_region=D(60))
    assert klasse(**changes) == "forebyggelsesomraade"
    assert klasse(rules=RULES_2018, **changes) == "ingen"


@pytest.mark.parametrize(
    "changes,expected",
    [
        ({"uden_job_uddannelse_pct": D("30.00"), "indkomst_pct_region": D(60)}, "ingen"),
        ({"uden_job_uddannelse_pct": D("30.01"), "indkomst_pct_region": D(60)}, "forebyggelsesomraade"),
        ({"uden_job_uddannelse_pct": D(35), "indkomst_pct_region": D("65.00")}, "ingen"),
        ({"uden_job_uddannelse_pct": D(35), "indkomst_pct_region": D("64.99")}, "forebyggelsesomraade"),
        ({"uden_job_uddannelse_pct": D(35), "domfaeldte_pct": D("1.99")}, "ingen"),
        (
            {"uden_job_uddannelse_pct": D(35), "domfaeldte_pct": D("2.00")},
            "forebyggelsesomraade",
        ),  # exactly 2 ×
        ({"uden_job_uddannelse_pct": D(35), "kun_grundskole_pct": D("60.00")}, "ingen"),
        ({"uden_job_uddannelse_pct": D(35), "kun_grundskole_pct": D("60.01")}, "forebyggelsesomraade"),
    ],
)
def test_forebyggelse_edges(changes, expected):
    assert klasse(ikke_vestlige_pct=D(35), **changes) == expected


@pytest.mark.parametrize(
    "ikke_vestlige,expected", [(D("30.00"), "ingen"), (D("30.01"), "forebyggelsesomraade")]
)
def test_forebyggelse_needs_over_30_pct_non_western(ikke_vestlige, expected):
    assert (
        klasse(ikke_vestlige_pct=ikke_vestlige, uden_job_uddannelse_pct=D(35), indkomst_pct_region=D(60))
        == expected
    )


def test_forebyggelse_also_needs_1000_residents():
    assert klasse(
        beboere=999, ikke_vestlige_pct=D(35), uden_job_uddannelse_pct=D(35), indkomst_pct_region=D(60)
    ) == ("ingen")


def test_udsat_takes_precedence_over_forebyggelse():
    result = classify(
        figures(ikke_vestlige_pct=D(40), uden_job_uddannelse_pct=D(45), kun_grundskole_pct=D(65)),
        RULES_2021,
        NATIONAL,
    )
    assert result.klassifikation == "udsat"
    assert result.kriterier == ("A", "C")


def test_result_explains_itself_with_margins():
    result = classify(
        figures(uden_job_uddannelse_pct=D("43.2"), kun_grundskole_pct=D(65)), RULES_2021, NATIONAL
    )
    a, b, c, d = result.udsat
    assert a.met and a.margin == D("3.2") and "3,2 over grænsen" in a.reason
    assert not b.met and b.value == D(1) and b.margin == D(-2)
    assert c.margin == D(5)
    assert not d.met and d.margin == D(-35) and "35 over grænsen" in d.reason
    assert result.kriterier == ("A", "C")
    assert [r.letter for r in result.forebyggelse] == ["A", "B", "C", "D"]
    assert result.ikke_vestlige.margin == D(-40)
    edge = classify(figures(uden_job_uddannelse_pct=D(40)), RULES_2021, NATIONAL).udsat[0]
    assert edge.margin == 0 and not edge.met and "præcis på grænsen" in edge.reason


def test_missing_figure_is_never_met():
    result = classify(Figures(beboere=2000, uden_job_uddannelse_pct=D(99)), RULES_2021, NATIONAL)
    assert [r.met for r in result.udsat] == [True, False, False, False]
    assert result.udsat[2].reason == "C: tallet mangler."
    assert result.klassifikation == "ingen"


def test_kriterier_for_forebyggelse_lists_the_forebyggelse_letters():
    result = classify(
        figures(ikke_vestlige_pct=D(35), uden_job_uddannelse_pct=D(35), indkomst_pct_region=D(60)),
        RULES_2021,
        NATIONAL,
    )
    assert result.klassifikation == "forebyggelsesomraade"
    assert result.kriterier == ("A", "D")


# --- a rule set without the non-western criterion (a scenario) --------------------------------------------


@pytest.mark.parametrize(
    "changes,previous,official,scenario",
    [
        (BAD, [True] * 4, "omdannelsesomraade", "udsat"),
        (BAD, [], "parallelsamfund", "udsat"),
        ({**BAD, "ikke_vestlige_pct": D(10)}, [], "udsat", "udsat"),
        # Forebyggelse by A and D whatever the share of non-western residents…
        (
            {"uden_job_uddannelse_pct": D(35), "indkomst_pct_region": D(60), "ikke_vestlige_pct": D(35)},
            [],
            "forebyggelsesomraade",
            "forebyggelsesomraade",
        ),
        (
            {"uden_job_uddannelse_pct": D(35), "indkomst_pct_region": D(60), "ikke_vestlige_pct": D(10)},
            [],
            "ingen",
            "forebyggelsesomraade",
        ),
        # …but still on two of A-D with its thresholds, and 1,000 residents.
        ({"uden_job_uddannelse_pct": D(35), "ikke_vestlige_pct": D(90)}, [], "ingen", "ingen"),
        (
            {"beboere": 999, "uden_job_uddannelse_pct": D(35), "indkomst_pct_region": D(60)},
            [],
            "ingen",
            "ingen",
        ),
    ],
)
def test_the_scenario_without_the_non_western_criterion(changes, previous, official, scenario):
    assert klasse(previous=previous, **changes) == official
    assert klasse(rules=RULES_2021_UDEN_IKKE_VESTLIGE, previous=previous, **changes) == scenario


def test_the_scenario_explains_itself_and_has_no_parallel_classes():
    result = classify(
        figures(uden_job_uddannelse_pct=D(35), indkomst_pct_region=D(60)),
        RULES_2021_UDEN_IKKE_VESTLIGE,
        NATIONAL,
    )
    assert result.ikke_vestlige is None and result.ikke_vestlige_forebyggelse is None
    assert result.reasons == ("2 af kriterierne A-D med forebyggelsesgrænserne.",)
    assert [code for code, _ in RULES_2021_UDEN_IKKE_VESTLIGE.classes()] == [
        "ingen",
        "forebyggelsesomraade",
        "udsat",
    ]
    assert not RULES_2021_UDEN_IKKE_VESTLIGE.uses_ikke_vestlige and RULES_2021.uses_ikke_vestlige


def round_input(aar, rules=RULES_2021, **changes):
    return RoundInput(aar, figures(**changes), rules, NATIONAL)


def test_series_counts_consecutive_rounds_across_rule_sets():
    rounds = [round_input(2020, RULES_2018, **BAD)] + [round_input(aar, **BAD) for aar in range(2021, 2025)]
    results = classify_series(rounds)
    assert results[2020].klassifikation == "ghettoomraade"
    assert results[2023].klassifikation == "parallelsamfund"
    assert results[2024].klassifikation == "omdannelsesomraade"
    assert results[2024].runder_i_traek == 5


def test_series_gap_in_years_breaks_the_run():
    rounds = [round_input(aar, **BAD) for aar in (2019, 2020, 2021, 2022, 2024)]
    assert classify_series(rounds)[2024].runder_i_traek == 1


def test_series_year_without_rule_set_is_unclassified_and_breaks_the_run():
    rounds = [
        round_input(2020, **BAD),
        RoundInput(2021, figures(**BAD), None, NATIONAL),
        round_input(2022, **BAD),
    ]
    results = classify_series(rounds)
    assert results[2021] is None
    assert results[2022].runder_i_traek == 1


def test_class_change():
    calm = classify(figures(), RULES_2021, NATIONAL)
    bad = classify(figures(**BAD), RULES_2021, NATIONAL)
    ghetto = classify(figures(**BAD), RULES_2018, NATIONAL)
    assert criteria.class_change(calm, bad) == "skaerpet"
    assert criteria.class_change(bad, calm) == "lempet"
    assert (
        criteria.class_change(ghetto, bad) == "uaendret"
    )  # ghettoområde and parallelsamfund sit on one level
    assert criteria.class_change(None, bad) == ""


def test_every_rule_set_class_has_a_severity():
    for rules in (RULES_2018, RULES_2021):
        levels = [criteria.SEVERITY[code] for code, _ in rules.classes()]
        assert levels == sorted(levels)


# --- aggregation -------------------------------------------------------------------------------------


def test_aggregate_weights_shares_by_residents_and_sums_counts():
    result = criteria.aggregate(
        [
            (300, {"uden_job_uddannelse_pct": D(50), "restancer_antal": D(3)}),
            (100, {"uden_job_uddannelse_pct": D(10), "restancer_antal": D(4)}),
            (100, {"uden_job_uddannelse_pct": None}),
        ],
        summed={"restancer_antal"},
    )
    assert result["uden_job_uddannelse_pct"].value == D(40)  # (300*50 + 100*10) / 400
    assert result["uden_job_uddannelse_pct"].daekning_pct == D(80)
    assert result["restancer_antal"].value == D(7)
    assert all(v.beregnet for v in result.values())


def test_aggregate_rounds_shares_to_two_decimals():
    result = criteria.aggregate([(1, {"a": D("40.00")}), (2, {"a": D("40.01")})], summed=set())
    assert result["a"].value == D("40.01")  # 40.00666… rounds, so it is displayed and judged alike
    assert criteria.aggregate([], summed=set()) == {}


# --- counts and their bases ------------------------------------------------------------------------------

REGION = D(350000)


def share_from(letter, count, base, region=REGION):
    """The share a criterion's count and base give, as the import computes it."""
    basis = dict(zip("ABCDI", criteria.COUNT_BASES, strict=True))[letter]
    values = {basis.count: D(count), basis.base: D(base), criteria.REGION_INCOME: region}
    return basis.share, criteria.share_of(*criteria.fraction(basis, values))


# The boundary table in counts: each count and base is given with a second criterion clearly met (C, or A for
# C itself), so the edge decides between "ingen" and "udsat" (I: between "udsat" and "parallelsamfund").
@pytest.mark.parametrize(
    "letter,count,base,expected",
    [
        ("A", 400, 1000, "ingen"),  # 40.00 % is not over 40 %
        ("A", 401, 1000, "udsat"),
        ("A", 4001, 10000, "udsat"),  # 40.01 %
        ("A", 400049, 1000000, "ingen"),  # 40.0049 % is 40.00 % at two decimals, as the share is shown
        ("B", 299, 10000, "ingen"),  # 2.99 %: under 3 × the national 1.00 %
        ("B", 3, 100, "udsat"),  # exactly 3 × counts
        ("C", 600, 1000, "ingen"),
        ("C", 601, 1000, "udsat"),
        ("D", 19_250_000, 100, "ingen"),  # 100 persons at 55 % of 350.000 kr.: not under 55 %
        ("D", 19_246_500, 100, "udsat"),  # 54.99 %
        ("I", 500, 1000, "udsat"),  # 50.00 % non-western is not over 50 %
        ("I", 501, 1000, "parallelsamfund"),
    ],
)
def test_boundary_table_in_counts(letter, count, base, expected):
    code, share = share_from(letter, count, base)
    other = {"uden_job_uddannelse_pct": D(45)} if letter == "C" else {"kun_grundskole_pct": D(70)}
    if letter == "I":
        other["uden_job_uddannelse_pct"] = D(45)
    assert klasse(**other, **{code: share}) == expected


def test_d_compares_the_income_per_person_with_the_regions_average():
    assert share_from("D", 49_000_000, 280) == ("indkomst_pct_region", D(50))  # 175.000 kr. of 350.000
    assert share_from("D", 49_000_000, 280, region=D(245000)) == ("indkomst_pct_region", D("71.43"))
    basis = criteria.COUNT_BASES[3]
    assert criteria.fraction(basis, {"d_indkomst_sum": D(1), "d_personer_15_64": D(1)}) is None  # no region


# Two afdelinger of 600 residents each. By hand:
#   A exactly: (150 + 160) / (300 + 500) = 310 / 800 = 38.75 %; weighted by residents: (50 + 32) / 2 = 41 %.
#   C exactly: (130 + 163) / (200 + 250) = 293 / 450 = 65.111… = 65.11 %; weighted: (65 + 65.2) / 2 = 65.1 %.
#   D exactly: (49.000.000 + 110.250.000) / ((280 + 450) × 350.000) = 159.250.000 / 255.500.000 = 62.33 %;
#     weighted: (50 + 70) / 2 = 60 %.
#   non-western exactly: (420 + 120) / 1200 = 45 %, which is what weighting by residents gives too: its base
#     is all residents.
TWO_AFDELINGER = [
    (
        600,
        {
            "beboere": D(600),
            "uden_job_uddannelse_pct": D(50),
            "a_uden_job_uddannelse_antal": D(150),
            "a_personer_18_64": D(300),
            "kun_grundskole_pct": D(65),
            "c_kun_grundskole_antal": D(130),
            "c_personer_30_59": D(200),
            "indkomst_pct_region": D(50),
            "d_indkomst_sum": D(49_000_000),
            "d_personer_15_64": D(280),
            "d_region_gennemsnitsindkomst": REGION,
            "ikke_vestlige_pct": D(70),
            "ikke_vestlige_antal": D(420),
        },
    ),
    (
        600,
        {
            "beboere": D(600),
            "uden_job_uddannelse_pct": D(32),
            "a_uden_job_uddannelse_antal": D(160),
            "a_personer_18_64": D(500),
            "kun_grundskole_pct": D("65.2"),
            "c_kun_grundskole_antal": D(163),
            "c_personer_30_59": D(250),
            "indkomst_pct_region": D(70),
            "d_indkomst_sum": D(110_250_000),
            "d_personer_15_64": D(450),
            "d_region_gennemsnitsindkomst": REGION,
            "ikke_vestlige_pct": D(20),
            "ikke_vestlige_antal": D(120),
        },
    ),
]
SHARES_ONLY = [
    (weight, {code: value for code, value in values.items() if code not in criteria.BASIS_CODES})
    for weight, values in TWO_AFDELINGER
]
COUNTED = {"beboere", "a_uden_job_uddannelse_antal", "a_personer_18_64", "c_kun_grundskole_antal"}


def test_exact_aggregation_against_a_hand_computation():
    exact = criteria.aggregate(TWO_AFDELINGER, summed=COUNTED)
    assert exact["uden_job_uddannelse_pct"] == criteria.AreaValue(D("38.75"), True, D(100), criteria.EKSAKT)
    assert exact["kun_grundskole_pct"].value == D("65.11")
    assert exact["indkomst_pct_region"].value == D("62.33")
    assert exact["ikke_vestlige_pct"].value == D(45)
    assert exact["beboere"].value == D(1200)
    assert exact["a_personer_18_64"].value == D(800)
    assert criteria.area_method(exact) == criteria.EKSAKT

    approximate = criteria.aggregate(SHARES_ONLY, summed=COUNTED)
    assert approximate["uden_job_uddannelse_pct"].value == D(41)
    assert approximate["kun_grundskole_pct"].value == D("65.10")
    assert approximate["indkomst_pct_region"].value == D(60)
    assert {approximate[code].metode for code in criteria.SHARE_CODES if code in approximate} == {
        "tilnaermet"
    }
    assert criteria.area_method(approximate) == criteria.TILNAERMET


def test_an_area_changes_class_with_the_method():
    """A is over 40 % when the afdelinger's shares are weighted by all residents (41 %), not when counted
    (38.75 %): udsat by the approximation, forebyggelse (A, C and D with its thresholds) exactly."""

    def classified(afdelinger):
        values = criteria.aggregate(afdelinger, summed=COUNTED)
        return classify(Figures.from_values({c: v.value for c, v in values.items()}), RULES_2021, NATIONAL)

    assert classified(SHARES_ONLY).klassifikation == "udsat"
    assert classified(SHARES_ONLY).kriterier == ("A", "C")
    assert classified(TWO_AFDELINGER).klassifikation == "forebyggelsesomraade"
    assert classified(TWO_AFDELINGER).kriterier == ("A", "C", "D")
    assert classified(TWO_AFDELINGER).udsat[0].value == D("38.75")


def test_one_afdeling_without_counts_makes_the_criterion_approximate():
    mixed = [TWO_AFDELINGER[0], SHARES_ONLY[1]]
    values = criteria.aggregate(mixed, summed=COUNTED)
    assert values["uden_job_uddannelse_pct"] == criteria.AreaValue(D(41), True, D(100), criteria.TILNAERMET)
    assert criteria.area_method(values) == criteria.TILNAERMET
    imported = {"uden_job_uddannelse_pct": criteria.AreaValue(D(41), False, None)}
    assert criteria.area_method(imported) == criteria.OMRAADETS_TAL
    assert criteria.area_method({}) == ""


# --- risk and suggestion ---------------------------------------------------------------------------------

THRESHOLDS = [
    criteria.RiskThreshold("fraflytning_pct", "Fraflytning", True, D(12), D(16), 2, "%"),
    criteria.RiskThreshold("indkomst_pct_region", "Indkomst", False, D(65), D(55), 1, "%"),
]


@pytest.mark.parametrize(
    "fraflytning,level",
    [(D("11.99"), "groen"), (D("12.00"), "gul"), (D("15.99"), "gul"), (D("16.00"), "roed"), (D(80), "roed")],
)
def test_light_at_or_over_the_limit_takes_its_colour(fraflytning, level):
    result = criteria.assess_risk({"fraflytning_pct": fraflytning}, THRESHOLDS)
    assert result.lights[0].level == level
    assert result.lights[1].level == "ukendt"


@pytest.mark.parametrize(
    "indkomst,level", [(D("65.01"), "groen"), (D(65), "gul"), (D("55.01"), "gul"), (D(55), "roed")]
)
def test_low_is_bad_lights(indkomst, level):
    assert criteria.assess_risk({"indkomst_pct_region": indkomst}, THRESHOLDS).lights[1].level == level


def test_score_is_share_of_possible_points_for_known_figures():
    result = criteria.assess_risk({"fraflytning_pct": D(13), "indkomst_pct_region": D(50)}, THRESHOLDS)
    assert (result.points, result.max_points, result.score) == (2 + 2, 6, 67)
    assert result.level == "roed" and result.count("roed") == 1 and result.count("gul") == 1
    only_one = criteria.assess_risk({"fraflytning_pct": D(20)}, THRESHOLDS)
    assert only_one.score == 100
    assert criteria.assess_risk({}, THRESHOLDS).score is None
    assert criteria.assess_risk({}, THRESHOLDS).level == "ukendt"


LIMITS = criteria.SuggestionLimits(25, 40, 60)


def risk_with_score(score):
    return criteria.RiskResult(score, 0, 0, ())


@pytest.mark.parametrize(
    "score,expected",
    [
        (24, "ingen"),
        (25, "ejendomsfunktionaer"),
        (39, "ejendomsfunktionaer"),
        (40, "udviklingsprojekt"),
        (59, "udviklingsprojekt"),
        (60, "helhedsplan"),
        (None, "ingen"),
    ],
)
def test_suggestion_from_score(score, expected):
    suggestion = criteria.suggest_indsats(risk_with_score(score), None, LIMITS)
    assert suggestion.kode == expected
    assert suggestion.reasons


def test_official_class_raises_the_suggestion():
    udsat = classify(figures(uden_job_uddannelse_pct=D(45), kun_grundskole_pct=D(65)), RULES_2021, NATIONAL)
    forebyggelse = classify(
        figures(ikke_vestlige_pct=D(35), uden_job_uddannelse_pct=D(35), indkomst_pct_region=D(60)),
        RULES_2021,
        NATIONAL,
    )
    assert criteria.suggest_indsats(risk_with_score(0), udsat, LIMITS).kode == "helhedsplan"
    assert "udsat boligområde" in criteria.suggest_indsats(risk_with_score(0), udsat, LIMITS).reasons[-1]
    assert criteria.suggest_indsats(risk_with_score(0), forebyggelse, LIMITS).kode == "udviklingsprojekt"
    assert criteria.suggest_indsats(risk_with_score(70), forebyggelse, LIMITS).kode == "helhedsplan"
