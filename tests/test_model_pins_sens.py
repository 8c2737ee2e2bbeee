"""Pins of the what-if tools (aftersales.model.sensitivity): tornado rows, goal seek and its bounds.

Every expected value is derived here by hand from docs/model.md and the docstrings of
``tornado`` and ``goal_seek`` (the derivation stands in the comment beside it), mostly on tiny
hand-made scenarios whose figures are exact in binary: 64 customers, acceptance 0.5, one or two
services at round prices. Goal seek's documented behaviour is what is pinned: a linear figure is
solved in one closed-form step, a curved one by scanning 33 points a round and narrowing to the
first sign change until the bracket is ``tol`` wide (relative, at least 1), at most 60 rounds;
``feasible`` says whether every share stays within 0-1 and costs and prices >= 0. The mutation
tester runs this file in its first tier.
"""
from __future__ import annotations

import math

import pytest

from aftersales import (Brand, Range, Scenario, Service, TraditionalCosts, ValueAddedCosts, load_scenario)
from aftersales.model.sensitivity import goal_seek, tornado

DEMO = load_scenario("seed-demo")


def _svc(name: str, **kw) -> Service:
    base = dict(name=name, kind="repair", price=100.0, material_cost=20.0, labor_cost=20.0,
                uses_per_user_per_year=1.0, acceptance=0.5, wakeup_rate=0.5)
    base.update(kw)
    return Service(**base)


def _scenario(services, **brand) -> Scenario:
    b = dict(active_customers=64, avg_order_value=1000.0)
    b.update(brand)
    # value-added fixed costs 1000 + 500 + 250 + 170 = 1,920 yuan (the seed method counts 1,500)
    return Scenario(name="tiny", brand=Brand(**b), traditional=TraditionalCosts(1, 1, 1, 1),
                    value_added=ValueAddedCosts(1000, 500, 250, 170), services=tuple(services))


# ONE: 64 customers x acceptance 0.5 = 32 users, 1 use each, 100 yuan at a unit cost of 40:
# contribution 32 x 60 = 1,920 a year per unit of acceptance multiplier q, so (corrected)
# va_net(q) = 1,920 q - 1,920: break-even at q = 1. Wake-ups: one service, omega = a w, so
# wakeup_customers = 64 a w = 32 w (in w) = 32 a (in a, w = 0.5).
ONE = _scenario([_svc("Repair")])
# TWO: two services with a w = 0.25 each: omega(q) = 1 - (1 - q/4)^2 under scale.acceptance q, so
# wakeup_customers W(q) = 64 omega = 32 q - 4 q^2, curved; W(q) = T at q = 4 - sqrt(64 - T) / 2.
TWO = _scenario([_svc("A", acceptance=0.25, wakeup_rate=1.0), _svc("B", acceptance=0.25, wakeup_rate=1.0)])


def _root(target: float) -> float:
    return 4 - math.sqrt(64 - target) / 2


# ------------------------------------------------------------------ tornado rows
def test_tornado_swings_a_given_wakeup_conversion_range_absolutely():
    """[ranges.brand] wakeup_conversion is swung as given (absolute), labelled "wake-up conversion".

    seed-demo's corrected total effect is -1,428,000 + W c / 0.6, W = 80,000 x 0.72 x omega x 0.6 x
    1,800 x 0.6 its wake-up contribution at c = 0.6 (docs/model.md): linear in c.
    """
    aw = [0.18 * 0.38, 0.08 * 0.45, 0.35 * 0.22, 0.40 * 0.28, 0.12 * 0.15]
    w = 80_000 * 0.72 * (1 - math.prod(1 - x for x in aw)) * 0.6 * 1800 * 0.6
    sc = DEMO.with_changes(ranges={"brand": {"wakeup_conversion": Range(0.4, 0.8)}})
    t = tornado(sc, include_prices=False, include_brand=False)
    row = t.set_index("parameter").loc["brand.wakeup_conversion"]
    assert row["label"] == "wake-up conversion"
    assert (row["base_value"], row["low_value"], row["high_value"]) == (0.6, 0.4, 0.8)
    assert row["figure_low"] == pytest.approx(-1_428_000 + w * 0.4 / 0.6)
    assert row["figure_high"] == pytest.approx(-1_428_000 + w * 0.8 / 0.6)
    assert row["swing"] == pytest.approx(w * 0.4 / 0.6)
    assert not row["decision"]                              # c is uncertain, not chosen
    # 19 service inputs (4 + 4 + 4 + 4 + 3, storage has no wake-up range) and c
    assert len(t) == 20 and not t["decision"].any()


