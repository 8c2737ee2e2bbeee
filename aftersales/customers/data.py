"""Transaction logs: the CDNOW files carried by the ``lifetimes`` wheel, and CSV files.

A log is one row per purchase: customer id, date, amount. Rows that cannot be used are set
aside with the reason (never dropped silently) and counted in :attr:`TransactionLog.set_aside`.
"""
from __future__ import annotations

import csv
import importlib.util
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

__all__ = ["TransactionLogError", "TransactionLog", "cdnow_path", "load_cdnow", "read_transactions",
           "parse_date", "DATE_FORMS", "CDNOW_CALIBRATION_END", "REQUIRED_COLUMNS"]

#: The published calibration split of CDNOW (Fader, Hardie and Lee 2005): weeks 1-39, inclusive.
CDNOW_CALIBRATION_END = "1997-09-30"
#: Columns a CSV log must have.
REQUIRED_COLUMNS = ("customer_id", "date", "amount")
#: The date forms :func:`parse_date` reads (a log's date column, the calibration end), for messages.
DATE_FORMS = "YYYY-MM-DD, YYYY/M/D or YYYYMMDD"


class TransactionLogError(ValueError):
    """A transaction log that cannot be read (missing file or column, no usable row) or is too small
    for a BG/NBD fit (:func:`aftersales.customers.report.check_fit_size`).

    A ``ValueError``: the command line shows its message as the one error line.

    Parameters
    ----------
    message : str
        One line naming what is wrong and where (the file, the column or the counts).

    Examples
    --------
    >>> try:
    ...     cdnow_path("weekly")
    ... except TransactionLogError as err:
    ...     str(err)
    "CDNOW file must be 'master' or 'sample', got 'weekly'"
    """


@dataclass(frozen=True)
class TransactionLog:
    """Purchases: ``customer`` (str ids), ``date`` (datetime64[D]) and ``amount`` (dollars or yuan).

    ``set_aside`` lists ``(row, reason)`` for every input row that was not used; ``source`` names
    where the log came from. Made by :func:`load_cdnow` and :func:`read_transactions`, which sort
    the purchases by customer, then date.

    Parameters
    ----------
    customer : numpy.ndarray of str
        Customer id of each purchase.
    date : numpy.ndarray of datetime64[D]
        Day of each purchase.
    amount : numpy.ndarray of float
        Spend of each purchase, >= 0, in the log's currency (US dollars for CDNOW, yuan for a
        shop's export).
    source : str, optional
        Where the log came from (``"CDNOW sample"``, a file name); empty by default.
    set_aside : tuple of (int, str), optional
        ``(row, reason)`` for every input row that was not used; empty by default.

    Attributes
    ----------
    first_date, last_date : numpy.datetime64
        The first and the last purchase day of the log.
    n_customers : int
        Distinct customers.

    Examples
    --------
    >>> import numpy as np
    >>> log = TransactionLog(np.array(["a", "a", "b"]),
    ...                      np.array(["2024-01-05", "2024-02-01", "2024-01-20"], dtype="datetime64[D]"),
    ...                      np.array([10.0, 5.0, 3.0]), "by hand")
    >>> len(log), log.n_customers, str(log.first_date), str(log.last_date)
    (3, 2, '2024-01-05', '2024-02-01')
    """

    customer: np.ndarray
    date: np.ndarray
    amount: np.ndarray
    source: str = ""
    set_aside: tuple = field(default_factory=tuple)

    def __len__(self) -> int:
        return len(self.customer)

    @property
    def first_date(self) -> np.datetime64:
        """The first purchase day of the log."""
        return self.date.min()

    @property
    def last_date(self) -> np.datetime64:
        """The last purchase day of the log."""
        return self.date.max()

    @property
    def n_customers(self) -> int:
        """Distinct customers in the log."""
        return len(np.unique(self.customer))


