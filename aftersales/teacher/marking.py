"""Marking: the answer key as the teacher's files hold it, and one answer against one key entry."""
from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from pathlib import Path

from aftersales.teacher.files import read_csv

__all__ = ["KeyEntry", "read_answer_key", "read_parameters", "mark", "variant_problem", "found_parameters",
           "not_answered_reason"]


@dataclass
class KeyEntry:
    """One student's expected answer to one question, with its tolerance, points and ladder.

    One row of answer_key.csv.

    Parameters
    ----------
    question : str
        The question id (``"q1"``).
    expected : float
        The expected answer, in the question's unit (yuan, a share 0-1, customers...).
    tolerance : float
        Full points within ``expected`` ± ``tolerance`` (half a unit of the decimals asked for).
    points : float
        What the question is worth.
    ladder : list of (float, float), default []
        Partial credit: ``(tolerance, share)`` rungs, narrowest first (see
        :func:`aftersales.teacher.questions.parse_ladder`).

    Examples
    --------
    >>> KeyEntry("q1", 295.1389, 0.005, 2.0, [(0.05, 0.5)])
    KeyEntry(question='q1', expected=295.1389, tolerance=0.005, points=2.0, ladder=[(0.05, 0.5)])
    """

    question: str
    expected: float
    tolerance: float
    points: float
    ladder: list = field(default_factory=list)


def read_answer_key(path: str | os.PathLike) -> dict[str, list[KeyEntry]]:
    """The answer key: {student_id: [KeyEntry, ...]} in file order.

    Parameters
    ----------
    path : path-like
        answer_key.csv (``partial`` is optional: keys made before it have no ladder).

    Returns
    -------
    dict
        student_id -> list of :class:`KeyEntry`, in file order; ``points`` is 1 where the
        column is missing or the cell empty.

    Raises
    ------
    ValueError
        Naming the row, for a missing id or a value that is not a finite number, a negative
        tolerance or a bad ``partial`` cell; naming the file, for a missing column or a key
        without answers.
    FileNotFoundError
        When the file does not exist.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = Path(tmp, "answer_key.csv")
    ...     _ = f.write_text("student_id,question,expected,tolerance,points,partial\\n"
    ...                      "s1,q1,295.1389,0.005,2,0.05:0.5\\n"
    ...                      "s1,q2,0.35,0.005,,\\n", encoding="utf-8")
    ...     key = read_answer_key(f)
    >>> for entry in key["s1"]:
    ...     print(entry)
    KeyEntry(question='q1', expected=295.1389, tolerance=0.005, points=2.0, ladder=[(0.05, 0.5)])
    KeyEntry(question='q2', expected=0.35, tolerance=0.005, points=1.0, ladder=[])
    """
    from aftersales.teacher.questions import parse_ladder

    p = Path(path)
    rows = read_csv(p, ("student_id", "question", "expected", "tolerance"), "answer key")
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
        ladder = parse_ladder(r.get("partial") or "", f"answer key {p}, row {n}")
        key.setdefault(sid, []).append(KeyEntry(r["question"].strip(), e, t, pts, ladder))
    if not key:
        raise ValueError(f"answer key {p} lists no answers")
    return key


def read_parameters(path: Path) -> dict[str, dict]:
    """parameters.csv as {student_id: row}.

    Parameters
    ----------
    path : Path
        parameters.csv as ``homework make`` writes it (a ``student_id`` column at least).

    Returns
    -------
    dict
        student_id (stripped) -> the row's other cells, column -> text as written.

    Raises
    ------
    FileNotFoundError, ValueError
        As :func:`aftersales.teacher.files.read_csv` (no file, not UTF-8, no ``student_id``).

    Notes
    -----
    A student_id written twice keeps its last row; values stay text (the caller compares them
    as numbers where they read as numbers, see :func:`variant_problem`).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = Path(tmp, "parameters.csv")
    ...     _ = f.write_text("student_id,seed,avg_order_value\\ns1,7,2500\\n", encoding="utf-8")
    ...     params = read_parameters(f)
    >>> params
    {'s1': {'seed': '7', 'avg_order_value': '2500'}}
    """
    rows = read_csv(path, ("student_id",), "parameters file")
    return {(r.pop("student_id") or "").strip(): r for r in rows}


