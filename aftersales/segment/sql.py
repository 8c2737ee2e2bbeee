"""Layering in portable SQL over Parquet, for data larger than memory (DuckDB on one machine).

The queries here use only standard SQL (common table expressions, ``GROUP BY``, ``LEFT JOIN``,
window functions with an explicit frame, ``CAST``), so the same text runs on DuckDB, on Spark
SQL and on SQLite. The only engine-specific step is to make the Parquet files visible under a
table name, which :func:`register_parquet` does for DuckDB (``CREATE VIEW name AS SELECT * FROM
read_parquet(...)``); on Spark it is ``spark.read.parquet(path).createOrReplaceTempView(name)``.

Money is summed as ``DECIMAL(38, 6)``: exact, so the layer costs do not depend on the order in
which rows reach the sum (threads, partitions, machines), and the result is the same on every
run and every engine. Shares and cumulative shares are then computed in double precision.

- :func:`layer_sql`: the layering of :func:`aftersales.segment.analysis.layer_table` (cases,
  cost, net, share_of_cost, cumulative_share, largest cost first);
- :func:`totals_sql`: clean rows, total cost and total net;
- :func:`duplicates_sql`: the rows whose case_id appeared in an earlier row (the first is kept);
- :func:`connect`, :func:`register_parquet`, :func:`layers_duckdb`: running them with DuckDB.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from aftersales.segment.analysis import parse_by

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["MONEY_SQL_TYPE", "layer_sql", "totals_sql", "duplicates_sql", "group_rows_sql", "resolve_duplicates_sql",
           "layer_agg_sql", "connect", "register_parquet", "layers_duckdb", "quote_path"]

#: The exact type money is summed in (yuan to a millionth).
MONEY_SQL_TYPE = "DECIMAL(38, 6)"


def _cases_cte(source: str, tiers: str | None) -> str:
    if tiers is None:
        return f"case_rows AS (\n  SELECT * FROM {source}\n)"
    return (f"case_rows AS (\n  SELECT c.*, COALESCE(t.value_tier, 'unknown') AS customer_tier\n"
            f"  FROM {source} c LEFT JOIN {tiers} t ON c.customer_id = t.customer_id\n)")


def layer_sql(by=("category", "reason"), source: str = "clean_cases", tiers: str | None = None) -> str:
    """The layer table as one portable SQL query.

    Parameters
    ----------
    by : str or sequence of str, optional
        Layer dimensions (see :data:`aftersales.segment.analysis.DIMENSIONS`; default category
        and reason); none gives one layer ``all``.
    source : str, optional
        A table (or view) of clean cases with the columns of the clean frame, ``cost`` and
        ``net`` among them (default ``"clean_cases"``).
    tiers : str, optional
        A table of ``customer_id, value_tier`` (from RFM); needed for ``customer_tier``. Cases of
        customers not in it get the tier ``unknown``.

    Returns
    -------
    str
        The query; its columns are the keys (or ``layer``), cases, cost, net (yuan),
        share_of_cost and cumulative_share (0-1), rows largest cost first, ties by the keys.

    Raises
    ------
    ValueError
        If ``by`` names ``customer_tier`` and ``tiers`` is None, or names an unknown dimension.

    Notes
    -----
    share_of_cost = layer cost / total cost; cumulative_share = running sum of the layer
    costs, largest first, / total cost (both 0 when the total is 0). Sums are exact
    (:data:`MONEY_SQL_TYPE`), the shares double.

    Examples
    --------
    >>> print(layer_sql("reason").splitlines()[4])
      SELECT reason, COUNT(*) AS cases,

    Run on SQLite (the same text runs on DuckDB and Spark SQL):

    >>> import sqlite3
    >>> db = sqlite3.connect(":memory:")
    >>> _ = db.execute("CREATE TABLE clean_cases (reason TEXT, case_type TEXT, cost REAL, net REAL)")
    >>> _ = db.executemany("INSERT INTO clean_cases VALUES (?, ?, ?, ?)", [
    ...     ("size_fit", "return", 100.0, -100.0), ("size_fit", "exchange", 120.0, -120.0),
    ...     ("quality_defect", "repair", 180.0, -80.0), ("logistics_delay", "return", 20.0, -20.0)])
    >>> [(r, n, cost, round(share, 4), round(cum, 4))
    ...  for r, n, cost, net, share, cum in db.execute(layer_sql("reason"))]
    [('size_fit', 2, 220.0, 0.5238, 0.5238), ('quality_defect', 1, 180.0, 0.4286, 0.9524), ('logistics_delay', 1, 20.0, 0.0476, 1.0)]
    >>> db.close()
    """
    by = list(parse_by(by))
    if "customer_tier" in by and tiers is None:
        raise ValueError("layering by customer_tier needs the tiers table (from the orders)")
    keys = by or ["layer"]
    sel = ", ".join(by) + ", " if by else "'all' AS layer, "
    group = f"\n  GROUP BY {', '.join(by)}" if by else ""
    order = ", ".join(["cost DESC"] + keys)
    return (f"WITH {_cases_cte(source, tiers if 'customer_tier' in by else None)},\n"
            f"layers AS (\n"
            f"  SELECT {sel}COUNT(*) AS cases,\n"
            f"         COALESCE(SUM(CAST(cost AS {MONEY_SQL_TYPE})), 0) AS cost,\n"
            f"         COALESCE(SUM(CAST(net AS {MONEY_SQL_TYPE})), 0) AS net\n"
            f"  FROM case_rows{group}\n),\n"
            f"ranked AS (\n"
            f"  SELECT layers.*, SUM(cost) OVER () AS total_cost,\n"
            f"         SUM(cost) OVER (ORDER BY {order}\n"
            f"                         ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS running_cost\n"
            f"  FROM layers\n)\n"
            f"SELECT {', '.join(keys)}, cases, CAST(cost AS DOUBLE) AS cost, CAST(net AS DOUBLE) AS net,\n"
            f"       CASE WHEN total_cost > 0 THEN CAST(cost AS DOUBLE) / CAST(total_cost AS DOUBLE)"
            f" ELSE 0.0 END AS share_of_cost,\n"
            f"       CASE WHEN total_cost > 0 THEN CAST(running_cost AS DOUBLE) / CAST(total_cost AS DOUBLE)"
            f" ELSE 0.0 END AS cumulative_share\n"
            f"FROM ranked\nORDER BY {order}")


def totals_sql(source: str = "clean_cases") -> str:
    """Clean rows, total cost and total net (yuan) of a table of clean cases, as portable SQL.

    Parameters
    ----------
    source : str, optional
        The table (or view) of clean cases, with ``cost`` and ``net`` (default ``"clean_cases"``).

    Returns
    -------
    str
        A query of one row: ``rows_clean``, ``total_cost``, ``total_net`` (yuan, summed as
        :data:`MONEY_SQL_TYPE`, then as double; 0 for no rows).

    Examples
    --------
    Run on SQLite (the same text runs on DuckDB and Spark SQL):

    >>> import sqlite3
    >>> db = sqlite3.connect(":memory:")
    >>> _ = db.execute("CREATE TABLE clean_cases (reason TEXT, case_type TEXT, cost REAL, net REAL)")
    >>> _ = db.executemany("INSERT INTO clean_cases VALUES (?, ?, ?, ?)", [
    ...     ("size_fit", "return", 100.0, -100.0), ("size_fit", "exchange", 120.0, -120.0),
    ...     ("quality_defect", "repair", 180.0, -80.0), ("logistics_delay", "return", 20.0, -20.0)])
    >>> db.execute(totals_sql()).fetchall()
    [(4, 420.0, -320.0)]
    >>> db.close()
    """
    return (f"SELECT COUNT(*) AS rows_clean,\n"
            f"       CAST(COALESCE(SUM(CAST(cost AS {MONEY_SQL_TYPE})), 0) AS DOUBLE) AS total_cost,\n"
            f"       CAST(COALESCE(SUM(CAST(net AS {MONEY_SQL_TYPE})), 0) AS DOUBLE) AS total_net\n"
            f"FROM {source}")


def duplicates_sql(source: str = "case_ids") -> str:
    """The rows whose case_id appeared in an earlier row, in row order, as portable SQL.

    The first occurrence of an id is kept, as in :func:`aftersales.segment.records.clean_cases`
    of version 0.3 (the current rule, the first by content, is :func:`resolve_duplicates_sql`).
    Only ids that occur more than once reach the join, so the join's table stays as small as
    the duplicates.

    Parameters
    ----------
    source : str, optional
        A table with the columns ``case_id`` (trimmed text; empty ids are not duplicates) and
        ``row_seq`` (the position of the row over all input files, 0 first); default
        ``"case_ids"``.

    Returns
    -------
    str
        A query of one column, ``row_seq``: the rows to set aside, in row order.

    Examples
    --------
    >>> import sqlite3
    >>> db = sqlite3.connect(":memory:")
    >>> _ = db.execute("CREATE TABLE case_ids (case_id TEXT, row_seq INTEGER)")
    >>> _ = db.executemany("INSERT INTO case_ids VALUES (?, ?)", [
    ...     ("A1", 0), ("A2", 1), ("A1", 2), ("", 3), ("A3", 4), ("", 5), ("A2", 6)])
    >>> db.execute(duplicates_sql()).fetchall()      # A1 again at 2, A2 again at 6
    [(2,), (6,)]
    >>> db.close()
    """
    return (f"WITH repeated AS (\n"
            f"  SELECT case_id, MIN(row_seq) AS first_seq\n"
            f"  FROM {source}\n  WHERE case_id <> ''\n  GROUP BY case_id\n  HAVING COUNT(*) > 1\n)\n"
            f"SELECT s.row_seq\nFROM {source} s JOIN repeated r ON s.case_id = r.case_id\n"
            f"WHERE s.row_seq > r.first_seq\nORDER BY s.row_seq")


def group_rows_sql(source: str = "case_ids") -> str:
    """The positions of every row whose (non-empty) case_id occurs more than once, in row order.

    These rows are decided together (:func:`resolve_duplicates_sql`); the others are unique.

    Parameters
    ----------
    source : str, optional
        A table with the columns ``case_id`` (trimmed text) and ``row_seq`` (the position over
        all files); default ``"case_ids"``.

    Returns
    -------
    str
        A query of one column, ``row_seq``, in row order.

    Examples
    --------
    >>> import sqlite3
    >>> db = sqlite3.connect(":memory:")
    >>> _ = db.execute("CREATE TABLE case_ids (case_id TEXT, row_seq INTEGER)")
    >>> _ = db.executemany("INSERT INTO case_ids VALUES (?, ?)", [
    ...     ("A1", 0), ("A2", 1), ("A1", 2), ("", 3), ("A3", 4), ("", 5), ("A2", 6)])
    >>> db.execute(group_rows_sql()).fetchall()      # A1 at 0 and 2, A2 at 1 and 6
    [(0,), (1,), (2,), (6,)]
    >>> db.close()
    """
    return (f"WITH repeated AS (\n"
            f"  SELECT case_id\n  FROM {source}\n  WHERE case_id <> ''\n  GROUP BY case_id\n  HAVING COUNT(*) > 1\n)\n"
            f"SELECT s.row_seq\nFROM {source} s JOIN repeated r ON s.case_id = r.case_id\nORDER BY s.row_seq")


def resolve_duplicates_sql(source: str = "dup_keys") -> str:
    """The duplicate status of each row of a repeated case_id: 0 kept, 1 exact, 2 conflicting duplicate.

    Parameters
    ----------
    source : str, optional
        A table with ``case_id, row_seq, usable, content`` (see
        :mod:`aftersales.segment.duplicates`), the rows of repeated ids only; default
        ``"dup_keys"``.

    Returns
    -------
    str
        A query of ``row_seq, status``, in row order.

    Notes
    -----
    Per case_id, the row kept is the first by usable (true first), then content (code-point
    order), then position; the group is conflicting when any of its rows differs from the kept
    one in usability or content, and then every other row has status 2, else 1.

    Examples
    --------
    A1 twice with the same content; A2 three times, one row unusable, two with different
    content (the usable one first by content is kept):

    >>> import sqlite3
    >>> db = sqlite3.connect(":memory:")
    >>> _ = db.execute("CREATE TABLE dup_keys (case_id TEXT, row_seq INTEGER, usable BOOLEAN, content TEXT)")
    >>> _ = db.executemany("INSERT INTO dup_keys VALUES (?, ?, ?, ?)", [
    ...     ("A1", 0, True, "x"), ("A1", 2, True, "x"),
    ...     ("A2", 1, False, "a"), ("A2", 4, True, "b"), ("A2", 6, True, "c")])
    >>> db.execute(resolve_duplicates_sql()).fetchall()
    [(0, 0), (1, 2), (2, 1), (4, 0), (6, 2)]
    >>> db.close()
    """
    return (f"WITH ranked AS (\n"
            f"  SELECT case_id, row_seq, usable, content,\n"
            f"         ROW_NUMBER() OVER (PARTITION BY case_id ORDER BY usable DESC, content, row_seq) AS pos\n"
            f"  FROM {source}\n),\n"
            f"winners AS (\n  SELECT case_id, usable AS w_usable, content AS w_content FROM ranked WHERE pos = 1\n),\n"
            f"grouped AS (\n"
            f"  SELECT r.case_id, MAX(CASE WHEN r.usable = w.w_usable AND r.content = w.w_content THEN 0 ELSE 1 END)"
            f" AS conflict\n"
            f"  FROM ranked r JOIN winners w ON r.case_id = w.case_id\n  GROUP BY r.case_id\n)\n"
            f"SELECT r.row_seq, CAST(CASE WHEN r.pos = 1 THEN 0 WHEN g.conflict = 1 THEN 2 ELSE 1 END AS TINYINT)"
            f" AS status\n"
            f"FROM ranked r JOIN grouped g ON r.case_id = g.case_id\nORDER BY r.row_seq")


def layer_agg_sql(by=("category", "reason"), source: str = "cases") -> str:
    """Cases, returns, cost and net (exact sums) per layer, as portable SQL.

    The ranking and the shares are then computed as in memory
    (:func:`aftersales.segment.layers.finish_layer_table`); the streaming engine uses it.

    Parameters
    ----------
    by : str or sequence of str, optional
        Layer dimensions (default category and reason); none gives one layer ``all``.
    source : str, optional
        A table with the clean case columns and a column for every dimension of ``by`` (the time
        dimensions as period labels, customer_tier); default ``"cases"``.

    Returns
    -------
    str
        A query of the keys (or ``layer``), ``cases``, ``returns`` (return and exchange cases),
        ``cost`` and ``net`` (yuan, summed as :data:`MONEY_SQL_TYPE`), one row per layer, in no
        particular order.

    Examples
    --------
    >>> import sqlite3
    >>> db = sqlite3.connect(":memory:")
    >>> _ = db.execute("CREATE TABLE clean_cases (reason TEXT, case_type TEXT, cost REAL, net REAL)")
    >>> _ = db.executemany("INSERT INTO clean_cases VALUES (?, ?, ?, ?)", [
    ...     ("size_fit", "return", 100.0, -100.0), ("size_fit", "exchange", 120.0, -120.0),
    ...     ("quality_defect", "repair", 180.0, -80.0), ("logistics_delay", "return", 20.0, -20.0)])
    >>> db.execute(layer_agg_sql("reason", "clean_cases") + " ORDER BY reason").fetchall()
    [('logistics_delay', 1, 1, 20.0, -20.0), ('quality_defect', 1, 0, 180.0, -80.0), ('size_fit', 2, 2, 220.0, -220.0)]
    >>> db.close()
    """
    by = list(parse_by(by))
    sel = ", ".join(by) + ", " if by else "'all' AS layer, "
    group = f"\nGROUP BY {', '.join(by)}" if by else ""
    return (f"SELECT {sel}COUNT(*) AS cases,\n"
            f"       SUM(CASE WHEN case_type IN ('return', 'exchange') THEN 1 ELSE 0 END) AS returns,\n"
            f"       CAST(COALESCE(SUM(CAST(cost AS {MONEY_SQL_TYPE})), 0) AS DOUBLE) AS cost,\n"
            f"       CAST(COALESCE(SUM(CAST(net AS {MONEY_SQL_TYPE})), 0) AS DOUBLE) AS net\n"
            f"FROM {source}{group}")


# ------------------------------------------------------------------------------ DuckDB
def connect(memory_limit: str = "1GB", temp_dir: str | os.PathLike | None = None,
            threads: int | None = None):
    """A DuckDB connection that keeps to ``memory_limit`` and spills to ``temp_dir``.

    Parameters
    ----------
    memory_limit : str, optional
        DuckDB's ``memory_limit`` (default ``"1GB"``; ``"500MB"``...); past it, operators
        spill to disk.
    temp_dir : str or os.PathLike, optional
        Where DuckDB spills; DuckDB's default when None.
    threads : int, optional
        Worker threads; DuckDB's default (one per core) when None.

    Returns
    -------
    duckdb.DuckDBPyConnection
        An in-memory database; insertion order is not preserved (DuckDB's
        ``preserve_insertion_order`` off), so queries that need an order say ``ORDER BY``.

    Raises
    ------
    ValueError
        If DuckDB does not accept the settings (one line, naming the memory limit).

    Examples
    --------
    >>> con = connect("256MB", threads=1)
    >>> con.execute("SELECT current_setting('threads')").fetchone()
    (1,)
    >>> con.close()
    >>> try:
    ...     connect("lots")
    ... except ValueError as exc:
    ...     print(str(exc).split(":")[0])
    DuckDB settings not accepted (memory limit 'lots')
    """
    import duckdb

    config = {"memory_limit": str(memory_limit), "preserve_insertion_order": "false"}
    if temp_dir is not None:
        config["temp_directory"] = str(temp_dir)
    if threads is not None:
        config["threads"] = str(int(threads))
    try:
        return duckdb.connect(config=config)
    except (duckdb.InvalidInputException, duckdb.ParserException, duckdb.Error) as exc:
        raise ValueError(f"DuckDB settings not accepted (memory limit {memory_limit!r}): "
                         f"{str(exc).splitlines()[0]}") from None


def quote_path(path: str | os.PathLike) -> str:
    """A file path as an SQL string literal (single quotes doubled).

    Parameters
    ----------
    path : str or os.PathLike
        The path (or glob), as given.

    Returns
    -------
    str
        The path between single quotes, each quote in it doubled.

    Examples
    --------
    >>> quote_path("shop's exports/clean.parquet")
    "'shop''s exports/clean.parquet'"
    """
    return "'" + str(path).replace("'", "''") + "'"


def register_parquet(con, name: str, parquet: str | os.PathLike) -> None:
    """Make Parquet file(s) (a path or a glob) visible to DuckDB as the view ``name``.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        A connection (see :func:`connect`).
    name : str
        The view's name (an SQL identifier; replaced if it exists).
    parquet : str or os.PathLike
        A Parquet file, or a glob of several with the same columns.

    Returns
    -------
    None

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> cases = pd.DataFrame({
    ...     "reason": ["size_fit", "size_fit", "quality_defect", "logistics_delay"],
    ...     "case_type": ["return", "exchange", "repair", "return"],
    ...     "customer_id": ["C1", "C2", "C1", "C3"],
    ...     "cost": [100.0, 120.0, 180.0, 20.0], "net": [-100.0, -120.0, -80.0, -20.0]})
    >>> folder = tempfile.TemporaryDirectory()
    >>> cases.to_parquet(Path(folder.name) / "clean.parquet")
    >>> con = connect(threads=1)
    >>> register_parquet(con, "clean_cases", Path(folder.name) / "*.parquet")
    >>> con.execute(totals_sql("clean_cases")).fetchone()
    (4, 420.0, -320.0)
    >>> con.close()
    >>> folder.cleanup()
    """
    con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet({quote_path(parquet)})")


def layers_duckdb(parquet: str | os.PathLike, by=("category", "reason"), tiers: str | os.PathLike | None = None,
                  con=None) -> "pd.DataFrame":
    """Run :func:`layer_sql` with DuckDB over Parquet file(s) of clean cases, as a DataFrame.

    Parameters
    ----------
    parquet : str or os.PathLike
        Parquet file(s) (a path or a glob) of clean cases, with ``cost`` and ``net`` (yuan).
    by : str or sequence of str, optional
        Layer dimensions (default category and reason).
    tiers : str or os.PathLike, optional
        Parquet file of ``customer_id, value_tier`` (needed for ``customer_tier``).
    con : duckdb.DuckDBPyConnection, optional
        One made by :func:`connect`; when None a default one is opened and closed again.

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`layer_sql`, largest cost first.

    Raises
    ------
    ValueError
        As :func:`layer_sql` (``customer_tier`` without ``tiers``).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> cases = pd.DataFrame({
    ...     "reason": ["size_fit", "size_fit", "quality_defect", "logistics_delay"],
    ...     "case_type": ["return", "exchange", "repair", "return"],
    ...     "customer_id": ["C1", "C2", "C1", "C3"],
    ...     "cost": [100.0, 120.0, 180.0, 20.0], "net": [-100.0, -120.0, -80.0, -20.0]})
    >>> folder = tempfile.TemporaryDirectory()
    >>> cases.to_parquet(Path(folder.name) / "clean.parquet")
    >>> t = layers_duckdb(Path(folder.name) / "clean.parquet", "case_type")
    >>> t[["case_type", "cases", "cost", "cumulative_share"]].round(4).values.tolist()
    [['repair', 1, 180.0, 0.4286], ['exchange', 1, 120.0, 0.7143], ['return', 2, 120.0, 1.0]]

    By customer tier, from a tiers file (C3 is in none: ``unknown``):

    >>> pd.DataFrame({"customer_id": ["C1", "C2"], "value_tier": ["high", "low"]}).to_parquet(
    ...     Path(folder.name) / "tiers.parquet")
    >>> t = layers_duckdb(Path(folder.name) / "clean.parquet", "customer_tier",
    ...                   tiers=Path(folder.name) / "tiers.parquet")
    >>> t[["customer_tier", "cases", "cost"]].values.tolist()
    [['high', 2, 280.0], ['low', 1, 120.0], ['unknown', 1, 20.0]]
    >>> folder.cleanup()
    """
    own = con is None
    con = connect() if own else con
    try:
        register_parquet(con, "clean_cases", parquet)
        if tiers is not None:
            register_parquet(con, "customer_tiers", tiers)
        return con.execute(layer_sql(by, "clean_cases", "customer_tiers" if tiers is not None else None)).df()
    finally:
        if own:
            con.close()


def parquet_rows(path: str | os.PathLike) -> int:
    """Rows in a Parquet file, from its footer."""
    import pyarrow.parquet as pq

    return pq.ParquetFile(Path(path)).metadata.num_rows
