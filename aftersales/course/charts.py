"""Figures of the course: functions that return matplotlib figures (never shown here).

Every function returns a :class:`~aftersales.course.style.CourseFigure` (a
``matplotlib.figure.Figure`` that displays itself as a PNG in a notebook, without pyplot's
global state), so a notebook cell that ends with ``dashboard(ev)`` shows the figure once and a
script calls ``fig.savefig(...)``. The explorers use the classes behind them
(:class:`MethodComparison`, :class:`CohortChart`, :class:`~aftersales.course.dashboard.Dashboard`,
:class:`~aftersales.course.dashboard.ServiceEconomics`), which redraw in place.

Money is drawn in 万 (wan, 1 万 = 10,000 yuan). Labels follow the glossary's one rule
(``lang="en"`` English, ``"zh"`` Chinese, ``"both"`` "English (中文)"); Chinese needs a CJK font
and falls back to English with one warning per process when none is installed.

- :func:`dashboard`, :func:`service_economics_chart` (from :mod:`aftersales.course.dashboard`);
- :func:`method_comparison`: seed vs corrected for the key figures;
- :func:`leakage_waterfall`: one discounted return, price -> leakage -> recovery -> remake;
- :func:`tornado_chart`, :func:`grid_heatmap`, :func:`monte_carlo_chart`: the what-if tools;
- :func:`cohort_chart`: the month-by-month cohort of the lifecycle notebook.
"""
from __future__ import annotations

from typing import Any, Mapping

import numpy as np
from matplotlib.figure import Figure

from aftersales.course import style
from aftersales.course.dashboard import (Dashboard, ServiceEconomics, dashboard, ltv_bridge,
                                         service_economics_chart)
from aftersales.course.style import (BAD, BASE, FINAL, GOOD, METHOD_COLOURS, NEUTRAL, REVENUE, COST,
                                     SERVICE_COLOURS, CJK_FONTS, DPI, CourseFigure, LiveFigure, bar_labels,
                                     course_style, find_cjk_font, new_figure, set_bar_labels, sticky_ylim,
                                     to_png)
from aftersales.glossary import (LABELS, LANGS, entry, fmt_input, fmt_number, fmt_share, fmt_signed, fmt_wan,
                                 has_label, input_label, kind_name, label, scenario_name)
from aftersales.model.evaluation import Evaluation, evaluate
from aftersales.model.inputs import LeakageInputs
from aftersales.model.kernel import parse_parameter
from aftersales.model.leakage import leakage_per_item
from aftersales.model.lifecycle import TOUCH_MONTH, WAKEUP_LAG_MONTHS
from aftersales.model.scenario import load_scenario, scenario_names

__all__ = ["CourseFigure", "LiveFigure", "course_style", "new_figure", "to_png", "LANGS", "CJK_FONTS", "DPI",
           "find_cjk_font", "label", "ltv_bridge", "leakage_steps", "dashboard", "method_comparison",
           "leakage_waterfall", "tornado_chart", "grid_heatmap", "monte_carlo_chart", "cohort_chart",
           "service_economics_chart", "Dashboard", "ServiceEconomics", "MethodComparison", "CohortChart",
           "SERVICE_COLOURS", "METHOD_COLOURS", "REVENUE", "COST", "GOOD", "BAD", "BASE", "FINAL", "NEUTRAL"]

WAN = 1e4  # yuan in one wan (万)
_LABELS = LABELS  # the glossary's table (kept under its old name for old notebooks)


def _wan(x: float | None) -> float:
    return float("nan") if x is None else x / WAN


def _wan_text(v: float) -> str:
    return fmt_wan(v * WAN, unit=False)


# ------------------------------------------------------------------ seed vs corrected
_COMPARED = (("service_revenue", "service_revenue"), ("va_cost", "va_cost_bar"), ("va_net", "va_net_bar"),
             ("wakeup_revenue", "wakeup_revenue_bar"), ("total_effect", "total_effect_bar"))


def _both(scenario_or_evaluations) -> dict[str, Evaluation]:
    if isinstance(scenario_or_evaluations, Mapping):
        evs = dict(scenario_or_evaluations)
        missing = {"seed", "corrected"} - set(evs)
        if missing:
            raise ValueError(f"evaluations need the keys seed and corrected; missing {sorted(missing)}")
        return evs
    sc = load_scenario(scenario_or_evaluations)
    return {"seed": evaluate(sc, "seed"), "corrected": evaluate(sc, "corrected")}


