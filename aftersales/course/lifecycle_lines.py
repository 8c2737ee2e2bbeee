"""The lines notebook 03 (the customer lifecycle) prints, in the notebook's language."""
from __future__ import annotations

from aftersales.glossary import kind_name, label

__all__ = ["touch_lines", "wakeup_count_lines", "repurchase_lines", "ltv_lines", "simulation_lines"]


def touch_lines(lang: str = "en") -> str:
    """When each service kind first touches a customer, and when a woken customer orders.

    Parameters
    ----------
    lang : {"en", "zh"}, optional
        The language of the two lines (default English). The months of the model's
        ``TOUCH_MONTH`` are shown kind by kind, under the glossary's names of the kinds.

    Returns
    -------
    str
        Two lines: the month (after the first purchase) of each kind's first touch, and the lag in
        months between a wake-up and the order (``WAKEUP_LAG_MONTHS``).

    Examples
    --------
    >>> print(touch_lines())
    Month of the first touch per service kind: seasonal storage 6, remake 8, repair 10, deep cleaning and care 12
    A woken customer orders 2 months after the touch.
    >>> print(touch_lines("zh").splitlines()[1])
    被唤醒的客户在使用服务 2 个月后下单。
    """
    from aftersales.model.lifecycle import TOUCH_MONTH, WAKEUP_LAG_MONTHS

    months = ("、" if lang == "zh" else ", ").join(f"{kind_name(k, lang)} {m}" for k, m in TOUCH_MONTH.items())
    return "\n".join([label("line_touch_month", lang, months=months),
                      label("line_wakeup_lag", lang, lag=WAKEUP_LAG_MONTHS)])


def wakeup_count_lines(woken, ev, ev_seed, lang: str = "en") -> str:
    """Per-service wake-ups added up, the customers woken at least once, and the article code's count.

    Parameters
    ----------
    woken : pandas.DataFrame
        One row per service with a ``wakeups`` column (customers a year), as notebook 03 builds it
        from ``evaluate(sc).services``.
    ev : Evaluation
        The corrected evaluation: ``wakeup_customers`` (customers a year) and ``wakeup_share``
        (omega, share 0-1).
    ev_seed : Evaluation
        The seed evaluation (the article's code), its ``wakeup_customers``.
    lang : {"en", "zh"}, optional
        The language of the lines (default English).

    Returns
    -------
    str
        Three lines: the sum of the per-service wake-ups, the people woken at least once
        (N x omega) with omega, and the article code's count.

    Notes
    -----
    A customer woken by two services is in the sum twice and among the people once:
    omega = 1 - prod_i (1 - a_i w_i) (acceptance a_i, wake-up rate w_i). The article's code
    counts wake-ups per service, floor(floor(N a_i) w_i), and sums them.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): touchpoints wake dormant customers (唤醒沉睡客户).

    Examples
    --------
    >>> import pandas as pd
    >>> from aftersales import evaluate, load_scenario
    >>> sc = load_scenario("seed-demo")
    >>> ev, ev_seed = evaluate(sc), evaluate(sc, "seed")
    >>> woken = pd.DataFrame(ev.services).set_index("name")[["users", "wakeups"]]
    >>> print(wakeup_count_lines(woken, ev, ev_seed))
    sum of per-service wake-ups:                 24,912
    customers woken at least once (N x omega):   22,174   omega = 27.72%
    the article's code counts:                   24,912
    """
    return "\n".join([
        label("line_sum_wakeups", lang, v=f"{woken['wakeups'].sum():,.0f}"),
        label("line_woken_once", lang, v=f"{ev['wakeup_customers']:,.0f}", omega=f"{ev['wakeup_share']:.2%}"),
        label("line_code_counts", lang, v=f"{ev_seed['wakeup_customers']:,.0f}")])


