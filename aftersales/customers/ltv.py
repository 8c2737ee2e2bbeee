"""Lifetime value at 1, 3 and 5 years three ways: the course's geometric closed form fed with
measured inputs, what customers were observed to spend, and the BG/NBD model's expectation."""
from __future__ import annotations

import numpy as np

from aftersales.customers.bgnbd import BGNBD, expected_purchases
from aftersales.customers.data import TransactionLog
from aftersales.customers.retention import repurchase_curve
from aftersales.customers.summary import FREQ_DAYS, purchase_days
from aftersales.model.lifecycle import lifetime_multiplier

__all__ = ["LTV_YEARS", "DAYS_PER_YEAR", "first_year_inputs", "closed_form_value", "observed_value",
           "bgnbd_value"]

#: Horizons of the comparison, years.
LTV_YEARS = (1, 3, 5)
DAYS_PER_YEAR = 365


def first_year_inputs(log: TransactionLog) -> tuple[float, float]:
    """(p0, a0): the measured 12-month repurchase share and the mean first-year spend per customer.

    p0 = share who bought again (another day) within 365 days of the first purchase, among the
    customers followed a whole year (the repurchase curve at 365 days); a0 = their mean spend
    within the same 365 days, first purchase included (currency of the log); both are NaN when
    the log follows no customer for a whole year.

    Parameters
    ----------
    log : TransactionLog
        The purchases.

    Returns
    -------
    p0 : float
        Share 0-1 of customers followed for a whole year who bought again on another day within
        365 days of their first purchase (NaN when none is followed that long).
    a0 : float
        Their mean spend within those 365 days, first purchase included (the log's currency per
        customer); the ``annual_value`` of the report.

    Notes
    -----
    One first year for both inputs, the window of
    :func:`~aftersales.customers.retention.repurchase_curve` at 365 days: the days 0 to 365
    after the first purchase, both ends included (a purchase on the anniversary, exactly 365
    days on, counts for p0 and for a0), among the customers with first + 365 days <= the log's
    last day. :func:`observed_value` at one year uses the same window, so that the closed form
    at one year equals the observed spend when every customer is followed a year. p0 and a0 are
    the inputs the course's closed form (:func:`closed_form_value`) takes.

    Examples
    --------
    >>> from aftersales.customers.data import load_cdnow
    >>> p0, a0 = first_year_inputs(load_cdnow("sample"))
    >>> round(p0, 3), round(a0, 2)
    (0.456, 90.43)
    """
    ids, idx, day, amount = purchase_days(log)
    n = len(ids)
    first = np.full(n, np.datetime64("9999-12-31", "D"))
    np.minimum.at(first, idx, day)
    gap = (day - first[idx]).astype(int)
    followed = (first + np.timedelta64(DAYS_PER_YEAR, "D")) <= log.last_date
    year1 = gap <= DAYS_PER_YEAR
    spend = np.bincount(idx[year1], weights=amount[year1], minlength=n)
    p0 = repurchase_curve(log, (DAYS_PER_YEAR,))[DAYS_PER_YEAR]
    return p0, float(spend[followed].mean()) if followed.any() else float("nan")


def closed_form_value(a0: float, p0: float, years=LTV_YEARS, discount_rate: float = 0.0) -> list[float]:
    """The course's geometric lifetime value over a horizon: a0 sum_{k<H} (p0 / (1 + d))^k.

    Parameters
    ----------
    a0 : float
        Annual value of a customer (currency a year).
    p0 : float
        Yearly repurchase share, 0-1.
    years : sequence of int
        Horizons H in years.
    discount_rate : float
        Yearly discount rate d (0 = undiscounted, comparable with observed spend).

    Notes
    -----
    With M(p) = (1 + d) / (1 + d - p) (``aftersales.model.lifecycle.lifetime_multiplier``),
    value(H) = a0 M(p0) (1 - (p0 / (1 + d))^H).

    Examples
    --------
    >>> [round(v, 1) for v in closed_form_value(100.0, 0.5, (1, 3, 5))]
    [100.0, 175.0, 193.8]
    """
    m = float(lifetime_multiplier(p0, discount_rate))
    q = p0 / (1 + discount_rate)
    return [float(a0 * m * (1 - q ** h)) for h in years]


def observed_value(log: TransactionLog, years=LTV_YEARS) -> list[float | None]:
    """Mean spend per customer in the first H years after the first purchase, or None past the data.

    Only horizons that every customer of the log is followed for are measured (CDNOW: 1 year).

    Parameters
    ----------
    log : TransactionLog
        The purchases.
    years : sequence of int, optional
        Horizons H in years (default :data:`LTV_YEARS`, 1, 3 and 5).

    Returns
    -------
    list of float or None
        Per horizon, the mean spend per customer within H x 365 days of her first purchase,
        first purchase included (the log's currency, undiscounted); None when the customer who
        started last is not followed that long.

    Notes
    -----
    value(H) = (1 / n) sum_i sum of customer i's purchases with day - first_i <= 365 H, over all
    n customers of the log: measured only when first_i + 365 H <= the log's last day for every
    one of them, so that early starters alone do not stand for the cohort. The window includes
    the anniversary day, as the first year of :func:`first_year_inputs` and the repurchase curve
    at 365 days do.

    Examples
    --------
    >>> from aftersales.customers.data import load_cdnow
    >>> [None if v is None else round(v, 2) for v in observed_value(load_cdnow("sample"))]
    [90.43, None, None]
    """
    ids, idx, day, amount = purchase_days(log)
    n = len(ids)
    first = np.full(n, np.datetime64("9999-12-31", "D"))
    np.minimum.at(first, idx, day)
    gap = (day - first[idx]).astype(int)
    out: list[float | None] = []
    for h in years:
        if (first.max() + np.timedelta64(h * DAYS_PER_YEAR, "D")) > log.last_date:
            out.append(None)
            continue
        sel = gap <= h * DAYS_PER_YEAR
        out.append(float(np.bincount(idx[sel], weights=amount[sel], minlength=n).mean()))
    return out


def bgnbd_value(model: BGNBD, value_per_purchase: float, years=LTV_YEARS,
                discount_rate: float = 0.0) -> list[float]:
    """BG/NBD lifetime value of a new customer: her first purchase plus the expected repeats.

    Parameters
    ----------
    model : BGNBD
        Fitted parameters (alpha in ``model.freq`` units).
    value_per_purchase : float
        Mean spend per purchase day (currency).
    years, discount_rate
        As in :func:`closed_form_value`; repeats in year k are discounted by (1 + d)^(k-1).

    Notes
    -----
    value(H) = m (1 + sum_{k=1..H} (E[X(k)] - E[X(k-1)]) / (1 + d)^(k-1)), E[X(t)] of FHL eq. 7.

    Examples
    --------
    >>> m = BGNBD(0.243, 4.414, 0.793, 2.426, freq="W")
    >>> [round(v, 1) for v in bgnbd_value(m, 35.0, (1, 3, 5))]
    [85.7, 131.7, 160.8]
    """
    unit = FREQ_DAYS[model.freq]
    hmax = max(years)
    t = np.arange(hmax + 1) * DAYS_PER_YEAR / unit
    ex = expected_purchases(model, t)
    per_year = np.diff(ex) / (1 + discount_rate) ** np.arange(hmax)
    cum = np.concatenate([[0.0], np.cumsum(per_year)])
    return [float(value_per_purchase * (1 + cum[h])) for h in years]
