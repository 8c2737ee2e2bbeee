"""What the seed article prints and claims, next to what its code and the corrected model compute.

The article gives three sets of figures for one brand: what its script computes (the
``seed`` method reproduces it), a "sample output" printed under the script, and a
headline table in its prose. They disagree. :func:`gap_table` lines them up figure by
figure with a one-line reason for every gap, computed from the scenario (the article's
DEMO, ``seed-demo``) so the reasons quote the library's own numbers.

The printed figures below are copied from the article (money in yuan; the article
prints wan yuan, 1 wan = 10,000 yuan).
"""
from __future__ import annotations

from aftersales.glossary import fmt_wan
from aftersales.model.kernel import apply_parameter

__all__ = ["ARTICLE_SCENARIO", "PRINTED_SAMPLE", "PRINTED_MARGINS", "PRINTED_SERVICE_REVENUE",
           "HEADLINE", "GAP_REASONS", "gap_reasons", "gap_table", "margin_table", "storage_billed_per_use"]

#: The scenario file that holds the article's DEMO inputs.
ARTICLE_SCENARIO = "seed-demo"

#: The article's printed "sample output" (运行输出示例), yuan unless said.
PRINTED_SAMPLE = {
    "service_revenue": 8_849_000.0,        # 884.9万
    "va_cost": 6_528_000.0,                # 652.8万
    "va_net": 2_321_000.0,                 # 232.1万, printed in the row 售后净盈亏
    "wakeup_customers": 12_320.0,          # 唤醒客户数 12,320 人/年
    "wakeup_revenue": 1_331_000.0,         # 唤醒带来新增营收 133.1万
    "ltv_gain": 1_863_000.0,               # 服务 LTV 提升 186.3万
    "ltv_value_added": 3833.0,             # 客户平均 LTV 3833 (+19.8%)
}
#: Revenue per service row of the printed sample, yuan (161.3, 55.7, 430.1, 225.3, 11.5 万).
PRINTED_SERVICE_REVENUE = (1_613_000.0, 557_000.0, 4_301_000.0, 2_253_000.0, 115_000.0)
#: Gross margins per service in the printed sample, shares (75.0, 69.0, 61.7, 66.0, 75.0 %).
PRINTED_MARGINS = (0.750, 0.690, 0.617, 0.660, 0.750)

#: The headline table of the article's prose (盈亏对比): traditional -> value-added.
HEADLINE = {
    "traditional_cost": 6_800_000.0, "va_cost": 5_200_000.0,
    "traditional_revenue": 0.0, "service_revenue": 3_400_000.0,
    "traditional_net": -6_800_000.0, "va_net": -1_800_000.0,
    "repurchase_12m_traditional": 0.28, "repurchase_12m_value_added": 0.38,
    "ltv_traditional": 3200.0, "ltv_value_added": 4100.0,
}


def _w(x: float) -> str:
    """Yuan in 万 as the article writes it (``883.9万``): the glossary's :func:`fmt_wan` number."""
    return fmt_wan(x, unit=False) + "万"


def storage_billed_per_use(scenario):
    """The scenario with every per-month service billed for one month per use, as the seed code does.

    Parameters
    ----------
    scenario : Scenario or str
        A Scenario, a shipped name or a path.

    Returns
    -------
    Scenario
        A copy whose ``per_month`` services have ``months_per_use = 1``.

    Notes
    -----
    The article prices storage at 40 yuan a month but its code bills one month a use; seed-demo
    bills five. Storage revenue falls from 2,880 uses x 5 months x 40 = 576,000 yuan to
    2,880 x 40 = 115,200 yuan a year.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its script, the sample output printed under it
       (运行输出示例) and the headline table of its prose (盈亏对比).

    Examples
    --------
    >>> from aftersales import evaluate
    >>> per_use = storage_billed_per_use("seed-demo")
    >>> per_use.service("Seasonal storage").months_per_use
    1.0
    >>> evaluate(per_use)["service_revenue"]                     # 9,299,200 - 576,000 + 115,200
    8838400.0
    """
    from aftersales.model.scenario import load_scenario

    sc = load_scenario(scenario)
    for s in sc.services:
        if s.billing == "per_month":
            sc = apply_parameter(sc, f"service[{s.name}].months_per_use", 1.0)
    return sc


