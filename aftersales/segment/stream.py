"""Case files larger than memory: cleaned in chunks into Parquet, joined and layered in DuckDB.

``python -m aftersales segment FILE --engine duckdb`` runs :func:`segment_stream`, which gives the
JSON and the ``--out`` files of the in-memory :func:`aftersales.segment.pipeline.segment`, for
every option, while holding only one chunk of case rows in memory at a time:

1. **Cleaning** (:mod:`aftersales.segment.stream_clean`): the case files (CSV in any encoding,
   ``.xlsx`` read as a stream) in chunks, by the in-memory rules; repeated case ids decided
   over all files by the in-memory rule; clean rows, set-aside rows and fields set aside to Parquet.
2. **Joins** (:mod:`aftersales.segment.stream_joins`): repair records, feedback and orders (small
   files, read and cleaned in memory) joined to the cases in DuckDB; the RFM tiers computed in
   memory by :func:`aftersales.segment.tiers.rfm_tiers` and joined in SQL.
3. **Layering**: the layer sums in SQL (exact decimals); the ranking, shares, rates per order,
   vital few and strategy rules by the in-memory code over those sums.

Memory: one chunk of rows in the cleaner, the DuckDB memory limit, the orders and the
interpreter; not the size of the case files. Running out of memory is one line (:class:`OutOfMemory`).
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from aftersales.segment.stream_clean import (DEFAULT_CHUNK_ROWS, DEFAULT_MEMORY_LIMIT, FrugalMemory, StreamResult,
                                             clean_to_parquet, frugal_allocator)

__all__ = ["DEFAULT_CHUNK_ROWS", "DEFAULT_MEMORY_LIMIT", "OutOfMemory", "frugal_allocator", "StreamResult",
           "clean_to_parquet", "segment_stream"]


class OutOfMemory(MemoryError):
    """Memory ran out; the message is one line saying where and what to change.

    A :class:`MemoryError`, raised by :func:`segment_stream` instead of DuckDB's or Python's
    own error; the command line prints its message as ``error: ...``.

    Parameters
    ----------
    message : str
        One line: the stage (cleaning, joining and layering), the limit and the remedy
        (``--memory-limit``, ``--chunk-rows``).

    Examples
    --------
    >>> issubclass(OutOfMemory, MemoryError)
    True
    >>> try:
    ...     raise OutOfMemory("out of memory in DuckDB while cleaning (memory limit 1KB): ...; "
    ...                       "raise --memory-limit or lower --chunk-rows")
    ... except MemoryError as exc:
    ...     print(str(exc).split(":")[0])
    out of memory in DuckDB while cleaning (memory limit 1KB)
    """


_SUM = "CAST(COALESCE(SUM(CAST({c} AS DECIMAL(38, 6))), 0) AS DOUBLE)"


def _list(x) -> list:
    import os

    if x is None:
        return []
    return [x] if isinstance(x, (str, os.PathLike)) else list(x)


def _batches(con, query: str, rows: int = 1 << 17):
    """A callable giving the query's result as Arrow tables (run again at each call)."""
    import pyarrow as pa

    def gen():
        reader = con.sql(query).to_arrow_reader(rows)
        for b in reader:
            yield pa.Table.from_batches([b])
    return gen


