"""Figures of notebook 07 (real customers), drawn from a :func:`aftersales.customers.customer_report`.

Each function takes the report dict (with ``tracking`` for :func:`tracking_chart`) and returns a
course figure; labels in English, Chinese or both (``lang``), lower-case axis labels.
"""
from __future__ import annotations

import numpy as np

from aftersales.course.charts import course_style, new_figure
from aftersales.glossary import CUSTOMER_CHART_WORDS

__all__ = ["repurchase_chart", "retention_chart", "called_gone_chart", "ltv_chart", "tracking_chart"]

#: The charts' words (English, Chinese): the glossary's table.
_T = CUSTOMER_CHART_WORDS


def _t(key: str, lang: str) -> str:
    en, zh = _T[key]
    return zh if lang == "zh" else f"{en} ({zh})" if lang == "both" else en


def _pct(ax) -> None:
    from matplotlib.ticker import PercentFormatter
    ax.yaxis.set_major_formatter(PercentFormatter(1.0, decimals=0))


def repurchase_chart(report: dict, lang: str = "en"):
    """The repurchase curve: share who bought again within 30, 90, 182 and 365 days.

    Parameters
    ----------
    report : dict
        A customers report (:func:`aftersales.customers.report.customer_report`); reads
        ``report["repurchase"]``, ``{"within_<days>d": share 0-1}`` in increasing days.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.

    Returns
    -------
    CourseFigure
        A matplotlib figure outside pyplot (nothing to close), shown as a PNG by Jupyter.

    Notes
    -----
    The curve starts at (0 days, 0 %); each point is annotated with its share, rounded to a
    whole percent.

    Examples
    --------
    >>> fig = repurchase_chart({"repurchase": {"within_30d": 0.17, "within_90d": 0.29,
    ...                                         "within_182d": 0.38, "within_365d": 0.46}})
    >>> ax = fig.axes[0]
    >>> len(ax.lines), ax.get_xlabel()
    (1, 'days after the first purchase')
    >>> [t.get_text() for t in ax.texts]
    ['17%', '29%', '38%', '46%']
    """
    with course_style(lang) as used:
        fig = new_figure((6, 3.5))
        ax = fig.add_subplot()
        days = [int(k.removeprefix("within_").removesuffix("d")) for k in report["repurchase"]]
        vals = list(report["repurchase"].values())
        ax.plot([0] + days, [0] + vals, marker="o", color="C0")
        for d, v in zip(days, vals):
            ax.annotate(f"{v:.0%}", (d, v), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=9)
        ax.set_xlabel(_t("days", used))
        ax.set_ylabel(_t("share_again", used))
        ax.set_xticks(days)
        ax.set_ylim(0, max(vals) * 1.2 if vals else 1)
        _pct(ax)
    return fig


def retention_chart(report: dict, lang: str = "en"):
    """Active share of the first-quarter cohort, quarter by quarter, observed against geometric.

    Parameters
    ----------
    report : dict
        A customers report; reads ``quarterly_active_share`` and ``geometric_active_share``,
        shares 0-1 per quarter (quarter 1 first), of the same length.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.

    Returns
    -------
    CourseFigure
        A matplotlib figure outside pyplot (nothing to close), shown as a PNG by Jupyter.

    Notes
    -----
    The geometric line is the course's constant-retention model, r^(k-1) for quarter k with r
    the retention from quarter 1 to 2 (computed in :mod:`aftersales.customers.retention`); this
    function only draws the two series.

    Examples
    --------
    >>> fig = retention_chart({"quarterly_active_share": [1, .23, .18], "geometric_active_share": [1, .23, .05]})
    >>> ax = fig.axes[0]
    >>> len(ax.lines), [t.get_text() for t in ax.get_legend().get_texts()]
    (2, ['observed', 'geometric model'])
    """
    with course_style(lang) as used:
        fig = new_figure((6, 3.5))
        ax = fig.add_subplot()
        q = np.arange(1, len(report["quarterly_active_share"]) + 1)
        ax.plot(q, report["quarterly_active_share"], marker="o", label=_t("observed", used))
        ax.plot(q, report["geometric_active_share"], marker="s", ls="--", color="C3", label=_t("geometric", used))
        ax.set_xlabel(_t("quarter", used))
        ax.set_ylabel(_t("active", used))
        ax.set_xticks(q)
        _pct(ax)
        ax.legend(frameon=False)
    return fig


def called_gone_chart(report: dict, lang: str = "en"):
    """Bars: share of each quarter's buyers who had missed a quarter (the geometric model says gone).

    Parameters
    ----------
    report : dict
        A customers report; reads ``later_buyers_called_gone``, one share 0-1 per quarter.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.

    Returns
    -------
    CourseFigure
        A matplotlib figure outside pyplot (nothing to close), shown as a PNG by Jupyter.

    Examples
    --------
    >>> fig = called_gone_chart({"later_buyers_called_gone": [0, 0, .46, .68]})
    >>> ax = fig.axes[0]
    >>> len(ax.patches), [t.get_text() for t in ax.texts]
    (4, ['0%', '0%', '46%', '68%'])
    >>> [float(v) for v in ax.get_ylim()]
    [0.0, 1.0]
    """
    with course_style(lang) as used:
        fig = new_figure((6, 3.5))
        ax = fig.add_subplot()
        vals = report["later_buyers_called_gone"]
        q = np.arange(1, len(vals) + 1)
        bars = ax.bar(q, vals, color="C3", alpha=0.8)
        for b, v in zip(bars, vals):
            ax.annotate(f"{v:.0%}", (b.get_x() + b.get_width() / 2, v), textcoords="offset points",
                        xytext=(0, 3), ha="center", fontsize=9)
        ax.set_xlabel(_t("quarter", used))
        ax.set_ylabel(_t("gone", used))
        ax.set_xticks(q)
        ax.set_ylim(0, 1)
        _pct(ax)
    return fig


