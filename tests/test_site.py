"""The course site's builder, without a kernel or a browser: the series' order and titles are the
table of contents', a notebook it does not list is published after the series with a warning (not
dropped, not slipped into the order), the scenario files come from the package, and the library
prints nothing (the command line passes ``print``).

The notebooks are not executed here (``_execute`` reads them as they are); tests/browser/test_site.py
builds and opens the real site.
"""
from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT

import aftersales.course.toc as toc
from aftersales.course.toc import Entry
from aftersales.glossary import SITE_WORDS
from aftersales.web import site

#: A table of contents of two notebooks whose order is not the order of their names.
TOC = [Entry("10", "10_second_by_name.ipynb", "Comes first", "排第一", "a", "甲"),
       Entry("05", "05_first_by_name.ipynb", "Comes second", "排第二", "b", "乙")]


def _notebook(path: Path, heading: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell(f"# {heading}\n\nText."), nbformat.v4.new_code_cell("x = 1")]
    nbformat.write(nb, path)


def _checkout(tmp_path: Path) -> Path:
    """A checkout with both editions: the two notebooks of TOC and one the toc does not list."""
    nbdir = tmp_path / "notebooks"
    (nbdir / "zh").mkdir(parents=True)
    for d in (nbdir, nbdir / "zh"):
        _notebook(d / "05_first_by_name.ipynb", "Heading of 05")
        _notebook(d / "10_second_by_name.ipynb", "Heading of 10")
        _notebook(d / "00_not_listed.ipynb", "An extra notebook")
    (nbdir / "_draft.ipynb").write_text("{}")
    return nbdir


@pytest.fixture
def folder(tmp_path, monkeypatch):
    """The checkout of ``_checkout``, with TOC as the series (a test may change its files)."""
    monkeypatch.setattr(toc, "series", lambda: list(TOC))
    return _checkout(tmp_path)


def test_the_order_and_titles_are_the_table_of_contents(folder):
    ed = site.edition(folder, "en")
    # the toc's order, then the unlisted notebook, although its name sorts first
    assert [p.name for p in ed.notebooks] == ["10_second_by_name.ipynb", "05_first_by_name.ipynb",
                                              "00_not_listed.ipynb"]
    assert ed.titles == {"10_second_by_name.ipynb": "10 Comes first", "05_first_by_name.ipynb": "05 Comes second"}
    assert site.edition(folder / "zh", "zh").titles == {"10_second_by_name.ipynb": "10 排第一",
                                                        "05_first_by_name.ipynb": "05 排第二"}
    assert ed.unlisted == ["00_not_listed.ipynb"] and ed.missing == []
    assert site.series_notebooks(folder) == ed.notebooks


def test_a_notebook_the_toc_lacks_is_named_in_a_warning_and_a_missing_one_too(folder):
    (folder / "05_first_by_name.ipynb").unlink()
    ed = site.edition(folder, "en")
    assert ed.missing == ["05_first_by_name.ipynb"]
    assert site.edition_warnings(ed, "notebooks") == [
        'notebooks/00_not_listed.ipynb is not in the table of contents (aftersales/data/toc.toml): '
        'published after the series, under "Other notebooks"',
        "notebooks lacks 1 notebook(s) of the table of contents, left out of the site: 05_first_by_name.ipynb"]


def test_the_real_series_folder_is_the_table_of_contents():
    entries = toc.series()
    ed = site.edition(ROOT / "notebooks", "en")
    assert [p.name for p in ed.notebooks] == [e.file for e in entries]
    assert ed.unlisted == [] and ed.missing == []
    zh = site.edition(ROOT / "notebooks" / "zh", "zh")
    assert zh.titles[entries[3].file] == f"{entries[3].id} {entries[3].title_zh}"


