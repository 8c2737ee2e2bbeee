"""The what-if app: the P&L explorer as a web page for students who do not code.

``python -m aftersales app [--port PORT]`` serves the package's ``data/app/whatif.ipynb`` with Voilà on
127.0.0.1 (code hidden, only the widgets of :func:`aftersales.course.explorers.pnl_explorer`), prints the
address once the server answers, and stops cleanly on Ctrl-C (the server and its kernels are shut
down, exit code 0). Every browser tab gets its own kernel (about 100 MB). Closing a tab shuts its
kernel down at once (Voilà's page asks the server to when it unloads). A kernel whose tab went away
without saying so (a browser that crashed, a laptop that slept, a lost connection) is shut down by
the server's culler once it has had no connection and no activity for more than ``--cull-idle``
seconds, at the culler's next check (every 60 s). A tab that stays open keeps its kernel however
long it sits idle: only kernels without a connection are culled (:func:`voila_command`).
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
    """A TCP port that is free on ``host`` right now.

    Parameters
    ----------
    host : str, optional
        The address to bind (default the loopback ``127.0.0.1``).

    Returns
    -------
    int
        A port the system handed out (binding port 0), closed again before returning.

    Notes
    -----
    "Right now": another program may take the port before the caller binds it; the app then
    fails to start with Voilà's own message (``--Voila.port_retries=0``).

    Examples
    --------
    >>> port = free_port()
    >>> 0 < port < 65536, port_in_use(port)
    (True, False)
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def port_in_use(port: int, host: str = "127.0.0.1") -> bool:
    """True if ``port`` cannot be bound on ``host`` (a server, the app's or another, holds it).

    Parameters
    ----------
    port : int
        A TCP port, 1-65535.
    host : str, optional
        The address (default the loopback ``127.0.0.1``).

    Returns
    -------
    bool

    Notes
    -----
    The test binds the port (without ``SO_REUSEADDR``) and lets it go: any ``OSError`` counts as
    in use, a port below 1024 too where the user may not bind it.

    Examples
    --------
    >>> import socket
    >>> with socket.socket() as server:
    ...     server.bind(("127.0.0.1", 0))
    ...     server.listen()
    ...     port = server.getsockname()[1]
    ...     port_in_use(port)
    True
    """
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        try:
            s.bind((host, port))
        except OSError:
            return True
    return False


def voila_command(port: int, notebook: str | Path = APP_NOTEBOOK, *, cull_idle: int = 600,
                  cull_interval: int = 60) -> list[str]:
    """The Voilà command line the app runs (loopback only, no browser, kernel culling on).

    Parameters
    ----------
    port : int
        The TCP port to serve on (the app's default is :data:`DEFAULT_PORT`, 8866).
    notebook : str or pathlib.Path, optional
        The notebook Voilà renders (default :data:`APP_NOTEBOOK`, the package's what-if app).
    cull_idle : int, optional
        ``MappingKernelManager.cull_idle_timeout``: seconds without activity (no message to or
        from the kernel: no slider moved, nothing computed) after which a kernel *with no
        connection* is shut down (default 600); 0 or less turns culling off.
    cull_interval : int, optional
        ``MappingKernelManager.cull_interval``: seconds between two checks of the culler
        (default 60), so an unconnected kernel goes at most ``cull_idle + cull_interval``
        seconds after its last activity.

    Returns
    -------
    list of str
        The arguments of ``subprocess.Popen``: this Python, ``-m voila``, the notebook and the
        options.

    Notes
    -----
    Port retries are off, so a taken port fails the start instead of serving elsewhere
    unannounced; tracebacks are not shown to the students.

    Culling, as Jupyter Server's ``MappingKernelManager`` does it: at each check it shuts down a
    kernel that has been idle longer than ``cull_idle_timeout``, is not busy (``cull_busy`` is
    left False: a running computation is never cut) and, with ``cull_connected=False`` as set
    here, has no open connection. So the culler only collects kernels whose tab is gone without
    shutting them down (Voilà's page shuts its kernel down itself when the tab is closed
    normally); a tab still open and connected keeps its kernel however idle it is, and a student
    coming back to it finds the app as she left it. Memory therefore follows the open tabs, plus
    for a while (at most ``cull_idle + cull_interval`` seconds) the kernels of tabs that vanished.

    Examples
    --------
    >>> cmd = voila_command(8866, "whatif.ipynb", cull_idle=300)
    >>> cmd[1:4], "--port=8866" in cmd, "--Voila.ip=127.0.0.1" in cmd
    (['-m', 'voila', 'whatif.ipynb'], True, True)
    >>> [a for a in cmd if "cull_" in a]                # doctest: +NORMALIZE_WHITESPACE
    ['--MappingKernelManager.cull_idle_timeout=300', '--MappingKernelManager.cull_interval=60',
     '--MappingKernelManager.cull_connected=False']
    """
    return [sys.executable, "-m", "voila", str(notebook),
            "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1", "--Voila.port_retries=0",
            "--theme=light", "--VoilaConfiguration.show_tracebacks=False",
            # a kernel per page: shut down kernels left without a tab (see Notes)
            f"--MappingKernelManager.cull_idle_timeout={cull_idle}",
            f"--MappingKernelManager.cull_interval={cull_interval}",
            "--MappingKernelManager.cull_connected=False"]


def wait_for_http(url: str, timeout: float, proc: subprocess.Popen | None = None) -> bool:
    """Poll ``url`` until it answers 200 (True), ``proc`` exits or ``timeout`` s pass (False).

    Parameters
    ----------
    url : str
        The address to ask (the app polls Voilà's static :data:`READY_PATH`, which starts no kernel).
    timeout : float
        Seconds to keep trying.
    proc : subprocess.Popen, optional
        The server process; if it exits, waiting stops at once (False).

    Returns
    -------
    bool
        True as soon as one request answers HTTP 200.

    Notes
    -----
    One request every 0.25 s, each given at most 2 s; connection errors and other statuses just
    mean "not yet". A timeout of 0 asks nothing and returns False.

    Examples
    --------
    A small server in a thread, answering 200 to every request:

    >>> import threading
    >>> from http.server import BaseHTTPRequestHandler, HTTPServer
    >>> class Ok(BaseHTTPRequestHandler):
    ...     def do_GET(self):
    ...         self.send_response(200)
    ...         self.end_headers()
    ...     def log_message(self, *args):
    ...         pass
    >>> server = HTTPServer(("127.0.0.1", 0), Ok)
    >>> thread = threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True)
    >>> thread.start()
    >>> wait_for_http(f"http://127.0.0.1:{server.server_port}/{READY_PATH}", timeout=5)
    True
    >>> server.shutdown(), server.server_close()
    (None, None)
    >>> wait_for_http(f"http://127.0.0.1:{server.server_port}/", timeout=0)
    False
    """
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
    """Terminate the server (it shuts its kernels down), kill it if it does not stop in time.

    Parameters
    ----------
    proc : subprocess.Popen
        The server process; one that has already exited is left alone.
    timeout : float, optional
        Seconds to wait after SIGTERM before SIGKILL (default 15).

    Returns
    -------
    None
        When the process has exited (it is waited for, so no zombie is left).

    Examples
    --------
    >>> import signal, subprocess, sys
    >>> proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    >>> stop_server(proc, timeout=5)
    >>> proc.returncode == -signal.SIGTERM
    True
    """
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
