"""Every figure of the real-customers analysis in one dict (the ``customers --json`` contract)."""
from __future__ import annotations

import numpy as np

from aftersales.customers.bgnbd import conditional_expected_purchases, expected_purchases, fit_bgnbd
from aftersales.customers.data import CDNOW_CALIBRATION_END, TransactionLog
from aftersales.customers.ltv import LTV_YEARS, bgnbd_value, closed_form_value, first_year_inputs, observed_value
from aftersales.customers.retention import quarterly_retention, repurchase_curve
from aftersales.customers.summary import FREQ_DAYS, summarise, to_date

__all__ = ["default_calibration_end", "customer_report", "tracking"]


def default_calibration_end(log: TransactionLog) -> str:
    """The published split for CDNOW (1997-09-30); otherwise the log's middle day."""
    if log.source.startswith("CDNOW"):
        return CDNOW_CALIBRATION_END
    half = (log.last_date - log.first_date).astype(int) // 2
    return str(log.first_date + np.timedelta64(int(half), "D"))


def tracking(log: TransactionLog, model, summary) -> dict:
    """Cumulative repeat purchases per time unit since the log's start, actual and BG/NBD.

    Returns {"t": period ends (units since the first day), "actual": [...], "model": [...],
    "calibration_end": t of the calibration end}. Model: sum_i E[X(t - s_i)] over customers with
    first purchase at s_i (FHL 2005, figure 2).

    Examples
    --------
    >>> from aftersales.customers.data import load_cdnow
    >>> from aftersales.customers.bgnbd import BGNBD
    >>> log = load_cdnow("sample")
    >>> s = summarise(log, "1997-09-30")
    >>> tr = tracking(log, BGNBD(0.243, 4.414, 0.793, 2.426), s)
    >>> len(tr["t"]), tr["actual"][-1] == int(s.x.sum() + s.holdout.sum())
    (78, True)
    """
    from aftersales.customers.summary import purchase_days

    unit = FREQ_DAYS[summary.freq]
    ids, idx, day, _ = purchase_days(log)
    pos = np.searchsorted(ids, summary.ids)
    keep = np.zeros(len(ids), bool)
    keep[pos] = True
    first = np.full(len(ids), np.datetime64("9999-12-31", "D"))
    np.minimum.at(first, idx, day)
    repeat = (day > first[idx]) & keep[idx] & (day <= summary.observation_end)
    start = log.first_date
    span = (summary.observation_end - start).astype(int) + 1
    n = int(np.ceil(span / unit))
    t = np.arange(1, n + 1) * unit  # days since start at the end of each period
    off = (day[repeat] - start).astype(int)
    actual = np.cumsum(np.bincount((off // unit).astype(int), minlength=n)[:n])
    s0, count = np.unique((summary.first - start).astype(float), return_counts=True)
    model_cum = [float(np.dot(count, expected_purchases(model, np.clip(tt - 1 - s0, 0, None) / unit)))
                 for tt in t]
    return {"t": [float(v / unit) for v in t], "actual": [int(v) for v in actual], "model": model_cum,
            "calibration_end": float(((summary.calibration_end - start).astype(int) + 1) / unit)}


def customer_report(log: TransactionLog, calibration_end=None, freq: str = "W",
                    discount_rate: float = 0.0, with_tracking: bool = False) -> dict:
    """The figures of notebook 07 and of ``python -m aftersales customers SOURCE --json``.

    Parameters
    ----------
    log : TransactionLog
    calibration_end : date, optional
        End of the BG/NBD calibration period, inclusive (default :func:`default_calibration_end`).
    freq : {"W", "D"}
        Time unit of the fit.
    discount_rate : float
        Yearly discount rate of the lifetime values (0: undiscounted).
    with_tracking : bool
        Add the weekly tracking series under ``tracking``.

    Returns
    -------
    dict
        Keys customers, transactions, first_date, last_date, repurchase, quarterly_active_share,
        quarterly_retention, geometric_active_share, later_buyers_called_gone, bgnbd, ltv,
        inputs (p0, a0, value per purchase), set_aside, calibration_end, freq.

    Examples
    --------
    >>> from aftersales.customers.data import load_cdnow
    >>> rep = customer_report(load_cdnow("sample"))
    >>> rep["customers"], round(rep["bgnbd"]["r"], 3), rep["bgnbd"]["holdout_actual"]
    (2357, 0.243, 1882)
    """
    cal = str(to_date(calibration_end if calibration_end is not None else default_calibration_end(log)))
    summ = summarise(log, cal, freq)
    model = fit_bgnbd(summ.x, summ.t_x, summ.T, freq=freq)
    pred = conditional_expected_purchases(model, summ.holdout_length, summ.x, summ.t_x, summ.T)
    rep = repurchase_curve(log)
    q = quarterly_retention(log)
    p0, a0 = first_year_inputs(log)
    per_purchase = float(np.nansum(summ.mean_value * (summ.x + 1)) / np.sum(summ.x + 1))
    out = {
        "customers": int(log.n_customers), "transactions": int(len(log)),
        "first_date": str(log.first_date), "last_date": str(log.last_date),
        "repurchase": {f"within_{d}d": v for d, v in rep.items()},
        "quarterly_active_share": q["active_share"], "quarterly_retention": q["retention"],
        "geometric_active_share": q["geometric_active_share"],
        "later_buyers_called_gone": q["called_gone"], "quarters": q["quarters"], "cohort": q["cohort"],
        "bgnbd": {**model.to_dict(), "customers_fitted": model.n_customers,
                  "holdout_predicted": float(pred.sum()), "holdout_actual": int(summ.holdout.sum())},
        "ltv": {"years": list(LTV_YEARS), "closed_form": closed_form_value(a0, p0, LTV_YEARS, discount_rate),
                "observed": observed_value(log, LTV_YEARS),
                "bgnbd": bgnbd_value(model, per_purchase, LTV_YEARS, discount_rate),
                "discount_rate": discount_rate},
        "inputs": {"p0": p0, "annual_value": a0, "value_per_purchase": per_purchase},
        "calibration_end": cal, "freq": freq,
        "set_aside": {"count": len(log.set_aside),
                      "rows": [{"row": r, "reason": why} for r, why in log.set_aside[:20]]},
    }
    if with_tracking:
        out["tracking"] = tracking(log, model, summ)
    return out
