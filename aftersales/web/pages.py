"""What the site does to an executed notebook before it renders it as a page.

- :func:`hide_solutions`: leave the solutions out (``--hide-solutions``);
- :func:`fold_solutions`: show each solution folded, behind a dropdown the reader opens on purpose;
- :func:`static_explorers`: replace each explorer (ipywidgets do not run on a static page) by
  the pictures it drew and a pointer to the what-if app;
- :func:`copy_mathjax`: MathJax from the installed ``jupyter-server-mathjax`` package, copied
  into the site so formulas render without a network (:data:`MATHJAX_URL`, relative to a page).

A solution is a code cell tagged ``solution``, a cell whose ``jupyter.source_hidden`` metadata is
true, or the lines between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` of a code cell.
"""
from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

__all__ = ["SOLUTION_TAG", "MATHJAX_DIR", "MATHJAX_URL", "is_solution_cell", "hide_solutions",
           "fold_solutions", "static_explorers", "copy_mathjax", "use_local_mathjax", "MATHJAX_CONFIG"]

SOLUTION_TAG = "solution"
#: Where MathJax is copied inside the site, and the address a page at the site's root loads.
MATHJAX_DIR = "mathjax"
MATHJAX_URL = f"{MATHJAX_DIR}/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

_SOLUTION = re.compile(r"^[ \t]*### BEGIN SOLUTION.*?^[ \t]*### END SOLUTION[^\n]*\n?", re.M | re.S)
_NOTE = "# (the solution is not shown on this site)\n"


#: jupyter-server-mathjax ships the STIX-Web fonts only (no TeX fonts): tell MathJax to use them.
MATHJAX_CONFIG = ('<script type="text/x-mathjax-config">MathJax.Hub.Config({"HTML-CSS": {'
                  'availableFonts: ["STIX-Web"], preferredFont: "STIX-Web", webFont: "STIX-Web", imageFont: null}});'
                  '</script>\n')


def use_local_mathjax(page_html: str) -> str:
    """The page with :data:`MATHJAX_CONFIG` placed before its MathJax script.

    Parameters
    ----------
    page_html : str
        A page nbconvert rendered with ``mathjax_url`` pointing into the site's ``mathjax/``
        folder (:data:`MATHJAX_URL`).

    Returns
    -------
    str
        The page with the configuration script inserted right before the ``<script`` tag that
        loads ``mathjax/MathJax.js``; a page that loads no such script is returned unchanged.

    Notes
    -----
    ``jupyter-server-mathjax`` ships the STIX-Web fonts only; without the configuration MathJax
    would ask for TeX fonts that are not there.

    Examples
    --------
    >>> page = '<head><script src="mathjax/MathJax.js?config=TeX"></script></head>'
    >>> out = use_local_mathjax(page)
    >>> out.startswith('<head><script type="text/x-mathjax-config">'), out.endswith(page[6:])
    (True, True)
    >>> use_local_mathjax("<p>no formula</p>")
    '<p>no formula</p>'
    """
    i = page_html.find(MATHJAX_DIR + "/MathJax.js")
    if i < 0:
        return page_html
    at = page_html.rfind("<script", 0, i)
    return page_html[:at] + MATHJAX_CONFIG + page_html[at:]


def is_solution_cell(cell) -> bool:
    """A cell tagged ``solution`` or hidden in JupyterLab (``jupyter.source_hidden``).

    Parameters
    ----------
    cell : dict or nbformat.NotebookNode
        A notebook cell (only its ``metadata`` is read; a cell without metadata is no solution).

    Returns
    -------
    bool
        True if its tags hold :data:`SOLUTION_TAG` or its ``jupyter.source_hidden`` is true. A
        code cell holding ``### BEGIN SOLUTION`` lines is not a solution cell: only those lines are.

    Examples
    --------
    >>> is_solution_cell({"metadata": {"tags": ["solution"]}})
    True
    >>> is_solution_cell({"metadata": {"jupyter": {"source_hidden": True}}}), is_solution_cell({})
    (True, False)
    """
    md = cell.get("metadata", {})
    return SOLUTION_TAG in md.get("tags", []) or bool(md.get("jupyter", {}).get("source_hidden"))


