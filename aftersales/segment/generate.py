"""A synthetic after-sales data set for a scenario's brand: orders, customers and cases.

Deterministic by seed (numpy ``default_rng(seed)``) and vectorised, so it makes a
million case rows in seconds. What it builds, and why it is realistic enough to teach:

- customers with different buying habits (frequency, spend, active window), so RFM
  value tiers come out of the orders as they would in a real shop;
- orders by category and channel, priced around the scenario's average order value;
- cases on a share of the orders: more on some categories and channels (dresses and
  trousers, live-stream selling on douyin), with reasons that depend on category and
  channel (fit problems in dresses and trousers, quality in knitwear, transit damage
  on douyin's carrier, colour differences online, few fit problems in stores);
- costs consistent with the scenario's cost structure: for return and exchange cases
  the mean logistics, handling and discount loss per case equal the scenario's
  traditional logistics, team salary + quality check, and discounted resale loss divided
  by its yearly returns (active customers x purchases per year x return rate); service
  cases (remake, deep_clean, repair, storage) are priced and costed from the scenario's
  service menu. ``service_share`` sets their share of cases (default 0.15).

Optional mess for teaching the cleaning: ``messy`` (share of rows whose labels arrive as
Chinese or as spelling variants) and ``broken`` (share of rows broken in one of the ways
the cleaner sets aside).
"""
from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING

from aftersales.segment.records import CASE_COLUMNS, CASE_TYPES, MONEY_COLUMNS, REASONS

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["CATEGORIES", "CHANNELS", "ORDER_COLUMNS", "generate", "orders_for_rows", "brand_year", "make_broken",
           "make_messy", "to_export", "write_dataset", "orders_path_for", "EXPORT_HEADERS"]

CATEGORIES = ("dresses", "trousers", "tops", "knitwear", "outerwear", "shoes", "accessories")
_CAT_SHARE = (0.22, 0.17, 0.20, 0.12, 0.12, 0.10, 0.07)
_CAT_PRICE = (1.05, 0.85, 0.60, 0.95, 1.90, 1.10, 0.45)       # relative to the average order value
_CAT_CASES = (1.45, 1.35, 0.90, 1.00, 0.85, 1.10, 0.45)       # relative case rate per order
CHANNELS = ("tmall", "jd", "douyin", "wechat_mall", "store")
_CH_SHARE = (0.32, 0.18, 0.20, 0.12, 0.18)
_CH_CASES = (1.00, 0.95, 1.60, 0.90, 0.45)
_CH_LOGISTICS = (1.00, 0.90, 1.10, 1.00, 0.25)                 # a store return rarely ships
# reason weights per category, in the order of REASONS:
# size_fit, quality_defect, description_mismatch, logistics_delay, transit_damage, changed_mind,
# color_difference, other
_REASON_BY_CAT = (
    (0.42, 0.07, 0.11, 0.05, 0.02, 0.15, 0.13, 0.05),   # dresses: fit, colour
    (0.46, 0.07, 0.09, 0.05, 0.02, 0.16, 0.06, 0.09),   # trousers: fit
    (0.24, 0.10, 0.15, 0.06, 0.03, 0.22, 0.15, 0.05),   # tops
    (0.18, 0.32, 0.12, 0.05, 0.03, 0.15, 0.10, 0.05),   # knitwear: pilling, shrinking
    (0.26, 0.18, 0.12, 0.07, 0.05, 0.18, 0.07, 0.07),   # outerwear
    (0.36, 0.20, 0.07, 0.07, 0.08, 0.14, 0.03, 0.05),   # shoes
    (0.04, 0.26, 0.16, 0.10, 0.14, 0.20, 0.05, 0.05),   # accessories: breakage
)
# multipliers per channel on the reason weights
_REASON_BY_CH = (
    (1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0),           # tmall
    (1.0, 1.0, 0.9, 0.5, 0.8, 1.0, 1.0, 1.0),           # jd: its own fast logistics
    (1.0, 1.0, 2.2, 1.8, 4.0, 1.6, 1.3, 1.0),           # douyin: live-stream claims, a third-party carrier
    (1.0, 1.0, 1.0, 1.2, 1.0, 1.0, 1.0, 1.0),           # wechat_mall
    (0.35, 1.2, 0.3, 0.02, 0.02, 0.8, 0.2, 1.0),        # store: tried on, carried home
)
# case type given the reason (problem cases), in the order return, exchange, repair, complaint
_TYPE_BY_REASON = (
    (0.55, 0.45, 0.00, 0.00),   # size_fit
    (0.40, 0.20, 0.25, 0.15),   # quality_defect
    (0.75, 0.05, 0.00, 0.20),   # description_mismatch
    (0.35, 0.00, 0.00, 0.65),   # logistics_delay
    (0.30, 0.45, 0.05, 0.20),   # transit_damage
    (1.00, 0.00, 0.00, 0.00),   # changed_mind
    (0.60, 0.35, 0.00, 0.05),   # color_difference
    (0.50, 0.20, 0.10, 0.20),   # other
)
# chance that a returned or exchanged item is resold at a discount, by reason
_DISCOUNT_P = (0.12, 0.70, 0.25, 0.10, 0.80, 0.20, 0.30, 0.20)
_LOGI_BY_TYPE = {"return": 1.0, "exchange": 1.8, "repair": 1.4, "complaint": 0.0}
_HANDLE_BY_TYPE = {"return": 1.0, "exchange": 1.2, "repair": 1.6, "complaint": 0.7}

