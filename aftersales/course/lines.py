"""The lines notebooks 02-04 print, in the notebook's language (see :mod:`aftersales.course.printouts`)."""
from __future__ import annotations

from aftersales.glossary import check_lang, fmt_wan, fmt_wan_short, kind_name, label, service_name, unit_label

__all__ = ["wan_text", "service_totals", "wakeup_share_lines", "highest_margin", "uses_lines", "best_services"]


def wan_text(x: float, lang: str = "en") -> str:
    """Yuan in 万 with one decimal: ``'-142.8 wan'`` (en, as the exercises write it), ``'-142.8 万元'`` (zh)
    or ``'-142.8 wan (万元)'`` (both).

    Parameters
    ----------
    x : float
        An amount in yuan.
    lang : {"en", "zh", "both"}, optional
        ``"zh"`` writes 万元, ``"en"`` (default) ``wan``, and ``"both"`` ``wan (万元)`` (the
        glossary's ``"English (中文)"`` rule, as :func:`~aftersales.glossary.fmt_yuan` writes
        ``yuan (元)``).

    Returns
    -------
    str
        x / 10,000 with one decimal and a thousands separator, and the unit.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the glossary's languages.

    Examples
    --------
    >>> wan_text(-1_428_000), wan_text(-1_428_000, "zh"), wan_text(-1_428_000, "both")
    ('-142.8 wan', '-142.8 万元', '-142.8 wan (万元)')
    >>> wan_text(9_299_200)
    '929.9 wan'
    """
    if check_lang(lang) == "zh":
        return fmt_wan(x, "zh")
    return fmt_wan_short(x) + (f" ({unit_label('wan', 'zh')})" if lang == "both" else "")


def service_totals(ev, ev_seed, lang: str = "en") -> str:
    """Service revenue, cost and contribution a year, corrected beside seed (notebook 02).

    Parameters
    ----------
    ev, ev_seed : Evaluation
        The corrected and the seed evaluation of one scenario (``service_revenue``,
        ``service_cost``, ``service_contribution``, yuan a year).
    lang : {"en", "zh"}, optional
        The language of the lines (default English).

    Returns
    -------
    str
        Three lines in 万 yuan a year, the seed figure in brackets.

    Notes
    -----
    contribution = revenue - cost. The seed method bills storage per use rather than per month
    and truncates users with floor, so its figures differ.

    Examples
    --------
    >>> from aftersales import evaluate, load_scenario
    >>> sc = load_scenario("seed-demo")
    >>> print(service_totals(evaluate(sc), evaluate(sc, "seed")))
    service revenue           929.9 wan   (seed 883.8 wan)
    service cost              382.7 wan   (seed 367.7 wan)
    service contribution      547.2 wan   (seed 516.1 wan)
    """
    return "\n".join(label(f"line_{k}", lang, v=wan_text(ev[k], lang), s=wan_text(ev_seed[k], lang))
                     for k in ("service_revenue", "service_cost", "service_contribution"))


def wakeup_share_lines(ev, lang: str = "en") -> str:
    """The share of customers woken at both ends of the overlap between services and in the model.

    Parameters
    ----------
    ev : Evaluation
        A corrected evaluation (the seed method has no bounds).
    lang : {"en", "zh"}, optional
        The language of the lines (default English).

    Returns
    -------
    str
        Three lines, shares as percentages: full overlap (lower bound), independent services
        (the model's omega) and no overlap (upper bound).

    Notes
    -----
    With acceptance a_i and wake-up rate w_i of service i: lower bound max_i a_i w_i;
    independent omega = 1 - prod_i (1 - a_i w_i); upper bound min(1, sum_i a_i w_i).

    Examples
    --------
    >>> from aftersales import evaluate, load_scenario
    >>> print(wakeup_share_lines(evaluate(load_scenario("seed-demo"))))
    share woken, full overlap (lower bound): 11.20%
    share woken, independent services:       27.72%   (the model)
    share woken, no overlap (upper bound):   31.14%
    """
    lc = ev.to_dict()["lifecycle"]
    return "\n".join(label(f"line_share_{end}", lang, v=f"{lc[key]:.2%}") for end, key in
                     (("low", "wakeup_share_low"), ("mid", "wakeup_share"), ("high", "wakeup_share_high")))


