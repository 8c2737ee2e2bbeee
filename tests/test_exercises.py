"""The one exercise protocol: the practice checker, its slips and words, the record format and its reader,
the expected answers of every notebook (against hand-derived values), the leakage example from the brand."""
from __future__ import annotations

import dataclasses
import json
import math
import re

import nbformat
import pytest
from hypothesis import given, settings, strategies as st

from aftersales import load_scenario, scenario_names
from aftersales.course import answers as answers_module
from aftersales.course.checker import Question, half_unit, judge, message, tolerance_of, within
from aftersales.course.exercises import (EXERCISES, RECORD_MIME, Expected, Practice, answer, expected_answers,
                                         figure_at, key_figures, practice, read_records, record, record_case, wan)
from aftersales.course.keys import context_of, questions
from aftersales.course.parameters import (ARTICLE_RECOVERY_RATE, ParameterError, leakage_inputs,
                                          whole_number, with_leakage)
from aftersales.model.kernel import apply_parameter

SEED = load_scenario("seed-demo")
#: the notebooks whose expected answers are computed from the scenario (05 and 07: tests/test_exercises_data.py)
ON_SCENARIO = sorted(nb for nb in EXERCISES if context_of(nb) == "scenario")
NO_LEAKAGE = dataclasses.replace(SEED, name="no-leakage", leakage=None)


@pytest.fixture
def shown(monkeypatch):
    """Every record a check or answer displays, as (data, text), with IPython's display replaced."""
    import IPython
    import IPython.display

    seen = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display",
                        lambda data, raw=False: seen.append((data[RECORD_MIME], data["text/plain"])))
    return seen


def _say(p: Practice, qid: str, value, shown) -> str:
    p(qid, value)
    return shown[-1][1]


# ------------------------------------------------------------------------------ the tolerance rule
class TestToleranceRule:
    def test_two_decimals_accept_the_rounded_and_the_exact_answer(self, shown):
        p = practice("00_start_here", SEED)                 # q3: yuan per returned item, two decimals
        exact = 6_800_000 / 23_040                          # 295.1388...
        for value in (exact, 295.14, round(exact, 3)):
            assert "right" in _say(p, "q3", value, shown), value
        for value in (295.1, 295.15, 295.0):
            assert "not yet" in _say(p, "q3", value, shown), value

    def test_one_decimal_of_wan(self, shown):
        p = practice("00_start_here", SEED)                 # q1: 万 yuan, one decimal: 680.0
        assert "right" in _say(p, "q1", 680, shown)
        assert "right" in _say(p, "q1", 680.04, shown)
        assert "not yet" in _say(p, "q1", 680.06, shown)

    @settings(max_examples=60, deadline=None)
    @given(expected=st.floats(-1e7, 1e7), delta=st.floats(-1, 1), decimals=st.integers(0, 4))
    def test_right_exactly_when_within_half_a_unit_of_the_last_decimal(self, expected, delta, decimals):
        q = Question("q1", "yuan", decimals, lambda sc: expected, method="m", why="w")
        v = judge(q, expected + delta, expected)
        assert v.right == (abs((expected + delta) - expected) <= tolerance_of(decimals, expected))

    def test_the_tolerance_is_half_the_last_decimal(self):
        assert tolerance_of(0, 10.0) == pytest.approx(0.5)
        assert tolerance_of(4, 0.4) == pytest.approx(0.00005)

    def test_one_rule_for_the_checker_and_the_grader(self):
        """The tolerance a question records (the homework key's) is the checker's, without the float hair."""
        assert [half_unit(d) for d in range(5)] == [0.5, 0.05, 0.005, 0.0005, 0.00005]
        q = Question("q1", "yuan", 2, lambda sc: 6_800_000 / 23_040, method="m", why="w", partial=((100, 0.5),))
        assert q.tolerance() == 0.005 and q.ladder() == [(0.5, 0.5)]
        exact = 6_800_000 / 23_040                           # 295.1388...
        assert within(295.14, exact, q.tolerance()) and not within(295.15, exact, q.tolerance())
        assert within(295.5, exact, q.ladder()[0][0]) and not within(295.7, exact, q.ladder()[0][0])
        for value in (295.14, 295.15, 295.0, exact):
            assert judge(q, value, exact).right == within(value, exact, q.tolerance())

    @pytest.mark.parametrize("kwargs, match", [({"decimals": -1}, "decimals must be a whole number"),
                                               ({"decimals": 2.0}, "decimals must be a whole number"),
                                               ({"partial": ((0.5, 0.5),)}, "a multiple > 1"),
                                               ({"partial": ((10, 1.0),)}, "a share between 0 and 1")])
    def test_a_question_that_cannot_be_marked_is_refused(self, kwargs, match):
        args = {"decimals": 2, **kwargs}
        with pytest.raises(ValueError, match=f"question q1: .*{match}"):
            Question("q1", "yuan", args.pop("decimals"), float, method="m", why="w", **args)


