"""Pins of the customer-level simulation (``simulation.simulate_customers``) and of the article
reconciliation (``article``: the printed figures, ``gap_table``, ``gap_reasons``, ``margin_table``).

Every expected value is derived here by hand, or read from the source article's own text (the
Chinese line is quoted in the comment beside the figure), never from the code's output:

- the simulation on a scenario where nobody is woken into buying (wake-up conversion c = 0), so a
  customer's value is a0 + s in the first year and (a0 + s) / 1.1 more if she buys again; with two
  years the sample is two-valued and its mean and standard error std(ddof=1) / sqrt(n) follow from
  the simulated first-year repurchase share alone (docs/model.md, "Lifecycle and LTV");
- the article's figures from its "运行输出示例" (sample output) and its "盈亏对比" table;
- the reasons' figures from docs/model.md's worked example and seed-demo's inputs, checked as
  numbers standing on their own in the sentence (not the sentence's wording, which has no source
  but the code).

The mutation tester runs this file in its first tier.
"""
from __future__ import annotations

import math
import re
from dataclasses import replace

import pytest

from aftersales import load_scenario
from aftersales.model.article import (HEADLINE, PRINTED_MARGINS, PRINTED_SAMPLE, PRINTED_SERVICE_REVENUE,
                                      gap_reasons, gap_table, margin_table)
from aftersales.model.kernel import apply_parameter
from aftersales.model.simulation import simulate_customers

DEMO = load_scenario("seed-demo")
N = 80_000
M = lambda p: 1.1 / (1.1 - p)                         # M(p) = (1 + d) / (1 + d - p), d = 10 %
S_PC = (9_299_200 - 3_827_200) / N                    # worked example: (revenue - cost) / N = 68.4
A0 = 3200 / M(0.28)                                   # base LTV / M(p0) = 3200 x 0.82 / 1.1
V0 = A0 + S_PC                                        # one year lived, undiscounted
NO_WAKE = apply_parameter(DEMO, "brand.wakeup_conversion", 0.0)   # p1 = p0 + (1 - p0) x omega x 0 = p0

RESULT_KEYS = {"customers": int, "years": int, "seed": int, "repurchase_12m_simulated": float,
               "repurchase_12m_closed_form": float, "ltv_simulated": float, "ltv_standard_error": float,
               "ltv_closed_form": float}


# ---------------------------------------------------------------- simulate_customers

def test_simulation_defaults_and_result_keys():
    # The signature's defaults (200,000 customers, 60 years, seed 0) come back in the result, under
    # the documented keys, with their types.
    r = simulate_customers(DEMO)
    assert set(r) == set(RESULT_KEYS)
    assert (r["customers"], r["years"], r["seed"]) == (200_000, 60, 0)
    for key, kind in RESULT_KEYS.items():
        assert type(r[key]) is kind, key
    # worked example: 12-month repurchase 28% -> 39.974%, LTV 3200 -> 3854.63 (closed form)
    assert r["repurchase_12m_closed_form"] == pytest.approx(0.39974, abs=5e-6)
    assert r["ltv_closed_form"] == pytest.approx(3854.63, abs=0.005)
    # the simulation agrees with the closed form within sampling error (docs/model.md)
    assert abs(r["ltv_simulated"] - r["ltv_closed_form"]) < 4 * r["ltv_standard_error"]
    assert r["repurchase_12m_simulated"] == pytest.approx(0.39974, abs=4 * math.sqrt(0.4 * 0.6 / 200_000))
    # the default seed is seed 0: the same draws as asking for it
    assert r == simulate_customers(DEMO, 200_000, 60, 0)


