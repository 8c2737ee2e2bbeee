"""Teacher tools: a homework variant per student, student versions, the answer key, grading.

Nothing here is needed to run the course notebooks; students never receive this package's key.
"""
__all__ = ["homework"]
