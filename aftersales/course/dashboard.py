"""The dashboard and the service economics chart, as figures that redraw in place.

- :class:`Dashboard` (:func:`dashboard`): the article's four panels for one evaluation: revenue
  vs cost per service, gross margin per service with a 60% line, traditional vs value-added
  after-sales, the LTV waterfall (:func:`ltv_bridge`);
- :class:`ServiceEconomics` (:func:`service_economics_chart`): revenue, cost and margin per service
  against the 60% line and the article's range for the service's kind.

Each class builds its figure once; ``update(ev)`` moves the bars, lines and texts to another
evaluation of the same scenario's services (what an explorer does on every slider move).
Money is drawn in 万 (wan, 1 万 = 10,000 yuan); labels come from :mod:`aftersales.glossary`.
"""
from __future__ import annotations

from typing import Mapping

import matplotlib
import numpy as np

from aftersales.course.style import (BAD, BASE, COST, FINAL, GOOD, REVENUE, SERVICE_COLOURS, LiveFigure,
                                     bar_labels, course_style, new_figure, set_bar_labels, sticky_ylim,
                                     wrap)
from aftersales.glossary import (entry, fmt_margin, fmt_number, fmt_signed, fmt_wan, label, scenario_name,
                                 service_name)
from aftersales.model.evaluation import Evaluation
from aftersales.model.kernel import lifetime_multiplier

__all__ = ["Dashboard", "ServiceEconomics", "dashboard", "service_economics_chart", "ltv_bridge"]

WAN = 1e4  # yuan in one wan (万)


def _wan(x: float | None) -> float:
    return float("nan") if x is None else x / WAN


def _wan_text(v: float) -> str:
    return fmt_wan(v * WAN, unit=False)


def _service_ticks(ev: Evaluation, lang: str) -> list[str]:
    return [wrap(service_name(s.name, lang, s.kind), 10) for s in ev.scenario.services]


def _rescale(ax, values, margin: float = 0.12) -> None:
    vals = [v for v in values if v == v]
    sticky_ylim(ax, min(vals, default=0.0), max(vals, default=0.0), margin)


# ------------------------------------------------------------------ panels
class _RevenueCost:
    """Revenue and cost per service, 万 yuan, each bar labelled."""

    def __init__(self, ax, ev: Evaluation, lang: str):
        self.ax = ax
        n, w = len(ev.services), 0.38
        x = np.arange(n)
        self.rev = ax.bar(x - w / 2, np.zeros(n), w, label=label("service_revenue", lang), color=REVENUE, alpha=0.85)
        self.cost = ax.bar(x + w / 2, np.zeros(n), w, label=label("service_cost", lang), color=COST, alpha=0.85)
        self.rev_labels, self.cost_labels = bar_labels(ax, n, REVENUE), bar_labels(ax, n, COST)
        self.animated = [*self.rev, *self.cost, *self.rev_labels, *self.cost_labels]
        ax.set_xticks(x, _service_ticks(ev, lang))
        ax.set_ylabel(label("wan_per_year", lang))
        ax.set_title(label("rev_vs_cost", lang), loc="left")
        ax.legend(frameon=False, loc="upper right")
        ax.grid(True, axis="y", alpha=0.2)

    def update(self, ev: Evaluation) -> None:
        rev = [_wan(s["revenue"]) for s in ev.services]
        cost = [_wan(s["cost"]) for s in ev.services]
        for bars, vals, labels in ((self.rev, rev, self.rev_labels), (self.cost, cost, self.cost_labels)):
            for b, v in zip(bars, vals):
                b.set_height(v)
            set_bar_labels(labels, bars, vals, _wan_text)
        _rescale(self.ax, rev + cost, 0.18)


