"""Homework for a class: a variant of a notebook per student, answer keys, student versions, grading.

The teacher's loop (see docs/teachers_guide.md):

1. ``python -m aftersales homework make --notebook NB --roster roster.csv --out DIR [--seed S]``
   draws each student's parameters from (seed, student_id), injects them into the
   notebook's ``parameters`` cell with papermill, removes the solutions and writes
   ``DIR/<student_id>/<notebook>.ipynb``, ``DIR/answer_key.csv`` and ``DIR/parameters.csv``.
   The answer key is computed by the library from the same question definitions
   (:data:`QUESTIONS`) the notebook's solutions use; no notebook is executed.
2. Students answer with ``answer("q1", value)`` (:mod:`aftersales.course.answers`).
3. ``python -m aftersales homework grade --key DIR/answer_key.csv SUBMISSIONS/`` executes
   every submission with papermill (in parallel, each in its own temporary folder, with a
   time limit) and writes ``grades.csv`` (one row per student and question) and
   ``grades_summary.csv`` (one row per student).
4. ``python -m aftersales homework strip NB --out FILE`` writes a student version.

Importing this module is light: papermill, nbformat and numpy are imported by the
functions that need them.
"""
from __future__ import annotations

import ast
import copy
import csv
import hashlib
import io
import json
import math
import os
import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, Iterable, Sequence

from aftersales.course.answers import read_records

__all__ = ["Question", "QUESTIONS", "QUESTIONS_BY_ID", "PARAMETER_RANGES", "Student", "draw_parameters",
           "folder_name", "read_roster", "strip_solutions", "strip_notebook", "make_variants",
           "grade", "execute_submission", "inject_parameters", "KEY_COLUMNS", "GRADE_COLUMNS",
           "SUMMARY_COLUMNS"]

# ----------------------------------------------------------------------------- questions
def _leakage_per_item_at_order_value(sc) -> float:
    """Value leakage against price (yuan per item) of a returned garment priced at the order value."""
    from aftersales.model.leakage import leakage_per_item

    if sc.leakage is None:
        raise ValueError(f"scenario {sc.name!r} has no [leakage] table: question q1 needs one")
    returned_item = replace(sc.leakage, original_price=sc.brand.avg_order_value)
    return leakage_per_item(returned_item, "corrected")["leakage_vs_price"]


def _figure(key: str) -> Callable:
    def f(sc) -> float:
        from aftersales.model.evaluation import evaluate

        return evaluate(sc, "corrected")[key]
    f.__name__ = f"corrected_{key}"
    f.__doc__ = f"evaluate(sc, 'corrected')[{key!r}]"
    return f


def _break_even_acceptance_multiplier(sc) -> float:
    """goal_seek(sc, "scale.acceptance", "va_net", 0).value: x every acceptance for a zero net."""
    from aftersales.model.sensitivity import goal_seek

    res = goal_seek(sc, "scale.acceptance", "va_net", 0.0)
    if res.value is None:
        raise ValueError(f"scenario {sc.name!r}: value-added net cannot break even by acceptance "
                         f"({res.message})")
    return res.value


@dataclass(frozen=True)
class Question:
    """One graded question: its id, its text, how the library computes it, and its tolerance.

    compute(scenario) -> expected answer; tolerance = max(abs_tol, rel_tol x |expected|).
    unit: yuan, yuan per item, yuan per customer, people, share (0-1) or multiplier.
    """

    id: str
    title: str
    text: str
    unit: str
    compute: Callable
    abs_tol: float
    rel_tol: float
    points: float = 1.0

    def expected(self, scenario) -> float:
        return float(self.compute(scenario))

    def tolerance(self, expected: float) -> float:
        return max(self.abs_tol, self.rel_tol * abs(expected))


#: The questions of notebooks/06_homework_case.ipynb, in order. The notebook's solutions call
#: the same library functions; tests/test_homework.py checks that executing the notebook gives
#: the answer key.
QUESTIONS: tuple[Question, ...] = (
    Question("q1", "Value leakage per item (价值流失)",
             "A returned garment priced at your brand's average order value is resold at a "
             "discount, recovering the scenario's recovery rate of its price. How much value leaks "
             "per item against its price, in yuan?",
             "yuan per item", _leakage_per_item_at_order_value, abs_tol=0.5, rel_tol=0.001),
    Question("q2", "Service revenue (服务收入)",
             "What is the yearly revenue of all value-added services (corrected method: storage "
             "billed per month, users not rounded down), in yuan (not 万)?",
             "yuan", _figure("service_revenue"), abs_tol=100.0, rel_tol=0.001),
    Question("q3", "Value-added net (增值售后净额)",
             "What is the yearly net of value-added after-sales (service revenue minus the team, "
             "logistics, quality-check and resale-loss costs and the cost of the services), in yuan? "
             "A loss is negative.",
             "yuan", _figure("va_net"), abs_tol=100.0, rel_tol=0.001),
    Question("q4", "Wake-up customers, counted once (唤醒客户)",
             "How many customers are woken up at least once in a year (corrected: a customer woken "
             "by two services counts once)?",
             "people", _figure("wakeup_customers"), abs_tol=1.0, rel_tol=0.001),
    Question("q5", "12-month repurchase with services (12个月复购率)",
             "What share of customers buys again within 12 months once the services run (p1)? "
             "Give a share 0-1, e.g. 0.35 for 35%.",
             "share", _figure("repurchase_12m_value_added"), abs_tol=0.0005, rel_tol=0.0),
    Question("q6", "Lifetime value with services (客户终身价值 LTV)",
             "What is the lifetime value of a customer with the services (corrected method), in yuan?",
             "yuan per customer", _figure("ltv_value_added"), abs_tol=0.5, rel_tol=0.001),
    Question("q7", "Break-even acceptance multiplier (盈亏平衡)",
             "By what factor would every service's acceptance have to be multiplied, on top of "
             "your case, for value-added net to be exactly zero? (1.3 means 30% more users; the "
             "factor may be more than customers would really accept.)",
             "multiplier", _break_even_acceptance_multiplier, abs_tol=0.001, rel_tol=0.001),
)
QUESTIONS_BY_ID = {q.id: q for q in QUESTIONS}

