"""The gradebook a teacher uses: grades, a summary, feedback per student and LMS exports.

For ``--out grades.csv`` (every name follows the stem of ``--out``):

- ``grades.csv``: one row per student and question (:data:`GRADE_COLUMNS`).
- ``grades_summary.csv``: one row per roster student (:data:`SUMMARY_COLUMNS`, then one column
  of points per question): total, status, first cause, submission time, late flag, isolation.
- ``grades_feedback/<folder>.md``: per student: each question, their answer, right or not, why.
- ``grades_canvas.csv`` and ``grades_moodle.csv``: the totals, for the LMS's CSV grade import.

CSV files are UTF-8 with a byte-order mark (Excel shows Chinese names).
"""
from __future__ import annotations

import csv
import io
import unicodedata
from pathlib import Path

from aftersales.teacher.files import csv_text, refuse_overwrite, write_csv
from aftersales.teacher.roster import folder_name

__all__ = ["GRADE_COLUMNS", "SUMMARY_COLUMNS", "summary_path_for", "output_paths", "refuse_existing",
           "write_all", "feedback_markdown"]

GRADE_COLUMNS = ("student_id", "question", "expected", "answered", "correct", "points", "reason", "max_points")
SUMMARY_COLUMNS = ("student_id", "name", "status", "points", "max_points", "percent", "reason", "first_cause",
                   "submitted", "late", "notebook", "isolation", "notes")


def _status_text(status: str, reason: str) -> str:
    """``status: reason``, the status said once: a reason that already starts with it stands alone
    ("missing: no 12/ folder ...", "wrong variant: ...", "timed out: ...")."""
    if not reason:
        return status
    if not status or reason.casefold().startswith(status.casefold() + ":"):
        return reason
    return f"{status}: {reason}"


def summary_path_for(out: Path) -> Path:
    """grades.csv -> grades_summary.csv (beside it).

    Parameters
    ----------
    out : Path
        ``--out`` of ``homework grade``; without a suffix, ``.csv`` is used.

    Returns
    -------
    Path
        The summary's path, in ``out``'s folder.

    Examples
    --------
    >>> summary_path_for(Path("out/grades.csv")).as_posix(), summary_path_for(Path("grades")).as_posix()
    ('out/grades_summary.csv', 'grades_summary.csv')
    """
    return out.with_name(out.stem + "_summary" + (out.suffix or ".csv"))


def output_paths(out: Path, executed_dir) -> dict[str, Path]:
    """Every file or folder ``grade`` writes, by role.

    Parameters
    ----------
    out : Path
        ``--out`` (grades.csv); every other name follows its stem.
    executed_dir : path-like or None
        ``--executed``: where the executed notebooks are kept; None or empty: not kept.

    Returns
    -------
    dict of str to Path
        ``grades``, ``summary``, ``feedback`` (a folder), ``canvas``, ``moodle`` and, with
        ``executed_dir``, ``executed``.

    Examples
    --------
    >>> paths = output_paths(Path("out/grades.csv"), None)
    >>> {role: p.as_posix() for role, p in paths.items()}     # doctest: +NORMALIZE_WHITESPACE
    {'grades': 'out/grades.csv', 'summary': 'out/grades_summary.csv', 'feedback': 'out/grades_feedback',
     'canvas': 'out/grades_canvas.csv', 'moodle': 'out/grades_moodle.csv'}
    >>> output_paths(Path("grades.csv"), "executed")["executed"].as_posix()
    'executed'
    """
    suffix = out.suffix or ".csv"
    paths = {"grades": out, "summary": summary_path_for(out),
             "feedback": out.with_name(out.stem + "_feedback"),
             "canvas": out.with_name(out.stem + "_canvas" + suffix),
             "moodle": out.with_name(out.stem + "_moodle" + suffix)}
    if executed_dir:
        paths["executed"] = Path(executed_dir)
    return paths


def refuse_existing(paths: dict[str, Path], force: bool) -> None:
    """FileExistsError for an output that exists, unless ``force``.

    Parameters
    ----------
    paths : dict of str to Path
        The outputs (:func:`output_paths`).
    force : bool
        ``--force``: overwrite.

    Raises
    ------
    FileExistsError
        For the first output that is a file or a folder holding files
        (:func:`aftersales.teacher.files.refuse_overwrite`).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = output_paths(Path(tmp, "grades.csv"), None)
    ...     refuse_existing(paths, force=False)                 # nothing written yet
    ...     _ = paths["moodle"].write_text("ID number\\n", encoding="utf-8")
    ...     try:
    ...         refuse_existing(paths, force=False)
    ...     except FileExistsError as exc:
    ...         error = str(exc).replace(tmp, "<tmp>")
    >>> error
    '<tmp>/grades_moodle.csv already exists; use --force to overwrite it'
    """
    refuse_overwrite(paths.values(), force)


