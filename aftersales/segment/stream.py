"""Cleaning case files larger than memory: fixed-size chunks streamed into Parquet, layered in DuckDB.

``python -m aftersales segment FILE --engine duckdb`` runs :func:`segment_stream`, which gives the
same JSON as the in-memory :func:`aftersales.segment.analysis.segment` while holding only one
chunk of rows in memory at a time:

1. **Duplicates over the whole input.** A first pass reads only the case_id column, chunk by
   chunk, and writes the trimmed ids with their position (``row_seq``) to ``case_ids.parquet``.
   DuckDB then finds every row whose case_id appeared in an earlier row
   (:func:`aftersales.segment.sql.duplicates_sql`; its group-by spills to disk past the memory
   limit) and writes their positions, sorted, to ``duplicates.parquet``.
2. **Cleaning in chunks.** A second pass reads the file again in chunks of ``chunk_rows`` rows
   and cleans each with :func:`aftersales.segment.records.clean_cases`, the in-memory rules,
   told which of its rows are duplicates of an earlier row (``seen_before``, read from
   ``duplicates.parquet`` a batch at a time). Clean rows are appended to ``clean.parquet``,
   set-aside rows, each with its file name and its row in that file (the header is row 1), to
   ``set_aside.parquet``.
3. **Layering.** DuckDB runs the portable layering SQL (:mod:`aftersales.segment.sql`) over
   ``clean.parquet`` with its ``memory_limit`` and a temporary directory to spill to.

Memory: one chunk of rows in the cleaner (about 0.45 KB a row while it is cleaned), the DuckDB
memory limit, and the interpreter; not the size of the file. Running out of memory is reported
in one line (:class:`OutOfMemory`).
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path


from aftersales.segment.chunks import plan_columns, read_chunks
from aftersales.segment.records import (CASE_COLUMNS, SET_ASIDE_COLUMNS, SET_ASIDE_REASONS, Aliases, _text,
                                        clean_cases, data_path, load_aliases)

__all__ = ["DEFAULT_CHUNK_ROWS", "DEFAULT_MEMORY_LIMIT", "OutOfMemory", "frugal_allocator", "StreamResult",
           "clean_to_parquet",
           "segment_stream"]

#: Rows cleaned at a time.
DEFAULT_CHUNK_ROWS = 500_000
#: DuckDB's memory limit (it spills to the work folder past it).
DEFAULT_MEMORY_LIMIT = "512MB"


class OutOfMemory(MemoryError):
    """Memory ran out; the message is one line saying where and what to change."""


@dataclass
class StreamResult:
    """Outcome of streaming cleaning: counts, and the Parquet files the rows went to."""

    rows_in: int
    rows_clean: int
    rows_set_aside: int
    reasons: dict[str, int]
    clean_path: Path
    set_aside_path: Path
    sources: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        if self.rows_in != self.rows_clean + self.rows_set_aside:  # pragma: no cover - invariant
            raise RuntimeError(f"rows lost in cleaning: {self.rows_in} in, {self.rows_clean} clean, "
                               f"{self.rows_set_aside} set aside")

    def summary(self) -> dict:
        """The counts as in :meth:`aftersales.segment.records.CleanResult.summary`."""
        return {"rows_in": self.rows_in, "rows_clean": self.rows_clean,
                "rows_set_aside": self.rows_set_aside,
                "set_aside_reasons": {r: self.reasons[r] for r in SET_ASIDE_REASONS if self.reasons.get(r)}}


# ------------------------------------------------------------------------------ duplicates
class _SortedRows:
    """Positions from a sorted Parquet column, handed out range by range (a batch in memory at a time)."""

    def __init__(self, path: Path):
        import pyarrow.parquet as pq

        self._it = pq.ParquetFile(path).iter_batches(batch_size=1 << 20, columns=["row_seq"])
        self._buf = None
        self._done = False

    def mask(self, start: int, n: int):
        """A boolean mask over rows start .. start + n - 1: True where the row is listed."""
        import numpy as np

        end = start + n
        buf = np.zeros(0, np.int64) if self._buf is None else self._buf
        while not self._done and (len(buf) == 0 or buf[-1] < end):
            try:
                batch = next(self._it)
            except StopIteration:
                self._done = True
                break
            buf = np.concatenate([buf, batch.column(0).to_numpy(zero_copy_only=False).astype(np.int64)])
        inside = buf[(buf >= start) & (buf < end)]
        self._buf = buf[buf >= end]
        out = np.zeros(n, dtype=bool)
        out[inside - start] = True
        return out


def _write_ids(paths: list[Path], plans: list, chunk_rows: int, out: Path) -> list[int]:
    """Pass 1: trimmed case ids and their positions to Parquet; returns the rows of each file."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pa.schema([("case_id", pa.string()), ("row_seq", pa.int64())])
    counts, seq = [], 0
    with pq.ParquetWriter(out, schema, compression="snappy") as w:
        for p, (names, _) in zip(paths, plans):
            start = seq
            for t in read_chunks(p, names, ["case_id"], chunk_rows):
                ids = _text(t["case_id"])
                w.write_table(pa.table({"case_id": ids, "row_seq": pa.array(np.arange(seq, seq + t.num_rows))},
                                       schema=schema))
                seq += t.num_rows
            counts.append(seq - start)
    return counts