ORDER_COLUMNS = ("order_id", "customer_id", "ordered_at", "channel", "category", "amount")

#: Chinese headers of the differently shaped export (and their column order there).
EXPORT_HEADERS = {
    "opened_at": "申请日期", "case_id": "售后单号", "order_id": "订单号", "customer_id": "客户编号",
    "channel": "渠道", "category": "品类", "case_type": "售后类型", "reason": "原因",
    "item_price": "商品价格", "refund_amount": "退款金额", "logistics_cost": "物流费用",
    "handling_cost": "处理费用", "discount_loss": "折价损失", "service_revenue": "服务收入",
    "satisfaction": "满意度", "resolution_days": "处理天数",
}


def _ids(prefix: str, numbers, width: int):
    """Text ids like C0000042, vectorised with pyarrow."""
    import pyarrow as pa
    import pyarrow.compute as pc

    s = pc.utf8_lpad(pc.cast(pa.array(numbers), pa.string()), width, "0")
    return pc.binary_join_element_wise(pa.scalar(prefix), s, "").to_numpy(zero_copy_only=False)


def _choice_rows(cum, u):
    """Row-wise categorical draw: cum is (n, k) cumulative probabilities, u is (n,) uniforms."""
    import numpy as np

    return np.minimum((u[:, None] > cum).sum(axis=1), cum.shape[1] - 1)


def orders_for_rows(return_rate: float, rows: int, service_share: float = 0.0) -> int:
    """The number of orders :func:`generate` makes for ``rows`` cases when not given ``n_orders``.

    Parameters
    ----------
    return_rate : float
        The scenario's share 0-1 of orders returned or exchanged (``brand.return_rate``).
    rows : int
        The case rows.
    service_share : float, optional
        The share 0-1 of the cases that are paid services (default 0).

    Returns
    -------
    int
        ceil(rows / min(case_rate, 0.9)) and at least ``rows``, where case_rate =
        max(return_rate, 0.01) / 0.8 / (1 - service_share): about 80% of the problem cases are
        returns or exchanges.

    Examples
    --------
    The demo brand returns 18% of its orders: 0.225 problem cases an order, so 113 cases come
    with ceil(113 / 0.225) = 503 orders.

    >>> orders_for_rows(0.18, 113)
    503
    """
    problem_rate = max(return_rate, 0.01) / 0.8          # ~80% of problem cases are returns/exchanges
    case_rate = problem_rate / max(1e-9, 1.0 - service_share)
    return max(rows, int(math.ceil(rows / min(case_rate, 0.9))))