#: Per-student parameters: (low, high, step). Order values are the article's 1200-3500 yuan;
#: the multipliers keep every service's acceptance and price near the article's service matrix
#: (storage 30-50 yuan a month and repair 40-50% acceptance are the tightest).
PARAMETER_RANGES: dict[str, tuple[float, float, float]] = {
    "active_customers": (50_000, 120_000, 1_000),
    "avg_order_value": (1200.0, 3500.0, 10.0),
    "acceptance_multiplier": (0.90, 1.25, 0.01),
    "price_multiplier": (0.80, 1.25, 0.01),
}
#: Parameters-cell names that scenario_from_parameters takes (besides ``scenario``).
_SCENARIO_KEYS = ("active_customers", "avg_order_value", "acceptance_multiplier", "price_multiplier",
                  "wakeup_conversion", "baseline_repurchase_12m")

KEY_COLUMNS = ("student_id", "question", "expected", "tolerance", "points")
GRADE_COLUMNS = ("student_id", "question", "expected", "answered", "correct", "points", "reason")
SUMMARY_COLUMNS = ("student_id", "name", "status", "points", "max_points", "percent", "reason")

_MARKER_BEGIN = re.compile(r"^\s*#+\s*BEGIN SOLUTION\b")
_MARKER_END = re.compile(r"^\s*#+\s*END SOLUTION\b")
_ANSWER_CALL = re.compile(r"""\banswer\(\s*["']([^"']+)["']""")
_ERROR_TAG = "papermill-error-cell-tag"


def _warn(msg: str) -> None:
    print(f"warning: {msg}", file=sys.stderr)


def _num(x: float) -> str:
    """A float for a CSV cell: shortest exact form, whole numbers without .0."""
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


