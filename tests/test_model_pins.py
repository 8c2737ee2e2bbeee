"""Pins of the model, derived by hand from docs/model.md and the article's DEMO (seed-demo).

Every expected value here is computed in the comment beside it from the scenario's inputs and the
formulas of docs/model.md, never by calling the code under test, so a wrong formula, a flipped
comparison or a swapped key fails here. The mutation tester (``make mutate``) runs this file first.
"""
from __future__ import annotations

import math
from dataclasses import replace

import numpy as np
import pytest

from aftersales import (Brand, LeakageInputs, Range, Scenario, Service, TraditionalCosts, ValueAddedCosts,
                        evaluate, load_scenario)
from aftersales.model.evaluation import comparison_table, evaluate_both, verdict
from aftersales.model.kernel import ScenarioBatch, compute
from aftersales.model.leakage import LEAKAGE_FIGURES, leakage, leakage_per_item

# seed-demo, by hand (N = 80,000):
#   service         a     u     w    price unit  users=N*a  uses=users*u  wake=floor(users*w)
#   Basic remake   .18   .40  .38    280   100     14,400       5,760       5,472
#   Designer       .08   .15  .45    580   200      6,400         960       2,880
#   Deep clean     .35  1.20  .22    128    55     28,000      33,600       6,160
#   Repair         .40   .80  .28     88    40     32,000      25,600       8,960
#   Storage        .12   .30  .15     40    13      9,600       2,880       1,440   (x5 months: 14,400)
SEED_REVENUE = [5760 * 280, 960 * 580, 33600 * 128, 25600 * 88, 2880 * 40]
SEED_COST = [5760 * 100, 960 * 200, 33600 * 55, 25600 * 40, 2880 * 13]
CORR_REVENUE = SEED_REVENUE[:4] + [14400 * 40]
CORR_COST = SEED_COST[:4] + [14400 * 13]
AW = [0.18 * 0.38, 0.08 * 0.45, 0.35 * 0.22, 0.40 * 0.28, 0.12 * 0.15]
OMEGA = 1 - math.prod(1 - x for x in AW)                     # share woken at least once
FIXED_CORR = 3_200_000 + 1_200_000 + 800_000 + 1_700_000       # 690万: team, logistics, checks, resale loss


@pytest.fixture(scope="module")
def demo():
    return load_scenario("seed-demo")


@pytest.fixture(scope="module")
def seed(demo):
    return evaluate(demo, "seed")


@pytest.fixture(scope="module")
def corr(demo):
    return evaluate(demo, "corrected")


# ------------------------------------------------------------------ the kernel, seed method
def test_seed_per_service_figures(seed):
    svc = seed.services
    assert [s["users"] for s in svc] == [14400, 6400, 28000, 32000, 9600]
    assert [s["uses"] for s in svc] == pytest.approx([5760, 960, 33600, 25600, 2880])
    assert [s["billable_units"] for s in svc] == pytest.approx([5760, 960, 33600, 25600, 2880])
    assert [s["revenue"] for s in svc] == pytest.approx(SEED_REVENUE)
    assert [s["cost"] for s in svc] == pytest.approx(SEED_COST)
    assert [s["wakeups"] for s in svc] == [5472, 2880, 6160, 8960, 1440]
    assert [s["gross_margin"] for s in svc] == pytest.approx([180 / 280, 380 / 580, 73 / 128, 48 / 88, 27 / 40])


def test_seed_totals(seed):
    rev, cost = sum(SEED_REVENUE), sum(SEED_COST)                 # 8,838,400 and 3,677,440
    assert seed["service_revenue"] == pytest.approx(8_838_400) == rev
    assert seed["service_cost"] == pytest.approx(3_677_440) == cost
    assert seed["service_contribution"] == pytest.approx(rev - cost)
    assert seed["traditional_cost"] == 6_800_000 and seed["traditional_revenue"] == 0
    assert seed["traditional_net"] == -6_800_000
    assert seed["va_cost"] == pytest.approx(3_200_000 + 1_200_000 + cost)      # seed leaves out checks, resale
    assert seed["va_revenue"] == pytest.approx(rev)
    assert seed["va_net"] == pytest.approx(760_960)
    assert seed["wakeup_customers"] == 24_912                         # 5472 + 2880 + 6160 + 8960 + 1440
    assert seed["wakeup_revenue"] == pytest.approx(24_912 * 1800 * 0.6)
    boosts = 14400 * 280 + 6400 * 450 + 28000 * 150 + 32000 * 120 + 9600 * 80    # 15,720,000
    assert seed["total_effect"] == pytest.approx(760_960 + boosts + 24_912 * 1800 * 0.6)
    assert seed["ltv_traditional"] == 3200
    assert seed["ltv_value_added"] == pytest.approx(3200 + (boosts + 24_912 * 1080) / 80_000)   # 3732.81
    for key in ("wakeup_share", "wakeup_orders", "wakeup_contribution", "repurchase_12m_traditional",
                "repurchase_12m_value_added"):
        assert seed[key] is None


def test_seed_floors_users_and_wakeups_and_ignores_the_conversion(demo):
    """N = 1001 makes N x a fractional: the seed floors it, the corrected method does not."""
    sc = demo.with_changes(brand=replace(demo.brand, active_customers=1001, wakeup_conversion=0.3))
    s, c = evaluate(sc, "seed"), evaluate(sc, "corrected")
    # Basic remake: 1001 x 0.18 = 180.18 -> 180 users; wake-ups floor(180 x 0.38 = 68.4) = 68
    assert s.services[0]["users"] == 180 and s.services[0]["wakeups"] == 68
    assert c.services[0]["users"] == pytest.approx(180.18)
    assert c.services[0]["wakeups"] == pytest.approx(180.18 * 0.38)
    woken = sum(math.floor(math.floor(1001 * a) * w) for a, w in
                [(0.18, 0.38), (0.08, 0.45), (0.35, 0.22), (0.40, 0.28), (0.12, 0.15)])
    assert s["wakeup_customers"] == woken
    assert s["wakeup_revenue"] == pytest.approx(woken * 1800 * 0.6)      # the literal 0.6, not c = 0.3


