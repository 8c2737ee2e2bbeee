"""Homework answers: ``answer("q1", value)`` and ``record_case(...)``, under the one exercise protocol.

The protocol lives in :mod:`aftersales.course.exercises` (checks, answers, cases) and
:mod:`aftersales.course.records` (the one record format and its reader); this module keeps the
names homework notebooks and the grader have imported from here.
"""
from aftersales.course.records import MIME_TYPE, RECORD_MIME, answer, format_value, read_records, record_case

__all__ = ["MIME_TYPE", "RECORD_MIME", "answer", "record_case", "format_value", "read_records"]
