"""Version 2 of the corrected method: every figure pinned by hand from the spec's formulas.

seed-demo by hand (MODEL.md): N = 80,000; services (a, w, u):
Basic remake (.18, .38, .4), Designer remake (.08, .45, .15), Deep clean (.35, .22, 1.2),
Repair (.40, .28, .8), Storage (.12, .15, .3, billed 5 months a use).
a_i w_i = .0684, .036, .077, .112, .018; uses = 5,760 + 960 + 33,600 + 25,600 + 2,880 = 68,800.
"""
import math
import warnings
from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales import evaluate, load_scenario
from aftersales.course.parameters import scenario_from_parameters
from aftersales.model.evaluation import DivergentLifetimeError, wakeup_bounds
from aftersales.model.kernel import apply_parameter
from aftersales.model.scenario import SCENARIO_DIR, ScenarioWarning, check_consistency
from aftersales.model.sensitivity import goal_seek
from conftest import examples  # noqa: E402

N = 80_000
AW = [0.18 * 0.38, 0.08 * 0.45, 0.35 * 0.22, 0.40 * 0.28, 0.12 * 0.15]
USES = 80_000 * (0.18 * 0.4 + 0.08 * 0.15 + 0.35 * 1.2 + 0.40 * 0.8 + 0.12 * 0.3)
S_PER_CUSTOMER = (9_299_200 - 3_827_200) / N          # 68.4 yuan, worked example
M = lambda p, d=0.10: (1 + d) / (1 + d - p)


@pytest.fixture(scope="module")
def demo():
    return load_scenario("seed-demo")


def with_brand(sc, **kw):
    return replace(sc, brand=replace(sc.brand, **kw))


def with_services(sc, **kw):
    return replace(sc, services=tuple(replace(s, **kw) for s in sc.services))


# ------------------------------------------------------------ base_ltv tied to spend
def test_base_ltv_absent_is_derived_from_spend(demo):
    ev = evaluate(with_brand(demo, base_ltv=None))
    by_hand = 1800 * 1.6 * 0.6 * 1.1 / (1.1 - 0.28)              # 2,318.05
    assert ev["ltv_traditional"] == pytest.approx(by_hand, rel=1e-12)
    assert round(by_hand, 2) == 2318.05
    a0 = 1800 * 1.6 * 0.6                                        # a0 is the annual product margin
    p1 = 0.28 + 0.72 * (1 - np.prod([1 - x for x in AW])) * 0.6
    assert ev["ltv_value_added"] == pytest.approx((a0 + S_PER_CUSTOMER) * M(p1), rel=1e-12)
    assert ev["annual_value_per_customer"] == pytest.approx(1728.0, rel=1e-12)


def test_base_ltv_present_scales_with_annual_product_margin(demo):
    moved = apply_parameter(demo, "brand.avg_order_value", 2400.0)
    assert moved.brand.base_ltv == pytest.approx(3200 * 2400 / 1800, rel=1e-12)     # 4,266.67
    moved = apply_parameter(moved, "brand.purchases_per_year", 2.0)
    assert moved.brand.base_ltv == pytest.approx(3200 * (2400 * 2.0) / (1800 * 1.6), rel=1e-12)
    moved = apply_parameter(moved, "brand.product_gross_margin", 0.45)
    assert moved.brand.base_ltv == pytest.approx(3200 * (2400 * 2.0 * 0.45) / (1800 * 1.6 * 0.6), rel=1e-12)
    # a figure that is not spend leaves it alone
    assert apply_parameter(demo, "brand.baseline_repurchase_12m", 0.3).brand.base_ltv == 3200


