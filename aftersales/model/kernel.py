"""The after-sales economics, vectorised: per-service figures, the annual P&L and wake-ups.

One kernel, :func:`compute`, evaluates a :class:`ScenarioBatch` of B scenarios with
S services each (numpy arrays of shape (B,) and (B, S)) by either method:

- ``seed``: the article's code formula for formula (users truncated with floor,
  storage billed per use, wake-ups summed as people, sales booked as profit);
- ``corrected``: the same inputs with those flaws fixed (see docs/model.md).

A single scenario is a batch of one (see :mod:`aftersales.model.evaluation`), so the
figures a notebook prints and the figures a Monte Carlo run draws come from the
same lines of code. Money in yuan per year.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, fields, replace
from typing import Sequence

import numpy as np

from aftersales.model.lifecycle import (closed_form_ltv, lifetime_multiplier, repurchase_with_services,
                                        wakeup_share, wakeup_share_high, wakeup_share_low)
from aftersales.model.inputs import Scenario, Service

__all__ = ["METHODS", "SEED_WAKEUP_CONVERSION", "ScenarioBatch", "compute", "lifetime_multiplier",
           "parameter_names", "parse_parameter", "set_parameter", "get_parameter", "apply_parameter",
           "set_service_margin", "answer_price", "apply_parameters"]

#: The two calculation methods.
METHODS = ("seed", "corrected")
#: The seed code hard-codes this conversion of woken customers into orders.
SEED_WAKEUP_CONVERSION = 0.6

_BRAND = ("active_customers", "avg_order_value", "base_ltv", "return_rate", "purchases_per_year",
          "baseline_repurchase_12m", "wakeup_conversion", "product_gross_margin", "discount_rate",
          "price_elasticity")
#: Brand inputs whose product AOV x purchases_per_year x gm is the annual product margin.
_SPEND = ("avg_order_value", "purchases_per_year", "product_gross_margin")
_COSTS = ("team_salary", "logistics", "quality_check", "discounted_resale_loss")
_SERVICE = ("price", "material_cost", "labor_cost", "uses_per_user_per_year", "acceptance",
            "wakeup_rate", "ltv_extension", "months_per_use", "logistics_per_use")


@dataclass
class ScenarioBatch:
    """B scenarios as arrays. Brand and cost inputs have shape (B,); service inputs (B, S).

    ``per_month`` is a boolean (B, S) array: True where a service bills per month.
    """

    brand: dict[str, np.ndarray]
    traditional: dict[str, np.ndarray]
    value_added: dict[str, np.ndarray]
    services: dict[str, np.ndarray]
    per_month: np.ndarray
    service_names: tuple[str, ...]
    service_kinds: tuple[str, ...]

    @classmethod
    def from_scenario(cls, scenario: Scenario, size: int = 1) -> "ScenarioBatch":
        """``size`` copies of one scenario."""
        val = lambda k: getattr(scenario.brand, k)
        b = {k: np.full(size, np.nan if val(k) is None else float(val(k))) for k in _BRAND}
        t = {k: np.full(size, float(getattr(scenario.traditional, k))) for k in _COSTS}
        v = {k: np.full(size, float(getattr(scenario.value_added, k))) for k in _COSTS}
        s = {k: np.tile(np.array([float(getattr(x, k)) for x in scenario.services]), (size, 1))
             for k in _SERVICE}
        pm = np.tile(np.array([x.billing == "per_month" for x in scenario.services]), (size, 1))
        return cls(b, t, v, s, pm, tuple(x.name for x in scenario.services),
                   tuple(x.kind for x in scenario.services))

    @classmethod
    def stack(cls, scenarios: Sequence[Scenario]) -> "ScenarioBatch":
        """Several scenarios with the same service names, kinds and billing, one row each."""
        first = cls.from_scenario(scenarios[0])
        for sc in scenarios[1:]:
            if (tuple(x.name for x in sc.services) != first.service_names
                    or tuple(x.kind for x in sc.services) != first.service_kinds):
                raise ValueError(f"scenario {sc.name!r} has other services than {scenarios[0].name!r}; "
                                 "evaluate them one by one")
        parts = [cls.from_scenario(sc) for sc in scenarios]
        cat = lambda key: {k: np.concatenate([getattr(p, key)[k] for p in parts]) for k in getattr(first, key)}
        return cls(cat("brand"), cat("traditional"), cat("value_added"), cat("services"),
                   np.concatenate([p.per_month for p in parts]), first.service_names, first.service_kinds)

    @property
    def size(self) -> int:
        return len(self.brand["active_customers"])

    def copy(self) -> "ScenarioBatch":
        c = lambda d: {k: v.copy() for k, v in d.items()}
        return ScenarioBatch(c(self.brand), c(self.traditional), c(self.value_added), c(self.services),
                             self.per_month.copy(), self.service_names, self.service_kinds)

    def repeat(self, size: int) -> "ScenarioBatch":
        """Row 0 repeated ``size`` times."""
        r1 = lambda d: {k: np.repeat(v[:1], size, axis=0) for k, v in d.items()}
        return ScenarioBatch(r1(self.brand), r1(self.traditional), r1(self.value_added), r1(self.services),
                             np.repeat(self.per_month[:1], size, axis=0), self.service_names, self.service_kinds)


def compute(batch: ScenarioBatch, method: str = "corrected") -> dict[str, np.ndarray]:
    """Every figure of the model for each scenario of the batch; NaN where a method has none.

    Keys: per service (B, S) ``users, uses, billable_units, revenue, cost, gross_margin, wakeups,
    ltv_boost``; per scenario (B,) ``service_revenue, service_cost, service_contribution,
    traditional_cost, traditional_revenue, traditional_net, va_cost, va_revenue, va_net,
    wakeup_share, wakeup_customers, wakeup_orders, wakeup_revenue, wakeup_contribution,
    total_effect, repurchase_12m_traditional, repurchase_12m_value_added, ltv_traditional,
    ltv_value_added, base_ltv, annual_value_per_customer, annual_product_margin_per_customer``
    and, at both ends of the wake-up share (``_low``: full overlap, max a_i w_i; ``_high``: no
    overlap, min(1, sum a_i w_i)), ``wakeup_share_*, wakeup_orders_*, wakeup_contribution_*,
    total_effect_*, repurchase_12m_value_added_*, ltv_value_added_*`` (NaN for seed).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    b, s, t, v = batch.brand, batch.services, batch.traditional, batch.value_added
    n = b["active_customers"][:, None]
    price, unit_cost = s["price"], s["material_cost"] + s["labor_cost"]
    a, w, u = s["acceptance"], s["wakeup_rate"], s["uses_per_user_per_year"]
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        margin = np.where(price > 0, (price - unit_cost) / np.where(price > 0, price, 1.0), 0.0)
    nan = np.full(batch.size, np.nan)
    out: dict[str, np.ndarray] = {"gross_margin": margin}

    margin_pc = b["avg_order_value"] * b["purchases_per_year"] * b["product_gross_margin"]
    with np.errstate(invalid="ignore", over="ignore"):
        derived = margin_pc * lifetime_multiplier(b["baseline_repurchase_12m"], b["discount_rate"])
    base_ltv = np.where(np.isnan(b["base_ltv"]), derived, b["base_ltv"])
    out["base_ltv"] = base_ltv
    trad_cost = t["team_salary"] + t["logistics"] + t["quality_check"] + t["discounted_resale_loss"]
    out.update(traditional_cost=trad_cost, traditional_revenue=np.zeros(batch.size), traditional_net=-trad_cost)

    if method == "seed":
        users = np.floor(n * a)
        uses = users * u
        units = uses                                   # the seed bills storage per use, not per month
        wakeups = np.floor(users * w)
        ltv_boost = users * s["ltv_extension"]
    else:
        users = n * a
        uses = users * u
        units = np.where(batch.per_month, uses * s["months_per_use"], uses)
        wakeups = users * w
        ltv_boost = np.zeros_like(users)
    revenue = units * price
    cost = units * unit_cost
    if method == "corrected":
        cost = cost + uses * s["logistics_per_use"]   # once per use, not per billed month
    out.update(users=users, uses=uses, billable_units=units, revenue=revenue, cost=cost,
               wakeups=wakeups, ltv_boost=ltv_boost)
    srev, scost = revenue.sum(axis=1), cost.sum(axis=1)
    out.update(service_revenue=srev, service_cost=scost, service_contribution=srev - scost)
    N, aov = b["active_customers"], b["avg_order_value"]

    if method == "seed":
        for k in ("wakeup_share_low", "wakeup_share_high", "wakeup_orders_low", "wakeup_orders_high",
                  "wakeup_contribution_low", "wakeup_contribution_high", "total_effect_low",
                  "total_effect_high", "repurchase_12m_value_added_low", "repurchase_12m_value_added_high",
                  "ltv_value_added_low", "ltv_value_added_high", "annual_value_per_customer",
                  "annual_product_margin_per_customer"):
            out[k] = nan
        va_cost = v["team_salary"] + v["logistics"] + scost
        va_net = srev - va_cost
        woken = wakeups.sum(axis=1)
        wk_rev = woken * aov * SEED_WAKEUP_CONVERSION
        total = va_net + ltv_boost.sum(axis=1) + wk_rev
        out.update(va_cost=va_cost, va_revenue=srev, va_net=va_net, wakeup_share=nan,
                   wakeup_customers=woken, wakeup_orders=nan, wakeup_revenue=wk_rev,
                   wakeup_contribution=nan, total_effect=total,
                   repurchase_12m_traditional=nan, repurchase_12m_value_added=nan,
                   ltv_traditional=base_ltv.copy(),
                   ltv_value_added=base_ltv + (ltv_boost.sum(axis=1) + wk_rev) / N)
        return out

    va_cost = v["team_salary"] + v["logistics"] + v["quality_check"] + v["discounted_resale_loss"] + scost
    va_net = srev - va_cost
    omega = wakeup_share(a, w)                        # woken at least once, services independent
    p0, c, d = b["baseline_repurchase_12m"], b["wakeup_conversion"], b["discount_rate"]
    s_pc = (srev - scost) / N

    def at(share):
        orders = N * (1 - p0) * share * c
        p1 = repurchase_with_services(p0, share, c)
        return orders, orders * aov * b["product_gross_margin"], p1, closed_form_ltv(base_ltv, p0, p1, s_pc, d)

    orders, wk_contrib, p1, ltv_va = at(omega)
    wk_rev = orders * aov
    with np.errstate(invalid="ignore", divide="ignore"):
        a0 = base_ltv / lifetime_multiplier(p0, d)
    out.update(va_cost=va_cost, va_revenue=srev, va_net=va_net, wakeup_share=omega,
               wakeup_customers=N * omega, wakeup_orders=orders, wakeup_revenue=wk_rev,
               wakeup_contribution=wk_contrib, total_effect=va_net + wk_contrib,
               repurchase_12m_traditional=p0.copy(), repurchase_12m_value_added=p1,
               ltv_traditional=base_ltv.copy(),
               ltv_value_added=ltv_va, annual_value_per_customer=a0,
               annual_product_margin_per_customer=margin_pc)
    for end, share in (("low", wakeup_share_low(a, w)), ("high", wakeup_share_high(a, w))):
        o, contrib, p, ltv = at(share)
        out.update({f"wakeup_share_{end}": share, f"wakeup_orders_{end}": o,
                    f"wakeup_contribution_{end}": contrib, f"total_effect_{end}": va_net + contrib,
                    f"repurchase_12m_value_added_{end}": p, f"ltv_value_added_{end}": ltv})
    return out


