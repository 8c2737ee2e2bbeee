"""Evaluate one scenario by one method: the figures of the report and of the JSON contract."""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from aftersales.model.kernel import METHODS, ScenarioBatch, compute
from aftersales.model.leakage import leakage
from aftersales.model.inputs import Scenario
from aftersales.model.scenario import load_scenario

__all__ = ["Evaluation", "evaluate", "evaluate_both", "comparison_table", "verdict"]


def _num(x: Any) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x


@dataclass(frozen=True)
class Evaluation:
    """All figures of one scenario by one method. ``figures`` holds the raw kernel output."""

    scenario: Scenario
    method: str
    figures: dict

    def __getitem__(self, key: str) -> float | None:
        """A scenario-level figure by kernel name, e.g. ``ev["va_net"]`` (None where not computed)."""
        return _num(self.figures[key][0])

    @property
    def services(self) -> list[dict]:
        f = self.figures
        return [{"name": s.name, "kind": s.kind,
                 "users": float(f["users"][0, j]), "uses": float(f["uses"][0, j]),
                 "billable_units": float(f["billable_units"][0, j]),
                 "revenue": float(f["revenue"][0, j]), "cost": float(f["cost"][0, j]),
                 "gross_margin": float(f["gross_margin"][0, j]),
                 "wakeups": float(f["wakeups"][0, j])}
                for j, s in enumerate(self.scenario.services)]

    def to_dict(self) -> dict:
        """The JSON output contract of ``python -m aftersales evaluate FILE --json``."""
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
                          "ltv_value_added": g("ltv_value_added")},
            "leakage": leakage(self.scenario.leakage, self.method),
        }


def evaluate(scenario: Scenario | str, method: str = "corrected") -> Evaluation:
    """Evaluate a scenario (object, name or path) by ``seed`` or ``corrected``."""
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    sc = load_scenario(scenario)
    return Evaluation(sc, method, compute(ScenarioBatch.from_scenario(sc), method))


def evaluate_both(scenario: Scenario | str) -> dict[str, Evaluation]:
    """{"seed": Evaluation, "corrected": Evaluation} for one scenario."""
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
    """A pandas DataFrame: one row per figure, columns seed, corrected, difference, unit."""
    import pandas as pd

    both = evaluate_both(scenario)
    rows = []
    for label, key, unit in COMPARISON_ROWS:
        s, c = both["seed"][key], both["corrected"][key]
        rows.append({"figure": label, "seed": s, "corrected": c,
                     "difference": None if s is None or c is None else c - s, "unit": unit})
    return pd.DataFrame(rows).set_index("figure")


def verdict(ev: Evaluation) -> str:
    """A plain-words verdict a brand manager can act on, from one evaluation."""
    trad, net, total = ev["traditional_net"], ev["va_net"], ev["total_effect"]
    best = max(ev.services, key=lambda s: s["gross_margin"])
    earner = max(ev.services, key=lambda s: s["revenue"] - s["cost"])
    wan = lambda x: f"{x / 1e4:,.1f} wan yuan"
    lines = []
    if net >= 0:
        lines.append(f"After-sales pays for itself: value-added net {wan(net)} against {wan(trad)} today.")
    elif net > trad:
        lines.append(f"Value-added after-sales narrows the loss from {wan(trad)} to {wan(net)} "
                     f"({wan(net - trad)} better) but does not break even on its own.")
    else:
        lines.append(f"Value-added after-sales loses more than today ({wan(net)} against {wan(trad)}): "
                     "review prices and costs before launching.")
    what = "wake-up contribution" if ev.method == "corrected" else "LTV boost and wake-up sales"
    if total >= 0:
        lines.append(f"Counting the {what}, the total effect is {wan(total)} a year.")
    else:
        lines.append(f"Even counting the {what}, the total effect stays negative ({wan(total)}).")
    lines.append(f"Highest gross margin: {best['name']} ({best['gross_margin']:.1%}); "
                 f"largest contribution: {earner['name']} ({wan(earner['revenue'] - earner['cost'])}).")
    return "\n".join(lines)