def mark(entry: KeyEntry, value) -> tuple[float, str]:
    """The share of the points an answer earns (1, a ladder step, or 0) and why, in plain words.

    The comparison is the course's one rule (:func:`aftersales.course.checker.within`): right
    within the key's tolerance, a ladder step's share within that step.

    Parameters
    ----------
    entry : KeyEntry
        The key's expected answer, tolerance and ladder.
    value : float or any
        The recorded answer; anything that is not a finite number earns 0.

    Returns
    -------
    share : float
        1.0, the share (0-1) of the first rung of the ladder it falls within, or 0.0; the points
        earned are ``share * entry.points``.
    reason : str
        In plain words, with the signed difference ("off by +0.0311").

    Notes
    -----
    Right when abs(value - expected) <= tolerance + 1e-12 max(1, abs(expected)) (the hair
    absorbs floating-point noise). A wrong answer v with 1 < abs(v) <= 100 whose v / 100 is
    within the widest tolerance is told it looks like a percentage (no points for it).

    Examples
    --------
    >>> entry = KeyEntry("q1", 295.1389, 0.005, 2.0, [(0.05, 0.5)])
    >>> mark(entry, 295.14)
    (1.0, 'correct (within ±0.005)')
    >>> mark(entry, 295.17)
    (0.5, 'partly right (0.5 of the points): off by +0.0311 (full points within ±0.005, 0.5 within ±0.05)')
    >>> mark(entry, "n/a")
    (0.0, "the recorded answer 'n/a' is not a number")
    >>> mark(KeyEntry("q3", 0.35, 0.005, 1.0), 35)
    (0.0, 'off by +34.65 (tolerance ±0.005); it looks like a percentage: give a share 0-1')
    """
    from aftersales.course.checker import within
    from aftersales.teacher.files import plain

    try:
        v = float(value)
    except (TypeError, ValueError):
        return 0.0, f"the recorded answer {value!r} is not a number"
    if not math.isfinite(v):
        return 0.0, f"the recorded answer {value!r} is not a finite number"
    diff = v - entry.expected
    off = plain(diff, sign=True, sep=True)
    if within(v, entry.expected, entry.tolerance):
        return 1.0, f"correct (within ±{plain(entry.tolerance)})"
    for tol, share in entry.ladder:
        if share > 0 and within(v, entry.expected, tol):
            return share, (f"partly right ({share:g} of the points): off by {off} "
                           f"(full points within ±{plain(entry.tolerance)}, {share:g} within ±{plain(tol)})")
    reason = f"off by {off} (tolerance ±{plain(entry.tolerance)})"
    widest = max([entry.tolerance] + [t for t, share in entry.ladder if share > 0])
    if 1 < abs(v) <= 100 and within(v / 100, entry.expected, widest):
        reason += "; it looks like a percentage: give a share 0-1"
    return 0.0, reason


def found_parameters(nb: dict, case: dict | None) -> dict | None:
    """The parameters a notebook ran with: its recorded case, else its injected-parameters
    cell, else its parameters cell (literal assignments).

    Parameters
    ----------
    nb : dict or NotebookNode
        The executed notebook.
    case : dict or None
        The case the notebook recorded (``records_of(nb)["case"]``): ``{"student_id",
        "parameters"}``.

    Returns
    -------
    dict or None
        Parameter name -> value (``student_id`` included); None when the notebook records no
        case and has no tagged cell.

    Examples
    --------
    >>> nb = {"cells": [
    ...     {"cell_type": "code", "metadata": {"tags": ["parameters"]}, "source": "seed = 0\\n"},
    ...     {"cell_type": "code", "metadata": {"tags": ["injected-parameters"]},
    ...      "source": "student_id = 's1'\\nseed = 7\\n"}]}
    >>> found_parameters(nb, None)
    {'student_id': 's1', 'seed': 7}
    >>> found_parameters(nb, {"student_id": "s2", "parameters": {"seed": 8}})
    {'seed': 8, 'student_id': 's2'}
    >>> found_parameters({"cells": []}, None) is None
    True
    """
    from aftersales.teacher.notebooks import cell_assignments, source

    if case is not None:
        found = dict(case.get("parameters") or {})
        found["student_id"] = case.get("student_id")
        return found
    for tag in ("injected-parameters", "parameters"):
        for c in nb.get("cells", []):
            if c.get("cell_type") == "code" and tag in c.get("metadata", {}).get("tags", []):
                return cell_assignments(source(c))
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


