"""The course site: every notebook of the series executed and rendered as a static HTML page.

``python -m aftersales site [--notebooks DIR] [--out DIR]`` (or ``make site``) runs each notebook
of the series with a fresh kernel, renders it with nbconvert's HTML exporter (JupyterLab look,
outputs kept, figures embedded as data URIs) and writes:

- ``DIR/index.html``: the series in order, with links to every page and to the scenario files;
- ``DIR/NN_name.html``: one page per notebook, with links to the previous and next page;
- ``DIR/data/scenarios/*.toml``: the scenario files the package ships, so links to them work;
- any other project file a notebook links to (e.g. ``docs/...``), at its project path;
- ``DIR/site.json``: the list of pages (file, title, source notebook, number of figures).

- ``DIR/zh/...``: the Chinese edition (``notebooks/zh/*.ipynb``, same file names), when that
  folder holds notebooks, with its own index;
- ``DIR/mathjax/``: MathJax, copied from the installed ``jupyter-server-mathjax``, so formulas
  render without a network.

The series' order and the pages' titles (English, and Chinese for the ``zh/`` edition) are the
table of contents' (:func:`aftersales.course.toc.series`, the package's ``data/toc.toml``). The
notebooks themselves are not package data: the site is built from the notebooks folder of a
checkout (``--notebooks``, by default ``notebooks`` in the current folder), and the files they
link to are found beside it. A notebook of that folder the table of contents does not list is
not dropped and not slipped into the series: it is published after the series, under "Other
notebooks" on the index, with its own first heading as title, and the build logs a warning
naming it. A notebook the table of contents lists but the folder lacks is left out, with a
warning.

Links between notebooks (``03_x.ipynb``) become links between pages (``03_x.html``). The folder
is self-contained: copy it to any web host. Explorers (ipywidgets, which do not run on a static
page) are shown as the pictures they drew, with a pointer to the what-if app. Solutions are
folded behind a dropdown the reader opens on purpose; ``--hide-solutions`` leaves them out
(for a site students read before the homework is due); the notebooks still run with them, so
every check passes. Sub-folders of notebooks/ other than ``zh`` are not part of the series.
A notebook that fails stops the build with its name, cell and error; the previous build is then
left as it was.
"""
from __future__ import annotations

import argparse
import json
import re
import shutil
import sys
import time
from dataclasses import asdict, dataclass
from pathlib import Path
from urllib.parse import unquote

from aftersales.glossary import SITE_WORDS
from aftersales.resources import data_file
from aftersales.web.pages import (MATHJAX_URL, copy_mathjax, fold_solutions, hide_solutions, static_explorers,
                                  use_local_mathjax)

__all__ = ["PROJECT_DIR", "NOTEBOOK_DIR", "SITE_DIR", "Page", "SiteError", "Edition", "edition", "edition_warnings",
           "index_markdown", "series_notebooks", "notebook_title", "hide_solutions", "build_site"]

#: The defaults of ``aftersales site``, relative to the folder it runs in (a checkout's root):
#: the notebooks folder of the checkout, and the site folder it writes.
NOTEBOOK_DIR = Path("notebooks")
SITE_DIR = Path("_site")
#: The project folder: the one the notebooks folder is in (the files a notebook links to are there).
PROJECT_DIR = NOTEBOOK_DIR.parent
#: Where the site holds the scenario files (copied from the package's data).
SCENARIO_SUBDIR = Path("data") / "scenarios"
SITE_TITLE = SITE_WORDS["en"]["title"]


class SiteError(ValueError):
    """The site cannot be built (a notebook fails, no notebooks, a bad output folder).

    A ``ValueError``: ``python -m aftersales site`` shows its message as the one error line.

    Parameters
    ----------
    message : str
        One line naming the notebook and cell, or the folder, and what is wrong.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     (Path(folder) / "notebooks").mkdir()
    ...     try:
    ...         build_site(Path(folder) / "_site", Path(folder) / "notebooks")
    ...     except SiteError as err:
    ...         str(err).startswith("no notebooks (*.ipynb) in ")
    True
    """