def test_tornado_marks_prices_and_the_order_value_as_decisions():
    """Notebook 04: "prices and the order value (``decision`` True) are what it chooses"."""
    t = tornado("seed-demo").set_index("parameter")
    assert bool(t.loc["brand.avg_order_value", "decision"])
    assert t.loc["brand.avg_order_value", "label"] == "order value"
    decided = set(t.index[t["decision"].astype(bool)])
    assert decided == {"brand.avg_order_value"} | {f"service[{s.name}].price" for s in DEMO.services}


# ------------------------------------------------------------------ goal seek: defaults and the linear step
def test_goal_seek_defaults_to_break_even_of_the_value_added_net():
    r = goal_seek(ONE, "scale.acceptance")                  # va_net = 1,920 q - 1,920 = 0 at q = 1
    assert (r.figure, r.target, r.value, r.exact, r.iterations, r.feasible, r.message) == (
        "va_net", 0.0, pytest.approx(1.0, rel=1e-12), True, 1, True, "solved exactly")


def test_goal_seek_linear_step_in_a_bracket_away_from_zero():
    """x = low - f(low) (high - low) / (f(high) - f(low)) = 0.5 + 960 x 1 / 1,920 = 1 in [0.5, 1.5]."""
    r = goal_seek(ONE, "scale.acceptance", low=0.5, high=1.5)
    assert (r.value, r.exact, r.iterations, r.message) == (1.0, True, 1, "solved exactly")


def test_goal_seek_answers_at_either_end_of_the_bracket_without_a_note():
    # va_net(0) = -1,920 (fixed costs alone): the target is met at the low end, q = 0
    r = goal_seek(ONE, "scale.acceptance", target=-1920)
    assert (r.value, r.message, r.feasible) == (0.0, "solved exactly", True)
    # 32 a = 32 at a = 1, the high end of a share's bracket [0, 1]; an acceptance of 1 is feasible
    r = goal_seek(ONE, "service[Repair].acceptance", "wakeup_customers", 32)
    assert (r.value, r.exact, r.message, r.feasible) == (1.0, True, "solved exactly", True)


def test_goal_seek_solves_a_linear_total_effect_exactly():
    """The total effect is linear in one service's acceptance a (omega = 1 - (1 - a w) P is linear in a).

    seed-demo, deep clean (a = 0.35, w = 0.22, 1.2 uses at 128 - 55 = 73 yuan): per unit of a the net
    gains 80,000 x 1.2 x 73 and the wake-up contribution 80,000 x 0.72 x 0.6 x 1,800 x 0.6 x 0.22 x P,
    P = prod(1 - a_i w_i) over the other four services.
    """
    aw = [0.18 * 0.38, 0.08 * 0.45, 0.40 * 0.28, 0.12 * 0.15]
    p = math.prod(1 - x for x in aw)
    omega = 1 - (1 - 0.35 * 0.22) * p
    total = -1_428_000 + 80_000 * 0.72 * omega * 0.6 * 1800 * 0.6
    slope = 80_000 * 1.2 * 73 + 80_000 * 0.72 * 0.6 * 1800 * 0.6 * 0.22 * p
    r = goal_seek("seed-demo", "service[Deep clean & care].acceptance", "total_effect", 15_000_000)
    assert (r.exact, r.iterations, r.feasible, r.message) == (True, 1, True, "solved exactly")
    assert r.value == pytest.approx(0.35 + (15_000_000 - total) / slope, rel=1e-9)


