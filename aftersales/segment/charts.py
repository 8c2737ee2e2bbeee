"""Figures of the stratified after-sales analysis: Pareto chart, cost heat map, cost by tier.

Each function returns a matplotlib Figure (shown as a PNG in Jupyter; never ``plt.show``).
Money on the axes in wan yuan (1 wan = 10,000 yuan). Labels follow the library's one language
rule (:mod:`aftersales.glossary`): ``"en"`` English, ``"zh"`` Chinese (when a CJK font is
installed), ``"both"`` "English (中文)"; the layers' values (categories, reasons, channels, tiers)
too (:func:`aftersales.segment.analysis.seg_label`).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    from matplotlib.figure import Figure

__all__ = ["pareto_chart", "cost_heatmap", "cost_by_tier"]

WAN = 1e4  # yuan in one wan (万)
_KEY_COLS = ("category", "reason", "channel", "customer_tier", "case_type", "month", "week", "quarter", "layer")


def _t(key: str, lang: str, **fmt) -> str:
    from aftersales.glossary import label

    return label(key, lang, **fmt)


def _col(name: str):
    """A column's name for a label template (English and Chinese), or the name itself."""
    from aftersales.glossary import Term, entry, has_label

    for key in (f"seg_{name}", name):
        if has_label(key):
            return entry(key)
    return Term(name, name)


def _v(value, lang: str) -> str:
    """A code of the case data (a category, reason, channel, tier) as the chart's language names it."""
    from aftersales.segment.analysis import seg_label

    return seg_label(value, lang)


def _keys(table: "pd.DataFrame") -> list[str]:
    return [c for c in table.columns if c in _KEY_COLS]


def pareto_chart(table: "pd.DataFrame", top: int = 15, threshold: float = 0.8, lang: str = "en") -> "Figure":
    """The Pareto chart: the largest layers' cost as bars, the cumulative share of all cost as a line.

    Parameters
    ----------
    table : pandas.DataFrame
        A layer table in the Pareto order (from :func:`~aftersales.segment.layers.layer_table`):
        its key columns name the bars; cost (yuan), share_of_cost and cumulative_share (0-1).
    top : int, optional
        How many of the largest layers to draw (default 15); the title counts all layers.
    threshold : float, optional
        The share of the cost the vital few reach (0-1, default 0.8): a dashed line, and the
        vital few's bars in red.
    lang : {"en", "zh", "both"}, optional
        The language of the labels and of the layers' values (default ``"en"``).

    Returns
    -------
    matplotlib.figure.Figure
        Two axes: bars of the cost in wan yuan (1 wan = 10,000 yuan), and on a twin axis the
        cumulative share in per cent (0-105) with the threshold line.

    Raises
    ------
    ValueError
        If ``top`` is below 1.

    Notes
    -----
    A bar is one of the vital few as in :func:`~aftersales.segment.layers.pareto`: the cumulative
    share of the layers before it is below the threshold.

    References
    ----------
    .. [1] J. M. Juran, *Quality Control Handbook*, McGraw-Hill, 1951 (the Pareto chart).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> from aftersales.segment.layers import layer_table
    >>> cases = pd.DataFrame({"category": ["dresses", "dresses", "tops", "shoes"],
    ...                       "case_type": ["return", "exchange", "return", "complaint"],
    ...                       "cost": [50000.0, 20000, 20000, 10000], "net": [-50000.0, -20000, -20000, -10000]})
    >>> fig = pareto_chart(layer_table(cases, "category"))
    >>> bars = fig.axes[0]
    >>> bars.get_title()
    'Pareto of after-sales cost by category: 2 of 3 layers carry 80%'
    >>> [t.get_text() for t in bars.get_xticklabels()], [float(p.get_height()) for p in bars.patches]
    (['dresses', 'tops', 'shoes'], [7.0, 2.0, 1.0])
    >>> bars.get_ylabel(), len(fig.axes)
    ('cost, wan yuan', 2)
    >>> plt.close(fig)
    """
    import numpy as np

    from aftersales.course.charts import new_figure, course_style
    from aftersales.glossary import Term

    if top < 1:
        raise ValueError(f"top must be at least 1, got {top}")
    keys = _keys(table)
    t = table.head(top)
    with course_style(lang) as lang:
        fig = new_figure((10, 4.8))
        ax = fig.add_subplot()
        x = np.arange(len(t))
        names = [" / ".join(_v(r[k], lang) for k in keys) for _, r in t.iterrows()]
        before = (table["cumulative_share"] - table["share_of_cost"]).head(top).to_numpy()
        colours = np.where(before < threshold - 1e-12, "#c0392b", "#95a5a6")
        ax.bar(x, t["cost"].to_numpy() / WAN, color=colours)
        ax.set_ylabel(_t("seg_cost_wan", lang))
        ax.set_xticks(x, names, rotation=55, ha="right", fontsize=8)
        ax2 = ax.twinx()
        ax2.plot(x, t["cumulative_share"].to_numpy() * 100, color="#2c3e50", marker="o", ms=3)
        ax2.axhline(threshold * 100, color="#2c3e50", ls="--", lw=0.8)
        ax2.set_ylim(0, 105)
        ax2.set_ylabel(_t("seg_cumulative", lang))
        ax2.spines["right"].set_visible(True)
        n_all = int((table["cumulative_share"] - table["share_of_cost"] < threshold - 1e-12).sum())
        ax.set_title(_t("seg_pareto_title", lang, keys=Term(*(" x ".join(getattr(_col(k), x) for k in keys) for x in ("en", "zh"))),
                        n=n_all, total=len(table), threshold=threshold), fontsize=11)
    return fig


