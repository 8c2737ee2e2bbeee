"""Faults a documentation pass of the segmentation room found, each pinned by tiny hand-made data
whose expected values are worked out by hand in the comments."""
from __future__ import annotations

import pandas as pd
import pytest

from aftersales.segment.cleaning import clean_cases
from aftersales.segment.layers import layer_table, period
from aftersales.segment.orders import clean_orders
from aftersales.segment.schema import CASE_COLUMNS
from aftersales.segment.tiers import CUSTOMER_TIERS


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


# ------------------------------------------------------------- tiers and the tier rules
def _tiers(**tier_of) -> pd.DataFrame:
    """Customer tiers given by hand (rfm_tiers' shape: indexed by customer_id, with value_tier)."""
    return pd.DataFrame({"value_tier": pd.Categorical(list(tier_of.values()), categories=CUSTOMER_TIERS)},
                        index=pd.Index(list(tier_of), name="customer_id"))


def test_tier_revenue_is_net_of_refunds():
    tiers = _tiers(H="high", L="low", R="low")
    orders = pd.DataFrame({"order_id": ["o1", "o2", "o3", "o4"], "customer_id": ["H", "H", "L", "R"],
                           "amount": [1000.0, 1000.0, 100.0, 500.0], "refund_amount": [0.0, 200.0, 0.0, 500.0]})
    cases = pd.DataFrame({"customer_id": ["H", "L", "R"], "cost": [20.0, 60.0, 40.0], "net": [-20.0, -60.0, -40.0]})
    from aftersales.segment.tiers import tier_table
    t = tier_table(cases, orders, tiers).set_index("customer_tier")
    # high: 1000 + 1000 - 200 = 1800; low: L 100 + R 500 - 500 (refunded in full) = 100
    assert t.loc["high", "revenue"] == pytest.approx(1800.0)
    assert t.loc["low", "revenue"] == pytest.approx(100.0)
    # cost share of revenue: low (60 + 40) / 100 = 1.0, high 20 / 1800
    assert t.loc["low", "cost_share_of_revenue"] == pytest.approx(1.0)
    assert t.loc["high", "cost_share_of_revenue"] == pytest.approx(20 / 1800)
    # orders without refunds: the cases' refunds count instead (R's case refunded 500 yuan)
    t2 = tier_table(cases.assign(refund_amount=[0.0, 0.0, 500.0]), orders.drop(columns="refund_amount"),
                    tiers).set_index("customer_tier")
    assert t2.loc["low", "revenue"] == pytest.approx(100.0 + 500.0 - 500.0)
    assert t2.loc["high", "revenue"] == pytest.approx(2000.0)


def test_tier_rules_subtract_salaried_handling_with_or_without_customer_tier():
    from aftersales.segment.strategy import StrategyRules, strategy_table
    tiers = _tiers(H="high", L="low")
    orders = pd.DataFrame({"order_id": ["o1", "o2", "o3"], "customer_id": ["H", "H", "L"],
                           "category": "dresses", "channel": "tmall", "amount": [1000.0, 1000.0, 100.0]})
    cases = pd.DataFrame({"customer_id": ["H", "L"], "category": "dresses", "channel": "tmall",
                          "case_type": "return", "reason": "other", "cost": [20.0, 60.0],
                          "handling_cost": [10.0, 30.0], "net": [-20.0, -60.0]})
    # by hand: cost share of spending high 20 / 2000 = 1%, low 60 / 100 = 60%, all tiers 80 / 2100 = 3.8%:
    # high <= 0.8 x 3.8% (premium service), low >= 1.2 x 3.8% (cost control); cash = cost - handling
    for with_column in (False, True):
        c = cases.assign(customer_tier=["high", "low"]) if with_column else cases
        plan = strategy_table(c, orders, tiers).set_index("action")
        assert plan.loc["premium service", "cost"] == pytest.approx(20.0)
        assert plan.loc["premium service", "cash_cost"] == pytest.approx(10.0)
        assert plan.loc["cost control", "cash_cost"] == pytest.approx(30.0)
    # half the handling salaried: 60 - 0.5 x 30 = 45
    plan = strategy_table(cases, orders, tiers, StrategyRules(fixed_handling_share=0.5)).set_index("action")
    assert plan.loc["cost control", "cash_cost"] == pytest.approx(45.0)


# ------------------------------------------------------------- an orders file without category
CASES_CSV = ("case_id,order_id,customer_id,opened_at,category,channel,case_type,reason,logistics_cost,handling_cost\n"
             "A1,O1,C1,2024-03-05,dresses,tmall,return,size_fit,20,40\n"
             "A2,O2,C2,2024-03-09,dresses,tmall,exchange,size_fit,30,40\n"
             "A3,O3,C1,2024-04-02,knitwear,tmall,repair,quality_defect,10,150\n")
ORDERS_CSV = "order_id,customer_id,ordered_at,amount\nO1,C1,2024-03-01,600\nO2,C2,2024-03-03,800\nO3,C1,2024-03-20,900\n"


