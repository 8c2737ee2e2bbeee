"""Lifecycle extension: wake-ups, the 12-month repurchase share and lifetime value (LTV).

Closed form (corrected method, see docs/model.md):
  omega = 1 - prod_i (1 - a_i w_i)          share woken by at least one service
  p1    = p0 + (1 - p0) * omega * c          12-month repurchase with services
  M(p)  = (1 + d) / (1 + d - p)              expected discounted years of a life
  LTV   = (base_ltv / M(p0) + s) * M(p1)     s = service contribution per customer

The month-by-month pieces here make that formula visible: :func:`cohort_timeline`
follows the article's timeline (buy, wear, remake at month 8, clean at month 12,
second purchase at month 14) as expected shares of a cohort. The simulation that draws
individual customers year after year and checks the closed form by the law of large
numbers is :func:`aftersales.model.simulation.simulate_customers`, in its own module.
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
    r"""M(p) = (1 + d) / (1 + d - p): expected discounted years of a customer's life, this one counted.

    Parameters
    ----------
    p : array_like
        Yearly repurchase share, 0-1 (the share of this year's customers who buy again next year).
    d : array_like
        Yearly discount rate, 0-1 (0.1 = 10 % a year); broadcast against ``p``.

    Returns
    -------
    numpy.ndarray
        Years (dimensionless multiple of one year's value). p = 1 with d = 0 has no finite
        lifetime: inf here (array code); :func:`aftersales.model.evaluation.evaluate` refuses
        such a scenario with the reason.

    Notes
    -----
    With geometric retention (the same p every year, for every customer), a customer present
    this year is present k years on with probability :math:`p^k`, worth :math:`1/(1+d)^k` today:

    .. math:: M(p) = \sum_{k \ge 0} \frac{p^k}{(1+d)^k} = \frac{1+d}{1+d-p}.

    This is where geometric retention is assumed (docs/model.md, "Lifecycle and LTV").

    Examples
    --------
    >>> round(float(lifetime_multiplier(0.3, 0.0)), 6)       # 1 / 0.7
    1.428571
    >>> float(lifetime_multiplier(0.3, 0.1))                 # 1.1 / 0.8
    1.375

    References
    ----------
    .. [1] S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive Marketing
       17(1), 9-24, 2003 (the margin multiple (1 + d) / (1 + d - r)).
    .. [2] "服装品牌售后部门转型" (the seed article): after-sales touchpoints lengthen the customer
       lifetime.
    """
    d = np.asarray(d, float)
    with np.errstate(divide="ignore"):
        return np.divide(1 + d, 1 + d - np.asarray(p, float))


def wakeup_share(acceptance, wakeup_rate) -> np.ndarray:
    r"""omega = 1 - prod(1 - a_i w_i): share of customers woken at least once (services independent).

    Parameters
    ----------
    acceptance : array_like
        a_i, share of customers using each service (0-1); the last axis runs over services.
    wakeup_rate : array_like
        w_i, share of a service's users who are woken (0-1), same shape.

    Returns
    -------
    numpy.ndarray
        The share of customers woken at least once, 0-1 (one value per row of the leading axes).

    Notes
    -----
    A customer is woken by service i with probability :math:`a_i w_i`, independently of the
    other services, and counted once however many services wake them:

    .. math:: \omega = 1 - \prod_i (1 - a_i w_i),

    between :func:`wakeup_share_low` and :func:`wakeup_share_high` (docs/model.md, "Annual P&L").

    Examples
    --------
    >>> round(float(wakeup_share([0.5, 0.2], [0.4, 0.5])), 12)     # 1 - 0.8 x 0.9
    0.28

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article), the wake-up rates of its service matrix
       (唤醒沉睡客户); the article adds them up, counting a customer woken twice twice.
    """
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
    r"""p1 = p0 + (1 - p0) * omega * c: those who would have bought anyway are not counted twice.

    Parameters
    ----------
    p0 : array_like
        Yearly repurchase share without the services, 0-1.
    omega : array_like
        Share of customers woken at least once (:func:`wakeup_share`), 0-1.
    conversion : array_like
        c, share of woken customers who buy again, 0-1.

    Returns
    -------
    numpy.ndarray or float
        p1, the yearly repurchase share with the services, 0-1.

    Notes
    -----
    Only customers who would not have bought anyway, :math:`1 - p_0`, can be won back:

    .. math:: p_1 = p_0 + (1 - p_0)\,\omega\,c

    (docs/model.md, "Lifecycle and LTV").

    Examples
    --------
    >>> round(float(repurchase_with_services(0.3, 0.25, 0.4)), 12)    # 0.3 + 0.7 x 0.25 x 0.4
    0.37

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): touchpoints wake dormant customers (唤醒沉睡客户).
    """
    return p0 + (1 - p0) * omega * conversion


def closed_form_ltv(base_ltv, p0, p1, service_contribution_per_customer, discount_rate):
    r"""LTV with services, yuan: (base_ltv / M(p0) + s) * M(p1); inf or NaN where no lifetime is finite.

    Parameters
    ----------
    base_ltv : array_like
        Lifetime value of a customer without the services, yuan.
    p0, p1 : array_like
        Yearly repurchase share without and with the services, 0-1.
    service_contribution_per_customer : array_like
        s, yearly contribution of the services per customer, yuan a year.
    discount_rate : array_like
        d, yearly discount rate, 0-1.

    Returns
    -------
    numpy.ndarray or float
        The lifetime value with the services, yuan per customer.

    Notes
    -----
    The yearly value of a customer today is :math:`a_0 = LTV_0 / M(p_0)`; the services add
    :math:`s` a year and lengthen the life from :math:`M(p_0)` to :math:`M(p_1)`
    (:func:`lifetime_multiplier`):

    .. math:: LTV_1 = \left(\frac{LTV_0}{M(p_0)} + s\right) M(p_1)

    (docs/model.md, "Lifecycle and LTV").

    Examples
    --------
    >>> float(closed_form_ltv(1000.0, 0.3, 0.4, 50.0, 0.0))     # (1000 x 0.7 + 50) / 0.6
    1250.0

    References
    ----------
    .. [1] S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive Marketing
       17(1), 9-24, 2003.
    .. [2] "服装品牌售后部门转型" (the seed article): services lengthen the customer lifetime value.
    """
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