# ----------------------------------------------------------------------------- parameters
def draw_parameters(seed: int, student_id: str, names: Iterable[str] | None = None) -> dict:
    """The student's parameters, drawn from (seed, student_id) alone (same inputs, same draw).

    A SHA-256 of f"{seed}:{student_id}" seeds numpy's default_rng; each parameter is drawn on
    the grid of :data:`PARAMETER_RANGES` (customers in thousands, order value to 10 yuan,
    multipliers to 0.01). ``names`` limits the draw to those parameters (in that table's order).
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


# ----------------------------------------------------------------------------- roster
@dataclass(frozen=True)
class Student:
    """One roster line: the id as written (text), an optional name, and the folder it maps to."""

    student_id: str
    name: str = ""
    folder: str = ""


_UNSAFE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def folder_name(student_id: str) -> str:
    """The folder of a student inside DIR: the id with path separators and characters that no file
    system takes replaced by "_" (Chinese text is kept). Ids that would leave DIR ("." or "..")
    or are too long for a file name raise ValueError."""
    sid = str(student_id).strip()
    if not sid:
        raise ValueError("an empty student_id cannot name a folder")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in sid):
        raise ValueError(f"student_id {sid!r} contains a control character (a line break or tab)")
    if set(sid) <= {"."}:
        raise ValueError(f"student_id {sid!r} would name a folder outside the output folder")
    name = _UNSAFE_CHARS.sub("_", sid).rstrip(" .")
    if name.startswith("."):
        name = "_" + name[1:]
    if not name or set(name) <= {"."}:
        raise ValueError(f"student_id {sid!r} cannot name a folder")
    if len(name.encode("utf-8")) > 200:
        raise ValueError(f"student_id {sid[:40]!r}... is too long for a folder name (200 bytes at most)")
    return name


def _read_utf8(path: Path, what: str, hint: str = "") -> str:
    """The text of a UTF-8 file (a BOM is allowed), with errors naming the file."""
    if not path.is_file():
        raise FileNotFoundError(f"{what} {path} not found")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{what} {path} is not UTF-8 text{hint}") from None


def read_roster(path: str | os.PathLike) -> list[Student]:
    """Students of a roster CSV (UTF-8, a ``student_id`` column, optionally ``name``), ids as text.

    Raises ValueError naming the file and row for a missing column, an empty or duplicate id,
    or two ids that would share a folder.
    """
    p = Path(path)
    text = _read_utf8(p, "roster", " (save it as 'CSV UTF-8')")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise ValueError(f"roster {p} is empty: it needs a header line with student_id")
    cols = [h.strip().lower() for h in header]
    if "student_id" not in cols:
        raise ValueError(f"roster {p} has no student_id column (columns: {', '.join(header) or 'none'})")
    i_id, i_name = cols.index("student_id"), (cols.index("name") if "name" in cols else None)
    students: list[Student] = []
    seen: dict[str, int] = {}
    folders: dict[str, tuple[str, int]] = {}
    for line_no, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        sid = row[i_id].strip() if i_id < len(row) else ""
        if not sid:
            raise ValueError(f"roster {p}, row {line_no}: empty student_id")
        if sid in seen:
            raise ValueError(f"roster {p}, row {line_no}: student_id {sid!r} is already on row {seen[sid]}")
        seen[sid] = line_no
        try:
            folder = folder_name(sid)
        except ValueError as exc:
            raise ValueError(f"roster {p}, row {line_no}: {exc}") from None
        if folder in folders:
            other, other_row = folders[folder]
            raise ValueError(f"roster {p}, row {line_no}: student ids {sid!r} and {other!r} (row {other_row}) "
                             f"would share the folder {folder!r}")
        folders[folder] = (sid, line_no)
        name = row[i_name].strip() if i_name is not None and i_name < len(row) else ""
        students.append(Student(sid, name, folder))
    if not students:
        raise ValueError(f"roster {p} lists no students")
    return students


# ----------------------------------------------------------------------------- notebooks
def _read_notebook(path: str | os.PathLike):
    import nbformat

    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"notebook {p} not found")
    try:
        return nbformat.read(str(p), as_version=4)
    except Exception as exc:  # nbformat raises several kinds
        raise ValueError(f"{p} is not a readable notebook: {str(exc).splitlines()[0] if str(exc) else exc}") from None


def _dumps(nb) -> str:
    import nbformat

    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def _source(cell) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def parameters_cell_index(nb, where: str = "the notebook") -> int:
    """Index of the single code cell tagged ``parameters`` (ValueError if none or several)."""
    idx = [i for i, c in enumerate(nb.cells)
           if c.get("cell_type") == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    if not idx:
        raise ValueError(f"{where} has no code cell tagged 'parameters': tag the cell that sets the "
                         "parameters (View > Cell Toolbar > Tags in Jupyter) and try again")
    if len(idx) > 1:
        raise ValueError(f"{where} has {len(idx)} cells tagged 'parameters' (cells "
                         f"{', '.join(str(i + 1) for i in idx)}); keep exactly one")
    return idx[0]


def cell_assignments(source: str) -> dict:
    """Top-level ``name = literal`` assignments of a code cell (later ones win); others ignored."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    out = {}
    for node in tree.body:
        targets, value = [], None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        for t in targets:
            if isinstance(t, ast.Name):
                try:
                    out[t.id] = ast.literal_eval(value)
                except ValueError:
                    pass
    return out


def questions_in(nb) -> list[str]:
    """Question ids the notebook answers with answer("q..", ...), in order of appearance."""
    seen: list[str] = []
    for c in nb.cells:
        if c.get("cell_type") == "code":
            for q in _ANSWER_CALL.findall(_source(c)):
                if q not in seen:
                    seen.append(q)
    return seen


def strip_solutions(nb, where: str = "the notebook"):
    """A student version of ``nb`` (a copy): every block between ``### BEGIN SOLUTION`` and
    ``### END SOLUTION`` becomes ``# YOUR CODE HERE`` + ``raise NotImplementedError()`` (in markdown:
    ``YOUR ANSWER HERE``); outputs and execution counts are cleared. Returns (notebook, blocks removed).
    """
    nb = copy.deepcopy(nb)
    blocks = 0
    for i, cell in enumerate(nb.cells):
        lines = _source(cell).split("\n")
        out, inside = [], False
        for line in lines:
            if _MARKER_BEGIN.match(line):
                if inside:
                    raise ValueError(f"{where}, cell {i + 1}: BEGIN SOLUTION inside another solution block")
                inside = True
                blocks += 1
                indent = line[: len(line) - len(line.lstrip())]
                if cell.get("cell_type") == "code":
                    out += [indent + "# YOUR CODE HERE", indent + "raise NotImplementedError()"]
                else:
                    out.append("YOUR ANSWER HERE")
            elif _MARKER_END.match(line):
                if not inside:
                    raise ValueError(f"{where}, cell {i + 1}: END SOLUTION without BEGIN SOLUTION")
                inside = False
            elif not inside:
                out.append(line)
        if inside:
            raise ValueError(f"{where}, cell {i + 1}: BEGIN SOLUTION without END SOLUTION")
        cell.source = "\n".join(out)
        if cell.get("cell_type") == "code":
            cell.outputs = []
            cell.execution_count = None
        for k in ("papermill", "execution"):
            cell.get("metadata", {}).pop(k, None)
    nb.metadata.pop("papermill", None)
    return nb, blocks


