"""The grader against hostile submissions: each in its own sandbox, each with its own row.

One batch, as a teacher would run it (``homework grade --jobs 2``), of a 30-student roster with a
correct, a wrong, a raising, a copied and these hostile submissions: one that reads the key (by
its path, through /proc, from the environment), one that writes to a classmate's file and outside
its folder, one that patches the library, one that kills its parent process, one that floods its
output, one that loops forever, one that leaves a process running, one that calls the teacher's
machine over the network. Every other student's grade is what it would be alone, nothing outside
the sandboxes changes, and the batch exits 0.
"""
from __future__ import annotations

import csv
import hashlib
import os
import shutil
import socket
import subprocess
import sys
import threading
from pathlib import Path

import nbformat
import pytest

from aftersales.teacher import homework as hw

pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(shutil.which("bwrap") is None, reason="bubblewrap is not installed "
                                 "(Debian package bubblewrap; scripts/install_system_deps.sh installs it)")]

ROOT = Path(__file__).resolve().parent.parent
NB06 = ROOT / "notebooks" / "06_homework_case.ipynb"
QIDS = ["q1", "q2", "q3", "q4", "q5", "q6", "q7"]
ROSTER_IDS = ["007", "12", "0012", "1", "2024001", "3.5", "alice", "Bob Smith", "carol-w", "d_e",
              "张伟", "李娜", "王芳", "陈静", "刘洋", "赵磊 (B班)", "x7", "42", "0", "zoe",
              "student 19", "mañana", "O'Neil", "2024/15", "a\\b", "yz", "99", "100", "孙悟空", "last"]
SECRET = "teacher-secret-7f3a"
STRAY = "371.25"                      # sleep's argument: how the test finds a process left running


