"""Homework variants, answer keys, student versions, collection and marking (aftersales.teacher).

No kernel runs here: the variants for a 30-student roster are made twice and graded from notebooks
built by hand (--no-execute). The end-to-end batch that executes notebooks, honest and hostile,
is in test_homework_sandbox.py.

Homework 06 follows the course's one exercise protocol: one Question type and one tolerance rule
(aftersales.course.checker), its expected answers defined once in aftersales.course.keys; they are
pinned here against values derived by hand from docs/model.md, and cross-checked against the
teacher's solution cells (two routes to the same numbers).
"""
from __future__ import annotations

import csv
import dataclasses
import json
import math
import os
import shutil
import unicodedata
import zipfile
from pathlib import Path

import nbformat
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from aftersales.teacher import homework as hw
from aftersales.course.answers import MIME_TYPE, answer, format_value, read_records, record_case
from aftersales.course.checker import Question, half_unit, judge, within
from aftersales.course.keys import has_homework_key, homework_questions
from aftersales.course.parameters import scenario_from_parameters

ROOT = Path(__file__).resolve().parent.parent
NB06 = ROOT / "notebooks" / "06_homework_case.ipynb"
NB06_ZH = ROOT / "notebooks" / "zh" / "06_homework_case.ipynb"
QIDS = ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]

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


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """Variants for 30 students, made into ``a`` (the test of byte-identical runs makes them again)."""
    tmp = tmp_path_factory.mktemp("homework")
    roster = write_roster(tmp / "roster.csv", ROSTER_IDS)
    a = hw.make_variants(NB06, roster, tmp / "a", seed=7)
    return tmp, a


# ------------------------------------------------------------------ the notebook is the source
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
    assert hw.questions_in(nb) == QIDS
    texts = hw.question_texts(nb)
    assert list(texts) == QIDS and all(t["points"] == 1 and t["text"] for t in texts.values())
    assert list(homework_questions(NB06.name)) == QIDS        # the key asks what the notebook asks


def test_the_question_wording_lives_only_in_the_notebook():
    texts = hw.question_texts(nbformat.read(NB06, as_version=4))
    code = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "aftersales").rglob("*.py"))
    for q, t in texts.items():
        assert t["text"][:60] not in code, f"the wording of {q} is copied into the library"


def test_expected_answers_are_defined_once_in_the_course_keys():
    """Only aftersales.course.keys holds question tables; the teacher room defines no answer of its own."""
    import importlib
    import pkgutil

    import aftersales

    holders = []
    for m in pkgutil.walk_packages(aftersales.__path__, "aftersales."):
        if m.name.endswith(("__main__", ".runner")):
            continue
        mod = importlib.import_module(m.name)
        if hasattr(mod, "QUESTIONS"):
            holders.append(m.name)
        if m.name.startswith("aftersales.teacher"):
            for name, v in vars(mod).items():
                items = tuple(v.values()) if isinstance(v, dict) else v if isinstance(v, (tuple, list)) else (v,)
                assert not any(isinstance(x, Question) for x in items), f"{m.name}.{name} defines a question"
    assert "aftersales.course.keys.n06_homework_case" in holders
    assert all(h.startswith("aftersales.course.keys.") for h in holders), holders
    assert hw.Question is Question                               # one Question type
    homework = [q.text for q in hw.questions_of(nbformat.read(NB06, as_version=4), QIDS, notebook=NB06.name)]
    assert all(homework)
    for stem in ("00_start_here", "01_value_leakage", "02_service_matrix", "03_lifecycle_extension",
                 "04_pnl_comparison"):
        prose = "\n".join(c.source for c in nbformat.read(ROOT / "notebooks" / f"{stem}.ipynb",
                                                          as_version=4).cells)
        assert not any(h in prose for h in homework), f"a homework question is a practice question of {stem}"


def test_the_homework_has_no_practice_checker():
    from aftersales.course.exercises import EXERCISES, practice

    assert "06_homework_case" not in EXERCISES
    with pytest.raises(KeyError, match="no exercises for notebook"):
        practice("06_homework_case", "seed-demo")
    assert has_homework_key(NB06) and has_homework_key("06_homework_case.ipynb")
    assert not has_homework_key("my_homework.ipynb")
    for q in homework_questions(NB06.name).values():           # the protocol's words, in both languages
        assert q.method and q.why and q.method_zh and q.why_zh and q.partial, q.id


def test_the_wording_asks_for_the_decimals_the_key_marks():
    """Both editions state each question's precision, and it is the precision the key marks to."""
    from aftersales.teacher.questions import wording_mismatches

    key = homework_questions(NB06.name)
    assert {q: key[q].decimals for q in QIDS} == {"q1": 2, "q2": 0, "q3": 0, "q4": 0, "q5": 4, "q6": 2, "q7": 3}
    for path in (NB06, NB06_ZH):
        nb = nbformat.read(path, as_version=4)
        texts = hw.question_texts(nb)
        assert list(texts) == QIDS, path
        assert {q: hw.wording_decimals(t["text"]) for q, t in texts.items()} == \
            {q: key[q].decimals for q in QIDS}, path
        qs = hw.questions_of(nb, QIDS, str(path), notebook=path.name)
        assert wording_mismatches(qs) == [] and all(q.points == 1 and q.title and q.text for q in qs)
    told = hw.questions_of(nbformat.read(NB06, as_version=4), QIDS, notebook=NB06.name)
    told[4] = dataclasses.replace(told[4], text="Give a share 0-1, e.g. 0.35 for 35%.")
    assert wording_mismatches(told, "nb") == [
        "nb: question q5's wording asks for 2 decimals, the course's key marks to 4 (±0.00005); the key is used"]


