"""The public API is documented in numpydoc form: every callable of the two front doors
(``aftersales.__all__`` and ``aftersales.model.__all__``) has a docstring with an Examples section
(run as a doctest by ``make check``) and, if it takes arguments, a Parameters section.

A module named in ``PENDING_MODULES`` would be expected to fail (xfail, not strict); the set is
empty: every public callable is documented.
"""
from __future__ import annotations

import inspect
import re

import pytest

import aftersales
import aftersales.model

#: Modules whose docstrings are still being written (none).
PENDING_MODULES: set[str] = set()


def _public():
    seen = {}
    for front in (aftersales, aftersales.model):
        for name in front.__all__:
            obj = getattr(front, name)
            if callable(obj):
                seen.setdefault(f"{obj.__module__}.{getattr(obj, '__qualname__', name)}", obj)
    return sorted(seen.items())


PUBLIC = _public()


def _section(doc: str, title: str) -> bool:
    return re.search(rf"^\s*{title}\n\s*-{{{len(title)}}}\s*$", doc, re.M) is not None


def _takes_arguments(obj) -> bool:
    target = obj.__init__ if inspect.isclass(obj) else obj
    try:
        params = list(inspect.signature(target).parameters.values())
    except (TypeError, ValueError):
        return False
    return any(p.name not in ("self", "cls") for p in params)


def _ids():
    out = []
    for qual, obj in PUBLIC:
        marks = ()
        if obj.__module__ in PENDING_MODULES:
            marks = (pytest.mark.xfail(reason=f"{obj.__module__} is documented by the model v2 change",
                                       strict=False),)
        out.append(pytest.param(qual, obj, id=qual, marks=marks))
    return out


def test_the_front_doors_export_what_they_name():
    for front in (aftersales, aftersales.model):
        missing = [n for n in front.__all__ if not hasattr(front, n)]
        assert not missing
        assert len(set(front.__all__)) == len(front.__all__)
    assert set(aftersales.__all__) <= set(aftersales.model.__all__)     # the front door is a subset


@pytest.mark.parametrize("qual,obj", _ids())
def test_public_callable_has_numpydoc(qual, obj):
    doc = inspect.getdoc(obj) or ""
    assert doc, f"{qual} has no docstring"
    assert _section(doc, "Examples"), f"{qual}: no Examples section"
    assert ">>> " in doc, f"{qual}: the Examples section has no runnable example"
    if _takes_arguments(obj):
        assert _section(doc, "Parameters"), f"{qual}: takes arguments but has no Parameters section"


def test_the_checker_can_fail():
    def undocumented(x):
        """Does something."""
    assert not _section(inspect.getdoc(undocumented), "Examples")
    assert _takes_arguments(undocumented)
    assert _section("Parameters\n----------\nx : int", "Parameters")
