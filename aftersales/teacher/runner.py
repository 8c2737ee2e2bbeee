"""The grading child: executes one notebook inside the sandbox and reports cell by cell.

Run as ``python -I -m aftersales.teacher.runner CONFIG_JSON`` by :mod:`aftersales.teacher.sandbox`,
never by hand. It copies the submission into its private working folder, gives up root (where the
sandbox was started as root: a uid of its own, no capabilities), sets its resource limits (which
the kernel inherits), makes itself non-dumpable (the student's code, a child of this process,
cannot read its memory or file descriptors through /proc), runs the notebook with nbclient and
writes one JSON line per event to the result pipe (fd ``result_fd``, not inherited by the kernel):
``{"event": "start", "cell": i}``, ``{"event": "done", "cell": i, "outputs": [...]}`` and, last,
``{"event": "end", "status": ..., "message": ..., "notes": [...]}``. A cell whose output passes
the limit is cut and interrupted; a process a cell leaves running is killed when the cell ends.
A record of the course (an output under one of :data:`aftersales.course.records.READ_MIMES`, under
4 kB: an answer, the student's case) always passes, even once the output has reached the limit,
so a notebook that prints too much still hands in its answers.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import sys
import time

from aftersales.course.records import READ_MIMES

__all__ = ["main"]

_OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error", "update_display_data", "clear_output")


def _drop_privileges(uid: int, work: str) -> None:
    for root, dirs, files in os.walk(work):
        for n in dirs + files:
            os.chown(os.path.join(root, n), uid, uid)
    os.chown(work, uid, uid)
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)                   # from root to another uid: every capability goes


def _prctl(option: int, value: int) -> None:
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass


def _set_limits(lim: dict) -> None:
    import resource

    table = (("cpu_seconds", resource.RLIMIT_CPU, 1), ("memory_mb", resource.RLIMIT_AS, 1 << 20),
             ("file_mb", resource.RLIMIT_FSIZE, 1 << 20), ("processes", resource.RLIMIT_NPROC, 1),
             ("open_files", resource.RLIMIT_NOFILE, 1))
    for key, res, scale in table:
        v = lim.get(key)
        if v:
            n = int(v * scale)
            soft, hard = resource.getrlimit(res)
            if hard != resource.RLIM_INFINITY:
                n = min(n, hard)
            resource.setrlimit(res, (n, n))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _strays(keep: set[int], kernel_pgid: int | None, sandboxed: bool) -> list[int]:
    """Processes a cell left behind: in the sandbox every process but ours; else the kernel's group."""
    out = []
    for d in os.listdir("/proc"):
        if not d.isdigit() or int(d) in keep:
            continue
        pid = int(d)
        try:
            with open(f"/proc/{pid}/stat", "rb") as f:
                if f.read().rsplit(b")", 1)[-1].split()[0] in (b"Z", b"X"):
                    continue          # already dead, waiting for its parent to reap it
        except OSError:
            continue
        if sandboxed:
            out.append(pid)
        elif kernel_pgid is not None:
            try:
                if os.getpgid(pid) == kernel_pgid:
                    out.append(pid)
            except OSError:
                pass
    return out


