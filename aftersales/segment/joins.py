"""Several sources joined on their keys: repair records and customer feedback onto the cases,
the cases onto the orders; the unmatched rows reported on both sides.

- **Repair records** (维修记录, their own export shape: repair_id, the case_id of the case that
  sent the item, repair_cost ...) are cleaned by the rules of the cases
  (:func:`~aftersales.segment.cleaning.clean_cases`, same set-aside report). A record whose
  case_id names a clean case adds its cost to that case (repair_cost to handling_cost,
  logistics_cost and service_revenue to the case's); a record without such a case is kept as a
  repair case of its own (case_id ``R:`` + repair_id) and reported as unmatched. Repair cases
  without a record are reported as unmatched on the cases' side (their cost is kept).
- **Feedback** (评价/回访: satisfaction 1-5, joined by case_id, else by order_id) fills the
  satisfaction of cases that have none; of several feedback rows of a case the lowest score
  counts. Rows without a usable score or key are set aside; unmatched rows are reported.
- **Orders**: cases whose order_id is not among the orders are reported (count and cost), and
  orders without a case are counted.
"""
from __future__ import annotations

import os
from typing import TYPE_CHECKING

from aftersales.segment.schema import (CASE_COLUMNS, FEEDBACK_COLUMNS, FEEDBACK_REQUIRED, REPAIR_COLUMNS,
                                       REPAIR_REQUIRED)

if TYPE_CHECKING:  # pragma: no cover
    import numpy as np
    import pandas as pd

__all__ = ["read_repairs", "join_repairs", "read_feedback", "join_feedback", "match_orders", "UNMATCHED_COLUMNS",
           "unmatched_table"]

#: Columns of the unmatched report (one row per unmatched row of either side).
UNMATCHED_COLUMNS = ("join", "side", "key", "source_file", "source_row", "cost")


def _among(values: "pd.Series", keys) -> "np.ndarray":
    """Which of ``values`` are among ``keys``, as ``values.isin(keys)`` says (a missing key matches a
    missing value), by a hash lookup: the isin of pandas' arrow strings makes one Python object per key,
    a second for 100,000 order ids."""
    import pandas as pd

    return pd.Index(pd.unique(pd.Series(keys))).get_indexer(values) >= 0


def unmatched_table(join, side, key, files, rows, cost) -> "pd.DataFrame":
    """The rows of one join that found no partner, as rows of the unmatched report.

    Parameters
    ----------
    join : str
        The join: ``"repairs"``, ``"feedback"`` or ``"orders"``.
    side : str
        The source the rows come from (``"repairs"``, ``"feedback"`` or ``"cases"``).
    key : array-like of str
        The key of each row (a case_id, or an order_id).
    files : str or array-like of str
        The source file of each row (one name for all).
    rows : array-like of int
        The source row of each row (the header is row 1).
    cost : array-like of float
        The cost of each row (yuan; 0 for feedback).

    Returns
    -------
    pandas.DataFrame
        The columns of :data:`UNMATCHED_COLUMNS`, one row per key.

    Examples
    --------
    >>> unmatched_table("orders", "cases", ["AS2"], "cases.csv", [3], [30.0]).values.tolist()
    [['orders', 'cases', 'AS2', 'cases.csv', 3, 30.0]]
    """
    import pandas as pd

    return pd.DataFrame({"join": join, "side": side, "key": pd.Series(key, dtype=object),
                         "source_file": pd.Series(files, dtype=object), "source_row": rows, "cost": cost})