class _Margin:
    """Gross margin per service (%), the 60% line and, if given, the article's ranges; a service
    priced at 0 has no margin: its bar is empty and says "free"."""

    def __init__(self, ax, ev: Evaluation, lang: str, ranges: Mapping | None = None):
        self.ax, self.lang = ax, lang
        n = len(ev.services)
        x = np.arange(n)
        colours = [SERVICE_COLOURS[i % len(SERVICE_COLOURS)] for i in range(n)]
        self.bars = ax.bar(x, np.zeros(n), color=colours, alpha=0.85)
        self.labels = [ax.annotate("", (i, 0), xytext=(0, -4), textcoords="offset points", ha="center",
                                   va="top", color="white", fontweight=matplotlib.rcParams["figure.titleweight"])
                       for i in range(n)]
        self.animated = [*self.bars, *self.labels]
        ax.axhline(60, color="#1e8449", linestyle="--", alpha=0.6, label=label("line60", lang))
        self.range_tops = []
        if ranges:
            first = True
            for i, s in enumerate(ev.scenario.services):
                r = ranges.get(s.kind, {}).get("gross_margin")
                if r is not None:
                    ax.errorbar(i, 100 * r.mid, yerr=100 * (r.high - r.low) / 2, fmt="none", ecolor="#222222",
                                capsize=6, lw=1.2, label=label("article_range", lang) if first else None)
                    self.range_tops.append(100 * r.high)
                    first = False
        ax.set_xticks(x, _service_ticks(ev, lang))
        ax.set_ylabel(label("gross_margin_pct", lang))
        ax.set_title(label("margin_title", lang), loc="left")
        ax.legend(frameon=False, loc="upper right", ncols=2)
        ax.grid(True, axis="y", alpha=0.2)

    def update(self, ev: Evaluation) -> None:
        margins = []
        for b, a, s, svc in zip(self.bars, self.labels, ev.services, ev.scenario.services):
            m = 100 * s["gross_margin"]
            margins.append(m)
            b.set_height(m)
            a.xy = (b.get_x() + b.get_width() / 2, m)
            a.set_text(fmt_margin(s["gross_margin"], svc.price, self.lang))
            inside = svc.price > 0 and abs(m) >= 12
            a.xyann = (0, (-4 if m >= 0 else 4) if inside else (3 if m >= 0 else -3))
            a.set_va(("top" if m >= 0 else "bottom") if inside else ("bottom" if m >= 0 else "top"))
            a.set_color("white" if inside else "#222222")
        top = max(margins + self.range_tops + [100.0])
        self.ax.set_ylim(min(0.0, min(margins) * 1.15), top * 1.1 if top > 100 else 105)


class _PnL:
    """Traditional net, value-added net and total effect, 万 yuan."""

    def __init__(self, ax, ev: Evaluation, lang: str):
        self.ax = ax
        names = [label("trad_net", lang), label("va_net_bar", lang), label(f"total_{ev.method}", lang)]
        self.bars = ax.bar(np.arange(3), np.zeros(3), alpha=0.85, width=0.6)
        self.labels = bar_labels(ax, 3, fontsize=9.5)
        self.animated = [*self.bars, *self.labels]
        ax.set_xticks(np.arange(3), names)
        ax.axhline(0, color="black", linewidth=0.8)
        ax.set_ylabel(label("wan_per_year", lang))
        ax.set_title(label("pnl_title", lang), loc="left")
        ax.grid(True, axis="y", alpha=0.2)

    def update(self, ev: Evaluation) -> None:
        values = [_wan(ev["traditional_net"]), _wan(ev["va_net"]), _wan(ev["total_effect"])]
        for b, v in zip(self.bars, values):
            b.set_height(v)
            b.set_color(GOOD if v >= 0 else BAD)
        set_bar_labels(self.labels, self.bars, values, _wan_text)
        _rescale(self.ax, values, 0.15)