# ------------------------------------------------------------------------------ the words
class TestWords:
    def test_empty_answer_is_not_answered_yet_and_counts_no_try(self, shown):
        p = practice("02_service_matrix", SEED)
        text = _say(p, "q1", None, shown)
        assert text.startswith("q1: not answered yet") and "share between 0 and 1" in text
        assert "four decimals" in text
        assert shown[-1][0]["verdict"] == "unanswered" and shown[-1][0]["value"] is None
        assert p.tries.get("q1", 0) == 0

    @pytest.mark.parametrize("bad", ["0.64", [0.64], True, float("nan"), float("inf")])
    def test_non_numbers_are_not_checked(self, bad, shown):
        p = practice("02_service_matrix", SEED)
        text = _say(p, "q1", bad, shown)
        assert "not checked" in text and "must be a number" in text

    def test_numpy_numbers_are_numbers(self, shown):
        np = pytest.importorskip("numpy")
        p = practice("02_service_matrix", SEED)
        assert "right" in _say(p, "q1", np.float64(180 / 280), shown)

    def test_a_percentage_for_a_share(self, shown):
        p = practice("03_lifecycle_extension", SEED)        # q3: p1 = 0.39974
        text = _say(p, "q3", 39.97, shown)
        assert "percentage" in text and "0.25 for 25%" in text
        assert shown[-1][0]["slip"] == "percent"

    def test_yuan_for_wan(self, shown):
        p = practice("00_start_here", SEED)                 # q1: 680.0 万
        text = _say(p, "q1", 6_800_000, shown)
        assert "looks like yuan" in text and "divide yuan by 10,000" in text

    def test_wan_for_yuan(self, shown):
        p = practice("02_service_matrix", SEED)             # q3: 2,452,800 yuan
        text = _say(p, "q3", 245.28, shown)
        assert "looks like 万 yuan" in text and shown[-1][0]["slip"] == "wan_for_yuan"

    def test_a_sign_error(self, shown):
        p = practice("04_pnl_comparison", SEED)             # q1: seed overstates the net by 2,188,960
        text = _say(p, "q1", -2_188_960, shown)
        assert "the sign is not" in text and shown[-1][0]["slip"] == "sign"

    def test_a_total_for_a_per_customer_figure(self, shown):
        p = practice("02_service_matrix", SEED)             # q5: 68.40 yuan per customer
        text = _say(p, "q5", 5_472_000, shown)
        assert "That is a total" in text and "per customer" in text

    def test_a_per_customer_figure_for_a_total(self, shown):
        p = practice("00_start_here", SEED)                 # q4: revenue of the first service, a total
        text = _say(p, "q4", 1_612_800 / 80_000, shown)
        assert "That is per customer" in text and shown[-1][0]["slip"] == "per_for_total"

    def test_a_per_item_figure_in_yuan_for_a_yearly_total_in_wan(self, shown):
        p = practice("01_value_leakage", SEED)              # q2: 765.0 万 a year; 1,275 yuan an item
        assert "That is per item" in _say(p, "q2", 1_275, shown)

    def test_a_bare_85_does_not_pass_where_85_yuan_was_not_asked(self, shown):
        p = practice("00_start_here", SEED)                 # q3: per returned item, 295.14 yuan
        text = _say(p, "q3", 85, shown)
        assert "not yet" in text and "per active customer" in text and "per returned item" in text
        assert shown[-1][0]["slip"] == "trap"

    def test_the_method_after_two_wrong_tries_never_the_number(self, shown):
        p = practice("03_lifecycle_extension", SEED)
        first = _say(p, "q1", 0.5, shown)
        assert "Method" not in first and "Try again" in first
        second = _say(p, "q1", 0.51, shown)
        assert "Method: for each service the chance of NOT being woken" in second
        assert shown[-1][0]["tries"] == 2
        expected = p.expected("q1")
        for _, text in shown:
            for form in (f"{expected:.4f}", f"{expected:.3f}", f"{expected:.2%}", f"{expected * 100:.2f}"):
                assert form not in text, f"the checker showed the expected answer: {text}"

    def test_no_message_shows_the_expected_number(self, shown):
        for nb in ON_SCENARIO:
            p = practice(nb, SEED)
            for qid in p.questions:
                e = p.expected(qid)
                for wrong in (e * 1.5 + 1, e * 100, -e, None):
                    p(qid, wrong)
                    text = re.sub(r"\(.*?\)", "", shown[-1][1], count=1)    # the student's own number
                    digits = {f"{e:,.{k}f}" for k in (1, 2, 3, 4)} | {f"{e:.{k}f}" for k in (2, 3, 4)}
                    digits = {d for d in digits if len(d.replace(",", "").replace(".", "").strip("0-")) >= 3}
                    assert not any(d in text for d in digits), (nb, qid, text)

    def test_right_says_why(self, shown):
        p = practice("01_value_leakage", SEED)
        text = _say(p, "q4", 100, shown)
        assert "right" in text and "Why: the two methods differ by exactly the remake unit cost k" in text

    def test_chinese_words(self, shown):
        p = practice("03_lifecycle_extension", SEED, lang="zh")
        assert "尚未作答" in _say(p, "q3", None, shown)
        text = _say(p, "q3", 39.97, shown)
        assert "百分数" in text and "0.25" in text
        assert "正确" in _say(p, "q3", 0.3997, shown)
        both = practice("03_lifecycle_extension", SEED, lang="both")
        text = _say(both, "q3", None, shown)
        assert "not answered yet" in text and "尚未作答" in text

    def test_unknown_question_and_language(self):
        with pytest.raises(KeyError, match="has no question 'q9'"):
            practice("00_start_here", SEED)("q9", 1)
        with pytest.raises(ValueError, match="lang must be one of"):
            practice("00_start_here", SEED, lang="fr")
        with pytest.raises(KeyError, match="no exercises for notebook"):
            practice("99_nothing", SEED)