def _read_rows(path: Path) -> tuple[list[str], list[dict]]:
    if not path.is_file():
        return [], []
    reader = csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig")))
    return list(reader.fieldnames or []), list(reader)


def _merge(path: Path, new_rows: list[dict], sid: str | None) -> list[dict]:
    """``new_rows`` in place of student ``sid``'s rows of the file (all rows when ``sid`` is None)."""
    if sid is None:
        return new_rows
    _, old = _read_rows(path)
    out, placed = [], False
    for r in old:
        if r.get("student_id") == sid:
            if not placed:
                out += new_rows
                placed = True
            continue
        out.append(r)
    return out if placed else out + new_rows


def feedback_markdown(summary: dict, rows: list[dict], titles: dict[str, str]) -> str:
    """One student's feedback: status, total, and for each question their answer and why.

    Parameters
    ----------
    summary : dict
        The student's summary row (:data:`SUMMARY_COLUMNS`; ``name``, ``reason``,
        ``submitted``, ``late`` and ``notes`` may be empty).
    rows : list of dict
        The student's grade rows (:data:`GRADE_COLUMNS`), one per question.
    titles : dict of str to str
        Question id -> title, as the notebook states it; a question without one shows its id.

    Returns
    -------
    str
        Markdown, ending in one newline.

    Examples
    --------
    >>> summary = {"student_id": "s1", "name": "王芳", "status": "graded", "points": "1",
    ...            "max_points": "2", "percent": "50.0", "reason": "", "submitted": "", "late": "", "notes": ""}
    >>> rows = [{"question": "q1", "expected": "295.1389", "answered": "295.17", "correct": "no",
    ...          "points": "1", "max_points": "2", "reason": "partly right (0.5 of the points)"}]
    >>> print(feedback_markdown(summary, rows, {"q1": "Value leakage per item"}))
    # Homework feedback: 王芳 (s1)
    <BLANKLINE>
    - Points: **1 of 2** (50.0%)
    - Status: graded
    <BLANKLINE>
    ## q1: Value leakage per item
    <BLANKLINE>
    - Your answer: 295.17
    - Expected: 295.1389
    - Partly right, 1 of 2 points: partly right (0.5 of the points)
    <BLANKLINE>
    """
    who = f"{summary['name']} ({summary['student_id']})" if summary.get("name") else summary["student_id"]
    lines = [f"# Homework feedback: {who}", "",
             f"- Points: **{summary['points']} of {summary['max_points']}** ({summary['percent'] or '0'}%)",
             f"- Status: {_status_text(summary['status'], summary.get('reason') or '')}"]
    if summary.get("submitted"):
        lines.append(f"- Submitted: {summary['submitted']}" + (" (after the deadline)" if summary.get("late") == "yes"
                                                               else ""))
    if summary.get("notes"):
        lines.append(f"- Notes: {summary['notes']}")
    lines.append("")
    for r in rows:
        verdict = "right" if r["correct"] == "yes" else ("partly right" if r["points"] not in ("0", "") else "not right")
        lines += [f"## {r['question']}: {titles.get(r['question'], '')}".rstrip(": "), "",
                  f"- Your answer: {r['answered'] or '(none recorded)'}",
                  f"- Expected: {r['expected']}",
                  f"- {verdict.capitalize()}, {r['points']} of {r['max_points']} points: {r['reason']}", ""]
    return "\n".join(lines).rstrip() + "\n"


