"""The graded questions: the course's one Question type, wording and points from the notebook.

A graded question is an :class:`aftersales.course.checker.Question`, the type the practice
checker uses, marked by its one tolerance rule (half a unit of the decimals the wording asks
for) with a partial-credit ladder of multiples of that tolerance on top. The notebook is the
single source of a question's wording and points (``**Question 1 (q1, 1 point): Title.** Text``,
read by :func:`aftersales.teacher.notebooks.question_texts`). Where the expected answers come
from:

- a homework with a key in the course room (``06_homework_case``,
  :mod:`aftersales.course.keys.n06_homework_case`): the key's questions, computed from each
  student's case; ``homework make`` checks them against the teacher's solution cells;
- any other homework notebook (a teacher's own): what its solution cells give for each student
  (:mod:`aftersales.teacher.solutions`); the decimals are those its wording asks for
  ("to two decimals", "to the nearest yuan", "e.g. 0.35"), and a question whose wording asks for
  none is refused.
"""
from __future__ import annotations

import math
import re

from aftersales.course.checker import Question, half_unit

__all__ = ["Question", "questions_of", "wording_decimals", "wording_tolerance", "wording_mismatches",
           "parse_ladder", "format_ladder"]

_EXAMPLE = re.compile(r"(?:\b(?:e\.g\.|for example|such as)|例如)\s*(?:\d+%\s*写作\s*)?(-?\d[\d,]*\.(\d+))")
_DECIMALS = re.compile(r"\b(?:to|with)\s+(one|two|three|four|\d)\s+decimals?\b", re.I)
_DECIMALS_ZH = re.compile(r"保留\s*([一两二三四\d])\s*位小数")
_WHOLE = re.compile(r"\bto the nearest (?:whole number|whole customer|yuan|customer)\b|精确到元|取整数", re.I)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "一": 1, "两": 2, "二": 2, "三": 3, "四": 4}


def wording_decimals(text: str) -> int | None:
    """The decimals a question's wording asks for, or None when it states no precision.

    Parameters
    ----------
    text : str
        The question as the notebook states it (English or Chinese).

    Returns
    -------
    int or None
        "to two decimals" / "保留两位小数": 2; "to the nearest yuan" / "精确到元": 0; an example
        ("e.g. 0.3500", "例如 35% 写作 0.3500") counts with its own decimals (the fewer win).

    Examples
    --------
    >>> wording_decimals("Give a share 0-1 to four decimals, e.g. 0.3500 for 35%.")
    4
    >>> wording_decimals("In yuan, to the nearest yuan?"), wording_decimals("以元计，保留两位小数？")
    (0, 2)
    >>> wording_decimals("in yuan?") is None
    True
    """
    found = []
    for rx in (_DECIMALS, _DECIMALS_ZH):
        m = rx.search(text)
        if m:
            w = m.group(1).lower()
            found.append(_WORDS.get(w) if w in _WORDS else int(w))
    if _WHOLE.search(text):
        found.append(0)
    m = _EXAMPLE.search(text)
    if m:
        found.append(len(m.group(2)))
    return min(found) if found else None


def wording_tolerance(text: str) -> float | None:
    """The tolerance a question's wording invites: half a unit of its :func:`wording_decimals`.

    Parameters
    ----------
    text : str
        The question as the notebook states it (English or Chinese).

    Returns
    -------
    float or None
        0.5 x 10^-d in the question's unit for d decimals (yuan, a share 0-1, customers...);
        None when the wording states no precision.

    Notes
    -----
    tolerance = 0.5 x 10^-d (:func:`aftersales.course.checker.half_unit`): an answer rounded as
    asked is within it of the exact figure.

    Examples
    --------
    >>> wording_tolerance("Give a share 0-1, e.g. 0.35 for 35%.")
    0.005
    >>> wording_tolerance("in yuan?") is None
    True
    """
    d = wording_decimals(text)
    return None if d is None else half_unit(d)


def _answer_of(qid: str):
    """The expected value of a question without a key: the teacher's solution's answer."""
    def expected(solved: dict) -> float:
        return solved[qid]
    expected.__qualname__ = f"solution_answer_{qid}"
    return expected


