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
    """One notebook of the series: its id ("03"), file name, titles and topic in English and Chinese.

    Parameters
    ----------
    id : str
        The notebook's two-digit number as text, ``"00"`` ... ``"07"``.
    file : str
        Its file name in ``notebooks/`` (and ``notebooks/zh/``), e.g. ``"03_lifecycle_extension.ipynb"``.
    title, title_zh : str
        Its title in English and in Chinese.
    teaches, teaches_zh : str
        What it teaches, in English and in Chinese.

    Examples
    --------
    >>> e = entry("03")
    >>> e.file
    '03_lifecycle_extension.ipynb'
    >>> e.heading()
    '03 Lifecycle extension: wake-ups, repurchase and lifetime value'
    >>> e.heading("zh")
    '03 生命周期延长：唤醒、复购与客户生命周期价值'
    """

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
    """Every notebook of the series, in order.

    Returns
    -------
    list of Entry
        One entry per ``[[notebook]]`` table of the package's ``data/toc.toml``, in the file's
        order (read afresh on every call).

    Examples
    --------
    >>> [e.id for e in series()]
    ['00', '01', '02', '03', '04', '05', '06', '07']
    >>> series()[0].file
    '00_start_here.ipynb'
    """
    data = tomllib.loads(data_file("toc.toml").read_text(encoding="utf-8"))
    return [Entry(**{k: str(v) for k, v in nb.items()}) for nb in data["notebook"]]


def entry(notebook_id: str) -> Entry:
    """The entry of one notebook by id ("03") or file name; KeyError naming the ids otherwise.

    Parameters
    ----------
    notebook_id : str
        The notebook's id (``"03"``), its file name (``"03_lifecycle_extension.ipynb"``) or its
        stem (``"03_lifecycle_extension"``). A path is not accepted.

    Returns
    -------
    Entry
        The first entry of :func:`series` that matches.

    Raises
    ------
    KeyError
        If no notebook of the series matches; the message lists the ids.

    Examples
    --------
    >>> entry("03_lifecycle_extension.ipynb").id
    '03'
    >>> entry("99")
    Traceback (most recent call last):
    KeyError: "no notebook '99' in the series; it has 00, 01, 02, 03, 04, 05, 06, 07"
    """
    for e in series():
        if notebook_id in (e.id, e.file, e.file.removesuffix(".ipynb")):
            return e
    raise KeyError(f"no notebook {notebook_id!r} in the series; it has {', '.join(e.id for e in series())}")
