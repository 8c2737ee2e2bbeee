"""Fixtures of the browser tests: Debian's Chromium driven by Playwright, and the servers it visits.

Every server (the what-if app, JupyterLab, the static site) runs on a free loopback port with its
own Jupyter/IPython/matplotlib state in a temporary folder, and is always stopped at teardown.
Chromium is Debian's (``scripts/install_system_deps.sh`` installs it when missing); Playwright's
own browser download is never used.
"""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path
from urllib.parse import urlparse

import pytest

from aftersales.web.app import free_port, wait_for_http

ROOT = Path(__file__).resolve().parents[2]
INSTALL_SCRIPT = ROOT / "scripts" / "install_system_deps.sh"

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--no-first-run"]

#: Public CDNs the rendered pages load optional scripts and fonts from (MathJax, require.js,
#: the widget renderer, Font Awesome). Offline, each failed request logs one console error;
#: only those are ignored, nothing else.
OFFLINE_CDN_HOSTS = frozenset({"cdnjs.cloudflare.com", "cdn.jsdelivr.net", "unpkg.com",
                               "mybinder.org"})   # notebook 00's Binder launch badge image


# ------------------------------------------------------------------------------ processes
def stop_process(proc: subprocess.Popen, sig: int = signal.SIGTERM, timeout: float = 60) -> int:
    """Stop a server started by these fixtures, then anything left in its process group."""
    if proc.poll() is None:
        proc.send_signal(sig)
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(10)
    try:  # kernels the server may have left behind (the group is the one we created)
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    return proc.returncode


def log_tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""


@pytest.fixture(scope="session")
def jupyter_env(tmp_path_factory) -> dict[str, str]:
    """Environment of a server or kernel with its own Jupyter, IPython and matplotlib state."""
    base = tmp_path_factory.mktemp("jupyter-state")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "IPYTHON"))}
    env.pop("MPLBACKEND", None)            # the kernel's inline backend must be used
    for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                     ("JUPYTER_RUNTIME_DIR", "runtime"), ("JUPYTERLAB_SETTINGS_DIR", "lab-settings"),
                     ("JUPYTERLAB_WORKSPACES_DIR", "lab-workspaces"), ("IPYTHONDIR", "ipython"),
                     ("MPLCONFIGDIR", "matplotlib")):
        (base / sub).mkdir()
        env[var] = str(base / sub)
    # JupyterLab: no news toast, no update check (they cover the page and need the internet)
    notif = base / "lab-settings" / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings"
    notif.parent.mkdir(parents=True)
    notif.write_text('{"fetchNews": "false", "checkForUpdates": false}\n')
    # render every cell (no windowing), so a test sees all prompts and outputs
    tracker = base / "lab-settings" / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings"
    tracker.parent.mkdir(parents=True)
    tracker.write_text('{"windowingMode": "none"}\n')
    env["PYTHONIOENCODING"] = "utf-8"
    env["PYTHONUNBUFFERED"] = "1"
    return env


class Server:
    """A server process in its own process group, logging to a file."""

    def __init__(self, cmd: list[str], env: dict, log: Path, cwd: Path = ROOT):
        self.log = log
        self._log_file = open(log, "wb")
        self.proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=self._log_file,
                                     stderr=subprocess.STDOUT, start_new_session=True)

    def wait_ready(self, url: str, timeout: float = 90) -> None:
        if not wait_for_http(url, timeout, self.proc):
            self.stop()
            pytest.fail(f"server did not answer {url} within {timeout} s; log:\n{log_tail(self.log)}")

    def stop(self, sig: int = signal.SIGTERM) -> int:
        code = stop_process(self.proc, sig)
        self._log_file.close()
        return code


# ------------------------------------------------------------------------------ browser
@pytest.fixture(scope="session")
def chromium_path() -> str:
    """Debian's chromium; installed by scripts/install_system_deps.sh when missing."""
    path = shutil.which("chromium")
    if path:
        return path
    why = "chromium is not installed"
    if INSTALL_SCRIPT.is_file():
        r = subprocess.run(["bash", str(INSTALL_SCRIPT)], capture_output=True, text=True, timeout=900)
        path = shutil.which("chromium")
        if path:
            return path
        why = (r.stderr or r.stdout).strip().splitlines()[-1:] or [why]
        why = why[0]
    pytest.skip(f"browser tests need Debian's chromium, which could not be installed: {why}")


@pytest.fixture(scope="session")
def browser(chromium_path):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


class PageLog:
    """Console errors and page errors of one page, minus the known offline CDN failures."""

    def __init__(self, page):
        self.console: list[str] = []
        self.page_errors: list[str] = []
        self.ignored: list[str] = []
        page.on("console", self._on_console)
        page.on("pageerror", lambda exc: self.page_errors.append(str(exc)))

    def _on_console(self, msg) -> None:
        if msg.type != "error":
            return
        url = (msg.location or {}).get("url", "")
        text = msg.text
        if is_offline_cdn_error(text, url):
            self.ignored.append(f"{text} ({url})")
        else:
            self.console.append(f"{text} ({url})" if url else text)

    def errors(self) -> list[str]:
        return [f"console: {e}" for e in self.console] + [f"page error: {e}" for e in self.page_errors]

    def clear(self) -> None:
        self.console.clear()
        self.page_errors.clear()


