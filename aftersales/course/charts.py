"""Figures of the course: functions that return matplotlib figures (never shown here).

Every function returns a :class:`CourseFigure` (a ``matplotlib.figure.Figure`` that
displays itself as a PNG in a notebook, without pyplot's global state), so a notebook
cell that ends with ``dashboard(ev)`` shows the figure once, a script calls
``fig.savefig(...)``, and an explorer redraws as often as it likes without leaking figures.

Money is drawn in 万 (wan, 1 万 = 10,000 yuan). Labels are English by default;
``lang="zh"`` gives Chinese labels when a CJK font is installed (WenQuanYi Micro Hei,
Noto Sans CJK SC, Source Han Sans, SimHei, ...) and falls back to English with one
warning per process when none is.

- :func:`dashboard`: the article's four panels (revenue vs cost, gross margin with a 60% line,
  traditional vs value-added, the LTV waterfall) for one evaluation;
- :func:`method_comparison`: seed vs corrected for the key figures;
- :func:`leakage_waterfall`: one discounted return, price -> leakage -> recovery -> remake;
- :func:`tornado_chart`, :func:`grid_heatmap`, :func:`monte_carlo_chart`: the what-if tools;
- :func:`cohort_chart`: the month-by-month cohort of the lifecycle notebook;
- :func:`service_economics_chart`: revenue, cost and margin per service.
"""
from __future__ import annotations

import contextlib
import io
import math
import textwrap
import warnings
from typing import Any, Iterator, Mapping

import matplotlib
import numpy as np
from matplotlib.figure import Figure

from aftersales.model.kernel import lifetime_multiplier
from aftersales.model.evaluation import Evaluation, evaluate
from aftersales.model.leakage import leakage_per_item
from aftersales.model.lifecycle import TOUCH_MONTH, WAKEUP_LAG_MONTHS
from aftersales.model.inputs import LeakageInputs
from aftersales.model.scenario import load_scenario

__all__ = ["CourseFigure", "course_style", "new_figure", "to_png", "LANGS", "CJK_FONTS", "find_cjk_font", "label", "ltv_bridge",
           "leakage_steps", "dashboard", "method_comparison", "leakage_waterfall", "tornado_chart",
           "grid_heatmap", "monte_carlo_chart", "cohort_chart", "service_economics_chart"]

from aftersales.glossary import LANGS, check_lang
#: CJK fonts looked for, in order of preference, for ``lang="zh"``.
CJK_FONTS = ("WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "Noto Sans CJK SC", "Noto Sans SC",
             "Source Han Sans SC", "Source Han Sans CN", "Source Han Sans", "SimHei",
             "Microsoft YaHei", "PingFang SC", "Heiti SC", "Noto Sans CJK JP", "Noto Sans CJK TC")

# Colours (always 6-digit hex): the article's palette with its 5-digit "#9b59b" fixed.
REVENUE, COST, GOOD, BAD, BASE, FINAL, NEUTRAL = ("#27ae60", "#e74c3c", "#2ecc71", "#e74c3c",
                                                  "#3498db", "#9b59b6", "#7f8c8d")
SERVICE_COLOURS = ("#e74c3c", "#3498db", "#2ecc71", "#f39c12", "#9b59b6", "#1abc9c", "#e67e22",
                   "#34495e")
METHOD_COLOURS = {"seed": "#95a5a6", "corrected": "#2980b9"}

