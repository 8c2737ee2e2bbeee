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

    Parameters
    ----------
    cases : pandas.DataFrame
        Clean cases with ``opened_at`` (dates), ``case_type``, ``cost`` and ``net`` (yuan), and the
        column ``by`` names.
    orders : pandas.DataFrame, optional
        Clean orders with ``ordered_at``; they add orders, case_rate, return_rate and
        cost_per_order per period.
    unit : {"month", "week", "quarter"}, optional
        The period (default ``"month"``: 2024-03; ``"week"``: ISO 2024-W09; ``"quarter"``: 2024Q1).
    by : str, optional
        A second dimension of :func:`~aftersales.segment.layers.layer_table` (e.g. ``"category"``).

    Returns
    -------
    pandas.DataFrame
        The columns of :func:`~aftersales.segment.layers.layer_table`, sorted by period (then
        ``by``) instead of by cost. Share columns are still shares of the whole data's cost.

    Notes
    -----
    A case counts in the period it was opened, an order in the period it was placed;
    return_rate = returns (return and exchange cases) / orders of the period, cost_per_order =
    cost / orders, cost_per_case = cost / cases.

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({
    ...     "opened_at": pd.to_datetime(["2024-01-10", "2024-01-20", "2024-02-05"]),
    ...     "case_type": ["return", "repair", "return"], "category": "dresses",
    ...     "cost": [100.0, 60.0, 80.0], "net": [-100.0, -60.0, -80.0]})
    >>> orders = pd.DataFrame({
    ...     "order_id": ["O1", "O2", "O3", "O4"], "customer_id": ["C1", "C2", "C3", "C4"],
    ...     "ordered_at": pd.to_datetime(["2024-01-03", "2024-01-08", "2024-01-30", "2024-02-02"]),
    ...     "category": "dresses", "amount": 500.0})
    >>> t = trend_table(cases, orders)
    >>> t[["month", "cases", "returns", "orders", "return_rate", "cost_per_order"]].astype(str).values.tolist()
    [['2024-01', '2', '1', '3', '0.3333333333333333', '53.333333333333336'], ['2024-02', '1', '1', '1', '1.0', '80.0']]
    """
    dims = (unit,) if by is None else (unit, by)
    t = layer_table(cases, dims, orders=orders)
    return t.sort_values(list(dims), kind="stable").reset_index(drop=True)


def trend_chart(cases: "pd.DataFrame", orders: "pd.DataFrame | None" = None, unit: str = "month",
                lang: str = "en") -> "Figure":
    """Two panels over time: return rate per order, and cost per order and per case (yuan).

    Without orders the upper panel shows the cases per period (bars) and the lower one the cost
    per case only.

    Parameters
    ----------
    cases : pandas.DataFrame
        Clean cases, as for :func:`trend_table`.
    orders : pandas.DataFrame, optional
        Clean orders, for the rates per order.
    unit : {"month", "week", "quarter"}, optional
        The period (default ``"month"``).
    lang : {"en", "zh", "both"}, optional
        Labels by the glossary's language rule: English (default), Chinese, or both.

    Returns
    -------
    matplotlib.figure.Figure
        Two axes sharing the period axis.

    Examples
    --------
    >>> import pandas as pd
    >>> cases = pd.DataFrame({
    ...     "opened_at": pd.to_datetime(["2024-01-10", "2024-01-20", "2024-02-05"]),
    ...     "case_type": ["return", "repair", "return"], "category": "dresses",
    ...     "cost": [100.0, 60.0, 80.0], "net": [-100.0, -60.0, -80.0]})
    >>> orders = pd.DataFrame({
    ...     "order_id": ["O1", "O2", "O3", "O4"], "customer_id": ["C1", "C2", "C3", "C4"],
    ...     "ordered_at": pd.to_datetime(["2024-01-03", "2024-01-08", "2024-01-30", "2024-02-02"]),
    ...     "category": "dresses", "amount": 500.0})
    >>> import matplotlib.pyplot as plt
    >>> fig = trend_chart(cases, orders)
    >>> len(fig.axes), fig.axes[0].get_ylabel(), fig.axes[1].get_ylabel()
    (2, 'return rate per order, %', 'yuan')
    >>> [tick.get_text() for tick in fig.axes[1].get_xticklabels()]
    ['2024-01', '2024-02']
    >>> plt.close(fig)

    In Chinese the labels are Chinese when the machine has a font that draws Chinese; without
    one the chart falls back to English (with a warning, once), so the label depends on the fonts:

    >>> import warnings
    >>> from aftersales.course.style import find_cjk_font
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     fig = trend_chart(cases, lang="zh")
    >>> fig.axes[0].get_ylabel() == ("工单数" if find_cjk_font() else "cases")
    True
    >>> plt.close(fig)
    """
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
