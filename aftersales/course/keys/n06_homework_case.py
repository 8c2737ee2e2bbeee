"""Homework 06, the brand case: the expected answers of the graded questions, for each student's case.

The context is the student's case ``sc``, the scenario the notebook's second cell builds from the
case file and the student's parameters (:func:`case`). ``homework make`` writes these answers to
the answer key, with each question's tolerance (the one rule: half a unit of the decimals the
wording asks for) and its partial-credit ladder, and checks them against the teacher's solution
cells, the worked route to the same numbers. The wording, the title and the points of a question
are the notebook's (``**Question 1 (q1, 1 point): ...**``); they are not repeated here.
"""
from __future__ import annotations

from aftersales.course.checker import Question

#: the parameters of the case, as the notebook's parameters cell names them
PARAMETERS = ("active_customers", "avg_order_value", "acceptance_multiplier", "price_multiplier")


def case(scenario, parameters: dict):
    """The student's case: ``scenario_from_parameters(scenario, **the parameters of the case)``."""
    from aftersales.course.parameters import scenario_from_parameters

    return scenario_from_parameters(scenario, **{k: parameters[k] for k in PARAMETERS if k in parameters})


def _ev(sc):
    from aftersales.model.evaluation import evaluate
    return evaluate(sc, "corrected")


def _leakage_vs_price(sc) -> float:
    from dataclasses import replace

    from aftersales.model.leakage import leakage_per_item
    return leakage_per_item(replace(sc.leakage, original_price=sc.brand.avg_order_value),
                            "corrected")["leakage_vs_price"]


def _break_even(sc) -> float:
    from aftersales.model.sensitivity import goal_seek
    v = goal_seek(sc, "scale.acceptance", "va_net", 0.0).value
    return float("nan") if v is None else v


# Partial credit, as multiples of the tolerance: half the points for an answer right to a coarser
# precision (money totals rounded to 万 yuan; per-item and per-customer yuan to the yuan; a share
# to two decimals; the factor to two decimals; a head count off by less than one customer).
QUESTIONS = (
    Question("q1", "yuan", 2, _leakage_vs_price, partial=((100, 0.5),),
             method="price the returned item at the brand's order value (dataclasses.replace on "
                    "sc.leakage) and read leakage_vs_price of leakage_per_item: P - rho x P.",
             why="what comes back is only the recovery rate of the price; the rest of the price is lost "
                 "on every returned item."),
    Question("q2", "yuan", 0, lambda sc: _ev(sc)["service_revenue"], partial=((10_000, 0.5),),
             method="evaluate(sc, 'corrected')['service_revenue']: users N x a (not rounded down) x uses "
                    "x billed months x price, summed over the services.",
             why="the corrected method bills storage for every month it holds a garment and counts "
                 "users without truncation."),
    Question("q3", "yuan", 0, lambda sc: _ev(sc)["va_net"], partial=((10_000, 0.5),),
             method="evaluate(sc, 'corrected')['va_net']: service revenue minus the team, logistics, "
                    "quality-check and resale-loss costs and the service cost.",
             why="returns keep arriving when services are sold, so their costs stay in the P&L."),
    Question("q4", "customers", 0, lambda sc: _ev(sc)["wakeup_customers"], partial=((2, 0.5),),
             method="N x omega, omega = 1 - prod(1 - a_i w_i): evaluate(sc, 'corrected')"
                    "['wakeup_customers'].",
             why="a customer woken by two services is one customer, not two."),
    Question("q5", "share", 4, lambda sc: _ev(sc)["repurchase_12m_value_added"], partial=((100, 0.5),),
             method="p1 = p0 + (1 - p0) x omega x c: evaluate(sc, 'corrected')"
                    "['repurchase_12m_value_added'].",
             why="only customers who would not have bought anyway can be won back by a wake-up."),
    Question("q6", "yuan", 2, lambda sc: _ev(sc)["ltv_value_added"], partial=((100, 0.5),),
             method="(a0 + s) x M(p1), M(p) = (1 + d) / (1 + d - p): evaluate(sc, 'corrected')"
                    "['ltv_value_added'].",
             why="the services add their contribution per customer every year, and a higher "
                 "repurchase rate makes the customer's life longer."),
    Question("q7", "multiplier", 3, _break_even, partial=((10, 0.5),),
             method="goal_seek(sc, 'scale.acceptance', 'va_net', 0).value: the factor on every "
                    "acceptance at which the value-added net is 0.",
             why="the net grows in a straight line with the acceptance factor, so break-even is where "
                 "that line crosses 0."),
)

#: the Chinese texts (method, why), as for the practice notebooks
ZH = {
    "q1": ("把退回的衣物按品牌客单价定价（对 sc.leakage 使用 dataclasses.replace），读取 leakage_per_item 的 "
           "leakage_vs_price：P - rho × P。",
           "收回的只是价格乘以回收率，其余部分在每件退回的衣物上都损失了。"),
    "q2": ("evaluate(sc, 'corrected')['service_revenue']：用户数 N × a（不向下取整）× 使用次数 × 计费月数 × 价格，"
           "对各项服务求和。",
           "修正方法按存储的每个月计费，并且不截断用户数。"),
    "q3": ("evaluate(sc, 'corrected')['va_net']：服务收入减去团队、物流、质检和折价处理损失成本以及服务成本。",
           "推出服务后退换货仍会发生，所以这些成本留在损益中。"),
    "q4": ("N × omega，omega = 1 - prod(1 - a_i w_i)：evaluate(sc, 'corrected')['wakeup_customers']。",
           "被两项服务唤醒的客户是一位客户，而不是两位。"),
    "q5": ("p1 = p0 + (1 - p0) × omega × c：evaluate(sc, 'corrected')['repurchase_12m_value_added']。",
           "只有原本不会购买的客户才能被唤醒带回来。"),
    "q6": ("(a0 + s) × M(p1)，M(p) = (1 + d) / (1 + d - p)：evaluate(sc, 'corrected')['ltv_value_added']。",
           "服务每年为每位客户增加贡献，更高的复购率也让客户的生命周期更长。"),
    "q7": ("goal_seek(sc, 'scale.acceptance', 'va_net', 0).value：使增值售后净额为 0 的全部客户接受度倍数。",
           "净额随客户接受度倍数线性增长，所以盈亏平衡点就是这条直线与 0 的交点。"),
}
