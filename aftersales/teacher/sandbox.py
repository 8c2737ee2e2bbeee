"""One submission, one sandbox: a fresh process, a private copy, no network, no key, hard limits.

:func:`run_notebook` executes one student's notebook in a child process of its own (never a shared
pool: one submission that kills its process takes nobody else with it). On Linux the child runs in
bubblewrap (``bwrap``) with every namespace unshared (no network but loopback, its own process
tree and /proc: it cannot see the grader's command line or any other process), a read-only view
of the system, the Python installation and the library and nothing else (not the teacher's home,
the answer key, the roster or other submissions), a clean environment, a private /tmp and working
folder on size-limited tmpfs, and resource limits set in the child (:mod:`aftersales.teacher.runner`):
CPU time, address space, file size, processes and open files. The parent keeps the wall clock:
past it, the child's whole process group is killed. Answers come back over a pipe, cell by cell;
the parent rebuilds the executed notebook from its own copy of the submission.

Without bubblewrap, :func:`run_notebook` with ``sandbox=False`` runs the same child without
isolation (the limits and the private copy stay; the key and the teacher's files are not hidden).
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from pathlib import Path

__all__ = ["Limits", "SandboxError", "find_bwrap", "check_sandbox", "run_notebook", "bwrap_command"]


class SandboxError(RuntimeError):
    """The sandbox cannot run here (the teacher's setup, not a student's submission).

    Raised by :func:`check_sandbox` (and so by :func:`run_notebook` and ``grade`` with the
    sandbox on); the command line shows its message as one line and exits with code 2.

    Parameters
    ----------
    message : str
        The one-line reason and what to do about it.

    Examples
    --------
    >>> try:
    ...     raise SandboxError("bubblewrap (bwrap) is not installed")
    ... except RuntimeError as exc:
    ...     print(type(exc).__name__, exc)
    SandboxError bubblewrap (bwrap) is not installed
    """


@dataclass(frozen=True)
class Limits:
    """Limits of one submission's run (seconds, megabytes, counts, bytes).

    Parameters
    ----------
    timeout : float, default 120.0
        Seconds of wall clock for the notebook's cells together.
    start_timeout : float, default 60.0
        Seconds for the kernel to start.
    cpu_seconds : float, default 0.0
        CPU seconds of the child; 0: ``timeout + start_timeout + 30``.
    memory_mb : int, default 4096
        Address space of each process, megabytes.
    file_mb : int, default 64
        Largest file written, megabytes.
    disk_mb : int, default 256
        Size of the working folder (tmpfs), megabytes, and as much again for /tmp.
    processes : int, default 256
        Processes and threads of the sandbox's own user.
    open_files : int, default 1024
        Open files of a process.
    cell_output_bytes, total_output_bytes : int, default 1,000,000 and 8,000,000
        Output kept of one cell and of the whole notebook, bytes; past them the cell is
        interrupted and the run's status is "output limit".

    Examples
    --------
    >>> limits = Limits(timeout=60)
    >>> limits.child_limits()["cpu_seconds"]        # 60 + 60 + 30
    150.0
    >>> limits.memory_mb, limits.disk_mb
    (4096, 256)
    """

    timeout: float = 120.0             # the notebook's cells together (wall clock)
    start_timeout: float = 60.0        # the kernel's start
    cpu_seconds: float = 0.0           # 0: timeout + start_timeout + 30
    memory_mb: int = 4096              # address space of each process
    file_mb: int = 64                  # largest file written
    disk_mb: int = 256                 # working folder (tmpfs), and as much again for /tmp
    processes: int = 256               # processes and threads of the sandbox's own user
    open_files: int = 1024
    cell_output_bytes: int = 1_000_000
    total_output_bytes: int = 8_000_000

    def child_limits(self) -> dict:
        """The rlimits the child sets (see :mod:`aftersales.teacher.runner`).

        Returns
        -------
        dict
            ``cpu_seconds``, ``memory_mb``, ``file_mb``, ``processes`` and ``open_files``.

        Examples
        --------
        >>> Limits(cpu_seconds=300).child_limits()
        {'cpu_seconds': 300, 'memory_mb': 4096, 'file_mb': 64, 'processes': 256, 'open_files': 1024}
        """
        cpu = self.cpu_seconds or (self.timeout + self.start_timeout + 30)
        return {"cpu_seconds": cpu, "memory_mb": self.memory_mb, "file_mb": self.file_mb,
                "processes": self.processes, "open_files": self.open_files}


def find_bwrap() -> str | None:
    """The bubblewrap program on PATH, or None.

    Returns
    -------
    str or None
        The path of ``bwrap`` (found with :func:`shutil.which`).

    Examples
    --------
    >>> found = find_bwrap()
    >>> found is None or os.path.basename(found) == "bwrap"
    True
    """
    return shutil.which("bwrap")


def _python_roots() -> list[str]:
    """What the child needs to see read-only: the Python installation, the environment, the library."""
    import aftersales

    roots = {os.path.realpath(sys.base_prefix), os.path.realpath(sys.prefix),
             os.path.realpath(os.path.dirname(aftersales.__file__))}
    exe = os.path.realpath(sys.executable)
    if not any(exe.startswith(r + os.sep) for r in roots):
        roots.add(os.path.dirname(exe))
    return sorted(r for r in roots if not r.startswith(("/usr/", "/etc/")) and r != "/usr")


def bwrap_command(bwrap: str, staging: str, limits: Limits, as_root: bool) -> list[str]:
    """The bubblewrap command line that runs a child with the staging folder as its read-only input.

    Parameters
    ----------
    bwrap : str
        The bubblewrap program (:func:`find_bwrap`).
    staging : str
        The folder holding the copy of the submission (and the case file), bound read-only at
        ``/input``.
    limits : Limits
        Its ``disk_mb`` sizes the private ``/tmp`` and ``/sandbox`` (tmpfs).
    as_root : bool
        True when the grader runs as root: every namespace but the user one is unshared and the
        child keeps only the capabilities to drop to a user id of its own; otherwise
        ``--unshare-all``.

    Returns
    -------
    list of str
        The command up to the program to run in the sandbox (the caller appends it).

    Notes
    -----
    Read-only: /usr, /bin, /lib..., /etc, the Python installation, the environment and the
    library; nothing of the teacher's home. The environment is cleared and set to
    a fixed, minimal one (one thread for BLAS, UTF-8, private Jupyter and matplotlib folders).

    Examples
    --------
    >>> cmd = bwrap_command("bwrap", "staging", Limits(), as_root=False)
    >>> cmd[:4]
    ['bwrap', '--unshare-all', '--die-with-parent', '--new-session']
    >>> i = cmd.index("/input")
    >>> cmd[i - 2: i + 3]
    ['--ro-bind', 'staging', '/input', '--chdir', '/sandbox']
    >>> root = bwrap_command("bwrap", "staging", Limits(disk_mb=128), as_root=True)
    >>> "--unshare-net" in root, root[root.index("/tmp") - 5: root.index("/tmp") + 1]
    (True, ['--size', '134217728', '--perms', '1777', '--tmpfs', '/tmp'])
    """
    if as_root:      # every namespace but the user one: the child drops to a uid of its own instead
        cmd = [bwrap, "--unshare-ipc", "--unshare-pid", "--unshare-net", "--unshare-uts",
               "--unshare-cgroup-try", "--die-with-parent", "--new-session"]
        cmd += ["--cap-drop", "ALL", "--cap-add", "CAP_SETUID", "--cap-add", "CAP_SETGID",
                "--cap-add", "CAP_CHOWN"]
    else:
        cmd = [bwrap, "--unshare-all", "--die-with-parent", "--new-session"]
    cmd += ["--ro-bind", "/usr", "/usr"]
    for d in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(d):
            cmd += ["--symlink", os.readlink(d), d]
        elif os.path.isdir(d):
            cmd += ["--ro-bind", d, d]
    cmd += ["--ro-bind", "/etc", "/etc"]
    disk = str(limits.disk_mb << 20)
    # the private /tmp and /sandbox first: Python, the venv or the package may live under /tmp
    # (a checkout there), and their read-only binds must land on top of the fresh tmpfs
    cmd += ["--dev", "/dev", "--proc", "/proc",
            "--size", disk, "--perms", "1777", "--tmpfs", "/tmp",
            "--size", disk, "--perms", "1777", "--tmpfs", "/sandbox"]
    roots = _python_roots()
    parents = sorted({str(p) for r in roots for p in Path(r).parents if str(p) not in ("/", "/tmp")},
                     key=len)
    for p in parents:           # bwrap would make them 0700: a dropped uid could not pass through
        if not any(p == r or p.startswith(r + "/") for r in roots):
            cmd += ["--perms", "0755", "--dir", p]
    for r in roots:
        cmd += ["--ro-bind", r, r]
    cmd += ["--ro-bind", staging, "/input", "--chdir", "/sandbox", "--clearenv"]
    for k, v in _child_env("/sandbox").items():
        cmd += ["--setenv", k, v]
    return cmd


def _child_env(home: str) -> dict:
    return {"PATH": f"{os.path.dirname(sys.executable)}:/usr/local/bin:/usr/bin:/bin", "HOME": home,
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "TMPDIR": "/tmp", "MALLOC_ARENA_MAX": "2",
            "MPLCONFIGDIR": "/tmp/matplotlib", "IPYTHONDIR": "/tmp/ipython",
            "JUPYTER_RUNTIME_DIR": "/tmp/jupyter-runtime", "JUPYTER_CONFIG_DIR": "/tmp/jupyter-config",
            "JUPYTER_PLATFORM_DIRS": "1", "PYTHONDONTWRITEBYTECODE": "1", "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "PYDEVD_DISABLE_FILE_VALIDATION": "1"}


_CHECKED: dict[str, str] = {}


def check_sandbox() -> str:
    """Check once that bubblewrap runs here; returns its path.

    Raises
    ------
    SandboxError
        With the one-line reason: bwrap missing (install the Debian package ``bubblewrap``, or
        grade with ``--no-sandbox``), or bwrap failing (user namespaces disabled, for instance).

    Returns
    -------
    str
        The path of bwrap (a path that passed is not checked again in this process).

    Notes
    -----
    The check runs ``python -I -c pass`` in the sandbox :func:`bwrap_command` builds, with the
    default :class:`Limits`. The example does not run it (it starts bubblewrap); the part that
    runs shows the start of the probe's command line for an ordinary user.

    Examples
    --------
    >>> bwrap = check_sandbox()         # doctest: +SKIP
    >>> bwrap_command("bwrap", "probe", Limits(), as_root=False)[1]
    '--unshare-all'
    """
    bwrap = find_bwrap()
    if bwrap is None:
        raise SandboxError("bubblewrap (bwrap) is not installed, so submissions cannot be isolated: install "
                           "it (Debian/Ubuntu: apt-get install bubblewrap) or grade with --no-sandbox "
                           "(student code then runs with your rights)")
    if bwrap in _CHECKED:
        return bwrap
    with tempfile.TemporaryDirectory(prefix="aftersales-probe-") as tmp:
        cmd = bwrap_command(bwrap, tmp, Limits(), os.geteuid() == 0) + [sys.executable, "-I", "-c", "pass"]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=60)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise SandboxError(f"bubblewrap ({bwrap}) does not run here: {exc}") from None
    if r.returncode != 0:
        why = (r.stderr.strip().splitlines() or ["no message"])[-1]
        raise SandboxError(f"bubblewrap ({bwrap}) does not run here ({why}); fix that, or grade with "
                           "--no-sandbox (student code then runs with your rights)")
    _CHECKED[bwrap] = bwrap
    return bwrap


def _user_tasks() -> int:
    """Processes and threads of this user now (RLIMIT_NPROC counts them all where the kernel
    does not count per user namespace): a child's process limit is added on top."""
    uid, n = os.getuid(), 0
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                st = os.stat(f"/proc/{d}")
                if st.st_uid == uid:
                    n += len(os.listdir(f"/proc/{d}/task"))
            except OSError:
                pass
    return n