#: The reason of each row of :func:`gap_table`, by code (in its row order): English templates whose
#: fields :func:`gap_reasons` fills; the glossary holds the Chinese ones (``GAP_REASONS_ZH``).
GAP_REASONS = {
    "service_revenue": "The printed total is not the sum of its own printed rows ({sum_rows}); the code gives "
                       "{seed}. The corrected method bills storage per month ({more} more) and does not round users down.",
    "va_cost": "The code adds team and logistics ({fixed}) to the service cost ({service_cost}); the printed "
               "{printed} would need a service cost of {needed}. Corrected also keeps quality check and resale "
               "loss of the returns ({returns}): returns keep arriving.",
    "va_net": "Printed = printed revenue - printed cost, but the code prints its total effect ({total}) in that "
              "row. Billing storage per use as the code does, the corrected net is {per_use}, close to the "
              "headline's {headline}.",
    "wakeup_customers": "The code adds per-service wake-ups, counting a customer woken by two services twice "
                        "({seed}); corrected counts people once: N x (1 - prod(1 - a x w)) = {corrected}. "
                        "The printed {printed} follows from neither.",
    "wakeup_revenue": "Even its own {printed} woken x {aov} yuan x 0.6 = {sales}, ten times the printed "
                      "{printed_revenue}. Corrected credits only those who would not have bought anyway (1 - p0).",
    "wakeup_contribution": "Sales are not profit: corrected books wake-up sales x product gross margin ({gm}); "
                           "the code books the sales themselves.",
    "ltv_gain": "The code's 'service LTV gain' is the 'LTV extension' inputs ({boost}) plus wake-up sales "
                "({sales}) = {gain}, not the printed {printed}. The corrected method has no such figure: an "
                "input is not a cash flow.",
    "total_effect": "The code adds net, the 'LTV extension' yuan ({boost}, an input, not a cash flow) and "
                    "wake-up sales; corrected adds net and wake-up contribution.",
    "repurchase_12m_value_added": "The code never computes a repurchase rate; the headline's 38% comes from "
                                  "nowhere in it. Corrected: p1 = p0 + (1 - p0) x share woken x conversion.",
    "ltv_value_added": "The code adds one year's LTV boosts and wake-up sales per customer to the base LTV; "
                       "corrected takes the annual value plus service contribution times the expected "
                       "discounted lifetime at p1. Neither printed figure follows from the code.",
}


def gap_reasons(scenario=ARTICLE_SCENARIO) -> dict[str, dict[str, str]]:
    """The numbers each reason of :func:`gap_table` quotes, by reason code (:data:`GAP_REASONS`), in
    the table's row order; money in 万 as the article writes it (``883.9万``), counts with separators."""
    from aftersales.model.evaluation import evaluate
    from aftersales.model.scenario import load_scenario

    sc = load_scenario(scenario)
    s, c = evaluate(sc, "seed"), evaluate(sc, "corrected")
    per_use = evaluate(storage_billed_per_use(sc), "corrected")
    P, H = PRINTED_SAMPLE, HEADLINE
    fixed_seed = sc.value_added.team_salary + sc.value_added.logistics
    ltv_boost = s["total_effect"] - s["va_net"] - s["wakeup_revenue"]
    return {
        "service_revenue": {"sum_rows": _w(sum(PRINTED_SERVICE_REVENUE)), "seed": _w(s["service_revenue"]),
                            "more": _w(c["service_revenue"] - per_use["service_revenue"])},
        "va_cost": {"fixed": _w(fixed_seed), "service_cost": _w(s["service_cost"]), "printed": _w(P["va_cost"]),
                    "needed": _w(P["va_cost"] - fixed_seed),
                    "returns": _w(sc.value_added.quality_check + sc.value_added.discounted_resale_loss)},
        "va_net": {"total": _w(s["total_effect"]), "per_use": _w(per_use["va_net"]), "headline": _w(H["va_net"])},
        "wakeup_customers": {"seed": f"{s['wakeup_customers']:,.0f}", "corrected": f"{c['wakeup_customers']:,.0f}",
                             "printed": f"{P['wakeup_customers']:,.0f}"},
        "wakeup_revenue": {"printed": f"{P['wakeup_customers']:,.0f}", "aov": f"{sc.brand.avg_order_value:,.0f}",
                           "sales": _w(P["wakeup_customers"] * sc.brand.avg_order_value * 0.6),
                           "printed_revenue": _w(P["wakeup_revenue"])},
        "wakeup_contribution": {"gm": f"{sc.brand.product_gross_margin:.0%}"},
        "ltv_gain": {"boost": _w(ltv_boost), "sales": _w(s["wakeup_revenue"]),
                     "gain": _w(s["total_effect"] - s["va_net"]), "printed": _w(P["ltv_gain"])},
        "total_effect": {"boost": _w(ltv_boost)},
        "repurchase_12m_value_added": {},
        "ltv_value_added": {},
    }


