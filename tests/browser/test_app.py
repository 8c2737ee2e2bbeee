"""The what-if app (``python -m aftersales app``) in a browser, checked against the command line.

The value-added net the page shows must be the figure ``python -m aftersales evaluate --json``
gives for the scenario the controls describe: that scenario is written to a TOML file with the
library's own functions and evaluated by the CLI in a subprocess, as a user would.
"""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from aftersales.model.kernel import apply_parameter
from aftersales.model.scenario import load_scenario, save_scenario, scenario_names

from .conftest import ROOT, AppServer

VA_NET = ".va-net-corrected"
PNL = "table.aftersales-pnl"
SCREENSHOT_ENV = "AFTERSALES_UPDATE_SCREENSHOT"
README_SCREENSHOT = ROOT / "docs" / "img" / "app.png"


def cli_va_net(scenario_file: str | Path) -> float:
    """The corrected value-added net (yuan per year) of ``python -m aftersales evaluate FILE --json``."""
    r = subprocess.run([sys.executable, "-m", "aftersales", "evaluate", str(scenario_file), "--json"],
                       capture_output=True, text=True, cwd=ROOT, timeout=120,
                       env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)["value_added"]["net"]


def expected_va_net(tmp_path: Path, scenario: str, changes: dict[str, float]) -> float:
    """The CLI's figure for ``scenario`` with the inputs the sliders were moved to."""
    sc = load_scenario(scenario)
    for path, value in changes.items():
        sc = apply_parameter(sc, path, value)
    f = tmp_path / f"{scenario}-{len(list(tmp_path.glob('*.toml')))}.toml"
    save_scenario(sc, f)
    return cli_va_net(f)


def slider(page, label: str):
    """The visible slider whose description is ``label``."""
    loc = page.locator(".widget-slider:visible").filter(
        has=page.locator("label.widget-label", has_text=re.compile(rf"^{re.escape(label)}$")))
    assert loc.count() == 1, f"expected one visible slider {label!r}, found {loc.count()}"
    return loc


def readout(slider_loc) -> float:
    return float(slider_loc.locator(".widget-readout").inner_text().replace(",", ""))


def shown_va_net(page) -> tuple[float, str]:
    el = page.locator(VA_NET)
    return float(el.get_attribute("data-value")), el.inner_text()


def wait_for_va_net(page, expected: float, timeout: float = 60) -> tuple[float, str]:
    """Wait until the page shows ``expected`` (the kernel recomputes after each change)."""
    deadline = time.monotonic() + timeout
    value, text = shown_va_net(page)
    while abs(value - expected) > 1e-6 * max(1.0, abs(expected)) and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        value, text = shown_va_net(page)
    return value, text


def assert_shows(page, expected: float) -> None:
    value, text = wait_for_va_net(page, expected)
    assert value == pytest.approx(expected, rel=1e-9, abs=1e-6)
    want = f"{expected:,.0f}"
    assert text == ("0" if want == "-0" else want), "the displayed figure is not the CLI's, rounded"


@pytest.mark.browser
def test_app_matches_the_command_line(app_server, page, tmp_path):
    assert re.fullmatch(r"http://127\.0\.0\.1:\d+/", app_server.url)
    page.goto(app_server.url)
    page.wait_for_selector(VA_NET, timeout=90_000)     # Voilà runs the notebook in a fresh kernel
    first = page.locator("select").first.input_value()
    assert first in scenario_names()
    assert_shows(page, cli_va_net(first))
    before = shown_va_net(page)[0]

    # 1. a service price, with the arrow keys on the focused slider handle
    price = slider(page, "price (yuan)")
    service = load_scenario(first).services[0].name       # the first tab is open
    start = readout(price)
    price.locator(".noUi-handle").focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    moved = readout(price)
    assert moved > start
    expected = expected_va_net(tmp_path, first, {f"service[{service}].price": moved})
    assert expected != pytest.approx(before), "moving the price should change the value-added net"
    assert_shows(page, expected)

    # 2. another scenario: the sliders take its values, the P&L follows
    other = next(n for n in scenario_names() if n != first)
    page.locator("select").first.select_option(other)
    page.wait_for_selector(f'{PNL}[data-scenario="{other}"]', timeout=60_000)
    assert_shows(page, cli_va_net(other))

    # 3. the brand's order value, typed into the slider's readout box
    aov = slider(page, "order value (yuan)")
    target = round(readout(aov) * 1.25)
    box = aov.locator(".widget-readout")
    box.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(str(target))
    page.keyboard.press("Enter")
    assert readout(aov) == target
    expected = expected_va_net(tmp_path, other, {"brand.avg_order_value": target})
    assert_shows(page, expected)

    page.screenshot(path=str(tmp_path / "app.png"))
    assert (tmp_path / "app.png").stat().st_size > 10_000
    assert page.log.errors() == []
    assert not page.locator('[data-mime-type="application/vnd.jupyter.stderr"]').count(), \
        "the app shows an error output"


