"""Homework variants, answer keys, student versions and grading (aftersales.teacher.homework, aftersales.course.answers).

The end-to-end test makes variants for a 30-student roster twice, then grades one batch with a
correct, a wrong, a raising, a never-finishing, a copied (wrong variant) and 25 missing
submissions: five kernels, run two at a time.
"""
from __future__ import annotations

import csv
import json
import math
import shutil
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.teacher import homework as hw
from aftersales.course.answers import MIME_TYPE, answer, format_value, read_records, record_case
from aftersales.course.parameters import scenario_from_parameters

ROOT = Path(__file__).resolve().parent.parent
NB06 = ROOT / "notebooks" / "06_homework_case.ipynb"

ROSTER_IDS = ["007", "12", "0012", "1", "2024001", "3.5", "alice", "Bob Smith", "carol-w", "d_e",
              "张伟", "李娜", "王芳", "陈静", "刘洋", "赵磊 (B班)", "x7", "42", "0", "zoe",
              "student 19", "mañana", "O'Neil", "2024/15", "a\\b", "yz", "99", "100", "孙悟空", "last"]


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write_roster(path: Path, ids, names=True) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student_id", "name"] if names else ["student_id"])
        for i, sid in enumerate(ids):
            w.writerow([sid, f"Student {i}"] if names else [sid])
    return path


def tree_bytes(d: Path) -> dict[str, bytes]:
    return {str(p.relative_to(d)): p.read_bytes() for p in sorted(d.rglob("*")) if p.is_file()}


def injected(nb) -> dict:
    cell = next(c for c in nb.cells if "injected-parameters" in c.metadata.get("tags", []))
    return hw.cell_assignments(cell.source)


def solution_lines(nb) -> list[str]:
    lines, inside = [], False
    for c in nb.cells:
        for line in c.source.split("\n"):
            if "BEGIN SOLUTION" in line:
                inside = True
            elif "END SOLUTION" in line:
                inside = False
            elif inside and line.strip():
                lines.append(line.strip())
    return lines


