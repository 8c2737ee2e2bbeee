"""The records a notebook leaves in its output: one MIME type, one format, one reader.

Widget state and variables do not survive into a saved or executed notebook; plain outputs do.
So every figure, answer and case a test or a grader must read is shown as a *record*: a small
JSON object under the MIME type :data:`RECORD_MIME`, next to a ``text/plain`` line for people.
Every record has a ``kind``:

``"figures"``
    ``{"kind": "figures", "notebook": "02_service_matrix", "figures": {path: value},
    "extra": {name: value}}``: a notebook's key figures (:func:`record`).
``"answer"``
    ``{"kind": "answer", "question": "q1", "value": 0.35}``: a student's answer
    (:func:`answer` in homework). A practice check (:mod:`aftersales.course.exercises`) writes
    the same record with the checker's verdict added: ``"notebook"``, ``"verdict"`` (``"right"``,
    ``"wrong"``, ``"unanswered"`` or ``"invalid"``), ``"slip"`` (the name of the slip recognised,
    or null) and ``"tries"`` (wrong tries so far); ``"value"`` is null for an empty answer.
``"case"``
    ``{"kind": "case", "student_id": "007", "parameters": {...}}``: which homework variant the
    notebook works on (:func:`record_case`).

:func:`read_records` reads them all back from an executed notebook.

Importing this module is light (the standard library and the glossary); IPython is imported
when a record is displayed.
"""
from __future__ import annotations

import json
import math
import re
import sys
from numbers import Real
from typing import Any, Iterable, Mapping

from aftersales.glossary import fmt_answer

__all__ = ["RECORD_MIME", "MIME_TYPE", "OLD_RECORD_MIME", "READ_MIMES", "Records", "show_record", "record",
           "answer", "record_case", "read_records", "format_value", "clean"]

#: The MIME type of every record a notebook leaves in its output.
RECORD_MIME = "application/vnd.aftersales.record+json"
#: The same MIME type under the name the homework tools used.
MIME_TYPE = RECORD_MIME
#: The MIME type of answer records in notebooks saved before :data:`RECORD_MIME` (read, never written).
OLD_RECORD_MIME = "application/vnd.aftersales.answer+json"
#: Every MIME type a record is read under, the current one first: whoever looks for records in
#: a notebook's outputs (the reader here, the grader's collection and its sandbox) uses this.
READ_MIMES = (RECORD_MIME, OLD_RECORD_MIME)

_QUESTION_RE = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,31}$")
_CALL_RE = re.compile(r"""\b(?:answer|check)\(\s*["']([^"']+)["']""")


