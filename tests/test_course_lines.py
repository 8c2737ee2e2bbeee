"""The lines the notebooks print read as a student reads them (expected texts written by hand)."""
from __future__ import annotations

import pytest

from aftersales import load_scenario
from aftersales.course.keys import context_of, has_homework_key, homework_questions, questions
from aftersales.course.lifecycle_lines import touch_lines
from aftersales.course.lines import highest_margin
from aftersales.course.pnl_lines import demo_lines, monte_carlo_lines
from aftersales.course.printouts import leakage_slips


def test_touch_months_read_as_a_sentence_with_the_kinds_names():
    assert touch_lines("en").splitlines()[0] == (
        "Month of the first touch per service kind: seasonal storage 6, remake 8, repair 10, "
        "deep cleaning and care 12")
    assert touch_lines("zh").splitlines()[0] == "各类服务首次使用的月份:季节性存储 6、旧衣改造 8、修补翻新 10、深度清洗护理 12"
    assert "{" not in touch_lines("both")


def test_a_service_named_after_its_kind_is_named_once():
    sc = load_scenario("seed-demo")          # Seasonal storage: (40 - 5 - 8) / 40 = 67.5 %
    assert highest_margin(sc, "zh") == "毛利率最高:季节性存储(67.5%)"
    assert highest_margin(sc, "en") == "Highest gross margin: Seasonal storage (storage, 67.5%)"
    # Wash & care (清洗护理) is not named like its kind (深度清洗护理): both are shown
    assert highest_margin(load_scenario("fast-fashion"), "zh") == "毛利率最高:清洗护理(深度清洗护理,55.6%)"


def test_money_in_wan_is_written_one_way_per_language():
    sc = load_scenario("seed-demo")
    assert demo_lines("seed-demo", "en").splitlines()[0] == "Corrected net of the demo, storage billed per use: -173.9 wan"
    assert demo_lines("seed-demo", "zh").splitlines()[0] == "原文示例按次计费存储时的修正净额:-173.9 万元"
    slips_en, slips_zh = leakage_slips(sc, sc.leakage, "en"), leakage_slips(sc, sc.leakage, "zh")
    assert slips_en.splitlines()[0] == "leakage against price (2), a year:   765.0 wan"
    assert "wan yuan" not in slips_en and "万" not in slips_en + demo_lines("seed-demo", "en")
    assert slips_zh.splitlines()[0] == "相对原价的价值泄漏 (2),全年:765.0 万元"


def test_money_in_wan_with_both_languages_keeps_the_chinese_unit():
    # seed-demo: leakage against price 765.0 wan a year (the en/zh lines above); "both" is the
    # glossary's "English (中文)" rule, as fmt_yuan writes "yuan (元)"
    from aftersales.course.lines import wan_text

    assert (wan_text(7_650_000), wan_text(7_650_000, "zh"), wan_text(7_650_000, "both")) == \
        ("765.0 wan", "765.0 万元", "765.0 wan (万元)")
    sc = load_scenario("seed-demo")
    assert leakage_slips(sc, sc.leakage, "both").splitlines()[0] == \
        "leakage against price (2), a year:   765.0 wan (万元) (相对原价的价值泄漏 (2),全年:765.0 wan (万元))"
    assert demo_lines("seed-demo", "both").splitlines()[0].startswith(
        "Corrected net of the demo, storage billed per use: -173.9 wan (万元) (")


def test_the_keys_take_the_bare_id_as_the_table_of_contents_does():
    assert context_of("05") == "dataset" == context_of("05_after_sales_segmentation")
    assert list(questions("02")) == ["q1", "q2", "q3", "q4", "q5"]
    assert has_homework_key("06") and not has_homework_key("02")
    assert list(homework_questions("06")) == ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]
    with pytest.raises(KeyError, match="no exercises for notebook '06'"):
        questions("06")                      # the homework's key is not a practice notebook's
    with pytest.raises(KeyError, match="no exercises for notebook '99'"):
        questions("99")


def test_each_monte_carlo_median_says_what_it_is_the_median_of():
    summary = {"draws": 1000, "seed": 0, "va_net_p5": -2_163_000, "va_net_p50": -1_430_000,
               "va_net_p95": -614_000, "prob_break_even": 0.0, "prob_total_effect_positive": 1.0,
               "p50": 8_967_000}
    en = monte_carlo_lines(summary, "en").splitlines()
    assert en[0] == "1,000 draws, seed 0: value-added net p5 -216.3 wan, median of the net -143.0 wan, p95 -61.4 wan"
    assert en[2] == ("Counting the wake-up contribution, the total effect is 0 or more in 100.0% of the draws "
                     "(median of the total effect 896.7 wan).")
    zh = monte_carlo_lines(summary, "zh").splitlines()
    assert zh[0] == "1,000 次抽样,种子 0:增值售后净额 p5 -216.3 万元,净额中位数 -143.0 万元,p95 -61.4 万元"
    assert zh[2] == "计入唤醒贡献后,100.0% 的抽样中总效应不低于 0(总效应中位数 896.7 万元)。"
