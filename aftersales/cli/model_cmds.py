"""``report``, ``evaluate`` and ``simulate``: the model's commands."""
from __future__ import annotations

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


def _method_columns(columns, lang: str) -> list[str]:
    """The services table and the P&L of one or more (method, Evaluation) columns, side by side."""
    from aftersales.glossary import fmt_margin, fmt_number, fmt_share, fmt_wan, kind_name, label, service_name
    from aftersales.model.evaluation import COMPARISON_ROWS

    L = lambda k, **f: label(k, lang, **f)  # noqa: E731
    last = columns[-1][1]                    # the margin column: the corrected method's when both are shown
    sc = last.scenario
    out = [L("report_services"),
           _cell(L("service"), 22, False) + _cell(L("kind"), 11, False) + _cell(L("users"), 9)
           + "".join(_cell(L(f"revenue_{m}"), 14) for m, _ in columns) + _cell(L("margin"), 8)]
    for i, (c, svc) in enumerate(zip(last.services, sc.services)):
        out.append(_cell(service_name(c["name"], lang, c["kind"])[:21], 22, False)
                   + _cell(kind_name(c["kind"], lang) if lang != "en" else c["kind"], 11, False)
                   + _cell(fmt_number(c["users"]), 9)
                   + "".join(_cell(fmt_wan(ev.services[i]["revenue"], unit=False), 14) for _, ev in columns)
                   + _cell(fmt_margin(c["gross_margin"], svc.price, lang), 8))
    width = 36 + 14 * len(columns)
    out += ["", L("report_pnl"), _cell(L("figure"), 36, False) + "".join(_cell(L(m), 14) for m, _ in columns),
            "-" * width]
    for _, key, unit in COMPARISON_ROWS:
        values = [ev[key] for _, ev in columns]
        name = L(key)
        if unit == "yuan" and key.startswith("ltv"):
            texts = [fmt_number(v, 2) for v in values]
            name = L("yuan_col", name=name)
        elif unit == "yuan":
            texts = [fmt_wan(v, unit=False) for v in values]
            name = L("wan_col", name=name)
        elif unit == "share":
            texts = [fmt_share(v, 2) for v in values]
        else:
            texts = [fmt_number(v) for v in values]
        out.append(_cell(name, 36, False) + "".join(_cell(t, 14) for t in texts))
    if sc.leakage is not None:
        from aftersales.model.leakage import leakage

        per_item = [leakage(sc.leakage, m)["per_item"] for m, _ in columns]
        out += ["", L("report_leakage")]
        for k in per_item[0]:
            out.append(_cell(L(k), 36, False) + "".join(_cell(fmt_number(li[k], 2), 14) for li in per_item))
    return out


def format_report(scenario, lang: str = "en") -> str:
    """The plain-text after-sales report of one scenario, seed and corrected side by side, in
    ``lang`` (the glossary's rule: "en", "zh", "both"); money in wan yuan (万元)."""
    from aftersales.glossary import check_lang, fmt_number, fmt_share, fmt_wan, label, scenario_name
    from aftersales.model.evaluation import evaluate_both

    check_lang(lang)
    both = evaluate_both(scenario)
    seed, corr = both["seed"], both["corrected"]
    sc = corr.scenario
    L = lambda k, **f: label(k, lang, **f)  # noqa: E731
    out = [L("report_title", scenario=scenario_name(sc.name, lang))]
    if lang == "en":
        out.append(sc.description)
    out += ["=" * 78, ""] + _method_columns([("seed", seed), ("corrected", corr)], lang)
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


def format_evaluation(ev, lang: str = "en") -> str:
    """The plain-text figures of one method (``evaluate FILE --method M``): the services, the P&L and
    lifecycle, the value leakage and that method's verdict, in ``lang``."""
    from aftersales.glossary import check_lang, label, scenario_name

    check_lang(lang)
    sc = ev.scenario
    L = lambda k, **f: label(k, lang, **f)  # noqa: E731
    out = [L("report_title", scenario=scenario_name(sc.name, lang)) + f" ({L(ev.method)})"]
    if lang == "en":
        out.append(sc.description)
    out += ["=" * 78, ""] + _method_columns([(ev.method, ev)], lang)
    out += ["", L("report_verdict" if ev.method == "corrected" else "report_verdict_seed"), _verdict(ev, lang)]
    return "\n".join(out)