def test_tolerances_follow_the_one_rule():
    assert hw.wording_decimals("Give a share 0-1, e.g. 0.35 for 35%.") == 2
    assert hw.wording_decimals("Round to two decimals.") == 2
    assert hw.wording_decimals("In yuan, to the nearest yuan?") == 0
    assert hw.wording_decimals("以 0–1 之间的比例作答，保留四位小数，例如 35% 写作 0.3500。") == 4
    assert hw.wording_decimals("In yuan (not 万)?") is None
    assert hw.wording_tolerance("Give a share 0-1, e.g. 0.35 for 35%.") == 0.005
    qs = {q.id: q for q in hw.questions_of(nbformat.read(NB06, as_version=4), QIDS, notebook=NB06.name)}
    # half a unit of the last decimal asked for: four decimals for q5, whole yuan for q2
    assert qs["q5"].tolerance(0.39974) == 0.00005 and qs["q2"].tolerance(9e6) == 0.5
    e = hw.KeyEntry("q5", 0.39974, qs["q5"].tolerance(0.39974), 1.0, qs["q5"].ladder(0.39974))
    assert e.ladder == [(0.005, 0.5)]                           # half the points right to two decimals
    assert hw.mark(e, 0.3997)[0] == 1.0 and hw.mark(e, 0.39974)[0] == 1.0
    assert hw.mark(e, 0.3996)[0] == 0.5 and hw.mark(e, 0.40)[0] == 0.5
    assert hw.mark(e, 0.39)[0] == 0.0
    assert hw.mark(e, 0.3996)[1] == ("partly right (0.5 of the points): off by -0.00014 "
                                     "(full points within ±0.00005, 0.5 within ±0.005)")
    share, why = hw.mark(e, 40)
    assert share == 0.0 and "looks like a percentage" in why
    q2 = hw.KeyEntry("q2", 9_299_200.0, qs["q2"].tolerance(9_299_200.0), 1.0, qs["q2"].ladder(9_299_200.0))
    assert q2.ladder == [(5000.0, 0.5)]                         # rounded to 万 yuan: half the points
    assert hw.mark(q2, 9_299_200.4)[0] == 1.0 and hw.mark(q2, 9_300_000)[0] == 0.5
    assert hw.mark(q2, 9_299_201)[0] == 0.5 and hw.mark(q2, 9_310_000)[0] == 0.0


def test_partial_credit_follows_the_ladder():
    e = hw.KeyEntry("q2", 1_000_000.0, 1000.0, 1.0, [(10_000.0, 0.5)])
    assert hw.mark(e, 1_000_900) == (1.0, "correct (within ±1000)")
    share, why = hw.mark(e, 1_005_000)
    assert share == 0.5 and why.startswith("partly right (0.5 of the points): off by +5,000")
    share, why = hw.mark(e, 1_020_000)
    assert share == 0.0 and why.startswith("off by +20,000")


@given(st.sampled_from(QIDS), st.floats(-1e7, 1e7, allow_nan=False), st.floats(-2, 2, allow_nan=False))
@settings(max_examples=200, deadline=None)
def test_the_practice_checker_and_the_grader_apply_the_same_rule(qid, expected, delta):
    """One tolerance rule: an answer the checker calls right earns the grader's full points, and only then."""
    q = homework_questions(NB06.name)[qid]
    value = expected + delta * q.tolerance() * 3
    entry = hw.KeyEntry(qid, expected, q.tolerance(expected), 1.0, q.ladder(expected))
    right = judge(q, value, expected).right
    assert right == (hw.mark(entry, value)[0] == 1.0)
    assert right == (abs(value - expected) <= half_unit(q.decimals) + 1e-12 * max(1.0, abs(expected)))


# ------------------------------------------------------------------ the key, by hand and by the solutions
#: seed-demo.toml's services: (price, material + labour, uses per user, acceptance, wake-up rate, billed
#: months per use); docs/model.md: revenue = N a u months price, cost = N a u months (material + labour)
SEED_SERVICES = ((280, 100, 0.4, 0.18, 0.38, 1), (580, 200, 0.15, 0.08, 0.45, 1), (128, 55, 1.2, 0.35, 0.22, 1),
                 (88, 40, 0.8, 0.40, 0.28, 1), (40, 13, 0.3, 0.12, 0.15, 5))
#: value-added team + logistics + the quality check and discounted-resale loss that stay
SEED_FIXED = 3_200_000 + 1_200_000 + 800_000 + 1_700_000


def by_hand(n: float, aov: float, am: float, pm: float) -> dict[str, float]:
    """Homework 06's answers from docs/model.md's formulas and the numbers of seed-demo.toml, nothing else."""
    rev = sum(n * a * am * u * months * price * pm for price, unit, u, a, w, months in SEED_SERVICES)
    cost = sum(n * a * am * u * months * unit for price, unit, u, a, w, months in SEED_SERVICES)
    omega = 1 - math.prod(1 - a * am * w for price, unit, u, a, w, months in SEED_SERVICES)
    p0, c, d = 0.28, 0.6, 0.10
    p1 = p0 + (1 - p0) * omega * c

    def lifetime(p):                               # M(p) of docs/model.md
        return (1 + d) / (1 + d - p)

    base_ltv = 3200 * aov / 1800                   # scaled by the annual product margin: only the AOV moves
    a0 = base_ltv / lifetime(p0)
    s = (rev - cost) / n
    return {"q1": aov - 0.15 * aov, "q2": rev, "q3": rev - SEED_FIXED - cost, "q4": n * omega, "q5": p1,
            "q6": (a0 + s) * lifetime(p1),
            "q7": SEED_FIXED / (rev - cost)}       # the net is m x (rev - cost) - fixed: zero at this m


