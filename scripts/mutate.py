"""Mutation testing of the model subpackage: how many planted bugs do the fast model tests catch?

    python scripts/mutate.py                      # or: make mutate
    python scripts/mutate.py --paths aftersales/model/leakage.py --workers 1
    python scripts/mutate.py --list               # the mutants, without running anything

The mutants are mutmut's (2.x, the ``dev`` extra): every operator, number, comparison, keyword,
string and argument mutmut knows how to change in ``aftersales/model/``, one change per mutant.
This script only schedules them, faster than ``mutmut run`` does on a small machine:

- the checkout's tracked files are copied to a temporary folder per worker, so the working tree is
  never edited (``mutmut run`` mutates files in place) and other work can go on meanwhile;
- each worker imports pytest, numpy and pandas once and forks a child per mutant, which writes the
  mutated file, runs the runner (``RUNNER`` below: the fast model tests and the model's doctests,
  stopping at the first failure, tier by tier) and exits; the worker restores the file;
- a mutant is *killed* when the runner fails (an import error or a timeout counts as killed and is
  reported separately), *survived* when every test passes.

It prints the killed share per module and in total, and writes ``out/mutation.json`` and
``out/mutation.md`` (every survivor with its diff), unless ``--summary`` says elsewhere.
"""
from __future__ import annotations

import argparse
import difflib
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: The runner, in tiers: a mutant that a tier kills never waits for the next. Tier 0 (hand-derived
#: pins and the doctests of the mutated module itself) takes a second or two; tier 1 the other fast
#: model tests; tier 2 the slower ones; tier 3 the v2 tests (Monte Carlo, assumptions,
#: invariants). ``{module}`` is the mutated file.
RUNNER = [
    ["tests/test_model_pins.py", "tests/test_model_mutants.py", "tests/test_model_pins_mc.py",
     "tests/test_model_pins_kernel.py", "tests/test_model_pins_sens.py",
     "tests/test_model_pins_inputs.py", "tests/test_model_pins_lifecycle.py",
     "tests/test_model_pins_article.py",
     "--doctest-modules", "{module}"],
    ["tests/test_worked_example.py", "tests/test_model.py", "tests/test_scenario_files.py",
     "--doctest-modules", "aftersales/model"],
    ["tests/test_article.py", "tests/test_whatif.py", "tests/test_lifecycle.py"],
    ["tests/test_model_v2.py", "tests/test_montecarlo_v2.py", "tests/test_assumptions.py",
     "tests/test_invariants.py"],
]
#: The tests that mirror a module: they join tier 0 when that module is mutated (the same tests run
#: either way; a mutant only meets the test most likely to kill it first).
MIRROR = {
    "aftersales/model/assumptions.py": ["tests/test_assumptions.py"],
    "aftersales/model/montecarlo.py": ["tests/test_montecarlo_v2.py"],
    "aftersales/model/article.py": ["tests/test_article.py"],
    "aftersales/model/lifecycle.py": ["tests/test_lifecycle.py"],
    "aftersales/model/sensitivity.py": ["tests/test_whatif.py"],
    "aftersales/model/ranges.py": ["tests/test_whatif.py", "tests/test_montecarlo_v2.py"],
    "aftersales/model/kernel.py": ["tests/test_invariants.py"],
    "aftersales/model/simulation.py": ["tests/test_lifecycle.py"],
}


def tiers_for(module: str, tiers: list[list[str]], timeouts: list[float]) -> list[tuple[list[str], float]]:
    """The runner's tiers for one mutated module, its mirror tests moved into tier 0, with timeouts
    (tier 0's grows by the timeouts of the tiers the mirror tests came from)."""
    mirror = [m for m in MIRROR.get(module, []) if any(m in t for t in tiers)]
    out, extra = [], 0.0
    for i, (tier, timeout) in enumerate(zip(tiers, timeouts)):
        tier = [a.replace("{module}", module) for a in tier]
        if i and any(m in tier for m in mirror):
            extra += timeout
            tier = [a for a in tier if a not in mirror]
        if not i or any(a.startswith("tests/") for a in tier):
            out.append((tier, timeout))
    first, t0 = out[0]
    out[0] = (first + [m for m in mirror if m not in first], t0 + extra)
    return out


PYTEST_ARGS = ["-x", "-q", "-p", "no:cacheprovider", "-p", "no:randomly", "--no-header",
               "-o", "addopts=", "-W", "ignore"]


# ------------------------------------------------------------------ the mutants (mutmut's engine)
def list_mutants(paths: list[str]) -> list[dict]:
    """Every mutant of the files under ``paths``: file, line number, index on the line."""
    from mutmut import Context, list_mutations

    files: list[Path] = []
    for p in paths:
        q = ROOT / p
        files += sorted(q.rglob("*.py")) if q.is_dir() else [q]
    out = []
    for f in files:
        rel = str(f.relative_to(ROOT))
        ctx = Context(source=f.read_text(encoding="utf-8"), filename=rel, dict_synonyms=[])
        for mid in list_mutations(ctx):
            out.append({"file": rel, "line": mid.line, "index": mid.index, "line_number": mid.line_number})
    return out


def mutated_source(source: str, m: dict) -> str:
    from mutmut import Context, RelativeMutationID, mutate

    mid = RelativeMutationID(line=m["line"], index=m["index"], line_number=m["line_number"],
                             filename=m["file"])
    text, n = mutate(Context(source=source, mutation_id=mid, filename=m["file"], dict_synonyms=[]))
    if n != 1:
        raise RuntimeError(f"mutant {m} applied {n} times")
    return text


# ------------------------------------------------------------------ a worker
def _copy_checkout(dest: Path) -> None:
    """The tracked and untracked-but-not-ignored files of the checkout, copied to ``dest``."""
    try:
        names = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
                               cwd=ROOT, capture_output=True, check=True).stdout.decode().split("\0")
    except (OSError, subprocess.CalledProcessError):
        names = [str(p.relative_to(ROOT)) for p in ROOT.rglob("*")
                 if p.is_file() and ".venv" not in p.parts and "__pycache__" not in p.parts]
    for n in filter(None, names):
        src, dst = ROOT / n, dest / n
        if not src.exists() and not src.is_symlink():
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            os.symlink(os.readlink(src), dst)
        elif src.is_file():
            shutil.copy2(src, dst)