class MethodComparison(LiveFigure):
    """Seed vs corrected: five P&L figures (万 yuan) and LTV (yuan); ``update(evs)`` in place.

    The left axes hold service revenue, value-added cost, value-added net, wake-up revenue and
    total effect, a bar per method; the right axes the LTV of each method against the base
    (traditional) LTV, a dashed line named under the panel, so no legend covers a bar.

    Parameters
    ----------
    evs : mapping of str to Evaluation
        ``{"seed": Evaluation, "corrected": Evaluation}`` of one scenario
        (:func:`aftersales.evaluate`); other keys are ignored.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.

    Attributes
    ----------
    figure : CourseFigure
        The figure: two axes, titled with the scenario's name.
    bars, labels, ltv : dict of str to list
        Per method: the five bars (万 yuan a year), their value labels and the LTV bar (yuan).

    Raises
    ------
    KeyError
        If ``evs`` lacks ``"seed"`` or ``"corrected"`` (:func:`method_comparison` checks first
        and says which is missing).

    Notes
    -----
    ``update`` does not check that the new evaluations are of the same scenario: the bars move,
    the title keeps the name the chart was built with (the explorers build a new chart when the
    scenario changes).

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its ``compare_after_sales_models`` (the
       ``seed`` method), set against this course's corrected method.

    Examples
    --------
    >>> from aftersales import evaluate, load_scenario
    >>> sc = load_scenario("seed-demo")
    >>> chart = MethodComparison({m: evaluate(sc, m) for m in ("seed", "corrected")})
    >>> chart.figure.get_suptitle(), [a.get_text() for a in chart.labels["corrected"]]
    ('Seed vs corrected: seed-demo', ['929.9', '1,072.7', '-142.8', '1,724.3', '891.8'])
    >>> [a.get_text() for a in chart.ltv_labels]            # LTV, yuan: seed, corrected
    ['3,733', '3,855']
    >>> from aftersales.course.controls import scenario_with
    >>> dearer = scenario_with(sc, {"service[Basic remake].price": 400.0})
    >>> chart = chart.update({m: evaluate(dearer, m) for m in ("seed", "corrected")})
    >>> [a.get_text() for a in chart.labels["corrected"]][0]   # service revenue, moved in place
    '999.0'
    """

    def __init__(self, evs: Mapping[str, Evaluation], lang: str = "en"):
        with course_style(lang) as used:
            self.lang, self.scenario = used, evs["corrected"].scenario.name
            self.figure = fig = new_figure((9.5, 4.4))
            ax, ax2 = fig.subplots(1, 2, gridspec_kw={"width_ratios": [5, 1.5]})
            self.ax, self.ax2 = ax, ax2
            x, w = np.arange(len(_COMPARED)), 0.38
            self.bars, self.labels, self.ltv = {}, {}, {}
            for k, method in enumerate(("seed", "corrected")):
                self.bars[method] = ax.bar(x + (k - 0.5) * w, np.zeros(len(x)), w, color=METHOD_COLOURS[method],
                                           label=label(method, used))
                self.labels[method] = bar_labels(ax, len(x), fontsize=8)
                self.ltv[method] = ax2.bar(k, 0.0, 0.6, color=METHOD_COLOURS[method])
            self.ltv_labels = bar_labels(ax2, 2, fontsize=8)
            self.animated = [b for m in ("seed", "corrected") for b in (*self.bars[m], self.ltv[m][0])]
            self.animated += [a for m in ("seed", "corrected") for a in self.labels[m]] + self.ltv_labels
            ax.axhline(0, color="black", lw=0.8)
            ax.set_xticks(x, [label(lab, used) for _, lab in _COMPARED])
            ax.set_ylabel(label("wan_per_year", used))
            ax.legend(frameon=False, loc="upper left")
            ax.grid(True, axis="y", alpha=0.2)
            self.base_line = ax2.axhline(0.0, color=NEUTRAL, ls="--", lw=1, label=label("base_ltv", used))
            ax2.set_xticks([0, 1], [label("seed", used), label("corrected", used)])
            ax2.set_ylabel(label("ltv_yuan", used))
            ax2.set_title("LTV", loc="left")
            ax2.legend(frameon=False, loc="upper center", bbox_to_anchor=(0.5, -0.1))
            self.animated.append(self.base_line)
            fig.suptitle(label("comparison_title", used, scenario=scenario_name(self.scenario, used)))
            self._update(evs)

    def _update(self, evs: Mapping[str, Evaluation]) -> None:
        for method in ("seed", "corrected"):
            vals = [_wan(evs[method][key]) for key, _ in _COMPARED]
            for b, v in zip(self.bars[method], vals):
                b.set_height(0.0 if v != v else v)
            set_bar_labels(self.labels[method], self.bars[method], vals, _wan_text)
            self.ltv[method][0].set_height(evs[method]["ltv_value_added"])
        set_bar_labels(self.ltv_labels, [self.ltv["seed"][0], self.ltv["corrected"][0]],
                       [evs[m]["ltv_value_added"] for m in ("seed", "corrected")], fmt_number)
        self.base_line.set_ydata([evs["corrected"]["ltv_traditional"]] * 2)
        vals = [_wan(evs[m][key]) for m in ("seed", "corrected") for key, _ in _COMPARED]
        vals = [v for v in vals if v == v]
        sticky_ylim(self.ax, min(vals), max(vals), 0.12)
        ltv = [evs[m]["ltv_value_added"] for m in ("seed", "corrected")] + [evs["corrected"]["ltv_traditional"]]
        sticky_ylim(self.ax2, min(ltv), max(ltv), 0.12)