# ------------------------------------------------------------------------------ records
def _bundle_output(data: dict) -> dict:
    return {"output_type": "display_data", "metadata": {}, "data": {RECORD_MIME: data, "text/plain": "x"}}


class TestRecords:
    def test_homework_names_are_the_protocol_names(self):
        assert answers_module.answer is answer and answers_module.record_case is record_case
        assert answers_module.read_records is read_records and answers_module.MIME_TYPE == RECORD_MIME

    def test_record_outside_a_kernel_prints_once_and_returns_nothing(self, capsys):
        assert record({"a": 1.5, "b": float("nan")}, notebook="nb", extra={"x": 2}) is None
        out = capsys.readouterr().out
        assert out.count("Key figures recorded for nb") == 1 and "1.5" in out

    def test_one_display_per_record_in_a_kernel(self, shown):
        record({"corrected.value_added.net": -1428000.0}, notebook="00_start_here")
        assert len(shown) == 1
        data, text = shown[0]
        assert data == {"kind": "figures", "notebook": "00_start_here",
                        "figures": {"corrected.value_added.net": -1428000.0}, "extra": {}}
        assert "-1,428,000" in text

    def test_a_check_leaves_an_answer_record(self, shown):
        practice("01_value_leakage", SEED)("q1", 225)
        assert shown[-1][0] == {"kind": "answer", "question": "q1", "value": 225.0,
                                "notebook": "01_value_leakage", "verdict": "right", "slip": None, "tries": 0}

    def test_answer_and_case_records(self, shown):
        answer("q3", -12.5)
        record_case("007", avg_order_value=1800)
        assert shown[0][0] == {"kind": "answer", "question": "q3", "value": -12.5}
        assert shown[1][0] == {"kind": "case", "student_id": "007", "parameters": {"avg_order_value": 1800.0}}

    def test_the_case_language_is_per_notebook_not_per_process(self, shown):
        # two notebooks in one process: a Chinese case in one leaves the other's answers in English
        zh_nb, en_nb = {"answer": answer, "record_case": record_case}, {"answer": answer, "record_case": record_case}
        exec('record_case("007", lang="zh")\nanswer("q1", 80000)', zh_nb)
        exec('answer("q1", 80000)', en_nb)
        exec('answer("q2", 2)', zh_nb)
        assert [text for _, text in shown[1:]] == ["q1 = 80,000   (已记录答案)", "q1 = 80,000   (answer recorded)",
                                                   "q2 = 2   (已记录答案)"]
        answer("q3", 1, lang="zh")                       # a language given to the call wins
        exec('answer("q4", 1, lang="en")', zh_nb)
        assert [text for _, text in shown[4:]] == ["q3 = 1   (已记录答案)", "q4 = 1   (answer recorded)"]
        with pytest.raises(ValueError, match="lang must be one of"):
            answer("q5", 1, lang="fr")

    def test_the_case_language_reaches_the_notebook_through_a_helper_module(self, shown, tmp_path, monkeypatch):
        # a teacher's helper module calls record_case and answer for the notebook: in a kernel the
        # language is the notebook's (IPython's user_ns), not the helper module's
        import importlib
        import types

        import IPython

        (tmp_path / "hw_helpers_p18.py").write_text(
            "from aftersales.course.answers import answer, record_case\n"
            "def start(sid, lang):\n    record_case(sid, lang=lang)\n"
            "def submit(q, v):\n    answer(q, v)\n", encoding="utf-8")
        monkeypatch.syspath_prepend(str(tmp_path))
        helpers = importlib.import_module("hw_helpers_p18")
        zh_kernel, en_kernel = types.SimpleNamespace(user_ns={}), types.SimpleNamespace(user_ns={})
        monkeypatch.setattr(IPython, "get_ipython", lambda: zh_kernel)
        helpers.start("007", "zh")
        zh_kernel.user_ns.update(answer=answer)
        exec('answer("q1", 80000)', zh_kernel.user_ns)          # the notebook's own answer()
        helpers.submit("q2", 2)                                  # and through the helper
        monkeypatch.setattr(IPython, "get_ipython", lambda: en_kernel)   # another notebook, no case
        helpers.submit("q1", 3)
        assert [text for _, text in shown] == ["学生 '007' 的案例:", "q1 = 80,000   (已记录答案)",
                                               "q2 = 2   (已记录答案)", "q1 = 3   (answer recorded)"]
        assert "_aftersales_case_lang" not in vars(helpers)
        # outside a kernel the direct caller's namespace is the notebook's, as before
        monkeypatch.setattr(IPython, "get_ipython", lambda: None)
        monkeypatch.setattr(IPython.display, "display", lambda data, raw=False: shown.append((None, data)))
        direct = {"answer": answer, "record_case": record_case}
        exec('record_case("8", lang="zh")\nanswer("q1", 1)', direct)
        assert direct["_aftersales_case_lang"] == "zh" and shown[-1] == (None, "q1 = 1   (已记录答案)")

    def test_a_refused_case_leaves_the_language_alone(self, shown):
        nb = {"answer": answer, "record_case": record_case}
        with pytest.raises(ValueError, match="parameter flag=True must be a number or text"):
            exec('record_case("7", lang="zh", flag=True)', nb)
        with pytest.raises(ValueError, match="lang must be one of"):
            exec('record_case("7", lang="cn")', nb)
        exec('answer("q1", 5)', nb)
        assert "_aftersales_case_lang" not in nb and shown[-1][1] == "q1 = 5   (answer recorded)"

    def test_both_languages_on_the_case_and_answer_lines(self, shown):
        nb = {"answer": answer, "record_case": record_case}
        exec('record_case("007", lang="both", active_customers=50_000, seed=3)\nanswer("q1", 0.35)', nb)
        answer("q2", 35, unit="share", lang="both")
        assert shown[0][1] == "Case of student 007 (学生 007 的案例): active customers (活跃客户数) 50,000, seed 3"
        assert shown[1][1] == "q1 = 0.3500 (35.00%)   (answer recorded) (已记录答案)"
        assert shown[2][1] == ("q2 = 35   (answer recorded) (已记录答案)\n  Warning: q2 asks for a share between 0 and 1; "
                               "35 looks like a percentage. Write 0.35 for 35%. "
                               "(注意:q2 要求 0 到 1 之间的比例;35 像是百分数。35% 请写作 0.35。)")

    def test_read_records_reads_every_kind(self, tmp_path):
        figures = {"kind": "figures", "notebook": "02_service_matrix", "figures": {"x": 1.0}, "extra": {}}
        old = {"notebook": "05", "figures": {"layers": 5}, "extra": {}}          # written before kinds
        nb = nbformat.v4.new_notebook()
        nb.cells = [nbformat.v4.new_code_cell('record_case("7")'),
                    nbformat.v4.new_code_cell("record(...)"),
                    nbformat.v4.new_code_cell('q1 = None\ncheck("q1", q1)'),
                    nbformat.v4.new_code_cell('q1 = 0.64\ncheck("q1", q1)'),
                    nbformat.v4.new_markdown_cell("text"),
                    nbformat.v4.new_code_cell('1/0\nanswer("q2", b)')]
        nb.cells[0].outputs = [nbformat.from_dict(_bundle_output(
            {"kind": "case", "student_id": "7", "parameters": {}}))]
        nb.cells[1].outputs = [nbformat.from_dict(_bundle_output(figures)),
                               nbformat.from_dict(_bundle_output(old))]
        nb.cells[2].outputs = [nbformat.from_dict(_bundle_output(
            {"kind": "answer", "question": "q1", "value": None, "verdict": "unanswered"}))]
        nb.cells[3].outputs = [nbformat.from_dict(_bundle_output(
            {"kind": "answer", "question": "q1", "value": 0.64, "verdict": "right"}))]
        nb.cells[5].outputs = [nbformat.v4.new_output("error", ename="ZeroDivisionError",
                                                      evalue="division by zero", traceback=[])]
        path = tmp_path / "x.ipynb"
        nbformat.write(nb, str(path))
        for source in (path, nb, json.loads(path.read_text(encoding="utf-8"))):
            rec = read_records(source)
            assert rec["case"]["student_id"] == "7"
            assert rec["figures"] == [figures, {**old, "kind": "figures"}]
            assert rec[-1]["figures"] == {"layers": 5} and rec[0] == figures
            assert rec["answers"] == {"q1": {"value": 0.64, "verdict": "right", "cell": 3}}
            assert [c["verdict"] for c in rec["checks"]] == ["unanswered", "right"]
            assert rec["answer_cells"] == {"q1": 2, "q2": 5}
            assert rec["errors"] == [{"cell": 5, "ename": "ZeroDivisionError", "evalue": "division by zero"}]

    def test_json_stored_as_text_is_read(self):
        nb = {"cells": [{"cell_type": "code", "source": "", "outputs": [
            {"output_type": "display_data",
             "data": {RECORD_MIME: json.dumps({"kind": "answer", "question": "q2", "value": 3.0})}}]}]}
        assert read_records(nb)["answers"] == {"q2": {"value": 3.0, "cell": 0}}


