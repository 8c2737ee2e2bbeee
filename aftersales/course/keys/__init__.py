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
"""
from __future__ import annotations

from dataclasses import replace
from importlib import import_module

from aftersales.course.checker import Question

__all__ = ["NOTEBOOKS", "questions", "context_of"]

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


def _stem(notebook: str) -> str:
    return str(notebook).replace("\\", "/").rsplit("/", 1)[-1].removesuffix(".ipynb")


def _module(notebook: str):
    key = _stem(notebook)
    if key not in NOTEBOOKS:
        raise KeyError(f"no exercises for notebook {notebook!r}; known: {', '.join(NOTEBOOKS)}")
    return import_module(f"{__name__}.{NOTEBOOKS[key]}")


def context_of(notebook: str) -> str:
    """What a notebook's expected answers are computed from: ``"scenario"`` (00-04, the default),
    ``"dataset"`` (05) or ``"customer report"`` (07)."""
    return getattr(_module(notebook), "CONTEXT", "scenario")


def questions(notebook: str) -> dict[str, Question]:
    """``{"q1": Question, ...}`` of a notebook (its stem, file name or path); KeyError naming the known ones."""
    mod = _module(notebook)
    zh = getattr(mod, "ZH", {})
    out = {}
    for q in mod.QUESTIONS:
        if q.id in zh:      # the Chinese texts: (method, why) or (method, why, (trap, ...))
            m, w, *t = zh[q.id]
            q = replace(q, method_zh=m, why_zh=w, traps_zh=tuple(t[0]) if t else ())
        out[q.id] = q
    return out
