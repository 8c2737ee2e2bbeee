"""Benchmark: the streaming engine (segment --engine duckdb) on a file larger than memory allows.

    python benchmarks/bench_stream.py                     # 30,000,000 rows (about 3.5 GB of CSV)
    python benchmarks/bench_stream.py --rows 2000000 --check-rows 200000   # a quick run

``run(rows)`` writes a synthetic case file chunk by chunk to a temporary folder (seeded, never
whole in memory: 5% messy labels, 0.1% broken rows, and 200 ids in every million repeated from
the previous million, so duplicates span the cleaner's chunks), then runs
``python -m aftersales segment FILE --engine duckdb --json`` in a child process whose address
space is limited (``RLIMIT_AS``, 3 GiB by default) and prints its wall and CPU time, rows a
second, peak resident memory and peak address space (the child's own VmHWM and VmPeak). On a smaller file of ``--check-rows`` rows it
runs both engines, in memory and streaming, and checks that their JSON agrees (counts exactly,
money to 1e-9 relative).
"""
from __future__ import annotations

import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GEN_ROWS = 1_000_000         # rows generated at a time
CROSS_DUPLICATES = 200       # ids per generated million repeated from the million before


def write_cases(path: Path, rows: int, seed: int = 1) -> float:
    """Write ``rows`` case rows to path, GEN_ROWS at a time; returns the size in MB."""
    import numpy as np

    sys.path.insert(0, str(ROOT))
    from aftersales.segment.generate import generate
    from aftersales.segment.records import write_csv

    rng = np.random.default_rng(seed)
    previous = None
    with open(path, "wb") as out:
        done, k = 0, 0
        while done < rows:
            n = min(GEN_ROWS, rows - done)
            cases, _ = generate("seed-demo", rows=n, seed=seed + k, id_prefix=f"AS{k:04d}-", messy=0.05,
                                broken=0.001)
            if previous is not None and n > CROSS_DUPLICATES:
                at = rng.choice(n, CROSS_DUPLICATES, replace=False)
                cases["case_id"] = cases["case_id"].astype(object)
                cases.iloc[at, cases.columns.get_loc("case_id")] = rng.choice(previous, CROSS_DUPLICATES)
            previous = cases["case_id"].astype(str).to_numpy()[-GEN_ROWS // 10:]
            part = path.with_suffix(".part.csv")
            write_csv(cases, part, force=True)
            del cases
            with open(part, "rb") as fh:
                header = fh.readline()
                if k == 0:
                    out.write(header)
                shutil.copyfileobj(fh, out, 1 << 24)
            part.unlink()
            done += n
            k += 1
    return path.stat().st_size / 1e6


def _limit(gib: float):
    def apply() -> None:
        lim = int(gib * (1 << 30))
        resource.setrlimit(resource.RLIMIT_AS, (lim, lim))
    return apply


#: The child runs the command line and, on its way out, writes its own peak memory (VmHWM: resident,
#: VmPeak: address space) from /proc; ru_maxrss would also count the pages of the benchmark
#: process it was forked from.
_CHILD = ("import atexit, os, runpy, sys\n"
          "def peak():\n"
          "    with open('/proc/self/status') as fh, open(os.environ['BENCH_PEAK_FILE'], 'w') as out:\n"
          "        out.write(''.join(l for l in fh if l.startswith(('VmHWM', 'VmPeak'))))\n"
          "atexit.register(peak)\n"
          "sys.argv = ['aftersales'] + sys.argv[1:]\n"
          "runpy.run_module('aftersales', run_name='__main__', alter_sys=True)\n")


def run_cli(args: list[str], limit_gib: float | None) -> dict:
    """Run ``python -m aftersales ARGS`` in a child (address space limited); wall time, peak memory, JSON."""
    peak_file = tempfile.NamedTemporaryFile(delete=False, suffix=".txt")
    peak_file.close()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "BENCH_PEAK_FILE": peak_file.name}
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        p = subprocess.Popen([sys.executable, "-c", _CHILD, *args], stdout=out, stderr=err, env=env,
                             preexec_fn=_limit(limit_gib) if limit_gib else None)
        _, status, usage = os.wait4(p.pid, 0)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout, stderr = out.read().decode(), err.read().decode()
    peaks = {}
    for line in Path(peak_file.name).read_text().splitlines():
        k, v = line.split(":")
        peaks[k] = int(v.split()[0]) / 1024
    os.unlink(peak_file.name)
    res = {"seconds": wall, "peak_rss_mb": peaks.get("VmHWM", float("nan")),
           "peak_address_space_mb": peaks.get("VmPeak", float("nan")),
           "cpu_seconds": usage.ru_utime + usage.ru_stime, "returncode": p.returncode, "stderr": stderr.strip()}
    if p.returncode == 0:
        res["json"] = json.loads(stdout)
    return res


def _agree(a, b, path="") -> list[str]:
    if isinstance(a, float) or isinstance(b, float):
        return [] if abs(a - b) <= 1e-9 * max(1.0, abs(a)) + 1e-6 else [f"{path}: {a!r} vs {b!r}"]
    if isinstance(a, dict):
        if list(a) != list(b):
            return [f"{path}: keys {list(a)} vs {list(b)}"]
        return [m for k in a for m in _agree(a[k], b[k], f"{path}.{k}")]
    if isinstance(a, list):
        if len(a) != len(b):
            return [f"{path}: {len(a)} vs {len(b)} items"]
        return [m for i, (x, y) in enumerate(zip(a, b)) for m in _agree(x, y, f"{path}[{i}]")]
    return [] if a == b else [f"{path}: {a!r} vs {b!r}"]