def method_comparison(scenario, lang: str = "en") -> Figure:
    """Seed vs corrected side by side: service revenue, value-added cost, value-added net,
    wake-up revenue, total effect (万 yuan, left) and LTV (yuan, right).

    Parameters
    ----------
    scenario : Scenario, str, path or mapping of str to Evaluation
        A Scenario, a shipped name or a path (evaluated by both methods here), or
        ``{"seed": Evaluation, "corrected": Evaluation}`` already computed.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.

    Returns
    -------
    CourseFigure
        A matplotlib figure outside pyplot (nothing to close); :class:`MethodComparison` keeps
        it updatable.

    Raises
    ------
    ValueError
        If a mapping lacks ``"seed"`` or ``"corrected"`` (the message names the missing keys).

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its ``compare_after_sales_models`` (the
       ``seed`` method), set against this course's corrected method.

    Examples
    --------
    >>> fig = method_comparison("seed-demo")
    >>> fig.get_suptitle(), len(fig.axes), fig.axes[1].get_ylabel()
    ('Seed vs corrected: seed-demo', 2, 'LTV, yuan per customer')
    >>> [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    ['seed', 'corrected']
    >>> from aftersales import evaluate
    >>> method_comparison({"seed": evaluate("seed-demo", "seed")})
    Traceback (most recent call last):
    ...
    ValueError: evaluations need the keys seed and corrected; missing ['corrected']
    """
    return MethodComparison(_both(scenario), lang).figure


# ------------------------------------------------------------------ value leakage
def leakage_steps(inputs: LeakageInputs, method: str = "corrected", route: str = "own",
                  lang: str = "en") -> list[tuple[str, float]]:
    """The leakage waterfall of one item as (label, yuan): price, -leakage, recovered on resale,
    +remake fee, -remake cost (0 in the seed method, which leaves it out), remake recovery.

    Parameters
    ----------
    inputs : LeakageInputs
        The return: original price P (yuan), recovery rate rho (share 0-1 of P recovered on
        resale), the two remake fees (yuan) and the remake unit cost k (yuan per item).
    method : {"corrected", "seed"}, optional
        ``"corrected"`` (default) subtracts k; ``"seed"`` follows the article, which leaves it
        out (the step is then 0, labelled "left out").
    route : {"own", "new"}, optional
        Remade for the own customer (default) or for a new one: which fee is charged.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); labels are wrapped to fit under a bar.

    Returns
    -------
    list of (str, float)
        Six steps in yuan per item: price, leakage (negative), recovered (a subtotal),
        fee, remake cost (negative, ``-0.0`` by the seed method), remake recovery (the total).

    Raises
    ------
    ValueError
        If ``route`` is neither ``"own"`` nor ``"new"``, or ``method`` neither ``"seed"`` nor
        ``"corrected"``.

    Notes
    -----
    With R = rho x P: P - (P - R) = R, the recovered subtotal; R + fee - k is the remake
    recovery (:func:`aftersales.model.leakage.leakage_per_item`). The steps between the
    subtotals add up: R + fee - k equals the last value.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article), section 价值泄漏 (value leakage): a 1500-yuan
       item resold for 225 yuan; remade for 300 or 500 yuan more.

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> coat = load_scenario("seed-demo").leakage       # 1500 yuan, 15 % recovered, k = 100
    >>> [(name.replace("\\n", " "), v) for name, v in leakage_steps(coat)]
    [('original price', 1500.0), ('leakage (vs price)', -1275.0), ('recovered on discounted resale', 225.0), \
('+ remake fee', 300.0), ('- remake cost', -100.0), ('remake recovery', 425.0)]
    >>> [v for _, v in leakage_steps(coat, "seed", "new")][3:]
    [500.0, -0.0, 725.0]
    """
    if route not in ("own", "new"):
        raise ValueError(f"route must be 'own' or 'new', got {route!r}")
    fig = leakage_per_item(inputs, method)
    fee = inputs.remake_fee_own_customer if route == "own" else inputs.remake_fee_new_customer
    k = 0.0 if method == "seed" else inputs.remake_unit_cost
    final = fig["remake_own_recovery" if route == "own" else "remake_new_recovery"]
    return [(label("original_price", lang), inputs.original_price),
            (label("leakage_step", lang), -fig["leakage_vs_price"]),
            (label("recovered", lang), fig["traditional_recovery"]),
            (label("remake_fee", lang), fee),
            (label("remake_cost_seed" if method == "seed" else "remake_cost", lang), -k),
            (label("remake_recovery", lang), final)]


