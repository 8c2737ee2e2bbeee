"""Per-customer frequency, recency and age (x, t_x, T), split into calibration and holdout.

Repeat purchases count distinct purchase days after the first (two orders on one day are one
purchase occasion), the convention of Fader, Hardie and Lee (2005) for CDNOW.
"""
from __future__ import annotations

import datetime
from dataclasses import dataclass

import numpy as np

from aftersales.customers.data import DATE_FORMS, TransactionLog, TransactionLogError, parse_date

__all__ = ["FREQ_DAYS", "CustomerSummary", "summarise", "purchase_days", "to_date"]

#: Time unit of the model, in days: ``"D"`` days, ``"W"`` weeks.
FREQ_DAYS = {"D": 1.0, "W": 7.0}


def to_date(value) -> np.datetime64:
    """A date (``"1997-09-30"``, ``"1997/9/30"``, ``"19970930"``, a datetime64 or a date) as datetime64[D].

    Parameters
    ----------
    value : str, numpy.datetime64, datetime.date or datetime.datetime
        The day. A string is read by :func:`~aftersales.customers.data.parse_date`, the reader
        of a log's date column: ``YYYY-MM-DD``, ``YYYY/M/D`` or ``YYYYMMDD``, a time after it
        ignored; a datetime64 of any unit is cut to its day; a date or datetime gives its day.

    Returns
    -------
    numpy.datetime64
        The day, unit ``D``.

    Raises
    ------
    ValueError
        One line naming the value, ``'<value>' is not a date (use YYYY-MM-DD, YYYY/M/D or
        YYYYMMDD)``, for a string of none of those forms, a day the calendar does not have, or a
        value of another type (a number such as ``19970930`` included).

    Notes
    -----
    One parser for the whole room: a calibration end given on the command line
    (``customers --calibration-end``) is read exactly as the dates of the log it splits, so a
    ``1997/9/30`` that :func:`~aftersales.customers.data.read_transactions` reads in a log is
    read here too, and ``19970930`` is 30 September 1997 (not the year 19970930).

    Examples
    --------
    >>> import datetime
    >>> to_date("1997-09-30 12:00"), to_date("1997/9/30"), to_date("19970930")
    (np.datetime64('1997-09-30'), np.datetime64('1997-09-30'), np.datetime64('1997-09-30'))
    >>> to_date(datetime.date(1997, 9, 30))
    np.datetime64('1997-09-30')
    >>> to_date("end of September")
    Traceback (most recent call last):
    ...
    ValueError: 'end of September' is not a date (use YYYY-MM-DD, YYYY/M/D or YYYYMMDD)
    """
    if isinstance(value, np.datetime64):
        if not np.isnat(value):
            return value.astype("datetime64[D]")
    elif isinstance(value, (str, datetime.date)):
        try:
            return parse_date(str(value))
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date (use {DATE_FORMS})")