# ------------------------------------------------------------------ the kernel, corrected method
def test_corrected_totals(corr):
    rev, cost = sum(CORR_REVENUE), sum(CORR_COST)                 # 9,299,200 and 3,827,200
    assert rev == 9_299_200 and cost == 3_827_200
    assert [s["billable_units"] for s in corr.services] == pytest.approx([5760, 960, 33600, 25600, 14400])
    assert corr["service_revenue"] == pytest.approx(rev)
    assert corr["service_cost"] == pytest.approx(cost)
    assert corr["va_cost"] == pytest.approx(FIXED_CORR + cost)    # 10,727,200
    assert corr["va_net"] == pytest.approx(rev - FIXED_CORR - cost)   # -1,428,000
    assert corr["wakeup_share"] == pytest.approx(OMEGA)
    assert corr["wakeup_customers"] == pytest.approx(80_000 * OMEGA)          # 22,174.07
    orders = 80_000 * (1 - 0.28) * OMEGA * 0.6
    assert corr["wakeup_orders"] == pytest.approx(orders)
    assert corr["wakeup_revenue"] == pytest.approx(orders * 1800)              # 17,242,553.81
    assert corr["wakeup_contribution"] == pytest.approx(orders * 1800 * 0.6)   # 10,345,532.29
    assert corr["total_effect"] == pytest.approx(rev - FIXED_CORR - cost + orders * 1800 * 0.6)
    p1 = 0.28 + 0.72 * OMEGA * 0.6
    assert corr["repurchase_12m_traditional"] == 0.28
    assert corr["repurchase_12m_value_added"] == pytest.approx(p1)             # 39.974 %
    m = lambda p: 1.1 / (1.1 - p)                                                # M(p), d = 10 %
    assert corr["ltv_value_added"] == pytest.approx((3200 / m(0.28) + (rev - cost) / 80_000) * m(p1))  # 3854.63
    assert corr["ltv_value_added"] == pytest.approx(3854.63, abs=0.005)


def test_worked_example_in_the_spec_rounding(corr):
    assert round(corr["wakeup_customers"], 2) == 22_174.07
    assert round(corr["wakeup_revenue"], 2) == 17_242_553.81
    assert round(corr["total_effect"], 2) == 8_917_532.29


def test_a_price_of_zero_has_a_zero_margin_in_the_kernel(demo):
    sc = demo.with_changes(services=(replace(demo.services[0], price=0.0),) + demo.services[1:])
    for method in ("seed", "corrected"):
        assert evaluate(sc, method).services[0]["gross_margin"] == 0.0


# ------------------------------------------------------------------ leakage (docs/model.md: value leakage)
def test_leakage_per_item_by_hand(demo):
    # P = 1500, rho = 0.15: recovered 225; cogs 0.4 x 1500 = 600; fees 300 / 500; k = 100
    corr = leakage_per_item(demo.leakage)
    assert corr == {"traditional_recovery": 225.0, "leakage_vs_price": 1275.0, "accounting_loss": 375.0,
                    "remake_own_recovery": 425.0, "remake_new_recovery": 625.0}
    assert tuple(corr) == LEAKAGE_FIGURES
    seed = leakage_per_item(demo.leakage, "seed")
    assert seed["remake_own_recovery"] == 525.0 and seed["remake_new_recovery"] == 725.0
    assert leakage_per_item(demo.leakage, method="corrected") == corr


def test_leakage_keeps_each_input_in_its_own_place():
    x = LeakageInputs(original_price=1000, recovery_rate=0.2, cogs_ratio=0.5, items_per_year=10,
                      remake_fee_own_customer=30, remake_fee_new_customer=70, remake_unit_cost=11)
    f = leakage_per_item(x)
    # recovered 200; leak 800; accounting loss 500 - 200; own 200 + 30 - 11; new 200 + 70 - 11
    assert f == {"traditional_recovery": 200.0, "leakage_vs_price": 800.0, "accounting_loss": 300.0,
                 "remake_own_recovery": 219.0, "remake_new_recovery": 259.0}
    yearly = leakage(x)
    assert yearly["per_item"] == f
    assert yearly["annual"] == {k: v * 10 for k, v in f.items()}
    assert leakage(x, "seed")["annual"]["remake_own_recovery"] == 2300.0        # (200 + 30) x 10


def test_leakage_rejects_an_unknown_method(demo):
    with pytest.raises(ValueError, match=r"^method must be seed or corrected, got 'excel'$"):
        leakage_per_item(demo.leakage, "excel")
    assert leakage(None) is None and leakage(None, "seed") is None


# ------------------------------------------------------------------ evaluation: the JSON contract
def test_to_dict_is_the_contract(demo, corr):
    d = corr.to_dict()
    assert list(d) == ["scenario", "method", "services", "totals", "traditional", "value_added",
                       "lifecycle", "leakage"]
    assert d["scenario"] == "seed-demo" and d["method"] == "corrected"
    assert d["totals"] == pytest.approx({"service_revenue": 9_299_200, "service_cost": 3_827_200,
                                         "service_contribution": 5_472_000})
    assert d["traditional"] == {"cost": 6_800_000, "revenue": 0, "net": -6_800_000}
    va = d["value_added"]
    assert list(va) == ["cost", "revenue", "net", "wakeup_customers", "wakeup_revenue",
                        "wakeup_contribution", "total_effect"]
    assert va["cost"] == pytest.approx(10_727_200) and va["revenue"] == pytest.approx(9_299_200)
    assert va["net"] == pytest.approx(-1_428_000)
    assert va["wakeup_customers"] == pytest.approx(22_174.07, abs=0.01)
    assert va["wakeup_revenue"] == pytest.approx(17_242_553.81, abs=0.01)
    assert va["wakeup_contribution"] == pytest.approx(10_345_532.29, abs=0.01)
    assert va["total_effect"] == pytest.approx(8_917_532.29, abs=0.01)
    lc = d["lifecycle"]
    assert list(lc) == ["repurchase_12m_traditional", "repurchase_12m_value_added", "ltv_traditional",
                        "ltv_value_added", "wakeup_share", "wakeup_share_low", "wakeup_share_high",
                        "annual_value_per_customer", "annual_product_margin_per_customer"]
    assert lc["repurchase_12m_traditional"] == 0.28 and lc["ltv_traditional"] == 3200
    assert lc["repurchase_12m_value_added"] == pytest.approx(0.39974, abs=5e-6)
    assert d["leakage"]["per_item"]["remake_own_recovery"] == 425.0
    assert d["leakage"]["annual"]["leakage_vs_price"] == 1275.0 * 6000
    assert list(d["services"][0]) == ["name", "kind", "users", "uses", "billable_units", "revenue", "cost",
                                      "gross_margin", "wakeups"]
    assert d["services"][4]["name"] == "Seasonal storage" and d["services"][4]["kind"] == "storage"
    assert d["services"][4]["revenue"] == 576_000 and d["services"][4]["cost"] == 187_200