@dataclass(frozen=True)
class Page:
    """One page of the site: ``file`` relative to the site folder, ``figures`` = PNG outputs.

    One entry of ``site.json``'s ``pages`` (its keys are the field names).

    Parameters
    ----------
    file : str
        The page, relative to the site folder (``"03_lifecycle_extension.html"``,
        ``"zh/index.html"``).
    title : str
        The page's title (the table of contents' heading, or the notebook's first heading).
    source : str
        The notebook it was made from, relative to the project folder (empty for an index).
    figures : int
        PNG figures on the page, the pictures of static explorers included.

    Examples
    --------
    >>> from dataclasses import asdict
    >>> asdict(Page("index.html", "After-sales economics", "", 0))
    {'file': 'index.html', 'title': 'After-sales economics', 'source': '', 'figures': 0}
    """

    file: str
    title: str
    source: str
    figures: int


@dataclass(frozen=True)
class Edition:
    """The notebooks of one edition's folder, as the site publishes them.

    ``notebooks``: the series in the table of contents' order, then the notebooks it does not
    list (by name); ``titles``: file name -> the table of contents' heading in the edition's
    language (``"03 Lifecycle extension: ..."``), for the notebooks it lists; ``unlisted``: the
    file names it does not list; ``missing``: the file names it lists that the folder lacks.

    Made by :func:`edition`.

    Parameters
    ----------
    notebooks : list of pathlib.Path
        The notebooks to publish, in order.
    titles : dict of str to str
        File name -> page title, for the notebooks the table of contents lists.
    unlisted : list of str
        File names of the folder the table of contents does not list, sorted.
    missing : list of str
        File names the table of contents lists that the folder lacks, in its order.

    Examples
    --------
    >>> ed = Edition([], {}, unlisted=["99_extra.ipynb"], missing=[])
    >>> ed.unlisted, ed.notebooks
    (['99_extra.ipynb'], [])
    """

    notebooks: list[Path]
    titles: dict[str, str]
    unlisted: list[str]
    missing: list[str]


def edition(notebook_dir: str | Path = NOTEBOOK_DIR, lang: str = "en") -> Edition:
    """The notebooks of ``notebook_dir`` (``*.ipynb`` directly in it, not hidden, not ``_draft``)
    against the table of contents, with their titles in ``lang`` ("en" or "zh").

    Parameters
    ----------
    notebook_dir : str or pathlib.Path, optional
        The folder (default :data:`NOTEBOOK_DIR`, ``notebooks`` of the current folder). Only file
        names are looked at: the notebooks are not read.
    lang : {"en", "zh"}, optional
        Language of the titles; any value other than ``"zh"`` gives English.

    Returns
    -------
    Edition

    Notes
    -----
    Files whose name starts with ``.`` or ``_`` are drafts, left out and not reported. The table
    of contents is the package's ``data/toc.toml`` (:func:`aftersales.course.toc.series`).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = tempfile.TemporaryDirectory()
    >>> notebooks = Path(folder.name) / "notebooks"
    >>> notebooks.mkdir()
    >>> for name in ("01_value_leakage.ipynb", "00_start_here.ipynb", "99_extra.ipynb", "_draft.ipynb"):
    ...     _ = (notebooks / name).write_text("{}", encoding="utf-8")
    >>> ed = edition(notebooks)
    >>> [p.name for p in ed.notebooks], ed.unlisted
    (['00_start_here.ipynb', '01_value_leakage.ipynb', '99_extra.ipynb'], ['99_extra.ipynb'])
    >>> ed.titles["01_value_leakage.ipynb"], len(ed.missing)
    ('01 Value leakage: what a discounted return really loses', 6)
    >>> folder.cleanup()
    """
    from aftersales.course.toc import series

    d = Path(notebook_dir)
    present = {p.name: p for p in d.glob("*.ipynb") if p.is_file() and not p.name.startswith((".", "_"))}
    toc = series()
    listed = [e for e in toc if e.file in present]
    unlisted = sorted(set(present) - {e.file for e in toc})
    return Edition(notebooks=[present[e.file] for e in listed] + [present[n] for n in unlisted],
                   titles={e.file: e.heading("zh" if lang == "zh" else "en") for e in listed},
                   unlisted=unlisted, missing=[e.file for e in toc if e.file not in present])


