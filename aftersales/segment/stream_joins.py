"""The joins of the streaming engine: repair records, feedback and orders joined to the streamed cases in DuckDB.

The other sources are small: they are read and cleaned in memory with the code of the in-memory
engine (:mod:`aftersales.segment.joins`, :mod:`aftersales.segment.orders`), registered in DuckDB
and joined there to the clean cases, which stay on disk (Parquet). Each join makes a new view
of the cases (``cases_1``, ``cases_2``, ...), as :func:`aftersales.segment.pipeline.load_dataset`
makes a new frame: the same rules, the same reports, the same unmatched rows.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from aftersales.segment.joins import UNMATCHED_COLUMNS
from aftersales.segment.schema import CASE_COLUMNS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["Cases", "join_repairs_sql", "join_feedback_sql", "attach_tiers_sql", "match_orders_sql",
           "refunds_by_customer", "add_periods", "unmatched_schema", "example_cases"]

#: row_seq of the repair records kept as cases of their own start here (after every case row)
_ALONE_SEQ = 1 << 50
_CLEAN_COLUMNS = tuple(CASE_COLUMNS) + ("cost", "net", "source_file", "source_row", "row_seq")


def unmatched_schema():
    """The columns of the unmatched rows of every join, as Arrow types (``unmatched.csv``).

    Returns
    -------
    pyarrow.Schema
        join, side, key, source_file (text), source_row (int64) and cost (yuan, double): the
        columns of :data:`~aftersales.segment.joins.UNMATCHED_COLUMNS`.

    Examples
    --------
    >>> unmatched_schema().names
    ['join', 'side', 'key', 'source_file', 'source_row', 'cost']
    """
    import pyarrow as pa

    return pa.schema([("join", pa.string()), ("side", pa.string()), ("key", pa.string()),
                      ("source_file", pa.string()), ("source_row", pa.int64()), ("cost", pa.float64())])


class Cases:
    """The current view of the clean cases in a DuckDB connection; each join makes the next.

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        The connection holding the clean cases (see :func:`~aftersales.segment.sql.connect`).
    view : str, optional
        The view (or table) of the clean cases, with the columns of
        :func:`~aftersales.segment.stream_clean.clean_schema` (default ``"clean_cases"``).

    Notes
    -----
    ``then(select)`` makes ``select`` (written over ``{prev}``) the next view ``cases_1``,
    ``cases_2``, ... and returns the previous view's name; ``register(table)`` registers an Arrow
    table or frame under a fresh name ``t_1``, ``t_2``, ...; ``one(query)`` runs a query over
    ``{v}`` (the current view) and gives its first row. ``alone_seq`` is the next row_seq for
    repair records kept as cases of their own (after every case row).

    Examples
    --------
    >>> import pandas as pd
    >>> from aftersales.segment.cleaning import clean_cases
    >>> from aftersales.segment.schema import CASE_COLUMNS
    >>> from aftersales.segment.sql import connect
    >>> from aftersales.segment.stream_clean import clean_schema, frame_arrow
    >>> raw = pd.DataFrame({
    ...     "case_id": ["A1", "A2", "A3"], "order_id": ["O1", "O2", "O9"],
    ...     "customer_id": ["C1", "C2", "C1"], "opened_at": ["2024-03-05", "2024-03-09", "2024-04-02"],
    ...     "case_type": ["return", "exchange", "repair"], "handling_cost": ["40", "40", "150"],
    ...     "refund_amount": ["600", "0", "0"]})
    >>> clean = clean_cases(raw.reindex(columns=CASE_COLUMNS, fill_value=""), sources=["cases.csv"]).clean
    >>> con = connect(threads=1)
    >>> _ = con.register("clean_cases", frame_arrow(clean.assign(source_file="cases.csv"), clean_schema(), range(3)))
    >>> cases = Cases(con)
    >>> cases.view, cases.one("SELECT COUNT(*), SUM(cost) FROM {v}")
    ('clean_cases', (3, 230.0))
    >>> cases.then("SELECT * FROM {prev} WHERE cost > 50"), cases.view
    ('clean_cases', 'cases_1')
    >>> cases.one("SELECT COUNT(*) FROM {v}")
    (1,)
    >>> con.close()
    """

    def __init__(self, con, view: str = "clean_cases"):
        self.con, self.view, self._k, self._t = con, view, 0, 0
        self.alone_seq = _ALONE_SEQ

    def then(self, select: str) -> str:
        """Make ``select`` (over ``{prev}``) the next view; returns the previous view's name."""
        prev = self.view
        self._k += 1
        self.view = f"cases_{self._k}"
        self.con.execute(f"CREATE OR REPLACE VIEW {self.view} AS " + select.format(prev=prev))
        return prev

    def register(self, table) -> str:
        """An Arrow table or frame under a fresh name."""
        self._t += 1
        name = f"t_{self._t}"
        self.con.register(name, table)
        return name

    def one(self, query: str):
        return self.con.execute(query.format(v=self.view)).fetchall()[0]


