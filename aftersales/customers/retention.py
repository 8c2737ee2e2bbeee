"""Repurchase and retention measured on a log, against the geometric model of the closed form.

The geometric model (one repurchase probability p for everyone, a customer who misses a period
is gone) predicts an active share p^k after k periods; real cohorts keep far more.
"""
from __future__ import annotations

import numpy as np

from aftersales.customers.data import TransactionLog
from aftersales.customers.summary import purchase_days

__all__ = ["REPURCHASE_DAYS", "repurchase_curve", "quarterly_activity", "QuarterlyRetention",
           "quarterly_retention"]

#: Windows of the repurchase curve, days after the first purchase.
REPURCHASE_DAYS = (30, 90, 182, 365)


def repurchase_curve(log: TransactionLog, days=REPURCHASE_DAYS) -> dict[int, float]:
    """Share of customers who bought again (another day) within each window after their first purchase.

    Parameters
    ----------
    log : TransactionLog
    days : sequence of int
        Windows in days.

    Returns
    -------
    dict
        {days: share 0-1}; only customers followed for the whole window (first purchase + days
        <= the log's last day) are counted, so late starters do not pull the curve down.

    Examples
    --------
    >>> from aftersales.customers.data import load_cdnow
    >>> {d: round(s, 3) for d, s in repurchase_curve(load_cdnow("sample")).items()}
    {30: 0.174, 90: 0.291, 182: 0.378, 365: 0.456}
    """
    ids, idx, day, _ = purchase_days(log)
    n = len(ids)
    first = np.full(n, np.datetime64("9999-12-31", "D"))
    np.minimum.at(first, idx, day)
    gap = (day - first[idx]).astype(int)
    second = np.full(n, np.iinfo(np.int64).max)
    later = gap > 0
    np.minimum.at(second, idx[later], gap[later])
    out = {}
    for d in days:
        followed = (first + np.timedelta64(int(d), "D")) <= log.last_date
        out[int(d)] = float((second[followed] <= d).mean()) if followed.any() else float("nan")
    return out


def quarterly_activity(log: TransactionLog):
    """Who bought in which calendar quarter: the cohort of the log's first quarter.

    Returns ``(active, quarters)``: ``active[i, k]`` is True if cohort customer i bought in
    quarter k (k = 0 is the first quarter of the log); only whole quarters up to the log's last
    day count. ``quarters`` are the quarters' first days.
    """
    ids, idx, day, _ = purchase_days(log)
    month = day.astype("datetime64[M]")
    m0 = log.first_date.astype("datetime64[M]")
    m0 = m0 - (m0.astype(int) % 3)
    q = (month - m0).astype(int) // 3
    last_m = log.last_date.astype("datetime64[M]")
    n_q = (last_m - m0).astype(int) // 3 + 1
    if (log.last_date + np.timedelta64(1, "D")).astype("datetime64[M]") != \
            (m0 + np.timedelta64(3 * n_q, "M")):
        n_q -= 1  # the last quarter is not complete
    n = len(ids)
    active = np.zeros((n, n_q), bool)      # a log shorter than a whole quarter: no column at all
    ok = q < n_q
    active[idx[ok], q[ok]] = True
    first_q = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(first_q, idx, q)
    cohort = first_q == 0
    quarters = np.array([m0 + np.timedelta64(3 * k, "M") for k in range(n_q)], "datetime64[M]").astype("datetime64[D]")
    return active[cohort], quarters


class QuarterlyRetention(dict):
    """Quarter-by-quarter figures (a dict): ``active_share``, ``retention``, ``geometric_active_share``,
    ``called_gone`` (share of each quarter's buyers who had missed a quarter), ``cohort``, ``quarters``."""


def quarterly_retention(log: TransactionLog) -> QuarterlyRetention:
    """Active share per quarter, retention between quarters, and the geometric model's prediction.

    Notes
    -----
    active share s_k = buyers in quarter k / cohort; retention R_k = P(active in k+1 | active in k);
    the geometric model with p = R_0 predicts s_k = p^k and calls gone every customer who has
    missed a quarter, so ``called_gone[k]`` = share of quarter-k buyers not active in every
    quarter before k.

    References
    ----------
    Fader, P. S. and Hardie, B. G. S. (2007). How to project customer retention. Journal of
    Interactive Marketing 21(1), 76-90.

    Examples
    --------
    >>> from aftersales.customers.data import load_cdnow
    >>> q = quarterly_retention(load_cdnow("sample"))
    >>> [round(v, 3) for v in q["active_share"]][:3], round(q["geometric_active_share"][4], 4)
    ([1.0, 0.222, 0.177], 0.0024)
    """
    active, quarters = quarterly_activity(log)
    n, k = active.shape
    share = active.mean(axis=0)
    both = (active[:, :-1] & active[:, 1:]).sum(axis=0)
    with np.errstate(invalid="ignore", divide="ignore"):
        ret = np.where(active[:, :-1].sum(0) > 0, both / active[:, :-1].sum(0), np.nan)
    p = ret[0] if len(ret) else np.nan
    geo = p ** np.arange(k)
    unbroken = np.cumprod(active, axis=1)  # active in every quarter so far
    gone = []
    for j in range(k):
        buyers = active[:, j]
        gone.append(float(((unbroken[:, j] == 0) & buyers).sum() / buyers.sum()) if buyers.any() else float("nan"))
    return QuarterlyRetention(active_share=[float(v) for v in share], retention=[float(v) for v in ret],
                              geometric_active_share=[float(v) for v in geo], called_gone=gone,
                              cohort=int(n), quarters=[str(q) for q in quarters])