def series_notebooks(notebook_dir: str | Path = NOTEBOOK_DIR) -> list[Path]:
    """The notebooks the site publishes from ``notebook_dir``, in order: those the table of
    contents lists, in its order, then the others, by name (see :func:`edition`).

    Parameters
    ----------
    notebook_dir : str or pathlib.Path, optional
        The folder (default :data:`NOTEBOOK_DIR`).

    Returns
    -------
    list of pathlib.Path

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> folder = tempfile.TemporaryDirectory()
    >>> notebooks = Path(folder.name) / "notebooks"
    >>> notebooks.mkdir()
    >>> for name in ("01_value_leakage.ipynb", "00_start_here.ipynb", "99_extra.ipynb", "_draft.ipynb"):
    ...     _ = (notebooks / name).write_text("{}", encoding="utf-8")
    >>> [p.name for p in series_notebooks(notebooks)]
    ['00_start_here.ipynb', '01_value_leakage.ipynb', '99_extra.ipynb']
    >>> folder.cleanup()
    """
    return edition(notebook_dir).notebooks


_HEADING = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", re.M)


def notebook_title(nb, default: str) -> str:
    """The first level-1 heading of a notebook's first markdown cells, else ``default``.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook.
    default : str
        The title when no markdown cell has a ``# heading`` (the site passes the file's stem).

    Returns
    -------
    str
        The heading's text as it reads rendered: without the ``#`` marks, the ``*`` of emphasis,
        the ``_`` of emphasis (``_word_``, ``__word__``) and the backticks of code spans.

    Notes
    -----
    The first markdown cell that has a level-1 heading gives it, wherever it is in the notebook.
    An underscore inside a word is kept, as Markdown shows it (``price_elasticity``, ``a_0``):
    only underscores that open or close a word are emphasis and dropped. The text of a code span
    is kept whole, its underscores and asterisks included.

    Examples
    --------
    >>> from nbformat.v4 import new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[new_markdown_cell("Intro text"),
    ...                          new_markdown_cell("## Part\\n# **Extra**: a `repair` case")])
    >>> notebook_title(nb, "99_extra"), notebook_title(new_notebook(), "99_extra")
    ('Extra: a repair case', '99_extra')
    >>> notebook_title(new_notebook(cells=[new_markdown_cell("# _The_ price_elasticity of a_0")]), "x")
    'The price_elasticity of a_0'
    """
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = _HEADING.search(cell.source)
            if m:
                return _plain_heading(m.group(1))
    return default


def _plain_heading(text: str) -> str:
    """A heading's Markdown as plain text: code spans kept whole, emphasis marks dropped."""
    parts = re.split(r"`([^`]*)`", text)       # odd items: the text inside a code span
    out = [p if i % 2 else re.sub(r"(?<!\w)_+|_+(?!\w)", "", p.replace("*", ""))
           for i, p in enumerate(parts)]
    return "".join(out).strip()


