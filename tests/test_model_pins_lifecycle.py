"""Pins of the month-by-month cohort (``lifecycle.cohort_timeline``) and of the scenario consistency
warning (``scenario.check_consistency``).

Every expected value is derived here by hand from docs/model.md ("Lifecycle and LTV", "Decisions
taken where the article is silent", "Decisions where the spec is silent (version 2)") and the
docstrings, on tiny hand-made scenarios: 1,000 customers, one or two services, round shares whose
products are exact enough to compare with ``pytest.approx``. The derivation stands in the comment
beside each value. The mutation tester runs this file in its first tier.
"""
from __future__ import annotations

import pytest

from aftersales import Brand, Scenario, Service, TraditionalCosts, ValueAddedCosts
from aftersales.model.lifecycle import TOUCH_MONTH, WAKEUP_LAG_MONTHS, cohort_timeline
from aftersales.model.scenario import check_consistency

# docs/model.md, "Lifecycle and LTV": storage at month 6, remake at 8, repair at 10, deep clean at 12;
# the woken customer's order two months after the touch.
DOC_TOUCH = {"storage": 6, "remake": 8, "repair": 10, "deep_clean": 12}
DOC_LAG = 2
# The cohort_timeline docstring: "Columns: month, touched, woken, repurchased_natural,
# repurchased_woken, repurchased (sum)".
COLUMNS = ["month", "touched", "woken", "repurchased_natural", "repurchased_woken", "repurchased"]

P0, C = 0.4, 0.5            # baseline 12-month repurchase p0, wake-up conversion c
A, W = 0.5, 0.4             # acceptance a, wake-up rate w of every service below: a x w = 0.2


def _brand(**kw) -> Brand:
    base = dict(active_customers=1000, avg_order_value=1000.0, base_ltv=2000.0,
                baseline_repurchase_12m=P0, wakeup_conversion=C)
    base.update(kw)
    return Brand(**base)


def _svc(kind: str, name: str | None = None) -> Service:
    return Service(name=name or kind, kind=kind, price=100.0, material_cost=20.0, labor_cost=20.0,
                   uses_per_user_per_year=1.0, acceptance=A, wakeup_rate=W)


def _scenario(*services: Service) -> Scenario:
    return Scenario(name="tiny", brand=_brand(), traditional=TraditionalCosts(1, 1, 1, 1),
                    value_added=ValueAddedCosts(10_000, 0, 0, 0), services=list(services))


# --- cohort_timeline ------------------------------------------------------------------------------

def test_the_documented_touch_months_and_lag():
    assert TOUCH_MONTH == DOC_TOUCH
    assert WAKEUP_LAG_MONTHS == DOC_LAG


def test_columns_and_months_default_to_two_years():
    # the signature's default months=24: rows for months 0, 1, ..., 24 (the first cycle and its
    # wake-up orders, drawn whole by the cohort chart); columns in the docstring's order
    tl = cohort_timeline(_scenario(_svc("repair")))
    assert list(tl.columns) == COLUMNS
    assert tl["month"].tolist() == list(range(25))


@pytest.mark.parametrize("months", [0, 5, 14, 30])
def test_one_row_per_month_from_0_to_months(months):
    tl = cohort_timeline(_scenario(_svc("repair")), months=months)
    assert tl["month"].tolist() == list(range(months + 1))


@pytest.mark.parametrize("kind", sorted(DOC_TOUCH))
def test_one_service_touches_wakes_and_converts_in_its_documented_months(kind):
    # One service of the kind, a = 0.5, w = 0.4, p0 = 0.4, c = 0.5, touching at month T (docs):
    #   touched  = 0 before T, a = 0.5 from T on
    #   woken    = 0 before T, a x w = 0.2 from T on
    #   repurchased_natural = p0 x min(m, 12) / 12 (p0 spread evenly over months 1-12)
    #   repurchased_woken   = 0 before T + 2, (1 - p0) x a x w x c = 0.6 x 0.2 x 0.5 = 0.06 from T + 2
    #   repurchased = natural + woken orders
    t = DOC_TOUCH[kind]
    tl = cohort_timeline(_scenario(_svc(kind)), months=24)
    for m in range(25):
        row = tl.loc[m]
        assert row["month"] == m
        assert row["touched"] == pytest.approx(0.5 if m >= t else 0.0, abs=1e-12), (kind, m)
        assert row["woken"] == pytest.approx(0.2 if m >= t else 0.0, abs=1e-12), (kind, m)
        natural = 0.4 * min(m, 12) / 12
        assert row["repurchased_natural"] == pytest.approx(natural, abs=1e-12), (kind, m)
        woken = 0.06 if m >= t + 2 else 0.0
        assert row["repurchased_woken"] == pytest.approx(woken, abs=1e-12), (kind, m)
        assert row["repurchased"] == pytest.approx(natural + woken, abs=1e-12), (kind, m)