def read_repairs(path: str | os.PathLike, aliases=None, encoding=None):
    r"""Read a repair-records file and clean it like cases (case_id ``R:`` + repair_id).

    Parameters
    ----------
    path : str or os.PathLike
        The repair records (CSV in any encoding or .xlsx): repair_id, opened_at and repair_cost
        required; case_id (the case that sent the item), order_id, customer_id, channel,
        category, reason, logistics_cost and service_revenue optional. Headers through the alias
        table (维修单号, 关联售后单号, 维修费用 ...).
    aliases : Aliases, optional
        The alias table (the shipped one when None).
    encoding : str, optional
        The text encoding of a CSV (detected when None).

    Returns
    -------
    result : CleanResult
        The records cleaned as repair cases: repair_cost as handling_cost (yuan), the set-aside
        report as for cases.
    info : dict
        The file's ``files`` entry (file, encoding, format, alias_used, absent).
    link : numpy.ndarray of object
        Per clean record, the case_id it belongs to (``""`` when none).
    src_rows : numpy.ndarray of int64
        Per clean record, its source row (the header is row 1).

    Raises
    ------
    FileNotFoundError
        If the file does not exist (``"<path>: no such repair-records file"``).
    ValueError
        If a required column is missing (the message names the file).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = Path(d) / "repairs.csv"
    ...     _ = f.write_text("维修单号,关联售后单号,送修时间,维修费用,回寄运费\n"
    ...                      "WX1,AS2,2024/03/08,¥100.00,12\nWX2,,2024/03/09,50,-\n", encoding="utf-8")
    ...     result, info, link, src_rows = read_repairs(f)
    >>> result.clean[["case_id", "case_type", "cost"]].values.tolist()
    [['R:WX1', 'repair', 112.0], ['R:WX2', 'repair', 50.0]]
    >>> info["file"], link.tolist(), src_rows.tolist()
    ('repairs.csv', ['AS2', ''], [2, 3])
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    from aftersales.segment.cleaning import clean_cases
    from aftersales.segment.readers import read_source

    raw, info = read_source(path, REPAIR_COLUMNS, REPAIR_REQUIRED, aliases, encoding, what="repair-records file")
    n = raw.num_rows
    rid = pc.utf8_trim_whitespace(raw["repair_id"])
    empty = pa.array([""] * n, pa.string())
    shaped = {c: empty for c in CASE_COLUMNS}
    shaped.update({c: raw[c] for c in ("order_id", "customer_id", "opened_at", "channel", "category", "reason",
                                       "logistics_cost", "service_revenue")})
    shaped["case_id"] = pc.if_else(pc.equal(rid, ""), "", pc.binary_join_element_wise("R:", rid, ""))
    shaped["case_type"] = pa.array(["repair"] * n, pa.string())
    shaped["handling_cost"] = raw["repair_cost"]
    shaped["source_file"] = pa.array([info["file"]] * n, pa.string())
    shaped["source_row"] = pa.array(np.arange(2, n + 2, dtype=np.int64))
    link_all = pc.utf8_trim_whitespace(raw["case_id"]).to_numpy(zero_copy_only=False).astype(object)
    res = clean_cases(pa.table(shaped), "export", aliases, [str(path)])
    rep = res.clean
    # each clean row's link (the case it belongs to) and source row (of the row kept for its id)
    src_rows = rep["source_row"].to_numpy().astype(np.int64)
    link = link_all[src_rows - 2] if len(src_rows) else np.zeros(0, dtype=object)
    del pd
    return res, info, link, src_rows


def join_repairs(cases: "pd.DataFrame", path: str | os.PathLike, aliases=None, encoding=None):
    r"""Read a repair-records file, clean it like cases and join it to the clean ``cases``.

    Parameters
    ----------
    cases : pandas.DataFrame
        Clean cases (with source_file and source_row when from
        :func:`~aftersales.segment.cleaning.load_cases`).
    path : str or os.PathLike
        The repair records (CSV in any encoding or .xlsx; see :func:`read_repairs`).
    aliases : Aliases, optional
        The alias table (the shipped one when None).
    encoding : str, optional
        The text encoding of a CSV (detected when None).

    Returns
    -------
    cases : pandas.DataFrame
        The cases with repair costs added and stand-alone repairs appended.
    result : CleanResult
        The repair rows cleaned (its unattributed fields: only those of the stand-alone repairs).
    report : dict
        file, records, records_clean, records_set_aside, matched, unmatched_records,
        unmatched_cost (yuan), repair_cases_without_record, repair_cases_without_record_cost
        (yuan), cost_added (yuan).
    unmatched : pandas.DataFrame
        The unmatched rows of both sides (:data:`UNMATCHED_COLUMNS`).

    Notes
    -----
    A record whose case_id names a clean case adds to it: repair_cost to handling_cost,
    logistics_cost and service_revenue to the case's; cost and net are then recomputed
    (cost = logistics_cost + handling_cost + discount_loss, net = service_revenue - cost), and
    cost_added = the logistics and repair costs added. A record without such a case becomes a
    repair case of its own. A repair case without a record keeps its cost and is reported.

    Examples
    --------
    Case AS2 is a repair; record WX1 belongs to it, WX2 to a case that is not in the file:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> from aftersales.segment.cleaning import clean_cases
    >>> from aftersales.segment.schema import CASE_COLUMNS
    >>> blank = dict.fromkeys(CASE_COLUMNS, "")
    >>> cases = clean_cases(pd.DataFrame([
    ...     {**blank, "case_id": "AS1", "opened_at": "2024-03-05", "case_type": "return", "logistics_cost": "20"},
    ...     {**blank, "case_id": "AS2", "opened_at": "2024-03-06", "case_type": "repair", "handling_cost": "30"}])).clean
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = Path(d) / "repairs.csv"
    ...     _ = f.write_text("维修单号,关联售后单号,送修时间,维修费用,回寄运费\n"
    ...                      "WX1,AS2,2024/03/08,¥100.00,12\nWX2,AS9,2024/03/09,50,-\n", encoding="utf-8")
    ...     joined, result, report, unmatched = join_repairs(cases, f)
    >>> joined[["case_id", "cost"]].values.tolist()          # AS2: 30 + 100 + 12
    [['AS1', 20.0], ['AS2', 142.0], ['R:WX2', 50.0]]
    >>> report["matched"], report["unmatched_records"], report["cost_added"]
    (1, 1, 112.0)
    >>> unmatched[["side", "key", "source_row", "cost"]].values.tolist()
    [['repairs', 'R:WX2', 3, 50.0]]
    """
    import numpy as np
    import pandas as pd

    res, info, link, src_rows = read_repairs(path, aliases, encoding)
    rep = res.clean
    known = pd.Index(cases["case_id"].astype(str))
    matched = (link != "") & known.get_indexer(link).__ge__(0)
    add = rep.loc[matched].assign(_link=link[matched]).groupby("_link")[
        ["logistics_cost", "handling_cost", "service_revenue"]].sum()
    out = cases.copy()
    pos = known.get_indexer(add.index)
    for c in ("logistics_cost", "handling_cost", "service_revenue"):
        v = out[c].to_numpy(copy=True)
        v[pos] += add[c].to_numpy()
        out[c] = v
    out["cost"] = out["logistics_cost"] + out["handling_cost"] + out["discount_loss"]
    out["net"] = out["service_revenue"] - out["cost"]
    alone = rep.loc[~matched].copy()
    alone["source_file"] = info["file"]
    alone["source_row"] = src_rows[~matched]
    if len(alone):
        out = pd.concat([out, alone[[c for c in out.columns if c in alone.columns]]], ignore_index=True)
        for c in ("channel", "category", "case_type", "reason"):
            if c in cases.columns and isinstance(cases[c].dtype, pd.CategoricalDtype):
                cats = list(dict.fromkeys(list(cases[c].cat.categories) + list(alone[c].astype(str).unique())))
                out[c] = pd.Categorical(out[c].astype(object), categories=cats)
    if res.unattributed is not None and len(res.unattributed):   # a merged record's fields are its case's
        res.unattributed = res.unattributed[res.unattributed["case_id"].isin(set(alone["case_id"].astype(str)))]
        res.unattributed = res.unattributed.reset_index(drop=True)
    has_record = pd.Index(link[matched]).unique()
    lonely = (cases["case_type"] == "repair").to_numpy() & ~_among(cases["case_id"].astype(str), has_record)
    files = cases["source_file"].to_numpy() if "source_file" in cases.columns else np.full(len(cases), "")
    rows = cases["source_row"].to_numpy() if "source_row" in cases.columns else np.zeros(len(cases), int)
    unmatched = pd.concat([
        unmatched_table("repairs", "repairs", rep.loc[~matched, "case_id"].to_numpy(), info["file"],
                   src_rows[~matched], rep.loc[~matched, "cost"].to_numpy()),
        unmatched_table("repairs", "cases", cases.loc[lonely, "case_id"].to_numpy(), files[lonely], rows[lonely],
                   cases.loc[lonely, "cost"].to_numpy())], ignore_index=True)
    report = {"file": info["file"], "records": res.rows_in, "records_clean": res.rows_clean,
              "records_set_aside": res.rows_set_aside, "matched": int(matched.sum()),
              "unmatched_records": int((~matched).sum()), "unmatched_cost": float(rep.loc[~matched, "cost"].sum()),
              "repair_cases_without_record": int(lonely.sum()),
              "repair_cases_without_record_cost": float(cases.loc[lonely, "cost"].sum()),
              "cost_added": float(add["logistics_cost"].sum() + add["handling_cost"].sum())}
    return out, res, report, unmatched


def read_feedback(path: str | os.PathLike, aliases=None, encoding=None) -> dict:
    r"""Read a feedback file (评价/回访): the scores and keys of its rows.

    Parameters
    ----------
    path : str or os.PathLike
        The feedback (CSV in any encoding or .xlsx): satisfaction required; feedback_id,
        case_id, order_id and comment optional.
    aliases : Aliases, optional
        The alias table (the shipped one when None).
    encoding : str, optional
        The text encoding of a CSV (detected when None).

    Returns
    -------
    dict
        ``cid``, ``oid``: the trimmed case_id and order_id of each row; ``v``: the score (NaN
        when unreadable); ``good``: a whole score 1-5 and a key; ``rows``: the source rows (the
        header is row 1); ``info``: the file's ``files`` entry; ``set_aside``: the rows not good,
        with set_aside_reason (satisfaction_out_of_range, else missing_id), source_file and
        source_row; ``n``: the rows read.

    Raises
    ------
    FileNotFoundError
        If the file does not exist (``"<path>: no such feedback file"``).
    ValueError
        If the satisfaction column is missing (the message names the file).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = Path(d) / "feedback.csv"
    ...     _ = f.write_text("case_id,order_id,satisfaction\nAS1,,4\n,,5\nAS2,,4.5\n", encoding="utf-8")
    ...     fb = read_feedback(f)
    >>> fb["n"], fb["good"].tolist()
    (3, [True, False, False])
    >>> fb["set_aside"][["set_aside_reason", "source_row"]].values.tolist()
    [['missing_id', 3], ['satisfaction_out_of_range', 4]]
    """
    import numpy as np
    import pandas as pd

    from aftersales.segment.parsing import as_numpy, parse_numbers, text_column
    from aftersales.segment.readers import read_source

    raw, info = read_source(path, FEEDBACK_COLUMNS, FEEDBACK_REQUIRED, aliases, encoding, what="feedback file")
    n = raw.num_rows
    cid = as_numpy(text_column(raw["case_id"])).astype(object)
    oid = as_numpy(text_column(raw["order_id"])).astype(object)
    v, ok = parse_numbers(text_column(raw["satisfaction"]), False)
    with np.errstate(invalid="ignore"):
        ok &= (v >= 1) & (v <= 5) & (np.mod(v, 1) == 0)
    keyed = (cid != "") | (oid != "")
    good = ok & keyed
    rows = np.arange(2, n + 2)
    reason = np.where(~ok, "satisfaction_out_of_range", "missing_id")
    set_aside = pd.DataFrame({"case_id": cid[~good], "order_id": oid[~good],
                              "satisfaction": as_numpy(raw["satisfaction"]).astype(object)[~good],
                              "set_aside_reason": reason[~good], "source_file": info["file"],
                              "source_row": rows[~good]})
    return {"cid": cid, "oid": oid, "v": v, "good": good, "rows": rows, "info": info, "set_aside": set_aside,
            "n": n}


def join_feedback(cases: "pd.DataFrame", path: str | os.PathLike, aliases=None, encoding=None):
    r"""Read a feedback file and fill the satisfaction of the cases that have none.

    Parameters
    ----------
    cases : pandas.DataFrame
        Clean cases: case_id, order_id and satisfaction (1-5 or NA).
    path : str or os.PathLike
        The feedback (see :func:`read_feedback`).
    aliases : Aliases, optional
        The alias table (the shipped one when None).
    encoding : str, optional
        The text encoding of a CSV (detected when None).

    Returns
    -------
    cases : pandas.DataFrame
        The cases with satisfaction filled where it was missing (Int8).
    set_aside : pandas.DataFrame
        The feedback rows set aside (no whole score 1-5, or neither case_id nor order_id).
    report : dict
        file, rows, rows_set_aside, matched, unmatched, cases_filled, cases_without_feedback.
    unmatched : pandas.DataFrame
        The feedback rows whose key names no case (:data:`UNMATCHED_COLUMNS`, cost 0).

    Notes
    -----
    A row is joined by its case_id; only a row without a case_id is joined by its order_id (to
    the first case of that order). Of several scores of a case the lowest counts. A score already
    in the cases is kept.

    Examples
    --------
    Two scores for AS1 (the lower counts), one for order O2, one out of range, one for a case
    that does not exist:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"case_id": ["AS1", "AS2"], "order_id": ["O1", "O2"],
    ...                       "satisfaction": pd.array([None, None], dtype="Int8")})
    >>> with tempfile.TemporaryDirectory() as d:
    ...     f = Path(d) / "feedback.csv"
    ...     _ = f.write_text("case_id,order_id,satisfaction\nAS1,,4\nAS1,,2\n,O2,5\nAS1,,7\nAS9,,3\n",
    ...                      encoding="utf-8")
    ...     filled, set_aside, report, unmatched = join_feedback(cases, f)
    >>> filled["satisfaction"].tolist()
    [2, 5]
    >>> report["matched"], report["rows_set_aside"], report["cases_filled"]
    (3, 1, 2)
    >>> unmatched[["key", "source_row"]].values.tolist()
    [['AS9', 6]]
    """
    import numpy as np
    import pandas as pd

    fb = read_feedback(path, aliases, encoding)
    cid, oid, v, good, rows, info, set_aside, n = (fb[k] for k in ("cid", "oid", "v", "good", "rows", "info",
                                                                   "set_aside", "n"))
    case_ids = pd.Index(cases["case_id"].astype(str))
    order_ids = pd.Index(cases["order_id"].astype(str))
    by_case = np.where(cid != "", case_ids.get_indexer(cid), -1)
    first_of_order = pd.Series(np.arange(len(cases)), index=order_ids)
    first_of_order = first_of_order[~first_of_order.index.duplicated()]
    by_order = first_of_order.reindex(oid).fillna(-1).to_numpy().astype(np.int64)
    target = np.where(by_case >= 0, by_case, np.where(cid == "", by_order, -1))
    hit = good & (target >= 0)
    best = pd.Series(v[hit], index=target[hit]).groupby(level=0).min()
    sat = cases["satisfaction"].astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    fill = np.full(len(cases), np.nan)
    fill[best.index.to_numpy()] = best.to_numpy()
    to_fill = np.isnan(sat) & ~np.isnan(fill)
    sat = np.where(to_fill, fill, sat)
    out = cases.assign(satisfaction=pd.array(sat, dtype="Float64").astype("Int8"))
    miss = good & (target < 0)
    unmatched = unmatched_table("feedback", "feedback", np.where(cid != "", cid, oid)[miss], info["file"], rows[miss],
                           np.zeros(int(miss.sum())))
    has = np.zeros(len(cases), bool)
    has[best.index.to_numpy()] = True
    report = {"file": info["file"], "rows": n, "rows_set_aside": int((~good).sum()), "matched": int(hit.sum()),
              "unmatched": int(miss.sum()), "cases_filled": int(to_fill.sum()),
              "cases_without_feedback": int((~has).sum())}
    return out, set_aside, report, unmatched


def match_orders(cases: "pd.DataFrame", orders: "pd.DataFrame"):
    """The join of the cases onto the orders by order_id, reported on both sides.

    Parameters
    ----------
    cases : pandas.DataFrame
        Clean cases: case_id, order_id, cost (yuan), and source_file and source_row if known.
    orders : pandas.DataFrame
        Clean orders (order_id).

    Returns
    -------
    report : dict
        cases_matched, cases_unmatched, cases_unmatched_cost (yuan), orders_with_case,
        orders_without_case.
    unmatched : pandas.DataFrame
        The cases whose order_id is not among the orders (:data:`UNMATCHED_COLUMNS`).

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"case_id": ["AS1", "AS2"], "order_id": ["O1", "O2"], "cost": [20.0, 30.0]})
    >>> report, unmatched = match_orders(cases, pd.DataFrame({"order_id": ["O1", "O3"]}))
    >>> report
    {'cases_matched': 1, 'cases_unmatched': 1, 'cases_unmatched_cost': 30.0, 'orders_with_case': 1, 'orders_without_case': 1}
    >>> unmatched[["join", "side", "key", "cost"]].values.tolist()
    [['orders', 'cases', 'AS2', 30.0]]
    """
    import numpy as np

    oids = orders["order_id"].astype(str)
    known = _among(cases["order_id"].astype(str), oids)
    with_case = _among(oids, cases["order_id"].astype(str))
    files = cases["source_file"].to_numpy() if "source_file" in cases.columns else np.full(len(cases), "")
    rows = cases["source_row"].to_numpy() if "source_row" in cases.columns else np.zeros(len(cases), int)
    unmatched = unmatched_table("orders", "cases", cases.loc[~known, "case_id"].to_numpy(), files[~known],
                           rows[~known], cases.loc[~known, "cost"].to_numpy())
    report = {"cases_matched": int(known.sum()), "cases_unmatched": int((~known).sum()),
              "cases_unmatched_cost": float(cases.loc[~known, "cost"].sum()),
              "orders_with_case": int(with_case.sum()), "orders_without_case": int((~with_case).sum())}
    return report, unmatched