def strip_notebook(notebook: str | os.PathLike, out: str | os.PathLike, force: bool = False) -> int:
    """Write the student version of ``notebook`` to ``out``; returns the number of solution blocks removed.

    Never overwrites ``out`` without ``force``, and never the notebook itself.
    """
    src, dst = Path(notebook), Path(out)
    nb = _read_notebook(src)
    if dst.exists() and dst.resolve() == src.resolve():
        raise ValueError(f"--out {dst} is the notebook itself: that would delete its solutions")
    if dst.exists() and not force:
        raise FileExistsError(f"{dst} already exists; use --force to overwrite it")
    if dst.is_dir():
        raise IsADirectoryError(f"--out {dst} is a folder; give a file name")
    student, blocks = strip_solutions(nb, str(src))
    if blocks == 0:
        _warn(f"{src} has no ### BEGIN SOLUTION blocks; the copy only has its outputs cleared")
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(_dumps(student), encoding="utf-8")
    return blocks


def _normalise_ids(nb) -> None:
    """nbformat 4.5 with a stable id on every cell (random ids would break byte-identical output)."""
    nb.nbformat, nb.nbformat_minor = 4, max(5, nb.get("nbformat_minor", 0))
    used = set()
    for i, c in enumerate(nb.cells):
        cid = c.get("id")
        if not cid or cid in used:
            cid = f"cell-{i}"
            while cid in used:
                cid += "-"
            c["id"] = cid
        used.add(cid)


def inject_parameters(template, parameters: dict):
    """The template with an ``injected-parameters`` cell after its parameters cell (papermill)."""
    from papermill.parameterize import parameterize_notebook

    nb = copy.deepcopy(template)
    nb.metadata.setdefault("papermill", {})
    bare = set()
    for i, c in enumerate(nb.cells):          # papermill reads cell.metadata.tags on every cell
        if "tags" not in c.metadata:
            c.metadata["tags"] = []
            bare.add(c.get("id"))
    sid = parameters.get("student_id")
    comment = f"Parameters of student {sid}: do not change them" if sid is not None else "Parameters"
    nb = parameterize_notebook(nb, parameters, comment=comment, kernel_name="python3", language="python")
    for c in nb.cells:
        if c.get("id") in bare and not c.metadata.get("tags"):
            del c.metadata["tags"]
    used = {c.get("id") for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])}
    for c in nb.cells:
        if "injected-parameters" in c.metadata.get("tags", []):
            cid = "injected-parameters"
            while cid in used:
                cid += "-"
            c["id"] = cid
    return nb


# ----------------------------------------------------------------------------- make
@dataclass
class MakeResult:
    """What ``make_variants`` wrote."""

    out: Path
    notebooks: list[Path]
    answer_key: Path
    parameters: Path
    questions: list[str]
    students: int


def _csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def _write_csv(path: Path, text: str) -> None:
    """CSV as UTF-8 with a byte-order mark, so Excel shows Chinese names."""
    path.write_text(text, encoding="utf-8-sig", newline="")


def make_variants(notebook: str | os.PathLike, roster: str | os.PathLike, out: str | os.PathLike,
                  seed: int = 0, force: bool = False, scenario: str | None = None) -> MakeResult:
    """One student version of ``notebook`` per roster line, with that student's parameters, plus
    ``answer_key.csv`` and ``parameters.csv`` in ``out``. Everything is checked and computed before
    the first file is written; the same inputs give byte-identical files.
    """
    from aftersales.course.parameters import scenario_from_parameters

    nb_path, out = Path(notebook), Path(out)
    nb = _read_notebook(nb_path)
    pidx = parameters_cell_index(nb, str(nb_path))
    defaults = cell_assignments(_source(nb.cells[pidx]))
    questions = questions_in(nb)
    unknown = [q for q in questions if q not in QUESTIONS_BY_ID]
    if unknown:
        raise ValueError(f"{nb_path} answers {', '.join(unknown)}, which the answer key does not define "
                         f"(known: {', '.join(QUESTIONS_BY_ID)})")
    if not questions:
        _warn(f"{nb_path} records no answer(\"q..\", ...): answer_key.csv will list no questions")
    drawn_names = [n for n in PARAMETER_RANGES if n in defaults]
    if not drawn_names:
        _warn(f"{nb_path}: its parameters cell sets none of {', '.join(PARAMETER_RANGES)}; "
              "every student gets the same numbers")
    if "student_id" not in defaults:
        _warn(f"{nb_path}: its parameters cell has no student_id; the grader can only compare parameters")
    students = read_roster(roster)
    if out.exists() and not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a folder")
    if out.exists() and any(out.iterdir()) and not force:
        raise FileExistsError(f"{out} already holds files; use --force to write into it anyway")
    scenario_name = scenario if scenario is not None else defaults.get("scenario", "seed-demo")

    template, _ = strip_solutions(nb, str(nb_path))
    _normalise_ids(template)
    leftover = [i + 1 for i, c in enumerate(template.cells)
                if "BEGIN SOLUTION" in _source(c) or "END SOLUTION" in _source(c)]
    if leftover:  # pragma: no cover - strip_solutions guarantees this
        raise ValueError(f"{nb_path}: solution markers left in cells {leftover}")

    files: list[tuple[Path, str]] = []
    key_rows, param_rows = [], []
    for st in students:
        params = draw_parameters(seed, st.student_id, drawn_names)
        inject: dict = {}
        if "student_id" in defaults:
            inject["student_id"] = st.student_id          # always text: "007" stays "007"
        if scenario is not None:
            inject["scenario"] = scenario
        inject.update(params)
        kwargs = {k: defaults[k] for k in _SCENARIO_KEYS if k in defaults}
        kwargs.update(params)
        try:
            sc = scenario_from_parameters(scenario_name, **kwargs)
            expected = [(q, q.expected(sc)) for q in (QUESTIONS_BY_ID[i] for i in questions)]
        except ValueError as exc:
            raise ValueError(f"student {st.student_id!r}: {exc}") from None
        for q, e in expected:
            key_rows.append((st.student_id, q.id, _num(e), _num(q.tolerance(e)), _num(q.points)))
        param_rows.append([st.student_id, st.name, st.folder, f"{st.folder}/{nb_path.name}", str(seed),
                           str(scenario_name)] + [_num(params[n]) for n in drawn_names])
        files.append((out / st.folder / nb_path.name, _dumps(inject_parameters(template, inject))))

    key_text = _csv_text(KEY_COLUMNS, key_rows)
    param_text = _csv_text(["student_id", "name", "folder", "notebook", "seed", "scenario"] + drawn_names,
                           param_rows)
    out.mkdir(parents=True, exist_ok=True)
    for path, text in files:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    _write_csv(out / "answer_key.csv", key_text)
    _write_csv(out / "parameters.csv", param_text)
    folders = {s.folder for s in students}
    stale = sorted(p.name for p in out.iterdir() if p.is_dir() and p.name not in folders)
    if stale:
        _warn(f"{out} also holds folders not on this roster (left as they are): {', '.join(stale[:10])}"
              + (" ..." if len(stale) > 10 else ""))
    return MakeResult(out, [p for p, _ in files], out / "answer_key.csv", out / "parameters.csv",
                      questions, len(students))


