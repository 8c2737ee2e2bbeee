"""Monte Carlo over the article's ranges, vectorised: one kernel call for all draws.

For each draw, and for each service, the price, the gross margin and the wake-up rate
are drawn uniformly from the range of its kind (the article's service matrix, or the
scenario's own ``[ranges]``); the acceptance of a kind is drawn for the kind as a whole
and shared among its services in proportion to their acceptance in the scenario (the
article's 15-25% is the share of customers who use remake, not each remake offer).
Inputs without a range (usage frequency, storage wake-up rate, brand and costs) are held.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from aftersales.model.kernel import METHODS, ScenarioBatch, compute, set_service_margin
from aftersales.model.inputs import Scenario
from aftersales.model.ranges import effective_ranges
from aftersales.model.scenario import load_scenario

__all__ = ["MonteCarloResult", "draw_batch", "simulate"]


def draw_batch(scenario: Scenario, draws: int, seed: int = 0) -> ScenarioBatch:
    """``draws`` scenarios with service inputs drawn from the ranges (seeded, reproducible)."""
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    rng = np.random.default_rng(seed)
    batch = ScenarioBatch.from_scenario(scenario, size=draws)
    s = batch.services
    ranges = effective_ranges(scenario)
    kinds = np.array(batch.service_kinds)
    base_a = s["acceptance"][0].copy()
    for kind in dict.fromkeys(batch.service_kinds):            # in order of first appearance
        r = ranges.get(kind, {})
        cols = np.flatnonzero(kinds == kind)
        if "acceptance" in r:
            total = rng.uniform(r["acceptance"].low, r["acceptance"].high, draws)
            weights = base_a[cols] / base_a[cols].sum() if base_a[cols].sum() > 0 else np.full(cols.size, 1 / cols.size)
            s["acceptance"][:, cols] = total[:, None] * weights[None, :]
        for j in cols:
            if "price" in r:
                s["price"][:, j] = rng.uniform(r["price"].low, r["price"].high, draws)
            if "gross_margin" in r:
                set_service_margin(s, j, rng.uniform(r["gross_margin"].low, r["gross_margin"].high, draws))
            if "wakeup_rate" in r:
                s["wakeup_rate"][:, j] = rng.uniform(r["wakeup_rate"].low, r["wakeup_rate"].high, draws)
    return batch


@dataclass
class MonteCarloResult:
    """The figures of every draw (yuan per year) and the inputs drawn."""

    scenario: str
    method: str
    draws: int
    seed: int
    total_effect: np.ndarray
    va_net: np.ndarray
    traditional_net: np.ndarray
    service_revenue: np.ndarray
    figures: dict = field(repr=False, default_factory=dict)
    inputs: ScenarioBatch | None = field(repr=False, default=None)

    def summary(self) -> dict:
        """p5, p50, p95 and mean of the total effect; probabilities that value-added beats
        traditional (total effect above traditional net), that its net alone beats traditional,
        and that it breaks even on its own (net >= 0)."""
        te = self.total_effect
        p5, p50, p95 = (float(x) for x in np.percentile(te, [5, 50, 95]))
        return {"scenario": self.scenario, "method": self.method, "draws": self.draws, "seed": self.seed,
                "p5": p5, "p50": p50, "p95": p95, "mean": float(te.mean()),
                "prob_value_added_beats_traditional": float(np.mean(te > self.traditional_net)),
                "prob_net_beats_traditional": float(np.mean(self.va_net > self.traditional_net)),
                "prob_break_even": float(np.mean(self.va_net >= 0)),
                "va_net_p5": float(np.percentile(self.va_net, 5)),
                "va_net_p50": float(np.percentile(self.va_net, 50)),
                "va_net_p95": float(np.percentile(self.va_net, 95))}


def simulate(scenario: Scenario | str, draws: int = 100_000, seed: int = 0,
             method: str = "corrected", keep_inputs: bool = False) -> MonteCarloResult:
    """Draw ``draws`` variants of the scenario over the ranges and evaluate them all at once."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    sc = load_scenario(scenario)
    batch = draw_batch(sc, int(draws), seed)
    f = compute(batch, method)
    return MonteCarloResult(sc.name, method, int(draws), seed, f["total_effect"], f["va_net"],
                            f["traditional_net"], f["service_revenue"],
                            figures=f if keep_inputs else {}, inputs=batch if keep_inputs else None)
