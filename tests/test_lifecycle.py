"""Lifecycle: the month-by-month cohort and the customer simulation agree with the closed form."""
import pytest

from aftersales import evaluate, load_scenario
from aftersales.model.simulation import simulate_customers
from aftersales.model.lifecycle import (WAKEUP_LAG_MONTHS, cohort_timeline,
                                  wakeup_share)


@pytest.mark.parametrize("name", ["seed-demo", "outdoor-repair", "fast-fashion"])
def test_cohort_timeline_reaches_p1(name):
    sc = load_scenario(name)
    tl = cohort_timeline(sc, months=24)
    ev = evaluate(sc)
    end = 12 + WAKEUP_LAG_MONTHS
    assert tl.loc[end, "repurchased"] == pytest.approx(ev["repurchase_12m_value_added"])
    assert tl.loc[end, "woken"] == pytest.approx(ev["wakeup_customers"] / sc.brand.active_customers)
    assert tl["repurchased"].is_monotonic_increasing
    assert tl.loc[0, "repurchased"] == 0


def test_customer_simulation_agrees_with_closed_form():
    r = simulate_customers(load_scenario("seed-demo"), customers=100_000, years=60, seed=1)
    assert r["repurchase_12m_simulated"] == pytest.approx(r["repurchase_12m_closed_form"], abs=0.006)
    assert abs(r["ltv_simulated"] - r["ltv_closed_form"]) < 4 * r["ltv_standard_error"]


def test_wakeup_share_counts_each_customer_once():
    assert wakeup_share([0.5, 0.5], [1.0, 1.0]) == pytest.approx(0.75)
    assert wakeup_share([1.0], [0.3]) == pytest.approx(0.3)
