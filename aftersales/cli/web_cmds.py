"""``app`` and ``site``: the web front ends."""
from __future__ import annotations

from aftersales.web.app import APP_NOTEBOOK, DEFAULT_PORT, READY_PATH, free_port, port_in_use, stop_server, voila_command, wait_for_http
from aftersales.web.site import NOTEBOOK_DIR, SITE_DIR, SiteError, build_site
import argparse
import collections
import signal
import subprocess
import sys

__all__ = ["register"]


def cmd_app(args) -> int:
    from aftersales.cli.output import CLIError

    if not APP_NOTEBOOK.is_file():
        raise FileNotFoundError(f"the app notebook {APP_NOTEBOOK} is missing")
    if not 0 <= args.port < 65536:
        raise CLIError(f"--port must be between 1 and 65535 (or 0 for any free port), got {args.port}")
    port = args.port or free_port()
    if port_in_use(port):
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
            stop_server(proc)
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
        stop_server(proc)
        print("Stopped.", flush=True)
        return 0
    finally:
        signal.signal(signal.SIGTERM, old_term)
        stop_server(proc)


def _register_app(subparsers) -> None:
    """Add ``app [--port PORT]`` to the command line."""
    a = subparsers.add_parser("app", help="start the what-if app (Voilà) on 127.0.0.1 and print its address")
    a.add_argument("--port", type=int, default=DEFAULT_PORT,
                   help=f"port on 127.0.0.1 (default: {DEFAULT_PORT}; 0 = any free port)")
    a.add_argument("--cull-idle", type=int, default=600, metavar="SECONDS",
                   help="shut down a kernel left without its page (a crashed browser, a lost connection) after "
                        "this many seconds without activity; an open page keeps its kernel (default: 600; "
                        "0: never)")
    a.add_argument("--startup-timeout", type=float, default=60, metavar="SECONDS",
                   help="give up if the server has not started after this many seconds (default: 60)")
    a.add_argument("--verbose", action="store_true", help="show the Voilà server's log")
    a.set_defaults(func=cmd_app)


def _add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("--out", default=str(SITE_DIR), help="output folder (default: _site)")
    p.add_argument("--notebooks", default=str(NOTEBOOK_DIR), help="folder of the series (default: notebooks)")
    p.add_argument("--timeout", type=int, default=600, help="seconds a cell may run (default: 600)")
    p.add_argument("--hide-solutions", action="store_true",
                   help="do not show the exercise solutions (the notebooks still run with them)")


def cmd_site(args) -> int:
    """Build the site from parsed arguments (errors are raised as SiteError, a ValueError)."""
    if args.timeout < 1:
        raise SiteError(f"--timeout must be at least 1 second, got {args.timeout}")
    build_site(args.out, args.notebooks, timeout=args.timeout, solutions=not args.hide_solutions, log=print)
    return 0


def _register_site(subparsers) -> None:
    """Add ``site`` to ``python -m aftersales`` (when this module is listed in cli.EXTENSIONS)."""
    p = subparsers.add_parser("site", help="execute the notebook series and render it as a static site in _site/")
    _add_arguments(p)
    p.set_defaults(func=cmd_site)




def register(subparsers) -> None:
    """Add ``app`` and ``site``."""
    _register_app(subparsers)
    _register_site(subparsers)