def _forget_the_library(workdir: Path) -> None:
    """Drop the library and the test modules from sys.modules, so the next import reads the files."""
    for name, mod in list(sys.modules.items()):
        f = getattr(mod, "__file__", None) or ""
        if name == "aftersales" or name.startswith("aftersales.") or f.startswith(str(workdir)):
            del sys.modules[name]


def _pytest(workdir: Path, args: list[str]) -> int:
    import pytest

    os.chdir(workdir)
    if str(workdir) not in sys.path:
        sys.path.insert(0, str(workdir))
    _forget_the_library(workdir)
    return int(pytest.main(PYTEST_ARGS + args))


def _run_once(workdir: Path, runner: list[str], timeout: float) -> tuple[str, float]:
    """Fork a child that runs pytest in ``workdir``; ('passed'|'failed'|'timeout', seconds)."""
    t0 = time.monotonic()
    pid = os.fork()
    if pid == 0:                                           # the child: fresh import of the mutated package
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, 1)
            os.dup2(devnull, 2)
            rc = _pytest(workdir, runner)
        except BaseException:                              # noqa: BLE001 - any crash kills the mutant
            rc = 99
        os._exit(rc)
    deadline = t0 + timeout
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            code = os.waitstatus_to_exitcode(status)
            return ("passed" if code == 0 else "failed"), time.monotonic() - t0
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            return "timeout", time.monotonic() - t0
        time.sleep(0.02)


def worker(job_file: Path) -> None:
    job = json.loads(job_file.read_text())
    sys.dont_write_bytecode = True
    os.environ["PYTHONDONTWRITEBYTECODE"] = "1"
    os.environ.setdefault("MPLBACKEND", "Agg")
    # what every child needs, imported once here (never the library itself: the child imports it fresh)
    import numpy  # noqa: F401
    import pandas  # noqa: F401
    import pytest  # noqa: F401
    import hypothesis  # noqa: F401
    workdir = Path(job["workdir"])
    for cache in workdir.joinpath("aftersales").rglob("__pycache__"):
        shutil.rmtree(cache)
    results = []
    # the baseline runs here, in the worker itself: every plugin and dependency is then imported
    # once, and each child only re-imports the library and the tests
    tiers, timeouts = job["runner"], []
    for tier in [[a.replace("{module}", "aftersales/model") for a in t] for t in tiers]:
        t0 = time.monotonic()
        with open(os.devnull, "w") as devnull:
            saved = os.dup(1), os.dup(2)
            os.dup2(devnull.fileno(), 1), os.dup2(devnull.fileno(), 2)
            try:
                rc = _pytest(workdir, tier)
            finally:
                os.dup2(saved[0], 1), os.dup2(saved[1], 2)
        if rc != 0:
            Path(job["out"]).write_text(json.dumps({"baseline": f"failed (pytest exit {rc}) on {tier}",
                                                    "results": []}))
            return
        timeouts.append(max(15.0, 5 * (time.monotonic() - t0) + 5))
    Path(job["out"]).write_text(json.dumps({"baseline": "passed", "results": []}))
    sources: dict[str, str] = {}
    for m in job["mutants"]:
        path = workdir / m["file"]
        original = sources.setdefault(m["file"], path.read_text(encoding="utf-8"))
        path.write_text(mutated_source(original, m), encoding="utf-8")
        try:
            secs = 0.0
            for tier, timeout in tiers_for(m["file"], tiers, timeouts):
                status, s = _run_once(workdir, tier, timeout)
                secs += s
                if status != "passed":
                    break
        finally:
            path.write_text(original, encoding="utf-8")
        results.append({**m, "status": {"failed": "killed", "passed": "survived"}.get(status, status),
                        "seconds": round(secs, 2)})
        Path(job["out"]).write_text(json.dumps({"baseline": "passed", "results": results}))


