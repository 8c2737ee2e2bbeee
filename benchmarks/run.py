"""Benchmarks: figures and ratios measured in one run (no assertions; tests never time anything).

    python benchmarks/run.py            # everything
    python benchmarks/run.py --quick    # smaller sizes, for a quick look

Prints: import time of aftersales; model evaluation per scenario, vectorised (one
ScenarioBatch) against a one-scenario-at-a-time Python loop; Monte Carlo draws per second;
and, where their modules are present, segmentation of 1M case rows, homework variants and
grading, and the wall time to execute the notebook series headless.
"""
from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def best_of(fn, repeat=5):
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return min(times)


def bench_import(repeat=5) -> dict:
    code = "import time; t=time.perf_counter(); import aftersales; print(time.perf_counter()-t)"
    ts = [float(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                               cwd=ROOT).stdout) for _ in range(repeat)]
    return {"import_seconds_median": statistics.median(ts)}


def bench_model(n=20_000) -> dict:
    import numpy as np

    from aftersales import evaluate, load_scenario
    from aftersales.model.kernel import ScenarioBatch, compute, set_parameter
    from aftersales.model.kernel import apply_parameter

    sc = load_scenario("seed-demo")
    mult = np.linspace(0.5, 1.5, n)
    loop_n = min(n, 2000)
    scs = [apply_parameter(sc, "scale.acceptance", m) for m in mult[:loop_n]]

    def loop():
        return [evaluate(s)["total_effect"] for s in scs]

    def vec():
        b = ScenarioBatch.from_scenario(sc, size=n)
        set_parameter(b, "scale.acceptance", mult)
        return compute(b)["total_effect"]

    t_loop = best_of(loop, 3) / loop_n
    t_vec = best_of(vec, 5) / n
    single = best_of(lambda: evaluate(sc), 50)
    return {"scenarios": n, "loop_us_per_scenario": t_loop * 1e6, "vectorised_us_per_scenario": t_vec * 1e6,
            "speed_up": t_loop / t_vec, "single_evaluate_ms": single * 1e3}


def bench_monte_carlo(draws=300_000, loop_draws=2000) -> dict:
    """Vectorised Monte Carlo against a draw-at-a-time loop over the same drawn inputs."""
    from dataclasses import replace

    from aftersales import evaluate, load_scenario
    from aftersales.model.montecarlo import draw_batch, simulate

    t = best_of(lambda: simulate("seed-demo", draws, seed=1), 3)
    sc = load_scenario("seed-demo")
    b = draw_batch(sc, loop_draws, seed=1)
    scs = [replace(sc, services=tuple(
        replace(s, uses_per_user_per_year=float(b.services["uses_per_user_per_year"][i, j]),
                acceptance=float(b.services["acceptance"][i, j]),
                material_cost=float(b.services["material_cost"][i, j]),
                labor_cost=float(b.services["labor_cost"][i, j]),
                wakeup_rate=float(b.services["wakeup_rate"][i, j]))
        for j, s in enumerate(sc.services))) for i in range(loop_draws)]
    t_loop = best_of(lambda: [evaluate(x)["total_effect"] for x in scs], 3) / loop_draws
    return {"draws": draws, "seconds": t, "draws_per_second": draws / t,
            "loop_draws_per_second": 1 / t_loop, "speed_up": (draws / t) * t_loop}


def bench_simulate_memory(draws=1_000_000) -> dict:
    """``simulate --draws 1000000`` in a fresh process: wall time and peak resident memory (target < 200 MB)."""
    code = ("import resource, time, json\n"
            "t = time.perf_counter()\n"
            "from aftersales.cli import main\n"
            "import contextlib, io\n"
            "buf = io.StringIO()\n"
            "with contextlib.redirect_stdout(buf):\n"
            f"    main(['simulate', 'seed-demo', '--draws', '{draws}', '--json'])\n"
            "d = json.loads(buf.getvalue())\n"
            "print(time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, "
            "d['prob_break_even'], d['verdict'].replace(' ', '_'))\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    secs, peak_mb, prob, word = out.stdout.split()
    return {"draws": draws, "seconds": float(secs), "peak_rss_mb": float(peak_mb),
            "under_200_mb": float(peak_mb) < 200, "prob_break_even": float(prob), "verdict": word.replace("_", " ")}


def bench_notebooks() -> dict:
    import glob

    import nbformat
    from nbclient import NotebookClient

    out = {}
    t_all = time.perf_counter()
    for path in sorted(glob.glob(str(ROOT / "notebooks" / "[0-9][0-9]_*.ipynb"))):
        nb = nbformat.read(path, as_version=4)
        t0 = time.perf_counter()
        NotebookClient(nb, timeout=600, kernel_name="python3",
                       resources={"metadata": {"path": str(ROOT / "notebooks")}}).execute()
        out[Path(path).stem] = time.perf_counter() - t0
    out["whole_series_seconds"] = time.perf_counter() - t_all
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--skip-notebooks", action="store_true")
    args = ap.parse_args()
    sections = [("import", bench_import, {}),
                ("model evaluation", bench_model, {"n": 5000 if args.quick else 20_000}),
                ("monte carlo", bench_monte_carlo, {"draws": 50_000 if args.quick else 300_000}),
                ("simulate --draws 1000000 (peak memory)", bench_simulate_memory, {})]
    if importlib.util.find_spec("bench_startup") is not None:
        import bench_startup
        sections.append(("start-up (import nbformat, first explorer picture)", bench_startup.run, {}))
    if importlib.util.find_spec("bench_segmentation") is not None:
        import bench_segmentation
        sections.append(("segmentation", bench_segmentation.run, {"rows": 200_000 if args.quick else 1_000_000}))
    if importlib.util.find_spec("bench_homework") is not None:
        import bench_homework
        if hasattr(bench_homework, "run"):
            sections.append(("homework", bench_homework.run, {}))
    if not args.skip_notebooks:
        sections.append(("notebook series (headless)", bench_notebooks, {}))
    for title, fn, kw in sections:
        print(f"\n== {title}")
        res = fn(**kw)
        for k, v in res.items():
            print(f"  {k:<36} {v:,.4g}" if isinstance(v, float) else f"  {k:<36} {v}")
        sys.stdout.flush()


if __name__ == "__main__":
    main()