def _frame(cols: dict) -> "pd.DataFrame":
    import pandas as pd

    return pd.DataFrame(cols)


def _arrow_unmatched(frame) -> "pa.Table":
    import pyarrow as pa

    from aftersales.segment.writers import arrow_for_csv

    t = arrow_for_csv(frame[list(UNMATCHED_COLUMNS)])
    return pa.Table.from_arrays([t[f.name].cast(f.type) for f in unmatched_schema()], schema=unmatched_schema())


def _sql_unmatched(cases: Cases, join: str, view: str, where: str):
    """The cases-side unmatched rows as a query over a view, in the order of the cases."""
    q = (f"SELECT '{join}' AS \"join\", 'cases' AS side, case_id AS \"key\", source_file, source_row, cost "
         f"FROM {view} WHERE {where} ORDER BY row_seq")
    return ("sql", q)


def join_repairs_sql(cases: Cases, path, aliases, encoding):
    r"""The repair records of a file joined to the cases (see :func:`aftersales.segment.joins.join_repairs`).

    A record whose case_id names a clean case adds its repair cost to that case's handling cost
    (and its logistics and service revenue); a record without such a case stays as a repair case
    of its own (``R:`` + repair id).

    Parameters
    ----------
    cases : Cases
        The current view of the clean cases; it becomes a new view with the records joined.
    path : str or os.PathLike
        The repair-records file (维修单号, 关联售后单号, 送修时间, 维修费用...).
    aliases : Aliases
        The alias table.
    encoding : str or None
        The file's text encoding (detected when None).

    Returns
    -------
    result : CleanResult
        The records' cleaning outcome (set-aside rows; fields set aside of the records kept as
        cases of their own).
    report : dict
        file, records, records_clean, records_set_aside, matched, unmatched_records,
        unmatched_cost, repair_cases_without_record (+ _cost) and cost_added (yuan): the
        in-memory engine's report.
    parts : list of tuple
        The unmatched rows: ``("arrow", table)`` for the records without a case and ``("sql",
        query)`` for the repair cases without a record (columns of :func:`unmatched_schema`).

    Examples
    --------
    >>> cases = example_cases()
    >>> con = cases.con
    >>> import tempfile
    >>> from pathlib import Path
    >>> from aftersales.segment.aliases import load_aliases
    >>> folder = tempfile.TemporaryDirectory()
    >>> repairs = Path(folder.name) / "repairs.csv"
    >>> _ = repairs.write_text("维修单号,关联售后单号,送修时间,维修费用\nWX1,A3,2024-04-04,90\nWX2,,2024-04-10,45\n",
    ...                        encoding="utf-8")
    >>> result, report, parts = join_repairs_sql(cases, repairs, load_aliases(), None)
    >>> report["matched"], report["unmatched_records"], report["cost_added"]
    (1, 1, 90.0)
    >>> con.execute(f"SELECT case_id, handling_cost FROM {cases.view} ORDER BY case_id").fetchall()
    [('A1', 40.0), ('A2', 40.0), ('A3', 240.0), ('R:WX2', 45.0)]
    >>> parts[0][1].to_pylist()
    [{'join': 'repairs', 'side': 'repairs', 'key': 'R:WX2', 'source_file': 'repairs.csv', 'source_row': 3, 'cost': 45.0}]
    >>> con.close()
    >>> folder.cleanup()
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from aftersales.segment.joins import read_repairs, unmatched_table
    from aftersales.segment.stream_clean import clean_schema, frame_arrow

    res, info, link, src_rows = read_repairs(path, aliases, encoding)
    rep = res.clean
    wanted = pd.unique(link[link != ""]) if len(link) else np.zeros(0, object)
    t = cases.register(pa.table({"link": pa.array(list(wanted), pa.string())}))
    found = {r[0] for r in cases.con.execute(
        f"SELECT DISTINCT c.case_id FROM {cases.view} c JOIN {t} l ON c.case_id = l.link").fetchall()}
    matched = (link != "") & np.array([x in found for x in link], dtype=bool)
    add = rep.loc[matched].assign(_link=link[matched]).groupby("_link")[
        ["logistics_cost", "handling_cost", "service_revenue"]].sum()
    adds = cases.register(pa.table({"case_id": pa.array(add.index.astype(str).to_numpy(), pa.string()),
                                    "l_add": add["logistics_cost"].to_numpy(), "h_add": add["handling_cost"].to_numpy(),
                                    "s_add": add["service_revenue"].to_numpy()}))
    alone = rep.loc[~matched].copy()
    alone["source_file"] = info["file"]
    alone["source_row"] = src_rows[~matched]
    seqs = np.arange(cases.alone_seq, cases.alone_seq + len(alone), dtype=np.int64)
    cases.alone_seq += len(alone)
    alone_t = cases.register(frame_arrow(alone, clean_schema(), seqs))
    l_, h_, s_ = ("c.logistics_cost + COALESCE(a.l_add, 0)", "c.handling_cost + COALESCE(a.h_add, 0)",
                  "c.service_revenue + COALESCE(a.s_add, 0)")
    cost = f"(({l_}) + ({h_})) + c.discount_loss"
    cols = ", ".join({"logistics_cost": f"{l_} AS logistics_cost", "handling_cost": f"{h_} AS handling_cost",
                      "service_revenue": f"{s_} AS service_revenue", "cost": f"{cost} AS cost",
                      "net": f"({s_}) - ({cost}) AS net"}.get(c, f"c.{c}") for c in _CLEAN_COLUMNS)
    prev = cases.then(f"SELECT {cols} FROM {{prev}} c LEFT JOIN {adds} a ON c.case_id = a.case_id "
                      f"UNION ALL SELECT {', '.join(_CLEAN_COLUMNS)} FROM {alone_t}")
    if res.unattributed is not None and len(res.unattributed):   # a merged record's fields are its case's
        res.unattributed = res.unattributed[res.unattributed["case_id"].isin(set(alone["case_id"].astype(str)))]
        res.unattributed = res.unattributed.reset_index(drop=True)
    has = cases.register(pa.table({"link": pa.array(list(pd.unique(link[matched])), pa.string())}))
    lonely = f"case_type = 'repair' AND case_id NOT IN (SELECT link FROM {has})"
    n_lonely, lonely_cost = cases.con.execute(
        f"SELECT COUNT(*), CAST(COALESCE(SUM(CAST(cost AS DECIMAL(38, 6))), 0) AS DOUBLE) FROM {prev} "
        f"WHERE {lonely}").fetchall()[0]
    parts = [("arrow", _arrow_unmatched(unmatched_table("repairs", "repairs", rep.loc[~matched, "case_id"].to_numpy(),
                                                   info["file"], src_rows[~matched],
                                                   rep.loc[~matched, "cost"].to_numpy()))),
             _sql_unmatched(cases, "repairs", prev, lonely)]
    report = {"file": info["file"], "records": res.rows_in, "records_clean": res.rows_clean,
              "records_set_aside": res.rows_set_aside, "matched": int(matched.sum()),
              "unmatched_records": int((~matched).sum()), "unmatched_cost": float(rep.loc[~matched, "cost"].sum()),
              "repair_cases_without_record": int(n_lonely), "repair_cases_without_record_cost": float(lonely_cost),
              "cost_added": float(add["logistics_cost"].sum() + add["handling_cost"].sum())}
    return res, report, parts


def _columns(cases: Cases) -> list[str]:
    return [r[0] for r in cases.con.execute(f"DESCRIBE {cases.view}").fetchall()]


def join_feedback_sql(cases: Cases, path, aliases, encoding):
    r"""Feedback joined to the cases (see :func:`aftersales.segment.joins.join_feedback`).

    A score (1-5) is joined by case_id, else by order_id (the first case of that order); it
    fills the satisfaction of cases that have none, the lowest score of a case counting.

    Parameters
    ----------
    cases : Cases
        The current view of the clean cases; it becomes a new view with satisfaction filled.
    path : str or os.PathLike
        The feedback file (评分 / satisfaction, and case_id or order_id).
    aliases : Aliases
        The alias table.
    encoding : str or None
        The file's text encoding (detected when None).

    Returns
    -------
    report : dict
        file, rows, rows_set_aside (no score 1-5 or no key), matched, unmatched, cases_filled
        and cases_without_feedback: the in-memory engine's report.
    parts : list of tuple
        ``[("arrow", table)]``: the feedback rows without a case (columns of
        :func:`unmatched_schema`, cost 0).

    Examples
    --------
    >>> cases = example_cases()
    >>> con = cases.con
    >>> import tempfile
    >>> from pathlib import Path
    >>> from aftersales.segment.aliases import load_aliases
    >>> folder = tempfile.TemporaryDirectory()
    >>> feedback = Path(folder.name) / "feedback.csv"
    >>> _ = feedback.write_text("case_id,order_id,satisfaction\nA1,,2\n,O2,5\nA9,,4\n", encoding="utf-8")
    >>> report, parts = join_feedback_sql(cases, feedback, load_aliases(), None)
    >>> report["matched"], report["unmatched"], report["cases_filled"]
    (2, 1, 2)
    >>> con.execute(f"SELECT case_id, satisfaction FROM {cases.view} ORDER BY case_id").fetchall()
    [('A1', 2), ('A2', 5), ('A3', None)]
    >>> parts[0][1].column("key").to_pylist()
    ['A9']
    >>> con.close()
    >>> folder.cleanup()
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa

    from aftersales.segment.joins import read_feedback, unmatched_table

    fb = read_feedback(path, aliases, encoding)
    cid, oid, v, good, rows, info, n = (fb[k] for k in ("cid", "oid", "v", "good", "rows", "info", "n"))
    idx = np.flatnonzero(good)
    t = cases.register(pa.table({"i": pa.array(idx, pa.int64()), "cid": pa.array(list(cid[idx]), pa.string()),
                                 "oid": pa.array(list(oid[idx]), pa.string())}))
    hits = cases.con.execute(
        f"SELECT f.i, c.row_seq FROM {t} f JOIN {cases.view} c ON f.cid <> '' AND c.case_id = f.cid "
        f"UNION ALL "
        f"SELECT f.i, m.first_seq FROM {t} f JOIN (SELECT order_id, MIN(row_seq) AS first_seq FROM {cases.view} "
        f"WHERE order_id IN (SELECT oid FROM {t} WHERE cid = '') GROUP BY order_id) m "
        f"ON f.cid = '' AND f.oid = m.order_id").fetchall()
    target = np.full(n, -1, dtype=np.int64)
    for i, seq in hits:
        target[i] = seq
    hit = good & (target >= 0)
    best = pd.Series(v[hit], index=target[hit]).groupby(level=0).min()
    b = cases.register(pa.table({"row_seq": pa.array(best.index.to_numpy(), pa.int64()),
                                 "best": pa.array(best.to_numpy(), pa.float64())}))
    cols = ", ".join("COALESCE(c.satisfaction, CAST(b.best AS TINYINT)) AS satisfaction" if c == "satisfaction"
                     else f"c.{c}" for c in _columns(cases))
    prev = cases.then(f"SELECT {cols} FROM {{prev}} c LEFT JOIN {b} b ON c.row_seq = b.row_seq")
    n_cases, filled = cases.con.execute(
        f"SELECT COUNT(*), COUNT(b.best) FILTER (WHERE c.satisfaction IS NULL) FROM {prev} c "
        f"LEFT JOIN {b} b ON c.row_seq = b.row_seq").fetchall()[0]
    miss = good & (target < 0)
    um = unmatched_table("feedback", "feedback", np.where(cid != "", cid, oid)[miss], info["file"], rows[miss],
                    np.zeros(int(miss.sum())))
    report = {"file": info["file"], "rows": n, "rows_set_aside": int((~good).sum()), "matched": int(hit.sum()),
              "unmatched": int(miss.sum()), "cases_filled": int(filled),
              "cases_without_feedback": int(n_cases) - len(best)}
    return report, [("arrow", _arrow_unmatched(um))]