# ----------------------------------------------------------------------------- grading: execution
def execute_submission(path: str, timeout: float = 120.0, start_timeout: float = 60.0) -> dict:
    """Execute one notebook with papermill in a fresh temporary folder; never raises.

    The kernel is "python3"; it gets ``start_timeout`` seconds to start, and the cells together
    get ``timeout`` seconds (each cell's limit is what is left of it). Cells that raise are
    recorded and execution goes on, so every answer the notebook can show is shown. A kernel
    that dies before the first cell runs (two kernels starting at once can collide on a port)
    is started once more.
    Returns {"status": ok|errors|timeout|failed, "message": text, "notebook": JSON text or None,
    "seconds": wall time}.
    """
    import time

    t0 = time.monotonic()
    for attempt in (1, 2):
        status, message, notebook, started = _execute_once(path, timeout, start_timeout)
        if not (status == "failed" and not started and attempt == 1 and Path(path).is_file()):
            break
    return {"status": status, "message": message, "notebook": notebook,
            "seconds": round(time.monotonic() - t0, 3)}


def _execute_once(path: str, timeout: float, start_timeout: float) -> tuple[str, str, str | None, list]:
    import shutil
    import tempfile
    import time

    work = Path(tempfile.mkdtemp(prefix="aftersales-grade-"))
    src, dst = work / "submission.ipynb", work / "executed.ipynb"
    status, message = "ok", ""
    started: list[tuple[int, str]] = []          # (cell index, source) of each cell as it starts
    try:
        shutil.copyfile(path, src)             # papermill formats paths: "{" in a name would break it
        import papermill as pm
        from nbclient.exceptions import CellTimeoutError, DeadKernelError
        from papermill.exceptions import PapermillExecutionError

        deadline: list[float] = []

        def cell_started(cell, cell_index, **_) -> None:
            started.append((cell_index, _source(cell)))

        def cell_timeout(cell) -> int:
            if not deadline:
                deadline.append(time.monotonic() + timeout)
            return max(1, math.ceil(deadline[0] - time.monotonic()))

        try:
            pm.execute_notebook(str(src), str(dst), kernel_name="python3", cwd=str(work),
                                progress_bar=False, log_output=False, start_timeout=start_timeout,
                                execution_timeout=max(1, math.ceil(timeout)), timeout_func=cell_timeout,
                                allow_errors=True, on_cell_start=cell_started)
        except PapermillExecutionError as exc:
            status, message = "errors", f"a cell raised {exc.ename}: {exc.evalue}".rstrip(": ")
        except CellTimeoutError:
            status, message = "timeout", f"timed out: still running after {timeout:g} s"
            if started:
                idx, src_text = started[-1]
                first = next((ln.strip() for ln in src_text.split("\n") if ln.strip()), "")
                message += f" (in cell {idx + 1}: {first[:60]})"
        except DeadKernelError:
            status, message = "failed", "the kernel died while running the notebook"
        except RuntimeError as exc:
            text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if "respond" in text or "start" in text.lower():
                text = f"the kernel did not start within {start_timeout:g} s"
            status, message = "failed", text
    except Exception as exc:  # noqa: BLE001 - one bad submission must not stop the batch
        first = str(exc).splitlines()[0] if str(exc) else ""
        status, message = "failed", f"{type(exc).__name__}: {first}".rstrip(": ")
    notebook = None
    try:
        if dst.is_file():
            notebook = dst.read_text(encoding="utf-8")
            json.loads(notebook)
    except (OSError, ValueError):
        notebook = None
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return status, message, notebook, started