def ltv_chart(report: dict, lang: str = "en"):
    """Grouped bars: value per customer at 1, 3 and 5 years, closed form, BG/NBD and observed.

    Parameters
    ----------
    report : dict
        A customers report; reads ``report["ltv"]``: ``years`` (horizons, years) and the values
        per customer ``closed_form``, ``bgnbd`` and ``observed`` (the log's currency), one per
        horizon; ``None`` where the data do not reach a horizon (no bar is drawn).
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.

    Returns
    -------
    CourseFigure
        A matplotlib figure outside pyplot (nothing to close), shown as a PNG by Jupyter.

    Examples
    --------
    >>> fig = ltv_chart({"ltv": {"years": [1, 3], "closed_form": [90, 150], "bgnbd": [87, 136],
    ...                          "observed": [90, None]}})
    >>> ax = fig.axes[0]
    >>> len(ax.patches), [t.get_text() for t in ax.texts]
    (5, ['90', '150', '87', '136', '90'])
    >>> [t.get_text() for t in ax.get_legend().get_texts()]
    ['closed form (geometric)', 'BG/NBD', 'observed']
    """
    with course_style(lang) as used:
        fig = new_figure((6.5, 3.8))
        ax = fig.add_subplot()
        lt = report["ltv"]
        x = np.arange(len(lt["years"]))
        w = 0.27
        for k, (key, col) in enumerate((("closed_form", "C3"), ("bgnbd", "C0"), ("observed", "0.3"))):
            vals = lt[key]
            pos = [(xi + (k - 1) * w, v) for xi, v in zip(x, vals) if v is not None]
            name = _t({"closed_form": "closed", "bgnbd": "bgnbd", "observed": "observed"}[key], used)
            bars = ax.bar([p for p, _ in pos], [v for _, v in pos], width=w, color=col, label=name)
            for b, (_, v) in zip(bars, pos):
                ax.annotate(f"{v:,.0f}", (b.get_x() + w / 2, v), textcoords="offset points", xytext=(0, 2),
                            ha="center", fontsize=8)
        ax.set_xticks(x, [str(y) for y in lt["years"]])
        ax.set_xlabel(_t("years", used))
        ax.set_ylabel(_t("value", used))
        ax.legend(frameon=False, loc="upper left")
    return fig


def tracking_chart(report: dict, lang: str = "en"):
    """Cumulative repeat purchases per week, actual against BG/NBD, calibration end marked.

    Parameters
    ----------
    report : dict
        A customers report made ``with_tracking=True``: reads ``report["tracking"]`` (``t``,
        period ends in time units since the log's first day; ``actual`` and ``model``,
        cumulative repeat purchases; ``calibration_end``, in the same units) and ``freq``
        (``"W"``, default, or ``"D"``).
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.

    Returns
    -------
    CourseFigure
        A matplotlib figure outside pyplot (nothing to close), shown as a PNG by Jupyter.

    Raises
    ------
    KeyError
        If the report has no ``tracking`` (made without ``with_tracking=True``).

    Notes
    -----
    ``t`` counts periods since the log's first day (not since each customer's first purchase),
    so with ``freq="D"`` the x axis reads "days since the log's first day" (自交易记录首日起的天数)
    and with ``freq="W"`` "week" (weeks since that day).

    Examples
    --------
    >>> fig = tracking_chart({"tracking": {"t": [1, 2, 3], "actual": [1, 3, 4], "model": [1.2, 2.5, 4.1],
    ...                                    "calibration_end": 2}, "freq": "W"})
    >>> ax = fig.axes[0]
    >>> len(ax.lines), ax.get_xlabel(), ax.get_ylabel()
    (3, 'week', 'cumulative repeat purchases')
    >>> tracking_chart({"tracking": {"t": [1, 2], "actual": [0, 1], "model": [0.4, 1.1],
    ...                              "calibration_end": 1}, "freq": "D"}).axes[0].get_xlabel()
    "days since the log's first day"
    """
    tr = report["tracking"]
    with course_style(lang) as used:
        fig = new_figure((6.5, 3.8))
        ax = fig.add_subplot()
        ax.plot(tr["t"], tr["actual"], color="0.2", label=_t("observed", used))
        ax.plot(tr["t"], tr["model"], ls="--", color="C0", label=_t("model", used))
        ax.axvline(tr["calibration_end"], color="0.5", lw=1, ls=":", label=_t("cal_end", used))
        ax.set_xlabel(_t("week", used) if report.get("freq", "W") == "W" else _t("days_since_start", used))
        ax.set_ylabel(_t("cum", used))
        ax.legend(frameon=False, loc="upper left")
    return fig
