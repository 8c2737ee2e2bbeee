"""What a cut would save and the strategy rules that turn layers into actions."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd

__all__ = ["MEASURES", "cut_savings", "what_if_table", "StrategyRules", "strategy_table"]

from dataclasses import dataclass

from aftersales.glossary import label
from aftersales.segment.layers import layer_table
from aftersales.segment.schema import CASE_TYPES, REASONS, RETURN_TYPES
from aftersales.segment.tiers import attach_tiers, rfm_tiers, tier_table

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
                case_types: Iterable[str] | str | None = None, where: dict | None = None,
                fixed_handling_share: float = 1.0) -> dict:
    """What a cut of one cause would save: a share ``cut`` of the matching cases never happens.

    Parameters
    ----------
    cases : pandas.DataFrame
        Clean cases (one row per case) with the columns ``reason``, ``case_type``, ``cost``,
        ``handling_cost``, ``net`` and ``refund_amount`` (yuan), and any column named in ``where``.
    cut : float
        Share 0-1 of the matching cases that is avoided.
    reasons : str or iterable of str, optional
        The cause's reasons (from :data:`~aftersales.segment.schema.REASONS`); None (default): any.
    case_types : str or iterable of str, optional
        The cause's case types (from :data:`~aftersales.segment.schema.CASE_TYPES`); None
        (default): any. With both, a case must match both.
    where : dict, optional
        Further filters ``{column: value or list of values}``, compared as text.
    fixed_handling_share : float, optional
        Share 0-1 of ``handling_cost`` that is salaried, paid whether cases fall or not
        (default 1.0: all of it).

    Returns
    -------
    dict
        ``cases_avoided`` (cases, fractional), ``cost_saved``, ``cash_saved``,
        ``fixed_cost_kept``, ``net_gain``, ``refunds_avoided`` (yuan) and
        ``share_of_total_cost`` (0-1).

    Raises
    ------
    ValueError
        If ``cut`` is not a number in [0, 1], a reason or case type is not in the closed list,
        or a ``where`` column is missing.

    Notes
    -----
    With S the matching cases and c the cut (a proportional cut: the avoided cases are average
    cases of the cause):

    - cost_saved = c x sum of cost over S; share_of_total_cost = cost_saved / total cost
    - fixed_cost_kept = c x fixed_handling_share x sum of handling_cost over S
    - cash_saved = cost_saved - fixed_cost_kept
    - net_gain = -c x sum of net over S; refunds_avoided = c x sum of refund_amount over S
      (sales kept, not profit).

    References
    ----------
    .. [1] "售后分析精细化分层" (the second seed article), its what-if of cutting one cause of
       after-sales cases.

    Examples
    --------
    Two fit returns (cost 100 and 120 yuan, 40 of each salaried handling) among four cases
    costing 420 yuan; a size guide avoids half of them:

    >>> import pandas as pd
    >>> cases = pd.DataFrame({
    ...     "case_type": ["return", "return", "repair", "complaint"],
    ...     "reason": ["size_fit", "size_fit", "quality_defect", "logistics_delay"],
    ...     "handling_cost": [40.0, 40.0, 100.0, 20.0], "cost": [100.0, 120.0, 180.0, 20.0],
    ...     "net": [-100.0, -120.0, -80.0, -20.0], "refund_amount": [600.0, 800.0, 0.0, 0.0]})
    >>> s = cut_savings(cases, 0.5, reasons="size_fit")
    >>> s["cases_avoided"], s["cost_saved"], s["fixed_cost_kept"], s["cash_saved"]
    (1.0, 110.0, 40.0, 70.0)
    >>> s["refunds_avoided"], round(s["share_of_total_cost"], 4)
    (700.0, 0.2619)
    >>> cut_savings(cases, 0.5, reasons="size_fit", fixed_handling_share=0.0)["cash_saved"]
    110.0
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
    fixed = cut * fixed_handling_share * float(sel["handling_cost"].sum())
    return {"cases_avoided": cut * int(mask.sum()), "cost_saved": saved, "cash_saved": saved - fixed,
            "fixed_cost_kept": fixed,
            "net_gain": -cut * float(sel["net"].sum()),
            "refunds_avoided": cut * float(sel["refund_amount"].sum()),
            "share_of_total_cost": saved / total if total > 0 else 0.0}


