"""Customer value tiers from the orders: RFM scores, segments, the tier table."""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["CUSTOMER_TIERS", "SEGMENTS", "rfm_tiers", "orders_lack_refunds", "attach_tiers", "order_tiers", "tier_table"]

CUSTOMER_TIERS = ("high", "mid", "low", "unknown")
#: The ten RFM segment names, in the order the rules of :func:`rfm_tiers` test them.
SEGMENTS = ("champions", "loyal", "can't lose them", "at risk", "new", "promising",
            "potential loyalists", "need attention", "about to sleep", "lost / hibernating")
#: Chinese names beside the English ones (for tables and the notebook).

# ------------------------------------------------------------------------------ RFM
def orders_lack_refunds(orders: "pd.DataFrame") -> bool:
    """True when the orders carry no refunds, so RFM's monetary value takes the cases' refunds."""
    return "refund_amount" not in orders.columns or float(orders["refund_amount"].sum()) == 0


def rfm_tiers(orders: "pd.DataFrame", as_of=None, refunds: "pd.Series | None" = None) -> "pd.DataFrame":
    """RFM per customer: recency_days, frequency (orders), monetary (yuan), scores r, f, m (1-5),
    rfm_score (3-15), segment (ten names) and value_tier.

    Monetary value is net of refunds: amount - refund_amount of the orders (when the orders
    have that column), less ``refunds`` (yuan per customer_id, e.g. the refunds of the cases when
    the orders carry none). Scores are quintiles of the rank order (as ``pd.qcut`` on
    ``rank(method="first")``), ties broken by customer_id, never by file order: the scores do
    not depend on the order of the rows, and the result is sorted by customer_id; 5 is best (most recent, most orders, most spent). as_of: the day after
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
    spent = orders["amount"].to_numpy(dtype=float)
    if "refund_amount" in orders.columns:
        spent = spent - np.nan_to_num(orders["refund_amount"].to_numpy(dtype=float))
    money_a = np.round(np.bincount(codes, weights=spent, minlength=k), 2)   # to the fen: row order cannot move a tie
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
    if refunds is not None and len(refunds):
        r_per = pd.Series(refunds, dtype=float).groupby(level=0).sum()
        r_per.index = r_per.index.astype(str)
        money = (money - r_per.reindex(ids.astype(str)).fillna(0.0).to_numpy()).round(2)
    # the stable key: customers in the order of their ids (not of the file)
    by_id = np.argsort(np.asarray(ids.astype(str), dtype=object), kind="stable")
    ids, recency, freq, money = ids[by_id], recency.iloc[by_id], freq.iloc[by_id], money.iloc[by_id]

    def score(s: "pd.Series", ascending: bool) -> np.ndarray:
        # quintile of the rank order; ties broken by customer_id (the frame is sorted by it)
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


def order_tiers(orders: "pd.DataFrame", tiers: "pd.DataFrame") -> "pd.DataFrame":
    """The orders with their customer's tier (as they are if they already have one)."""
    if "customer_tier" in orders.columns:
        return orders
    return attach_tiers(orders, tiers)



# ------------------------------------------------------------------------------ tiers
def tier_table(cases: "pd.DataFrame", orders: "pd.DataFrame", tiers: "pd.DataFrame | None" = None) -> "pd.DataFrame":
    """Per customer value tier: customers, orders, revenue (yuan), value_per_customer, cases,
    case_rate (per order), cost, net, cost_per_case, cost_per_customer and cost_share_of_revenue.

    A tier's value is what its customers spent (order amounts, yuan); cost_share_of_revenue
    is the after-sales cost of the tier's cases over that spending. ``cases`` may be aggregated:
    with a column ``case_count`` each row stands for that many cases (and carries their sums).
    """
    import numpy as np
    import pandas as pd

    tiers = rfm_tiers(orders) if tiers is None else tiers
    if "customer_tier" not in cases.columns:
        cases = attach_tiers(cases, tiers)
    o = order_tiers(orders, tiers)
    og = o.groupby("customer_tier", observed=False)
    cg = cases.groupby("customer_tier", observed=False)
    t = pd.DataFrame({
        "customers": tiers.groupby("value_tier", observed=False).size(),
        "orders": og.size(), "revenue": og["amount"].sum(),
        "cases": cg["case_count"].sum() if "case_count" in cases.columns else cg.size(),
        "cost": cg["cost"].sum(), "net": cg["net"].sum(),
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


