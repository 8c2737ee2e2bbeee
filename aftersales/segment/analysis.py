"""Stratified after-sales analytics (售后分析精细化分层): layers, Pareto, tiers, savings, strategy.

The second seed article asks what a BI tool would do for after-sales: collect the case
records, clean them, find what drives the cost, split it into **layers (分层)** and turn the
layers into strategy. This module does the analysis on clean case rows
(:mod:`aftersales.segment.records`) and the brand's orders:

- :func:`rfm_tiers`: RFM scores (recency, frequency, monetary; quintiles 1-5) per customer,
  a segment name and a **customer value tier (客户价值分层)** high / mid / low;
- :func:`layer_table`: cases, cost and net by any subset of category, reason, channel,
  customer_tier (and case_type), with shares, the cumulative share (Pareto order), cost per
  case and, with orders, the case rate and return rate per order;
- :func:`tier_table`: cost per case and per customer of each tier against the tier's value;
- :func:`cut_savings`, :func:`what_if_table`: what a cut of one cause would save;
- :func:`strategy_table`: actions derived by stated rules (:class:`StrategyRules`);
- :func:`segment`: the whole pipeline as the JSON of ``python -m aftersales segment``.

Money in yuan; shares 0-1; rates per order. Layer costs always sum to the total cost.
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterable

from aftersales.segment.records import CASE_TYPES, REASONS, RETURN_TYPES

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["DIMENSIONS", "ORDER_DIMENSIONS", "CUSTOMER_TIERS", "SEGMENTS", "Dataset", "StrategyRules",
           "load_orders", "load_dataset", "rfm_tiers", "attach_tiers", "parse_by", "layer_table",
           "pareto", "vital_few", "tier_table", "cut_savings", "what_if_table", "MEASURES",
           "strategy_table", "segment", "layer_sql", "layers_duckdb"]

#: Dimensions a layer can be cut by.
DIMENSIONS = ("category", "reason", "channel", "customer_tier", "case_type")
#: Dimensions orders have too (so case rates per order can be computed for them).
ORDER_DIMENSIONS = ("category", "channel", "customer_tier")
#: Customer value tiers, highest first; cases of customers without orders are "unknown".
CUSTOMER_TIERS = ("high", "mid", "low", "unknown")
#: The ten RFM segment names, in the order the rules of :func:`rfm_tiers` test them.
SEGMENTS = ("champions", "loyal", "can't lose them", "at risk", "new", "promising",
            "potential loyalists", "need attention", "about to sleep", "lost / hibernating")
#: Chinese names beside the English ones (for tables and the notebook).
ZH = {
    "category": "品类", "reason": "原因", "channel": "渠道", "customer_tier": "客户价值层",
    "case_type": "售后类型", "high": "高价值", "mid": "中价值", "low": "低价值", "unknown": "未知",
    "size_fit": "尺码不合适", "quality_defect": "质量问题", "description_mismatch": "描述不符",
    "logistics_delay": "物流延误", "transit_damage": "运输损坏", "changed_mind": "不想要了",
    "color_difference": "色差", "other": "其他",
}


# ------------------------------------------------------------------------------ data
@dataclass
class Dataset:
    """Clean cases (with customer_tier), the cleaning outcome, orders and customer tiers."""

    cases: "pd.DataFrame"
    result: object            # aftersales.segment.records.CleanResult
    orders: "pd.DataFrame | None" = None
    tiers: "pd.DataFrame | None" = None


def load_orders(path: str | os.PathLike, aliases=None, block_size: int = 1 << 24) -> "pd.DataFrame":
    """Read an orders CSV: order_id, customer_id, ordered_at (YYYY-MM-DD), channel, category, amount (yuan).

    Orders are the brand's system of record and are not cleaned row by row: a row that cannot
    be used raises ValueError naming the file, the line and the value. The file is read in
    blocks of ``block_size`` bytes and kept compact (ids as Arrow strings and categoricals),
    so millions of orders fit in a few hundred MB.
    """
    import csv

    import numpy as np
    import pandas as pd
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv
    from pandas.api.types import union_categoricals

    from aftersales.segment.records import _key, data_path, load_aliases

    p = data_path(path)
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such orders file")
    aliases = aliases or load_aliases()
    cols = ("order_id", "customer_id", "ordered_at", "channel", "category", "amount")
    with open(p, encoding="utf-8-sig", newline="") as fh:
        header = next(csv.reader(fh), [])
    names = {_key(c): c for c in header}
    missing = [c for c in cols if c not in names]
    if missing:
        raise ValueError(f"{p}: missing column(s) {', '.join(missing)} (orders need {', '.join(cols)})")
    frames, first_bad, counts, offset = [], {}, {}, 0
    try:
        reader = pacsv.open_csv(p, read_options=pacsv.ReadOptions(block_size=block_size),
                                convert_options=pacsv.ConvertOptions(
                                    column_types={h: pa.string() for h in header}, strings_can_be_null=False))
        for batch in reader:
            frame = _orders_block(pa.Table.from_batches([batch]), names, aliases, offset, first_bad, counts)
            if not counts:
                frames.append(frame)
            offset += batch.num_rows
    except (pa.ArrowInvalid, pa.ArrowTypeError) as exc:
        raise ValueError(f"{p}: not a well-formed CSV: {str(exc).strip().splitlines()[0]}") from None
    for key in ("order_id", "customer_id", "ordered_at", "amount", "channel", "category"):
        if key in counts:
            line, val, what = first_bad[key]
            raise ValueError(f"{p}, line {line}: {key} {val!r} {what} ({counts[key]} such row(s))")
    if not frames:
        frames = [_orders_block(pa.table({h: pa.array([], pa.string()) for h in header}), names, aliases,
                                0, {}, {})]
    # ids: one Arrow string column for order ids, one dictionary encoding for customer ids
    out = {"order_id": pd.arrays.ArrowExtensionArray(pa.chunked_array([f["order_id"] for f in frames],
                                                                      type=pa.string()))}
    customer = pc.dictionary_encode(pa.chunked_array([f["customer_id"] for f in frames],
                                                     type=pa.string()).combine_chunks())
    out["customer_id"] = pd.Categorical.from_codes(customer.indices.to_numpy(zero_copy_only=False).astype(np.int64),
                                                   categories=pd.Index(customer.dictionary.to_pylist()))
    for c in ("channel", "category"):
        out[c] = union_categoricals([f[c] for f in frames])
    for c in ("ordered_at", "amount"):
        out[c] = np.concatenate([f[c] for f in frames])
    return pd.DataFrame({c: out[c] for c in cols})


def _orders_block(t, names, aliases, offset, first_bad, counts) -> dict:
    """One block of an orders file, checked; problems are tallied in first_bad / counts."""
    import numpy as np
    import pyarrow.compute as pc

    from aftersales.segment.records import _map_labels, _np, _parse_dates, _parse_numbers, _text

    cols = ("order_id", "customer_id", "ordered_at", "channel", "category", "amount")
    text = {c: _text(t[names[c]]) for c in cols}
    dates = _parse_dates(text["ordered_at"], False)
    amount, ok_amount = _parse_numbers(text["amount"], False)
    problems = [("order_id", _np(pc.equal(text["order_id"], ""), bool), "is empty"),
                ("customer_id", _np(pc.equal(text["customer_id"], ""), bool), "is empty"),
                ("ordered_at", np.isnat(dates), "is not a date (YYYY-MM-DD)"),
                ("amount", ~ok_amount | (np.nan_to_num(amount, nan=-1) < 0), "is not an amount >= 0")]
    labels = {}
    for c in ("channel", "category"):
        labels[c], known = _map_labels(text[c], aliases.lookup(c), None)
        problems.append((c, ~known, "is empty"))
    for c, bad, what in problems:
        if bad.any():
            if c not in first_bad:
                i = int(np.flatnonzero(bad)[0])
                first_bad[c] = (offset + i + 2, text[c][i].as_py(), what)
            counts[c] = counts.get(c, 0) + int(bad.sum())
    return {"order_id": text["order_id"].combine_chunks(), "customer_id": text["customer_id"].combine_chunks(),
            "ordered_at": dates, "channel": labels["channel"], "category": labels["category"],
            "amount": amount}


def load_dataset(cases_paths, orders_path=None, as_of=None) -> Dataset:
    """Load and clean case file(s), load orders (if given), compute tiers and attach them to the cases."""
    from aftersales.segment.records import data_path, load_cases

    if isinstance(cases_paths, (str, os.PathLike)):
        cases_paths = [cases_paths]
    result = load_cases([data_path(p) for p in cases_paths])
    orders = tiers = None
    cases = result.clean
    if orders_path is not None:
        orders = load_orders(orders_path)
        tiers = rfm_tiers(orders, as_of=as_of)
        cases = attach_tiers(cases, tiers)
    return Dataset(cases, result, orders, tiers)


# ------------------------------------------------------------------------------ RFM
def rfm_tiers(orders: "pd.DataFrame", as_of=None) -> "pd.DataFrame":
    """RFM per customer: recency_days, frequency (orders), monetary (yuan), scores r, f, m (1-5),
    rfm_score (3-15), segment (ten names) and value_tier.

    Scores are quintiles of the rank order (as ``pd.qcut`` on ``rank(method="first")``: ties
    keep their order of appearance, so they do not break the bins); 5 is best (most recent, most orders, most spent). as_of: the day after
    the last order unless given. Value tier by rfm_score: high >= 12, low <= 6, mid between.
    Segments, first rule that fits: champions r>=4,f>=4,m>=4; loyal r>=3,f>=3,m>=3;
    can't lose them r<=2,f>=4,m>=4; at risk r<=2,f>=3,m>=3; new r=5,f=1; promising r=4,f=1;
    potential loyalists r>=3,f>=2; need attention r=3,f=1; about to sleep r=2; else lost / hibernating.
    """
    import numpy as np
    import pandas as pd

    if len(orders) == 0:
        raise ValueError("no orders: RFM tiers need at least one order")
    import pyarrow as pa

    import pyarrow.compute as pc

    # customers as integer codes (one hash pass in Arrow), then counting in numpy
    cid = orders["customer_id"]
    if isinstance(cid.dtype, pd.CategoricalDtype):
        codes, ids = cid.cat.codes.to_numpy().astype(np.int64), pd.Index(cid.cat.categories.astype(str))
    else:
        enc = pc.dictionary_encode(pa.array(cid.array if cid.dtype == "str" else cid.astype(str).array))
        if isinstance(enc, pa.ChunkedArray):
            enc = enc.combine_chunks()
        codes = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        ids = pd.Index(enc.dictionary.to_pandas())
    k = len(ids)
    day = orders["ordered_at"].to_numpy().astype("datetime64[D]").astype(np.int64)
    freq_a = np.bincount(codes, minlength=k)
    money_a = np.bincount(codes, weights=orders["amount"].to_numpy(dtype=float), minlength=k)
    last_day = np.full(k, np.iinfo(np.int64).min, dtype=np.int64)
    np.maximum.at(last_day, codes, day)
    seen = freq_a > 0
    ids, freq_a, money_a, last_day = ids[seen], freq_a[seen], money_a[seen], last_day[seen]
    ids.name = "customer_id"
    as_of_day = (last_day.max() + 1) if as_of is None else \
        int(np.datetime64(pd.Timestamp(as_of).date(), "D").astype(np.int64))
    recency = pd.Series(as_of_day - last_day, index=ids)
    freq = pd.Series(freq_a, index=ids)
    money = pd.Series(money_a, index=ids)

    def score(s: "pd.Series", ascending: bool) -> np.ndarray:
        # quintile of the rank order; ties keep their order of appearance, as rank(method="first")
        v = s.to_numpy()
        order = np.argsort(v if ascending else -v, kind="stable")
        pos = np.empty(len(v), np.int64)
        pos[order] = np.arange(len(v))
        return pos * 5 // len(v) + 1

    r = score(recency, ascending=False)       # the most recent get 5
    f = score(freq, ascending=True)
    m = score(money, ascending=True)
    total = r + f + m
    conds = [(r >= 4) & (f >= 4) & (m >= 4), (r >= 3) & (f >= 3) & (m >= 3),
             (r <= 2) & (f >= 4) & (m >= 4), (r <= 2) & (f >= 3) & (m >= 3),
             (r == 5) & (f == 1), (r == 4) & (f == 1), (r >= 3) & (f >= 2), (r == 3) & (f == 1),
             (r == 2)]
    segment = np.select(conds, SEGMENTS[:-1], default=SEGMENTS[-1])
    tier = np.where(total >= 12, "high", np.where(total <= 6, "low", "mid"))
    return pd.DataFrame({
        "recency_days": recency.to_numpy(), "frequency": freq.to_numpy(), "monetary": money.to_numpy(),
        "r": r, "f": f, "m": m, "rfm_score": total,
        "segment": pd.Categorical(segment, categories=SEGMENTS),
        "value_tier": pd.Categorical(tier, categories=CUSTOMER_TIERS),
    }, index=ids)


def attach_tiers(cases: "pd.DataFrame", tiers: "pd.DataFrame") -> "pd.DataFrame":
    """The cases with a customer_tier column (category high/mid/low/unknown) from :func:`rfm_tiers`."""
    import pandas as pd

    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    def arrow(s):
        return pa.array(s.array if s.dtype == "str" else s.astype(str).array)

    ids = cases["customer_id"]
    value_set = arrow(tiers.index.to_series())
    if isinstance(ids.dtype, pd.CategoricalDtype):      # look up each category once, then map the codes
        per_cat = pc.index_in(arrow(ids.cat.categories.to_series()), value_set=value_set)
        per_cat = np.append(per_cat.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64), -1)
        codes = per_cat[ids.cat.codes.to_numpy()]     # code -1 (missing) picks the appended -1
    else:
        pos = pc.index_in(arrow(ids), value_set=value_set)
        codes = pos.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64)
    tier_codes = tiers["value_tier"].cat.codes.to_numpy()
    unknown = CUSTOMER_TIERS.index("unknown")
    out = np.where(codes >= 0, tier_codes[np.maximum(codes, 0)], unknown)
    return cases.assign(customer_tier=pd.Categorical.from_codes(out, CUSTOMER_TIERS))


def _order_tiers(orders: "pd.DataFrame", tiers: "pd.DataFrame") -> "pd.DataFrame":
    if "customer_tier" in orders.columns:
        return orders
    return attach_tiers(orders, tiers)


# ------------------------------------------------------------------------------ layers
def parse_by(by) -> tuple[str, ...]:
    """Layer dimensions from "category,reason" or a sequence; ValueError names an unknown one."""
    if by is None:
        return ()
    items = [b.strip() for b in by.split(",")] if isinstance(by, str) else [str(b).strip() for b in by]
    items = [b for b in items if b]
    for b in items:
        if b not in DIMENSIONS:
            raise ValueError(f"unknown layer dimension {b!r}; use any of {', '.join(DIMENSIONS)}")
    if len(set(items)) != len(items):
        raise ValueError(f"a layer dimension is repeated in {','.join(items)}")
    return tuple(items)


def layer_table(cases: "pd.DataFrame", by=("category", "reason"), orders: "pd.DataFrame | None" = None,
                tiers: "pd.DataFrame | None" = None) -> "pd.DataFrame":
    """Cases, cost and net by layer, largest cost first (the Pareto order).

    Columns: the ``by`` keys, cases, returns (return + exchange cases), cost, net (yuan),
    share_of_cost, cumulative_share, cost_per_case (yuan), and with ``orders``: orders,
    case_rate and return_rate (per order; the orders of the layer's category / channel /
    customer_tier cell; a reason or case_type layer is a share of those orders).
    With no dimensions, one layer "all". Layer costs sum to the total cost.
    """
    import numpy as np
    import pandas as pd

    by = list(parse_by(by))
    if "customer_tier" in by and "customer_tier" not in cases.columns:
        if tiers is None and orders is not None:
            tiers = rfm_tiers(orders)
        if tiers is None:
            raise ValueError("layering by customer_tier needs the orders (to compute RFM tiers)")
        cases = attach_tiers(cases, tiers)
    df = pd.DataFrame({"cost": cases["cost"].to_numpy(), "net": cases["net"].to_numpy(),
                       "returns": cases["case_type"].isin(RETURN_TYPES).to_numpy()})
    for b in by:
        df[b] = cases[b].to_numpy() if not isinstance(cases[b].dtype, pd.CategoricalDtype) else cases[b].values
    if by:
        g = df.groupby(by, observed=True, sort=True)
        t = pd.DataFrame({"cases": g.size(), "returns": g["returns"].sum(), "cost": g["cost"].sum(),
                          "net": g["net"].sum()}).reset_index()
        for b in by:
            t[b] = t[b].astype(str)
    else:
        t = pd.DataFrame({"layer": ["all"], "cases": [len(df)], "returns": [int(df["returns"].sum())],
                          "cost": [df["cost"].sum()], "net": [df["net"].sum()]})
    total = float(df["cost"].sum())
    keys = by or ["layer"]
    t = t.sort_values(["cost"] + keys, ascending=[False] + [True] * len(keys), kind="stable")
    t = t.reset_index(drop=True)
    t["cases"] = t["cases"].astype(np.int64)
    t["returns"] = t["returns"].astype(np.int64)
    t["share_of_cost"] = t["cost"] / total if total > 0 else 0.0
    t["cumulative_share"] = t["share_of_cost"].cumsum()
    t["cost_per_case"] = t["cost"] / t["cases"]
    if orders is not None:
        odims = [b for b in by if b in ORDER_DIMENSIONS]
        o = orders
        if "customer_tier" in odims:
            if tiers is None:
                tiers = rfm_tiers(orders)
            o = _order_tiers(orders, tiers)
        if odims:
            oc = o.groupby(odims, observed=True).size().rename("orders").reset_index()
            for b in odims:
                oc[b] = oc[b].astype(str)
            t = t.merge(oc, on=odims, how="left")
        else:
            t["orders"] = len(o)
        t["orders"] = t["orders"].fillna(0).astype(np.int64)
        with np.errstate(divide="ignore", invalid="ignore"):
            t["case_rate"] = np.where(t["orders"] > 0, t["cases"] / t["orders"], np.nan)
            t["return_rate"] = np.where(t["orders"] > 0, t["returns"] / t["orders"], np.nan)
    return t


def pareto(table: "pd.DataFrame", threshold: float = 0.8) -> "pd.DataFrame":
    """The layer table with ``vital_few``: the layers, largest first, needed to reach threshold of the cost."""
    if not 0 < threshold <= 1:
        raise ValueError(f"threshold must lie in (0, 1], got {threshold!r}")
    before = table["cumulative_share"] - table["share_of_cost"]
    return table.assign(vital_few=(before < threshold - 1e-12).to_numpy())


def vital_few(table: "pd.DataFrame", threshold: float = 0.8) -> int:
    """How many layers, largest first, carry ``threshold`` (80%) of the cost."""
    return int(pareto(table, threshold)["vital_few"].sum())


# ------------------------------------------------------------------------------ tiers
def tier_table(cases: "pd.DataFrame", orders: "pd.DataFrame", tiers: "pd.DataFrame | None" = None) -> "pd.DataFrame":
    """Per customer value tier: customers, orders, revenue (yuan), value_per_customer, cases,
    case_rate (per order), cost, net, cost_per_case, cost_per_customer and cost_share_of_revenue.

    A tier's value is what its customers spent (order amounts, yuan); cost_share_of_revenue
    is the after-sales cost of the tier's cases over that spending.
    """
    import numpy as np
    import pandas as pd

    tiers = rfm_tiers(orders) if tiers is None else tiers
    if "customer_tier" not in cases.columns:
        cases = attach_tiers(cases, tiers)
    o = _order_tiers(orders, tiers)
    og = o.groupby("customer_tier", observed=False)
    cg = cases.groupby("customer_tier", observed=False)
    t = pd.DataFrame({
        "customers": tiers.groupby("value_tier", observed=False).size(),
        "orders": og.size(), "revenue": og["amount"].sum(),
        "cases": cg.size(), "cost": cg["cost"].sum(), "net": cg["net"].sum(),
    }).reindex(list(CUSTOMER_TIERS)).fillna(0)
    t.index.name = "customer_tier"
    if t.loc["unknown", "cases"] == 0:
        t = t.drop(index="unknown")
    for c in ("customers", "orders", "cases"):
        t[c] = t[c].astype(np.int64)
    with np.errstate(divide="ignore", invalid="ignore"):
        t["value_per_customer"] = t["revenue"] / t["customers"].replace(0, np.nan)
        t["case_rate"] = t["cases"] / t["orders"].replace(0, np.nan)
        t["cost_per_case"] = t["cost"] / t["cases"].replace(0, np.nan)
        t["cost_per_customer"] = t["cost"] / t["customers"].replace(0, np.nan)
        t["cost_share_of_revenue"] = t["cost"] / t["revenue"].replace(0, np.nan)
    return t.reset_index()


# ------------------------------------------------------------------------------ what if
#: The article's measures: (name, Chinese, reasons or None, case types or None, default cut share).
MEASURES = (
    ("better product descriptions", "优化商品描述", ("description_mismatch", "color_difference"), None, 0.30),
    ("size guide and fit notes", "尺码指引", ("size_fit",), None, 0.20),
    ("faster logistics", "物流提速", ("logistics_delay",), None, 0.30),
    ("returns fall 20%", "退货率下降20%", None, RETURN_TYPES, 0.20),
    ("returns fall 30%", "退货率下降30%", None, RETURN_TYPES, 0.30),
)


def cut_savings(cases: "pd.DataFrame", cut: float, reasons: Iterable[str] | str | None = None,
                case_types: Iterable[str] | str | None = None, where: dict | None = None) -> dict:
    """What a cut of one cause would save: a share ``cut`` (0-1) of the matching cases never happens.

    reasons / case_types: the cause (None = any); where: further filters {column: value or list}.
    Returns cases_avoided, cost_saved (yuan), net_gain (yuan: the net of those cases is no longer
    lost), refunds_avoided (yuan: sales kept, not profit) and share_of_total_cost (0-1).
    Assumes the avoided cases are average cases of the cause (a proportional cut).
    """
    import numpy as np

    if isinstance(cut, bool) or not isinstance(cut, (int, float)) or not 0 <= cut <= 1:
        raise ValueError(f"cut must be a share in [0, 1], got {cut!r}")
    mask = np.ones(len(cases), dtype=bool)
    for col, vals, allowed in (("reason", reasons, REASONS), ("case_type", case_types, CASE_TYPES)):
        if vals is None:
            continue
        vals = [vals] if isinstance(vals, str) else list(vals)
        for v in vals:
            if v not in allowed:
                raise ValueError(f"unknown {col} {v!r}; use one of {', '.join(allowed)}")
        mask &= cases[col].isin(vals).to_numpy()
    for col, vals in (where or {}).items():
        if col not in cases.columns:
            raise ValueError(f"no column {col!r} to filter on")
        vals = [vals] if isinstance(vals, str) else list(vals)
        mask &= cases[col].astype(str).isin(vals).to_numpy()
    sel = cases.loc[mask]
    total = float(cases["cost"].sum())
    saved = cut * float(sel["cost"].sum())
    return {"cases_avoided": cut * int(mask.sum()), "cost_saved": saved,
            "net_gain": -cut * float(sel["net"].sum()),
            "refunds_avoided": cut * float(sel["refund_amount"].sum()),
            "share_of_total_cost": saved / total if total > 0 else 0.0}


def what_if_table(cases: "pd.DataFrame", cuts: dict | None = None) -> "pd.DataFrame":
    """The article's measures (:data:`MEASURES`) side by side; cuts: {measure name: share} overrides."""
    import pandas as pd

    rows = []
    for name, zh, reasons, types, cut in MEASURES:
        c = (cuts or {}).get(name, cut)
        r = cut_savings(cases, c, reasons=reasons, case_types=types)
        rows.append({"measure": name, "measure_zh": zh, "cut": c, **r})
    return pd.DataFrame(rows)


