"""The student edition of the course that ``homework make`` writes beside the homework folders."""
from __future__ import annotations

import shutil
from pathlib import Path

import nbformat
import pytest

from aftersales.course.toc import series
from aftersales.teacher.course_edition import course_edition, solution_only_names
from aftersales.teacher.notebooks import SOLUTION_TAG
from aftersales.teacher.variants import make_variants

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
NB06 = NOTEBOOKS / "06_homework_case.ipynb"
PRACTICE = [e.file for e in series() if e.file != NB06.name]


def _roster(tmp: Path, ids=("s1", "s2")) -> Path:
    p = tmp / "roster.csv"
    p.write_text("student_id,name\n" + "".join(f"{i},Name {i}\n" for i in ids), encoding="utf-8")
    return p


def _tagged(c) -> bool:
    return SOLUTION_TAG in c.get("metadata", {}).get("tags", [])


def _read(p: Path):
    return nbformat.read(str(p), as_version=4)


@pytest.fixture(scope="module")
def class_dirs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("course")
    roster = _roster(tmp)
    hidden = make_variants(NB06, roster, tmp / "hidden", seed=3)
    removed = make_variants(NB06, roster, tmp / "removed", seed=3, course="removed")
    return tmp, hidden, removed


def test_make_writes_the_practice_notebooks_of_both_editions_and_never_the_homework(class_dirs):
    _, hidden, removed = class_dirs
    for res in (hidden, removed):
        names = sorted(p.relative_to(res.out / "course").as_posix() for p in res.course)
        assert names == sorted(PRACTICE + [f"zh/{f}" for f in PRACTICE])
        assert not (res.out / "course" / NB06.name).exists()
        for p in res.course:
            text = p.read_text(encoding="utf-8")
            assert "BEGIN SOLUTION" not in text and 'answer("q' not in text
            nb = _read(p)
            assert all(c.outputs == [] and c.execution_count is None for c in nb.cells if c.cell_type == "code")
    assert hidden.course_mode == "hidden" and removed.course_mode == "removed"


