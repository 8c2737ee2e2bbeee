"""The grading child on its own, without the sandbox: its output limit and the records that pass it.

docs/teachers_guide.md: a cell that prints more than the limit is cut and interrupted, "the
following cells still run and count", and the answers a notebook records are what the grader
reads. The child (``python -m aftersales.teacher.runner CONFIG``) is started here as the sandbox
starts it, but from this checkout (``PYTHONPATH``) and without bubblewrap, with limits small
enough that a few lines of output reach them: an answer recorded once the notebook's output is
at its limit must still come back.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
# the record format as docs/teachers_guide.md names it
RECORD_MIME_IN_DOCS = "application/vnd.aftersales.record+json"
CELL_CAP, TOTAL_CAP = 100_000, 2_000


def run_child(tmp_path: Path, sources: list[str]) -> list[dict]:
    """Execute a notebook of ``sources`` in the grading child; the events it reported."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])
    nbformat.write(nb, str(tmp_path / "submission.ipynb"))
    rfd, wfd = os.pipe()
    cfg = {"work": str(tmp_path), "input": str(tmp_path), "notebook": "submission.ipynb", "timeout": 90,
           "start_timeout": 90, "cell_output_bytes": CELL_CAP, "total_output_bytes": TOTAL_CAP,
           "limits": {}, "sandboxed": False, "drop_uid": None, "result_fd": wfd}
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)}
    try:
        proc = subprocess.Popen([sys.executable, "-m", "aftersales.teacher.runner", json.dumps(cfg)],
                                pass_fds=(wfd,), cwd=str(tmp_path), env=env, stdin=subprocess.DEVNULL,
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True)
    finally:
        os.close(wfd)
    lines: list[str] = []
    with os.fdopen(rfd, encoding="utf-8") as stream:
        reader = threading.Thread(target=lambda: lines.extend(stream), daemon=True)
        reader.start()
        reader.join(240)
    try:
        stderr = proc.communicate(timeout=30)[1].decode(errors="replace")
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not reader.is_alive(), "the grading child did not finish"
    assert proc.returncode == 0, stderr[-2000:]
    return [json.loads(line) for line in lines]


def answers_of(events: list[dict]) -> dict[str, float]:
    """The answer records among the cells' outputs, by question (read by hand, not by the library)."""
    found = {}
    for e in events:
        for o in e.get("outputs", []) if e.get("event") == "done" else []:
            rec = (o.get("data") or {}).get(RECORD_MIME_IN_DOCS)
            if isinstance(rec, dict) and rec.get("kind") == "answer":
                found[rec["question"]] = rec["value"]
    return found


def test_answers_pass_the_output_limit(tmp_path):
    events = run_child(tmp_path, [
        "from aftersales.course.records import answer",
        'print("x" * 1940)',                       # about 1,945 bytes: the notebook's 2,000 nearly used
        'answer("q1", 1.5)',                       # a record of about 120 bytes: past the limit, it passes
        'print("y" * 5000)\nimport time\ntime.sleep(10)',     # past the limit: cut, the cell interrupted
        'answer("q2", 2.5)',                       # the following cells still run, and their answers count
    ])
    end = events[-1]
    assert end["event"] == "end" and end["status"] == "output limit", end
    # the cut is the print of cell 4, not the answer of cell 3
    assert end["message"] == ("output limit: cell 4 printed more than 100,000 bytes (the notebook at most "
                              "2,000); the rest was cut")
    assert answers_of(events) == {"q1": 1.5, "q2": 2.5}
    done = {e["cell"]: e["outputs"] for e in events if e.get("event") == "done"}
    assert "y" * 100 not in json.dumps(done[3])                # the flood itself was not kept
    assert any("[output limit:" in o.get("text", "") for o in done[3])