def test_the_key_of_the_notebooks_own_case_is_the_worked_example():
    """The parameters cell's defaults are seed-demo: docs/model.md's worked example, figure for figure."""
    from aftersales.course.keys import homework_case

    sc = homework_case(NB06.name, "seed-demo", {"active_customers": 80_000, "avg_order_value": 1800.0,
                                                "acceptance_multiplier": 1.0, "price_multiplier": 1.0})
    got = {q.id: q.expected(sc) for q in homework_questions(NB06.name).values()}
    assert got == pytest.approx({"q1": 1800 - 0.15 * 1800, "q2": 9_299_200, "q3": -1_428_000, "q4": 22_174.07,
                                 "q5": 0.39974, "q6": 3854.63, "q7": 6.9 / 5.472}, abs=0.005)
    assert got["q5"] == pytest.approx(0.39974, abs=5e-6) and got["q7"] == pytest.approx(1.26096, abs=5e-6)
    assert got == pytest.approx(by_hand(80_000, 1800.0, 1.0, 1.0), rel=1e-12)


@pytest.mark.parametrize("sid", ["张伟", "alice", "007"])
def test_a_students_key_is_derived_by_hand(made, sid):
    tmp, _ = made
    p = next(r for r in read_csv(tmp / "a" / "parameters.csv") if r["student_id"] == sid)
    n, aov, am, pm = (float(p[k]) for k in ("active_customers", "avg_order_value", "acceptance_multiplier",
                                            "price_multiplier"))
    assert (n, aov, am, pm) != (80_000, 1800.0, 1.0, 1.0)          # another case than the worked example
    rows = {r["question"]: r for r in read_csv(tmp / "a" / "answer_key.csv") if r["student_id"] == sid}
    hand = by_hand(n, aov, am, pm)
    for q in QIDS:
        assert float(rows[q]["expected"]) == pytest.approx(hand[q], rel=1e-9, abs=1e-9), (sid, q)
    assert {q: float(rows[q]["tolerance"]) for q in QIDS} == {
        "q1": 0.005, "q2": 0.5, "q3": 0.5, "q4": 0.5, "q5": 0.00005, "q6": 0.005, "q7": 0.0005}
    assert {q: rows[q]["partial"] for q in QIDS} == {
        "q1": "0.5:0.5", "q2": "5000:0.5", "q3": "5000:0.5", "q4": "1:0.5", "q5": "0.005:0.5", "q6": "0.5:0.5",
        "q7": "0.005:0.5"}


def test_the_teachers_solutions_give_the_keys_answers(made):
    """Two routes: the teacher's solution cells, run for each student's parameters, agree with the key."""
    tmp, _ = made
    key = {(r["student_id"], r["question"]): r for r in read_csv(tmp / "a" / "answer_key.csv")}
    teacher = {NB06: nbformat.read(NB06, as_version=4), NB06_ZH: nbformat.read(NB06_ZH, as_version=4)}
    checked = 0
    for sid, path in (("007", NB06), ("张伟", NB06), ("Bob Smith", NB06), ("last", NB06), ("李娜", NB06_ZH),
                      ("alice", NB06_ZH)):
        inject = injected(nbformat.read(tmp / "a" / hw.folder_name(sid) / NB06.name, as_version=4))
        assert inject["student_id"] == sid and inject["scenario"] == "seed-demo.toml"
        solved = hw.solve(teacher[path], inject, sid, cwd=tmp / "a")
        assert list(solved) == QIDS
        for q in QIDS:
            row = key[(sid, q)]
            assert within(solved[q], float(row["expected"]), float(row["tolerance"])), (sid, q, solved[q], row)
            assert solved[q] == pytest.approx(float(row["expected"]), rel=1e-12, abs=1e-12)
            checked += 1
    assert checked == 6 * 7


def test_make_refuses_a_solution_that_disagrees_with_the_key(tmp_path):
    nb = nbformat.read(NB06, as_version=4)
    cell = next(c for c in nb.cells if 'answer("q3", q3)' in c.source)
    cell.source = cell.source.replace('answer("q3", q3)', 'answer("q3", q3 + 1)')    # off by 1 yuan
    nbformat.write(nb, str(tmp_path / NB06.name))
    roster = write_roster(tmp_path / "roster.csv", ["a", "b"])
    with pytest.raises(ValueError, match=r"student 'a', q3: the teacher's solution gives .* the course's key "
                                         r"of 06_homework_case.ipynb .*tolerance ±0.5"):
        hw.make_variants(tmp_path / NB06.name, roster, tmp_path / "out", course="none")
    assert not (tmp_path / "out").exists()
    del nb.cells[next(i for i, c in enumerate(nb.cells) if 'answer("q7"' in c.source)]
    nbformat.write(nb, str(tmp_path / NB06.name))
    with pytest.raises(ValueError, match=r"answers q1, q2, q3, q4, q5, q6, but the course's key .* defines "
                                         r"q1, q2, q3, q4, q5, q6, q7"):
        hw.make_variants(tmp_path / NB06.name, roster, tmp_path / "out", course="none")


def test_a_teachers_own_notebook_is_keyed_by_its_solutions_under_the_same_rule(tmp_path):
    nb = nbformat.read(NB06, as_version=4)
    cell = next(c for c in nb.cells if 'answer("q3", q3)' in c.source)
    cell.source = cell.source.replace('answer("q3", q3)', 'answer("q3", q3 + 1)')
    own = tmp_path / "my_homework.ipynb"
    nbformat.write(nb, str(own))
    roster = write_roster(tmp_path / "roster.csv", ["a"])
    res = hw.make_variants(own, roster, tmp_path / "out", course="none")
    mine = {r["question"]: r for r in read_csv(res.answer_key)}
    ref = hw.make_variants(NB06, roster, tmp_path / "ref", course="none")
    theirs = {r["question"]: r for r in read_csv(ref.answer_key)}
    assert float(mine["q3"]["expected"]) == float(theirs["q3"]["expected"]) + 1      # what its solution gives
    assert [(r["tolerance"], r["partial"]) for r in mine.values()] == \
        [("0.005", ""), ("0.5", ""), ("0.5", ""), ("0.5", ""), ("5e-05", ""), ("0.005", ""), ("0.0005", "")]
    md = next(c for c in nb.cells if c.source.startswith("**Question 2 (q2"))
    md.source = md.source.replace(", to the nearest yuan?", "?")
    nbformat.write(nb, str(own))
    with pytest.raises(ValueError, match=r"my_homework.ipynb: question q2 does not say how precise its answer "
                                         r"must be"):
        hw.make_variants(own, roster, tmp_path / "out2", course="none")
    assert not (tmp_path / "out2").exists()