def test_hidden_keeps_every_worked_solution_collapsed_below_its_exercise(class_dirs):
    _, hidden, _ = class_dirs
    for p in hidden.course:
        src = _read(NOTEBOOKS / p.relative_to(hidden.out / "course"))
        got = _read(p)
        assert [c.get("id") for c in got.cells] == [c.get("id") for c in src.cells]
        sols = [c for c in got.cells if _tagged(c)]
        assert sols, f"{p.name}: no worked solution"
        for c in sols:
            assert c.metadata["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
        for a, b in zip(src.cells, got.cells):
            assert a.source == b.source or "SOLUTION" in a.source


def test_removed_takes_out_the_solutions_and_leaves_every_exercise_checkable(class_dirs):
    _, _, removed = class_dirs
    for p in removed.course:
        src = _read(NOTEBOOKS / p.relative_to(removed.out / "course"))
        got = _read(p)
        assert not any(_tagged(c) for c in got.cells)
        assert [c.get("id") for c in got.cells] == [c.get("id") for c in src.cells if not _tagged(c)]
        student_checks = [c.source for c in src.cells if c.cell_type == "code" and not _tagged(c)
                          and "check(" in c.source]
        assert student_checks == [c.source for c in got.cells if c.cell_type == "code" and "check(" in c.source]
    assert removed.warnings == []        # no student cell needs a name that only a solution defined


@pytest.mark.parametrize("name", PRACTICE)
def test_no_student_cell_depends_on_a_solution_cell(name):
    for nb_path in (NOTEBOOKS / name, NOTEBOOKS / "zh" / name):
        assert solution_only_names(_read(nb_path)) == [], nb_path


def test_a_student_cell_that_needs_a_solution_is_found_and_the_teacher_warned(tmp_path):
    src = tmp_path / "nbs"
    shutil.copytree(NOTEBOOKS, src, ignore=shutil.ignore_patterns("zh"))
    nb = _read(src / "01_value_leakage.ipynb")
    last = max(i for i, c in enumerate(nb.cells) if _tagged(c))
    nb.cells.insert(last + 1, nbformat.v4.new_code_cell("print(P * 2)"))   # P is set by q5's solution only
    nbformat.write(nb, str(src / "01_value_leakage.ipynb"))
    assert solution_only_names(nb) == [(last + 2, "P")]
    res = make_variants(src / NB06.name, _roster(tmp_path), tmp_path / "out", course="removed")
    assert any("01_value_leakage.ipynb" in w and "'P'" in w for w in res.warnings)


def test_a_notebook_recording_graded_answers_is_never_practice(tmp_path):
    src = tmp_path / "nbs"
    src.mkdir()
    shutil.copy(NB06, src / "01_value_leakage.ipynb")        # a homework under a practice name
    shutil.copy(NOTEBOOKS / "02_service_matrix.ipynb", src)
    ed = course_edition(src, tmp_path / "course", "removed")
    assert [p.name for p in ed.files] == ["02_service_matrix.ipynb"]
    assert any(s.startswith("01_value_leakage.ipynb: records graded answers") for s in ed.skipped)
    with pytest.raises(ValueError, match=r"^--course must be one of hidden, removed, none, got 'open'$"):
        course_edition(src, tmp_path / "course", "open")


def test_course_none_is_an_edition_without_notebooks(tmp_path):
    # --course none "writes no edition" (docs/teachers_guide.md): the function agrees, and says so
    # by returning an empty edition rather than refusing the choice its own message offers
    src = tmp_path / "nbs"
    src.mkdir()
    shutil.copy(NOTEBOOKS / "02_service_matrix.ipynb", src)
    ed = course_edition(src, tmp_path / "course", "none")
    assert (ed.mode, ed.files, ed.skipped, ed.warnings) == ("none", {}, [], [])
    assert ed.write() == [] and not (tmp_path / "course").exists()


def test_make_is_byte_identical_with_the_course(tmp_path):
    roster = _roster(tmp_path)
    a = make_variants(NB06, roster, tmp_path / "a", seed=5)
    make_variants(NB06, roster, tmp_path / "b", seed=5)
    files = sorted(p.relative_to(a.out) for p in a.out.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(tmp_path / "b") for p in (tmp_path / "b").rglob("*") if p.is_file())
    assert all((a.out / f).read_bytes() == (tmp_path / "b" / f).read_bytes() for f in files)


@pytest.mark.slow
def test_cli_course_options(tmp_path, run_cli):
    roster = _roster(tmp_path)
    r = run_cli("homework", "make", "--notebook", NB06, "--roster", roster, "--out", tmp_path / "none",
                "--course", "none")
    assert r.returncode == 0, r.stderr
    assert not (tmp_path / "none" / "course").exists() and "Course:" not in r.stdout
    empty = tmp_path / "empty"
    empty.mkdir()
    r = run_cli("homework", "make", "--notebook", NB06, "--roster", roster, "--out", tmp_path / "x",
                "--course", "removed", "--course-from", empty)
    assert r.returncode != 0 and not (tmp_path / "x").exists()
    assert "--course removed:" in r.stderr and "holds no practice notebook" in r.stderr
    r = run_cli("homework", "make", "--notebook", NB06, "--roster", roster, "--out", tmp_path / "y")
    assert r.returncode == 0, r.stderr
    assert f"Course: {len(PRACTICE)} practice notebooks (+{len(PRACTICE)} in zh/), solutions hidden" in r.stdout


def test_a_student_called_course_is_refused(tmp_path):
    with pytest.raises(ValueError, match=r"^roster: student id 'Course' would name the same file"):
        make_variants(NB06, _roster(tmp_path, ("a", "Course")), tmp_path / "out")


@pytest.mark.slow
def test_the_removed_edition_runs_as_a_student_gets_it(class_dirs):
    """Notebook 01 with its solutions taken out executes top to bottom; the checker waits for answers."""
    from nbclient import NotebookClient

    _, _, removed = class_dirs
    nb = _read(removed.out / "course" / "01_value_leakage.ipynb")
    NotebookClient(nb, timeout=300, kernel_name="python3", resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    text = "\n".join(o.get("text", "") for c in nb.cells if c.cell_type == "code" for o in c.outputs)
    assert "Traceback" not in text
