"""Repeated case ids, decided whatever the order of the rows.

Rows sharing a case_id are a **group**. When every row of a group has the same content (the
canonical values after parsing: dates as days, amounts as numbers, labels through the alias
table; a cell that failed its check counts by its text as found) they are **exact duplicates**:
the first in file order is kept. When their content differs they are **conflicting
duplicates**: the row kept is the first by content, usable rows first (a row whose date and
cost amounts could be read before one that would be set aside anyway), then by the canonical
content as text (code point order), then by position. Either way every other row of the group
is set aside as ``duplicate_case_id`` (a conflicting one with a detail saying so), so nothing
is lost and the result does not depend on the order of the rows (a test shuffles them).

:func:`resolve` takes the case ids with, for the rows of groups, a usability flag and the content
key, and returns the status of each row: :data:`KEEP`, :data:`EXACT` or :data:`CONFLICT`. The
streaming engine runs the same decision in DuckDB over the keys of all files
(:func:`aftersales.segment.sql.resolve_duplicates_sql`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np

__all__ = ["KEEP", "EXACT", "CONFLICT", "SEP", "group_rows", "content_keys", "resolve"]

#: Status of a row: kept, an exact duplicate (set aside), a conflicting duplicate (set aside).
KEEP, EXACT, CONFLICT = 0, 1, 2
#: Separator of the canonical values in a content key (never in a trimmed CSV cell that matters).
SEP = "\x1f"


def group_rows(idx: "np.ndarray", nonempty: "np.ndarray") -> "np.ndarray":
    """Positions of the rows whose (non-empty) case id occurs more than once.

    Parameters
    ----------
    idx : numpy.ndarray of int
        One per row, the code of its case id (as from ``pandas.factorize``: equal ids, equal
        codes; codes 0..k-1).
    nonempty : numpy.ndarray of bool
        One per row, True where the case id is not empty (an empty id is set aside as
        ``missing_id``, never as a duplicate).

    Returns
    -------
    numpy.ndarray of int64
        The positions, ascending, of the rows of every group (the rows :func:`resolve` decides).

    Examples
    --------
    >>> import numpy as np
    >>> codes = np.array([0, 1, 0, 2, 1])            # ids A, B, A, C, B
    >>> group_rows(codes, np.ones(5, bool)).tolist()
    [0, 1, 2, 4]
    >>> group_rows(np.array([0, 0, 1]), np.array([False, False, True])).tolist()   # two empty ids
    []
    """
    import numpy as np

    if not len(idx):
        return np.zeros(0, np.int64)
    counts = np.bincount(idx)
    return np.flatnonzero(nonempty & (counts[idx] > 1))


def content_keys(rows, ids, opened, money, labels, sat_v, days_v, raw_kept) -> "np.ndarray":
    """The canonical content of the given rows (all columns but case_id) as one text each.

    Two rows of a case id are exact duplicates when their keys are equal; the keys also order the
    rows of a conflicting group (see the module docstring).

    Parameters
    ----------
    rows : numpy.ndarray of int
        The positions of the rows to key.
    ids : dict of str to pyarrow.Array
        order_id and customer_id of every row, as trimmed text.
    opened : numpy.ndarray of datetime64
        opened_at of every row, parsed (the day is kept).
    money : dict of str to numpy.ndarray of float
        The amounts (yuan) of every row, per column of MONEY_COLUMNS.
    labels : dict of str to pandas.Categorical
        channel, category, case_type and reason of every row, through the alias table.
    sat_v, days_v : numpy.ndarray of float
        satisfaction (1-5) and resolution_days (days) of every row.
    raw_kept : dict of str to tuple
        Per column, ``(positions, texts)`` of the cells that failed their check, positions
        ascending: such a cell counts by its text as found, marked ``!``.

    Returns
    -------
    numpy.ndarray of object
        One text per row of ``rows``: the values of CASE_COLUMNS but case_id, joined by
        :data:`SEP`.

    Examples
    --------
    Two rows alike but for a refund amount that could not be read in the second:

    >>> import numpy as np, pandas as pd, pyarrow as pa
    >>> from aftersales.segment.schema import MONEY_COLUMNS
    >>> both = np.array([0, 1])
    >>> money = {c: np.array([100.0, 100.0]) for c in MONEY_COLUMNS}
    >>> money["refund_amount"] = np.array([100.0, np.nan])
    >>> keys = content_keys(
    ...     both, {"order_id": pa.array(["O1", "O1"]), "customer_id": pa.array(["C1", "C1"])},
    ...     np.array(["2024-03-05", "2024-03-05"], "datetime64[D]"), money,
    ...     {c: pd.Categorical([v, v]) for c, v in [("channel", "tmall"), ("category", "dresses"),
    ...                                              ("case_type", "return"), ("reason", "size_fit")]},
    ...     np.array([4.0, 4.0]), np.array([1.5, 1.5]),
    ...     {"refund_amount": (np.array([1]), np.array(["abc"], dtype=object))})
    >>> keys[1].split(SEP)[:9]       # order_id ... reason, item_price, refund_amount
    ['O1', 'C1', '2024-03-05', 'tmall', 'dresses', 'return', 'size_fit', '100.0', '!abc']
    >>> keys[0] == keys[1]
    False
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from aftersales.segment.schema import CASE_COLUMNS

    take = pa.array(rows)
    parts = []
    for c in CASE_COLUMNS[1:]:
        if c in ids:
            v = pc.take(ids[c], take).to_numpy(zero_copy_only=False).astype(object)
        elif c == "opened_at":
            v = np.datetime_as_string(opened[rows], unit="D").astype(object)
        elif c in labels:
            v = np.asarray(labels[c][rows]).astype(str).astype(object)
        elif c in money:
            v = money[c][rows].astype(str).astype(object)
        else:
            v = (sat_v if c == "satisfaction" else days_v)[rows].astype(str).astype(object)
        if c in raw_kept:
            kr, kt = raw_kept[c]
            if len(kr):
                pos = np.minimum(np.searchsorted(kr, rows), len(kr) - 1)
                hit = kr[pos] == rows
                v[hit] = "!" + kt[pos[hit]].astype(str).astype(object)
        parts.append(v)
    out = parts[0]
    for v in parts[1:]:
        out = out + SEP + v
    return out