def ltv_bridge(ev: Evaluation, lang: str = "en") -> list[tuple[str, float]]:
    """The LTV waterfall as (label, yuan per customer): start, steps..., final.

    seed: base LTV, each service's ltv_boost / N, the wake-up effect (wake-up revenue / N),
    final LTV. corrected: base LTV = a0 x M(p0), the change from retention
    a0 x (M(p1) - M(p0)), the service contribution s x M(p1), final LTV = (a0 + s) x M(p1),
    where a0 = base LTV / M(p0) and s = service contribution / N. The start plus the steps
    equal the final bar, which is ``ev["ltv_value_added"]``.

    Parameters
    ----------
    ev : Evaluation
        One evaluation (:func:`aftersales.evaluate`) of a scenario by one method.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.

    Returns
    -------
    list of (str, float)
        The bars in order, each a label (wrapped to fit under a bar) and yuan per customer.

    Notes
    -----
    M(p) = (1 + d) / (1 + d - p) is the margin multiple of a customer who buys again each year
    with probability p, discount rate d; p0 and p1 are the 12-month repurchase shares without
    and with the services, N the active customers.

    References
    ----------
    .. [1] S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive Marketing
       17(1), 9-24, 2003 (the margin multiple (1 + d) / (1 + d - r)).
    .. [2] "服装品牌售后部门转型" (the seed article): its dashboard's LTV waterfall; the ``seed``
       bridge follows its code (each service's LTV boost, then the wake-up effect).

    Examples
    --------
    >>> from aftersales import evaluate
    >>> bridge = ltv_bridge(evaluate("seed-demo", "corrected"))
    >>> [(name.replace("\\n", " "), round(v, 2)) for name, v in bridge]
    [('base LTV', 3200.0), ('retention 28% -> 40.0%', 547.18), ('service contribution', 107.45), \
('final LTV', 3854.63)]
    >>> round(sum(v for _, v in bridge[:-1]), 6) == round(bridge[-1][1], 6)
    True
    """
    f = ev.figures
    n = float(ev.scenario.brand.active_customers)
    base = ev["ltv_traditional"]
    out: list[tuple[str, float]] = [(label("base_ltv", lang), base)]
    if ev.method == "seed":
        for j, s in enumerate(ev.scenario.services):
            out.append((wrap(service_name(s.name, lang, s.kind)), float(f["ltv_boost"][0, j]) / n))
        out.append((label("wakeup_effect", lang), ev["wakeup_revenue"] / n))
    else:
        p0, p1 = ev["repurchase_12m_traditional"], ev["repurchase_12m_value_added"]
        d = ev.scenario.brand.discount_rate
        m0, m1 = lifetime_multiplier(p0, d), lifetime_multiplier(p1, d)
        a0 = base / m0
        s = ev["service_contribution"] / n
        out.append((label("retention", lang, p0=f"{p0:.0%}", p1=f"{p1:.1%}"), float(a0 * (m1 - m0))))
        out.append((label("service_contribution_step", lang), float(s * m1)))
    out.append((label("final_ltv", lang), ev["ltv_value_added"]))
    return out