# ------------------------------------------------------------------ labels
_LABELS: dict[str, tuple[str, str]] = {
    # methods
    "seed": ("seed", "原文代码"),
    "corrected": ("corrected", "修正"),
    # units
    "wan": ("wan yuan (10,000 yuan) per year", "万元/年"),
    "wan_short": ("wan yuan (10,000 yuan)", "万元"),
    "yuan": ("yuan", "元"),
    "share_pct": ("share of the cohort, %", "占比(%)"),
    "people": ("customers", "人"),
    "pct": ("%", "%"),
    # dashboard
    "dashboard_title": ("After-sales dashboard: {scenario}, {method} method",
                        "售后盈利分析面板:{scenario}({method}方法)"),
    "rev_vs_cost": ("Revenue vs cost per service", "各服务收入 vs 成本"),
    "service_revenue": ("service revenue", "服务收入"),
    "service_cost": ("service cost", "服务成本"),
    "contribution": ("contribution", "服务毛利"),
    "margin_title": ("Gross margin per service", "各服务毛利率"),
    "gross_margin_pct": ("gross margin, %", "毛利率(%)"),
    "line60": ("60% line", "健康线(60%)"),
    "article_range": ("article's range", "原文区间"),
    "pnl_title": ("Traditional vs value-added after-sales", "传统 vs 增值售后盈亏"),
    "trad_net": ("traditional\nnet", "传统售后\n净亏损"),
    "va_net": ("value-added\nnet", "增值售后\n净盈亏"),
    "total_seed": ("total effect\n(+ LTV boost\n+ wake-up sales)", "综合效益\n(+LTV提升\n+唤醒营收)"),
    "total_corrected": ("total effect\n(+ wake-up\ncontribution)", "综合效益\n(+唤醒毛利)"),
    "ltv_title": ("Customer LTV waterfall", "客户 LTV 提升瀑布图"),
    "ltv_yuan": ("LTV, yuan per customer", "LTV(元/人)"),
    "base_ltv": ("base LTV", "基础LTV"),
    "wakeup_effect": ("wake-up\neffect", "唤醒效应"),
    "final_ltv": ("final LTV", "最终LTV"),
    "retention": ("retention\n{p0} -> {p1}", "复购提升\n{p0}→{p1}"),
    "service_contribution": ("service\ncontribution", "服务贡献"),
    # method comparison
    "comparison_title": ("Seed vs corrected: {scenario}", "原文代码 vs 修正:{scenario}"),
    "va_cost": ("value-added\ncost", "增值售后\n成本"),
    "va_net_short": ("value-added\nnet", "增值售后\n净盈亏"),
    "wakeup_revenue": ("wake-up\nrevenue", "唤醒营收"),
    "total_effect": ("total\neffect", "综合效益"),
    "ltv": ("LTV", "LTV"),
    "ltv_axis": ("LTV, yuan per customer", "LTV(元/人)"),
    "traditional_line": ("traditional net", "传统售后净亏损"),
    # leakage
    "leakage_title": ("Value of one discounted return, {route} ({method} method)",
                      "一件折价退货的价值({route},{method}方法)"),
    "route_own": ("remade for the own customer", "为原顾客改造"),
    "route_new": ("remade for a new customer", "改造后卖给新顾客"),
    "original_price": ("original\nprice", "原价"),
    "leakage_step": ("leakage\n(vs price)", "价值流失\n(相对原价)"),
    "recovered": ("recovered on\ndiscounted resale", "折价回收"),
    "remake_fee": ("+ remake fee", "+改造费"),
    "remake_cost": ("- remake cost", "-改造成本"),
    "remake_cost_seed": ("- remake cost\n(left out)", "-改造成本\n(原文未计)"),
    "remake_recovery": ("remake\nrecovery", "改造后回收"),
    "cogs_line": ("cost of goods", "商品成本"),
    "yuan_per_item": ("yuan per item", "元/件"),
    # what-if
    "tornado_title": ("What moves {figure} most", "{figure}的敏感性(龙卷风图)"),
    "low_input": ("input at low end", "参数取低值"),
    "high_input": ("input at high end", "参数取高值"),
    "base": ("base", "基准"),
    "grid_title": ("{figure} over two inputs", "{figure}双因素表"),
    "mc_title": ("Total effect over {draws:,} draws ({method} method)",
                 "综合效益分布({draws:,} 次抽样,{method}方法)"),
    "draws": ("draws", "抽样数"),
    "p_beats": ("P(value-added beats traditional) = {p:.1%}", "增值售后胜过传统售后的概率 = {p:.1%}"),
    "p_break_even": ("P(value-added net >= 0) = {p:.1%}", "增值售后自身盈亏平衡的概率 = {p:.1%}"),
    # lifecycle
    "cohort_title": ("One buying cohort, month by month", "一批购买客户的逐月轨迹"),
    "month": ("month after purchase", "购买后月份"),
    "touched": ("used a service", "使用过服务"),
    "woken": ("woken", "被唤醒"),
    "repurchased_natural": ("repurchased anyway (p0)", "自然复购(p0)"),
    "repurchased_woken": ("repurchased because woken", "因唤醒复购"),
    "repurchased": ("repurchased, total", "复购合计"),
    "p1_note": ("p1 = {p1:.1%}", "p1 = {p1:.1%}"),
    "kind_remake": ("remake", "改造"),
    "kind_deep_clean": ("deep clean", "清洗"),
    "kind_repair": ("repair", "修补"),
    "kind_storage": ("storage", "存储"),
    # service economics
    "service_econ_title": ("Service economics: {scenario}, {method} method",
                           "服务经济性:{scenario}({method}方法)"),
    # figures (for what-if titles and axes)
    "fig_service_revenue": ("service revenue", "服务收入"),
    "fig_service_cost": ("service cost", "服务成本"),
    "fig_service_contribution": ("service contribution", "服务毛利"),
    "fig_va_cost": ("value-added cost", "增值售后成本"),
    "fig_va_net": ("value-added net", "增值售后净盈亏"),
    "fig_wakeup_customers": ("wake-up customers", "唤醒客户数"),
    "fig_wakeup_revenue": ("wake-up revenue", "唤醒营收"),
    "fig_wakeup_contribution": ("wake-up contribution", "唤醒毛利"),
    "fig_total_effect": ("total effect", "综合效益"),
    "fig_repurchase_12m_value_added": ("12-month repurchase", "12个月复购率"),
    "fig_ltv_value_added": ("LTV", "LTV"),
}


def label(key: str, lang: str = "en", **fmt: Any) -> str:
    """The label ``key`` in ``lang`` ("en" or "zh"), formatted with ``fmt``."""
    en, zh = _LABELS[key]
    text = zh if lang == "zh" else en
    return text.format(**fmt) if fmt else text


# ------------------------------------------------------------------ fonts and language
_zh_warned = False


def find_cjk_font() -> str | None:
    """The name of an installed font that can draw Chinese, or None."""
    from matplotlib import font_manager

    names = {f.name for f in font_manager.fontManager.ttflist}
    for name in CJK_FONTS:
        if name in names:
            return name
    for name in sorted(names):
        if "CJK" in name or "Han Sans" in name or "WenQuanYi" in name:
            return name
    return None