# ------------------------------------------------------------------------------ cleaning
_SET_ASIDE_SCHEMA_COLUMNS = tuple(CASE_COLUMNS) + SET_ASIDE_COLUMNS


def _clean_arrow(frame, schema=None) -> "pa.Table":
    """The clean frame as Arrow: labels as plain text (categories differ from chunk to chunk)."""
    import pandas as pd
    import pyarrow as pa

    cols = {}
    for c in frame.columns:
        s = frame[c]
        if isinstance(s.dtype, pd.CategoricalDtype):
            cols[c] = pa.array(s.astype(object).to_numpy(), type=pa.string(), from_pandas=True)
        elif c in ("case_id", "order_id", "customer_id"):
            cols[c] = pa.array(s.astype(object).to_numpy(), type=pa.string(), from_pandas=True)
        else:
            cols[c] = pa.array(s, from_pandas=True)
    t = pa.table(cols)
    return t if schema is None else t.cast(schema)


def _set_aside_arrow(frame) -> "pa.Table":
    import pyarrow as pa

    cols = {}
    for c in _SET_ASIDE_SCHEMA_COLUMNS:
        if c == "source_row":
            cols[c] = pa.array(frame[c].to_numpy().astype("int64"), type=pa.int64())
        else:
            cols[c] = pa.array(frame[c].astype(object).map(lambda v: "" if v is None or v != v else str(v))
                               .to_numpy(), type=pa.string())
    return pa.table(cols)


def clean_to_parquet(paths, work_dir: str | os.PathLike, chunk_rows: int = DEFAULT_CHUNK_ROWS,
                     aliases: Aliases | None = None, memory_limit: str = DEFAULT_MEMORY_LIMIT,
                     threads: int | None = None) -> StreamResult:
    """Clean case file(s) chunk by chunk into ``clean.parquet`` and ``set_aside.parquet`` in work_dir.

    Parameters
    ----------
    paths : path or sequence of paths
        Case files (UTF-8 CSV, canonical or export layout), taken in order: a case_id seen in an
        earlier file makes a later row a duplicate, as with :func:`load_cases`.
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

    Returns
    -------
    StreamResult
        Counts and the two Parquet paths; rows in = clean + set aside.
    """
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
    plans = [plan_columns(p, aliases) for p in paths]
    with _FrugalMemory():
        return _clean_to_parquet(paths, plans, work, chunk_rows, aliases, memory_limit, threads)