# ---------------------------------------------------------------- parameters by name
_SVC_RE = re.compile(r"^service\[(?P<name>[^\]]+)\]\.(?P<field>\w+)$")
_SCALE_FIELDS = ("price", "acceptance", "uses_per_user_per_year", "wakeup_rate", "unit_cost",
                 "months_per_use")


def parse_parameter(path: str) -> tuple[str, str | None, str]:
    """The parts of an input name: ``("service", name, field)``, ``("scale", None, field)`` or
    ``(table, None, field)``. Checks the grammar only; KeyError if ``path`` is not a name."""
    m = _SVC_RE.match(path)
    if m:
        return "service", m["name"], m["field"]
    table, dot, fld = path.partition(".")
    if not fld or table not in ("brand", "traditional", "value_added", "scale"):
        raise KeyError(f"unknown parameter {path!r}; see parameter_names()")
    return table, None, fld


def parameter_names(scenario: Scenario) -> list[str]:
    """Every input that sensitivity, goal seek and Monte Carlo can vary, by name.

    Parameters
    ----------
    scenario : Scenario
        The scenario whose services are named.

    Returns
    -------
    list of str
        ``brand.<field>``, ``traditional.<field>``, ``value_added.<field>``,
        ``service[<name>].<field>`` (fields of a service, plus ``gross_margin``, which moves
        material and labour cost together), and ``scale.<field>``: a multiplier (1 = as in the
        scenario) on that field of every service. The grammar is parsed here alone
        (:func:`parse_parameter`).

    Examples
    --------
    >>> from aftersales.model.scenario import load_scenario
    >>> names = parameter_names(load_scenario("seed-demo"))
    >>> names[:2], "service[Basic remake].price" in names, names[-1]
    (['brand.active_customers', 'brand.avg_order_value'], True, 'scale.months_per_use')
    """
    names = [f"brand.{k}" for k in _BRAND] + [f"traditional.{k}" for k in _COSTS]
    names += [f"value_added.{k}" for k in _COSTS]
    for sv in scenario.services:
        names += [f"service[{sv.name}].{k}" for k in _SERVICE + ("gross_margin",)]
    names += [f"scale.{k}" for k in _SCALE_FIELDS]
    return names


