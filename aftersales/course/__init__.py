"""The course: what the notebooks call.

``parameters`` (the notebook set-up: a scenario from a notebook's ``parameters`` cell, with
clear errors), ``exercises`` (the one exercise protocol: check, record, read), ``style``
(colours, fonts, 110 dpi, figures that redraw in place), ``dashboard`` and ``charts`` (figures,
labels in English, Chinese or both from the glossary), ``controls`` (sliders, tables) and
``explorers`` (the ipywidgets what-if tools).
Importing this package imports none of pandas, matplotlib or ipywidgets: each module does
when it is used.
"""
__all__ = ["parameters", "exercises", "style", "dashboard", "charts", "controls", "explorers"]
