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
    import pandas as pd

__all__ = ["read_repairs", "join_repairs", "read_feedback", "join_feedback", "match_orders", "UNMATCHED_COLUMNS",
           "unmatched_table"]

#: Columns of the unmatched report (one row per unmatched row of either side).
UNMATCHED_COLUMNS = ("join", "side", "key", "source_file", "source_row", "cost")


def unmatched_table(join, side, key, files, rows, cost) -> "pd.DataFrame":
    """The rows of one join that found no partner, as rows of the unmatched report (UNMATCHED_COLUMNS)."""
    import pandas as pd

    return pd.DataFrame({"join": join, "side": side, "key": pd.Series(key, dtype=object),
                         "source_file": pd.Series(files, dtype=object), "source_row": rows, "cost": cost})


def read_repairs(path: str | os.PathLike, aliases=None, encoding=None):
    """Read a repair-records file and clean it like cases (case_id ``R:`` + repair_id).

    Returns
    -------
    (result, info, link, src_rows) : the CleanResult; the file's info; per clean row the case_id
        it belongs to ("" when none) and its source row.
    """
    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc

    from aftersales.segment.cleaning import clean_cases
    from aftersales.segment.readers import read_source

    raw, info = read_source(path, REPAIR_COLUMNS, REPAIR_REQUIRED, aliases, encoding)
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
    """Read a repair-records file, clean it like cases and join it to the clean ``cases``.

    Parameters
    ----------
    cases : clean cases (with source_file and source_row columns when from :func:`load_dataset`).
    path : the repair records (CSV in any encoding or .xlsx).

    Returns
    -------
    (cases, result, report, unmatched) : the cases with repair costs added and stand-alone
        repairs appended; the CleanResult of the repair rows; {"records", "matched",
        "unmatched_records", "unmatched_cost", "repair_cases_without_record",
        "repair_cases_without_record_cost", "cost_added"}; the unmatched rows.
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
    lonely = (cases["case_type"] == "repair").to_numpy() & ~cases["case_id"].astype(str).isin(has_record).to_numpy()
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
    """Read a feedback file: {"cid", "oid" (trimmed keys), "v" (score), "good" (a score 1-5 and a key),
    "rows" (source rows), "info", "set_aside" (the rows without a score or a key), "n"}."""
    import numpy as np
    import pandas as pd

    from aftersales.segment.parsing import as_numpy, parse_numbers, text_column
    from aftersales.segment.readers import read_source

    raw, info = read_source(path, FEEDBACK_COLUMNS, FEEDBACK_REQUIRED, aliases, encoding)
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
    """Read a feedback file and fill the satisfaction of the cases that have none.

    Returns
    -------
    (cases, set_aside, report, unmatched) : cases with satisfaction filled; the feedback rows set
        aside (no score 1-5, or neither case_id nor order_id); {"rows", "rows_set_aside",
        "matched", "unmatched", "cases_filled", "cases_without_feedback"}; the unmatched rows.
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

    Returns
    -------
    (report, unmatched) : {"cases_matched", "cases_unmatched", "cases_unmatched_cost",
        "orders_with_case", "orders_without_case"}; the unmatched cases.
    """
    import numpy as np

    oids = orders["order_id"].astype(str)
    known = cases["order_id"].astype(str).isin(set(oids)).to_numpy()
    with_case = oids.isin(set(cases["order_id"].astype(str))).to_numpy()
    files = cases["source_file"].to_numpy() if "source_file" in cases.columns else np.full(len(cases), "")
    rows = cases["source_row"].to_numpy() if "source_row" in cases.columns else np.zeros(len(cases), int)
    unmatched = unmatched_table("orders", "cases", cases.loc[~known, "case_id"].to_numpy(), files[~known],
                           rows[~known], cases.loc[~known, "cost"].to_numpy())
    report = {"cases_matched": int(known.sum()), "cases_unmatched": int((~known).sum()),
              "cases_unmatched_cost": float(cases.loc[~known, "cost"].sum()),
              "orders_with_case": int(with_case.sum()), "orders_without_case": int((~with_case).sum())}
    return report, unmatched
