"""The lines notebook 03 (the customer lifecycle) prints, in the notebook's language."""
from __future__ import annotations

from aftersales.glossary import kind_name, label

__all__ = ["touch_lines", "wakeup_count_lines", "repurchase_lines", "ltv_lines", "simulation_lines"]


def touch_lines(lang: str = "en") -> str:
    """When each service kind first touches a customer, and when a woken customer orders."""
    from aftersales.model.lifecycle import TOUCH_MONTH, WAKEUP_LAG_MONTHS

    months = str(TOUCH_MONTH) if lang != "zh" else "、".join(f"{kind_name(k, lang)} {m}" for k, m in TOUCH_MONTH.items())
    return "\n".join([label("line_touch_month", lang, months=months),
                      label("line_wakeup_lag", lang, lag=WAKEUP_LAG_MONTHS)])


def wakeup_count_lines(woken, ev, ev_seed, lang: str = "en") -> str:
    """Per-service wake-ups added up, the customers woken at least once, and the article code's count."""
    return "\n".join([
        label("line_sum_wakeups", lang, v=f"{woken['wakeups'].sum():,.0f}"),
        label("line_woken_once", lang, v=f"{ev['wakeup_customers']:,.0f}", omega=f"{ev['wakeup_share']:.2%}"),
        label("line_code_counts", lang, v=f"{ev_seed['wakeup_customers']:,.0f}")])


def repurchase_lines(sc, ev, timeline, lang: str = "en") -> str:
    """p0 and p1, the incremental orders and their contribution, and p1 read off the cohort timeline."""
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
    """The lifetime multipliers, the annual values and the LTV today, with services and by the article's code."""
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
    """The simulated cohort against the closed form: repurchase, and LTV in standard errors."""
    gap = (sim["ltv_simulated"] - sim["ltv_closed_form"]) / sim["ltv_standard_error"]
    return "\n".join([
        label("line_sim_repurchase", lang, sim=f"{sim['repurchase_12m_simulated']:.2%}",
              closed=f"{sim['repurchase_12m_closed_form']:.2%}"),
        label("line_sim_ltv", lang, sim=f"{sim['ltv_simulated']:,.2f}", se=f"{sim['ltv_standard_error']:,.2f}",
              closed=f"{sim['ltv_closed_form']:,.2f}", gap=f"{gap:+.2f}")])