# ------------------------------------------------------------------ summary
def summarise(results: list[dict], seconds: float, runner: list[str]) -> dict:
    per: dict[str, dict[str, int]] = {}
    for r in results:
        d = per.setdefault(r["file"], {"total": 0, "killed": 0, "timeout": 0, "survived": 0})
        d["total"] += 1
        d[r["status"]] += 1
    for d in per.values():
        d["score"] = round((d["killed"] + d["timeout"]) / d["total"], 4) if d["total"] else None
    total = len(results)
    killed = sum(r["status"] in ("killed", "timeout") for r in results)
    return {"total": total, "killed": killed, "survived": total - killed,
            "score": round(killed / total, 4) if total else None, "seconds": round(seconds),
            "runner": runner, "per_module": per}


def diff_of(m: dict) -> str:
    src = (ROOT / m["file"]).read_text(encoding="utf-8")
    try:
        new = mutated_source(src, m)
    except RuntimeError:        # the file was edited while the run went on (it mutates a copy)
        return f"-{m['line']}\n(this line has changed since the run: run make mutate again for its diff)"
    d = difflib.unified_diff(src.splitlines(), new.splitlines(), lineterm="", n=0)
    return "\n".join(line for line in d if line[:1] in "+-" and line[:3] not in ("+++", "---"))


def write_summary(summary: dict, results: list[dict], dest: Path) -> None:
    dest.mkdir(parents=True, exist_ok=True)
    survivors = [r for r in results if r["status"] == "survived"]
    (dest / "mutation.json").write_text(json.dumps({**summary, "survivors": survivors, "results": results},
                                                   indent=1))
    lines = ["# Mutation testing of aftersales/model", "",
             f"{summary['killed']} of {summary['total']} mutants killed "
             f"({summary['score']:.1%}) in {summary['seconds']} s.", "",
             "| module | killed | total | score |", "|---|---|---|---|"]
    for f, d in sorted(summary["per_module"].items()):
        lines.append(f"| `{f}` | {d['killed'] + d['timeout']} | {d['total']} | {d['score']:.1%} |")
    lines += ["", "## Survivors", ""]
    for r in survivors:
        lines += [f"`{r['file']}:{r['line_number'] + 1}`", "```diff", diff_of(r), "```", ""]
    (dest / "mutation.md").write_text("\n".join(lines) + "\n")


def _retest(before: dict, current: list[dict], finish: bool = False,
            timeouts: bool = False) -> tuple[list[dict], list[dict]]:
    """Split an earlier run into its killed mutants (kept) and its survivors, found again in the
    current source by file, line text and index (line numbers may have moved). With ``finish``, the
    mutants of the current source that the earlier run never reached (a run stopped part way) are
    tested too; with ``timeouts``, the mutants that timed out are tested again like survivors (on a
    busy machine a mutant can time out that the tests would not kill)."""
    if "results" not in before:
        raise SystemExit("error: that summary has no per-mutant results; run make mutate once first")
    pool: dict[tuple, list[dict]] = {}
    for m in current:
        pool.setdefault((m["file"], m["line"], m["index"]), []).append(m)
    kept, again = [], []
    for r in before["results"]:
        if r["status"] != "survived" and not (timeouts and r["status"] == "timeout"):
            kept.append(r)
            if pool.get((r["file"], r["line"], r["index"])):
                pool[(r["file"], r["line"], r["index"])].pop(0)
            continue
        same = pool.get((r["file"], r["line"], r["index"]))
        if same:
            again.append(same.pop(0))
        else:
            print(f"  the survivor at {r['file']}:{r['line_number'] + 1} is gone (the line changed); "
                  "counted as survived", file=sys.stderr)
            kept.append(r)
    if finish:
        never = [m for ms in pool.values() for m in ms]
        if never:
            print(f"  {len(never)} mutants the earlier run never reached are tested too", file=sys.stderr)
        again += never
    return kept, again