def _load_executed(path: Path) -> dict:
    """A notebook that was already executed and saved: {"status", "message", "notebook"}."""
    try:
        text = path.read_text(encoding="utf-8")
        cells = json.loads(text).get("cells", [])
    except (OSError, UnicodeDecodeError, ValueError, AttributeError) as exc:
        return {"status": "failed", "message": f"not a readable notebook ({type(exc).__name__})",
                "notebook": None, "seconds": 0.0}
    if not any(c.get("outputs") for c in cells if isinstance(c, dict)):
        return {"status": "failed", "notebook": text, "seconds": 0.0,
                "message": "the notebook was saved without outputs: run it and save it, "
                           "or grade without --no-execute"}
    return {"status": "ok", "message": "", "notebook": text, "seconds": 0.0}


def available_cores() -> int:
    """CPU cores this process may use (the affinity mask where the system has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _quiet_worker() -> None:
    """Send a grading worker's own stdout/stderr (and so its kernels' log lines) to the null device."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 1)
    os.dup2(devnull, 2)
    os.close(devnull)


def _run_all(jobs_list: list[tuple[str, Path]], execute: bool, timeout: float, start_timeout: float,
             jobs: int | None, progress: Callable[[str], None] | None) -> dict[str, dict]:
    """Execute (or read) every submission, in parallel across processes; {student_id: result}."""
    results: dict[str, dict] = {}
    if not execute:
        for sid, path in jobs_list:
            results[sid] = _load_executed(path)
        return results
    if not jobs_list:
        return results
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    workers = max(1, min(jobs or available_cores(), len(jobs_list)))
    ctx = multiprocessing.get_context("spawn")   # clean workers; papermill changes the cwd per run
    with ProcessPoolExecutor(max_workers=workers, mp_context=ctx, initializer=_quiet_worker) as pool:
        futures = {pool.submit(execute_submission, str(path), timeout, start_timeout): sid
                   for sid, path in jobs_list}
        done = 0
        for fut in as_completed(futures):
            sid = futures[fut]
            try:
                results[sid] = fut.result()
            except Exception as exc:  # noqa: BLE001 - a crashed worker: report, keep going
                results[sid] = {"status": "failed", "message": f"the grading process failed "
                                f"({type(exc).__name__})", "notebook": None, "seconds": 0.0}
            done += 1
            if progress:
                r = results[sid]
                progress(f"[{done}/{len(jobs_list)}] {sid}: {r['status']}"
                         f"{' - ' + r['message'] if r['message'] else ''} ({r['seconds']:.1f} s)")
    return results


# ----------------------------------------------------------------------------- grading: marking
def _read_csv(path: Path, required: Sequence[str], what: str) -> list[dict]:
    reader = csv.DictReader(io.StringIO(_read_utf8(path, what)))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{what} {path} has no {', '.join(missing)} column")
    return list(reader)


@dataclass
class KeyEntry:
    question: str
    expected: float
    tolerance: float
    points: float


def read_answer_key(path: str | os.PathLike) -> dict[str, list[KeyEntry]]:
    """{student_id: [KeyEntry, ...]} in file order; ValueError naming the row for a bad value."""
    p = Path(path)
    rows = _read_csv(p, ("student_id", "question", "expected", "tolerance"), "answer key")
    key: dict[str, list[KeyEntry]] = {}
    for n, r in enumerate(rows, start=2):
        sid = (r["student_id"] or "").strip()
        if not sid:
            raise ValueError(f"answer key {p}, row {n}: empty student_id")
        try:
            e, t = float(r["expected"]), float(r["tolerance"])
            pts = float(r.get("points") or 1)
        except ValueError:
            raise ValueError(f"answer key {p}, row {n}: expected, tolerance and points must be numbers") from None
        if not (math.isfinite(e) and math.isfinite(t) and t >= 0 and math.isfinite(pts)):
            raise ValueError(f"answer key {p}, row {n}: expected and tolerance must be finite, tolerance >= 0")
        key.setdefault(sid, []).append(KeyEntry(r["question"].strip(), e, t, pts))
    if not key:
        raise ValueError(f"answer key {p} lists no answers")
    return key


def _executed_cells(notebook_text: str) -> dict:
    nb = json.loads(notebook_text)
    nb["cells"] = [c for c in nb.get("cells", [])
                   if _ERROR_TAG not in c.get("metadata", {}).get("tags", [])]
    return nb


def _found_parameters(nb: dict, case: dict | None) -> dict | None:
    """The parameters a notebook ran with: its recorded case, else its injected-parameters
    cell, else its parameters cell (literal assignments)."""
    if case is not None:
        found = dict(case.get("parameters") or {})
        found["student_id"] = case.get("student_id")
        return found
    for tag in ("injected-parameters", "parameters"):
        for c in nb.get("cells", []):
            if c.get("cell_type") == "code" and tag in c.get("metadata", {}).get("tags", []):
                return cell_assignments(_source(c))
    return None


def _close(a, b) -> bool:
    try:
        a, b = float(a), float(b)
    except (TypeError, ValueError):
        return False
    return abs(a - b) <= 1e-9 * max(1.0, abs(a), abs(b))


def _is_number(x) -> bool:
    try:
        float(x)
    except (TypeError, ValueError):
        return False
    return True


