"""Variants: each student's parameters, their notebook, the answer key and the case file they share.

``make_variants`` draws each student's parameters from (seed, student_id), injects them into the
notebook's ``parameters`` cell with papermill, removes the solutions and writes
``OUT/<folder>/<notebook>.ipynb`` with a copy of the case file (scenario) beside it; the teacher's
files, ``answer_key.csv``, ``parameters.csv`` and the teacher's copy of the case file, go to
``OUT``. The key holds each student's expected answers with the tolerance of the course's one rule
and the partial-credit ladder (:mod:`aftersales.teacher.questions`): for a homework with a key in
the course room (``06_homework_case``) the key's answers for the student's case, checked against
what the teacher's solution cells give (:func:`aftersales.teacher.solutions.solve`); for a
teacher's own notebook, what its solutions give. No kernel is started.
"""
from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from aftersales.teacher.course_edition import FOLDER as COURSE_FOLDER
from aftersales.teacher.files import csv_text, num, refuse_overwrite, sha256_of, write_csv
from aftersales.teacher.roster import folder_key, read_roster

__all__ = ["PARAMETER_RANGES", "KEY_COLUMNS", "PARAMETER_COLUMNS", "draw_parameters", "MakeResult",
           "make_variants", "key_answers", "scenario_source"]

#: Per-student parameters: (low, high, step). Order values are the article's 1200-3500 yuan;
#: the multipliers keep every service's acceptance and price near the article's service matrix
#: (storage 30-50 yuan a month and repair 40-50% acceptance are the tightest).
PARAMETER_RANGES: dict[str, tuple[float, float, float]] = {
    "active_customers": (50_000, 120_000, 1_000),
    "avg_order_value": (1200.0, 3500.0, 10.0),
    "acceptance_multiplier": (0.90, 1.25, 0.01),
    "price_multiplier": (0.80, 1.25, 0.01),
}
#: answer_key.csv; ``partial`` (added) is the partial-credit ladder "tolerance:share;...".
KEY_COLUMNS = ("student_id", "question", "expected", "tolerance", "points", "partial")
#: parameters.csv before the drawn parameters; scenario_file and scenario_sha256 were added.
PARAMETER_COLUMNS = ("student_id", "name", "folder", "notebook", "seed", "scenario", "scenario_file",
                     "scenario_sha256")


def draw_parameters(seed: int, student_id: str, names: Iterable[str] | None = None) -> dict:
    """The student's parameters, drawn from (seed, student_id) alone (same inputs, same draw).

    Parameters
    ----------
    seed : int
        The class's seed.
    student_id : str
        The id as written on the roster ("007" and "7" draw differently).
    names : iterable of str, optional
        Draw only these parameters (in the order of :data:`PARAMETER_RANGES`).

    Returns
    -------
    dict
        {name: value}, each on the grid of :data:`PARAMETER_RANGES` (customers in thousands,
        order value to 10 yuan, multipliers to 0.01). A SHA-256 of f"{seed}:{student_id}"
        seeds numpy's default_rng.

    Notes
    -----
    Each parameter is lo + k x step with k uniform on 0..round((hi - lo) / step); every
    parameter is drawn even when not wanted, so that asking for fewer names does not change the
    values of the others.

    Examples
    --------
    >>> draw_parameters(0, "007")              # doctest: +NORMALIZE_WHITESPACE
    {'active_customers': 75000, 'avg_order_value': 1450.0, 'acceptance_multiplier': 1.08,
     'price_multiplier': 0.92}
    >>> draw_parameters(0, "007", ["avg_order_value"]), draw_parameters(0, "7")["avg_order_value"]
    ({'avg_order_value': 1450.0}, 3010.0)
    """
    import numpy as np

    digest = hashlib.sha256(f"{seed}:{student_id}".encode("utf-8")).digest()
    rng = np.random.default_rng(int.from_bytes(digest[:16], "big"))
    wanted = set(PARAMETER_RANGES if names is None else names)
    out: dict[str, float | int] = {}
    for name, (lo, hi, step) in PARAMETER_RANGES.items():
        k = int(rng.integers(0, int(round((hi - lo) / step)) + 1))   # always drawn: stable streams
        if name not in wanted:
            continue
        v = lo + k * step
        out[name] = int(round(v)) if name == "active_customers" else round(v, 2)
    return out