def hide_solutions(nb) -> int:
    """Leave every solution out, in place: a solution cell becomes a note, the solution lines of a
    cell are replaced by a note, and that cell's outputs are dropped. Returns the cells changed.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The notebook (version 4), changed in place.

    Returns
    -------
    int
        Code cells changed: solution cells (:func:`is_solution_cell`) and cells holding
        ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` lines.

    Notes
    -----
    A changed cell loses its outputs and execution count too, since they would show the answer.
    Markdown cells are left alone.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
    >>> def homework():
    ...     return new_notebook(cells=[
    ...         new_markdown_cell("# Question 1"),
    ...         new_code_cell("answer = 42", metadata={"tags": ["solution"]},
    ...                       outputs=[new_output("stream", name="stdout", text="42\\n")]),
    ...         new_code_cell("x = 1\\n### BEGIN SOLUTION\\ny = x + 1\\n### END SOLUTION\\nprint(x)")])
    >>> nb = homework()
    >>> hide_solutions(nb)
    2
    >>> [c.source for c in nb.cells[1:]], nb.cells[1].outputs
    (['# (the solution is not shown on this site)', 'x = 1\\n# (the solution is not shown on this site)\\nprint(x)'], [])
    """
    n = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if is_solution_cell(cell):
            cell.source = _NOTE.rstrip("\n")
        elif _SOLUTION.search(cell.source):
            cell.source = _SOLUTION.sub(_NOTE, cell.source)
        else:
            continue
        cell.outputs = []
        cell.execution_count = None
        n += 1
    return n


#: A ``### BEGIN SOLUTION`` or ``### END SOLUTION`` marker line.
_MARKER = re.compile(r"^[ \t]*### (?:BEGIN|END) SOLUTION\b.*$")
#: Image outputs carried into a folded solution, in the order they are preferred.
_IMAGE_TYPES = ("image/png", "image/svg+xml")


def _image_tag(data: dict) -> str | None:
    """An ``<img>`` with the output's PNG or SVG as a data address (one line), or None."""
    import base64

    for mime in _IMAGE_TYPES:
        if mime not in data:
            continue
        raw = data[mime]
        raw = "".join(raw) if isinstance(raw, list) else raw
        if mime == "image/png":
            b64 = "".join(raw.split())          # nbformat may wrap the base64 text in lines
        else:
            b64 = base64.b64encode(raw.encode("utf-8")).decode("ascii")
        return (f'<img class="solution-figure" src="data:{mime};base64,{b64}" alt="figure" '
                'style="max-width:100%">')
    return None


def _outputs_html(cell) -> str:
    """The cell's outputs as one line of HTML, in order: text (streams and ``text/plain``) in
    ``<pre class="solution-output">``, a PNG or SVG figure as an ``<img>`` (its text form
    ``<Figure size ...>`` left out)."""
    parts, text = [], []

    def flush():
        if text:
            parts.append(f"<pre class=\"solution-output\">{_one_line(''.join(text))}</pre>")
            text.clear()

    for o in cell.get("outputs", []):
        if o.get("output_type") == "stream":
            text.append(o.get("text", ""))
            continue
        data = o.get("data", {})
        img = _image_tag(data)
        if img is not None:
            flush()
            parts.append(img)
        elif "text/plain" in data:
            text.append(data["text/plain"])
    flush()
    return "".join(parts)


def _solution_lines(block: str) -> str:
    """A ``### BEGIN SOLUTION`` ... ``### END SOLUTION`` block without its two marker lines."""
    return "\n".join(line for line in block.strip("\n").split("\n") if not _MARKER.match(line))


def _one_line(text: str) -> str:
    return html.escape(text).replace("\n", "&#10;")