# ------------------------------------------------------------------------------ figures
class TestKeyFigures:
    def test_paths_follow_the_evaluate_contract(self):
        got = key_figures(SEED, ["corrected.value_added.net", "seed.value_added.net",
                                 "corrected.services.4.billable_units", "seed.services.4.billable_units",
                                 "corrected.leakage.per_item.remake_own_recovery",
                                 "seed.lifecycle.repurchase_12m_value_added"])
        assert got["corrected.value_added.net"] == pytest.approx(-1_428_000)
        assert got["seed.value_added.net"] == pytest.approx(760_960)
        assert got["corrected.services.4.billable_units"] == pytest.approx(14_400)
        assert got["seed.services.4.billable_units"] == pytest.approx(2_880)
        assert got["corrected.leakage.per_item.remake_own_recovery"] == pytest.approx(425)
        assert got["seed.lifecycle.repurchase_12m_value_added"] is None

    @pytest.mark.parametrize("path, match", [("value_added.net", "must start with"),
                                             ("corrected.value_added.nett", "not one of"),
                                             ("corrected.value_added.net.x", "below a number")])
    def test_bad_paths_are_named(self, path, match):
        with pytest.raises(KeyError, match=match):
            key_figures("seed-demo", [path])

    def test_figure_at_lists(self):
        assert figure_at({"a": [{"b": 3}]}, "a.0.b") == 3

    def test_wan(self):
        assert wan(-1_428_000) == "-142.8 wan"


