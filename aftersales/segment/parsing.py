"""Vectorised parsing of text cells: labels, amounts, dates (Arrow compute and numpy)."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

from aftersales.segment.schema import *  # noqa: F401,F403
from aftersales.segment.schema import CURRENCY_PATTERN, NUMBER_PATTERN, label_key

#: Cells that mean "nothing here" in a shop export (a dash), read as empty.
_EMPTY_RE = r"^(-+|—+|－|/|N/?A|null|None)$"


def text_column(col) -> "pa.ChunkedArray":
    """A text column, trimmed, with nulls as empty strings."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not isinstance(col, (pa.Array, pa.ChunkedArray)):
        col = pa.array(col, type=pa.string(), from_pandas=True)
    if col.type != pa.string():
        col = pc.cast(col, pa.string())
    if col.null_count:
        col = pc.fill_null(col, "")
    return pc.utf8_trim_whitespace(col)


def as_numpy(arr, dtype=None):
    """An Arrow array (or anything array-like) as a numpy array, as ``dtype`` when given."""
    import numpy as np

    out = arr.to_numpy(zero_copy_only=False) if hasattr(arr, "to_numpy") else np.asarray(arr)
    return out.astype(dtype) if dtype is not None else out


def map_labels(t, mapping: dict[str, str], closed: Sequence[str] | None):
    """Map labels through the alias table once per distinct label (dictionary encoding).

    Returns (categorical, known mask). Unknown labels are -1 codes for closed lists; for free
    text the normalised label itself (trimmed, lower case), so spelling variants still unite;
    empty free text is unknown.
    """
    import numpy as np
    import pandas as pd
    import pyarrow.compute as pc

    enc = pc.dictionary_encode(t.combine_chunks() if hasattr(t, "combine_chunks") else t)
    dictionary = enc.dictionary.to_pylist()
    canon = []
    for c in dictionary:
        k = label_key(c)
        v = mapping.get(k)
        if v is None and closed is None and k:
            v = k
        canon.append(v)
    targets = list(closed) if closed is not None else sorted({v for v in canon if v is not None})
    pos = {v: i for i, v in enumerate(targets)}
    lut = np.array([pos.get(v, -1) if v is not None else -1 for v in canon] + [-1], dtype=np.int32)
    idx = as_numpy(enc.indices, np.int64) if len(enc) else np.zeros(0, np.int64)
    codes = lut[idx]
    return pd.Categorical.from_codes(codes, categories=targets), codes >= 0


def empty_placeholders(t):
    """The text with cells that mean nothing (``-``, ``—``, ``N/A``) made empty."""
    import pyarrow.compute as pc

    return pc.replace_substring_regex(t, _EMPTY_RE, "")


def parse_numbers(t, export: bool = True):
    """(values, numeric mask): text to float, vectorised; anything not a plain number is not numeric.

    Currency signs (¥, ￥, 元, RMB), thousands separators and spaces are dropped when ``export``
    (every source since version 0.3); an empty cell or ``-`` is not numeric (NaN): the caller
    decides what empty means.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    t = empty_placeholders(t)
    if export:
        t = pc.replace_substring_regex(t, CURRENCY_PATTERN, "")
    try:  # fast path: every non-empty cell reads as a number ("nan", "inf" are caught by isfinite)
        v = as_numpy(pc.cast(pc.if_else(pc.equal(t, ""), pa.scalar(None, pa.string()), t), pa.float64()), float)
        return v, np.isfinite(v)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    ok = pc.match_substring_regex(t, NUMBER_PATTERN)
    cand = pc.if_else(ok, t, pa.scalar(None, pa.string()))
    try:
        v = as_numpy(pc.cast(cand, pa.float64()), float)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # pragma: no cover - defensive
        import pandas as pd
        v = pd.to_numeric(pd.Series(as_numpy(cand), dtype=object), errors="coerce").to_numpy(float)
    return v, np.isfinite(v)


_TIME = r"(?:[ T]+\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
_DATE_PATTERNS = (r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})" + _TIME,
                  r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日?" + _TIME,
                  r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})" + _TIME)


def parse_dates(t, export: bool = True):
    """Dates as numpy datetime64[s] (NaT where the text is not a real calendar date).

    Every format of :data:`EXPORT_DATE_FORMATS` is read, with or without a time of day
    (the day is kept); ``export`` is kept for callers and no longer matters.
    Fast path: zero-padded ISO dates through Arrow's strptime, checked against the day in the
    text (strptime turns 2024-02-30 into March 1st); the rest through the patterns.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    t = t.combine_chunks() if hasattr(t, "combine_chunks") else t
    n = len(t)
    t10 = pc.utf8_slice_codeunits(t, 0, 10)     # the day of a date-time such as 2024-03-05 14:23:11
    iso = pc.strptime(t10, format="%Y-%m-%d", unit="s", error_is_null=True)
    full = pc.or_(pc.equal(pc.utf8_length(t), 10),
                  pc.match_substring_regex(t, r"^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?$"))
    shape = pc.and_(pc.is_valid(iso), full)
    day_txt = pc.if_else(shape, pc.utf8_slice_codeunits(t, 8, 10), "0")
    fast = as_numpy(pc.fill_null(pc.and_(shape, pc.equal(pc.cast(day_txt, pa.int64()), pc.day(iso))), False), bool)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    out[fast] = as_numpy(iso).astype("datetime64[s]")[fast]
    rest = ~fast & ~as_numpy(pc.equal(t, ""), bool)
    if rest.any():
        out[rest] = _parse_dates_patterns(pc.filter(t, pa.array(rest)), export)
    years = out.astype("datetime64[Y]").astype(np.int64) + 1970
    out[(years < 1900) | (years > 2200)] = np.datetime64("NaT")
    return out