def _variant_problem(sid: str, expected: dict | None, found: dict | None, known: set[str]) -> str | None:
    """Why the notebook does not answer this student's case, or None."""
    if found is None:
        if any(k != "student_id" for k in expected):
            return ("cannot tell which case the notebook answers: it records no case and has no "
                    "parameters cell")
        return None
    fsid = found.get("student_id")
    if "student_id" in found and fsid is not None and str(fsid) != sid:
        whose = f"student {str(fsid)!r}" if str(fsid) in known else f"student_id {str(fsid)!r}"
        return f"wrong variant: the notebook answers the case of {whose}, not {sid!r}"
    diffs = []
    for k, v in expected.items():
        if k != "student_id" and k in found and found[k] is not None:
            same = _close(found[k], v) if _is_number(v) else str(found[k]) == str(v)
            if not same:
                diffs.append(f"{k} {found[k]!r} instead of {v!r}")
    if diffs:
        return "wrong variant: the notebook's parameters are not this student's (" + "; ".join(diffs) + ")"
    return None


def _read_parameters(path: Path) -> dict[str, dict]:
    rows = _read_csv(path, ("student_id",), "parameters file")
    out = {}
    for r in rows:
        sid = (r.pop("student_id") or "").strip()
        out[sid] = r
    return out


def _find_submission(sub: Path, folder: str, notebook_name: str | None) -> tuple[Path | None, str]:
    """The student's notebook: SUB/<folder>/*.ipynb (one, or the one named as handed out) or SUB/<folder>.ipynb."""
    d = sub / folder
    if d.is_dir():
        nbs = sorted(p for p in d.rglob("*.ipynb")
                     if ".ipynb_checkpoints" not in p.parts and p.is_file())
        if len(nbs) == 1:
            return nbs[0], ""
        if notebook_name:
            named = [p for p in nbs if p.name == notebook_name]
            if len(named) == 1:
                return named[0], ""
        if not nbs:
            return None, f"missing: the folder {folder}/ holds no notebook"
        return None, (f"the folder {folder}/ holds {len(nbs)} notebooks "
                      f"({', '.join(p.name for p in nbs[:5])}); keep one")
    flat = sub / f"{folder}.ipynb"
    if flat.is_file():
        return flat, ""
    return None, f"missing: no {folder}/ folder or {folder}.ipynb among the submissions"


@dataclass
class GradeReport:
    """Rows of grades.csv and grades_summary.csv, and where they were written."""

    rows: list[dict] = field(default_factory=list)
    summary: list[dict] = field(default_factory=list)
    grades: Path | None = None
    summary_path: Path | None = None


def summary_path_for(out: Path) -> Path:
    """grades.csv -> grades_summary.csv (beside it)."""
    return out.with_name(out.stem + "_summary" + (out.suffix or ".csv"))


def _not_answered_reason(q: str, records: dict, status: str, message: str) -> str:
    cell = records["answer_cells"].get(q)
    errs = records["errors"]
    if cell is not None:
        for e in errs:
            if e["cell"] == cell:
                return f"not answered: the cell answering {q} raised {e['ename']}: {e['evalue']}".rstrip(": ")
    if status in ("timeout", "failed"):
        return f"not answered: {message}"
    if cell is None:
        return f"not answered: the notebook has no answer(\"{q}\", ...) call"
    base = f"not answered: its answer(\"{q}\", ...) cell did not record an answer"
    if errs:
        e = errs[0]
        base += f" (the notebook raised {e['ename']}: {e['evalue']} in cell {e['cell'] + 1})"
    return base


def _mark(entry: KeyEntry, value) -> tuple[bool, str]:
    try:
        v = float(value)
    except (TypeError, ValueError):
        return False, f"the recorded answer {value!r} is not a number"
    if not math.isfinite(v):
        return False, f"the recorded answer {value!r} is not a finite number"
    diff = v - entry.expected
    slack = 1e-9 * max(1.0, abs(entry.expected))
    if abs(diff) <= entry.tolerance + slack:
        return True, f"correct (within ±{entry.tolerance:.6g})"
    reason = f"off by {diff:+,.6g} (tolerance ±{entry.tolerance:.6g})"
    if 1 < abs(v) <= 100 and abs(v / 100 - entry.expected) <= entry.tolerance + slack:
        reason += "; it looks like a percentage: give a share 0-1"
    return False, reason


