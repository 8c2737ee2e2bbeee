"""Notebook 05's self-serve explorer in real Chromium: multi-value filters and the drill-down to cases.

JupyterLab runs a scratch notebook that builds the explorer exactly as notebook 05 does
(``explorer(ds, by=..., lang=lang)``), on the shipped sample cases; the test ticks two channels in
the channel filter and layers by channel, sees the table keep only those channels, then picks a
layer under "Drill down" and sees its cases with the file and row each came from.
"""
from __future__ import annotations

import re
import time

import nbformat
import pytest

from tests.browser.test_lab import prompts, run_all, wait_all_executed, wait_kernel_idle

pytestmark = pytest.mark.browser

SOURCE = '''from aftersales.segment.analysis import load_dataset
from aftersales.segment.explorers import explorer

ds = load_dataset(["cases_sample.csv", "cases_export_sample.csv"], "cases_sample_orders.csv")
ex = explorer(ds, by=("category", "reason"), threshold=0.8, lang="en")
ex'''


def _scratch(path, data_dir) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Self-serve layering"),
                nbformat.v4.new_code_cell(f"import os\nos.chdir({str(data_dir)!r})"),
                nbformat.v4.new_code_cell(SOURCE)]
    nbformat.write(nb, path)


def _until(fn, timeout: float = 60, step: float = 0.25):
    deadline = time.monotonic() + timeout
    value = fn()
    while not value and time.monotonic() < deadline:
        time.sleep(step)
        value = fn()
    return value


def _table_column(output, header: str) -> list[str]:
    """The cells of one column of the first HTML table in ``output`` (by its header text)."""
    return output.evaluate("""(el, header) => {
        const t = el.querySelector('table');
        if (!t) return [];
        const heads = [...t.querySelectorAll('thead th')].map(h => h.innerText.trim());
        const i = heads.indexOf(header);
        if (i < 0) return [];
        return [...t.querySelectorAll('tbody tr')].map(r => (r.children[i] || {}).innerText || '').map(s => s.trim());
    }""", header)


def test_filter_two_channels_then_drill_down(lab_server, page, root, tmp_path):
    base, token, lab_root = lab_server
    name = "scratch_segment_explorer.ipynb"
    _scratch(lab_root / name, root / "aftersales" / "data")
    page.goto(f"{base}/lab/tree/{name}?reset&token={token}")     # reset: no tab of an earlier test
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook", timeout=90_000)
    wait_kernel_idle(page)
    run_all(page)
    if not wait_all_executed(page, 2, timeout=15) and not any("*" in p for p in prompts(page)):
        run_all(page)
    assert wait_all_executed(page, 2, timeout=120), f"cells did not all run: {prompts(page)}"
    page.wait_for_selector(".widget-select-multiple select", timeout=60_000)

    summary = page.locator(".widget-html", has_text=re.compile(r"cases, cost")).first
    before = summary.inner_text()
    table_out = page.locator(".widget-output").first
    categories = _table_column(table_out, "category")
    assert categories, "the explorer shows no layer table"

    # layer by channel, then tick two channels at once in the channel filter
    page.locator(".widget-checkbox", has_text="channel").locator("input[type=checkbox]").check()
    assert _until(lambda: _table_column(table_out, "channel")), "layering by channel shows no channel column"
    channels_all = set(_table_column(table_out, "channel"))
    assert {"douyin", "jd"} <= channels_all and len(channels_all) > 2
    chan = page.locator(".widget-select-multiple", has=page.locator("label", has_text="channel"))
    chan.locator("select").select_option(label=["douyin", "jd"])
    assert _until(lambda: set(_table_column(table_out, "channel")) == {"douyin", "jd"}), \
        f"the filter did not narrow the layers: {set(_table_column(table_out, 'channel'))}"
    assert _until(lambda: summary.inner_text() != before), "the summary did not change with the filter"

    # drill down: the first layer's cases, most expensive first, with their file and row
    drill = page.locator(".widget-dropdown", has=page.locator("label", has_text="cases of layer")).locator("select")
    first_layer = drill.locator("option").nth(1).inner_text()
    assert re.search(r"\b(douyin|jd)\b", first_layer), first_layer
    drill.select_option(index=1)
    drilled = page.locator(".widget-output").last
    assert _until(lambda: re.search(r"[\d,]+ cases, cost", drilled.inner_text())), "no cases shown for the layer"
    assert _until(lambda: _table_column(drilled, "source_row")), "the cases do not say where they came from"
    assert set(_table_column(drilled, "channel")) <= {"douyin", "jd"}
    page.screenshot(path=str(tmp_path / "segment_explorer.png"))
    assert page.log.errors() == []