def what_if_table(cases: "pd.DataFrame", cuts: dict | None = None) -> "pd.DataFrame":
    """The article's measures (:data:`MEASURES`) side by side, one row each.

    Parameters
    ----------
    cases : pandas.DataFrame
        Clean cases, as for :func:`cut_savings`.
    cuts : dict, optional
        ``{measure name: share 0-1}`` overriding a measure's default cut.

    Returns
    -------
    pandas.DataFrame
        One row per measure, in the order of :data:`MEASURES`: ``measure``, ``measure_zh``, ``cut``
        and the keys of :func:`cut_savings`.

    References
    ----------
    .. [1] "售后分析精细化分层" (the second seed article): better descriptions, a size guide, faster
       logistics, returns down 20% or 30%.

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({
    ...     "case_type": ["return", "return", "repair", "complaint"],
    ...     "reason": ["size_fit", "size_fit", "quality_defect", "logistics_delay"],
    ...     "handling_cost": [40.0, 40.0, 100.0, 20.0], "cost": [100.0, 120.0, 180.0, 20.0],
    ...     "net": [-100.0, -120.0, -80.0, -20.0], "refund_amount": [600.0, 800.0, 0.0, 0.0]})
    >>> t = what_if_table(cases)
    >>> t[["measure", "cut", "cost_saved"]].round(2).values.tolist()    # doctest: +NORMALIZE_WHITESPACE
    [['better product descriptions', 0.3, 0.0], ['size guide and fit notes', 0.2, 44.0],
     ['faster logistics', 0.3, 6.0], ['returns fall 20%', 0.2, 44.0], ['returns fall 30%', 0.3, 66.0]]
    >>> float(what_if_table(cases, {"size guide and fit notes": 0.5}).loc[1, "cost_saved"])
    110.0
    """
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
    """The thresholds of the strategy rules; the rules themselves are in :func:`strategy_table`.

    Rules judge a **rate** (cases of a cause per order of the layer, or per case of the layer
    without orders) against the same rate over all layers, never the cost volume alone: a big
    category has many defects because it sells many items. A layer is flagged when its rate
    is at least ``rate_ratio`` x the average, it has at least ``min_cases`` cases of the cause
    and the excess is unlikely to be chance (z >= ``min_z``, a binomial z-score against the
    average rate), and it carries at least ``min_share`` of the cost.

    Parameters
    ----------
    min_share : float, optional
        Share 0-1 of all cost the cause must carry in the layer (default 0.01).
    rate_ratio : float, optional
        The layer's rate at least this multiple of the average rate (default 1.2).
    min_cases : int, optional
        At least this many cases of the cause in the layer (default 30).
    min_z : float, optional
        Binomial z-score of the excess rate at least this (default 2.0).
    premium_ratio : float, optional
        The high tier is flagged for premium service when its after-sales cost share of spending
        is at most this x the share over all tiers (default 0.8).
    low_tier_cost_ratio : float, optional
        The low tier is flagged for cost control when that share is at least this x the share
        over all tiers (default 1.2).
    fixed_handling_share : float, optional
        Share 0-1 of ``handling_cost`` that is salaried, not saved when cases fall (default 1.0).
    carrier_ratio, premium_max_cost_share, preventive_share : float, optional
        Kept for callers of version 0.2; no longer used by the rules.

    Notes
    -----
    z = (rate - average) / sqrt(average x (1 - average) / base), the normal approximation of
    the binomial count of the cause in the layer's base (orders or cases).

    Examples
    --------
    >>> rules = StrategyRules(min_cases=10)
    >>> rules.min_cases, rules.rate_ratio, rules.min_z
    (10, 1.2, 2.0)
    """

    min_share: float = 0.01            # a layer counts if it carries at least this share of cost
    rate_ratio: float = 1.2            # its rate at least this multiple of the average rate
    min_cases: int = 30                # at least this many cases of the cause in the layer
    min_z: float = 2.0                 # binomial z-score of the excess rate
    premium_ratio: float = 0.8         # high tier: cost share of spending at most this x the average
    low_tier_cost_ratio: float = 1.2   # low tier: cost share of spending at least this x the average
    fixed_handling_share: float = 1.0  # share of handling_cost that is salaried (not saved when cases fall)

    # kept for callers of version 0.2 (no longer used by the rules)
    carrier_ratio: float = 1.5
    premium_max_cost_share: float = 0.05
    preventive_share: float = 0.25