def _locate(batch: ScenarioBatch, path: str):
    if path.startswith("scale."):
        fld = path[6:]
        if fld not in _SCALE_FIELDS:
            raise KeyError(f"unknown parameter {path!r}: scale.<field> takes one of {', '.join(_SCALE_FIELDS)}")
        return ("scale", fld, None)
    m = _SVC_RE.match(path)
    if m:
        name, fld = m["name"], m["field"]
        if name not in batch.service_names:
            raise KeyError(f"unknown parameter {path!r}: no service {name!r} "
                           f"(known: {', '.join(batch.service_names)})")
        if fld not in _SERVICE + ("gross_margin",):
            raise KeyError(f"unknown parameter {path!r}: a service has {', '.join(_SERVICE + ('gross_margin',))}")
        return ("service", fld, batch.service_names.index(name))
    table, _, fld = path.partition(".")
    group = {"brand": batch.brand, "traditional": batch.traditional, "value_added": batch.value_added}.get(table)
    if group is None or fld not in group:
        raise KeyError(f"unknown parameter {path!r}; see parameter_names()")
    return (table, fld, None)


def get_parameter(batch: ScenarioBatch, path: str) -> np.ndarray:
    """The current value of a named input for each scenario of the batch, shape (B,)."""
    kind, fld, j = _locate(batch, path)
    if kind == "scale":
        return np.ones(batch.size)
    if kind == "service":
        s = batch.services
        if fld == "gross_margin":
            p, uc = s["price"][:, j], s["material_cost"][:, j] + s["labor_cost"][:, j]
            return np.where(p > 0, (p - uc) / np.where(p > 0, p, 1), 0.0)
        return batch.services[fld][:, j].copy()
    return getattr(batch, kind)[fld].copy()