# ------------------------------------------------------------------ parameters and roster
@given(st.integers(0, 10**6), st.text(min_size=1, max_size=20))
@settings(max_examples=60, deadline=None)
def test_draws_are_deterministic_and_in_range(seed, sid):
    a, b = hw.draw_parameters(seed, sid), hw.draw_parameters(seed, sid)
    assert a == b
    for name, (lo, hi, step) in hw.PARAMETER_RANGES.items():
        assert lo <= a[name] <= hi
        assert math.isclose((a[name] - lo) / step, round((a[name] - lo) / step), abs_tol=1e-6)
    sc = scenario_from_parameters("seed-demo", **a)
    assert sc.brand.active_customers == a["active_customers"]


def test_draws_depend_on_seed_and_text_id():
    assert hw.draw_parameters(0, "007") != hw.draw_parameters(0, "7")
    assert hw.draw_parameters(0, "007") != hw.draw_parameters(1, "007")


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
    assert hw.folder_name("2024/15") == "2024_15"
    assert hw.folder_name("../etc") == "_._etc"
    assert hw.folder_name(unicodedata.normalize("NFD", "mañana")) == "mañana"      # NFC
    for bad, why in (("..", "outside the output folder"), (".", "outside the output folder"),
                     (" ", "an empty student_id"), ("a\nb", "a control character")):
        with pytest.raises(ValueError, match=why):
            hw.folder_name(bad)


