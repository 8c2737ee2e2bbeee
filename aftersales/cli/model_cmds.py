"""``report``, ``evaluate`` and ``simulate``: the model's commands."""
from __future__ import annotations

from pathlib import Path

from aftersales.cli.output import CLIError, print_json

__all__ = ["format_report", "register"]


def _wan(x):
    return "-" if x is None else f"{x / 1e4:,.1f}"


def format_report(scenario) -> str:
    """The plain-text after-sales report of one scenario, seed and corrected side by side."""
    from aftersales.model.evaluation import COMPARISON_ROWS, evaluate_both, verdict

    both = evaluate_both(scenario)
    seed, corr = both["seed"], both["corrected"]
    sc = corr.scenario
    out = [f"After-sales report: {sc.name}", sc.description, "=" * 78, "",
           "Services (per year; money in wan yuan = 10,000 yuan)",
           f"{'service':<22}{'kind':<11}{'users':>9}{'revenue seed':>14}{'revenue corr':>14}{'margin':>8}"]
    for s, c in zip(seed.services, corr.services):
        out.append(f"{c['name'][:21]:<22}{c['kind']:<11}{c['users']:>9,.0f}{_wan(s['revenue']):>14}"
                   f"{_wan(c['revenue']):>14}{c['gross_margin']:>8.1%}")
    out += ["", "P&L and lifecycle", f"{'figure':<36}{'seed':>14}{'corrected':>14}", "-" * 64]
    for label, key, unit in COMPARISON_ROWS:
        a, b = seed[key], corr[key]
        if unit == "yuan" and key.startswith("ltv"):
            fa, fb = (f"{v:,.2f}" if v is not None else "-" for v in (a, b))
            label = label + " (yuan)"
        elif unit == "yuan":
            fa, fb = _wan(a), _wan(b)
            label = label + " (wan)"
        elif unit == "share":
            fa, fb = (f"{v:.2%}" if v is not None else "-" for v in (a, b))
        else:
            fa, fb = (f"{v:,.0f}" if v is not None else "-" for v in (a, b))
        out.append(f"{label:<36}{fa:>14}{fb:>14}")
    if sc.leakage is not None:
        from aftersales.model.leakage import leakage
        ls, lc = leakage(sc.leakage, "seed")["per_item"], leakage(sc.leakage, "corrected")["per_item"]
        out += ["", "Value leakage of one discounted return (yuan per item)"]
        for k in ls:
            out.append(f"{k.replace('_', ' '):<36}{ls[k]:>14,.2f}{lc[k]:>14,.2f}")
    from aftersales.model.assumptions import assumptions_for
    from aftersales.model.evaluation import wakeup_bounds
    from aftersales.model.montecarlo import simulate, verdict_sentence

    out += ["", "Note: the '12-month repurchase' p1 is the share repurchased by month 14 of the article's "
            "timeline (clean at month 12, order two months later).",
            "", "Wake-up share bounds (corrected): overlap between services is unknown",
            f"{'figure':<36}{'full overlap':>14}{'independent':>14}{'no overlap':>14}", "-" * 78]
    for row in wakeup_bounds(corr):
        fmt = (lambda v: f"{v:.2%}") if row["unit"] == "share" else (
            (lambda v: f"{v:,.2f}") if row["figure"].startswith("LTV") else _wan)
        label = row["figure"] + (" (yuan)" if row["figure"].startswith("LTV") else
                                 " (wan)" if row["unit"] == "yuan" else "")
        out.append(f"{label:<36}{fmt(row['full_overlap']):>14}{fmt(row['independent']):>14}"
                   f"{fmt(row['no_overlap']):>14}")
    draws = 10_000
    mc = simulate(sc, draws=draws, seed=0).summary()
    out += ["", f"Chance of breaking even (Monte Carlo over the uncertainties, prices held, seed 0)",
            verdict_sentence(mc["prob_break_even"], draws)]
    if sc.brand.price_elasticity == 0:
        out.append("Price elasticity is 0: demand does not answer price in this scenario.")
    out += ["", "Assumptions (corrected method)"]
    out += [f"- {a.en}" for a in assumptions_for("04")]
    out += ["", "Verdict (corrected method)", verdict(corr), "",
            "Verdict the article's code would give (seed method)", verdict(seed)]
    return "\n".join(out)


def cmd_report(args) -> int:
    from aftersales.model.scenario import load_scenario

    sc = load_scenario(args.scenario)
    print(format_report(sc))
    if args.png:
        from aftersales.model.evaluation import evaluate
        from aftersales.course.charts import dashboard

        png = Path(args.png)
        png.parent.mkdir(parents=True, exist_ok=True)
        fig = dashboard(evaluate(sc, args.method), lang=args.lang)
        fig.savefig(png, dpi=120, bbox_inches="tight")
        print(f"\nDashboard written to {png}")
    return 0


def cmd_evaluate(args) -> int:
    from aftersales.model.evaluation import evaluate

    ev = evaluate(args.file, args.method)
    if args.json:
        print_json(ev.to_dict())
    else:
        print(format_report(ev.scenario))
    return 0


def cmd_simulate(args) -> int:
    from aftersales.model.montecarlo import simulate

    if args.draws < 1:
        raise CLIError(f"--draws must be at least 1, got {args.draws}")
    res = simulate(args.file, draws=args.draws, seed=args.seed, method=args.method)
    summary = res.summary()
    if args.json:
        print_json(summary)
    else:
        from aftersales.model.montecarlo import verdict_sentence

        for k, v in summary.items():
            print(f"{k:<40}{v}")
        print(verdict_sentence(summary["prob_break_even"], summary["draws"]))
    return 0


def register(sub) -> None:
    """Add ``report``, ``evaluate`` and ``simulate``."""
    r = sub.add_parser("report", help="print the after-sales report and write the dashboard PNG")
    r.add_argument("scenario", nargs="?", default="seed-demo",
                   help="a name from data/scenarios or a path to a TOML file (default: seed-demo)")
    r.add_argument("--png", default="after_sales_dashboard.png",
                   help="where to write the dashboard (default: after_sales_dashboard.png; '' for none)")
    r.add_argument("--method", choices=("seed", "corrected"), default="corrected",
                   help="method drawn in the dashboard (default: corrected)")
    r.add_argument("--lang", choices=("en", "zh"), default="en", help="label language of the dashboard")
    r.set_defaults(func=cmd_report)

    e = sub.add_parser("evaluate", help="evaluate one scenario (use --json for the output contract)")
    e.add_argument("file", help="a scenario name or TOML file")
    e.add_argument("--method", choices=("seed", "corrected"), default="corrected")
    e.add_argument("--json", action="store_true", help="print one JSON object")
    e.set_defaults(func=cmd_evaluate)

    s = sub.add_parser("simulate", help="Monte Carlo over the uncertain inputs (prices held)")
    s.add_argument("file", help="a scenario name or TOML file")
    s.add_argument("--draws", type=int, default=100_000)
    s.add_argument("--seed", type=int, default=0)
    s.add_argument("--method", choices=("seed", "corrected"), default="corrected")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.set_defaults(func=cmd_simulate)
