"""Notebook 07's charts (aftersales.course.customer_charts): the axes say what the values count.
Expected labels are written by hand."""
from __future__ import annotations

import pytest

from aftersales.course import style
from aftersales.course.customer_charts import repurchase_chart, tracking_chart


def _report(freq: str) -> dict:
    # t: period ends counted from the log's first day (report.tracking), here 1-3 periods
    return {"tracking": {"t": [1.0, 2.0, 3.0], "actual": [0, 2, 3], "model": [0.5, 1.8, 3.2],
                         "calibration_end": 2.0}, "freq": freq}


@pytest.fixture
def cjk(monkeypatch):
    """Chinese labels whatever fonts this machine has (the labels, not the glyphs, are tested)."""
    monkeypatch.setattr(style, "find_cjk_font", lambda: "DejaVu Sans")


@pytest.mark.parametrize("lang,expected", [
    ("en", "days since the log's first day"),
    ("zh", "自交易记录首日起的天数"),
    ("both", "days since the log's first day (自交易记录首日起的天数)"),
])
def test_daily_tracking_counts_days_from_the_logs_first_day(cjk, lang, expected):
    # the daily series counts days since the log's first day, not since each customer's first
    # purchase: the axis must not say "after the first purchase"
    ax = tracking_chart(_report("D"), lang).axes[0]
    assert ax.get_xlabel() == expected
    assert list(ax.lines[0].get_xdata()) == [1.0, 2.0, 3.0]


@pytest.mark.parametrize("lang,expected", [("en", "week"), ("zh", "周")])
def test_weekly_tracking_keeps_its_label(cjk, lang, expected):
    assert tracking_chart(_report("W"), lang).axes[0].get_xlabel() == expected
    assert tracking_chart({k: v for k, v in _report("W").items() if k != "freq"}, lang).axes[0].get_xlabel() == expected


def test_repurchase_curve_still_counts_days_after_the_first_purchase(cjk):
    # within_30d etc. are measured from each customer's first purchase: that label stays
    report = {"repurchase": {"within_30d": 0.1, "within_365d": 0.4}}
    assert repurchase_chart(report).axes[0].get_xlabel() == "days after the first purchase"
    assert repurchase_chart(report, "zh").axes[0].get_xlabel() == "首次购买后的天数"
