"""The course site in a browser: every page opens, shows its figures, and logs no error."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urljoin, urlparse

import pytest

from aftersales.web.site import series_notebooks

STDERR = '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(urllib.request.Request(url, method="HEAD"), timeout=10) as r:
            return r.status
    except urllib.error.HTTPError as exc:
        return exc.code


@pytest.mark.browser
def test_site_lists_the_series_in_order_and_links_scenario_files(built_site, site_server, page):
    expected = [p.stem + ".html" for p in series_notebooks()]
    assert expected, "the series has no notebooks"
    manifest = json.loads((built_site / "site.json").read_text(encoding="utf-8"))["pages"]
    zh_dir = series_notebooks()[0].parent / "zh"
    zh = [f"zh/{p.stem}.html" for p in series_notebooks(zh_dir)] if zh_dir.is_dir() else []
    assert zh, "the Chinese edition is missing"
    assert [p["file"] for p in manifest] == ["index.html", *expected, "zh/index.html", *zh]

    page.goto(site_server + "index.html")
    hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
    listed = [h for h in dict.fromkeys(hrefs) if h in expected]
    assert listed == expected, "the index must link every notebook page, in the series' order"
    tomls = sorted(p.name for p in (built_site / "data" / "scenarios").glob("*.toml"))
    assert tomls, "the scenario files are missing from the site"
    for name in tomls:
        href = f"data/scenarios/{name}"
        assert href in hrefs
        assert _status(urljoin(site_server, href)) == 200
    assert page.log.errors() == []


@pytest.mark.browser
def test_every_page_shows_its_figures_without_errors(built_site, site_server, page):
    manifest = json.loads((built_site / "site.json").read_text(encoding="utf-8"))["pages"]
    checked_links: dict[str, int] = {}
    total_figures = 0
    for entry in manifest:
        url = site_server + entry["file"]
        page.log.clear()
        page.goto(url, wait_until="load")
        assert page.title(), f"{entry['file']} has no title"

        figs = page.eval_on_selector_all(
            'img[src^="data:image/png"]',
            "els => els.map(e => ({w: e.naturalWidth, h: e.naturalHeight, ok: e.complete}))")
        drawn = [f for f in figs if f["ok"] and f["w"] > 0 and f["h"] > 0]
        assert len(figs) == len(drawn), f"{entry['file']}: a figure does not decode"
        assert len(drawn) >= entry["figures"], \
            f"{entry['file']}: {entry['figures']} figures in the executed notebook, {len(drawn)} on the page"
        total_figures += len(drawn)

        stderr = page.locator(STDERR).all_inner_texts()
        assert not [t for t in stderr if "Traceback" in t or "Error" in t], \
            f"{entry['file']} shows an error output:\n" + "\n".join(stderr)[:2000]
        assert page.log.errors() == [], f"{entry['file']}: {page.log.errors()}"

        # every link inside the site leads to a file of the site
        hrefs = page.eval_on_selector_all("a[href]", "els => els.map(e => e.getAttribute('href'))")
        for href in hrefs:
            if href.startswith("#") or urlparse(href).scheme:
                continue
            target = urljoin(url, href).split("#")[0]
            if target not in checked_links:
                checked_links[target] = _status(target)
            assert checked_links[target] == 200, f"{entry['file']}: broken link {href!r}"
    assert total_figures >= sum(e["figures"] for e in manifest) > 0, "the site shows no figure at all"


# ---------------------------------------------------------------- the builder's rules, no browser
def test_links_between_notebooks_and_to_project_files_are_rewritten(tmp_path):
    from aftersales.web.site import _Links

    (tmp_path / "notebooks").mkdir()
    (tmp_path / "data" / "scenarios").mkdir(parents=True)
    (tmp_path / "data" / "scenarios" / "x.toml").write_text("name = 'x'\n")
    links = _Links(tmp_path / "notebooks", tmp_path, {"01_a.ipynb": "01_a.html"})
    text = ("See [the next one](01_a.ipynb#sec), [x](../data/scenarios/x.toml), "
            "[web](https://example.org/01_a.ipynb), [here](#top), ![fig](img/f.png), "
            "<a href=\"./01_a.ipynb\">html</a> and [gone](../docs/missing.md).")
    out = links.rewrite(text, "00_b.ipynb")
    assert "[the next one](01_a.html#sec)" in out
    assert "[x](data/scenarios/x.toml)" in out
    assert "(https://example.org/01_a.ipynb)" in out and "[here](#top)" in out
    assert "![fig](img/f.png)" in out                  # images are embedded by nbconvert instead
    assert '<a href="01_a.html">' in out
    assert links.copies == {(tmp_path / "data" / "scenarios" / "x.toml").resolve(): Path("data/scenarios/x.toml")}
    assert links.dead == ["00_b.ipynb: link to '../docs/missing.md', which does not exist"]


def test_hide_solutions_keeps_the_rest_of_the_cell():
    import nbformat

    from aftersales.web.site import hide_solutions

    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell("x = 1\n### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION\nanswer")
    cell.outputs = [nbformat.v4.new_output("execute_result", {"text/plain": "42"}, execution_count=1)]
    nb.cells = [cell, nbformat.v4.new_code_cell("print('no solution here')")]
    assert hide_solutions(nb) == 1
    assert nb.cells[0].source == "x = 1\n# (the solution is not shown on this site)\nanswer"
    assert nb.cells[0].outputs == [] and "42" not in nb.cells[0].source
    assert nb.cells[1].source == "print('no solution here')"


def test_the_series_is_the_numbered_notebooks_of_the_folder(tmp_path):
    from aftersales.web.site import series_notebooks

    for name in ("01_b.ipynb", "00_a.ipynb", ".hidden.ipynb", "_draft.ipynb", "notes.md"):
        (tmp_path / name).write_text("{}")
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "whatif.ipynb").write_text("{}")
    (tmp_path / ".ipynb_checkpoints").mkdir()
    (tmp_path / ".ipynb_checkpoints" / "00_a-checkpoint.ipynb").write_text("{}")
    assert [p.name for p in series_notebooks(tmp_path)] == ["00_a.ipynb", "01_b.ipynb"]


# ---------------------------------------------------------------- math, solutions, explorers, editions
MATH_SOURCE = "# Demo 演示\n\nThe share woken: $$\\omega = 1 - \\prod_i (1 - a_i w_i) \\tag{1}$$ and $p_1$."


def _mini_series(root: Path) -> Path:
    """A two-edition series of one notebook: math, an explorer, a marked and a tagged solution."""
    import nbformat

    nbdir = root / "notebooks"
    (nbdir / "zh").mkdir(parents=True)
    (root / "data" / "scenarios").mkdir(parents=True)
    for lang, folder in (("en", nbdir), ("zh", nbdir / "zh")):
        nb = nbformat.v4.new_notebook()
        tagged = nbformat.v4.new_code_cell("print('the answer is', 6 * 7)")
        tagged.metadata.update(tags=["solution"], jupyter={"source_hidden": True})
        nb.cells = [nbformat.v4.new_markdown_cell(MATH_SOURCE),
                    nbformat.v4.new_code_cell("from aftersales.course.explorers import lifecycle_explorer\n"
                                              f"lifecycle_explorer('seed-demo', lang={lang!r}).widget"),
                    nbformat.v4.new_code_cell("x = 1\n### BEGIN SOLUTION\nanswer = 42\n### END SOLUTION\nprint(x)"),
                    tagged]
        nbformat.write(nb, folder / "00_demo.ipynb")
    return nbdir


@pytest.fixture(scope="module")
def mini_site(jupyter_env, tmp_path_factory):
    import functools
    import http.server
    import subprocess
    import sys
    import threading

    from .conftest import ROOT, _QuietHandler

    root = tmp_path_factory.mktemp("mini")
    nbdir = _mini_series(root)
    out = root / "_site"
    r = subprocess.run([sys.executable, "-m", "aftersales", "site", "--notebooks", str(nbdir), "--out", str(out)],
                       cwd=ROOT, env=jupyter_env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-3000:]
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(out)))
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    try:
        yield out, f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()


@pytest.mark.browser
@pytest.mark.parametrize("page_path", ["00_demo.html", "zh/00_demo.html"])
def test_math_renders_offline_solutions_fold_and_explorers_are_pictures(mini_site, page, page_path):
    out, url = mini_site
    outside: list[str] = []

    def block(route):
        host = urlparse(route.request.url).hostname
        if host not in ("127.0.0.1", "localhost"):
            outside.append(route.request.url)
            return route.abort()
        return route.continue_()

    page.route("**/*", block)
    page.goto(url + page_path, wait_until="load")
    page.wait_for_selector(".MathJax_Display .MathJax", timeout=30_000)
    assert page.locator(".MathJax_Display .MathJax .math").count() >= 1, "the display formula is not typeset"
    assert page.locator(".MathJax .math").count() >= 2, "the inline formula is not typeset"
    assert not any("mathjax" in u.lower() for u in outside), f"MathJax was asked from the network: {outside}"
    folded = page.locator("details.solution")
    assert folded.count() == 2
    assert not page.locator("details.solution[open]").count(), "a solution is open before the reader asks"
    assert not page.get_by_text("answer = 42").is_visible()
    folded.first.locator("summary").click()
    assert page.get_by_text("answer = 42").is_visible()
    pics = page.eval_on_selector_all(".static-explorer img", "els => els.map(e => e.naturalWidth)")
    assert pics and all(w >= 500 for w in pics), "the explorer's picture is missing"
    assert "aftersales app" in page.locator(".static-explorer .app-note").inner_text()
    assert page.log.errors() == []


@pytest.mark.slow
def test_both_editions_are_published_and_hide_solutions_hides_all(mini_site, jupyter_env, tmp_path):
    import subprocess
    import sys

    from .conftest import ROOT

    out, _ = mini_site
    manifest = [p["file"] for p in json.loads((out / "site.json").read_text(encoding="utf-8"))["pages"]]
    assert manifest == ["index.html", "00_demo.html", "zh/index.html", "zh/00_demo.html"]
    assert 'href="zh/index.html"' in (out / "index.html").read_text(encoding="utf-8")
    assert (out / "mathjax" / "MathJax.js").is_file()
    nbdir = _mini_series(tmp_path)
    hidden = tmp_path / "_site"
    r = subprocess.run([sys.executable, "-m", "aftersales", "site", "--notebooks", str(nbdir), "--out", str(hidden),
                        "--hide-solutions"], cwd=ROOT, env=jupyter_env, capture_output=True, text=True, timeout=900)
    assert r.returncode == 0, r.stderr[-2000:]
    for page_file in ("00_demo.html", "zh/00_demo.html"):
        text = (hidden / page_file).read_text(encoding="utf-8")
        assert "answer = 42" not in text and "6 * 7" not in text and "details class" not in text


def test_fold_and_hide_a_tagged_solution_and_the_notebooks_own_markers():
    import nbformat

    from aftersales.web.pages import fold_solutions, hide_solutions

    def nb():
        n = nbformat.v4.new_notebook()
        tagged = nbformat.v4.new_code_cell("answer = 42")
        tagged.metadata["jupyter"] = {"source_hidden": True}
        n.cells = [nbformat.v4.new_code_cell("x = 1\n### BEGIN SOLUTION\ny = 2\n### END SOLUTION\nx"), tagged,
                   nbformat.v4.new_code_cell("z = 3")]
        return n

    a = nb()
    assert fold_solutions(a, "Solution") == 2
    assert [c.cell_type for c in a.cells] == ["code", "markdown", "markdown", "code"]
    assert "y = 2" not in a.cells[0].source and "y = 2" in a.cells[1].source
    assert a.cells[2].source.startswith("<details") and "answer = 42" in a.cells[2].source
    b = nb()
    assert hide_solutions(b) == 2
    assert "42" not in b.cells[1].source and "y = 2" not in b.cells[0].source and b.cells[2].source == "z = 3"
    for cell in nbformat.read(str(series_notebooks()[5]), as_version=4).cells:  # notebook 05
        if "BEGIN SOLUTION" in cell.source:
            break
    n05 = nbformat.read(str(series_notebooks()[5]), as_version=4)
    assert hide_solutions(n05) >= 1
    assert not any("BEGIN SOLUTION" in c.source for c in n05.cells)