# ----------------------------------------------------------------------------- links
#: ``[text](target)`` (not images), ``<a href="target">``.
_MD_LINK = re.compile(r"(?<!!)(\[[^\]]*\]\()(<?)([^)\s>]+)(>?)((?:\s+\"[^\"]*\")?\))")
_HTML_HREF = re.compile(r"""(<a\b[^>]*?\bhref=)(["'])([^"']+)(\2)""", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


class _Links:
    """Rewrites the links of markdown cells for the site; records files to copy and dead links."""

    def __init__(self, notebook_dir: Path, project_dir: Path, page_of: dict[str, str], prefix: str = ""):
        self.notebook_dir, self.project_dir, self.page_of = notebook_dir, project_dir, page_of
        self.prefix = prefix                  # from a page to the site's root ("../" for zh/)
        self.copies: dict[Path, Path] = {}   # project file -> path inside the site
        self.dead: list[str] = []
        self._source = ""

    def target(self, link: str) -> str:
        if not link or link.startswith("#") or _SCHEME.match(link) or link.startswith("/"):
            return link
        path, sep, anchor = link.partition("#")
        path_only = path.split("?", 1)[0]
        name = Path(unquote(path_only)).name
        if name in self.page_of:                           # another notebook of the series
            return self.page_of[name] + sep + anchor
        src = (self.notebook_dir / unquote(path_only)).resolve()
        try:
            rel = src.relative_to(self.project_dir)
        except ValueError:
            rel = None
        if rel is not None and src.is_file():             # a project file: copy it along
            self.copies[src] = rel
            return self.prefix + rel.as_posix() + sep + anchor
        if rel is not None and src.is_dir():
            self.dead.append(f"{self._source}: link to a folder {link!r} (the site only holds files)")
            return link
        self.dead.append(f"{self._source}: link to {link!r}, which does not exist")
        return link

    def rewrite(self, text: str, source: str) -> str:
        self._source = source
        text = _MD_LINK.sub(lambda m: m.group(1) + m.group(2) + self.target(m.group(3)) + m.group(4)
                            + m.group(5), text)
        return _HTML_HREF.sub(lambda m: m.group(1) + m.group(2) + self.target(m.group(3)) + m.group(4),
                              text)


# ----------------------------------------------------------------------------- build
def _execute(path: Path, timeout: int, kernel_name: str):
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError, CellTimeoutError

    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name=kernel_name, store_widget_state=True,
                            resources={"metadata": {"path": str(path.parent)}})
    try:
        client.execute()
    except CellTimeoutError as exc:
        raise SiteError(f"{path.name}: a cell ran longer than {timeout} s ({exc})") from None
    except CellExecutionError as exc:
        cell = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code" and any(
            o.get("output_type") == "error" for o in c.get("outputs", []))), None)
        where = f"cell {cell}" if cell is not None else "a cell"
        raise SiteError(f"{path.name} failed in {where}: {exc.ename}: {exc.evalue}") from None
    return nb


def _count_figures(nb) -> int:
    """PNG figures in the outputs, the static pictures of explorers included."""
    n = 0
    for c in nb.cells:
        for o in c.get("outputs", []) if c.cell_type == "code" else []:
            data = o.get("data", {})
            n += 1 if "image/png" in data else str(data.get("text/html", "")).count('src="data:image/png')
    return n


def _exporter(depth: int = 0):
    """nbconvert's HTML exporter; MathJax from the site's own copy (``depth`` folders below the root)."""
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", embed_images=True, theme="light",
                        mathjax_url="../" * depth + MATHJAX_URL)


def _markdown_notebook(title: str, text: str):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["title"] = title
    nb.cells.append(nbformat.v4.new_markdown_cell(text))
    return nb


def _md_escape(text: str) -> str:
    return re.sub(r"([\[\]])", r"\\\1", text)


def _copy_favicon(out: Path) -> None:
    """Jupyter's icon as the site's favicon (browsers ask every host for /favicon.ico)."""
    try:
        import jupyter_server
    except ImportError:  # pragma: no cover - installed with jupyterlab
        return
    ico = Path(jupyter_server.__file__).parent / "static" / "favicon.ico"
    if ico.is_file():
        shutil.copy2(ico, out / "favicon.ico")


#: The words of the site, per edition (the glossary's).
_WORDS = SITE_WORDS


def _nav_words(prev, nxt, w) -> str:
    parts = [f"[{w['index']}](index.html)"]
    if prev:
        parts.append(f"{w['prev']}: [{_md_escape(prev[1])}]({prev[0]})")
    if nxt:
        parts.append(f"{w['next']}: [{_md_escape(nxt[1])}]({nxt[0]})")
    return " · ".join(parts)


def edition_warnings(ed: Edition, folder: str) -> list[str]:
    """The warnings of one edition against the table of contents (``folder`` names it in them).

    Parameters
    ----------
    ed : Edition
        The edition (:func:`edition`).
    folder : str
        How the warnings name its folder (``"notebooks"``, ``"notebooks/zh"``).

    Returns
    -------
    list of str
        One warning per unlisted notebook, then one for all the missing ones (if any).

    Examples
    --------
    >>> edition_warnings(Edition([], {}, ["99_extra.ipynb"], []), "notebooks")[0].split(":")[0]
    'notebooks/99_extra.ipynb is not in the table of contents (aftersales/data/toc.toml)'
    """
    out = [f"{folder}/{name} is not in the table of contents (aftersales/data/toc.toml): published after "
           f"the series, under \"Other notebooks\"" for name in ed.unlisted]
    if ed.missing:
        out.append(f"{folder} lacks {len(ed.missing)} notebook(s) of the table of contents, left out of the "
                   f"site: {', '.join(ed.missing)}")
    return out


