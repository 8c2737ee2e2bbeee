"""Notebook 05 runs on any data the CLI accepts: the brand's generated year (the P&L's 680万), a
shop export without a Douyin channel (GBK, Chinese headers) with its orders, and cases without orders."""
from __future__ import annotations

import pytest

from aftersales.segment.analysis import segment

pytestmark = pytest.mark.slow


def _run(root, tmp_path, name, **parameters):
    import papermill as pm

    from aftersales.course.exercises import read_records

    nb = root / "notebooks" / "05_after_sales_segmentation.ipynb"
    out = pm.execute_notebook(str(nb), str(tmp_path / f"{name}.ipynb"), kernel_name="python3", progress_bar=False,
                              cwd=str(root / "notebooks"), parameters=parameters)
    checks = read_records(out)["checks"]          # each exercise: the empty answer, then the solution
    assert [c["verdict"] for c in checks] == ["unanswered", "right"] * 4, checks
    return read_records(out)[-1]


def test_default_is_the_brand_year_of_the_pnl(root, tmp_path):
    from aftersales import load_scenario

    rec = _run(root, tmp_path, "default")
    assert rec["extra"]["synthetic"]
    t = load_scenario("seed-demo").traditional
    pnl = t.team_salary + t.logistics + t.quality_check + t.discounted_resale_loss
    assert pnl == 6_800_000
    # the clean cost plus the cost set aside is the P&L's after-sales cost (to the cells broken on purpose)
    got = rec["figures"]["total_cost"] + rec["extra"]["cost_set_aside"]
    assert got == pytest.approx(pnl, rel=0.001)


def test_a_shop_export_without_douyin(root, tmp_path):
    shop = root / "aftersales" / "data" / "shop"
    rec = _run(root, tmp_path, "tmall", cases_file=str(shop / "tmall_cases.csv"),
               orders_file=str(shop / "shop_orders.csv"), layer_dims="month,category")
    assert "douyin" not in rec["extra"]["channels"] and not rec["extra"]["synthetic"]
    whole = segment([shop / "tmall_cases.csv"], by="month,category", orders_path=shop / "shop_orders.csv")
    assert rec["figures"]["total_cost"] == pytest.approx(whole["total_cost"])
    assert rec["figures"]["layers"] == len(whole["layers"])


def test_cases_without_orders(root, tmp_path):
    shop = root / "aftersales" / "data" / "shop"
    rec = _run(root, tmp_path, "jd", cases_file=str(shop / "jd_cases.xlsx"), layer_dims="reason")
    whole = segment([shop / "jd_cases.xlsx"], by="reason")
    assert rec["figures"]["total_cost"] == pytest.approx(whole["total_cost"])
