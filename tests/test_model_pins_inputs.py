"""Pins of the model's inputs and of evaluate(): validation messages, ranges, frozen objects,
refused divergent lifetimes and the wake-up bounds.

Every expected value is derived here by hand from docs/model.md and the docstrings of
``aftersales.model.inputs`` and ``aftersales.model.evaluation`` (the derivation stands in the
comment beside it), on tiny hand-made scenarios: 1,000 customers, round prices, shares whose
products are exact enough to compare with ``pytest.approx``. Error messages are matched whole:
they are what a student or an analyst reads. The mutation tester runs this file in its first tier.
"""
from __future__ import annotations

import re
from dataclasses import FrozenInstanceError

import pytest

from aftersales import (Brand, LeakageInputs, Range, Scenario, Service, TraditionalCosts, ValueAddedCosts,
                        evaluate)
from aftersales.model.evaluation import DivergentLifetimeError, wakeup_bounds


def _brand(**kw) -> Brand:
    base = dict(active_customers=1000, avg_order_value=1000.0, base_ltv=2000.0)
    base.update(kw)
    return Brand(**base)


def _svc(name: str = "Repair", **kw) -> Service:
    base = dict(name=name, kind="repair", price=100.0, material_cost=20.0, labor_cost=20.0,
                uses_per_user_per_year=1.0, acceptance=0.5, wakeup_rate=0.4)
    base.update(kw)
    return Service(**base)


def _scenario(services=None, brand=None, **kw) -> Scenario:
    return Scenario(name="tiny", brand=brand or _brand(), traditional=TraditionalCosts(1, 1, 1, 1),
                    value_added=ValueAddedCosts(10_000, 0, 0, 0), services=services or [_svc()], **kw)


def _refused(sc: Scenario, method: str = "corrected") -> str:
    with pytest.raises(DivergentLifetimeError) as e:
        evaluate(sc, method)
    return str(e.value)


# ------------------------------------------------------------------ brand: the price elasticity
def test_a_positive_price_elasticity_is_refused_with_the_reason():
    # docs/model.md: e [0, must be <= 0]; "a positive value is an error naming the key"
    assert _brand().price_elasticity == 0.0
    assert _brand(price_elasticity=0).price_elasticity == 0
    assert _brand(price_elasticity=-1.5).price_elasticity == -1.5
    with pytest.raises(ValueError, match=re.escape(
            "brand.price_elasticity must be <= 0 (acceptance falls as the price rises; 0 = demand does "
            "not answer price), got 0.5") + "$"):
        _brand(price_elasticity=0.5)


def test_a_price_elasticity_that_is_not_a_number_names_its_key():
    with pytest.raises(ValueError, match=re.escape("brand.price_elasticity must be a number, got '-1'") + "$"):
        _brand(price_elasticity="-1")
    with pytest.raises(ValueError, match=re.escape("brand.price_elasticity must be finite, got -inf") + "$"):
        _brand(price_elasticity=float("-inf"))


# ------------------------------------------------------------------ frozen: no field, new or misspelt
def test_a_misspelt_field_is_refused_not_silently_added():
    """Frozen inputs refuse every assignment, a misspelt field name too: ``costs.logistic = 0``
    must fail rather than leave ``logistics`` unchanged while the student believes it moved."""
    leak = LeakageInputs(original_price=1500, recovery_rate=0.15, cogs_ratio=0.4, items_per_year=6000,
                         remake_fee_own_customer=300, remake_fee_new_customer=500, remake_unit_cost=100)
    for obj in (TraditionalCosts(1, 2, 3, 4), ValueAddedCosts(1, 2, 3, 4), _brand(), _svc(), leak,
                Range(0, 1), _scenario()):
        with pytest.raises(FrozenInstanceError):
            obj.logistic = 0
        assert not hasattr(obj, "logistic")
    t = TraditionalCosts(1, 2, 3, 4)
    with pytest.raises(FrozenInstanceError):
        t.logistics = 0
    assert t.logistics == 2 and t.total == 10                  # 1 + 2 + 3 + 4


# ------------------------------------------------------------------ [ranges.brand]
def test_brand_ranges_take_both_ends_of_a_share():
    # docs/model.md: [ranges.brand] wakeup_conversion = [low, high], a share (0-1), absolute
    for low, high in ((0, 0.5), (0.5, 1), (0, 1), (1, 1), (0, 0)):
        sc = _scenario(ranges={"brand": {"wakeup_conversion": Range(low, high)}})
        assert sc.ranges["brand"]["wakeup_conversion"] == Range(low, high)