def leakage_waterfall(scenario_or_inputs, method: str = "corrected", route: str = "own",
                      lang: str = "en") -> Figure:
    """One discounted return in yuan: price -> leakage -> recovered on resale (a subtotal)
    -> + remake fee -> - remake cost -> recovery by remake, with the cost of goods marked
    (leakage against price vs accounting loss against cost of goods).

    Parameters
    ----------
    scenario_or_inputs : Scenario, str, path or LeakageInputs
        A Scenario (or a shipped name or path) with a ``[leakage]`` table, or the
        LeakageInputs themselves (then the title names no scenario).
    method : {"corrected", "seed"}, optional
        ``"corrected"`` (default) subtracts the remake unit cost k; ``"seed"`` leaves it out.
    route : {"own", "new"}, optional
        Remade for the own customer (default) or a new one: which fee is charged.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.

    Returns
    -------
    CourseFigure
        A matplotlib figure outside pyplot (nothing to close): one axes, yuan per item.

    Raises
    ------
    ValueError
        If the scenario has no ``[leakage]`` table, or ``method`` or ``route`` is not one of
        the choices.

    Notes
    -----
    The bars are :func:`leakage_steps`: price, recovered and remake recovery stand on 0, the
    other steps float from the running total. The dashed line is the cost of goods,
    P x cogs_ratio: leakage is read against the price, the accounting loss against that line.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article), section 价值泄漏 (value leakage): a 1500-yuan
       item resold for 225 yuan; remade for 300 or 500 yuan more.

    Examples
    --------
    >>> fig = leakage_waterfall("seed-demo")
    >>> ax = fig.axes[0]
    >>> ax.get_title(loc="left")
    'Value of one discounted return, remade for the own customer (corrected method) - seed-demo'
    >>> [t.get_text() for t in ax.texts], ax.get_legend().get_texts()[0].get_text()
    (['1,500', '-1,275', '225', '+300', '-100', '425'], 'cost of goods (600)')
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
        fig = new_figure((9.5, 4.8))
        ax = fig.subplots()
        vals = [v for _, v in steps]
        totals = {0: BASE, 2: NEUTRAL, 5: FINAL}
        patches, running = [], 0.0
        for i, v in enumerate(vals):
            if i in totals:
                patches.append(ax.bar(i, v, color=totals[i], alpha=0.85, width=0.6)[0])
                running = v
            else:
                patches.append(ax.bar(i, v, bottom=running, color=GOOD if v >= 0 else BAD, alpha=0.85, width=0.6)[0])
                running += v
        for i, (p, v) in enumerate(zip(patches, vals)):
            top = max(p.get_y(), p.get_y() + p.get_height())
            ax.annotate(fmt_number(v) if i in totals else fmt_signed(v), (p.get_x() + p.get_width() / 2, top),
                        xytext=(0, 3), textcoords="offset points", ha="center", va="bottom", fontsize=9)
        cogs = inputs.original_price * inputs.cogs_ratio
        ax.axhline(cogs, color="#8e44ad", ls="--", lw=1, label=f"{label('cogs_line', lang)} ({fmt_number(cogs)})")
        ax.set_xticks(np.arange(len(steps)), [n for n, _ in steps])
        ax.set_ylabel(label("yuan_per_item", lang))
        ax.legend(frameon=False)
        ax.grid(True, axis="y", alpha=0.2)
        ends = [e for p in patches for e in (p.get_y(), p.get_y() + p.get_height())]
        ax.set_ylim(min(0.0, min(ends)) * 1.1, max(max(ends), cogs) * 1.12)
        title = label("leakage_title", lang, route=entry(f"route_{route}"), method=entry(method))
        ax.set_title(title + (f" - {scenario_name(name, lang)}" if name else ""), loc="left")
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
        return 1.0, label("yuan_axis", lang), fmt_number
    if figure in _PEOPLE_FIGURES:
        return 1.0, label("people_axis", lang), fmt_number
    return WAN, label("wan_axis", lang), lambda v: fmt_number(v, 1)


def _figure_name(figure: str, lang: str) -> str:
    return label(figure, lang) if has_label(figure) else figure.replace("_", " ")


def _kinds(scenario: str | None) -> dict[str, str]:
    """Service name -> kind of a shipped scenario (for Chinese names of its services)."""
    if scenario and scenario in scenario_names():
        return {s.name: s.kind for s in load_scenario(scenario).services}
    return {}


def parameter_label(path: str, lang: str = "en", kinds: Mapping[str, str] | None = None) -> str:
    """The label of an input name in ``lang``: ``service[Basic remake].price`` -> ``基础旧衣改造:价格``."""
    table, service, fld = parse_parameter(path)
    if table == "scale":
        return input_label(fld, lang, "*")
    return input_label(fld, lang, service, (kinds or {}).get(service or ""))


def _fmt_input(path: str, v: float) -> str:
    try:
        table, _, fld = parse_parameter(str(path))
    except KeyError:
        table, fld = "", str(path)
    return fmt_input(fld, v, scale=table == "scale")


def tornado_chart(df, lang: str = "en", top: int | None = 15) -> Figure:
    """Horizontal bars from the base figure to the figure at each input's low and high end.

    The largest swing is on top. Where the scenario's own value lies outside the range (both
    ends move the figure the same way) the row's two bars are drawn side by side, half height
    each, and its label is starred with a note under the chart.

    Parameters
    ----------
    df : pandas.DataFrame
        The DataFrame of :func:`aftersales.model.sensitivity.tornado`: columns ``label``,
        ``low_value``, ``high_value`` (the input's ends, in its unit), ``figure_low``,
        ``figure_high`` (the figure there, in its unit: yuan, share or people), ``swing`` and,
        optionally, ``parameter``; ``attrs["base_figure"]`` (required), ``attrs["figure"]``
        (default ``"total_effect"``) and ``attrs["scenario"]``.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); rows are named by ``label`` in English and
        by the glossary's input names otherwise.
    top : int or None, optional
        Keep the ``top`` largest swings (default 15); None keeps every row.

    Returns
    -------
    CourseFigure
        A matplotlib figure outside pyplot (nothing to close): one axes, two bars a row.

    Raises
    ------
    ValueError
        If a column or ``attrs["base_figure"]`` is missing (the message names it).

    Notes
    -----
    Money figures are drawn in 万 (bars from base / 10,000), shares in percent, head counts as
    they are. Rows of equal swing keep their order (a stable sort).

    References
    ----------
    .. [1] R. T. Clemen and T. Reilly, *Making Hard Decisions* (sensitivity analysis,
       tornado diagrams).
    .. [2] "服装品牌售后部门转型" (the seed article): its service matrix (增值服务矩阵) gives the
       ranges swung.

    Examples
    --------
    >>> from aftersales.model.sensitivity import tornado
    >>> fig = tornado_chart(tornado("seed-demo"), top=3)
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.get_yticklabels()]        # bottom to top: largest swing on top
    ['Repair & refresh: price', 'Deep clean & care: price', 'order value']
    >>> ax.get_xlabel(), len(ax.patches)
    ('total effect, wan yuan (10,000 yuan) (base 891.8)', 6)
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
    kinds = _kinds(df.attrs.get("scenario"))
    with course_style(lang) as lang:
        div, unit, fmt = _figure_scale(figure, lang)
        fig = new_figure((9.5, 1.5 + 0.42 * len(data)))
        ax = fig.subplots()
        y = np.arange(len(data))
        lo = (data["figure_low"].to_numpy(float) - base) / div
        hi = (data["figure_high"].to_numpy(float) - base) / div
        b0 = base / div
        params = list(data["parameter"]) if "parameter" in data.columns else [""] * len(data)
        colours = {"low": "#e67e22", "high": "#2980b9"}
        names, outside_any = [], False
        rows = zip(y, lo, hi, data["low_value"], data["high_value"], params, data["label"])
        for yi, l, h, lv, hv, path, lab in rows:
            outside = l * h > 0  # both ends on the same side of the base: the base lies outside the range
            outside_any |= outside
            for end, d, v, off in (("low", l, lv, 0.18), ("high", h, hv, -0.18)):
                yy = yi + (off if outside else 0)
                ax.barh(yy, d, left=b0, color=colours[end], alpha=0.9, height=0.34 if outside else 0.7)
                ax.annotate(_fmt_input(path, v), (b0 + d, yy), xytext=(3 if d >= 0 else -3, 0),
                            textcoords="offset points", va="center", ha="left" if d >= 0 else "right",
                            fontsize=7.5, color="#333333")
            name = parameter_label(path, lang, kinds) if path and lang != "en" else str(lab)
            names.append(name + (" *" if outside else ""))
        from matplotlib.patches import Patch
        handles = [Patch(color=colours["low"], label=label("low_input", lang)),
                   Patch(color=colours["high"], label=label("high_input", lang))]
        ax.axvline(b0, color="black", lw=0.9)
        ax.set_yticks(y, names)
        name = _figure_name(figure, lang)
        ax.set_xlabel(f"{name}, {unit} ({label('base', lang)} {fmt(b0)})")
        ax.set_title(label("tornado_title", lang, figure=entry(figure) if has_label(figure) else name), loc="left")
        ax.legend(handles=handles, frameon=False, loc="lower right")
        ax.grid(True, axis="x", alpha=0.2)
        ax.margins(x=0.15)
        if outside_any:
            fig.text(0.01, 0.005, label("outside_range", lang), fontsize=8, ha="left", va="bottom", color="#555555")
            fig.get_layout_engine().set(rect=(0, 0.05, 1, 0.95))
    return fig