def refunds_by_customer(cases: Cases) -> "pd.Series":
    """The refunds of the cases per customer_id (yuan), for RFM when the orders carry none.

    Parameters
    ----------
    cases : Cases
        The current view of the clean cases.

    Returns
    -------
    pandas.Series
        Yuan per customer_id (an exact sum, then double), in no particular order; the
        ``refunds`` of :func:`~aftersales.segment.tiers.rfm_tiers`.

    Examples
    --------
    >>> cases = example_cases()
    >>> con = cases.con
    >>> refunds_by_customer(cases).sort_index().to_dict()
    {'C1': 600.0, 'C2': 0.0}
    >>> con.close()
    """
    import pandas as pd

    rows = cases.con.execute(f"SELECT customer_id, CAST(COALESCE(SUM(CAST(refund_amount AS DECIMAL(38, 6))), 0) "
                             f"AS DOUBLE) FROM {cases.view} GROUP BY customer_id").fetchall()
    return pd.Series([r[1] for r in rows], index=pd.Index([r[0] for r in rows], dtype=object), dtype=float)


def attach_tiers_sql(cases: Cases, tiers) -> None:
    """Each case's customer_tier from the RFM tiers (``unknown`` when its customer has none).

    Parameters
    ----------
    cases : Cases
        The current view of the clean cases; it becomes a new view with ``customer_tier``.
    tiers : pandas.DataFrame
        The result of :func:`~aftersales.segment.tiers.rfm_tiers` (indexed by customer_id, with
        ``value_tier``).

    Returns
    -------
    None

    Examples
    --------
    >>> import pandas as pd
    >>> cases = example_cases()
    >>> con = cases.con
    >>> tiers = pd.DataFrame({"value_tier": ["high"]}, index=pd.Index(["C1"], name="customer_id"))
    >>> attach_tiers_sql(cases, tiers)
    >>> con.execute(f"SELECT case_id, customer_tier FROM {cases.view} ORDER BY case_id").fetchall()
    [('A1', 'high'), ('A2', 'unknown'), ('A3', 'high')]
    >>> con.close()
    """
    import pyarrow as pa

    t = cases.register(pa.table({"customer_id": pa.array(tiers.index.astype(str).to_numpy(), pa.string()),
                                 "value_tier": pa.array(tiers["value_tier"].astype(str).to_numpy(), pa.string())}))
    cases.then(f"SELECT c.*, COALESCE(t.value_tier, 'unknown') AS customer_tier FROM {{prev}} c "
               f"LEFT JOIN {t} t ON c.customer_id = t.customer_id")


