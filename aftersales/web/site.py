"""The course site: every notebook of the series executed and rendered as a static HTML page.

``python -m aftersales.web.site [--out DIR]`` (or ``make site``) runs each ``notebooks/NN_*.ipynb``
in order with a fresh kernel, renders it with nbconvert's HTML exporter (JupyterLab look,
outputs kept, figures embedded as data URIs) and writes:

- ``DIR/index.html``: the series in order, with links to every page and to the scenario files;
- ``DIR/NN_name.html``: one page per notebook, with links to the previous and next page;
- ``DIR/data/scenarios/*.toml``: the scenario files, so links to them work;
- any other project file a notebook links to (e.g. ``docs/...``), at its project path;
- ``DIR/site.json``: the list of pages (file, title, source notebook, number of figures).

Links between notebooks (``03_x.ipynb``) become links between pages (``03_x.html``). The folder
is self-contained: copy it to any web host (formulas and interactive widgets load their scripts
from public CDNs when online; everything else, figures included, is in the folder).
Sub-folders of notebooks/ (such as the what-if app) are not part of the series.

``--hide-solutions`` leaves the exercise solutions out of the pages (for a site students read
before the homework is due); the notebooks still run with them, so every check passes.
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

__all__ = ["PROJECT_DIR", "NOTEBOOK_DIR", "SITE_DIR", "Page", "SiteError", "series_notebooks",
           "notebook_title", "hide_solutions", "build_site"]

#: In a checkout, the project folder; installed from a wheel, the current folder.
PROJECT_DIR = (Path(__file__).resolve().parents[2] if (Path(__file__).resolve().parents[2] / "notebooks").is_dir()
               else Path.cwd())
NOTEBOOK_DIR = PROJECT_DIR / "notebooks"
SITE_DIR = PROJECT_DIR / "_site"
SCENARIO_SUBDIR = Path("data") / "scenarios"
SITE_TITLE = "After-sales economics for fashion brands (服装品牌售后经济学)"


class SiteError(ValueError):
    """The site cannot be built (a notebook fails, no notebooks, a bad output folder)."""


@dataclass(frozen=True)
class Page:
    """One page of the site: ``file`` relative to the site folder, ``figures`` = PNG outputs."""

    file: str
    title: str
    source: str
    figures: int


def series_notebooks(notebook_dir: str | Path = NOTEBOOK_DIR) -> list[Path]:
    """The notebooks of the series, in order (``*.ipynb`` directly in the folder, sorted by name)."""
    d = Path(notebook_dir)
    return sorted(p for p in d.glob("*.ipynb") if p.is_file() and not p.name.startswith((".", "_")))


_HEADING = re.compile(r"^\s{0,3}#\s+(.+?)\s*#*\s*$", re.M)


def notebook_title(nb, default: str) -> str:
    """The first level-1 heading of a notebook's first markdown cells, else ``default``."""
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            m = _HEADING.search(cell.source)
            if m:
                return re.sub(r"[*_`]", "", m.group(1)).strip()
    return default


# ----------------------------------------------------------------------------- links
#: ``[text](target)`` (not images), ``<a href="target">``.
_MD_LINK = re.compile(r"(?<!!)(\[[^\]]*\]\()(<?)([^)\s>]+)(>?)((?:\s+\"[^\"]*\")?\))")
_HTML_HREF = re.compile(r"""(<a\b[^>]*?\bhref=)(["'])([^"']+)(\2)""", re.I)
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:", re.I)


class _Links:
    """Rewrites the links of markdown cells for the site; records files to copy and dead links."""

    def __init__(self, notebook_dir: Path, project_dir: Path, page_of: dict[str, str]):
        self.notebook_dir, self.project_dir, self.page_of = notebook_dir, project_dir, page_of
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
            return rel.as_posix() + sep + anchor
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


_SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION.*?^[ \t]*### END SOLUTION[^\n]*\n?", re.M | re.S)


def hide_solutions(nb) -> int:
    """Replace every solution (between ``### BEGIN SOLUTION`` and ``### END SOLUTION``) by a note
    and drop that cell's outputs, in place; returns the number of cells changed."""
    n = 0
    for cell in nb.cells:
        if cell.cell_type == "code" and _SOLUTION.search(cell.source):
            cell.source = _SOLUTION.sub("# (the solution is not shown on this site)\n", cell.source)
            cell.outputs = []
            cell.execution_count = None
            n += 1
    return n


def _count_figures(nb) -> int:
    return sum(1 for c in nb.cells if c.cell_type == "code" for o in c.get("outputs", [])
               if "image/png" in o.get("data", {}))


def _exporter():
    from nbconvert import HTMLExporter

    return HTMLExporter(template_name="lab", embed_images=True, theme="light")


def _markdown_notebook(title: str, text: str):
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.metadata["title"] = title
    nb.cells.append(nbformat.v4.new_markdown_cell(text))
    return nb


def _nav(prev: tuple[str, str] | None, nxt: tuple[str, str] | None) -> str:
    parts = ["[Course index](index.html)"]
    if prev:
        parts.append(f"Previous: [{prev[1]}]({prev[0]})")
    if nxt:
        parts.append(f"Next: [{nxt[1]}]({nxt[0]})")
    return " · ".join(parts)


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