def generate(scenario="seed-demo", rows: int = 20_000, seed: int = 0, *, start: str = "2024-01-01",
             days: int = 730, service_share: float = 0.15, id_prefix: str = "AS",
             messy: float = 0.0, broken: float = 0.0, n_orders: int | None = None,
             n_customers: int | None = None, budget: bool = False) -> tuple["pd.DataFrame", "pd.DataFrame"]:
    """Make (cases, orders) for the scenario's brand: ``rows`` case rows, deterministic by ``seed``.

    Parameters
    ----------
    scenario : str or Scenario, optional
        The scenario whose brand and cost structure the data follow (default ``"seed-demo"``).
    rows : int, optional
        The number of case rows, >= 1 (default 20,000).
    seed : int, optional
        The seed of numpy's ``default_rng``: the same seed and arguments give the same data.
    start : str, optional
        The first day of the period the orders fall in (default ``"2024-01-01"``).
    days : int, optional
        The length of that period in days (default 730).
    service_share : float, optional
        The share (0-1) of cases that are value-added service requests (remake, deep_clean,
        repair, storage); default 0.15.
    id_prefix : str, optional
        The prefix of the case ids (default ``"AS"``: AS00000001 ...).
    messy, broken : float, optional
        Shares (0-1) of rows given label variants / broken values (see :func:`make_messy`,
        :func:`make_broken`); 0 (default) gives a clean canonical file.
    n_orders, n_customers : int, optional
        Fix the number of orders and of customers (derived from ``rows`` when None).
    budget : bool, optional
        Scale the costs so that their totals over all cases equal the scenario's traditional
        budget lines (logistics; team salary + quality check as handling; discounted resale
        loss) instead of matching the mean per return case (see :func:`brand_year`). Default
        False.

    Returns
    -------
    cases : pandas.DataFrame
        The columns of CASE_COLUMNS, money in yuan, sorted by opened_at.
    orders : pandas.DataFrame
        order_id, customer_id, ordered_at, channel, category, amount (yuan), sorted by ordered_at.

    Raises
    ------
    ValueError
        If ``rows`` is not a whole number >= 1 or a share is outside [0, 1].

    Notes
    -----
    Without ``budget``, for return and exchange cases the mean cost per case of each kind is the
    scenario's yearly budget line over its yearly returns, e.g. mean logistics = traditional
    logistics / (active customers x purchases per year x return rate); service cases are priced
    and costed from the scenario's service menu.

    Examples
    --------
    >>> cases, orders = generate(rows=200, seed=1)
    >>> len(cases), len(orders)
    (200, 756)
    >>> cases.loc[0, ["case_id", "channel", "category", "case_type", "reason"]].tolist()
    ['AS00000001', 'douyin', 'dresses', 'return', 'logistics_delay']
    >>> cases["opened_at"].is_monotonic_increasing, orders["ordered_at"].is_monotonic_increasing
    (True, True)
    >>> generate(rows=200, seed=1)[0].equals(cases)          # deterministic by seed
    True
    """
    import numpy as np
    import pandas as pd

    from aftersales.model.scenario import load_scenario

    if isinstance(rows, bool) or not isinstance(rows, (int, np.integer)) or rows < 1:
        raise ValueError(f"rows must be a whole number >= 1, got {rows!r}")
    for name, v in (("service_share", service_share), ("messy", messy), ("broken", broken)):
        if not (isinstance(v, (int, float)) and 0 <= v <= 1):
            raise ValueError(f"{name} must be a share in [0, 1], got {v!r}")
    if days < 1:
        raise ValueError(f"days must be >= 1, got {days!r}")
    sc = load_scenario(scenario)
    b, trad = sc.brand, sc.traditional
    rng = np.random.default_rng(seed)
    rows = int(rows)
    services = [s for s in sc.services]
    if not services:
        service_share = 0.0

    # ---- how many orders and customers
    if n_orders is None:
        n_orders = orders_for_rows(b.return_rate, rows, service_share)
    n_orders = int(max(n_orders, rows))
    years = days / 365.0
    every_customer_buys = n_customers is not None
    if n_customers is None:
        n_customers = max(1, int(round(n_orders / max(b.purchases_per_year * years, 1.0))))

    # ---- customers: propensity (frequency), spend level (monetary), active window (recency)
    propensity = rng.gamma(0.9, 1.0, n_customers)
    spend = rng.lognormal(-0.35 ** 2 / 2, 0.35, n_customers)
    win_start = rng.uniform(0, days * 0.85, n_customers)
    win_len = rng.uniform(0.15, 1.0, n_customers) * (days - win_start)
    main_channel = rng.choice(len(CHANNELS), size=n_customers, p=np.array(_CH_SHARE))

    # ---- orders
    cust = rng.choice(n_customers, size=n_orders, p=propensity / propensity.sum())
    if every_customer_buys and n_orders >= n_customers:   # each active customer places at least one order
        cust[rng.permutation(n_orders)[:n_customers]] = np.arange(n_customers)
    ordered_day = np.floor(win_start[cust] + rng.uniform(0, 1, n_orders) * win_len[cust]).astype(np.int64)
    cat = rng.choice(len(CATEGORIES), size=n_orders, p=np.array(_CAT_SHARE))
    other_channel = rng.choice(len(CHANNELS), size=n_orders, p=np.array(_CH_SHARE))
    ch = np.where(rng.uniform(size=n_orders) < 0.6, main_channel[cust], other_channel)
    rel = np.array(_CAT_PRICE) / np.dot(_CAT_SHARE, _CAT_PRICE)
    price = np.round(b.avg_order_value * rel[cat] * spend[cust] * rng.lognormal(-0.02, 0.2, n_orders))
    price = np.maximum(price, 9.0)
    t0 = np.datetime64(start, "D")
    order_no = np.argsort(ordered_day, kind="stable")
    orders = pd.DataFrame({
        "order_id": _ids("O", np.arange(1, n_orders + 1), 8),
        "customer_id": _ids("C", cust[order_no] + 1, 7),
        "ordered_at": (t0 + ordered_day[order_no]).astype("datetime64[s]"),
        "channel": pd.Categorical.from_codes(ch[order_no], CHANNELS),
        "category": pd.Categorical.from_codes(cat[order_no], CATEGORIES),
        "amount": price[order_no],
    })
    cat, ch, price = cat[order_no], ch[order_no], price[order_no]
    ordered_day, cust = ordered_day[order_no], cust[order_no]

    # ---- which orders get a case: weighted sampling without replacement (Efraimidis-Spirakis)
    # low spenders (bargain hunters) open more cases per order than high spenders
    w = np.array(_CAT_CASES)[cat] * np.array(_CH_CASES)[ch] * spend[cust] ** -0.8
    keys = rng.exponential(size=n_orders) / w
    pick = np.sort(np.argpartition(keys, rows - 1)[:rows]) if rows < n_orders else np.arange(n_orders)
    c_cat, c_ch, c_price = cat[pick], ch[pick], price[pick]

    # ---- problem cases or service requests
    is_service = rng.uniform(size=rows) < service_share
    # reasons given category and channel
    weights = np.array(_REASON_BY_CAT)[:, None, :] * np.array(_REASON_BY_CH)[None, :, :]
    cum = np.cumsum(weights / weights.sum(axis=2, keepdims=True), axis=2)      # (cat, ch, reason)
    reason = _choice_rows(cum[c_cat, c_ch], rng.uniform(size=rows))
    reason[is_service] = REASONS.index("other")
    tcum = np.cumsum(np.array(_TYPE_BY_REASON), axis=1)
    ptype = _choice_rows(tcum[reason], rng.uniform(size=rows))            # 0..3
    ctype = ptype.copy()                                                      # index into CASE_TYPES
    svc_idx = np.zeros(rows, dtype=np.int64)
    if service_share > 0:
        uses = np.array([b.active_customers * s.acceptance * s.uses_per_user_per_year for s in services])
        uses = uses if uses.sum() > 0 else np.ones(len(services))
        svc_idx = rng.choice(len(services), size=rows, p=uses / uses.sum())
        kind_type = np.array([CASE_TYPES.index(s.kind) for s in services])
        ctype = np.where(is_service, kind_type[svc_idx], ptype)

    # ---- costs: mean per return/exchange case = the scenario's traditional cost per return
    returns_per_year = max(1.0, b.active_customers * b.purchases_per_year * b.return_rate)
    logi_unit = trad.logistics / returns_per_year
    handle_unit = (trad.team_salary + trad.quality_check) / returns_per_year
    disc_unit = trad.discounted_resale_loss / returns_per_year
    is_ret = ~is_service & np.isin(ctype, [0, 1])
    logi_m = np.array([_LOGI_BY_TYPE.get(t, 1.0) for t in CASE_TYPES])[ctype] * np.array(_CH_LOGISTICS)[c_ch]
    handle_m = np.array([_HANDLE_BY_TYPE.get(t, 1.0) for t in CASE_TYPES])[ctype]
    noise = lambda s: rng.lognormal(-s * s / 2, s, rows)  # noqa: E731 - mean 1
    logistics = logi_m * noise(0.3)
    handling = handle_m * noise(0.3)
    ret_mask = is_ret if is_ret.any() else ~is_service
    logistics *= logi_unit / max(logistics[ret_mask].mean(), 1e-9) if ret_mask.any() else 0
    handling *= handle_unit / max(handling[ret_mask].mean(), 1e-9) if ret_mask.any() else 0
    discounted = is_ret & (rng.uniform(size=rows) < np.array(_DISCOUNT_P)[reason])
    base = np.where(discounted, c_price, 0.0)
    discount = base * (disc_unit * is_ret.sum() / base.sum()) if base.sum() > 0 else base
    service_revenue = np.zeros(rows)
    if service_share > 0 and is_service.any():
        months = np.array([s.months_per_use if s.billing == "per_month" else 1 for s in services])
        s_price = np.array([s.price for s in services]) * months
        s_cost = np.array([s.unit_cost for s in services]) * months
        service_revenue = np.where(is_service, s_price[svc_idx], 0.0)
        handling = np.where(is_service, s_cost[svc_idx] * noise(0.1) + 0.1 * handle_unit * noise(0.3), handling)
        logistics = np.where(is_service, logi_unit * np.array(_CH_LOGISTICS)[c_ch] * noise(0.3), logistics)
    if budget:   # the totals over all cases are the scenario's budget lines (yuan, before rounding)
        logistics *= trad.logistics / max(logistics.sum(), 1e-9)
        handling *= (trad.team_salary + trad.quality_check) / max(handling.sum(), 1e-9)
        discount *= trad.discounted_resale_loss / max(discount.sum(), 1e-9)
    refund = np.where(~is_service & (ctype == 0), c_price, 0.0)
    partial = rng.uniform(size=rows) < 0.05
    refund = np.where(partial & (refund > 0), np.round(refund * rng.uniform(0.3, 0.9, rows)), refund)
    complaint = ~is_service & (ctype == 3)
    refund = np.where(complaint & (rng.uniform(size=rows) < 0.3),
                      np.round(c_price * rng.uniform(0.05, 0.15, rows)), refund)

    # ---- timing and satisfaction
    lag = np.where(is_service, rng.uniform(30, 300, rows), rng.gamma(2.0, 5.0, rows))
    opened_day = ordered_day[pick] + np.floor(lag).astype(np.int64)
    res_days = np.round(rng.gamma(2.0, np.where(is_service, 6.0, 2.5)), 1)
    res_days[rng.uniform(size=rows) < 0.04] = np.nan
    mood = (4.3 - 0.12 * np.nan_to_num(res_days) - 0.5 * np.isin(reason, [1, 2, 4]) - 0.6 * (ctype == 3)
            + 0.5 * is_service + rng.normal(0, 0.8, rows))
    sat = np.clip(np.round(mood), 1, 5)
    sat[rng.uniform(size=rows) < 0.3] = np.nan

    order_sorted = np.argsort(opened_day, kind="stable")
    o = order_sorted
    cases = pd.DataFrame({
        "case_id": _ids(id_prefix, np.arange(1, rows + 1), 8),
        "order_id": orders["order_id"].to_numpy()[pick][o],
        "customer_id": orders["customer_id"].to_numpy()[pick][o],
        "opened_at": (t0 + opened_day[o]).astype("datetime64[s]"),
        "channel": pd.Categorical.from_codes(c_ch[o], CHANNELS),
        "category": pd.Categorical.from_codes(c_cat[o], CATEGORIES),
        "case_type": pd.Categorical.from_codes(ctype[o], CASE_TYPES),
        "reason": pd.Categorical.from_codes(reason[o], REASONS),
        "item_price": c_price[o],
        "refund_amount": refund[o],
        "logistics_cost": np.round(logistics[o], 2),
        "handling_cost": np.round(handling[o], 2),
        "discount_loss": np.round(discount[o], 2),
        "service_revenue": np.round(service_revenue[o], 2),
        "satisfaction": pd.Series(sat[o]).astype("Int8"),
        "resolution_days": res_days[o],
    })
    if messy > 0:
        cases = make_messy(cases, messy, rng)
    if broken > 0:
        cases = make_broken(cases, broken, rng)
    return cases, orders