def index_markdown(w: dict, series: list[tuple[str, str]], others: list[tuple[str, str]],
                   scenarios: list[str], other_edition: str | None = None, prefix: str = "") -> str:
    """The Markdown of an edition's index page.

    ``w``: the edition's words (:data:`aftersales.glossary.SITE_WORDS`); ``series`` and ``others``:
    (page file, title) of the notebooks the table of contents lists, in its order, and of those it
    does not list (under their own heading, after the series); ``scenarios``: scenario file names;
    ``other_edition``: the link to the other language's index; ``prefix``: from the page to the
    site's root.

    Parameters
    ----------
    w : dict of str to str
        The edition's words (``SITE_WORDS["en"]`` or ``SITE_WORDS["zh"]``).
    series : list of (str, str)
        (page file, title) of the notebooks the table of contents lists, in its order.
    others : list of (str, str)
        (page file, title) of the notebooks it does not list; their section is left out when empty.
    scenarios : list of str
        Scenario file names, linked under ``data/scenarios/``; the section is left out when empty.
    other_edition : str, optional
        Link to the other language's index (``"zh/index.html"``); none by default.
    prefix : str, optional
        Path from the page to the site's root (``"../"`` for ``zh/``; empty by default).

    Returns
    -------
    str
        The Markdown: title, the other edition's link, introduction, the series, the other
        notebooks, the scenario files and the what-if app, one section each.

    Examples
    --------
    >>> from aftersales.glossary import SITE_WORDS
    >>> text = index_markdown(SITE_WORDS["en"], [("01_value_leakage.html", "01 Value [leakage]")], [],
    ...                       ["seed-demo.toml"], "zh/index.html")
    >>> [line for line in text.splitlines() if line.startswith(("#", "-", "["))]
    ['# After-sales economics for fashion brands (服装品牌售后经济学)', '[中文版 (Chinese edition)](zh/index.html)', \
'## The series', '- [01 Value \\\\[leakage\\\\]](01_value_leakage.html)', '## Scenario files (情景文件)', \
'- [seed-demo.toml](data/scenarios/seed-demo.toml)', '## What-if app']
    """
    lines = [f"# {w['title']}", ""]
    if other_edition:
        lines += [f"[{w['other']}]({other_edition})", ""]
    lines += [w["intro"], "", f"## {w['series']}", ""]
    lines += [f"- [{_md_escape(title)}]({page})" for page, title in series]
    if others:
        lines += ["", f"## {w['others']}", "", w["others_intro"], ""]
        lines += [f"- [{_md_escape(title)}]({page})" for page, title in others]
    if scenarios:
        lines += ["", f"## {w['scenarios']}", "", w["scenarios_intro"], ""]
        lines += [f"- [{name}]({prefix}{(SCENARIO_SUBDIR / name).as_posix()})" for name in scenarios]
    lines += ["", f"## {w['app']}", "", w["app_intro"]]
    return "\n".join(lines)


