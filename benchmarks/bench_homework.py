"""Homework benchmarks: making variants for a class, and grading notebooks in parallel.

    python benchmarks/bench_homework.py            # both, printed
    python benchmarks/bench_homework.py --grade 6  # grade six notebooks

make_200(tmpdir): variants for a 200-student roster (no notebook is executed).
grade_parallel(tmpdir, notebooks, jobs): grading 40 filled-in notebooks two at a time, each in
its own sandbox, and the same without the sandbox; the ratio of the two (target: at most 1.5).
benchmarks/run.py calls :func:`run`.
"""
from __future__ import annotations

import argparse
import csv
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
NB06 = ROOT / "notebooks" / "06_homework_case.ipynb"


def _roster(path: Path, n: int) -> Path:
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["student_id", "name"])
        for i in range(n):
            w.writerow([f"{i:03d}" if i % 3 else f"学生{i}", f"Student {i}"])
    return path


def make_200(tmpdir, students: int = 200, seed: int = 0) -> dict:
    """Seconds to make variants (notebooks, answer key, parameters) for ``students`` students."""
    from aftersales.teacher.homework import make_variants

    tmp = Path(tmpdir)
    roster = _roster(tmp / "roster200.csv", students)
    make_variants(NB06, roster, tmp / "warm-up", seed=seed)       # imports and caches out of the timing
    t0 = time.perf_counter()
    res = make_variants(NB06, roster, tmp / "variants200", seed=seed)
    secs = time.perf_counter() - t0
    size = sum(p.stat().st_size for p in (tmp / "variants200").rglob("*") if p.is_file())
    return {"make_students": res.students, "make_seconds": secs,
            "make_ms_per_student": 1000 * secs / res.students,
            "make_output_megabytes": size / 1e6}


def _submissions(tmp: Path, notebooks: int) -> tuple[Path, Path]:
    """Variants for ``notebooks`` students and, for each, the teacher's solutions with their numbers."""
    import nbformat

    from aftersales.teacher import homework as hw

    out = tmp / f"grade{notebooks}"
    roster = _roster(tmp / f"roster{notebooks}.csv", notebooks)
    hw.make_variants(NB06, roster, out / "made", force=True)
    teacher = nbformat.read(NB06, as_version=4)
    subs = out / "submissions"
    for st in hw.read_roster(roster):
        student = nbformat.read(out / "made" / st.folder / NB06.name, as_version=4)
        cell = next(c for c in student.cells if "injected-parameters" in c.metadata.get("tags", []))
        nb = hw.inject_parameters(teacher, hw.cell_assignments(cell.source))
        (subs / st.folder).mkdir(parents=True, exist_ok=True)
        nbformat.write(nb, str(subs / st.folder / NB06.name))
    return out / "made" / "answer_key.csv", subs


def grade_parallel(tmpdir, notebooks: int = 40, jobs: int = 2, compare_unsandboxed: bool = True) -> dict:
    """Seconds to grade ``notebooks`` filled-in notebooks with ``jobs`` at once, each in its own
    bubblewrap sandbox, and (``compare_unsandboxed``) the same without isolation (``--no-sandbox``:
    the same process per submission, limits and private copy, no bubblewrap); prints both and the
    ratio (the target: at most 1.5)."""
    from aftersales.teacher.homework import grade

    tmp = Path(tmpdir)
    key, subs = _submissions(tmp, notebooks)
    out: dict = {"grade_notebooks": notebooks, "grade_jobs": jobs}
    runs = [("sandboxed", True)] + ([("unsandboxed", False)] if compare_unsandboxed else [])
    for label, sandbox in runs:
        t0 = time.perf_counter()
        rep = grade(key, subs, tmp / f"grades_{label}.csv", jobs=jobs, force=True, sandbox=sandbox)
        secs = time.perf_counter() - t0
        out[f"grade_{label}_seconds"] = secs
        out[f"grade_{label}_seconds_per_notebook"] = secs / notebooks
        out[f"grade_{label}_full_marks"] = sum(1 for s in rep.summary if s["points"] == s["max_points"])
    if "grade_unsandboxed_seconds" in out:
        out["grade_sandbox_ratio"] = out["grade_sandboxed_seconds"] / out["grade_unsandboxed_seconds"]
    return out


def run(notebooks: int = 40) -> dict:
    """Both benchmarks (benchmarks/run.py prints the result)."""
    with tempfile.TemporaryDirectory(prefix="bench-homework-") as tmp:
        res = make_200(tmp)
        res.update(grade_parallel(tmp, notebooks=notebooks))
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grade", type=int, default=40, help="notebooks to grade (default 40)")
    ap.add_argument("--jobs", type=int, default=2, help="notebooks graded at once (default 2)")
    args = ap.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-homework-") as tmp:
        print("== homework: make variants")
        for k, v in make_200(tmp).items():
            print(f"  {k:<40} {v:,.4g}" if isinstance(v, float) else f"  {k:<40} {v}")
        print(f"== homework: grade {args.grade} notebooks ({os.cpu_count()} cores)")
        for k, v in grade_parallel(tmp, notebooks=args.grade, jobs=args.jobs).items():
            print(f"  {k:<40} {v:,.4g}" if isinstance(v, float) else f"  {k:<40} {v}")


if __name__ == "__main__":
    main()