def test_goal_seek_says_so_when_the_figure_does_not_depend_on_the_input():
    # iterations: "1 when exact", and "does not depend" is decided in the exact step
    r = goal_seek("seed-demo", "brand.base_ltv", "va_net", 0)
    assert (r.value, r.exact, r.iterations) == (None, True, 1)
    # unit-elastic demand (e = -1): acceptance halves when the price doubles, so the revenue
    # 64 x 0.3 x (100 / p) x p = 1,920 yuan does not move between 100 and 200 yuan
    unit = _scenario([_svc("Repair", acceptance=0.3)], price_elasticity=-1.0)
    r = goal_seek(unit, "service[Repair].price", "service_revenue", 2500, low=100, high=200)
    assert (r.value, r.achieved, r.exact, r.iterations, r.feasible, r.message) == (
        None, None, True, 1, False, "service_revenue does not depend on service[Repair].price")


# ------------------------------------------------------------------ goal seek: feasible or not
def test_zero_costs_and_a_zero_price_are_feasible():
    """Costs and prices >= 0 are feasible, 0 included: no material, no labour, a free service.

    Contributions per unit of q: 32 x (100 - 0 - 40) + 32 x (50 - 10 - 0) + 0 = 3,200 against 1,920 of
    fixed costs: break-even at q = 0.6 (acceptances 0.3).
    """
    sc = _scenario([_svc("No material", material_cost=0.0, labor_cost=40.0),
                    _svc("No labour", price=50.0, material_cost=10.0, labor_cost=0.0),
                    _svc("Free", price=0.0, material_cost=0.0, labor_cost=0.0)])
    r = goal_seek(sc, "scale.acceptance")
    assert r.value == pytest.approx(0.6, rel=1e-12)
    assert r.exact and r.feasible


def test_a_wakeup_rate_above_one_is_not_feasible():
    # 32 w = 48 at w = 1.5, outside a share's bracket [0, 1]: returned, never clipped, not feasible
    r = goal_seek(ONE, "service[Repair].wakeup_rate", "wakeup_customers", 48)
    assert (r.value, r.exact, r.feasible) == (1.5, True, False)
    assert r.message == "solved exactly (outside the bracket [0, 1]; the figure is linear)"


def test_a_negative_labour_cost_is_not_feasible():
    # va_net = 32 x (100 - 20 - l) - 1,920 = 640 - 32 l = 960 at l = -10; bracket 0 to 10 x 20
    r = goal_seek(ONE, "service[Repair].labor_cost", "va_net", 960)
    assert r.value == pytest.approx(-10, rel=1e-12)
    assert (r.exact, r.feasible) == (True, False)
    assert r.message == "solved exactly (outside the bracket [0, 200]; the figure is linear)"


# ------------------------------------------------------------------ goal seek: brackets and bracketing
def test_the_discount_rate_is_sought_as_a_share():
    """A share's bracket is [0, 1], whatever its value (here d = 0.2).

    One service: omega = 0.5 x 0.5, p1 = 0.5 + 0.5 x 0.25 x 0.8 = 0.6; a0 = 1,000 x 1 x 0.47 = 470
    (base_ltv derived from spend), s = 0.5 x 60 = 30, so LTV(d) = 500 (1 + d) / (1 + d - 0.6):
    1,250 at d = 0 down to 1,000 / 1.4 = 714.29 at d = 1; it never reaches a million.
    """
    sc = _scenario([_svc("Repair")], purchases_per_year=1.0, product_gross_margin=0.47,
                   baseline_repurchase_12m=0.5, wakeup_conversion=0.8, discount_rate=0.2)
    r = goal_seek(sc, "brand.discount_rate", "ltv_value_added", 1e6)
    assert (r.value, r.exact, r.iterations) == (None, False, 1)
    assert r.message == ("ltv_value_added does not reach 1,000,000.00 for brand.discount_rate in [0, 1] "
                         "(it runs from 714.29 to 1,250.00)")


def test_unreachable_target_names_the_range_the_figure_runs_over():
    # W(q) = 32 q - 4 q^2 runs from W(0) = 0 to W(1) = 28 on [0, 1]; found in the first round's scan
    r = goal_seek(TWO, "scale.acceptance", "wakeup_customers", 100, low=0, high=1)
    assert (r.value, r.achieved, r.exact, r.iterations, r.feasible) == (None, None, False, 1, False)
    assert r.message == ("wakeup_customers does not reach 100.00 for scale.acceptance in [0, 1] "
                         "(it runs from 0.00 to 28.00)")