def is_offline_cdn_error(text: str, url: str) -> bool:
    """A failed load of a resource from one of the public CDNs (we are offline), or MathJax 2's
    web-font probe (it points a font at about:blank to see whether web fonts load), nothing else."""
    host = urlparse(url).hostname or ""
    if text.startswith("Access to font at 'about:blank'") or (
            url == "about:blank" and text.startswith("Failed to load resource: net::ERR_FAILED")):
        return True
    if text == "Failed to load resource: net::ERR_FAILED" and not url:
        return True
    return host in OFFLINE_CDN_HOSTS and text.startswith("Failed to load resource: net::ERR_")


@pytest.fixture
def page(browser):
    """A fresh page (1280x900, own context); ``page.log`` holds its errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")
    pg = context.new_page()
    pg.set_default_timeout(30_000)
    pg.log = PageLog(pg)
    try:
        yield pg
    finally:
        context.close()


# ------------------------------------------------------------------------------ servers
APP_LINE = re.compile(r"running at (http://127\.0\.0\.1:\d+/)")


def _default_sigint() -> None:
    """Ctrl-C as a user's terminal sends it: a test run started in the background (where the shell
    ignores SIGINT, and children inherit that) must still see the app stop on it."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


class AppServer:
    """``python -m aftersales app --port PORT`` as a user runs it; ``url`` is the address it printed."""

    def __init__(self, env: dict, log: Path, port: int | None = None, timeout: float = 90):
        self.port = port or free_port()
        self.log = log
        self.lines: list[str] = []
        self.proc = subprocess.Popen([sys.executable, "-m", "aftersales", "app", "--port", str(self.port)],
                                     env=env, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                     text=True, start_new_session=True, preexec_fn=_default_sigint)
        self._found = threading.Event()
        self.url: str | None = None
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()
        if not self._found.wait(timeout) or self.url is None:
            self.stop()
            pytest.fail(f"the app did not print its address within {timeout} s; output:\n"
                        + "\n".join(self.lines[-30:]))

    def _read(self) -> None:
        with open(self.log, "w") as f:
            for line in self.proc.stdout:
                self.lines.append(line.rstrip("\n"))
                f.write(line)
                f.flush()
                m = APP_LINE.search(line)
                if m and self.url is None:
                    self.url = m.group(1)
                    self._found.set()
        self._found.set()

    def stop(self, sig: int = signal.SIGINT) -> int:
        """Ctrl-C, as a user stops it; the Voilà server it started is stopped too if it lingers."""
        servers = _children(self.proc.pid)
        code = stop_process(self.proc, sig)
        for pid in servers:      # runs in its own process group (so Ctrl-C reaches only the app)
            try:
                os.killpg(pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
        self._reader.join(5)
        return code


def _children(pid: int) -> list[int]:
    """Child processes of ``pid`` (Linux; empty elsewhere)."""
    out: list[int] = []
    for f in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            out += [int(x) for x in f.read_text().split()]
        except OSError:
            pass
    return out


@pytest.fixture(scope="session")
def app_server(jupyter_env, tmp_path_factory):
    srv = AppServer(jupyter_env, tmp_path_factory.mktemp("app") / "app.log")
    try:
        yield srv
    finally:
        srv.stop()


@pytest.fixture(scope="session")
def lab_server(jupyter_env, tmp_path_factory):
    """JupyterLab on a free port, serving a scratch folder; yields (base_url, token, root)."""
    root = tmp_path_factory.mktemp("lab-root")
    port, token = free_port(), "aftersales-test-token"
    cmd = [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
           "--ServerApp.port_retries=0", "--allow-root", f"--IdentityProvider.token={token}",
           f"--ServerApp.root_dir={root}", "--LabApp.check_for_updates_class="
           "jupyterlab.handlers.announcements.NeverCheckForUpdate"]
    srv = Server(cmd, jupyter_env, tmp_path_factory.mktemp("lab-log") / "lab.log", cwd=root)
    try:
        srv.wait_ready(f"http://127.0.0.1:{port}/api", timeout=120)
        yield f"http://127.0.0.1:{port}", token, root
    finally:
        srv.stop()


@pytest.fixture(scope="session")
def built_site(jupyter_env, tmp_path_factory) -> Path:
    """The course site, built once per session with ``python -m aftersales site`` (as ``make site``)."""
    out = tmp_path_factory.mktemp("site") / "_site"
    r = subprocess.run([sys.executable, "-m", "aftersales", "site", "--out", str(out), "--timeout", "300"], cwd=ROOT,
                       env=jupyter_env, capture_output=True, text=True, timeout=1200)
    if r.returncode != 0:
        pytest.fail(f"the site build failed (exit {r.returncode}):\n{r.stderr[-3000:]}\n{r.stdout[-2000:]}")
    (out.parent / "build.log").write_text(r.stdout + r.stderr, encoding="utf-8")
    return out


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@pytest.fixture(scope="session")
def site_server(built_site):
    """A plain static file server on a free loopback port, as any web host would serve the folder."""
    handler = functools.partial(_QuietHandler, directory=str(built_site))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}/"
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join(5)
