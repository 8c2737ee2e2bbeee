"""The Chinese edition of the notebooks: ``notebooks/zh/<name>.ipynb`` kept in step with ``notebooks/<name>.ipynb``.

The two editions have the same cells in the same order (same ids, types, tags and cell metadata).
Code cells are the English ones, verbatim, except the ``parameters`` cell, where only the value of
``lang`` differs (``lang = "zh"``). Markdown cells hold the Chinese translation and record which
English source they translate, in the cell metadata::

    "metadata": {"aftersales": {"en_sha": "<sha256 of the English markdown source, 16 hex digits>"}}

A markdown cell is *stale* when its ``en_sha`` is missing (a new cell, still in English) or differs
from the hash of the current English source (the English changed since the translation).
:func:`sync` keeps a stale cell's text and lists it, so a translator updates it and then stamps it
with :func:`accept` (``python scripts/sync_zh.py --accept NAME:CELL_ID``).
"""
from __future__ import annotations

import copy
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

__all__ = ["META_KEY", "en_sha", "zh_parameters", "Report", "sync", "sync_file", "accept", "stale_cells",
           "cjk_share", "prose_letters", "zh_path"]

META_KEY = "aftersales"
LANG_LINE = re.compile(r'^(lang\s*=\s*)(["\'])([a-z]+)\2', re.M)


def en_sha(source: str) -> str:
    """The hash a translation records of the English source it translates (16 hex digits).

    Parameters
    ----------
    source : str
        The English markdown source of a cell.

    Returns
    -------
    str
        The first 16 hex digits of the SHA-256 of ``source`` in UTF-8.

    Examples
    --------
    >>> en_sha("# Value leakage")
    '7126d8509a19d016'
    """
    return hashlib.sha256(source.encode("utf-8")).hexdigest()[:16]


def zh_path(en_notebook: Path) -> Path:
    """``notebooks/zh/<name>.ipynb`` for ``notebooks/<name>.ipynb``.

    Parameters
    ----------
    en_notebook : str or Path
        The English notebook's path.

    Returns
    -------
    Path
        The Chinese edition's path: a ``zh`` folder beside the English notebook, same name.

    Examples
    --------
    >>> zh_path("notebooks/01_value_leakage.ipynb").as_posix()
    'notebooks/zh/01_value_leakage.ipynb'
    """
    return Path(en_notebook).parent / "zh" / Path(en_notebook).name


def _is_parameters(cell) -> bool:
    return cell.cell_type == "code" and "parameters" in cell.metadata.get("tags", [])


def zh_parameters(source: str) -> str:
    """The parameters cell of the Chinese edition: the English one with ``lang = "zh"``.

    Parameters
    ----------
    source : str
        The English ``parameters`` cell's source.

    Returns
    -------
    str
        The same source with the value of the first line ``lang = "..."`` (or ``'...'``, at the
        start of a line) set to ``zh``; unchanged if there is no such line.

    Examples
    --------
    >>> zh_parameters('scenario = "seed-demo"\\nlang = "en"\\n')
    'scenario = "seed-demo"\\nlang = "zh"\\n'
    """
    return LANG_LINE.sub(lambda m: f'{m.group(1)}{m.group(2)}zh{m.group(2)}', source, count=1)


@dataclass
class Report:
    """What :func:`sync` found for one notebook: stale cells (id, why) and whether the file changes.

    Parameters
    ----------
    name : str
        The Chinese edition's name as reports show it (``"zh/01_value_leakage.ipynb"``).
    stale : list of (str, str), optional
        (cell id, reason) of the markdown cells still to translate (:func:`stale_cells`).
    changed : bool, optional
        True if the synced edition differs from the file on disk (or there is none).
    created : bool, optional
        True if there was no Chinese edition yet.

    Examples
    --------
    >>> Report("zh/01_value_leakage.ipynb", [("intro", "not translated (new cell)")]).lines()
    ['zh/01_value_leakage.ipynb: cell intro: not translated (new cell)']
    """

    name: str
    stale: list[tuple[str, str]] = field(default_factory=list)
    changed: bool = False
    created: bool = False

    def lines(self) -> list[str]:
        return [f"{self.name}: cell {cid}: {why}" for cid, why in self.stale]


