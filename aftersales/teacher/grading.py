"""Grading a class: find each submission, run it in its own sandbox, mark it, write the gradebook.

``grade`` reads the teacher's answer key and parameters, checks the teacher's copy of the case
file against its checksum, finds every roster student's notebook (:mod:`.collect`), executes each
in a process and sandbox of its own (:mod:`.sandbox`), reads the answers the executed copy records
and writes the outputs of :mod:`.reports`. A submission can only ever change its own row; the
batch fails (an exception, exit code 2 at the command line) only for the teacher's own errors.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import os
import queue
import tempfile
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from aftersales.teacher.files import num, sha256_of
from aftersales.teacher.marking import (found_parameters, mark, not_answered_reason, read_answer_key,
                                        read_parameters, variant_problem)
from aftersales.teacher.roster import folder_name

__all__ = ["GradeReport", "grade", "records_of", "available_cores", "STATUS_WORDS", "parse_due"]

#: run status -> the status column of the summary
STATUS_WORDS = {"ok": "graded", "errors": "graded, with errors", "timeout": "timed out", "failed": "failed",
                "output limit": "output limit"}
_META = {"name", "folder", "notebook", "seed", "scenario_file", "scenario_sha256"}


def records_of(nb: dict) -> dict:
    """The answer records of an executed notebook (the course's exercise protocol).

    One place to point at the course's record format: {"answers": {q: {"value", "cell"}},
    "case": ..., "errors": [...], "answer_cells": {...}}.

    Parameters
    ----------
    nb : dict or NotebookNode
        The executed notebook (as loaded from its JSON).

    Returns
    -------
    Records
        :func:`aftersales.course.records.read_records`: ``answers`` (the last answer to each
        question, with its cell index, 0-based), ``case``, ``errors`` (``{"cell", "ename",
        "evalue"}``), ``answer_cells`` (the cell that calls ``answer("q..")``, even if it did
        not run), ``checks`` and ``figures``.

    Examples
    --------
    >>> mime = "application/vnd.aftersales.record+json"
    >>> nb = {"cells": [
    ...     {"cell_type": "code", "source": 'answer("q1", leakage)', "outputs": [
    ...         {"output_type": "display_data",
    ...          "data": {mime: {"kind": "answer", "question": "q1", "value": 295.17}}}]},
    ...     {"cell_type": "code", "source": 'answer("q2", share)', "outputs": [
    ...         {"output_type": "error", "ename": "NameError", "evalue": "name 'share' is not defined"}]}]}
    >>> records = records_of(nb)
    >>> records["answers"], records["answer_cells"], records["case"]
    ({'q1': {'value': 295.17, 'cell': 0}}, {'q1': 0, 'q2': 1}, None)
    >>> records["errors"]
    [{'cell': 1, 'ename': 'NameError', 'evalue': "name 'share' is not defined"}]
    """
    from aftersales.course.answers import read_records

    return read_records(nb)


def available_cores() -> int:
    """CPU cores this process may use (the affinity mask where the system has one).

    Returns
    -------
    int
        At least 1; the default of ``grade``'s ``jobs`` (notebooks executed at once).

    Examples
    --------
    >>> n = available_cores()
    >>> isinstance(n, int) and 1 <= n <= (os.cpu_count() or 1)
    True
    """
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def parse_due(text: str | None) -> _dt.datetime | None:
    """``--due``: an ISO date and time ("2026-12-01 23:59", local time unless it names a zone).

    Parameters
    ----------
    text : str or None
        ``--due`` as typed: ``YYYY-MM-DD``, ``YYYY-MM-DD HH:MM[:SS]`` (or with a "T"), optionally
        followed by a UTC offset such as ``+08:00``. Empty or None: no deadline.

    Returns
    -------
    datetime or None
        An aware datetime (the machine's zone when the text names none).

    Raises
    ------
    ValueError
        For text that is not such a date, naming ``--due``.

    Notes
    -----
    A date alone means the end of that day, 23:59:59: a deadline written as a day is taken to
    include the whole day.

    Examples
    --------
    >>> parse_due("2026-12-01 23:59+08:00").isoformat()
    '2026-12-01T23:59:00+08:00'
    >>> due = parse_due("2026-12-01")             # the whole day, in the machine's zone
    >>> due.time().isoformat(), due.tzinfo is not None
    ('23:59:59', True)
    >>> parse_due("") is None
    True
    >>> parse_due("1 Dec")
    Traceback (most recent call last):
    ...
    ValueError: --due '1 Dec' is not a date and time such as 2026-12-01 23:59
    """
    if not text:
        return None
    try:
        d = _dt.datetime.fromisoformat(text.strip().replace("T", " "))
    except ValueError:
        raise ValueError(f"--due {text!r} is not a date and time such as 2026-12-01 23:59") from None
    if len(text.strip()) <= 10:
        d = d.replace(hour=23, minute=59, second=59)
    return d if d.tzinfo else d.astimezone()


def _load_executed(path: Path) -> dict:
    """A notebook that was already executed and saved: nothing runs."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        cells = nb.get("cells", [])
    except (OSError, UnicodeDecodeError, ValueError, AttributeError) as exc:
        return {"status": "failed", "message": f"not a readable notebook ({type(exc).__name__})",
                "notebook": None, "seconds": 0.0, "notes": []}
    if not any(c.get("outputs") for c in cells if isinstance(c, dict)):
        return {"status": "failed", "notebook": nb, "seconds": 0.0, "notes": [],
                "message": "the notebook was saved without outputs: run it and save it, "
                           "or grade without --no-execute"}
    return {"status": "ok", "message": "", "notebook": nb, "seconds": 0.0, "notes": []}


@dataclass
class GradeReport:
    """Rows of the gradebook files, and where they were written.

    Filled by :func:`grade`; the rows are the text the CSV files hold.

    Parameters
    ----------
    rows : list of dict
        One per student and question, keys :data:`aftersales.teacher.reports.GRADE_COLUMNS`.
    summary : list of dict
        One per student, keys :data:`aftersales.teacher.reports.SUMMARY_COLUMNS` and
        ``per_question`` (question -> points, text) and ``seconds``.
    questions : list of str
        The question ids, in key order.
    grades, summary_path : Path, optional
        grades.csv and grades_summary.csv once written.
    files : dict of str to Path
        Every output by role (``grades``, ``summary``, ``feedback``, ``canvas``, ``moodle``,
        ``executed``), see :func:`aftersales.teacher.reports.output_paths`.
    warnings : list of str
        For the teacher: no parameters.csv, no sandbox, files skipped, folders not on the key.
    sandboxed : bool, default True
        False when student code ran without a sandbox.
    titles : dict of str to str
        Question id -> title, from the handed-out notebook, for the feedback.

    Examples
    --------
    >>> report = GradeReport(questions=["q1", "q2"])
    >>> report.rows, report.sandboxed, report.grades is None
    ([], True, True)
    """

    rows: list[dict] = field(default_factory=list)
    summary: list[dict] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    grades: Path | None = None
    summary_path: Path | None = None
    files: dict[str, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    sandboxed: bool = True
    titles: dict = field(default_factory=dict)


def _run_all(todo, extra, execute, limits, jobs, sandbox, progress) -> dict[str, dict]:
    from aftersales.teacher.sandbox import run_notebook

    results: dict[str, dict] = {}
    if not execute:
        return {sid: _load_executed(path) for sid, path in todo}
    if not todo:
        return results
    workers = max(1, min(jobs or available_cores(), len(todo)))
    slots: queue.Queue = queue.Queue()
    for i in range(workers):
        slots.put(i)

    def one(path: Path) -> dict:
        slot = slots.get()
        try:
            return run_notebook(path, extra, limits, sandbox=sandbox, slot=slot)
        finally:
            slots.put(slot)

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = {pool.submit(one, path): sid for sid, path in todo}
        for done, fut in enumerate(as_completed(futures), start=1):
            sid = futures[fut]
            try:
                results[sid] = fut.result()
            except Exception as exc:  # noqa: BLE001 - the grader's own failure, for this row only
                results[sid] = {"status": "failed", "message": f"the grader failed on this submission "
                                f"({type(exc).__name__}: {exc})", "notebook": None, "seconds": 0.0, "notes": []}
            if progress:
                r = results[sid]
                progress(f"[{done}/{len(todo)}] {sid}: {r['status']}"
                         f"{' - ' + r['message'] if r['message'] else ''} ({r['seconds']:.1f} s)")
    return results


def _teacher_case_file(key_path: Path, params: dict[str, dict]) -> tuple[str, Path, str] | None:
    """(name, the teacher's copy, checksum) of the case file, checked; None for old variants."""
    names = {(r.get("scenario_file") or "", r.get("scenario_sha256") or "") for r in params.values()}
    names.discard(("", ""))
    if not names:
        return None
    if len(names) > 1:
        raise ValueError(f"parameters.csv names several case files: {', '.join(sorted(n for n, _ in names))}")
    name, sha = names.pop()
    copy = key_path.parent / name
    if not copy.is_file():
        raise FileNotFoundError(f"the teacher's copy of the case file, {copy}, is missing: grading needs the "
                                f"file 'homework make' wrote there")
    if sha256_of(copy) != sha:
        raise ValueError(f"the teacher's copy of the case file, {copy}, changed since 'homework make' "
                         f"(SHA-256 {sha256_of(copy)[:12]}... instead of {sha[:12]}...): restore it")
    return name, copy, sha


def grade(key: str | os.PathLike, submissions: str | os.PathLike, out: str | os.PathLike = "grades.csv",
          *, execute: bool = True, timeout: float = 120.0, start_timeout: float = 60.0,
          jobs: int | None = None, force: bool = False, parameters: str | os.PathLike | None = None,
          executed_dir: str | os.PathLike | None = None, progress: Callable[[str], None] | None = None,
          sandbox: bool = True, due: str | None = None, student: str | None = None, limits=None,
          assignment: str | None = None) -> GradeReport:
    """Grade every student of the answer key from the notebooks in ``submissions``.

    Parameters
    ----------
    key : path-like
        answer_key.csv of ``homework make``.
    submissions : path-like
        Folder (or zip file) of submissions.
    out : path-like
        grades.csv; the other outputs are named after it (see :mod:`aftersales.teacher.reports`).
    execute : bool
        Run each notebook (False: read notebooks already executed and saved).
    timeout, start_timeout : float
        Seconds for a notebook's cells together, and for its kernel to start.
    jobs : int, optional
        Notebooks executed at once (default: the CPU cores).
    force : bool
        Overwrite existing output files.
    parameters : path-like, optional
        parameters.csv (default: beside the key).
    executed_dir : path-like, optional
        Also keep each executed notebook there, as ``<folder>/<name>.ipynb``.
    progress : callable, optional
        Called with one line per finished submission.
    sandbox : bool
        Run each submission in bubblewrap (False: no isolation, said in the gradebook).
    due : str, optional
        Deadline; a submission whose file is newer is flagged late (no points are taken).
    student : str, optional
        Regrade this student only: their rows of existing outputs are replaced, others kept.
    limits : Limits, optional
        Memory, file, process and output limits (timeout and start_timeout override its own).
    assignment : str, optional
        The assignment's name in the LMS exports (default: the notebook's name).

    Returns
    -------
    GradeReport
        The rows written, the files and the warnings for the teacher.

    Raises
    ------
    FileNotFoundError
        For a missing key, submissions folder or teacher's copy of the case file.
    FileExistsError
        For an existing output, without ``force`` (not with ``student``).
    ValueError
        For a bad key or parameters file, a non-positive timeout, a bad ``due``, a ``student``
        not on the key, a changed case file.
    SandboxError
        When ``execute`` and ``sandbox`` and bubblewrap cannot run here.

    Notes
    -----
    A student's points are sum over questions of points x share, share 1 within the key's
    tolerance, a ladder rung's share within that rung, else 0 (:func:`mark`); the summary's
    percent is 100 x points / max_points to one decimal. A submission of the wrong variant earns
    nothing; a late one is flagged and keeps its points.

    Examples
    --------
    Grading notebooks already executed and saved (``execute=False``: nothing runs, no sandbox
    is needed; the command line's ``homework grade --no-execute``):

    >>> import json, tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     root = Path(tmp)
    ...     _ = (root / "answer_key.csv").write_text(
    ...         "student_id,question,expected,tolerance,points,partial\\n"
    ...         "s1,q1,295.1389,0.005,2,0.05:0.5\\n"
    ...         "s2,q1,301.25,0.005,2,0.05:0.5\\n", encoding="utf-8")
    ...     answer = {"kind": "answer", "question": "q1", "value": 295.17}
    ...     nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
    ...         {"cell_type": "code", "metadata": {}, "execution_count": 1, "source": 'answer("q1", x)',
    ...          "outputs": [{"output_type": "display_data", "metadata": {},
    ...                       "data": {"application/vnd.aftersales.record+json": answer}}]}]}
    ...     (root / "submissions" / "s1").mkdir(parents=True)
    ...     _ = (root / "submissions" / "s1" / "homework.ipynb").write_text(json.dumps(nb), encoding="utf-8")
    ...     report = grade(root / "answer_key.csv", root / "submissions", root / "grades.csv",
    ...                    execute=False)
    ...     written = sorted(p.name for p in root.iterdir())
    >>> [(s["student_id"], s["status"], s["points"], s["max_points"], s["percent"]) for s in report.summary]
    [('s1', 'graded', '1', '2', '50.0'), ('s2', 'missing', '0', '2', '0.0')]
    >>> print(report.rows[0]["reason"])
    partly right (0.5 of the points): off by +0.0311 (full points within ±0.005, 0.5 within ±0.05)
    >>> written
    ['answer_key.csv', 'grades.csv', 'grades_canvas.csv', 'grades_feedback', 'grades_moodle.csv', 'grades_summary.csv', 'submissions']
    >>> [w.split(" not found")[1] for w in report.warnings]
    [': submissions are checked against the student id only']
    """
    from dataclasses import replace as _replace

    from aftersales.teacher import reports
    from aftersales.teacher.collect import collect
    from aftersales.teacher.sandbox import Limits, check_sandbox

    key_path, sub, out = Path(key), Path(submissions), Path(out)
    answer_key = read_answer_key(key_path)
    params_path = Path(parameters) if parameters else key_path.with_name("parameters.csv")
    report = GradeReport(sandboxed=sandbox or not execute)
    params: dict[str, dict] = read_parameters(params_path) if params_path.is_file() else {}
    if not params:
        report.warnings.append(f"{params_path} not found: submissions are checked against the student id only")
    if not sub.exists():
        raise FileNotFoundError(f"submissions folder {sub} not found")
    if timeout <= 0 or start_timeout <= 0:
        raise ValueError("--timeout and --start-timeout must be positive (seconds)")
    due_at = parse_due(due)
    if student is not None and student not in answer_key:
        raise ValueError(f"--student {student!r} is not on the answer key {key_path}")
    case = _teacher_case_file(key_path, params)
    targets = reports.output_paths(out, executed_dir)
    if student is None:
        reports.refuse_existing(targets, force)
    if execute and sandbox:
        check_sandbox()
    elif execute:
        report.warnings.append("graded WITHOUT a sandbox (--no-sandbox): student code ran with your rights")
    limits = _replace(limits or Limits(), timeout=timeout, start_timeout=start_timeout)
    ids = [student] if student is not None else list(answer_key)

    with tempfile.TemporaryDirectory(prefix="aftersales-collect-") as scratch:
        coll = collect(sub, Path(scratch))
        report.warnings += [f"skipped in a zip file: {s}" for s in coll.skipped]
        located, notes = {}, {}
        for sid in ids:
            info = params.get(sid, {})
            folder = info.get("folder") or folder_name(sid)
            nb_name = Path(info["notebook"]).name if info.get("notebook") else None
            located[sid] = coll.locate(folder, nb_name)
            notes[sid] = [located[sid].note] if located[sid].note and located[sid].notebook else []
            if case and located[sid].notebook is not None and located[sid].notebook.parent != Path(sub):
                mine = located[sid].notebook.parent / case[0]
                if not mine.is_file():
                    notes[sid].append(f"your copy of {case[0]} was missing; graded with the teacher's copy")
                elif sha256_of(mine) != case[2]:
                    notes[sid].append(f"your copy of {case[0]} differs from the one handed out; graded "
                                      "with the teacher's copy")
        if student is None:
            known = {(params.get(s, {}).get("folder") or folder_name(s)) for s in answer_key}
            import unicodedata
            known = {unicodedata.normalize("NFC", k) for k in known}
            extra = sorted(k for k in coll.entries if k not in known and k not in coll.problems)
            if extra:
                report.warnings.append(f"not on the answer key, not graded: {', '.join(extra[:10])}"
                                       f"{' ...' if len(extra) > 10 else ''}")
        todo = [(sid, loc.notebook) for sid, loc in located.items() if loc.notebook is not None]
        extra_files = {case[0]: case[1]} if case else {}
        results = _run_all(todo, extra_files, execute, limits, jobs, sandbox, progress)

    report.questions = list(dict.fromkeys(e.question for es in answer_key.values() for e in es))
    report.titles = _titles(key_path, params)
    for sid in ids:
        entries = answer_key[sid]
        loc = located[sid]
        max_points = sum(e.points for e in entries)
        res = results.get(sid)
        status = "missing" if loc.note.startswith("missing") else "failed"
        message, records, problem = loc.note if loc.notebook is None else "", None, None
        if res is not None:
            status, message = res["status"], res["message"]
            notes[sid] += res.get("notes") or []
            if res["notebook"] is not None:
                records = records_of(res["notebook"])
                expected_params = {k: v for k, v in params.get(sid, {}).items()
                                   if k not in _META and v not in (None, "")}
                if case:
                    expected_params.pop("scenario", None)
                expected_params["student_id"] = sid
                problem = variant_problem(sid, expected_params, found_parameters(res["notebook"], records["case"]),
                                          set(answer_key))
        earned, per_q, first_loss = 0.0, {}, ""
        for e in entries:
            row = {"student_id": sid, "question": e.question, "expected": num(e.expected),
                   "answered": "", "correct": "no", "points": "0", "reason": "", "max_points": num(e.points)}
            rec = records["answers"].get(e.question) if records else None
            if rec is not None:
                v = rec.get("value")
                row["answered"] = num(v) if isinstance(v, (int, float)) and not isinstance(v, bool) \
                    and math.isfinite(v) else str(v)
            if records is None:
                row["reason"] = message if status == "missing" else \
                    f"not graded: {message or 'the notebook could not be read'}"
            elif problem:
                row["reason"] = problem
            elif rec is None:
                row["reason"] = not_answered_reason(e.question, records, status, message)
            else:
                share, row["reason"] = mark(e, rec.get("value"))
                if share > 0:
                    row["points"] = num(round(e.points * share, 6))
                    earned += e.points * share
                if share == 1.0:
                    row["correct"] = "yes"
            if row["correct"] != "yes" and not first_loss:
                first_loss = f"{e.question}: {row['reason']}"
            per_q[e.question] = row["points"]
            report.rows.append(row)
        if status == "missing":
            s_status, s_reason = "missing", message
        elif problem:
            s_status, s_reason = "wrong variant", problem
        elif records is None:
            s_status, s_reason = "failed", message
        else:
            s_status, s_reason = STATUS_WORDS.get(status, status), message
        loc_time = loc.submitted
        late = "" if due_at is None or loc_time is None else ("yes" if loc_time > due_at else "no")
        report.summary.append({
            "student_id": sid, "name": params.get(sid, {}).get("name", ""), "status": s_status,
            "points": num(round(earned, 6)), "max_points": num(max_points),
            "percent": f"{100 * earned / max_points:.1f}" if max_points else "",
            "reason": s_reason or first_loss, "first_cause": s_reason or first_loss,
            "per_question": per_q, "notebook": loc.notebook.name if loc.notebook else "",
            "submitted": loc_time.isoformat(timespec="seconds") if loc_time else "", "late": late,
            "isolation": "sandbox" if (sandbox and execute) else ("none" if execute else "not run"),
            "notes": "; ".join(n for n in notes.get(sid, []) if n),
            "seconds": f"{res['seconds']:.1f}" if res else ""})
    reports.write_all(report, targets, results, located, params, student, assignment or _assignment(params))
    return report


def _titles(key_path: Path, params: dict[str, dict]) -> dict[str, str]:
    """Question titles from a handed-out notebook beside the key (the notebook is their source)."""
    from aftersales.teacher.notebooks import question_texts, read_notebook

    for r in params.values():
        p = key_path.parent / (r.get("notebook") or "")
        if r.get("notebook") and p.is_file():
            try:
                return {q: t["title"] for q, t in question_texts(read_notebook(p)).items()}
            except ValueError:
                return {}
    return {}


def _assignment(params: dict[str, dict]) -> str:
    nbs = {Path(r.get("notebook") or "").stem for r in params.values() if r.get("notebook")}
    return nbs.pop() if len(nbs) == 1 else "homework"