@pytest.mark.parametrize("rows, match", [
    (["a", "b", "a"], r"row 4: student_id 'a' is already on row 2"),
    (["a", "", "b"], r"row 3: empty student_id"),
    (["a/b", "a_b"], r"would share the folder 'a_b'"),
    (["..", "b"], r"row 2: .*outside"),
    (["A1", "b", "a1"], r"row 4: student ids 'a1' and 'A1' \(row 2\) differ only in case"),
    (["mañana", unicodedata.normalize("NFD", "mañana")], r"row 3: student_id 'mañana' is already on row 2"),
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


# ------------------------------------------------------------------ make
def test_make_variants_for_30_students(made, tmp_path):
    tmp, res = made
    a, b = tmp / "a", tmp_path / "b"
    hw.make_variants(NB06, tmp / "roster.csv", b, seed=7)
    assert tree_bytes(a) == tree_bytes(b)                     # byte-identical across two runs
    assert len(res.notebooks) == 30
    params = read_csv(a / "parameters.csv")
    assert [r["student_id"] for r in params] == ROSTER_IDS
    assert len({tuple(r[k] for k in hw.PARAMETER_RANGES) for r in params}) == 30
    case = (a / "seed-demo.toml").read_bytes()
    assert case == (ROOT / "aftersales" / "data" / "scenarios" / "seed-demo.toml").read_bytes()
    solutions = solution_lines(nbformat.read(NB06, as_version=4))
    key = read_csv(a / "answer_key.csv")
    assert list(key[0]) == list(hw.KEY_COLUMNS) and len(key) == 30 * 7
    for r in params:
        path = a / r["notebook"]
        assert path.parent.parent == a and path.parent.name == hw.folder_name(r["student_id"])
        assert (path.parent / "seed-demo.toml").read_bytes() == case          # self-contained
        assert r["scenario_file"] == "seed-demo.toml" and len(r["scenario_sha256"]) == 64
        nb = nbformat.read(path, as_version=4)
        nbformat.validate(nb)
        inj = injected(nb)
        assert inj["student_id"] == r["student_id"] and inj["scenario"] == "seed-demo.toml"
        code = "\n".join(c.source for c in nb.cells)
        assert "BEGIN SOLUTION" not in code and not any(line in code for line in solutions)
        assert "\n".join(c.source for c in nb.cells if c.cell_type == "code").count(
            "raise NotImplementedError()") == 7
    # the key is the course's key for that student's own case
    p = next(r for r in params if r["student_id"] == "张伟")
    sc = scenario_from_parameters("seed-demo", **{k: float(p[k]) for k in hw.PARAMETER_RANGES})
    from aftersales.model.evaluation import evaluate
    rows = {r["question"]: r for r in key if r["student_id"] == "张伟"}
    assert float(rows["q2"]["expected"]) == pytest.approx(evaluate(sc, "corrected")["service_revenue"], rel=1e-12)
    assert float(rows["q5"]["tolerance"]) == 0.00005
    assert rows["q3"]["partial"] == "5000:0.5"


@pytest.mark.slow
def test_a_custom_scenario_is_copied_and_a_changed_library_file_changes_nothing(tmp_path, run_cli):
    mine = tmp_path / "my_case.toml"
    shutil.copyfile(ROOT / "aftersales" / "data" / "scenarios" / "seed-demo.toml", mine)
    roster = write_roster(tmp_path / "roster.csv", ["a", "b"])
    r = run_cli("homework", "make", "--notebook", NB06, "--roster", roster, "--out", tmp_path / "out",
                "--scenario", mine)
    assert r.returncode == 0, r.stderr
    for d in ("out", "out/a", "out/b"):
        assert (tmp_path / d / "my_case.toml").read_bytes() == mine.read_bytes()
    key_before = (tmp_path / "out" / "answer_key.csv").read_bytes()
    mine.write_text("not a scenario any more", encoding="utf-8")   # the original changes: the copy holds
    nb = nbformat.read(tmp_path / "out" / "a" / NB06.name, as_version=4)
    assert injected(nb)["scenario"] == "my_case.toml"
    assert (tmp_path / "out" / "answer_key.csv").read_bytes() == key_before
    # the teacher's copy changed: a clear error, not a class of zeros
    (tmp_path / "out" / "my_case.toml").write_text("# edited\n", encoding="utf-8")
    (tmp_path / "subs").mkdir()
    r = run_cli("homework", "grade", "--key", tmp_path / "out" / "answer_key.csv", tmp_path / "subs",
                "--out", tmp_path / "g.csv", "--no-execute")
    assert r.returncode == 2 and "changed since 'homework make'" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.slow
def test_make_refuses_bad_input_before_writing(tmp_path, run_cli):
    roster = write_roster(tmp_path / "roster.csv", ["a", "b"])
    nb = nbformat.read(NB06, as_version=4)
    for c in nb.cells:
        c.metadata.pop("tags", None)
    nbformat.write(nb, str(tmp_path / "untagged.ipynb"))
    r = run_cli("homework", "make", "--notebook", tmp_path / "untagged.ipynb", "--roster", roster,
                "--out", tmp_path / "out1")
    assert r.returncode == 2 and "no code cell tagged 'parameters'" in r.stderr and "Traceback" not in r.stderr
    assert not (tmp_path / "out1").exists()
    case = write_roster(tmp_path / "case.csv", ["Ab1", "ab1"])
    r = run_cli("homework", "make", "--notebook", NB06, "--roster", case, "--out", tmp_path / "out2")
    assert r.returncode == 2 and "differ only in case" in r.stderr and not (tmp_path / "out2").exists()
    r = run_cli("homework", "make", "--notebook", NB06, "--roster", roster, "--out", tmp_path / "out4",
                "--scenario", tmp_path / "nope.toml")
    assert r.returncode == 2 and "nope.toml" in r.stderr and not (tmp_path / "out4").exists()
    (tmp_path / "out3").mkdir()
    (tmp_path / "out3" / "notes.txt").write_text("mine", encoding="utf-8")
    r = run_cli("homework", "make", "--notebook", NB06, "--roster", roster, "--out", tmp_path / "out3")
    assert r.returncode == 2 and "--force" in r.stderr
    r = run_cli("homework", "make", "--notebook", NB06, "--roster", roster, "--out", tmp_path / "out3",
                "--seed", "3", "--force")
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "out3" / "notes.txt").read_text(encoding="utf-8") == "mine"


# ------------------------------------------------------------------ strip
@pytest.mark.slow
def test_strip_cli(tmp_path, run_cli):
    out = tmp_path / "student.ipynb"
    r = run_cli("homework", "strip", NB06, "--out", out)
    assert r.returncode == 0, r.stderr and "7 solution blocks removed" in r.stdout
    code = "\n".join(c.source for c in nbformat.read(out, as_version=4).cells)
    assert "BEGIN SOLUTION" not in code and "# YOUR CODE HERE\nraise NotImplementedError()" in code
    before = out.read_bytes()
    r = run_cli("homework", "strip", NB06, "--out", out)
    assert r.returncode == 2 and "already exists" in r.stderr and out.read_bytes() == before
    r = run_cli("homework", "strip", out, "--out", out, "--force")
    assert r.returncode == 2 and "the notebook itself" in r.stderr


@pytest.mark.parametrize("name", ["00_start_here", "01_value_leakage", "02_service_matrix",
                                  "03_lifecycle_extension", "04_pnl_comparison"])
def test_strip_removes_the_practice_oracle(name):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    solutions = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
    assert solutions                                                         # the test can fail
    out, n = hw.strip_solutions(nb)
    assert n >= len(solutions)
    assert not any("solution" in c.metadata.get("tags", []) for c in out.cells)
    kept = {c.source for c in out.cells}
    assert not any(c.source in kept for c in solutions)
    code = [ln for c in out.cells if c.cell_type == "code" for ln in c.source.split("\n")]
    assert not any("expected_answers" in ln for ln in code)
    assert not any("expected[" in ln and not ln.lstrip().startswith("#") for ln in code)
    compile("\n".join(c.source for c in out.cells if c.cell_type == "code"
                      and not c.source.lstrip().startswith(("%", "!"))), name, "exec")


def test_strip_keeps_indent_clears_outputs_and_rejects_open_blocks():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("def f():\n    ### BEGIN SOLUTION\n    return 1\n    ### END SOLUTION\n"),
        nbformat.v4.new_markdown_cell("Why?\n### BEGIN SOLUTION\nBecause.\n### END SOLUTION"),
    ])
    nb.cells[0].outputs = [nbformat.v4.new_output("stream", text="1")]
    out, n = hw.strip_solutions(nb)
    assert n == 2
    assert out.cells[0].source == "def f():\n    # YOUR CODE HERE\n    raise NotImplementedError()\n"
    assert out.cells[1].source == "Why?\nYOUR ANSWER HERE"
    nb.cells[0].source = "### BEGIN SOLUTION\nx = 1\n"
    with pytest.raises(ValueError, match="cell 1: BEGIN SOLUTION without END SOLUTION"):
        hw.strip_solutions(nb)


# ------------------------------------------------------------------ answers
def test_answer_helper(capsys):
    answer("q1", 1234567.891)
    assert "q1 = 1,234,567.89" in capsys.readouterr().out
    with pytest.raises(ValueError, match="needs a number.*without quotes"):
        answer("q1", "1,234")
    assert format_value(80000) == "80,000"


def _output(record):
    return {"output_type": "display_data", "metadata": {}, "data": {MIME_TYPE: record, "text/plain": "x"}}