def _outside_stacklevel() -> int:
    """The warnings stacklevel of the first caller outside this module (and contextlib)."""
    import sys

    frame, level = sys._getframe(1), 1  # frame 1: the function that calls warnings.warn
    while frame is not None and frame.f_globals.get("__name__") in (__name__, "contextlib"):
        frame, level = frame.f_back, level + 1
    return level


def _resolve_lang(lang: str) -> tuple[str, str | None]:
    """(language actually used, CJK font name or None); warns once per process on fallback."""
    global _zh_warned
    check_lang(lang)
    if lang == "en":
        return "en", None
    font = find_cjk_font()
    if font is None:
        if not _zh_warned:
            _zh_warned = True
            warnings.warn("lang='zh': no CJK font found (install e.g. fonts-wqy-microhei or "
                          "fonts-noto-cjk); the figures fall back to English labels",
                          UserWarning, stacklevel=_outside_stacklevel())
        return "en", None
    return lang, font


@contextlib.contextmanager
def course_style(lang: str) -> Iterator[str]:
    """Resolve ``lang`` and set fonts while a figure is built; yields the language used."""
    used, font = _resolve_lang(lang)
    rc: dict[str, Any] = {"axes.spines.top": False, "axes.spines.right": False,
                          "axes.titlesize": 12, "axes.titleweight": "bold",
                          "figure.titlesize": 14, "figure.titleweight": "bold"}
    if font is not None:
        # Text objects keep their font family list, so the figure renders the same later.
        # CJK fonts often have no bold face: use the regular one rather than a findfont warning.
        rc.update({"font.family": [font, "DejaVu Sans"], "axes.unicode_minus": False,
                   "axes.titleweight": "normal", "figure.titleweight": "normal"})
    with matplotlib.rc_context(rc):
        yield used


class CourseFigure(Figure):
    """A matplotlib Figure that shows itself as a PNG in Jupyter (no pyplot needed)."""

    def _repr_png_(self) -> bytes:
        return to_png(self)


