"""The expected answers of the notebooks' exercises, defined once, computed by the library.

One module per notebook (``n00_start_here`` ... ``n07_real_customers``), each with a tuple
``QUESTIONS`` of :class:`aftersales.course.checker.Question`, ``q1`` to ``qn`` in the order of the
notebook. The expected value of a question is a function of the notebook's **context**: the
scenario it runs on (00-04), the cleaned case data (05: a ``Dataset`` with ``cases`` and
``result``) or the customers report (07), so it holds for every scenario file, data file and
papermill variant; nothing is typed in, and nothing is computed in a student's or a solution cell.
A module whose context is not the scenario says so in ``CONTEXT`` (:func:`context_of`).

Each module also has ``ZH``: ``{"q1": (method, why[, (trap explanation, ...)])}`` in Chinese, the
texts the checker shows with ``lang="zh"``.

Graded homework follows the same protocol: ``n06_homework_case`` holds the expected answers of
``06_homework_case`` (:data:`HOMEWORK`), computed from the student's case, the scenario the
notebook builds from the case file and the student's parameters (:func:`homework_case`).
``homework make`` writes them to the answer key with each question's tolerance (the one rule of
:mod:`aftersales.course.checker`) and checks them against the teacher's solution cells. A
homework notebook has no practice checker: :func:`questions` and ``practice(...)`` know only the
practice notebooks; :func:`homework_questions` reads a homework key.
"""
from __future__ import annotations

from dataclasses import replace
from importlib import import_module

from aftersales.course.checker import Question

__all__ = ["NOTEBOOKS", "HOMEWORK", "questions", "context_of", "homework_questions", "has_homework_key",
           "homework_case", "notebook_stem"]

#: notebook stem -> module of this package holding its questions
NOTEBOOKS = {
    "00_start_here": "n00_start_here",
    "01_value_leakage": "n01_value_leakage",
    "02_service_matrix": "n02_service_matrix",
    "03_lifecycle_extension": "n03_lifecycle_extension",
    "04_pnl_comparison": "n04_pnl_comparison",
    "05_after_sales_segmentation": "n05_after_sales_segmentation",
    "07_real_customers": "n07_real_customers",
}


def notebook_stem(notebook: str) -> str:
    """A notebook's stem from its stem, file name or path: ``"02_service_matrix"``.

    Parameters
    ----------
    notebook : str or path
        A stem, a file name (``"02_service_matrix.ipynb"``) or a path with ``/`` or ``\\``
        separators.

    Returns
    -------
    str
        The last path component without ``.ipynb``; nothing is checked against the series.

    Examples
    --------
    >>> notebook_stem("notebooks/zh/02_service_matrix.ipynb")
    '02_service_matrix'
    >>> notebook_stem("02_service_matrix")
    '02_service_matrix'
    """
    return str(notebook).replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".ipynb")


#: graded homework notebook stem -> module of this package holding its expected answers
HOMEWORK = {
    "06_homework_case": "n06_homework_case",
}


def _key(notebook: str, table: dict) -> str:
    """The stem of ``table`` that ``notebook`` names: its stem, file name, path or bare id ("03")."""
    key = notebook_stem(notebook)
    if key not in table:
        key = {stem.split("_", 1)[0]: stem for stem in table}.get(key, key)
    return key


def _module(notebook: str, table: dict | None = None):
    table = NOTEBOOKS if table is None else table
    key = _key(notebook, table)
    if key not in table:
        what = "no exercises" if table is NOTEBOOKS else "no homework key"
        raise KeyError(f"{what} for notebook {notebook!r}; known: {', '.join(table)}")
    return import_module(f"{__name__}.{table[key]}")


def context_of(notebook: str) -> str:
    """What a notebook's expected answers are computed from: ``"scenario"`` (00-04, the default),
    ``"dataset"`` (05) or ``"customer report"`` (07).

    Parameters
    ----------
    notebook : str or path
        A practice notebook of :data:`NOTEBOOKS`: its stem, file name, path or bare id
        (``"05"``, as :func:`aftersales.course.toc.entry` takes it).

    Returns
    -------
    str
        The module's ``CONTEXT``, or ``"scenario"`` when it declares none.

    Raises
    ------
    KeyError
        If the notebook has no exercises here; the message lists the known stems.

    Examples
    --------
    >>> context_of("02_service_matrix"), context_of("05_after_sales_segmentation.ipynb")
    ('scenario', 'dataset')
    >>> context_of("07_real_customers"), context_of("05")
    ('customer report', 'dataset')
    """
    return getattr(_module(notebook), "CONTEXT", "scenario")