def write_all(report, paths: dict[str, Path], results: dict, located: dict, params: dict, sid: str | None,
              assignment: str) -> None:
    """Write every output of ``grade`` (with ``sid``: update that student's rows, keep the others).

    Parameters
    ----------
    report : GradeReport
        Its ``rows``, ``summary`` (with ``per_question``), ``questions`` and ``titles``; its
        ``grades``, ``summary_path`` and ``files`` are set here.
    paths : dict of str to Path
        Where to write (:func:`output_paths`); checked beforehand with :func:`refuse_existing`.
    results : dict
        student_id -> run result; the ``notebook`` of each is written to ``paths["executed"]``
        when that is given.
    located : dict
        student_id -> :class:`aftersales.teacher.collect.Located` (the notebook's file name).
    params : dict
        parameters.csv by student_id (:func:`aftersales.teacher.marking.read_parameters`), for
        each student's ``folder``.
    sid : str or None
        ``--student``: replace this student's rows of the existing files (where they were, or at
        the end), keep every other row; None: write every file afresh.
    assignment : str
        The assignment's column name in the LMS exports.

    Notes
    -----
    The Canvas export's first row is "Points Possible"; Moodle's feedback is "status: reason",
    or the reason alone when it already starts with the status ("missing: no s2/ folder ...").

    Examples
    --------
    >>> import tempfile
    >>> from aftersales.teacher.grading import GradeReport
    >>> def report_of(points):          # one question worth 1 point
    ...     report = GradeReport(questions=["q1"])
    ...     for sid, p in points.items():
    ...         right = "yes" if p == "1" else "no"
    ...         report.rows.append({"student_id": sid, "question": "q1", "expected": "10", "answered": "",
    ...                             "correct": right, "points": p, "max_points": "1", "reason": ""})
    ...         report.summary.append({"student_id": sid, "status": "graded", "points": p, "max_points": "1",
    ...                                "percent": f"{100 * float(p):.1f}", "per_question": {"q1": p}})
    ...     return report
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     paths = output_paths(Path(tmp, "grades.csv"), None)
    ...     write_all(report_of({"s1": "1", "s2": "0"}), paths, {}, {}, {}, None, "homework06")
    ...     write_all(report_of({"s2": "1"}), paths, {}, {}, {}, "s2", "homework06")    # s2 regraded
    ...     canvas = paths["canvas"].read_text(encoding="utf-8-sig")
    ...     feedback = sorted(p.name for p in paths["feedback"].iterdir())
    >>> print(canvas)
    Student,ID,SIS User ID,SIS Login ID,Section,homework06
    Points Possible,,,,,1
    s1,,s1,,,1
    s2,,s2,,,1
    <BLANKLINE>
    >>> feedback
    ['s1.md', 's2.md']
    """
    qs = report.questions
    flat = []
    for s in report.summary:
        row = {c: s.get(c, "") for c in SUMMARY_COLUMNS}
        row.update({q: s["per_question"].get(q, "") for q in qs})
        flat.append(row)
    for p in paths.values():
        if p.suffix:
            p.parent.mkdir(parents=True, exist_ok=True)
    grades = _merge(paths["grades"], report.rows, sid)
    write_csv(paths["grades"], csv_text(GRADE_COLUMNS, ([r.get(c, "") for c in GRADE_COLUMNS] for r in grades)))
    summary = _merge(paths["summary"], flat, sid)
    cols = list(SUMMARY_COLUMNS) + qs
    write_csv(paths["summary"], csv_text(cols, ([r.get(c, "") for c in cols] for r in summary)))
    report.grades, report.summary_path = paths["grades"], paths["summary"]
    report.files = dict(paths)

    fb = paths["feedback"]
    fb.mkdir(parents=True, exist_ok=True)
    titles = getattr(report, "titles", {}) or {}
    by_student: dict[str, list[dict]] = {}
    for r in report.rows:
        by_student.setdefault(r["student_id"], []).append(r)
    for s in report.summary:
        folder = params.get(s["student_id"], {}).get("folder") or folder_name(s["student_id"])
        (fb / f"{folder}.md").write_text(feedback_markdown(s, by_student.get(s["student_id"], []), titles),
                                         encoding="utf-8")

    max_points = next((r.get("max_points") for r in summary if r.get("max_points")), "")
    canvas_cols = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment]
    canvas = [["Points Possible", "", "", "", "", max_points]] + \
        [[r.get("name") or r["student_id"], "", r["student_id"], "", "", r.get("points", "")] for r in summary]
    write_csv(paths["canvas"], csv_text(canvas_cols, canvas))
    moodle_cols = ["ID number", "Full name", assignment, "Feedback"]
    write_csv(paths["moodle"], csv_text(moodle_cols, ([r["student_id"], r.get("name", ""), r.get("points", ""),
                                                      _status_text(r.get("status", ""), r.get("reason", ""))]
                                                     for r in summary)))

    exec_dir = paths.get("executed")
    if exec_dir is not None:
        import json
        for s_id, res in results.items():
            if res.get("notebook") is not None:
                folder = params.get(s_id, {}).get("folder") or folder_name(s_id)
                nb_path = located[s_id].notebook
                dst = exec_dir / unicodedata.normalize("NFC", folder) / (nb_path.name if nb_path else "executed.ipynb")
                dst.parent.mkdir(parents=True, exist_ok=True)
                dst.write_text(json.dumps(res["notebook"], ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