@pytest.mark.parametrize("low, high", [(0.5, 1.5), (0.5, 1.01), (-0.1, 0.5), (1.2, 2)])
def test_brand_ranges_outside_a_share_are_refused(low, high):
    with pytest.raises(ValueError, match=re.escape(
            f"ranges.brand.wakeup_conversion must lie in [0, 1], got [{low}, {high}]") + "$"):
        _scenario(ranges={"brand": {"wakeup_conversion": Range(low, high)}})


def test_an_unknown_brand_range_names_the_known_ones():
    with pytest.raises(ValueError, match=re.escape(
            "ranges.brand.avg_order_value: unknown input (one of wakeup_conversion)") + "$"):
        _scenario(ranges={"brand": {"avg_order_value": Range(1200, 3500)}})


def test_kinds_after_the_brand_ranges_are_still_checked():
    # the brand table may come first in a file: the service kinds after it are validated all the same
    with pytest.raises(ValueError, match=re.escape(
            "ranges.dyeing: unknown service kind (one of remake, deep_clean, repair, storage)") + "$"):
        _scenario(ranges={"brand": {"wakeup_conversion": Range(0.4, 0.8)}, "dyeing": {}})
    with pytest.raises(ValueError, match=re.escape(
            "ranges.repair.acceptance must lie in [0, 1], got [0.5, 2]") + "$"):
        _scenario(ranges={"brand": {"wakeup_conversion": Range(0.4, 0.8)},
                          "repair": {"acceptance": Range(0.5, 2)}})


# ------------------------------------------------------------------ [ranges.KIND] uses_per_user_per_year
def test_a_usage_range_is_a_count_not_a_share():
    # uses per user per year: any value >= 0, above 1 too (docs/model.md: uses_per_user_per_year = [lo, hi])
    for low, high in ((0, 2), (0, 0), (0.8, 1.2), (3, 12)):
        sc = _scenario(ranges={"repair": {"uses_per_user_per_year": Range(low, high)}})
        assert sc.ranges["repair"]["uses_per_user_per_year"] == Range(low, high)


def test_a_negative_usage_range_is_refused():
    with pytest.raises(ValueError, match=re.escape(
            "ranges.repair.uses_per_user_per_year must be >= 0, got [-1, 2]") + "$"):
        _scenario(ranges={"repair": {"uses_per_user_per_year": Range(-1, 2)}})
    with pytest.raises(ValueError, match=re.escape(
            "ranges.storage.uses_per_user_per_year must be >= 0, got [-0.5, 0.5]") + "$"):
        _scenario(ranges={"storage": {"uses_per_user_per_year": Range(-0.5, 0.5)}})


# ------------------------------------------------------------------ divergent lifetimes refused
_TAIL = (" means a customer never leaves and the future is not discounted, so M(p) = (1 + d) / (1 + d - p) "
         "has no finite value; lower the repurchase share below 1 or give discount_rate > 0")


def test_p0_of_one_with_a_given_base_ltv_names_the_value_added_ltv():
    """p0 = 1, d = 0, base_ltv given (2,000): the traditional LTV is the base LTV, finite;
    a0 = 2000 / M(1) = 0 and s = (500 x 100 - 500 x 40) / 1000 = 30 > 0, so the value-added LTV
    (0 + 30) x M(p1 = 1) is the first lifetime figure with no finite value."""
    sc = _scenario(brand=_brand(baseline_repurchase_12m=1.0, discount_rate=0.0))
    assert _refused(sc) == ("tiny: lifetime value diverges (ltv_value_added): baseline_repurchase_12m = 1 "
                            "with discount_rate = 0" + _TAIL)


def test_p0_of_one_with_a_derived_base_ltv_names_the_traditional_ltv():
    """p0 = 1, d = 0, base_ltv absent: base_ltv = AOV x purchases x gm x M(1) has no finite value,
    and the traditional LTV is that base LTV: it is named first, by both methods."""
    sc = _scenario(brand=_brand(base_ltv=None, baseline_repurchase_12m=1.0, discount_rate=0.0))
    want = ("tiny: lifetime value diverges (ltv_traditional): baseline_repurchase_12m = 1 with "
            "discount_rate = 0" + _TAIL)
    assert _refused(sc) == want
    assert _refused(sc, "seed") == want


def test_p1_of_one_through_the_services_names_p1():
    """p0 = 0.5, one service with a = w = 1 and c = 1: omega = 1, p1 = 0.5 + 0.5 x 1 x 1 = 1;
    with d = 0 the value-added LTV has no finite value while the traditional LTV stays 2,000."""
    sc = _scenario(services=[_svc(acceptance=1.0, wakeup_rate=1.0)],
                   brand=_brand(baseline_repurchase_12m=0.5, wakeup_conversion=1.0, discount_rate=0.0))
    assert _refused(sc) == ("tiny: lifetime value diverges (ltv_value_added): the 12-month repurchase with "
                            "services p1 = 1 with discount_rate = 0" + _TAIL)