def test_two_services_count_each_customer_once():
    # Remake at month 8 and deep clean at month 12, each a = 0.5, w = 0.4 (independent services,
    # docs/model.md: omega = 1 - prod (1 - a_i w_i)):
    #   touched at 12 = 1 - (1 - 0.5)(1 - 0.5) = 0.75 (0.5 from month 8 to 11)
    #   woken   at 12 = 1 - (1 - 0.2)(1 - 0.2) = 0.36 (0.2 from month 8 to 11)
    #   repurchased_woken: 0.2 x 0.6 x 0.5 = 0.06 from month 10, 0.36 x 0.6 x 0.5 = 0.108 from 14
    #   repurchased at 14 = p1 = p0 + (1 - p0) omega c = 0.4 + 0.108 = 0.508
    tl = cohort_timeline(_scenario(_svc("remake"), _svc("deep_clean")), months=16)
    touched = [0.0] * 8 + [0.5] * 4 + [0.75] * 5
    woken = [0.0] * 8 + [0.2] * 4 + [0.36] * 5
    via_wake = [0.0] * 10 + [0.06] * 4 + [0.108] * 3
    assert tl["touched"].tolist() == pytest.approx(touched, abs=1e-12)
    assert tl["woken"].tolist() == pytest.approx(woken, abs=1e-12)
    assert tl["repurchased_woken"].tolist() == pytest.approx(via_wake, abs=1e-12)
    assert tl.loc[14, "repurchased"] == pytest.approx(0.508, abs=1e-12)
    assert tl.loc[16, "repurchased"] == pytest.approx(0.508, abs=1e-12)


# --- check_consistency ----------------------------------------------------------------------------
# docs/model.md: the warning fires when a0 = base_ltv / M(p0) > 2 x annual product margin, with
# M(p) = (1 + d) / (1 + d - p) and the margin m = AOV x purchases_per_year x gm.

def _margin_500(**kw) -> Brand:
    # AOV 1000 x 1 purchase a year x gm 0.5 = m = 500 yuan, so twice the margin is 1,000 yuan
    return _brand(purchases_per_year=1.0, product_gross_margin=0.5, **kw)


def test_a_high_discount_rate_still_warns():
    # d = 1, p0 = 0.5: M(p0) = 2 / 1.5, a0 = 2000 x 1.5 / 2 = 1,500 > 1,000 -> the warning, whole
    b = _margin_500(base_ltv=2000.0, baseline_repurchase_12m=0.5, discount_rate=1.0)
    assert check_consistency(b, "x.toml") == (
        "x.toml: [brand] base_ltv = 2,000.00 implies an annual value a0 = base_ltv / M(p0) = 1,500.00 "
        "yuan, more than twice the annual product margin AOV x purchases_per_year x gm = 500.00 yuan")


def test_the_message_names_the_scenario_when_no_file_is_given():
    # the default source is "<scenario>"; d = 0, p0 = 0.5: a0 = 3000 x 0.5 = 1,500 > 1,000
    b = _margin_500(base_ltv=3000.0, baseline_repurchase_12m=0.5, discount_rate=0.0)
    assert check_consistency(b) == (
        "<scenario>: [brand] base_ltv = 3,000.00 implies an annual value a0 = base_ltv / M(p0) = 1,500.00 "
        "yuan, more than twice the annual product margin AOV x purchases_per_year x gm = 500.00 yuan")


def test_exactly_twice_the_margin_is_consistent():
    # "more than twice": d = 0, p0 = 0.5, base_ltv 2000 -> a0 = 2000 x 0.5 / 1 = 1,000 = 2 x 500 exactly
    b = _margin_500(base_ltv=2000.0, baseline_repurchase_12m=0.5, discount_rate=0.0)
    assert check_consistency(b, "x.toml") is None
    # and one yuan of base_ltv more (a0 = 1,000.50) warns
    assert check_consistency(_margin_500(base_ltv=2001.0, baseline_repurchase_12m=0.5, discount_rate=0.0),
                             "x.toml").startswith("x.toml: [brand] base_ltv = 2,001.00 implies ")