def match_orders_sql(cases: Cases, orders):
    """The cases matched to the orders (see :func:`aftersales.segment.joins.match_orders`).

    Parameters
    ----------
    cases : Cases
        The current view of the clean cases.
    orders : pandas.DataFrame
        The clean orders (``order_id``).

    Returns
    -------
    report : dict
        cases_matched, cases_unmatched, cases_unmatched_cost (yuan), orders_with_case,
        orders_without_case: the in-memory engine's report.
    parts : list of tuple
        The unmatched rows: ``[("sql", query)]``, a query over the cases giving the columns of
        :func:`unmatched_schema`, in the order of the cases.

    Examples
    --------
    >>> import pandas as pd
    >>> cases = example_cases()
    >>> con = cases.con
    >>> report, parts = match_orders_sql(cases, pd.DataFrame({"order_id": ["O1", "O2", "O3"]}))
    >>> report
    {'cases_matched': 2, 'cases_unmatched': 1, 'cases_unmatched_cost': 150.0, 'orders_with_case': 2, 'orders_without_case': 1}
    >>> con.execute(parts[0][1]).fetchall()
    [('orders', 'cases', 'A3', 'cases.csv', 3, 150.0)]
    >>> con.close()
    """
    import pyarrow as pa

    t = cases.register(pa.table({"order_id": pa.array(orders["order_id"].astype(str).to_numpy(), pa.string())}))
    known = f"order_id IN (SELECT order_id FROM {t})"
    matched, unmatched, cost = cases.one(
        f"SELECT COUNT(*) FILTER (WHERE {known}), COUNT(*) FILTER (WHERE NOT ({known})), "
        f"CAST(COALESCE(SUM(CAST(cost AS DECIMAL(38, 6))) FILTER (WHERE NOT ({known})), 0) AS DOUBLE) FROM {{v}}")
    with_case = cases.con.execute(f"SELECT COUNT(*) FROM {t} WHERE order_id IN "
                                  f"(SELECT order_id FROM {cases.view})").fetchall()[0][0]
    report = {"cases_matched": int(matched), "cases_unmatched": int(unmatched), "cases_unmatched_cost": float(cost),
              "orders_with_case": int(with_case), "orders_without_case": int(len(orders) - with_case)}
    return report, [_sql_unmatched(cases, "orders", cases.view, f"NOT ({known})")]


