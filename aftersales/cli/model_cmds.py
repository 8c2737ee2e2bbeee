"""``report``, ``evaluate`` and ``simulate``: the model's commands."""
from __future__ import annotations

from pathlib import Path

from aftersales.cli.output import CLIError, print_json

__all__ = ["format_report", "register"]


def _verdict(ev, lang: str) -> str:
    """The verdict of :func:`aftersales.model.evaluation.verdict` in ``lang``."""
    from aftersales.model.evaluation import verdict

    return verdict(ev, lang)


def _cell(text: str, width: int, right: bool = True) -> str:
    """``text`` padded to ``width`` terminal columns (a Chinese character takes two)."""
    import unicodedata

    cols = sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)
    pad = " " * max(0, width - cols)
    return pad + text if right else text + pad


def format_report(scenario, lang: str = "en") -> str:
    """The plain-text after-sales report of one scenario, seed and corrected side by side, in
    ``lang`` (the glossary's rule: "en", "zh", "both"); money in wan yuan (万元)."""
    from aftersales.glossary import (check_lang, fmt_margin, fmt_number, fmt_share, fmt_wan, kind_name, label,
                                     scenario_name, service_name)
    from aftersales.model.evaluation import COMPARISON_ROWS, evaluate_both

    check_lang(lang)
    both = evaluate_both(scenario)
    seed, corr = both["seed"], both["corrected"]
    sc = corr.scenario
    L = lambda k, **f: label(k, lang, **f)  # noqa: E731
    out = [L("report_title", scenario=scenario_name(sc.name, lang))]
    if lang == "en":
        out.append(sc.description)
    out += ["=" * 78, "", L("report_services"),
            _cell(L("service"), 22, False) + _cell(L("kind"), 11, False) + _cell(L("users"), 9)
            + _cell(L("revenue_seed"), 14) + _cell(L("revenue_corrected"), 14) + _cell(L("margin"), 8)]
    for s, c, svc in zip(seed.services, corr.services, sc.services):
        out.append(_cell(service_name(c["name"], lang, c["kind"])[:21], 22, False)
                   + _cell(kind_name(c["kind"], lang) if lang != "en" else c["kind"], 11, False)
                   + _cell(fmt_number(c["users"]), 9) + _cell(fmt_wan(s["revenue"], unit=False), 14)
                   + _cell(fmt_wan(c["revenue"], unit=False), 14)
                   + _cell(fmt_margin(c["gross_margin"], svc.price, lang), 8))
    out += ["", L("report_pnl"), _cell(L("figure"), 36, False) + _cell(L("seed"), 14) + _cell(L("corrected"), 14),
            "-" * 64]
    for _, key, unit in COMPARISON_ROWS:
        a, b = seed[key], corr[key]
        name = L(key)
        if unit == "yuan" and key.startswith("ltv"):
            fa, fb = (fmt_number(v, 2) for v in (a, b))
            name = L("yuan_col", name=name)
        elif unit == "yuan":
            fa, fb = (fmt_wan(v, unit=False) for v in (a, b))
            name = L("wan_col", name=name)
        elif unit == "share":
            fa, fb = (fmt_share(v, 2) for v in (a, b))
        else:
            fa, fb = (fmt_number(v) for v in (a, b))
        out.append(_cell(name, 36, False) + _cell(fa, 14) + _cell(fb, 14))
    if sc.leakage is not None:
        from aftersales.model.leakage import leakage
        ls, lc = leakage(sc.leakage, "seed")["per_item"], leakage(sc.leakage, "corrected")["per_item"]
        out += ["", L("report_leakage")]
        for k in ls:
            out.append(_cell(L(k), 36, False) + _cell(fmt_number(ls[k], 2), 14) + _cell(fmt_number(lc[k], 2), 14))
    from aftersales.glossary import has_label
    from aftersales.model.assumptions import assumptions_for
    from aftersales.model.evaluation import wakeup_bounds
    from aftersales.model.montecarlo import simulate, verdict_sentence

    out += ["", L("report_p1_note"), "", L("report_bounds"),
            _cell(L("figure"), 36, False) + _cell(L("full_overlap"), 14) + _cell(L("independent"), 14)
            + _cell(L("no_overlap"), 14), "-" * 78]
    for row in wakeup_bounds(corr):
        name = L(row["key"]) if row.get("key") and has_label(row["key"]) else row["figure"]
        ltv = row["unit"] == "yuan" and "ltv" in (row.get("key") or row["figure"].lower())
        if row["unit"] == "share":
            fmt = lambda v: fmt_share(v, 2)  # noqa: E731
        elif ltv:
            fmt, name = (lambda v: fmt_number(v, 2)), L("yuan_col", name=name)
        else:
            fmt, name = (lambda v: fmt_wan(v, unit=False)), L("wan_col", name=name)
        out.append(_cell(name, 36, False) + _cell(fmt(row["full_overlap"]), 14)
                   + _cell(fmt(row["independent"]), 14) + _cell(fmt(row["no_overlap"]), 14))
    draws = 10_000
    mc = simulate(sc, draws=draws, seed=0).summary()
    out += ["", L("report_mc"), verdict_sentence(mc["prob_break_even"], draws, lang=lang)]
    if sc.brand.price_elasticity == 0:
        out.append(L("report_elasticity_zero"))
    out += ["", L("report_assumptions")]
    out += [f"- {a.zh if lang == 'zh' else a.en}" for a in assumptions_for("04")]
    out += ["", L("report_verdict"), _verdict(corr, lang), "", L("report_verdict_seed"), _verdict(seed, lang)]
    return "\n".join(out)


def cmd_report(args) -> int:
    from aftersales.model.scenario import load_scenario

    sc = load_scenario(args.scenario)
    print(format_report(sc, args.lang))
    if args.png:
        from aftersales.model.evaluation import evaluate
        from aftersales.course.charts import dashboard

        png = Path(args.png)
        png.parent.mkdir(parents=True, exist_ok=True)
        fig = dashboard(evaluate(sc, args.method), lang=args.lang)
        fig.savefig(png, dpi=120, bbox_inches="tight")
        from aftersales.glossary import label

        print("\n" + label("report_png", args.lang, path=png))
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
    r.add_argument("--lang", choices=("en", "zh", "both"), default="en",
                   help="language of the report and the dashboard: en, zh (Chinese) or both (default: en)")
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
