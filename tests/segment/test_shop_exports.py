"""Shop exports as the platforms download them load with no manual step, and their totals agree
with an independent reading of the raw files written here in plain pandas."""
from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

from aftersales.segment.analysis import load_dataset, rfm_tiers, segment
from aftersales.segment.shop_samples import SHOP_FILES, shop_frames, shop_truth

#: the test's own header map (not the library's alias table)
HEADERS = {"售后单号": "case", "服务单号": "case", "订单编号": "order", "订单号": "order", "申请时间": "opened",
           "售后类型": "type", "服务类型": "type", "运费": "logi", "物流费用": "logi", "处理成本": "handle",
           "处理费用": "handle", "折价损失": "disc"}
RETURN_WORDS = {"退货退款", "退货", "换货"}


def _yuan(s: pd.Series) -> pd.Series:
    s = s.astype(str).str.strip().replace({"-": "0", "": "0", "nan": "0"})
    return s.map(lambda v: float(re.sub(r"[¥￥,元\s]", "", v)))


def _raw_cases(d) -> pd.DataFrame:
    parts = [pd.read_csv(d / "tmall_cases.csv", encoding="gb18030", dtype=str, keep_default_na=False),
             pd.read_excel(d / "jd_cases.xlsx", dtype=str).fillna(""),
             pd.read_csv(d / "douyin_cases.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)]
    out = []
    for p in parts:
        p = p.rename(columns=HEADERS)
        out.append(pd.DataFrame({"case": p["case"], "order": p["order"],
                                 "month": pd.to_datetime(p["opened"].str.split(" ").str[0].str.replace("/", "-"),
                                                         format="%Y-%m-%d").dt.strftime("%Y-%m"),
                                 "type": p["type"], "cost": _yuan(p["logi"]) + _yuan(p["handle"]) + _yuan(p["disc"])}))
    return pd.concat(out, ignore_index=True).drop_duplicates("case", keep="first")


@pytest.fixture(scope="module")
def shop(root):
    return root / "aftersales" / "data" / "shop"


@pytest.fixture(scope="module")
def res(shop):
    return segment([shop / "tmall_cases.csv", shop / "jd_cases.xlsx", shop / "douyin_cases.csv"], by="month",
                   orders_path=shop / "shop_orders.csv", repairs=shop / "repair_records.csv", strategy=True)


def test_three_platform_exports_and_repairs_load_with_the_true_totals(shop, res):
    raw = _raw_cases(shop)
    rep = pd.read_csv(shop / "repair_records.csv", dtype=str, keep_default_na=False)
    repair_cost = (_yuan(rep["维修费用"]) + _yuan(rep["回寄运费"])).sum()
    assert res["total_cost"] == pytest.approx(raw["cost"].sum() + repair_cost, abs=0.01)
    assert res["total_cost"] == pytest.approx(shop_truth(shop_frames())["total_cost"], abs=0.01)
    assert res["set_aside_reasons"] == {"duplicate_case_id": 3}           # the rows exported twice
    assert res["rows_in"] == res["rows_clean"] + res["rows_set_aside"]
    assert res["totals"]["cases"] == len(raw) + (rep["关联售后单号"] == "").sum()
    # reasons left empty: the cases stay, their cost is in reason=unknown and reported
    assert res["unattributed"]["reason"]["cases"] > 0
    files = {f["file"]: f for f in res["files"]}
    assert files["tmall_cases.csv"]["encoding"] == "gb18030" and files["jd_cases.xlsx"]["format"] == "xlsx"
    assert files["douyin_cases.csv"]["encoding"] == "utf-8-sig"
    j = res["joins"]
    assert j["repairs"][0]["unmatched_records"] == 3 and j["repairs"][0]["repair_cases_without_record"] == 1
    assert j["orders"]["orders_rows_set_aside"] == 1                      # one bad order row, the rest load
    assert j["orders"]["cases_unmatched"] == 0


def test_month_layers_and_rates_per_order_agree_with_pandas(shop, res):
    raw = _raw_cases(shop)
    orders = pd.read_csv(shop / "shop_orders.csv", encoding="gb18030", dtype=str, keep_default_na=False)
    orders = orders[orders["实付金额"].str.startswith("¥")]
    per_month = orders["下单时间"].str.slice(0, 7).value_counts()
    returns = raw[raw["type"].isin(RETURN_WORDS)].groupby("month").size()
    by = {lay["month"]: lay for lay in res["layers"]}
    for m in ("2024-03", "2024-07", "2024-10"):
        assert by[m]["orders"] == per_month[m]
        assert by[m]["return_rate"] == pytest.approx(returns[m] / per_month[m])
        assert by[m]["cost_per_order"] == pytest.approx(by[m]["cost"] / per_month[m])
    t = res["totals"]
    assert t["orders"] == len(orders)
    assert t["return_rate"] == pytest.approx(raw["type"].isin(RETURN_WORDS).sum() / len(orders))
    assert t["cost_per_case"] == pytest.approx(res["total_cost"] / t["cases"])
    assert sum(lay["cost"] for lay in res["layers"]) == pytest.approx(res["total_cost"])
    assert res["strategy"] and {"action", "rate", "average_rate", "cases", "cash_cost"} <= set(res["strategy"][0])


@pytest.mark.slow
def test_cli_reads_the_exports_and_writes_csv_with_a_bom(run_cli, shop, tmp_path):
    out = tmp_path / "seg"
    r = run_cli("segment", shop / "tmall_cases.csv", shop / "jd_cases.xlsx", shop / "douyin_cases.csv",
                "--repairs", shop / "repair_records.csv", "--orders", shop / "shop_orders.csv",
                "--by", "quarter,category", "--strategy", "--out", out, "--json")
    assert r.returncode == 0, r.stderr
    res = json.loads(r.stdout)
    assert res["by"] == ["quarter", "category"] and {lay["quarter"] for lay in res["layers"]} >= {
        "2024Q1", "2024Q2", "2024Q3", "2024Q4"}
    for name in ("cases_clean.csv", "layers.csv", "fields_set_aside.csv", "unmatched.csv", "strategy.csv"):
        assert (out / name).read_bytes().startswith(b"\xef\xbb\xbf"), name
    fields = pd.read_csv(out / "fields_set_aside.csv", encoding="utf-8-sig")
    assert {"source_file", "source_row", "field", "cost"} <= set(fields.columns)
    assert fields.loc[fields["field"] == "reason", "cost"].sum() == pytest.approx(res["unattributed"]["reason"]["cost"])
    r = run_cli("segment", shop / "tmall_cases.csv", "--out", out)
    assert r.returncode == 2 and "--force" in r.stderr


def test_gbk_is_detected_or_given(tmp_path, shop, run_main):
    res = segment([shop / "tmall_cases.csv"], by="reason", encoding="gbk")
    assert res["rows_in"] > 0 and res["files"][0]["encoding"] == "gb18030"
    r = run_main("segment", shop / "douyin_cases.csv", "--encoding", "klingon")
    assert r.returncode == 2 and "unknown encoding" in r.stderr and len(r.stderr.strip().splitlines()) == 1


def test_the_analysts_alias_table_is_merged_over_the_shipped_one(tmp_path):
    p = tmp_path / "cases.csv"
    p.write_text("工单编码,申请时间,售后类型,售后原因,物流费用\nK1,2024-03-05 10:00:00,退货退款,掉色,10\n"
                 "K2,2024-03-06 11:00:00,仅退款,尺码偏小,0\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unrecognised headers: 工单编码"):
        segment([p], by="reason")
    mine = tmp_path / "mine.csv"
    mine.write_text("field,label,canonical\ncolumn,工单编码,case_id\nreason,掉色,color_difference\n", encoding="utf-8")
    res = segment([p], by="reason,case_type", aliases_path=[mine])
    got = {(lay["reason"], lay["case_type"]) for lay in res["layers"]}
    assert got == {("color_difference", "return"), ("size_fit", "refund_only")}


def test_feedback_fills_satisfaction_and_reports_unmatched(tmp_path, shop):
    fb = tmp_path / "feedback.csv"
    frames = shop_frames()
    c = frames["cases"]
    ids = c["case_id"].iloc[:3].tolist()
    fb.write_text("评价编号,售后单号,订单编号,评分,评价内容\n"
                  f"F1,{ids[0]},,5,好\nF2,{ids[0]},,2,差\nF3,,{c['order_id'].iloc[1]},4,ok\n"
                  "F4,NOPE,,3,?\nF5,,,4,no key\nF6,X,,9,bad\n", encoding="utf-8")
    ds = load_dataset([shop / "tmall_cases.csv", shop / "jd_cases.xlsx", shop / "douyin_cases.csv"], feedback=fb)
    rep = ds.joins["feedback"][0]
    assert rep["rows"] == 6 and rep["rows_set_aside"] == 2 and rep["matched"] == 3 and rep["unmatched"] == 1
    got = ds.cases.set_index("case_id")["satisfaction"]
    own = c.set_index("case_id")["satisfaction"]
    if pd.isna(own[ids[0]]):
        assert got[ids[0]] == 2                 # the lowest of a case's scores
    assert (ds.unmatched["join"] == "feedback").sum() == 1


def test_rfm_is_the_same_whatever_the_order_of_the_orders_file(tmp_path, shop):
    from aftersales.segment.orders import read_orders

    orders = read_orders(shop / "shop_orders.csv").orders
    a = rfm_tiers(orders)
    for seed in (1, 2, 3):
        shuffled = orders.sample(frac=1.0, random_state=seed).reset_index(drop=True)
        b = rfm_tiers(shuffled)
        pd.testing.assert_frame_equal(a, b)
    # and from a re-sorted file on disk, read again
    raw = pd.read_csv(shop / "shop_orders.csv", encoding="gb18030", dtype=str, keep_default_na=False)
    p = tmp_path / "resorted.csv"
    raw.sort_values("实付金额", kind="stable").to_csv(p, index=False, encoding="gb18030")
    pd.testing.assert_frame_equal(a, rfm_tiers(read_orders(p).orders))
    # monetary is net of refunds: an independent sum per customer
    ok = raw[raw["实付金额"].str.startswith("¥")]
    net = (_yuan(ok["实付金额"]) - _yuan(ok["退款金额"])).groupby(ok["买家会员名"]).sum().round(2)
    assert a["monetary"].to_numpy() == pytest.approx(net.reindex(a.index).to_numpy())


def test_shop_samples_are_what_the_generator_makes(tmp_path, shop):
    from aftersales.segment.shop_samples import write_shop_samples

    paths = write_shop_samples(tmp_path)
    for name in SHOP_FILES:
        if name.endswith(".csv"):
            assert paths[name].read_bytes() == (shop / name).read_bytes(), name
    a = pd.read_excel(paths["jd_cases.xlsx"], dtype=str)
    pd.testing.assert_frame_equal(a, pd.read_excel(shop / "jd_cases.xlsx", dtype=str))


def test_the_brand_year_explains_the_pnl_cost():
    """Notebook 05's default records: the brand of notebooks 00-04, its after-sales cost 680万."""
    from aftersales import load_scenario
    from aftersales.segment.generate import brand_year

    sc = load_scenario("seed-demo")
    t, b = sc.traditional, sc.brand
    cases, orders = brand_year("seed-demo", seed=2024)
    assert orders["customer_id"].nunique() == b.active_customers == 80_000
    assert len(orders) == round(b.active_customers * b.purchases_per_year)
    returns = cases["case_type"].isin(["return", "exchange"]).sum()
    assert returns / len(orders) == pytest.approx(b.return_rate, abs=0.005)
    assert cases["logistics_cost"].sum() == pytest.approx(t.logistics, abs=100)
    assert cases["handling_cost"].sum() == pytest.approx(t.team_salary + t.quality_check, abs=100)
    assert cases["discount_loss"].sum() == pytest.approx(t.discounted_resale_loss, abs=100)
    total = (cases["logistics_cost"] + cases["handling_cost"] + cases["discount_loss"]).sum()
    assert total == pytest.approx(6_800_000, abs=300)
    assert (cases["service_revenue"] == 0).all()


def test_shop_frames_too_few_rows_is_one_clear_error_naming_the_minimum():
    # by hand: seed-demo returns 18% -> 0.18 / 0.8 = 0.225 cases per order; orders = ceil(rows / 0.225):
    # 112 rows -> ceil(497.8) = 498 orders (< 501), 113 rows -> ceil(502.2) = 503 orders
    with pytest.raises(ValueError, match=r"at least 501 orders.*rows=112 gives 498 orders.*give rows >= 113"):
        shop_frames(rows=112)
    assert len(shop_frames(rows=113)["orders"]) == 503
    # outdoor-repair returns 10% -> 0.125 cases per order: 62 rows -> 496 orders, 63 -> 504
    with pytest.raises(ValueError, match=r"rows=62 gives 496 orders for scenario 'outdoor-repair': give rows >= 63"):
        shop_frames("outdoor-repair", rows=62)
    assert len(shop_frames("outdoor-repair", rows=63)["orders"]) == 504
    with pytest.raises(ValueError, match="at least 501 orders"):
        shop_frames(rows=1)