def test_ltv_rises_with_order_value_in_notebook_parameters_and_variants():
    low = evaluate(scenario_from_parameters("seed-demo", avg_order_value=2080))
    high = evaluate(scenario_from_parameters("seed-demo", avg_order_value=3400))
    assert high["ltv_value_added"] > low["ltv_value_added"]
    assert high["ltv_traditional"] == pytest.approx(3200 * 3400 / 1800, rel=1e-12)
    assert low["ltv_traditional"] == pytest.approx(3200 * 2080 / 1800, rel=1e-12)
    # order value 0: no spend, no product margin, only the services' own contribution is left
    zero = evaluate(scenario_from_parameters("seed-demo", overrides={"brand.avg_order_value": 0.0}))
    assert zero["ltv_traditional"] == 0.0
    p1 = 0.28 + 0.72 * (1 - np.prod([1 - x for x in AW])) * 0.6
    assert zero["ltv_value_added"] == pytest.approx(S_PER_CUSTOMER * M(p1), rel=1e-12)


@settings(max_examples=examples(60), deadline=None)
@given(st.floats(100, 5000), st.floats(1.01, 3.0), st.booleans())
def test_ltv_never_falls_when_order_value_rises(aov, factor, derived):
    sc = load_scenario("seed-demo")
    if derived:
        sc = with_brand(sc, base_ltv=None)
    a = evaluate(apply_parameter(sc, "brand.avg_order_value", aov))
    b = evaluate(apply_parameter(sc, "brand.avg_order_value", aov * factor))
    assert b["ltv_value_added"] > a["ltv_value_added"]
    assert b["ltv_traditional"] == pytest.approx(a["ltv_traditional"] * factor, rel=1e-9)


def test_consistency_warning_names_key_and_both_figures(tmp_path):
    text = (SCENARIO_DIR / "seed-demo.toml").read_text(encoding="utf-8")
    p = tmp_path / "rich.toml"
    p.write_text(text.replace("base_ltv = 3200.0", "base_ltv = 9000.0"), encoding="utf-8")
    # by hand: a0 = 9000 x (1.1 - 0.28) / 1.1 = 6,709.09 > 2 x 1,728
    with pytest.warns(ScenarioWarning, match=r"rich.toml: \[brand\] base_ltv = 9,000.00 .* a0 .* = 6,709.09 "
                                             r"yuan, .* = 1,728.00 yuan"):
        load_scenario(p)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for name in ("seed-demo", "article-headline", "fast-fashion", "outdoor-repair"):
            load_scenario(name)                                  # the shipped files are consistent
    # exactly at the threshold: no warning (a0 = 2 m)
    b = replace(load_scenario("seed-demo").brand, base_ltv=2 * 1728 * 1.1 / 0.82 * (1 - 1e-12))
    assert check_consistency(b) is None


def test_outdoor_repair_ties_its_ltv_to_spend():
    ev = evaluate("outdoor-repair")
    derived = 2400 * 1.2 * 0.58 * 1.1 / (1.1 - 0.32)                          # 2,355.69
    assert ev["ltv_traditional"] == 2350.0 and abs(2350.0 - derived) < 10
    assert ev["annual_value_per_customer"] == pytest.approx(2350 * 0.78 / 1.1, rel=1e-12)
    assert ev["annual_value_per_customer"] <= 2400 * 1.2                     # not above the revenue


# ------------------------------------------------------------ price elasticity
def test_price_elasticity_moves_acceptance(demo):
    el = with_brand(demo, price_elasticity=-1.5)
    moved = apply_parameter(el, "service[Basic remake].price", 350.0)
    assert moved.service("Basic remake").acceptance == pytest.approx(0.18 * (350 / 280) ** -1.5, rel=1e-12)
    assert moved.service("Designer remake").acceptance == 0.08                # other prices held
    # price multiplier: every service, clipped to 1 where a cut would push above it
    sc = scenario_from_parameters(el, price_multiplier=0.2)
    assert sc.service("Repair & refresh").acceptance == 1.0                    # 0.40 x 0.2^-1.5 = 4.47
    assert sc.service("Designer remake").acceptance == pytest.approx(0.08 * 0.2 ** -1.5, rel=1e-12)
    # e = 0: the article's assumption, acceptance does not answer price
    same = apply_parameter(demo, "scale.price", 1.3)
    assert [s.acceptance for s in same.services] == [s.acceptance for s in demo.services]