@dataclass
class MakeResult:
    """What ``make_variants`` wrote, and what the teacher should be told.

    Parameters
    ----------
    out : Path
        The output folder.
    notebooks : list of Path
        One student notebook per roster line, ``out/<folder>/<notebook name>``.
    answer_key, parameters : Path
        ``out/answer_key.csv`` (:data:`KEY_COLUMNS`) and ``out/parameters.csv``
        (:data:`PARAMETER_COLUMNS`, then the drawn parameters).
    questions : list of str
        The graded question ids.
    students : int
        Roster lines.
    scenario_file : Path, optional
        The teacher's copy of the case file in ``out``.
    warnings : list of str
        For the teacher (no questions, no drawn parameters, folders not on the roster...).
    course : list of Path
        The student edition of the course written (empty when none).
    course_mode : str, default "none"
        ``"hidden"``, ``"removed"`` or ``"none"``.

    Examples
    --------
    >>> result = MakeResult(Path("hw"), [Path("hw/007/homework.ipynb")], Path("hw/answer_key.csv"),
    ...                     Path("hw/parameters.csv"), ["q1", "q2"], 1)
    >>> result.students, result.course_mode, result.warnings
    (1, 'none', [])
    """

    out: Path
    notebooks: list[Path]
    answer_key: Path
    parameters: Path
    questions: list[str]
    students: int
    scenario_file: Path | None = None
    warnings: list[str] = field(default_factory=list)
    course: list[Path] = field(default_factory=list)      # the student edition of the course
    course_mode: str = "none"                             # "hidden", "removed" or "none"


def scenario_source(scenario: str | os.PathLike) -> Path:
    """The case file of a scenario name (data/scenarios/NAME.toml) or path; ValueError if none.

    Parameters
    ----------
    scenario : str or path-like
        A scenario's name (``"seed-demo"``) or a TOML file.

    Returns
    -------
    Path
        The file, read once to check it (a broken case file is the teacher's error, said before
        anything is written).

    Raises
    ------
    ValueError
        Starting ``--scenario:``, for an unknown name or a file that does not load.

    Examples
    --------
    >>> scenario_source("seed-demo").name
    'seed-demo.toml'
    >>> scenario_source("no-such-case")         # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: --scenario: no-such-case: no such scenario; known names: ...
    """
    from aftersales.model.scenario import ScenarioError, load_scenario, scenario_path

    try:
        p = scenario_path(scenario)
        load_scenario(p)                        # a broken file is the teacher's error, said now
    except ScenarioError as exc:
        raise ValueError(f"--scenario: {exc}") from None
    return Path(p)


