"""``python -m aftersales customers SOURCE [--calibration-end DATE] [--freq D|W] --json``.

SOURCE is ``cdnow`` (the CDNOW master file carried by the lifetimes package) or a CSV file with
columns customer_id,date,amount. The JSON holds the figures of notebook 07 (docs/customers.md).
"""
from __future__ import annotations

import math
import sys

from aftersales.cli.output import CLIError, print_json

__all__ = ["register"]


def _fmt(value, spec: str, width: int = 0) -> str:
    """``value`` formatted by ``spec``, or "n/a" (right-aligned to ``width``) when it is None or NaN:
    a figure the log is too short to measure."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "n/a".rjust(width)
    return spec.format(value)


def _run(args) -> int:
    from aftersales.customers import TransactionLogError, customer_report, load_cdnow, read_transactions

    try:
        log = load_cdnow("master") if args.source == "cdnow" else (
            load_cdnow("sample") if args.source == "cdnow-sample" else read_transactions(args.source))
        rep = customer_report(log, args.calibration_end, args.freq)
    except TransactionLogError as exc:
        raise CLIError(str(exc)) from None
    if args.json:
        print_json(rep)
        return 0
    b = rep["bgnbd"]
    print(f"{rep['customers']:,} customers, {rep['transactions']:,} purchases, "
          f"{rep['first_date']} to {rep['last_date']}"
          + (f"; {rep['set_aside']['count']} rows set aside" if rep["set_aside"]["count"] else ""))
    print("bought again within 30/90/182/365 days: "
          + " / ".join(_fmt(v, "{:.1%}") for v in rep["repurchase"].values()))
    if rep["quarterly_active_share"]:
        print("active share by quarter:   " + " ".join(_fmt(v, "{:6.1%}", 6) for v in rep["quarterly_active_share"]))
        print("geometric model predicts:  " + " ".join(_fmt(v, "{:6.1%}", 6) for v in rep["geometric_active_share"]))
    else:
        print("active share by quarter:   none (the log ends before its first calendar quarter does)")
    print(f"BG/NBD ({rep['freq']}): r={b['r']:.3f} alpha={b['alpha']:.3f} a={b['a']:.3f} b={b['b']:.3f} "
          f"LL={b['log_likelihood']:,.1f}; holdout predicted {_fmt(b['holdout_predicted'], '{:,.0f}')}, "
          f"actual {b['holdout_actual']:,}")
    lt = rep["ltv"]
    for i, y in enumerate(lt["years"]):
        print(f"LTV {y} y: closed form {_fmt(lt['closed_form'][i], '{:,.2f}')}, "
              f"BG/NBD {_fmt(lt['bgnbd'][i], '{:,.2f}')}, observed {_fmt(lt['observed'][i], '{:,.2f}')}")
    for r in rep["set_aside"]["rows"]:
        print(f"  set aside: row {r['row']}: {r['reason']}", file=sys.stderr)
    return 0


def register(subparsers) -> None:
    """Add ``customers``."""
    p = subparsers.add_parser("customers", help="real customers: retention, BG/NBD, LTV (CDNOW or a CSV)")
    p.add_argument("source", metavar="SOURCE", help="'cdnow' or a CSV with customer_id,date,amount")
    p.add_argument("--calibration-end", metavar="DATE", default=None,
                   help="last day of the BG/NBD calibration period, YYYY-MM-DD, YYYY/M/D or YYYYMMDD "
                        "(default: 1997-09-30 for CDNOW, else the log's middle day)")
    p.add_argument("--freq", choices=("D", "W"), default="W", help="time unit of the fit (default W)")
    p.add_argument("--json", action="store_true", help="print the figures as JSON")
    p.set_defaults(func=_run)