def test_a_root_on_the_scan_grid_is_returned_as_found():
    """33 points over [0, 2] are 0, 1/16, ..., 2; W(1) = 32 - 4 = 28 exactly, the 17th of them.

    Curved (W(0), W(1), W(2) = 0, 28, 48: the middle is not the mean of the ends), so not exact.
    """
    r = goal_seek(TWO, "scale.acceptance", "wakeup_customers", 28, low=0, high=2)
    assert (r.value, r.achieved, r.exact, r.iterations, r.feasible, r.message) == (
        1.0, 28.0, False, 1, True, "found on the grid")


def test_bracketing_narrows_to_the_root_of_a_curved_figure():
    """W(q) = 20 at q* = 4 - sqrt(44) / 2 = 0.68338 (q* < 1, so the width is relative to 1).

    tol 1e-4: each round cuts the bracket into 32; widths 1/32, 1/1024 > 1e-4, then 1/32768 <= 1e-4:
    3 rounds. The last step is the chord across that bracket w wide; W'' = -8, so the chord's root
    misses by at most w^2 x 8 / 8 / W'(q*) = w^2 / 26.5 = 3.5e-11.
    """
    q = _root(20)
    r = goal_seek(TWO, "scale.acceptance", "wakeup_customers", 20, low=0, high=1, tol=1e-4)
    assert (r.exact, r.iterations, r.feasible, r.message) == (False, 3, True, "solved by bracketing")
    assert abs(r.value - q) < 4e-11
    assert r.achieved == pytest.approx(20, abs=1e-9)        # |W - 20| <= 26.5 x 3.5e-11


def test_the_default_tolerance_is_one_part_in_a_billion():
    """Bracket [0, 1.5]: after 6 rounds it is 1.5 / 32^6 = 1.4e-9 wide, more than 1e-9; 7 rounds."""
    r = goal_seek(TWO, "scale.acceptance", "wakeup_customers", 20, low=0, high=1.5)
    assert (r.iterations, r.message) == (7, "solved by bracketing")
    assert abs(r.value - _root(20)) < 1e-12


def test_bracketing_stops_once_the_bracket_is_tol_wide():
    """tol = 2^-20; every grid point is a binary fraction, so the widths are exact."""
    tol = 2.0 ** -20
    # [0, 1]: 2^-5, 2^-10, 2^-15, then 2^-20 = tol: narrow enough at round 4
    r = goal_seek(TWO, "scale.acceptance", "wakeup_customers", 20, low=0, high=1, tol=tol)
    assert (r.iterations, r.message) == (4, "solved by bracketing")
    # [0, 1.5]: round 4 leaves 1.5 x 2^-20 > tol (the root is below 1: width relative to 1); round 5
    r = goal_seek(TWO, "scale.acceptance", "wakeup_customers", 20, low=0, high=1.5, tol=tol)
    assert (r.iterations, r.message) == (5, "solved by bracketing")
    assert abs(r.value - _root(20)) < 1e-12
    # [2, 3], W = 50 at q* = 4 - sqrt(14) / 2 = 2.129: relative to q* > 2, 2^-20 <= 2.13 x tol at round 4
    r = goal_seek(TWO, "scale.acceptance", "wakeup_customers", 50, low=2, high=3, tol=tol)
    assert (r.iterations, r.message, r.feasible) == (4, "solved by bracketing", True)
    assert abs(r.value - _root(50)) < 1e-12


def test_bracketing_stops_after_sixty_rounds_at_the_middle_of_the_last_bracket():
    """The seed method floors users: va_net = 60 floor(32 q) - 1,500 (seed: team 1,000 + logistics 500).

    A staircase that steps from -1,500 to -1,440 at q = 1/32, so a target of -1,470 is crossed but
    never met; with tol = 0 no bracket is ever narrow enough, and after 60 rounds the answer is the
    middle of a bracket around 1/32 that is a float's width across.
    """
    r = goal_seek(ONE, "scale.acceptance", "va_net", -1470, method="seed", tol=0)
    assert (r.exact, r.iterations, r.feasible, r.message) == (False, 60, True, "stopped after 60 rounds")
    assert r.value == pytest.approx(1 / 32, rel=1e-12)
    assert r.achieved in (-1500.0, -1440.0)
