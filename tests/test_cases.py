"""Case records: alias table, reading both layouts, cleaning with nothing lost, fix and reload."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aftersales.segment.records import (CASE_COLUMNS, SET_ASIDE_REASONS, clean_cases, load_aliases, load_cases,
                                        read_cases, write_csv)
from conftest import examples  # noqa: E402

GOOD = dict(case_id="C1", order_id="O1", customer_id="U1", opened_at="2024-03-05", channel="tmall",
            category="dresses", case_type="return", reason="size_fit", item_price="1200",
            refund_amount="1200", logistics_cost="60.5", handling_cost="150", discount_loss="0",
            service_revenue="0", satisfaction="4", resolution_days="3.5")

#: (changes to a good row, grain, expected reason, detail fragment or field); grain "case": the
#: row is set aside; "field": the case stays and that field's attribution is set aside; None: clean
BROKEN = [
    ({}, None, None, None),
    ({"case_id": ""}, "case", "missing_id", "case_id is empty"),
    ({"order_id": "  "}, "field", "missing_id", "order_id"),
    ({"customer_id": ""}, "field", "missing_id", "customer_id"),
    ({"case_id": "C1"}, "case", "duplicate_case_id", "'C1' appeared earlier"),
    ({"opened_at": "2024-02-30"}, "case", "bad_date", "opened_at '2024-02-30'"),
    ({"opened_at": "05/03/2024"}, "case", "bad_date", "opened_at '05/03/2024'"),
    ({"opened_at": ""}, "case", "bad_date", "opened_at (empty)"),
    ({"logistics_cost": "abc"}, "case", "non_numeric_money", "logistics_cost 'abc'"),
    ({"service_revenue": "n/a yuan"}, "case", "non_numeric_money", "service_revenue 'n/a yuan'"),
    ({"item_price": "nan"}, "field", "non_numeric_money", "item_price"),
    ({"refund_amount": "-3"}, "field", "negative_money", "refund_amount"),
    ({"handling_cost": "-5"}, "case", "negative_money", "handling_cost '-5' is negative"),
    ({"discount_loss": "-0.01"}, "case", "negative_money", "discount_loss '-0.01'"),
    ({"reason": "teleported"}, "field", "unknown_label", "reason"),
    ({"case_type": "refund-ish"}, "field", "unknown_label", "case_type"),
    ({"channel": ""}, "field", "unknown_label", "channel"),
    ({"satisfaction": "7"}, "field", "satisfaction_out_of_range", "satisfaction"),
    ({"satisfaction": "0"}, "field", "satisfaction_out_of_range", "satisfaction"),
    ({"satisfaction": "4.5"}, "field", "satisfaction_out_of_range", "satisfaction"),
    ({"resolution_days": "-1"}, "field", "bad_resolution_days", "resolution_days"),
    # two problems: the first check in SET_ASIDE_REASONS order wins
    ({"case_id": "", "opened_at": "x"}, "case", "missing_id", "case_id is empty"),
    ({"opened_at": "x", "satisfaction": "9"}, "case", "bad_date", "opened_at 'x'"),
    # usable rows: labels through the alias table, blanks where allowed, spaces trimmed
    ({"reason": "尺码不合适", "case_type": "退货", "channel": " 天猫 "}, None, None, None),
    ({"reason": "Size Fit", "case_type": " RETURN", "category": "Dresses"}, None, None, None),
    ({"satisfaction": "", "resolution_days": ""}, None, None, None),
    ({"channel": "New Pop-up"}, None, None, None),
    # as the platforms export: date-times, other date formats, ¥ / ￥ / 元, thousands, "-" for none
    ({"opened_at": "2024-03-05 14:23:11", "item_price": "¥1,200.00"}, None, None, None),
    ({"opened_at": "2024/3/5", "logistics_cost": "￥60.50", "refund_amount": "-"}, None, None, None),
    ({"opened_at": "20240305", "handling_cost": "150.00元", "reason": "尺码偏小"}, None, None, None),
    ({"case_type": "退货退款", "reason": "大小不合适", "discount_loss": "-"}, None, None, None),
]
EXPECTED_COST = 60.5 + 150                      # every usable row above costs this


def _rows():
    rows = []
    for i, (change, _, _, _) in enumerate(BROKEN):
        r = {**GOOD, "case_id": f"C{i + 1}", **change}
        rows.append(r)
    return rows


def _write(path: Path, rows, header=CASE_COLUMNS):
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(header)
        for r in rows:
            w.writerow([r[c] for c in CASE_COLUMNS])
    return path


@pytest.fixture()
def broken_file(tmp_path):
    return _write(tmp_path / "broken.csv", _rows())


def test_broken_rows_of_every_kind_are_set_aside_with_the_right_reason(broken_file):
    res = load_cases(broken_file)
    assert res.rows_in == len(BROKEN) == res.rows_clean + res.rows_set_aside
    expected = [(i, reason, frag) for i, (_, grain, reason, frag) in enumerate(BROKEN) if grain == "case"]
    assert res.rows_set_aside == len(expected)
    sa = res.set_aside.set_index("source_row")
    for i, reason, frag in expected:
        row = sa.loc[i + 2]                       # the header is line 1
        assert row["set_aside_reason"] == reason, (i, BROKEN[i])
        assert frag in row["set_aside_detail"], (row["set_aside_detail"], frag)
        assert row["source_file"] == "broken.csv"
    counts = pd.Series([r for _, r, _ in expected]).value_counts().to_dict()
    assert res.reasons == counts
    assert set(res.reasons) == {"missing_id", "duplicate_case_id", "bad_date", "non_numeric_money",
                                "negative_money"}
    # the cost set aside: what could be read of each set-aside row (an independent sum)
    want = 0.0
    for i, _, _ in expected:
        r = {**GOOD, **BROKEN[i][0]}
        for c in ("logistics_cost", "handling_cost", "discount_loss"):
            try:
                v = float(r[c])
                want += v if v >= 0 and np.isfinite(v) else 0.0
            except ValueError:
                pass
    assert res.cost_set_aside == pytest.approx(want)
    assert res.summary()["cost_set_aside"] == pytest.approx(want)


def test_a_bad_optional_field_sets_aside_the_field_not_the_case(broken_file):
    res = load_cases(broken_file)
    u = res.unattributed
    fields = [(i, reason, f) for i, (_, grain, reason, f) in enumerate(BROKEN) if grain == "field"]
    assert len(u) == len(fields)
    got = {(int(r.source_row), r.field, r.reason) for r in u.itertuples()}
    assert got == {(i + 2, f, reason) for i, reason, f in fields}
    assert (u["source_file"] == "broken.csv").all()
    assert u["cost"].tolist() == pytest.approx([EXPECTED_COST] * len(u))
    c = res.clean.set_index("source_row")
    for i, reason, f in fields:                     # the case is kept, in the unknown layer or empty
        row = c.loc[i + 2]
        if f in ("channel", "category", "case_type", "reason"):
            assert row[f] == "unknown"
        assert row["cost"] == pytest.approx(EXPECTED_COST)
    summ = res.unattributed_summary()
    assert summ["satisfaction"]["cases"] == 3 and summ["satisfaction"]["cost"] == pytest.approx(3 * EXPECTED_COST)
    # every clean row's cost is the good row's cost: nothing of a case is dropped with a field
    assert res.clean["cost"].tolist() == pytest.approx([EXPECTED_COST] * res.rows_clean)


def test_clean_rows_are_typed_and_unified(broken_file):
    res = load_cases(broken_file)
    c = res.clean
    assert list(c.columns[:16]) == list(CASE_COLUMNS) and {"cost", "net"} <= set(c.columns)
    usable = [f"C{i + 1}" for i, (_, grain, _, _) in enumerate(BROKEN) if grain != "case"]
    assert c["case_id"].tolist() == usable
    ok = c[c["source_row"].isin([i + 2 for i, b in enumerate(BROKEN) if b[1] is None])]
    assert set(ok["reason"]) == {"size_fit"} and set(ok["case_type"]) == {"return"}
    assert set(ok["channel"]) == {"tmall", "new_pop_up"}         # unknown free text is normalised, kept
    assert set(c["category"]) == {"dresses"}
    assert set(ok["opened_at"]) == {pd.Timestamp("2024-03-05")}
    assert ok["item_price"].tolist() == pytest.approx([1200.0] * len(ok))
    assert (ok["refund_amount"].isin([1200.0, 0.0])).all()       # "-" is none
    assert c["net"].iloc[0] == pytest.approx(-EXPECTED_COST)
    assert ok["satisfaction"].isna().sum() == 1 and ok["resolution_days"].isna().sum() == 1
    assert isinstance(c["reason"].dtype, pd.CategoricalDtype)


def test_set_aside_file_can_be_fixed_and_loaded_again(broken_file, tmp_path):
    res = load_cases(broken_file)
    paths = res.write(tmp_path / "out")
    with pytest.raises(FileExistsError, match="exists"):
        res.write(tmp_path / "out")
    fix = pd.read_csv(paths["set_aside"], dtype=str, keep_default_na=False)
    assert len(fix) == res.rows_set_aside and "set_aside_reason" in fix.columns
    # a person fixes every row: fresh ids, a real date, numbers, known labels, blank scores
    fix["case_id"] = [f"F{i}" for i in range(len(fix))]
    for c in ("order_id", "customer_id"):
        fix[c] = fix[c].replace("", "X")
    fix["opened_at"] = "2024-04-01"
    for c in ("item_price", "refund_amount", "logistics_cost", "handling_cost", "discount_loss",
              "service_revenue"):
        fix[c] = "10"
    fix["reason"], fix["case_type"], fix["channel"] = "quality_defect", "repair", "jd"
    fix["satisfaction"], fix["resolution_days"] = "", ""
    fix.to_csv(tmp_path / "fixed.csv", index=False)
    again = load_cases([paths["clean"], tmp_path / "fixed.csv"])
    assert again.rows_set_aside == 0
    assert again.rows_clean == res.rows_in
    # loading the unfixed file again gives the same reasons (duplicates are judged against the clean file)
    same = load_cases([paths["clean"], paths["set_aside"]])
    assert same.reasons == res.reasons


def test_export_layout_is_mapped(tmp_path):
    p = tmp_path / "export.csv"
    p.write_text("申请日期,售后单号,订单号,客户编号,渠道,品类,售后类型,原因,商品价格,退款金额,物流费用,"
                 "处理费用,折价损失,服务收入,满意度,处理天数,备注\n"
                 "2024/03/05,E1,O1,U1,天猫,连衣裙,退货,尺码不合适,\"¥1,280.00\",¥1280,¥52.09,140.9元,¥0,¥0,5,2,x\n"
                 "2024年3月6日,E2,O2,U2,抖音,外套,维修,质量问题,¥900,¥0,¥10,¥20,¥0,¥88,,,\n"
                 "2024/02/30,E3,O3,U3,抖音,外套,维修,质量问题,¥900,¥0,¥10,¥20,¥0,¥88,,,\n"
                 "2024/03/07,E4,O4,U4,抖音,外套,维修,质量问题,¥-9,¥0,¥10,¥20,¥0,¥88,,,\n",
                 encoding="utf-8")
    table, layout = read_cases(p)
    assert layout == "export" and table.num_rows == 4
    res = load_cases(p)
    assert res.rows_clean == 3 and res.reasons == {"bad_date": 1}
    c = res.clean
    assert c["item_price"].tolist()[:2] == [1280.0, 900.0] and np.isnan(c["item_price"].iloc[2])
    assert c["handling_cost"].tolist() == [140.9, 20.0, 20.0]
    assert c["opened_at"].dt.strftime("%Y-%m-%d").tolist() == ["2024-03-05", "2024-03-06", "2024-03-07"]
    assert c["channel"].astype(str).tolist() == ["tmall", "douyin", "douyin"]
    assert c["case_type"].astype(str).tolist() == ["return", "repair", "repair"]
    assert c["reason"].astype(str).tolist() == ["size_fit", "quality_defect", "quality_defect"]
    # a negative item price sets aside that field only, reported with the text as found and the cost
    u = res.unattributed.set_index("case_id")
    assert u.loc["E4", "field"] == "item_price" and u.loc["E4", "value"] == "¥-9"
    assert u.loc["E4", "cost"] == pytest.approx(30.0) and u.loc["E4", "source_row"] == 5
    # set-aside rows: canonical values where a cell passed its check, the text as found where it failed
    sa = res.set_aside.set_index("case_id")
    assert sa.loc["E3", "opened_at"] == "2024/02/30" and sa.loc["E3", "channel"] == "douyin"
    assert sa.loc["E3", "set_aside_cost"] == pytest.approx(30.0)


def test_shipped_samples_load_together(root):
    res = load_cases([root / "data" / "cases_sample.csv", root / "data" / "cases_export_sample.csv"])
    assert res.rows_in == res.rows_clean + res.rows_set_aside
    assert 10_000 <= res.rows_in and 0 < res.rows_set_aside < 0.01 * res.rows_in
    assert set(res.reasons) <= set(SET_ASIDE_REASONS) and len(res.reasons) >= 3
    assert (root / "data" / "cases_sample.csv").stat().st_size < 5e6


def test_file_level_errors_name_the_file(tmp_path):
    p = tmp_path / "x.csv"
    p.write_text("case_id,order_id\nA,B\n")
    with pytest.raises(ValueError, match=r"x\.csv: missing column\(s\) opened_at, case_type"):
        load_cases(p)
    p.write_text("")
    with pytest.raises(ValueError, match="empty"):
        load_cases(p)
    with pytest.raises(FileNotFoundError, match="no such case file"):
        load_cases(tmp_path / "nope.csv")
    p.write_text(",".join(CASE_COLUMNS) + "\n" + ",".join(GOOD[c] for c in CASE_COLUMNS) + ",extra\n")
    with pytest.raises(ValueError, match="not a well-formed CSV"):
        load_cases(p)


def test_alias_table_is_validated(tmp_path):
    al = load_aliases()
    assert al.lookup("reason")["尺码不合适"] == "size_fit"
    assert al.column_map()["售后单号"] == "case_id"
    bad = tmp_path / "aliases.csv"
    bad.write_text("field,label,canonical\nreason,weird,not_a_reason\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"line 2: 'not_a_reason' is not a reason"):
        load_aliases(bad)
    bad.write_text("field,label,canonical\ncolour,red,red\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown field 'colour'"):
        load_aliases(bad)


def test_write_csv_never_overwrites_without_force(tmp_path):
    p = tmp_path / "a.csv"
    write_csv(pd.DataFrame({"a": [1]}), p)
    with pytest.raises(FileExistsError):
        write_csv(pd.DataFrame({"a": [2]}), p)
    write_csv(pd.DataFrame({"a": [2], "类型": ["退货"]}), p, force=True)
    assert p.read_bytes().startswith(b"\xef\xbb\xbf")            # a BOM: Excel shows the Chinese
    assert p.read_text(encoding="utf-8-sig").splitlines() == ["a,类型", "2,退货"]


# ------------------------------------------------------------------ hypothesis: nothing lost, ever
_VALUES = {
    "case_id": st.sampled_from(["", "A", "B", "C", "D", " A "]),
    "order_id": st.sampled_from(["", "O1", "O2"]),
    "customer_id": st.sampled_from(["", "U1", "U2"]),
    "opened_at": st.sampled_from(["2024-01-31", "2024-02-29", "2023-02-29", "2024-13-01", "", "soon"]),
    "channel": st.sampled_from(["tmall", "京东", "", "Pop Up"]),
    "category": st.sampled_from(["dresses", "裤装", "", "hats"]),
    "case_type": st.sampled_from(["return", "换货", "bogus", ""]),
    "reason": st.sampled_from(["size_fit", "色差", "weather", ""]),
    "satisfaction": st.sampled_from(["", "1", "5", "0", "6", "3.5", "x"]),
    "resolution_days": st.sampled_from(["", "0", "2.5", "-1", "y"]),
}
_MONEY = st.sampled_from(["0", "10", "12.5", "-1", "", "abc", "1e3", "inf"])


def _oracle(rows):
    """Expected (case reason, {field: reason}) per row as if its case_id were unique, in plain Python
    (independent of the library); the duplicates are checked by the test."""
    al = load_aliases()
    out = []
    import datetime

    def amount(m):
        if m in ("", "-"):
            return 0.0
        try:
            v = float(m)
        except ValueError:
            return None
        return v if np.isfinite(v) else None

    for r in rows:
        r = {k: v.strip() for k, v in r.items()}
        reason, fields = None, {}
        if r["case_id"] == "":
            reason = "missing_id"
        if reason is None:
            try:
                datetime.date.fromisoformat(r["opened_at"])
            except ValueError:
                reason = "bad_date"
        if reason is None:
            vals = [amount(r[c]) for c in ("logistics_cost", "handling_cost", "discount_loss", "service_revenue")]
            if any(v is None for v in vals):
                reason = "non_numeric_money"
            elif any(v < 0 for v in vals):
                reason = "negative_money"
        for c in ("order_id", "customer_id"):
            if r[c] == "":
                fields[c] = "missing_id"
        for c in ("item_price", "refund_amount"):
            v = amount(r[c])
            if v is None:
                fields[c] = "non_numeric_money"
            elif v < 0:
                fields[c] = "negative_money"
        for c in ("channel", "category"):
            if r[c] == "":
                fields[c] = "unknown_label"
        for c in ("case_type", "reason"):
            if r[c].casefold().replace(" ", "_") not in al.lookup(c):
                fields[c] = "unknown_label"
        if r["satisfaction"] not in ("", "1", "2", "3", "4", "5"):
            fields["satisfaction"] = "satisfaction_out_of_range"
        if r["resolution_days"] != "":
            try:
                if float(r["resolution_days"]) < 0:
                    fields["resolution_days"] = "bad_resolution_days"
            except ValueError:
                fields["resolution_days"] = "bad_resolution_days"
        out.append((reason, fields if reason is None else {}))
    return out


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.fixed_dictionaries({**_VALUES, **{c: _MONEY for c in (
    "item_price", "refund_amount", "logistics_cost", "handling_cost", "discount_loss", "service_revenue")}}),
    min_size=0, max_size=25))
def test_rows_in_equal_clean_plus_set_aside_and_reasons_match_an_oracle(rows):
    frame = pd.DataFrame(rows, columns=list(CASE_COLUMNS))
    res = clean_cases(frame)
    assert res.rows_in == len(rows) == res.rows_clean + res.rows_set_aside
    expected = _oracle(rows)
    got = [[None, {}] for _ in rows]
    for reason, row in zip(res.set_aside["set_aside_reason"], res.set_aside["source_row"]):
        got[row - 1][0] = reason
    for f, reason, row in zip(res.unattributed["field"], res.unattributed["reason"], res.unattributed["source_row"]):
        got[row - 1][1][f] = reason
    # of the rows sharing a case_id one is judged as if alone, the others are duplicates; the one is
    # usable when any is, and the first when the rows are the same
    groups: dict = {}
    for i, r in enumerate(rows):
        if r["case_id"].strip():
            groups.setdefault(r["case_id"].strip(), []).append(i)
    for ids in groups.values():
        kept = [i for i in ids if got[i][0] != "duplicate_case_id"]
        assert len(kept) == 1, ids
        if any(expected[i][0] is None for i in ids):
            assert expected[kept[0]][0] is None
        if all({k: v.strip() for k, v in rows[i].items()} == {k: v.strip() for k, v in rows[ids[0]].items()}
               for i in ids):
            assert kept == ids[:1]
        for i in ids:
            if i not in kept:
                expected[i] = ("duplicate_case_id", {})
    assert [tuple(g) for g in got] == expected
    # the cost of the clean cases with a field set aside is reported in full
    assert res.unattributed["cost"].sum() == pytest.approx(
        res.clean.set_index("source_row").loc[res.unattributed["source_row"], "cost"].sum())
    assert res.clean["cost"].sum() == pytest.approx(
        (res.clean["logistics_cost"] + res.clean["handling_cost"] + res.clean["discount_loss"]).sum())
