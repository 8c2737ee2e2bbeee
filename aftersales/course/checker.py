"""The practice checker: one tolerance rule, the common slips recognised, the method after two tries.

A :class:`Question` says what an exercise asks: its unit, the decimals its wording asks for,
how the expected answer follows from the scenario (computed by the library, once, in
:mod:`aftersales.course.keys`), the method (given after two wrong tries) and why the answer is
what it is (given once it is right). :func:`judge` compares a student's answer with it and
returns a :class:`Verdict`; it never shows the expected number.

The tolerance rule
------------------
An answer is right when it agrees with the expected value to the decimals the question asks
for: ``|answer - expected| <= 0.5 x 10**-decimals`` (a question asking for two decimals accepts
the value rounded to two decimals, and any more precise one), plus a hair of floating-point
slack (:func:`within`). The unit is part of the question: a share is asked as 0-1, money in yuan
or in 万 yuan as the question says.

This is the one rule of the course: the practice checker (:func:`judge`) and the homework
grader (:mod:`aftersales.teacher.marking`) both apply it through :func:`within`, and the
answer key of ``homework make`` records each question's :meth:`Question.tolerance`. The grader
may add partial credit on top: a question's ``partial`` ladder gives a share of the points to an
answer within a multiple of that tolerance (``((100, 0.5),)``: half the points for an answer
right to two decimals fewer than asked). The practice checker has no partial credit.

The slips
---------
When an answer is not right, :func:`judge` looks for the slips business students make, each
recognised when the answer is right after undoing it: a percentage for a share (``percent``),
yuan for 万 yuan (``yuan_for_wan``) or 万 for yuan (``wan_for_yuan``), the wrong sign
(``sign``), a total for a per-customer (per-item) figure (``total_for_per``) and the reverse
(``per_for_total``), and values a question names as traps (``trap``, e.g. a figure of the
article that answers another question).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field
from numbers import Real
from typing import Any, Callable

from aftersales.glossary import CHECKER_MESSAGES, PER_WORDS, PRECISION_WORDS, QUESTION_UNITS

__all__ = ["UNITS", "Question", "Verdict", "half_unit", "tolerance_of", "within", "judge", "message",
           "precision_words"]

#: unit key -> (how the question asks for it, in English; in Chinese): the glossary's table.
UNITS = QUESTION_UNITS


@dataclass(frozen=True)
class Question:
    """One exercise of the practice notebooks.

    Parameters
    ----------
    id : str
        ``"q1"``, ``"q2"``, ... in the order of the notebook.
    unit : str
        A key of :data:`UNITS`: what the question asks for.
    decimals : int
        The decimals the question's wording asks for; sets the tolerance (see the module).
    expected : callable
        ``expected(context) -> float``: the expected answer, computed by the library from the
        notebook's context (the scenario for 00-04; the data a notebook works on otherwise).
    method : str
        How to get there, in words; shown after two wrong tries, never the number.
    why : str
        What the answer means; shown once the answer is right.
    per : callable, optional
        For a per-customer or per-item question: ``per(context) -> count`` (customers, items, cases),
        so that a total is recognised as such; for a total, the same for its per-unit figure
        (see ``per_kind``).
    per_kind : str
        ``"per"`` when the question asks for a per-unit figure, ``"total"`` when it asks for a
        total of which a per-unit figure is a common slip.
    per_word : str
        What one unit is: ``"customer"``, ``"item"``, ``"case"``.
    traps : tuple of (callable, str)
        ``(value(context), explanation)``: wrong answers the question expects some students to give.
    method_zh, why_zh, traps_zh : str, str, tuple of str
        The Chinese of ``method``, ``why`` and each trap's explanation, for ``lang="zh"``
        (set by :mod:`aftersales.course.keys` from each module's ``ZH``).
    partial : tuple of (float, float)
        Graded homework only: ``((multiple, share), ...)``, a share of the points for an answer
        within ``multiple`` x :meth:`tolerance` (see the module). The practice checker ignores it.
    title, text, points
        Graded homework only: the question's title, wording and points as the notebook states
        them (``**Question 1 (q1, 1 point): Title.** Text``), set by the teacher tools; the
        notebook is their single source.

    Raises
    ------
    ValueError
        If ``unit`` is not a key of :data:`UNITS`, ``per_kind`` is neither ``"per"`` nor
        ``"total"``, ``decimals`` is not a whole number 0-8, or a ``partial`` step has no
        multiple > 1 and share strictly between 0 and 1; the message names the question.

    Examples
    --------
    >>> q = Question("q1", "share", 4, lambda sc: 0.2951, method="users / active customers",
    ...              why="a share of the customers")
    >>> q.tolerance(), q.expected(None)
    (5e-05, 0.2951)
    >>> Question("q2", "euro", 0, float, method="m", why="w")
    Traceback (most recent call last):
    ...
    ValueError: question q2: unit 'euro' is not one of yuan, wan, share, count, customers, years, \
multiplier, number, dollars, rows, purchases
    """

    id: str
    unit: str
    decimals: int
    expected: Callable[[Any], float]
    method: str
    why: str
    per: Callable[[Any], float] | None = None
    per_kind: str = "per"
    per_word: str = "customer"
    traps: tuple = field(default_factory=tuple)
    method_zh: str = ""
    why_zh: str = ""
    traps_zh: tuple = field(default_factory=tuple)
    partial: tuple = field(default_factory=tuple)
    title: str = ""
    text: str = ""
    points: float = 1.0

    def __post_init__(self):
        if self.unit not in UNITS:
            raise ValueError(f"question {self.id}: unit {self.unit!r} is not one of {', '.join(UNITS)}")
        if self.per_kind not in ("per", "total"):
            raise ValueError(f"question {self.id}: per_kind must be 'per' or 'total'")
        if isinstance(self.decimals, bool) or not isinstance(self.decimals, int) or not 0 <= self.decimals <= 8:
            raise ValueError(f"question {self.id}: decimals must be a whole number 0-8, got {self.decimals!r}")
        for step in self.partial:
            k, share = step
            if not (k > 1 and 0 < share < 1):
                raise ValueError(f"question {self.id}: partial step {step!r} needs a multiple > 1 and a share "
                                 "between 0 and 1")

    def tolerance(self, expected: float = 0.0) -> float:
        """The tolerance of a right answer: half a unit of the last decimal asked for.

        ``expected`` is accepted for the callers that pass it; the rule does not depend on it
        (the floating-point hair is added where answers are compared, :func:`within`).

        >>> Question("q5", "share", 4, float, method="m", why="w").tolerance()
        5e-05
        """
        return half_unit(self.decimals)

    def ladder(self, expected: float = 0.0) -> list[tuple[float, float]]:
        """Partial credit: ``[(tolerance, share of the points), ...]``, narrowest first.

        >>> Question("q2", "yuan", 0, float, method="m", why="w", partial=((10_000, 0.5),)).ladder()
        [(5000.0, 0.5)]
        """
        tol = self.tolerance(expected)
        return sorted((float(f"{k * tol:.12g}"), float(share)) for k, share in self.partial)


@dataclass(frozen=True)
class Verdict:
    """What the checker concluded: ``status`` is ``right``, ``wrong``, ``unanswered`` or ``invalid``.

    Made by :func:`judge`; :func:`message` puts it in words.

    Parameters
    ----------
    question : str
        The question's id (``"q1"``).
    status : {"right", "wrong", "unanswered", "invalid"}
        ``unanswered``: ``None`` or ``...``; ``invalid``: not a finite number.
    value : float or None, optional
        The answer as a number (``None`` when unanswered or invalid).
    slip : str or None, optional
        The slip recognised in a wrong answer (``"percent"``, ``"yuan_for_wan"``,
        ``"wan_for_yuan"``, ``"sign"``, ``"total_for_per"``, ``"per_for_total"``, ``"trap"``),
        ``None`` if none is.
    detail : str, optional
        A trap's explanation, or the start of an invalid answer's repr (60 characters at most).
    tries : int, optional
        Wrong tries so far, this one included.
    detail_zh : str, optional
        The Chinese of a trap's explanation.

    Examples
    --------
    >>> v = Verdict("q1", "wrong", 29.51, slip="percent", tries=1)
    >>> v.right, v.slip
    (False, 'percent')
    """

    question: str
    status: str
    value: float | None = None
    slip: str | None = None
    detail: str = ""
    tries: int = 0
    detail_zh: str = ""

    @property
    def right(self) -> bool:
        return self.status == "right"


def half_unit(decimals: int) -> float:
    """Half a unit of the last decimal asked for: the tolerance of the one rule.

    Parameters
    ----------
    decimals : int
        The decimals the question asks for (0-8).

    Returns
    -------
    float
        0.5 x 10^-decimals, rounded to two significant digits so that it prints exactly.

    Examples
    --------
    >>> half_unit(0), half_unit(2), half_unit(4)
    (0.5, 0.005, 5e-05)
    """
    return float(f"{0.5 * 10.0 ** (-decimals):.1e}")


def _hair(expected: float) -> float:
    """Floating-point slack: a millionth of a millionth of the figure (at least of 1)."""
    return 1e-12 * max(1.0, abs(expected))


def tolerance_of(decimals: int, expected: float) -> float:
    """Half a unit of the last decimal asked for, plus a hair of floating-point slack.

    Parameters
    ----------
    decimals : int
        The decimals the question asks for (0-8).
    expected : float
        The expected answer, in the question's unit; sets the hair.

    Returns
    -------
    float
        :func:`half_unit` (decimals) + 1e-12 x max(1, |expected|), in the question's unit.

    Notes
    -----
    :func:`within` adds the hair itself, so passing this tolerance (rather than
    :func:`half_unit`) to :func:`within` counts the hair twice; at 1e-12 of the figure the
    difference is immaterial.

    Examples
    --------
    >>> tolerance_of(2, 295.138)
    0.005000000295138
    """
    return half_unit(decimals) + _hair(expected)


def within(value: float, expected: float, tolerance: float) -> bool:
    """The one comparison of the course: ``|value - expected| <= tolerance`` plus the hair.

    Parameters
    ----------
    value : float
        The answer, in the question's unit.
    expected : float
        The expected answer, same unit.
    tolerance : float
        :func:`half_unit` of the decimals asked for (the answer key's ``tolerance``), or a step
        of a question's partial-credit ladder; same unit.

    Returns
    -------
    bool
        True if |value - expected| <= tolerance + 1e-12 x max(1, |expected|).

    Examples
    --------
    The yearly cost per user, 6,800,000 yuan over 23,040 users (295.1389 yuan), asked to two
    decimals:

    >>> within(295.14, 6_800_000 / 23_040, half_unit(2)), within(295.15, 6_800_000 / 23_040, half_unit(2))
    (True, False)
    """
    return abs(value - expected) <= tolerance + _hair(expected)


def precision_words(decimals: int, lang: str = "en") -> str:
    """``"two decimals"`` / ``"保留两位小数"``: the precision a question asks for, in words.

    Parameters
    ----------
    decimals : int
        The decimals the question asks for.
    lang : {"en", "zh", "both"}, optional
        ``"zh"`` gives Chinese; any other value English (default ``"en"``).

    Returns
    -------
    str
        The glossary's words for the precision, or ``"<n> decimals"`` / ``"保留<n>位小数"`` for
        a count it has no words for.

    Examples
    --------
    >>> precision_words(2), precision_words(2, "zh")
    ('two decimals', '保留两位小数')
    >>> precision_words(7)
    '7 decimals'
    """
    if decimals in PRECISION_WORDS:
        return PRECISION_WORDS[decimals][1 if lang == "zh" else 0]
    return f"{decimals} decimals" if lang != "zh" else f"保留{decimals}位小数"


def _near(answer: float, target: float, decimals: int) -> bool:
    return within(answer, target, half_unit(decimals))


def _loose(answer: float, target: float, decimals: int) -> bool:
    """Near enough to recognise a slip: the asked precision, or 0.5% of the figure."""
    return abs(answer - target) <= max(tolerance_of(decimals, target), 0.005 * abs(target))


def _as_number(value: Any) -> float | None:
    if hasattr(value, "item") and not isinstance(value, Real):
        try:
            value = value.item()
        except (TypeError, ValueError):
            return None
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)):
        return None
    return float(value)


def judge(q: Question, value: Any, expected: float, scenario=None, tries: int = 0) -> Verdict:
    """Compare ``value`` with ``expected`` for question ``q``; recognise the slip if it is one.

    Parameters
    ----------
    q : Question
        The question.
    value : object
        The student's answer: ``None`` or ``...`` (not answered), a number (a numpy scalar is
        accepted), anything else (invalid).
    expected : float
        The expected answer, in the question's unit (NaN: no answer can be right).
    scenario : object, optional
        The notebook's context, for the per-unit counts (``q.per``) and the traps; without it
        (default ``None``) neither slip is looked for.
    tries : int, optional
        Wrong tries before this one (default 0).

    Returns
    -------
    Verdict
        ``right`` if ``value`` is :func:`within` :func:`half_unit` (``q.decimals``) of
        ``expected``; otherwise ``wrong`` with ``tries + 1`` and the slip, if one is recognised.
        ``unanswered`` and ``invalid`` keep ``tries``.

    Notes
    -----
    A slip is recognised when the answer is near the expected value after undoing it, in this
    order: percent (x100, shares), yuan for 万 (x10^4), 万 for yuan (/10^4), total for
    per-unit (x n) or per-unit for total (/n, where n = ``q.per(scenario)``), sign (x -1); then
    the question's traps. Near here is looser than right: within the asked precision or 0.5 %
    of the target, whichever is larger. A trap is not counted when it equals the expected value.

    Examples
    --------
    >>> q = Question("q1", "share", 4, float, method="users / active customers", why="w")
    >>> judge(q, 0.2951, 0.29514).status
    'right'
    >>> v = judge(q, 29.51, 0.29514)
    >>> v.status, v.slip, v.tries
    ('wrong', 'percent', 1)
    >>> judge(q, None, 0.29514).status, judge(q, "29%", 0.29514).status
    ('unanswered', 'invalid')
    """
    def near(a, t):
        return _near(a, t, q.decimals)

    if value is None or value is Ellipsis:
        return Verdict(q.id, "unanswered", tries=tries)
    v = _as_number(value)
    if v is None:
        return Verdict(q.id, "invalid", detail=repr(value)[:60], tries=tries)
    if math.isfinite(expected) and near(v, expected):
        return Verdict(q.id, "right", v, tries=tries)
    slip = None
    if math.isfinite(expected) and expected != 0:
        candidates: list[tuple[str, float]] = []
        if q.unit == "share":
            candidates.append(("percent", expected * 100))
        if q.unit == "wan":
            candidates.append(("yuan_for_wan", expected * 1e4))
        if q.unit == "yuan":
            candidates.append(("wan_for_yuan", expected / 1e4))
        if q.per is not None and scenario is not None:
            n = float(q.per(scenario))
            if n > 0 and n != 1:
                if q.per_kind == "per":
                    candidates.append(("total_for_per", expected * n))
                else:
                    candidates.append(("per_for_total", expected / n))
                    if q.unit == "wan":        # per item, in yuan: the figure a student saw in a table
                        candidates.append(("per_for_total", expected * 1e4 / n))
        candidates.append(("sign", -expected))
        for name, target in candidates:
            if _loose(v, target, q.decimals):
                slip = name
                break
    detail = detail_zh = ""
    if slip is None and scenario is not None:
        for i, (trap, why) in enumerate(q.traps):
            t = float(trap(scenario))
            if math.isfinite(t) and _loose(v, t, q.decimals) and not near(t, expected):
                slip, detail = "trap", why
                detail_zh = q.traps_zh[i] if i < len(q.traps_zh) else ""
                break
    return Verdict(q.id, "wrong", v, slip=slip, detail=detail, tries=tries + 1, detail_zh=detail_zh)


def message(q: Question, verdict: Verdict, lang: str = "en", method_after: int = 2) -> str:
    """The checker's words for ``verdict``: never the expected number; the method after ``method_after`` tries.

    Parameters
    ----------
    q : Question
        The question judged.
    verdict : Verdict
        What :func:`judge` concluded.
    lang : {"en", "zh", "both"}, optional
        The glossary's rule: English (default), Chinese, or English then Chinese.
    method_after : int, optional
        Wrong tries after which ``q.method`` is shown (default 2).

    Returns
    -------
    str
        The first line says right, not yet (with the student's own number), not answered or
        not checked; the next lines, indented, say why (right), name the slip or give a hint
        (wrong), and the method once ``verdict.tries >= method_after``.

    Examples
    --------
    >>> q = Question("q1", "share", 4, float, method="users / active customers", why="w")
    >>> print(message(q, judge(q, 29.51, 0.29514)))
    q1: not yet (29.5100).
      It looks like a percentage. The question asks for a share: write 0.25 for 25%.
    >>> print(message(q, judge(q, 0.5, 0.29514, tries=1)).splitlines()[-1])
      Method: users / active customers
    """
    if lang == "both":
        return (message(q, verdict, "en", method_after) + "\n"
                + message(q, verdict, "zh", method_after))
    i = 1 if lang == "zh" else 0
    t = {key: words[i] for key, words in CHECKER_MESSAGES.items()}
    per = PER_WORDS[q.per_word][1] if lang == "zh" and q.per_word in PER_WORDS else q.per_word
    fields = {"id": q.id, "unit": UNITS[q.unit][1 if lang == "zh" else 0],
              "prec": precision_words(q.decimals, lang), "per": per,
              "detail": (verdict.detail_zh or verdict.detail) if lang == "zh" else verdict.detail,
              "method": (q.method_zh or q.method) if lang == "zh" else q.method,
              "why": (q.why_zh or q.why) if lang == "zh" else q.why,
              "shown": "" if verdict.value is None else _shown(verdict.value, q.decimals)}
    fields["agree"] = t["agree"].format(**fields)
    lines = [t[verdict.status].format(**fields)]
    if verdict.status == "right" and q.why:
        lines.append(t["why"].format(**fields))
    elif verdict.status == "wrong":
        lines.append(t[verdict.slip].format(**fields) if verdict.slip else t["hint"].format(**fields))
        if verdict.tries >= method_after:
            lines.append(t["method"].format(**fields))
    return "\n  ".join(lines)


def _shown(v: float, decimals: int) -> str:
    """The student's own number, with separators, as precise as it was given (up to six decimals)."""
    text = f"{v:,.6f}".rstrip("0").rstrip(".")
    given = len(text.split(".")[1]) if "." in text else 0
    if 0 < decimals < 6 and given < decimals:
        text = f"{v:,.{decimals}f}"
    return text
