"""The course: what the notebooks call.

``parameters`` (the notebook set-up: a scenario from a notebook's ``parameters`` cell, with
clear errors, and the leakage example of notebook 01), ``exercises`` (the one exercise protocol:
practice checks, homework answers, cases, key figures), ``records`` (its one record format and
reader), ``checker`` (the tolerance rule and the slips), ``keys`` (the expected answers of the
practice notebooks, defined once), ``tables`` (tables formatted for display), ``style`` (colours,
fonts, 110 dpi, figures that redraw in place), ``dashboard`` and ``charts`` (figures, labels in
English, Chinese or both from the glossary), ``controls`` (sliders), ``explorers`` (the ipywidgets
what-if tools), ``editions`` (the Chinese edition kept in step) and ``toc`` (the series).
Importing this package imports none of pandas, matplotlib or ipywidgets: each module does
when it is used.
"""
__all__ = ["parameters", "exercises", "records", "checker", "keys", "tables", "style", "dashboard",
           "charts", "controls", "explorers", "toc"]