@pytest.mark.browser
def test_app_screenshot_for_the_readme(app_server, browser, tmp_path):
    """The README's picture of the app: written to docs/img/app.png only when
    AFTERSALES_UPDATE_SCREENSHOT=1 (then committed once), else into the test's folder."""
    context = browser.new_context(viewport={"width": 1280, "height": 1500}, locale="en-US")
    try:
        pg = context.new_page()
        pg.goto(app_server.url)
        pg.wait_for_selector(VA_NET, timeout=90_000)
        pg.wait_for_selector('img.widget-image[src^="blob:"], img.widget-image[src^="data:"]', timeout=60_000)
        target = README_SCREENSHOT if os.environ.get(SCREENSHOT_ENV) == "1" else tmp_path / "app.png"
        target.parent.mkdir(parents=True, exist_ok=True)
        pg.screenshot(path=str(target))
        assert target.stat().st_size > 10_000
    finally:
        context.close()


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


@pytest.mark.slow  # several seconds (make test runs it, make check leaves it out)
def test_app_stops_cleanly_on_ctrl_c(jupyter_env, tmp_path):
    srv = AppServer(jupyter_env, tmp_path / "app.log")
    assert srv.url == f"http://127.0.0.1:{srv.port}/"
    code = srv.stop(signal.SIGINT)
    out = "\n".join(srv.lines)
    assert code == 0, out
    assert "Stopped." in out and "Traceback" not in out
    deadline = time.monotonic() + 10
    while not _port_free(srv.port) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert _port_free(srv.port), "the Voilà server still holds the port after Ctrl-C"


def test_app_refuses_a_port_in_use(run_cli):
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)
        port = s.getsockname()[1]
        r = run_cli("app", "--port", port, timeout=60)
    assert r.returncode == 2
    assert f"port {port}" in r.stderr and "in use" in r.stderr and "Traceback" not in r.stderr


@pytest.mark.browser
def test_app_in_chinese_shows_chinese_labels_after_a_slider_change(app_server, page):
    """``?lang=zh``: slider descriptions, tabs, the P&L table and its caption are Chinese, and a
    slider change redraws the pictures without bringing English back."""
    from aftersales.glossary import english_words

    page.goto(app_server.url + "?lang=zh")
    page.wait_for_selector(VA_NET, timeout=90_000)
    page.wait_for_selector(".widget-image", state="attached", timeout=60_000)
    price = slider(page, "价格(元)")
    before = page.eval_on_selector_all(".widget-image", "els => els.map(e => e.src)")
    value = shown_va_net(page)[0]
    price.locator(".noUi-handle").focus()
    page.keyboard.press("ArrowRight")
    deadline = time.monotonic() + 60
    while shown_va_net(page)[0] == value and time.monotonic() < deadline:
        page.wait_for_timeout(100)
    page.wait_for_function("([b]) => Array.from(document.querySelectorAll('.widget-image'))"
                           ".every((e, i) => e.src !== b[i])", arg=[before], timeout=60_000)
    assert shown_va_net(page)[0] != value
    table = page.locator(PNL).inner_text()
    assert "增值售后净额" in table and "年度损益" in table
    labels = " ".join(page.locator(".widget-slider:visible label.widget-label").all_inner_texts())
    tabs = " ".join(page.locator(".lm-TabBar-tabLabel, .p-TabBar-tabLabel").all_inner_texts())
    assert "基础旧衣改造" in tabs
    assert english_words(" ".join([table, labels, tabs])) == []
    assert page.log.errors() == []
