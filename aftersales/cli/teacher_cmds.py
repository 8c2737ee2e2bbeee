"""``homework make|grade|strip``: the teacher tools."""
from __future__ import annotations

from aftersales.teacher.homework import grade, make_variants, strip_notebook
from pathlib import Path
import sys

__all__ = ["register"]


def _cmd_make(args) -> int:
    res = make_variants(args.notebook, args.roster, args.out, seed=args.seed, force=args.force,
                        scenario=args.scenario)
    print(f"Made {res.students} student notebooks in {res.out} (seed {args.seed}): "
          f"{res.out}/<student_id>/{Path(args.notebook).name}")
    print(f"Answer key: {res.answer_key} ({len(res.questions)} questions x {res.students} students)")
    print(f"Parameters: {res.parameters}")
    return 0


def _cmd_grade(args) -> int:
    if args.jobs is not None and args.jobs < 1:
        raise ValueError(f"--jobs must be at least 1, got {args.jobs}")
    rep = grade(args.key, args.submissions, args.out, execute=not args.no_execute, timeout=args.timeout,
                start_timeout=args.start_timeout, jobs=args.jobs, force=args.force,
                parameters=args.parameters, executed_dir=args.executed,
                progress=lambda m: print(m, file=sys.stderr))
    counts: dict[str, int] = {}
    for s in rep.summary:
        counts[s["status"]] = counts.get(s["status"], 0) + 1
    print(f"Graded {len(rep.summary)} students: "
          + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
    print(f"Grades: {rep.grades} (one row per student and question)")
    print(f"Summary: {rep.summary_path} (one row per student)")
    return 0


def _cmd_strip(args) -> int:
    n = strip_notebook(args.notebook, args.out, force=args.force)
    print(f"Student version written to {args.out} ({n} solution block{'s' if n != 1 else ''} removed)")
    return 0


def register(subparsers) -> None:
    """Add ``homework make|grade|strip`` to the ``python -m aftersales`` command line."""
    h = subparsers.add_parser("homework", help="homework variants per student, answer keys and grading")
    hs = h.add_subparsers(dest="homework_command", metavar="make|grade|strip")
    hs.required = True

    m = hs.add_parser("make", help="one notebook per student with their own parameters, plus the answer key")
    m.add_argument("--notebook", required=True, help="the teacher's notebook (solutions in place)")
    m.add_argument("--roster", required=True, help="CSV with a student_id column (and optionally name)")
    m.add_argument("--out", required=True, help="output folder (must be new or empty unless --force)")
    m.add_argument("--seed", type=int, default=0, help="seed of the parameter draws (default 0)")
    m.add_argument("--scenario", default=None,
                   help="scenario name or TOML file for every student (default: the notebook's)")
    m.add_argument("--force", action="store_true", help="write into a folder that already holds files")
    m.set_defaults(func=_cmd_make)

    g = hs.add_parser("grade", help="execute the submissions and grade them against the answer key")
    g.add_argument("--key", required=True, help="answer_key.csv written by 'homework make'")
    g.add_argument("submissions", help="folder of submissions: <student_id>/<notebook>.ipynb or <student_id>.ipynb")
    g.add_argument("--out", default="grades.csv",
                   help="grades file (default grades.csv); the summary goes to <name>_summary.csv")
    g.add_argument("--parameters", default=None,
                   help="parameters.csv of 'homework make' (default: beside the key)")
    g.add_argument("--no-execute", action="store_true",
                   help="read notebooks that were already executed and saved, run nothing")
    g.add_argument("--timeout", type=float, default=120.0,
                   help="seconds a notebook's cells may run in all (default 120)")
    g.add_argument("--start-timeout", type=float, default=60.0,
                   help="seconds a kernel may take to start (default 60)")
    g.add_argument("--jobs", type=int, default=None,
                   help="notebooks executed at once (default: the number of CPU cores)")
    g.add_argument("--executed", default=None, metavar="DIR",
                   help="also keep every executed notebook in DIR/<student_id>/ (to show students)")
    g.add_argument("--force", action="store_true", help="overwrite existing grade files")
    g.set_defaults(func=_cmd_grade)

    s = hs.add_parser("strip", help="write the student version of a notebook (solutions removed)")
    s.add_argument("notebook", help="the teacher's notebook")
    s.add_argument("--out", required=True, help="the student version to write")
    s.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    s.set_defaults(func=_cmd_strip)