def brand_year(scenario="seed-demo", seed: int = 0, *, start: str = "2024-01-01", messy: float = 0.0,
               broken: float = 0.0) -> tuple["pd.DataFrame", "pd.DataFrame"]:
    """One year of the scenario's brand, at the scale of its P&L: (cases, orders).

    The brand of notebooks 00-04: ``active_customers`` customers placing active_customers x
    purchases_per_year orders in 365 days; problem cases only (no value-added services: the
    traditional after-sales the P&L starts from), about ``return_rate`` of the orders returned or
    exchanged.

    Parameters
    ----------
    scenario : str or Scenario, optional
        The scenario (default ``"seed-demo"``).
    seed : int, optional
        The seed (default 0); deterministic by it.
    start : str, optional
        The first day of the year (default ``"2024-01-01"``).
    messy, broken : float, optional
        Shares (0-1) of rows given label variants / broken values (default 0).

    Returns
    -------
    cases, orders : pandas.DataFrame
        As :func:`generate`.

    Notes
    -----
    orders = round(active_customers x purchases_per_year); case rows = round(orders x return_rate /
    0.85), as about 85 % of the problem cases drawn are returns or exchanges. The costs of all
    cases add up to the scenario's traditional budget (seed-demo: 680万 = team 200万 + logistics
    150万 + quality check 160万 + resale loss 170万), to the rounding of each case to the fen.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): the traditional after-sales budget of the
       brand (team, logistics, quality check, discounted resale).

    Examples
    --------
    The seed-demo brand (80,000 customers buying 1.6 times a year, 18 % returned) makes 128,000
    orders and 27,106 cases; a brand of 1,000 such customers, fast enough for an example, spends
    the same budget on fewer cases:

    >>> import dataclasses
    >>> from aftersales import load_scenario
    >>> demo = load_scenario("seed-demo")
    >>> small = dataclasses.replace(demo, brand=dataclasses.replace(demo.brand, active_customers=1000))
    >>> cases, orders = brand_year(small)
    >>> len(orders), len(cases)
    (1600, 339)
    >>> cost = cases["logistics_cost"] + cases["handling_cost"] + cases["discount_loss"]
    >>> round(float(cost.sum()))                         # 680万 yuan, the seed-demo budget
    6800000
    """
    from aftersales.model.scenario import load_scenario

    sc = load_scenario(scenario)
    b = sc.brand
    n_orders = int(round(b.active_customers * b.purchases_per_year))
    # returns and exchanges are about this share of the problem cases the generator draws
    return_share = 0.85
    rows = int(round(n_orders * b.return_rate / return_share))
    return generate(scenario, rows=rows, seed=seed, start=start, days=365, service_share=0.0,
                    messy=messy, broken=broken, n_orders=n_orders, n_customers=int(b.active_customers),
                    budget=True)