def _clean_to_parquet(paths, plans, work: Path, chunk_rows: int, aliases: Aliases, memory_limit: str,
                      threads: int | None) -> StreamResult:
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    from aftersales.segment import sql

    # pass 1: ids, then the duplicates over everything
    ids_path, dup_path = work / "case_ids.parquet", work / "duplicates.parquet"
    counts = _write_ids(paths, plans, chunk_rows, ids_path)
    _trim()
    con = sql.connect(memory_limit, work / "duckdb_tmp", threads)
    try:
        sql.register_parquet(con, "case_ids", ids_path)
        con.execute(f"COPY ({sql.duplicates_sql('case_ids')}) TO {sql._quote(dup_path)} (FORMAT parquet)")
    finally:
        con.close()
    ids_path.unlink()
    _trim()
    # pass 2: clean chunk by chunk
    dups = _SortedRows(dup_path)
    clean_path, sa_path = work / "clean.parquet", work / "set_aside.parquet"
    clean_w = sa_w = None
    clean_schema = None
    rows_in = rows_clean = rows_sa = 0
    reasons: dict[str, int] = {}
    seq = 0
    many = len(paths) > 1
    try:
        for p, (names, layout), n_file in zip(paths, plans, counts):
            offset = 0
            for t in read_chunks(p, names, list(CASE_COLUMNS), chunk_rows):
                n = t.num_rows
                t = t.append_column("source_file", pa.array([p.name] * n, pa.string()))
                t = t.append_column("source_row", pa.array(np.arange(offset + 2, offset + n + 2)))
                if many and layout == "export":   # as load_cases does with several files
                    lay = "export"      # the cleaner parses every layout with the same rules
                else:
                    lay = layout
                res = clean_cases(t, lay, aliases, seen_before=dups.mask(seq, n))
                del t
                ct = _clean_arrow(res.clean, clean_schema)
                if clean_w is None:
                    clean_schema = ct.schema
                    clean_w = pq.ParquetWriter(clean_path, clean_schema, compression="snappy")
                clean_w.write_table(ct)
                st = _set_aside_arrow(res.set_aside)
                if sa_w is None:
                    sa_w = pq.ParquetWriter(sa_path, st.schema, compression="snappy")
                sa_w.write_table(st)
                rows_in += res.rows_in
                rows_clean += res.rows_clean
                rows_sa += res.rows_set_aside
                for r, k in res.reasons.items():
                    reasons[r] = reasons.get(r, 0) + k
                del res, ct, st
                pa.default_memory_pool().release_unused()
                offset += n
                seq += n
            if offset != n_file:  # pragma: no cover - the file changed between the passes
                raise ValueError(f"{p}: the file changed while it was read ({n_file:,} rows, then {offset:,})")
        if clean_w is None:   # no rows at all: empty files with the right columns
            empty = clean_cases(pa.table({c: pa.array([], pa.string()) for c in CASE_COLUMNS}), "canonical",
                                aliases)
            clean_w = pq.ParquetWriter(clean_path, _clean_arrow(empty.clean).schema)
            sa_w = pq.ParquetWriter(sa_path, _set_aside_arrow(empty.set_aside).schema)
    finally:
        for w in (clean_w, sa_w):
            if w is not None:
                w.close()
    dup_path.unlink()
    return StreamResult(rows_in, rows_clean, rows_sa, reasons, clean_path, sa_path, [str(p) for p in paths])


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


def _trim(libc=None) -> None:
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
    :func:`segment_stream` returns unused
    heap between its passes (``malloc_trim``). The command line calls it for ``--engine duckdb``.

    Returns
    -------
    bool
        True if it took effect: Arrow is only configured before its first use in the process.
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


class _FrugalMemory:
    """Unused heap memory back to the system on the way out of a pass."""

    def __enter__(self):
        return self

    def __exit__(self, *exc) -> None:
        _trim()