def repurchase_lines(sc, ev, timeline, lang: str = "en") -> str:
    """p0 and p1, the incremental orders and their contribution, and p1 read off the cohort timeline.

    Parameters
    ----------
    sc : Scenario
        The scenario: its order value AOV (yuan) and product gross margin (share 0-1).
    ev : Evaluation
        The corrected evaluation of ``sc``.
    timeline : pandas.DataFrame
        :func:`aftersales.model.lifecycle.cohort_timeline` of ``sc``, with a row for month 12 and
        for month 12 + ``WAKEUP_LAG_MONTHS``.
    lang : {"en", "zh"}, optional
        The language of the lines (default English).

    Returns
    -------
    str
        Five lines: p0, p1, the incremental orders x AOV (sales in 万 yuan a year), their
        contribution at the product margin (万 yuan a year), and the timeline's share repurchased
        at month 12 and at month 12 + lag (marked as p1).

    Raises
    ------
    IndexError
        If the timeline has no row for one of the two months.

    Notes
    -----
    p1 = p0 + (1 - p0) x omega x c: only customers who would not have bought anyway are added;
    incremental orders = N x (p1 - p0); their contribution = orders x AOV x gm.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): touchpoints wake dormant customers (唤醒沉睡客户).

    Examples
    --------
    >>> from aftersales import evaluate, load_scenario
    >>> from aftersales.model.lifecycle import cohort_timeline
    >>> sc = load_scenario("seed-demo")
    >>> print(repurchase_lines(sc, evaluate(sc), cohort_timeline(sc)))
    p0, 12-month repurchase without services: 28.00%
    p1, with services:                        39.97%
    incremental orders a year:                9,579 x 1,800 yuan = 1,724.3 wan of sales
    their contribution at 60% product margin: 1,034.6 wan
    on the timeline: repurchased by month 12 37.37%, by month 14 39.97% (= p1)
    """
    from aftersales.course.lines import wan_text
    from aftersales.model.lifecycle import WAKEUP_LAG_MONTHS

    b = sc.brand
    m = 12 + WAKEUP_LAG_MONTHS
    at = {month: float(timeline.loc[timeline["month"] == month, "repurchased"].iloc[0]) for month in (12, m)}
    return "\n".join([
        label("line_p0", lang, v=f"{ev['repurchase_12m_traditional']:.2%}"),
        label("line_p1", lang, v=f"{ev['repurchase_12m_value_added']:.2%}"),
        label("line_orders", lang, orders=f"{ev['wakeup_orders']:,.0f}", aov=f"{b.avg_order_value:,.0f}",
              sales=wan_text(ev["wakeup_revenue"], lang)),
        label("line_orders_contribution", lang, gm=f"{b.product_gross_margin:.0%}", v=wan_text(ev["wakeup_contribution"], lang)),
        label("line_timeline", lang, at12=f"{at[12]:.2%}", m=m, atm=f"{at[m]:.2%}")])


