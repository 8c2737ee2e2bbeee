"""A customer-by-customer simulation of the corrected method's lifecycle assumptions.

It draws the same geometric customers the closed form assumes, so it checks the algebra of
the closed form, not how real customers behave (notebook 07 confronts the model with data).
"""
from __future__ import annotations

import numpy as np

from aftersales.model.inputs import Scenario
from aftersales.model.kernel import ScenarioBatch, compute
from aftersales.model.lifecycle import lifetime_multiplier

__all__ = ["simulate_customers"]


def simulate_customers(scenario: Scenario, customers: int = 200_000, years: int = 60,
                       seed: int = 0) -> dict:
    """Draw customers year by year and compare with the closed form.

    Each year a living customer uses each service with probability a_i, is woken with
    probability w_i, repurchases naturally with p0 or, if not and woken, with c. Each year
    lived is worth base_ltv / M(p0) + s yuan, discounted once a year. Returns the simulated
    and closed-form repurchase share and LTV (yuan) and their standard error.
    """
    rng = np.random.default_rng(seed)
    b = scenario.brand
    ev = compute(ScenarioBatch.from_scenario(scenario), "corrected")
    s = float(ev["service_contribution"][0]) / b.active_customers
    a0 = float(ev["base_ltv"][0]) / lifetime_multiplier(b.baseline_repurchase_12m, b.discount_rate)
    a = np.array([x.acceptance for x in scenario.services])
    w = np.array([x.wakeup_rate for x in scenario.services])
    alive = np.ones(customers, dtype=bool)
    value = np.zeros(customers)
    first_year_repurchase = None
    for k in range(years):
        value[alive] += (a0 + s) / (1 + b.discount_rate) ** k
        n = int(alive.sum())
        if n == 0:
            break
        woken = ((rng.random((n, len(a))) < a) & (rng.random((n, len(a))) < w)).any(axis=1)
        natural = rng.random(n) < b.baseline_repurchase_12m
        converted = woken & (rng.random(n) < b.wakeup_conversion)
        again = natural | converted
        if first_year_repurchase is None:
            first_year_repurchase = float(again.mean())
        idx = np.flatnonzero(alive)
        alive[idx[~again]] = False
    ev_ltv = float(ev["ltv_value_added"][0])
    return {"customers": customers, "years": years, "seed": seed,
            "repurchase_12m_simulated": first_year_repurchase,
            "repurchase_12m_closed_form": float(ev["repurchase_12m_value_added"][0]),
            "ltv_simulated": float(value.mean()),
            "ltv_standard_error": float(value.std(ddof=1) / np.sqrt(customers)),
            "ltv_closed_form": ev_ltv}
