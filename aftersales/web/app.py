"""The what-if app: the P&L explorer as a web page for students who do not code.

``python -m aftersales app [--port PORT]`` serves the package's ``data/app/whatif.ipynb`` with Voilà on
127.0.0.1 (code hidden, only the widgets of :func:`aftersales.course.explorers.pnl_explorer`), prints the
address once the server answers, and stops cleanly on Ctrl-C (the server and its kernels are shut
down, exit code 0). Every browser tab gets its own kernel (about 100 MB); kernels of closed or idle
tabs are shut down after ``--cull-idle`` seconds.
"""
from __future__ import annotations

import collections
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from aftersales.resources import DATA_DIR

__all__ = ["APP_NOTEBOOK", "DEFAULT_PORT", "voila_command", "free_port", "wait_for_http", "port_in_use",
           "stop_server"]

APP_NOTEBOOK = DATA_DIR / "app" / "whatif.ipynb"
DEFAULT_PORT = 8866
#: A static file Voilà serves without starting a kernel: poll it to know the server is up.
READY_PATH = "voila/static/voila.js"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def voila_command(port: int, notebook: str | Path = APP_NOTEBOOK, *, cull_idle: int = 600,
                  cull_interval: int = 60) -> list[str]:
    """The Voilà command line the app runs (loopback only, no browser, kernel culling on)."""
    return [sys.executable, "-m", "voila", str(notebook),
            "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
            "--theme=light", "--VoilaConfiguration.show_tracebacks=False",
            # a kernel per page: shut down kernels nobody uses any more
            f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
            f"--MappingKernelManager.cull_interval={cull_interval}",
            "--MappingKernelManager.cull_connected=False"]


def wait_for_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> bool:
    """Poll ``url`` until it answers 200 (True), ``proc`` exits or ``timeout`` s pass (False)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return True
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        time.sleep(0.25)
    return False


def stop_server(proc: subprocess.Popen, timeout: float = 15) -> None:
    """Terminate the server (it shuts its kernels down), kill it if it does not stop in time."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