def grade(key: str | os.PathLike, submissions: str | os.PathLike, out: str | os.PathLike = "grades.csv",
          *, execute: bool = True, timeout: float = 120.0, start_timeout: float = 60.0,
          jobs: int | None = None, force: bool = False, parameters: str | os.PathLike | None = None,
          executed_dir: str | os.PathLike | None = None,
          progress: Callable[[str], None] | None = None) -> GradeReport:
    """Grade every student of the answer key from the notebooks in ``submissions``.

    Writes ``out`` (one row per student and question: student_id, question, expected, answered,
    correct, points, reason) and ``<out stem>_summary.csv`` (one row per student: status, points,
    max_points, percent, reason). A failing, timed-out, missing or wrong-variant submission
    gets zero for what it could not show and says why; it never stops the batch.
    ``executed_dir``: also keep each executed notebook there, as ``<folder>/<name>.ipynb``.
    """
    key_path, sub, out = Path(key), Path(submissions), Path(out)
    answer_key = read_answer_key(key_path)
    params_path = Path(parameters) if parameters else key_path.with_name("parameters.csv")
    params: dict[str, dict] = {}
    if params_path.is_file():
        params = _read_parameters(params_path)
    else:
        _warn(f"{params_path} not found: submissions are checked against the student id only")
    if not sub.is_dir():
        raise FileNotFoundError(f"submissions folder {sub} not found")
    summary_out = summary_path_for(out)
    for p in (out, summary_out):
        if p.exists() and not force:
            raise FileExistsError(f"{p} already exists; use --force to overwrite it")
    exec_dir = Path(executed_dir) if executed_dir else None
    if exec_dir is not None and exec_dir.exists() and any(exec_dir.iterdir()) and not force:
        raise FileExistsError(f"{exec_dir} already holds files; use --force to write into it anyway")
    if timeout <= 0 or start_timeout <= 0:
        raise ValueError("--timeout and --start-timeout must be positive (seconds)")

    located: dict[str, tuple[Path | None, str]] = {}
    for sid in answer_key:
        info = params.get(sid, {})
        folder = info.get("folder") or folder_name(sid)
        nb_name = Path(info["notebook"]).name if info.get("notebook") else None
        located[sid] = _find_submission(sub, folder, nb_name)
    known_folders = {(params.get(s, {}).get("folder") or folder_name(s)) for s in answer_key}
    extra = sorted(p.name for p in sub.iterdir()
                   if not p.name.startswith(".") and (p.name if p.is_dir() else p.stem) not in known_folders)
    if extra:
        _warn(f"not on the answer key, not graded: {', '.join(extra[:10])}{' ...' if len(extra) > 10 else ''}")

    todo = [(sid, path) for sid, (path, _) in located.items() if path is not None]
    results = _run_all(todo, execute, timeout, start_timeout, jobs, progress)

    report = GradeReport()
    meta_cols = {"name", "folder", "notebook", "seed"}
    for sid, entries in answer_key.items():
        path, why_missing = located[sid]
        max_points = sum(e.points for e in entries)
        res = results.get(sid)
        status = "missing" if why_missing.startswith("missing") else "failed"
        message, records, problem = why_missing, None, None
        if res is not None:
            status, message = res["status"], res["message"]
            if res["notebook"] is not None:
                nbd = _executed_cells(res["notebook"])
                records = read_records(nbd)
                expected_params = {k: v for k, v in params.get(sid, {}).items()
                                   if k not in meta_cols and v not in (None, "")}
                expected_params["student_id"] = sid
                problem = _variant_problem(sid, expected_params, _found_parameters(nbd, records["case"]),
                                           set(answer_key))
            elif status == "ok":
                status, message = "failed", "no notebook came back from execution"
        earned = 0.0
        for e in entries:
            row = {"student_id": sid, "question": e.question, "expected": _num(e.expected),
                   "answered": "", "correct": "no", "points": "0", "reason": ""}
            rec = records["answers"].get(e.question) if records else None
            if rec is not None:
                v = rec.get("value")
                row["answered"] = _num(v) if isinstance(v, (int, float)) and not isinstance(v, bool) \
                    and math.isfinite(v) else str(v)
            if records is None:
                row["reason"] = (message if status == "missing" else
                                 f"not graded: {message or 'the notebook could not be read'}")
            elif problem:
                row["reason"] = problem
            elif rec is None:
                row["reason"] = _not_answered_reason(e.question, records, status, message)
            else:
                ok, reason = _mark(e, rec.get("value"))
                row["reason"] = reason
                if ok:
                    row["correct"], row["points"] = "yes", _num(e.points)
                    earned += e.points
            report.rows.append(row)
        if status == "missing":
            s_status, s_reason = "missing", message
        elif problem:
            s_status, s_reason = "wrong variant", problem
        elif records is None:
            s_status, s_reason = "failed", message
        else:
            s_status = {"ok": "graded", "errors": "graded, with errors", "timeout": "timed out",
                        "failed": "failed"}[status]
            s_reason = message
        report.summary.append({"student_id": sid, "name": params.get(sid, {}).get("name", ""),
                               "status": s_status, "points": _num(earned), "max_points": _num(max_points),
                               "percent": f"{100 * earned / max_points:.1f}" if max_points else "",
                               "reason": s_reason})

    if exec_dir is not None:
        for sid, res in results.items():
            if res.get("notebook") is not None:
                info = params.get(sid, {})
                folder = info.get("folder") or folder_name(sid)
                dst = exec_dir / folder / (located[sid][0].name if located[sid][0] else "executed.ipynb")
                dst.parent.mkdir(parents=True, exist_ok=True)
                dst.write_text(res["notebook"], encoding="utf-8")
    out.parent.mkdir(parents=True, exist_ok=True)
    _write_csv(out, _csv_text(GRADE_COLUMNS, ([r[c] for c in GRADE_COLUMNS] for r in report.rows)))
    _write_csv(summary_out, _csv_text(SUMMARY_COLUMNS, ([r[c] for c in SUMMARY_COLUMNS]
                                                         for r in report.summary)))
    report.grades, report.summary_path = out, summary_out
    return report
