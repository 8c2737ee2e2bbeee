"""The lines and tables notebook 04 (the P&L comparison) shows, in the notebook's language."""
from __future__ import annotations

from aftersales.glossary import check_lang, label, service_name

__all__ = ["gap_display", "demo_lines", "total_effect_lines", "break_even_lines", "monte_carlo_lines"]


def gap_display(scenario, lang: str = "en"):
    """:func:`aftersales.model.article.gap_table` as the notebook shows it: figures with two decimals,
    the reasons aligned left; in Chinese the reasons are the glossary's (``GAP_REASONS_ZH``)."""
    from aftersales.course.frames import show
    from aftersales.glossary.notebook_labels import GAP_REASONS_ZH
    from aftersales.model.article import gap_reasons, gap_table

    check_lang(lang)
    gaps = gap_table(scenario)
    if lang == "zh":
        gaps["why they differ"] = [GAP_REASONS_ZH[code].format(**values)
                                   for code, values in gap_reasons(scenario).items()]
    return show(gaps, lang, "{:,.2f}", subset=["article printed", "article headline", "seed (article's code)",
                                               "corrected"], na_rep="-", left=["why they differ"])


def demo_lines(scenario, lang: str = "en") -> str:
    """The article DEMO's corrected net with storage billed per use, and its highest-margin service."""
    from aftersales.model.article import storage_billed_per_use
    from aftersales.model.evaluation import evaluate

    demo = evaluate(scenario)
    best = max(demo.services, key=lambda s: s["gross_margin"])
    name = service_name(best["name"], lang, best.get("kind")) if lang == "zh" else best["name"]
    net = f"{evaluate(storage_billed_per_use(scenario))['va_net'] / 1e4:,.1f}万"
    return "\n".join([label("line_demo_per_use", lang, v=net),
                      label("line_demo_margin", lang, name=name, margin=f"{best['gross_margin']:.1%}")])


def total_effect_lines(ev, ev_seed, lang: str = "en") -> str:
    """The total effect taken apart, by the article's code and by the corrected method."""
    from aftersales.course.lines import wan_text as w

    ltv_yuan_seed = ev_seed["total_effect"] - ev_seed["va_net"] - ev_seed["wakeup_revenue"]
    return "\n".join([
        label("line_seed_formula", lang),
        label("line_seed_sum", lang, total=w(ev_seed["total_effect"], lang), net=w(ev_seed["va_net"], lang),
              ltv=w(ltv_yuan_seed, lang), sales=w(ev_seed["wakeup_revenue"], lang)),
        label("line_corrected_formula", lang),
        label("line_corrected_sum", lang, total=w(ev["total_effect"], lang), net=w(ev["va_net"], lang),
              contribution=w(ev["wakeup_contribution"], lang), sales=w(ev["wakeup_revenue"], lang))])


def break_even_lines(sc, lang: str = "en", params=("scale.acceptance", "scale.price")) -> str:
    """Where the value-added net breaks even, moving each of ``params`` (goal seek)."""
    from aftersales.glossary import input_label
    from aftersales.model.sensitivity import goal_seek

    out = []
    for param in params:
        gs = goal_seek(sc, param, "va_net", 0.0)
        shown = param if lang != "zh" else input_label(param.split(".", 1)[1], lang, service="*")
        if gs.value is None:
            why = gs.message if lang != "zh" else label("no_break_even", lang)
            out.append(label("line_no_break_even", lang, param=shown, message=why))
            continue
        reach = label("reach_ok" if gs.feasible else "reach_out", lang)
        how = gs.message if lang != "zh" else label("solved_exactly" if gs.exact else "solved_by_bracketing",
                                                    lang, n=gs.iterations)
        out.append(label("line_break_even", lang, param=shown, v=gs.value, reach=reach, how=how))
    return "\n".join(out)


def monte_carlo_lines(summary, lang: str = "en") -> str:
    """The Monte Carlo draws: the value-added net's p5, median and p95, the chance of breaking even,
    and the chance the total effect is 0 or more."""
    from aftersales.course.lines import wan_text as w
    from aftersales.model.montecarlo import verdict_sentence

    return "\n".join([
        label("line_mc_draws", lang, draws=f"{summary['draws']:,}", seed=summary["seed"],
              p5=w(summary["va_net_p5"], lang), p50=w(summary["va_net_p50"], lang), p95=w(summary["va_net_p95"], lang)),
        verdict_sentence(summary["prob_break_even"], summary["draws"], lang),
        label("line_mc_total", lang, p=f"{summary['prob_total_effect_positive']:.1%}", median=w(summary["p50"], lang))])
