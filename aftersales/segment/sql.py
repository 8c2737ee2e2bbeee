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
    by : str or sequence of str
        Layer dimensions (see :data:`aftersales.segment.analysis.DIMENSIONS`); none gives one
        layer ``all``.
    source : str
        A table (or view) of clean cases with the columns of the clean frame, ``cost`` and
        ``net`` among them.
    tiers : str, optional
        A table of ``customer_id, value_tier`` (from RFM); needed for ``customer_tier``. Cases of
        customers not in it get the tier ``unknown``.

    Returns
    -------
    str
        The query; its columns are the keys (or ``layer``), cases, cost, net (yuan),
        share_of_cost and cumulative_share, rows largest cost first, ties by the keys.

    Examples
    --------
    >>> print(layer_sql("reason").splitlines()[4])
      SELECT reason, COUNT(*) AS cases,
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

    Examples
    --------
    >>> totals_sql("t").splitlines()[0]
    'SELECT COUNT(*) AS rows_clean,'
    """
    return (f"SELECT COUNT(*) AS rows_clean,\n"
            f"       CAST(COALESCE(SUM(CAST(cost AS {MONEY_SQL_TYPE})), 0) AS DOUBLE) AS total_cost,\n"
            f"       CAST(COALESCE(SUM(CAST(net AS {MONEY_SQL_TYPE})), 0) AS DOUBLE) AS total_net\n"
            f"FROM {source}")


def duplicates_sql(source: str = "case_ids") -> str:
    """The rows whose case_id appeared in an earlier row, in row order, as portable SQL.

    ``source`` has the columns ``case_id`` (trimmed text; empty ids are not duplicates) and
    ``row_seq`` (the position of the row over all input files, 0 first). The first occurrence
    of an id is kept, as in :func:`aftersales.segment.records.clean_cases`. Only ids that occur
    more than once reach the join, so the join's table stays as small as the duplicates.

    Examples
    --------
    >>> "HAVING COUNT(*) > 1" in duplicates_sql()
    True
    """
    return (f"WITH repeated AS (\n"
            f"  SELECT case_id, MIN(row_seq) AS first_seq\n"
            f"  FROM {source}\n  WHERE case_id <> ''\n  GROUP BY case_id\n  HAVING COUNT(*) > 1\n)\n"
            f"SELECT s.row_seq\nFROM {source} s JOIN repeated r ON s.case_id = r.case_id\n"
            f"WHERE s.row_seq > r.first_seq\nORDER BY s.row_seq")


def group_rows_sql(source: str = "case_ids") -> str:
    """The positions of every row whose (non-empty) case_id occurs more than once, in row order.

    ``source`` has the columns ``case_id`` (trimmed text) and ``row_seq``. These rows are decided
    together (:func:`resolve_duplicates_sql`); the others are unique.

    Examples
    --------
    >>> "HAVING COUNT(*) > 1" in group_rows_sql()
    True
    """
    return (f"WITH repeated AS (\n"
            f"  SELECT case_id\n  FROM {source}\n  WHERE case_id <> ''\n  GROUP BY case_id\n  HAVING COUNT(*) > 1\n)\n"
            f"SELECT s.row_seq\nFROM {source} s JOIN repeated r ON s.case_id = r.case_id\nORDER BY s.row_seq")


def resolve_duplicates_sql(source: str = "dup_keys") -> str:
    """The duplicate status of each row of a repeated case_id: 0 kept, 1 exact, 2 conflicting duplicate.

    ``source`` has ``case_id, row_seq, usable, content`` (see :mod:`aftersales.segment.duplicates`):
    the row kept is the first by usable (true first), content and position; a group whose rows
    do not all have the kept row's usability and content is conflicting. Rows in row order.

    Examples
    --------
    >>> "ROW_NUMBER() OVER (PARTITION BY case_id" in resolve_duplicates_sql()
    True
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

    ``source`` has the clean case columns and a column for every dimension of ``by`` (the time
    dimensions as period labels, customer_tier); the ranking and the shares are then computed
    as in memory (:func:`aftersales.segment.layers.finish_layer_table`).

    Examples
    --------
    >>> layer_agg_sql("reason").splitlines()[0]
    'SELECT reason, COUNT(*) AS cases,'
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
    memory_limit : str
        DuckDB's ``memory_limit`` (``"1GB"``, ``"500MB"``); past it, operators spill to disk.
    temp_dir : path, optional
        Where DuckDB spills; DuckDB's default when None.
    threads : int, optional
        Worker threads; DuckDB's default (one per core) when None.

    Returns
    -------
    duckdb.DuckDBPyConnection
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
    """A file path as an SQL string literal (single quotes doubled)."""
    return "'" + str(path).replace("'", "''") + "'"


def register_parquet(con, name: str, parquet: str | os.PathLike) -> None:
    """Make Parquet file(s) (a path or a glob) visible to DuckDB as the view ``name``."""
    con.execute(f"CREATE OR REPLACE VIEW {name} AS SELECT * FROM read_parquet({quote_path(parquet)})")


def layers_duckdb(parquet: str | os.PathLike, by=("category", "reason"), tiers: str | os.PathLike | None = None,
                  con=None) -> "pd.DataFrame":
    """Run :func:`layer_sql` with DuckDB over Parquet file(s) of clean cases, as a DataFrame.

    Parameters
    ----------
    parquet : path or glob
        Parquet file(s) of clean cases (with ``cost`` and ``net``).
    by : str or sequence of str
        Layer dimensions.
    tiers : path, optional
        Parquet file of ``customer_id, value_tier`` (for ``customer_tier``).
    con : duckdb connection, optional
        One made by :func:`connect`; a default in-memory connection when None.
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