def _executed(sid: str, params: dict, answers: dict) -> dict:
    """A notebook as a kernel would have saved it, built by hand."""
    cells = [{"cell_type": "code", "source": "record_case(...)", "metadata": {}, "outputs": [
        _output({"kind": "case", "student_id": sid, "parameters": params})]}]
    for q, v in answers.items():
        cells.append({"cell_type": "code", "source": f'answer("{q}", {q})', "metadata": {},
                      "outputs": [_output({"kind": "answer", "question": q, "value": v})]})
    return {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


# ------------------------------------------------------------------ collection and the gradebook, no kernel
def _params_of(key_dir: Path):
    params = {r["student_id"]: r for r in read_csv(key_dir / "parameters.csv")}
    return lambda sid: {k: float(params[sid][k]) for k in hw.PARAMETER_RANGES} | {"scenario": "seed-demo.toml"}


@pytest.mark.slow
def test_grade_no_execute_collects_as_it_arrives(made, tmp_path, run_cli):
    tmp, _ = made
    key_dir = tmp / "a"
    key = {(r["student_id"], r["question"]): float(r["expected"]) for r in read_csv(key_dir / "answer_key.csv")}
    p = _params_of(key_dir)
    subs = tmp_path / "subs"
    good = {q: key[("alice", q)] for q in QIDS}
    good["q5"] = key[("alice", "q5")] * 100                  # a percentage where a share is asked
    good["q2"] = round(key[("alice", "q2")], -4)             # half a point: rounded to 万 yuan
    assert 0.5 < abs(good["q2"] - key[("alice", "q2")]) <= 5000
    del good["q7"]
    (subs / "alice").mkdir(parents=True)
    (subs / "alice" / "mine.ipynb").write_text(json.dumps(_executed("alice", p("alice"), good)), encoding="utf-8")
    forged = p("zoe") | {"avg_order_value": p("zoe")["avg_order_value"] + 10}
    (subs / "zoe.ipynb").write_text(json.dumps(_executed("zoe", forged, {"q1": key[("zoe", "q1")]})), encoding="utf-8")
    (subs / "x7").mkdir()
    (subs / "x7" / "a.ipynb").write_text("{not json", encoding="utf-8")
    (subs / "stranger").mkdir()
    shutil.copytree(key_dir / "0", subs / "0")                 # handed back without running it
    # several notebooks: the original with every answer written but never run, and a -Copy1 that
    # was run, with one answer recorded (the course's record format): the recorded answer decides
    (subs / "yz").mkdir()
    handed_out = (key_dir / "yz" / NB06.name).read_text(encoding="utf-8")
    (subs / "yz" / NB06.name).write_text(handed_out.replace("raise NotImplementedError()", "pass"),
                                         encoding="utf-8")
    (subs / "yz" / "06_homework_case-Copy1.ipynb").write_text(
        json.dumps(_executed("yz", p("yz"), {"q1": key[("yz", "q1")]})), encoding="utf-8")
    # a Mac: NFD folder name, __MACOSX and ._ files, in a zip
    with zipfile.ZipFile(subs / "mañana.zip", "w") as z:
        nfd = unicodedata.normalize("NFD", "mañana")
        z.writestr(f"{nfd}/{NB06.name}", json.dumps(_executed("mañana", p("mañana"), {"q1": key[("mañana", "q1")]})))
        z.writestr(f"__MACOSX/{nfd}/._{NB06.name}", b"\x00\x05junk")
        z.writestr(f"{nfd}/._{NB06.name}", b"\x00\x05junk")
    with zipfile.ZipFile(subs / "孙悟空.zip", "w") as z:            # a path escape: refused, said
        z.writestr("../../escaped.ipynb", "{}")
        z.writestr(f"x/{NB06.name}", json.dumps(_executed("孙悟空", p("孙悟空"), {"q1": key[("孙悟空", "q1")]})))
    nfd_dir = subs / unicodedata.normalize("NFD", "李娜")             # NFD folder, not zipped
    nfd_dir.mkdir()
    (nfd_dir / NB06.name).write_text(json.dumps(_executed("李娜", p("李娜"), {"q4": key[("李娜", "q4")]})),
                                     encoding="utf-8")
    os.utime(subs / "alice" / "mine.ipynb", (1_900_000_000, 1_900_000_000))      # 2030: late
    out = tmp_path / "grades.csv"
    before = tree_bytes(subs)
    r = run_cli("homework", "grade", "--key", key_dir / "answer_key.csv", subs, "--out", out, "--no-execute",
                "--due", "2029-01-01 12:00")
    assert r.returncode == 0, r.stderr
    assert tree_bytes(subs) == before                         # collection changes nothing it reads
    assert not (tmp_path / "escaped.ipynb").exists() and not any(tmp_path.parent.glob("escaped.ipynb"))
    assert "not on the answer key, not graded: stranger" in r.stderr
    assert "a path outside the zip's folder" in r.stderr
    rows = {(g["student_id"], g["question"]): g for g in read_csv(out)}
    assert list(read_csv(out)[0]) == list(hw.GRADE_COLUMNS) and len(rows) == 30 * 7
    a = {q: rows[("alice", q)] for q in QIDS}
    assert a["q1"]["correct"] == "yes" and a["q1"]["points"] == "1"
    assert a["q2"]["correct"] == "no" and a["q2"]["points"] == "0.5" and "partly right" in a["q2"]["reason"]
    assert a["q5"]["correct"] == "no" and "looks like a percentage" in a["q5"]["reason"]
    assert a["q7"]["answered"] == "" and "not answered" in a["q7"]["reason"]
    assert "wrong variant" in rows[("zoe", "q1")]["reason"] and "avg_order_value" in rows[("zoe", "q1")]["reason"]
    assert rows[("x7", "q1")]["reason"].startswith("not graded: not a readable notebook")
    assert rows[("007", "q1")]["reason"].startswith("missing")
    assert rows[("0", "q1")]["reason"].startswith("not answered: the notebook was saved without outputs")
    for sid, q in (("yz", "q1"), ("mañana", "q1"), ("孙悟空", "q1"), ("李娜", "q4")):
        assert rows[(sid, q)]["correct"] == "yes", rows[(sid, q)]
    summary = {s["student_id"]: s for s in read_csv(tmp_path / "grades_summary.csv")}
    assert list(summary) == ROSTER_IDS
    s = summary["alice"]
    assert (s["status"], s["points"], s["late"], s["q2"]) == ("graded", "4.5", "yes", "0.5")
    assert s["submitted"].startswith("2030-") and s["first_cause"].startswith("q2: partly right")
    assert summary["yz"]["notes"].startswith("graded 06_homework_case-Copy1.ipynb, the notebook with answers "
                                             "(also there: 06_homework_case.ipynb)")
    assert summary["mañana"]["late"] == "no" and summary["007"]["late"] == ""
    assert summary["zoe"]["status"] == "wrong variant" and summary["007"]["status"] == "missing"
    assert summary["0"]["status"] == "failed" and summary["alice"]["isolation"] == "not run"
    # feedback and LMS exports
    fb = (tmp_path / "grades_feedback" / "alice.md").read_text(encoding="utf-8")
    assert "# Homework feedback: Student 6 (alice)" in fb and "Service revenue (服务收入)" in fb
    assert "after the deadline" in fb and "Partly right, 0.5 of 1 points" in fb
    canvas = list(csv.reader(open(tmp_path / "grades_canvas.csv", encoding="utf-8-sig")))
    assert canvas[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "06_homework_case"]
    assert canvas[1][0] == "Points Possible" and canvas[1][-1] == "7"
    assert ["Student 6", "", "alice", "", "", "4.5"] in canvas and len(canvas) == 32
    moodle = read_csv(tmp_path / "grades_moodle.csv")
    assert moodle[6]["ID number"] == "alice" and moodle[6]["06_homework_case"] == "4.5"
    assert moodle[0]["ID number"] == "007" and moodle[0]["Feedback"] == \
        "missing: no 007/ folder, 007.ipynb or 007.zip among the submissions"
    # never overwrites without --force; --student regrades one and keeps the others byte for byte
    r = run_cli("homework", "grade", "--key", key_dir / "answer_key.csv", subs, "--out", out, "--no-execute")
    assert r.returncode == 2 and "already exists" in r.stderr
    others = [ln for ln in out.read_text(encoding="utf-8-sig").splitlines() if not ln.startswith("007,")]
    shutil.copytree(key_dir / "007", subs / "007")
    (subs / "007" / NB06.name).write_text(json.dumps(_executed("007", p("007"), {"q3": key[("007", "q3")]})),
                                          encoding="utf-8")
    r = run_cli("homework", "grade", "--key", key_dir / "answer_key.csv", subs, "--out", out, "--no-execute",
                "--student", "007")
    assert r.returncode == 0, r.stderr
    assert [ln for ln in out.read_text(encoding="utf-8-sig").splitlines() if not ln.startswith("007,")] == others
    summary = {s["student_id"]: s for s in read_csv(tmp_path / "grades_summary.csv")}
    assert summary["007"]["points"] == "1" and summary["alice"]["points"] == "4.5" and len(summary) == 30
    r = run_cli("homework", "grade", "--key", key_dir / "answer_key.csv", subs, "--out", out, "--no-execute",
                "--student", "nobody")
    assert r.returncode == 2 and "'nobody' is not on the answer key" in r.stderr


# the record MIME types as docs/teachers_guide.md names them (the current one, and the older one still read)
RECORD_MIME_IN_DOCS = "application/vnd.aftersales.record+json"
OLD_MIME_IN_DOCS = "application/vnd.aftersales.answer+json"


def _saved(cells) -> str:
    """A saved notebook: ``cells`` is [(source, [record, ...] shown under a MIME type)]."""
    return json.dumps({"cells": [
        {"cell_type": "code", "source": src, "metadata": {}, "outputs": [
            {"output_type": "display_data", "metadata": {}, "data": {mime: rec, "text/plain": "x"}}
            for mime, rec in outs]} for src, outs in cells], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.mark.parametrize("mime", [RECORD_MIME_IN_DOCS, OLD_MIME_IN_DOCS])
def test_several_notebooks_the_one_with_recorded_answers_is_graded(tmp_path, mime):
    # the original holds seven answers written but never run; the copy was run: one answer recorded
    folder = tmp_path / "s1"
    folder.mkdir()
    written = [(f'{q} = 1.0\nanswer("{q}", {q})', []) for q in QIDS]
    (folder / "homework.ipynb").write_text(_saved(written), encoding="utf-8")
    ran = [('q1 = 295.14\nanswer("q1", q1)', [(mime, {"kind": "answer", "question": "q1", "value": 295.14})])]
    (folder / "homework-Copy1.ipynb").write_text(_saved(ran), encoding="utf-8")
    chosen, note = hw.choose_notebook(folder, "homework.ipynb")
    assert chosen == folder / "homework-Copy1.ipynb"
    assert note == "graded homework-Copy1.ipynb, the notebook with answers (also there: homework.ipynb)"


def test_a_case_record_is_not_an_answer(tmp_path):
    # a run that recorded only the student's case holds fewer answers than one with all written
    folder = tmp_path / "s1"
    folder.mkdir()
    case = [("record_case(...)", [(RECORD_MIME_IN_DOCS, {"kind": "case", "student_id": "s1", "parameters": {}})]),
            ('# YOUR CODE HERE\nraise NotImplementedError()\nanswer("q1", q1)', [])]
    (folder / "a.ipynb").write_text(_saved(case), encoding="utf-8")
    (folder / "b.ipynb").write_text(_saved([('q1 = 2\nanswer("q1", q1)', [])]), encoding="utf-8")
    chosen, note = hw.choose_notebook(folder, None)
    assert chosen == folder / "b.ipynb" and note == "graded b.ipynb, the notebook with answers (also there: a.ipynb)"


def test_a_tie_goes_to_the_notebook_as_handed_out_and_the_note_names_the_others(tmp_path):
    folder = tmp_path / "s1"
    (folder / "old").mkdir(parents=True)
    untouched = _saved([('# YOUR CODE HERE\nraise NotImplementedError()\nanswer("q1", q1)', [])])
    for name in ("homework-Copy1.ipynb", "homework.ipynb", "old/homework-Copy2.ipynb"):   # all three tie
        (folder / name).write_text(untouched, encoding="utf-8")
    chosen, note = hw.choose_notebook(folder, "homework.ipynb")
    assert chosen == folder / "homework.ipynb"
    assert note == ("graded homework.ipynb, the notebook as handed out "
                    "(also there: homework-Copy1.ipynb, old/homework-Copy2.ipynb)")
    chosen, note = hw.choose_notebook(folder, None)                # no name to break the tie
    assert chosen is None
    assert note == "the folder s1/ holds 3 notebooks (homework-Copy1.ipynb, homework.ipynb, old/homework-Copy2.ipynb); keep one"


def test_the_lms_feedback_says_the_status_once(tmp_path):
    from aftersales.teacher.grading import GradeReport
    from aftersales.teacher.reports import feedback_markdown, output_paths, write_all

    missing = "missing: no s2/ folder, s2.ipynb or s2.zip among the submissions"
    copied = "wrong variant: the notebook answers the case of student 's1', not 's3'"
    report = GradeReport(questions=["q1"])
    for sid, status, points, reason in (("s1", "graded", "0", "q1: off by +1 (tolerance ±0.005)"),
                                        ("s2", "missing", "0", missing), ("s3", "wrong variant", "0", copied)):
        report.rows.append({"student_id": sid, "question": "q1", "expected": "10", "answered": "",
                            "correct": "no", "points": points, "max_points": "1", "reason": reason})
        report.summary.append({"student_id": sid, "status": status, "points": points, "max_points": "1",
                               "percent": "0.0", "reason": reason, "per_question": {"q1": points}})
    paths = output_paths(tmp_path / "grades.csv", None)
    write_all(report, paths, {}, {}, {}, None, "homework06")
    moodle = {r["ID number"]: r["Feedback"] for r in read_csv(paths["moodle"])}
    assert moodle == {"s1": "graded: q1: off by +1 (tolerance ±0.005)", "s2": missing, "s3": copied}
    md = (paths["feedback"] / "s2.md").read_text(encoding="utf-8")
    assert f"- Status: {missing}\n" in md and "missing: missing" not in md
    assert "- Status: graded\n" in feedback_markdown(report.summary[0] | {"reason": ""}, [], {})


def test_safe_unzip_refuses_bombs_and_links(tmp_path):
    z = tmp_path / "big.zip"
    with zipfile.ZipFile(z, "w", compression=zipfile.ZIP_DEFLATED) as f:
        f.writestr("a/big.bin", b"\0" * (3 << 20))
        info = zipfile.ZipInfo("a/link")
        info.external_attr = 0o120777 << 16
        f.writestr(info, "/etc/passwd")
    with pytest.raises(ValueError, match="^big.zip unpacks to more than 2 MB$"):
        hw.safe_unzip(z, tmp_path / "x", limit=2 << 20)
    # a limit under 1 MB in the unit that states it, never "0 MB"
    for limit, said in ((512 * 1024, "512 kB"), (500_000, "500,000 bytes"), (1536 * 1024, "1,536 kB")):
        with pytest.raises(ValueError, match=f"^big.zip unpacks to more than {said}$"):
            hw.safe_unzip(z, tmp_path / "x", limit=limit)
    skipped = hw.safe_unzip(z, tmp_path / "y")
    assert skipped == ["a/link (a link)"] and not (tmp_path / "y" / "a" / "link").exists()
    (tmp_path / "bad.zip").write_bytes(b"not a zip")
    with pytest.raises(ValueError, match="bad.zip is not a readable zip file"):
        hw.safe_unzip(tmp_path / "bad.zip", tmp_path / "z")


def test_without_bubblewrap_grading_stops_with_a_clear_error(made, tmp_path):
    import subprocess
    import sys

    tmp, _ = made
    (tmp_path / "subs" / "007").mkdir(parents=True)
    shutil.copyfile(tmp / "a" / "007" / NB06.name, tmp_path / "subs" / "007" / NB06.name)
    env = {**os.environ, "PATH": str(tmp_path), "PYTHONIOENCODING": "utf-8"}     # no bwrap on PATH
    r = subprocess.run([sys.executable, "-m", "aftersales", "homework", "grade", "--key",
                        str(tmp / "a" / "answer_key.csv"), str(tmp_path / "subs"), "--out",
                        str(tmp_path / "g.csv")], capture_output=True, text=True, env=env, timeout=120)
    assert r.returncode == 2 and "bubblewrap (bwrap) is not installed" in r.stderr and "--no-sandbox" in r.stderr
    assert "Traceback" not in r.stderr and not (tmp_path / "g.csv").exists()


def test_the_sandbox_binds_only_the_system_python_and_library(tmp_path):
    from aftersales.teacher.sandbox import Limits, bwrap_command

    for as_root in (True, False):
        cmd = bwrap_command("bwrap", str(tmp_path), Limits(), as_root)
        binds = [cmd[i + 1] for i, a in enumerate(cmd) if a in ("--ro-bind", "--bind")]
        assert "--bind" not in cmd and "--clearenv" in cmd and "--die-with-parent" in cmd
        assert ("--unshare-net" in cmd and "--unshare-pid" in cmd) or "--unshare-all" in cmd
        assert str(ROOT) not in binds and str(Path.home()) not in binds and "/" not in binds
        assert str(ROOT / "aftersales") in binds or not (ROOT / "aftersales").is_dir()
        assert binds.count(str(tmp_path)) == 1 and cmd[cmd.index(str(tmp_path)) + 1] == "/input"
        assert ("--cap-drop" in cmd) == as_root
