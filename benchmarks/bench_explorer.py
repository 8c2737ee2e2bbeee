"""Browser benchmark: from a slider move to the new picture in the what-if app, in Chromium.

    python benchmarks/bench_explorer.py            # 25 moves, English
    python benchmarks/bench_explorer.py --moves 40 --lang zh

Starts the what-if app (Voilà serving the package's app notebook) on a free loopback port with its
own Jupyter and matplotlib state, opens it in Debian's Chromium through Playwright, waits for the
first figures, then moves the first service's price slider one step at a time with the arrow keys
on its focused handle. For each move it times, inside the page, from the key press to the moment
every figure of the explorer shows a new picture (all images replaced and decoded). Prints the
first move apart (it pays for warming up), then the median, p90 and maximum of the others, in
milliseconds. No assertions: the tests never time anything.
"""
from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"]

#: The explorer's pictures: ipywidgets Image views (fast path) or PNG outputs of an Output widget.
IMAGES = ".widget-image, .widget-output img"

# Resolves with the time (performance.now(), ms) at which every picture has changed and decoded.
_WAIT_JS = """
([sel, before, t0, timeout]) => new Promise((resolve, reject) => {
  const check = async () => {
    const imgs = Array.from(document.querySelectorAll(sel)).filter(i => i.src);
    const srcs = imgs.map(i => i.src);
    if (imgs.length >= before.length && srcs.every(s => !before.includes(s))) {
      try { await Promise.all(imgs.map(i => i.decode())); } catch (e) {}
      resolve(performance.now());
      return;
    }
    if (performance.now() - t0 > timeout) { reject(new Error('no new picture')); return; }
    requestAnimationFrame(check);
  };
  check();
})
"""


def _env(state: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    env.pop("MPLBACKEND", None)
    for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython"),
                     ("MPLCONFIGDIR", "matplotlib")):
        (state / sub).mkdir(parents=True, exist_ok=True)
        env[var] = str(state / sub)
    return env


def run(moves: int, lang: str, chromium: str) -> dict:
    from playwright.sync_api import sync_playwright

    from aftersales.web.app import READY_PATH, free_port, voila_command, wait_for_http

    state = Path(tempfile.mkdtemp(prefix="bench-explorer-"))
    port = free_port()
    log = open(state / "voila.log", "wb")
    proc = subprocess.Popen(voila_command(port), env=_env(state), cwd=state, stdout=log,
                            stderr=subprocess.STDOUT, start_new_session=True)
    times: list[float] = []
    try:
        if not wait_for_http(f"http://127.0.0.1:{port}/{READY_PATH}", 120, proc):
            raise SystemExit(f"the app did not start; see {state / 'voila.log'}")
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1280, "height": 1000})
            page.set_default_timeout(120_000)
            query = "" if lang == "en" else f"?lang={lang}"
            t_load = time.perf_counter()
            page.goto(f"http://127.0.0.1:{port}/{query}")
            page.wait_for_selector(IMAGES, state="attached", timeout=180_000)
            page.wait_for_timeout(1500)  # let the first drawing settle
            load_s = time.perf_counter() - t_load
            n_images = page.locator(IMAGES).count()
            handle = page.locator(".widget-tab .widget-slider:visible .noUi-handle").first
            handle.focus()
            for _ in range(moves + 1):
                before = page.eval_on_selector_all(IMAGES, "els => els.map(e => e.src)")
                t0 = page.evaluate("performance.now()")
                page.keyboard.press("ArrowRight")
                t1 = page.evaluate(_WAIT_JS, [IMAGES, before, t0, 60_000])
                times.append(t1 - t0)
                page.wait_for_timeout(150)
            browser.close()
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        try:
            os.killpg(proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        log.close()
        shutil.rmtree(state, ignore_errors=True)
    rest = sorted(times[1:])
    p90 = rest[min(len(rest) - 1, int(round(0.9 * (len(rest) - 1))))]
    return {"lang": lang, "moves": len(rest), "images": n_images, "page_load_s": load_s,
            "first_move_ms": times[0], "median_ms": statistics.median(rest), "p90_ms": p90,
            "max_ms": rest[-1]}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--moves", type=int, default=25, help="slider moves timed after the first (default 25)")
    ap.add_argument("--lang", choices=("en", "zh", "both"), default="en")
    ap.add_argument("--chromium", default=shutil.which("chromium") or "/usr/bin/chromium")
    args = ap.parse_args(argv)
    r = run(args.moves, args.lang, args.chromium)
    print(f"what-if app, lang={r['lang']}: {r['images']} pictures per redraw, page ready in {r['page_load_s']:.1f} s")
    print(f"first move                 {r['first_move_ms']:8.0f} ms")
    print(f"slider move -> new picture median {r['median_ms']:6.0f} ms   p90 {r['p90_ms']:6.0f} ms   "
          f"max {r['max_ms']:6.0f} ms   ({r['moves']} moves)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