def _variants() -> dict[str, dict[str, list[str]]]:
    """For each label column: canonical -> labels that mean it (from the alias table)."""
    from aftersales.segment.records import load_aliases

    out: dict[str, dict[str, list[str]]] = {}
    for fieldname, table in load_aliases().table.items():
        if fieldname == "column":
            continue
        d: dict[str, list[str]] = {}
        for label, canon in table.items():
            if label != canon:
                d.setdefault(canon, []).append(label)
        out[fieldname] = d
    return out


def _chinese(labels: list[str]) -> list[str]:
    return [x for x in labels if any("\u4e00" <= ch <= "\u9fff" for ch in x)]


def make_messy(cases: "pd.DataFrame", share: float, rng) -> "pd.DataFrame":
    """Give a share of rows label variants: a Chinese label, UPPER case, or stray spaces.

    For teaching the cleaning: the alias table maps every variant back onto its canonical label.

    Parameters
    ----------
    cases : pandas.DataFrame
        Cases with canonical labels in channel, category, case_type and reason.
    share : float
        The chance (0-1) that each label cell is changed, per column.
    rng : numpy.random.Generator
        The random generator (deterministic for a seeded one).

    Returns
    -------
    pandas.DataFrame
        A copy; each changed cell gets, equally likely, a Chinese label of the alias table (the
        canonical label in capitals when it has none), the label in capitals with spaces for
        underscores, or the label between stray spaces.

    Examples
    --------
    >>> import numpy as np
    >>> from aftersales.segment.cleaning import clean_cases
    >>> from aftersales.segment.schema import CASE_COLUMNS
    >>> cases, _ = generate(rows=8, seed=1)
    >>> messy = make_messy(cases, 1.0, np.random.default_rng(0))
    >>> messy["channel"].tolist()[:4], cases["channel"].tolist()[:4]
    (['JD', 'DOUYIN', 'JD', '  tmall '], ['jd', 'douyin', 'jd', 'tmall'])
    >>> text = messy.astype(str).replace({"<NA>": "", "nan": ""})[list(CASE_COLUMNS)]
    >>> clean = clean_cases(text).clean                 # the alias table maps every variant back
    >>> all(clean[c].astype(str).tolist() == cases[c].tolist()
    ...     for c in ("channel", "category", "case_type", "reason"))
    True
    """
    import numpy as np
    import pandas as pd

    cases = cases.copy()
    var = _variants()
    n = len(cases)
    for col in ("channel", "category", "case_type", "reason"):
        s = cases[col].astype(object).to_numpy()
        mask = rng.uniform(size=n) < share
        style = rng.integers(0, 3, n)
        out = s.copy()
        for canon in pd.unique(s[mask]):
            idx = np.flatnonzero(mask & (s == canon))
            zh = _chinese(var.get(col, {}).get(canon, []))
            st = style[idx]
            vals = np.empty(len(idx), dtype=object)
            vals[st == 0] = zh[0] if zh else str(canon).upper()
            vals[st == 1] = str(canon).upper().replace("_", " ")
            vals[st == 2] = "  " + str(canon) + " "
            out[idx] = vals
        cases[col] = out
    return cases


