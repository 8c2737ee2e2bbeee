"""After-sales case records: the schema, the alias table, loading and cleaning with nothing lost.

One row is one after-sales case (售后工单). The canonical CSV has the columns of
:data:`CASE_COLUMNS`, ISO dates (YYYY-MM-DD) and plain numbers (yuan). A brand's
other systems export differently shaped files (Chinese headers, another date
format, amounts such as ``¥1,280.00``); :func:`read_cases` maps them onto the
canonical columns through the alias table ``data/aliases.csv``.

Cleaning never drops a row silently: every row that cannot be used is *set
aside* with a reason and a detail naming the column and the value, so that

    rows in = clean rows + set-aside rows        (always)

and the set-aside rows can be written to a CSV, fixed by a person and loaded
again. All parsing is vectorised (no Python loop over rows): a million rows load
and clean in a few seconds.

Cost of a case = logistics_cost + handling_cost + discount_loss (yuan);
net of a case = service_revenue - cost (yuan). refund_amount is money handed
back for the item, not a cost of after-sales, and is kept for information.
"""
from __future__ import annotations

import csv
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

__all__ = [
    "CASE_COLUMNS", "ID_COLUMNS", "MONEY_COLUMNS", "LABEL_COLUMNS", "CASE_TYPES", "REASONS",
    "RETURN_TYPES", "SET_ASIDE_REASONS", "SET_ASIDE_COLUMNS", "EXPORT_DATE_FORMATS", "Aliases",
    "CleanResult", "load_aliases", "read_cases", "clean_cases", "load_cases", "write_csv",
    "data_path",
]

#: The canonical columns of a case file, in order.
CASE_COLUMNS = ("case_id", "order_id", "customer_id", "opened_at", "channel", "category",
                "case_type", "reason", "item_price", "refund_amount", "logistics_cost",
                "handling_cost", "discount_loss", "service_revenue", "satisfaction",
                "resolution_days")
ID_COLUMNS = ("case_id", "order_id", "customer_id")
#: Amounts in yuan; must be numbers >= 0 and may not be empty.
MONEY_COLUMNS = ("item_price", "refund_amount", "logistics_cost", "handling_cost",
                 "discount_loss", "service_revenue")
LABEL_COLUMNS = ("channel", "category", "case_type", "reason")
#: Closed list of case types (退货, 换货, 维修, 投诉, 改造, 清洗, 存储).
CASE_TYPES = ("return", "exchange", "repair", "complaint", "remake", "deep_clean", "storage")
#: Case types that send an item back (they count for the return rate).
RETURN_TYPES = ("return", "exchange")
#: Closed list of reasons (尺码不合适, 质量问题, 描述不符, 物流延误, 运输损坏, 不想要了, 色差, 其他).
REASONS = ("size_fit", "quality_defect", "description_mismatch", "logistics_delay",
           "transit_damage", "changed_mind", "color_difference", "other")
_CLOSED = {"case_type": CASE_TYPES, "reason": REASONS}

#: Why a row is set aside, in the order the checks apply (a row gets the first that fits).
SET_ASIDE_REASONS = ("missing_id", "duplicate_case_id", "bad_date", "non_numeric_money",
                     "negative_money", "unknown_label", "satisfaction_out_of_range",
                     "bad_resolution_days")
#: Columns added to set-aside rows; a set-aside file loads again with them present.
SET_ASIDE_COLUMNS = ("set_aside_reason", "set_aside_detail", "source_file", "source_row")
#: Columns a loader ignores because it derives them (cost, net) or wrote them (set-aside info).
_DERIVED = ("cost", "net", "customer_tier") + SET_ASIDE_COLUMNS
#: Date formats accepted in an export (the canonical file accepts ISO only).
EXPORT_DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日", "%Y%m%d")
_CURRENCY_RE2 = r"(?i)[¥￥$,\s]|元|RMB|CNY"
_NUMBER = r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$"