def make_variants(notebook: str | os.PathLike, roster: str | os.PathLike, out: str | os.PathLike,
                  seed: int = 0, force: bool = False, scenario: str | None = None, course: str | None = None,
                  course_from: str | os.PathLike | None = None) -> MakeResult:
    """One student version of ``notebook`` per roster line, plus the teacher's answer key.

    Parameters
    ----------
    notebook : path-like
        The teacher's notebook (solutions in place, one cell tagged ``parameters``). Its expected
        answers come from the course's key when there is one for its name
        (``06_homework_case.ipynb``, English or Chinese edition), checked against its solutions;
        otherwise from its solutions (see :func:`key_answers`).
    roster : path-like
        CSV with ``student_id`` (and optionally ``name``).
    out : path-like
        Output folder; must be new or empty unless ``force``.
    seed : int
        Seed of the parameter draws.
    force : bool
        Write into a folder that already holds files (this function's own files are overwritten).
    scenario : str, optional
        Scenario name or TOML file for every student (default: the notebook's). The file is
        copied beside every student's notebook and into ``out``, its SHA-256 in parameters.csv.
    course : {"hidden", "removed", "none"}, optional
        The student edition of the course, written to ``out/course`` (and ``out/course/zh``):
        the practice notebooks of the series with their worked solutions collapsed or taken out
        (:func:`aftersales.teacher.course_edition.course_edition`). Default: ``"hidden"`` when
        ``course_from`` holds notebooks of the series, else none (with a warning).
    course_from : path-like, optional
        The folder of the course's notebooks (default: the folder of ``notebook``).

    Returns
    -------
    MakeResult

    Raises
    ------
    FileExistsError
        When ``out`` is a file, or a folder holding files without ``force``.
    ValueError
        For a bad roster, notebook (no or several parameters cells, a question without
        precision), scenario or ``course``; a student id that would name one of the teacher's
        files; a solution that disagrees with the course's key.

    Notes
    -----
    Everything is checked and computed before the first file is written; the same inputs give
    byte-identical files. Each student's parameters are :func:`draw_parameters` of (``seed``,
    their id), for the names the notebook's parameters cell sets.

    Examples
    --------
    Making the notebooks injects parameters with papermill and runs the solutions (seconds), so
    the doctests do not run that line; the part that runs is what it starts from: the roster and
    each student's draw.

    >>> import tempfile
    >>> from aftersales.teacher.roster import read_roster
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     roster = Path(tmp, "roster.csv")
    ...     _ = roster.write_text("student_id,name\\n007,王芳\\n2024/2,Li Lei\\n", encoding="utf-8")
    ...     students = read_roster(roster)
    ...     draws = {s.folder: draw_parameters(2026, s.student_id, ["avg_order_value"]) for s in students}
    ...     # result = make_variants("06_homework_case.ipynb", roster, Path(tmp, "hw"), seed=2026)
    >>> draws
    {'007': {'avg_order_value': 3400.0}, '2024_2': {'avg_order_value': 1310.0}}
    """
    from aftersales.teacher.notebooks import (cell_assignments, dumps, inject_parameters, normalise_ids,
                                              parameters_cell_index, questions_in, read_notebook, source,
                                              strip_solutions)
    from aftersales.teacher.questions import format_ladder, questions_of, wording_mismatches

    nb_path, out = Path(notebook), Path(out)
    nb = read_notebook(nb_path)
    pidx = parameters_cell_index(nb, str(nb_path))
    defaults = cell_assignments(source(nb.cells[pidx]))
    warnings: list[str] = []
    ids = questions_in(nb)
    if not ids:
        warnings.append(f"{nb_path} records no answer(\"q..\", ...): answer_key.csv will list no questions")
    questions = questions_of(nb, ids, str(nb_path), notebook=nb_path.name)
    warnings += wording_mismatches(questions, str(nb_path))
    drawn_names = [n for n in PARAMETER_RANGES if n in defaults]
    if not drawn_names:
        warnings.append(f"{nb_path}: its parameters cell sets none of {', '.join(PARAMETER_RANGES)}; "
                        "every student gets the same numbers")
    if "student_id" not in defaults:
        warnings.append(f"{nb_path}: its parameters cell has no student_id; the grader can only compare "
                        "parameters")
    students = read_roster(roster)
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a folder")
    refuse_overwrite([out], force)
    scenario_name = scenario if scenario is not None else defaults.get("scenario", "seed-demo")
    case_src = scenario_source(scenario_name)
    case_name = case_src.name
    ours = [folder_key(n) for n in (case_name, "answer_key.csv", "parameters.csv", COURSE_FOLDER)]
    clash = [s.student_id for s in students if folder_key(s.folder) in ours]
    if clash:
        raise ValueError(f"roster: student id {clash[0]!r} would name the same file as the teacher's "
                         f"{case_name}, answer_key.csv, parameters.csv or {COURSE_FOLDER}/ in {out}")
    edition = _course(nb_path, out, course, course_from, warnings)
    case_bytes = case_src.read_bytes()
    case_sha = hashlib.sha256(case_bytes).hexdigest()

    template, _ = strip_solutions(nb, str(nb_path))
    normalise_ids(template)

    import tempfile
    files: list[tuple[Path, str]] = []
    key_rows, param_rows = [], []
    with tempfile.TemporaryDirectory(prefix="aftersales-key-") as keydir:
        (Path(keydir) / case_name).write_bytes(case_bytes)      # the key is computed from the copy
        for st in students:
            params = draw_parameters(seed, st.student_id, drawn_names)
            inject: dict = {}
            if "student_id" in defaults:
                inject["student_id"] = st.student_id          # always text: "007" stays "007"
            inject["scenario"] = case_name                    # the copy beside the notebook
            inject.update(params)
            expected = key_answers(nb, nb_path.name, questions, inject, defaults, Path(keydir) / case_name,
                                   f"student {st.student_id!r}")
            for q in questions:
                e = expected[q.id]
                key_rows.append((st.student_id, q.id, num(e), num(q.tolerance(e)), num(q.points),
                                 format_ladder(q.ladder(e))))
            param_rows.append([st.student_id, st.name, st.folder, f"{st.folder}/{nb_path.name}", str(seed),
                               str(scenario_name), case_name, case_sha] + [num(params[n]) for n in drawn_names])
            files.append((out / st.folder / nb_path.name, dumps(inject_parameters(template, inject))))

    key_text = csv_text(KEY_COLUMNS, key_rows)
    param_text = csv_text(list(PARAMETER_COLUMNS) + drawn_names, param_rows)
    out.mkdir(parents=True, exist_ok=True)
    for path, text in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        (path.parent / case_name).write_bytes(case_bytes)
    (out / case_name).write_bytes(case_bytes)
    write_csv(out / "answer_key.csv", key_text)
    write_csv(out / "parameters.csv", param_text)
    course_files = edition.write() if edition is not None else []
    folders = {s.folder for s in students} | ({COURSE_FOLDER} if course_files else set())
    stale = sorted(p.name for p in out.iterdir() if p.is_dir() and p.name not in folders)
    if stale:
        warnings.append(f"{out} also holds folders not on this roster (left as they are): "
                        f"{', '.join(stale[:10])}" + (" ..." if len(stale) > 10 else ""))
    assert sha256_of(out / case_name) == case_sha
    return MakeResult(out, [p for p, _ in files], out / "answer_key.csv", out / "parameters.csv",
                      [q.id for q in questions], len(students), out / case_name, warnings,
                      course_files, edition.mode if edition is not None else "none")


