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
    assert [p["file"] for p in manifest] == ["index.html", *expected]

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
