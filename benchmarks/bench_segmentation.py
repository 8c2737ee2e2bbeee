"""Benchmark: load, clean and layer a million after-sales case rows on one core.

    python benchmarks/bench_segmentation.py              # 1,000,000 rows
    python benchmarks/bench_segmentation.py --rows 200000

``run(rows)`` writes a synthetic case file (5% messy labels, 0.1% broken rows) and its orders
to a temporary folder (not timed), then measures in a fresh child process, with Arrow limited
to one thread: reading + cleaning + layering by category x reason x channel (the issue's
figure), then the RFM tiers from the orders and a layering by customer tier. Peak memory is
the child's peak resident set size, so it counts everything a user's session would hold.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _peak_mb() -> float:
    """Peak resident memory of this process in MB (VmHWM; ru_maxrss where /proc is missing)."""
    try:
        with open("/proc/self/status") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:  # pragma: no cover - not Linux
        pass
    import resource

    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 / (1024 if sys.platform == "darwin" else 1)


def _child(cases_path: str, orders_path: str) -> dict:
    import pyarrow as pa

    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    from aftersales.segment.records import load_aliases, load_cases
    from aftersales.segment.analysis import attach_tiers, layer_table, load_orders, rfm_tiers

    load_aliases()
    rss_start = _peak_mb()
    c0 = time.process_time()
    t0 = time.perf_counter()
    res = load_cases(cases_path)
    t1 = time.perf_counter()
    table = layer_table(res.clean, ("category", "reason", "channel"))
    t2 = time.perf_counter()
    c2 = time.process_time()
    rss_cases = _peak_mb()
    orders = load_orders(orders_path)
    tiers = rfm_tiers(orders)
    cases = attach_tiers(res.clean, tiers)
    by_tier = layer_table(cases, ("category", "customer_tier"), orders=orders, tiers=tiers)
    t3 = time.perf_counter()
    assert abs(table["cost"].sum() - res.clean["cost"].sum()) < 1e-6 * max(1.0, res.clean["cost"].sum())
    assert res.rows_in == res.rows_clean + res.rows_set_aside
    return {"rows": res.rows_in, "rows_clean": res.rows_clean, "rows_set_aside": res.rows_set_aside,
            "layers": len(table), "tier_layers": len(by_tier), "orders": len(orders),
            "load_clean_seconds": t1 - t0, "layer_seconds": t2 - t1,
            "load_clean_layer_seconds": t2 - t0, "load_clean_layer_cpu_seconds": c2 - c0,
            "rows_per_second": res.rows_in / (t2 - t0), "rows_per_cpu_second": res.rows_in / (c2 - c0),
            "orders_rfm_tier_layer_seconds": t3 - t2,
            "rss_after_imports_mb": rss_start, "peak_rss_cases_mb": rss_cases,
            "peak_rss_with_orders_mb": _peak_mb()}


def run(rows: int = 1_000_000, seed: int = 1) -> dict:
    """Generate ``rows`` case rows, then time load + clean + layer in a one-thread child process."""
    sys.path.insert(0, str(ROOT))
    from aftersales.segment.generate import generate
    from aftersales.segment.records import write_csv

    with tempfile.TemporaryDirectory() as d:
        cases_path, orders_path = Path(d) / "cases.csv", Path(d) / "orders.csv"
        t0 = time.perf_counter()
        cases, orders = generate("seed-demo", rows=rows, seed=seed, messy=0.05, broken=0.001)
        t_gen = time.perf_counter() - t0
        write_csv(cases, cases_path)
        write_csv(orders, orders_path)
        size_mb = cases_path.stat().st_size / 1e6
        del cases, orders
        env = {**os.environ, "OMP_NUM_THREADS": "1", "PYTHONPATH": str(ROOT)}
        out = subprocess.run([sys.executable, __file__, "--child", str(cases_path), str(orders_path)],
                             capture_output=True, text=True, env=env, check=False)
        if out.returncode != 0:
            raise RuntimeError(f"benchmark child failed:\n{out.stderr}")
        res = json.loads(out.stdout.strip().splitlines()[-1])
    return {"generate_seconds": t_gen, "csv_mb": size_mb, **res}


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000)
    ap.add_argument("--child", nargs=2, metavar=("CASES", "ORDERS"), help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        print(json.dumps(_child(*args.child)))
        return
    res = run(args.rows)
    for k, v in res.items():
        print(f"  {k:<34} {v:,.4g}" if isinstance(v, float) else f"  {k:<34} {v:,}")
    print(f"\n{res['rows']:,} rows: load + clean + layer in {res['load_clean_layer_seconds']:.2f} s wall, "
          f"{res['load_clean_layer_cpu_seconds']:.2f} s CPU ({res['rows_per_second']:,.0f} rows/s, one thread), "
          f"peak memory {res['peak_rss_cases_mb']:,.0f} MB")


if __name__ == "__main__":
    main()
