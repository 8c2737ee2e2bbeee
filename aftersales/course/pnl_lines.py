"""The lines and tables notebook 04 (the P&L comparison) shows, in the notebook's language."""
from __future__ import annotations

from aftersales.glossary import check_lang, label, service_name

__all__ = ["gap_display", "demo_lines", "total_effect_lines", "break_even_lines", "monte_carlo_lines"]


def gap_display(scenario, lang: str = "en"):
    """:func:`aftersales.model.article.gap_table` as the notebook shows it: figures with two decimals,
    the reasons aligned left; in Chinese the reasons are the glossary's (``GAP_REASONS_ZH``).

    Parameters
    ----------
    scenario : Scenario or str
        The article's scenario (notebook 04 passes ``ARTICLE_SCENARIO``, ``"seed-demo"``), a
        scenario name or a path.
    lang : {"en", "zh", "both"}, optional
        The language of the table (default English).

    Returns
    -------
    pandas.io.formats.style.Styler
        The gap table styled for display; its ``.data`` is the table itself: one row per figure,
        the article's printed and headline figures, the seed and the corrected figure (yuan,
        customers or shares as its ``unit`` column says) and why they differ.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the glossary's languages.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its printed P&L, its headline figures and the
       script they come from.

    Examples
    --------
    >>> gaps = gap_display("seed-demo").data
    >>> gaps.loc["value-added net", ["article headline", "corrected"]].round(1).tolist()
    [-1800000.0, -1428000.0]
    >>> gaps.columns[-1]
    'why they differ'
    """
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
    """The article DEMO's corrected net with storage billed per use, and its highest-margin service.

    Parameters
    ----------
    scenario : Scenario or str
        The article's scenario (``ARTICLE_SCENARIO``), a scenario name or a path.
    lang : {"en", "zh"}, optional
        The language of the lines (default English).

    Returns
    -------
    str
        Two lines: the corrected value-added net (万 yuan a year, written as
        :func:`aftersales.course.lines.wan_text` writes it) when storage is billed per use
        as the article's code does, and the service with the highest gross margin of the
        scenario as it is.

    Notes
    -----
    Storage billed per use rather than per month (:func:`aftersales.model.article.storage_billed_per_use`)
    is how the article's code arrives near its headline net.

    Examples
    --------
    >>> print(demo_lines("seed-demo"))
    Corrected net of the demo, storage billed per use: -173.9 wan
    Highest gross margin in the demo: Seasonal storage (67.5%)
    """
    from aftersales.course.lines import wan_text
    from aftersales.model.article import storage_billed_per_use
    from aftersales.model.evaluation import evaluate

    demo = evaluate(scenario)
    best = max(demo.services, key=lambda s: s["gross_margin"])
    name = service_name(best["name"], lang, best.get("kind")) if lang == "zh" else best["name"]
    net = wan_text(evaluate(storage_billed_per_use(scenario))["va_net"], lang)
    return "\n".join([label("line_demo_per_use", lang, v=net),
                      label("line_demo_margin", lang, name=name, margin=f"{best['gross_margin']:.1%}")])