def fold_solutions(nb, summary: str = "Solution (答案)") -> int:
    """Show each solution behind a dropdown (``<details>``), closed until the reader opens it;
    a cell that mixes the student's lines with a solution keeps the student's lines in view.
    Returns the number of solutions folded.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook (version 4), changed in place.
    summary : str, optional
        The words on the closed dropdown (default ``"Solution (答案)"``; the site passes its
        edition's word).

    Returns
    -------
    int
        Solutions folded: one per solution cell and one per code cell with solution lines.

    Notes
    -----
    Each solution becomes a markdown cell written as one line of HTML (``<details>`` with the
    code, escaped, and its outputs), right after the cell it came from: a blank line would end
    the markdown renderer's HTML block. A solution cell is replaced by its dropdown; a mixed cell
    keeps its other lines (with a note pointing below) but loses its outputs, which the solution
    made. The outputs go into the dropdown in their order: text (streams and ``text/plain``) as
    ``<pre class="solution-output">``, a figure (``image/png``, else ``image/svg+xml``) as an
    ``<img class="solution-figure">`` holding the picture as a base64 data address, in place of
    its text form (``<Figure size ...>``). The folded code is never shown with its
    ``### BEGIN SOLUTION`` and ``### END SOLUTION`` lines: a mixed cell folds the lines between
    the markers, a solution cell its whole source less any marker lines it holds.

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output
    >>> def homework():
    ...     return new_notebook(cells=[
    ...         new_markdown_cell("# Question 1"),
    ...         new_code_cell("answer = 42", metadata={"tags": ["solution"]},
    ...                       outputs=[new_output("stream", name="stdout", text="42\\n")]),
    ...         new_code_cell("x = 1\\n### BEGIN SOLUTION\\ny = x + 1\\n### END SOLUTION\\nprint(x)")])
    >>> nb = homework()
    >>> fold_solutions(nb, "Solution")
    2
    >>> [c.cell_type for c in nb.cells]
    ['markdown', 'markdown', 'code', 'markdown']
    >>> nb.cells[1].source
    '<details class="solution"><summary>Solution</summary><pre><code class="language-python">answer = 42\
</code></pre><pre class="solution-output">42&#10;</pre></details>'
    >>> nb.cells[2].source
    'x = 1\\n# (the solution is below, folded)\\nprint(x)'
    >>> nb.cells[3].source
    '<details class="solution"><summary>Solution</summary><pre><code class="language-python">y = x + 1\
</code></pre></details>'

    A figure the solution drew goes into the dropdown as a picture, not as ``<Figure size ...>``:

    >>> nb = new_notebook(cells=[new_code_cell("plt.plot([1, 2])", metadata={"tags": ["solution"]},
    ...     outputs=[new_output("display_data", {"image/png": "iVBORw0KGgo=\\n",
    ...                                          "text/plain": "<Figure size 640x480 with 1 Axes>"})])])
    >>> fold_solutions(nb, "Solution"), "Figure size" in nb.cells[0].source
    (1, False)
    >>> nb.cells[0].source.count('<img class="solution-figure" src="data:image/png;base64,iVBORw0KGgo="')
    1
    """
    import nbformat

    out, n = [], 0
    for cell in nb.cells:
        if cell.cell_type != "code" or not (is_solution_cell(cell) or _SOLUTION.search(cell.source)):
            out.append(cell)
            continue
        if is_solution_cell(cell):
            solution, rest = _solution_lines(cell.source), None
        else:
            solution = "\n".join(_solution_lines(m.group(0)) for m in _SOLUTION.finditer(cell.source))
            rest = _SOLUTION.sub(_NOTE.replace("not shown on this site", "below, folded"), cell.source)
        body = f"<pre><code class=\"language-python\">{_one_line(solution)}</code></pre>" + _outputs_html(cell)
        # one line: a blank line would end the markdown renderer's HTML block inside <details>
        folded = nbformat.v4.new_markdown_cell(
            f"<details class=\"solution\"><summary>{html.escape(summary)}</summary>{body}</details>")
        if rest is not None:
            cell.source = rest
            cell.outputs = []
            cell.execution_count = None
            out.append(cell)
        out.append(folded)
        n += 1
    nb.cells = out
    return n


def _images_of(model_id: str, state: dict, seen: set | None = None) -> list[str]:
    """The base64 PNGs of the Image widgets inside widget ``model_id`` (children first to last)."""
    seen = set() if seen is None else seen
    if model_id in seen or model_id not in state:
        return []
    seen.add(model_id)
    model = state[model_id]
    if model.get("model_name") == "ImageModel":
        return [b["data"] for b in model.get("buffers", []) if b.get("path") == ["value"] and b.get("data")]
    found = []
    text = repr(model.get("state", {}))
    for ref in re.findall(r"IPY_MODEL_([0-9a-f]+)", text):
        found += _images_of(ref, state, seen)
    return found