def questions_of(nb, ids: list[str], where: str = "the notebook", notebook: str | None = None) -> list[Question]:
    """The graded questions ``ids`` of a notebook, with their wording and points read from it.

    Parameters
    ----------
    nb : NotebookNode
        The teacher's notebook.
    ids : list of str
        The question ids its ``answer("q..", ...)`` calls record.
    where : str
        The notebook's name, for error messages.
    notebook : str, optional
        The notebook's file name or stem: when the course has a key for it
        (:func:`aftersales.course.keys.has_homework_key`), its questions come from that key and
        their ``expected`` takes the student's case; otherwise ``expected`` takes the answers of
        the teacher's solutions (``{id: value}``).

    Returns
    -------
    list of Question
        A question without a ``**Question ...**`` heading gets its id as title and 1 point.

    Raises
    ------
    ValueError
        Naming the notebook and the question: points that are not positive; a notebook and its
        key that do not ask the same questions; a question without a key whose wording states no
        precision.

    Notes
    -----
    A question of a keyed notebook keeps the key's decimals and ladder; only its title, wording
    and points come from the notebook (:func:`wording_mismatches` warns where the wording asks
    for other decimals). Without a key, ``expected(solved)`` is ``solved[id]``.

    Examples
    --------
    A teacher's own notebook (no course key): the tolerance comes from the wording.

    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[
    ...     new_markdown_cell("**Question 1 (q1, 2 points): Value leakage per item.** "
    ...                       "In yuan, to two decimals."),
    ...     new_code_cell('answer("q1", leakage)')])
    >>> [q] = questions_of(nb, ["q1"], "hw.ipynb")
    >>> q.id, q.title, q.points, q.decimals, q.tolerance()
    ('q1', 'Value leakage per item', 2.0, 2, 0.005)
    >>> q.expected({"q1": 187.5})        # the answer the teacher's solution gives
    187.5
    """
    from dataclasses import replace

    from aftersales.course.keys import has_homework_key, homework_questions
    from aftersales.teacher.notebooks import question_texts

    texts = question_texts(nb)
    keyed = homework_questions(notebook) if notebook is not None and has_homework_key(notebook) else None
    if keyed is not None and list(ids) != list(keyed):
        raise ValueError(f"{where} answers {', '.join(ids) or 'no question'}, but the course's key of "
                         f"{notebook} defines {', '.join(keyed)}: restore the notebook's answer(...) cells, or "
                         "rename the notebook to grade it from its own solutions")
    out = []
    for q in ids:
        t = texts.get(q, {"title": q, "text": "", "points": 1.0})
        if not math.isfinite(t["points"]) or t["points"] <= 0:
            raise ValueError(f"{where}: question {q} must be worth a positive number of points")
        if keyed is not None:
            out.append(replace(keyed[q], title=t["title"], text=t["text"], points=t["points"]))
            continue
        decimals = wording_decimals(t["text"])
        if decimals is None:
            raise ValueError(f"{where}: question {q} does not say how precise its answer must be: add "
                             "'to two decimals', 'to the nearest yuan' or an example such as 'e.g. 0.35' "
                             "to its wording (the tolerance is half a unit of the last decimal asked for)")
        out.append(Question(q, "number", decimals, _answer_of(q), method="", why="", title=t["title"],
                            text=t["text"], points=t["points"]))
    return out


def wording_mismatches(questions: list[Question], where: str = "the notebook") -> list[str]:
    """Warnings for keyed questions whose wording asks for other decimals than the key marks.

    Parameters
    ----------
    questions : list of Question
        The graded questions (from :func:`questions_of`), ``text`` their wording.
    where : str
        The notebook's name, starting each warning.

    Returns
    -------
    list of str
        One warning per question whose wording's :func:`wording_decimals` differs from its
        ``decimals``; a question whose wording states no precision is not warned about.

    Examples
    --------
    >>> q = Question("q2", "share", 2, lambda case: 0.35, method="", why="", title="Repair acceptance",
    ...              text="A share 0-1 to four decimals, e.g. 0.3500.", points=1.0)
    >>> wording_mismatches([q], "06_homework_case.ipynb")
    ["06_homework_case.ipynb: question q2's wording asks for 4 decimals, the course's key marks to 2 (±0.005); the key is used"]
    """
    from aftersales.teacher.files import plain

    out = []
    for q in questions:
        d = wording_decimals(q.text) if q.text else None
        if d is not None and d != q.decimals:
            out.append(f"{where}: question {q.id}'s wording asks for {d} decimal{'s' if d != 1 else ''}, the "
                       f"course's key marks to {q.decimals} (±{plain(half_unit(q.decimals))}); the key is used")
    return out


def format_ladder(ladder: list[tuple[float, float]]) -> str:
    """The key file's ``partial`` cell: "tolerance:share;..." (empty for no partial credit).

    Parameters
    ----------
    ladder : list of (float, float)
        ``(tolerance, share)`` rungs: an answer within ``tolerance`` (the question's unit) of the
        expected value earns ``share`` (0-1) of the points.

    Returns
    -------
    str
        The rungs in the given order, numbers in :func:`aftersales.teacher.files.num` form.

    Examples
    --------
    >>> format_ladder([(0.01, 0.5), (0.05, 0.25)])
    '0.01:0.5;0.05:0.25'
    >>> format_ladder([])
    ''
    """
    from aftersales.teacher.files import num

    return ";".join(f"{num(t)}:{num(s)}" for t, s in ladder)


def parse_ladder(text: str, where: str) -> list[tuple[float, float]]:
    """Inverse of :func:`format_ladder`; ValueError naming ``where`` for a bad cell.

    Parameters
    ----------
    text : str
        A ``partial`` cell of the answer key ("tolerance:share;..."); empty or None: no ladder.
    where : str
        The file and row, starting the error message.

    Returns
    -------
    list of (float, float)
        The rungs, sorted by tolerance (narrowest first).

    Raises
    ------
    ValueError
        For a rung that is not two numbers joined by ":", a negative or infinite tolerance or a
        share outside 0-1.

    Examples
    --------
    >>> parse_ladder("0.05:0.25; 0.01:0.5", "answer_key.csv, row 2")
    [(0.01, 0.5), (0.05, 0.25)]
    >>> parse_ladder("0.01:1.5", "answer_key.csv, row 3")
    Traceback (most recent call last):
    ...
    ValueError: answer_key.csv, row 3: partial '0.01:1.5' needs a tolerance >= 0 and a share 0-1
    """
    out = []
    for part in (text or "").split(";"):
        if not part.strip():
            continue
        try:
            t, s = (float(x) for x in part.split(":"))
        except ValueError:
            raise ValueError(f"{where}: partial must read 'tolerance:share;...', got {text!r}") from None
        if not (math.isfinite(t) and t >= 0 and 0 <= s <= 1):
            raise ValueError(f"{where}: partial {part!r} needs a tolerance >= 0 and a share 0-1")
        out.append((t, s))
    return sorted(out)
