"""The streaming engine's cleaning: case files in chunks into Parquet, duplicates decided over all files.

1. **Ids.** A first pass reads only the case_id column, chunk by chunk, and writes the trimmed ids
   with their position over all files (``row_seq``) to ``case_ids.parquet``. DuckDB lists the rows
   whose case_id occurs more than once (:func:`aftersales.segment.sql.group_rows_sql`; its group-by
   spills to disk past the memory limit).
2. **Cleaning.** A second pass cleans each chunk with the in-memory rules
   (:func:`aftersales.segment.cleaning.clean_cases`). Rows of no group go straight to
   ``clean.parquet`` / ``set_aside.parquet`` / ``unattributed.parquet``; the rows of groups (few)
   are kept as text in ``pending.parquet`` with their content keys.
3. **Duplicates.** DuckDB decides each group over all files by the in-memory rule
   (:mod:`aftersales.segment.duplicates`: the first of exact duplicates, else the first by content)
   and the pending rows are cleaned with that decision.

Memory: one chunk of rows in the cleaner, DuckDB's memory limit and the interpreter.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from aftersales.segment.chunks import NotInEncoding, Plan, plan_source, read_chunks
from aftersales.segment.schema import (CASE_COLUMNS, SET_ASIDE_COLUMNS, SET_ASIDE_REASONS, UNATTRIBUTED_COLUMNS,
                                       data_path)

__all__ = ["DEFAULT_CHUNK_ROWS", "DEFAULT_MEMORY_LIMIT", "StreamResult", "clean_to_parquet", "frugal_allocator",
           "clean_schema", "set_aside_schema", "unattributed_schema", "FrugalMemory", "trim_heap", "frame_arrow"]

#: Rows cleaned at a time.
DEFAULT_CHUNK_ROWS = 500_000
#: DuckDB's memory limit (it spills to the work folder past it).
DEFAULT_MEMORY_LIMIT = "512MB"


def clean_schema():
    """The columns of ``clean.parquet``: the clean frame's, labels as text, opened_at a day, row_seq.

    Returns
    -------
    pyarrow.Schema
        :data:`~aftersales.segment.schema.CASE_COLUMNS` (labels and ids as text, money as
        double in yuan, satisfaction int8, opened_at date32), then cost, net, source_file,
        source_row and row_seq (the row's position over all input files, 0 first).

    Examples
    --------
    >>> schema = clean_schema()
    >>> len(schema), schema.names[-5:], str(schema.field("opened_at").type)
    (21, ['cost', 'net', 'source_file', 'source_row', 'row_seq'], 'date32[day]')
    """
    import pyarrow as pa

    s, d = pa.string(), pa.float64()
    types = {"case_id": s, "order_id": s, "customer_id": s, "opened_at": pa.date32(), "channel": s, "category": s,
             "case_type": s, "reason": s, "item_price": d, "refund_amount": d, "logistics_cost": d,
             "handling_cost": d, "discount_loss": d, "service_revenue": d, "satisfaction": pa.int8(),
             "resolution_days": d, "cost": d, "net": d, "source_file": s, "source_row": pa.int64(),
             "row_seq": pa.int64()}
    return pa.schema(list(types.items()))


def set_aside_schema():
    """The columns of ``set_aside.parquet``: the case columns as found (text) and the set-aside ones.

    Returns
    -------
    pyarrow.Schema
        :data:`~aftersales.segment.schema.CASE_COLUMNS` as text, set_aside_reason,
        set_aside_detail, source_file (text), source_row (int64), set_aside_cost (yuan, double)
        and row_seq.

    Examples
    --------
    >>> set_aside_schema().names[-6:]
    ['set_aside_reason', 'set_aside_detail', 'source_file', 'source_row', 'set_aside_cost', 'row_seq']
    """
    import pyarrow as pa

    cols = [(c, pa.string()) for c in tuple(CASE_COLUMNS) + SET_ASIDE_COLUMNS[:3]]
    return pa.schema(cols + [("source_row", pa.int64()), ("set_aside_cost", pa.float64()), ("row_seq", pa.int64())])


def unattributed_schema():
    """The columns of ``unattributed.parquet``: one row per case and field set aside.

    Returns
    -------
    pyarrow.Schema
        :data:`~aftersales.segment.schema.UNATTRIBUTED_COLUMNS` (source_row int64, cost in yuan
        double, the others text), then row_seq.

    Examples
    --------
    >>> unattributed_schema().names
    ['source_file', 'source_row', 'case_id', 'field', 'value', 'reason', 'cost', 'row_seq']
    """
    import pyarrow as pa

    types = {c: pa.string() for c in UNATTRIBUTED_COLUMNS}
    types.update(source_row=pa.int64(), cost=pa.float64())
    return pa.schema(list(types.items()) + [("row_seq", pa.int64())])


def frame_arrow(frame, schema, row_seq):
    """A frame of the cleaner as an Arrow table of the schema (the conversions of ``write_csv``).

    Parameters
    ----------
    frame : pandas.DataFrame
        Rows of the cleaner (clean, set aside or unattributed) with every column of ``schema``
        but row_seq.
    schema : pyarrow.Schema
        :func:`clean_schema`, :func:`set_aside_schema` or :func:`unattributed_schema`.
    row_seq : array-like of int
        Each row's position over all input files.

    Returns
    -------
    pyarrow.Table
        The columns of ``schema``, in its order and types (dates as days, categoricals as text;
        see :func:`~aftersales.segment.writers.arrow_for_csv`).

    Examples
    --------
    >>> import pandas as pd
    >>> from aftersales.segment.cleaning import clean_cases
    >>> from aftersales.segment.schema import CASE_COLUMNS
    >>> raw = pd.DataFrame({"case_id": ["A1", "A2"], "opened_at": ["2024-03-05", "2024/3/9"],
    ...                     "case_type": ["return", "repair"], "handling_cost": ["40", "60"]})
    >>> clean = clean_cases(raw.reindex(columns=CASE_COLUMNS, fill_value="")).clean
    >>> table = frame_arrow(clean.assign(source_file="cases.csv", source_row=[2, 3]), clean_schema(), [0, 1])
    >>> table.schema == clean_schema(), [str(d) for d in table.column("opened_at").to_pylist()]
    (True, ['2024-03-05', '2024-03-09'])
    """
    import pyarrow as pa

    from aftersales.segment.writers import arrow_for_csv

    t = arrow_for_csv(frame[[f.name for f in schema if f.name != "row_seq"]])
    t = t.append_column("row_seq", pa.array(row_seq, pa.int64()))
    return pa.Table.from_arrays([t[f.name].cast(f.type) for f in schema], schema=schema)


@dataclass
class StreamResult:
    """Outcome of streaming cleaning: counts, and the Parquet files the rows went to.

    Parameters
    ----------
    rows_in, rows_clean, rows_set_aside : int
        Rows read, clean and set aside (rows_in = rows_clean + rows_set_aside, checked).
    reasons : dict of str to int
        Set-aside reason -> rows.
    clean_path, set_aside_path : pathlib.Path
        ``clean.parquet`` (:func:`clean_schema`) and ``set_aside.parquet``
        (:func:`set_aside_schema`).
    sources : list of str, optional
        The case files, in order.
    unattributed_path : pathlib.Path, optional
        ``unattributed.parquet`` (:func:`unattributed_schema`).
    files : list of dict, optional
        Per source file: encoding, format, alias_used, absent (as the in-memory engine's
        ``files``).

    Raises
    ------
    RuntimeError
        If the counts do not add up (an invariant: rows are never lost).

    Examples
    --------
    >>> from pathlib import Path
    >>> r = StreamResult(3, 2, 1, {"bad_date": 1}, Path("clean.parquet"), Path("set_aside.parquet"))
    >>> r.summary()
    {'rows_in': 3, 'rows_clean': 2, 'rows_set_aside': 1, 'set_aside_reasons': {'bad_date': 1}}
    """

    rows_in: int
    rows_clean: int
    rows_set_aside: int
    reasons: dict[str, int]
    clean_path: Path
    set_aside_path: Path
    sources: list[str] = field(default_factory=list)
    unattributed_path: Path | None = None
    #: per source file: encoding, format, alias_used, absent (as the in-memory engine's ``files``)
    files: list[dict] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.rows_in != self.rows_clean + self.rows_set_aside:  # pragma: no cover - invariant
            raise RuntimeError(f"rows lost in cleaning: {self.rows_in} in, {self.rows_clean} clean, "
                               f"{self.rows_set_aside} set aside")

    def summary(self) -> dict:
        """The counts as in :meth:`aftersales.segment.cleaning.CleanResult.summary` (without the sums)."""
        return {"rows_in": self.rows_in, "rows_clean": self.rows_clean,
                "rows_set_aside": self.rows_set_aside,
                "set_aside_reasons": {r: self.reasons[r] for r in SET_ASIDE_REASONS if self.reasons.get(r)}}


class _Sorted:
    """Values of a Parquet column sorted by row_seq, handed out range by range (a batch in memory)."""

    def __init__(self, path: Path, column: str = "row_seq"):
        import pyarrow.parquet as pq

        self._it = pq.ParquetFile(path).iter_batches(batch_size=1 << 20, columns=[column])
        self._buf = None
        self._done = False

    def _fill(self, until) -> None:
        import numpy as np

        buf = np.zeros(0, np.int64) if self._buf is None else self._buf
        while not self._done and until(buf):
            try:
                batch = next(self._it)
            except StopIteration:
                self._done = True
                break
            buf = np.concatenate([buf, batch.column(0).to_numpy(zero_copy_only=False).astype(np.int64)])
        self._buf = buf

    def mask(self, start: int, n: int):
        """A boolean mask over rows start .. start + n - 1: True where the row is listed."""
        import numpy as np

        end = start + n
        self._fill(lambda b: len(b) == 0 or b[-1] < end)
        buf = self._buf
        inside = buf[(buf >= start) & (buf < end)]
        self._buf = buf[buf >= end]
        out = np.zeros(n, dtype=bool)
        out[inside - start] = True
        return out

    def take(self, n: int):
        """The next n values."""
        self._fill(lambda b: len(b) < n)
        out, self._buf = self._buf[:n], self._buf[n:]
        return out


class _Sinks:
    """The Parquet files the cleaned rows go to, and the counts."""

    def __init__(self, work: Path):
        import pyarrow.parquet as pq

        self.paths = {"clean": work / "clean.parquet", "set_aside": work / "set_aside.parquet",
                      "unattributed": work / "unattributed.parquet"}
        self.schemas = {"clean": clean_schema(), "set_aside": set_aside_schema(),
                        "unattributed": unattributed_schema()}
        self.writers = {k: pq.ParquetWriter(p, self.schemas[k], compression="snappy") for k, p in self.paths.items()}
        self.rows_in = self.rows_clean = self.rows_sa = 0
        self.reasons: dict[str, int] = {}

    def add(self, res, seq) -> None:
        """A CleanResult of rows at positions seq (an array, one per row in)."""
        import numpy as np
        import pyarrow as pa

        seq = np.asarray(seq, dtype=np.int64)
        for key, frame in (("clean", res.clean), ("set_aside", res.set_aside), ("unattributed", res.unattributed)):
            if frame is None or not len(frame):
                continue
            self.writers[key].write_table(frame_arrow(frame, self.schemas[key], seq[res.positions[key]]))
        self.rows_in += res.rows_in
        self.rows_clean += res.rows_clean
        self.rows_sa += res.rows_set_aside
        for r, k in res.reasons.items():
            self.reasons[r] = self.reasons.get(r, 0) + k
        pa.default_memory_pool().release_unused()

    def close(self) -> None:
        for w in self.writers.values():
            w.close()


def clean_to_parquet(paths, work_dir: str | os.PathLike, chunk_rows: int = DEFAULT_CHUNK_ROWS,
                     aliases=None, memory_limit: str = DEFAULT_MEMORY_LIMIT, threads: int | None = None,
                     encoding: str | None = None) -> StreamResult:
    r"""Clean case file(s) chunk by chunk into ``clean.parquet``, ``set_aside.parquet`` and
    ``unattributed.parquet`` in work_dir.

    Parameters
    ----------
    paths : path or sequence of paths
        Case files (CSV in any encoding, or .xlsx; canonical or export layout), taken in order.
    work_dir : path
        Folder for the Parquet files and DuckDB's spill files (created if needed).
    chunk_rows : int
        Rows cleaned at a time; memory grows with it, the results do not change.
    aliases : Aliases, optional
        The alias table (the shipped one when None).
    memory_limit : str
        DuckDB's memory limit for the duplicate search.
    threads : int, optional
        DuckDB's worker threads.
    encoding : str, optional
        The text encoding of the CSV files (detected when None, as in memory).

    Returns
    -------
    StreamResult
        Counts, the Parquet paths and the ``files`` entries; rows in = clean + set aside.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = tempfile.TemporaryDirectory()
    >>> from aftersales.segment.pipeline import write_example_files
    >>> cases_csv, orders_csv = write_example_files(folder.name)
    >>> import pyarrow.parquet as pq
    >>> r = clean_to_parquet(cases_csv, Path(folder.name) / "work", chunk_rows=2,
    ...                      memory_limit="256MB", threads=1)
    >>> r.summary()
    {'rows_in': 5, 'rows_clean': 3, 'rows_set_aside': 2, 'set_aside_reasons': {'duplicate_case_id': 1, 'negative_money': 1}}
    >>> pq.read_table(r.clean_path, columns=["case_id", "cost"]).sort_by("case_id").to_pylist()
    [{'case_id': 'A1', 'cost': 60.0}, {'case_id': 'A2', 'cost': 70.0}, {'case_id': 'A3', 'cost': 160.0}]
    >>> pq.read_table(r.set_aside_path, columns=["case_id", "set_aside_reason", "source_row", "row_seq"]
    ...               ).sort_by("row_seq").select([0, 1, 2]).to_pylist()
    [{'case_id': 'A3', 'set_aside_reason': 'duplicate_case_id', 'source_row': 5}, {'case_id': 'A4', 'set_aside_reason': 'negative_money', 'source_row': 6}]
    >>> folder.cleanup()
    """
    from aftersales.segment.aliases import load_aliases

    if isinstance(paths, (str, os.PathLike)):
        paths = [paths]
    paths = [data_path(p) for p in paths]
    if not paths:
        raise ValueError("no case file given")
    if isinstance(chunk_rows, bool) or not isinstance(chunk_rows, int) or chunk_rows < 1:
        raise ValueError(f"chunk_rows must be a whole number >= 1, got {chunk_rows!r}")
    aliases = aliases or load_aliases()
    work = Path(work_dir)
    work.mkdir(parents=True, exist_ok=True)
    plans = [plan_source(p, aliases, encoding) for p in paths]
    while True:
        try:
            with FrugalMemory():
                return _clean_to_parquet(plans, work, chunk_rows, aliases, memory_limit, threads)
        except NotInEncoding as exc:
            # as in memory: a file detected as UTF-8 whose later text is not is read as GB18030
            plan = next((q for q in plans if str(q.path) in str(exc)), None)
            if plan is None or plan.given or plan.encoding != "utf-8-sig":
                raise
            plan.encoding = plan.info["encoding"] = "gb18030"


def _chunks_with_rows(plan: Plan, columns, chunk_rows):
    """Chunks with source_file and source_row (the header is row 1)."""
    import numpy as np
    import pyarrow as pa

    offset = 0
    for t in read_chunks(plan, columns, chunk_rows):
        n = t.num_rows
        t = t.append_column("source_file", pa.array([plan.path.name] * n, pa.string()))
        t = t.append_column("source_row", pa.array(np.arange(offset + 2, offset + n + 2, dtype=np.int64)))
        yield t
        offset += n


def _clean(table, aliases, **kw):
    from aftersales.segment.cleaning import clean_cases

    return clean_cases(table, "export", aliases, **kw)


def _clean_to_parquet(plans, work: Path, chunk_rows: int, aliases, memory_limit: str,
                      threads: int | None) -> StreamResult:
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    from aftersales.segment import sql
    from aftersales.segment.parsing import text_column

    # pass 1: ids, then the rows of every repeated id over all files
    ids_path, grp_path = work / "case_ids.parquet", work / "groups.parquet"
    id_schema = pa.schema([("case_id", pa.string()), ("row_seq", pa.int64())])
    counts, seq = [], 0
    with pq.ParquetWriter(ids_path, id_schema, compression="snappy") as w:
        for plan in plans:
            start = seq
            for t in read_chunks(plan, ["case_id"], chunk_rows):
                w.write_table(pa.table({"case_id": text_column(t["case_id"]),
                                        "row_seq": pa.array(np.arange(seq, seq + t.num_rows))}, schema=id_schema))
                seq += t.num_rows
            counts.append(seq - start)
    trim_heap()
    con = sql.connect(memory_limit, work / "duckdb_tmp", threads)
    try:
        sql.register_parquet(con, "case_ids", ids_path)
        con.execute(f"COPY ({sql.group_rows_sql('case_ids')}) TO {sql.quote_path(grp_path)} (FORMAT parquet)")
    finally:
        con.close()
    ids_path.unlink()
    trim_heap()
    # pass 2: clean the rows of no group; keep the others as text, with their content keys
    groups = _Sorted(grp_path)
    sinks = _Sinks(work)
    pend_path, keys_path = work / "pending.parquet", work / "keys.parquet"
    pend_w = keys_w = None
    keys_schema = pa.schema([("case_id", pa.string()), ("row_seq", pa.int64()), ("usable", pa.bool_()),
                             ("content", pa.string())])
    seq = 0
    try:
        for plan, n_file in zip(plans, counts):
            done = 0
            for t in _chunks_with_rows(plan, list(CASE_COLUMNS), chunk_rows):
                n = t.num_rows
                m = groups.mask(seq, n)
                positions = np.arange(seq, seq + n, dtype=np.int64)
                if m.any():
                    mt = t.filter(pa.array(m))
                    mt = mt.append_column("row_seq", pa.array(positions[m]))
                    if pend_w is None:
                        pend_w = pq.ParquetWriter(pend_path, mt.schema, compression="snappy")
                        keys_w = pq.ParquetWriter(keys_path, keys_schema, compression="snappy")
                    pend_w.write_table(mt)
                    kr = _clean(mt.drop_columns(["row_seq"]), aliases, resolved=np.zeros(len(positions[m]), np.int8),
                                keys=True)
                    keys_w.write_table(pa.table({"case_id": pa.array(kr.keys["case_id"].to_numpy(), pa.string()),
                                                 "row_seq": pa.array(positions[m]),
                                                 "usable": pa.array(kr.keys["usable"].to_numpy()),
                                                 "content": pa.array(kr.keys["content"].to_numpy(), pa.string())},
                                                schema=keys_schema))
                    del mt, kr
                    t = t.filter(pa.array(~m))
                if t.num_rows:
                    res = _clean(t, aliases, resolved=np.zeros(t.num_rows, np.int8))
                    del t
                    sinks.add(res, positions[~m])
                    del res
                done += n
                seq += n
            if done != n_file:  # pragma: no cover - the file changed between the passes
                raise ValueError(f"{plan.path}: the file changed while it was read ({n_file:,} rows, then {done:,})")
        if pend_w is not None:
            pend_w.close()
            keys_w.close()
            pend_w = None
            # the decision over all files, then the pending rows cleaned with it
            status_path = work / "status.parquet"
            con = sql.connect(memory_limit, work / "duckdb_tmp", threads)
            try:
                sql.register_parquet(con, "dup_keys", keys_path)
                con.execute(f"COPY ({sql.resolve_duplicates_sql('dup_keys')}) TO {sql.quote_path(status_path)} "
                            "(FORMAT parquet)")
            finally:
                con.close()
            status = _Sorted(status_path, "status")
            for batch in pq.ParquetFile(pend_path).iter_batches(batch_size=chunk_rows):
                t = pa.Table.from_batches([batch])
                rs = t["row_seq"].to_numpy()
                res = _clean(t.drop_columns(["row_seq"]), aliases, resolved=status.take(t.num_rows).astype(np.int8))
                sinks.add(res, rs)
                del res, t
            for p in (pend_path, keys_path, status_path):
                p.unlink()
    finally:
        sinks.close()
        if pend_w is not None:
            pend_w.close()
            keys_w.close()
    grp_path.unlink()
    del pc
    return StreamResult(sinks.rows_in, sinks.rows_clean, sinks.rows_sa, sinks.reasons, sinks.paths["clean"],
                        sinks.paths["set_aside"], [str(q.path) for q in plans], sinks.paths["unattributed"],
                        [dict(q.info) for q in plans])


# ------------------------------------------------------------------------------ the allocator
def _libc():
    import ctypes
    import ctypes.util
    import sys

    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
    except OSError:  # pragma: no cover - no C library to talk to
        return None


def trim_heap(libc=None) -> None:
    """Collect garbage and hand the heap's free memory back to the system (glibc's ``malloc_trim``).

    Parameters
    ----------
    libc : ctypes.CDLL, optional
        The C library to call; found on Linux when None (elsewhere only the garbage is
        collected).

    Returns
    -------
    None

    Examples
    --------
    >>> trim_heap() is None
    True
    """
    import gc

    gc.collect()
    libc = libc if libc is not None else _libc()
    if libc is not None and hasattr(libc, "malloc_trim"):
        libc.malloc_trim(0)


def frugal_allocator() -> bool:
    """Set up this process so that memory freed while streaming goes back to the system.

    Arrow's default allocator (mimalloc or jemalloc) and glibc's many per-thread arenas keep large
    reserved regions, which count against an address-space limit (``ulimit -v``) though little of
    them is in use: measured on 3 million rows, 3.3 GB reserved for 0.9 GB resident. This makes
    Arrow use the system allocator (``ARROW_DEFAULT_MEMORY_POOL=system``, unless set otherwise)
    and glibc keep at most two arenas (``M_ARENA_MAX``) and map buffers of 256 KB or more
    directly, so that freeing them returns the address space (``M_MMAP_THRESHOLD``; else the
    heap grows with the file: 1.5 GB reserved after reading 30 million ids, 0.4 GB with it);
    the engine returns unused heap between its passes (``malloc_trim``). The command line calls
    it for ``--engine duckdb``.

    Returns
    -------
    bool
        True if it took effect: Arrow is only configured before its first use in the process,
        so once pyarrow is imported it changes nothing and gives False.

    Examples
    --------
    Too late once Arrow is loaded (as here; the command line calls it first thing):

    >>> import pyarrow
    >>> frugal_allocator()
    False
    """
    import sys

    if "pyarrow" in sys.modules:
        return False
    os.environ.setdefault("ARROW_DEFAULT_MEMORY_POOL", "system")
    libc = _libc()
    if libc is not None and hasattr(libc, "mallopt"):
        libc.mallopt(-8, 2)          # M_ARENA_MAX
        libc.mallopt(-3, 256 << 10)  # M_MMAP_THRESHOLD fixed: large buffers are unmapped when freed
    return True


class FrugalMemory:
    """Unused heap memory back to the system on the way out of a pass (a context manager).

    Leaving the ``with`` block calls :func:`trim_heap`, whether the block ended or raised (the
    error is not swallowed).

    Parameters
    ----------
    None
        ``FrugalMemory()`` takes no arguments (the class has no ``__init__`` of its own).

    Examples
    --------
    >>> with FrugalMemory() as pass_memory:
    ...     rows = list(range(100_000))
    >>> type(pass_memory).__name__, len(rows)
    ('FrugalMemory', 100000)
    """

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        trim_heap()