#: The kinds of broken rows :func:`make_broken` makes, each one a set-aside reason of the cleaner.
BROKEN_KINDS = ("missing_id", "duplicate_case_id", "bad_date", "non_numeric_money", "negative_money",
                "unknown_label", "satisfaction_out_of_range", "bad_resolution_days")


def make_broken(cases: "pd.DataFrame", share: float, rng) -> "pd.DataFrame":
    """Break a share of rows, cycling through :data:`BROKEN_KINDS` (the frame becomes text).

    Parameters
    ----------
    cases : pandas.DataFrame
        Cases as :func:`generate` makes them.
    share : float
        The share (0-1) of rows to break: round(rows x share) rows, never the first (so a
        duplicate id always has an earlier row to copy).
    rng : numpy.random.Generator
        The random generator (deterministic for a seeded one).

    Returns
    -------
    pandas.DataFrame
        A copy as text (dates ``YYYY-MM-DD``); each broken row broken in one of the ways the
        cleaner sets aside (a case) or sets aside the attribution of (a field), the kinds taken
        in turn and shuffled. With round(rows x share) = 0 the cases are returned unchanged.

    Examples
    --------
    Eight of sixteen rows broken, one of each kind: three whole cases are set aside, the other
    five lose the attribution of one field:

    >>> import numpy as np
    >>> from aftersales.segment.cleaning import clean_cases
    >>> cases, _ = generate(rows=16, seed=1)
    >>> result = clean_cases(make_broken(cases, 0.5, np.random.default_rng(0)))
    >>> result.reasons
    {'duplicate_case_id': 1, 'bad_date': 1, 'negative_money': 1}
    >>> sorted(result.unattributed_summary())
    ['order_id', 'reason', 'refund_amount', 'resolution_days', 'satisfaction']
    """
    import numpy as np

    n = len(cases)
    k = int(round(n * share))
    if k == 0:
        return cases
    out = cases.copy()
    for c in CASE_COLUMNS:
        s = out[c]
        if c == "opened_at":
            out[c] = s.dt.strftime("%Y-%m-%d").astype(object)
        elif c == "satisfaction":
            out[c] = s.astype(object).where(s.notna(), "").astype(str)
        elif c in MONEY_COLUMNS or c == "resolution_days":
            out[c] = s.astype(object).where(s.notna(), "").astype(str)
        else:
            out[c] = s.astype(object)
    idx = np.sort(rng.choice(np.arange(1, n), size=min(k, n - 1), replace=False))
    kinds = np.arange(len(idx)) % len(BROKEN_KINDS)
    rng.shuffle(kinds)
    col = {c: out.columns.get_loc(c) for c in CASE_COLUMNS}
    for kind_i, kind in enumerate(BROKEN_KINDS):
        rows_k = idx[kinds == kind_i]
        if len(rows_k) == 0:
            continue
        if kind == "missing_id":
            which = np.array(["case_id", "order_id", "customer_id"])[rng.integers(0, 3, len(rows_k))]
            for c in ("case_id", "order_id", "customer_id"):
                out.iloc[rows_k[which == c], col[c]] = ""
        elif kind == "duplicate_case_id":
            src = np.array([rng.integers(0, r) for r in rows_k])
            out.iloc[rows_k, col["case_id"]] = out["case_id"].to_numpy()[src]
        elif kind == "bad_date":
            out.iloc[rows_k, col["opened_at"]] = np.array(["2024-13-45", "31/02/2024", "yesterday", ""],
                                                          dtype=object)[rng.integers(0, 4, len(rows_k))]
        elif kind == "non_numeric_money":
            c = np.array(["logistics_cost", "handling_cost", "refund_amount"])[rng.integers(0, 3, len(rows_k))]
            bad = np.array(["abc", "12.5x", "??", "一百"], dtype=object)[rng.integers(0, 4, len(rows_k))]
            for cc in np.unique(c):
                out.iloc[rows_k[c == cc], col[cc]] = bad[c == cc]
        elif kind == "negative_money":
            out.iloc[rows_k, col["handling_cost"]] = "-" + out["handling_cost"].to_numpy()[rows_k].astype(str)
        elif kind == "unknown_label":
            out.iloc[rows_k, col["reason"]] = np.array(["teleported", "??", "weather"],
                                                       dtype=object)[rng.integers(0, 3, len(rows_k))]
        elif kind == "satisfaction_out_of_range":
            out.iloc[rows_k, col["satisfaction"]] = np.array(["0", "7", "4.5", "-1"],
                                                             dtype=object)[rng.integers(0, 4, len(rows_k))]
        elif kind == "bad_resolution_days":
            out.iloc[rows_k, col["resolution_days"]] = np.array(["-3", "soon"],
                                                                dtype=object)[rng.integers(0, 2, len(rows_k))]
    return out