def run(rows: int = 30_000_000, check_rows: int = 1_000_000, chunk_rows: int = 500_000,
        memory_limit: str = "512MB", limit_gib: float = 3.0, by: str = "category,reason,channel",
        tmp: str | None = None, cases: str | None = None) -> dict:
    """Generate the files, run the engines, return the figures."""
    report: dict = {"rows": rows, "check_rows": check_rows, "chunk_rows": chunk_rows,
                    "memory_limit": memory_limit, "address_space_limit_gib": limit_gib}
    d = Path(tempfile.mkdtemp(prefix="bench-stream-", dir=tmp))
    try:
        stream_args = ["--engine", "duckdb", "--chunk-rows", str(chunk_rows), "--memory-limit", memory_limit,
                       "--work", str(d / "work"), "--by", by, "--json"]
        if check_rows:
            small = d / "check.csv"
            write_cases(small, check_rows)
            mem = run_cli(["segment", str(small), "--by", by, "--json"], limit_gib)
            st = run_cli(["segment", str(small), *stream_args], limit_gib)
            for name, r in (("check_pandas", mem), ("check_duckdb", st)):
                report[f"{name}_seconds"] = r["seconds"]
                report[f"{name}_peak_rss_mb"] = r["peak_rss_mb"]
                report[f"{name}_peak_address_space_mb"] = r["peak_address_space_mb"]
                report[f"{name}_ok"] = r["returncode"] == 0 or r["stderr"]
            if mem["returncode"] == 0 and st["returncode"] == 0:
                diffs = _agree(mem["json"], st["json"])
                report["check_same_json"] = not diffs
                report["check_differences"] = diffs[:5]
                report["check_duplicates"] = st["json"]["set_aside_reasons"].get("duplicate_case_id", 0)
            small.unlink()
            shutil.rmtree(d / "work", ignore_errors=True)
        big = Path(cases) if cases else d / "cases.csv"
        if big.is_file():      # a file kept from an earlier run (--cases): its rows are counted, not made
            report["csv_mb"] = big.stat().st_size / 1e6
            report["reused_file"] = True
        else:
            t0 = time.perf_counter()
            report["csv_mb"] = write_cases(big, rows)
            report["generate_seconds"] = time.perf_counter() - t0
        r = run_cli(["segment", str(big), *stream_args], limit_gib)
        report.update({"seconds": r["seconds"], "cpu_seconds": r["cpu_seconds"], "peak_rss_mb": r["peak_rss_mb"],
                       "peak_address_space_mb": r["peak_address_space_mb"], "returncode": r["returncode"]})
        if r["returncode"] == 0:
            j = r["json"]
            report["rows_per_second"] = j["rows_in"] / r["seconds"]
            report["rows_per_cpu_second"] = j["rows_in"] / r["cpu_seconds"]
            report.update({"rows_in": j["rows_in"], "rows_clean": j["rows_clean"],
                           "rows_set_aside": j["rows_set_aside"],
                           "duplicates": j["set_aside_reasons"].get("duplicate_case_id", 0),
                           "total_cost": j["total_cost"], "layers": len(j["layers"])})
        else:
            report["error"] = r["stderr"].splitlines()[-1] if r["stderr"] else "(no message)"
    finally:
        shutil.rmtree(d, ignore_errors=True)
    return report


def main() -> None:
    import argparse

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=30_000_000, help="rows of the big file (default: 30000000)")
    ap.add_argument("--check-rows", type=int, default=1_000_000,
                    help="rows of the file both engines run on (default: 1000000; 0 to skip)")
    ap.add_argument("--chunk-rows", type=int, default=500_000)
    ap.add_argument("--memory-limit", default="512MB", help="DuckDB's memory limit (default: 512MB)")
    ap.add_argument("--limit-gib", type=float, default=3.0, help="address-space limit of the child (default: 3)")
    ap.add_argument("--by", default="category,reason,channel")
    ap.add_argument("--tmp", default=None, help="folder for the generated files (default: the system's)")
    ap.add_argument("--cases", default=None, metavar="FILE",
                    help="the big file: used as it is if it exists, else generated there and kept")
    args = ap.parse_args()
    res = run(args.rows, args.check_rows, args.chunk_rows, args.memory_limit, args.limit_gib, args.by, args.tmp,
              args.cases)
    for k, v in res.items():
        print(f"  {k:<30} {v:,.4g}" if isinstance(v, float) else f"  {k:<30} {v}")
    if res.get("returncode") == 0:
        print(f"\n{res['rows_in']:,} rows ({res['csv_mb']:,.0f} MB of CSV) under a {res['address_space_limit_gib']:g} GiB "
              f"address-space limit: {res['seconds']:.1f} s wall, {res['rows_per_second']:,.0f} rows/s, "
              f"peak memory {res['peak_rss_mb']:,.0f} MB resident, {res['peak_address_space_mb']:,.0f} MB address space")


if __name__ == "__main__":
    main()