def test_simulation_two_years_mean_and_standard_error_by_hand():
    # c = 0: again = natural only. Two years: k customers buy again and are worth V0 + V0 / 1.1, the
    # other n - k are worth V0. Mean = V0 + (k/n) V0/1.1; a two-valued sample with gap D = V0/1.1 has
    # sample variance D^2 k (n - k) / (n (n - 1)); the standard error is its square root / sqrt(n).
    n = 50
    r = simulate_customers(NO_WAKE, customers=n, years=2, seed=3)
    k = round(r["repurchase_12m_simulated"] * n)
    assert 0 < k < n and r["repurchase_12m_simulated"] == pytest.approx(k / n, abs=1e-12)
    gap = V0 / 1.1
    assert r["ltv_simulated"] == pytest.approx(V0 + k / n * gap, rel=1e-12)
    se = gap * math.sqrt(k * (n - k) / (n * (n - 1))) / math.sqrt(n)
    assert r["ltv_standard_error"] == pytest.approx(se, rel=1e-9)
    # closed form: p1 = p0 = 0.28; LTV = (a0 + s) M(p0) = 3200 + 68.4 x 1.1 / 0.82
    assert r["repurchase_12m_closed_form"] == pytest.approx(0.28, abs=1e-12)
    assert r["ltv_closed_form"] == pytest.approx(3200 + 68.4 * 1.1 / 0.82, rel=1e-12)
    assert (r["customers"], r["years"], r["seed"]) == (50, 2, 3)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_simulation_of_one_customer_reports_her_first_year():
    # One customer: her first year is drawn, so the simulated 12-month repurchase is 0 or 1 (never
    # missing), and her value is V0, or V0 + V0 / 1.1 if she bought again (two years). A sample of
    # one has no standard error: std(ddof=1) divides by n - 1 = 0 (NaN, numpy warns).
    for seed in range(4):
        r = simulate_customers(NO_WAKE, customers=1, years=2, seed=seed)
        assert r["repurchase_12m_simulated"] in (0.0, 1.0)
        expected = V0 + r["repurchase_12m_simulated"] * V0 / 1.1
        assert r["ltv_simulated"] == pytest.approx(expected, rel=1e-12)
        assert math.isnan(r["ltv_standard_error"])


def test_simulation_discounts_every_year_lived():
    # A customer is worth V0 in year one and V0 / 1.1^k more for each year k she is still there, so
    # over 3 years the mean lies between V0 (nobody buys again) and V0 (1 + 1/1.1 + 1/1.21) (everybody
    # does).
    r = simulate_customers(NO_WAKE, customers=2_000, years=3, seed=0)
    assert V0 < r["ltv_simulated"] < V0 * (1 + 1 / 1.1 + 1 / 1.21)
    # more years, more value: every customer's value can only grow with the horizon
    assert simulate_customers(NO_WAKE, customers=2_000, years=4, seed=0)["ltv_simulated"] >= r["ltv_simulated"]


# ---------------------------------------------------------------- the article's printed figures

def test_printed_sample_is_the_articles_text():
    # 运行输出示例, each figure in 万 (x 10,000 yuan):
    # "合计 884.9 69.5%"
    assert PRINTED_SAMPLE["service_revenue"] == pytest.approx(884.9e4)
    # "售后运营成本(万) 680.0 652.8 -27.2"
    assert PRINTED_SAMPLE["va_cost"] == pytest.approx(652.8e4)
    # "售后净盈亏(万) -680.0 232.1 912.1"
    assert PRINTED_SAMPLE["va_net"] == pytest.approx(232.1e4)
    # "唤醒客户数: 12,320 人/年"
    assert PRINTED_SAMPLE["wakeup_customers"] == 12_320
    # "唤醒带来新增营收: ¥133.1 万"
    assert PRINTED_SAMPLE["wakeup_revenue"] == pytest.approx(133.1e4)
    # "服务 LTV 提升: ¥186.3 万"
    assert PRINTED_SAMPLE["ltv_gain"] == pytest.approx(186.3e4)
    # "客户平均 LTV: ¥3833原 ¥3200"
    assert PRINTED_SAMPLE["ltv_value_added"] == 3833
    # rows: "基础旧衣改造 14400 5760 161.3 75.0%", "高级旧衣改造(设计师款) 6400 960 55.7 69.0%",
    # "深度清洗 护理 28000 33600 430.1 61.7%", "修补 翻新 32000 25600 225.3 66.0%",
    # "季节性存储 9600 2880 11.5 75.0%"
    assert PRINTED_SERVICE_REVENUE == pytest.approx((161.3e4, 55.7e4, 430.1e4, 225.3e4, 11.5e4))
    assert PRINTED_MARGINS == pytest.approx((0.750, 0.690, 0.617, 0.660, 0.750))