def resolve(idx: "np.ndarray", rows: "np.ndarray", usable: "np.ndarray", content: "np.ndarray",
            n: int) -> "np.ndarray":
    """Status (KEEP, EXACT, CONFLICT) of each of n rows.

    Parameters
    ----------
    idx : numpy.ndarray of int
        Every row's case id code (as for :func:`group_rows`).
    rows : numpy.ndarray of int
        The positions of the group rows, ascending (from :func:`group_rows`).
    usable : numpy.ndarray of bool
        Of the group rows: True where the row passes the case checks but the duplicate one
        (its date and cost amounts could be read).
    content : numpy.ndarray of object
        Of the group rows: the content key (from :func:`content_keys`).
    n : int
        The number of rows in all.

    Returns
    -------
    numpy.ndarray of int8
        One per row: :data:`KEEP` (0) for a row outside every group and for the row kept of each
        group, :data:`EXACT` (1) for the others of a group whose rows are all alike,
        :data:`CONFLICT` (2) for the others of a group whose rows differ.

    Notes
    -----
    In each group the rows are ordered by (usable first, content key in code point order,
    position) and the first is kept, so the decision does not depend on the row order.
    A group is conflicting when any row differs from the kept one in content or usability.

    Examples
    --------
    Ids A, B, A, C, B: the two A rows are alike, the B rows differ (the second B comes first by
    content, so it is kept):

    >>> import numpy as np
    >>> codes = np.array([0, 1, 0, 2, 1])
    >>> rows = group_rows(codes, np.ones(5, bool))
    >>> content = np.array(["x", "b", "x", "a"], dtype=object)
    >>> resolve(codes, rows, np.ones(len(rows), bool), content, 5).tolist()
    [0, 2, 1, 0, 0]
    """
    import numpy as np
    import pandas as pd

    status = np.zeros(n, np.int8)
    if not len(rows):
        return status
    g = idx[rows]
    rank = pd.factorize(pd.Index(content, dtype=object), sort=True)[0]
    order = np.lexsort((rows, rank, ~usable, g))          # last key first: id, usable first, content, position
    gs = g[order]
    head = np.r_[True, gs[1:] != gs[:-1]]                 # the first row of each id in that order is kept
    win = np.maximum.accumulate(np.where(head, np.arange(len(gs)), 0))
    key = usable[order].astype(np.int64) * (rank.max() + 2) + rank[order]
    differs = key != key[win]
    conflict_group = pd.Series(differs).groupby(gs).transform("any").to_numpy()
    losers = ~head
    status[rows[order][losers]] = np.where(conflict_group[losers], CONFLICT, EXACT)
    return status