def add_periods(cases: Cases, units) -> None:
    """Columns month / week / quarter: the period each case was opened in.

    The periods are labelled by :func:`aftersales.segment.layers.period` once per distinct day,
    then joined in SQL, so they are the in-memory engine's labels.

    Parameters
    ----------
    cases : Cases
        The current view of the clean cases; it becomes a new view with one column per unit.
    units : sequence of str
        Some of ``"month"`` (2024-03), ``"week"`` (ISO, 2024-W09), ``"quarter"`` (2024Q1); none:
        nothing is done.

    Returns
    -------
    None

    Examples
    --------
    >>> cases = example_cases()
    >>> con = cases.con
    >>> add_periods(cases, ["month", "quarter"])
    >>> con.execute(f"SELECT case_id, month, quarter FROM {cases.view} ORDER BY case_id").fetchall()
    [('A1', '2024-03', '2024Q1'), ('A2', '2024-03', '2024Q1'), ('A3', '2024-04', '2024Q2')]
    >>> con.close()
    """
    import numpy as np
    import pyarrow as pa

    from aftersales.segment.layers import period

    if not units:
        return
    days = [r[0] for r in cases.con.execute(f"SELECT DISTINCT opened_at FROM {cases.view} ORDER BY 1").fetchall()]
    d = np.array(days, dtype="datetime64[D]")
    cols = {"day": pa.array(d, pa.date32())}
    for u in units:
        cols[u] = pa.array(np.asarray(period(d, u)).astype(str) if len(d) else [], pa.string())
    t = cases.register(pa.table(cols))
    cases.then(f"SELECT c.*, {', '.join(f'p.{u}' for u in units)} FROM {{prev}} c JOIN {t} p ON c.opened_at = p.day")