def test_seed_json_has_null_where_the_seed_has_no_figure(seed):
    d = seed.to_dict()
    assert d["method"] == "seed"
    assert d["value_added"]["wakeup_contribution"] is None
    assert d["lifecycle"]["repurchase_12m_value_added"] is None
    assert d["leakage"]["per_item"]["remake_own_recovery"] == 525.0


def test_evaluate_names_and_methods(demo):
    assert evaluate("seed-demo").method == "corrected"
    assert evaluate(demo).scenario is demo
    with pytest.raises(ValueError, match=r"^method must be one of seed, corrected, got 'excel'$"):
        evaluate(demo, "excel")
    both = evaluate_both("seed-demo")
    assert list(both) == ["seed", "corrected"]
    assert both["seed"].method == "seed" and both["corrected"].method == "corrected"
    assert both["seed"]["va_net"] == pytest.approx(760_960)


def test_comparison_table_by_hand(demo):
    t = comparison_table(demo)
    assert list(t.columns) == ["seed", "corrected", "difference", "unit"]
    assert t.index.name == "figure" and len(t) == 13
    row = t.loc["value-added net"]
    assert row["seed"] == pytest.approx(760_960) and row["corrected"] == pytest.approx(-1_428_000)
    assert row["difference"] == pytest.approx(-1_428_000 - 760_960) and row["unit"] == "yuan"
    assert t.loc["wakeup customers", "unit"] == "people"
    assert t.loc["12-month repurchase, value-added", "unit"] == "share"
    assert math.isnan(t.loc["12-month repurchase, value-added", "difference"])
    assert t.loc["LTV, traditional", "difference"] == 0


# ------------------------------------------------------------------ evaluation: the verdict's branches
def test_verdict_corrected_seed_demo(corr):
    # net -142.8万 is above the traditional -680.0万 by 537.2万; total 891.8万; storage 27/40 = 67.5 %;
    # deep clean contributes 33,600 x (128 - 55) = 245.28万, the largest
    assert verdict(corr) == (
        "Value-added after-sales narrows the loss from -680.0 wan yuan to -142.8 wan yuan "
        "(537.2 wan yuan better) but does not break even on its own.\n"
        "Counting the wake-up contribution, the total effect is 891.8 wan yuan a year.\n"
        "Highest gross margin: Seasonal storage (67.5%); largest contribution: Deep clean & care (245.3 wan yuan).")


def test_verdict_seed_seed_demo(seed):
    assert verdict(seed).splitlines()[:2] == [
        "After-sales pays for itself: value-added net 76.1 wan yuan against -680.0 wan yuan today.",
        "Counting the LTV boost and wake-up sales, the total effect is 4,338.6 wan yuan a year."]


def test_verdict_when_value_added_loses_more(demo):
    # prices x 0 (by hand: revenue 0, net = -(690万 + cost)) -> worse than -680万, total still negative
    free = demo.with_changes(services=tuple(replace(s, price=0.0) for s in demo.services))
    lines = verdict(evaluate(free)).splitlines()
    assert lines[0] == ("Value-added after-sales loses more than today (-1,072.7 wan yuan against -680.0 wan "
                        "yuan): review prices and costs before launching.")
    assert lines[1].startswith("Even counting the wake-up contribution, the total effect stays negative (")


def test_verdict_at_exact_break_even(demo):
    # team salary raised so that net is exactly 0: 9,299,200 - 3,827,200 - (690万 + x) = 0 -> x = -142.8万
    even = demo.with_changes(value_added=replace(demo.value_added, team_salary=3_200_000 - 1_428_000))
    ev = evaluate(even)
    assert ev["va_net"] == pytest.approx(0, abs=1e-6)
    assert verdict(ev).startswith("After-sales pays for itself" if ev["va_net"] >= 0
                                  else "Value-added after-sales narrows")


# ------------------------------------------------------------------ inputs: the boundaries of validation
def _brand(**kw):
    base = dict(active_customers=100, avg_order_value=1000.0, base_ltv=2000.0)
    base.update(kw)
    return Brand(**base)


def _svc(**kw):
    base = dict(name="Repair", kind="repair", price=88.0, material_cost=15.0, labor_cost=25.0,
                uses_per_user_per_year=0.8, acceptance=0.4, wakeup_rate=0.28)
    base.update(kw)
    return Service(**base)


@pytest.mark.parametrize("field", ["return_rate", "baseline_repurchase_12m", "wakeup_conversion",
                                   "product_gross_margin", "discount_rate"])
def test_brand_shares_take_both_ends_and_nothing_beyond(field):
    assert getattr(_brand(**{field: 0.0}), field) == 0.0
    assert getattr(_brand(**{field: 1.0}), field) == 1.0
    with pytest.raises(ValueError, match=rf"^brand\.{field} must lie in \[0, 1\] \(a share\), got 1\.0001$"):
        _brand(**{field: 1.0001})
    with pytest.raises(ValueError, match=rf"^brand\.{field} must lie in \[0, 1\] \(a share\), got -0\.0001$"):
        _brand(**{field: -0.0001})


