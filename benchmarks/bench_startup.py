"""Start-up costs every notebook, test worker and graded submission pays.

    python benchmarks/bench_startup.py

Prints the median wall time of ``import nbformat`` in a fresh process with the project's start-up
file (``scripts/venv_startup.py``: jsonschema's optional IRI checker marked absent) and without it
(``python -S`` plus the site-packages folder, so no ``.pth`` file runs), their ratio, and the time
of an explorer's first picture (notebook 04's P&L explorer, both figures) in one process.
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import sysconfig
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TIMER = "import time; t = time.perf_counter(); import nbformat; print(time.perf_counter() - t)"


def _median(cmd: list[str], repeat: int) -> float:
    return statistics.median(float(subprocess.run(cmd, capture_output=True, text=True, check=True,
                                                  cwd=ROOT).stdout) for _ in range(repeat))


def bench_nbformat_import(repeat: int = 5) -> dict:
    purelib = sysconfig.get_paths()["purelib"]
    with_file = _median([sys.executable, "-c", TIMER], repeat)
    # -S skips site (and so every .pth file); the site-packages folder is put back by hand
    without = _median([sys.executable, "-S", "-c", f"import sys; sys.path.append({purelib!r}); " + TIMER], repeat)
    startup = (Path(purelib) / "aftersales_startup.pth").exists()
    return {"start_up_file_present": startup, "import_nbformat_s_with_file": with_file,
            "import_nbformat_s_without_file": without, "ratio_without_over_with": without / with_file}


def bench_first_picture(repeat: int = 3) -> dict:
    import matplotlib

    matplotlib.use("Agg")
    sys.path.insert(0, str(ROOT))
    from aftersales.course.explorers import pnl_explorer

    pnl_explorer("seed-demo")                          # fonts and caches warm
    times = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        pnl_explorer("seed-demo")
        times.append(time.perf_counter() - t0)
    return {"pnl_explorer_first_picture_s": statistics.median(times)}


def run() -> dict:
    return {**bench_nbformat_import(), **bench_first_picture()}


if __name__ == "__main__":
    for k, v in run().items():
        print(f"  {k:<36} {v:,.4g}" if isinstance(v, float) else f"  {k:<36} {v}")