def to_png(fig: Figure, dpi: int = 100, tight: bool = True) -> bytes:
    """The figure as PNG bytes (cropped to a tight bounding box unless ``tight`` is False)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight" if tight else None)
    return buf.getvalue()


def new_figure(figsize: tuple[float, float]) -> CourseFigure:
    """An empty course figure (constrained layout) of ``figsize`` inches; build it inside course_style."""
    return CourseFigure(figsize=figsize, layout="constrained")


# ------------------------------------------------------------------ number helpers
def _wan(x: float | None) -> float:
    return float("nan") if x is None else x / 1e4


def _fmt_wan(v: float) -> str:
    return "n/a" if v is None or math.isnan(v) else f"{v:,.1f}"


def _wrap(name: str, width: int = 12) -> str:
    return "\n".join(textwrap.wrap(name, width)) or name


def _annotate_bars(ax, bars, values, fmt, colour=None, fontsize=8) -> None:
    """Write each value at the end of its bar (above for positive, below for negative)."""
    for bar, v in zip(bars, values):
        if v is None or (isinstance(v, float) and math.isnan(v)):
            continue
        y = bar.get_y() + bar.get_height()  # the far end of the bar, up or down
        ax.annotate(fmt(v), (bar.get_x() + bar.get_width() / 2, y),
                    xytext=(0, 3 if v >= 0 else -3), textcoords="offset points",
                    ha="center", va="bottom" if v >= 0 else "top", fontsize=fontsize,
                    color=colour or "#222222")


def _method_name(method: str, lang: str) -> str:
    return label(method, lang)


# ------------------------------------------------------------------ dashboard panels
def _services_revenue_cost(ax, ev: Evaluation, lang: str) -> None:
    svcs = ev.services
    x = np.arange(len(svcs))
    rev = [_wan(s["revenue"]) for s in svcs]
    cost = [_wan(s["cost"]) for s in svcs]
    w = 0.38
    b1 = ax.bar(x - w / 2, rev, w, label=label("service_revenue", lang), color=REVENUE, alpha=0.85)
    b2 = ax.bar(x + w / 2, cost, w, label=label("service_cost", lang), color=COST, alpha=0.85)
    _annotate_bars(ax, b1, rev, _fmt_wan, REVENUE)
    _annotate_bars(ax, b2, cost, _fmt_wan, COST)
    ax.set_xticks(x, [_wrap(s["name"]) for s in svcs], fontsize=9)
    ax.set_ylabel(label("wan", lang))
    ax.set_title(label("rev_vs_cost", lang), loc="left")
    ax.legend(fontsize=8, frameon=False)
    ax.grid(True, axis="y", alpha=0.2)
    ax.margins(y=0.12)


def _services_margin(ax, ev: Evaluation, lang: str, ranges: Mapping | None = None) -> None:
    svcs = ev.services
    x = np.arange(len(svcs))
    margins = [100 * s["gross_margin"] for s in svcs]
    colours = [SERVICE_COLOURS[i % len(SERVICE_COLOURS)] for i in range(len(svcs))]
    bars = ax.bar(x, margins, color=colours, alpha=0.85)
    for bar, v in zip(bars, margins):  # inside the bar, clear of the range marks above
        ax.annotate(f"{v:.1f}%", (bar.get_x() + bar.get_width() / 2, v),
                    xytext=(0, -4 if v >= 0 else 4), textcoords="offset points", ha="center",
                    va="top" if v >= 0 else "bottom", fontsize=9, color="white",
                    fontweight=matplotlib.rcParams["figure.titleweight"])
    ax.axhline(60, color="#1e8449", linestyle="--", alpha=0.6, label=label("line60", lang))
    if ranges:
        first = True
        for i, s in enumerate(svcs):
            r = ranges.get(s["kind"], {}).get("gross_margin")
            if r is not None:
                ax.errorbar(i, 100 * r.mid, yerr=100 * (r.high - r.low) / 2, fmt="none",
                            ecolor="#222222", capsize=6, lw=1.2,
                            label=label("article_range", lang) if first else None)
                first = False
    ax.set_xticks(x, [_wrap(s["name"]) for s in svcs], fontsize=9)
    ax.set_ylabel(label("gross_margin_pct", lang))
    ax.set_ylim(min(0, min(margins) * 1.15), max(100, max(margins) * 1.1))
    ax.set_title(label("margin_title", lang), loc="left")
    ax.legend(fontsize=8, frameon=False, loc="lower right")
    ax.grid(True, axis="y", alpha=0.2)


def _pnl_panel(ax, ev: Evaluation, lang: str) -> None:
    names = [label("trad_net", lang), label("va_net", lang), label(f"total_{ev.method}", lang)]
    values = [_wan(ev["traditional_net"]), _wan(ev["va_net"]), _wan(ev["total_effect"])]
    colours = [GOOD if v >= 0 else BAD for v in values]
    bars = ax.bar(np.arange(3), values, color=colours, alpha=0.85, width=0.6)
    _annotate_bars(ax, bars, values, _fmt_wan, fontsize=10)
    ax.set_xticks(np.arange(3), names, fontsize=9)
    ax.axhline(0, color="black", linewidth=0.8)
    ax.set_ylabel(label("wan", lang))
    ax.set_title(label("pnl_title", lang), loc="left")
    ax.grid(True, axis="y", alpha=0.2)
    ax.margins(y=0.15)


def ltv_bridge(ev: Evaluation, lang: str = "en") -> list[tuple[str, float]]:
    """The LTV waterfall as (label, yuan per customer): start, steps..., final.

    seed: base LTV, each service's ltv_boost / N, the wake-up effect (wake-up revenue / N),
    final LTV. corrected: base LTV = a0 x M(p0), the change from retention
    a0 x (M(p1) - M(p0)), the service contribution s x M(p1), final LTV = (a0 + s) x M(p1),
    where a0 = base LTV / M(p0) and s = service contribution / N. The start plus the steps
    equal the final bar, which is ``ev["ltv_value_added"]``.
    """
    f = ev.figures
    n = float(ev.scenario.brand.active_customers)
    base = ev["ltv_traditional"]
    final = ev["ltv_value_added"]
    out: list[tuple[str, float]] = [(label("base_ltv", lang), base)]
    if ev.method == "seed":
        for j, s in enumerate(ev.scenario.services):
            out.append((_wrap(s.name), float(f["ltv_boost"][0, j]) / n))
        out.append((label("wakeup_effect", lang), ev["wakeup_revenue"] / n))
    else:
        p0, p1 = ev["repurchase_12m_traditional"], ev["repurchase_12m_value_added"]
        d = ev.scenario.brand.discount_rate
        m0, m1 = lifetime_multiplier(p0, d), lifetime_multiplier(p1, d)
        a0 = base / m0
        s = ev["service_contribution"] / n
        out.append((label("retention", lang, p0=f"{p0:.0%}", p1=f"{p1:.1%}"), float(a0 * (m1 - m0))))
        out.append((label("service_contribution", lang), float(s * m1)))
    out.append((label("final_ltv", lang), final))
    return out


def _waterfall(ax, steps: list[tuple[str, float]], fmt_total, fmt_step) -> list:
    """Draw start, floating steps (negative heights for falls) and the final total.

    Returns the bar patches, one per entry of ``steps``.
    """
    names = [s[0] for s in steps]
    values = [s[1] for s in steps]
    patches = []
    x = np.arange(len(steps))
    patches.append(ax.bar(x[0], values[0], color=BASE, alpha=0.85, width=0.6)[0])
    running = values[0]
    for i, v in enumerate(values[1:-1], start=1):
        p = ax.bar(x[i], v, bottom=running, color=GOOD if v >= 0 else BAD, alpha=0.85, width=0.6)[0]
        patches.append(p)
        ax.plot([x[i - 1] - 0.3, x[i] + 0.3], [running, running], color="#555555", lw=0.7, ls=":")
        running += v
    patches.append(ax.bar(x[-1], values[-1], color=FINAL, alpha=0.85, width=0.6)[0])
    ax.plot([x[-2] - 0.3, x[-1] + 0.3], [running, running], color="#555555", lw=0.7, ls=":")
    for i, (p, v) in enumerate(zip(patches, values)):
        top = max(p.get_y(), p.get_y() + p.get_height())
        text = fmt_total(v) if i in (0, len(values) - 1) else fmt_step(v)
        ax.annotate(text, (p.get_x() + p.get_width() / 2, top), xytext=(0, 3),
                    textcoords="offset points", ha="center", va="bottom", fontsize=8)
    ax.set_xticks(x, names, fontsize=8)
    return patches


def _ltv_panel(ax, ev: Evaluation, lang: str) -> None:
    steps = ltv_bridge(ev, lang)
    patches = _waterfall(ax, steps, lambda v: f"{v:,.0f}", lambda v: f"{v:+,.0f}")
    ax.set_ylabel(label("ltv_yuan", lang))
    ax.set_title(label("ltv_title", lang), loc="left")
    ax.grid(True, axis="y", alpha=0.2)
    ends = [e for p in patches for e in (p.get_y(), p.get_y() + p.get_height())]
    lo, hi = min(0.0, min(ends)), max(0.0, max(ends))
    ax.set_ylim(lo * 1.12, hi * 1.12 if hi > 0 else 1.0)


def dashboard(ev: Evaluation, lang: str = "en") -> Figure:
    """The article's four panels for one evaluation, money in 万 (10,000 yuan).

    Revenue vs cost per service; gross margin per service with a 60% line; traditional net,
    value-added net and total effect; the LTV waterfall (see :func:`ltv_bridge`). The title
    names the scenario and the method.
    """
    if not isinstance(ev, Evaluation):
        raise TypeError(f"dashboard needs an Evaluation (aftersales.evaluate(...)), got {type(ev).__name__}")
    with course_style(lang) as lang:
        fig = new_figure((15, 10.5))
        axes = fig.subplots(2, 2)
        _services_revenue_cost(axes[0, 0], ev, lang)
        _services_margin(axes[0, 1], ev, lang)
        _pnl_panel(axes[1, 0], ev, lang)
        _ltv_panel(axes[1, 1], ev, lang)
        fig.suptitle(label("dashboard_title", lang, scenario=ev.scenario.name,
                           method=_method_name(ev.method, lang)))
    return fig


# ------------------------------------------------------------------ seed vs corrected
_COMPARED = (("service_revenue", "service_revenue"), ("va_cost", "va_cost"),
             ("va_net", "va_net_short"), ("wakeup_revenue", "wakeup_revenue"),
             ("total_effect", "total_effect"))


def _both(scenario_or_evaluations) -> dict[str, Evaluation]:
    if isinstance(scenario_or_evaluations, Mapping):
        evs = dict(scenario_or_evaluations)
        missing = {"seed", "corrected"} - set(evs)
        if missing:
            raise ValueError(f"evaluations need the keys seed and corrected; missing {sorted(missing)}")
        return evs
    sc = load_scenario(scenario_or_evaluations)
    return {"seed": evaluate(sc, "seed"), "corrected": evaluate(sc, "corrected")}


def method_comparison(scenario, lang: str = "en") -> Figure:
    """Seed vs corrected side by side: service revenue, value-added cost, value-added net,
    wake-up revenue, total effect (万 yuan, left) and LTV (yuan, right).

    ``scenario``: a Scenario, a name or path, or ``{"seed": Evaluation, "corrected": Evaluation}``.
    """
    evs = _both(scenario)
    with course_style(lang) as lang:
        fig = new_figure((13, 5.2))
        ax, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [5, 1.6]})
        x = np.arange(len(_COMPARED))
        w = 0.38
        for k, method in enumerate(("seed", "corrected")):
            vals = [_wan(evs[method][key]) for key, _ in _COMPARED]
            bars = ax.bar(x + (k - 0.5) * w, vals, w, color=METHOD_COLOURS[method],
                          label=label(method, lang))
            _annotate_bars(ax, bars, vals, _fmt_wan, fontsize=8)
            ltv = evs[method]["ltv_value_added"]
            b2 = ax2.bar(k, ltv, 0.6, color=METHOD_COLOURS[method], label=label(method, lang))
            _annotate_bars(ax2, b2, [ltv], lambda v: f"{v:,.0f}", fontsize=8)
        ax.axhline(0, color="black", lw=0.8)
        ax.set_xticks(x, [label(lab, lang) for _, lab in _COMPARED], fontsize=9)
        ax.set_ylabel(label("wan", lang))
        ax.legend(frameon=False, fontsize=9)
        ax.grid(True, axis="y", alpha=0.2)
        ax.margins(y=0.12)
        base = evs["corrected"]["ltv_traditional"]
        ax2.axhline(base, color=NEUTRAL, ls="--", lw=1, label=label("base_ltv", lang))
        ax2.set_xticks([0, 1], [label("seed", lang), label("corrected", lang)], fontsize=9)
        ax2.set_ylabel(label("ltv_axis", lang))
        ax2.set_title(label("ltv", lang), loc="left")
        ax2.legend(frameon=False, fontsize=8, loc="lower right")
        ax2.margins(y=0.12)
        fig.suptitle(label("comparison_title", lang, scenario=evs["corrected"].scenario.name))
    return fig


# ------------------------------------------------------------------ value leakage
def leakage_steps(inputs: LeakageInputs, method: str = "corrected", route: str = "own",
                  lang: str = "en") -> list[tuple[str, float]]:
    """The leakage waterfall of one item as (label, yuan): price, -leakage, recovered on resale,
    +remake fee, -remake cost (0 in the seed method, which leaves it out), remake recovery."""
    if route not in ("own", "new"):
        raise ValueError(f"route must be 'own' or 'new', got {route!r}")
    fig = leakage_per_item(inputs, method)
    fee = inputs.remake_fee_own_customer if route == "own" else inputs.remake_fee_new_customer
    k = 0.0 if method == "seed" else inputs.remake_unit_cost
    recovered = fig["traditional_recovery"]
    final = fig["remake_own_recovery" if route == "own" else "remake_new_recovery"]
    return [(label("original_price", lang), inputs.original_price),
            (label("leakage_step", lang), -fig["leakage_vs_price"]),
            (label("recovered", lang), recovered),
            (label("remake_fee", lang), fee),
            (label("remake_cost_seed" if method == "seed" else "remake_cost", lang), -k),
            (label("remake_recovery", lang), final)]


def leakage_waterfall(scenario_or_inputs, method: str = "corrected", route: str = "own",
                      lang: str = "en") -> Figure:
    """One discounted return in yuan: price -> leakage -> recovered on resale (a subtotal)
    -> + remake fee -> - remake cost -> recovery by remake, with the cost of goods marked
    (leakage against price vs accounting loss against cost of goods).

    ``scenario_or_inputs``: a Scenario (name or path) with a [leakage] table, or LeakageInputs.
    """
    if isinstance(scenario_or_inputs, LeakageInputs):
        inputs, name = scenario_or_inputs, None
    else:
        sc = load_scenario(scenario_or_inputs)
        if sc.leakage is None:
            raise ValueError(f"scenario {sc.name!r} has no [leakage] table: nothing to draw")
        inputs, name = sc.leakage, sc.name
    if method not in ("seed", "corrected"):
        raise ValueError(f"method must be seed or corrected, got {method!r}")
    with course_style(lang) as lang:
        steps = leakage_steps(inputs, method, route, lang)
        fig = new_figure((10, 5.2))
        ax = fig.subplots()
        x = np.arange(len(steps))
        vals = [v for _, v in steps]
        totals = {0: BASE, 2: NEUTRAL, 5: FINAL}
        patches = []
        running = 0.0
        for i, v in enumerate(vals):
            if i in totals:
                patches.append(ax.bar(i, v, color=totals[i], alpha=0.85, width=0.6)[0])
                running = v
            else:
                patches.append(ax.bar(i, v, bottom=running, color=GOOD if v >= 0 else BAD,
                                      alpha=0.85, width=0.6)[0])
                running += v
        for i, (p, v) in enumerate(zip(patches, vals)):
            top = max(p.get_y(), p.get_y() + p.get_height())
            ax.annotate(f"{v:,.0f}" if i in totals else ("0" if v == 0 else f"{v:+,.0f}"),
                        (p.get_x() + p.get_width() / 2, top), xytext=(0, 3),
                        textcoords="offset points", ha="center", va="bottom", fontsize=9)
        cogs = inputs.original_price * inputs.cogs_ratio
        ax.axhline(cogs, color="#8e44ad", ls="--", lw=1,
                   label=f"{label('cogs_line', lang)} ({cogs:,.0f})")
        ax.set_xticks(x, [n for n, _ in steps], fontsize=9)
        ax.set_ylabel(label("yuan_per_item", lang))
        ax.legend(frameon=False, fontsize=9)
        ax.grid(True, axis="y", alpha=0.2)
        ends = [e for p in patches for e in (p.get_y(), p.get_y() + p.get_height())]
        ax.set_ylim(min(0.0, min(ends)) * 1.1, max(max(ends), cogs) * 1.12)
        title = label("leakage_title", lang, route=label(f"route_{route}", lang),
                      method=_method_name(method, lang))
        ax.set_title(f"{title}" + (f" - {name}" if name else ""), loc="left")
    return fig


# ------------------------------------------------------------------ what-if tools
_SHARE_FIGURES = ("repurchase_12m_value_added", "repurchase_12m_traditional", "wakeup_share")
_YUAN_FIGURES = ("ltv_value_added", "ltv_traditional")
_PEOPLE_FIGURES = ("wakeup_customers", "wakeup_orders")


def _figure_scale(figure: str, lang: str) -> tuple[float, str, Any]:
    """(divisor, axis unit label, formatter) for a kernel figure name."""
    if figure in _SHARE_FIGURES:
        return 0.01, "%", lambda v: f"{v:.1f}%"
    if figure in _YUAN_FIGURES:
        return 1.0, label("yuan", lang), lambda v: f"{v:,.0f}"
    if figure in _PEOPLE_FIGURES:
        return 1.0, label("people", lang), lambda v: f"{v:,.0f}"
    return 1e4, label("wan_short", lang), lambda v: f"{v:,.1f}"


def _figure_name(figure: str, lang: str) -> str:
    key = f"fig_{figure}"
    return label(key, lang) if key in _LABELS else figure.replace("_", " ")


_SHARE_INPUTS = ("acceptance", "wakeup_rate", "gross_margin", "return_rate", "baseline_repurchase_12m",
                 "wakeup_conversion", "product_gross_margin", "discount_rate")


def _fmt_input(path: str, v: float) -> str:
    """An input value as a reader expects it: shares in %, multipliers as x1.5, money with commas."""
    v = float(v)
    if path.startswith("scale."):
        return f"x{v:g}"
    if path.rsplit(".", 1)[-1] in _SHARE_INPUTS:
        return f"{100 * v:.3g}%"
    return f"{v:,.6g}" if abs(v) < 1000 else f"{v:,.0f}"


def tornado_chart(df, lang: str = "en", top: int | None = 15) -> Figure:
    """Horizontal bars from the base figure to the figure at each input's low and high end.

    ``df``: the DataFrame of :func:`aftersales.model.sensitivity.tornado` (columns parameter, label,
    base_value, low_value, high_value, figure_low, figure_high, swing; attrs base_figure, figure).
    The largest swing is on top; ``top`` keeps that many rows (None: all).
    """
    need = {"label", "low_value", "high_value", "figure_low", "figure_high", "swing"}
    missing = need - set(df.columns)
    if missing:
        raise ValueError(f"tornado_chart: the DataFrame lacks the column(s) {', '.join(sorted(missing))}")
    if "base_figure" not in df.attrs:
        raise ValueError("tornado_chart: df.attrs['base_figure'] is missing (use sensitivity.tornado)")
    figure = df.attrs.get("figure", "total_effect")
    data = df.sort_values("swing", ascending=False, kind="stable")
    if top is not None:
        data = data.head(top)
    data = data.iloc[::-1]  # matplotlib draws the first row at the bottom
    base = float(df.attrs["base_figure"])
    with course_style(lang) as lang:
        div, unit, fmt = _figure_scale(figure, lang)
        fig = new_figure((10, 1.2 + 0.42 * len(data)))
        ax = fig.subplots()
        y = np.arange(len(data))
        lo = (data["figure_low"].to_numpy(float) - base) / div
        hi = (data["figure_high"].to_numpy(float) - base) / div
        b0 = base / div
        params = list(data["parameter"]) if "parameter" in data.columns else [""] * len(data)
        colours = {"low": "#e67e22", "high": "#2980b9"}
        for yi, l, h in zip(y, lo, hi):
            # the longer bar first, so a shorter one on the same side stays visible on top
            for end, d in sorted((("low", l), ("high", h)), key=lambda t: -abs(t[1])):
                ax.barh(yi, d, left=b0, color=colours[end], alpha=0.9, height=0.7)
        for yi, l, h, lv, hv, path in zip(y, lo, hi, data["low_value"], data["high_value"], params):
            for d, v in ((l, lv), (h, hv)):
                ax.annotate(_fmt_input(path, v), (b0 + d, yi), xytext=(3 if d >= 0 else -3, 0),
                            textcoords="offset points", va="center",
                            ha="left" if d >= 0 else "right", fontsize=7, color="#333333")
        from matplotlib.patches import Patch
        handles = [Patch(color=colours["low"], label=label("low_input", lang)),
                   Patch(color=colours["high"], label=label("high_input", lang))]
        ax.axvline(b0, color="black", lw=0.9)
        ax.set_yticks(y, list(data["label"]), fontsize=8)
        name = _figure_name(figure, lang)
        ax.set_xlabel(f"{name}, {unit} ({label('base', lang)} {fmt(b0)})")
        ax.set_title(label("tornado_title", lang, figure=name), loc="left")
        ax.legend(handles=handles, frameon=False, fontsize=8, loc="lower right")
        ax.grid(True, axis="x", alpha=0.2)
        ax.margins(x=0.15)
    return fig


def grid_heatmap(df, lang: str = "en") -> Figure:
    """A two-way data table as a heat map with every cell written in; 0 (break-even) is white
    when the figure changes sign. ``df``: :func:`aftersales.model.sensitivity.grid`'s DataFrame."""
    from matplotlib.colors import TwoSlopeNorm

    figure = df.attrs.get("figure", "va_net")
    row_param = df.attrs.get("row_param", df.index.name or "rows")
    col_param = df.attrs.get("col_param", df.columns.name or "columns")
    with course_style(lang) as lang:
        div, unit, fmt = _figure_scale(figure, lang)
        vals = df.to_numpy(float) / div
        fig = new_figure((1.6 + 1.05 * vals.shape[1], 1.4 + 0.5 * vals.shape[0]))
        ax = fig.subplots()
        vmin, vmax = float(np.nanmin(vals)), float(np.nanmax(vals))
        if vmin < 0 < vmax:
            norm, cmap = TwoSlopeNorm(0.0, vmin, vmax), "RdYlGn"
        else:
            norm, cmap = None, "Greens" if vmin >= 0 else "Reds_r"
        im = ax.imshow(vals, cmap=cmap, norm=norm, aspect="auto")
        for i in range(vals.shape[0]):
            for j in range(vals.shape[1]):
                r, g, b, _ = im.cmap(im.norm(vals[i, j]))
                dark = 0.299 * r + 0.587 * g + 0.114 * b < 0.5
                ax.text(j, i, fmt(vals[i, j]), ha="center", va="center", fontsize=8,
                        color="white" if dark else "black")
        ax.set_xticks(np.arange(vals.shape[1]), [_fmt_input(str(col_param), c) for c in df.columns],
                      fontsize=8)
        ax.set_yticks(np.arange(vals.shape[0]), [_fmt_input(str(row_param), r) for r in df.index],
                      fontsize=8)
        ax.set_xlabel(str(col_param))
        ax.set_ylabel(str(row_param))
        name = _figure_name(figure, lang)
        fig.colorbar(im, ax=ax, label=f"{name}, {unit}")
        ax.set_title(label("grid_title", lang, figure=name[:1].upper() + name[1:]), loc="left")
        ax.spines[:].set_visible(False)
    return fig


