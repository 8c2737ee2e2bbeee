"""The graded questions: wording from the notebook, tolerances and partial credit from here.

The notebook is the single source of a question's wording (``**Question 1 (q1, 1 point): Title.**
Text``, read by :func:`aftersales.teacher.notebooks.question_texts`). This module holds what the
notebook cannot say: the unit, the tolerance of a right answer and the partial-credit ladder.
It computes no answer: expected answers come from the teacher's own notebook, its solutions
run for each student's parameters (:mod:`aftersales.teacher.solutions`).

Tolerances follow the wording: a question whose example is given to two decimals
("e.g. 0.35 for 35%") accepts an answer rounded to two decimals (±0.005).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

__all__ = ["Grading", "GRADING", "Question", "questions_of", "wording_tolerance", "parse_ladder",
           "format_ladder"]


@dataclass(frozen=True)
class Grading:
    """How one question is marked.

    tolerance = max(abs_tol, rel_tol x |expected|, the wording's rounding); ``ladder`` gives
    partial credit: ((k, share), ...) means an answer within k x tolerance earns share x points.
    """

    unit: str = ""
    abs_tol: float = 1e-6
    rel_tol: float = 0.001
    ladder: tuple[tuple[float, float], ...] = ()


#: The questions of notebooks/06_homework_case.ipynb. Money: 0.1% (a rounding slip in the
#: third digit is right), half the points within 1% (an answer rounded to 万 yuan, or a
#: truncated head count). q7, a factor, is asked to no stated precision: 0.1%.
GRADING: dict[str, Grading] = {
    "q1": Grading("yuan per item", abs_tol=0.5, rel_tol=0.001, ladder=((10.0, 0.5),)),
    "q2": Grading("yuan", abs_tol=100.0, rel_tol=0.001, ladder=((10.0, 0.5),)),
    "q3": Grading("yuan", abs_tol=100.0, rel_tol=0.001, ladder=((10.0, 0.5),)),
    "q4": Grading("people", abs_tol=1.0, rel_tol=0.001, ladder=((10.0, 0.5),)),
    "q5": Grading("share", abs_tol=0.0005, rel_tol=0.0, ladder=((2.0, 0.5),)),
    "q6": Grading("yuan per customer", abs_tol=0.5, rel_tol=0.001, ladder=((10.0, 0.5),)),
    "q7": Grading("multiplier", abs_tol=0.001, rel_tol=0.001, ladder=((5.0, 0.5),)),
}

_EXAMPLE = re.compile(r"\b(?:e\.g\.|for example|such as)\s*(-?\d[\d,]*\.(\d+))")
_DECIMALS = re.compile(r"\b(?:to|with)\s+(one|two|three|four|\d)\s+decimals?\b", re.I)
_WORDS = {"one": 1, "two": 2, "three": 3, "four": 4}


def wording_tolerance(text: str) -> float | None:
    """The rounding a question's wording invites: half a unit of its example's last decimal.

    Parameters
    ----------
    text : str
        The question as the notebook states it.

    Returns
    -------
    float or None
        0.005 for "e.g. 0.35" or "to two decimals"; None when the wording states no precision.

    Examples
    --------
    >>> wording_tolerance("Give a share 0-1, e.g. 0.35 for 35%.")
    0.005
    >>> wording_tolerance("in yuan?") is None
    True
    """
    decimals = None
    m = _DECIMALS.search(text)
    if m:
        w = m.group(1).lower()
        decimals = _WORDS.get(w) or int(w)
    m = _EXAMPLE.search(text)
    if m:
        d = len(m.group(2))
        decimals = d if decimals is None else min(decimals, d)
    return None if decimals is None else round(0.5 * 10 ** -decimals, decimals + 1)


@dataclass(frozen=True)
class Question:
    """One graded question: its id, its wording (from the notebook), points and marking."""

    id: str
    title: str
    text: str
    points: float
    grading: Grading

    def tolerance(self, expected: float) -> float:
        """The largest accepted difference for this expected answer (full points)."""
        g = self.grading
        tol = max(g.abs_tol, g.rel_tol * abs(expected))
        w = wording_tolerance(self.text)
        return max(tol, w) if w is not None else tol

    def ladder(self, expected: float) -> list[tuple[float, float]]:
        """Partial credit: [(tolerance, share of the points), ...], widest last."""
        tol = self.tolerance(expected)
        return [(float(f"{k * tol:.12g}"), share) for k, share in self.grading.ladder]


def questions_of(nb, ids: list[str], where: str = "the notebook") -> list[Question]:
    """The questions ``ids`` of a notebook, with their wording and points read from it.

    Parameters
    ----------
    nb : NotebookNode
        The teacher's notebook.
    ids : list of str
        The question ids its ``answer("q..", ...)`` calls record.
    where : str
        The notebook's name, for error messages.

    Returns
    -------
    list of Question
        A question without a ``**Question ...**`` heading gets its id as title, 1 point and
        the default marking (0.1%).
    """
    from aftersales.teacher.notebooks import question_texts

    texts = question_texts(nb)
    out = []
    for q in ids:
        t = texts.get(q, {"title": q, "text": "", "points": 1.0})
        if not math.isfinite(t["points"]) or t["points"] <= 0:
            raise ValueError(f"{where}: question {q} must be worth a positive number of points")
        out.append(Question(q, t["title"], t["text"], t["points"], GRADING.get(q, Grading())))
    return out


def format_ladder(ladder: list[tuple[float, float]]) -> str:
    """The key file's ``partial`` cell: "tolerance:share;..." (empty for no partial credit)."""
    from aftersales.teacher.files import num

    return ";".join(f"{num(t)}:{num(s)}" for t, s in ladder)


def parse_ladder(text: str, where: str) -> list[tuple[float, float]]:
    """Inverse of :func:`format_ladder`; ValueError naming ``where`` for a bad cell."""
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