def _meta(cell) -> dict:
    return cell.metadata.get(META_KEY, {}) if isinstance(cell.metadata.get(META_KEY), dict) else {}


def stale_cells(en_nb, zh_nb) -> list[tuple[str, str]]:
    """(cell id, reason) of the markdown cells of ``zh_nb`` that do not translate ``en_nb``'s current text.

    Parameters
    ----------
    en_nb, zh_nb : nbformat.NotebookNode
        The English notebook and its Chinese edition; cells are matched by id.

    Returns
    -------
    list of (str, str)
        In the English order, one entry per English markdown cell whose translation is
        ``"missing"`` (no markdown cell of that id), ``"not translated (new cell)"`` (no
        ``en_sha``) or ``"English changed since the translation"`` (another ``en_sha``).

    Examples
    --------
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> en = new_notebook(cells=[new_markdown_cell("# Value leakage", id="intro")])
    >>> zh = new_notebook(cells=[new_markdown_cell("# 价值泄漏", id="intro")])
    >>> stale_cells(en, zh)
    [('intro', 'not translated (new cell)')]
    >>> zh.cells[0].metadata["aftersales"] = {"en_sha": en_sha("# Value leakage")}
    >>> stale_cells(en, zh)
    []
    >>> en.cells[0].source = "# Value leakage, per item"
    >>> stale_cells(en, zh)
    [('intro', 'English changed since the translation')]
    """
    zh = {c.get("id"): c for c in zh_nb.cells}
    out = []
    for c in en_nb.cells:
        if c.cell_type != "markdown":
            continue
        z = zh.get(c.get("id"))
        if z is None or z.cell_type != "markdown":
            out.append((c.get("id"), "missing"))
            continue
        sha = _meta(z).get("en_sha")
        if not sha:
            out.append((c.get("id"), "not translated (new cell)"))
        elif sha != en_sha(c.source):
            out.append((c.get("id"), "English changed since the translation"))
    return out


def sync(en_nb, zh_nb=None, name: str = ""):
    """The Chinese edition of ``en_nb``, keeping the translations of ``zh_nb``; returns (notebook, Report).

    Cells are aligned by id. Code cells come from English (parameters: ``lang = "zh"``); markdown
    cells keep their Chinese text and ``en_sha``; a new markdown cell gets the English text and no
    ``en_sha`` (stale until translated).

    Parameters
    ----------
    en_nb : nbformat.NotebookNode
        The English notebook.
    zh_nb : nbformat.NotebookNode or None, optional
        The current Chinese edition; ``None`` (default) when there is none yet.
    name : str, optional
        The name the report gives the edition.

    Returns
    -------
    tuple of (nbformat.NotebookNode, Report)
        The new Chinese edition (neither input is changed) and what was found. Cells of
        ``zh_nb`` whose id the English no longer has are dropped.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    >>> en = new_notebook(cells=[new_markdown_cell("# Value leakage", id="intro"),
    ...                          new_code_cell('lang = "en"', id="params", metadata={"tags": ["parameters"]})])
    >>> zh, report = sync(en, name="zh/01_value_leakage.ipynb")
    >>> zh.cells[1].source, zh.metadata["aftersales"]
    ('lang = "zh"', {'edition': 'zh'})
    >>> report.created, report.stale
    (True, [('intro', 'not translated (new cell)')])
    """
    old = {c.get("id"): c for c in (zh_nb.cells if zh_nb is not None else [])}
    out = copy.deepcopy(en_nb)
    for i, c in enumerate(en_nb.cells):
        z = old.get(c.get("id"))
        cell = copy.deepcopy(c)
        cell.metadata.pop(META_KEY, None)
        if c.cell_type == "code":
            if _is_parameters(c):
                cell.source = zh_parameters(c.source)
        elif c.cell_type == "markdown":
            if z is not None and z.cell_type == "markdown":
                cell.source = z.source
                if _meta(z):
                    cell.metadata[META_KEY] = copy.deepcopy(_meta(z))
                if "attachments" in z:
                    cell["attachments"] = copy.deepcopy(z["attachments"])
        out.cells[i] = cell
    out.metadata.setdefault(META_KEY, {})
    out.metadata[META_KEY] = {**(zh_nb.metadata.get(META_KEY, {}) if zh_nb is not None else {}),
                              "edition": "zh"}
    report = Report(name, stale_cells(en_nb, out))
    report.created = zh_nb is None
    report.changed = zh_nb is None or nbformat.writes(out) != nbformat.writes(zh_nb)
    return out, report