def monte_carlo_chart(result, lang: str = "en", bins: int = 60) -> Figure:
    """Histogram of the total effect over the draws (万 yuan) with p5, p50, p95, the traditional
    net, and the probability that value-added beats traditional from ``result.summary()``."""
    summary = result.summary()
    te = np.asarray(result.total_effect, float) / 1e4
    trad = float(np.median(np.asarray(result.traditional_net, float))) / 1e4
    with course_style(lang) as lang:
        fig = new_figure((10, 5))
        ax = fig.subplots()
        ax.hist(te, bins=bins, color="#5dade2", alpha=0.85)
        for key, style in (("p5", ":"), ("p50", "-"), ("p95", ":")):
            v = summary[key] / 1e4
            ax.axvline(v, color="#1b4f72", ls=style, lw=1.2, label=f"{key} {v:,.1f}")
        ax.axvline(trad, color=BAD, ls="--", lw=1.5,
                   label=f"{label('traditional_line', lang)} {trad:,.1f}")
        text = label("p_beats", lang, p=summary["prob_value_added_beats_traditional"])
        if "prob_break_even" in summary:
            text += "\n" + label("p_break_even", lang, p=summary["prob_break_even"])
        ax.text(0.02, 0.97, text, transform=ax.transAxes, va="top", ha="left", fontsize=9,
                bbox={"boxstyle": "round", "fc": "white", "ec": "#cccccc"})
        ax.set_xlabel(f"{_figure_name('total_effect', lang)}, {label('wan', lang)}")
        ax.set_ylabel(label("draws", lang))
        ax.set_title(label("mc_title", lang, draws=int(summary.get("draws", te.size)),
                           method=_method_name(summary.get("method", "corrected"), lang)), loc="left")
        ax.legend(frameon=False, fontsize=8, loc="upper right")
        ax.grid(True, axis="y", alpha=0.2)
    return fig


