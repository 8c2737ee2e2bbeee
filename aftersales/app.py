"""The what-if app: the P&L explorer as a web page for students who do not code.

``python -m aftersales app [--port PORT]`` serves ``notebooks/app/whatif.ipynb`` with Voilà on
127.0.0.1 (code hidden, only the widgets of :func:`aftersales.widgets.pnl_explorer`), prints the
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

__all__ = ["APP_NOTEBOOK", "DEFAULT_PORT", "voila_command", "free_port", "wait_for_http",
           "register_cli", "cmd_app"]

APP_NOTEBOOK = Path(__file__).resolve().parent.parent / "notebooks" / "app" / "whatif.ipynb"
DEFAULT_PORT = 8866
#: A static file Voilà serves without starting a kernel: poll it to know the server is up.
READY_PATH = "voila/static/voila.js"


def free_port(host: str = "127.0.0.1") -> int:
    """A TCP port that is free on ``host`` right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((host, 0))
        return s.getsockname()[1]


def _port_in_use(port: int, host: str = "127.0.0.1") -> bool:
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


def _stop(proc: subprocess.Popen, timeout: float = 15) -> None:
    """Terminate the server (it shuts its kernels down), kill it if it does not stop in time."""
    if proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def cmd_app(args) -> int:
    from .cli import CLIError

    if not APP_NOTEBOOK.is_file():
        raise FileNotFoundError(f"the app notebook {APP_NOTEBOOK} is missing")
    if not 0 <= args.port < 65536:
        raise CLIError(f"--port must be between 1 and 65535 (or 0 for any free port), got {args.port}")
    port = args.port or free_port()
    if _port_in_use(port):
        raise CLIError(f"port {port} on 127.0.0.1 is in use; choose another with --port "
                       "(or --port 0 for any free port)")
    url = f"http://127.0.0.1:{port}/"
    print(f"Starting the what-if app on {url} ...", flush=True)
    # own process group: Ctrl-C reaches only this process, which then stops the server in order
    proc = subprocess.Popen(voila_command(port, cull_idle=args.cull_idle), start_new_session=True,
                            stdout=None if args.verbose else subprocess.DEVNULL,
                            stderr=None if args.verbose else subprocess.PIPE)

    def _on_term(signum, frame):
        raise KeyboardInterrupt
    old_term = signal.signal(signal.SIGTERM, _on_term)
    try:
        if not wait_for_http(url + READY_PATH, args.startup_timeout, proc):
            err = ""
            if proc.poll() is not None and proc.stderr is not None:
                tail = proc.stderr.read().decode("utf-8", "replace").strip().splitlines()
                err = f": {tail[-1]}" if tail else ""
            _stop(proc)
            raise CLIError(f"the Voilà server did not start within {args.startup_timeout} s{err}")
        print(f"What-if app running at {url}  (open it in a browser; Ctrl-C stops it)", flush=True)
        tail: collections.deque[bytes] = collections.deque(maxlen=20)
        if proc.stderr is not None:       # keep reading so the server never blocks on a full pipe
            for line in iter(proc.stderr.readline, b""):
                tail.append(line)
        code = proc.wait()
        log = b"".join(tail).decode("utf-8", "replace").rstrip()
        print(f"the Voilà server stopped (exit code {code})" + (f"; its last messages:\n{log}" if log else ""),
              file=sys.stderr)
        return 1 if code else 0
    except KeyboardInterrupt:
        print("\nStopping the what-if app ...", flush=True)
        _stop(proc)
        print("Stopped.", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, old_term)
        _stop(proc)


def register_cli(subparsers) -> None:
    """Add ``app [--port PORT]`` to the command line."""
    a = subparsers.add_parser("app", help="start the what-if app (Voilà) on 127.0.0.1 and print its address")
    a.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"port on 127.0.0.1 (default: {DEFAULT_PORT}; 0 = any free port)")
    a.add_argument("--cull-idle", type=int, default=600, metavar="SECONDS",
                   help="shut down the kernel of a closed or idle page after this many seconds (default: 600)")
    a.add_argument("--startup-timeout", type=float, default=60, metavar="SECONDS",
                   help="give up if the server has not started after this many seconds (default: 60)")
    a.add_argument("--verbose", action="store_true", help="show the Voilà server's log")
    a.set_defaults(func=cmd_app)