def to_export(cases: "pd.DataFrame", seed: int = 0) -> "pd.DataFrame":
    """The same cases as another system exports them.

    Chinese headers in another order (:data:`EXPORT_HEADERS`), dates as 2024/03/05 or
    2024年03月05日, amounts as ¥1,280.00, labels in Chinese.

    Parameters
    ----------
    cases : pandas.DataFrame
        Cases with canonical columns and labels (as :func:`generate` makes them).
    seed : int, optional
        The seed of the date style chosen per row (default 0).

    Returns
    -------
    pandas.DataFrame
        Text, one column per header of :data:`EXPORT_HEADERS`, starting with 申请日期 (the date).

    Examples
    --------
    >>> cases, _ = generate(rows=2, seed=1)
    >>> export = to_export(cases)
    >>> list(export.columns[:4])
    ['申请日期', '售后单号', '订单号', '客户编号']
    >>> export.iloc[0, [0, 4, 6, 8]].tolist()
    ['2024年12月06日', '抖音', '退货', '¥1,519.00']
    """
    import numpy as np

    rng = np.random.default_rng(seed)
    var = _variants()
    out = {}
    n = len(cases)
    d = cases["opened_at"]
    style = rng.integers(0, 2, n)
    out["opened_at"] = np.where(style == 0, d.dt.strftime("%Y/%m/%d"), d.dt.strftime("%Y年%m月%d日"))
    for c in ("case_id", "order_id", "customer_id"):
        out[c] = cases[c].to_numpy()
    for c in ("channel", "category", "case_type", "reason"):
        s = cases[c].astype(object)
        out[c] = s.map(lambda v, c=c: (_chinese(var.get(c, {}).get(v, [])) or [v])[0]).to_numpy()
    for c in MONEY_COLUMNS:
        out[c] = cases[c].map(lambda v: f"¥{v:,.2f}").to_numpy()
    out["satisfaction"] = cases["satisfaction"].astype(object).where(cases["satisfaction"].notna(), "")
    out["resolution_days"] = cases["resolution_days"].astype(object).where(cases["resolution_days"].notna(), "")
    import pandas as pd

    order = ["opened_at", "case_id", "order_id", "customer_id", "channel", "category", "case_type",
             "reason", "item_price", "refund_amount", "logistics_cost", "handling_cost", "discount_loss",
             "service_revenue", "satisfaction", "resolution_days"]
    return pd.DataFrame({EXPORT_HEADERS[c]: out[c] for c in order})


