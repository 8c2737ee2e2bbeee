"""The article's service matrix: the ranges it gives for each service kind.

remake 200-800 yuan a piece, acceptance 15-25%, gross margin 65-75%, wake-up 35-45%;
deep clean and care 80-200 yuan a time, 35-45%, 55-65%, wake-up (care) 20-30%;
repair 50-150 yuan a time, 40-50%, 60-70%, wake-up 25-35%;
storage 30-50 yuan a month, 10-15%, 70-80%, no wake-up rate given (held at the scenario's value).
A scenario file may replace any of them in its ``[ranges.<kind>]`` tables.
"""
from __future__ import annotations

from aftersales.model.inputs import Range, Scenario

__all__ = ["ARTICLE_RANGES", "ARTICLE_AOV_RANGE", "effective_ranges"]

ARTICLE_RANGES: dict[str, dict[str, Range]] = {
    "remake": {"price": Range(200, 800), "acceptance": Range(0.15, 0.25),
               "gross_margin": Range(0.65, 0.75), "wakeup_rate": Range(0.35, 0.45)},
    "deep_clean": {"price": Range(80, 200), "acceptance": Range(0.35, 0.45),
                   "gross_margin": Range(0.55, 0.65), "wakeup_rate": Range(0.20, 0.30)},
    "repair": {"price": Range(50, 150), "acceptance": Range(0.40, 0.50),
               "gross_margin": Range(0.60, 0.70), "wakeup_rate": Range(0.25, 0.35)},
    "storage": {"price": Range(30, 50), "acceptance": Range(0.10, 0.15),
                "gross_margin": Range(0.70, 0.80)},
}
#: The article's order value range (客单价 1200-3500 yuan).
ARTICLE_AOV_RANGE = Range(1200, 3500)


def effective_ranges(scenario: Scenario) -> dict[str, dict[str, Range]]:
    """The article's ranges per kind, with the scenario's own ``[ranges]`` taking precedence."""
    out = {k: dict(v) for k, v in ARTICLE_RANGES.items()}
    for kind, inputs in scenario.ranges.items():
        out.setdefault(kind, {}).update(inputs)
    return out