#: action -> its Chinese name (the ``action_zh`` column), read from the glossary (``segv_<action>``).
_ACTIONS = {a: label("segv_" + a.replace(" ", "_"), "zh") for a in (
    "product fix", "description fix", "carrier change", "premium service", "cost control", "preventive care")}
_COLUMNS = ["action", "action_zh", "layer", "cases", "base", "rate", "average_rate", "rate_ratio", "z",
            "cost", "share_of_cost", "cash_cost", "evidence", "rule"]
_CAUSES = (  # action, column of the layer, the cause (reasons / case types), what is counted
    ("product fix", "category", {"reason": ("quality_defect",)}, "quality defects"),
    ("description fix", "category", {"reason": ("description_mismatch", "color_difference")},
     "description and colour mismatches"),
    ("description fix", "category", {"reason": ("size_fit",)}, "fit problems"),
    ("carrier change", "channel", {"reason": ("logistics_delay", "transit_damage")}, "delays and transit damage"),
    ("preventive care", "category", {"case_type": ("repair",), "reason": ("quality_defect",)},
     "repairs and quality defects"),
)


def _rate_rows(cases, orders, column, cause, rules, total, what, action):
    """Layers of ``column`` whose rate of ``cause`` beats the average by the rules (vectorised per layer)."""
    import numpy as np
    import pandas as pd

    from aftersales.segment.schema import UNKNOWN

    mask = np.zeros(len(cases), bool)
    for col, vals in cause.items():
        mask |= cases[col].isin(vals).to_numpy()
    key = cases[column].astype(str)
    # a row of aggregated cases (the streaming engine) stands for case_count cases
    w = cases["case_count"].to_numpy() if "case_count" in cases.columns else np.ones(len(cases), np.int64)
    g = pd.DataFrame({"k": key.to_numpy(), "hit": mask * w, "n": w, "cost": cases["cost"].to_numpy() * mask,
                      "cash": (cases["cost"] - rules.fixed_handling_share * cases["handling_cost"]).to_numpy() * mask})
    per = g.groupby("k", sort=True).agg(cases=("hit", "sum"), n=("n", "sum"), cost=("cost", "sum"),
                                       cash=("cash", "sum"))
    if orders is not None and column in orders.columns:
        base = orders[column].astype(str).value_counts()
        per["base"] = base.reindex(per.index).fillna(0).to_numpy()
        unit = "orders"
    else:
        per["base"] = per["n"]
        unit = "cases"
    per = per[(per.index != UNKNOWN) & (per["base"] > 0)]
    if per.empty or per["base"].sum() == 0:
        return []
    avg = float(per["cases"].sum() / per["base"].sum())
    rate = per["cases"] / per["base"]
    with np.errstate(divide="ignore", invalid="ignore"):
        z = (rate - avg) / np.sqrt(avg * (1 - avg) / per["base"]) if 0 < avg < 1 else rate * 0
    ok = ((rate >= rules.rate_ratio * avg) & (per["cases"] >= rules.min_cases) & (z >= rules.min_z)
          & (per["cost"] / total >= rules.min_share))
    rows = []
    for k, r in per[ok].iterrows():     # a handful of flagged layers, not rows of data
        rt = float(rate[k])
        rows.append({"action": action, "layer": f"{column}={k}, {what}", "cases": int(r["cases"]),
                     "base": int(r["base"]), "rate": rt, "average_rate": avg, "rate_ratio": rt / avg if avg else np.nan,
                     "z": float(z[k]), "cost": float(r["cost"]), "cash_cost": float(r["cash"]),
                     "evidence": (f"{int(r['cases']):,} {what} in {int(r['base']):,} {unit}: {rt:.1%}, "
                                  f"{rt / avg:.2f}x the average {avg:.1%} (z = {float(z[k]):.1f})"),
                     "rule": (f"rate of {what} per {unit[:-1]} >= {rules.rate_ratio:g} x average, "
                              f">= {rules.min_cases} cases, z >= {rules.min_z:g}, >= {rules.min_share:.0%} of cost")})
    return rows