def static_explorers(nb, app_note: str) -> int:
    """Replace each widget output by the pictures its Image widgets held when the notebook ran,
    followed by ``app_note`` (HTML: where to move the sliders). Returns the outputs replaced.

    Parameters
    ----------
    nb : nbformat.NotebookNode
        The executed notebook, run with its widget state stored (nbclient's
        ``store_widget_state=True``), changed in place.
    app_note : str
        HTML shown under the pictures (the site's edition word pointing to the what-if app).

    Returns
    -------
    int
        Widget outputs replaced.

    Notes
    -----
    The pictures are the PNG buffers of the ``ImageModel`` widgets reachable from the output's
    widget (children followed through their ``IPY_MODEL_`` references, each model once), in the
    order they are found. The notebook's widget state is removed afterwards, so a page loads no
    widget renderer from a CDN. Other outputs are kept as they are.

    Examples
    --------
    An explorer (a box, model ``b0``) holding one image (model ``a1``):

    >>> from nbformat.v4 import new_code_cell, new_notebook, new_output
    >>> view = "application/vnd.jupyter.widget-view+json"
    >>> state = {"b0": {"model_name": "VBoxModel", "state": {"children": ["IPY_MODEL_a1"]}},
    ...          "a1": {"model_name": "ImageModel", "state": {},
    ...                 "buffers": [{"path": ["value"], "data": "iVBORw0KGgo="}]}}
    >>> nb = new_notebook(cells=[new_code_cell("explorer()", outputs=[
    ...     new_output("display_data", {view: {"model_id": "b0"}, "text/plain": "VBox()"})])])
    >>> nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": state}}
    >>> static_explorers(nb, "Move the sliders in the what-if app.")
    1
    >>> html = nb.cells[0].outputs[0]["data"]["text/html"]
    >>> html.count('<img src="data:image/png;base64,iVBORw0KGgo="'), "widgets" in nb.metadata
    (1, False)
    """
    import nbformat

    state = nb.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state", {})
    n = 0
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        outputs = []
        for o in cell.get("outputs", []):
            view = o.get("data", {}).get(WIDGET_VIEW)
            if view is None:
                outputs.append(o)
                continue
            pngs = _images_of(view.get("model_id", ""), state)
            imgs = "".join(f'<img src="data:image/png;base64,{p}" alt="explorer figure" style="max-width:100%">'
                           for p in pngs)
            outputs.append(nbformat.v4.new_output("display_data", {
                "text/html": f'<div class="static-explorer">{imgs}<p class="app-note">{app_note}</p></div>',
                "text/plain": "(explorer)"}))
            n += 1
        cell.outputs = outputs
    nb.metadata.pop("widgets", None)  # nothing left for a widget renderer to load from a CDN
    return n


def copy_mathjax(out: Path) -> Path | None:
    """Copy MathJax from the installed ``jupyter-server-mathjax`` into ``out/mathjax``; None if
    that package is not installed (the pages then load MathJax from its CDN).

    Parameters
    ----------
    out : pathlib.Path
        The site's folder; ``out/mathjax`` is created or added to (files already there are
        overwritten, others kept).

    Returns
    -------
    pathlib.Path or None
        The ``mathjax`` folder written, or None when ``jupyter-server-mathjax`` (in the ``web``
        extra) is not installed.

    Notes
    -----
    The package's ``static`` folder is copied whole: about 800 files, a second or two.

    Examples
    --------
    The folder copied is the package's ``static`` folder; here a stand-in package of one file
    takes the place of the installed one, so the example runs whether the package is installed
    or not:

    >>> import sys
    >>> import tempfile
    >>> import types
    >>> from pathlib import Path
    >>> from unittest import mock
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     package = Path(folder) / "jupyter_server_mathjax"
    ...     (package / "static").mkdir(parents=True)
    ...     _ = (package / "static" / "MathJax.js").write_text("/* MathJax */", encoding="utf-8")
    ...     stand_in = types.ModuleType("jupyter_server_mathjax")
    ...     stand_in.__file__ = str(package / "__init__.py")
    ...     with mock.patch.dict(sys.modules, {"jupyter_server_mathjax": stand_in}):
    ...         dest = copy_mathjax(Path(folder) / "site")
    ...     dest.relative_to(folder).as_posix(), sorted(p.name for p in dest.iterdir())
    ('site/mathjax', ['MathJax.js'])

    Without the package (its import fails) nothing is copied and the pages use the CDN:

    >>> with mock.patch.dict(sys.modules, {"jupyter_server_mathjax": None}):
    ...     copy_mathjax(Path("site")) is None
    True
    """
    try:
        import jupyter_server_mathjax
    except ImportError:  # pragma: no cover - in the web extra
        return None
    src = Path(jupyter_server_mathjax.__file__).parent / "static"
    dest = Path(out) / MATHJAX_DIR
    shutil.copytree(src, dest, dirs_exist_ok=True)
    return dest