def data_path(name: str | os.PathLike) -> Path:
    """A path as given if it exists, else the file of that name in the project's ``data`` folder."""
    from aftersales.model.scenario import DATA_DIR

    p = Path(name)
    if p.exists() or p.is_absolute():
        return p
    q = DATA_DIR / p
    return q if q.exists() else p


def _key(label: str) -> str:
    """How labels are compared: trimmed, case-folded, runs of space/_/- as one underscore."""
    return re.sub(r"[\s_\-]+", "_", str(label).strip().casefold())


# ------------------------------------------------------------------------------ aliases
@dataclass(frozen=True)
class Aliases:
    """The alias table: for each field, {normalised label: canonical}."""

    table: dict[str, dict[str, str]]
    source: str = "data/aliases.csv"

    def lookup(self, fieldname: str) -> dict[str, str]:
        return self.table.get(fieldname, {})

    def column_map(self) -> dict[str, str]:
        """{normalised header: canonical column}, the canonical names included."""
        m = {_key(c): c for c in CASE_COLUMNS + _DERIVED}
        m.update(self.lookup("column"))
        return m


def load_aliases(path: str | os.PathLike | None = None) -> Aliases:
    """Read the alias table (CSV with field,label,canonical; lines starting with # are comments).

    Canonical case types and reasons must be in the closed lists; an error names the file and line.
    """
    from aftersales.model.scenario import DATA_DIR

    p = Path(path) if path is not None else DATA_DIR / "aliases.csv"
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such alias table")
    fields = ("column",) + LABEL_COLUMNS
    table: dict[str, dict[str, str]] = {f: {} for f in fields}
    for c in CASE_TYPES:
        table["case_type"][_key(c)] = c
    for r in REASONS:
        table["reason"][_key(r)] = r
    with open(p, encoding="utf-8-sig", newline="") as fh:
        lines = [(i, ln) for i, ln in enumerate(fh, start=1) if ln.strip() and not ln.lstrip().startswith("#")]
    rows = list(csv.reader([ln for _, ln in lines]))
    if not rows or [c.strip() for c in rows[0]] != ["field", "label", "canonical"]:
        raise ValueError(f"{p}: the first line must be the header field,label,canonical")
    for (lineno, _), row in zip(lines[1:], rows[1:]):
        if len(row) != 3:
            raise ValueError(f"{p}, line {lineno}: expected 3 values (field,label,canonical), got {len(row)}")
        f, label, canon = (x.strip() for x in row)
        if f not in fields:
            raise ValueError(f"{p}, line {lineno}: unknown field {f!r}; use one of {', '.join(fields)}")
        if f in _CLOSED and canon not in _CLOSED[f]:
            raise ValueError(f"{p}, line {lineno}: {canon!r} is not a {f}; use one of {', '.join(_CLOSED[f])}")
        if f == "column" and canon not in CASE_COLUMNS:
            raise ValueError(f"{p}, line {lineno}: {canon!r} is not a case column")
        if not label or not canon:
            raise ValueError(f"{p}, line {lineno}: empty label or canonical name")
        table[f][_key(label)] = canon
    return Aliases(table, str(p))


# ------------------------------------------------------------------------------ reading
def _header(p: Path) -> list[str]:
    with open(p, encoding="utf-8-sig", newline="") as fh:
        try:
            return next(csv.reader(fh))
        except StopIteration:
            raise ValueError(f"{p}: the file is empty (expected a header line)") from None
        except UnicodeDecodeError as exc:
            raise ValueError(f"{p}: not UTF-8 text: {exc}") from None