def cost_heatmap(cases: "pd.DataFrame", rows: str = "category", cols: str = "reason",
                 value: str = "cost", lang: str = "en") -> "Figure":
    """Heat map of the total cost (or net) in wan yuan, rows x cols (default category x reason).

    Parameters
    ----------
    cases : pandas.DataFrame
        Clean cases, with the columns ``rows``, ``cols`` and ``value``.
    rows, cols : str, optional
        The dimensions of the rows and the columns (default ``"category"`` and ``"reason"``).
    value : {"cost", "net"}, optional
        What is summed (yuan; default ``"cost"``).
    lang : {"en", "zh", "both"}, optional
        The language of the labels (default ``"en"``).

    Returns
    -------
    matplotlib.figure.Figure
        The heat map (rows and columns largest total first, each cell's value written in wan yuan
        with one decimal, 1 wan = 10,000 yuan) and its colour bar: two axes.

    Raises
    ------
    ValueError
        If ``rows`` or ``cols`` is not a column of the cases, or ``value`` is neither ``"cost"``
        nor ``"net"``.

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> cases = pd.DataFrame({"category": ["dresses", "dresses", "tops"],
    ...                       "reason": ["size_fit", "quality_defect", "size_fit"],
    ...                       "cost": [40000.0, 10000, 20000], "net": [-40000.0, -5000, -20000]})
    >>> fig = cost_heatmap(cases)
    >>> heat = fig.axes[0]
    >>> heat.get_title(), len(fig.axes)
    ('After-sales cost by category x reason', 2)
    >>> [t.get_text() for t in heat.get_yticklabels()], [t.get_text() for t in heat.texts]
    (['dresses', 'tops'], ['4.0', '1.0', '2.0', '0.0'])
    >>> plt.close(fig)
    """
    import numpy as np

    from aftersales.course.charts import new_figure, course_style

    for d in (rows, cols):
        if d not in cases.columns:
            raise ValueError(f"no column {d!r} in the cases")
    if value not in ("cost", "net"):
        raise ValueError(f"value must be 'cost' or 'net', got {value!r}")
    pt = cases.pivot_table(index=rows, columns=cols, values=value, aggfunc="sum", observed=True).fillna(0.0)
    pt = pt.loc[pt.sum(axis=1).sort_values(ascending=False).index,
                pt.sum(axis=0).sort_values(ascending=False).index]
    data = pt.to_numpy() / WAN
    with course_style(lang) as lang:
        fig = new_figure((1.2 + 1.05 * max(len(pt.columns), 3), 1.0 + 0.45 * max(len(pt.index), 3)))
        ax = fig.add_subplot()
        im = ax.imshow(data, cmap="Reds" if value == "cost" else "RdBu", aspect="auto")
        ax.set_xticks(range(len(pt.columns)), [_v(c, lang) for c in pt.columns], rotation=40, ha="right", fontsize=8)
        ax.set_yticks(range(len(pt.index)), [_v(i, lang) for i in pt.index], fontsize=8)
        hi = np.nanmax(np.abs(data)) if data.size else 0
        for i in range(data.shape[0]):
            for j in range(data.shape[1]):
                ax.text(j, i, f"{data[i, j]:,.1f}", ha="center", va="center", fontsize=7,
                        color="white" if hi and abs(data[i, j]) > 0.6 * hi else "black")
        fig.colorbar(im, ax=ax, label=_t("seg_value_wan", lang, value=_col(value)), shrink=0.8)
        ax.set_title(_t("seg_heatmap_title", lang, value=_col(value), rows=_col(rows), cols=_col(cols)), fontsize=11)
        ax.spines[:].set_visible(False)
    return fig