def _edition(executed, out: Path, project_dir: Path, notebook_dir: Path, lang: str, solutions: bool,
             scenarios: list[Path], other: str | None, unlisted: set[str]) -> tuple[list[Page], "_Links"]:
    """Render one edition's executed notebooks into ``out`` (the site's root or its zh/ folder)."""
    import nbformat

    w, depth = _WORDS[lang], 0 if lang == "en" else 1
    prefix = "../" * depth
    page_of = {p.name: p.stem + ".html" for p, _, _ in executed}
    links = _Links(notebook_dir, project_dir.resolve(), page_of, prefix)
    exporter = _exporter(depth)
    pages: list[Page] = []
    out.mkdir(parents=True, exist_ok=True)
    for i, (path, nb, title) in enumerate(executed):
        if solutions:
            fold_solutions(nb, w["solution"])
        else:
            hide_solutions(nb)
        static_explorers(nb, w["explorer"])
        prev = (page_of[executed[i - 1][0].name], executed[i - 1][2]) if i > 0 else None
        nxt = (page_of[executed[i + 1][0].name], executed[i + 1][2]) if i + 1 < len(executed) else None
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = links.rewrite(cell.source, path.name)
        nav = _nav_words(prev, nxt, w)
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(nav))
        nb.cells.append(nbformat.v4.new_markdown_cell(nav))
        nb.metadata["title"] = title
        body, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": path.stem, "path": str(path.parent)}})
        (out / page_of[path.name]).write_text(use_local_mathjax(body), encoding="utf-8")
        rel = path.relative_to(project_dir).as_posix() if path.is_relative_to(project_dir) else path.name
        pages.append(Page(prefix and f"zh/{page_of[path.name]}" or page_of[path.name], title, rel, _count_figures(nb)))
    entries = [(path.name, (page_of[path.name], title)) for path, _, title in executed]
    text = index_markdown(w, [e for name, e in entries if name not in unlisted],
                          [e for name, e in entries if name in unlisted], [src.name for src in scenarios],
                          other, prefix)
    body, _ = exporter.from_notebook_node(_markdown_notebook(w["title"], text),
                                          resources={"metadata": {"name": "index"}})
    (out / "index.html").write_text(use_local_mathjax(body), encoding="utf-8")
    pages.insert(0, Page(f"{prefix and 'zh/'}index.html", w["title"], "", 0))
    return pages, links


def _no_log(message: str) -> None:
    """The default ``log`` of :func:`build_site`: the library prints nothing (the CLI passes ``print``)."""


