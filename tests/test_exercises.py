"""aftersales.course.exercises: the answer checker, the key-figure record and the expected answers."""
from __future__ import annotations

import json
import math

import nbformat
import pytest
from hypothesis import given, settings, strategies as st

from aftersales import evaluate, load_scenario, scenario_names
from aftersales.model.kernel import apply_parameter
from aftersales.course.exercises import (EXERCISES, RECORD_MIME, Expected, check, expected_answers,
                                  figure_at, key_figures, read_records, record, wan)
from aftersales.model.leakage import leakage_per_item
from aftersales.course.parameters import ParameterError, whole_number


# ------------------------------------------------------------------------------ check
class TestCheck:
    def test_right_answer_says_right_and_why(self, capsys):
        assert check("1", 680.0, 680.0, why="the four costs added up") is True
        out = capsys.readouterr().out
        assert "Exercise 1: right" in out and "Why: the four costs added up" in out

    def test_wrong_answer_says_how_far_and_why(self, capsys):
        assert check("2", 700.0, 680.0, tolerance=0.5, why="divide by 10,000") is False
        out = capsys.readouterr().out
        assert "not yet" in out and "too high by 20" in out and "expected 680" in out
        assert "Why: divide by 10,000" in out

    def test_too_low(self, capsys):
        assert check("q3", 1.0, 2.0, tolerance=0.1) is False
        assert "too low by 1" in capsys.readouterr().out

    def test_expected_object_brings_tolerance_and_why(self, capsys):
        e = Expected(100.0, 0.5, "because")
        assert check("4", 100.4, e) is True
        assert check("4", 100.6, e) is False
        assert check("4", 100.6, e, tolerance=1.0) is True
        assert "Why: because" in capsys.readouterr().out

    def test_default_tolerance_is_relative(self):
        assert check("5", 1_000_900.0, 1_000_000.0) is True      # 0.09% off
        assert check("5", 1_002_000.0, 1_000_000.0) is False     # 0.2% off

    @pytest.mark.parametrize("bad", [None, "680", float("nan"), float("inf"), True, [680]])
    def test_non_numbers_are_not_checked(self, bad, capsys):
        assert check("6", bad, 680.0) is False
        assert "must be a finite number" in capsys.readouterr().out

    def test_numpy_numbers_are_numbers(self):
        np = pytest.importorskip("numpy")
        assert check("7", np.float64(0.5), 0.5) is True
        assert check("7", np.int64(3), 3) is True

    @settings(max_examples=60, deadline=None)
    @given(expected=st.floats(-1e9, 1e9), delta=st.floats(-10, 10), tol=st.floats(0.01, 5))
    def test_right_exactly_within_tolerance(self, expected, delta, tol):
        assert check("h", expected + delta, expected, tolerance=tol) == (abs((expected + delta) - expected) <= tol)


# ------------------------------------------------------------------------------ records
class TestRecord:
    def test_record_outside_a_kernel_prints_json(self, capsys):
        data = record({"a": 1.5, "b": float("nan")}, notebook="nb", extra={"x": 2})
        assert data == {"notebook": "nb", "figures": {"a": 1.5, "b": None}, "extra": {"x": 2}}
        assert json.loads(capsys.readouterr().out) == data

    def test_read_records_from_a_notebook(self, tmp_path):
        nb = nbformat.v4.new_notebook()
        cell = nbformat.v4.new_code_cell("record(...)")
        payload = {"notebook": "00_start_here", "figures": {"corrected.value_added.net": -1.0}, "extra": {}}
        cell.outputs = [nbformat.v4.new_output("display_data", data={RECORD_MIME: payload, "text/plain": "x"}),
                        nbformat.v4.new_output("stream", text="hello")]
        nb.cells = [cell, nbformat.v4.new_markdown_cell("no outputs here")]
        path = tmp_path / "x.ipynb"
        nbformat.write(nb, str(path))
        assert read_records(path) == [payload]
        assert read_records(nb) == [payload]

    def test_record_in_a_kernel_displays_the_mime_bundle(self):
        from IPython.core.interactiveshell import InteractiveShell
        from IPython.utils.capture import capture_output

        InteractiveShell.instance()
        try:
            with capture_output() as cap:
                record({"corrected.value_added.net": -1428000.0}, notebook="00")
            bundles = [o.data for o in cap.outputs]
            assert any(RECORD_MIME in b for b in bundles)
            b = next(b for b in bundles if RECORD_MIME in b)
            assert b[RECORD_MIME]["figures"]["corrected.value_added.net"] == -1428000.0
            assert "-1,428,000" in b["text/plain"]
        finally:
            InteractiveShell.clear_instance()