def cost_by_tier(tiers_table: "pd.DataFrame", lang: str = "en") -> "Figure":
    """Cost against value by customer tier, and cost as a share of the tier's spending.

    Parameters
    ----------
    tiers_table : pandas.DataFrame
        Per customer tier (from :func:`~aftersales.segment.tiers.tier_table`): customer_tier,
        customers, cost_per_customer and value_per_customer (yuan), cost_share_of_revenue
        (0-1). Tiers without customers are left out.
    lang : {"en", "zh", "both"}, optional
        The language of the labels (default ``"en"``).

    Returns
    -------
    matplotlib.figure.Figure
        Left: cost per customer and spend per customer by tier, yuan, on a log scale, each bar
        labelled; right: cost_share_of_revenue in per cent, each bar labelled.

    Notes
    -----
    cost_share_of_revenue = after-sales cost of the tier's cases / what the tier's customers
    spent (order amounts).

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> import pandas as pd
    >>> tiers = pd.DataFrame({"customer_tier": ["high", "mid", "low"], "customers": [10, 30, 60],
    ...                       "cost_per_customer": [300.0, 120, 40],
    ...                       "value_per_customer": [9000.0, 2500, 600],
    ...                       "cost_share_of_revenue": [300 / 9000, 120 / 2500, 40 / 600]})
    >>> fig = cost_by_tier(tiers)
    >>> [ax.get_title() for ax in fig.axes]
    ['Cost against value by customer tier', 'Cost share of spending']
    >>> fig.axes[0].get_yscale(), [t.get_text() for t in fig.axes[1].texts]
    ('log', ['3.3%', '4.8%', '6.7%'])
    >>> plt.close(fig)
    """
    import numpy as np

    from aftersales.course.charts import new_figure, course_style

    t = tiers_table[tiers_table["customers"] > 0]
    with course_style(lang) as lang:
        fig = new_figure((10, 4))
        ax1, ax2 = fig.subplots(1, 2)
        x = np.arange(len(t))
        names = [_v(v, lang) for v in t["customer_tier"]]
        w = 0.38
        b1 = ax1.bar(x - w / 2, t["cost_per_customer"], w, label=_t("seg_cost_per_customer", lang),
                     color="#c0392b")
        b2 = ax1.bar(x + w / 2, t["value_per_customer"], w, label=_t("seg_spend_per_customer", lang),
                     color="#2980b9")
        ax1.set_yscale("log")
        ax1.set_xticks(x, names)
        ax1.set_ylabel(_t("seg_yuan_per_customer_log", lang))
        ax1.legend(fontsize=8, frameon=False)
        for bars in (b1, b2):
            for b in bars:
                ax1.annotate(f"{b.get_height():,.0f}", (b.get_x() + b.get_width() / 2, b.get_height()),
                             ha="center", va="bottom", fontsize=8)
        ax1.set_title(_t("seg_tier_title", lang), fontsize=11)
        bars = ax2.bar(x, t["cost_share_of_revenue"] * 100, color="#7f8c8d")
        for b, v in zip(bars, t["cost_share_of_revenue"]):
            ax2.annotate(f"{v:.1%}", (b.get_x() + b.get_width() / 2, b.get_height()), ha="center",
                         va="bottom", fontsize=8)
        ax2.set_xticks(x, names)
        ax2.set_ylabel(_t("seg_cost_share", lang))
        ax2.set_title(_t("seg_cost_share_title", lang), fontsize=11)
    return fig