def test_goal_seek_on_a_price_answers_demand(demo):
    el = with_brand(demo, price_elasticity=-1.0)
    r = goal_seek(el, "service[Repair & refresh].price", "va_net", 0.0, low=40, high=2000)
    # with e = -1 users x price is constant: revenue of Repair is fixed at 80,000 x 0.4 x 0.8 x 88,
    # and cost falls as users fall; by hand: contribution_R(p) = 25,600 x 88 - 25,600 x 88 / p x 40
    others = (9_299_200 - 3_827_200) - 25_600 * (88 - 40)
    fixed = 10_727_200 - 3_827_200
    # others + 25,600 x 88 x (1 - 40 / p) = fixed  ->  p = 40 / (1 - (fixed - others) / (25,600 x 88))
    need = (fixed - others) / (25_600 * 88)
    assert need > 1                                 # cannot be reached: the revenue cap is too low
    assert r.value is None and "does not reach" in r.message


def test_price_elasticity_must_not_be_positive(tmp_path):
    from aftersales.model.scenario import ScenarioError

    text = (SCENARIO_DIR / "seed-demo.toml").read_text(encoding="utf-8")
    p = tmp_path / "e.toml"
    p.write_text(text.replace("discount_rate = 0.10", "discount_rate = 0.10\nprice_elasticity = 0.5"),
                 encoding="utf-8")
    with pytest.raises(ScenarioError, match=r"e.toml: \[brand\] price_elasticity must be <= 0 .* got 0.5"):
        load_scenario(p)


# ------------------------------------------------------------ logistics per use
def test_logistics_per_use_is_counted_once_per_use(demo):
    assert USES == pytest.approx(68_800)
    ev = evaluate(with_services(demo, logistics_per_use=20.0))
    assert ev["service_cost"] == pytest.approx(3_827_200 + 20 * 68_800, rel=1e-12)
    assert ev["va_net"] == pytest.approx(-1_428_000 - 1_376_000, rel=1e-12)
    storage = ev.services[-1]
    assert storage["cost"] == pytest.approx(14_400 * 13 + 20 * 2_880, rel=1e-12)   # not 20 x 14,400 months
    # the seed method has no such cost
    assert evaluate(with_services(demo, logistics_per_use=20.0), "seed")["va_net"] == pytest.approx(760_960)
    # break-even acceptance: 6.9M fixed over (5.472M - 1.376M) per unit of multiplier = 1.6846 (not 1.26)
    r = goal_seek(with_services(demo, logistics_per_use=20.0), "scale.acceptance", "va_net", 0.0)
    assert r.exact and r.value == pytest.approx(6_900_000 / (5_472_000 - 1_376_000), rel=1e-9)
    assert round(r.value, 2) == 1.68


# ------------------------------------------------------------ wake-up share and its bounds
def test_wakeup_share_and_bounds_by_hand():
    d = evaluate("seed-demo").to_dict()["lifecycle"]
    omega = 1 - np.prod([1 - x for x in AW])
    assert d["wakeup_share"] == pytest.approx(omega, rel=1e-12)
    assert d["wakeup_share_low"] == pytest.approx(0.112, rel=1e-12)
    assert d["wakeup_share_high"] == pytest.approx(0.3114, rel=1e-12)
    assert d["annual_value_per_customer"] == pytest.approx(3200 * 0.82 / 1.1, rel=1e-12)
    assert d["annual_product_margin_per_customer"] == pytest.approx(1728.0, rel=1e-12)
    rows = {r["figure"]: r for r in wakeup_bounds(evaluate("seed-demo"))}
    a0 = 3200 * 0.82 / 1.1
    for share, end in ((0.112, "full_overlap"), (0.3114, "no_overlap")):
        p1 = 0.28 + 0.72 * share * 0.6
        assert rows["12-month repurchase, value-added"][end] == pytest.approx(p1, rel=1e-12)
        assert rows["LTV, value-added"][end] == pytest.approx((a0 + S_PER_CUSTOMER) * M(p1), rel=1e-12)
        contrib = N * 0.72 * share * 0.6 * 1800 * 0.6
        assert rows["total effect"][end] == pytest.approx(-1_428_000 + contrib, rel=1e-12)
    assert round(rows["LTV, value-added"]["full_overlap"]) == 3498
    assert round(rows["LTV, value-added"]["no_overlap"]) == 3938


