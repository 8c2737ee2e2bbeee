"""Value leakage of a discounted return, per item and per year.

A returned garment that is resold at a discount recovers rho x P of its price P.
Against the price, the brand leaks P - rho x P; against what the item cost to make
(P x cogs_ratio), the accounting loss is P x cogs_ratio - rho x P. Remaking it for
the own customer or for a new one adds a fee but costs k to do: recovery
rho x P + fee - k. The article's arithmetic (the ``seed`` method) leaves k out.
"""
from __future__ import annotations

from aftersales.model.inputs import LeakageInputs

__all__ = ["LEAKAGE_FIGURES", "leakage_per_item", "leakage"]

LEAKAGE_FIGURES = ("traditional_recovery", "leakage_vs_price", "accounting_loss",
                   "remake_own_recovery", "remake_new_recovery")


def leakage_per_item(inputs: LeakageInputs, method: str = "corrected") -> dict[str, float]:
    """The five leakage figures for one discounted return, yuan per item."""
    if method not in ("seed", "corrected"):
        raise ValueError(f"method must be seed or corrected, got {method!r}")
    p, rho = inputs.original_price, inputs.recovery_rate
    recovered = rho * p
    k = 0.0 if method == "seed" else inputs.remake_unit_cost
    return {"traditional_recovery": recovered,
            "leakage_vs_price": p - recovered,
            "accounting_loss": p * inputs.cogs_ratio - recovered,
            "remake_own_recovery": recovered + inputs.remake_fee_own_customer - k,
            "remake_new_recovery": recovered + inputs.remake_fee_new_customer - k}


def leakage(inputs: LeakageInputs | None, method: str = "corrected") -> dict | None:
    """{"per_item": {...}, "annual": {...}} in yuan (annual = per item x items_per_year); None without inputs."""
    if inputs is None:
        return None
    per_item = leakage_per_item(inputs, method)
    return {"per_item": per_item,
            "annual": {k: v * inputs.items_per_year for k, v in per_item.items()}}
