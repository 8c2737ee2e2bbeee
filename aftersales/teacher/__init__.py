"""Teacher tools: a homework variant per student, student versions, the answer key, grading.

Nothing here is needed to run the course notebooks, and nothing here computes a graded answer:
the key is what the teacher's own notebook (solutions in place) gives for each student.
"""
__all__ = ["homework"]