def test_high_bound_is_capped_at_one(demo):
    sc = with_services(demo, acceptance=1.0, wakeup_rate=0.5)                # sum a w = 2.5
    assert evaluate(sc).to_dict()["lifecycle"]["wakeup_share_high"] == 1.0


def test_seed_method_leaves_the_new_keys_null():
    d = evaluate("seed-demo", "seed").to_dict()["lifecycle"]
    for k in ("wakeup_share", "wakeup_share_low", "wakeup_share_high", "annual_value_per_customer",
              "annual_product_margin_per_customer"):
        assert d[k] is None, k


@settings(max_examples=examples(80), deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1), st.floats(0, 1)), min_size=1, max_size=6))
def test_bounds_hold_the_independent_share(aw):
    from aftersales.model.lifecycle import wakeup_share, wakeup_share_high, wakeup_share_low

    a, w = np.array(aw).T
    lo, mid, hi = wakeup_share_low(a, w), wakeup_share(a, w), wakeup_share_high(a, w)
    assert lo <= mid + 1e-12 and mid <= hi + 1e-12


# ------------------------------------------------------------ divergence refused
def test_divergent_lifetime_is_refused_with_the_reason(demo):
    sc = with_brand(demo, baseline_repurchase_12m=1.0, discount_rate=0.0)
    with pytest.raises(DivergentLifetimeError, match=r"lifetime value diverges .*baseline_repurchase_12m = 1 "
                                                     r"with discount_rate = 0"):
        evaluate(sc)
    # p1 reaches 1 through the services
    sc = with_brand(with_services(demo, acceptance=1.0, wakeup_rate=1.0), wakeup_conversion=1.0,
                    discount_rate=0.0)
    with pytest.raises(DivergentLifetimeError, match=r"p1 = 1 with discount_rate = 0"):
        evaluate(sc)
    # d > 0 keeps everything finite: M(1) = 1.1 / 0.1 = 11
    ok = evaluate(with_brand(demo, baseline_repurchase_12m=1.0))
    assert ok["ltv_value_added"] == pytest.approx((3200 / 11 + S_PER_CUSTOMER) * 11, rel=1e-12)


def test_cli_refuses_divergence_in_one_line(tmp_path, run_main):
    text = (SCENARIO_DIR / "seed-demo.toml").read_text(encoding="utf-8")
    text = text.replace("baseline_repurchase_12m = 0.28", "baseline_repurchase_12m = 1.0")
    text = text.replace("discount_rate = 0.10", "discount_rate = 0.0")
    p = tmp_path / "forever.toml"
    p.write_text(text, encoding="utf-8")
    r = run_main("evaluate", p, "--json")
    assert r.returncode != 0 and "inf" not in r.stdout
    assert r.stderr.count("\n") == 1 and "lifetime value diverges" in r.stderr and "Traceback" not in r.stderr


def test_no_inf_in_any_shipped_json():
    import json

    for name in ("seed-demo", "article-headline", "fast-fashion", "outdoor-repair"):
        for method in ("seed", "corrected"):
            text = json.dumps(evaluate(name, method).to_dict())
            assert "Infinity" not in text and "NaN" not in text.replace("null", "")
            assert math.isfinite(evaluate(name, method)["ltv_value_added"])
