"""``segment`` and ``generate-cases``: after-sales records."""
from __future__ import annotations

import sys
from pathlib import Path

from aftersales.segment.analysis import DIMENSIONS, segment

__all__ = ["register"]


def _check_segment_args(args) -> None:
    """One error line for what can be seen before a file is read: --top, and folders given as files."""
    from aftersales.cli.files import check_input_file
    from aftersales.cli.output import CLIError

    if args.top < 1 and not args.json:
        raise CLIError(f"--top must be at least 1, got {args.top} (--json gives every layer)")
    for p in args.cases:
        check_input_file(p, "a case file")
    check_input_file(args.orders, "an orders file")
    for what, paths in (("a repair-records file", args.repairs), ("a feedback file", args.feedback),
                        ("an alias table", args.aliases)):
        for p in paths or []:
            check_input_file(p, what)


def _cmd_segment(args) -> int:
    from aftersales.cli.output import print_json

    _check_segment_args(args)
    if getattr(args, "engine", "pandas") == "duckdb":   # streaming engine (aftersales.segment.stream)
        res = _segment_duckdb(args)
    else:
        res = segment(args.cases, by=args.by, orders_path=args.orders, out_dir=args.out, force=args.force,
                      repairs=args.repairs, feedback=args.feedback, aliases_path=args.aliases,
                      encoding=args.encoding, strategy=args.strategy)
    for w in res.get("warnings", []):       # one line each on stderr; --json keeps them in its key too
        print(f"warning: {w}", file=sys.stderr)
    if args.json:
        print_json(res)
        return 0
    print(f"rows in {res['rows_in']:,}: clean {res['rows_clean']:,}, set aside {res['rows_set_aside']:,}")
    for r, n in res["set_aside_reasons"].items():
        print(f"  {r:<28}{n:>10,}")
    if res["cost_set_aside"]:
        print(f"  cost set aside {res['cost_set_aside']:,.2f} yuan")
    for f, u in res["unattributed"].items():
        print(f"  {f + ' unattributed':<28}{u['cases']:>10,}  cost {u['cost']:,.2f} yuan in layer 'unknown'")
    print(f"total cost {res['total_cost']:,.2f} yuan, total net {res['total_net']:,.2f} yuan")
    t = res["totals"]
    if t["orders"]:
        print(f"orders {t['orders']:,}: return rate {t['return_rate']:.1%} per order, cost "
              f"{t['cost_per_order']:,.2f} yuan per order, {t['cost_per_case']:,.2f} per case")
    for name, reps in res["joins"].items():
        for rep in (reps if isinstance(reps, list) else [reps]):
            print(f"join {name}: " + ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v:,.2f}"
                                             for k, v in rep.items() if isinstance(v, (int, float))))
    keys = list(res["by"]) or ["layer"]
    print(f"\n{' x '.join(keys)}")
    for lay in res["layers"][: args.top]:
        name = " / ".join(str(lay[k]) for k in keys)
        print(f"  {name:<44}{lay['cases']:>9,}{lay['cost']:>16,.2f}{lay['share_of_cost']:>8.1%}"
              f"{lay['cumulative_share']:>8.1%}")
    if len(res["layers"]) > args.top:
        print(f"  ... {len(res['layers']) - args.top} more layers (--top N, or --json)")
    vf = res["vital_few"]
    print(f"vital few: {vf['vital_few_layers']} of {vf['layers']} layers carry {vf['threshold']:.0%} of the cost"
          f" and hold {vf['vital_few_share_of_cases']:.1%} of the cases")
    if args.strategy:
        print("\nstrategy (rates against the average; cash cost excludes salaried handling)")
        for r in res["strategy"]:
            print(f"  {r['action']:<17}{r['layer']:<56}{r['cash_cost']:>14,.2f}  {r['evidence']}")
        if not res["strategy"]:
            print("  no layer meets a rule")
    if args.out:
        from aftersales.segment.pipeline import output_files

        print(f"\nwritten to {args.out}: {', '.join(output_files(args.orders, args.strategy))} "
              "(UTF-8 with BOM, for Excel)")
    return 0


def _segment_duckdb(args) -> dict:
    from aftersales.cli.output import CLIError
    from aftersales.segment.stream import frugal_allocator, segment_stream

    frugal_allocator()     # before Arrow is first used: freed memory goes back to the system

    if args.chunk_rows < 1:
        raise ValueError(f"--chunk-rows must be at least 1, got {args.chunk_rows}")
    try:
        return segment_stream(args.cases, by=args.by, orders_path=args.orders, out_dir=args.out,
                              force=args.force, chunk_rows=args.chunk_rows, work_dir=args.work,
                              memory_limit=args.memory_limit, repairs=args.repairs, feedback=args.feedback,
                              aliases_path=args.aliases, encoding=args.encoding, strategy=args.strategy)
    except MemoryError as exc:
        raise CLIError(str(exc) or "out of memory; lower --chunk-rows or --memory-limit") from None