# ------------------------------------------------------------------------------ the pipeline
def _tiers_parquet(orders_path, out: Path) -> Path:
    """RFM tiers of the orders (computed in memory) as Parquet customer_id, value_tier."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from aftersales.segment.analysis import load_orders, rfm_tiers

    tiers = rfm_tiers(load_orders(orders_path))
    pq.write_table(pa.table({"customer_id": pa.array(tiers.index.astype(str).to_numpy(), pa.string()),
                             "value_tier": pa.array(tiers["value_tier"].astype(str).to_numpy(), pa.string())}),
                   out)
    return out


def segment_stream(cases_paths, by=("category", "reason"), orders_path=None, out_dir=None, force: bool = False,
                   chunk_rows: int = DEFAULT_CHUNK_ROWS, work_dir=None, memory_limit: str = DEFAULT_MEMORY_LIMIT,
                   threads: int | None = None) -> dict:
    """The JSON of :func:`aftersales.segment.analysis.segment`, computed with bounded memory.

    Parameters
    ----------
    cases_paths : path or sequence of paths
        Case file(s), in order.
    by : str or sequence of str
        Layer dimensions; ``customer_tier`` is not supported yet (ValueError: use the in-memory engine).
    orders_path : path, optional
        Orders CSV for the RFM tiers.
    out_dir : path, optional
        Also write cases_clean.csv, cases_set_aside.csv and layers.csv there.
    force : bool
        Overwrite files in out_dir.
    chunk_rows : int
        Rows cleaned at a time.
    work_dir : path, optional
        Folder for clean.parquet, set_aside.parquet and DuckDB's spill files, kept afterwards;
        a temporary folder, removed afterwards, when None.
    memory_limit : str
        DuckDB's memory limit (``"512MB"``).
    threads : int, optional
        DuckDB's worker threads.

    Returns
    -------
    dict
        rows_in, rows_clean, rows_set_aside, set_aside_reasons, total_cost, total_net, layers.

    Raises
    ------
    OutOfMemory
        When memory runs out, with a one-line message.
    """
    import duckdb

    from aftersales.segment import sql
    from aftersales.segment.analysis import parse_by

    by = parse_by(by)
    if "customer_tier" in by:
        # the in-memory engine's RFM tiers are net of refunds and tie-broken by customer id; this
        # engine's join does not reproduce them yet, and two engines must not disagree
        raise ValueError("--by customer_tier is not supported with --engine duckdb yet; "
                         "run it with the default engine")
    names = ("cases_clean.csv", "cases_set_aside.csv", "layers.csv")
    if out_dir is not None and not force:
        for name in names:
            if (Path(out_dir) / name).exists():
                raise FileExistsError(f"{Path(out_dir) / name} exists; use --force to overwrite it")
    tmp = tempfile.mkdtemp(prefix="aftersales-") if work_dir is None else None
    work = Path(tmp if tmp is not None else work_dir)
    stage = "cleaning"
    frugal = _FrugalMemory().__enter__()
    try:
        res = clean_to_parquet(cases_paths, work, chunk_rows, memory_limit=memory_limit, threads=threads)
        _trim()
        stage = "layering"
        tiers = _tiers_parquet(orders_path, work / "tiers.parquet") if "customer_tier" in by else None
        con = sql.connect(memory_limit, work / "duckdb_tmp", threads)
        try:
            sql.register_parquet(con, "clean_cases", res.clean_path)
            if tiers is not None:
                sql.register_parquet(con, "customer_tiers", tiers)
            query = sql.layer_sql(by, "clean_cases", "customer_tiers" if tiers is not None else None)
            cur = con.execute(query)
            cols = [d[0] for d in cur.description]
            rows = cur.fetchall()
            n_clean, total_cost, total_net = con.execute(sql.totals_sql("clean_cases")).fetchone()
            if out_dir is not None:
                stage = "writing the CSV files"
                d = Path(out_dir)
                d.mkdir(parents=True, exist_ok=True)
                sql.register_parquet(con, "set_aside", res.set_aside_path)
                con.execute("SET preserve_insertion_order = true")   # rows in the order of the input
                csv_opts = "(HEADER, DELIMITER ',')"
                select = ", ".join("CAST(opened_at AS DATE) AS opened_at" if c == "opened_at" else c
                                   for c in CASE_COLUMNS)
                con.execute(f"COPY (SELECT {select} FROM clean_cases) "
                            f"TO {sql._quote(d / names[0])} {csv_opts}")
                con.execute(f"COPY (SELECT * FROM set_aside) TO {sql._quote(d / names[1])} {csv_opts}")
                con.execute(f"COPY ({query}) TO {sql._quote(d / names[2])} {csv_opts}")
        finally:
            con.close()
    except duckdb.OutOfMemoryException as exc:
        raise OutOfMemory(f"out of memory in DuckDB while {stage} (memory limit {memory_limit}): "
                          f"{str(exc).splitlines()[0]}; raise --memory-limit or lower --chunk-rows") from None
    except MemoryError as exc:
        if isinstance(exc, OutOfMemory):
            raise
        raise OutOfMemory(f"out of memory while {stage} in chunks of {chunk_rows:,} rows; "
                          f"lower --chunk-rows or --memory-limit") from None
    except duckdb.IOException as exc:
        raise ValueError(f"DuckDB could not read or write in {work} while {stage}: "
                         f"{str(exc).splitlines()[0]}") from None
    finally:
        frugal.__exit__(None, None, None)
        if tmp is not None:
            shutil.rmtree(tmp, ignore_errors=True)
    if n_clean != res.rows_clean:  # pragma: no cover - invariant
        raise RuntimeError(f"{res.rows_clean} clean rows written, {n_clean} read back")
    keys = list(by) or ["layer"]
    layers = []
    for r in rows:
        rec = dict(zip(cols, r))
        layers.append({**{k: str(rec[k]) for k in keys}, "cases": int(rec["cases"]), "cost": float(rec["cost"]),
                       "net": float(rec["net"]), "share_of_cost": float(rec["share_of_cost"]),
                       "cumulative_share": float(rec["cumulative_share"])})
    return {**res.summary(), "total_cost": float(total_cost), "total_net": float(total_net), "layers": layers}