def read_cases(path: str | os.PathLike, aliases: Aliases | None = None) -> tuple["pa.Table", str]:
    """Read a case file as text (every column a string), headers mapped to the canonical names.

    Returns (table, layout): an Arrow table (``table.to_pandas()`` to look at it) and
    ``"canonical"`` when the headers are the canonical names, ``"export"`` when some came
    through the alias table (then dates may use any of :data:`EXPORT_DATE_FORMATS` and
    amounts may carry currency signs). Raises ValueError naming the file and the missing
    columns when a required column is absent, or the line when the CSV is malformed.
    """
    import pyarrow as pa
    import pyarrow.csv as pacsv

    aliases = aliases or load_aliases()
    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such case file")
    header = _header(p)
    cmap = aliases.column_map()
    rename, layout, unknown = {}, "canonical", []
    for col in header:
        canon = cmap.get(_key(col))
        if canon is None:
            unknown.append(col)
            continue
        if canon in rename.values():
            first = [k for k, v in rename.items() if v == canon][0]
            raise ValueError(f"{p}: columns {first!r} and {col!r} both mean {canon}")
        rename[col] = canon
        if col != canon and canon in CASE_COLUMNS:
            layout = "export"
    missing = [c for c in CASE_COLUMNS if c not in rename.values()]
    if missing:
        raise ValueError(f"{p}: missing column(s) {', '.join(missing)}"
                         + (f" (unrecognised headers: {', '.join(map(str, unknown))};"
                            " add them to the alias table)" if unknown else ""))
    names = [rename.get(c, f"_ignored_{i}") for i, c in enumerate(header)]
    keep = list(CASE_COLUMNS) + [c for c in ("source_file", "source_row") if c in names]
    try:
        table = pacsv.read_csv(
            p,
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 24),
            parse_options=pacsv.ParseOptions(newlines_in_values=True),
            convert_options=pacsv.ConvertOptions(
                column_types={c: pa.string() for c in names}, include_columns=keep,
                strings_can_be_null=False, quoted_strings_can_be_null=False))
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        msg = str(exc).strip().splitlines()[0]
        if "UTF8" in msg or "utf8" in msg.lower():
            raise ValueError(f"{p}: not UTF-8 text ({msg})") from None
        raise ValueError(f"{p}: not a well-formed CSV: {msg}") from None
    return table, layout


# ------------------------------------------------------------------------------ cleaning
@dataclass
class CleanResult:
    """Outcome of cleaning: the usable rows, the rows set aside with their reasons, the count in."""

    clean: "pd.DataFrame"
    set_aside: "pd.DataFrame"
    rows_in: int
    layout: str = "canonical"
    sources: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.rows_in != len(self.clean) + len(self.set_aside):  # pragma: no cover - invariant
            raise RuntimeError(f"rows lost in cleaning: {self.rows_in} in, {len(self.clean)} clean, "
                               f"{len(self.set_aside)} set aside")

    @property
    def rows_clean(self) -> int:
        return len(self.clean)

    @property
    def rows_set_aside(self) -> int:
        return len(self.set_aside)

    @property
    def reasons(self) -> dict[str, int]:
        """{set-aside reason: rows}, in the order of SET_ASIDE_REASONS, only reasons that occur."""
        counts = self.set_aside["set_aside_reason"].value_counts()
        return {r: int(counts[r]) for r in SET_ASIDE_REASONS if r in counts.index}

    def summary(self) -> dict:
        return {"rows_in": self.rows_in, "rows_clean": self.rows_clean,
                "rows_set_aside": self.rows_set_aside, "set_aside_reasons": self.reasons}

    def write(self, out_dir: str | os.PathLike, force: bool = False,
              names: tuple[str, str] = ("cases_clean.csv", "cases_set_aside.csv")) -> dict[str, Path]:
        """Write the clean rows and the set-aside rows as CSV into out_dir (no overwrite without force)."""
        d = Path(out_dir)
        paths = {"clean": d / names[0], "set_aside": d / names[1]}
        for p in paths.values():
            if p.exists() and not force:
                raise FileExistsError(f"{p} exists; use --force (force=True) to overwrite it")
        d.mkdir(parents=True, exist_ok=True)
        write_csv(self.clean[list(CASE_COLUMNS)], paths["clean"], force=True)
        write_csv(self.set_aside, paths["set_aside"], force=True)
        return paths