class TestWholeNumber:
    def test_accepts_whole_numbers(self):
        assert whole_number("draws", 20_000, low=1_000) == 20_000
        assert whole_number("draws", 2e4) == 20_000

    @pytest.mark.parametrize("value, match", [(-1, ">= 0"), (1.5, "whole number"), ("10", "whole number"),
                                              (True, "whole number"), (10**7, "<= 1,000,000")])
    def test_rejects_with_the_parameter_named(self, value, match):
        with pytest.raises(ParameterError, match=f"parameter draws=.*{match}"):
            whole_number("draws", value, low=0, high=1_000_000)


# ------------------------------------------------------------------------------ the keys
@pytest.mark.parametrize("notebook", sorted(EXERCISES))
def test_questions_are_q1_to_qn_with_their_words(notebook):
    qs = questions(notebook)
    assert list(qs) == [f"q{i}" for i in range(1, len(qs) + 1)] and 3 <= len(qs) <= 5
    for q in qs.values():
        assert q.method and q.why and 0 <= q.decimals <= 4


@pytest.mark.parametrize("scenario", scenario_names())
@pytest.mark.parametrize("notebook", ON_SCENARIO)
def test_expected_answers_are_finite_for_every_shipped_scenario(notebook, scenario):
    sc = load_scenario(scenario)
    for variant in (sc, dataclasses.replace(sc, leakage=None)):
        for q, e in expected_answers(notebook, variant).items():
            assert isinstance(e, Expected) and e.why and e.tolerance > 0
            assert math.isfinite(e.value), (notebook, scenario, q)


