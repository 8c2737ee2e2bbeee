"""The course: what the notebooks call.

``parameters`` (the notebook set-up: a scenario from a notebook's ``parameters`` cell, with
clear errors), ``exercises`` (the one exercise protocol: check, record, read), ``charts``
(figures, English or Chinese labels) and ``explorers`` (the ipywidgets what-if tools).
Importing this package imports none of pandas, matplotlib or ipywidgets: each module does
when it is used.
"""
__all__ = ["parameters", "exercises", "charts", "explorers"]