def purchase_days(log: TransactionLog):
    """Distinct (customer, day) purchase occasions: ids (unique, sorted), index, day, amount summed.

    Returns ``(ids, idx, day, amount)``: ``idx[i]`` indexes ``ids``; sorted by customer then day.

    Parameters
    ----------
    log : TransactionLog
        The purchases.

    Returns
    -------
    ids : numpy.ndarray of str
        The customers, unique and sorted.
    idx : numpy.ndarray of int
        For each purchase day, the index of its customer in ``ids``.
    day : numpy.ndarray of datetime64[D]
        The purchase day.
    amount : numpy.ndarray of float
        The customer's spend on that day, all her orders of the day summed (the log's currency).

    Notes
    -----
    Two orders on one day are one purchase occasion, the convention of Fader, Hardie and Lee
    (2005) for CDNOW: every repeat-purchase count of the package is a count of these days.

    Examples
    --------
    Customer a orders twice on 5 January and once more on 1 February:

    >>> import numpy as np
    >>> from aftersales.customers.data import TransactionLog
    >>> log = TransactionLog(np.array(["a", "a", "a", "b"]),
    ...                      np.array(["2024-01-05", "2024-01-05", "2024-02-01", "2024-01-20"],
    ...                               dtype="datetime64[D]"),
    ...                      np.array([10.0, 4.0, 5.0, 3.0]))
    >>> ids, idx, day, amount = purchase_days(log)
    >>> ids.tolist(), idx.tolist(), [str(d) for d in day], amount.tolist()
    (['a', 'b'], [0, 0, 1], ['2024-01-05', '2024-02-01', '2024-01-20'], [14.0, 5.0, 3.0])
    """
    ids, inv = np.unique(log.customer, return_inverse=True)
    day = log.date.astype("datetime64[D]").astype(np.int64)
    key = inv.astype(np.int64) * 1_000_000 + (day - day.min())
    ukey, kinv = np.unique(key, return_inverse=True)
    amount = np.bincount(kinv, weights=log.amount, minlength=len(ukey))
    idx = (ukey // 1_000_000).astype(np.int64)
    d = (ukey % 1_000_000 + day.min()).astype("datetime64[D]")
    return ids, idx, d, amount


@dataclass(frozen=True)
class CustomerSummary:
    """x (repeat purchases), t_x (time of the last), T (age) per customer, in ``freq`` units.

    ``holdout`` counts purchase days after the calibration end up to ``observation_end``;
    ``first`` is each customer's first purchase day; ``mean_value`` the mean amount per purchase day.
    Made by :func:`summarise`; one entry per customer who first bought by the calibration end.

    Parameters
    ----------
    ids : numpy.ndarray of str
        The customers, sorted.
    x : numpy.ndarray of float
        Repeat purchase days in the calibration period (the first purchase not counted).
    t_x : numpy.ndarray of float
        Time from the first to the last purchase day of the calibration period, ``freq`` units.
    T : numpy.ndarray of float
        Time from the first purchase day to the calibration end, ``freq`` units.
    holdout : numpy.ndarray of float
        Purchase days after the calibration end, up to ``observation_end`` inclusive.
    first : numpy.ndarray of datetime64[D]
        First purchase day.
    mean_value : numpy.ndarray of float
        Mean spend per purchase day in the calibration period (the log's currency).
    calibration_end, observation_end : numpy.datetime64
        Last days of the calibration and of the holdout period, inclusive.
    freq : {"W", "D"}
        Time unit: weeks or days.

    Examples
    --------
    >>> from aftersales.customers.data import load_cdnow
    >>> s = summarise(load_cdnow("sample"), "1997-09-30")
    >>> str(s.calibration_end), str(s.observation_end), round(s.holdout_length, 2)
    ('1997-09-30', '1998-06-30', 39.0)
    """

    ids: np.ndarray
    x: np.ndarray
    t_x: np.ndarray
    T: np.ndarray
    holdout: np.ndarray
    first: np.ndarray
    mean_value: np.ndarray
    calibration_end: np.datetime64
    observation_end: np.datetime64
    freq: str

    @property
    def holdout_length(self) -> float:
        """Length of the holdout period in ``freq`` units."""
        return float((self.observation_end - self.calibration_end).astype(int)) / FREQ_DAYS[self.freq]


def summarise(log: TransactionLog, calibration_end=None, freq: str = "W",
              observation_end=None) -> CustomerSummary:
    """Frequency, recency and age per customer who first bought by ``calibration_end``.

    Parameters
    ----------
    log : TransactionLog
    calibration_end : date, optional
        Last day of the calibration period, inclusive (default: the log's last day, no holdout).
    freq : {"W", "D"}
        Time unit: weeks (days / 7) or days.
    observation_end : date, optional
        Last day of the holdout period (default: the log's last day).

    Returns
    -------
    CustomerSummary

    Notes
    -----
    x = distinct purchase days in (first, calibration end]; t_x = (last of them - first) / unit;
    T = (calibration end - first) / unit.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). "Counting your customers" the easy way:
    an alternative to the Pareto/NBD model. Marketing Science 24(2), 275-284.

    Examples
    --------
    >>> from aftersales.customers.data import load_cdnow
    >>> s = summarise(load_cdnow("sample"), "1997-09-30")
    >>> len(s.x), int(s.x.sum()), int(s.holdout.sum())
    (2357, 2457, 1882)
    """
    if freq not in FREQ_DAYS:
        raise ValueError(f"freq must be 'D' or 'W', got {freq!r}")
    cal = log.last_date if calibration_end is None else to_date(calibration_end)
    obs = log.last_date if observation_end is None else to_date(observation_end)
    if cal < log.first_date or cal > log.last_date:
        raise ValueError(f"calibration end {cal} is outside the log ({log.first_date} to {log.last_date})")
    if obs < cal:
        raise ValueError(f"observation end {obs} is before the calibration end {cal}")
    ids, idx, day, amount = purchase_days(log)
    n = len(ids)
    first = np.full(n, np.datetime64("9999-12-31", "D"))
    np.minimum.at(first, idx, day)
    in_cal = day <= cal
    in_hold = (day > cal) & (day <= obs)
    cal_days = np.bincount(idx[in_cal], minlength=n)
    keep = cal_days > 0
    if not keep.any():
        raise TransactionLogError(f"no customer bought by the calibration end {cal}")
    last = first.copy()
    np.maximum.at(last, idx[in_cal], day[in_cal])
    spend = np.bincount(idx[in_cal], weights=amount[in_cal], minlength=n)
    unit = FREQ_DAYS[freq]
    x = (cal_days - 1).astype(float)
    t_x = (last - first).astype(float) / unit
    T = (cal - first).astype(float) / unit
    hold = np.bincount(idx[in_hold], minlength=n).astype(float)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_value = np.where(cal_days > 0, spend / np.maximum(cal_days, 1), np.nan)
    return CustomerSummary(ids[keep], x[keep], t_x[keep], T[keep], hold[keep], first[keep],
                           mean_value[keep], cal, obs, freq)