def set_service_margin(s: dict, j, margin) -> None:
    """Move material and labour cost together so the service's gross margin becomes ``margin``."""
    old = s["material_cost"][:, j] + s["labor_cost"][:, j]
    new = s["price"][:, j] * (1 - margin)
    share = np.where(old > 0, s["material_cost"][:, j] / np.where(old > 0, old, 1), 0.5)
    s["material_cost"][:, j] = new * share
    s["labor_cost"][:, j] = new * (1 - share)


def set_parameter(batch: ScenarioBatch, path: str, values) -> ScenarioBatch:
    """Set a named input (in place) to ``values`` (a number or a (B,) array); returns the batch.

    For ``scale.<field>`` the values multiply that field of every service;
    ``scale.unit_cost`` multiplies material and labour cost together.
    """
    kind, fld, j = _locate(batch, path)
    vals = np.broadcast_to(np.asarray(values, dtype=float), (batch.size,))
    s, br = batch.services, batch.brand
    old_price = s["price"].copy() if fld == "price" else None
    old_margin = (br["avg_order_value"] * br["purchases_per_year"] * br["product_gross_margin"]
                  if kind == "brand" and fld in _SPEND else None)
    if kind == "scale":
        if fld == "unit_cost":
            s["material_cost"] *= vals[:, None]
            s["labor_cost"] *= vals[:, None]
        else:
            s[fld] *= vals[:, None]
    elif kind == "service":
        if fld == "gross_margin":
            set_service_margin(s, j, vals)
        else:
            s[fld][:, j] = vals
    else:
        getattr(batch, kind)[fld][:] = vals
    if old_price is not None:
        answer_price(batch, old_price)
    if old_margin is not None:
        new_margin = br["avg_order_value"] * br["purchases_per_year"] * br["product_gross_margin"]
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(old_margin > 0, new_margin / np.where(old_margin > 0, old_margin, 1.0), 1.0)
        br["base_ltv"] *= ratio                       # NaN (derived from spend) stays NaN
    return batch


