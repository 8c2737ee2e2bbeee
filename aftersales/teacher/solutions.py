"""The teacher's solutions, run for each student: the worked route to the graded answers.

For a student's parameters, :func:`solve` injects them as papermill would and runs the notebook's
code cells in this (the teacher's) process, without a kernel; every ``answer("q..", value)`` the
solutions call is collected instead of displayed. For a homework with a key in the course room
(``06_homework_case``: :mod:`aftersales.course.keys.n06_homework_case`) the key defines the
expected answers and ``homework make`` checks that the solutions give them, two independent
routes to the same numbers (:func:`aftersales.teacher.variants.key_answers`); for a teacher's own
notebook, what the solutions give is the key. Students receive the notebook with its solutions
removed.
"""
from __future__ import annotations

import contextlib
import io
import math
import os
from numbers import Real
from pathlib import Path

__all__ = ["solve"]


def _runnable(code: str) -> str:
    """A cell's code without IPython magics and shell escapes (lines starting with % or !)."""
    return "\n".join("" if ln.lstrip().startswith(("%", "!")) else ln for ln in code.split("\n"))


def solve(teacher_nb, parameters: dict, where: str = "the notebook", cwd: str | os.PathLike | None = None) -> dict:
    """The answers the teacher's solutions give for one student's parameters.

    Parameters
    ----------
    teacher_nb : NotebookNode
        The teacher's notebook, solutions in place.
    parameters : dict
        The student's parameters, as injected into their notebook.
    where : str
        Who the answers are for, for error messages.
    cwd : path-like, optional
        Folder the code runs in (where a relative scenario file is found).

    Returns
    -------
    dict
        {question id: float}, in the order the notebook answers.

    Raises
    ------
    ValueError
        Naming the cell, when a solution cell raises or records no finite number.

    Notes
    -----
    Cells are numbered from 1 after injection (the injected-parameters cell counts). Lines
    starting with ``%`` or ``!`` (IPython magics, shell escapes) are skipped; what the cells print
    is swallowed; the working folder is restored afterwards. A question answered twice keeps its
    last value.

    Examples
    --------
    The call injects the parameters with papermill (about a second to import), so the doctests
    do not run it; its output below was checked by hand. The part that runs shows which
    questions the answers are for (:func:`aftersales.teacher.notebooks.questions_in`).

    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> from aftersales.teacher.notebooks import questions_in
    >>> nb = new_notebook(cells=[
    ...     new_code_cell("avg_order_value = 2500.0", metadata={"tags": ["parameters"]}),
    ...     new_code_cell('### BEGIN SOLUTION\\nleakage = avg_order_value * 0.1\\n### END SOLUTION\\n'
    ...                   'answer("q1", leakage)')])
    >>> questions_in(nb)
    ['q1']
    >>> solve(nb, {"avg_order_value": 2510.0}, "student s1")       # doctest: +SKIP
    {'q1': 251.0}
    """
    import aftersales.course.answers as answers_mod
    from aftersales.teacher.notebooks import inject_parameters, source

    nb = inject_parameters(teacher_nb, parameters)
    got: dict[str, float] = {}

    def collect(question, value, *args, **kwargs):
        if hasattr(value, "item") and not isinstance(value, Real):
            value = value.item()
        if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)):
            raise ValueError(f"the solution of {question} gives {value!r}, not a finite number")
        got[str(question)] = float(value)

    def quiet(*args, **kwargs):
        return None

    saved = (answers_mod.answer, answers_mod.record_case)
    old_cwd = os.getcwd()
    ns: dict = {"__name__": "__homework_key__"}
    try:
        answers_mod.answer, answers_mod.record_case = collect, quiet
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
            for i, cell in enumerate(nb.cells):
                if cell.get("cell_type") != "code":
                    continue
                ns["answer"], ns["record_case"] = collect, quiet
                try:
                    exec(compile(_runnable(source(cell)), f"<cell {i + 1}>", "exec"), ns)
                except Exception as exc:  # noqa: BLE001 - the teacher's own notebook: name the cell
                    text = str(exc).splitlines()[0] if str(exc) else ""
                    raise ValueError(f"{where}: the teacher's notebook raised {type(exc).__name__} in cell "
                                     f"{i + 1}: {text}".rstrip(": ")) from None
    finally:
        answers_mod.answer, answers_mod.record_case = saved
        os.chdir(old_cwd)
    return got