def gap_table(scenario=ARTICLE_SCENARIO):
    """Every gap between the article's printed figures, its code and the corrected model.

    Parameters
    ----------
    scenario : Scenario or str, optional
        Default the article's DEMO (``seed-demo``): the printed columns are the article's and
        only make sense next to its own inputs.

    Returns
    -------
    pandas.DataFrame
        Indexed by figure (10 rows), columns ``unit``, ``article printed``, ``article
        headline``, ``seed (article's code)``, ``corrected`` (yuan a year, people or a share;
        None where a source has no such figure) and ``why they differ`` (one line quoting the
        library's numbers in 万 yuan).

    Notes
    -----
    The printed sample (:data:`PRINTED_SAMPLE`) is not even self-consistent: its service rows
    add up to 883.9万, not the 884.9万 total it prints.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its script, the sample output printed under it
       (运行输出示例) and the headline table of its prose (盈亏对比).

    Examples
    --------
    >>> g = gap_table()
    >>> g.loc["service revenue", ["article printed", "seed (article's code)", "corrected"]].tolist()
    [8849000.0, 8838400.0, 9299200.0]
    >>> g.loc["service revenue", "why they differ"].split(";")[0]
    'The printed total is not the sum of its own printed rows (883.9万)'
    """
    import pandas as pd

    from aftersales.model.evaluation import evaluate
    from aftersales.model.scenario import load_scenario

    sc = load_scenario(scenario)
    s, c = evaluate(sc, "seed"), evaluate(sc, "corrected")
    P, H = PRINTED_SAMPLE, HEADLINE
    why = gap_reasons(sc)
    rows = [
        ("service revenue", "yuan", P["service_revenue"], H["service_revenue"],
         s["service_revenue"], c["service_revenue"]),
        ("value-added cost", "yuan", P["va_cost"], H["va_cost"], s["va_cost"], c["va_cost"]),
        ("value-added net", "yuan", P["va_net"], H["va_net"], s["va_net"], c["va_net"]),
        ("wake-up customers", "people", P["wakeup_customers"], None,
         s["wakeup_customers"], c["wakeup_customers"]),
        ("wake-up revenue", "yuan", P["wakeup_revenue"], None,
         s["wakeup_revenue"], c["wakeup_revenue"]),
        ("wake-up contribution", "yuan", None, None, s["wakeup_contribution"], c["wakeup_contribution"]),
        ("LTV gain (boosts + wake-up sales)", "yuan", P["ltv_gain"], None,
         s["total_effect"] - s["va_net"], None),
        ("total effect", "yuan", None, None, s["total_effect"], c["total_effect"]),
        ("12-month repurchase, value-added", "share", None, H["repurchase_12m_value_added"],
         s["repurchase_12m_value_added"], c["repurchase_12m_value_added"]),
        ("LTV, value-added", "yuan", P["ltv_value_added"], H["ltv_value_added"],
         s["ltv_value_added"], c["ltv_value_added"]),
    ]
    rows = [(*r, GAP_REASONS[code].format(**values)) for r, (code, values) in zip(rows, why.items())]
    df = pd.DataFrame(rows, columns=["figure", "unit", "article printed", "article headline",
                                     "seed (article's code)", "corrected", "why they differ"])
    return df.set_index("figure")


def margin_table(scenario=ARTICLE_SCENARIO):
    """Gross margin per service: the article's printed sample against the scenario's inputs.

    Parameters
    ----------
    scenario : Scenario or str, optional
        Default the article's DEMO (``seed-demo``).

    Returns
    -------
    pandas.DataFrame
        Indexed by service, columns ``kind``, ``price`` (yuan), ``unit cost`` (yuan),
        ``gross margin (computed)`` and ``article printed`` (shares; None past the printed rows).

    Notes
    -----
    Gross margin 毛利率 = (price - material - labour) / price.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): its script, the sample output printed under it
       (运行输出示例) and the headline table of its prose (盈亏对比).

    Examples
    --------
    The article prints 75 % for the basic remake; its own inputs give (280 - 100) / 280:

    >>> m = margin_table()
    >>> row = m.loc["Basic remake"]
    >>> round(float(row["gross margin (computed)"]), 3), float(row["article printed"])
    (0.643, 0.75)
    """
    import pandas as pd

    from aftersales.model.scenario import load_scenario

    sc = load_scenario(scenario)
    rows = []
    for i, s in enumerate(sc.services):
        printed = PRINTED_MARGINS[i] if i < len(PRINTED_MARGINS) else None
        rows.append({"service": s.name, "kind": s.kind, "price": s.price, "unit cost": s.unit_cost,
                     "gross margin (computed)": s.gross_margin, "article printed": printed})
    return pd.DataFrame(rows).set_index("service")