def orders_path_for(cases_path: str | os.PathLike) -> Path:
    """Where the orders of a generated case file go: cases.csv -> cases_orders.csv.

    Parameters
    ----------
    cases_path : str or os.PathLike
        The case file.

    Returns
    -------
    pathlib.Path
        Beside it: ``_orders`` before ``.csv`` or ``.csv.gz``, else ``_orders.csv`` after the name.

    Examples
    --------
    >>> orders_path_for("data/cases.csv").as_posix(), orders_path_for("cases.csv.gz").name
    ('data/cases_orders.csv', 'cases_orders.csv.gz')
    >>> orders_path_for("cases.txt").name
    'cases.txt_orders.csv'
    """
    p = Path(cases_path)
    name = p.name
    for suffix in (".csv.gz", ".csv"):
        if name.endswith(suffix):
            return p.with_name(name[: -len(suffix)] + "_orders" + suffix)
    return p.with_name(name + "_orders.csv")


def write_dataset(cases_path: str | os.PathLike, scenario="seed-demo", rows: int = 20_000, seed: int = 0,
                  orders_path: str | os.PathLike | None = None, force: bool = False,
                  **kwargs) -> dict[str, Path]:
    """Generate and write the cases and orders CSVs (UTF-8 with BOM).

    Parameters
    ----------
    cases_path : str or os.PathLike
        The case file to write.
    scenario : str or Scenario, optional
        As in :func:`generate` (default ``"seed-demo"``).
    rows : int, optional
        Case rows (default 20,000).
    seed : int, optional
        The seed (default 0).
    orders_path : str or os.PathLike, optional
        The orders file; :func:`orders_path_for` of ``cases_path`` when None.
    force : bool, optional
        Overwrite existing files (default False).
    **kwargs
        Passed on to :func:`generate` (start, days, service_share, messy, broken ...).

    Returns
    -------
    dict of str to pathlib.Path
        ``{"cases": ..., "orders": ...}``.

    Raises
    ------
    FileExistsError
        If a file exists and ``force`` is False (nothing is written then).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as d:
    ...     paths = write_dataset(Path(d) / "cases.csv", rows=50, seed=3)
    ...     names = sorted(p.name for p in paths.values())
    ...     try:
    ...         write_dataset(Path(d) / "cases.csv", rows=50, seed=3)
    ...     except FileExistsError as e:
    ...         print(str(e).replace(d, "out"))
    out/cases.csv exists; use --force to overwrite it
    >>> names
    ['cases.csv', 'cases_orders.csv']
    """
    from aftersales.segment.records import write_csv

    cp = Path(cases_path)
    op = Path(orders_path) if orders_path is not None else orders_path_for(cp)
    for p in (cp, op):
        if p.exists() and not force:
            raise FileExistsError(f"{p} exists; use --force to overwrite it")
    cases, orders = generate(scenario, rows=rows, seed=seed, **kwargs)
    write_csv(cases, cp, force=True)
    write_csv(orders, op, force=True)
    return {"cases": cp, "orders": op}


def write_samples(data_dir: str | os.PathLike | None = None, seed: int = 2024, rows: int = 20_000,
                  export_rows: int = 300, force: bool = False) -> dict[str, Path]:
    """Write the course's sample files (how ``data/cases_sample*.csv`` were made).

    One brand, one generation of ``rows + export_rows`` cases (5% messy labels): ``export_rows``
    random cases go to the differently shaped export (cases_export_sample.csv, as a second
    system would export them), the others to the canonical cases_sample.csv with 0.2% broken
    rows; the orders of all of them to cases_sample_orders.csv.
    """
    import numpy as np

    from aftersales.segment.records import write_csv
    from aftersales.model.scenario import DATA_DIR

    d = Path(data_dir) if data_dir is not None else DATA_DIR
    paths = {"cases": d / "cases_sample.csv", "orders": d / "cases_sample_orders.csv",
             "export": d / "cases_export_sample.csv"}
    for p in paths.values():
        if p.exists() and not force:
            raise FileExistsError(f"{p} exists; use force=True to overwrite it")
    cases, orders = generate("seed-demo", rows=rows + export_rows, seed=seed, messy=0.05)
    rng = np.random.default_rng(seed + 1)
    to_exp = np.zeros(len(cases), dtype=bool)
    to_exp[rng.choice(len(cases), size=export_rows, replace=False)] = True
    main = make_broken(cases.loc[~to_exp].reset_index(drop=True), 0.002, rng)
    write_csv(main, paths["cases"], force=True)
    write_csv(orders, paths["orders"], force=True)
    write_csv(to_export(cases.loc[to_exp].reset_index(drop=True), seed=seed), paths["export"], force=True)
    return paths