def segment_stream(cases_paths, by=("category", "reason"), orders_path=None, out_dir=None, force: bool = False,
                   chunk_rows: int = DEFAULT_CHUNK_ROWS, work_dir=None, memory_limit: str = DEFAULT_MEMORY_LIMIT,
                   threads: int | None = None, *, repairs=None, feedback=None, aliases_path=None,
                   encoding: str | None = None, strategy: bool = False) -> dict:
    r"""The JSON of :func:`aftersales.segment.pipeline.segment`, computed with bounded memory.

    Parameters
    ----------
    cases_paths : path or sequence of paths
        Case file(s), in order: CSV (UTF-8, GB18030/GBK, detected or ``encoding``) or .xlsx.
    by : str or sequence of str
        Layer dimensions (customer_tier needs ``orders_path``; month, week, quarter).
    orders_path : path, optional
        Orders file: RFM tiers and rates per order (read in memory).
    out_dir : path, optional
        Also write the :data:`~aftersales.segment.pipeline.OUTPUT_FILES` there (UTF-8 with BOM),
        as the in-memory engine does.
    force : bool
        Overwrite files in out_dir.
    chunk_rows : int
        Case rows cleaned at a time.
    work_dir : path, optional
        Folder for clean.parquet, set_aside.parquet, unattributed.parquet and DuckDB's spill files,
        kept afterwards; a temporary folder, removed afterwards, when None.
    memory_limit : str
        DuckDB's memory limit (``"512MB"``).
    threads : int, optional
        DuckDB's worker threads.
    repairs, feedback : path or list, optional
        Repair records and feedback (small files, read in memory, joined in DuckDB).
    aliases_path : path or list, optional
        Your own alias table(s), merged over the shipped one.
    encoding : str, optional
        The text encoding of the CSV files (detected when None).
    strategy : bool
        Add the strategy table.

    Returns
    -------
    dict
        The keys and values of the in-memory engine's JSON (money to the fen).

    Raises
    ------
    OutOfMemory
        When memory runs out, with a one-line message.

    Examples
    --------
    The in-memory engine's JSON, in chunks of two rows (the repeated case A3 spans two chunks):

    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = tempfile.TemporaryDirectory()
    >>> from aftersales.segment.pipeline import write_example_files
    >>> cases_csv, orders_csv = write_example_files(folder.name)
    >>> from aftersales.segment.pipeline import segment
    >>> streamed = segment_stream(cases_csv, "category", orders_path=orders_csv, chunk_rows=2,
    ...                           memory_limit="256MB", threads=1)
    >>> streamed == segment(cases_csv, "category", orders_path=orders_csv)
    True
    >>> streamed["rows_in"], streamed["set_aside_reasons"], streamed["total_cost"]
    (5, {'duplicate_case_id': 1, 'negative_money': 1}, 290.0)
    >>> folder.cleanup()
    """
    import duckdb

    from aftersales.segment.aliases import load_aliases
    from aftersales.segment.layers import TIME_DIMENSIONS
    from aftersales.segment.pipeline import check_request

    by = check_request(by, orders_path, out_dir, force, strategy)
    aliases = load_aliases(extra=aliases_path) if aliases_path else load_aliases()
    tmp = tempfile.mkdtemp(prefix="aftersales-") if work_dir is None else None
    work = Path(tmp if tmp is not None else work_dir)
    stage = "cleaning"
    frugal = FrugalMemory().__enter__()
    try:
        # clean_to_parquet has handed its heap back on its way out (its FrugalMemory): no second trim here
        res = clean_to_parquet(cases_paths, work, chunk_rows, aliases, memory_limit, threads, encoding)
        stage = "joining and layering"
        from aftersales.segment import sql

        con = sql.connect(memory_limit, work / "duckdb_tmp", threads)
        try:
            out = _segment_sql(con, res, by, orders_path, out_dir, repairs, feedback, aliases, encoding, strategy,
                               [b for b in by if b in TIME_DIMENSIONS])
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
    return out


def _segment_sql(con, res: StreamResult, by, orders_path, out_dir, repairs, feedback, aliases, encoding,
                 strategy, time_dims) -> dict:
    import pandas as pd

    from aftersales.segment import sql
    from aftersales.segment.layers import finish_layer_table
    from aftersales.segment.pipeline import assemble, merge_summaries, order_warnings, totals_of
    from aftersales.segment.schema import FIELD_REASONS, data_path
    from aftersales.segment.stream_joins import (Cases, add_periods, attach_tiers_sql, join_feedback_sql,
                                                 join_repairs_sql, match_orders_sql, refunds_by_customer)
    from aftersales.segment.tiers import orders_lack_refunds, rfm_tiers

    sql.register_parquet(con, "clean_cases", res.clean_path)
    sql.register_parquet(con, "set_aside", res.set_aside_path)
    sql.register_parquet(con, "unattributed", res.unattributed_path)
    cases = Cases(con, "clean_cases")
    joins, parts, extras = {}, [], []
    for p in _list(repairs):
        r, rep, um = join_repairs_sql(cases, data_path(p), aliases, encoding)
        joins.setdefault("repairs", []).append(rep)
        parts += um
        extras.append(r)
    for p in _list(feedback):
        rep, um = join_feedback_sql(cases, data_path(p), aliases, encoding)
        joins.setdefault("feedback", []).append(rep)
        parts += um
    orders = tiers = ores = None
    if orders_path is not None:
        from aftersales.segment.orders import read_orders

        ores = read_orders(orders_path, aliases, encoding)
        orders = ores.orders
        refunds = refunds_by_customer(cases) if orders_lack_refunds(orders) else None
        tiers = rfm_tiers(orders, refunds=refunds)
        attach_tiers_sql(cases, tiers)
        rep, um = match_orders_sql(cases, orders)
        joins["orders"] = {**rep, **{f"orders_{k}": v for k, v in ores.summary().items()}}
        parts += um
    add_periods(cases, time_dims)
    # the layers: sums in SQL, the rest by the in-memory code
    cur = con.execute(sql.layer_agg_sql(by, cases.view))
    agg = pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])
    for k in list(by) or ["layer"]:
        agg[k] = agg[k].astype(str)
    agg["cases"] = agg["cases"].astype("int64")
    agg["returns"] = agg["returns"].astype("int64")
    agg["cost"] = agg["cost"].astype(float)
    agg["net"] = agg["net"].astype(float)
    n_cases, returns, total_cost, total_net = cases.one(
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN case_type IN ('return', 'exchange') THEN 1 ELSE 0 END), 0), "
        f"{_SUM.format(c='cost')}, {_SUM.format(c='net')} FROM {{v}}")
    table = finish_layer_table(agg, by, orders, tiers, total=float(total_cost))
    strat = None
    if strategy:
        from aftersales.segment.strategy import strategy_table

        dims = ["category", "channel", "reason", "case_type"] + (["customer_tier"] if tiers is not None else [])
        cur = con.execute(f"SELECT {', '.join(dims)}, COUNT(*) AS case_count, "
                          + ", ".join(f"{_SUM.format(c=c)} AS {c}" for c in
                                      ("cost", "net", "handling_cost", "refund_amount"))
                          + f" FROM {cases.view} GROUP BY {', '.join(dims)} ORDER BY {', '.join(dims)}")
        grouped = pd.DataFrame(cur.fetchall(), columns=[d[0] for d in cur.description])
        strat = strategy_table(grouped, orders, tiers)
    # the summary: counts, the cost set aside, the fields set aside
    summary = res.summary()
    summary["cost_set_aside"] = float(con.execute(f"SELECT {_SUM.format(c='set_aside_cost')} FROM set_aside")
                                      .fetchall()[0][0])
    unattributed: dict = {}
    for field, reason, k, cost in con.execute(
            f"SELECT field, reason, COUNT(*), {_SUM.format(c='cost')} FROM unattributed GROUP BY field, reason "
            "ORDER BY field").fetchall():
        u = unattributed.setdefault(field, {"cases": 0, "cost": 0.0, "reasons": {}})
        u["cases"] += int(k)
        u["cost"] += float(cost)
        u["reasons"][reason] = int(k)
    for u in unattributed.values():
        u["reasons"] = {r: u["reasons"][r] for r in FIELD_REASONS if r in u["reasons"]}
    summary["unattributed"] = unattributed
    summary = merge_summaries(summary, extras)
    totals = totals_of(int(n_cases), int(returns), float(total_cost), int(len(orders)) if orders is not None else None)
    if out_dir is not None:
        _write_outputs(con, Path(out_dir), extras, table, parts, ores, strat)
    return assemble(summary, float(total_cost), float(total_net), table, by, totals, res.files, joins, strat,
                    order_warnings(ores, by, strategy))