def build_site(out: str | Path = SITE_DIR, notebook_dir: str | Path = NOTEBOOK_DIR, *,
               timeout: int = 600, kernel_name: str = "python3", solutions: bool = True,
               log=print) -> list[Page]:
    """Execute and render the series into ``out``; returns the pages (index first).

    ``solutions=False`` hides the exercise solutions (and their outputs) on the pages, e.g. for a
    site students read before the homework is due; the notebooks still run with them.

    ``out`` is emptied first; it must be a folder named ``_site`` or an empty/new folder or a
    folder that holds a previous build (a ``site.json``), so nothing else is ever deleted.
    Raises SiteError naming the notebook and cell when a notebook fails.
    """
    import nbformat

    out, notebook_dir = Path(out).resolve(), Path(notebook_dir).resolve()
    project_dir = notebook_dir.parent
    notebooks = series_notebooks(notebook_dir)
    if not notebooks:
        raise SiteError(f"no notebooks (*.ipynb) in {notebook_dir}")
    if out.exists():
        if not out.is_dir():
            raise SiteError(f"{out} exists and is not a folder")
        if any(out.iterdir()) and out.name != "_site" and not (out / "site.json").is_file():
            raise SiteError(f"{out} holds files that are not a previous site build; "
                            "choose an empty or new folder")
        if notebook_dir == out or notebook_dir.is_relative_to(out) or project_dir == out:
            raise SiteError(f"{out} contains the notebooks; choose another output folder")

    page_of = {p.name: p.stem + ".html" for p in notebooks}
    links = _Links(notebook_dir, project_dir.resolve(), page_of)
    exporter = _exporter()
    pages: list[Page] = []
    executed = []
    for i, path in enumerate(notebooks, 1):
        t0 = time.perf_counter()
        nb = _execute(path, timeout, kernel_name)
        if not solutions:
            hide_solutions(nb)
        log(f"[{i}/{len(notebooks)}] {path.name} executed in {time.perf_counter() - t0:.1f} s")
        executed.append((path, nb, notebook_title(nb, path.stem)))
    if out.exists():                       # every notebook ran: only now replace the old build
        shutil.rmtree(out)
    out.mkdir(parents=True)

    for i, (path, nb, title) in enumerate(executed):
        prev = (page_of[executed[i - 1][0].name], executed[i - 1][2]) if i > 0 else None
        nxt = (page_of[executed[i + 1][0].name], executed[i + 1][2]) if i + 1 < len(executed) else None
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = links.rewrite(cell.source, path.name)
        nav = _nav(prev and (prev[0], _md_escape(prev[1])), nxt and (nxt[0], _md_escape(nxt[1])))
        nb.cells.insert(0, nbformat.v4.new_markdown_cell(nav))
        nb.cells.append(nbformat.v4.new_markdown_cell(nav))
        nb.metadata["title"] = title
        body, _ = exporter.from_notebook_node(
            nb, resources={"metadata": {"name": path.stem, "path": str(path.parent)}})
        (out / page_of[path.name]).write_text(body, encoding="utf-8")
        pages.append(Page(page_of[path.name], title, f"notebooks/{path.name}", _count_figures(nb)))

    scenario_dir = project_dir / SCENARIO_SUBDIR
    scenarios = sorted(scenario_dir.glob("*.toml"))
    for src in scenarios:
        links.copies[src.resolve()] = SCENARIO_SUBDIR / src.name
    for src, rel in sorted(links.copies.items()):
        (out / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, out / rel)

    _copy_favicon(out)
    lines = [f"# {SITE_TITLE}", "",
             "The notebook series of the course, executed, with every output and figure. "
             "Read the pages in order; to work with them, open the notebooks in JupyterLab.", "",
             "## The series", ""]
    for page in pages:
        lines.append(f"- [{_md_escape(page.title)}]({page.file})")
    if scenarios:
        lines += ["", "## Scenario files (情景文件)", "",
                  "The inputs of every case, as TOML files a notebook loads by name:", ""]
        for src in scenarios:
            lines.append(f"- [{src.name}]({(SCENARIO_SUBDIR / src.name).as_posix()})")
    lines += ["", "## What-if app", "",
              "Students who do not code can move the sliders of the P&L in the what-if app: "
              "`python -m aftersales app` starts it and prints its address."]
    index_nb = _markdown_notebook(SITE_TITLE, "\n".join(lines))
    body, _ = exporter.from_notebook_node(index_nb, resources={"metadata": {"name": "index"}})
    (out / "index.html").write_text(body, encoding="utf-8")
    pages.insert(0, Page("index.html", SITE_TITLE, "", 0))

    (out / "site.json").write_text(json.dumps({"pages": [asdict(p) for p in pages]}, indent=2,
                                              ensure_ascii=False) + "\n", encoding="utf-8")
    for msg in links.dead:
        log(f"warning: {msg}")
    log(f"Site written to {out}: {len(pages)} pages, {sum(p.figures for p in pages)} figures, "
        f"{len(links.copies)} linked files; open {out / 'index.html'}")
    return pages