# ------------------------------------------------------------------------------ strategy
@dataclass(frozen=True)
class StrategyRules:
    """The thresholds of the strategy rules (shares 0-1); the rules themselves are in strategy_table."""

    min_share: float = 0.02            # a cause layer counts if it carries at least this share of cost
    carrier_ratio: float = 1.5         # a channel's logistics-caused cost share vs all channels
    premium_max_cost_share: float = 0.05   # high tier: after-sales cost below this share of its spend
    low_tier_cost_ratio: float = 1.2   # low tier: cost share of spend above this multiple of the average
    preventive_share: float = 0.25     # a category's cases that are repairs or quality defects


_ACTIONS = {
    "product fix": "产品改进",
    "description fix": "描述优化",
    "carrier change": "更换承运商",
    "premium service": "高价值客户专属服务",
    "cost control": "低价值客户成本控制",
    "preventive care": "预防性维护",
}


def strategy_table(cases: "pd.DataFrame", orders: "pd.DataFrame | None" = None,
                   tiers: "pd.DataFrame | None" = None,
                   rules: StrategyRules = StrategyRules()) -> "pd.DataFrame":
    """Actions derived from the layers by stated rules, largest cost first.

    1. product fix: a category x reason layer with reason quality_defect carrying >= min_share
       of the cost;
    2. description fix: a category x reason layer with reason description_mismatch,
       color_difference or size_fit carrying >= min_share of the cost (size guide, fit notes,
       true-colour photos);
    3. carrier change: a channel whose logistics_delay + transit_damage cost share is
       >= carrier_ratio x that share over all channels;
    4. premium service: the high tier, when its after-sales cost is < premium_max_cost_share of
       its spending (orders) - there is room to serve it better;
    5. cost control: the low tier, when its cost share of spending is >= low_tier_cost_ratio x
       the share over all tiers;
    6. preventive care: a category whose repairs + quality_defect cases are >= preventive_share
       of its cases (care guides, pre-season check and clean).
    Rules 4-5 need orders. Columns: action, action_zh, layer, cases, cost, share_of_cost, evidence, rule.
    """
    import pandas as pd

    rows = []
    total = float(cases["cost"].sum())

    def add(action, layer, n_cases, cost, evidence, rule):
        rows.append({"action": action, "layer": layer, "cases": int(n_cases), "cost": cost,
                     "share_of_cost": cost / total, "evidence": evidence, "rule": rule})

    if total <= 0 or len(cases) == 0:
        return pd.DataFrame(columns=["action", "action_zh", "layer", "cases", "cost", "share_of_cost",
                                     "evidence", "rule"])
    cr = layer_table(cases, ("category", "reason"))
    for _, r in cr.iterrows():   # a few dozen layers, not rows of data
        if r["share_of_cost"] < rules.min_share:
            continue
        if r["reason"] == "quality_defect":
            action, rule = "product fix", f"reason quality_defect and share of cost >= {rules.min_share:.0%}"
        elif r["reason"] in ("description_mismatch", "color_difference", "size_fit"):
            action, rule = "description fix", (f"reason {r['reason']} and share of cost >= "
                                               f"{rules.min_share:.0%}")
        else:
            continue
        add(action, f"category={r['category']}, reason={r['reason']}", r["cases"], r["cost"],
            f"{r['cases']:,} cases, {r['cost'] / 1e4:,.1f} wan yuan, {r['share_of_cost']:.1%} of all after-sales cost",
            rule)
    logi = cases["reason"].isin(["logistics_delay", "transit_damage"])
    overall = float(cases.loc[logi, "cost"].sum()) / total
    by_ch = pd.DataFrame({"cost": cases.groupby("channel", observed=True)["cost"].sum(),
                          "logi": cases.loc[logi].groupby("channel", observed=True)["cost"].sum(),
                          "cases": cases.loc[logi].groupby("channel", observed=True).size()}).fillna(0)
    for ch, r in by_ch.iterrows():
        share = r["logi"] / r["cost"] if r["cost"] > 0 else 0.0
        if overall > 0 and share >= rules.carrier_ratio * overall:
            add("carrier change", f"channel={ch}", r["cases"], r["logi"],
                f"delays and transit damage are {share:.1%} of this channel's cost, {overall:.1%} over all channels",
                f"logistics-caused cost share >= {rules.carrier_ratio:g} x the overall share")
    if orders is not None:
        tt = tier_table(cases, orders, tiers).set_index("customer_tier")
        avg = float(tt["cost"].sum() / tt["revenue"].sum()) if tt["revenue"].sum() > 0 else 0.0
        if "high" in tt.index and tt.loc["high", "cost_share_of_revenue"] < rules.premium_max_cost_share:
            r = tt.loc["high"]
            add("premium service", "customer_tier=high", r["cases"], r["cost"],
                f"after-sales cost is {r['cost_share_of_revenue']:.1%} of the tier's spending "
                f"({r['value_per_customer']:,.0f} yuan per customer)",
                f"high tier and cost share of spending < {rules.premium_max_cost_share:.0%}")
        if "low" in tt.index and avg > 0 and tt.loc["low", "cost_share_of_revenue"] >= rules.low_tier_cost_ratio * avg:
            r = tt.loc["low"]
            add("cost control", "customer_tier=low", r["cases"], r["cost"],
                f"after-sales cost is {r['cost_share_of_revenue']:.1%} of the tier's spending, "
                f"{avg:.1%} over all tiers",
                f"low tier and cost share of spending >= {rules.low_tier_cost_ratio:g} x average")
    care = (cases["case_type"] == "repair") | (cases["reason"] == "quality_defect")
    by_cat = pd.DataFrame({"cases": cases.groupby("category", observed=True).size(),
                           "care": cases.loc[care].groupby("category", observed=True).size(),
                           "cost": cases.loc[care].groupby("category", observed=True)["cost"].sum()}).fillna(0)
    for cat, r in by_cat.iterrows():
        share = r["care"] / r["cases"] if r["cases"] else 0.0
        if share >= rules.preventive_share:
            add("preventive care", f"category={cat}", r["care"], r["cost"],
                f"{share:.1%} of this category's cases are repairs or quality defects",
                f"repairs + quality defects >= {rules.preventive_share:.0%} of a category's cases")
    out = pd.DataFrame(rows, columns=["action", "layer", "cases", "cost", "share_of_cost", "evidence", "rule"])
    out.insert(1, "action_zh", out["action"].map(_ACTIONS))
    return out.sort_values(["cost", "layer"], ascending=[False, True], kind="stable").reset_index(drop=True)