def _cmd_generate(args) -> int:
    from aftersales.segment.generate import generate, orders_path_for, to_export
    from aftersales.segment.records import write_csv

    if args.rows < 1:
        raise ValueError(f"--rows must be at least 1, got {args.rows}")
    out = Path(args.out)
    orders_out = Path(args.orders) if args.orders else orders_path_for(out)
    targets = [out] if args.format == "export" else [out, orders_out]
    for p in targets:
        if p.exists() and not args.force:
            raise FileExistsError(f"{p} exists; use --force to overwrite it")
    cases, orders = generate(args.scenario, rows=args.rows, seed=args.seed, messy=args.messy,
                             broken=args.broken, service_share=args.service_share,
                             id_prefix=args.id_prefix)
    if args.format == "export":
        if args.broken > 0:
            raise ValueError("--broken cannot be combined with --format export")
        write_csv(to_export(cases, seed=args.seed), out, force=True)
        print(f"wrote {len(cases):,} cases (export layout) to {out}")
        return 0
    write_csv(cases, out, force=True)
    write_csv(orders, orders_out, force=True)
    print(f"wrote {len(cases):,} cases to {out} and {len(orders):,} orders to {orders_out}")
    return 0


def register(subparsers) -> None:
    """Add the ``segment`` and ``generate-cases`` sub-commands."""
    s = subparsers.add_parser("segment", help="clean after-sales cases and layer their cost (Pareto)")
    s.add_argument("cases", nargs="+", metavar="CASES.csv",
                   help="case file(s): CSV (UTF-8 or GBK) or .xlsx, canonical or a shop export")
    s.add_argument("--by", default="category,reason",
                   help=f"layer dimensions, comma separated, any of {','.join(DIMENSIONS)} "
                        "(month, week, quarter: the period a case was opened; default: category,reason)")
    s.add_argument("--orders", default=None, help="orders CSV or .xlsx (for customer tiers and rates per order)")
    s.add_argument("--repairs", action="append", default=None, metavar="FILE",
                   help="repair records joined to the cases by case_id (repeatable)")
    s.add_argument("--feedback", action="append", default=None, metavar="FILE",
                   help="customer feedback joined by case_id or order_id (repeatable)")
    s.add_argument("--aliases", action="append", default=None, metavar="FILE",
                   help="your own alias table (field,label,canonical) merged over the shipped one (repeatable)")
    s.add_argument("--encoding", default=None,
                   help="text encoding of the CSV files, e.g. gbk or utf-8 (default: detected)")
    s.add_argument("--strategy", action="store_true",
                   help="add the strategy table (rules on rates against the average) to the output")
    s.add_argument("--out", default=None, metavar="DIR",
                   help="write cases_clean.csv, cases_set_aside.csv, fields_set_aside.csv, layers.csv, "
                        "unmatched.csv (and orders_set_aside.csv, strategy.csv) to DIR")
    s.add_argument("--force", action="store_true", help="overwrite files in --out")
    s.add_argument("--top", type=int, default=20,
                   help="layers shown without --json, at least 1 (default: 20; --json gives every layer)")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    # the streaming engine, for files larger than memory (aftersales.segment.stream)
    s.add_argument("--engine", choices=("pandas", "duckdb"), default="pandas",
                   help="pandas: in memory (default); duckdb: clean in chunks into Parquet, layer in DuckDB")
    s.add_argument("--chunk-rows", type=int, default=500_000, metavar="N",
                   help="--engine duckdb: rows cleaned at a time (default: 500000)")
    s.add_argument("--work", default=None, metavar="DIR",
                   help="--engine duckdb: keep clean.parquet, set_aside.parquet and spill files in DIR "
                        "(default: a temporary folder, removed afterwards)")
    s.add_argument("--memory-limit", default="512MB", metavar="SIZE",
                   help="--engine duckdb: DuckDB's memory limit, e.g. 256MB, 2GB (default: 512MB)")
    s.set_defaults(func=_cmd_segment)

    g = subparsers.add_parser("generate-cases", help="write a synthetic after-sales data set (cases + orders)")
    g.add_argument("--rows", type=int, default=20_000, help="case rows (default: 20000)")
    g.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    g.add_argument("--out", required=True, metavar="FILE", help="the cases CSV to write")
    g.add_argument("--orders", default=None, metavar="FILE",
                   help="the orders CSV to write (default: FILE with _orders before .csv)")
    g.add_argument("--scenario", default="seed-demo", help="scenario whose brand it is (default: seed-demo)")
    g.add_argument("--messy", type=float, default=0.0, help="share of rows with label variants (0-1)")
    g.add_argument("--broken", type=float, default=0.0, help="share of rows broken for the cleaner (0-1)")
    g.add_argument("--service-share", type=float, default=0.15,
                   help="share of cases that are value-added service requests (default: 0.15)")
    g.add_argument("--id-prefix", default="AS", help="prefix of the case ids (default: AS)")
    g.add_argument("--format", choices=("canonical", "export"), default="canonical",
                   help="canonical CSV, or the differently shaped export (Chinese headers, ¥ amounts)")
    g.add_argument("--force", action="store_true", help="overwrite existing files")
    g.set_defaults(func=_cmd_generate)