def test_headline_is_the_articles_table():
    # 盈亏对比: "年售后成本 680 万 520 万", "年售后收入 0 万 340 万", "售后净亏损 -680 万 -180 万",
    # "客户 12 月复购率 28% 38%", "客户生命周期价值 LTV 3200 元 4100 元"
    assert HEADLINE == pytest.approx({
        "traditional_cost": 680e4, "va_cost": 520e4, "traditional_revenue": 0.0, "service_revenue": 340e4,
        "traditional_net": -680e4, "va_net": -180e4, "repurchase_12m_traditional": 0.28,
        "repurchase_12m_value_added": 0.38, "ltv_traditional": 3200.0, "ltv_value_added": 4100.0})


# ---------------------------------------------------------------- gap_table

FIGURES = ["service revenue", "value-added cost", "value-added net", "wake-up customers", "wake-up revenue",
           "wake-up contribution", "LTV gain (boosts + wake-up sales)", "total effect",
           "12-month repurchase, value-added", "LTV, value-added"]
# gap_table's docstring: "yuan a year, people or a share"
UNITS = ["yuan", "yuan", "yuan", "people", "yuan", "yuan", "yuan", "yuan", "share", "yuan"]


@pytest.fixture(scope="module")
def gaps():
    return gap_table()


def test_gap_table_rows_columns_and_units(gaps):
    assert list(gaps.index) == FIGURES
    assert gaps.index.name == "figure"
    assert list(gaps.columns) == ["unit", "article printed", "article headline", "seed (article's code)",
                                  "corrected", "why they differ"]
    assert list(gaps["unit"]) == UNITS


def test_gap_table_article_columns_are_the_articles_text(gaps):
    printed = gaps["article printed"]
    # 运行输出示例 (see test_printed_sample_is_the_articles_text for the quoted lines)
    assert printed["value-added net"] == pytest.approx(232.1e4)
    assert printed["wake-up revenue"] == pytest.approx(133.1e4)
    assert printed["LTV gain (boosts + wake-up sales)"] == pytest.approx(186.3e4)
    assert printed["wake-up customers"] == 12_320
    assert printed["LTV, value-added"] == 3833
    # 盈亏对比: "年售后收入 0 万 340 万", "售后净亏损 -680 万 -180 万", "客户 12 月复购率 28% 38%"
    assert gaps.loc["service revenue", "article headline"] == pytest.approx(340e4)
    assert gaps.loc["value-added net", "article headline"] == pytest.approx(-180e4)
    assert gaps.loc["12-month repurchase, value-added", "article headline"] == pytest.approx(0.38)


def test_gap_table_ltv_gain_of_the_code(gaps):
    # The code's "service LTV gain" = sum(users x LTV extension) + wake-up sales:
    # 14,400 x 280 + 6,400 x 450 + 28,000 x 150 + 32,000 x 120 + 9,600 x 80 = 15,720,000
    # plus the worked example's seed wake-up revenue 26,904,960 = 42,624,960 (= total effect
    # 43,385,920 - net 760,960). The corrected method has no such figure.
    row = gaps.loc["LTV gain (boosts + wake-up sales)"]
    assert row["seed (article's code)"] == pytest.approx(42_624_960)
    assert row["corrected"] is None or math.isnan(row["corrected"])


# ---------------------------------------------------------------- gap_reasons: the figures they quote

def _quotes(text: str, figure: str) -> bool:
    """``figure`` stands in ``text`` as a number of its own: no letter, digit or sign glued to it."""
    return re.search(r"(?<![\w.,\-])" + re.escape(figure) + r"(?!\w)", text) is not None