def _name(s, lang):
    return service_name(s.name, lang, s.kind) if lang == "zh" else s.name


def highest_margin(sc, lang: str = "en") -> str:
    """The service of ``sc`` with the highest gross margin, its kind and margin.

    Parameters
    ----------
    sc : Scenario
        The scenario whose services are compared.
    lang : {"en", "zh"}, optional
        The language of the lines (default English).

    Returns
    -------
    str
        One line: the service's name, its kind and its gross margin as a percentage (in Chinese,
        the glossary's names of both).

    Notes
    -----
    gross margin = (price - material cost - labour cost) / price (0 for a free service); on a
    tie the first service in the file wins. A service whose name is its kind's name (in Chinese,
    Seasonal storage is 季节性存储 like its kind) is named once, without the kind.

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> highest_margin(load_scenario("seed-demo"))
    'Highest gross margin: Seasonal storage (storage, 67.5%)'
    >>> highest_margin(load_scenario("seed-demo"), "zh")
    '毛利率最高:季节性存储(67.5%)'
    """
    best = max(sc.services, key=lambda s: s.gross_margin)
    kind = kind_name(best.kind, lang) if lang == "zh" else best.kind
    name = _name(best, lang)
    if name == kind:    # a service named after its kind: the name once
        return label("line_highest_margin_kind_named", lang, name=name, margin=f"{best.gross_margin:.1%}")
    return label("line_highest_margin", lang, name=name, kind=kind, margin=f"{best.gross_margin:.1%}")


def uses_lines(sc, ev, lang: str = "en") -> str:
    """The first service's uses a year as the article's code computes them and as its comment reads.

    Parameters
    ----------
    sc : Scenario
        The scenario: its active customers N and first service (uses per user a year u).
    ev : Evaluation
        An evaluation of ``sc`` (its first service's ``uses``).
    lang : {"en", "zh"}, optional
        The language of the lines (default English).

    Returns
    -------
    str
        Two lines: uses a year by the code, N x a x u, and as the code's comment reads, N x u.

    Examples
    --------
    >>> from aftersales import evaluate, load_scenario
    >>> sc = load_scenario("seed-demo")       # Basic remake: a = 0.18, u = 0.4, N = 80,000
    >>> print(uses_lines(sc, evaluate(sc)))
    Basic remake: uses a year as the code computes them (N x a x u): 5,760
    Basic remake: uses a year as the comment reads (N x u):          32,000
    """
    first = sc.services[0]
    return "\n".join([
        label("line_uses_code", lang, name=_name(first, lang), v=f"{ev.services[0]['uses']:,.0f}"),
        label("line_uses_comment", lang, name=_name(first, lang),
              v=f"{sc.brand.active_customers * first.uses_per_user_per_year:,.0f}")])


def best_services(rows, lang: str = "en") -> str:
    """The services (``evaluate(sc).services``) with the largest contribution and the highest margin.

    Parameters
    ----------
    rows : sequence of dict
        One dict per service with ``name``, ``revenue``, ``cost`` (yuan a year), ``gross_margin``
        (share 0-1) and, for the Chinese names, ``kind``: ``evaluate(sc).services``.
    lang : {"en", "zh"}, optional
        The language of the lines (default English).

    Returns
    -------
    str
        One line naming the service with the largest contribution (revenue - cost) and the one
        with the highest gross margin; on a tie, the first row.

    Examples
    --------
    >>> from aftersales import evaluate, load_scenario
    >>> rows = evaluate(load_scenario("seed-demo")).services
    >>> best_services(rows)
    'largest contribution: Deep clean & care; highest margin: Seasonal storage'
    >>> best_services(rows, "zh")
    '贡献最大:深度清洗护理;毛利率最高:季节性存储'
    """
    earner = max(rows, key=lambda r: r["revenue"] - r["cost"])
    best = max(rows, key=lambda r: r["gross_margin"])
    name = (lambda r: service_name(r["name"], lang, r.get("kind")) if lang == "zh" else r["name"])
    return label("line_best_services", lang, earner=name(earner), best=name(best))