@pytest.mark.parametrize("engine", ["pandas", "duckdb"])
def test_orders_without_category_is_one_warning_line_and_a_json_key(run_main, tmp_path, engine):
    import json

    (tmp_path / "cases.csv").write_text(CASES_CSV, encoding="utf-8")
    (tmp_path / "orders.csv").write_text(ORDERS_CSV, encoding="utf-8")
    r = run_main("segment", tmp_path / "cases.csv", "--orders", tmp_path / "orders.csv", "--by", "category",
                "--engine", engine, "--json")
    assert r.returncode == 0, r.stderr
    said = ("the orders file orders.csv has no category column: the layers by category have no orders, "
            "so no case_rate, return_rate or cost_per_order")
    assert r.stderr.splitlines() == [f"warning: {said}"]
    res = json.loads(r.stdout)
    assert res["warnings"] == [said]
    # the layers are still there (dresses 2 cases, 130 yuan), with no orders of their own
    dresses = next(lay for lay in res["layers"] if lay["category"] == "dresses")
    assert (dresses["cases"], dresses["cost"], dresses["orders"], dresses["case_rate"]) == (2, 130.0, 0, None)
    # the same orders with a category column: no warning
    (tmp_path / "orders2.csv").write_text(
        "order_id,customer_id,ordered_at,amount,category\nO1,C1,2024-03-01,600,dresses\n", encoding="utf-8")
    r2 = run_main("segment", tmp_path / "cases.csv", "--orders", tmp_path / "orders2.csv", "--by", "category",
                 "--engine", engine, "--json")
    assert r2.returncode == 0 and r2.stderr == "" and json.loads(r2.stdout)["warnings"] == []


def test_orders_result_names_the_absent_optional_columns(tmp_path):
    from aftersales.segment.orders import read_orders
    from aftersales.segment.pipeline import order_warnings

    (tmp_path / "orders.csv").write_text(ORDERS_CSV, encoding="utf-8")
    res = read_orders(tmp_path / "orders.csv")
    assert res.absent == ("channel", "category", "refund_amount")
    assert order_warnings(res, ("reason",)) == []
    assert order_warnings(res, ("reason",), strategy=True) == [
        "the orders file orders.csv has no category column: the strategy rules by category find no orders",
        "the orders file orders.csv has no channel column: the strategy rules by channel find no orders"]


# ------------------------------------------------------------- a missing source names its kind
def test_missing_repairs_and_feedback_files_are_named_by_kind(tmp_path):
    from aftersales.segment.joins import read_feedback, read_repairs

    with pytest.raises(FileNotFoundError, match=r"nope\.csv: no such repair-records file$"):
        read_repairs(tmp_path / "nope.csv")
    with pytest.raises(FileNotFoundError, match=r"nope\.csv: no such feedback file$"):
        read_feedback(tmp_path / "nope.csv")


@pytest.mark.parametrize("option, kind", [("--repairs", "repair-records file"), ("--feedback", "feedback file")])
def test_cli_missing_repairs_or_feedback_is_one_line_naming_the_kind(run_main, tmp_path, option, kind):
    (tmp_path / "cases.csv").write_text(CASES_CSV, encoding="utf-8")
    r = run_main("segment", tmp_path / "cases.csv", option, tmp_path / "gone.csv")
    assert r.returncode == 2 and r.stdout == ""
    assert len(r.stderr.strip().splitlines()) == 1
    assert r.stderr.strip().endswith(f"gone.csv: no such {kind}")


# ------------------------------------------------------------- the cut sentence names its layer
def test_cut_summary_says_largest_only_of_the_largest_layer():
    from aftersales.segment.analysis import cut_summary

    # by hand: 30% of a 1,000-yuan layer saves 300 yuan (10% of 3,000), 100 of it salaried handling
    one = {"cost_saved": 300.0, "share_of_total_cost": 0.1, "cash_saved": 200.0, "fixed_cost_kept": 100.0,
           "refunds_avoided": 50.0}
    table = pd.DataFrame({"reason": ["size_fit", "quality_defect"], "share_of_cost": [0.6, 0.4],
                          "cumulative_share": [0.6, 1.0]})
    first = cut_summary(one, 0.3, table.iloc[0], ["reason"])
    second = cut_summary(one, 0.3, table.iloc[1], ["reason"])
    assert first.startswith("A 30% cut of the largest layer (size_fit) saves 300 yuan of cost (10.0%")
    assert second.startswith("A 30% cut of the layer quality_defect saves 300 yuan of cost (10.0%")
    assert "largest" not in second and "最大" not in cut_summary(one, 0.3, table.iloc[1], ["reason"], "zh")
    assert "最大" in cut_summary(one, 0.3, table.iloc[0], ["reason"], "zh")
    assert "largest" not in cut_summary(one, 0.3, table.iloc[0], ["reason"], largest=False)


# ------------------------------------------------------------- a bare name: the working folder, else data/
def test_load_cases_looks_a_bare_name_up_in_data_as_read_orders_does(tmp_path, monkeypatch, root):
    from aftersales.segment.cleaning import load_cases
    from aftersales.segment.orders import read_orders

    monkeypatch.chdir(tmp_path)
    shipped = (root / "data" / "cases_sample.csv").read_text(encoding="utf-8-sig").strip().splitlines()
    res = load_cases("cases_sample.csv")
    assert res.rows_in == len(shipped) - 1                 # the shipped sample: its lines but the header
    orders_lines = (root / "data" / "cases_sample_orders.csv").read_text(encoding="utf-8-sig").strip().splitlines()
    assert read_orders("cases_sample_orders.csv").rows_in == len(orders_lines) - 1
    # a file of that name in the working folder wins, for both
    (tmp_path / "cases_sample.csv").write_text(CASES_CSV, encoding="utf-8")
    (tmp_path / "cases_sample_orders.csv").write_text(ORDERS_CSV, encoding="utf-8")
    assert load_cases("cases_sample.csv").rows_in == 3
    assert read_orders("cases_sample_orders.csv").rows_in == 3
    with pytest.raises(FileNotFoundError, match=r"^nowhere\.csv: no such case file$"):
        load_cases("nowhere.csv")
