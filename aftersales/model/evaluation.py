"""Evaluate one scenario by one method: the figures of the report and of the JSON contract.

Money in yuan per year unless said; shares 0-1. The formulas are in docs/model.md.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from aftersales.model.kernel import METHODS, ScenarioBatch, compute
from aftersales.model.leakage import leakage
from aftersales.model.inputs import Scenario
from aftersales.model.scenario import load_scenario

__all__ = ["Evaluation", "DivergentLifetimeError", "evaluate", "evaluate_both", "comparison_table",
           "verdict", "verdict_figures", "wakeup_bounds"]


class DivergentLifetimeError(ValueError):
    """A lifetime value that has no finite figure (a repurchase share of 1 with no discounting)."""


#: Lifecycle figures that diverge when a customer never leaves and the future is not discounted.
_LIFETIME_KEYS = ("ltv_traditional", "ltv_value_added", "ltv_value_added_low", "ltv_value_added_high",
                  "base_ltv")


def _refuse_divergence(sc: Scenario, method: str, figures: dict) -> None:
    import numpy as np

    bad = [k for k in _LIFETIME_KEYS if k in figures and np.isinf(figures[k][0])]
    if not bad:
        return
    b = sc.brand
    end = {"ltv_value_added_low": ("_low", " at full overlap"),
           "ltv_value_added_high": ("_high", " with no overlap")}.get(bad[0], ("", ""))
    p1 = figures.get(f"repurchase_12m_value_added{end[0]}", figures["repurchase_12m_value_added"])[0]
    which = (f"baseline_repurchase_12m = {b.baseline_repurchase_12m:g}" if b.baseline_repurchase_12m >= 1
             else f"the 12-month repurchase with services{end[1]} p1 = {p1:g}")
    raise DivergentLifetimeError(
        f"{sc.name}: lifetime value diverges ({bad[0]}): {which} with discount_rate = "
        f"{b.discount_rate:g} means a customer never leaves and the future is not discounted, "
        "so M(p) = (1 + d) / (1 + d - p) has no finite value; lower the repurchase share below 1 "
        "or give discount_rate > 0")


def _num(x: Any) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x


@dataclass(frozen=True)
class Evaluation:
    """All figures of one scenario by one method, as :func:`evaluate` returns them.

    Parameters
    ----------
    scenario : Scenario
        The scenario evaluated.
    method : {"seed", "corrected"}
        The calculation method.
    figures : dict of str to numpy.ndarray
        The raw output of :func:`aftersales.model.kernel.compute` for a batch of one: per
        scenario arrays of shape (1,), per service (1, S); yuan per year, shares 0-1.

    Notes
    -----
    ``ev["va_net"]`` reads one scenario-level figure (None where the method has none, e.g.
    the seed method's repurchase share); :attr:`services` the per-service rows;
    :meth:`to_dict` the JSON contract of ``aftersales evaluate FILE --json``.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its ``compare_after_sales_models`` (the ``seed``
       method) and its headline table 盈亏对比.

    Examples
    --------
    >>> ev = evaluate("seed-demo")
    >>> round(ev["va_net"])                      # yuan a year: value-added still loses 142.8万
    -1428000
    >>> evaluate("seed-demo", "seed")["repurchase_12m_value_added"] is None
    True
    """

    scenario: Scenario
    method: str
    figures: dict

    def __getitem__(self, key: str) -> float | None:
        """A scenario-level figure by its kernel name, e.g. ``ev["va_net"]``.

        Parameters
        ----------
        key : str
            A scenario-level key of :func:`aftersales.model.kernel.compute` (``service_revenue``,
            ``va_net``, ``total_effect``, ``ltv_value_added``, ...).

        Returns
        -------
        float or None
            Yuan per year, a share or a count of people; None where the method has no such figure.

        Examples
        --------
        >>> evaluate("seed-demo")["service_revenue"]
        9299200.0
        """
        return _num(self.figures[key][0])

    @property
    def services(self) -> list[dict]:
        """One row per service: name, kind, users, uses, billable_units, revenue, cost,
        gross_margin, wakeups (people, uses and units a year; yuan a year; a share).

        Examples
        --------
        >>> storage = evaluate("seed-demo").services[4]
        >>> storage["name"], storage["billable_units"], storage["revenue"]   # 2,880 uses x 5 months
        ('Seasonal storage', 14400.0, 576000.0)
        """
        f = self.figures
        return [{"name": s.name, "kind": s.kind,
                 "users": float(f["users"][0, j]), "uses": float(f["uses"][0, j]),
                 "billable_units": float(f["billable_units"][0, j]),
                 "revenue": float(f["revenue"][0, j]), "cost": float(f["cost"][0, j]),
                 "gross_margin": float(f["gross_margin"][0, j]),
                 "wakeups": float(f["wakeups"][0, j])}
                for j, s in enumerate(self.scenario.services)]

    def to_dict(self) -> dict:
        """The JSON output contract of ``python -m aftersales evaluate FILE --json``.

        Returns
        -------
        dict
            ``scenario``, ``method``, ``services`` (rows of :attr:`services`), ``totals``,
            ``traditional``, ``value_added``, ``lifecycle`` and ``leakage`` (None without a
            ``[leakage]`` table); figures the method lacks are None (``null`` in JSON).

        Examples
        --------
        >>> d = evaluate("seed-demo").to_dict()
        >>> d["traditional"]
        {'cost': 6800000.0, 'revenue': 0.0, 'net': -6800000.0}
        >>> sorted(d["value_added"])[:3]
        ['cost', 'net', 'revenue']
        """
        g = self.__getitem__
        return {
            "scenario": self.scenario.name,
            "method": self.method,
            "services": self.services,
            "totals": {"service_revenue": g("service_revenue"), "service_cost": g("service_cost"),
                       "service_contribution": g("service_contribution")},
            "traditional": {"cost": g("traditional_cost"), "revenue": g("traditional_revenue"),
                            "net": g("traditional_net")},
            "value_added": {"cost": g("va_cost"), "revenue": g("va_revenue"), "net": g("va_net"),
                            "wakeup_customers": g("wakeup_customers"),
                            "wakeup_revenue": g("wakeup_revenue"),
                            "wakeup_contribution": g("wakeup_contribution"),
                            "total_effect": g("total_effect")},
            "lifecycle": {"repurchase_12m_traditional": g("repurchase_12m_traditional"),
                          "repurchase_12m_value_added": g("repurchase_12m_value_added"),
                          "ltv_traditional": g("ltv_traditional"),
                          "ltv_value_added": g("ltv_value_added"),
                          "wakeup_share": g("wakeup_share"),
                          "wakeup_share_low": g("wakeup_share_low"),
                          "wakeup_share_high": g("wakeup_share_high"),
                          "annual_value_per_customer": g("annual_value_per_customer"),
                          "annual_product_margin_per_customer": g("annual_product_margin_per_customer")},
            "leakage": leakage(self.scenario.leakage, self.method),
        }


def evaluate(scenario: Scenario | str, method: str = "corrected") -> Evaluation:
    """Evaluate a scenario by one method.

    Parameters
    ----------
    scenario : Scenario or str
        A Scenario, a shipped name (``"seed-demo"``) or a path to a TOML file.
    method : {"corrected", "seed"}, optional
        ``"seed"``: the article's code formula for formula, flaws included; ``"corrected"``
        (default): the same inputs with each flaw fixed (docs/model.md).

    Returns
    -------
    Evaluation

    Raises
    ------
    ValueError
        An unknown method.
    ScenarioError
        A scenario that cannot be loaded.
    DivergentLifetimeError
        A lifetime value with no finite figure (p0 = 1, or p1 = 1, with d = 0); the message names
        the reason, so ``inf`` never reaches a student.

    Notes
    -----
    Corrected method, per year: value-added net = service revenue - (team + logistics +
    quality check + resale loss + service cost); woken share omega = 1 - prod(1 - a_i w_i);
    wake-up contribution = N (1 - p0) omega c x AOV x gm; total effect = net + wake-up
    contribution.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its ``compare_after_sales_models`` (the ``seed``
       method) and its headline table 盈亏对比.

    Examples
    --------
    Does value-added after-sales pay for the article's brand?

    >>> ev = evaluate("seed-demo")
    >>> f"net {ev['va_net'] / 1e4:,.1f}万, total effect {ev['total_effect'] / 1e4:,.1f}万 yuan a year"
    'net -142.8万, total effect 891.8万 yuan a year'
    >>> f"{evaluate('seed-demo', 'seed')['va_net'] / 1e4:,.1f}万"       # what the article's code says
    '76.1万'
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    sc = load_scenario(scenario)
    figures = compute(ScenarioBatch.from_scenario(sc), method)
    _refuse_divergence(sc, method, figures)
    return Evaluation(sc, method, figures)


def evaluate_both(scenario: Scenario | str) -> dict[str, Evaluation]:
    """Evaluate a scenario by both methods.

    Parameters
    ----------
    scenario : Scenario or str
        A Scenario, a shipped name or a path to a TOML file (loaded once).

    Returns
    -------
    dict of str to Evaluation
        ``{"seed": ..., "corrected": ...}``.

    Examples
    --------
    >>> both = evaluate_both("seed-demo")
    >>> [round(both[m]["wakeup_customers"]) for m in both]     # people woken: summed vs counted once
    [24912, 22174]
    """
    sc = load_scenario(scenario)
    return {m: evaluate(sc, m) for m in METHODS}


#: Rows of the seed-vs-corrected table: (label, kernel key, unit).
COMPARISON_ROWS = (
    ("service revenue", "service_revenue", "yuan"),
    ("service cost", "service_cost", "yuan"),
    ("traditional cost", "traditional_cost", "yuan"),
    ("value-added cost", "va_cost", "yuan"),
    ("value-added net", "va_net", "yuan"),
    ("wakeup customers", "wakeup_customers", "people"),
    ("wakeup revenue", "wakeup_revenue", "yuan"),
    ("wakeup contribution", "wakeup_contribution", "yuan"),
    ("total effect", "total_effect", "yuan"),
    ("12-month repurchase, traditional", "repurchase_12m_traditional", "share"),
    ("12-month repurchase, value-added", "repurchase_12m_value_added", "share"),
    ("LTV, traditional", "ltv_traditional", "yuan"),
    ("LTV, value-added", "ltv_value_added", "yuan"),
)


def comparison_table(scenario: Scenario | str):
    """The seed and corrected figures side by side.

    Parameters
    ----------
    scenario : Scenario or str
        A Scenario, a shipped name or a path to a TOML file.

    Returns
    -------
    pandas.DataFrame
        Indexed by figure (13 rows: service revenue ... LTV, value-added); columns ``seed``,
        ``corrected``, ``difference`` (corrected - seed) and ``unit`` (yuan, people or share).

    Notes
    -----
    difference = corrected - seed; NaN where the seed method has no figure.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its ``compare_after_sales_models`` (the ``seed``
       method) and its headline table 盈亏对比.

    Examples
    --------
    >>> t = comparison_table("seed-demo")
    >>> t.loc["value-added net", ["seed", "corrected", "difference"]].round().tolist()
    [760960.0, -1428000.0, -2188960.0]
    """
    import pandas as pd

    both = evaluate_both(scenario)
    rows = []
    for label, key, unit in COMPARISON_ROWS:
        s, c = both["seed"][key], both["corrected"][key]
        rows.append({"figure": label, "seed": s, "corrected": c,
                     "difference": None if s is None or c is None else c - s, "unit": unit})
    return pd.DataFrame(rows).set_index("figure")


def verdict_figures(ev: Evaluation) -> dict:
    """What the verdict says, as codes and figures (no words): :func:`verdict` renders them.

    Parameters
    ----------
    ev : Evaluation
        One scenario by one method.

    Returns
    -------
    dict
        ``outcome`` ("pays": value-added net >= 0; "narrows": above the traditional net; "worse"),
        ``method``, ``traditional_net``, ``va_net``, ``gain`` (net - traditional net), ``total_effect``,
        ``total_positive`` (total effect >= 0), ``best`` and ``earner`` (the service rows with the
        highest gross margin and the largest contribution) and ``earner_contribution``; yuan a year.

    Examples
    --------
    >>> v = verdict_figures(evaluate("seed-demo"))
    >>> v["outcome"], v["total_positive"], v["best"]["name"]
    ('narrows', True, 'Seasonal storage')
    """
    trad, net, total = ev["traditional_net"], ev["va_net"], ev["total_effect"]
    best = max(ev.services, key=lambda s: s["gross_margin"])
    earner = max(ev.services, key=lambda s: s["revenue"] - s["cost"])
    return {"outcome": "pays" if net >= 0 else "narrows" if net > trad else "worse", "method": ev.method,
            "traditional_net": trad, "va_net": net, "gain": net - trad, "total_effect": total,
            "total_positive": total >= 0, "best": best, "earner": earner,
            "earner_contribution": earner["revenue"] - earner["cost"]}


def verdict(ev: Evaluation, lang: str = "en") -> str:
    """A plain-words verdict a brand manager can act on.

    Parameters
    ----------
    ev : Evaluation
        One scenario by one method.
    lang : {"en", "zh", "both"}, optional
        The glossary's language rule; the words are the glossary's (``verdict_*`` labels).

    Returns
    -------
    str
        Three lines: does value-added after-sales pay for itself (net >= 0), narrow the loss
        (net above the traditional net) or lose more; the total effect with the wake-ups;
        the service with the highest gross margin and the one with the largest contribution.
        Money in wan yuan (1 wan = 10,000 yuan). The codes and figures are :func:`verdict_figures`.

    Notes
    -----
    Contribution of a service = revenue - cost; gross margin = (price - unit cost) / price.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its ``compare_after_sales_models`` (the ``seed``
       method) and its headline table 盈亏对比.

    Examples
    --------
    >>> print(verdict(evaluate("seed-demo")).splitlines()[0])
    Value-added after-sales narrows the loss from -680.0 wan yuan to -142.8 wan yuan (537.2 wan yuan better) \
but does not break even on its own.
    >>> print(verdict(evaluate("seed-demo"), "zh").splitlines()[0])
    增值售后把亏损从 -680.0 万元 缩小到 -142.8 万元(改善 537.2 万元),但自身仍未盈亏平衡。
    """
    from aftersales.glossary import check_lang, entry, fmt_share, fmt_wan, label, service_name

    check_lang(lang)
    v = verdict_figures(ev)
    w = lambda x: fmt_wan(x, lang)  # noqa: E731
    best, earner = v["best"], v["earner"]
    what = entry(f"verdict_what_{v['method']}")
    return "\n".join([
        label(f"verdict_{v['outcome']}", lang, net=w(v["va_net"]), trad=w(v["traditional_net"]), gain=w(v["gain"])),
        label("verdict_total" if v["total_positive"] else "verdict_negative", lang, what=what,
              total=w(v["total_effect"])),
        label("verdict_best", lang, best=service_name(best["name"], lang, best["kind"]),
              margin=fmt_share(best["gross_margin"]), earner=service_name(earner["name"], lang, earner["kind"]),
              contribution=w(v["earner_contribution"]))])


#: Rows of :func:`wakeup_bounds`: (label, kernel key without the _low/_high end, unit).
BOUND_ROWS = (
    ("wake-up share", "wakeup_share", "share"),
    ("wake-up contribution", "wakeup_contribution", "yuan"),
    ("total effect", "total_effect", "yuan"),
    ("12-month repurchase, value-added", "repurchase_12m_value_added", "share"),
    ("LTV, value-added", "ltv_value_added", "yuan"),
)


def wakeup_bounds(ev: Evaluation) -> list[dict]:
    r"""The P&L and LTV at both ends of the wake-up share, and under independence (corrected only).

    Parameters
    ----------
    ev : Evaluation
        A corrected-method evaluation.

    Returns
    -------
    list of dict
        One row per figure with keys ``figure``, ``key`` (the figure's name), ``unit``, ``full_overlap`` (every woken customer
        woken by the strongest service), ``independent`` (the model's assumption) and
        ``no_overlap`` (no customer woken twice).

    Notes
    -----
    .. math:: \max_i a_i w_i \;\le\; \omega = 1 - \prod_i (1 - a_i w_i) \;\le\; \min(1, \sum_i a_i w_i)

    The wake-up contribution, total effect, p1 and LTV are increasing in the share woken, so
    they lie between their values at the two ends whatever the overlap of the services.

    Examples
    --------
    >>> rows = wakeup_bounds(evaluate("seed-demo"))
    >>> r = rows[0]
    >>> round(r["full_overlap"], 4), round(r["independent"], 4), round(r["no_overlap"], 4)
    (0.112, 0.2772, 0.3114)

    References
    ----------
    Seed article, its service matrix of wake-up rates; Fréchet bounds on the probability of a
    union of events.
    """
    if ev.method != "corrected":
        raise ValueError("wakeup_bounds needs the corrected method (the seed method has no wake-up share)")
    return [{"figure": label, "key": key, "unit": unit, "full_overlap": ev[f"{key}_low"],
             "independent": ev[key], "no_overlap": ev[f"{key}_high"]} for label, key, unit in BOUND_ROWS]
