"""Teacher tools: a homework variant per student, student versions, the answer key, grading.

Nothing here is needed to run the course notebooks, and nothing here defines a graded answer:
the expected answers of homework 06 are the course's key (:mod:`aftersales.course.keys`), checked
against the teacher's own solutions; a teacher's own notebook is keyed by its solutions.
"""
__all__ = ["homework"]
