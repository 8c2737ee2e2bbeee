"""``homework make|grade|strip``: the teacher tools."""
from __future__ import annotations

import sys
from pathlib import Path

from aftersales.cli.output import CLIError
from aftersales.teacher.grading import grade
from aftersales.teacher.notebooks import strip_notebook
from aftersales.teacher.sandbox import Limits, SandboxError
from aftersales.teacher.variants import make_variants

__all__ = ["register"]


def _warn(msg: str) -> None:
    print(f"warning: {msg}", file=sys.stderr)


def _cmd_make(args) -> int:
    res = make_variants(args.notebook, args.roster, args.out, seed=args.seed, force=args.force,
                        scenario=args.scenario, course=args.course, course_from=args.course_from)
    for w in res.warnings:
        _warn(w)
    print(f"Made {res.students} student notebooks in {res.out} (seed {args.seed}): "
          f"{res.out}/<student_id>/{Path(args.notebook).name} and {res.scenario_file.name} beside each")
    print(f"Answer key: {res.answer_key} ({len(res.questions)} questions x {res.students} students)")
    print(f"Parameters: {res.parameters}")
    print(f"Case file: {res.scenario_file} (keep it with the key: grading checks it)")
    if res.course:
        zh = sum(1 for p in res.course if p.parent.name == "zh")
        print(f"Course: {len(res.course) - zh} practice notebooks" + (f" (+{zh} in zh/)" if zh else "")
              + f", solutions {res.course_mode}, in {res.out / 'course'}"
              " (hand this folder out with the homework)")
    return 0


def _positive(name: str, value, cast=float):
    if value is not None and value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return value


def _cmd_grade(args) -> int:
    if args.jobs is not None and args.jobs < 1:
        raise ValueError(f"--jobs must be at least 1, got {args.jobs}")
    for name in ("memory_mb", "output_kb", "file_mb"):
        _positive("--" + name.replace("_", "-"), getattr(args, name))
    base = Limits()
    limits = Limits(memory_mb=args.memory_mb or base.memory_mb, file_mb=args.file_mb or base.file_mb,
                    cell_output_bytes=(args.output_kb * 1000) if args.output_kb else base.cell_output_bytes,
                    total_output_bytes=max(base.total_output_bytes, (args.output_kb or 0) * 8000))
    try:
        rep = grade(args.key, args.submissions, args.out, execute=not args.no_execute, timeout=args.timeout,
                    start_timeout=args.start_timeout, jobs=args.jobs, force=args.force,
                    parameters=args.parameters, executed_dir=args.executed, sandbox=not args.no_sandbox,
                    due=args.due, student=args.student, limits=limits, assignment=args.assignment,
                    progress=lambda m: print(m, file=sys.stderr))
    except SandboxError as exc:
        raise CLIError(str(exc)) from None
    for w in rep.warnings:
        _warn(w)
    counts: dict[str, int] = {}
    for s in rep.summary:
        counts[s["status"]] = counts.get(s["status"], 0) + 1
    late = sum(1 for s in rep.summary if s.get("late") == "yes")
    print(f"Graded {len(rep.summary)} students: "
          + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) + (f"; {late} late" if late else ""))
    print(f"Grades: {rep.grades} (one row per student and question)")
    print(f"Summary: {rep.summary_path} (one row per student: total, points per question, status, first cause)")
    print(f"Feedback: {rep.files['feedback']}/<student>.md; LMS import: {rep.files['canvas']} (Canvas), "
          f"{rep.files['moodle']} (Moodle)")
    if not rep.sandboxed:
        print("warning: graded WITHOUT a sandbox; the summary says so in its isolation column", file=sys.stderr)
    return 0


def _cmd_strip(args) -> int:
    n = strip_notebook(args.notebook, args.out, force=args.force)
    if n == 0:
        _warn(f"{args.notebook} has no ### BEGIN SOLUTION blocks; the copy only has its outputs cleared")
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
                   help="scenario name or TOML file for every student (default: the notebook's); "
                        "copied beside every notebook")
    m.add_argument("--force", action="store_true", help="write into a folder that already holds files")
    m.add_argument("--course", choices=("hidden", "removed", "none"), default=None,
                   help="also write the student edition of the course to OUT/course: the practice notebooks "
                        "with their solutions collapsed (hidden, the default when the notebooks are beside "
                        "--notebook) or taken out (removed); none: do not")
    m.add_argument("--course-from", default=None, metavar="DIR",
                   help="the course's notebooks folder (default: the folder of --notebook)")
    m.set_defaults(func=_cmd_make)

    g = hs.add_parser("grade", help="execute the submissions, each in its own sandbox, and grade them")
    g.add_argument("--key", required=True, help="answer_key.csv written by 'homework make'")
    g.add_argument("submissions", help="folder (or zip file) of submissions: <student_id>/<notebook>.ipynb, "
                                       "<student_id>.ipynb or <student_id>.zip")
    g.add_argument("--out", default="grades.csv",
                   help="grades file (default grades.csv); beside it <name>_summary.csv, <name>_feedback/, "
                        "<name>_canvas.csv and <name>_moodle.csv")
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
    g.add_argument("--no-sandbox", action="store_true",
                   help="run submissions WITHOUT isolation where bubblewrap is missing (said in the gradebook)")
    g.add_argument("--due", default=None, metavar="DATETIME",
                   help="deadline, e.g. '2026-12-01 23:59' (local time): later files are flagged late, "
                        "no points are taken")
    g.add_argument("--student", default=None, metavar="ID",
                   help="regrade this student only, replacing their rows in the existing outputs")
    g.add_argument("--assignment", default=None, help="the assignment's name in the LMS exports")
    g.add_argument("--memory-mb", type=int, default=None, help="address space per process (default 4096)")
    g.add_argument("--file-mb", type=int, default=None, help="largest file a submission may write (default 64)")
    g.add_argument("--output-kb", type=int, default=None,
                   help="output a cell may print before it is cut (default 1000)")
    g.set_defaults(func=_cmd_grade)

    s = hs.add_parser("strip", help="write the student version of a notebook (solutions removed)")
    s.add_argument("notebook", help="the teacher's notebook")
    s.add_argument("--out", required=True, help="the student version to write")
    s.add_argument("--force", action="store_true", help="overwrite FILE if it exists")
    s.set_defaults(func=_cmd_strip)