def variant_problem(sid: str, expected: dict, found: dict | None, known: set[str]) -> str | None:
    """Why the notebook does not answer this student's case, or None.

    Parameters
    ----------
    sid : str
        The student whose submission this is.
    expected : dict
        The student's row of parameters.csv (:func:`read_parameters`, values as text), with
        ``student_id``.
    found : dict or None
        What the notebook ran with (:func:`found_parameters`).
    known : set of str
        The roster's ids, to say "student 's2'" for a classmate's case.

    Returns
    -------
    str or None
        "wrong variant: ..." naming the other student or each differing parameter; None when
        the case is the student's.

    Notes
    -----
    Numbers are compared with a relative slack of 1e-9 (text "2500" equals 2500.0); a parameter
    the notebook does not show is not held against it. Without a case and a parameters cell,
    only a student with no parameters but the id passes.

    Examples
    --------
    >>> expected = {"student_id": "s1", "seed": "7", "avg_order_value": "2500"}
    >>> variant_problem("s1", expected, {"student_id": "s1", "seed": 7, "avg_order_value": 2500.0}, {"s1"}) is None
    True
    >>> variant_problem("s1", expected, {"student_id": "s2", "seed": 8}, {"s1", "s2"})
    "wrong variant: the notebook answers the case of student 's2', not 's1'"
    >>> variant_problem("s1", expected, {"student_id": "s1", "avg_order_value": 2510.0}, {"s1"})
    "wrong variant: the notebook's parameters are not this student's (avg_order_value 2510.0 instead of '2500')"
    """
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


def not_answered_reason(q: str, records: dict, status: str, message: str) -> str:
    """Why question ``q`` has no recorded answer, as precisely as the notebook tells.

    Parameters
    ----------
    q : str
        The question id.
    records : dict
        The notebook's records (:func:`aftersales.teacher.grading.records_of`): its
        ``answer_cells`` (question -> cell index, 0-based) and ``errors`` (``{"cell", "ename",
        "evalue"}``).
    status : str
        The run's status (``"ok"``, ``"errors"``, ``"timeout"``, ``"failed"``, ``"output limit"``).
    message : str
        The run's message, quoted for a run that did not finish.

    Returns
    -------
    str
        "not answered: ..." in order of precedence: the error of the question's own cell, the
        run that did not finish, no answer call at all, the first error elsewhere (cells
        numbered from 1).

    Examples
    --------
    >>> records = {"answer_cells": {"q1": 3, "q2": 5},
    ...            "errors": [{"cell": 5, "ename": "NameError", "evalue": "name 'leak' is not defined"}]}
    >>> not_answered_reason("q2", records, "errors", "")
    "not answered: the cell answering q2 raised NameError: name 'leak' is not defined"
    >>> print(not_answered_reason("q1", records, "errors", ""))
    not answered: its answer("q1", ...) cell did not record an answer (the notebook raised NameError: name 'leak' is not defined in cell 6)
    >>> not_answered_reason("q3", records, "errors", "")
    'not answered: the notebook has no answer("q3", ...) call'
    """
    cell = records["answer_cells"].get(q)
    errs = records["errors"]
    if cell is not None:
        for e in errs:
            if e["cell"] == cell:
                return f"not answered: the cell answering {q} raised {e['ename']}: {e['evalue']}".rstrip(": ")
    if status in ("timeout", "failed", "output limit"):
        return f"not answered: {message}"
    if cell is None:
        return f"not answered: the notebook has no answer(\"{q}\", ...) call"
    base = f"not answered: its answer(\"{q}\", ...) cell did not record an answer"
    if errs:
        e = errs[0]
        base += f" (the notebook raised {e['ename']}: {e['evalue']} in cell {e['cell'] + 1})"
    return base