def cmd_report(args) -> int:
    from aftersales.cli.files import REPORT_TAG, check_dashboard_target, check_input_file, dashboard_metadata
    from aftersales.model.scenario import load_scenario

    if _is_path(args.scenario):
        check_input_file(args.scenario, "a scenario file")
    png = check_dashboard_target(args.png, args.force) if args.png else None
    sc = load_scenario(args.scenario)
    print(format_report(sc, args.lang))
    if png is not None:
        from aftersales.model.evaluation import evaluate
        from aftersales.course.charts import dashboard

        png.parent.mkdir(parents=True, exist_ok=True)
        fig = dashboard(evaluate(sc, args.method), lang=args.lang)
        import matplotlib

        with matplotlib.rc_context({"svg.hashsalt": REPORT_TAG}):    # the same SVG on every run
            fig.savefig(png, dpi=120, bbox_inches="tight", metadata=dashboard_metadata(png.suffix))
        from aftersales.glossary import label

        print("\n" + label("report_png", args.lang, path=png))
    return 0


def _is_path(name) -> bool:
    """Whether a scenario argument names a file (as :func:`aftersales.model.scenario.scenario_path` reads it)."""
    text = str(name)
    return text.endswith(".toml") or "/" in text or "\\" in text


def cmd_evaluate(args) -> int:
    from aftersales.cli.files import check_input_file
    from aftersales.model.evaluation import evaluate

    if _is_path(args.file):
        check_input_file(args.file, "a scenario file")
    if args.json:
        print_json(evaluate(args.file, args.method or "corrected").to_dict())
    elif args.method:
        print(format_evaluation(evaluate(args.file, args.method)))
    else:
        print(format_report(args.file))
    return 0


def cmd_simulate(args) -> int:
    from aftersales.cli.files import check_input_file
    from aftersales.model.montecarlo import simulate

    if args.draws < 1:
        raise CLIError(f"--draws must be at least 1, got {args.draws}")
    if args.seed < 0:
        raise CLIError(f"--seed must be a whole number 0 or more, got {args.seed}")
    if _is_path(args.file):
        check_input_file(args.file, "a scenario file")
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
                   help="where to write the dashboard, a .png, .svg or .pdf file (default: "
                        "after_sales_dashboard.png; '' for none); an existing file is replaced only if "
                        "a report wrote it")
    r.add_argument("--force", action="store_true",
                   help="overwrite the --png file even if this report did not write it")
    r.add_argument("--method", choices=("seed", "corrected"), default="corrected",
                   help="method drawn in the dashboard (default: corrected)")
    r.add_argument("--lang", choices=("en", "zh", "both"), default="en",
                   help="language of the report and the dashboard: en, zh (Chinese) or both (default: en)")
    r.set_defaults(func=cmd_report)

    e = sub.add_parser("evaluate", help="evaluate one scenario (use --json for the output contract)")
    e.add_argument("file", help="a scenario name or TOML file")
    e.add_argument("--method", choices=("seed", "corrected"), default=None,
                   help="the method evaluated (default: corrected); without --json and without "
                        "--method the text shows both methods side by side")
    e.add_argument("--json", action="store_true", help="print one JSON object")
    e.set_defaults(func=cmd_evaluate)

    s = sub.add_parser("simulate", help="Monte Carlo over the uncertain inputs (prices held)")
    s.add_argument("file", help="a scenario name or TOML file")
    s.add_argument("--draws", type=int, default=100_000)
    s.add_argument("--seed", type=int, default=0, help="random seed, 0 or more (default: 0)")
    s.add_argument("--method", choices=("seed", "corrected"), default="corrected")
    s.add_argument("--json", action="store_true", help="print one JSON object")
    s.set_defaults(func=cmd_simulate)
