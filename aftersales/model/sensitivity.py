"""What-if analysis a student would otherwise do in Excel.

- :func:`tornado`: one-way sensitivity, each input swung over its range from the
  article's service matrix (tornado chart data);
- :func:`grid`: a two-way data table of one figure over two inputs;
- :func:`goal_seek`: the value of one input at which a figure reaches a target, solved
  exactly where the model is linear in that input, by bracketing otherwise;
- :func:`compare_scenarios`: named scenarios side by side.

Every evaluation is vectorised: all the variants are one ScenarioBatch, one kernel call.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import numpy as np

from aftersales.model.kernel import METHODS, ScenarioBatch, compute, get_parameter, set_parameter
from aftersales.model.inputs import Scenario
from aftersales.model.ranges import ARTICLE_AOV_RANGE, effective_ranges
from aftersales.model.scenario import load_scenario

__all__ = ["FIGURES", "tornado", "grid", "goal_seek", "GoalSeekResult", "compare_scenarios",
           "evaluate_variants"]

#: Scenario-level figures that what-if tools can target.
FIGURES = ("service_revenue", "service_cost", "service_contribution", "va_cost", "va_net",
           "wakeup_customers", "wakeup_revenue", "wakeup_contribution", "total_effect",
           "repurchase_12m_value_added", "ltv_value_added")


def _check(figure: str, method: str) -> None:
    if figure not in FIGURES:
        raise ValueError(f"figure must be one of {', '.join(FIGURES)}, got {figure!r}")
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")


def evaluate_variants(scenario: Scenario | str, settings: Sequence[dict[str, float]],
                      figure: str = "total_effect", method: str = "corrected") -> np.ndarray:
    """One figure for many variants of a scenario, in one vectorised kernel call.

    Parameters
    ----------
    scenario : Scenario or str
        The base case (a Scenario, a shipped name or a path).
    settings : sequence of dict of str to float
        One dict per variant: parameter name (see
        :func:`aftersales.model.kernel.parameter_names`, e.g. ``"brand.avg_order_value"`` in
        yuan, ``"service[Basic remake].acceptance"`` as a share) -> value. ``{}`` is the base.
    figure : str, optional
        One of :data:`FIGURES`. Default ``"total_effect"`` (yuan per year).
    method : {"corrected", "seed"}, optional

    Returns
    -------
    numpy.ndarray
        Shape (len(settings),): the figure for each variant.

    Raises
    ------
    ValueError
        An unknown figure or method.
    KeyError
        An unknown parameter name.

    Examples
    --------
    The total effect at today's 1800-yuan orders and at 3000 yuan:

    >>> evaluate_variants("seed-demo", [{}, {"brand.avg_order_value": 3000}]).round().tolist()
    [8917532.0, 15814554.0]
    """
    _check(figure, method)
    sc = load_scenario(scenario)
    batch = ScenarioBatch.from_scenario(sc, size=len(settings))
    paths = sorted({p for s in settings for p in s})
    for path in paths:
        vals = get_parameter(batch, path)
        for i, s in enumerate(settings):
            if path in s:
                vals[i] = s[path]
        set_parameter(batch, path, vals)
    return compute(batch, method)[figure]


def tornado(scenario: Scenario | str, figure: str = "total_effect", method: str = "corrected",
            include_brand: bool = True, include_prices: bool = True):
    """One-way sensitivity (tornado chart data): each input swung over its range, others held.

    Parameters
    ----------
    scenario : Scenario or str
        The base case.
    figure : str, optional
        One of :data:`FIGURES`. Default ``"total_effect"`` (yuan per year).
    method : {"corrected", "seed"}, optional
    include_brand : bool, optional
        Also swing the order value over the article's 1200-3500 yuan. Default True.
    include_prices : bool, optional
        Also swing the prices (decisions, ``decision`` True), answered by the price elasticity.
        Default True.

    Returns
    -------
    pandas.DataFrame
        One row per input, sorted by swing (largest first), with columns ``parameter``,
        ``label``, ``base_value``, ``low_value``, ``high_value``, ``figure_low``,
        ``figure_high``, ``swing`` (yuan for a money figure) and ``decision`` (a price); ``attrs`` holds ``figure``,
        ``method``, ``base_figure`` and ``scenario``.

    Notes
    -----
    The uncertain inputs are the Monte Carlo's (:func:`aftersales.model.montecarlo.uncertain_inputs`),
    swung by the same rule: a kind's range [lo, hi] (the article's service matrix, or the
    scenario's ``[ranges]``) is read relative to its midpoint m, and a service's value v is swung
    to v lo / m and v hi / m, so the tornado's two ends of an input equal a Monte Carlo draw at
    those ends. Prices are decisions, swung by the same rule and answered by the price elasticity.
    swing = |figure(high) - figure(low)|. Where the figure is linear in the input, as the
    total effect is in the order value, swing = slope x (high - low).

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its service matrix (增值服务矩阵) gives the
       ranges; its DEMO is ``seed-demo``.
    .. [2] R. T. Clemen and T. Reilly, *Making Hard Decisions* (sensitivity analysis,
       tornado diagrams).

    Examples
    --------
    What moves the total effect of the article's brand most?

    >>> t = tornado("seed-demo")
    >>> t.loc[0, "label"], round(float(t.loc[0, "swing"]) / 1e4, 1)   # wan yuan between 1200 and 3500
    ('order value', 1321.9)
    """
    import pandas as pd

    from aftersales.model.montecarlo import uncertain_inputs, value_at
    from aftersales.model.ranges import swing_value

    _check(figure, method)
    sc = load_scenario(scenario)
    ranges = effective_ranges(sc)
    base_batch = ScenarioBatch.from_scenario(sc)
    rows = []                                  # (path, label, low value, high value, decision)
    for inp in uncertain_inputs(sc):
        path, key, r, v = inp
        name = "wake-up conversion" if key == "brand" else f"{path[8:path.index(']')]}: {key.replace('_', ' ')}"
        rows.append((path, name, float(value_at(inp, r.low)), float(value_at(inp, r.high)), False))
    if include_prices:
        for sv in sc.services:
            r = ranges.get(sv.kind, {}).get("price")
            if r is not None:
                rows.append((f"service[{sv.name}].price", f"{sv.name}: price",
                             swing_value(sv.price, r, r.low), swing_value(sv.price, r, r.high), True))
    if include_brand:
        rows.append(("brand.avg_order_value", "order value", ARTICLE_AOV_RANGE.low, ARTICLE_AOV_RANGE.high, True))
    settings = [{}]
    for path, _, lo, hi, _ in rows:
        settings += [{path: lo}, {path: hi}]
    values = evaluate_variants(sc, settings, figure, method)
    base = float(values[0])
    out = []
    for k, (path, label, lo_v, hi_v, decision) in enumerate(rows):
        lo, hi = float(values[1 + 2 * k]), float(values[2 + 2 * k])
        out.append({"parameter": path, "label": label,
                    "base_value": float(get_parameter(base_batch, path)[0]),
                    "low_value": lo_v, "high_value": hi_v, "figure_low": lo, "figure_high": hi,
                    "swing": abs(hi - lo), "decision": decision})
    df = pd.DataFrame(out).sort_values("swing", ascending=False, kind="stable").reset_index(drop=True)
    df.attrs.update(figure=figure, method=method, base_figure=base, scenario=sc.name)
    return df


def grid(scenario: Scenario | str, row_param: str, row_values: Sequence[float], col_param: str,
         col_values: Sequence[float], figure: str = "va_net", method: str = "corrected"):
    """A two-way data table (Excel's 模拟运算表): the figure for every pair of two inputs' values.

    Parameters
    ----------
    scenario : Scenario or str
        The base case.
    row_param, col_param : str
        Parameter names (see :func:`aftersales.model.kernel.parameter_names`), e.g.
        ``"scale.price"`` (a multiplier, 1 = as in the scenario).
    row_values, col_values : sequence of float
        Their values, in the parameter's unit.
    figure : str, optional
        One of :data:`FIGURES`. Default ``"va_net"`` (yuan per year).
    method : {"corrected", "seed"}, optional

    Returns
    -------
    pandas.DataFrame
        Index ``row_values`` (named ``row_param``), columns ``col_values`` (named ``col_param``).

    Notes
    -----
    With prices x p and acceptances x q the corrected value-added net is
    p q R - q C - F (R service revenue, C service cost, F fixed costs): for seed-demo
    9,299,200 p q - 3,827,200 q - 6,900,000 yuan.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its service matrix (增值服务矩阵) gives the
       ranges; its DEMO is ``seed-demo``.

    Examples
    --------
    >>> g = grid("seed-demo", "scale.price", [1.0, 1.2], "scale.acceptance", [1.0, 1.2])
    >>> g.round().values.tolist()                        # yuan a year; 1.2 x both breaks even
    [[-1428000.0, -333600.0], [431840.0, 1898208.0]]
    """
    import pandas as pd

    _check(figure, method)
    sc = load_scenario(scenario)
    rv, cv = np.asarray(row_values, float), np.asarray(col_values, float)
    batch = ScenarioBatch.from_scenario(sc, size=rv.size * cv.size)
    set_parameter(batch, row_param, np.repeat(rv, cv.size))
    set_parameter(batch, col_param, np.tile(cv, rv.size))
    vals = compute(batch, method)[figure].reshape(rv.size, cv.size)
    df = pd.DataFrame(vals, index=pd.Index(rv, name=row_param), columns=pd.Index(cv, name=col_param))
    df.attrs.update(row_param=row_param, col_param=col_param, figure=figure, method=method,
                    scenario=sc.name)
    return df


@dataclass(frozen=True)
class GoalSeekResult:
    """The input value at which a figure reaches a target, as :func:`goal_seek` finds it.

    Parameters
    ----------
    param : str
        The input varied (a parameter name).
    figure : str
        The figure targeted.
    target : float
        Its target value (yuan per year for a money figure).
    value : float or None
        The input value found, in the input's unit; None if the target is out of reach.
    achieved : float or None
        The figure at that value.
    exact : bool
        Solved in closed form (the figure is linear in the input).
    iterations : int
        Rounds of bracketing (1 when exact).
    feasible : bool
        Every share stays within 0-1 (and costs and prices >= 0) at that value.
    message : str
        How it was solved, or why not.

    Examples
    --------
    >>> r = goal_seek("seed-demo", "scale.acceptance", "va_net", 0)
    >>> r.exact, r.feasible, round(r.value, 5)
    (True, True, 1.26096)
    """

    param: str
    figure: str
    target: float
    value: float | None
    achieved: float | None
    exact: bool
    iterations: int
    feasible: bool
    message: str


def _default_bracket(batch: ScenarioBatch, param: str) -> tuple[float, float]:
    base = float(get_parameter(batch, param)[0])
    if param.startswith("scale."):
        return 0.0, 20.0
    if param.endswith(("acceptance", "wakeup_rate", "gross_margin", "return_rate", "repurchase_12m",
                       "wakeup_conversion", "discount_rate")) or param.endswith("_12m"):
        return 0.0, 1.0
    return 0.0, max(10 * base, 1.0)


def _feasible(batch: ScenarioBatch) -> np.ndarray:
    s = batch.services
    ok = np.all((s["acceptance"] >= 0) & (s["acceptance"] <= 1) & (s["wakeup_rate"] <= 1), axis=1)
    ok &= np.all((s["material_cost"] >= 0) & (s["labor_cost"] >= 0) & (s["price"] >= 0), axis=1)
    return ok


def goal_seek(scenario: Scenario | str, param: str, figure: str = "va_net", target: float = 0.0,
              method: str = "corrected", low: float | None = None, high: float | None = None,
              tol: float = 1e-9) -> GoalSeekResult:
    """Goal seek: the value of ``param`` in [low, high] at which ``figure`` equals ``target``.

    Parameters
    ----------
    scenario : Scenario or str
        The base case.
    param : str
        The input to vary, e.g. ``"scale.acceptance"`` (a multiplier on every acceptance).
    figure : str, optional
        One of :data:`FIGURES`. Default ``"va_net"`` (yuan per year).
    target : float, optional
        The figure's target, in its unit. Default 0 (break-even).
    method : {"corrected", "seed"}, optional
    low, high : float, optional
        The bracket, in the input's unit. Defaults: 0-20 for a ``scale.`` multiplier, 0-1 for a
        share, 0 to ten times the base value otherwise.
    tol : float, optional
        Relative width at which bracketing stops. Default 1e-9.

    Returns
    -------
    GoalSeekResult
        ``value`` is None when the figure does not reach the target in the bracket; a value
        whose shares leave 0-1 is returned with ``feasible=False``, never clipped.

    Raises
    ------
    ValueError
        An unknown figure or method, or ``low >= high``.

    Notes
    -----
    If the figure is linear in the input (checked at low, middle and high) one step of linear
    interpolation solves it exactly: x = low - f(low) (high - low) / (f(high) - f(low)).
    Otherwise the bracket is scanned (33 points a round, one vectorised call) and narrowed to
    the first sign change. Break-even acceptance multiplier: fixed costs / service
    contribution = 6.9M / 5.472M = 1.26096 for seed-demo.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its service matrix (增值服务矩阵) gives the
       ranges; its DEMO is ``seed-demo``.
    .. [2] C. T. Horngren, S. M. Datar and M. V. Rajan, *Cost Accounting: A Managerial
       Emphasis* (cost-volume-profit analysis, the break-even point).

    Examples
    --------
    How many more customers must take up the services before value-added breaks even?

    >>> r = goal_seek("seed-demo", "scale.acceptance", "va_net", 0)
    >>> f"{r.value - 1:.1%} more users"
    '26.1% more users'
    >>> goal_seek("seed-demo", "brand.base_ltv", "va_net", 0).message
    'va_net does not depend on brand.base_ltv'
    """
    _check(figure, method)
    sc = load_scenario(scenario)
    base = ScenarioBatch.from_scenario(sc)
    dl, dh = _default_bracket(base, param)
    lo, hi = (dl if low is None else float(low)), (dh if high is None else float(high))
    if not lo < hi:
        raise ValueError(f"goal seek needs low < high, got [{lo}, {hi}]")

    def f(xs):
        xs = np.asarray(xs, float)
        b = base.repeat(xs.size)
        set_parameter(b, param, xs)
        return compute(b, method)[figure] - target, b

    def result(x, exact, it, msg):
        if x is None:
            return GoalSeekResult(param, figure, target, None, None, exact, it, False, msg)
        y, b = f([x])
        return GoalSeekResult(param, figure, target, float(x), float(y[0] + target), exact, it,
                              bool(_feasible(b)[0]), msg)

    y3, _ = f([lo, (lo + hi) / 2, hi])
    scale = max(1.0, float(np.max(np.abs(y3))) , abs(target))
    if abs(y3[1] - (y3[0] + y3[2]) / 2) <= 1e-9 * scale:          # linear: one closed-form step
        if y3[2] == y3[0]:
            return result(None, True, 1, f"{figure} does not depend on {param}")
        x = lo - y3[0] * (hi - lo) / (y3[2] - y3[0])
        y, _ = f([x])
        # linear in [lo, hi]; accept outside too but say so
        note = "" if lo <= x <= hi else f" (outside the bracket [{lo:g}, {hi:g}]; the figure is linear)"
        if abs(y[0]) <= 1e-6 * scale:
            return result(x, True, 1, f"solved exactly{note}")
    a, bnd, it = lo, hi, 0
    while it < 60:
        it += 1
        xs = np.linspace(a, bnd, 33)
        ys, _ = f(xs)
        sign = np.sign(ys)
        if np.any(ys == 0):
            return result(float(xs[np.flatnonzero(ys == 0)[0]]), False, it, "found on the grid")
        cross = np.flatnonzero(sign[:-1] * sign[1:] < 0)
        if cross.size == 0:
            return result(None, False, it, f"{figure} does not reach {target:,.2f} for {param} in "
                                           f"[{lo:g}, {hi:g}] (it runs from {ys.min() + target:,.2f} "
                                           f"to {ys.max() + target:,.2f})")
        k = cross[0]
        a, bnd = float(xs[k]), float(xs[k + 1])
        if bnd - a <= tol * max(1.0, abs(a)):
            ya, yb = ys[k], ys[k + 1]
            return result(a - ya * (bnd - a) / (yb - ya), False, it, "solved by bracketing")
    return result((a + bnd) / 2, False, it, "stopped after 60 rounds")


def compare_scenarios(scenarios: Sequence[Scenario | str], method: str = "corrected"):
    """Named scenarios side by side.

    Parameters
    ----------
    scenarios : sequence of Scenario or str
        Scenarios, shipped names or paths.
    method : {"corrected", "seed"}, optional

    Returns
    -------
    pandas.DataFrame
        One column per scenario (by its name), one row per figure of
        :data:`aftersales.model.evaluation.COMPARISON_ROWS`; ``attrs["method"]``.

    Examples
    --------
    >>> df = compare_scenarios(["seed-demo", "fast-fashion"])
    >>> (df.loc["value-added net"] / 1e4).round(1).tolist()       # wan yuan a year
    [-142.8, -1367.2]
    """
    import pandas as pd

    from aftersales.model.evaluation import COMPARISON_ROWS, evaluate

    cols = {}
    for s in scenarios:
        ev = evaluate(s, method)
        cols[ev.scenario.name] = {label: ev[key] for label, key, _ in COMPARISON_ROWS}
    df = pd.DataFrame(cols)
    df.index.name = "figure"
    df.attrs["method"] = method
    return df