@pytest.mark.parametrize("field", ["avg_order_value", "base_ltv", "purchases_per_year"])
def test_brand_amounts_take_zero_and_nothing_below(field):
    assert getattr(_brand(**{field: 0.0}), field) == 0.0
    with pytest.raises(ValueError, match=rf"^brand\.{field} must be >= 0, got -0\.01$"):
        _brand(**{field: -0.01})


def test_brand_defaults_are_the_spec():
    b = _brand()
    assert (b.return_rate, b.purchases_per_year, b.baseline_repurchase_12m, b.wakeup_conversion,
            b.product_gross_margin, b.discount_rate) == (0.18, 1.6, 0.28, 0.6, 0.6, 0.10)


def test_brand_customer_count():
    assert _brand(active_customers=1).active_customers == 1
    b = _brand(active_customers=80000.0)
    assert b.active_customers == 80000 and type(b.active_customers) is int
    for bad in (0, -5):
        with pytest.raises(ValueError, match=rf"^brand\.active_customers must be > 0, got {bad}$"):
            _brand(active_customers=bad)
    for bad in (True, 2.5, math.nan, math.inf, "80000", None):
        with pytest.raises(ValueError, match=r"^brand\.active_customers must be a whole number > 0, got "):
            _brand(active_customers=bad)


def test_numbers_must_be_real_numbers():
    with pytest.raises(ValueError, match=r"^brand\.base_ltv must be a number, got True$"):
        _brand(base_ltv=True)
    assert _brand(base_ltv=None).base_ltv is None         # version 2: absent means derived from spend
    with pytest.raises(ValueError, match=r"^brand\.base_ltv must be finite, got inf$"):
        _brand(base_ltv=math.inf)
    with pytest.raises(ValueError, match=r"^brand\.base_ltv must be finite, got -inf$"):
        _brand(base_ltv=-math.inf)
    assert _brand(base_ltv=2000).base_ltv == 2000            # an int is a number


def test_cost_structures():
    t = TraditionalCosts(1.0, 2.0, 4.0, 8.0)
    assert t.total == 15.0
    assert ValueAddedCosts(0, 0, 0, 0).total == 0
    with pytest.raises(ValueError, match=r"^traditional\.logistics must be >= 0, got -1$"):
        TraditionalCosts(1, -1, 1, 1)
    with pytest.raises(ValueError, match=r"^value_added\.discounted_resale_loss must be >= 0, got -1$"):
        ValueAddedCosts(1, 1, 1, -1)
    with pytest.raises(ValueError, match=r"^value_added\.quality_check must be finite, got nan$"):
        ValueAddedCosts(1, 1, math.nan, 1)


def test_leakage_inputs_validation():
    ok = dict(original_price=1500, recovery_rate=0.15, cogs_ratio=0.4, items_per_year=6000,
              remake_fee_own_customer=300, remake_fee_new_customer=500, remake_unit_cost=100)
    assert LeakageInputs(**{**ok, "recovery_rate": 1.0, "cogs_ratio": 0.0}).recovery_rate == 1.0
    assert LeakageInputs(**{**ok, "remake_unit_cost": 0}).remake_unit_cost == 0
    with pytest.raises(ValueError, match=r"^leakage\.cogs_ratio must lie in \[0, 1\] \(a share\), got 1\.5$"):
        LeakageInputs(**{**ok, "cogs_ratio": 1.5})
    with pytest.raises(ValueError, match=r"^leakage\.recovery_rate must lie in \[0, 1\]"):
        LeakageInputs(**{**ok, "recovery_rate": -0.1})
    for f in ("original_price", "items_per_year", "remake_fee_own_customer", "remake_fee_new_customer",
              "remake_unit_cost"):
        with pytest.raises(ValueError, match=rf"^leakage\.{f} must be >= 0, got -1$"):
            LeakageInputs(**{**ok, f: -1})


def test_service_boundaries_and_defaults():
    s = _svc()
    assert (s.ltv_extension, s.billing, s.months_per_use) == (0.0, "per_use", 1.0)
    assert _svc(acceptance=0.0, wakeup_rate=1.0).wakeup_rate == 1.0
    assert _svc(acceptance=1.0).acceptance == 1.0
    assert _svc(price=0.0, material_cost=0.0, labor_cost=0.0).price == 0.0
    assert _svc(billing="per_month", months_per_use=5).months_per_use == 5
    for f in ("price", "material_cost", "labor_cost", "uses_per_user_per_year", "ltv_extension",
              "months_per_use"):
        with pytest.raises(ValueError, match=rf"^services\['Repair'\]\.{f} must be >= 0, got -1$"):
            _svc(**{f: -1})
    with pytest.raises(ValueError, match=r"^services\['Repair'\]\.acceptance must lie in \[0, 1\] \(a share\), got 1\.01$"):
        _svc(acceptance=1.01)
    with pytest.raises(ValueError, match=r"^services\['Repair'\]\.wakeup_rate must lie in \[0, 1\]"):
        _svc(wakeup_rate=-0.01)
    with pytest.raises(ValueError, match=r"^services\.name must be a non-empty text, got '  '$"):
        _svc(name="  ")
    with pytest.raises(ValueError, match=r"^services\.name must be a non-empty text, got 7$"):
        _svc(name=7)
    for kind in ("remake", "deep_clean", "repair", "storage"):
        assert _svc(kind=kind).kind == kind
    with pytest.raises(ValueError, match=r"^services\['Repair'\]\.billing must be one of per_use, per_month, got 'yearly'$"):
        _svc(billing="yearly")
    with pytest.raises(ValueError, match=r"^services\['Repair'\]\.kind must be one of remake, deep_clean, repair, storage, got 'x'$"):
        _svc(kind="x")


def test_service_unit_cost_and_margin_by_hand():
    s = _svc(price=200.0, material_cost=30.0, labor_cost=50.0)
    assert s.unit_cost == 80.0
    assert s.gross_margin == pytest.approx(0.6)               # (200 - 80) / 200
    assert _svc(price=0.0).gross_margin == 0.0
    assert _svc(price=50.0, material_cost=40.0, labor_cost=20.0).gross_margin == pytest.approx(-0.2)


