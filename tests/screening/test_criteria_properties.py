"""Monotonicity: worse figures never give a milder class, a lower risk score or a milder suggestion.

Deadlines are off: on a loaded machine (parallel test workers) an example can take longer than the default
200 ms without anything being wrong.
"""

from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from screening import criteria
from tests.screening.test_criteria import (
    LIMITS,
    RULES_2018,
    RULES_2021,
    RULES_2021_UDEN_IKKE_VESTLIGE,
    THRESHOLDS,
)

share = st.decimals(min_value=0, max_value=100, places=2)
delta = st.decimals(min_value=0, max_value=60, places=2)
maybe_share = st.one_of(st.none(), share)
national = st.one_of(st.none(), st.decimals(min_value=Decimal("0.01"), max_value=5, places=2))
history = st.lists(st.booleans(), max_size=7)


@st.composite
def figures_and_worse(draw):
    base = criteria.Figures(
        beboere=draw(st.one_of(st.none(), st.integers(0, 5000))),
        uden_job_uddannelse_pct=draw(maybe_share),
        domfaeldte_pct=draw(maybe_share),
        kun_grundskole_pct=draw(maybe_share),
        indkomst_pct_region=draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=200, places=2))),
        ikke_vestlige_pct=draw(maybe_share),
    )

    def up(value, cap=Decimal(100)):
        return None if value is None else min(cap, value + draw(delta))

    worse = criteria.Figures(
        beboere=None if base.beboere is None else base.beboere + draw(st.integers(0, 2000)),
        uden_job_uddannelse_pct=up(base.uden_job_uddannelse_pct),
        domfaeldte_pct=up(base.domfaeldte_pct),
        kun_grundskole_pct=up(base.kun_grundskole_pct),
        indkomst_pct_region=None
        if base.indkomst_pct_region is None
        else max(Decimal(0), base.indkomst_pct_region - draw(delta)),
        ikke_vestlige_pct=up(base.ikke_vestlige_pct),
    )
    return base, worse


@st.composite
def history_and_worse(draw):
    """Earlier rounds, and the same rounds with some turned parallel (worse) or more rounds known."""
    past = draw(history)
    upgrades = draw(st.lists(st.booleans(), min_size=len(past), max_size=len(past)))
    tail = draw(history)
    return past, [flag or up for flag, up in zip(past, upgrades, strict=True)] + tail


@settings(max_examples=400, deadline=None)
@given(
    pair=figures_and_worse(),
    rules=st.sampled_from([RULES_2021, RULES_2018]),
    rate=national,
    histories=history_and_worse(),
)
def test_worse_figures_never_give_a_milder_class(pair, rules, rate, histories):
    base, worse = pair
    past, worse_past = histories
    before = criteria.classify(base, rules, rate, past)
    after = criteria.classify(worse, rules, rate, worse_past)
    assert after.severity >= before.severity
    # Each criterion met before is still met.
    for b, a in zip(before.udsat, after.udsat, strict=True):
        assert a.met or not b.met


@settings(max_examples=200, deadline=None)
@given(pair=figures_and_worse(), rate=national)
def test_a_higher_national_rate_never_makes_b_harsher(pair, rate):
    base, _ = pair
    if rate is None:
        return
    lower = criteria.classify(base, RULES_2021, rate)
    higher = criteria.classify(base, RULES_2021, rate * 2)
    assert higher.udsat[1].met <= lower.udsat[1].met


THRESHOLD_CODES = [t.kode for t in THRESHOLDS]


@settings(max_examples=200, deadline=None)
@given(
    fraflytning=st.decimals(min_value=0, max_value=100, places=2),
    indkomst=st.decimals(min_value=0, max_value=200, places=2),
    up=delta,
    down=delta,
)
def test_worse_signals_never_lower_the_risk(fraflytning, indkomst, up, down):
    base = criteria.assess_risk({"fraflytning_pct": fraflytning, "indkomst_pct_region": indkomst}, THRESHOLDS)
    worse = criteria.assess_risk(
        {"fraflytning_pct": fraflytning + up, "indkomst_pct_region": max(Decimal(0), indkomst - down)},
        THRESHOLDS,
    )
    assert worse.score >= base.score
    order = {"groen": 0, "gul": 1, "roed": 2}
    for b, w in zip(base.lights, worse.lights, strict=True):
        assert order[w.level] >= order[b.level]


@settings(max_examples=200, deadline=None)
@given(
    score=st.integers(0, 100),
    more=st.integers(0, 100),
    pair=figures_and_worse(),
    rate=national,
)
def test_worse_risk_or_class_never_gives_a_milder_suggestion(score, more, pair, rate):
    base, worse = pair
    order = {code: i for i, code in enumerate(criteria.SUGGESTIONS)}
    before = criteria.suggest_indsats(
        criteria.RiskResult(score, 0, 0, ()), criteria.classify(base, RULES_2021, rate), LIMITS
    )
    after = criteria.suggest_indsats(
        criteria.RiskResult(min(100, score + more), 0, 0, ()),
        criteria.classify(worse, RULES_2021, rate),
        LIMITS,
    )
    assert order[after.kode] >= order[before.kode]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(1, 3000), share), min_size=1, max_size=12))
def test_a_weighted_area_share_lies_between_its_afdelingers(units):
    result = criteria.aggregate([(w, {"x": v}) for w, v in units], summed=set())["x"].value
    assert min(v for _, v in units) <= result <= max(v for _, v in units)


@settings(max_examples=400, deadline=None)
@given(pair=figures_and_worse(), rate=national, past=history)
def test_the_scenario_changes_only_the_rule_it_drops(pair, rate, past):
    """Without the non-western criterion every other criterion is judged exactly as under the 2021 rules;
    only the classes that criterion decided change: parallel ones become udsat, and forebyggelse no longer
    waits for the share."""
    figures, _ = pair
    official = criteria.classify(figures, RULES_2021, rate, past)
    scenario = criteria.classify(figures, RULES_2021_UDEN_IKKE_VESTLIGE, rate, past)
    assert scenario.udsat == official.udsat
    assert scenario.forebyggelse == official.forebyggelse
    assert scenario.stor_nok == official.stor_nok
    assert scenario.ikke_vestlige is None and scenario.ikke_vestlige_forebyggelse is None
    assert not scenario.parallel and scenario.runder_i_traek == 0
    udsat = official.severity >= criteria.SEVERITY[criteria.UDSAT]
    forebyggelse_letters = sum(1 for r in official.forebyggelse if r.met)
    if udsat:
        expected = criteria.UDSAT
    elif official.stor_nok and forebyggelse_letters >= RULES_2021.min_kriterier:
        expected = criteria.FOREBYGGELSE
    else:
        expected = criteria.INGEN
    assert scenario.klassifikation == expected
    if official.severity > 0:  # the letters that decided the class are the same letters
        assert scenario.kriterier == official.kriterier
