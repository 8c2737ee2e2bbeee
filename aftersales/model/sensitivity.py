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
    """The figure for each variant: ``settings[i]`` maps parameter names to values for row i."""
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
    """One-way sensitivity: each input swung over its range, the others held.

    The uncertain inputs are the Monte Carlo's (:func:`aftersales.model.montecarlo.uncertain_inputs`),
    swung by the same rule (a kind's range [lo, hi] read relative to its midpoint m, a service's
    value v swung to v lo / m and v hi / m), so the tornado's two ends of an input equal a Monte
    Carlo draw at those ends. Prices are decisions (``decision`` True), swung by the same rule and
    answered by the price elasticity; the brand's order value over the article's 1200-3500 yuan.
    Returns a DataFrame sorted by swing (largest first) with columns parameter, label, base_value,
    low_value, high_value, figure_low, figure_high, swing, decision; attrs: figure, method,
    base_figure, scenario.
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
    """A two-way data table: the figure for every pair of values (index rows, columns cols)."""
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
    """The input value at which a figure reaches a target.

    value: the input value found (None if the target is out of reach in the bracket);
    achieved: the figure at that value; exact: solved in closed form (the figure is linear in
    the input); feasible: every share stays within 0-1 at that value.
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
    """Find the value of ``param`` in [low, high] at which ``figure`` equals ``target``.

    Example: the acceptance multiplier at which value-added net breaks even is
    ``goal_seek(sc, "scale.acceptance", "va_net", 0)``. Where the figure is linear in the
    input (checked at three points) the answer is exact; otherwise the bracket is scanned and
    narrowed (33 points a round, all in one vectorised call) to a relative width of ``tol``.
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
    """Named scenarios side by side: one column per scenario, one row per figure."""
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
