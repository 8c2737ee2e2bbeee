"""Answers in a homework notebook: ``answer("q1", value)`` shows the answer and records it.

A student calls :func:`answer` once per question. The answer is shown back in readable
form and recorded in the cell's output as a small JSON record under the MIME type
``application/vnd.aftersales.answer+json`` (plus a ``text/plain`` line for people), so
the grader reads it from the saved or executed notebook; widget state and variables do
not survive into a notebook file, plain outputs do.

:func:`record_case` records which variant (student id and parameters) the notebook
works on, so the grader can tell a submission that answers another student's case.

Importing this module is light (the standard library only); IPython is imported when
a record is displayed.
"""
from __future__ import annotations

import math
import re
from numbers import Real
from typing import Any, Iterable, Mapping

__all__ = ["MIME_TYPE", "answer", "record_case", "format_value", "read_records"]

#: The MIME type of every record the grader reads.
MIME_TYPE = "application/vnd.aftersales.answer+json"

_QUESTION_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,31}$")


def format_value(value: float) -> str:
    """A number as a person reads it: 1,234,567.89; small shares also as a percentage."""
    v = float(value)
    if v.is_integer() and abs(v) < 1e15:
        return f"{v:,.0f}"
    if abs(v) < 1:
        return f"{v:.4f} ({v:.2%})"
    if abs(v) < 100:
        return f"{v:,.4f}"
    return f"{v:,.2f}"


def _display(record: dict, text: str) -> None:
    """Show ``text`` and attach ``record`` as the answer MIME bundle (plain print outside IPython)."""
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with every kernel
        print(text)
        return
    if get_ipython() is None:
        print(text)
        return
    display({MIME_TYPE: record, "text/plain": text}, raw=True)


def answer(question: str, value: Any) -> None:
    """Record the answer ``value`` (a number) to ``question`` (e.g. "q1") and show it back.

    Give money in yuan, shares as 0-1 (0.35 for 35%), as each question asks.
    Raises ValueError for a question id that is not text or a value that is not a finite number.
    """
    if not isinstance(question, str) or not _QUESTION_RE.match(question):
        raise ValueError(f"answer(question, value): the question must be an id such as 'q1', "
                         f"got {question!r}")
    if hasattr(value, "item") and not isinstance(value, Real):   # a numpy scalar or 1-element array
        try:
            value = value.item()
        except (ValueError, TypeError):
            pass
    if isinstance(value, bool) or not isinstance(value, Real):
        hint = " (write the number without quotes or commas)" if isinstance(value, str) else ""
        raise ValueError(f"answer({question!r}, ...) needs a number, got {value!r}{hint}")
    v = float(value)
    if not math.isfinite(v):
        raise ValueError(f"answer({question!r}, ...) needs a finite number, got {value!r}")
    _display({"kind": "answer", "question": question, "value": v},
             f"{question} = {format_value(v)}   (answer recorded)")


def record_case(student_id: Any, **parameters: Any) -> None:
    """Record and show which case this notebook works on: the student id and its parameters.

    Called once, right after the parameters are checked. Numbers and text only.
    """
    clean: dict[str, Any] = {}
    for k, v in parameters.items():
        if hasattr(v, "item") and not isinstance(v, (Real, str)):
            v = v.item()
        if isinstance(v, bool) or not isinstance(v, (Real, str)):
            raise ValueError(f"record_case: parameter {k}={v!r} must be a number or text")
        clean[k] = float(v) if isinstance(v, Real) else v
    sid = str(student_id)
    parts = []
    for k, v in clean.items():
        parts.append(f"{k.replace('_', ' ')} {f'{v:,g}' if isinstance(v, float) else v}")
    _display({"kind": "case", "student_id": sid, "parameters": clean},
             f"Case of student {sid}: " + ", ".join(parts))


def _records_of_output(output: Mapping) -> Iterable[dict]:
    if output.get("output_type") not in ("display_data", "execute_result"):
        return ()
    rec = output.get("data", {}).get(MIME_TYPE)
    if isinstance(rec, str):                      # some front ends store JSON data as text
        import json
        try:
            rec = json.loads(rec)
        except ValueError:
            return ()
    return (rec,) if isinstance(rec, dict) else ()


def read_records(nb: Mapping) -> dict:
    """The records of a notebook (a dict as loaded from .ipynb JSON).

    Returns {"answers": {question: {"value", "cell"}}, "case": {...} or None,
    "errors": [{"cell", "ename", "evalue"}], "answer_cells": {question: cell index}}.
    A question answered twice keeps its last answer. ``answer_cells`` maps each question
    to the code cell whose source calls answer("q..") even when it did not run.
    """
    answers: dict[str, dict] = {}
    case = None
    errors = []
    answer_cells: dict[str, int] = {}
    call_re = re.compile(r"""answer\(\s*["']([^"']+)["']""")
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        for q in call_re.findall(src):
            answer_cells.setdefault(q, i)
        for out in cell.get("outputs", []):
            if out.get("output_type") == "error":
                errors.append({"cell": i, "ename": out.get("ename", ""), "evalue": out.get("evalue", "")})
            for rec in _records_of_output(out):
                if rec.get("kind") == "answer" and isinstance(rec.get("question"), str):
                    answers[rec["question"]] = {"value": rec.get("value"), "cell": i}
                elif rec.get("kind") == "case":
                    case = rec
    return {"answers": answers, "case": case, "errors": errors, "answer_cells": answer_cells}
