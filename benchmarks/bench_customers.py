"""Benchmark of the customers room: CDNOW loading, the BG/NBD fit, the whole report (not a test).

    python benchmarks/bench_customers.py
"""
from __future__ import annotations

import time


def main() -> None:
    from aftersales.customers import customer_report, fit_bgnbd, load_cdnow, summarise

    for which in ("sample", "master"):
        t0 = time.perf_counter()
        log = load_cdnow(which)
        t1 = time.perf_counter()
        s = summarise(log, "1997-09-30", "W")
        t2 = time.perf_counter()
        m = fit_bgnbd(s.x, s.t_x, s.T)
        t3 = time.perf_counter()
        customer_report(log, with_tracking=True)
        t4 = time.perf_counter()
        print(f"{which:6s}: load {t1 - t0:.2f} s, summary {t2 - t1:.3f} s, fit {t3 - t2:.2f} s "
              f"(r={m.r:.3f} alpha={m.alpha:.3f} a={m.a:.3f} b={m.b:.3f} LL={m.log_likelihood:,.1f}), "
              f"report {t4 - t3:.2f} s")


if __name__ == "__main__":
    main()