def test_a_divergent_no_overlap_bound_alone_is_refused():
    """Two services with a w = 0.5 each, c = 1, p0 = 0.5, d = 0: independent omega = 1 - 0.5 x 0.5 =
    0.75, p1 = 0.875 (finite LTV), but no overlap gives omega = min(1, 0.5 + 0.5) = 1, p1 = 1: the
    no-overlap LTV of wakeup_bounds has no finite value, so evaluate refuses, naming that figure."""
    sc = _scenario(services=[_svc("A", acceptance=1.0, wakeup_rate=0.5), _svc("B", acceptance=1.0, wakeup_rate=0.5)],
                   brand=_brand(baseline_repurchase_12m=0.5, wakeup_conversion=1.0, discount_rate=0.0))
    assert _refused(sc) == ("tiny: lifetime value diverges (ltv_value_added_high): the 12-month repurchase "
                            "with services with no overlap p1 = 1 with discount_rate = 0" + _TAIL)
    # with d = 0.1 the same scenario is finite: M(1) = 1.1 / 0.1 = 11, a0 = 2000 / M(0.5) = 2000 x 0.6 / 1.1,
    # s = 2 x 1000 x (100 - 40) / 1000 = 120 yuan a customer
    ok = evaluate(_scenario(services=sc.services, brand=_brand(baseline_repurchase_12m=0.5, wakeup_conversion=1.0)))
    assert ok["ltv_value_added_high"] == pytest.approx((2000 * 0.6 / 1.1 + 120) * 11)


# ------------------------------------------------------------------ wakeup_bounds by hand
# Two services, 1,000 customers, 100 yuan a use, unit cost 40, one use a year:
#   A: a = 0.5, w = 0.4 (a w = 0.2);  B: a = 0.2, w = 0.5 (a w = 0.1).
# Share woken: full overlap max = 0.2; independent 1 - 0.8 x 0.9 = 0.28; no overlap 0.2 + 0.1 = 0.3.
# Service revenue 500 x 100 + 200 x 100 = 70,000; cost 700 x 40 = 28,000; fixed 10,000:
#   value-added net = 70,000 - 28,000 - 10,000 = 32,000.
# p0 = 0.5, c = 0.5, gm = 0.5, AOV = 1,000: wake-up contribution = 1000 x 0.5 x omega x 0.5 x 1000 x 0.5
#   = 125,000 omega -> 25,000 / 35,000 / 37,500; total effect = 32,000 + that -> 57,000 / 67,000 / 69,500.
# p1 = 0.5 + 0.5 x omega x 0.5 -> 0.55 / 0.57 / 0.575.
# d = 0: M(p) = 1 / (1 - p); a0 = 2000 / M(0.5) = 1000; s = 42,000 / 1000 = 42;
#   LTV = 1042 x M(p1) -> 1042 / 0.45, 1042 / 0.43, 1042 / 0.425.
BOUNDS = _scenario(services=[_svc("A", acceptance=0.5, wakeup_rate=0.4),
                             _svc("B", kind="remake", acceptance=0.2, wakeup_rate=0.5)],
                   brand=_brand(baseline_repurchase_12m=0.5, wakeup_conversion=0.5, product_gross_margin=0.5,
                                discount_rate=0.0))


def test_wakeup_bounds_rows_by_hand():
    rows = wakeup_bounds(evaluate(BOUNDS))
    # the rows the report, the course tables and the chart read: label, key, unit (a share or yuan)
    assert [(r["figure"], r["key"], r["unit"]) for r in rows] == [
        ("wake-up share", "wakeup_share", "share"),
        ("wake-up contribution", "wakeup_contribution", "yuan"),
        ("total effect", "total_effect", "yuan"),
        ("12-month repurchase, value-added", "repurchase_12m_value_added", "share"),
        ("LTV, value-added", "ltv_value_added", "yuan"),
    ]
    assert all(list(r) == ["figure", "key", "unit", "full_overlap", "independent", "no_overlap"] for r in rows)
    want = [(0.2, 0.28, 0.3), (25_000, 35_000, 37_500), (57_000, 67_000, 69_500), (0.55, 0.57, 0.575),
            (1042 / 0.45, 1042 / 0.43, 1042 / 0.425)]
    for r, (lo, mid, hi) in zip(rows, want):
        assert (r["full_overlap"], r["independent"], r["no_overlap"]) == pytest.approx((lo, mid, hi), rel=1e-12)


def test_wakeup_bounds_refuses_the_seed_method():
    with pytest.raises(ValueError, match=re.escape(
            "wakeup_bounds needs the corrected method (the seed method has no wake-up share)") + "$"):
        wakeup_bounds(evaluate(BOUNDS, "seed"))