# ------------------------------------------------------------------ main
def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--paths", nargs="+", default=["aftersales/model"],
                    help="files or folders to mutate (default aftersales/model)")
    ap.add_argument("--workers", type=int, default=min(2, os.cpu_count() or 1))
    ap.add_argument("--summary", type=Path, default=ROOT / "out", help="folder for mutation.json/.md")
    ap.add_argument("--list", action="store_true", help="list the mutants and stop")
    ap.add_argument("--retest", type=Path, metavar="MUTATION_JSON",
                    help="test again only the survivors of an earlier run (after adding tests); the "
                         "summary counts that run's killed mutants as killed")
    ap.add_argument("--finish", action="store_true",
                    help="with --retest: also test the mutants an earlier run stopped part way never reached")
    ap.add_argument("--timeouts", action="store_true",
                    help="with --retest: also test again the mutants that timed out")
    ap.add_argument("--sample", type=int, metavar="N",
                    help="test a random sample of N mutants (seeded; an estimate of the score when time is short)")
    ap.add_argument("--seed", type=int, default=0, help="seed of --sample (default 0)")
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.worker:
        worker(args.worker)
        return 0

    mutants = list_mutants(args.paths)
    carried: list[dict] = []
    if args.retest:
        before = json.loads(args.retest.read_text())
        carried, mutants = _retest(before, mutants, finish=args.finish, timeouts=args.timeouts)
    if args.sample and args.sample < len(mutants):
        import random

        picked = sorted(random.Random(args.seed).sample(range(len(mutants)), args.sample))
        mutants = [mutants[i] for i in picked]
    if args.list:
        for m in mutants:
            print(f"{m['file']}:{m['line_number'] + 1}: {m['line'].strip()}")
        print(f"{len(mutants)} mutants")
        return 0
    runner = [[r for r in tier if not r.startswith("tests/") or (ROOT / r).exists()] for tier in RUNNER]
    print(f"{len(mutants)} mutants in {', '.join(args.paths)}; {args.workers} workers; runner: "
          + "; then ".join(f"pytest {' '.join(t)}" for t in runner), flush=True)
    t0 = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="aftersales-mutate-") as tmp:
        procs = []
        for i in range(args.workers):
            wd = Path(tmp) / f"w{i}"
            _copy_checkout(wd)
            job = Path(tmp) / f"job{i}.json"
            job.write_text(json.dumps({"workdir": str(wd), "runner": runner, "out": str(Path(tmp) / f"res{i}.json"),
                                       "mutants": mutants[i::args.workers]}))
            procs.append((subprocess.Popen([sys.executable, __file__, "--worker", str(job)]),
                          Path(tmp) / f"res{i}.json"))
        last = 0
        while any(p.poll() is None for p, _ in procs):
            time.sleep(5)
            done = sum(len(json.loads(r.read_text())["results"]) for _, r in procs if r.exists()
                       and r.stat().st_size)
            if done - last >= 50:
                print(f"  {done}/{len(mutants)} tested, {time.monotonic() - t0:.0f} s", flush=True)
                last = done
        results = []
        for _, r in procs:
            data = json.loads(r.read_text()) if r.exists() else {"baseline": "crashed", "results": []}
            if data["baseline"] != "passed":
                print(f"error: the runner fails on the unmutated code: {data['baseline']}; "
                      "fix the tests first", file=sys.stderr)
                return 1
            results += data["results"]
    results = carried + results
    summary = summarise(results, time.monotonic() - t0, runner)
    write_summary(summary, results, args.summary)
    width = max(len(f) for f in summary["per_module"])
    for f, d in sorted(summary["per_module"].items()):
        print(f"{f:<{width}}  {d['killed'] + d['timeout']:>4}/{d['total']:<4} killed  {d['score']:6.1%}")
    print(f"{'total':<{width}}  {summary['killed']:>4}/{summary['total']:<4} killed  {summary['score']:6.1%}"
          f"   ({summary['seconds']} s; survivors in {args.summary / 'mutation.md'})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