def ltv_lines(sc, ev, ev_seed, m0: float, m1: float, lang: str = "en") -> str:
    """The lifetime multipliers, the annual values and the LTV today, with services and by the article's code.

    Parameters
    ----------
    sc : Scenario
        The scenario: its active customers N.
    ev : Evaluation
        The corrected evaluation of ``sc``.
    ev_seed : Evaluation
        The seed evaluation of ``sc`` (its ``ltv_value_added``).
    m0, m1 : float
        The lifetime multipliers M(p0) and M(p1), in years, as the notebook computes them with
        :func:`aftersales.model.kernel.lifetime_multiplier`; shown as given (the LTV lines come
        from ``ev``, not from them).
    lang : {"en", "zh"}, optional
        The language of the lines (default English).

    Returns
    -------
    str
        Seven lines: M(p0) and M(p1); the annual value a0 and, beside it, the annual product
        margin (yuan a customer); the service contribution per customer s (yuan a year); the LTV
        today, with services (corrected) and by the article's code (yuan a customer).

    Notes
    -----
    M(p) = (1 + d) / (1 + d - p); a0 = base LTV / M(p0); s = service contribution / N;
    LTV with services = (a0 + s) x M(p1).

    References
    ----------
    .. [1] S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive Marketing
       17(1), 9-24, 2003 (the margin multiple (1 + d) / (1 + d - r)).
    .. [2] "服装品牌售后部门转型" (the seed article): services lengthen the customer lifetime value.

    Examples
    --------
    >>> from aftersales import evaluate, load_scenario
    >>> from aftersales.model.kernel import lifetime_multiplier
    >>> sc = load_scenario("seed-demo")
    >>> ev, ev_seed = evaluate(sc), evaluate(sc, "seed")
    >>> d = sc.brand.discount_rate
    >>> m0 = lifetime_multiplier(sc.brand.baseline_repurchase_12m, d)
    >>> m1 = lifetime_multiplier(ev["repurchase_12m_value_added"], d)
    >>> print(ltv_lines(sc, ev, ev_seed, m0, m1))
    M(p0) = 1.3415 years, M(p1) = 1.5708 years
    annual value a0 = base LTV / M(p0) = 2,385.45 yuan
    annual product margin AOV x f x gm  = 1,728.00 yuan   (side by side)
    service contribution per customer s = 68.40 yuan a year
    LTV today:               3,200.00 yuan
    LTV with services:       3,854.63 yuan (corrected)
    LTV by the article code: 3,732.81 yuan (seed)
    """
    b = sc.brand
    return "\n".join([
        label("line_multipliers", lang, m0=f"{m0:.4f}", m1=f"{m1:.4f}"),
        label("line_a0", lang, v=f"{ev['annual_value_per_customer']:,.2f}"),
        label("line_product_margin", lang, v=f"{ev['annual_product_margin_per_customer']:,.2f}"),
        label("line_s", lang, v=f"{ev['service_contribution'] / b.active_customers:,.2f}"),
        label("line_ltv_today", lang, v=f"{ev['ltv_traditional']:,.2f}"),
        label("line_ltv_services", lang, v=f"{ev['ltv_value_added']:,.2f}"),
        label("line_ltv_seed", lang, v=f"{ev_seed['ltv_value_added']:,.2f}")])


def simulation_lines(sim, lang: str = "en") -> str:
    """The simulated cohort against the closed form: repurchase, and LTV in standard errors.

    Parameters
    ----------
    sim : dict
        :func:`aftersales.model.simulation.simulate_customers`'s result: the 12-month repurchase
        simulated and by the closed form (shares 0-1), the LTV simulated and by the closed form
        and the simulated LTV's standard error (yuan a customer).
    lang : {"en", "zh"}, optional
        The language of the lines (default English).

    Returns
    -------
    str
        Two lines: the repurchase shares side by side, and the LTVs with the gap in standard
        errors.

    Notes
    -----
    gap = (LTV simulated - LTV closed form) / standard error; within about +-2 the simulation
    agrees with the closed form.

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> from aftersales.model.simulation import simulate_customers
    >>> sim = simulate_customers(load_scenario("seed-demo"), customers=2_000, seed=0)
    >>> print(simulation_lines(sim))
    12-month repurchase: simulated 38.95%, closed form 39.97%
    LTV: simulated 3,796.14 yuan (standard error 44.98), closed form 3,854.63 yuan: -1.30 standard errors apart
    """
    gap = (sim["ltv_simulated"] - sim["ltv_closed_form"]) / sim["ltv_standard_error"]
    return "\n".join([
        label("line_sim_repurchase", lang, sim=f"{sim['repurchase_12m_simulated']:.2%}",
              closed=f"{sim['repurchase_12m_closed_form']:.2%}"),
        label("line_sim_ltv", lang, sim=f"{sim['ltv_simulated']:,.2f}", se=f"{sim['ltv_standard_error']:,.2f}",
              closed=f"{sim['ltv_closed_form']:,.2f}", gap=f"{gap:+.2f}")])
