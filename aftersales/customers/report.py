"""Every figure of the real-customers analysis in one dict (the ``customers --json`` contract)."""
from __future__ import annotations

import numpy as np

from aftersales.customers.bgnbd import conditional_expected_purchases, expected_purchases, fit_bgnbd
from aftersales.customers.data import CDNOW_CALIBRATION_END, TransactionLog, TransactionLogError
from aftersales.customers.ltv import LTV_YEARS, bgnbd_value, closed_form_value, first_year_inputs, observed_value
from aftersales.customers.retention import quarterly_retention, repurchase_curve
from aftersales.customers.summary import FREQ_DAYS, summarise, to_date

__all__ = ["MIN_CUSTOMERS", "MIN_REPEAT_BUYERS", "default_calibration_end", "check_fit_size", "check_fit_figures",
           "customer_report", "tracking"]

#: The smallest calibration period the BG/NBD fit is made on (docs/customers.md, Decisions):
#: customers who bought by the calibration end, and those of them who bought again by then.
MIN_CUSTOMERS = 10
MIN_REPEAT_BUYERS = 2


def default_calibration_end(log: TransactionLog) -> str:
    """The published split for CDNOW (1997-09-30); otherwise the log's middle day.

    Parameters
    ----------
    log : TransactionLog
        The purchases; a log whose ``source`` starts with ``"CDNOW"`` gets the published split.

    Returns
    -------
    str
        The last day of the calibration period, ``YYYY-MM-DD``.

    Notes
    -----
    middle day = first day + floor((last day - first day) / 2) days, so the calibration period
    and the holdout are about equally long. The middle of the calendar, not of the purchases:
    a shop whose sales grow puts more of them in the holdout.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). "Counting your customers" the easy way:
    an alternative to the Pareto/NBD model. Marketing Science 24(2), 275-284 (the CDNOW split:
    weeks 1-39 calibration, 40-78 holdout).

    Examples
    --------
    >>> import numpy as np
    >>> from aftersales.customers.data import TransactionLog
    >>> log = TransactionLog(np.array(["a", "a", "b"]),
    ...                      np.array(["2024-01-05", "2024-02-01", "2024-01-20"], dtype="datetime64[D]"),
    ...                      np.array([10.0, 5.0, 3.0]), "shop.csv")
    >>> default_calibration_end(log)          # 27 days: 13 days after the first
    '2024-01-18'
    >>> from aftersales.customers.data import load_cdnow
    >>> default_calibration_end(load_cdnow("sample"))
    '1997-09-30'
    """
    if log.source.startswith("CDNOW"):
        return CDNOW_CALIBRATION_END
    half = (log.last_date - log.first_date).astype(int) // 2
    return str(log.first_date + np.timedelta64(int(half), "D"))


def check_fit_size(summary, source: str = "") -> None:
    """TransactionLogError, in one line naming the counts, when the calibration period is too small
    for a BG/NBD fit (fewer than :data:`MIN_CUSTOMERS` customers or :data:`MIN_REPEAT_BUYERS` repeat buyers).

    Parameters
    ----------
    summary : CustomerSummary
        The calibration period (:func:`~aftersales.customers.summary.summarise`).
    source : str, optional
        Where the log came from (a file name), put at the head of the message; none by default.

    Returns
    -------
    None
        When the period is large enough.

    Raises
    ------
    TransactionLogError
        Naming the customers who bought by the calibration end, how many bought again, and the
        two minimums.

    Notes
    -----
    The minimums are a decision of the project (docs/customers.md, Decisions), not of the
    model: below them the likelihood has too little to settle on.

    Examples
    --------
    >>> from aftersales.customers.data import load_cdnow
    >>> from aftersales.customers.summary import summarise
    >>> check_fit_size(summarise(load_cdnow("sample"), "1997-09-30"))   # 2,357 customers: enough
    >>> import numpy as np
    >>> from aftersales.customers.data import TransactionLog
    >>> log = TransactionLog(np.array(["a", "a", "b"]),
    ...                      np.array(["2024-01-05", "2024-02-01", "2024-01-20"], dtype="datetime64[D]"),
    ...                      np.array([10.0, 5.0, 3.0]), "shop.csv")
    >>> try:
    ...     check_fit_size(summarise(log, "2024-01-31"), log.source)
    ... except TransactionLogError as err:
    ...     str(err).split(": ", 2)[1:]
    ['too few customers for a BG/NBD fit', '2 customers bought by the calibration end 2024-01-31, 0 of \
them bought again; the fit needs at least 10 customers and 2 who bought again (a longer log, or a later \
calibration end)']
    """
    n, repeat = int(len(summary.x)), int((summary.x > 0).sum())
    if n < MIN_CUSTOMERS or repeat < MIN_REPEAT_BUYERS:
        where = f"{source}: " if source else ""
        raise TransactionLogError(
            f"{where}too few customers for a BG/NBD fit: {n} customer{'s' * (n != 1)} bought by the calibration "
            f"end {summary.calibration_end}, {repeat} of them bought again; the fit needs at least "
            f"{MIN_CUSTOMERS} customers and {MIN_REPEAT_BUYERS} who bought again (a longer log, or a later "
            "calibration end)")