def test_range():
    assert Range(2, 2).mid == 2
    assert Range(0.15, 0.25).mid == pytest.approx(0.2)
    assert Range(-3, 5).mid == 1
    with pytest.raises(ValueError, match=r"^range low 0\.3 is above high 0\.2$"):
        Range(0.3, 0.2)
    with pytest.raises(ValueError, match=r"^range\.low must be a number, got 'a'$"):
        Range("a", 1)
    with pytest.raises(ValueError, match=r"^range\.high must be finite, got nan$"):
        Range(0, math.nan)


def _scenario(**kw):
    base = dict(name="tiny", brand=_brand(), traditional=TraditionalCosts(1, 1, 1, 1),
                value_added=ValueAddedCosts(1, 1, 1, 1), services=[_svc()])
    base.update(kw)
    return Scenario(**base)


def test_scenario_validation():
    sc = _scenario()
    assert isinstance(sc.services, tuple) and sc.description == "" and sc.leakage is None and sc.ranges == {}
    with pytest.raises(ValueError, match=r"^name must be a non-empty text, got ''$"):
        _scenario(name="")
    with pytest.raises(ValueError, match=r"^name must be a non-empty text, got None$"):
        _scenario(name=None)
    with pytest.raises(ValueError, match=r"^services: a scenario needs at least one service$"):
        _scenario(services=[])
    with pytest.raises(ValueError, match=r"^services must hold Service objects, got 'Repair'$"):
        _scenario(services=["Repair"])
    with pytest.raises(ValueError, match=r"^services: the name 'Repair' appears twice$"):
        _scenario(services=[_svc(), _svc(kind="remake")])
    two = _scenario(services=[_svc(), _svc(name="Remake", kind="remake")])
    assert two.service("Remake").kind == "remake"
    with pytest.raises(KeyError, match=r"no service 'Dyeing'; known: Repair, Remake"):
        two.service("Dyeing")


def test_scenario_ranges_validation():
    ok = _scenario(ranges={"repair": {"price": Range(0, 300), "acceptance": Range(0, 1),
                                      "gross_margin": Range(0.5, 0.5), "wakeup_rate": Range(0.1, 0.2)}})
    assert ok.ranges["repair"]["price"].high == 300
    with pytest.raises(ValueError, match=r"^ranges\.dyeing: unknown service kind \(one of remake, deep_clean, "
                                         r"repair, storage\)$"):
        _scenario(ranges={"dyeing": {}})
    with pytest.raises(ValueError, match=r"^ranges\.repair\.colour: unknown input \(one of price, acceptance, "
                                         r"gross_margin, wakeup_rate, uses_per_user_per_year\)$"):
        _scenario(ranges={"repair": {"colour": Range(0, 1)}})
    with pytest.raises(ValueError, match=r"^ranges\.repair\.acceptance must lie in \[0, 1\], got \[0\.5, 1\.5\]$"):
        _scenario(ranges={"repair": {"acceptance": Range(0.5, 1.5)}})
    with pytest.raises(ValueError, match=r"^ranges\.repair\.wakeup_rate must lie in \[0, 1\], got \[-0\.1, 0\.5\]$"):
        _scenario(ranges={"repair": {"wakeup_rate": Range(-0.1, 0.5)}})
    with pytest.raises(ValueError, match=r"^ranges\.repair\.price must be >= 0, got \[-1, 5\]$"):
        _scenario(ranges={"repair": {"price": Range(-1, 5)}})
    assert _scenario(ranges={"repair": {"price": Range(0, 5000)}}).ranges["repair"]["price"].low == 0


def test_to_dict_layout(demo):
    d = demo.to_dict()
    assert list(d) == ["name", "description", "brand", "traditional", "value_added", "leakage", "services"]
    assert d["traditional"] == {"team_salary": 2_800_000, "logistics": 1_500_000, "quality_check": 800_000,
                                "discounted_resale_loss": 1_700_000}
    assert d["value_added"]["quality_check"] == 800_000 and d["value_added"]["team_salary"] == 3_200_000
    assert d["leakage"]["remake_unit_cost"] == 100
    assert d["services"][4]["billing"] == "per_month" and d["services"][4]["months_per_use"] == 5
    r = _scenario(ranges={"repair": {"price": Range(10, 20)}}).to_dict()
    assert r["ranges"] == {"repair": {"price": [10, 20]}} and "leakage" not in r


def test_with_changes_validates_again(demo):
    assert demo.with_changes(description="x").description == "x"
    with pytest.raises(ValueError, match="at least one service"):
        demo.with_changes(services=())


# ------------------------------------------------------------------ the vectorised batch
def test_batch_of_three_equals_three_evaluations(demo):
    b = ScenarioBatch.from_scenario(demo, size=3)
    assert b.size == 3 and b.services["price"].shape == (3, 5)
    b.brand["active_customers"][:] = [1000, 80000, 1001]
    f = compute(b, "seed")
    assert f["service_revenue"][1] == pytest.approx(8_838_400)
    one = evaluate(demo.with_changes(brand=replace(demo.brand, active_customers=1001)), "seed")
    assert f["service_revenue"][2] == pytest.approx(one["service_revenue"])
    assert np.all(np.diff(f["service_revenue"][:2]) > 0)


# ------------------------------------------------------------------ frozen inputs
def test_every_input_dataclass_is_frozen(demo):
    from dataclasses import FrozenInstanceError

    for obj, field in [(demo, "name"), (demo.brand, "base_ltv"), (demo.traditional, "logistics"),
                       (demo.value_added, "logistics"), (demo.services[0], "price"),
                       (demo.leakage, "original_price"), (Range(0, 1), "low"),
                       (evaluate(demo), "method")]:
        with pytest.raises(FrozenInstanceError):
            setattr(obj, field, 1)