class _LTV:
    """The LTV waterfall: start, floating steps (negative heights for falls), final total."""

    def __init__(self, ax, ev: Evaluation, lang: str):
        self.ax, self.lang = ax, lang
        n = len(ltv_bridge(ev, lang))
        x = np.arange(n)
        self.bars = [ax.bar(x[0], 0, color=BASE, alpha=0.85, width=0.6)[0]]
        self.bars += [ax.bar(i, 0, color=GOOD, alpha=0.85, width=0.6)[0] for i in x[1:-1]]
        self.bars.append(ax.bar(x[-1], 0, color=FINAL, alpha=0.85, width=0.6)[0])
        self.links = [ax.plot([i - 1 - 0.3, i + 0.3], [0, 0], color="#555555", lw=0.7, ls=":")[0]
                      for i in x[1:]]
        self.labels = bar_labels(ax, n)
        self.animated = [*self.bars, *self.links, *self.labels]
        ax.set_xticks(x, [""] * n)
        ax.set_ylabel(label("ltv_yuan", lang))
        ax.set_title(label("ltv_title", lang), loc="left")
        ax.grid(True, axis="y", alpha=0.2)

    def update(self, ev: Evaluation) -> None:
        steps = ltv_bridge(ev, self.lang)
        values = [v for _, v in steps]
        running = values[0]
        self.bars[0].set_height(values[0])
        for i, v in enumerate(values[1:-1], start=1):
            self.bars[i].set_y(running)
            self.bars[i].set_height(v)
            self.bars[i].set_color(GOOD if v >= 0 else BAD)
            self.links[i - 1].set_ydata([running, running])
            running += v
        self.bars[-1].set_height(values[-1])
        self.links[-1].set_ydata([running, running])
        for i, (a, b, v) in enumerate(zip(self.labels, self.bars, values)):
            a.xy = (b.get_x() + b.get_width() / 2, max(b.get_y(), b.get_y() + b.get_height()))
            a.set_text(fmt_number(v) if i in (0, len(values) - 1) else fmt_signed(v))
        self.ax.xaxis.set_ticklabels([name for name, _ in steps])
        ends = [e for b in self.bars for e in (b.get_y(), b.get_y() + b.get_height())]
        sticky_ylim(self.ax, min(ends), max(ends) if max(ends) > 0 else 1.0, 0.12)


# ------------------------------------------------------------------ figures
def _key(ev: Evaluation) -> tuple:
    return (ev.scenario.name, ev.method, tuple((s.name, s.kind) for s in ev.scenario.services))


class Dashboard(LiveFigure):
    """The article's four panels for one evaluation; ``update(ev)`` redraws in place.

    Parameters
    ----------
    ev : Evaluation
        One evaluation (:func:`aftersales.evaluate`) of a scenario by one method.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.

    Attributes
    ----------
    figure : CourseFigure
        The figure: four axes, titled with the scenario and the method.

    Raises
    ------
    TypeError
        If ``ev`` is not an Evaluation.
    ValueError
        From ``update``, if the evaluation is of another scenario (name or services) or method.

    Examples
    --------
    >>> from aftersales import evaluate, load_scenario
    >>> sc = load_scenario("seed-demo")
    >>> board = Dashboard(evaluate(sc, "corrected"))
    >>> len(board.figure.axes), board.figure.get_suptitle()
    (4, 'After-sales dashboard: seed-demo, corrected method')
    >>> board.update(evaluate(sc, "seed"))
    Traceback (most recent call last):
    ...
    ValueError: this dashboard was built for another scenario or method; build a new one
    """

    def __init__(self, ev: Evaluation, lang: str = "en"):
        if not isinstance(ev, Evaluation):
            raise TypeError(f"dashboard needs an Evaluation (aftersales.evaluate(...)), got {type(ev).__name__}")
        with course_style(lang) as used:
            self.lang, self.key = used, _key(ev)
            self.figure = fig = new_figure((9.5, 7.6))
            axes = fig.subplots(2, 2)
            self.panels = [_RevenueCost(axes[0, 0], ev, used), _Margin(axes[0, 1], ev, used),
                           _PnL(axes[1, 0], ev, used), _LTV(axes[1, 1], ev, used)]
            self.animated = [a for p in self.panels for a in p.animated]
            fig.suptitle(label("dashboard_title", used, scenario=scenario_name(ev.scenario.name, used),
                               method=entry(ev.method)))
            self._update(ev)

    def _update(self, ev: Evaluation) -> None:
        if _key(ev) != self.key:
            raise ValueError("this dashboard was built for another scenario or method; build a new one")
        for p in self.panels:
            p.update(ev)