def clean(o: Any) -> Any:
    """``o`` as plain JSON data: numpy scalars become numbers, NaN and infinities become None.

    Parameters
    ----------
    o : object
        A number, text, a mapping, a list or tuple of them, nested as deep as needed.

    Returns
    -------
    object
        The same data with mappings as dicts with text keys, lists and tuples as lists, numpy
        scalars as Python numbers and non-finite floats as None; anything else unchanged.

    Examples
    --------
    >>> import numpy as np
    >>> clean({"a": np.float64(1.5), "b": [np.int64(2), float("nan")], 3: (np.inf,)})
    {'a': 1.5, 'b': [2, None], '3': [None]}
    """
    if isinstance(o, Mapping):
        return {str(k): clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [clean(v) for v in o]
    if hasattr(o, "item") and not isinstance(o, (str, bytes)):  # numpy scalar
        try:
            o = o.item()
        except (TypeError, ValueError):
            pass
    if isinstance(o, float) and not math.isfinite(o):
        return None
    return o


def format_value(value: float) -> str:
    """A number as a person reads it (the glossary's :func:`~aftersales.glossary.fmt_answer`).

    Parameters
    ----------
    value : float
        The number: a share 0-1, a count or an amount.

    Returns
    -------
    str
        The number with thousands separators; a value strictly between -1 and 1 with four
        decimals and as a percentage.

    Examples
    --------
    >>> format_value(80000)
    '80,000'
    >>> format_value(0.4)
    '0.4000 (40.00%)'
    """
    return fmt_answer(value)


def show_record(data: dict, text: str) -> None:
    """Show ``text`` and attach ``data`` under :data:`RECORD_MIME`, through IPython's display.

    One display, one output: a cell that ends with a call of this function shows its text once.
    In a kernel the record and its text are one output; outside one (a plain Python script)
    IPython's :func:`~IPython.display.display` writes the text alone. The library itself prints
    nothing (the command line is the only place that prints).

    Parameters
    ----------
    data : dict
        The record, plain JSON data with a ``kind`` (see the module's docstring).
    text : str
        The ``text/plain`` line(s) people read.

    Returns
    -------
    None
        The record is displayed, not returned (nothing at all without IPython).

    Examples
    --------
    Outside a kernel only the text is displayed; here it is captured rather than shown:

    >>> from IPython.utils.capture import capture_output
    >>> with capture_output() as shown:
    ...     show_record({"kind": "answer", "question": "q1", "value": 0.35}, "q1 = 0.35")
    >>> shown.stdout.splitlines()
    ['q1 = 0.35']
    """
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # pragma: no cover - IPython ships with every kernel (a base dependency)
        return
    if get_ipython() is None:
        display(text)
        return
    display({RECORD_MIME: data, "text/plain": text}, raw=True)


def record(figures: Mapping, notebook: str | None = None, extra: Mapping | None = None,
           lang: str = "en") -> None:
    """Record a notebook's key figures (a ``"figures"`` record) and show them as a short table.

    Parameters
    ----------
    figures : mapping
        ``{path: value}``, usually from :func:`aftersales.course.exercises.key_figures` (the
        paths and values of ``python -m aftersales evaluate --json``).
    notebook : str, optional
        The notebook's stem, e.g. ``"02_service_matrix"``.
    extra : mapping, optional
        Further figures of the notebook that the contract does not hold (simulation, goal seek).
    lang : {"en", "zh", "both"}
        The language of the table's heading (the figures keep their contract names, quoted in
        Chinese as the code they are).

    Returns
    -------
    None
        Nothing, so that a cell ending with ``record(...)`` shows its output once.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the glossary's languages.

    Examples
    --------
    Outside a kernel only the table is displayed; here it is captured rather than shown:

    >>> from IPython.utils.capture import capture_output
    >>> with capture_output() as shown:
    ...     record({"service_revenue": 9_299_200.0, "wakeup_share": 0.2772}, "02_service_matrix")
    >>> shown.stdout.splitlines()
    ['Key figures recorded for 02_service_matrix:', \
'  service_revenue                                      9,299,200', \
'  wakeup_share                                         0.2772 (27.72%)']
    """
    data = clean({"kind": "figures", "notebook": notebook, "figures": dict(figures),
                  "extra": dict(extra or {})})
    from aftersales.glossary import check_lang, label

    check_lang(lang)
    zh = lang == "zh"
    name = (lambda k: f"'{k}'") if zh else str
    head = label("record_heading_for" if notebook else "record_heading", lang)
    lines = [head.format(notebook=notebook)]
    for k, v in data["figures"].items():
        shown = format_value(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else "-" \
            if v is None else v
        lines.append(f"  {name(k):<52} {shown}")
    if data["extra"]:
        lines.append("  " + label("record_also", lang) + ("、" if zh else ", ").join(map(name, data["extra"])))
    show_record(data, "\n".join(lines))


def _number(question: str, value: Any) -> float:
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
    return v


def answer(question: str, value: Any, unit: str | None = None, lang: str | None = None) -> None:
    """Record the homework answer ``value`` (a number) to ``question`` (e.g. ``"q1"``) and show it.

    Give money in yuan, shares as 0-1 (0.35 for 35%), as each question asks.

    Parameters
    ----------
    question : str
        The question id, ``"q1"`` ... ``"qn"``.
    value : number
        The answer.
    unit : {"share", "yuan", "wan"}, optional
        What the question asks for. With ``"share"``, a value outside 0-1 is recorded as given but
        shown with a warning that it looks like a percentage, so it is not handed in unnoticed.
    lang : {"en", "zh", "both"}, optional
        The language of the line; by default (None) the language :func:`record_case` was given
        in the same notebook, English if it recorded no case. ``"both"`` writes the English line
        with the Chinese note after it: ``q1 = 0.35   (answer recorded) (已记录答案)``.

    Returns
    -------
    None
        The ``"answer"`` record is displayed with its line, not returned.

    Raises
    ------
    ValueError
        For a question id that is not text such as ``"q1"``, or a value that is not a finite number,
        or a ``lang`` that is not one of the glossary's languages.

    Notes
    -----
    The language is per notebook, never per process: a Chinese case recorded in one notebook
    leaves the lines of every other notebook in their own language. The notebook is found as
    :func:`record_case` finds it, so a helper module that calls ``record_case`` or ``answer``
    for the notebook (a teacher's ``hw_helpers.start(...)``) reads and sets the notebook's
    language, not its own.

    Examples
    --------
    Outside a kernel only the line is displayed; here it is captured rather than shown:

    >>> from IPython.utils.capture import capture_output
    >>> with capture_output() as shown:
    ...     answer("q1", 35, unit="share")
    >>> shown.stdout.splitlines()[1]
    '  Warning: q1 asks for a share between 0 and 1; 35 looks like a percentage. Write 0.35 for 35%.'
    >>> answer("q1", "0.35")
    Traceback (most recent call last):
    ValueError: answer('q1', ...) needs a number, got '0.35' (write the number without quotes or commas)
    """
    if not isinstance(question, str) or not _QUESTION_RE.match(question):
        raise ValueError(f"answer(question, value): the question must be an id such as 'q1', "
                         f"got {question!r}")
    v = _number(question, value)
    from aftersales.glossary import check_lang, label

    if lang is None:
        lang = _notebook_namespace().get(_CASE_LANG, "en")
    check_lang(lang)
    text = label("answer_recorded", "en" if lang == "both" else lang, question=question, value=format_value(v))
    if lang == "both":
        text += f" ({label('answer_recorded_note', 'zh')})"
    if unit == "share" and not 0 <= v <= 1:
        text += "\n  " + label("answer_share_warning", lang, question=question, value=format_value(v),
                               percent=f"{v:g}", fraction=f"{v / 100:g}")
    show_record({"kind": "answer", "question": question, "value": v}, text)


#: The name under which :func:`record_case` keeps the case's language in the notebook's namespace
#: (:func:`_notebook_namespace`), for the lines :func:`answer` shows in that same notebook.
_CASE_LANG = "_aftersales_case_lang"


def _notebook_namespace() -> dict:
    """The namespace of the notebook the call is made for, where the case's language is kept.

    In an IPython kernel (Jupyter, papermill, nbval, the grading sandbox) it is the shell's
    ``user_ns``, the notebook's own namespace, whichever module the call comes through. Outside
    a kernel it is the globals of the first calling frame outside the ``aftersales`` package.
    """
    try:
        from IPython import get_ipython
        user_ns = getattr(get_ipython(), "user_ns", None)
    except ImportError:  # pragma: no cover - IPython ships with every kernel (a base dependency)
        user_ns = None
    if isinstance(user_ns, dict):
        return user_ns
    frame = sys._getframe(1)
    while frame.f_back is not None and str(frame.f_globals.get("__name__", "")).split(".")[0] == "aftersales":
        frame = frame.f_back
    return frame.f_globals


def record_case(student_id: Any, *, lang: str = "en", **parameters: Any) -> None:
    """Record and show which case this notebook works on: the student id and its parameters.

    Called once, right after the parameters are checked. Numbers and text only. ``lang`` (the
    notebook's language, "en", "zh" or "both") is not a parameter of the case: it sets the language
    of this line and of the lines :func:`answer` shows after it in the same notebook, not of any
    other notebook in the process. The notebook is the kernel's namespace (IPython's ``user_ns``),
    even when a helper module makes the call; outside a kernel, the namespace of the first caller
    outside the ``aftersales`` package. A call that raises changes nothing.

    Parameters
    ----------
    student_id : object
        The student's id, recorded as text.
    lang : {"en", "zh", "both"}, optional
        The notebook's language (default English); it stays set for :func:`answer` in the same
        notebook, under the hidden name ``_aftersales_case_lang`` in its namespace. ``"both"``
        writes the line in English with the Chinese names after the English ones (the glossary's
        ``"English (中文)"`` rule).
    **parameters : number or str
        The case's parameters (numbers are recorded as floats); numpy scalars are accepted.

    Returns
    -------
    None
        The ``"case"`` record is displayed with its line, not returned.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the glossary's languages, or a parameter is neither a number nor
        text (a bool, None, a list).

    Examples
    --------
    Outside a kernel only the line is displayed; here it is captured rather than shown:

    >>> from IPython.utils.capture import capture_output
    >>> with capture_output() as shown:
    ...     record_case("007", active_customers=50_000, price_multiplier=1.1)
    >>> shown.stdout.splitlines()
    ['Case of student 007: active customers 50,000, price multiplier 1.1']
    """
    from aftersales.glossary import check_lang, label

    check_lang(lang)
    values: dict[str, Any] = {}
    for k, v in parameters.items():
        if hasattr(v, "item") and not isinstance(v, (Real, str)):
            v = v.item()
        if isinstance(v, bool) or not isinstance(v, (Real, str)):
            raise ValueError(f"record_case: parameter {k}={v!r} must be a number or text")
        values[k] = float(v) if isinstance(v, Real) else v
    _notebook_namespace()[_CASE_LANG] = lang          # only once every argument is known good
    sid = str(student_id)
    if lang == "zh":
        parts = [f"{label('case_' + k, lang) if has_case_label(k) else k} "
                 f"{f'{v:,g}' if isinstance(v, float) else repr(v)}" for k, v in values.items()]
        text = label("case_line", lang, sid=repr(sid), parts=",".join(parts))
    else:
        parts = [f"{label('case_' + k, lang) if lang == 'both' and has_case_label(k) else k.replace('_', ' ')} "
                 f"{f'{v:,g}' if isinstance(v, float) else v}" for k, v in values.items()]
        text = label("case_line", "en", sid=sid, parts=", ".join(parts)) if lang == "en" else \
            f"{label('case_of', 'both', sid=sid)}: {', '.join(parts)}"
    show_record({"kind": "case", "student_id": sid, "parameters": values}, text)


def has_case_label(parameter: str) -> bool:
    """True if the glossary names the homework parameter ``parameter`` (``case_<name>``)."""
    from aftersales.glossary import has_label

    return has_label("case_" + parameter)


# ----------------------------------------------------------------------------- reading
class Records(dict):
    """What :func:`read_records` found, as a dict with the keys

    ``answers``
        ``{question: {"value", "cell", ...}}``: the last answer with a value to each question
        (practice checks add ``verdict``, ``slip``, ``tries`` and ``notebook``);
    ``checks``
        every answer record in order, each with its ``cell`` (empty answers too);
    ``figures``
        every ``"figures"`` record in order;
    ``case``
        the ``"case"`` record, or None;
    ``errors``
        ``[{"cell", "ename", "evalue"}]``, the errors in the outputs;
    ``answer_cells``
        ``{question: cell index}``: the code cell whose source calls ``answer("q..")`` or
        ``check("q..")``, even when it did not run.

    An integer index reads the figure records: ``read_records(nb)[-1]`` is the last one.

    Parameters
    ----------
    **fields
        The keys above, as :func:`read_records` fills them.

    Examples
    --------
    >>> found = Records(answers={}, checks=[], figures=[{"kind": "figures", "figures": {"x": 1}}],
    ...                 case=None, errors=[], answer_cells={})
    >>> found[-1]["figures"], found["case"]
    ({'x': 1}, None)
    """

    def __getitem__(self, key):
        if isinstance(key, int):
            return dict.__getitem__(self, "figures")[key]
        return dict.__getitem__(self, key)


def _records_of_output(output: Mapping) -> Iterable[dict]:
    if output.get("output_type") not in ("display_data", "execute_result"):
        return ()
    data = output.get("data", {})
    for mime in READ_MIMES:
        rec = data.get(mime)
        if isinstance(rec, str):                      # some front ends store JSON data as text
            try:
                rec = json.loads(rec)
            except ValueError:
                continue
        if isinstance(rec, Mapping):
            rec = dict(rec)
            if "kind" not in rec and "figures" in rec:    # records written before kinds existed
                rec["kind"] = "figures"
            return (rec,)
    return ()


def read_records(nb) -> Records:
    """Every record of an executed notebook: a path, an nbformat node or a dict as loaded from JSON.

    Parameters
    ----------
    nb : str, path, nbformat node or dict
        The executed notebook, or the path of its ``.ipynb`` file (read as UTF-8 JSON).

    Returns
    -------
    Records
        A dict with ``answers``, ``checks``, ``figures``, ``case``, ``errors`` and
        ``answer_cells`` (see :class:`Records`). A question answered twice keeps its last answer.

    Raises
    ------
    OSError, ValueError
        If a path cannot be read or is not JSON.

    Notes
    -----
    Records stored as JSON text and the older MIME type :data:`OLD_RECORD_MIME`
    (``application/vnd.aftersales.answer+json``) are read too (:data:`READ_MIMES`); a record
    without a ``kind`` but with ``figures`` counts as a figures record.

    Examples
    --------
    >>> nb = {"cells": [
    ...     {"cell_type": "code", "source": 'answer("q1", 0.35)', "outputs": [
    ...         {"output_type": "display_data",
    ...          "data": {RECORD_MIME: {"kind": "answer", "question": "q1", "value": 0.35}}}]},
    ...     {"cell_type": "code", "source": "check('q2', 1)", "outputs": [
    ...         {"output_type": "error", "ename": "NameError", "evalue": "name 'check' is not defined"}]}]}
    >>> found = read_records(nb)
    >>> found["answers"], found["answer_cells"]
    ({'q1': {'value': 0.35, 'cell': 0}}, {'q1': 0, 'q2': 1})
    >>> found["errors"]
    [{'cell': 1, 'ename': 'NameError', 'evalue': "name 'check' is not defined"}]
    """
    if isinstance(nb, (str, bytes)) or hasattr(nb, "__fspath__"):
        with open(nb, encoding="utf-8") as fh:
            nb = json.load(fh)
    out = Records(answers={}, checks=[], figures=[], case=None, errors=[], answer_cells={})
    for i, cell in enumerate(nb.get("cells", [])):
        if cell.get("cell_type") != "code":
            continue
        src = cell.get("source", "")
        src = "".join(src) if isinstance(src, list) else src
        for q in _CALL_RE.findall(src):
            out["answer_cells"].setdefault(q, i)
        for o in cell.get("outputs", []):
            if o.get("output_type") == "error":
                out["errors"].append({"cell": i, "ename": o.get("ename", ""), "evalue": o.get("evalue", "")})
            for rec in _records_of_output(o):
                kind = rec.get("kind")
                if kind == "answer" and isinstance(rec.get("question"), str):
                    entry = {k: v for k, v in rec.items() if k not in ("kind", "question")}
                    entry["cell"] = i
                    out["checks"].append({"question": rec["question"], **entry})
                    if rec.get("value") is not None:
                        out["answers"][rec["question"]] = entry
                elif kind == "case":
                    out["case"] = rec
                elif kind == "figures":
                    out["figures"].append(rec)
    return out