def cdnow_path(which: str = "master") -> Path:
    """Path of a CDNOW file inside the installed ``lifetimes`` wheel, found without importing it.

    Parameters
    ----------
    which : {"master", "sample"}
        ``master``: 23,570 customers; ``sample``: the published 2,357-customer sample.

    Returns
    -------
    pathlib.Path
        The text file (whitespace-separated columns).

    Raises
    ------
    TransactionLogError
        If ``which`` is neither name, ``lifetimes`` is not installed or the file is missing from it.

    Notes
    -----
    ``import lifetimes.datasets`` needs ``pkg_resources``, gone from current setuptools, so the
    folder is located with ``importlib.util.find_spec`` and the file read as plain text.

    Examples
    --------
    >>> cdnow_path("sample").name
    'CDNOW_sample.txt'
    """
    names = {"master": "CDNOW_master.txt", "sample": "CDNOW_sample.txt"}
    if which not in names:
        raise TransactionLogError(f"CDNOW file must be 'master' or 'sample', got {which!r}")
    spec = importlib.util.find_spec("lifetimes")
    if spec is None or not spec.submodule_search_locations:
        raise TransactionLogError("the CDNOW data comes with the PyPI package lifetimes: pip install lifetimes")
    path = Path(list(spec.submodule_search_locations)[0]) / "datasets" / names[which]
    if not path.is_file():
        raise TransactionLogError(f"{path.name} is missing from the installed lifetimes package")
    return path


def _dates_yyyymmdd(s: np.ndarray) -> np.ndarray:
    s = np.char.zfill(s.astype(str), 8)
    iso = np.array([f"{v[:4]}-{v[4:6]}-{v[6:8]}" for v in s])
    return iso.astype("datetime64[D]")


def load_cdnow(which: str = "master") -> TransactionLog:
    """The CDNOW log: purchases of the customers who first bought at CDNOW in Q1 1997, to 1998-06-30.

    Parameters
    ----------
    which : {"master", "sample"}
        The full master file (69,659 purchases) or the 1/10th sample (6,919 purchases).

    Returns
    -------
    TransactionLog
        Amounts in US dollars. Rows with a negative amount would be set aside (CDNOW has none).

    Raises
    ------
    TransactionLogError
        If ``which`` is not ``"master"`` or ``"sample"``, or the ``lifetimes`` package (which
        carries the files) is not installed.

    References
    ----------
    Fader, P. S. and Hardie, B. G. S. (2001). Forecasting repeat sales at CDNOW. Interfaces 31(3).

    Examples
    --------
    >>> log = load_cdnow("sample")
    >>> len(log), log.n_customers, str(log.first_date), str(log.last_date)
    (6919, 2357, '1997-01-01', '1998-06-30')
    """
    path = cdnow_path(which)
    raw = np.loadtxt(path, dtype=str, skiprows=1 if which == "master" else 0)
    cols = (0, 1, 3) if which == "master" else (0, 2, 4)
    return _build(raw[:, cols[0]], _dates_yyyymmdd(raw[:, cols[1]]), raw[:, cols[2]].astype(float),
                  f"CDNOW {which}", [])


def _build(customer, date, amount, source, set_aside) -> TransactionLog:
    bad = ~np.isfinite(amount) | (amount < 0)
    for i in np.flatnonzero(bad):
        set_aside.append((int(i) + 1, f"amount {amount[i]!r} is not a number >= 0"))
    keep = ~bad
    order = np.lexsort((date[keep], customer[keep]))
    return TransactionLog(np.asarray(customer[keep])[order], np.asarray(date[keep])[order],
                          np.asarray(amount[keep], float)[order], source, tuple(set_aside))


def _parse_amount(text: str) -> float:
    t = text.strip().replace(",", "").replace("¥", "").replace("￥", "").removesuffix("元")
    return float(t)