def build_site(out: str | Path = SITE_DIR, notebook_dir: str | Path = NOTEBOOK_DIR, *,
               timeout: int = 600, kernel_name: str = "python3", solutions: bool = True,
               log=_no_log) -> list[Page]:
    """Execute and render the series into ``out``; returns the pages (index first, then the
    English pages, then the Chinese edition's index and pages when ``notebook_dir/zh`` has any).

    ``notebook_dir`` is the notebooks folder of a checkout (the notebooks are not package data);
    the order and the titles are the table of contents' (see the module). The scenario files
    are the package's. ``log`` receives one line per notebook executed and every warning (a
    notebook the table of contents does not list, a dead link); by default nothing is shown.

    ``solutions=False`` leaves the exercise solutions (and their outputs) out of the pages, e.g.
    for a site students read before the homework is due; the notebooks still run with them.
    Otherwise each solution is folded behind a dropdown.

    ``out`` is emptied first; it must be a folder named ``_site`` or an empty/new folder or a
    folder that holds a previous build (a ``site.json``), so nothing else is ever deleted.
    Raises SiteError naming the notebook and cell when a notebook fails.

    Parameters
    ----------
    out : str or pathlib.Path, optional
        The site folder (default :data:`SITE_DIR`, ``_site``).
    notebook_dir : str or pathlib.Path, optional
        The notebooks folder of a checkout (default :data:`NOTEBOOK_DIR`); its parent is the
        project folder, where linked files are found.
    timeout : int, optional
        Seconds one cell may run (default 600).
    kernel_name : str, optional
        The Jupyter kernel that runs the notebooks (default ``"python3"``).
    solutions : bool, optional
        Fold the solutions behind a dropdown (True, the default) or leave them out (False).
    log : callable, optional
        Called with each line of progress and every warning; by default nothing is shown.

    Returns
    -------
    list of Page
        The pages, as written to ``out/site.json``.

    Raises
    ------
    SiteError
        If the folder holds no notebook, ``out`` is a file, holds other files than a previous
        build or contains the notebooks, or a notebook fails or a cell runs past ``timeout``.
        Every notebook is run before ``out`` is touched, so a failure leaves the previous build.

    Notes
    -----
    A real build runs every notebook with a kernel and takes minutes; the example only shows a
    refusal, which comes before anything runs.

    Examples
    --------
    A folder that holds other files is not emptied:

    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     notebooks, mine = Path(folder) / "notebooks", Path(folder) / "mine"
    ...     notebooks.mkdir()
    ...     mine.mkdir()
    ...     _ = (notebooks / "00_start_here.ipynb").write_text("{}", encoding="utf-8")
    ...     _ = (mine / "notes.txt").write_text("keep me", encoding="utf-8")
    ...     try:
    ...         build_site(mine, notebooks)
    ...     except SiteError as err:
    ...         str(err).split("; ")[1], (mine / "notes.txt").read_text(encoding="utf-8")
    ('choose an empty or new folder', 'keep me')
    """
    out, notebook_dir = Path(out).resolve(), Path(notebook_dir).resolve()
    project_dir = notebook_dir.parent
    plans = {"en": edition(notebook_dir, "en")}
    if (notebook_dir / "zh").is_dir() and edition(notebook_dir / "zh", "zh").notebooks:
        plans["zh"] = edition(notebook_dir / "zh", "zh")
    if not plans["en"].notebooks:
        raise SiteError(f"no notebooks (*.ipynb) in {notebook_dir}; the site is built from the notebooks "
                        "folder of a checkout (--notebooks DIR)")
    if out.exists():
        if not out.is_dir():
            raise SiteError(f"{out} exists and is not a folder")
        if any(out.iterdir()) and out.name != "_site" and not (out / "site.json").is_file():
            raise SiteError(f"{out} holds files that are not a previous site build; "
                            "choose an empty or new folder")
        if notebook_dir == out or notebook_dir.is_relative_to(out) or project_dir == out:
            raise SiteError(f"{out} contains the notebooks; choose another output folder")
    warnings = [msg for lang, plan in plans.items()
                for msg in edition_warnings(plan, notebook_dir.name + ("/zh" if lang == "zh" else ""))]
    for msg in warnings:
        log(f"warning: {msg}")

    executed: dict[str, list] = {}
    total = sum(len(plan.notebooks) for plan in plans.values())
    k = 0
    for lang, plan in plans.items():
        executed[lang] = []
        for path in plan.notebooks:
            k += 1
            t0 = time.perf_counter()
            nb = _execute(path, timeout, kernel_name)
            log(f"[{k}/{total}] {path.relative_to(notebook_dir)} executed in {time.perf_counter() - t0:.1f} s")
            executed[lang].append((path, nb, plan.titles.get(path.name) or notebook_title(nb, path.stem)))
    if out.exists():                       # every notebook ran: only now replace the old build
        shutil.rmtree(out)
    out.mkdir(parents=True)

    scenarios = sorted(data_file("scenarios").glob("*.toml"))    # the package's, wherever it is installed
    pages, links = _edition(executed["en"], out, project_dir, notebook_dir, "en", solutions, scenarios,
                            "zh/index.html" if "zh" in executed else None, set(plans["en"].unlisted))
    all_links = [links]
    if "zh" in executed:
        zh_pages, zh_links = _edition(executed["zh"], out / "zh", project_dir, notebook_dir / "zh", "zh", solutions,
                                      scenarios, "../index.html", set(plans["zh"].unlisted))
        pages += zh_pages
        all_links.append(zh_links)
    copies = {SCENARIO_SUBDIR / src.name: src for src in scenarios}     # site path -> source file
    for lk in all_links:
        copies.update({rel: src for src, rel in lk.copies.items()})
    for rel, src in sorted(copies.items()):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, out / rel)
    _copy_favicon(out)
    if copy_mathjax(out) is None:
        log("warning: jupyter-server-mathjax is not installed: the pages load MathJax from a CDN")

    (out / "site.json").write_text(json.dumps({"pages": [asdict(p) for p in pages]}, indent=2,
                                              ensure_ascii=False) + "\n", encoding="utf-8")
    for lk in all_links:
        for msg in lk.dead:
            log(f"warning: {msg}")
    for msg in warnings:                  # again at the end, where a reader of the log looks
        log(f"warning: {msg}")
    log(f"Site written to {out}: {len(pages)} pages, {sum(p.figures for p in pages)} figures, "
        f"{len(copies)} linked files; open {out / 'index.html'}")
    return pages