def total_effect_lines(ev, ev_seed, lang: str = "en") -> str:
    """The total effect taken apart, by the article's code and by the corrected method.

    Parameters
    ----------
    ev, ev_seed : Evaluation
        The corrected and the seed evaluation of one scenario.
    lang : {"en", "zh"}, optional
        The language of the lines (default English).

    Returns
    -------
    str
        Four lines, 万 yuan a year: the seed formula and its sum, the corrected formula and its
        sum (with the wake-up sales the corrected method leaves out, in brackets).

    Notes
    -----
    seed: total effect = value-added net + sum of the LTV boosts + wake-up sales (woken x AOV x
    0.6), the LTV part shown as what is left, total - net - wake-up sales. corrected: total effect = value-added net +
    wake-up contribution, contribution = wake-up sales x product gross margin (sales are not
    profit).

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its code's total effect adds the LTV boosts
       and the wake-up sales to the net (docs/model.md, "Annual P&L").

    Examples
    --------
    >>> from aftersales import evaluate, load_scenario
    >>> sc = load_scenario("seed-demo")
    >>> print(total_effect_lines(evaluate(sc), evaluate(sc, "seed")))
    seed:      total effect = net + LTV extension + wake-up sales
               4,338.6 wan = 76.1 wan + 1,572.0 wan + 2,690.5 wan
    corrected: total effect = net + wake-up contribution
               891.8 wan = -142.8 wan + 1,034.6 wan   (wake-up sales 1,724.3 wan)
    """
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
    """Where the value-added net breaks even, moving each of ``params`` (goal seek).

    Parameters
    ----------
    sc : Scenario
        The scenario.
    lang : {"en", "zh"}, optional
        The language of the lines (default English); in Chinese the parameters by the glossary's
        names, for all services.
    params : sequence of str, optional
        Parameter names as :func:`aftersales.model.kernel.parameter_names` gives them; default
        ``("scale.acceptance", "scale.price")``, the multipliers of every service's acceptance
        and price.

    Returns
    -------
    str
        One line per parameter: the value at which the value-added net is 0, whether all shares
        stay within 0-1 there and how it was solved; or why there is no break-even (e.g. the net
        does not depend on the parameter).

    Notes
    -----
    Solves va_net(x) = 0 with :func:`aftersales.model.sensitivity.goal_seek`: exactly where the
    net is linear in x, by bracketing otherwise.

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> print(break_even_lines(load_scenario("seed-demo")))
    scale.acceptance: value-added net breaks even at x1.261 (all shares within 0-1; solved exactly)
    scale.price: value-added net breaks even at x1.154 (all shares within 0-1; solved exactly)
    >>> print(break_even_lines(load_scenario("seed-demo"), params=("brand.wakeup_conversion",)))
    brand.wakeup_conversion: va_net does not depend on brand.wakeup_conversion
    """
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
    and the chance the total effect is 0 or more.

    Parameters
    ----------
    summary : dict
        :meth:`aftersales.model.montecarlo.MonteCarloResult.summary`: ``draws``, ``seed``,
        ``va_net_p5``/``_p50``/``_p95`` (yuan a year), ``prob_break_even`` and
        ``prob_total_effect_positive`` (shares 0-1) and ``p50``, the total effect's median (yuan
        a year).
    lang : {"en", "zh"}, optional
        The language of the lines (default English).

    Returns
    -------
    str
        Three lines: the net's percentiles in 万 yuan, the verdict sentence on breaking even
        (:func:`aftersales.model.montecarlo.verdict_sentence`), and the share of draws whose total
        effect is 0 or more with its median; each median is named for what it is the median of
        (the net, the total effect), so the two cannot be taken for one another.

    Examples
    --------
    >>> from aftersales.model.montecarlo import simulate
    >>> print(monte_carlo_lines(simulate("seed-demo", draws=1_000, seed=0).summary()))
    1,000 draws, seed 0: value-added net p5 -216.3 wan, median of the net -143.0 wan, p95 -61.4 wan
    Breaking even on its own is very unlikely: the value-added net is 0 or more in 0.0% of 1,000 draws.
    Counting the wake-up contribution, the total effect is 0 or more in 100.0% of the draws (median of the total effect 896.7 wan).
    """
    from aftersales.course.lines import wan_text as w
    from aftersales.model.montecarlo import verdict_sentence

    return "\n".join([
        label("line_mc_draws", lang, draws=f"{summary['draws']:,}", seed=summary["seed"],
              p5=w(summary["va_net_p5"], lang), p50=w(summary["va_net_p50"], lang), p95=w(summary["va_net_p95"], lang)),
        verdict_sentence(summary["prob_break_even"], summary["draws"], lang),
        label("line_mc_total", lang, p=f"{summary['prob_total_effect_positive']:.1%}", median=w(summary["p50"], lang))])