def _write_outputs(con, d: Path, extras, table, parts, ores, strat) -> None:
    """The --out files of the in-memory engine, same names, same rows, same text (UTF-8 with BOM)."""
    import pyarrow as pa

    from aftersales.segment.schema import CASE_COLUMNS, SET_ASIDE_COLUMNS, UNATTRIBUTED_COLUMNS
    from aftersales.segment.stream_clean import set_aside_schema, unattributed_schema
    from aftersales.segment.stream_joins import unmatched_schema
    from aftersales.segment.writers import arrow_for_csv, write_csv, write_csv_batches

    d.mkdir(parents=True, exist_ok=True)
    con.execute("SET preserve_insertion_order = true")

    def then(gen, frames, schema):
        def both():
            yield from gen()
            for f in frames:
                t = arrow_for_csv(f[[c.name for c in schema]])
                yield pa.Table.from_arrays([t[c.name].cast(c.type) for c in schema], schema=schema)
        return both

    write_csv_batches(_batches(con, f"SELECT {', '.join(CASE_COLUMNS)} FROM clean_cases ORDER BY row_seq"),
                      d / "cases_clean.csv", CASE_COLUMNS, force=True)
    sa_cols = tuple(CASE_COLUMNS) + SET_ASIDE_COLUMNS
    sa_schema = pa.schema([set_aside_schema().field(c) for c in sa_cols])
    write_csv_batches(then(_batches(con, f"SELECT {', '.join(sa_cols)} FROM set_aside ORDER BY row_seq"),
                           [r.set_aside for r in extras], sa_schema), d / "cases_set_aside.csv", sa_cols, force=True)
    u_schema = pa.schema([unattributed_schema().field(c) for c in UNATTRIBUTED_COLUMNS])
    q = (f"SELECT {', '.join(chr(34) + c + chr(34) for c in UNATTRIBUTED_COLUMNS)} FROM unattributed "
         "ORDER BY source_file, source_row, field")
    write_csv_batches(then(_batches(con, q), [r.unattributed for r in extras if r.unattributed is not None],
                           u_schema), d / "fields_set_aside.csv", UNATTRIBUTED_COLUMNS, force=True)
    write_csv(table, d / "layers.csv", force=True)

    def unmatched():
        for kind, part in parts:
            if kind == "arrow":
                yield part
            else:
                for t in _batches(con, part)():
                    yield pa.Table.from_arrays([t[c.name].cast(c.type) for c in unmatched_schema()],
                                               schema=unmatched_schema())
    write_csv_batches(unmatched, d / "unmatched.csv", [c.name for c in unmatched_schema()], force=True)
    if ores is not None:
        write_csv(ores.set_aside, d / "orders_set_aside.csv", force=True)
    if strat is not None:
        write_csv(strat, d / "strategy.csv", force=True)