def _text(col) -> "pa.ChunkedArray":
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


def _np(arr, dtype=None):
    import numpy as np

    out = arr.to_numpy(zero_copy_only=False) if hasattr(arr, "to_numpy") else np.asarray(arr)
    return out.astype(dtype) if dtype is not None else out


def _map_labels(t, mapping: dict[str, str], closed: Sequence[str] | None):
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
        k = _key(c)
        v = mapping.get(k)
        if v is None and closed is None and k:
            v = k
        canon.append(v)
    targets = list(closed) if closed is not None else sorted({v for v in canon if v is not None})
    pos = {v: i for i, v in enumerate(targets)}
    lut = np.array([pos.get(v, -1) if v is not None else -1 for v in canon] + [-1], dtype=np.int32)
    idx = _np(enc.indices, np.int64) if len(enc) else np.zeros(0, np.int64)
    codes = lut[idx]
    return pd.Categorical.from_codes(codes, categories=targets), codes >= 0


def _parse_numbers(t, export: bool):
    """(values, numeric mask): text to float, vectorised; anything not a plain number is not numeric."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    if export:
        t = pc.replace_substring_regex(t, _CURRENCY_RE2, "")
    try:  # fast path: every non-empty cell reads as a number ("nan", "inf" are caught by isfinite)
        v = _np(pc.cast(pc.if_else(pc.equal(t, ""), pa.scalar(None, pa.string()), t), pa.float64()), float)
        return v, np.isfinite(v)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    ok = pc.match_substring_regex(t, _NUMBER)
    cand = pc.if_else(ok, t, pa.scalar(None, pa.string()))
    try:
        v = _np(pc.cast(cand, pa.float64()), float)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):  # pragma: no cover - defensive
        import pandas as pd
        v = pd.to_numeric(pd.Series(_np(cand), dtype=object), errors="coerce").to_numpy(float)
    return v, np.isfinite(v)


_DATE_PATTERNS = {
    "canonical": (r"^(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})$",),
    "export": (r"^(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})$",
               r"^(?P<y>\d{4})年(?P<m>\d{1,2})月(?P<d>\d{1,2})日?$",
               r"^(?P<y>\d{4})(?P<m>\d{2})(?P<d>\d{2})$"),
}


def _parse_dates(t, export: bool):
    """Dates as numpy datetime64[s] (NaT where the text is not a real calendar date).

    Fast path: zero-padded ISO dates through Arrow's strptime, checked against the day in the
    text (strptime turns 2024-02-30 into March 1st); the rest through the patterns.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    t = t.combine_chunks() if hasattr(t, "combine_chunks") else t
    n = len(t)
    iso = pc.strptime(t, format="%Y-%m-%d", unit="s", error_is_null=True)
    shape = pc.and_(pc.is_valid(iso), pc.equal(pc.utf8_length(t), 10))
    day_txt = pc.if_else(shape, pc.utf8_slice_codeunits(t, 8, 10), "0")
    fast = _np(pc.fill_null(pc.and_(shape, pc.equal(pc.cast(day_txt, pa.int64()), pc.day(iso))), False), bool)
    out = np.full(n, np.datetime64("NaT"), dtype="datetime64[s]")
    out[fast] = _np(iso).astype("datetime64[s]")[fast]
    rest = ~fast & ~_np(pc.equal(t, ""), bool)
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
    for pat in _DATE_PATTERNS["export" if export else "canonical"]:
        ex = pc.extract_regex(t, pat)
        if hasattr(ex, "combine_chunks"):
            ex = ex.combine_chunks()
        hit = _np(pc.is_valid(ex), bool) & ~found
        if not hit.any():
            continue
        for arr, name in ((y, "y"), (m, "m"), (d, "d")):
            vals = _np(pc.cast(pc.fill_null(pc.struct_field(ex, name), "0"), pa.int64()), np.int64)
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