def grid_heatmap(df, lang: str = "en") -> Figure:
    """A two-way data table as a heat map with every cell written in; 0 (break-even) is white
    when the figure changes sign.

    Parameters
    ----------
    df : pandas.DataFrame
        :func:`aftersales.model.sensitivity.grid`'s DataFrame: the figure (yuan, share or
        people) for each row value and column value; ``attrs`` give ``figure`` (default
        ``"va_net"``), ``row_param``, ``col_param`` (default: the index's and columns' names)
        and ``scenario``.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.

    Returns
    -------
    CourseFigure
        A matplotlib figure outside pyplot (nothing to close): the map and its colour bar.

    Notes
    -----
    Money is written in 万 (value / 10,000). When the cells change sign the colours diverge
    around 0 (red loss, green gain); otherwise one colour scale is used, green for gains and
    red for losses. Each cell's text is white on a dark cell (luminance
    0.299 R + 0.587 G + 0.114 B < 0.5), black otherwise.

    Examples
    --------
    >>> from aftersales.model.sensitivity import grid
    >>> g = grid("seed-demo", "scale.price", [1.0, 1.2], "scale.acceptance", [1.0, 1.2])
    >>> fig = grid_heatmap(g)
    >>> ax = fig.axes[0]
    >>> [t.get_text() for t in ax.texts]          # wan yuan; 1.2 x both breaks even
    ['-142.8', '-33.4', '43.2', '189.8']
    >>> ax.get_ylabel(), ax.get_xlabel(), fig.axes[1].get_ylabel()
    ('all services: price x', 'all services: acceptance x', 'value-added net, wan yuan (10,000 yuan)')
    """
    from matplotlib.colors import TwoSlopeNorm

    figure = df.attrs.get("figure", "va_net")
    row_param = str(df.attrs.get("row_param", df.index.name or "rows"))
    col_param = str(df.attrs.get("col_param", df.columns.name or "columns"))
    kinds = _kinds(df.attrs.get("scenario"))

    def axis_name(path: str) -> str:
        try:
            return parameter_label(path, lang, kinds)
        except KeyError:
            return path

    with course_style(lang) as lang:
        div, unit, fmt = _figure_scale(figure, lang)
        vals = df.to_numpy(float) / div
        fig = new_figure((1.8 + 1.05 * vals.shape[1], 1.5 + 0.5 * vals.shape[0]))
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
                ax.text(j, i, fmt(vals[i, j]), ha="center", va="center", fontsize=8.5,
                        color="white" if dark else "black")
        ax.set_xticks(np.arange(vals.shape[1]), [_fmt_input(col_param, c) for c in df.columns])
        ax.set_yticks(np.arange(vals.shape[0]), [_fmt_input(row_param, r) for r in df.index])
        ax.set_xlabel(axis_name(col_param))
        ax.set_ylabel(axis_name(row_param))
        name = _figure_name(figure, lang)
        fig.colorbar(im, ax=ax, label=f"{name}, {unit}")
        title = label("grid_title", lang, figure=entry(figure) if has_label(figure) else name)
        ax.set_title(title[:1].upper() + title[1:], loc="left")
        ax.spines[:].set_visible(False)
    return fig


