"""aftersales.model.article: the article's printed figures next to its code and the corrected model."""
from __future__ import annotations

import pytest

from aftersales import evaluate, load_scenario
from aftersales.model.article import (HEADLINE, PRINTED_MARGINS, PRINTED_SAMPLE, PRINTED_SERVICE_REVENUE,
                                gap_table, margin_table, storage_billed_per_use)


@pytest.fixture(scope="module")
def gaps():
    return gap_table("seed-demo")


def test_code_and_corrected_columns_are_the_worked_example(gaps):
    seed, corr = gaps["seed (article's code)"], gaps["corrected"]
    assert seed["service revenue"] == pytest.approx(8_838_400)
    assert corr["service revenue"] == pytest.approx(9_299_200)
    assert seed["value-added cost"] == pytest.approx(8_077_440)
    assert corr["value-added cost"] == pytest.approx(10_727_200)
    assert seed["value-added net"] == pytest.approx(760_960)
    assert corr["value-added net"] == pytest.approx(-1_428_000)
    assert seed["wake-up customers"] == pytest.approx(24_912)
    assert corr["wake-up customers"] == pytest.approx(22_174.07, abs=0.01)
    assert seed["total effect"] == pytest.approx(43_385_920)
    assert corr["total effect"] == pytest.approx(8_917_532.29, abs=0.01)
    assert seed["LTV, value-added"] == pytest.approx(3732.81, abs=0.01)
    assert corr["LTV, value-added"] == pytest.approx(3854.63, abs=0.01)
    assert corr["12-month repurchase, value-added"] == pytest.approx(0.39974, abs=1e-5)


def test_printed_and_headline_columns_are_the_article(gaps):
    assert gaps.loc["service revenue", "article printed"] == PRINTED_SAMPLE["service_revenue"] == 8_849_000
    assert gaps.loc["value-added net", "article headline"] == HEADLINE["va_net"] == -1_800_000
    assert gaps.loc["LTV, value-added", "article printed"] == 3833
    assert sum(PRINTED_SERVICE_REVENUE) == pytest.approx(8_839_000)


def test_every_gap_has_a_reason_with_the_library_numbers(gaps):
    assert gaps["why they differ"].str.len().min() > 40
    why = gaps["why they differ"]
    assert "-173.9万" in why["value-added net"]           # docs/model.md: storage billed per use
    assert "4,338.6万" in why["value-added net"]          # what the code prints in that row
    assert "1,330.6万" in why["wake-up revenue"]          # 12,320 x 1,800 x 0.6
    assert "212.8万" in why["value-added cost"]
    assert "4,262.5万" in why["LTV gain (boosts + wake-up sales)"]


def test_storage_billed_per_use_gives_the_model_spec_figure():
    ev = evaluate(storage_billed_per_use("seed-demo"))
    assert ev["va_net"] == pytest.approx(-1_739_040)
    assert all(s["billable_units"] == s["uses"] for s in ev.services)
    # other scenarios pass through unchanged where nothing is billed per month
    sc = load_scenario("seed-demo")
    assert storage_billed_per_use(sc).services[0] == sc.services[0]


def test_margin_table():
    t = margin_table("seed-demo")
    assert list(t["article printed"]) == list(PRINTED_MARGINS)
    assert t["gross margin (computed)"].round(4).tolist() == [0.6429, 0.6552, 0.5703, 0.5455, 0.675]
    assert t["gross margin (computed)"].idxmax() == "Seasonal storage"