class ServiceEconomics(LiveFigure):
    """Revenue, cost and margin per service (against the article's ranges); ``update(ev)``.

    Parameters
    ----------
    ev : Evaluation
        One evaluation (:func:`aftersales.evaluate`) of a scenario by one method.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.

    Attributes
    ----------
    figure : CourseFigure
        The figure: two axes, titled with the scenario and the method.

    Raises
    ------
    TypeError
        If ``ev`` is not an Evaluation.
    ValueError
        From ``update``, if the evaluation is of another scenario or method.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article), its service matrix (增值服务矩阵): the
       margin range per service kind drawn behind each bar.

    Examples
    --------
    >>> from aftersales import evaluate
    >>> chart = ServiceEconomics(evaluate("seed-demo", "corrected"))
    >>> len(chart.figure.axes), chart.figure.get_suptitle()
    (2, 'Service economics: seed-demo, corrected method')
    >>> ServiceEconomics("seed-demo")
    Traceback (most recent call last):
    ...
    TypeError: service_economics_chart needs an Evaluation (aftersales.evaluate(...)), got str
    """

    def __init__(self, ev: Evaluation, lang: str = "en"):
        from aftersales.model.ranges import effective_ranges

        if not isinstance(ev, Evaluation):
            raise TypeError("service_economics_chart needs an Evaluation (aftersales.evaluate(...)), "
                            f"got {type(ev).__name__}")
        with course_style(lang) as used:
            self.lang, self.key = used, _key(ev)
            self.figure = fig = new_figure((9.5, 4.4))
            ax1, ax2 = fig.subplots(1, 2)
            self.panels = [_RevenueCost(ax1, ev, used), _Margin(ax2, ev, used, effective_ranges(ev.scenario))]
            self.animated = [a for p in self.panels for a in p.animated]
            fig.suptitle(label("service_econ_title", used, scenario=scenario_name(ev.scenario.name, used),
                               method=entry(ev.method)))
            self._update(ev)

    def _update(self, ev: Evaluation) -> None:
        if _key(ev) != self.key:
            raise ValueError("this chart was built for another scenario or method; build a new one")
        for p in self.panels:
            p.update(ev)


def dashboard(ev: Evaluation, lang: str = "en"):
    """The article's four panels for one evaluation, money in 万 (10,000 yuan).

    Revenue vs cost per service; gross margin per service with a 60% line; traditional net,
    value-added net and total effect; the LTV waterfall (see :func:`ltv_bridge`). The title
    names the scenario and the method. Returns the figure (a :class:`~aftersales.course.style.CourseFigure`).

    Parameters
    ----------
    ev : Evaluation
        One evaluation (:func:`aftersales.evaluate`) of a scenario by one method.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.

    Returns
    -------
    CourseFigure
        A matplotlib figure outside pyplot (nothing to close); :class:`Dashboard` keeps it
        updatable.

    Raises
    ------
    TypeError
        If ``ev`` is not an Evaluation.

    Examples
    --------
    >>> from aftersales import evaluate
    >>> fig = dashboard(evaluate("seed-demo", "seed"))
    >>> fig.get_suptitle(), [ax.get_title(loc="left") for ax in fig.axes][3]
    ('After-sales dashboard: seed-demo, seed method', 'Customer LTV waterfall')
    """
    return Dashboard(ev, lang).figure


def service_economics_chart(ev: Evaluation, lang: str = "en"):
    """Revenue and cost per service (万 yuan) and gross margin per service against the 60% line
    and the article's range for the service's kind. Returns the figure.

    Parameters
    ----------
    ev : Evaluation
        One evaluation (:func:`aftersales.evaluate`) of a scenario by one method.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.

    Returns
    -------
    CourseFigure
        A matplotlib figure outside pyplot (nothing to close).

    Raises
    ------
    TypeError
        If ``ev`` is not an Evaluation.

    Examples
    --------
    >>> from aftersales import evaluate
    >>> fig = service_economics_chart(evaluate("seed-demo", "corrected"))
    >>> len(fig.axes), fig.axes[0].get_ylabel()
    (2, 'wan yuan (10,000 yuan) per year')
    """
    return ServiceEconomics(ev, lang).figure
