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
from aftersales.model.kernel import (ScenarioBatch, apply_parameter, compute, get_parameter, parameter_names,
                                     parse_parameter, set_parameter)

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