# ------------------------------------------------------------------------------ pipeline
def segment(cases_paths, by=("category", "reason"), orders_path=None, out_dir=None,
            force: bool = False) -> dict:
    """Load, clean and layer; the JSON object of ``python -m aftersales segment --json``.

    Keys: rows_in, rows_clean, rows_set_aside, set_aside_reasons (reason -> count), total_cost,
    total_net (yuan), layers (list of {keys..., cases, cost, net, share_of_cost, cumulative_share}).
    out_dir: also write cases_clean.csv, cases_set_aside.csv (with a set_aside_reason column)
    and layers.csv there (refusing to overwrite unless force).
    """
    by = parse_by(by)
    if "customer_tier" in by and orders_path is None:
        raise ValueError("--by customer_tier needs --orders FILE (the tiers come from the orders)")
    if out_dir is not None and not force:
        for name in ("cases_clean.csv", "cases_set_aside.csv", "layers.csv"):
            if (Path(out_dir) / name).exists():
                raise FileExistsError(f"{Path(out_dir) / name} exists; use --force to overwrite it")
    ds = load_dataset(cases_paths, orders_path)
    table = layer_table(ds.cases, by, orders=ds.orders, tiers=ds.tiers)
    if out_dir is not None:
        from aftersales.segment.records import write_csv

        ds.result.write(out_dir, force=True)
        write_csv(table, Path(out_dir) / "layers.csv", force=True)
    keys = list(by) or ["layer"]
    layers = [{**{k: row[k] for k in keys}, "cases": int(row["cases"]), "cost": float(row["cost"]),
               "net": float(row["net"]), "share_of_cost": float(row["share_of_cost"]),
               "cumulative_share": float(row["cumulative_share"])}
              for row in table[keys + ["cases", "cost", "net", "share_of_cost", "cumulative_share"]]
              .to_dict("records")]
    return {**ds.result.summary(), "total_cost": float(ds.cases["cost"].sum()),
            "total_net": float(ds.cases["net"].sum()), "layers": layers}