def answer_price(batch: ScenarioBatch, old_price: np.ndarray) -> ScenarioBatch:
    r"""Acceptance answers a price move (in place): a x (p_new / p_old)^e, clipped to [0, 1].

    Parameters
    ----------
    batch : ScenarioBatch
        Scenarios whose ``services["price"]`` has just moved; e is ``brand["price_elasticity"]``.
    old_price : numpy.ndarray
        The prices before the move, yuan per billed unit, shape (B, S).

    Returns
    -------
    ScenarioBatch
        The same batch, acceptance updated where a price moved from a positive value.

    Notes
    -----
    .. math:: a' = \min\left(1, \max\left(0,\; a \left(\frac{p'}{p}\right)^{e}\right)\right)

    A constant-elasticity demand curve. With e = 0 (the default) acceptance does not answer price.
    A service whose old price is 0 keeps its acceptance (no reference price).

    Examples
    --------
    >>> from aftersales.model.scenario import load_scenario
    >>> from dataclasses import replace
    >>> sc = load_scenario("seed-demo")
    >>> sc = replace(sc, brand=replace(sc.brand, price_elasticity=-1.0))
    >>> b = set_parameter(ScenarioBatch.from_scenario(sc), "service[Basic remake].price", 560.0)
    >>> round(float(b.services["acceptance"][0, 0]), 6)   # 0.18 x (560 / 280)^-1
    0.09

    References
    ----------
    Seed article, service matrix (prices and acceptance given independently); constant-elasticity
    demand, e.g. Nagle and Müller, *The Strategy and Tactics of Pricing*, ch. on price sensitivity.
    """
    e = batch.brand["price_elasticity"][:, None]
    new = batch.services["price"]
    moved = (old_price > 0) & (new != old_price) & (e != 0)
    if np.any(moved):
        with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
            factor = np.where(moved, (new / np.where(old_price > 0, old_price, 1.0)) ** e, 1.0)
        a = batch.services["acceptance"]
        a[:] = np.clip(np.where(moved, a * factor, a), 0.0, 1.0)
    return batch


def apply_parameter(scenario: Scenario, path: str, value: float) -> Scenario:
    """A copy of ``scenario`` with one named input set (validated, so shares stay in 0-1).

    Parameters
    ----------
    scenario : Scenario
        The scenario as loaded.
    path : str
        The input's name, as in :func:`parameter_names`.
    value : float
        Its new value, in the input's unit (yuan, share 0-1, count; a multiplier for ``scale.``).

    Returns
    -------
    Scenario
        A validated copy; the scenario given is not changed. KeyError names an unknown input
        (and the known services), ValueError a value out of its range.

    Examples
    --------
    >>> from aftersales.model.scenario import load_scenario
    >>> sc = load_scenario("seed-demo")
    >>> apply_parameter(sc, "service[Basic remake].price", 900.0).services[0].price, sc.services[0].price
    (900.0, 280.0)
    >>> round(apply_parameter(sc, "scale.price", 1.1).services[0].price, 2)     # 280 x 1.1
    308.0
    """
    batch = set_parameter(ScenarioBatch.from_scenario(scenario), path, value)
    def brand_value(k):
        x = float(batch.brand[k][0])
        if k == "active_customers":
            return int(round(x))
        return None if k == "base_ltv" and np.isnan(x) else x

    brand = replace(scenario.brand, **{k: brand_value(k) for k in _BRAND})
    trad = replace(scenario.traditional, **{k: float(batch.traditional[k][0]) for k in _COSTS})
    va = replace(scenario.value_added, **{k: float(batch.value_added[k][0]) for k in _COSTS})
    svcs = tuple(replace(sv, **{k: float(batch.services[k][0, j]) for k in _SERVICE})
                 for j, sv in enumerate(scenario.services))
    return replace(scenario, brand=brand, traditional=trad, value_added=va, services=svcs)


def apply_parameters(scenario: Scenario, values: dict) -> Scenario:
    """A copy of ``scenario`` with several named inputs set, in order, as :func:`apply_parameter` does.

    Parameters
    ----------
    scenario : Scenario
        The scenario as loaded (its values are the "file" values the rules refer to).
    values : dict
        {parameter name: value}, names as in :func:`parameter_names`.

    Returns
    -------
    Scenario
        Validated; base_ltv follows the annual product margin and acceptance answers prices
        (price elasticity), exactly as in notebook parameters and what-if tools. Widgets that set
        inputs should call this rather than ``dataclasses.replace``.

    Examples
    --------
    >>> from aftersales.model.scenario import load_scenario
    >>> sc = apply_parameters(load_scenario("seed-demo"), {"brand.avg_order_value": 2400.0})
    >>> round(sc.brand.base_ltv, 2)           # 3200 x 2400 / 1800
    4266.67
    """
    for path, value in values.items():
        scenario = apply_parameter(scenario, path, value)
    return scenario
