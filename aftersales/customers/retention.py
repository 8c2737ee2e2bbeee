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
        The purchases.
    days : sequence of int, optional
        Windows in days after the first purchase (default :data:`REPURCHASE_DAYS`: 30, 90, 182, 365).

    Returns
    -------
    dict
        {days: share 0-1}; only customers followed for the whole window (first purchase + days
        <= the log's last day) are counted, so late starters do not pull the curve down; NaN
        for a window no customer is followed for.

    Notes
    -----
    share(d) = #{customers followed for d days whose second purchase day is at most d days
    after the first} / #{customers followed for d days}. Two orders on the first day are one
    purchase (:func:`~aftersales.customers.summary.purchase_days`), not a repurchase.

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
    quarter k (k = 0 is the first quarter of the log); a quarter counts only if the log runs to
    its last day. ``quarters`` are the quarters' first days.

    Parameters
    ----------
    log : TransactionLog
        The purchases.

    Returns
    -------
    active : numpy.ndarray of bool, shape (cohort, quarters)
        One row per customer whose first purchase falls in the log's first calendar quarter
        (in the order of their sorted ids), one column per quarter counted (see Notes).
    quarters : numpy.ndarray of datetime64[D]
        First day of each quarter.

    Notes
    -----
    Quarters are calendar quarters (January, April, July, October). The first quarter counts from
    the log's first day, even when the log starts inside it (15 February): it is the cohort's
    quarter, where every cohort customer is active by definition, so a late start makes the cohort
    smaller but biases no share. A later quarter counts only if the log's last day is on or after
    its last day: a quarter seen in part would understate its share of buyers. A log that ends
    before its first calendar quarter does (5 January - 20 February) has no column at all.
    Customers who first bought after the first quarter are left out of the cohort.

    Examples
    --------
    a buys in Q1 and Q2, b in Q1 and on 3 July (Q3 is not whole: not counted), c first in Q2 (not
    in the cohort):

    >>> import numpy as np
    >>> from aftersales.customers.data import TransactionLog
    >>> log = TransactionLog(np.array(["a", "a", "b", "b", "c"]),
    ...                      np.array(["2024-01-05", "2024-04-10", "2024-02-01", "2024-07-03", "2024-05-20"],
    ...                               dtype="datetime64[D]"),
    ...                      np.ones(5))
    >>> active, quarters = quarterly_activity(log)
    >>> active.astype(int).tolist(), [str(q) for q in quarters]
    ([[1, 1], [1, 0]], ['2024-01-01', '2024-04-01'])
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
    ``called_gone`` (share of each quarter's buyers who had missed a quarter), ``cohort``, ``quarters``.

    Made by :func:`quarterly_retention`; a plain ``dict`` subclass, so it is written to JSON as is.

    Parameters
    ----------
    **figures
        The keys: ``active_share`` (list of share 0-1, one per quarter), ``retention`` (list of
        share 0-1, one per pair of quarters), ``geometric_active_share`` (list of share 0-1),
        ``called_gone`` (list of share 0-1), ``cohort`` (int, customers) and ``quarters`` (list of
        ``YYYY-MM-DD``, the quarters' first days).

    Examples
    --------
    >>> q = QuarterlyRetention(active_share=[1.0, 0.5], retention=[0.5], cohort=2)
    >>> isinstance(q, dict), q["retention"]
    (True, [0.5])
    """


def quarterly_retention(log: TransactionLog) -> QuarterlyRetention:
    """Active share per quarter, retention between quarters, and the geometric model's prediction.

    Parameters
    ----------
    log : TransactionLog
        The purchases; the cohort is the customers who first bought in its first calendar
        quarter (:func:`quarterly_activity`).

    Returns
    -------
    QuarterlyRetention
        ``active_share`` s_k and ``geometric_active_share`` p^k (one per quarter counted by
        :func:`quarterly_activity`: the first from the log's first day, each later one whole),
        ``retention`` R_k (one per pair of quarters, NaN when nobody was active in k),
        ``called_gone`` (NaN for a quarter without buyers), ``cohort`` and ``quarters``.

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
    In the toy log of :func:`quarterly_activity`, one of the two cohort customers buys again in
    the second quarter:

    >>> import numpy as np
    >>> from aftersales.customers.data import TransactionLog
    >>> log = TransactionLog(np.array(["a", "a", "b", "b", "c"]),
    ...                      np.array(["2024-01-05", "2024-04-10", "2024-02-01", "2024-07-03", "2024-05-20"],
    ...                               dtype="datetime64[D]"),
    ...                      np.ones(5))
    >>> quarterly_retention(log)["retention"], quarterly_retention(log)["cohort"]
    ([0.5], 2)

    CDNOW: the geometric model, fed the first quarter's retention, loses almost everyone within
    a year:

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