def key_answers(nb, notebook: str, questions: list, inject: dict, defaults: dict, case_file: Path,
                who: str) -> dict[str, float]:
    """One student's expected answers ``{id: value}``, checked against the teacher's solutions.

    With a key in the course room (:func:`aftersales.course.keys.has_homework_key`), the key's
    answers for the student's case (``case_file`` and the parameters, the notebook's defaults for
    those not injected); the teacher's solution cells, run for the same parameters, must agree
    with each within its tolerance (the one rule), else ValueError naming the question. Without
    a key, what the solutions give. ValueError for an answer that is missing or not finite.

    Parameters
    ----------
    nb : NotebookNode
        The teacher's notebook, solutions in place.
    notebook : str
        Its file name (which course key, if any, applies).
    questions : list of Question
        The graded questions (:func:`aftersales.teacher.questions.questions_of`).
    inject : dict
        The student's injected parameters (``student_id``, ``scenario`` and the drawn ones).
    defaults : dict
        The notebook's parameters cell (:func:`aftersales.teacher.notebooks.cell_assignments`).
    case_file : Path
        The copy of the case file the solutions read (they run in its folder).
    who : str
        The student, for error messages.

    Returns
    -------
    dict of str to float
        Question id -> expected answer, in the question's unit.

    Raises
    ------
    ValueError
        As described above, naming the student and the question.

    Examples
    --------
    The solutions run after papermill's injection (about a second to import), so the doctests
    do not run the call; the part that runs shows which notebooks have a course key.

    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    >>> from aftersales.course.keys import has_homework_key
    >>> from aftersales.teacher.questions import questions_of
    >>> nb = new_notebook(cells=[
    ...     new_markdown_cell("**Question 1 (q1, 1 point): Value leakage per item.** In yuan, to two decimals."),
    ...     new_code_cell("avg_order_value = 2500.0", metadata={"tags": ["parameters"]}),
    ...     new_code_cell('leakage = avg_order_value * 0.1\\nanswer("q1", leakage)')])
    >>> questions = questions_of(nb, ["q1"], "my_homework.ipynb")
    >>> has_homework_key("06_homework_case.ipynb"), has_homework_key("my_homework.ipynb")
    (True, False)
    >>> key_answers(nb, "my_homework.ipynb", questions, {"avg_order_value": 2510.0},   # doctest: +SKIP
    ...             {"avg_order_value": 2500.0}, scenario_source("seed-demo"), "student '007'")
    {'q1': 251.0}
    """
    import math

    from aftersales.course.checker import within
    from aftersales.course.keys import has_homework_key, homework_case
    from aftersales.teacher.files import plain
    from aftersales.teacher.solutions import solve

    solved = solve(nb, inject, who, cwd=case_file.parent)
    for q in questions:
        if q.id not in solved:
            raise ValueError(f"{who}: the teacher's notebook records no answer to {q.id}")
    if not has_homework_key(notebook):
        return {q.id: float(q.expected(solved)) for q in questions}
    sc = homework_case(notebook, str(case_file), {**defaults, **inject})
    out = {}
    for q in questions:
        e = float(q.expected(sc))
        if not math.isfinite(e):
            raise ValueError(f"{who}: the course's key of {notebook} gives no finite answer to {q.id} ({e})")
        if not within(solved[q.id], e, q.tolerance(e)):
            raise ValueError(f"{who}, {q.id}: the teacher's solution gives {plain(solved[q.id], sep=True)}, the "
                             f"course's key of {notebook} {plain(e, sep=True)} (tolerance ±{plain(q.tolerance(e))}): "
                             "fix the solution cell, or rename the notebook to grade it from its own solutions")
        out[q.id] = e
    return out


def _course(nb_path: Path, out: Path, mode: str | None, course_from, warnings: list[str]):
    """The student edition of the course to write beside the homework, or None (see make_variants)."""
    from aftersales.teacher.course_edition import SOLUTION_MODES, course_edition

    if mode is not None and mode not in SOLUTION_MODES:
        raise ValueError(f"--course must be one of {', '.join(SOLUTION_MODES)}, got {mode!r}")
    if mode == "none":
        return None
    src = Path(course_from) if course_from is not None else nb_path.parent
    if course_from is not None and not src.is_dir():
        raise FileNotFoundError(f"--course-from {src} is not a folder")
    edition = course_edition(src, out / COURSE_FOLDER, mode or "hidden", exclude=(nb_path.name,))
    if not edition.files:
        if mode is not None:
            raise ValueError(f"--course {mode}: {src} holds no practice notebook of the series "
                             "(give the course's notebooks/ folder with --course-from DIR)")
        warnings.append(f"{src} holds no practice notebook of the series: no student edition of the course "
                        "written (--course-from DIR, or --course none to say so)")
        return None
    warnings.extend(edition.warnings)
    return edition