# ------------------------------------------------------------------------------ figures
class TestKeyFigures:
    def test_paths_follow_the_evaluate_contract(self):
        sc = load_scenario("seed-demo")
        got = key_figures(sc, ["corrected.value_added.net", "seed.value_added.net",
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


# ------------------------------------------------------------------------------ parameters
class TestWholeNumber:
    def test_accepts_whole_numbers(self):
        assert whole_number("draws", 20_000, low=1_000) == 20_000
        assert whole_number("draws", 2e4) == 20_000

    @pytest.mark.parametrize("value, match", [(-1, ">= 0"), (1.5, "whole number"), ("10", "whole number"),
                                              (True, "whole number"), (10**7, "<= 1,000,000")])
    def test_rejects_with_the_parameter_named(self, value, match):
        with pytest.raises(ParameterError, match=f"parameter draws=.*{match}"):
            whole_number("draws", value, low=0, high=1_000_000)


# ------------------------------------------------------------------------------ expected answers
@pytest.mark.parametrize("scenario", scenario_names())
@pytest.mark.parametrize("notebook", sorted(EXERCISES))
def test_expected_answers_are_finite_for_every_shipped_scenario(notebook, scenario):
    sc = load_scenario(scenario)
    if notebook == "01_value_leakage" and sc.leakage is None:
        with pytest.raises(ValueError, match="leakage"):
            expected_answers(notebook, sc)
        return
    answers = expected_answers(notebook, sc)
    assert 3 <= len(answers) <= 5
    for q, e in answers.items():
        assert isinstance(e, Expected) and e.why, q
        assert e.tolerance > 0
        if not (notebook == "04_pnl_comparison" and q == "5"):    # 38% may be out of reach
            assert math.isfinite(e.value), (notebook, scenario, q)


def test_expected_answers_agree_with_the_worked_example():
    a00 = expected_answers("00_start_here", "seed-demo")
    assert a00["1"].value == pytest.approx(680.0)
    assert a00["2"].value == pytest.approx(85.0)
    assert a00["3"].value == pytest.approx(23_040)
    ev = evaluate("seed-demo")
    assert a00["4"].value == pytest.approx(0.2 * ev["service_contribution"])
    a01 = expected_answers("01_value_leakage", "seed-demo")
    assert (a01["1"].value, a01["2"].value, a01["3"].value) == pytest.approx((225, 7_650_000, 2_250_000))
    assert a01["4"].value == pytest.approx(100) and a01["5"].value == pytest.approx(475)
    a02 = expected_answers("02_service_matrix", "seed-demo")
    assert a02["1"].value == pytest.approx(0.6428571, abs=1e-6)
    assert a02["2"].value == pytest.approx(929.92)
    a03 = expected_answers("03_lifecycle_extension", "seed-demo")
    assert a03["1"].value * 80_000 == pytest.approx(22_174.07, abs=0.01)
    assert a03["2"].value == pytest.approx(24_912 - 22_174.066, abs=0.01)
    assert a03["3"].value == pytest.approx(0.39974, abs=1e-5)
    a04 = expected_answers("04_pnl_comparison", "seed-demo")
    assert a04["1"].value == pytest.approx(760_960 + 1_428_000)
    assert a04["2"].value == pytest.approx(15_720_000)


def test_break_even_answer_really_breaks_even():
    sc = load_scenario("seed-demo")
    m = expected_answers("04_pnl_comparison", sc)["3"].value
    assert evaluate(apply_parameter(sc, "scale.acceptance", m))["va_net"] == pytest.approx(0, abs=1e-3)


def test_leakage_answers_follow_the_library():
    sc = load_scenario("seed-demo")
    a = expected_answers("01_value_leakage", sc)
    c = leakage_per_item(sc.leakage, "corrected")
    assert a["5"].value - sc.leakage.remake_unit_cost == pytest.approx(c["accounting_loss"])


def test_unknown_notebook():
    with pytest.raises(KeyError, match="no exercises for notebook"):
        expected_answers("99_nothing", "seed-demo")
    assert set(expected_answers("notebooks/00_start_here.ipynb", "seed-demo")) == {"1", "2", "3", "4"}
