"""The student's real path: JupyterLab, a notebook of the series, Run All, move a slider."""
from __future__ import annotations

import re
import shutil
import time
from pathlib import Path

import nbformat
import pytest

from aftersales.web.site import series_notebooks

pytestmark = pytest.mark.browser

EXPLORER_CALL = re.compile(r"\b\w+_explorer\(")
PROMPT_DONE = re.compile(r"^\[\d+\]:$")


def notebook_with_explorer() -> Path | None:
    """The first notebook of the series whose code builds a what-if explorer."""
    for path in series_notebooks():
        nb = nbformat.read(path, as_version=4)
        if any(c.cell_type == "code" and EXPLORER_CALL.search(c.source) for c in nb.cells):
            return path
    return None


def fixture_notebook(path: Path) -> None:
    """A small notebook using the library's explorer, for when no series notebook has one yet."""
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell("# Service explorer"),
                nbformat.v4.new_code_cell("from aftersales.course.explorers import service_explorer\n\n"
                                          "service_explorer('seed-demo')")]
    nbformat.write(nb, path)


def prompts(page) -> list[str]:
    """The input prompts of the code cells whose input shows (a collapsed solution shows none)."""
    # the notebook on show: a notebook an earlier test opened stays in a hidden tab of the same page
    texts = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-CodeCell "
                         ".jp-InputPrompt").all_inner_texts()
    return [t.strip() for t in texts if t.strip()]


def accept_dialog(page) -> None:
    """Accept a JupyterLab dialog that covers the page (a kernel to select after a busy start)."""
    button = page.locator(".jp-Dialog .jp-mod-accept")
    if button.count():
        button.first.click()


def run_all(page) -> None:
    accept_dialog(page)
    page.locator(".lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
    page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()


def wait_kernel_idle(page, timeout: float = 90) -> None:
    """Wait until the notebook's kernel is named in its toolbar and idle (on a busy machine the
    toolbar says idle before the kernel is connected, and a Run All then does nothing)."""
    page.wait_for_function("() => [...document.querySelectorAll('.jp-NotebookPanel-toolbar')]"
                           ".some(t => t.innerText.includes('Python'))", timeout=timeout * 1000)
    page.wait_for_selector('.jp-NotebookPanel-toolbar .jp-Notebook-ExecutionIndicator[data-status="idle"]',
                           timeout=timeout * 1000)


def wait_all_executed(page, n_code: int, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        p = prompts(page)
        if len(p) == n_code and all(PROMPT_DONE.match(x) for x in p):
            return True
        page.wait_for_timeout(250)
    return False


SIGNATURE = """cell => {
  const imgs = [...cell.querySelectorAll('img.widget-image, .widget-output img')].map(i => i.src.length + ':' + i.src.slice(-80));
  return cell.innerText + '|' + imgs.join(',');
}"""


def test_run_all_then_move_a_slider(lab_server, page, tmp_path):
    base, token, root = lab_server
    source = notebook_with_explorer()
    name = f"scratch_{source.name if source else 'explorer.ipynb'}"
    if source:
        shutil.copy(source, root / name)
    else:
        fixture_notebook(root / name)
    n_code = sum(1 for c in nbformat.read(root / name, as_version=4).cells if c.cell_type == "code"
                 and not c.metadata.get("jupyter", {}).get("source_hidden"))

    page.goto(f"{base}/lab/tree/{name}?reset&token={token}")     # reset: no tab of an earlier test
    page.wait_for_selector(".jp-NotebookPanel .jp-Notebook", timeout=90_000)
    wait_kernel_idle(page)
    run_all(page)
    if not wait_all_executed(page, n_code, timeout=15) and not any("*" in p for p in prompts(page)):
        run_all(page)       # the kernel connected just after the click: once more
    assert wait_all_executed(page, n_code, timeout=120), f"cells did not all run: {prompts(page)}"
    errors = page.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    tracebacks = [t for t in errors.all_inner_texts() if "Traceback" in t or "Error" in t]
    assert not tracebacks, "\n".join(tracebacks)[:3000]

    handle = page.locator(".jp-Notebook .widget-slider .noUi-handle").first
    handle.scroll_into_view_if_needed()
    cell = handle.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' jp-CodeCell ')][1]")
    slider = handle.locator("xpath=ancestor::div[contains(concat(' ', @class, ' '), ' widget-slider ')][1]")
    before = cell.evaluate(SIGNATURE)
    readout_before = slider.locator(".widget-readout").inner_text()
    handle.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    assert slider.locator(".widget-readout").inner_text() != readout_before, "the slider did not move"
    deadline = time.monotonic() + 60
    after = cell.evaluate(SIGNATURE)
    while after == before and time.monotonic() < deadline:
        page.wait_for_timeout(250)
        after = cell.evaluate(SIGNATURE)
    assert after != before, "the explorer's output did not change after the slider moved"
    page.screenshot(path=str(tmp_path / "lab.png"))
    assert page.log.errors() == []