def strategy_table(cases: "pd.DataFrame", orders: "pd.DataFrame | None" = None,
                   tiers: "pd.DataFrame | None" = None,
                   rules: StrategyRules = StrategyRules()) -> "pd.DataFrame":
    """Actions derived from the layers by stated rules that judge rates against the average.

    1. product fix: a category whose quality-defect rate beats the average (see
       :class:`StrategyRules`: ratio, case count, z-score, share of cost);
    2. description fix: a category whose rate of description/colour mismatches, or of fit
       problems, beats the average (size guide, fit notes, true-colour photos);
    3. carrier change: a channel whose rate of delays and transit damage beats the average;
    4. preventive care: a category whose rate of repairs and quality defects beats the average;
    5. premium service: the high tier, when its after-sales cost share of spending is at most
       premium_ratio x that share over all tiers (it costs little to serve: room to serve it
       better);
    6. cost control: the low tier, when its share is >= low_tier_cost_ratio x average.

    Parameters
    ----------
    cases : pandas.DataFrame
        Clean cases with ``category``, ``channel``, ``reason``, ``case_type``, ``cost`` and
        ``handling_cost`` (yuan); optionally ``customer_tier``, and ``case_count`` when a row
        stands for that many cases (the streaming engine's sums).
    orders : pandas.DataFrame, optional
        The orders (``category``, ``channel``, ``customer_id``, ``amount``...): rates are then per
        order of the layer, and rules 5-6 apply. Without them rates are per case of the layer.
    tiers : pandas.DataFrame, optional
        Customer tiers from :func:`~aftersales.segment.tiers.rfm_tiers` (computed from
        ``orders`` when not given).
    rules : StrategyRules, optional
        The thresholds (the defaults of :class:`StrategyRules`).

    Returns
    -------
    pandas.DataFrame
        One row per flagged layer and cause: action, action_zh, layer, cases (of the cause),
        base (orders or cases of the layer), rate, average_rate, rate_ratio, z, cost (yuan, of
        the cause in the layer), share_of_cost (0-1), cash_cost (yuan: cost less the salaried
        handling, what fewer cases would save), evidence, rule. Sorted by cash_cost, largest
        first (then by layer). Empty (with those columns) when the total cost is 0.

    Notes
    -----
    For a cause, rate = cases of the cause in the layer / base of the layer, and the average
    is the same ratio over all known layers (``unknown`` left out); z as in
    :class:`StrategyRules`. For rules 5-6 the rate is the tier's cost / revenue and the
    average that of all known tiers; their z is NaN.

    cash_cost = cost - ``fixed_handling_share`` x handling_cost of the row's cases, in every
    rule: for rules 1-4 the cases of the cause in the layer, for rules 5-6 all cases of the
    tier. When the cases carry no ``customer_tier``, the tiers are attached from ``tiers``
    (the cases' customers), so rules 5-6 subtract the salaried handling of the same cases
    whose cost they count, with or without the column.

    References
    ----------
    .. [1] "售后分析精细化分层" (the second seed article): layers turned into strategy (product,
       description, carrier, preventive care, premium service, cost control).

    Examples
    --------
    A hundred cases without orders (rates per case): 30 of 40 knitwear cases are quality
    defects against 36 of 100 overall, 54 of 60 dress cases are fit problems against 64 of 100:

    >>> import pandas as pd
    >>> cases = pd.DataFrame({
    ...     "category": ["knitwear"] * 40 + ["dresses"] * 60, "channel": "tmall",
    ...     "case_type": "return", "reason": ["quality_defect"] * 30 + ["size_fit"] * 10
    ...     + ["quality_defect"] * 6 + ["size_fit"] * 54,
    ...     "cost": 100.0, "handling_cost": 40.0})
    >>> t = strategy_table(cases)
    >>> t[["action", "layer", "cases", "base", "rate"]].values.tolist()  # doctest: +NORMALIZE_WHITESPACE
    [['description fix', 'category=dresses, fit problems', 54, 60, 0.9],
     ['product fix', 'category=knitwear, quality defects', 30, 40, 0.75],
     ['preventive care', 'category=knitwear, repairs and quality defects', 30, 40, 0.75]]
    >>> t.loc[0, "evidence"]
    '54 fit problems in 60 cases: 90.0%, 1.41x the average 64.0% (z = 4.2)'
    >>> float(t.loc[0, "cost"]), float(t.loc[0, "cash_cost"]), t.loc[0, "action_zh"]
    (5400.0, 3240.0, '描述优化')
    >>> len(strategy_table(cases, rules=StrategyRules(min_cases=31)))   # 30 defects are too few
    1
    """
    import numpy as np
    import pandas as pd

    total = float(cases["cost"].sum()) if len(cases) else 0.0
    if total <= 0:
        return pd.DataFrame(columns=_COLUMNS)
    rows = []
    for action, column, cause, what in _CAUSES:
        rows += _rate_rows(cases, orders, column, cause, rules, total, what, action)
    if orders is not None:
        tiers = rfm_tiers(orders) if tiers is None else tiers
        if "customer_tier" not in cases.columns:     # the tiers tier_table counts the cost by
            cases = attach_tiers(cases, tiers)
        tt = tier_table(cases, orders, tiers).set_index("customer_tier")
        known = tt.drop(index="unknown", errors="ignore")
        avg = float(known["cost"].sum() / known["revenue"].sum()) if known["revenue"].sum() > 0 else 0.0
        handling = cases.groupby("customer_tier", observed=False)["handling_cost"].sum()
        for tier, action, test, rule in (
                ("high", "premium service", lambda s: s <= rules.premium_ratio * avg,
                 f"high tier and cost share of spending <= {rules.premium_ratio:g} x average"),
                ("low", "cost control", lambda s: s >= rules.low_tier_cost_ratio * avg,
                 f"low tier and cost share of spending >= {rules.low_tier_cost_ratio:g} x average")):
            if tier not in tt.index or avg <= 0 or not test(tt.loc[tier, "cost_share_of_revenue"]):
                continue
            r = tt.loc[tier]
            share = float(r["cost_share_of_revenue"])
            cash = float(r["cost"]) - rules.fixed_handling_share * float(handling.get(tier, 0.0))
            rows.append({"action": action, "layer": f"customer_tier={tier}", "cases": int(r["cases"]),
                         "base": int(r["orders"]), "rate": share, "average_rate": avg, "rate_ratio": share / avg,
                         "z": np.nan, "cost": float(r["cost"]), "cash_cost": cash,
                         "evidence": (f"after-sales cost is {share:.1%} of the tier's spending, {share / avg:.2f}x "
                                      f"the {avg:.1%} over all tiers ({int(r['customers']):,} customers)"),
                         "rule": rule})
    out = pd.DataFrame(rows, columns=[c for c in _COLUMNS if c not in ("action_zh", "share_of_cost")])
    out["share_of_cost"] = out["cost"] / total
    out.insert(1, "action_zh", out["action"].map(_ACTIONS))
    out = out[_COLUMNS]
    return out.sort_values(["cash_cost", "layer"], ascending=[False, True], kind="stable").reset_index(drop=True)