def _as_table(raw) -> "pa.Table":
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


def clean_cases(raw, layout: str = "canonical", aliases: Aliases | None = None,
                sources: Iterable[str] = (), seen_before=None) -> CleanResult:
    """Clean case rows given as text (an Arrow table from :func:`read_cases`, or a DataFrame).

    Checks, in order (a row is set aside for the first that fails, with a detail naming
    the column and value): missing_id (case_id, order_id or customer_id empty),
    duplicate_case_id (every occurrence after the first, in file order), bad_date,
    non_numeric_money (empty or not a number), negative_money, unknown_label (case_type or
    reason not in the closed lists, channel or category empty), satisfaction_out_of_range
    (not a whole number 1-5; empty is allowed), bad_resolution_days (negative or not a number;
    empty is allowed). Clean rows get typed columns plus cost and net (yuan).
    seen_before: for cleaning in batches (:mod:`aftersales.segment.stream`), a boolean mask of
    the rows whose case_id appeared in an earlier row of the whole input; they are duplicates too.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if layout not in ("canonical", "export"):
        raise ValueError(f"layout must be 'canonical' or 'export', got {layout!r}")
    aliases = aliases or load_aliases()
    export = layout == "export"
    table = _as_table(raw)
    del raw                      # a caller that handed its only reference over frees the text column by column
    n = table.num_rows
    code = np.zeros(n, dtype=np.int8)          # 0 = clean, k = SET_ASIDE_REASONS[k-1]
    which = np.full(n, -1, dtype=np.int16)     # index into CASE_COLUMNS of the failing column
    col_index = {c: i for i, c in enumerate(CASE_COLUMNS)}

    def flag(mask, reason: str, col: str) -> None:
        new = np.asarray(mask, dtype=bool) & (code == 0)
        code[new] = SET_ASIDE_REASONS.index(reason) + 1
        which[new] = col_index[col]

    pool = pa.default_memory_pool()
    raw_kept: dict[str, tuple] = {}   # per column: (rows, text) of the cells that failed their check

    def take(c: str):
        """The trimmed text of column c; the table lets go of it (memory for a million rows)."""
        nonlocal table
        t = _text(table[c])
        table = table.drop_columns([c])
        pool.release_unused()          # mimalloc keeps freed pages otherwise
        return t

    def keep_raw(c: str, failed, t) -> None:
        failed = np.asarray(failed, dtype=bool)
        if failed.any():
            raw_kept[c] = (np.flatnonzero(failed), _np(pc.filter(t, pa.array(failed))).astype(object))

    source = ({c: table[c] for c in ("source_file", "source_row")} if "source_file" in table.column_names
              else None)
    ids = {c: take(c) for c in ID_COLUMNS}
    # 1 ids
    for c in ID_COLUMNS:
        flag(_np(pc.equal(ids[c], ""), bool), "missing_id", c)
    # 2 duplicates after the first (in row order)
    cid = ids["case_id"]
    enc = pc.dictionary_encode(cid.combine_chunks() if hasattr(cid, "combine_chunks") else cid)
    idx = _np(enc.indices, np.int64) if n else np.zeros(0, np.int64)
    first = np.empty(len(enc.dictionary), np.int64)
    first[idx[::-1]] = np.arange(n - 1, -1, -1)       # earliest position of each id wins
    dup = (first[idx] != np.arange(n)) if n else np.zeros(0, bool)
    del enc, idx, first
    if seen_before is not None:   # streaming: ids seen in earlier batches (aftersales.segment.stream)
        dup |= np.asarray(seen_before, dtype=bool)
    flag(dup & ~_np(pc.equal(cid, ""), bool), "duplicate_case_id", "case_id")
    # 3 dates
    t = take("opened_at")
    opened = _parse_dates(t, export)
    flag(np.isnat(opened), "bad_date", "opened_at")
    keep_raw("opened_at", np.isnat(opened), t)
    # 4-5 money
    money, numeric = {}, {}
    for c in MONEY_COLUMNS:
        t = take(c)
        money[c], numeric[c] = _parse_numbers(t, export)
        with np.errstate(invalid="ignore"):
            keep_raw(c, ~numeric[c] | (money[c] < 0), t)
        flag(~numeric[c], "non_numeric_money", c)
    for c in MONEY_COLUMNS:
        flag(numeric[c] & (money[c] < 0), "negative_money", c)
    # 6 labels
    labels, known = {}, {}
    for c in LABEL_COLUMNS:
        t = take(c)
        labels[c], known[c] = _map_labels(t, aliases.lookup(c), _CLOSED.get(c))
        keep_raw(c, ~known[c], t)
        flag(~known[c], "unknown_label", c)
    # 7-8 optional numbers
    t = take("satisfaction")
    sat_v, sat_num = _parse_numbers(t, False)
    sat_empty = _np(pc.equal(t, ""), bool)
    with np.errstate(invalid="ignore"):
        sat_ok = sat_empty | (sat_num & (sat_v >= 1) & (sat_v <= 5) & (np.mod(sat_v, 1) == 0))
    keep_raw("satisfaction", ~sat_ok, t)
    flag(~sat_ok, "satisfaction_out_of_range", "satisfaction")
    t = take("resolution_days")
    days_v, days_num = _parse_numbers(t, False)
    days_empty = _np(pc.equal(t, ""), bool)
    with np.errstate(invalid="ignore"):
        days_ok = days_empty | (days_num & (days_v >= 0))
    keep_raw("resolution_days", ~days_ok, t)
    flag(~days_ok, "bad_resolution_days", "resolution_days")
    del t, table

    # ---- set-aside frame: canonical values where a cell passed its check, the text as found where not
    good = code == 0
    bad = ~good
    bad_rows = np.flatnonzero(bad)
    bmask = pa.array(bad)
    sa: dict = {c: pd.Series(_np(pc.filter(ids[c], bmask)), dtype=object) for c in ID_COLUMNS}
    ob = opened[bad]
    sa["opened_at"] = pd.Series(np.where(np.isnat(ob), "", np.datetime_as_string(ob, unit="D")), dtype=object)
    for c in LABEL_COLUMNS:
        sa[c] = pd.Series(labels[c][bad]).astype(object).where(lambda v: v.notna(), "")
    for c in MONEY_COLUMNS:
        sa[c] = pd.Series(money[c][bad]).astype(str).astype(object)
    sa["satisfaction"] = pd.Series(np.where(sat_empty[bad], "", pd.Series(sat_v[bad]).map(
        lambda v: f"{v:g}" if v == v else "").to_numpy()), dtype=object)
    sa["resolution_days"] = pd.Series(np.where(days_empty[bad], "", pd.Series(days_v[bad]).astype(str)),
                                      dtype=object)
    for c, (rows, text) in raw_kept.items():      # the text as found where the cell failed
        pos = np.searchsorted(bad_rows, rows)
        inside = (pos < len(bad_rows)) & (bad_rows[np.minimum(pos, len(bad_rows) - 1)] == rows)
        vals = sa[c].to_numpy(copy=True)
        vals[pos[inside]] = text[inside]
        sa[c] = pd.Series(vals, dtype=object)
    set_aside = pd.DataFrame({c: sa[c] for c in CASE_COLUMNS})
    reason = (np.array(SET_ASIDE_REASONS, dtype=object)[code[bad] - 1] if bad.any()
              else np.array([], dtype=object))
    set_aside["set_aside_reason"] = pd.Series(reason, dtype=object)
    set_aside["set_aside_detail"] = _details(set_aside, reason, which[bad])
    if source is not None:
        set_aside["source_file"] = pd.Series(_np(pc.filter(source["source_file"], bmask)), dtype=object)
        set_aside["source_row"] = _np(pc.cast(pc.filter(source["source_row"], bmask), pa.int64()), np.int64)
    else:
        set_aside["source_file"] = pd.Series([""] * int(bad.sum()), dtype=object)
        set_aside["source_row"] = bad_rows + 1
    del source
    pa.default_memory_pool().release_unused()

    # ---- clean frame: money and derived columns in one float block (no consolidation copy)
    gmask = pa.array(good)
    n_good = int(good.sum())
    block = np.empty((len(MONEY_COLUMNS) + 3, n_good), dtype=float)   # one row per column
    for j, c in enumerate(MONEY_COLUMNS):
        block[j] = money[c][good]
        money[c] = None
    block[len(MONEY_COLUMNS)] = np.where(days_empty, np.nan, days_v)[good]
    cost_j, net_j = len(MONEY_COLUMNS) + 1, len(MONEY_COLUMNS) + 2
    np.add(block[2], block[3], out=block[cost_j])          # logistics + handling
    block[cost_j] += block[4]                              # + discount loss
    np.subtract(block[5], block[cost_j], out=block[net_j])  # service revenue - cost
    clean = pd.DataFrame(block.T, columns=list(MONEY_COLUMNS) + ["resolution_days", "cost", "net"], copy=False)
    del block
    front = {c: pc.filter(ids[c], gmask).to_pandas() for c in ID_COLUMNS}
    front["opened_at"] = opened[good]
    for c in LABEL_COLUMNS:
        lab = labels[c][good]
        front[c] = lab.remove_unused_categories() if c in ("channel", "category") else lab
    del ids, labels
    for i, (c, v) in enumerate(front.items()):
        clean.insert(i, c, v)
    sat = (pd.array(np.where(sat_empty, np.nan, sat_v)[good], dtype="Float64").astype("Int8")
           if n_good else pd.array([], dtype="Int8"))
    clean.insert(clean.columns.get_loc("resolution_days"), "satisfaction", sat)
    return CleanResult(clean, set_aside, n, layout, list(sources))


_DETAIL = {
    "missing_id": "{col} is empty",
    "duplicate_case_id": "case_id {val} appeared earlier; the first is kept",
    "bad_date": "{col} {val} is not a date (YYYY-MM-DD)",
    "non_numeric_money": "{col} {val} is not an amount in yuan",
    "negative_money": "{col} {val} is negative",
    "unknown_label": "{col} {val} is not a known label (add it to the alias table)",
    "satisfaction_out_of_range": "satisfaction {val} is not a whole number 1-5",
    "bad_resolution_days": "resolution_days {val} is not a number of days >= 0",
}


def _details(frame: "pd.DataFrame", reason, which) -> "pd.Series":
    """One human sentence per set-aside row (vectorised per reason and column)."""
    import numpy as np
    import pandas as pd

    out = pd.Series("", index=frame.index, dtype=object)
    if len(frame) == 0:
        return out
    key = pd.DataFrame({"r": reason, "w": which}, index=frame.index)
    for (r, w), idx in key.groupby(["r", "w"]).groups.items():
        col = CASE_COLUMNS[w]
        tmpl = _DETAIL[r].replace("{col}", col)
        if "{val}" not in tmpl:
            out.loc[idx] = tmpl
            continue
        vals = frame.loc[idx, col].astype(str)
        shown = np.where(vals == "", "(empty)", "'" + vals + "'")
        a, b = tmpl.split("{val}")
        out.loc[idx] = [a + v + b for v in shown]
    return out


def load_cases(paths: str | os.PathLike | Sequence[str | os.PathLike],
               aliases: Aliases | None = None) -> CleanResult:
    """Read one or more case files (canonical, export, or set-aside files fixed by hand) and clean them.

    Files are taken in the order given, so a case_id seen in an earlier file makes a later one
    a duplicate. Each set-aside row records its source file and line (the header is line 1).
    """
    import numpy as np
    import pyarrow as pa

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    if not paths:
        raise ValueError("no case file given")
    aliases = aliases or load_aliases()
    parts, layouts = [], []
    for p in paths:
        table, layout = read_cases(p, aliases)
        table = table.select(list(CASE_COLUMNS))
        table = table.append_column("source_file", pa.array([Path(p).name] * table.num_rows, pa.string()))
        table = table.append_column("source_row", pa.array(np.arange(2, table.num_rows + 2)))
        parts.append(table)
        layouts.append(layout)
    del table
    if len(parts) == 1:  # hand the only reference over, so the text can be freed while cleaning
        return clean_cases(parts.pop(), layouts[0], aliases, [str(p) for p in paths])
    parts = [_export_to_canonical_text(t) if lay == "export" else t for t, lay in zip(parts, layouts)]
    return clean_cases(pa.concat_tables(parts), "canonical", aliases, [str(p) for p in paths])


def _export_to_canonical_text(table: "pa.Table") -> "pa.Table":
    """An export's dates as ISO and amounts as plain numbers where they parse (text kept otherwise)."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    t = _text(table["opened_at"])
    d = _parse_dates(t, True)
    iso = np.where(np.isnat(d), _np(t).astype(object), np.datetime_as_string(d, unit="D").astype(object))
    table = table.set_column(table.column_names.index("opened_at"), "opened_at", pa.array(iso, pa.string()))
    for c in MONEY_COLUMNS:
        tc = _text(table[c])
        v, ok = _parse_numbers(tc, True)
        vals = np.where(ok, v.astype(str).astype(object), _np(tc).astype(object))
        table = table.set_column(table.column_names.index(c), c, pa.array(vals, pa.string()))
    return table