def questions(notebook: str) -> dict[str, Question]:
    """``{"q1": Question, ...}`` of a notebook (its stem, file name, path or id); KeyError naming the known ones.

    Parameters
    ----------
    notebook : str or path
        A practice notebook of :data:`NOTEBOOKS`: its stem, file name, path or bare id (``"02"``).

    Returns
    -------
    dict of str to Question
        The notebook's questions in order, ``q1`` to ``qn``, with the Chinese texts of its ``ZH``
        filled in (``method_zh``, ``why_zh``, ``traps_zh``).

    Raises
    ------
    KeyError
        If the notebook has no exercises here (a homework notebook among them: see
        :func:`homework_questions`); the message lists the known stems.

    Examples
    --------
    >>> from aftersales.model.scenario import load_scenario
    >>> qs = questions("notebooks/02_service_matrix.ipynb")
    >>> sorted(qs)
    ['q1', 'q2', 'q3', 'q4', 'q5']
    >>> sorted(questions("02")) == sorted(qs)
    True
    >>> q1 = qs["q1"]
    >>> q1.unit, q1.decimals
    ('share', 4)
    >>> round(q1.expected(load_scenario("seed-demo")), 4)   # (280 - 100) / 280, the basic remake
    0.6429
    """
    return _questions(_module(notebook))


def has_homework_key(notebook: str) -> bool:
    """True when the expected answers of the homework ``notebook`` (stem, file name, path or id) are here.

    Parameters
    ----------
    notebook : str or path
        The notebook's stem, file name, path or bare id (``"06"``).

    Returns
    -------
    bool
        Whether :data:`HOMEWORK` holds it (a practice notebook gives False).

    Examples
    --------
    >>> has_homework_key("notebooks/06_homework_case.ipynb"), has_homework_key("02_service_matrix")
    (True, False)
    """
    return _key(notebook, HOMEWORK) in HOMEWORK


def homework_questions(notebook: str) -> dict[str, Question]:
    """``{"q1": Question, ...}`` of a graded homework notebook; KeyError naming the known ones.

    Parameters
    ----------
    notebook : str or path
        A homework notebook of :data:`HOMEWORK`: its stem, file name, path or bare id (``"06"``).

    Returns
    -------
    dict of str to Question
        Its graded questions in order, whose ``expected`` takes the student's case (see
        :func:`homework_case`).

    Raises
    ------
    KeyError
        If the notebook has no homework key here; the message lists the known ones.

    Examples
    --------
    >>> from aftersales.model.scenario import load_scenario
    >>> hw = homework_questions("06_homework_case.ipynb")
    >>> sorted(hw)
    ['q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7']
    >>> hw["q1"].expected(load_scenario("seed-demo"))   # 1800 - 15 % x 1800 yuan
    1530.0
    >>> homework_questions("02_service_matrix")
    Traceback (most recent call last):
    KeyError: "no homework key for notebook '02_service_matrix'; known: 06_homework_case"
    """
    return _questions(_module(notebook, HOMEWORK))


def homework_case(notebook: str, scenario, parameters: dict):
    """The context of a homework's expected answers: the student's case, built as the notebook builds it.

    Parameters
    ----------
    notebook : str
        The homework notebook (stem, file name or path).
    scenario : str or path
        The case file (scenario name or TOML path) the student's notebook runs on.
    parameters : dict
        The student's parameters as injected into their notebook (others are ignored).

    Returns
    -------
    Scenario
        The scenario the student's notebook works on, its parameters applied and checked.

    Raises
    ------
    KeyError
        If ``notebook`` has no homework key here.
    aftersales.course.parameters.ParameterError
        If the scenario or a parameter of the case cannot be used.

    Examples
    --------
    >>> sc = homework_case("06_homework_case", "seed-demo",
    ...                    {"active_customers": 50_000, "price_multiplier": 1.1, "lang": "zh"})
    >>> sc.brand.active_customers
    50000
    >>> [round(s.price, 2) for s in sc.services]     # seed-demo's prices x 1.1
    [308.0, 638.0, 140.8, 96.8, 44.0]
    """
    return _module(notebook, HOMEWORK).case(scenario, parameters)


def _questions(mod) -> dict[str, Question]:
    zh = getattr(mod, "ZH", {})
    out = {}
    for q in mod.QUESTIONS:
        if q.id in zh:      # the Chinese texts: (method, why) or (method, why, (trap, ...))
            m, w, *t = zh[q.id]
            q = replace(q, method_zh=m, why_zh=w, traps_zh=tuple(t[0]) if t else ())
        out[q.id] = q
    return out