def monte_carlo_chart(result, lang: str = "en", bins: int = 60) -> Figure:
    """Histogram of the total effect over the draws (万 yuan) with p5, p50, p95, the traditional
    net, and the probability that value-added beats traditional from ``result.summary()``.

    Parameters
    ----------
    result : MonteCarloResult
        What :func:`aftersales.model.montecarlo.simulate` returns (yuan a year per draw).
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.
    bins : int, optional
        Bars of the histogram (default 60).

    Returns
    -------
    CourseFigure
        A matplotlib figure outside pyplot (nothing to close): one axes.

    Notes
    -----
    The traditional line is the median of the draws' traditional net. The box gives
    P(total effect > traditional net) and, when the summary has it, P(break-even) =
    (1/n) sum_k 1[value-added net_k >= 0].

    References
    ----------
    .. [1] D. Vose, *Risk Analysis: A Quantitative Guide*, 2008 (uncertainty drawn, decisions
       held).

    Examples
    --------
    >>> from aftersales.model.montecarlo import simulate
    >>> fig = monte_carlo_chart(simulate("seed-demo", draws=2_000, seed=0))
    >>> ax = fig.axes[0]
    >>> ax.get_title(loc="left")
    'Total effect over 2,000 draws (corrected method)'
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['p5 747.1', 'p50 892.2', 'p95 1,039.6', 'traditional net -680.0']
    >>> print(ax.texts[0].get_text())
    P(value-added beats traditional) = 100.0%
    P(value-added net >= 0) = 0.0%
    """
    summary = result.summary()
    te = np.asarray(result.total_effect, float) / WAN
    trad = float(np.median(np.asarray(result.traditional_net, float))) / WAN
    with course_style(lang) as lang:
        fig = new_figure((9.5, 4.8))
        ax = fig.subplots()
        ax.hist(te, bins=bins, color="#5dade2", alpha=0.85)
        for key, ls in (("p5", ":"), ("p50", "-"), ("p95", ":")):
            v = summary[key] / WAN
            ax.axvline(v, color="#1b4f72", ls=ls, lw=1.2, label=f"{key} {fmt_number(v, 1)}")
        ax.axvline(trad, color=BAD, ls="--", lw=1.5, label=f"{label('traditional_line', lang)} {fmt_number(trad, 1)}")
        text = label("p_beats", lang, p=summary["prob_value_added_beats_traditional"])
        if "prob_break_even" in summary:
            text += "\n" + label("p_break_even", lang, p=summary["prob_break_even"])
        ax.text(0.02, 0.97, text, transform=ax.transAxes, va="top", ha="left", fontsize=9,
                bbox={"boxstyle": "round", "fc": "white", "ec": "#cccccc"})
        ax.set_xlabel(f"{_figure_name('total_effect', lang)}, {label('wan_per_year', lang)}")
        ax.set_ylabel(label("draws", lang))
        ax.set_title(label("mc_title", lang, draws=int(summary.get("draws", te.size)),
                           method=entry(summary.get("method", "corrected"))), loc="left")
        ax.legend(frameon=False, loc="upper right")
        ax.grid(True, axis="y", alpha=0.2)
    return fig


