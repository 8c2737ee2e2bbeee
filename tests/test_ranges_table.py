"""course.frames.ranges_table: usage per user reads as a multiplier, never as a share; the other
rows are as before. Expected cells are written by hand from the article's service matrix and the
course's usage assumption (docs/model.md: +-20 % around each service's own value)."""
from __future__ import annotations

from aftersales import load_scenario
from aftersales.course.frames import ranges_table
from aftersales.model.inputs import Range
from aftersales.model.ranges import effective_ranges


def test_the_seed_demo_matrix_in_english():
    table = ranges_table(effective_ranges(load_scenario("seed-demo")))
    assert list(table.columns) == ["price", "acceptance", "gross_margin", "wakeup_rate", "uses_per_user_per_year"]
    assert table.loc["remake"].tolist() == ["200-800 yuan", "15%-25%", "65%-75%", "35%-45%", "x0.8 - x1.2"]
    assert table.loc["deep_clean"].tolist() == ["80-200 yuan", "35%-45%", "55%-65%", "20%-30%", "x0.8 - x1.2"]
    assert table.loc["repair"].tolist() == ["50-150 yuan", "40%-50%", "60%-70%", "25%-35%", "x0.8 - x1.2"]
    assert table.loc["storage"].tolist() == ["30-50 yuan", "10%-15%", "70%-80%", "not given", "x0.8 - x1.2"]


def test_the_seed_demo_matrix_in_chinese():
    table = ranges_table(effective_ranges(load_scenario("seed-demo")), "zh")
    assert table.loc["旧衣改造"].tolist() == ["200-800 元", "15%-25%", "65%-75%", "35%-45%", "0.8 倍 - 1.2 倍"]
    assert table.loc["季节性存储", "唤醒率"] == "未给出"
    assert set(table["人均年使用次数"]) == {"0.8 倍 - 1.2 倍"}


def test_a_scenarios_own_usage_range_reads_as_the_multiplier_it_applies():
    # [ranges.remake] uses_per_user_per_year = [2, 4]: midpoint 3, so each remake service's own
    # usage is swung to 2/3 and 4/3 of itself: x0.667 - x1.33 (three significant figures)
    table = ranges_table({"remake": {"price": Range(200, 800), "uses_per_user_per_year": Range(2.0, 4.0)}})
    assert table.loc["remake", "uses_per_user_per_year"] == "x0.667 - x1.33"
    assert table.loc["remake", "price"] == "200-800 yuan"
    zh = ranges_table({"remake": {"uses_per_user_per_year": Range(2.0, 4.0)}}, "zh")
    assert zh.loc["旧衣改造", "人均年使用次数"] == "0.667 倍 - 1.33 倍"