def _reader(stream, cap: int, events: list, flags: dict) -> None:
    total = 0
    for line in stream:
        total += len(line)
        if total > cap:
            flags["overflow"] = True
            break
        try:
            events.append(json.loads(line))
        except ValueError:
            flags["garbled"] = True
            break


def _kill_group(pgid: int) -> None:
    try:
        os.killpg(pgid, signal.SIGKILL)
    except (OSError, ProcessLookupError):
        pass


def run_notebook(path: str | os.PathLike, extra_files: dict[str, Path] | None = None,
                 limits: Limits = Limits(), sandbox: bool = True, slot: int = 0) -> dict:
    """Execute one notebook in a process (and, with ``sandbox``, a bubblewrap sandbox) of its own.

    Parameters
    ----------
    path : path-like
        The submission (it is copied; the original is never opened for writing).
    extra_files : dict, optional
        {name: path}: files copied beside it (the teacher's copy of the case file).
    limits : Limits
        Time, memory, file, process and output limits.
    sandbox : bool
        Run in bubblewrap (:func:`check_sandbox` first); False runs without isolation.
    slot : int
        Which of the concurrent runs this is (as root, each slot's child gets a user id of its
        own, so one submission's processes never count against another's limit).

    Returns
    -------
    dict
        {"status": ok | errors | timeout | output limit | failed, "message": text,
        "notebook": the executed notebook (a dict) or None, "seconds": wall time, "notes": [...]}.
        Never raises for anything the submission does.

    Raises
    ------
    SandboxError
        With ``sandbox``, when bubblewrap cannot run here (the teacher's setup).

    Notes
    -----
    The parent's wall clock is ``start_timeout + timeout + 20`` seconds; past it the child's
    process group is killed. As an ordinary user the child's process limit is raised by the
    user's processes already running (RLIMIT_NPROC counts them all).

    Examples
    --------
    A file that is not a notebook fails before any process starts (the example runs no kernel):

    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     submission = Path(tmp, "s1.ipynb")
    ...     _ = submission.write_text("not json", encoding="utf-8")
    ...     result = run_notebook(submission, sandbox=False)
    >>> result["status"], result["message"], result["notebook"]
    ('failed', 'not a readable notebook (NotJSONError)', None)
    """
    import nbformat

    t0 = time.monotonic()
    src = Path(path)
    staging = Path(tempfile.mkdtemp(prefix="aftersales-grade-"))
    notes: list[str] = []
    try:
        name = "submission.ipynb"
        shutil.copyfile(src, staging / name)
        for n, p in (extra_files or {}).items():
            shutil.copyfile(p, staging / n)
        try:
            base = nbformat.read(str(staging / name), as_version=4)
        except Exception as exc:  # noqa: BLE001 - a broken file is the student's, say so
            return {"status": "failed", "message": f"not a readable notebook ({type(exc).__name__})",
                    "notebook": None, "seconds": 0.0, "notes": notes}
        as_root = os.geteuid() == 0
        if sandbox:
            work, inp = "/sandbox", "/input"
            cmd = bwrap_command(check_sandbox(), str(staging), limits, as_root)
        else:
            work = inp = str(staging)
            cmd = []
        child_limits = limits.child_limits()
        if not as_root and os.path.isdir("/proc"):
            child_limits["processes"] += _user_tasks()
        cfg = {"work": work, "input": inp, "notebook": name, "timeout": limits.timeout,
               "start_timeout": limits.start_timeout, "cell_output_bytes": limits.cell_output_bytes,
               "total_output_bytes": limits.total_output_bytes, "limits": child_limits,
               "sandboxed": sandbox, "drop_uid": (200_000 + slot) if (sandbox and as_root) else None}
        rfd, wfd = os.pipe()
        cfg["result_fd"] = wfd
        cmd += [sys.executable, "-I", "-m", "aftersales.teacher.runner", json.dumps(cfg)]
        # bwrap too starts with the child's environment, never the teacher's: as an ordinary user,
        # bwrap stays in the sandbox as its pid 1, and a child of the same uid can read /proc/1/environ
        env = _child_env("/sandbox" if sandbox else str(staging))
        log = tempfile.TemporaryFile(prefix="aftersales-grade-log-")
        try:
            proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=log, stderr=log, pass_fds=(wfd,),
                                    start_new_session=True, cwd=str(staging), env=env)
        finally:
            os.close(wfd)
        events: list[dict] = []
        flags: dict = {}
        stream = os.fdopen(rfd, "r", encoding="utf-8", errors="replace")
        cap = limits.total_output_bytes * 2 + (4 << 20)
        th = threading.Thread(target=_reader, args=(stream, cap, events, flags), daemon=True)
        th.start()
        wall = limits.start_timeout + limits.timeout + 20
        killed = False
        while th.is_alive():
            th.join(0.2)
            if flags.get("overflow") or time.monotonic() - t0 > wall:
                killed = True
                break
        if killed or proc.poll() is None:
            try:
                proc.wait(timeout=0 if killed else 5)
            except subprocess.TimeoutExpired:
                killed = True
        _kill_group(proc.pid)
        for e in events:
            if e.get("event") == "kernel" and not sandbox:
                try:
                    _kill_group(os.getpgid(int(e["pid"])))
                except (OSError, ValueError, TypeError):
                    pass
        proc.wait()
        th.join(2)
        stream.close()
        log.seek(max(0, log.seek(0, 2) - 2000))
        tail = log.read().decode("utf-8", "replace").strip().splitlines()
        log.close()
        res = _result(base, events, flags, killed, limits, time.monotonic() - t0, notes)
        if res["status"] == "failed" and not any(e.get("event") == "end" for e in events) and tail:
            res["log"] = tail[-1][:300]
        return res
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _result(base, events: list[dict], flags: dict, killed: bool, limits: Limits, secs: float,
            notes: list[str]) -> dict:
    """The executed notebook rebuilt from the parent's copy and the child's cell reports."""
    import nbformat

    last_started = None
    end = None
    for e in events:
        kind = e.get("event")
        if kind == "start":
            last_started = e.get("cell")
        elif kind == "done":
            i = e.get("cell")
            if isinstance(i, int) and 0 <= i < len(base.cells) and base.cells[i].get("cell_type") == "code":
                try:
                    base.cells[i].outputs = [nbformat.from_dict(o) for o in e.get("outputs") or []]
                except Exception:  # noqa: BLE001 - a malformed report counts as no output
                    base.cells[i].outputs = []
                base.cells[i].execution_count = e.get("execution_count")
        elif kind == "end":
            end = e
    where = f" (in cell {last_started + 1})" if isinstance(last_started, int) else ""
    if flags.get("overflow"):
        status, message = "output limit", f"output limit: the notebook printed more than " \
                                          f"{limits.total_output_bytes:,} bytes{where}; it was stopped"
    elif end is not None:
        status, message = str(end.get("status", "failed")), str(end.get("message", ""))
        notes += [str(n) for n in end.get("notes") or []]
    elif killed:
        status, message = "timeout", f"timed out: stopped after {secs:.0f} s{where}"
    else:
        status, message = "failed", ("the grading process ended without a result: the notebook ended it, "
                                     f"or it ran out of a limit{where}")
    return {"status": status, "message": message, "notebook": json.loads(nbformat.writes(base)),
            "seconds": round(secs, 3), "notes": notes}