# ------------------------------------------------------------------ lifecycle
_COHORT_LINES = (("touched", "#95a5a6", ":"), ("woken", "#f39c12", "--"),
                 ("repurchased_natural", "#3498db", "-"), ("repurchased_woken", "#2ecc71", "-"),
                 ("repurchased", "#1b2631", "-"))


class CohortChart(LiveFigure):
    """Shares of one buying cohort over the months; ``update(timeline_df)`` moves the lines
    and the p1 mark.

    Parameters
    ----------
    timeline_df : pandas.DataFrame
        :func:`aftersales.model.lifecycle.cohort_timeline`: columns ``month`` and the shares
        0-1 ``touched``, ``woken``, ``repurchased_natural``, ``repurchased_woken``,
        ``repurchased``.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.
    touch_months : mapping of str to int, optional
        Service kind -> month it touches the customer, marked by a vertical line (default
        :data:`aftersales.model.lifecycle.TOUCH_MONTH`, every kind).

    Attributes
    ----------
    figure : CourseFigure
        The figure: one axes, shares in percent.
    lines : dict of str to Line2D
        One line per column of the timeline.

    Raises
    ------
    ValueError
        If the timeline lacks a column (the message names it), when built or updated.

    Notes
    -----
    p1 is marked at month 12 + WAKEUP_LAG_MONTHS (14): the repurchase share there equals the
    closed form's p1 = p0 + (1 - p0) x omega x c. A timeline too short to reach that month
    shows no mark. The service marks are drawn once, at construction.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its timeline (remake at month 8, clean at
       month 12, second purchase at month 14).

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> from aftersales.model.lifecycle import cohort_timeline
    >>> sc = load_scenario("seed-demo")
    >>> chart = CohortChart(cohort_timeline(sc), touch_months={"remake": 8})
    >>> chart.p1_text.get_text(), [t.get_text() for t in chart.ax.texts][0]
    ('p1 = 40.0%', 'remake (8)')
    >>> chart = chart.update(cohort_timeline(sc, months=12))   # too short to reach month 14
    >>> chart.p1_text.get_text()
    ''
    """

    def __init__(self, timeline_df, lang: str = "en", touch_months: Mapping[str, int] | None = None):
        self.touch = dict(TOUCH_MONTH if touch_months is None else touch_months)
        self._check(timeline_df)
        with course_style(lang) as used:
            self.lang = used
            self.figure = fig = new_figure((9.5, 4.6))
            self.ax = ax = fig.subplots()
            self.lines = {col: ax.plot([], [], color=c, ls=ls, lw=2.2 if col == "repurchased" else 1.5,
                                       label=label(col, used))[0] for col, c, ls in _COHORT_LINES}
            self.marks = []
            for kind, month in sorted(self.touch.items(), key=lambda kv: kv[1]):
                ax.axvline(month, color="#bbbbbb", lw=0.8)
                self.marks.append(ax.annotate(f"{kind_name(kind, used)} ({month})", (month, 0.82), rotation=90,
                                              xycoords=("data", "axes fraction"), fontsize=8, ha="right",
                                              va="bottom", color="#555555"))
            self.p1_dot = ax.plot([], [], "o", color="#1b2631")[0]
            self.p1_text = ax.annotate("", (0, 0), xytext=(6, -12), textcoords="offset points", fontsize=9)
            self.animated = [*self.lines.values(), self.p1_dot, self.p1_text]
            ax.set_xlabel(label("month", used))
            ax.set_ylabel(label("share_pct", used))
            ax.set_title(label("cohort_title", used), loc="left")
            ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.01, 1.0))
            ax.grid(True, alpha=0.2)
            self._update(timeline_df)

    @staticmethod
    def _check(df) -> None:
        missing = ({"month"} | {c for c, _, _ in _COHORT_LINES}) - set(df.columns)
        if missing:
            raise ValueError(f"cohort_chart: the DataFrame lacks the column(s) {', '.join(sorted(missing))}")

    def _update(self, df) -> None:
        self._check(df)
        m = df["month"].to_numpy()
        for col, line in self.lines.items():
            line.set_data(m, 100 * df[col].to_numpy(float))
        top = 100 * float(df[[c for c, _, _ in _COHORT_LINES]].to_numpy(float).max())
        row = df[df["month"] == 12 + WAKEUP_LAG_MONTHS]
        if len(row):
            p1 = float(row["repurchased"].iloc[0])
            self.p1_dot.set_data([12 + WAKEUP_LAG_MONTHS], [100 * p1])
            self.p1_text.xy = (12 + WAKEUP_LAG_MONTHS, 100 * p1)
            self.p1_text.set_text(label("p1_note", self.lang, p1=p1))
        else:
            self.p1_dot.set_data([], [])
            self.p1_text.set_text("")
        self.ax.set_xlim(float(m.min()) - 0.5, float(m.max()) + 0.5)
        sticky_ylim(self.ax, 0.0, top * 1.1 if top > 0 else 1.0, 0.12)


