"""Cleaning case rows with nothing lost: every row clean or set aside with its reason.

    rows in = clean rows + set-aside rows        (always)

A case that cannot be counted is set aside whole (:data:`SET_ASIDE_REASONS`); a field that
cannot be used sets aside only that field's attribution (:data:`FIELD_REASONS`): the case stays,
its cost lands in the ``unknown`` layer of that dimension, and the field is listed in
:attr:`CleanResult.unattributed` with its file, source row and the case's cost. All parsing is
vectorised (no Python loop over rows): a million rows load and clean in a few seconds.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

from aftersales.segment.aliases import Aliases, load_aliases
from aftersales.segment.duplicates import CONFLICT, EXACT, KEEP, content_keys, group_rows, resolve
from aftersales.segment.parsing import (as_numpy, as_table, empty_placeholders, map_labels, parse_dates, parse_numbers,
                                        text_column)
from aftersales.segment.readers import read_cases
from aftersales.segment.schema import (CASE_COLUMNS, COST_COLUMNS, FIELD_REASONS, ID_COLUMNS, LABEL_COLUMNS,
                                       MONEY_COLUMNS, SET_ASIDE_REASONS, UNATTRIBUTED_COLUMNS, UNKNOWN,
                                       CLOSED_FIELDS)
from aftersales.segment.writers import write_csv

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["CleanResult", "clean_cases", "clean_chunk", "load_cases"]


@dataclass
class CleanResult:
    """Outcome of cleaning: the usable rows, the rows set aside with their reasons, the count in.

    rows_in = rows_clean + rows_set_aside, always (checked when the result is made).

    Parameters
    ----------
    clean : pandas.DataFrame
        The clean cases: typed CASE_COLUMNS (dates as days, amounts in yuan, labels canonical or
        ``unknown``), cost and net (yuan), source_file and source_row.
    set_aside : pandas.DataFrame
        The cases set aside: the values as canonical where a cell passed its check and as found
        where not, with set_aside_reason, set_aside_detail, source_file, source_row and
        set_aside_cost (the cost as far as its amounts could be read, yuan).
    rows_in : int
        The rows read.
    layout : {"canonical", "export"}, optional
        The layout of the source (recorded); default ``"canonical"``.
    sources : list of str, optional
        The files read.
    unattributed : pandas.DataFrame, optional
        One row per clean case and field whose attribution is set aside: source_file,
        source_row, case_id, field, value (as found), reason (one of FIELD_REASONS), cost (yuan).
    files : list of dict, optional
        Per source file: its name, encoding, format, whether the alias table was used and the
        columns absent (read as empty).
    keys : pandas.DataFrame, optional
        With ``clean_cases(..., keys=True)``: per row case_id, usable, content (the duplicate
        decision's inputs).
    positions : dict, optional
        ``{"clean", "set_aside", "unattributed"}``: the position among the rows in of each of
        their rows.

    Raises
    ------
    RuntimeError
        If rows_in is not the clean rows plus the rows set aside (a row lost: a bug).

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> from aftersales.segment.schema import CASE_COLUMNS
    >>> blank = dict.fromkeys(CASE_COLUMNS, "")
    >>> raw = pd.DataFrame([{**blank, "case_id": "AS1", "opened_at": "2024/3/5", "case_type": "退货",
    ...                      "logistics_cost": "¥63.13", "handling_cost": "107.65"},
    ...                     {**blank, "case_id": "AS2", "opened_at": "someday", "case_type": "换货"}])
    >>> result = clean_cases(raw)
    >>> result.rows_in, result.rows_clean, result.rows_set_aside, result.reasons
    (2, 1, 1, {'bad_date': 1})
    >>> result.clean["cost"].tolist()
    [170.78]
    >>> with tempfile.TemporaryDirectory() as d:
    ...     written = result.write(d)
    ...     try:
    ...         result.write(d)                      # a second time: no overwrite without force
    ...     except FileExistsError as e:
    ...         print(str(e).replace(d, "out"))
    out/cases_clean.csv exists; use --force (force=True) to overwrite it
    >>> sorted(p.name for p in written.values())
    ['cases_clean.csv', 'cases_set_aside.csv', 'fields_set_aside.csv']
    """

    clean: "pd.DataFrame"
    set_aside: "pd.DataFrame"
    rows_in: int
    layout: str = "canonical"
    sources: list[str] = field(default_factory=list)
    #: one row per case and field whose attribution is set aside (see UNATTRIBUTED_COLUMNS)
    unattributed: "pd.DataFrame | None" = None
    #: per source file: encoding, format, columns absent (read as empty)
    files: list[dict] = field(default_factory=list)
    #: with ``clean_cases(..., keys=True)``: per row case_id, usable, content (duplicate decisions)
    keys: "pd.DataFrame | None" = None
    #: {"clean", "set_aside", "unattributed"}: the position in the rows in of each of their rows
    positions: dict = field(default_factory=dict, repr=False)

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

    @property
    def cost_set_aside(self) -> float:
        """Cost of the set-aside cases as far as their amounts could be read (yuan)."""
        if "set_aside_cost" not in self.set_aside.columns or len(self.set_aside) == 0:
            return 0.0
        return float(self.set_aside["set_aside_cost"].sum())

    def unattributed_summary(self) -> dict:
        """{field: {"cases", "cost", "reasons": {reason: cases}}} of the fields set aside."""
        u = self.unattributed
        if u is None or len(u) == 0:
            return {}
        out = {}
        for f, g in u.groupby("field", sort=True):
            counts = g["reason"].value_counts()
            out[str(f)] = {"cases": int(len(g)), "cost": float(g["cost"].sum()),
                           "reasons": {r: int(counts[r]) for r in FIELD_REASONS if r in counts.index}}
        return out

    def summary(self) -> dict:
        return {"rows_in": self.rows_in, "rows_clean": self.rows_clean,
                "rows_set_aside": self.rows_set_aside, "set_aside_reasons": self.reasons,
                "cost_set_aside": self.cost_set_aside, "unattributed": self.unattributed_summary()}

    def write(self, out_dir: str | os.PathLike, force: bool = False,
              names: tuple[str, ...] = ("cases_clean.csv", "cases_set_aside.csv",
                                        "fields_set_aside.csv")) -> dict[str, Path]:
        """Write the clean rows, the set-aside rows and the fields set aside as CSV (UTF-8 with BOM)
        into out_dir (no overwrite without force)."""
        d = Path(out_dir)
        names = tuple(names) + ("fields_set_aside.csv",) * (3 - len(names))
        paths = {"clean": d / names[0], "set_aside": d / names[1], "fields": d / names[2]}
        for p in paths.values():
            if p.exists() and not force:
                raise FileExistsError(f"{p} exists; use --force (force=True) to overwrite it")
        d.mkdir(parents=True, exist_ok=True)
        write_csv(self.clean[list(CASE_COLUMNS)], paths["clean"], force=True)
        write_csv(self.set_aside, paths["set_aside"], force=True)
        import pandas as pd

        u = self.unattributed if self.unattributed is not None else pd.DataFrame(columns=UNATTRIBUTED_COLUMNS)
        write_csv(u, paths["fields"], force=True)
        return paths



def clean_cases(raw, layout: str = "canonical", aliases: Aliases | None = None,
                sources: Iterable[str] = (), seen_before=None, resolved=None, keys: bool = False) -> CleanResult:
    """Clean case rows given as text (an Arrow table from :func:`read_cases`, or a DataFrame).

    Every row is either clean or set aside with its reason; a field that cannot be used sets
    aside only that field's attribution.

    Parameters
    ----------
    raw : pyarrow.Table or pandas.DataFrame
        The rows as text, with the columns of CASE_COLUMNS (optionally source_file and
        source_row). Amounts may carry ¥, 元 and thousands separators; an empty cell or ``-`` is 0
        yuan. Labels are mapped through the alias table.
    layout : {"canonical", "export"}, optional
        Recorded in the result (every layout is parsed with the same rules); default
        ``"canonical"``.
    aliases : Aliases, optional
        The alias table (the shipped one when None).
    sources : iterable of str, optional
        The file names, recorded in the result.
    seen_before : numpy.ndarray of bool, optional
        One per row: True where the row's case_id appeared in an earlier batch of the same
        file; such rows are duplicates too.
    resolved : numpy.ndarray of int, optional
        One per row, the duplicate status decided elsewhere (the streaming engine decides over
        all files): 0 keep, 1 exact and 2 conflicting duplicate (see
        :mod:`~aftersales.segment.duplicates`); the table's own duplicates are then not searched.
    keys : bool, optional
        Also give ``result.keys``: per row its case_id, whether it is usable (passes the case
        checks but the duplicate one) and its content key. Default False.

    Returns
    -------
    CleanResult
        Case-level checks, in order (a row is set aside for the first that fails, with a detail
        naming the column and value): missing_id (case_id empty), duplicate_case_id (of the rows
        sharing a case_id all but one), bad_date, non_numeric_money and negative_money
        (logistics_cost, handling_cost, discount_loss, service_revenue: the amounts of the cost
        and the net). Field-level checks (the case stays, see :attr:`CleanResult.unattributed`):
        missing_id (order_id, customer_id), unknown_label (channel, category, case_type, reason
        empty or not known: the label becomes ``unknown``), non_numeric_money / negative_money
        (item_price, refund_amount: NaN), satisfaction_out_of_range (not a whole number 1-5: NA),
        bad_resolution_days (not a number >= 0: NaN). Clean rows get typed columns plus cost and
        net (yuan).

    Raises
    ------
    ValueError
        If ``layout`` is neither ``"canonical"`` nor ``"export"``.

    Notes
    -----
    cost = logistics_cost + handling_cost + discount_loss; net = service_revenue - cost (yuan).

    Of the rows sharing a case_id one is kept: the first of exact duplicates, else the first by
    content, usable rows first, so the choice does not depend on the row order (see
    :mod:`~aftersales.segment.duplicates`). Without source_file and source_row columns, rows are
    numbered by their position from 1 and the file name is empty.

    References
    ----------
    .. [1] "售后分析精细化分层" (the second seed article): the case records of every system
       collected and cleaned before they are layered.

    Examples
    --------
    A case, the same case again, a case without its reason and satisfaction 9, and one with no
    date (labels as a platform exports them; no category is given, so it is ``unknown``):

    >>> import pandas as pd
    >>> from aftersales.segment.schema import CASE_COLUMNS
    >>> cols = ("case_id", "opened_at", "channel", "case_type", "reason", "logistics_cost",
    ...         "handling_cost", "satisfaction")
    >>> rows = [("AS1", "2024/3/5", "天猫", "退货", "尺码不合适", "¥63.13", "107.65", "5"),
    ...         ("AS1", "2024/3/5", "天猫", "退货", "尺码不合适", "¥63.13", "107.65", "5"),
    ...         ("AS2", "2024-03-06", "京东", "换货", "", "20", "-", "9"),
    ...         ("AS3", "someday", "京东", "换货", "色差", "20", "30", "")]
    >>> raw = pd.DataFrame([{**dict.fromkeys(CASE_COLUMNS, ""), **dict(zip(cols, r))} for r in rows])
    >>> result = clean_cases(raw)
    >>> result.clean[["case_id", "channel", "case_type", "reason", "cost"]].values.tolist()
    [['AS1', 'tmall', 'return', 'size_fit', 170.78], ['AS2', 'jd', 'exchange', 'unknown', 20.0]]
    >>> result.set_aside[["case_id", "set_aside_reason"]].values.tolist()
    [['AS1', 'duplicate_case_id'], ['AS3', 'bad_date']]
    >>> result.set_aside["set_aside_detail"].tolist()[1]
    "opened_at 'someday' is not a date (YYYY-MM-DD)"
    >>> sorted(result.unattributed_summary())          # fields whose attribution is set aside
    ['category', 'customer_id', 'order_id', 'reason', 'satisfaction']
    >>> result.unattributed.query("field == 'satisfaction'")[["case_id", "value", "reason"]].values.tolist()
    [['AS2', '9', 'satisfaction_out_of_range']]
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    if layout not in ("canonical", "export"):
        raise ValueError(f"layout must be 'canonical' or 'export', got {layout!r}")
    aliases = aliases or load_aliases()
    table = as_table(raw)
    del raw                      # a caller that handed its only reference over frees the text column by column
    n = table.num_rows
    code = np.zeros(n, dtype=np.int8)          # 0 = clean, k = SET_ASIDE_REASONS[k-1]
    which = np.full(n, -1, dtype=np.int16)     # index into CASE_COLUMNS of the failing column
    col_index = {c: i for i, c in enumerate(CASE_COLUMNS)}
    fields: list[tuple[str, str, np.ndarray]] = []    # (column, reason, mask) of field-level failures

    def flag(mask, reason: str, col: str) -> None:
        new = np.asarray(mask, dtype=bool) & (code == 0)
        code[new] = SET_ASIDE_REASONS.index(reason) + 1
        which[new] = col_index[col]

    def field_flag(mask, reason: str, col: str) -> None:
        mask = np.asarray(mask, dtype=bool)
        if mask.any():
            fields.append((col, reason, mask))

    pool = pa.default_memory_pool()
    raw_kept: dict[str, tuple] = {}   # per column: (rows, text) of the cells that failed their check

    def take(c: str):
        """The trimmed text of column c; the table lets go of it (memory for a million rows)."""
        nonlocal table
        t = text_column(table[c])
        table = table.drop_columns([c])
        pool.release_unused()          # mimalloc keeps freed pages otherwise
        return t

    def keep_raw(c: str, failed, t) -> None:
        failed = np.asarray(failed, dtype=bool)
        if failed.any():
            raw_kept[c] = (np.flatnonzero(failed), as_numpy(pc.filter(t, pa.array(failed))).astype(object))

    source = ({c: table[c] for c in ("source_file", "source_row")} if "source_file" in table.column_names
              else None)
    ids = {c: take(c) for c in ID_COLUMNS}
    # 1 ids: a case needs its own id; an empty order or customer id sets aside that join only
    flag(as_numpy(pc.equal(ids["case_id"], ""), bool), "missing_id", "case_id")
    for c in ("order_id", "customer_id"):
        empty = as_numpy(pc.equal(ids[c], ""), bool)
        field_flag(empty, "missing_id", c)
        keep_raw(c, empty, ids[c])
    # 2 duplicates: decided below, once the content of every row is parsed (whatever the row order)
    # 3 dates
    t = take("opened_at")
    opened = parse_dates(t)
    flag(np.isnat(opened), "bad_date", "opened_at")
    keep_raw("opened_at", np.isnat(opened), t)
    # 4-5 money: empty or "-" is 0; an unreadable amount of the cost sets the case aside
    money, numeric = {}, {}
    for c in MONEY_COLUMNS:
        t = take(c)
        money[c], numeric[c] = parse_numbers(t)
        empty = as_numpy(pc.equal(empty_placeholders(t), ""), bool)
        money[c][empty] = 0.0
        numeric[c] = numeric[c] | empty
        with np.errstate(invalid="ignore"):
            bad_c = ~numeric[c] | (money[c] < 0)
        keep_raw(c, bad_c, t)
        if c in COST_COLUMNS:
            flag(~numeric[c], "non_numeric_money", c)
    for c in COST_COLUMNS:
        flag(numeric[c] & (money[c] < 0), "negative_money", c)
    for c in MONEY_COLUMNS:
        if c in COST_COLUMNS:
            continue
        with np.errstate(invalid="ignore"):
            neg = numeric[c] & (money[c] < 0)
        field_flag(~numeric[c], "non_numeric_money", c)
        field_flag(neg, "negative_money", c)
        money[c] = np.where(~numeric[c] | neg, np.nan, money[c])
    # 6 labels: empty or unknown is the layer "unknown" of that dimension
    labels = {}
    for c in LABEL_COLUMNS:
        t = take(c)
        lab, known = map_labels(t, aliases.lookup(c), CLOSED_FIELDS.get(c))
        keep_raw(c, ~known, t)
        field_flag(~known, "unknown_label", c)
        cats = [x for x in lab.categories if x != UNKNOWN] + [UNKNOWN]
        codes = np.where(known, lab.codes, len(cats) - 1)
        labels[c] = pd.Categorical.from_codes(codes, categories=cats)
    # 7-8 optional numbers: a bad one is NA
    t = take("satisfaction")
    sat_v, sat_num = parse_numbers(t, False)
    sat_empty = as_numpy(pc.equal(empty_placeholders(t), ""), bool)
    with np.errstate(invalid="ignore"):
        sat_ok = sat_empty | (sat_num & (sat_v >= 1) & (sat_v <= 5) & (np.mod(sat_v, 1) == 0))
    keep_raw("satisfaction", ~sat_ok, t)
    field_flag(~sat_ok, "satisfaction_out_of_range", "satisfaction")
    sat_empty |= ~sat_ok
    t = take("resolution_days")
    days_v, days_num = parse_numbers(t, False)
    days_empty = as_numpy(pc.equal(empty_placeholders(t), ""), bool)
    with np.errstate(invalid="ignore"):
        days_ok = days_empty | (days_num & (days_v >= 0))
    keep_raw("resolution_days", ~days_ok, t)
    field_flag(~days_ok, "bad_resolution_days", "resolution_days")
    days_empty |= ~days_ok
    del t, table
    # 2 duplicates (a check before the date's): of the rows sharing a case_id one is kept, chosen by
    # content (see aftersales.segment.duplicates), every other is set aside
    cid = ids["case_id"]
    nonempty = ~as_numpy(pc.equal(cid, ""), bool)
    state = (ids, opened, money, labels, sat_v, days_v, raw_kept)
    usable = code == 0
    key_frame = None
    if keys:
        everything = np.arange(n, dtype=np.int64)
        key_frame = pd.DataFrame({"case_id": as_numpy(cid).astype(object), "usable": usable,
                                  "content": content_keys(everything, *state)})
    if resolved is not None:
        status = np.asarray(resolved, dtype=np.int8).copy()
    else:
        enc = pc.dictionary_encode(cid.combine_chunks() if hasattr(cid, "combine_chunks") else cid)
        idx = as_numpy(enc.indices, np.int64) if n else np.zeros(0, np.int64)
        rows = group_rows(idx, nonempty)
        status = resolve(idx, rows, usable[rows], content_keys(rows, *state), n)
        del enc, idx, rows
    del state
    if seen_before is not None:   # streaming (version 0.3): ids seen in earlier batches
        status[np.asarray(seen_before, dtype=bool) & (status == KEEP)] = EXACT
    dup_code = SET_ASIDE_REASONS.index("duplicate_case_id") + 1
    new = (status != KEEP) & nonempty & ((code == 0) | (code > dup_code))
    code[new] = dup_code
    which[new] = col_index["case_id"]

    good = code == 0
    bad = ~good
    bad_rows = np.flatnonzero(bad)
    cost_all = np.zeros(n)
    for c in ("logistics_cost", "handling_cost", "discount_loss"):
        cost_all += np.nan_to_num(np.where(numeric[c] & (money[c] >= 0), money[c], 0.0))
    if source is not None:
        src_file = as_numpy(source["source_file"]).astype(object)
        src_row = as_numpy(pc.cast(source["source_row"], pa.int64()), np.int64)
    else:
        src_file = np.full(n, "", dtype=object)
        src_row = np.arange(1, n + 1, dtype=np.int64)     # positions, 1-based (no file)
    del source

    # ---- the fields set aside of the clean cases: file, row, case, field, value as found, cost
    parts = []
    for c, reason, mask in fields:
        rows = np.flatnonzero(mask & good)
        if not len(rows):
            continue
        if c in raw_kept:
            kr, kt = raw_kept[c]
            pos = np.searchsorted(kr, rows)
            value = kt[np.minimum(pos, len(kr) - 1)]
        else:  # pragma: no cover - every field check keeps its text
            value = np.full(len(rows), "", dtype=object)
        parts.append(pd.DataFrame({
            "source_file": src_file[rows], "source_row": src_row[rows],
            "case_id": as_numpy(pc.take(ids["case_id"], pa.array(rows))).astype(object),
            "field": c, "value": value, "reason": reason, "cost": cost_all[rows], "_pos": rows}))
    unattributed = (pd.concat(parts, ignore_index=True) if parts
                    else pd.DataFrame({c: pd.Series(dtype=float if c == "cost" else object)
                                       for c in UNATTRIBUTED_COLUMNS + ("_pos",)}))
    unattributed = unattributed.sort_values(["source_file", "source_row", "field"], kind="stable",
                                            ignore_index=True)
    positions = {"clean": np.flatnonzero(good), "set_aside": bad_rows,
                 "unattributed": unattributed.pop("_pos").to_numpy().astype(np.int64)}

    # ---- set-aside frame: canonical values where a cell passed its check, the text as found where not
    bmask = pa.array(bad)
    sa: dict = {c: pd.Series(as_numpy(pc.filter(ids[c], bmask)), dtype=object) for c in ID_COLUMNS}
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
    for c, (rows, text) in (raw_kept.items() if len(bad_rows) else ()):   # the text as found where it failed
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
    conflict = (status[bad] == CONFLICT) & (code[bad] == dup_code)
    if conflict.any():
        set_aside.loc[conflict, "set_aside_detail"] = ("case_id '" + set_aside.loc[conflict, "case_id"].astype(str)
                                                       + "' appears in other rows with different content; "
                                                       "the first by content is kept")
    set_aside["source_file"] = pd.Series(src_file[bad], dtype=object)
    set_aside["source_row"] = src_row[bad]
    set_aside["set_aside_cost"] = cost_all[bad]
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
        if c in ("channel", "category"):
            lab = lab.remove_unused_categories()
        front[c] = lab
    del ids, labels
    for i, (c, v) in enumerate(front.items()):
        clean.insert(i, c, v)
    clean["source_file"] = pd.Categorical(src_file[good])      # where each case came from (drill-down)
    clean["source_row"] = src_row[good]
    sat = (pd.array(np.where(sat_empty, np.nan, sat_v)[good], dtype="Float64").astype("Int8")
           if n_good else pd.array([], dtype="Int8"))
    clean.insert(clean.columns.get_loc("resolution_days"), "satisfaction", sat)
    out = CleanResult(clean, set_aside, n, layout, list(sources), unattributed)
    out.keys = key_frame
    out.positions = positions
    return out


def clean_chunk(raw, source_file: str, first_row: int, aliases: Aliases | None = None,
                layout: str = "export") -> CleanResult:
    """Clean one chunk of raw case rows of a file, numbering rows as in the file.

    For streaming a file larger than memory chunk by chunk: each chunk is cleaned by the same
    rules as :func:`clean_cases`, and its set-aside and unattributed rows carry the file name and
    their source row.

    Parameters
    ----------
    raw : pyarrow.Table or pandas.DataFrame
        Text with the columns of CASE_COLUMNS (as from
        :func:`~aftersales.segment.readers.read_cases` or a CSV reader with canonical names);
        source_file and source_row columns, if any, are replaced.
    source_file : str
        The file's name, recorded in the reports.
    first_row : int
        The source row number of the chunk's first row: the header is row 1 of the file, so a
        file's first chunk has ``first_row=2`` and a chunk that starts after k data rows has
        ``first_row=k + 2``.
    aliases : Aliases, optional
        The alias table (the shipped one when None; load it once for all chunks).
    layout : {"export", "canonical"}, optional
        Recorded in the result; default ``"export"``.

    Returns
    -------
    CleanResult
        Duplicates are detected within the chunk only: a caller streaming several chunks must
        catch case_ids repeated across chunks itself (``clean_cases(..., seen_before=...)``).

    Examples
    --------
    The second chunk of a file, after 100 data rows (so it starts on row 102):

    >>> import pandas as pd
    >>> from aftersales.segment.schema import CASE_COLUMNS
    >>> blank = dict.fromkeys(CASE_COLUMNS, "")
    >>> chunk = pd.DataFrame([{**blank, "case_id": "AS101", "opened_at": "2024-03-05", "case_type": "return"},
    ...                       {**blank, "case_id": "AS102", "opened_at": "2024-13-45", "case_type": "return"}])
    >>> result = clean_chunk(chunk, "cases.csv", first_row=102)
    >>> result.set_aside[["case_id", "source_file", "source_row"]].values.tolist()
    [['AS102', 'cases.csv', 103]]
    """
    import numpy as np
    import pyarrow as pa

    table = as_table(raw)
    del raw
    if "source_file" in table.column_names:
        table = table.drop_columns(["source_file", "source_row"])
    n = table.num_rows
    table = table.append_column("source_file", pa.array([str(source_file)] * n, pa.string()))
    table = table.append_column("source_row", pa.array(np.arange(first_row, first_row + n, dtype=np.int64)))
    return clean_cases(table, layout, aliases, [str(source_file)])

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
               aliases: Aliases | None = None, encoding: str | None = None) -> CleanResult:
    """Read one or more case files and clean them.

    Parameters
    ----------
    paths : str or os.PathLike or sequence of them
        The case files: CSV in any encoding or .xlsx; canonical, export (headers and labels
        through the alias table), or set-aside files fixed by hand (their extra columns are
        ignored). Taken in the order given, so a case_id seen in an earlier file makes a later one
        a duplicate.
    aliases : Aliases, optional
        The alias table (the shipped one when None).
    encoding : str, optional
        The text encoding of the CSV files; detected when None (a byte-order mark, else valid
        UTF-8, else GB18030).

    Returns
    -------
    CleanResult
        As :func:`clean_cases`; each row records its source file name and row (the header is row
        1); ``layout`` is ``"export"`` when any file needed the alias table, and ``files`` gives
        per file its encoding, format and the optional columns absent.

    Raises
    ------
    ValueError
        If no file is given, or a file lacks a required column (the message names the file).
    FileNotFoundError
        If a file does not exist.

    Notes
    -----
    As :func:`~aftersales.segment.orders.read_orders` (and ``segment`` for every source), a path
    that does not exist as given is looked up in the project's ``data`` folder
    (:func:`~aftersales.segment.schema.data_path`), so ``load_cases("cases_sample.csv")`` reads
    the shipped sample; a file of that name in the working folder always wins.

    Examples
    --------
    The shipped sample of a platform export (Chinese headers and labels, ¥ amounts):

    >>> from aftersales.model.scenario import DATA_DIR
    >>> result = load_cases(DATA_DIR / "cases_export_sample.csv")
    >>> result.rows_in, result.rows_set_aside, result.layout
    (300, 0, 'export')
    >>> result.files[0]["encoding"], result.files[0]["alias_used"]
    ('utf-8-sig', True)
    >>> int(result.clean["source_row"].min())          # the header is row 1
    2
    """
    import numpy as np
    import pyarrow as pa

    from aftersales.segment.readers import read_source
    from aftersales.segment.schema import OPTIONAL_COLUMNS, data_path

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = list(paths)
    if not paths:
        raise ValueError("no case file given")
    aliases = aliases or load_aliases()
    paths = [data_path(p) for p in paths]
    parts, layouts, infos = [], [], []
    for p in paths:
        table, info = read_source(p, CASE_COLUMNS, [c for c in CASE_COLUMNS if c not in OPTIONAL_COLUMNS],
                                  aliases, encoding, what="case file")
        table = table.append_column("source_file", pa.array([Path(p).name] * table.num_rows, pa.string()))
        table = table.append_column("source_row", pa.array(np.arange(2, table.num_rows + 2)))
        parts.append(table)
        layouts.append("export" if info["alias_used"] else "canonical")
        infos.append(info)
    del table
    layout = "export" if "export" in layouts else "canonical"
    res = clean_cases(parts.pop() if len(parts) == 1 else pa.concat_tables(parts), layout, aliases,
                      [str(p) for p in paths])
    res.files = infos
    return res
