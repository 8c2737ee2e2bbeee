"""The one exercise protocol of the notebook series: questions q1..qn, one record, one tolerance rule.

A notebook sets up its checker once, in the cell under its "Exercises" heading, on the context its
expected answers are computed from (the scenario for 00-04, the cleaned cases ``ds`` for 05, the
customers report ``rep`` for 07)::

    from aftersales.course.exercises import practice
    check = practice("02_service_matrix", sc, lang=lang)

Each exercise then has the student's own cell, with an empty answer to fill::

    q1 = None   # your answer: a share between 0 and 1, four decimals
    check("q1", q1)

and below it the solution, a code cell tagged ``solution`` and collapsed
(``"jupyter": {"source_hidden": true}``) that the student opens on purpose.

- The expected answers are defined once, in :mod:`aftersales.course.keys`, and computed by the
  library for whatever scenario or data the notebook runs on; never in a student's or a
  solution cell.
- The tolerance rule (:func:`aftersales.course.checker.tolerance_of`): right when the answer
  agrees with the expected value to the decimals the question asks for.
- The checker never shows the expected number. It says "not answered yet" for an empty answer,
  names the slip it recognises (a percentage for a share, yuan for 万 or 万 for yuan, a sign, a
  total for a per-customer figure and the reverse, a question's own traps), and gives the method
  after two wrong tries.
- Every check, like every homework :func:`answer`, leaves one record under
  :data:`RECORD_MIME` (see :mod:`aftersales.course.records`), read back by :func:`read_records`.

Money in yuan (or 万 yuan where a question says so), shares 0-1.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable

from aftersales.course.checker import Question, Verdict, judge, message
from aftersales.course.records import (MIME_TYPE, RECORD_MIME, Records, answer, format_value, read_records,
                                       record, record_case, show_record)

__all__ = ["RECORD_MIME", "MIME_TYPE", "Records", "Practice", "practice", "answer", "record_case",
           "record", "read_records", "key_figures", "figure_at", "Expected", "expected_answers",
           "EXERCISES", "format_value", "wan"]


def wan(x: float) -> str:
    """Yuan as wan yuan (1 wan = 10,000 yuan) with one decimal, e.g. ``'-142.8 wan'``.

    The glossary's :func:`~aftersales.glossary.fmt_wan_short`, the short unit a printed
    equation uses.

    Parameters
    ----------
    x : float
        An amount in yuan.

    Returns
    -------
    str
        x / 10,000 with one decimal and the unit ``wan``.

    Examples
    --------
    >>> wan(-1_428_000), wan(12_345)
    ('-142.8 wan', '1.2 wan')
    """
    from aftersales.glossary import fmt_wan_short

    return fmt_wan_short(x)


# ------------------------------------------------------------------------------ practice
class Practice:
    """The checker of one notebook's exercises on its context; call it as ``check("q1", q1)``.

    Parameters
    ----------
    notebook : str
        The notebook's stem (``"02_service_matrix"``), file name or path.
    context : Scenario, str or object
        What the expected answers are computed from (:func:`aftersales.course.keys.context_of`):
        the scenario the notebook runs on (after its parameters; a name or a path is loaded) for
        00-04, the cleaned case data for 05, the customers report for 07.
    lang : {"en", "zh", "both"}
        Language of the checker's messages (the glossary's rule).
    method_after : int
        Wrong tries after which the method is shown (2).

    Raises
    ------
    KeyError
        If the notebook has no exercises (:mod:`aftersales.course.keys` names none), or, from
        :meth:`judge`, :meth:`expected` and a call, if it has no question ``qid``; the message
        lists the questions it has.
    aftersales.model.scenario.ScenarioError
        If a scenario name or path given as ``context`` does not load.

    Notes
    -----
    Calling the checker (``check("q1", q1)``) shows the verdict in words and leaves one answer
    record through IPython's display; :meth:`judge` does the same comparison silently and
    still counts a wrong try, so the method appears after ``method_after`` wrong tries either
    way.

    Examples
    --------
    >>> check = Practice("02_service_matrix", "seed-demo")
    >>> check
    Practice('02_service_matrix', 'seed-demo': q1, q2, q3, q4, q5)
    >>> v = check.judge("q1", 64.29)          # the gross margin as a percentage
    >>> v.status, v.slip, check.tries
    ('wrong', 'percent', {'q1': 1})
    >>> check.judge("q1", 0.6429).status
    'right'
    """

    def __init__(self, notebook: str, context, lang: str = "en", method_after: int = 2):
        from aftersales.course.keys import context_of, notebook_stem, questions
        from aftersales.glossary import check_lang

        self.notebook = notebook_stem(notebook)
        self.questions: dict[str, Question] = questions(notebook)
        if context_of(notebook) == "scenario":
            from aftersales.model.scenario import load_scenario
            context = load_scenario(context)
        self.context = context
        self.lang = check_lang(lang)
        self.method_after = method_after
        self.tries: dict[str, int] = {}
        self._expected: dict[str, float] = {}

    def expected(self, qid: str) -> float:
        """The expected answer of ``qid`` (computed once, by the library). For tests and teachers."""
        if qid not in self._expected:
            self._expected[qid] = float(self.question(qid).expected(self.context))
        return self._expected[qid]

    def question(self, qid: str) -> Question:
        try:
            return self.questions[qid]
        except KeyError:
            raise KeyError(f"notebook {self.notebook} has no question {qid!r}; it has "
                           f"{', '.join(self.questions)}") from None

    def judge(self, qid: str, value: Any) -> Verdict:
        """The verdict on ``value`` for ``qid``, counting a wrong try; shows and records nothing."""
        q = self.question(qid)
        v = judge(q, value, self.expected(qid), self.context, self.tries.get(qid, 0))
        self.tries[qid] = v.tries
        return v

    def __call__(self, qid: str, value: Any) -> None:
        """Check the answer ``value`` to ``qid``: say so in words and leave the answer record."""
        v = self.judge(qid, value)
        text = message(self.question(qid), v, self.lang, self.method_after)
        show_record({"kind": "answer", "question": qid, "value": v.value, "notebook": self.notebook,
                     "verdict": v.status, "slip": v.slip, "tries": v.tries}, text)

    @property
    def scenario(self):
        """The context under its first name (the scenario, for the notebooks 00-04)."""
        return self.context

    def __repr__(self) -> str:
        name = getattr(self.context, "name", type(self.context).__name__)
        return f"Practice({self.notebook!r}, {name!r}: {', '.join(self.questions)})"


def practice(notebook: str, context, lang: str = "en") -> Practice:
    """The checker of a notebook's exercises: ``check = practice("02_service_matrix", sc, lang)``.

    Parameters
    ----------
    notebook : str
        The notebook's stem, file name or path (``"02_service_matrix"``).
    context : Scenario, str or object
        What the expected answers are computed from: the scenario (or its name or path) for
        00-04, the cleaned cases ``ds`` for 05, the customers report ``rep`` for 07.
    lang : {"en", "zh", "both"}, optional
        Language of the checker's messages (default ``"en"``).

    Returns
    -------
    Practice
        The checker, with the method shown after two wrong tries.

    Raises
    ------
    KeyError
        If the notebook has no exercises.

    Examples
    --------
    >>> check = practice("02_service_matrix", "seed-demo", lang="zh")
    >>> check.lang, sorted(check.questions)
    ('zh', ['q1', 'q2', 'q3', 'q4', 'q5'])
    """
    return Practice(notebook, context, lang=lang)


# ------------------------------------------------------------------------ an expected answer, for tools
@dataclass(frozen=True)
class Expected:
    """An expected answer: value, absolute tolerance (the rule's) and why, in plain words.

    Parameters
    ----------
    value : float
        The expected answer, in the question's unit (yuan, 万 yuan, share 0-1, ...).
    tolerance : float
        The absolute tolerance of a right answer, same unit:
        :func:`~aftersales.course.checker.tolerance_of` (half a unit of the last decimal asked
        for, plus the floating-point hair).
    why : str, optional
        What the answer means, in plain words.

    Examples
    --------
    >>> e = Expected(929.92, 0.05, "service revenue, 万 yuan")
    >>> [abs(answer - e.value) <= e.tolerance for answer in (929.9, 929.8)]
    [True, False]
    """

    value: float
    tolerance: float
    why: str = ""


# ------------------------------------------------------------------------------ figures
def figure_at(contract: dict, path: str) -> Any:
    """A value of the evaluate contract by dotted path: ``"value_added.net"``, ``"services.0.revenue"``.

    Parameters
    ----------
    contract : dict
        Nested dicts and lists, such as ``evaluate(...).to_dict()`` or a customers report.
    path : str
        Keys and list indices joined with dots.

    Returns
    -------
    object
        The value at ``path``.

    Raises
    ------
    KeyError
        If a key is missing (the message names the path and the keys there) or the path goes
        on below a number or null.
    IndexError, ValueError
        If a list index is out of range or not a whole number.

    Examples
    --------
    >>> contract = {"value_added": {"net": -1428000.0}, "services": [{"revenue": 5.0}]}
    >>> figure_at(contract, "value_added.net"), figure_at(contract, "services.0.revenue")
    (-1428000.0, 5.0)
    >>> figure_at(contract, "value_added.cost")
    Traceback (most recent call last):
    ...
    KeyError: "no figure 'value_added.cost': 'cost' is not one of net"
    """
    node: Any = contract
    for part in path.split("."):
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, dict):
            if part not in node:
                raise KeyError(f"no figure {path!r}: {part!r} is not one of {', '.join(node)}")
            node = node[part]
        else:
            raise KeyError(f"no figure {path!r}: {part!r} is below a number or null")
    return node


def key_figures(scenario, paths: Iterable[str]) -> dict[str, Any]:
    """{path: value} for paths ``"<method>.<contract path>"``, e.g. ``"seed.value_added.net"``.

    The values are those of ``python -m aftersales evaluate --method <method> --json``.

    Parameters
    ----------
    scenario : Scenario or str
        The scenario (or its name or path) to evaluate.
    paths : iterable of str
        Paths starting with the method, ``"seed."`` or ``"corrected."``, then a path of the
        evaluate contract (:func:`figure_at`); money in yuan a year, shares 0-1.

    Returns
    -------
    dict of str to object
        One entry per path, in the order given; each method is evaluated once.

    Raises
    ------
    KeyError
        If a path does not start with a method or names no figure.

    Examples
    --------
    The seed article's value-added net a year, by its own arithmetic and corrected:

    >>> key_figures("seed-demo", ["seed.value_added.net", "corrected.value_added.net"])
    {'seed.value_added.net': 760960.0, 'corrected.value_added.net': -1428000.0}
    """
    from aftersales.model.evaluation import evaluate

    cache: dict[str, dict] = {}
    out = {}
    for p in paths:
        method, _, rest = p.partition(".")
        if method not in ("seed", "corrected") or not rest:
            raise KeyError(f"figure path {p!r} must start with 'seed.' or 'corrected.'")
        if method not in cache:
            cache[method] = evaluate(scenario, method).to_dict()
        out[p] = figure_at(cache[method], rest)
    return out


# ------------------------------------------------------------------ expected answers, for tools
def expected_answers(notebook: str, context) -> dict[str, Expected]:
    """``{"q1": Expected, ...}``: a notebook's expected answers and tolerances for its ``context``.

    Read from :mod:`aftersales.course.keys`; the tolerance is the rule's for each question.

    Parameters
    ----------
    notebook : str
        The notebook's stem, file name or path.
    context : Scenario, str or object
        As for :class:`Practice`.

    Returns
    -------
    dict of str to Expected
        One per question, in the notebook's order. A NaN expected value gets the tolerance of
        an expected 0.

    Raises
    ------
    KeyError
        If the notebook has no exercises.

    Examples
    --------
    >>> answers = expected_answers("02_service_matrix", "seed-demo")
    >>> round(answers["q1"].value, 4), answers["q1"].tolerance < 5.01e-05
    (0.6429, True)
    >>> answers["q2"].value                   # service revenue, 万 yuan a year
    929.92
    """
    from aftersales.course.checker import tolerance_of

    p = Practice(notebook, context)
    out = {}
    for qid, q in p.questions.items():
        value = p.expected(qid)
        out[qid] = Expected(value, tolerance_of(q.decimals, value if math.isfinite(value) else 0.0), q.why)
    return out


def _exercises() -> dict[str, str]:
    from aftersales.course.keys import NOTEBOOKS
    return dict(NOTEBOOKS)


#: The notebooks with exercises (stem -> module of :mod:`aftersales.course.keys`).
EXERCISES = _exercises()