def cohort_chart(timeline_df, lang: str = "en", touch_months: Mapping[str, int] | None = None) -> Figure:
    """Shares of one buying cohort over the months (%, from :func:`lifecycle.cohort_timeline`),
    with the month each service kind touches the customer marked (``lifecycle.TOUCH_MONTH``)
    and p1 written where the repurchase share settles.

    Parameters
    ----------
    timeline_df : pandas.DataFrame
        :func:`aftersales.model.lifecycle.cohort_timeline`: ``month`` and the shares 0-1
        ``touched``, ``woken``, ``repurchased_natural``, ``repurchased_woken``, ``repurchased``.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.
    touch_months : mapping of str to int, optional
        Service kind -> month marked (default ``lifecycle.TOUCH_MONTH``, every kind, whether
        or not the scenario offers it).

    Returns
    -------
    CourseFigure
        A matplotlib figure outside pyplot (nothing to close); :class:`CohortChart` keeps it
        updatable.

    Raises
    ------
    ValueError
        If the timeline lacks a column (the message names it).

    Notes
    -----
    At month 12 + 2 the repurchase share is p1 = p0 + (1 - p0) x omega x c, with omega the
    share woken by at least one service and c the wake-up conversion.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its timeline (remake at month 8, clean at
       month 12, second purchase at month 14).

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> from aftersales.model.lifecycle import cohort_timeline
    >>> fig = cohort_chart(cohort_timeline(load_scenario("seed-demo")))
    >>> ax = fig.axes[0]
    >>> ax.get_title(loc="left"), ax.get_xlabel(), len(ax.get_legend().get_texts())
    ('One buying cohort, month by month', 'month after purchase', 5)
    >>> [t.get_text() for t in ax.texts]
    ['seasonal storage (6)', 'remake (8)', 'repair (10)', 'deep cleaning and care (12)', 'p1 = 40.0%']
    """
    return CohortChart(timeline_df, lang, touch_months).figure
