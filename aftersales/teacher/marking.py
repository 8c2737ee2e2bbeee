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
    """One student's expected answer to one question, with its tolerance, points and ladder."""

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

    Raises
    ------
    ValueError
        Naming the row, for a missing id or a value that is not a finite number.
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
    """parameters.csv as {student_id: row}."""
    rows = read_csv(path, ("student_id",), "parameters file")
    return {(r.pop("student_id") or "").strip(): r for r in rows}


def mark(entry: KeyEntry, value) -> tuple[float, str]:
    """The share of the points an answer earns (1, a ladder step, or 0) and why, in plain words.

    The comparison is the course's one rule (:func:`aftersales.course.checker.within`): right
    within the key's tolerance, a ladder step's share within that step.
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
    cell, else its parameters cell (literal assignments)."""
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


def not_answered_reason(q: str, records: dict, status: str, message: str) -> str:
    """Why question ``q`` has no recorded answer, as precisely as the notebook tells."""
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