def test_the_index_lists_an_unlisted_notebook_after_the_series_under_its_own_heading():
    w = SITE_WORDS["en"]
    text = site.index_markdown(w, [("b.html", "10 Comes first"), ("a.html", "05 Comes second")],
                               [("x.html", "An extra notebook")], ["seed-demo.toml"], "zh/index.html")
    lines = text.splitlines()
    first, second, extra = (lines.index(f"- [{t}]({p})") for p, t in
                            (("b.html", "10 Comes first"), ("a.html", "05 Comes second"),
                             ("x.html", "An extra notebook")))
    series_head, others_head = lines.index("## The series"), lines.index("## Other notebooks")
    assert series_head < first < second < others_head < extra
    assert "- [seed-demo.toml](data/scenarios/seed-demo.toml)" in lines
    assert "## Other notebooks" not in site.index_markdown(w, [("b.html", "B")], [], [])


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The site of a ``_checkout``, its notebooks rendered as stored (no kernel), and what was logged;
    built once for the tests that only read it."""
    tmp_path = tmp_path_factory.mktemp("site")
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(toc, "series", lambda: list(TOC))
        mp.setattr(site, "_execute", lambda path, timeout, kernel_name: nbformat.read(path, as_version=4))
        mp.setattr(site, "copy_mathjax", lambda out: None)
        logged: list[str] = []
        out = tmp_path / "_site"
        pages = site.build_site(out, _checkout(tmp_path), log=logged.append)
    return out, pages, logged


def test_the_built_site_follows_the_toc_and_warns_about_the_rest(built):
    out, pages, logged = built
    manifest = json.loads((out / "site.json").read_text(encoding="utf-8"))["pages"]
    assert [p["file"] for p in manifest] == [
        "index.html", "10_second_by_name.html", "05_first_by_name.html", "00_not_listed.html",
        "zh/index.html", "zh/10_second_by_name.html", "zh/05_first_by_name.html", "zh/00_not_listed.html"]
    assert [p["title"] for p in manifest][1:4] == ["10 Comes first", "05 Comes second", "An extra notebook"]
    assert [p["title"] for p in manifest][5:] == ["10 排第一", "05 排第二", "An extra notebook"]
    warned = [m for m in logged if m.startswith("warning:") and "00_not_listed.ipynb" in m]
    assert {m.split(" is not")[0] for m in warned} == {"warning: notebooks/00_not_listed.ipynb",
                                                      "warning: notebooks/zh/00_not_listed.ipynb"}
    index = (out / "index.html").read_text(encoding="utf-8")
    assert index.index("10_second_by_name.html") < index.index("05_first_by_name.html") \
        < index.index("Other notebooks") < index.index("00_not_listed.html")


def test_the_scenario_files_are_the_packages(built):
    from aftersales.resources import data_file

    out, _, _ = built
    shipped = sorted(data_file("scenarios").glob("*.toml"))
    assert shipped, "the package ships no scenario"
    assert sorted(p.name for p in (out / "data" / "scenarios").glob("*.toml")) == [p.name for p in shipped]
    for src in shipped:
        assert (out / "data" / "scenarios" / src.name).read_bytes() == src.read_bytes()
    # the checkout around the notebooks has no data/ folder at all: nothing came from there
    assert not (out.parent / "data").exists()


def test_the_library_prints_nothing_by_default(folder, tmp_path, monkeypatch, capsys):
    monkeypatch.setattr(site, "_execute", lambda path, timeout, kernel_name: nbformat.read(path, as_version=4))
    monkeypatch.setattr(site, "copy_mathjax", lambda out: None)
    site.build_site(tmp_path / "_site", folder)
    assert capsys.readouterr().out == ""


def test_the_command_line_passes_print():
    import ast
    import inspect

    from aftersales.cli import web_cmds

    calls = [n for n in ast.walk(ast.parse(inspect.getsource(web_cmds.cmd_site)))
             if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "build_site"]
    assert [kw.value.id for c in calls for kw in c.keywords if kw.arg == "log"] == ["print"]


def test_without_notebooks_the_error_says_a_checkout_is_needed(tmp_path):
    with pytest.raises(site.SiteError, match=r"no notebooks .*the notebooks folder of a checkout \(--notebooks DIR\)"):
        site.build_site(tmp_path / "_site", tmp_path / "empty")


# ------------------------------------------------------------------- a notebook's title as it reads rendered
@pytest.mark.parametrize("heading, title", [
    ("price_elasticity", "price_elasticity"),                       # an underscore inside a word is kept
    ("The *price_elasticity* of a_0", "The price_elasticity of a_0"),
    ("_Emphasis_ and __strong__ words", "Emphasis and strong words"),  # emphasis underscores dropped
    ("**Extra**: the `base_ltv` and `a*b`", "Extra: the base_ltv and a*b"),  # a code span kept whole
    ("售后_服务 的 _重点_", "售后_服务 的 重点"),
])
def test_a_title_keeps_the_underscores_inside_words(heading, title):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(f"Intro\n\n# {heading}\n\nText.")])
    assert site.notebook_title(nb, "stem") == title


# ------------------------------------------------------------------- a folded solution keeps its figures
def test_a_folded_solution_carries_its_figures_and_drops_the_marker_lines():
    """A hand-made cell: the student's line, a marked solution that prints and draws a PNG, then
    an SVG. The dropdown holds the solution's lines without the markers, the printed text, the
    PNG and the SVG (as data addresses, base64 of '<svg/>' is 'PHN2Zy8+') in order; no
    '<Figure size' text and no marker line anywhere on the page."""
    from aftersales.web.pages import fold_solutions

    fig = "<Figure size 640x480 with 1 Axes>"
    cell = nbformat.v4.new_code_cell(
        "x = 1\n### BEGIN SOLUTION\nprint(x + 1)\nplt.plot([1, 2])\n### END SOLUTION\n",
        outputs=[nbformat.v4.new_output("stream", name="stdout", text="2\n"),
                 nbformat.v4.new_output("display_data", {"image/png": "iVBORw0K\nGgo=\n", "text/plain": fig}),
                 nbformat.v4.new_output("display_data", {"image/svg+xml": "<svg/>", "text/plain": fig})])
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert fold_solutions(nb, "Solution") == 1
    assert nb.cells[0].source == "x = 1\n# (the solution is below, folded)\n" and nb.cells[0].outputs == []
    assert nb.cells[1].source == (
        '<details class="solution"><summary>Solution</summary>'
        '<pre><code class="language-python">print(x + 1)&#10;plt.plot([1, 2])</code></pre>'
        '<pre class="solution-output">2&#10;</pre>'
        '<img class="solution-figure" src="data:image/png;base64,iVBORw0KGgo=" alt="figure" style="max-width:100%">'
        '<img class="solution-figure" src="data:image/svg+xml;base64,PHN2Zy8+" alt="figure" style="max-width:100%">'
        '</details>')
    assert "SOLUTION" not in nbformat.writes(nb)


def test_a_tagged_solution_cell_drops_its_marker_lines_too():
    """A cell tagged 'solution' that also holds the markers (as a teacher writes it for nbgrader): the
    dropdown shows the code between them only, as for a mixed cell."""
    from aftersales.web.pages import fold_solutions

    cell = nbformat.v4.new_code_cell("### BEGIN SOLUTION\nq1 = 0.35\n### END SOLUTION\n", metadata={"tags": ["solution"]})
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert fold_solutions(nb, "Solution") == 1
    assert nb.cells[0].source == ('<details class="solution"><summary>Solution</summary>'
                                  '<pre><code class="language-python">q1 = 0.35</code></pre></details>')


def test_a_folded_solution_without_a_figure_keeps_its_text_output():
    """A tagged solution cell whose result has only a text form: the text is shown, as before."""
    from aftersales.web.pages import fold_solutions

    cell = nbformat.v4.new_code_cell("6 * 7", metadata={"tags": ["solution"]}, outputs=[
        nbformat.v4.new_output("execute_result", {"text/plain": "42"}, execution_count=1)])
    nb = nbformat.v4.new_notebook(cells=[cell])
    assert fold_solutions(nb, "答案") == 1
    assert nb.cells[0].source == ('<details class="solution"><summary>答案</summary><pre><code class="language-python">'
                                  '6 * 7</code></pre><pre class="solution-output">42</pre></details>')
