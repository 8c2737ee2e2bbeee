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
    """Positions of the rows whose (non-empty) case id occurs more than once; idx: id codes."""
    import numpy as np

    if not len(idx):
        return np.zeros(0, np.int64)
    counts = np.bincount(idx)
    return np.flatnonzero(nonempty & (counts[idx] > 1))


def content_keys(rows, ids, opened, money, labels, sat_v, days_v, raw_kept) -> "np.ndarray":
    """The canonical content of the given rows (all columns but case_id) as one text each.

    ids: {column: Arrow text}; opened: datetime64 days; money: {column: float array};
    labels: {column: categorical}; sat_v, days_v: floats; raw_kept: {column: (rows, text)} of
    the cells that failed their check (they count by their text, marked ``!``).
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
    """Status (KEEP, EXACT, CONFLICT) of each of n rows; rows: the positions of the group rows,
    idx: every row's id code, usable and content: of the group rows."""
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
