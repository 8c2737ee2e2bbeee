"""The notebook series' table of contents, read from the one file that declares it.

The order, titles and topics of the series live in the package's ``data/toc.toml``;
notebook 00, the course site, the docs and the tests all read them from here.
"""
from __future__ import annotations

import sys
from dataclasses import dataclass

from aftersales.resources import data_file

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

__all__ = ["Entry", "series", "entry"]


@dataclass(frozen=True)
class Entry:
    """One notebook of the series: its id ("03"), file name, titles and topic in English and Chinese."""

    id: str
    file: str
    title: str
    title_zh: str
    teaches: str
    teaches_zh: str

    def heading(self, lang: str = "en") -> str:
        """``"03 Lifecycle extension: ..."`` in English, Chinese (``"zh"``) or both (``"both"``)."""
        if lang == "zh":
            return f"{self.id} {self.title_zh}"
        if lang == "both":
            return f"{self.id} {self.title} ({self.title_zh})"
        return f"{self.id} {self.title}"


def series() -> list[Entry]:
    """Every notebook of the series, in order."""
    data = tomllib.loads(data_file("toc.toml").read_text(encoding="utf-8"))
    return [Entry(**{k: str(v) for k, v in nb.items()}) for nb in data["notebook"]]


def entry(notebook_id: str) -> Entry:
    """The entry of one notebook by id ("03") or file name; KeyError naming the ids otherwise."""
    for e in series():
        if notebook_id in (e.id, e.file, e.file.removesuffix(".ipynb")):
            return e
    raise KeyError(f"no notebook {notebook_id!r} in the series; it has {', '.join(e.id for e in series())}")