# ------------------------------------------------------------------------------ writing
def write_csv(frame: "pd.DataFrame", path: str | os.PathLike, force: bool = False) -> Path:
    """Write a frame as UTF-8 CSV (dates ISO, empty for missing); refuse to overwrite unless force."""
    import pandas as pd
    import pyarrow as pa
    import pyarrow.csv as pacsv

    p = Path(path)
    if p.exists() and not force:
        raise FileExistsError(f"{p} exists; use --force (force=True) to overwrite it")
    p.parent.mkdir(parents=True, exist_ok=True)
    arrays, names = [], []
    for c in frame.columns:
        s = frame[c]
        if pd.api.types.is_datetime64_any_dtype(s):
            arr = pa.array(s.to_numpy().astype("datetime64[D]"), type=pa.date32(), from_pandas=True)
        elif isinstance(s.dtype, pd.CategoricalDtype):
            arr = pa.array(s.astype(object).to_numpy(), type=pa.string(), from_pandas=True)
        elif s.dtype == object:
            arr = pa.array(s.map(lambda v: None if v is None or v != v else str(v)).to_numpy(),
                           type=pa.string(), from_pandas=True)
        else:
            arr = pa.array(s, from_pandas=True)
        arrays.append(arr)
        names.append(str(c))
    table = pa.Table.from_arrays(arrays, names=names)
    import pyarrow.compute as pc

    # quote only when some text needs it (a comma, quote or line break), so the file stays readable
    textual = [a for a in arrays if pa.types.is_string(a.type) or pa.types.is_large_string(a.type)]
    needs = any(len(a) and pc.any(pc.match_substring_regex(a, r'[",\r\n]')).as_py() for a in textual)
    with open(p, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(names)
    with open(p, "ab") as fh:
        pacsv.write_csv(table, fh, write_options=pacsv.WriteOptions(
            include_header=False, quoting_style="needed" if needs else "none"))
    return p