def check_fit_figures(model, figures, repeat_buyers: int, source: str = "") -> None:
    """TransactionLogError, in one line, when a BG/NBD fit ran off to parameters whose figures are
    not finite (the log-likelihood, or ``figures``: the holdout prediction and lifetime values).

    A small or very regular log can make the likelihood grow without bound as parameters go to 0
    or infinity; such a fit predicts nothing, so it is refused rather than printed as nan.

    Parameters
    ----------
    model : BGNBD
        The fit (its four parameters and log-likelihood are checked).
    figures : sequence of float
        The figures made from it: the holdout prediction (purchases) and the lifetime values
        (the log's currency).
    repeat_buyers : int
        Customers of the fit who bought again, named in the message.
    source : str, optional
        Where the log came from, put at the head of the message; none by default.

    Returns
    -------
    None
        When every parameter and figure is finite.

    Raises
    ------
    TransactionLogError
        Naming the customers, the repeat buyers, the parameters and the log-likelihood.

    Examples
    --------
    >>> from aftersales.customers.bgnbd import BGNBD
    >>> check_fit_figures(BGNBD(0.243, 4.414, 0.793, 2.426, -9582.4, 2357), [1788.6, 85.7], 1000)
    >>> ran_off = BGNBD(1e-9, 0.0, 0.793, float("inf"), float("nan"), 12)
    >>> try:
    ...     check_fit_figures(ran_off, [float("nan")], 3, "shop.csv")
    ... except TransactionLogError as err:
    ...     str(err).split(" (r=")[0]
    'shop.csv: the BG/NBD fit on 12 customers (3 who bought again) does not settle on finite figures'
    """
    values = [model.r, model.alpha, model.a, model.b, model.log_likelihood, *figures]
    if not all(np.isfinite(values)):
        where = f"{source}: " if source else ""
        raise TransactionLogError(
            f"{where}the BG/NBD fit on {model.n_customers} customers ({repeat_buyers} who bought again) does not "
            f"settle on finite figures (r={model.r:.3g}, alpha={model.alpha:.3g}, a={model.a:.3g}, b={model.b:.3g}, "
            f"log-likelihood {model.log_likelihood:.3g}); the log is too small or too regular for the model "
            "(a longer log, or another calibration end or time unit)")


def tracking(log: TransactionLog, model, summary) -> dict:
    """Cumulative repeat purchases per time unit since the log's start, actual and BG/NBD.

    Returns {"t": period ends (units since the first day), "actual": [...], "model": [...],
    "calibration_end": t of the calibration end}. Model: sum_i E[X(t - s_i)] over customers with
    first purchase at s_i (FHL 2005, figure 2).

    Parameters
    ----------
    log : TransactionLog
        The purchases.
    model : BGNBD
        The fit, alpha in ``summary.freq`` units.
    summary : CustomerSummary
        The calibration summary the model was fitted on: its customers, first purchase days,
        time unit and observation end are used.

    Returns
    -------
    dict
        ``t`` (float, period ends in ``freq`` units since the log's first day), ``actual`` (int,
        cumulative repeat purchase days of the summary's customers up to each period end),
        ``model`` (float, the same expected by the model) and ``calibration_end`` (float, in the
        same units).

    Notes
    -----
    model(t) = sum_i E[X(t - s_i)], with t and s_i in days since the log's first day and the
    difference taken at the end of period t (so, one day less), divided by the unit and clipped at 0;
    E[X] is :func:`~aftersales.customers.bgnbd.expected_purchases`.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). "Counting your customers" the easy way:
    an alternative to the Pareto/NBD model. Marketing Science 24(2), 275-284.

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
        End of the BG/NBD calibration period, inclusive (default :func:`default_calibration_end`):
        a date or a string ``YYYY-MM-DD``, ``YYYY/M/D`` or ``YYYYMMDD`` (read by
        :func:`~aftersales.customers.summary.to_date`).
    freq : {"W", "D"}
        Time unit of the fit.
    discount_rate : float
        Yearly discount rate of the lifetime values (0: undiscounted).
    with_tracking : bool
        Add the weekly tracking series under ``tracking``.

    Raises
    ------
    TransactionLogError
        The calibration period is too small for a BG/NBD fit (:func:`check_fit_size`), or the fit
        does not settle on finite figures (:func:`check_fit_figures`).
    ValueError
        ``calibration end '<value>' is not a date (use YYYY-MM-DD, YYYY/M/D or YYYYMMDD)``
        (:func:`~aftersales.customers.summary.to_date`), or a calibration end outside the log.

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
    try:
        cal = str(to_date(calibration_end if calibration_end is not None else default_calibration_end(log)))
    except ValueError as err:
        raise ValueError(f"calibration end {err}") from None
    summ = summarise(log, cal, freq)
    check_fit_size(summ, log.source)
    model = fit_bgnbd(summ.x, summ.t_x, summ.T, freq=freq)
    per_purchase = float(np.nansum(summ.mean_value * (summ.x + 1)) / np.sum(summ.x + 1))
    with np.errstate(all="ignore"):     # a fit run off to extreme parameters gives inf / nan: refused below
        pred = conditional_expected_purchases(model, summ.holdout_length, summ.x, summ.t_x, summ.T)
        value = bgnbd_value(model, per_purchase, LTV_YEARS, discount_rate)
    check_fit_figures(model, [float(pred.sum()), *value], int((summ.x > 0).sum()), log.source)
    rep = repurchase_curve(log)
    q = quarterly_retention(log)
    p0, a0 = first_year_inputs(log)
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
                "bgnbd": value,
                "discount_rate": discount_rate},
        "inputs": {"p0": p0, "annual_value": a0, "value_per_purchase": per_purchase},
        "calibration_end": cal, "freq": freq,
        "set_aside": {"count": len(log.set_aside),
                      "rows": [{"row": r, "reason": why} for r, why in log.set_aside[:20]]},
    }
    if with_tracking:
        out["tracking"] = tracking(log, model, summ)
    return out