def read_transactions(path) -> TransactionLog:
    """Read a CSV log with columns ``customer_id,date,amount`` (UTF-8, a byte-order mark allowed).

    Parameters
    ----------
    path : str or Path
        The CSV file. Dates as ``YYYY-MM-DD`` (a time after it is ignored), ``YYYY/M/D`` or
        ``YYYYMMDD``; amounts >= 0 (``1,299.00``, ``¥1299`` and ``319元`` are read).

    Returns
    -------
    TransactionLog
        Rows with an empty id, an unreadable date or amount are set aside as ``(row, reason)``,
        row numbers counted as in a spreadsheet (the header is row 1).

    Raises
    ------
    TransactionLogError
        One line: the path is missing or a folder, the file lacks a column of
        :data:`REQUIRED_COLUMNS` (named), or no row could be used (the first set-aside row named).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     f = Path(folder) / "log.csv"
    ...     _ = f.write_text("customer_id,date,amount\\na,2024-01-05,10\\na,2024/2/1,¥5\\nb,soon,3\\n",
    ...                      encoding="utf-8")
    ...     log = read_transactions(f)
    >>> len(log), log.amount.tolist(), log.set_aside
    (2, [10.0, 5.0], ((4, "column date: 'soon' is not a date"),))
    """
    p = Path(path)
    if p.is_dir():
        raise TransactionLogError(f"{p} is a folder, not a CSV file")
    if not p.is_file():
        raise TransactionLogError(f"{p}: no such file")
    with p.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.DictReader(fh)
        header = [h.strip() for h in (reader.fieldnames or [])]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            raise TransactionLogError(f"{p.name}: missing column {missing[0]!r} (the file has "
                                      f"{', '.join(header) or 'no header'}; needs customer_id,date,amount)")
        reader.fieldnames = header
        ids, dates, amounts, aside = [], [], [], []
        for row_no, row in enumerate(reader, start=2):
            cid = (row.get("customer_id") or "").strip()
            d = (row.get("date") or "").strip()
            a = (row.get("amount") or "").strip()
            if not cid:
                aside.append((row_no, "column customer_id: empty"))
                continue
            try:
                day = parse_date(d)
            except ValueError:
                aside.append((row_no, f"column date: {d!r} is not a date"))
                continue
            try:
                amt = _parse_amount(a)
            except ValueError:
                aside.append((row_no, f"column amount: {a!r} is not a number"))
                continue
            if not np.isfinite(amt) or amt < 0:
                aside.append((row_no, f"column amount: {a!r} is not a number >= 0"))
                continue
            ids.append(cid), dates.append(day), amounts.append(amt)
    if not ids:
        raise TransactionLogError(f"{p.name}: no usable row ({len(aside)} set aside"
                                  + (f", first: row {aside[0][0]}, {aside[0][1]})" if aside else ")"))
    return _build(np.array(ids, dtype=str), np.array(dates, dtype="datetime64[D]"),
                  np.array(amounts, float), p.name, aside)


def parse_date(text: str) -> np.datetime64:
    """A day written ``YYYY-MM-DD``, ``YYYY/M/D`` or ``YYYYMMDD`` as datetime64[D].

    The one date reader of the customers room: a log's date column (:func:`read_transactions`)
    and the calibration end (:func:`aftersales.customers.summary.to_date`) are both read by it.

    Parameters
    ----------
    text : str
        The day. Month and day may have one or two digits with ``-`` or ``/`` between the parts
        (``1997-9-30``, ``1997/09/30``); the year has four. A time after the day, separated by a
        space or ``T``, is ignored (``1997-09-30 12:00``); spaces around it are ignored.

    Returns
    -------
    numpy.datetime64
        The day, unit ``D``.

    Raises
    ------
    ValueError
        With the text as its message, when it is none of the three forms or names no calendar
        day (``1997-02-30``, ``2024-13-45``); the callers write the line the user sees.

    Examples
    --------
    >>> [str(parse_date(t)) for t in ("1997-09-30", "1997/9/30", "19970930", "1997-09-30 12:00")]
    ['1997-09-30', '1997-09-30', '1997-09-30', '1997-09-30']
    >>> parse_date("30.09.1997")
    Traceback (most recent call last):
    ...
    ValueError: 30.09.1997
    """
    t = text.strip().split(" ")[0].split("T")[0]
    if len(t) == 8 and t.isdigit():
        t = f"{t[:4]}-{t[4:6]}-{t[6:]}"
    parts = t.replace("/", "-").split("-")
    if (len(parts) != 3 or not all(x.isdigit() and x.isascii() for x in parts) or len(parts[0]) != 4
            or not all(1 <= len(x) <= 2 for x in parts[1:])):
        raise ValueError(text)
    y, m, d = (int(x) for x in parts)
    return np.datetime64(f"{y:04d}-{m:02d}-{d:02d}", "D")
