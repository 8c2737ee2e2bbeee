"""Layers (分层): cases, cost and rates by any dimensions, the Pareto order, the vital few."""
from __future__ import annotations

from typing import TYPE_CHECKING

from aftersales.glossary import label
from aftersales.segment.schema import RETURN_TYPES
from aftersales.segment.tiers import attach_tiers, order_tiers, rfm_tiers

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["DIMENSIONS", "ORDER_DIMENSIONS", "TIME_DIMENSIONS", "ZH", "parse_by", "period", "layer_table",
           "finish_layer_table",
           "pareto", "vital_few", "vital_few_summary"]

#: Time dimensions: the period a case was opened in (an order: the period it was placed in).
#: Labels sort in time order: month 2024-03, week 2024-W09 (ISO weeks), quarter 2024Q1.
TIME_DIMENSIONS = ("month", "week", "quarter")
#: Dimensions a layer can be cut by.
DIMENSIONS = ("category", "reason", "channel", "customer_tier", "case_type") + TIME_DIMENSIONS
#: Dimensions orders have too (so case rates per order can be computed for them).
ORDER_DIMENSIONS = ("category", "channel", "customer_tier") + TIME_DIMENSIONS
#: Chinese names beside the English ones (for tables and the notebook), read from the glossary,
#: which owns them (``seg_<dimension>``, ``segc_<period>``, ``segv_<code>``).
ZH = {code: label(key, "zh") for code, key in (
    [(d, f"seg_{d}") for d in ("category", "reason", "channel", "customer_tier", "case_type")]
    + [(v, f"segv_{v}") for v in ("high", "mid", "low", "unknown", "size_fit", "quality_defect",
                                  "description_mismatch", "logistics_delay", "transit_damage", "changed_mind",
                                  "color_difference", "other")]
    + [(d, f"segc_{d}") for d in TIME_DIMENSIONS])}


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


def period(dates, unit: str) -> "pd.Categorical":
    """The period label of each date (``unit`` month, week or quarter), as an ordered categorical.

    Vectorised: the labels are formatted once per distinct period. Missing dates give NaN.
    """
    import numpy as np
    import pandas as pd

    if unit not in TIME_DIMENSIONS:
        raise ValueError(f"unknown period {unit!r}; use one of {', '.join(TIME_DIMENSIONS)}")
    d = pd.to_datetime(pd.Series(np.asarray(dates)))
    if unit == "month":
        key = d.dt.to_period("M")
    elif unit == "quarter":
        key = d.dt.to_period("Q")
    else:
        key = d.dt.to_period("W-SUN")          # ISO weeks run Monday to Sunday
    codes, uniques = pd.factorize(key, sort=True)
    if unit == "week":
        starts = uniques.start_time
        iso = starts.isocalendar()
        labels = [f"{y}-W{w:02d}" for y, w in zip(iso["year"], iso["week"])]
    else:
        labels = [str(u) for u in uniques]
    return pd.Categorical.from_codes(codes, categories=labels, ordered=True)


def layer_table(cases: "pd.DataFrame", by=("category", "reason"), orders: "pd.DataFrame | None" = None,
                tiers: "pd.DataFrame | None" = None) -> "pd.DataFrame":
    """Cases, cost and net by layer, largest cost first (the Pareto order).

    Columns: the ``by`` keys, cases, returns (return + exchange cases), cost, net (yuan),
    share_of_cost, cumulative_share, cost_per_case (yuan), and with ``orders``: orders,
    case_rate and return_rate (per order), cost_per_order (yuan): the orders of the layer's
    category / channel / customer_tier / period cell (a reason or case_type layer is a share of
    those orders). A time dimension (month, week, quarter) puts a case in the period it was
    opened and an order in the period it was placed: the monthly return rate is the returns
    opened in a month over the orders placed in it.
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
        if b in TIME_DIMENSIONS:
            df[b] = period(cases["opened_at"], b)
        else:
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
    return finish_layer_table(t, by, orders, tiers, total=float(df["cost"].sum()))


def finish_layer_table(t: "pd.DataFrame", by, orders: "pd.DataFrame | None" = None,
                       tiers: "pd.DataFrame | None" = None, total: float | None = None) -> "pd.DataFrame":
    """The layer table from cases, returns, cost and net per layer (keys as text): the Pareto order,
    shares, cost per case and, with ``orders``, the rates per order (see :func:`layer_table`).

    The streaming engine sums the layers in SQL and finishes them here, so both engines rank,
    share and rate the layers with the same code. total: the total cost (the sum of the layers
    when None).
    """
    import numpy as np

    by = list(parse_by(by))
    total = float(t["cost"].sum()) if total is None else total
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
            o = order_tiers(orders, tiers)
        tdims = [b for b in odims if b in TIME_DIMENSIONS]
        if tdims:
            o = o.assign(**{b: period(o["ordered_at"], b) for b in tdims})
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
            t["cost_per_order"] = np.where(t["orders"] > 0, t["cost"] / t["orders"], np.nan)
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




def vital_few_summary(table: "pd.DataFrame", threshold: float = 0.8) -> dict:
    """How concentrated the cost is, reported so that it does not merely follow the number of layers.

    Returns {"threshold", "layers", "vital_few_layers", "vital_few_share_of_layers",
    "vital_few_share_of_cases"}: the vital few are the layers, largest cost first, that reach
    ``threshold`` of the cost. Their share of the layers falls whenever layers are cut finer
    (62% of 8 layers, 35% of 765 on the same cases), so it is reported beside the number of
    layers and never alone. vital_few_share_of_cases is the share of all cases that fall in the
    vital few layers: when cost simply follows the case count it is about ``threshold``
    whatever the cut; the further below, the more the vital few are costlier per case than
    the rest, which is what a Pareto argument needs. It only moves with the cut when the
    finer cut does separate expensive cases from cheap ones.
    """
    p = pareto(table, threshold)
    n = len(p)
    k = int(p["vital_few"].sum())
    cases = float(p["cases"].sum())
    return {"threshold": threshold, "layers": n, "vital_few_layers": k,
            "vital_few_share_of_layers": k / n if n else 0.0,
            "vital_few_share_of_cases": float(p.loc[p["vital_few"], "cases"].sum()) / cases if cases else 0.0}