def read_csv(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def tree_digest(d: Path) -> dict[str, str]:
    return {str(p.relative_to(d)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(d.rglob("*")) if p.is_file()}


def _filled_in(made_dir: Path, folder: str, tweak=None):
    """The teacher's notebook (solutions in place) with this student's injected parameters."""
    student = nbformat.read(made_dir / folder / NB06.name, as_version=4)
    cell = next(c for c in student.cells if "injected-parameters" in c.metadata.get("tags", []))
    nb = hw.inject_parameters(nbformat.read(NB06, as_version=4), hw.cell_assignments(cell.source))
    if tweak:
        tweak(nb)
    return nb


def _insert_after(nb, marker: str, code: str, cid: str) -> None:
    i = next(k for k, c in enumerate(nb.cells) if c.cell_type == "code" and marker in c.source)
    cell = nbformat.v4.new_code_cell(code)
    cell["id"] = cid
    nb.cells.insert(i + 1, cell)


class _Listener:
    """A TCP server on the teacher's loopback: a submission must not reach it."""

    def __init__(self):
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(5)
        self.sock.settimeout(0.5)
        self.port = self.sock.getsockname()[1]
        self.got: list[bytes] = []
        self.stop = False
        threading.Thread(target=self._run, daemon=True).start()

    def _run(self):
        while not self.stop:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            self.got.append(conn.recv(100))
            conn.close()


def _as_teacher(kind: str) -> list[str]:
    """The command prefix that runs the grader as a root or as an ordinary (non-root) teacher.

    As root, an ordinary teacher is a user namespace mapping uid 1000 to root's files: no
    capability in the machine's namespaces, so bubblewrap takes its unprivileged path
    (``--unshare-all``), as for a teacher logged in with their own account.
    """
    root = os.geteuid() == 0
    if kind == "root":
        if not root:
            pytest.skip("the grader as root: this run is not root")
        return []
    if not root:
        return []
    cmd = ["unshare", "--user", "--map-user=1000", "--map-group=1000"]
    if shutil.which("unshare") is None or subprocess.run(cmd + ["true"], capture_output=True).returncode:
        pytest.skip("cannot become an ordinary user here (unshare --user --map-user)")
    return cmd


@pytest.fixture(scope="module", params=["root", "teacher"])
def batch(request, tmp_path_factory):
    prefix = _as_teacher(request.param)
    tmp = tmp_path_factory.mktemp("hostile")
    roster = tmp / "roster.csv"
    with open(roster, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student_id", "name"])
        w.writerows([sid, f"Student {i}"] for i, sid in enumerate(ROSTER_IDS))
    made = tmp / "teacher" / "homework06"
    hw.make_variants(NB06, roster, made, seed=7)
    key = made / "answer_key.csv"
    subs = tmp / "submissions"
    outside = tmp / "outside.txt"
    listener = _Listener()

    def save(folder, nb):
        shutil.copytree(made / folder, subs / folder)          # as handed out, with the case file
        nbformat.write(nb, str(subs / folder / NB06.name))

    def wrong(nb):
        for c in nb.cells:
            c.source = (c.source.replace('answer("q2", q2)', 'answer("q2", q2 * 1.1)')
                        .replace('answer("q6", q6)', 'answer("q6", q6 + 100)'))

    def raises(nb):
        for c in nb.cells:
            if 'answer("q3"' in c.source:
                c.source = 'q3 = evaluate(sc)["no such figure"]\nanswer("q3", q3)'

    read_key = f'''
import os, csv, glob
found = {{}}
paths = [{str(key)!r}, {str(made)!r} + "/answer_key.csv"]
for top in ("/root", "/home", "/tmp", "/work", "/srv", "/mnt", "/sandbox", "/input"):
    for root, dirs, files in os.walk(top):
        paths += [os.path.join(root, f) for f in files if f == "answer_key.csv"]
for pid in os.listdir("/proc"):
    for part in ("cmdline", "environ"):
        try:
            raw = open(f"/proc/{{pid}}/{{part}}", "rb").read().decode(errors="replace")
        except OSError:
            continue
        paths += [w for w in raw.replace("\\0", " ").split() if w.endswith("answer_key.csv")]
        if "{SECRET}" in raw:
            print("SECRET SEEN in /proc")
for p in paths:
    try:
        for r in csv.DictReader(open(p, encoding="utf-8-sig")):
            if r["student_id"] == student_id:
                found[r["question"]] = float(r["expected"])
    except OSError:
        pass
print("KEY FOUND" if found else "KEY NOT FOUND", "SECRET SEEN" if "{SECRET}" in str(os.environ) else "")
for q, v in found.items():
    answer(q, v)
'''
    def key_reader(nb):
        for c in nb.cells:                       # compute nothing: only what the key says
            if "### BEGIN SOLUTION" in c.source:
                c.source = "pass"
        _insert_after(nb, "record_case(", read_key, "read-key")

    vandal = f'''
import os
for path, text in (({str(subs / "007" / NB06.name)!r}, "{{}}"), ({str(outside)!r}, "x"),
                   (os.path.expanduser("~/.bashrc_h"), "x"), ("../007/{NB06.name}", "{{}}")):
    try:
        open(path, "w").write(text); print("WROTE", path)
    except OSError as e:
        print("refused", path, type(e).__name__)
'''
    patch = '''
import aftersales.teacher.marking as m, aftersales.course.answers as a, os, site
for path in (m.__file__, a.__file__, os.path.join(site.getsitepackages()[0], "sitecustomize.py")):
    try:
        open(path, "a").write("\\nPATCHED = True\\n"); print("PATCHED", path)
    except OSError as e:
        print("refused", type(e).__name__)
'''
    kill_parent = "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)\nimport time\ntime.sleep(30)"
    flood = "while True:\n    print('x' * 1000)"
    loop = "while True:\n    pass"
    fork = f'''
import subprocess, os
subprocess.Popen(["sleep", "{STRAY}"], start_new_session=True)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execvp("sleep", ["sleep", "{STRAY}"])
    os._exit(0)
'''
    net = f'''
import socket, os
for host, port in (("127.0.0.1", {listener.port}), ("1.1.1.1", 53)):
    try:
        s = socket.create_connection((host, port), timeout=3); s.sendall(b"pwned"); print("REACHED", host)
    except OSError as e:
        print("no network to", host, type(e).__name__)
print("SECRET SEEN" if "{SECRET}" in str(os.environ) else "no secret in the environment")
'''
    save("007", _filled_in(made, "007"))
    save("张伟", _filled_in(made, "张伟", wrong))
    save("alice", _filled_in(made, "alice", raises))
    save("12", _filled_in(made, "12", lambda nb: _insert_after(nb, 'answer("q2"', loop, "loop")))
    shutil.copytree(subs / "007", subs / hw.folder_name("2024/15"))       # copied from 007
    save("x7", _filled_in(made, "x7", key_reader))
    save("d_e", _filled_in(made, "d_e", lambda nb: _insert_after(nb, "record_case(", vandal, "vandal")))
    save("zoe", _filled_in(made, "zoe", lambda nb: _insert_after(nb, "record_case(", patch, "patch")))
    save("42", _filled_in(made, "42", lambda nb: _insert_after(nb, 'answer("q1"', kill_parent, "kill")))
    save("99", _filled_in(made, "99", lambda nb: _insert_after(nb, 'answer("q1"', flood, "flood")))
    save("100", _filled_in(made, "100", lambda nb: _insert_after(nb, "record_case(", fork, "fork")))
    save("last", _filled_in(made, "last", lambda nb: _insert_after(nb, "record_case(", net, "net")))

    library = tree_digest(ROOT / "aftersales")
    site_before = sorted(os.listdir(Path(hw.__file__).resolve().parents[2] / ".venv" / "lib")) \
        if (ROOT / ".venv").is_dir() else []
    before_subs, before_made = tree_digest(subs), tree_digest(made)
    out = tmp / "grades" / "grades.csv"
    env = {**os.environ, "PYTHONIOENCODING": "utf-8", "AFTERSALES_TEACHER_SECRET": SECRET}
    r = subprocess.run(prefix + [sys.executable, "-m", "aftersales", "homework", "grade", "--key", str(key), str(subs),
                        "--out", str(out), "--timeout", "20", "--jobs", "2", "--executed", str(tmp / "executed")],
                       capture_output=True, text=True, env=env, timeout=900, cwd=str(made))
    listener.stop = True
    strays = [p for p in os.listdir("/proc") if p.isdigit() and _cmdline(p) == ["sleep", STRAY]]
    return {"r": r, "prefix": prefix, "tmp": tmp, "made": made, "subs": subs, "out": out, "outside": outside, "listener": listener,
            "library": library, "library_after": tree_digest(ROOT / "aftersales"), "strays": strays,
            "before": (before_subs, before_made), "after": (tree_digest(subs), tree_digest(made)),
            "summary": {s["student_id"]: s for s in read_csv(out.with_name("grades_summary.csv"))},
            "rows": {(g["student_id"], g["question"]): g for g in read_csv(out)}}


def _cmdline(pid: str) -> list[str]:
    try:
        return open(f"/proc/{pid}/cmdline", "rb").read().decode(errors="replace").split("\0")[:-1]
    except OSError:
        return []


def _executed_text(b, folder: str) -> str:
    """What the executed notebook's cells printed (not their source)."""
    import json

    nb = json.loads((b["tmp"] / "executed" / folder / NB06.name).read_text(encoding="utf-8"))
    return "\n".join(json.dumps(o, ensure_ascii=False) for c in nb["cells"] for o in c.get("outputs", []))


def test_the_batch_exits_zero_and_every_student_has_a_row(batch):
    r = batch["r"]
    assert r.returncode == 0, r.stderr[-3000:]
    assert list(batch["summary"]) == ROSTER_IDS
    assert len(batch["rows"]) == 30 * 7


def test_honest_students_get_the_grade_they_would_get_alone(batch):
    s, rows = batch["summary"], batch["rows"]
    assert (s["007"]["status"], s["007"]["points"]) == ("graded", "7"), s["007"]
    assert (s["张伟"]["status"], s["张伟"]["points"]) == ("graded", "5")
    assert rows[("张伟", "q2")]["reason"].startswith("off by +")
    assert (s["alice"]["status"], s["alice"]["points"]) == ("graded, with errors", "6")
    assert "the cell answering q3 raised KeyError" in rows[("alice", "q3")]["reason"]
    assert s["2024/15"]["status"] == "wrong variant" and s["2024/15"]["points"] == "0"
    assert s["zoe"]["isolation"] == "sandbox"
    for sid in ("0012", "李娜", "mañana", "孙悟空"):
        assert s[sid]["status"] == "missing" and s[sid]["points"] == "0"


def test_an_infinite_loop_times_out_and_keeps_its_answers(batch):
    s = batch["summary"]["12"]
    assert (s["status"], s["points"]) == ("timed out", "2"), s
    assert s["reason"].startswith("timed out: still running after 20 s (in cell ")


def test_reading_the_key_finds_nothing(batch):
    s = batch["summary"]["x7"]
    assert s["points"] == "0", s
    text = _executed_text(batch, "x7")
    assert "KEY NOT FOUND" in text and "KEY FOUND" not in text.replace("KEY NOT FOUND", "")
    assert SECRET not in text and "SECRET SEEN" not in text


def test_writing_to_a_classmate_or_outside_changes_nothing(batch):
    assert batch["after"] == batch["before"]                # the submissions and the teacher's folder
    assert not batch["outside"].exists()
    text = _executed_text(batch, "d_e")
    assert text.count("refused") == 3                       # its home is its own sandbox folder
    assert "WROTE" not in text.replace("WROTE /sandbox/.bashrc_h", "")
    assert batch["summary"]["d_e"]["points"] == "7"
    assert batch["summary"]["007"]["points"] == "7"


def test_patching_the_library_is_refused(batch):
    assert batch["library_after"] == batch["library"]
    text = _executed_text(batch, "zoe")
    assert "PATCHED" not in text and text.count("refused") == 3
    assert batch["summary"]["zoe"]["points"] == "7"


def test_killing_its_parent_fails_only_that_submission(batch):
    s = batch["summary"]["42"]
    assert (s["status"], s["points"]) == ("failed", "1"), s          # q1 came back before the kill
    assert "ended without a result" in s["reason"] or "died" in s["reason"]
    assert batch["rows"][("42", "q1")]["correct"] == "yes"


def test_an_output_flood_is_cut(batch):
    s = batch["summary"]["99"]
    assert s["status"] == "output limit" and s["reason"].startswith("output limit: cell "), s
    assert s["points"] == "7"                                   # the cells after the flood still ran
    assert (batch["tmp"] / "executed" / "99" / NB06.name).stat().st_size < 4_000_000


def test_a_process_left_running_is_killed(batch):
    s = batch["summary"]["100"]
    assert s["points"] == "7" and "left" in s["notes"] and "(killed)" in s["notes"], s
    assert batch["strays"] == []


def test_no_network_and_no_teacher_environment(batch):
    assert batch["listener"].got == []
    text = _executed_text(batch, "last")
    assert "REACHED" not in text and "no secret in the environment" in text
    assert batch["summary"]["last"]["points"] == "7"


def test_no_sandbox_is_explicit_and_said_in_the_gradebook(batch, tmp_path):
    subs = tmp_path / "subs"
    shutil.copytree(batch["subs"] / "007", subs / "007")
    out = tmp_path / "g.csv"
    r = subprocess.run(batch["prefix"] + [sys.executable, "-m", "aftersales", "homework", "grade", "--key",
                        str(batch["made"] / "answer_key.csv"), str(subs), "--out", str(out), "--no-sandbox",
                        "--student", "007"], capture_output=True, text=True, timeout=300,
                       env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert r.returncode == 0, r.stderr
    assert "graded WITHOUT a sandbox" in r.stderr
    s = read_csv(out.with_name("g_summary.csv"))[0]
    assert (s["student_id"], s["points"], s["isolation"]) == ("007", "7", "none")