def _parse_dates_patterns(t, export: bool):
    """Dates matched by the patterns of the layout, validated as calendar dates."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(t)
    y = np.zeros(n, np.int64)
    m = np.zeros(n, np.int64)
    d = np.zeros(n, np.int64)
    found = np.zeros(n, bool)
    for pat in _DATE_PATTERNS:
        ex = pc.extract_regex(t, pat)
        if hasattr(ex, "combine_chunks"):
            ex = ex.combine_chunks()
        hit = as_numpy(pc.is_valid(ex), bool) & ~found
        if not hit.any():
            continue
        for arr, name in ((y, "y"), (m, "m"), (d, "d")):
            vals = as_numpy(pc.cast(pc.fill_null(pc.struct_field(ex, name), "0"), pa.int64()), np.int64)
            arr[hit] = vals[hit]
        found |= hit
    ok = found & (m >= 1) & (m <= 12) & (d >= 1) & (y >= 1900) & (y <= 2200)
    month = (np.where(ok, y, 1970) - 1970).astype("datetime64[Y]").astype("datetime64[M]") \
        + np.where(ok, m - 1, 0).astype("timedelta64[M]")
    day = month.astype("datetime64[D]") + np.where(ok, d - 1, 0).astype("timedelta64[D]")
    ok &= day.astype("datetime64[M]") == month          # day 30 of February is not a date
    out = day.astype("datetime64[s]")
    out[~ok] = np.datetime64("NaT")
    return out


def as_table(raw) -> "pa.Table":
    """Case rows as an Arrow table: a table as it is, a DataFrame with every case column converted."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if isinstance(raw, pa.Table):
        return raw
    import pandas as pd

    if not isinstance(raw, pd.DataFrame):
        raise TypeError(f"expected an Arrow table or a DataFrame of case rows, got {type(raw).__name__}")
    missing = [c for c in CASE_COLUMNS if c not in raw.columns]
    if missing:
        raise ValueError(f"missing column(s) {', '.join(missing)}")
    cols = {}
    for c in list(CASE_COLUMNS) + [c for c in ("source_file", "source_row") if c in raw.columns]:
        s = raw[c]
        if c in ("source_row",):
            cols[c] = pa.array(s.to_numpy())
            continue
        if pd.api.types.is_datetime64_any_dtype(s):
            s = s.dt.strftime("%Y-%m-%d")
        if isinstance(s.dtype, pd.CategoricalDtype):
            s = s.astype(object)
        try:   # text (or numbers) straight into Arrow; missing values become nulls, read as empty
            arr = pa.array(s, from_pandas=True)
            cols[c] = arr if pa.types.is_string(arr.type) else pc.cast(arr, pa.string())
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            cols[c] = pa.array([None if v is None or v is pd.NA or (isinstance(v, float) and v != v)
                                else str(v) for v in s.astype(object)], type=pa.string())
    return pa.table(cols)