# ------------------------------------------------------------------ the Monte Carlo's headline probability
def test_value_added_beats_traditional_in_every_draw_of_seed_demo():
    """By hand: in every draw the service margins stay >= 55 %, so value-added net >= -(690万) (the
    fixed costs); the smallest woken share over the ranges is 1 - (1 - .15 x .35)(1 - .35 x .20)
    (1 - .40 x .25)(1 - .10 x .15) = 21.9 %, so the wake-up contribution is at least
    80,000 x 0.72 x 0.219 x 0.6 x 1800 x 0.6 = 818万 > 10万. So
    the total effect beats the traditional -680万 in every draw: the probability is exactly 1
    (inverting the comparison gives 0)."""
    from aftersales.model.montecarlo import simulate

    s = simulate("seed-demo", 2000, seed=0).summary()
    assert s["prob_value_added_beats_traditional"] == 1.0
    assert s["p5"] > -6_800_000
    assert s["draws"] == 2000 and s["seed"] == 0 and s["method"] == "corrected"


# ------------------------------------------------------------------ sensitivity, by hand
# Corrected seed-demo: service contribution R - C = 9,299,200 - 3,827,200 = 5,472,000; fixed costs 690万;
# wake-up contribution W = 10,345,532.29, proportional to the order value (1800 yuan).
W = 80_000 * 0.72 * OMEGA * 0.6 * 1800 * 0.6


def test_tornado_rows_by_hand():
    from aftersales.model.sensitivity import tornado

    t = tornado("seed-demo")
    # 2 remake services x 5 inputs + deep clean 5 + repair 5 + storage 4 (no wake-up range) + order value
    # (version 2 adds usage per user to price, acceptance, gross margin and wake-up rate)
    assert len(t) == 25
    assert list(t.columns) == ["parameter", "label", "base_value", "low_value", "high_value", "figure_low",
                               "figure_high", "swing", "decision"]
    assert t.attrs == {"figure": "total_effect", "method": "corrected", "base_figure": pytest.approx(-1_428_000 + W),
                       "scenario": "seed-demo"}
    top = t.iloc[0]
    assert (top["parameter"], top["label"], top["base_value"], top["low_value"], top["high_value"]) == (
        "brand.avg_order_value", "order value", 1800.0, 1200, 3500)
    assert top["figure_low"] == pytest.approx(-1_428_000 + W * 1200 / 1800)
    assert top["figure_high"] == pytest.approx(-1_428_000 + W * 3500 / 1800)
    assert top["swing"] == pytest.approx(W * 2300 / 1800)
    assert list(t["swing"]) == sorted(t["swing"], reverse=True)
    clean = t.set_index("parameter").loc["service[Deep clean & care].price"]
    # the range rule: the article's 80-200 yuan read relative to its midpoint 140, so the 128-yuan
    # price swings to 128 x 80/140 and 128 x 200/140; 33,600 uses x the price change (e = 0)
    lo, hi = 128 * 80 / 140, 128 * 200 / 140
    assert clean["label"] == "Deep clean & care: price" and bool(clean["decision"])
    assert clean["low_value"] == pytest.approx(lo) and clean["high_value"] == pytest.approx(hi)
    assert clean["figure_low"] == pytest.approx(-1_428_000 + W + 33_600 * (lo - 128))
    assert clean["figure_high"] == pytest.approx(-1_428_000 + W + 33_600 * (hi - 128))
    assert clean["swing"] == pytest.approx(33_600 * (hi - lo))
    assert "service[Seasonal storage].wakeup_rate" not in set(t["parameter"])
    assert "Basic remake: gross margin" in set(t["label"])
    assert len(tornado("seed-demo", include_brand=False)) == 24
    net = tornado("seed-demo", figure="va_net", method="seed", include_brand=False)
    assert net.attrs["method"] == "seed" and net.attrs["base_figure"] == pytest.approx(760_960)


def test_grid_by_hand():
    from aftersales.model.sensitivity import grid

    g = grid("seed-demo", "scale.price", [0.8, 1.0], "scale.acceptance", [0.5, 1.0, 2.0])
    assert g.shape == (2, 3) and g.index.name == "scale.price" and g.columns.name == "scale.acceptance"
    for p in (0.8, 1.0):
        for q in (0.5, 1.0, 2.0):
            assert g.loc[p, q] == pytest.approx(p * q * 9_299_200 - q * 3_827_200 - 6_900_000)
    assert g.attrs == {"row_param": "scale.price", "col_param": "scale.acceptance", "figure": "va_net",
                       "method": "corrected", "scenario": "seed-demo"}
    s = grid("seed-demo", "brand.avg_order_value", [1000], "scale.price", [1.0], figure="total_effect",
             method="seed")
    assert s.loc[1000, 1.0] == pytest.approx(760_960 + 15_720_000 + 24_912 * 1000 * 0.6)


def test_goal_seek_break_even_by_hand():
    from aftersales.model.sensitivity import goal_seek

    r = goal_seek("seed-demo", "scale.acceptance", "va_net", 0)
    assert r.value == pytest.approx(6_900_000 / 5_472_000, rel=1e-12)
    assert (r.param, r.figure, r.target, r.exact, r.iterations, r.feasible, r.message) == (
        "scale.acceptance", "va_net", 0, True, 1, True, "solved exactly")
    assert r.achieved == pytest.approx(0, abs=1e-3)
    from dataclasses import FrozenInstanceError
    with pytest.raises(FrozenInstanceError):
        r.value = 1.0
    inside = goal_seek("seed-demo", "scale.acceptance", "va_net", 0, low=0, high=1)
    assert inside.value == pytest.approx(6.9 / 5.472)
    assert inside.message == "solved exactly (outside the bracket [0, 1]; the figure is linear)"
    # one service's acceptance: 72 yuan a user (0.4 uses x 180), (500万 + 142.8万) / 72 more users
    far = goal_seek("seed-demo", "service[Basic remake].acceptance", "va_net", 5_000_000)
    assert far.value == pytest.approx(0.18 + 6_428_000 / 72 / 80_000)
    assert far.exact and not far.feasible and far.achieved == pytest.approx(5_000_000)
    # the target is not 0: the bracket search aims at the target, not at 0
    half = goal_seek("seed-demo", "scale.acceptance", "va_net", -1_428_000)
    assert half.value == pytest.approx(1.0)