def example_cases() -> Cases:
    """The three cleaned cases of this module's examples, in a new in-memory DuckDB, as :class:`Cases`.

    Cases A1 (return, order O1, customer C1, handling 40, refund 600), A2 (exchange, O2, C2, 40)
    and A3 (repair, O9, an order no file holds, C1, 150), opened in March and April 2024, cleaned
    by :func:`~aftersales.segment.cleaning.clean_cases` and registered as ``clean_cases``: what
    :class:`Cases`' own example builds step by step.

    Returns
    -------
    Cases
        Over the view ``clean_cases`` of a one-thread connection (``.con``; close it when done).

    Examples
    --------
    >>> cases = example_cases()
    >>> cases.one("SELECT COUNT(*), SUM(cost) FROM {v}")
    (3, 230.0)
    >>> cases.con.close()
    """
    import pandas as pd

    from aftersales.segment.cleaning import clean_cases
    from aftersales.segment.sql import connect
    from aftersales.segment.stream_clean import clean_schema, frame_arrow

    raw = pd.DataFrame({
        "case_id": ["A1", "A2", "A3"], "order_id": ["O1", "O2", "O9"],
        "customer_id": ["C1", "C2", "C1"], "opened_at": ["2024-03-05", "2024-03-09", "2024-04-02"],
        "case_type": ["return", "exchange", "repair"], "handling_cost": ["40", "40", "150"],
        "refund_amount": ["600", "0", "0"]})
    clean = clean_cases(raw.reindex(columns=CASE_COLUMNS, fill_value=""), sources=["cases.csv"]).clean
    con = connect(threads=1)
    con.register("clean_cases", frame_arrow(clean.assign(source_file="cases.csv"), clean_schema(), range(3)))
    return Cases(con)
