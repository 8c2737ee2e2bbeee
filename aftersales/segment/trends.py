"""Rates over time: the trend chart of return rate per order, cost per order and cost per case."""
from __future__ import annotations

from typing import TYPE_CHECKING

from aftersales.segment.layers import layer_table

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["trend_table", "trend_chart"]


def trend_table(cases: "pd.DataFrame", orders: "pd.DataFrame | None" = None, unit: str = "month",
                by: str | None = None) -> "pd.DataFrame":
    """Layers by period (and optionally one more dimension ``by``), in time order.

    Columns as :func:`~aftersales.segment.layers.layer_table` (with ``orders``: return_rate,
    case_rate, cost_per_order), sorted by period instead of by cost.
    """
    dims = (unit,) if by is None else (unit, by)
    t = layer_table(cases, dims, orders=orders)
    return t.sort_values(list(dims), kind="stable").reset_index(drop=True)


def trend_chart(cases: "pd.DataFrame", orders: "pd.DataFrame | None" = None, unit: str = "month",
                lang: str = "en") -> "Figure":
    """Two panels over time: return rate per order (with orders; else cases per period) and cost per
    order and per case (yuan). Labels by the glossary's language rule (``"zh"`` Chinese, ``"both"`` both)."""
    import numpy as np

    from aftersales.course.charts import course_style, new_figure

    from aftersales.glossary import pick as label

    t = trend_table(cases, orders, unit)

    with course_style(lang) as lang:
        fig = new_figure((10, 5.2))
        ax1, ax2 = fig.subplots(2, 1, sharex=True)
        x = np.arange(len(t))
        if "return_rate" in t.columns:
            ax1.plot(x, t["return_rate"].to_numpy() * 100, marker="o", ms=3, color="#c0392b")
            ax1.set_ylabel(label("return rate per order, %", "退货率 %", lang))
            ax2.plot(x, t["cost_per_order"].to_numpy(), marker="o", ms=3, color="#2c3e50",
                     label=label("cost per order", "单均售后成本", lang))
        else:
            ax1.bar(x, t["cases"].to_numpy(), color="#95a5a6")
            ax1.set_ylabel(label("cases", "工单数", lang))
        ax2.plot(x, t["cost_per_case"].to_numpy(), marker="s", ms=3, color="#7f8c8d",
                 label=label("cost per case", "单件售后成本", lang))
        ax2.set_ylabel(label("yuan", "元", lang))
        ax2.legend(frameon=False, fontsize=8)
        ax2.set_xticks(x, t[unit].astype(str).tolist(), rotation=55, ha="right", fontsize=8)
    return fig