def test_goal_seek_on_the_seed_steps_lands_within_one_customer():
    from aftersales.model.sensitivity import goal_seek

    r = goal_seek("seed-demo", "scale.acceptance", "va_net", 0, method="seed")
    # seed: 5,160,960 contribution against 440万 fixed -> m = 0.852571..., floors make it a step
    assert r.value == pytest.approx(4_400_000 / 5_160_960, abs=1e-4)
    assert not r.exact and r.feasible and r.message == "solved by bracketing"
    assert abs(r.achieved) < 200            # one customer is worth at most 0.4 x 180 + ... < 200 yuan
    assert 1 < r.iterations < 60


def test_goal_seek_errors_and_brackets():
    from aftersales.model.sensitivity import _default_bracket, goal_seek
    from aftersales.model.kernel import ScenarioBatch

    with pytest.raises(ValueError, match=r"^goal seek needs low < high, got \[1\.0, 1\.0\]$"):
        goal_seek("seed-demo", "scale.price", low=1, high=1)
    with pytest.raises(ValueError, match=r"^figure must be one of service_revenue, .*, got 'profit'$"):
        goal_seek("seed-demo", "scale.price", "profit")
    with pytest.raises(ValueError, match=r"^method must be one of seed, corrected, got 'excel'$"):
        goal_seek("seed-demo", "scale.price", method="excel")
    r = goal_seek("seed-demo", "brand.base_ltv", "va_net", 0)
    assert r.value is None and r.achieved is None and r.exact and not r.feasible
    assert r.message == "va_net does not depend on brand.base_ltv"
    b = ScenarioBatch.from_scenario(load_scenario("seed-demo"))
    assert _default_bracket(b, "scale.acceptance") == (0.0, 20.0)
    for share in ("service[Basic remake].acceptance", "service[Basic remake].wakeup_rate",
                  "service[Basic remake].gross_margin", "brand.return_rate", "brand.baseline_repurchase_12m",
                  "brand.wakeup_conversion", "brand.discount_rate"):
        assert _default_bracket(b, share) == (0.0, 1.0), share
    assert _default_bracket(b, "brand.avg_order_value") == (0.0, 18_000.0)
    assert _default_bracket(b, "traditional.logistics") == (0.0, 15_000_000.0)
    b.brand["avg_order_value"][:] = 0.05
    assert _default_bracket(b, "brand.avg_order_value") == (0.0, 1.0)


def test_goal_seek_unreachable_names_the_range():
    from aftersales.model.sensitivity import goal_seek

    r = goal_seek("seed-demo", "brand.baseline_repurchase_12m", "ltv_value_added", 1e9)
    assert r.value is None and not r.exact and not r.feasible
    assert r.message.startswith("ltv_value_added does not reach 1,000,000,000.00 for "
                                "brand.baseline_repurchase_12m in [0, 1] (it runs from ")


def test_evaluate_variants_and_compare_by_hand():
    from aftersales.model.sensitivity import compare_scenarios, evaluate_variants

    v = evaluate_variants("seed-demo", [{}, {"brand.avg_order_value": 900}, {"scale.price": 0.5}], "va_net")
    assert v.tolist() == pytest.approx([-1_428_000, -1_428_000, 0.5 * 9_299_200 - 3_827_200 - 6_900_000])
    t = evaluate_variants("seed-demo", [{"brand.avg_order_value": 900}, {}])
    assert t.tolist() == pytest.approx([-1_428_000 + W / 2, -1_428_000 + W])
    df = compare_scenarios(["seed-demo"], method="seed")
    assert df.index.name == "figure" and df.attrs["method"] == "seed" and list(df.columns) == ["seed-demo"]
    assert df.loc["value-added net", "seed-demo"] == pytest.approx(760_960)
    assert len(df) == 13


def test_the_comparison_rows_are_the_reports_rows(demo):
    """The 13 rows of the seed-vs-corrected table, their units and values, as the report prints them."""
    t = comparison_table(demo)
    assert list(zip(t.index, t["unit"])) == [
        ("service revenue", "yuan"), ("service cost", "yuan"), ("traditional cost", "yuan"),
        ("value-added cost", "yuan"), ("value-added net", "yuan"), ("wakeup customers", "people"),
        ("wakeup revenue", "yuan"), ("wakeup contribution", "yuan"), ("total effect", "yuan"),
        ("12-month repurchase, traditional", "share"), ("12-month repurchase, value-added", "share"),
        ("LTV, traditional", "yuan"), ("LTV, value-added", "yuan")]
    corr = t["corrected"]
    assert corr["service revenue"] == pytest.approx(9_299_200) and corr["service cost"] == pytest.approx(3_827_200)
    assert corr["traditional cost"] == 6_800_000 and corr["value-added cost"] == pytest.approx(10_727_200)
    assert corr["wakeup revenue"] == pytest.approx(17_242_553.81, abs=0.01)
    assert corr["wakeup contribution"] == pytest.approx(10_345_532.29, abs=0.01)
    assert corr["total effect"] == pytest.approx(8_917_532.29, abs=0.01)
    assert corr["12-month repurchase, traditional"] == 0.28
    assert corr["LTV, value-added"] == pytest.approx(3854.63, abs=0.005)
    seed = t["seed"]
    assert seed["service revenue"] == pytest.approx(8_838_400) and seed["total effect"] == pytest.approx(43_385_920)
    assert seed["wakeup customers"] == 24_912 and math.isnan(seed["wakeup contribution"])


def test_verdict_boundaries(demo):
    free = tuple(replace(s, price=0.0, material_cost=0.0, labor_cost=0.0, wakeup_rate=0.0) for s in demo.services)
    # value-added fixed costs equal to the traditional ones, no service money: net == traditional net
    same = demo.with_changes(services=free, value_added=ValueAddedCosts(2_800_000, 1_500_000, 800_000, 1_700_000))
    ev = evaluate(same)
    assert ev["va_net"] == ev["traditional_net"] == -6_800_000
    assert verdict(ev).splitlines()[0].startswith("Value-added after-sales loses more than today (-680.0 wan yuan")
    # no fixed costs, no service money, no wake-ups: net 0 and total effect 0 exactly
    zero = demo.with_changes(services=free, value_added=ValueAddedCosts(0, 0, 0, 0))
    ev = evaluate(zero)
    assert ev["va_net"] == 0 and ev["total_effect"] == 0
    lines = verdict(ev).splitlines()
    assert lines[0] == "After-sales pays for itself: value-added net 0.0 wan yuan against -680.0 wan yuan today."
    assert lines[1] == "Counting the wake-up contribution, the total effect is 0.0 wan yuan a year."