def test_expected_answers_agree_with_hand_derived_values():
    """seed-demo, figures derived by hand from the scenario file and MODEL.md's worked example."""
    got = {nb: {q: e.value for q, e in expected_answers(nb, SEED).items()} for nb in ON_SCENARIO}
    assert got["00_start_here"] == pytest.approx({
        "q1": 680.0, "q2": 80_000 * 1.6 * 0.18, "q3": 6_800_000 / 23_040,
        "q4": 80_000 * 0.18 * 0.4 * 280, "q5": 0.2 * (9_299_200 - 3_827_200)})
    assert got["01_value_leakage"] == pytest.approx({
        "q1": 225, "q2": 1_275 * 6_000 / 1e4, "q3": (600 - 225) * 6_000 / 1e4, "q4": 100, "q5": 475})
    assert got["02_service_matrix"] == pytest.approx({
        "q1": 180 / 280, "q2": 929.92, "q3": 80_000 * 0.35 * 1.2 * (128 - 55),
        "q4": 9_299_200 * 1.1 * 0.9 - 3_827_200 * 0.9, "q5": 5_472_000 / 80_000})
    omega = 1 - (1 - .18 * .38) * (1 - .08 * .45) * (1 - .35 * .22) * (1 - .40 * .28) * (1 - .12 * .15)
    assert got["03_lifecycle_extension"] == pytest.approx({
        "q1": omega, "q2": 24_912 - 22_174.066, "q3": 0.39974, "q4": 3854.63, "q5": 0.10 / (0.72 * 0.6)},
        abs=1e-2)
    assert got["03_lifecycle_extension"]["q3"] == pytest.approx(0.28 + 0.72 * omega * 0.6, abs=1e-12)
    assert got["04_pnl_comparison"]["q1"] == pytest.approx(760_960 + 1_428_000)
    assert got["04_pnl_comparison"]["q2"] == pytest.approx(15_720_000)
    assert got["04_pnl_comparison"]["q5"] == pytest.approx(1_034.553229, abs=1e-6)
    assert 0 < got["04_pnl_comparison"]["q4"] < 1