# ------------------------------------------------------------------ fixtures
@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Variants for 30 students, made twice into two folders."""
    tmp = tmp_path_factory.mktemp("homework")
    roster = write_roster(tmp / "roster.csv", ROSTER_IDS)
    a = hw.make_variants(NB06, roster, tmp / "a", seed=7)
    hw.make_variants(NB06, roster, tmp / "b", seed=7)
    return tmp, a


# ------------------------------------------------------------------ the notebook
def test_notebook06_follows_the_conventions():
    nb = nbformat.read(NB06, as_version=4)
    assert nb.metadata.kernelspec["name"] == "python3"
    assert "Learning objectives" in nb.cells[0].source
    p = hw.parameters_cell_index(nb)
    assert "scenario_from_parameters" in nb.cells[p + 1].source
    defaults = hw.cell_assignments(nb.cells[p].source)
    assert isinstance(defaults["student_id"], str)
    assert set(hw.PARAMETER_RANGES) <= set(defaults)
    for c in nb.cells:
        if c.cell_type == "code":
            assert c.outputs == [] and c.execution_count is None
    assert hw.questions_in(nb) == [q.id for q in hw.QUESTIONS]
    assert 5 <= len(hw.QUESTIONS) <= 8
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    for q in hw.QUESTIONS:                      # the texts the key was made for
        assert q.text in text and q.title in text


# ------------------------------------------------------------------ parameters and roster
@given(st.integers(0, 10**6), st.text(min_size=1, max_size=20))
@settings(max_examples=60, deadline=None)
def test_draws_are_deterministic_and_in_range(seed, sid):
    a, b = hw.draw_parameters(seed, sid), hw.draw_parameters(seed, sid)
    assert a == b
    for name, (lo, hi, step) in hw.PARAMETER_RANGES.items():
        assert lo <= a[name] <= hi
        assert math.isclose((a[name] - lo) / step, round((a[name] - lo) / step), abs_tol=1e-6)
    sc = scenario_from_parameters("seed-demo", **a)       # every draw is a valid case
    assert sc.brand.active_customers == a["active_customers"]


def test_draws_depend_on_seed_and_text_id():
    assert hw.draw_parameters(0, "007") != hw.draw_parameters(0, "7")
    assert hw.draw_parameters(0, "007") != hw.draw_parameters(1, "007")
    assert hw.draw_parameters(0, "007", ["avg_order_value"]) == {
        "avg_order_value": hw.draw_parameters(0, "007")["avg_order_value"]}


@given(st.text(min_size=1, max_size=40))
@settings(max_examples=200, deadline=None)
def test_folder_names_never_leave_the_output_folder(sid):
    try:
        name = hw.folder_name(sid)
    except ValueError:
        return
    assert "/" not in name and "\\" not in name and name not in (".", "..") and not name.startswith(".")
    assert Path("/base", name).resolve().parent == Path("/base").resolve()


def test_folder_names():
    assert hw.folder_name("张伟") == "张伟"
    assert hw.folder_name("007") == "007"
    assert hw.folder_name("2024/15") == "2024_15"
    assert hw.folder_name("../etc") == "_._etc"
    assert hw.folder_name("a\\b") == "a_b"
    for bad in ("..", ".", " ", "a\nb"):
        with pytest.raises(ValueError):
            hw.folder_name(bad)


@pytest.mark.parametrize("rows, match", [
    (["a", "b", "a"], r"row 4: student_id 'a' is already on row 2"),
    (["a", "", "b"], r"row 3: empty student_id"),
    (["a/b", "a_b"], r"would share the folder 'a_b'"),
    (["..", "b"], r"row 2: .*outside"),
])
def test_roster_errors_name_the_row(tmp_path, rows, match):
    p = tmp_path / "roster.csv"
    p.write_text("student_id,name\n" + "".join(f"{r},x\n" for r in rows), encoding="utf-8")
    with pytest.raises(ValueError, match=match):
        hw.read_roster(p)


def test_roster_keeps_ids_as_text_and_reads_excel_csv(tmp_path):
    p = tmp_path / "r.csv"
    p.write_bytes("\ufeffStudent_ID,Name\n007,Bond\n12,\n张伟,张伟\n".encode("utf-8"))
    assert [(s.student_id, s.name, s.folder) for s in hw.read_roster(p)] == [
        ("007", "Bond", "007"), ("12", "", "12"), ("张伟", "张伟", "张伟")]
    (tmp_path / "n.csv").write_text("id,name\n1,a\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no student_id column"):
        hw.read_roster(tmp_path / "n.csv")


# ------------------------------------------------------------------ make
def test_make_variants_for_30_students(made):
    tmp, res = made
    a, b = tmp / "a", tmp / "b"
    files_a = tree_bytes(a)
    assert files_a == tree_bytes(b)                          # byte-identical across two runs
    assert len(res.notebooks) == 30
    params = read_csv(a / "parameters.csv")
    assert [r["student_id"] for r in params] == ROSTER_IDS   # "007" stays "007", order kept
    drawn = [tuple(r[k] for k in hw.PARAMETER_RANGES) for r in params]
    assert len(set(drawn)) == 30                              # every student has other numbers
    teacher = nbformat.read(NB06, as_version=4)
    solutions = solution_lines(teacher)
    assert len(solutions) >= 7
    key = read_csv(a / "answer_key.csv")
    assert len(key) == 30 * len(hw.QUESTIONS)
    for r in params:
        path = a / r["notebook"]
        assert path.parent.name == hw.folder_name(r["student_id"])
        assert path.parent.parent == a                        # nothing escaped DIR ("2024/15", "a\\b")
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        inj = injected(nb)
        assert inj["student_id"] == r["student_id"] and isinstance(inj["student_id"], str)
        for k in hw.PARAMETER_RANGES:
            assert float(inj[k]) == float(r[k])
        code = "\n".join(c.source for c in nb.cells)
        assert "BEGIN SOLUTION" not in code and "END SOLUTION" not in code
        for line in solutions:
            assert line not in code, (r["student_id"], line)
        code_cells = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
        assert code_cells.count("raise NotImplementedError()") == len(hw.QUESTIONS)
        assert all(c.get("outputs", []) == [] for c in nb.cells)
    # the key is the library's figure for each student's own scenario
    sid = "张伟"
    p = next(r for r in params if r["student_id"] == sid)
    sc = scenario_from_parameters("seed-demo", **{k: float(p[k]) for k in hw.PARAMETER_RANGES})
    for row in (r for r in key if r["student_id"] == sid):
        q = hw.QUESTIONS_BY_ID[row["question"]]
        assert float(row["expected"]) == pytest.approx(q.expected(sc), rel=1e-12)
        assert float(row["tolerance"]) == pytest.approx(q.tolerance(q.expected(sc)))


def test_other_seed_gives_other_numbers(made, tmp_path):
    tmp, _ = made
    hw.make_variants(NB06, tmp / "roster.csv", tmp_path / "c", seed=8)
    assert (tmp_path / "c" / "parameters.csv").read_bytes() != (tmp / "a" / "parameters.csv").read_bytes()


@pytest.mark.slow  # several seconds (make test runs it, make check leaves it out)
def test_make_refuses_bad_input_before_writing(tmp_path, run_cli):
    roster = write_roster(tmp_path / "roster.csv", ["a", "b"])
    # a notebook without a parameters cell
    nb = nbformat.read(NB06, as_version=4)
    for c in nb.cells:
        c.metadata.pop("tags", None)
    nbformat.write(nb, str(tmp_path / "untagged.ipynb"))
    r = run_cli("homework", "make", "--notebook", tmp_path / "untagged.ipynb", "--roster", roster,
                "--out", tmp_path / "out1")
    assert r.returncode == 2 and "no code cell tagged 'parameters'" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out1").exists()
    # a roster with a duplicate id
    dup = write_roster(tmp_path / "dup.csv", ["a", "b", "a"])
    r = run_cli("homework", "make", "--notebook", NB06, "--roster", dup, "--out", tmp_path / "out2")
    assert r.returncode == 2 and "already on row 2" in r.stderr
    assert not (tmp_path / "out2").exists()
    # an existing folder with files, then --force
    (tmp_path / "out3").mkdir()
    (tmp_path / "out3" / "notes.txt").write_text("mine", encoding="utf-8")
    r = run_cli("homework", "make", "--notebook", NB06, "--roster", roster, "--out", tmp_path / "out3")
    assert r.returncode == 2 and "--force" in r.stderr
    assert sorted(p.name for p in (tmp_path / "out3").iterdir()) == ["notes.txt"]
    r = run_cli("homework", "make", "--notebook", NB06, "--roster", roster, "--out", tmp_path / "out3",
                "--seed", "3", "--force")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out3" / "a" / NB06.name).is_file()
    assert (tmp_path / "out3" / "notes.txt").read_text(encoding="utf-8") == "mine"


# ------------------------------------------------------------------ strip
@pytest.mark.slow  # several seconds (make test runs it, make check leaves it out)
def test_strip_cli(tmp_path, run_cli):
    out = tmp_path / "student.ipynb"
    r = run_cli("homework", "strip", NB06, "--out", out)
    assert r.returncode == 0, r.stderr
    assert f"{len(hw.QUESTIONS)} solution blocks removed" in r.stdout
    nb = nbformat.read(out, as_version=4)
    code = "\n".join(c.source for c in nb.cells)
    assert "BEGIN SOLUTION" not in code and "# YOUR CODE HERE\nraise NotImplementedError()" in code
    for line in solution_lines(nbformat.read(NB06, as_version=4)):
        assert line not in code
    assert hw.parameters_cell_index(nb) == hw.parameters_cell_index(nbformat.read(NB06, as_version=4))
    before = out.read_bytes()
    r = run_cli("homework", "strip", NB06, "--out", out)
    assert r.returncode == 2 and "already exists" in r.stderr and out.read_bytes() == before
    assert run_cli("homework", "strip", NB06, "--out", out, "--force").returncode == 0
    r = run_cli("homework", "strip", out, "--out", out, "--force")
    assert r.returncode == 2 and "the notebook itself" in r.stderr


def test_strip_keeps_indent_clears_outputs_and_rejects_open_blocks():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n"),
        nbformat.v4.new_markdown_cell("Why?\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION"),
    ])
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="1")]
    nb.cells[0].execution_count = 3
    out, n = hw.strip_solutions(nb)
    assert n == 2
    assert out.cells[0].source == "def f():\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
    assert out.cells[0].outputs == [] and out.cells[0].execution_count is None
    assert out.cells[1].source == "Why?\nYOUR ANSWER HERE"
    assert nb.cells[0].execution_count == 3                  # the input is not changed
    nb.cells[0].source = "### BEGIN SOLUTION\nx = 1\n"
    with pytest.raises(ValueError, match="cell 1: BEGIN SOLUTION without END SOLUTION"):
        hw.strip_solutions(nb)


# ------------------------------------------------------------------ answers
def test_answer_helper(capsys):
    answer("q1", 1234567.891)                 # outside IPython it prints
    assert "q1 = 1,234,567.89" in capsys.readouterr().out
    import numpy as np
    answer("q5", np.float64(0.4))
    assert "0.4000 (40.00%)" in capsys.readouterr().out
    with pytest.raises(ValueError, match="needs a number.*without quotes"):
        answer("q1", "1,234")
    with pytest.raises(ValueError, match="finite"):
        answer("q1", float("nan"))
    with pytest.raises(ValueError, match="an id such as 'q1'"):
        answer(1, 2.0)
    assert format_value(80000) == "80,000"


def _output(record):
    return {"output_type": "display_data", "metadata": {},
            "data": {MIME_TYPE: record, "text/plain": "x"}}


def test_read_records_takes_the_last_answer_and_the_errors():
    nb = {"cells": [
        {"cell_type": "code", "source": 'record_case("7")', "outputs": [
            _output({"kind": "case", "student_id": "7", "parameters": {"avg_order_value": 1800.0}})]},
        {"cell_type": "code", "source": 'answer("q1", a)', "outputs": [
            _output({"kind": "answer", "question": "q1", "value": 1.0}),
            _output({"kind": "answer", "question": "q1", "value": 2.0})]},
        {"cell_type": "code", "source": '1/0\nanswer("q2", b)', "outputs": [
            {"output_type": "error", "ename": "ZeroDivisionError", "evalue": "division by zero", "traceback": []}]},
    ]}
    rec = read_records(nb)
    assert rec["answers"] == {"q1": {"value": 2.0, "cell": 1}}
    assert rec["case"]["student_id"] == "7"
    assert rec["answer_cells"] == {"q1": 1, "q2": 2}
    assert rec["errors"] == [{"cell": 2, "ename": "ZeroDivisionError", "evalue": "division by zero"}]


def test_answer_in_a_kernel_records_the_mime_bundle(monkeypatch):
    """The helper inside IPython: a raw display with the MIME record and a text line."""
    import IPython
    import IPython.display

    seen = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display", lambda data, raw=False: seen.append((data, raw)))
    answer("q3", -12.5)
    record_case("007", avg_order_value=1800)
    assert all(raw for _, raw in seen)
    assert seen[0][0][MIME_TYPE] == {"kind": "answer", "question": "q3", "value": -12.5}
    assert seen[0][0]["text/plain"].startswith("q3 = -12.5000")
    assert seen[1][0][MIME_TYPE] == {"kind": "case", "student_id": "007",
                                     "parameters": {"avg_order_value": 1800.0}}
    assert "Case of student 007" in seen[1][0]["text/plain"]


# ------------------------------------------------------------------ grading without kernels
def _executed(sid: str, params: dict, answers: dict) -> dict:
    """A notebook as a kernel would have saved it, built by hand."""
    cells = [{"cell_type": "code", "source": "record_case(...)", "metadata": {}, "outputs": [
        _output({"kind": "case", "student_id": sid, "parameters": params})]}]
    for q, v in answers.items():
        cells.append({"cell_type": "code", "source": f'answer("{q}", {q})', "metadata": {},
                      "outputs": [_output({"kind": "answer", "question": q, "value": v})]})
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


def test_grade_no_execute(made, tmp_path, run_cli):
    tmp, _ = made
    key_dir = tmp / "a"
    key = {(r["student_id"], r["question"]): float(r["expected"]) for r in read_csv(key_dir / "answer_key.csv")}
    params = {r["student_id"]: r for r in read_csv(key_dir / "parameters.csv")}
    p = lambda sid: {k: float(params[sid][k]) for k in hw.PARAMETER_RANGES} | {"scenario": "seed-demo"}
    subs = tmp_path / "subs"
    good = {q.id: key[("alice", q.id)] for q in hw.QUESTIONS}
    good["q5"] = key[("alice", "q5")] * 100                  # a percentage where a share is asked
    del good["q7"]
    (subs / "alice").mkdir(parents=True)
    (subs / "alice" / "mine.ipynb").write_text(json.dumps(_executed("alice", p("alice"), good)), encoding="utf-8")
    forged = p("zoe") | {"avg_order_value": p("zoe")["avg_order_value"] + 10}
    (subs / "zoe.ipynb").write_text(json.dumps(_executed("zoe", forged, {"q1": key[("zoe", "q1")]})),
                                    encoding="utf-8")
    (subs / "x7").mkdir()
    (subs / "x7" / "a.ipynb").write_text("{not json", encoding="utf-8")
    (subs / "stranger").mkdir()
    shutil.copytree(key_dir / "0", subs / "0")                 # handed back without running it
    (subs / "yz").mkdir()
    for name in ("a.ipynb", "b.ipynb"):
        (subs / "yz" / name).write_text(json.dumps(_executed("yz", p("yz"), {})), encoding="utf-8")
    out = tmp_path / "grades.csv"
    r = run_cli("homework", "grade", "--key", key_dir / "answer_key.csv", subs, "--out", out, "--no-execute")
    assert r.returncode == 0, r.stderr
    assert "not on the answer key, not graded: stranger" in r.stderr
    rows = {(g["student_id"], g["question"]): g for g in read_csv(out)}
    assert len(rows) == 30 * len(hw.QUESTIONS)
    a = {q: rows[("alice", q)] for q in ("q1", "q5", "q7")}
    assert a["q1"]["correct"] == "yes" and a["q1"]["points"] == "1"
    assert a["q5"]["correct"] == "no" and "looks like a percentage" in a["q5"]["reason"]
    assert a["q7"]["answered"] == "" and "not answered" in a["q7"]["reason"]
    assert rows[("zoe", "q1")]["correct"] == "no"
    assert "wrong variant" in rows[("zoe", "q1")]["reason"] and "avg_order_value" in rows[("zoe", "q1")]["reason"]
    assert rows[("x7", "q1")]["reason"].startswith("not graded: not a readable notebook")
    assert rows[("007", "q1")]["reason"].startswith("missing")
    assert rows[("0", "q1")]["reason"].startswith("not answered: the notebook was saved without outputs")
    assert rows[("yz", "q1")]["reason"] == "not graded: the folder yz/ holds 2 notebooks (a.ipynb, b.ipynb); keep one"
    summary = {s["student_id"]: s for s in read_csv(tmp_path / "grades_summary.csv")}
    assert summary["alice"]["points"] == str(len(hw.QUESTIONS) - 2) and summary["alice"]["status"] == "graded"
    assert summary["zoe"]["status"] == "wrong variant" and summary["007"]["status"] == "missing"
    assert summary["0"]["status"] == "failed" and summary["yz"]["status"] == "failed"
    # never overwrites the grades without --force
    r = run_cli("homework", "grade", "--key", key_dir / "answer_key.csv", subs, "--out", out, "--no-execute")
    assert r.returncode == 2 and "already exists" in r.stderr


# ------------------------------------------------------------------ grading with kernels, one batch
def _filled_in(made_dir: Path, folder: str, tweak=None):
    """The teacher's notebook (solutions in place) with this student's injected parameters."""
    student = nbformat.read(made_dir / folder / NB06.name, as_version=4)
    teacher = nbformat.read(NB06, as_version=4)
    nb = hw.inject_parameters(teacher, injected(student))
    if tweak:
        tweak(nb)
    return nb


@pytest.mark.slow  # several seconds (make test runs it, make check leaves it out)
def test_grade_one_batch_end_to_end(made, tmp_path, run_cli):
    tmp, _ = made
    a = tmp / "a"
    subs = tmp_path / "submissions"

    def save(folder, nb):
        (subs / folder).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(subs / folder / NB06.name))

    def wrong(nb):                              # q2 10% too high, q6 off by 100 yuan
        for c in nb.cells:
            c.source = (c.source.replace('answer("q2", q2)', 'answer("q2", q2 * 1.1)')
                        .replace('answer("q6", q6)', 'answer("q6", q6 + 100)'))

    def raises(nb):                             # the q3 cell raises; the rest still runs
        for c in nb.cells:
            if 'answer("q3"' in c.source:
                c.source = 'q3 = evaluate(sc)["no such figure"]\nanswer("q3", q3)'

    def never_finishes(nb):                     # q1, q2 answered, then a cell that sleeps
        i = next(k for k, c in enumerate(nb.cells) if 'answer("q2"' in c.source)
        cell = nbformat.v4.new_code_cell("import time\ntime.sleep(600)")
        cell["id"] = "sleep"
        nb.cells.insert(i + 1, cell)

    save("007", _filled_in(a, "007"))
    save("张伟", _filled_in(a, "张伟", wrong))
    save("alice", _filled_in(a, "alice", raises))
    save("12", _filled_in(a, "12", never_finishes))
    shutil.copytree(subs / "007", subs / hw.folder_name("2024/15"))      # copied from 007

    out = tmp_path / "grades.csv"
    r = run_cli("homework", "grade", "--key", a / "answer_key.csv", subs, "--out", out,
                "--timeout", "12", "--jobs", "2", "--executed", tmp_path / "executed", timeout=600)
    assert r.returncode == 0, r.stderr
    rows = read_csv(out)
    assert list(rows[0]) == list(hw.GRADE_COLUMNS)
    assert len(rows) == 30 * len(hw.QUESTIONS)
    assert [g["student_id"] for g in rows[::len(hw.QUESTIONS)]] == ROSTER_IDS
    key = {(k["student_id"], k["question"]): k for k in read_csv(a / "answer_key.csv")}
    qs = [q.id for q in hw.QUESTIONS]
    for g in rows:
        sid, q = g["student_id"], g["question"]
        k = key[(sid, q)]
        assert g["expected"] == k["expected"]
        reason = g["reason"]
        if sid == "007":                        # the teacher's solutions with this student's numbers
            assert (g["correct"], g["points"]) == ("yes", "1"), g
            assert abs(float(g["answered"]) - float(k["expected"])) <= float(k["tolerance"])
        elif sid == "张伟":
            if q in ("q2", "q6"):
                assert (g["correct"], g["points"]) == ("no", "0") and reason.startswith("off by +"), g
            else:
                assert (g["correct"], g["points"]) == ("yes", "1"), g
        elif sid == "alice":
            if q == "q3":
                assert (g["answered"], g["correct"], g["points"]) == ("", "no", "0")
                assert "the cell answering q3 raised KeyError" in reason
            else:
                assert (g["correct"], g["points"]) == ("yes", "1"), g
        elif sid == "12":
            if q in ("q1", "q2"):
                assert (g["correct"], g["points"]) == ("yes", "1"), g
            else:
                assert (g["answered"], g["points"]) == ("", "0") and "timed out" in reason, g
        elif sid == "2024/15":
            assert g["points"] == "0" and g["answered"] != ""
            assert reason == "wrong variant: the notebook answers the case of student '007', not '2024/15'"
        else:
            assert (g["answered"], g["correct"], g["points"]) == ("", "no", "0")
            assert reason.startswith("missing: no ") and hw.folder_name(sid) in reason
    summary = {s["student_id"]: s for s in read_csv(tmp_path / "grades_summary.csv")}
    assert list(summary) == ROSTER_IDS
    n = len(qs)
    expect = {"007": ("graded", n), "张伟": ("graded", n - 2), "alice": ("graded, with errors", n - 1),
              "12": ("timed out", 2), "2024/15": ("wrong variant", 0), "zoe": ("missing", 0)}
    for sid, (status, pts) in expect.items():
        assert (summary[sid]["status"], summary[sid]["points"]) == (status, str(pts)), summary[sid]
        assert summary[sid]["max_points"] == str(n)
    assert "KeyError" in summary["alice"]["reason"]
    kept = nbformat.read(tmp_path / "executed" / "alice" / NB06.name, as_version=4)   # for the student
    assert any(o.get("output_type") == "error" for c in kept.cells for o in c.get("outputs", []))
    assert sorted(p.name for p in (tmp_path / "executed").iterdir()) == sorted(
        ["007", "张伟", "alice", "12", "2024_15"])
    assert summary["12"]["reason"].startswith("timed out: still running after 12 s (in cell ")
    assert summary["12"]["reason"].endswith(": import time)")