def test_verdict_largest_contribution_is_revenue_minus_cost(demo):
    # repair taken by everyone at a loss: revenue 64,000 x 88 = 563.2万, cost 64,000 x 105 = 672万 (the largest
    # revenue + cost, a negative contribution); deep clean still contributes the most: 33,600 x 73 = 245.3万
    lossy = tuple(replace(s, acceptance=1.0, material_cost=80.0) if s.kind == "repair" else s for s in demo.services)
    line = verdict(evaluate(demo.with_changes(services=lossy))).splitlines()[2]
    assert line.endswith("largest contribution: Deep clean & care (245.3 wan yuan).")


# ------------------------------------------------------------------ the article's transcribed figures, the kernel's helpers
def test_the_article_figures_as_printed():
    from aftersales.model.article import HEADLINE, PRINTED_MARGINS, PRINTED_SERVICE_REVENUE

    # 运行输出示例: margins 75.0 %, 69.0 %, 61.7 %, 66.0 %, 75.0 %; rows 161.3, 55.7, 430.1, 225.3, 11.5 万
    assert PRINTED_MARGINS == (0.750, 0.690, 0.617, 0.660, 0.750)
    assert PRINTED_SERVICE_REVENUE == (1_613_000.0, 557_000.0, 4_301_000.0, 2_253_000.0, 115_000.0)
    # 盈亏对比: cost 680 -> 520 万, revenue 0 -> 340 万, net -680 -> -180 万, repurchase 28 -> 38 %, LTV 3200 -> 4100
    assert HEADLINE == {"traditional_cost": 6_800_000.0, "va_cost": 5_200_000.0, "traditional_revenue": 0.0,
                        "service_revenue": 3_400_000.0, "traditional_net": -6_800_000.0, "va_net": -1_800_000.0,
                        "repurchase_12m_traditional": 0.28, "repurchase_12m_value_added": 0.38,
                        "ltv_traditional": 3200.0, "ltv_value_added": 4100.0}


def test_service_lookup_message(demo):
    with pytest.raises(KeyError) as e:
        demo.service("Dyeing")
    assert e.value.args[0] == ("no service 'Dyeing'; known: Basic remake, Designer remake, Deep clean & care, "
                               "Repair & refresh, Seasonal storage")


def test_kernel_helpers_by_hand(demo):
    from aftersales.model.kernel import (ScenarioBatch, get_parameter, parameter_names, set_parameter)
    from aftersales.model.sensitivity import FIGURES, _feasible

    names = parameter_names(demo)
    assert len(names) == 10 + 4 + 4 + 5 * 10 + 6        # brand, two cost tables, 10 per service, 6 scale fields
    assert "service[Basic remake].price" in names and "service[Seasonal storage].gross_margin" in names
    b = ScenarioBatch.from_scenario(demo)
    with pytest.raises(KeyError) as e:
        get_parameter(b, "foo.bar")
    assert e.value.args[0] == "unknown parameter 'foo.bar'; see parameter_names()"
    # margin 0.5 on the basic remake: unit cost 280 x 0.5 = 140, split 45 : 55 -> 63 and 77
    set_parameter(b, "service[Basic remake].gross_margin", 0.5)
    assert b.services["material_cost"][0, 0] == pytest.approx(63.0)
    assert b.services["labor_cost"][0, 0] == pytest.approx(77.0)
    # a price below 1 yuan still has its margin: (0.5 - 0.2) / 0.5
    cheap = demo.with_changes(services=(replace(demo.services[0], price=0.5, material_cost=0.1, labor_cost=0.1),)
                              + demo.services[1:])
    assert evaluate(cheap).services[0]["gross_margin"] == pytest.approx(0.6)
    # two scenarios stacked are their two rows
    other = demo.with_changes(name="other", brand=replace(demo.brand, active_customers=40_000))
    st = ScenarioBatch.stack([demo, other])
    assert st.size == 2 and st.traditional["logistics"].tolist() == [1_500_000, 1_500_000]
    assert compute(st, "corrected")["service_revenue"] == pytest.approx([9_299_200, 4_649_600])
    two = demo.with_changes(name="two", services=demo.services[:2])
    with pytest.raises(ValueError, match=r"^scenario 'two' has other services than 'seed-demo'; "):
        ScenarioBatch.stack([demo, two])
    assert FIGURES == ("service_revenue", "service_cost", "service_contribution", "va_cost", "va_net",
                       "wakeup_customers", "wakeup_revenue", "wakeup_contribution", "total_effect",
                       "repurchase_12m_value_added", "ltv_value_added")
    edge = ScenarioBatch.from_scenario(demo)
    edge.services["acceptance"][0, 0] = 0.0
    edge.services["wakeup_rate"][0, 1] = 1.0
    edge.services["price"][0, 2] = 0.5
    assert _feasible(edge).tolist() == [True]
    edge.services["acceptance"][0, 0] = -0.01
    assert _feasible(edge).tolist() == [False]


def test_seed_truncates_as_the_articles_int_does_floating_point_included(demo):
    """docs/model.md: the seed's floor is the article's ``int(N * a)``, so 80,000 x 0.57 counts 45,599."""
    sc = demo.with_changes(services=(replace(demo.services[0], acceptance=0.57, wakeup_rate=0.29),))
    s, c = evaluate(sc, "seed"), evaluate(sc, "corrected")
    assert s.services[0]["users"] == int(80_000 * 0.57) == 45_599     # the article's own expression
    assert s.services[0]["wakeups"] == int(45_599 * 0.29) == 13_223   # 13,223.71 -> 13,223
    assert c.services[0]["users"] == pytest.approx(45_600)