def _read(path: Path):
    return nbformat.read(str(path), as_version=4)


def _write(nb, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(nbformat.writes(nb) + "\n", encoding="utf-8")


def sync_file(en_path: Path, write: bool = True) -> Report:
    """Sync ``notebooks/zh/<name>`` with ``en_path``; write it unless ``write`` is False (a check).

    Parameters
    ----------
    en_path : str or Path
        The English notebook.
    write : bool, optional
        Write the Chinese edition (:func:`zh_path`, its folder made if need be) when it changes
        (default True); False only reports.

    Returns
    -------
    Report
        Named ``zh/<name>``.

    Notes
    -----
    The Chinese edition is a file the project keeps, not one a user made: writing it needs no
    ``--force``. It is written only when its text changes.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import nbformat
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     en_path = Path(tmp) / "01_value_leakage.ipynb"
    ...     nbformat.write(new_notebook(cells=[new_markdown_cell("# Value leakage", id="intro")]), str(en_path))
    ...     check = sync_file(en_path, write=False)
    ...     first = sync_file(en_path)
    ...     again = sync_file(en_path)
    >>> check.changed, zh_path(en_path).name, first.created, again.changed
    (True, '01_value_leakage.ipynb', True, False)
    >>> first.lines()
    ['zh/01_value_leakage.ipynb: cell intro: not translated (new cell)']
    """
    en_path = Path(en_path)
    target = zh_path(en_path)
    zh_nb = _read(target) if target.exists() else None
    out, report = sync(_read(en_path), zh_nb, name=f"zh/{en_path.name}")
    if write and report.changed:
        _write(out, target)
    return report


def accept(en_path: Path, cell_ids: list[str] | None = None, text: dict[str, str] | None = None) -> list[str]:
    """Stamp translated cells with the hash of their current English source; returns the ids stamped.

    ``cell_ids`` None stamps every markdown cell whose text differs from the English (i.e. translated);
    ``text`` {cell id: Chinese markdown} sets the translation at the same time.

    Parameters
    ----------
    en_path : str or Path
        The English notebook; its Chinese edition (:func:`zh_path`) is synced first, then
        stamped and written.
    cell_ids : list of str or None, optional
        The markdown cells to stamp; ``None`` (default): every one whose text differs from the
        English.
    text : dict of str to str or None, optional
        ``{cell id: Chinese markdown}``: translations to set (blank lines at both ends
        stripped); these cells are stamped too.

    Returns
    -------
    list of str
        The ids stamped, in the notebook's order.

    Raises
    ------
    KeyError
        If ``cell_ids`` names a cell that is not a markdown cell of the notebook; nothing is
        written then.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import nbformat
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     en_path = Path(tmp) / "01_value_leakage.ipynb"
    ...     nbformat.write(new_notebook(cells=[new_markdown_cell("# Value leakage", id="intro")]), str(en_path))
    ...     stamped = accept(en_path, text={"intro": "# 价值泄漏"})
    ...     after = sync_file(en_path, write=False)
    >>> stamped, after.stale
    (['intro'], [])
    """
    en_path = Path(en_path)
    target = zh_path(en_path)
    en_nb = _read(en_path)
    zh_nb, _ = sync(en_nb, _read(target) if target.exists() else None)
    en = {c.get("id"): c for c in en_nb.cells}
    text = text or {}
    wanted = set(cell_ids) if cell_ids is not None else None
    done = []
    for z in zh_nb.cells:
        cid = z.get("id")
        if z.cell_type != "markdown":
            continue
        if cid in text:
            z.source = text[cid].strip("\n")
        if wanted is not None and cid not in wanted and cid not in text:
            continue
        if wanted is None and cid not in text and z.source == en[cid].source:
            continue
        z.metadata.setdefault(META_KEY, {})["en_sha"] = en_sha(en[cid].source)
        done.append(cid)
    unknown = (wanted or set()) - {c.get("id") for c in zh_nb.cells if c.cell_type == "markdown"}
    if unknown:
        raise KeyError(f"{en_path.name} has no markdown cell {', '.join(sorted(unknown))}")
    _write(zh_nb, target)
    return done


# ------------------------------------------------------------------ is it Chinese?
_STRIP = [
    re.compile(r"```.*?```", re.S),            # code blocks
    re.compile(r"\$\$.*?\$\$", re.S),          # display math
    re.compile(r"\\begin\{(\w+\*?)\}.*?\\end\{\1\}", re.S),
    re.compile(r"\$[^$\n]+\$"),               # inline math
    re.compile(r"`[^`\n]+`"),                  # code spans
    re.compile(r"\]\([^)]*\)"),                # link targets
    re.compile(r"https?://\S+"),               # URLs
    re.compile(r"<[^>]+>"),                    # HTML tags
    re.compile(r"\b[A-Z][A-Za-z]*(?:\s+(?:and|et al\.?|&)\s+[A-Z][A-Za-z]*)\b"),  # "Gupta and Lehmann"
]


def prose_letters(markdown: str) -> tuple[int, int]:
    """(CJK characters, Latin letters) of the prose of ``markdown``, without formulas, code, links, URLs.

    Parameters
    ----------
    markdown : str
        A markdown cell's source.

    Returns
    -------
    tuple of (int, int)
        CJK ideographs (basic block and extension A) and Latin letters (ASCII or accented),
        after code blocks and spans, LaTeX, link targets, URLs, HTML tags and author pairs
        such as "Gupta and Lehmann" are taken out.

    Examples
    --------
    >>> prose_letters("价值泄漏 (value leakage): $P - \\\\rho P$")
    (4, 12)
    """
    text = markdown
    for pat in _STRIP:
        text = pat.sub(" ", text)
    cjk = latin = 0
    for ch in text:
        if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
            cjk += 1
        elif ch.isascii() and ch.isalpha():
            latin += 1
        elif unicodedata.category(ch).startswith("L") and not ch.isascii():
            latin += 1 if unicodedata.name(ch, "").startswith("LATIN") else 0
    return cjk, latin


def cjk_share(markdown: str) -> float | None:
    """Share of CJK characters among the letters of the prose (None when there is no prose).

    A Chinese character carries about a word, an English word about five letters: Chinese prose
    with English terms in brackets and names stays well above 0.5, English prose is 0.

    Parameters
    ----------
    markdown : str
        A markdown cell's source.

    Returns
    -------
    float or None
        CJK / (CJK + Latin) of :func:`prose_letters`, a share 0-1; ``None`` when the cell has
        no prose letters (only formulas or code, say).

    Notes
    -----
    A short heading with its English term in brackets can fall below 0.5: "价值泄漏 (value
    leakage)" has 4 characters against 12 letters, 0.25.

    Examples
    --------
    >>> round(cjk_share("退货折价处理时损失的价值叫作价值泄漏 (value leakage)"), 2)
    0.6
    >>> cjk_share("The value leaks."), cjk_share("$P - \\\\rho P$")
    (0.0, None)
    """
    cjk, latin = prose_letters(markdown)
    return None if cjk + latin == 0 else cjk / (cjk + latin)