def test_break_even_answer_really_breaks_even():
    from aftersales import evaluate

    m = expected_answers("04_pnl_comparison", SEED)["q3"].value
    assert evaluate(apply_parameter(SEED, "scale.acceptance", m))["va_net"] == pytest.approx(0, abs=1e-3)


# ------------------------------------------------------------------------------ leakage from the brand
class TestLeakageFromTheBrand:
    def test_the_table_is_used_when_there_is_one(self):
        lk, note = leakage_inputs(SEED)
        assert lk is SEED.leakage and "[leakage] table" in note

    def test_built_from_the_brand_without_a_table(self):
        lk, note = leakage_inputs(NO_LEAKAGE)
        assert (lk.original_price, lk.recovery_rate, lk.items_per_year) == (1800.0, 0.15, 23_040.0)
        assert lk.cogs_ratio == pytest.approx(0.4)
        assert (lk.remake_fee_own_customer, lk.remake_unit_cost) == (280.0, 100.0)     # Basic remake
        assert lk.remake_fee_new_customer == pytest.approx(280 * 500 / 300)
        assert ARTICLE_RECOVERY_RATE == 0.15
        assert "no [leakage] table" in note and "order value" in note and "15%" in note

    def test_without_a_remake_service_the_article_fees_scale_with_the_price(self):
        sc = dataclasses.replace(NO_LEAKAGE, services=tuple(s for s in SEED.services if s.kind != "remake"))
        lk, note = leakage_inputs(sc)
        assert lk.remake_fee_own_customer == pytest.approx(1800 * 300 / 1500)
        assert lk.remake_unit_cost == pytest.approx(1800 * 100 / 1500)
        assert "article's remake fees" in note

    def test_with_leakage_fills_the_scenario(self):
        sc, _ = with_leakage(NO_LEAKAGE)
        assert sc.leakage is not None and sc.leakage.original_price == 1800.0
        assert key_figures(sc, ["corrected.leakage.per_item.traditional_recovery"])[
            "corrected.leakage.per_item.traditional_recovery"] == pytest.approx(270)
        assert with_leakage(SEED)[0] is SEED

    def test_notebook_01_answers_follow_the_built_example(self):
        a = expected_answers("01_value_leakage", NO_LEAKAGE)
        assert a["q1"].value == pytest.approx(270)
        assert a["q2"].value == pytest.approx((1800 - 270) * 23_040 / 1e4)
        assert a["q5"].value == pytest.approx(1800 * 0.4 - 270 + 100)


def test_messages_name_no_tolerance_in_scientific_notation(shown):
    for nb in ON_SCENARIO:
        p = practice(nb, SEED)
        for qid in p.questions:
            p(qid, p.expected(qid))
            assert not re.search(r"\de-\d", shown[-1][1]), shown[-1][1]
            assert shown[-1][0]["verdict"] == "right", (nb, qid, shown[-1][1])


def test_a_homework_share_given_as_a_percentage_is_flagged(shown):
    answer("q5", 39.97, unit="share")
    data, text = shown[-1]
    assert data == {"kind": "answer", "question": "q5", "value": 39.97}
    assert "looks like a percentage" in text and "0.3997" in text
    answer("q5", 0.3997, unit="share")
    assert "Warning" not in shown[-1][1]
