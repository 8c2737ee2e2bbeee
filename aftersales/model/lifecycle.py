"""Lifecycle extension: wake-ups, the 12-month repurchase share and lifetime value (LTV).

Closed form (corrected method, see docs/model.md):
  omega = 1 - prod_i (1 - a_i w_i)          share woken by at least one service
  p1    = p0 + (1 - p0) * omega * c          12-month repurchase with services
  M(p)  = (1 + d) / (1 + d - p)              expected discounted years of a life
  LTV   = (base_ltv / M(p0) + s) * M(p1)     s = service contribution per customer

The month-by-month pieces here make that formula visible: :func:`cohort_timeline`
follows the article's timeline (buy, wear, remake at month 8, clean at month 12,
second purchase at month 14) as expected shares of a cohort, and
:func:`simulate_customers` draws individual customers year after year and checks
the closed form by the law of large numbers.
"""
from __future__ import annotations

import numpy as np

from aftersales.model.inputs import Scenario

__all__ = ["TOUCH_MONTH", "WAKEUP_LAG_MONTHS", "lifetime_multiplier", "wakeup_share",
           "wakeup_share_low", "wakeup_share_high",
           "repurchase_with_services", "closed_form_ltv", "cohort_timeline"]

#: Month of the first cycle in which each service kind touches the customer. Remake (8)
#: and deep clean (12) are the article's; repair (10) and storage (6, end of the wearing
#: season) are this course's assumptions.
TOUCH_MONTH = {"storage": 6, "remake": 8, "repair": 10, "deep_clean": 12}
#: A woken customer orders this many months after the touch (article: clean at 12, buy at 14).
WAKEUP_LAG_MONTHS = 2


def lifetime_multiplier(p, d):
    """M(p) = (1 + d) / (1 + d - p): expected discounted years of a customer's life, this one counted.

    It is the sum over k >= 0 of p^k / (1 + d)^k for a yearly repurchase share p (0-1) and a
    yearly discount rate d. p = 1 with d = 0 has no finite lifetime: inf here (array code);
    :func:`aftersales.model.evaluation.evaluate` refuses such a scenario with the reason.
    This is where geometric retention is assumed: the same p every year, for every customer.
    """
    d = np.asarray(d, float)
    with np.errstate(divide="ignore"):
        return np.divide(1 + d, 1 + d - np.asarray(p, float))


def wakeup_share(acceptance, wakeup_rate) -> np.ndarray:
    """omega = 1 - prod(1 - a_i w_i): share of customers woken at least once (services independent)."""
    a, w = np.asarray(acceptance, float), np.asarray(wakeup_rate, float)
    return 1.0 - np.prod(1.0 - a * w, axis=-1)


def wakeup_share_low(acceptance, wakeup_rate) -> np.ndarray:
    r"""Lower bound of the wake-up share: max_i a_i w_i (full overlap).

    Parameters
    ----------
    acceptance : array_like
        a_i, share of customers using each service (0-1); the last axis runs over services.
    wakeup_rate : array_like
        w_i, share of a service's users who are woken (0-1), same shape.

    Returns
    -------
    numpy.ndarray
        The share of customers woken if every woken customer is woken by the strongest service.

    Notes
    -----
    Whatever the overlap between services, at least the largest single service's woken share is
    woken: :math:`\omega_{low} = \max_i a_i w_i \le \omega`.

    Examples
    --------
    >>> float(wakeup_share_low([0.2, 0.5], [0.5, 0.1]))
    0.1

    References
    ----------
    Seed article, the wake-up rates of its service matrix; Fréchet bounds on the probability of a
    union (max P(A_i) <= P(union) <= min(1, sum P(A_i))).
    """
    a, w = np.asarray(acceptance, float), np.asarray(wakeup_rate, float)
    return np.max(a * w, axis=-1)


def wakeup_share_high(acceptance, wakeup_rate) -> np.ndarray:
    r"""Upper bound of the wake-up share: min(1, sum_i a_i w_i) (no customer woken twice).

    Parameters
    ----------
    acceptance : array_like
        a_i, share of customers using each service (0-1); the last axis runs over services.
    wakeup_rate : array_like
        w_i, share of a service's users who are woken (0-1), same shape.

    Returns
    -------
    numpy.ndarray
        The share woken if the services' woken customers never overlap.

    Notes
    -----
    :math:`\omega_{high} = \min(1, \sum_i a_i w_i) \ge \omega`, the union bound.

    Examples
    --------
    >>> round(float(wakeup_share_high([0.2, 0.5], [0.5, 0.1])), 12)
    0.15

    References
    ----------
    Seed article, the wake-up rates of its service matrix; Boole's inequality (union bound).
    """
    a, w = np.asarray(acceptance, float), np.asarray(wakeup_rate, float)
    return np.minimum(1.0, np.sum(a * w, axis=-1))


def repurchase_with_services(p0, omega, conversion):
    """p1 = p0 + (1 - p0) * omega * c: those who would have bought anyway are not counted twice."""
    return p0 + (1 - p0) * omega * conversion


def closed_form_ltv(base_ltv, p0, p1, service_contribution_per_customer, discount_rate):
    """LTV with services, yuan: (base_ltv / M(p0) + s) * M(p1); inf or NaN where no lifetime is finite."""
    with np.errstate(divide="ignore", invalid="ignore"):
        a0 = base_ltv / lifetime_multiplier(p0, discount_rate)
        return (a0 + service_contribution_per_customer) * lifetime_multiplier(p1, discount_rate)


def cohort_timeline(scenario: Scenario, months: int = 24):
    """Expected shares of one buying cohort, month by month, over its first cycle.

    Columns: month, touched (used a service by then), woken, repurchased_natural
    (p0 spread evenly over months 1-12), repurchased_woken (converted woken customers who
    would not have bought anyway, WAKEUP_LAG_MONTHS after the touch), repurchased (sum).
    At month 12 + lag the repurchased share equals p1 of the closed form.
    """
    import pandas as pd

    b = scenario.brand
    p0, c = b.baseline_repurchase_12m, b.wakeup_conversion
    rows = []
    not_touched, not_woken = 1.0, 1.0
    woken_at: dict[int, float] = {}
    for m in range(months + 1):
        for s in scenario.services:
            if TOUCH_MONTH[s.kind] == m:
                new_woken = not_woken * s.acceptance * s.wakeup_rate
                woken_at[m] = woken_at.get(m, 0.0) + new_woken
                not_woken *= 1 - s.acceptance * s.wakeup_rate
                not_touched *= 1 - s.acceptance
        natural = p0 * min(m, 12) / 12
        via_wake = sum(v for t, v in woken_at.items() if t + WAKEUP_LAG_MONTHS <= m) * (1 - p0) * c
        rows.append({"month": m, "touched": 1 - not_touched, "woken": 1 - not_woken,
                     "repurchased_natural": natural, "repurchased_woken": via_wake,
                     "repurchased": natural + via_wake})
    return pd.DataFrame(rows)