# Derivations (money in 万 = 10,000 yuan, one decimal; counts with separators):
EXPECTED_FIGURES = {
    # printed rows 161.3 + 55.7 + 430.1 + 225.3 + 11.5 = 883.9; seed revenue 8,838,400; storage per
    # month: 2,880 uses x 4 more months x 40 = 460,800 (storage_billed_per_use's docstring)
    "service revenue": ["(883.9万)", "883.8万", "(46.1万"],
    # team 320万 + logistics 120万 = 440.0万; seed service cost 3,677,440; printed 652.8万 needs
    # 652.8 - 440 = 212.8万; quality check 80万 + resale loss 170万 = 250.0万
    "value-added cost": ["(440.0万)", "(367.7万)", "652.8万", "212.8万", "(250.0万)"],
    # seed total effect 43,385,920; corrected net per use: -1,428,000 - 460,800 revenue
    # + 2,880 x 4 x 13 = 149,760 cost = -1,739,040; headline -180万
    "value-added net": ["(4,338.6万)", "-173.9万", "-180.0万"],
    # seed 24,912, corrected 22,174.07, printed 12,320 (worked example; article)
    "wake-up customers": ["(24,912)", "22,174", "12,320"],
    # 12,320 x 1,800 x 0.6 = 13,305,600; printed 133.1万
    "wake-up revenue": ["12,320", "1,800", "1,330.6万", "133.1万"],
    # seed-demo's product gross margin 0.6
    "wake-up contribution": ["(60%)"],
    # boosts 15,720,000; seed wake-up sales 26,904,960; sum 42,624,960; printed 186.3万
    "LTV gain (boosts + wake-up sales)": ["(1,572.0万)", "(2,690.5万)", "4,262.5万", "186.3万"],
    "total effect": ["(1,572.0万,"],
}


def test_reasons_quote_the_figures_derived_by_hand(gaps):
    for figure, expected in EXPECTED_FIGURES.items():
        text = gaps.loc[figure, "why they differ"]
        for token in expected:
            assert _quotes(text, token), (figure, token, text)


def test_reasons_are_one_sentence_lines(gaps):
    # "one line quoting the library's numbers": each reason ends a sentence, on one line
    for figure, text in gaps["why they differ"].items():
        assert text.endswith("."), figure
        assert "\n" not in text and "  " not in text, figure


def test_gap_reasons_codes_in_row_order():
    why = gap_reasons()
    assert list(why) == ["service_revenue", "va_cost", "va_net", "wakeup_customers", "wakeup_revenue",
                         "wakeup_contribution", "ltv_gain", "total_effect", "repurchase_12m_value_added",
                         "ltv_value_added"]
    assert why["total_effect"] == {"boost": "1,572.0万"}
    assert why["wakeup_contribution"] == {"gm": "60%"}
    assert why["va_cost"]["returns"] == "250.0万"
    assert why["service_revenue"]["more"] == "46.1万"


# ---------------------------------------------------------------- margin_table

def test_margin_table_columns_and_a_row_by_hand():
    m = margin_table()
    # its docstring: indexed by service, columns kind, price, unit cost, gross margin, article printed
    assert m.index.name == "service"
    assert list(m.columns) == ["kind", "price", "unit cost", "gross margin (computed)", "article printed"]
    row = m.loc["Basic remake"]
    # seed-demo: remake at 280 yuan, material 45 + labour 55; margin (280 - 100) / 280; printed 75.0%
    assert (row["kind"], row["price"], row["unit cost"]) == ("remake", 280.0, 100.0)
    assert row["gross margin (computed)"] == pytest.approx(180 / 280)
    assert row["article printed"] == pytest.approx(0.75)


def test_margin_table_past_the_printed_rows_is_empty():
    # A sixth service: the article prints five margins, so its row has none ("None past the
    # printed rows"), and the five printed ones stay in place.
    extra = replace(DEMO.services[0], name="Extra remake")
    sc = replace(DEMO, services=tuple(DEMO.services) + (extra,))
    m = margin_table(sc)
    assert len(m) == 6
    last = m.loc["Extra remake", "article printed"]
    assert last is None or math.isnan(last)
    assert list(m["article printed"])[:5] == pytest.approx([0.75, 0.69, 0.617, 0.66, 0.75])