def main(argv: list[str] | None = None) -> int:
    """Execute the notebook the config names; see the module docstring. Returns 0.

    The entry point of the grading child (``python -I -m aftersales.teacher.runner CONFIG_JSON``),
    started by :func:`aftersales.teacher.sandbox.run_notebook`; not for other callers: it changes
    the working folder, may give up root and sets resource limits on its own process. It stays
    public (in ``__all__``) because the sandbox launches this module by its path, in another
    process, rather than calling a function: the module path, its one argument (the config
    below) and the events it writes are the interface between grader and child, and ``main``
    is what that command runs.

    Parameters
    ----------
    argv : list of str, optional
        One element, the JSON config (default: ``sys.argv[1:]``): ``work`` (the working folder),
        ``input`` (the folder the submission is copied from), ``notebook`` (its file name),
        ``timeout`` and ``start_timeout`` (seconds), ``cell_output_bytes`` and
        ``total_output_bytes`` (bytes), ``limits`` (:meth:`Limits.child_limits
        <aftersales.teacher.sandbox.Limits.child_limits>`), ``sandboxed`` (bool), ``drop_uid``
        (a user id, or null) and ``result_fd`` (the write end of the result pipe).

    Returns
    -------
    int
        0; the run's status is the last event written to the pipe (``{"event": "end", ...}``).

    Examples
    --------
    The child starts a kernel, so the doctests do not run it; the part that runs builds the
    ``limits`` of its config as the parent does.

    >>> import json
    >>> from aftersales.teacher.sandbox import Limits
    >>> limits = Limits(timeout=60).child_limits()
    >>> limits["cpu_seconds"], limits["memory_mb"]
    (150.0, 4096)
    >>> cfg = {"work": "/sandbox", "input": "/input", "notebook": "submission.ipynb", "timeout": 60,
    ...        "start_timeout": 60, "cell_output_bytes": 1_000_000, "total_output_bytes": 8_000_000,
    ...        "limits": limits, "sandboxed": True, "drop_uid": None, "result_fd": 5}
    >>> main([json.dumps(cfg)])            # doctest: +SKIP
    0
    """
    cfg = json.loads((argv or sys.argv[1:])[0])
    sys.path[:] = [p for p in sys.path if p not in ("", os.getcwd(), cfg["work"])]
    fd = int(cfg["result_fd"])
    os.set_inheritable(fd, False)
    out = os.fdopen(fd, "w", encoding="utf-8", buffering=1)

    def send(**event) -> None:
        out.write(json.dumps(event, ensure_ascii=True) + "\n")
        out.flush()

    work = cfg["work"]
    if cfg.get("input") and cfg["input"] != work:
        for name in os.listdir(cfg["input"]):
            src = os.path.join(cfg["input"], name)
            if os.path.isfile(src):
                with open(src, "rb") as fi, open(os.path.join(work, name), "wb") as fo:
                    shutil.copyfileobj(fi, fo)
    os.chdir(work)
    if cfg.get("drop_uid") is not None:
        _drop_privileges(int(cfg["drop_uid"]), work)
    _prctl(38, 1)                    # PR_SET_NO_NEW_PRIVS: no setuid program gives rights back
    _prctl(4, 0)                     # PR_SET_DUMPABLE 0: /proc/<this>/fd, mem, environ closed
    _set_limits(cfg.get("limits", {}))

    # jsonschema (under nbformat) builds an IRI grammar at import when rfc3987_syntax is present:
    # seconds of CPU per submission for a format nobody validates here
    sys.modules.setdefault("rfc3987_syntax", None)
    import nbformat
    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    nb = nbformat.read(os.path.join(work, cfg["notebook"]), as_version=4)
    cell_cap, total_cap = int(cfg["cell_output_bytes"]), int(cfg["total_output_bytes"])
    timeout, sandboxed = float(cfg["timeout"]), bool(cfg.get("sandboxed"))
    notes: list[str] = []
    state = {"cell_bytes": 0, "total": 0, "cut": None, "deadline": None, "cell": None}

    class Client(NotebookClient):
        def kernel_pid(self):
            proc = getattr(getattr(self.km, "provisioner", None), "process", None)
            return getattr(proc, "pid", None)

        def process_message(self, msg, cell, cell_index):
            if msg.get("msg_type") in _OUTPUT_TYPES:
                c = msg.get("content", {})
                n = len(json.dumps(c.get("data", c.get("text", c.get("traceback", ""))), ensure_ascii=False))
                data = c.get("data")
                record = isinstance(data, dict) and n < 4096 and any(m in data for m in READ_MIMES)  # always pass
                if record or (state["cell_bytes"] + n <= cell_cap and state["total"] + n <= total_cap):
                    state["cell_bytes"] += n
                    state["total"] += n
                else:
                    if state["cut"] is None:
                        state["cut"] = cell_index
                        cell.outputs.append(nbformat.v4.new_output(
                            "stream", name="stderr",
                            text=f"\n[output limit: output past {cell_cap:,} bytes a cell "
                                 f"({total_cap:,} a notebook) was cut and the cell interrupted]\n"))
                        pid = self.kernel_pid()
                        if pid:
                            try:
                                os.kill(pid, signal.SIGINT)
                            except OSError:
                                pass
                    return None
            return super().process_message(msg, cell, cell_index)

    client = Client(nb, kernel_name="python3", timeout=max(1, int(timeout)), allow_errors=True,
                    startup_timeout=int(cfg["start_timeout"]), record_timing=False,
                    shutdown_kernel="immediate",
                    resources={"metadata": {"path": work}})

    def cell_timeout(cell):
        if state["deadline"] is None:
            state["deadline"] = time.monotonic() + timeout
        return max(1, int(state["deadline"] - time.monotonic() + 0.999))

    def on_start(cell, cell_index, **_):
        state["cell_bytes"], state["cell"] = 0, cell_index
        send(event="start", cell=cell_index)
        pid = client.kernel_pid()
        if pid and "kernel" not in state:
            state["kernel"] = pid
            send(event="kernel", pid=pid)

    def on_executed(cell, cell_index, **_):
        kpid = client.kernel_pid()
        keep = {1, os.getpid()} | ({kpid} if kpid else set())
        strays = _strays(keep, kpid, sandboxed)
        for pid in strays:
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        if strays:
            notes.append(f"cell {cell_index + 1} left {len(strays)} process{'es' if len(strays) > 1 else ''} "
                         "running (killed)")
        send(event="done", cell=cell_index, outputs=cell.get("outputs", []),
             execution_count=cell.get("execution_count"))

    client.timeout_func = cell_timeout
    client.on_cell_start = on_start
    client.on_cell_executed = on_executed
    status, message = "ok", ""
    for attempt in (1, 2):
        try:
            client.execute()
        except CellTimeoutError:
            status, message = "timeout", f"timed out: still running after {timeout:g} s"
            i = state["cell"]
            if i is not None:
                first = next((ln.strip() for ln in "".join(nb.cells[i].source).split("\n") if ln.strip()), "")
                message += f" (in cell {i + 1}: {first[:60]})"
        except DeadKernelError:
            i = state["cell"]
            status, message = "failed", "the kernel died while running the notebook" + (
                f" (in cell {i + 1})" if i is not None else "")
        except RuntimeError as exc:
            text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
            if state["cell"] is None and attempt == 1:
                continue                   # two kernels starting at once can collide: once more
            if "respond" in text or "start" in text.lower():
                text = f"the kernel did not start within {cfg['start_timeout']:g} s"
            status, message = "failed", text
        except Exception as exc:  # noqa: BLE001 - report, never hang
            first = str(exc).splitlines()[0] if str(exc) else ""
            status, message = "failed", f"{type(exc).__name__}: {first}".rstrip(": ")
        break
    if status == "ok":
        for c in nb.cells:
            err = next((o for o in c.get("outputs", []) if o.get("output_type") == "error"), None)
            if err is not None:
                status, message = "errors", f"a cell raised {err.get('ename', '')}: {err.get('evalue', '')}".rstrip(": ")
                break
    if state["cut"] is not None:
        status = "output limit"
        message = (f"output limit: cell {state['cut'] + 1} printed more than {cell_cap:,} bytes "
                   f"(the notebook at most {total_cap:,}); the rest was cut")
    send(event="end", status=status, message=message, notes=notes)
    out.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