# ------------------------------------------------------------------ lifecycle
_COHORT_LINES = (("touched", "#95a5a6", ":"), ("woken", "#f39c12", "--"),
                 ("repurchased_natural", "#3498db", "-"), ("repurchased_woken", "#2ecc71", "-"),
                 ("repurchased", "#1b2631", "-"))


def cohort_chart(timeline_df, lang: str = "en", touch_months: Mapping[str, int] | None = None) -> Figure:
    """Shares of one buying cohort over the months (%, from :func:`lifecycle.cohort_timeline`),
    with the month each service kind touches the customer marked (``lifecycle.TOUCH_MONTH``)
    and p1 written where the repurchase share settles."""
    touch = dict(TOUCH_MONTH if touch_months is None else touch_months)
    missing = {"month"} | {c for c, _, _ in _COHORT_LINES}
    missing -= set(timeline_df.columns)
    if missing:
        raise ValueError(f"cohort_chart: the DataFrame lacks the column(s) {', '.join(sorted(missing))}")
    m = timeline_df["month"].to_numpy()
    with course_style(lang) as lang:
        fig = new_figure((10, 5))
        ax = fig.subplots()
        for col, colour, ls in _COHORT_LINES:
            ax.plot(m, 100 * timeline_df[col].to_numpy(float), color=colour, ls=ls,
                    lw=2.2 if col == "repurchased" else 1.5, label=label(col, lang))
        top = 100 * float(timeline_df[[c for c, _, _ in _COHORT_LINES]].to_numpy(float).max())
        for kind, month in sorted(touch.items(), key=lambda kv: kv[1]):
            ax.axvline(month, color="#bbbbbb", lw=0.8)
            kname = label(f"kind_{kind}", lang) if f"kind_{kind}" in _LABELS else kind
            ax.annotate(f"{kname} ({month})", (month, top * 1.02), rotation=90, fontsize=7,
                        ha="right", va="bottom", color="#555555")
        settle = 12 + WAKEUP_LAG_MONTHS
        row = timeline_df[timeline_df["month"] == settle]
        if len(row):
            p1 = float(row["repurchased"].iloc[0])
            ax.plot([settle], [100 * p1], "o", color="#1b2631")
            ax.annotate(label("p1_note", lang, p1=p1), (settle, 100 * p1), xytext=(6, -12),
                        textcoords="offset points", fontsize=9)
        ax.set_xlabel(label("month", lang))
        ax.set_ylabel(label("share_pct", lang))
        ax.set_ylim(0, top * 1.25 if top > 0 else 1)
        ax.set_title(label("cohort_title", lang), loc="left")
        ax.legend(frameon=False, fontsize=8, loc="upper left", bbox_to_anchor=(1.01, 1.0))
        ax.grid(True, alpha=0.2)
    return fig


# ------------------------------------------------------------------ service economics
def service_economics_chart(ev: Evaluation, lang: str = "en") -> Figure:
    """Revenue and cost per service (万 yuan) and gross margin per service against the 60% line
    and the article's range for the service's kind."""
    from aftersales.model.ranges import effective_ranges

    with course_style(lang) as lang:
        fig = new_figure((13, 4.8))
        ax1, ax2 = fig.subplots(1, 2)
        _services_revenue_cost(ax1, ev, lang)
        _services_margin(ax2, ev, lang, ranges=effective_ranges(ev.scenario))
        fig.suptitle(label("service_econ_title", lang, scenario=ev.scenario.name,
                           method=_method_name(ev.method, lang)))
    return fig
