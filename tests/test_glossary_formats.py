"""The glossary's number formats never write a signed zero, and the formats the course rooms
offer under their old names are the glossary's. Expected values are written by hand."""
from __future__ import annotations

import pytest

from aftersales.glossary import fmt_answer, fmt_margin, fmt_number, fmt_share, fmt_wan, fmt_wan_short


@pytest.mark.parametrize("x,decimals,shown", [
    (-0.00001, 1, "0.0%"),        # -0.001 %: rounds to zero, shown without its sign
    (-0.0004, 1, "0.0%"),         # -0.04 %
    (-0.00001, 3, "-0.001%"),     # enough decimals to see it: the sign stays
    (-0.002, 1, "-0.2%"),
    (-0.25, 1, "-25.0%"),
    (0.0, 1, "0.0%"),
    (0.39974, 2, "39.97%"),
    (12.5, 0, "1,250%"),
])
def test_a_share_is_a_percentage_without_a_signed_zero(x, decimals, shown):
    assert fmt_share(x, decimals) == shown


def test_missing_shares_and_margins():
    assert fmt_share(None) == "-" and fmt_share(float("nan")) == "-"
    assert fmt_margin(-0.00001, 280.0) == "0.0%"


def test_the_other_formats_keep_their_rule():
    assert fmt_number(-0.004, 2) == "0.00" and fmt_number(-1234.5, 0) == "-1,234"
    assert fmt_wan(-400) == "0.0 wan yuan" and fmt_wan(-1_428_000, "zh") == "-142.8 万元"
    assert fmt_wan_short(-1_428_000) == "-142.8 wan" and fmt_wan_short(-400) == "0.0 wan"


def test_a_recorded_answer_reads_as_before():
    # whole numbers with separators; below 1: four decimals and a percentage; below 100: four decimals
    assert fmt_answer(80000) == "80,000"
    assert fmt_answer(0.4) == "0.4000 (40.00%)"
    assert fmt_answer(-0.125) == "-0.1250 (-12.50%)"
    assert fmt_answer(12.3456789) == "12.3457"
    assert fmt_answer(1234567.891) == "1,234,567.89"


def test_the_course_rooms_offer_the_glossarys_formats():
    from aftersales.course.exercises import wan
    from aftersales.course.lines import wan_text
    from aftersales.course.records import format_value

    for v in (80000, 0.4, 1234567.891, -3.5):
        assert format_value(v) == fmt_answer(v)
    assert wan(-1_428_000) == "-142.8 wan" and wan_text(-1_428_000) == "-142.8 wan"
    assert wan_text(-1_428_000, "zh") == "-142.8 万元"


# ------------------------------------------------------------------- an input's label in each language
@pytest.mark.parametrize("lang, shown", [
    ("en", "all services: acceptance x"),
    ("zh", "所有服务:客户接受度倍数"),
    ("both", "all services: acceptance x (所有服务:客户接受度倍数)"),   # English (中文), each part once
])
def test_a_multiplier_on_every_service_is_labelled_once_per_language(lang, shown):
    from aftersales.glossary import input_label
    assert input_label("acceptance", lang, service="*") == shown


@pytest.mark.parametrize("lang, shown", [
    ("en", "Basic remake: price"),
    ("zh", "基础旧衣改造:价格"),
    ("both", "Basic remake (基础旧衣改造): price (价格)"),
])
def test_an_input_of_one_service_names_the_service_and_the_field(lang, shown):
    from aftersales.glossary import input_label
    assert input_label("price", lang, service="Basic remake") == shown


def test_the_chinese_name_of_a_field_is_written_once_in_every_both_label():
    """Every input, for every service form: its Chinese name appears exactly once with lang="both"."""
    from aftersales.glossary import INPUTS, input_label
    for field in INPUTS:
        zh = INPUTS[field]("zh")
        for service in (None, "*", "Basic remake"):
            assert input_label(field, "both", service).count(zh) == 1, (field, service)


def test_the_sensitivity_chart_label_of_a_scale_input_follows_the_rule():
    from aftersales.course.charts import parameter_label
    assert parameter_label("scale.acceptance", "both") == "all services: acceptance x (所有服务:客户接受度倍数)"
    assert parameter_label("scale.acceptance", "zh") == "所有服务:客户接受度倍数"