# ------------------------------------------------------------------------------ out of memory
def layer_sql(by=("category", "reason"), source: str = "cases") -> str:
    """The layering of :func:`layer_table` as SQL (DuckDB), for data larger than memory.

    source: a table name or a DuckDB table expression such as read_parquet('cases/*.parquet').
    """
    by = list(parse_by(by))
    keys = ", ".join(by)
    sel = f"{keys}, " if by else "'all' AS layer, "
    group = f"GROUP BY {keys}" if by else ""
    order = ", ".join(["cost DESC"] + (by or ["layer"]))
    return (f"WITH layers AS (\n"
            f"  SELECT {sel}count(*) AS cases,\n"
            f"         sum(logistics_cost + handling_cost + discount_loss) AS cost,\n"
            f"         sum(service_revenue - logistics_cost - handling_cost - discount_loss) AS net\n"
            f"  FROM {source}\n  {group}\n)\n"
            f"SELECT *, cost / sum(cost) OVER () AS share_of_cost,\n"
            f"       sum(cost) OVER (ORDER BY {order} ROWS UNBOUNDED PRECEDING) / sum(cost) OVER ()"
            f" AS cumulative_share\n"
            f"FROM layers\nORDER BY {order}")


def layers_duckdb(parquet: str | os.PathLike, by=("category", "reason")) -> "pd.DataFrame":
    """Run :func:`layer_sql` with DuckDB over Parquet file(s) (a path or a glob), as a DataFrame."""
    import duckdb

    src = "read_parquet('" + str(parquet).replace("'", "''") + "')"
    con = duckdb.connect()
    try:
        return con.execute(layer_sql(by, src)).df()
    finally:
        con.close()
