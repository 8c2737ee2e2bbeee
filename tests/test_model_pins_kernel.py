"""Pins of the kernel's contract (aftersales.model.kernel): batches, keys, bounds and input names.

Every expected value is derived here by hand from docs/model.md and the kernel's docstrings (the
derivation stands in the comment beside it), or is an invariant a user relies on: the seed method
gives every key the corrected method gives, NaN where it has no figure; a batch's copy is its own;
``repeat`` repeats row 0; an input's name parses as ``service[NAME].key``, ``brand.key`` or
``scale.key`` and a wrong one gets a whole, exact message. The mutation tester runs this file in
its first tier.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from aftersales import load_scenario
from aftersales.model.kernel import (ScenarioBatch, apply_parameter, apply_parameters, compute, get_parameter,
                                     parameter_names, parse_parameter, set_parameter)

DEMO = load_scenario("seed-demo")
N = 80_000
# seed-demo's services (docs/model.md, tests/test_model_pins.py): a, w, u, material, labour, price
A = [0.18, 0.08, 0.35, 0.40, 0.12]
W = [0.38, 0.45, 0.22, 0.28, 0.15]
U = [0.40, 0.15, 1.20, 0.80, 0.30]
MATERIAL_BASIC, LABOUR_BASIC = 45.0, 55.0             # the basic remake's unit cost 100 (docs: k = 100)
AW = [a * w for a, w in zip(A, W)]                    # 0.0684, 0.036, 0.077, 0.112, 0.018
M = lambda p: 1.1 / (1.1 - p)                         # M(p) = (1 + d) / (1 + d - p), d = 10 %
VA_NET = -1_428_000                                   # the worked example's corrected value-added net
S_PC = 5_472_000 / N                                  # (service revenue - service cost) / N = 68.4

#: Keys the seed method has no figure for: NaN in the kernel, null in the JSON (compute's docstring).
SEED_NAN = ("wakeup_share", "wakeup_orders", "wakeup_contribution", "repurchase_12m_traditional",
            "repurchase_12m_value_added", "annual_value_per_customer", "annual_product_margin_per_customer",
            "wakeup_share_low", "wakeup_share_high", "wakeup_orders_low", "wakeup_orders_high",
            "wakeup_contribution_low", "wakeup_contribution_high", "total_effect_low", "total_effect_high",
            "repurchase_12m_value_added_low", "repurchase_12m_value_added_high", "ltv_value_added_low",
            "ltv_value_added_high")


def _key_error(fn, *args) -> str:
    with pytest.raises(KeyError) as e:
        fn(*args)
    return e.value.args[0]


# ------------------------------------------------------------------ batches
def test_stack_refuses_the_same_names_with_other_kinds():
    """Same service names, one kind changed: still other services (names *or* kinds differ)."""
    other = DEMO.with_changes(name="kinds", services=(replace(DEMO.services[0], kind="repair"),)
                              + DEMO.services[1:])
    with pytest.raises(ValueError, match=r"^scenario 'kinds' has other services than 'seed-demo'; "
                                         r"evaluate them one by one$"):
        ScenarioBatch.stack([DEMO, other])


def test_copy_is_equal_and_its_own():
    b = ScenarioBatch.from_scenario(DEMO)
    c = b.copy()
    for group in ("brand", "traditional", "value_added", "services"):
        orig, copied = getattr(b, group), getattr(c, group)
        assert list(copied) == list(orig)
        for k in orig:
            assert np.array_equal(copied[k], orig[k], equal_nan=True)
    assert c.per_month.tolist() == [[False, False, False, False, True]]     # storage bills per month
    assert (c.service_names, c.service_kinds) == (b.service_names, b.service_kinds)
    c.brand["active_customers"][0] = 1.0
    c.services["price"][0, 0] = 1.0
    c.traditional["logistics"][0] = 0.0
    c.value_added["team_salary"][0] = 0.0
    c.per_month[0, 4] = False
    assert b.brand["active_customers"].tolist() == [80_000]
    assert b.services["price"][0, 0] == 280
    assert b.traditional["logistics"].tolist() == [1_500_000]
    assert b.value_added["team_salary"].tolist() == [3_200_000]
    assert b.per_month[0, 4]


def test_repeat_repeats_row_zero_only():
    """Row 0 (seed-demo, N = 80,000) three times, whatever row 1 (N = 40,000) holds."""
    half = DEMO.with_changes(name="half", brand=replace(DEMO.brand, active_customers=40_000))
    r = ScenarioBatch.stack([DEMO, half]).repeat(3)
    assert r.size == 3
    assert r.brand["active_customers"].tolist() == [80_000] * 3
    assert r.services["price"].shape == (3, 5) and r.per_month.shape == (3, 5)
    assert r.per_month.tolist() == [[False, False, False, False, True]] * 3
    # corrected service revenue of seed-demo: 9,299,200 (docs/model.md, worked example)
    assert compute(r, "corrected")["service_revenue"] == pytest.approx([9_299_200] * 3)


# ------------------------------------------------------------------ compute: methods and keys
def test_compute_names_the_methods_in_its_error():
    with pytest.raises(ValueError, match=r"^method must be one of seed, corrected, got 'excel'$"):
        compute(ScenarioBatch.from_scenario(DEMO), "excel")


def test_the_ltv_boost_is_the_seeds_alone():
    """docs/model.md: ltv_extension counts in the seed method only; corrected boosts are 0."""
    b = ScenarioBatch.from_scenario(DEMO)
    boost = compute(b, "corrected")["ltv_boost"]
    assert boost.shape == (1, 5) and boost.tolist() == [[0.0] * 5]
    # seed: users x ltv_extension = 14,400 x 280 for the basic remake (test_model_pins' boosts)
    assert compute(b, "seed")["ltv_boost"][0, 0] == pytest.approx(14_400 * 280)


def test_seed_gives_every_key_nan_where_it_has_no_figure():
    b = ScenarioBatch.from_scenario(DEMO)
    seed, corr = compute(b, "seed"), compute(b, "corrected")
    assert set(seed) == set(corr)
    for k in SEED_NAN:
        assert seed[k].shape == (1,) and np.isnan(seed[k]).all(), k
        assert np.isfinite(corr[k]).all(), k


def test_corrected_figures_at_both_ends_of_the_wakeup_share_by_hand():
    """Full overlap: max a_i w_i = 0.40 x 0.28 = 0.112; no overlap: min(1, sum a_i w_i) = 0.3114.

    docs/model.md (version 2): p1 32.84% / 41.45%, LTV 3,498.16 / 3,937.76, total 275.2 / 1,019.5 万.
    """
    f = compute(ScenarioBatch.from_scenario(DEMO), "corrected")
    for end, share in (("low", 0.112), ("high", 0.0684 + 0.036 + 0.077 + 0.112 + 0.018)):
        orders = N * (1 - 0.28) * share * 0.6                 # N (1 - p0) share c
        contrib = orders * 1800 * 0.6                          # x AOV x gm
        p1 = 0.28 + (1 - 0.28) * share * 0.6
        ltv = (3200 / M(0.28) + S_PC) * M(p1)
        assert f[f"wakeup_share_{end}"] == pytest.approx([share])
        assert f[f"wakeup_orders_{end}"] == pytest.approx([orders])
        assert f[f"wakeup_contribution_{end}"] == pytest.approx([contrib])
        assert f[f"total_effect_{end}"] == pytest.approx([VA_NET + contrib])
        assert f[f"repurchase_12m_value_added_{end}"] == pytest.approx([p1])
        assert f[f"ltv_value_added_{end}"] == pytest.approx([ltv])
    assert round(float(f["repurchase_12m_value_added_low"][0]), 4) == 0.3284
    assert round(float(f["repurchase_12m_value_added_high"][0]), 4) == 0.4145
    assert round(float(f["ltv_value_added_low"][0]), 2) == 3498.16
    assert round(float(f["ltv_value_added_high"][0]), 2) == 3937.76
    assert round(float(f["total_effect_low"][0]) / 1e4, 1) == 275.2
    assert round(float(f["total_effect_high"][0]) / 1e4, 1) == 1019.5


# ------------------------------------------------------------------ the grammar of input names
@pytest.mark.parametrize("path, parts", [
    ("service[Basic remake].price", ("service", "Basic remake", "price")),
    ("service[Deep clean & care].gross_margin", ("service", "Deep clean & care", "gross_margin")),
    ("brand.avg_order_value", ("brand", None, "avg_order_value")),
    ("traditional.logistics", ("traditional", None, "logistics")),
    ("value_added.team_salary", ("value_added", None, "team_salary")),
    ("scale.unit_cost", ("scale", None, "unit_cost")),
])
def test_parse_parameter_splits_a_name(path, parts):
    assert parse_parameter(path) == parts


@pytest.mark.parametrize("path", ["brand", "brand.", "foo.bar", "service[Basic remake]", "service[].price",
                                  "services.price", ""])
def test_parse_parameter_refuses_what_is_not_a_name(path):
    assert _key_error(parse_parameter, path) == f"unknown parameter {path!r}; see parameter_names()"


def test_the_scale_fields_and_their_message():
    """scale.<field>: a multiplier on that field of every service (parameter_names' docstring)."""
    scale = ["price", "acceptance", "uses_per_user_per_year", "wakeup_rate", "unit_cost", "months_per_use"]
    assert parameter_names(DEMO)[-6:] == [f"scale.{k}" for k in scale]
    b = ScenarioBatch.from_scenario(DEMO)
    assert _key_error(get_parameter, b, "scale.margin") == (
        "unknown parameter 'scale.margin': scale.<field> takes one of " + ", ".join(scale))
    for k in scale:
        assert get_parameter(b, f"scale.{k}").tolist() == [1.0]      # 1 = as in the scenario


def test_scale_multiplies_the_field_of_every_service():
    half_wake = apply_parameter(DEMO, "scale.wakeup_rate", 0.5)
    assert [s.wakeup_rate for s in half_wake.services] == pytest.approx([w / 2 for w in W])
    double_use = apply_parameter(DEMO, "scale.uses_per_user_per_year", 2.0)
    assert [s.uses_per_user_per_year for s in double_use.services] == pytest.approx([2 * u for u in U])
    # unit cost x 1.5 moves material and labour together: 45 -> 67.5, 55 -> 82.5; price stays 280
    dear = apply_parameter(DEMO, "scale.unit_cost", 1.5)
    basic = dear.services[0]
    assert (basic.material_cost, basic.labor_cost, basic.price) == pytest.approx(
        (1.5 * MATERIAL_BASIC, 1.5 * LABOUR_BASIC, 280.0))
    assert [s.acceptance for s in dear.services] == pytest.approx(A)
    # set_parameter on a batch: wake-ups per service follow (corrected: N a w; 80,000 x 0.18 x 0.19)
    b = set_parameter(ScenarioBatch.from_scenario(DEMO), "scale.wakeup_rate", 0.5)
    assert compute(b, "corrected")["wakeups"][0, 0] == pytest.approx(N * 0.18 * 0.19)


# ------------------------------------------------------------------ locating, reading and setting inputs
SERVICE_FIELDS = ("price, material_cost, labor_cost, uses_per_user_per_year, acceptance, wakeup_rate, "
                  "ltv_extension, months_per_use, logistics_per_use, gross_margin")
NAMES = "Basic remake, Designer remake, Deep clean & care, Repair & refresh, Seasonal storage"


@pytest.mark.parametrize("path, message", [
    ("service[Dyeing].price", f"unknown parameter 'service[Dyeing].price': no service 'Dyeing' (known: {NAMES})"),
    ("service[Basic remake].colour",
     f"unknown parameter 'service[Basic remake].colour': a service has {SERVICE_FIELDS}"),
    ("brand.colour", "unknown parameter 'brand.colour'; see parameter_names()"),
    ("traditional.price", "unknown parameter 'traditional.price'; see parameter_names()"),
    ("value_added.avg_order_value", "unknown parameter 'value_added.avg_order_value'; see parameter_names()"),
    ("leakage.recovery_rate", "unknown parameter 'leakage.recovery_rate'; see parameter_names()"),
    ("brand", "unknown parameter 'brand'; see parameter_names()"),
])
def test_a_wrong_name_gets_one_whole_message(path, message):
    b = ScenarioBatch.from_scenario(DEMO)
    assert _key_error(get_parameter, b, path) == message
    assert _key_error(set_parameter, b, path, 1.0) == message


def test_get_parameter_reads_each_table_by_hand():
    b = ScenarioBatch.from_scenario(DEMO)
    assert get_parameter(b, "brand.avg_order_value").tolist() == [1800]
    assert get_parameter(b, "traditional.logistics").tolist() == [1_500_000]
    assert get_parameter(b, "value_added.team_salary").tolist() == [3_200_000]
    assert get_parameter(b, "service[Repair & refresh].acceptance").tolist() == [0.40]
    assert get_parameter(b, "service[Seasonal storage].months_per_use").tolist() == [5]
    # margins (price - material - labour) / price: 180 / 280 and 48 / 88
    assert get_parameter(b, "service[Basic remake].gross_margin") == pytest.approx([180 / 280])
    assert get_parameter(b, "service[Repair & refresh].gross_margin") == pytest.approx([48 / 88])
    # a value read is a copy: changing it does not change the batch
    get_parameter(b, "brand.avg_order_value")[0] = 1.0
    get_parameter(b, "service[Basic remake].price")[0] = 1.0
    assert b.brand["avg_order_value"].tolist() == [1800] and b.services["price"][0, 0] == 280


def test_a_free_service_has_margin_zero_and_a_costless_one_splits_half_and_half():
    b = ScenarioBatch.from_scenario(DEMO)
    b.services["price"][0, 0] = 0.0
    assert get_parameter(b, "service[Basic remake].gross_margin").tolist() == [0.0]
    # no unit cost at all (material 0, labour 0), price 100: margin 0.4 -> unit cost 60, split 30 / 30
    b = ScenarioBatch.from_scenario(DEMO)
    b.services["price"][0, 0] = 100.0
    b.services["material_cost"][0, 0] = b.services["labor_cost"][0, 0] = 0.0
    set_parameter(b, "service[Basic remake].gross_margin", 0.4)
    assert (b.services["material_cost"][0, 0], b.services["labor_cost"][0, 0]) == pytest.approx((30.0, 30.0))
    assert get_parameter(b, "service[Basic remake].gross_margin") == pytest.approx([0.4])


def test_set_parameter_moves_one_service_one_table():
    b = ScenarioBatch.from_scenario(DEMO)
    set_parameter(b, "service[Repair & refresh].uses_per_user_per_year", 1.0)
    assert b.services["uses_per_user_per_year"].tolist() == [[0.40, 0.15, 1.20, 1.0, 0.30]]
    f = compute(b, "corrected")
    assert f["uses"][0, 3] == pytest.approx(32_000 * 1.0)            # N a = 80,000 x 0.40 users
    # a margin of 0.5 on the basic remake: unit cost 140, split 45 : 55 -> 63 and 77; the others stay
    set_parameter(b, "service[Designer remake].gross_margin", 0.5)
    assert b.services["material_cost"][0, 0] == MATERIAL_BASIC and b.services["labor_cost"][0, 0] == LABOUR_BASIC
    assert get_parameter(b, "service[Designer remake].gross_margin") == pytest.approx([0.5])   # 290 of 580
    set_parameter(b, "traditional.logistics", 1_000_000)
    assert compute(b, "corrected")["traditional_cost"].tolist() == [6_800_000 - 500_000]
    set_parameter(b, "value_added.team_salary", 0.0)
    assert b.value_added["team_salary"].tolist() == [0.0] and b.traditional["team_salary"].tolist() == [2_800_000]


def test_base_ltv_follows_the_annual_product_margin():
    """docs/model.md: moving AOV, purchases or gm scales base_ltv by new margin / old margin."""
    half = DEMO.with_changes(name="half", brand=replace(DEMO.brand, active_customers=40_000))
    b = ScenarioBatch.stack([DEMO, half])
    set_parameter(b, "brand.avg_order_value", np.array([2400.0, 900.0]))
    assert b.brand["base_ltv"] == pytest.approx([3200 * 2400 / 1800, 3200 * 900 / 1800])   # 4266.67, 1600
    b = ScenarioBatch.from_scenario(DEMO)
    set_parameter(b, "brand.purchases_per_year", 2.0)
    assert b.brand["base_ltv"] == pytest.approx([3200 * 2.0 / 1.6])                         # 4000
    set_parameter(b, "brand.product_gross_margin", 0.3)
    assert b.brand["base_ltv"] == pytest.approx([4000 * 0.3 / 0.6])                         # 2000
    # inputs that are not spend leave it alone
    for path, value in (("brand.discount_rate", 0.2), ("brand.active_customers", 1000.0),
                        ("brand.baseline_repurchase_12m", 0.5), ("service[Basic remake].price", 300.0)):
        set_parameter(b, path, value)
        assert b.brand["base_ltv"] == pytest.approx([2000]), path
    set_parameter(b, "brand.base_ltv", 5000.0)
    assert b.brand["base_ltv"].tolist() == [5000.0]
    # to a margin of 0: base_ltv 0; from a margin of 0 there is no ratio, so it is kept
    set_parameter(b, "brand.avg_order_value", 0.0)
    assert b.brand["base_ltv"].tolist() == [0.0]
    set_parameter(b, "brand.base_ltv", 700.0)
    set_parameter(b, "brand.avg_order_value", 1800.0)
    assert b.brand["base_ltv"].tolist() == [700.0]


def test_a_derived_base_ltv_stays_derived():
    """base_ltv absent: AOV x purchases x gm x M(p0); it follows the spend by itself."""
    sc = DEMO.with_changes(brand=replace(DEMO.brand, base_ltv=None))
    moved = apply_parameter(sc, "brand.avg_order_value", 2000.0)
    assert moved.brand.base_ltv is None and moved.brand.avg_order_value == 2000.0
    f = compute(ScenarioBatch.from_scenario(moved), "corrected")
    assert f["base_ltv"] == pytest.approx([2000 * 1.6 * 0.6 * M(0.28)])       # 1920 x 1.1 / 0.82


def test_acceptance_answers_a_price_move():
    """a' = min(1, max(0, a (p'/p)^e)) (answer_price); e = 0 or an old price of 0: no answer."""
    b = ScenarioBatch.from_scenario(DEMO)
    set_parameter(b, "service[Basic remake].price", 560.0)              # e = 0 in seed-demo
    assert b.services["acceptance"].tolist() == [A]
    b = ScenarioBatch.from_scenario(DEMO)
    set_parameter(b, "brand.price_elasticity", -1.0)
    set_parameter(b, "service[Basic remake].price", 560.0)              # 0.18 x (560 / 280)^-1 = 0.09
    assert b.services["acceptance"][0] == pytest.approx([0.09] + A[1:])
    set_parameter(b, "service[Repair & refresh].price", 22.0)           # 0.40 x (22 / 88)^-1 = 1.6 -> 1
    assert b.services["acceptance"][0] == pytest.approx([0.09] + A[1:3] + [1.0, A[4]])
    set_parameter(b, "service[Deep clean & care].price", 128.0)         # no move, no answer
    assert b.services["acceptance"][0, 2] == 0.35
    b = ScenarioBatch.from_scenario(DEMO)
    set_parameter(b, "brand.price_elasticity", -2.0)
    set_parameter(b, "scale.price", 1.25)                               # every a x 1.25^-2 = a x 0.64
    assert b.services["acceptance"][0] == pytest.approx([a * 0.64 for a in A])
    assert b.services["price"][0] == pytest.approx([350, 725, 160, 110, 50])
    # an old price of 0 has no reference: acceptance kept
    b = ScenarioBatch.from_scenario(DEMO)
    b.services["price"][0, 0] = 0.0
    set_parameter(b, "brand.price_elasticity", -1.0)
    set_parameter(b, "service[Basic remake].price", 100.0)
    assert b.services["acceptance"][0, 0] == 0.18


def test_apply_parameter_rounds_the_customers_and_keeps_the_scenario():
    sc = apply_parameter(DEMO, "brand.active_customers", 1000.6)
    assert sc.brand.active_customers == 1001 and isinstance(sc.brand.active_customers, int)
    assert DEMO.brand.active_customers == 80_000                       # the scenario given is not changed
    assert sc.brand.base_ltv == 3200 and sc.brand.avg_order_value == 1800
    assert sc.traditional == DEMO.traditional and sc.value_added == DEMO.value_added
    assert sc.services == DEMO.services
    t = apply_parameter(DEMO, "traditional.quality_check", 500_000.0)
    assert t.traditional.quality_check == 500_000.0 and t.traditional.logistics == 1_500_000
    v = apply_parameter(DEMO, "value_added.logistics", 900_000.0)
    assert v.value_added.logistics == 900_000.0 and v.traditional.logistics == 1_500_000
    s = apply_parameter(DEMO, "service[Seasonal storage].months_per_use", 3.0)
    assert s.services[4].months_per_use == 3.0 and s.services[4].billing == "per_month"
    with pytest.raises(ValueError):
        apply_parameter(DEMO, "service[Basic remake].acceptance", 1.5)   # validated: a share in 0-1


def test_apply_parameters_sets_in_order():
    # the price first, then x 2: 300 x 2 = 600; the other way round: 280 x 2, then 300
    one = apply_parameters(DEMO, {"service[Basic remake].price": 300.0, "scale.price": 2.0})
    other = apply_parameters(DEMO, {"scale.price": 2.0, "service[Basic remake].price": 300.0})
    assert one.services[0].price == 600.0 and other.services[0].price == 300.0
    assert one.services[1].price == other.services[1].price == 1160.0
    assert apply_parameters(DEMO, {}) == DEMO


def test_every_name_given_is_a_name_the_kernel_reads():
    """parameter_names lists brand, the two cost tables, 10 per service and the scale fields; each
    one parses and reads (round trip), with the file's value for the tables and services."""
    names = parameter_names(DEMO)
    assert names[:10] == ["brand.active_customers", "brand.avg_order_value", "brand.base_ltv",
                          "brand.return_rate", "brand.purchases_per_year", "brand.baseline_repurchase_12m",
                          "brand.wakeup_conversion", "brand.product_gross_margin", "brand.discount_rate",
                          "brand.price_elasticity"]
    costs = ["team_salary", "logistics", "quality_check", "discounted_resale_loss"]
    assert names[10:18] == [f"traditional.{k}" for k in costs] + [f"value_added.{k}" for k in costs]
    assert names[18:28] == [f"service[Basic remake].{k}" for k in SERVICE_FIELDS.split(", ")]
    b = ScenarioBatch.from_scenario(DEMO)
    for name in names:
        table, service, fld = parse_parameter(name)
        assert get_parameter(b, name).shape == (1,), name
        if table in ("traditional", "value_added"):
            assert get_parameter(b, name)[0] == getattr(getattr(DEMO, table), fld), name
    assert get_parameter(b, "value_added.quality_check").tolist() == [800_000]     # = traditional's
    assert get_parameter(b, "value_added.discounted_resale_loss").tolist() == [1_700_000]


def test_prices_and_margins_below_one_yuan_are_still_ratios():
    """A price of 0.5 (unit cost 0.15 + 0.05) has margin (0.5 - 0.2) / 0.5 = 0.6; a brand whose annual
    product margin is 0.5 (AOV 1 x 1 purchase x gm 0.5) that doubles its AOV doubles base_ltv."""
    b = ScenarioBatch.from_scenario(DEMO)
    b.services["price"][0, 0], b.services["material_cost"][0, 0], b.services["labor_cost"][0, 0] = 0.5, 0.15, 0.05
    assert get_parameter(b, "service[Basic remake].gross_margin") == pytest.approx([0.6])
    # moving such a margin: 0.6 -> 0.2 makes unit cost 0.4, split as before 3 : 1 -> 0.3 and 0.1
    set_parameter(b, "service[Basic remake].gross_margin", 0.2)
    assert (b.services["material_cost"][0, 0], b.services["labor_cost"][0, 0]) == pytest.approx((0.3, 0.1))
    for k, v in (("avg_order_value", 1.0), ("purchases_per_year", 1.0), ("product_gross_margin", 0.5),
                 ("base_ltv", 10.0)):
        b.brand[k][0] = v
    set_parameter(b, "brand.avg_order_value", 2.0)
    assert b.brand["base_ltv"] == pytest.approx([20.0])                  # 10 x (2 x 1 x 0.5) / 0.5


def test_acceptance_answers_a_move_from_a_price_below_one_yuan():
    """0.5 -> 1.0 yuan with e = -1: a x (1.0 / 0.5)^-1 = 0.18 / 2 = 0.09 (any positive old price counts)."""
    b = ScenarioBatch.from_scenario(DEMO)
    b.services["price"][0, 0] = 0.5
    set_parameter(b, "brand.price_elasticity", -1.0)
    set_parameter(b, "service[Basic remake].price", 1.0)
    assert b.services["acceptance"][0] == pytest.approx([0.09] + A[1:])
