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

# ------------------------------------------------------------------------------ RFM
def orders_lack_refunds(orders: "pd.DataFrame") -> bool:
    """True when the orders carry no refunds, so RFM's monetary value takes the cases' refunds.

    Parameters
    ----------
    orders : pandas.DataFrame
        Clean orders; ``refund_amount`` (yuan) may be absent.

    Returns
    -------
    bool
        True when ``refund_amount`` is absent or sums to 0.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({"amount": [800.0, 2000.0], "refund_amount": [0.0, 2000.0]})
    >>> orders_lack_refunds(orders), orders_lack_refunds(orders.drop(columns="refund_amount"))
    (False, True)
    """
    return "refund_amount" not in orders.columns or float(orders["refund_amount"].sum()) == 0


def rfm_tiers(orders: "pd.DataFrame", as_of=None, refunds: "pd.Series | None" = None) -> "pd.DataFrame":
    """RFM per customer: recency, frequency, monetary value net of refunds, scores, segment, tier.

    Parameters
    ----------
    orders : pandas.DataFrame
        Clean orders: ``customer_id``, ``ordered_at`` (dates), ``amount`` (yuan) and optionally
        ``refund_amount`` (yuan). At least one row.
    as_of : date-like, optional
        The day recency is counted to; by default the day after the last order in the data.
    refunds : pandas.Series, optional
        Yuan per customer_id subtracted from the monetary value (e.g. the refunds of the cases
        when the orders carry none; several entries of one customer are summed).

    Returns
    -------
    pandas.DataFrame
        Indexed by ``customer_id`` (sorted): ``recency_days`` (days since the last order),
        ``frequency`` (orders), ``monetary`` (yuan, to the fen), scores ``r``, ``f``, ``m``
        (1-5, 5 best: most recent, most orders, most spent), ``rfm_score`` (3-15), ``segment``
        (one of :data:`SEGMENTS`) and ``value_tier`` (high, mid, low).

    Raises
    ------
    ValueError
        If there are no orders.

    Notes
    -----
    monetary = sum of (amount - refund_amount) - refunds, rounded to the fen. Each score is
    the quintile of the rank order, floor(5 x position / customers) + 1 (as ``pd.qcut`` on
    ``rank(method="first")``); ties are broken by customer_id, never by file order, so the
    scores do not depend on the order of the rows (customers with equal values may therefore
    get different scores). Value tier by rfm_score: high >= 12, low <= 6, mid between.
    Segments, first rule that fits: champions r>=4, f>=4, m>=4; loyal r>=3, f>=3, m>=3;
    can't lose them r<=2, f>=4, m>=4; at risk r<=2, f>=3, m>=3; new r=5, f=1; promising r=4,
    f=1; potential loyalists r>=3, f>=2; need attention r=3, f=1; about to sleep r=2; else
    lost / hibernating.

    References
    ----------
    .. [1] A. M. Hughes, *Strategic Database Marketing*, Probus, 1994 (RFM scoring by quintiles).
    .. [2] "售后分析精细化分层" (the second seed article): customer value tiers (高价值客户).

    Examples
    --------
    Five customers, counted to 2024-06-29 (the day after the last order); C4's one order was
    refunded in full:

    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "order_id": ["O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8"],
    ...     "customer_id": ["C1", "C1", "C1", "C2", "C2", "C3", "C4", "C5"],
    ...     "ordered_at": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-06-20", "2024-02-10",
    ...                                   "2024-06-25", "2024-06-28", "2024-01-15", "2024-04-01"]),
    ...     "amount": [800.0, 1200.0, 1500.0, 600.0, 900.0, 300.0, 2000.0, 450.0],
    ...     "refund_amount": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2000.0, 0.0]})
    >>> t = rfm_tiers(orders)
    >>> t[["recency_days", "frequency", "monetary", "r", "f", "m"]].values.tolist()
    [[9.0, 3.0, 3500.0, 3.0, 5.0, 5.0], [4.0, 2.0, 1500.0, 4.0, 4.0, 4.0], [1.0, 1.0, 300.0, 5.0, 1.0, 2.0], [166.0, 1.0, 0.0, 1.0, 2.0, 1.0], [89.0, 1.0, 450.0, 2.0, 3.0, 3.0]]
    >>> t.index.tolist(), t["rfm_score"].tolist()
    (['C1', 'C2', 'C3', 'C4', 'C5'], [13, 12, 8, 4, 8])
    >>> t["segment"].tolist()
    ['loyal', 'champions', 'new', 'lost / hibernating', 'at risk']
    >>> t["value_tier"].tolist()
    ['high', 'high', 'mid', 'low', 'mid']

    C3, C4 and C5 placed one order each: the tie is broken by customer_id (f = 1, 2, 3).
    Refunds given apart (the orders without ``refund_amount``) give the same monetary value:

    >>> rfm_tiers(orders.drop(columns="refund_amount"),
    ...           refunds=pd.Series({"C4": 2000.0}))["monetary"].tolist()
    [3500.0, 1500.0, 300.0, 0.0, 450.0]
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
    """The cases with a ``customer_tier`` column (high, mid, low, unknown) from :func:`rfm_tiers`.

    Parameters
    ----------
    cases : pandas.DataFrame
        Cases (or orders) with a ``customer_id`` column (text or categorical; may be missing).
    tiers : pandas.DataFrame
        The result of :func:`rfm_tiers` (indexed by customer_id, with ``value_tier``).

    Returns
    -------
    pandas.DataFrame
        A copy of ``cases`` with ``customer_tier``, a categorical of
        :data:`CUSTOMER_TIERS`; ``unknown`` where the customer is missing or has no orders.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "order_id": ["O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8"],
    ...     "customer_id": ["C1", "C1", "C1", "C2", "C2", "C3", "C4", "C5"],
    ...     "ordered_at": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-06-20", "2024-02-10",
    ...                                   "2024-06-25", "2024-06-28", "2024-01-15", "2024-04-01"]),
    ...     "amount": [800.0, 1200.0, 1500.0, 600.0, 900.0, 300.0, 2000.0, 450.0],
    ...     "refund_amount": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2000.0, 0.0]})
    >>> cases = pd.DataFrame({"case_id": ["A1", "A2", "A3"], "customer_id": ["C1", "C4", None]})
    >>> attach_tiers(cases, rfm_tiers(orders))["customer_tier"].tolist()
    ['high', 'low', 'unknown']
    """
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
    """The orders with their customer's tier (as they are if they already have one).

    Parameters
    ----------
    orders : pandas.DataFrame
        Orders with ``customer_id``; a ``customer_tier`` column already there is kept.
    tiers : pandas.DataFrame
        The result of :func:`rfm_tiers`.

    Returns
    -------
    pandas.DataFrame
        ``orders`` with ``customer_tier`` (see :func:`attach_tiers`).

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "order_id": ["O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8"],
    ...     "customer_id": ["C1", "C1", "C1", "C2", "C2", "C3", "C4", "C5"],
    ...     "ordered_at": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-06-20", "2024-02-10",
    ...                                   "2024-06-25", "2024-06-28", "2024-01-15", "2024-04-01"]),
    ...     "amount": [800.0, 1200.0, 1500.0, 600.0, 900.0, 300.0, 2000.0, 450.0],
    ...     "refund_amount": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2000.0, 0.0]})
    >>> order_tiers(orders, rfm_tiers(orders))["customer_tier"].tolist()
    ['high', 'high', 'high', 'high', 'high', 'mid', 'low', 'mid']
    """
    if "customer_tier" in orders.columns:
        return orders
    return attach_tiers(orders, tiers)



# ------------------------------------------------------------------------------ tiers
def tier_table(cases: "pd.DataFrame", orders: "pd.DataFrame", tiers: "pd.DataFrame | None" = None) -> "pd.DataFrame":
    """Per customer value tier: customers, orders, revenue, cases, cost and the cost per unit.

    Parameters
    ----------
    cases : pandas.DataFrame
        Clean cases with ``customer_id`` (or ``customer_tier``), ``cost`` and ``net`` (yuan), and
        ``refund_amount`` (yuan) for orders that carry no refunds. They may be aggregated: with a
        column ``case_count`` each row stands for that many cases (and carries their sums).
    orders : pandas.DataFrame
        Clean orders with ``customer_id``, ``amount`` and optionally ``refund_amount`` (yuan).
    tiers : pandas.DataFrame, optional
        The result of :func:`rfm_tiers` (computed from ``orders`` when not given).

    Returns
    -------
    pandas.DataFrame
        One row per tier in the order high, mid, low (and unknown when cases land there):
        customer_tier, customers, orders, revenue (yuan), cases, cost, net (yuan),
        value_per_customer, case_rate (cases per order), cost_per_case, cost_per_customer (yuan)
        and cost_share_of_revenue (0-1). A ratio over 0 is NaN.

    Notes
    -----
    revenue = sum of (amount - refund_amount) over the orders of the tier's customers: what they
    paid net of refunds, the basis of RFM's monetary value (:func:`rfm_tiers`), so a customer
    refunded in full adds no revenue to a tier. When the orders carry no refunds
    (:func:`orders_lack_refunds`), the refunds of the cases of the tier's customers are
    subtracted instead, as RFM does (the ``unknown`` tier has no orders and no revenue).
    value_per_customer = revenue / customers;
    case_rate = cases / orders; cost_per_case = cost / cases; cost_per_customer = cost /
    customers; cost_share_of_revenue = cost / revenue.

    Examples
    --------
    >>> import pandas as pd
    >>> orders = pd.DataFrame({
    ...     "order_id": ["O1", "O2", "O3", "O4", "O5", "O6", "O7", "O8"],
    ...     "customer_id": ["C1", "C1", "C1", "C2", "C2", "C3", "C4", "C5"],
    ...     "ordered_at": pd.to_datetime(["2024-01-05", "2024-03-01", "2024-06-20", "2024-02-10",
    ...                                   "2024-06-25", "2024-06-28", "2024-01-15", "2024-04-01"]),
    ...     "amount": [800.0, 1200.0, 1500.0, 600.0, 900.0, 300.0, 2000.0, 450.0],
    ...     "refund_amount": [0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 2000.0, 0.0]})
    >>> cases = pd.DataFrame({"customer_id": ["C1", "C4", None], "cost": [120.0, 300.0, 50.0],
    ...                       "net": [-120.0, -300.0, -50.0]})
    >>> t = tier_table(cases, orders)
    >>> t[["customer_tier", "customers", "orders", "revenue", "cases", "cost"]].values.tolist()
    [['high', 2, 5, 5000.0, 1, 120.0], ['mid', 2, 2, 750.0, 0, 0.0], ['low', 1, 1, 0.0, 1, 300.0], ['unknown', 0, 0, 0.0, 1, 50.0]]
    >>> t["cost_share_of_revenue"].round(3).tolist()
    [0.024, 0.0, nan, nan]

    C4 paid 2000 yuan and got all of it back: the low tier has no revenue left, so its cost share
    of revenue is NaN (a ratio over 0), not 300 / 2000.
    """
    import numpy as np
    import pandas as pd

    tiers = rfm_tiers(orders) if tiers is None else tiers
    if "customer_tier" not in cases.columns:
        cases = attach_tiers(cases, tiers)
    o = order_tiers(orders, tiers)
    paid = o["amount"].to_numpy(dtype=float)
    if "refund_amount" in o.columns:
        paid = paid - np.nan_to_num(o["refund_amount"].to_numpy(dtype=float))
    og = o.groupby("customer_tier", observed=False)
    cg = cases.groupby("customer_tier", observed=False)
    revenue = pd.Series(paid, index=o.index).groupby(o["customer_tier"], observed=False).sum()
    if orders_lack_refunds(orders) and "refund_amount" in cases.columns:
        case_refunds = cg["refund_amount"].sum().reindex(revenue.index).fillna(0.0)
        revenue = revenue - case_refunds.where(revenue.index != "unknown", 0.0)
    t = pd.DataFrame({
        "customers": tiers.groupby("value_tier", observed=False).size(),
        "orders": og.size(), "revenue": revenue,
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


