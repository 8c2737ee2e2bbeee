"""Homework for a class: the teacher's loop in one import (see docs/teachers_guide.md).

1. ``homework make``: :func:`make_variants` (:mod:`.variants`): a notebook per student with their
   own parameters and a copy of the case file; the answer key from the course's key of the
   homework (:mod:`aftersales.course.keys`), checked against the teacher's own solutions
   (:mod:`.solutions`), with the one tolerance rule of the course (:mod:`.questions`); question
   wording and points from the notebook.
2. Students answer with ``answer("q1", value)`` (:mod:`aftersales.course.answers`).
3. ``homework grade``: :func:`grade` (:mod:`.grading`): each submission in a sandbox of its own
   (:mod:`.sandbox`, :mod:`.runner`), found as collected (:mod:`.collect`), marked
   (:mod:`.marking`), written as a gradebook (:mod:`.reports`).
4. ``homework strip``: :func:`strip_notebook` (:mod:`.notebooks`): a student version.

The teacher room holds no expected answer: those are defined once, in the course's keys (or, for
a teacher's own notebook, by its solutions).
"""
from __future__ import annotations

from aftersales.teacher.collect import choose_notebook, collect, safe_unzip
from aftersales.teacher.grading import GradeReport, available_cores, grade, parse_due, records_of
from aftersales.teacher.marking import KeyEntry, mark, read_answer_key
from aftersales.teacher.notebooks import (cell_assignments, inject_parameters, parameters_cell_index,
                                          question_texts, questions_in, strip_notebook, strip_solutions)
from aftersales.teacher.questions import Question, questions_of, wording_decimals, wording_tolerance
from aftersales.teacher.reports import GRADE_COLUMNS, SUMMARY_COLUMNS, summary_path_for
from aftersales.teacher.roster import Student, folder_name, read_roster
from aftersales.teacher.sandbox import Limits, SandboxError, check_sandbox, run_notebook
from aftersales.teacher.solutions import solve
from aftersales.teacher.variants import (KEY_COLUMNS, PARAMETER_RANGES, MakeResult, draw_parameters, key_answers,
                                         make_variants)

__all__ = ["choose_notebook", "collect", "safe_unzip", "GradeReport", "available_cores", "grade", "parse_due",
           "records_of", "KeyEntry", "mark", "read_answer_key", "cell_assignments", "inject_parameters",
           "parameters_cell_index", "question_texts", "questions_in", "strip_notebook", "strip_solutions",
           "Question", "questions_of", "wording_decimals", "wording_tolerance", "GRADE_COLUMNS",
           "SUMMARY_COLUMNS", "summary_path_for", "Student", "folder_name", "read_roster", "Limits",
           "SandboxError", "check_sandbox", "run_notebook", "solve", "KEY_COLUMNS", "PARAMETER_RANGES",
           "MakeResult", "draw_parameters", "key_answers", "make_variants"]
