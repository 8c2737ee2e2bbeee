"""Charts of the corrected method's assumptions: the wake-up share bounds and the chance of breaking even.

Built with the course's figure factory and style (:mod:`aftersales.course.charts`); every label in
English or Chinese by the glossary's rule.
"""
from __future__ import annotations

import numpy as np

from aftersales.course.charts import course_style, new_figure
from aftersales.model.evaluation import Evaluation, wakeup_bounds
from aftersales.model.montecarlo import verdict_sentence

__all__ = ["wakeup_bounds_chart", "break_even_chart"]

_ENDS = (("full_overlap", "full overlap", "完全重叠"), ("independent", "independent (model)", "相互独立(模型)"),
         ("no_overlap", "no overlap", "互不重叠"))


def wakeup_bounds_chart(ev: Evaluation, lang: str = "en"):
    """Total effect (万 yuan) and LTV (yuan) at both ends of the wake-up share and under independence.

    Parameters
    ----------
    ev : Evaluation
        A corrected-method evaluation.
    lang : {"en", "zh", "both"}
        Label language.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels of three bars each.

    Examples
    --------
    >>> from aftersales import evaluate
    >>> fig = wakeup_bounds_chart(evaluate("seed-demo"))
    >>> len(fig.axes)
    2
    """
    rows = {r["figure"]: r for r in wakeup_bounds(ev)}
    with course_style(lang) as used:
        names = [en if used == "en" else zh for _, en, zh in _ENDS]
        fig = new_figure((10, 4))
        left, right = fig.subplots(1, 2)
        for ax, fig_key, scale, unit_en, unit_zh in (
                (left, "total effect", 1e4, "total effect, wan yuan", "总效应,万元"),
                (right, "LTV, value-added", 1.0, "LTV with services, yuan", "含服务的客户生命周期价值,元")):
            vals = [rows[fig_key][k] / scale for k, _, _ in _ENDS]
            bars = ax.bar(names, vals, color=["#aab7b8", "#2e86c1", "#aab7b8"])
            for b, v in zip(bars, vals):
                ax.annotate(f"{v:,.1f}" if scale > 1 else f"{v:,.0f}", (b.get_x() + b.get_width() / 2, v),
                            ha="center", va="bottom", fontsize=8)
            ax.set_ylabel(unit_en if used == "en" else unit_zh)
        share = rows["wake-up share"]
        title = (f"Wake-up share {share['full_overlap']:.1%} to {share['no_overlap']:.1%} "
                 f"(independent: {share['independent']:.1%})" if used == "en" else
                 f"被唤醒比例 {share['full_overlap']:.1%} 至 {share['no_overlap']:.1%}(相互独立:{share['independent']:.1%})")
        fig.suptitle(title)
    return fig


def break_even_chart(result, lang: str = "en", bins: int = 60):
    """Histogram of the value-added net (万 yuan) over the draws, the 0 line and the verdict sentence.

    Parameters
    ----------
    result : MonteCarloResult
        From :func:`aftersales.model.montecarlo.simulate`.
    lang : {"en", "zh", "both"}
        Label language.
    bins : int
        Histogram bins.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    >>> from aftersales.model.montecarlo import simulate
    >>> fig = break_even_chart(simulate("seed-demo", 2000, seed=1))
    >>> "very unlikely" in fig.axes[0].get_title(loc="left")
    True
    """
    s = result.summary()
    net = np.asarray(result.va_net, float) / 1e4
    with course_style(lang) as used:
        fig = new_figure((10, 4.5))
        ax = fig.subplots()
        ax.hist(net, bins=bins, color="#5dade2", alpha=0.85)
        ax.axvline(0, color="#c0392b", ls="--", lw=1.5, label="break-even" if used == "en" else "盈亏平衡")
        ax.set_xlabel("value-added net, wan yuan" if used == "en" else "增值售后净额,万元")
        ax.set_ylabel("draws" if used == "en" else "模拟次数")
        ax.set_title(verdict_sentence(s["prob_break_even"], s["draws"], "en" if used == "en" else "zh"),
                     loc="left", fontsize=10)
        ax.legend(frameon=False, fontsize=8)
    return fig
