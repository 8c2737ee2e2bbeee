"""Faults a documentation pass of the segmentation room found, each pinned by tiny hand-made data
whose expected values are worked out by hand in the comments."""
from __future__ import annotations

import pandas as pd
import pytest

from aftersales.segment.cleaning import clean_cases
from aftersales.segment.layers import layer_table, period
from aftersales.segment.orders import clean_orders
from aftersales.segment.schema import CASE_COLUMNS


def _cases(**cols) -> pd.DataFrame:
    """Raw case rows as text: every canonical column, empty unless given."""
    n = len(next(iter(cols.values())))
    raw = pd.DataFrame({c: [""] * n for c in CASE_COLUMNS})
    for k, v in cols.items():
        raw[k] = v
    return raw


# ------------------------------------------------------------- dates in mixed formats
def test_mixed_date_formats_are_read_and_unreadable_ones_set_aside_before_period():
    raw = _cases(case_id=["a", "b", "c", "d", "e"],
                 opened_at=["2024-03-05 14:23:11", "2024-12-30", "2024/3/5 9:05", "2024-02-30", "someday"],
                 case_type=["return"] * 5, logistics_cost=["10", "20", "30", "40", "50"])
    res = clean_cases(raw)
    # a, b, c are dates (the day is kept); 2024-02-30 and 'someday' are not: set aside as bad_date
    assert res.clean["case_id"].tolist() == ["a", "b", "c"]
    assert res.clean["opened_at"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-05", "2024-12-30", "2024-03-05"]
    assert res.set_aside["case_id"].tolist() == ["d", "e"]
    assert set(res.set_aside["set_aside_reason"]) == {"bad_date"}
    t = layer_table(res.clean, "month").set_index("month")
    # by hand: 2024-03 has a (10) and c (30) = 40 yuan in 2 cases; 2024-12 has b, 20 yuan
    assert t.loc["2024-03", "cases"] == 2 and t.loc["2024-03", "cost"] == pytest.approx(40.0)
    assert t.loc["2024-12", "cases"] == 1 and t.loc["2024-12", "cost"] == pytest.approx(20.0)


def test_orders_with_mixed_date_formats_are_read_and_a_bad_one_set_aside():
    raw = pd.DataFrame({"order_id": ["o1", "o2", "o3"], "customer_id": ["c1", "c1", "c2"],
                        "ordered_at": ["2024-03-05 14:23:11", "2024-12-30", "not yet"],
                        "amount": ["100", "200", "300"]})
    res = clean_orders(raw)
    assert res.orders["ordered_at"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-05", "2024-12-30"]
    assert res.set_aside["order_id"].tolist() == ["o3"]
    assert res.set_aside["set_aside_reason"].tolist() == ["bad_date"]


def test_period_reads_mixed_text_and_names_bad_text_in_one_line():
    # 2024-03-05 is a Tuesday of ISO week 10; 30 December 2024 is the Monday of 2025-W01
    got = period(["2024-03-05 14:23:11", "2024-12-30", "2024年3月5日"], "week")
    assert list(got) == ["2024-W10", "2025-W01", "2024-W10"]
    with pytest.raises(ValueError) as err:
        period(["2024-03-05", "", "n/a", "2024-13-01"], "month", column="opened_at")
    msg = str(err.value)
    assert "\n" not in msg
    # '' is a missing date, not a bad one; 'n/a' (3rd) and month 13 (4th) are not dates
    assert msg == "opened_at: 2 values are not dates, the first 'n/a' (position 3 of 4)"


def test_layer_table_on_text_dates_names_the_column():
    cases = pd.DataFrame({"case_id": ["a", "b"], "opened_at": ["2024-03-05", "2024-03-32"],
                          "category": ["dress", "dress"], "reason": ["other", "other"], "case_type": ["return"] * 2,
                          "cost": [1.0, 2.0], "net": [-1.0, -2.0]})
    with pytest.raises(ValueError, match=r"^opened_at: 1 value is not a date, the first '2024-03-32' \(position 2 of 2\)$"):
        layer_table(cases, "month")
