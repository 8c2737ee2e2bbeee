"""Notebook 04, the P&L comparison: the gaps between the methods, break-even, Monte Carlo, wake-ups by hand."""
from __future__ import annotations

from aftersales.course.checker import Question

MC_DRAWS, MC_SEED = 20_000, 1


def _ev(sc, method="corrected"):
    from aftersales.model.evaluation import evaluate
    return evaluate(sc, method)


def _break_even(sc) -> float:
    from aftersales.model.sensitivity import goal_seek
    v = goal_seek(sc, "scale.acceptance", "va_net", 0.0).value
    return float("nan") if v is None else v


def _prob(sc) -> float:
    from aftersales.model.montecarlo import simulate
    return simulate(sc, draws=MC_DRAWS, seed=MC_SEED).summary()["prob_break_even"]


def _ltv_money(sc) -> float:
    s = _ev(sc, "seed")
    return s["total_effect"] - s["va_net"] - s["wakeup_revenue"]


QUESTIONS = (
    Question("q1", "yuan", 0, lambda sc: _ev(sc, "seed")["va_net"] - _ev(sc)["va_net"],
             method="value-added net by the seed method minus value-added net by the corrected method "
                    "(evaluate(sc, 'seed') and evaluate(sc)).",
             why="the corrected method keeps the quality-check and resale-loss costs of the returns, "
                 "bills storage per month and does not round users down."),
    Question("q2", "yuan", 0, _ltv_money,
             method="the seed's total effect = net + LTV boost + wake-up sales: take the net and the "
                    "wake-up revenue away from the total effect.",
             why="what remains is the 'LTV extension' inputs, yuan per user counted as if they were "
                 "money this year."),
    Question("q3", "multiplier", 3, _break_even,
             method="goal_seek(sc, 'scale.acceptance', 'va_net', 0.0).value: the multiplier of every "
                    "acceptance at which the value-added net is 0.",
             why="the net grows in a straight line with the acceptance multiplier, so break-even is "
                 "where that line crosses 0; compare it with 1 and with acceptances of 100%."),
    Question("q4", "share", 4, _prob,
             method="simulate(sc, draws=20_000, seed=1).summary()['prob_break_even']: the share of draws "
                    "whose value-added net is at least 0.",
             why="the same draws and seed always give the same share; another seed a slightly different "
                 "one (sampling error shrinks like 1 / sqrt(draws))."),
    Question("q5", "wan", 1, lambda sc: _ev(sc)["wakeup_contribution"] / 1e4,
             method="woken orders = N x (1 - p0) x omega x c; wake-up contribution = orders x AOV x "
                    "product gross margin; divide by 10,000.",
             why="sales are not profit: only the margin on the extra orders counts, and only for "
                 "customers who would not have bought anyway.",
             traps=((lambda sc: _ev(sc)["wakeup_revenue"] / 1e4,
                     "That is the wake-up revenue: sales, not profit. Multiply by the product gross "
                     "margin."),
                    (lambda sc: _ev(sc)["wakeup_contribution"] / (1 - sc.brand.baseline_repurchase_12m) / 1e4,
                     "That credits customers who would have bought anyway: multiply by (1 - p0)."))),
)

#: the Chinese texts of the checker (method, why[, traps]), shown with lang="zh"
ZH = {
    "q1": ("原文代码（seed）方法的增值售后净额减去修正方法的增值售后净额（evaluate(sc, 'seed') 与 evaluate(sc)）。",
           "修正方法保留了退换货的质检成本和折价处理损失，按月计算存储费用，并且不把用户数向下取整。"),
    "q2": ("原文的总效应 = 净额 + 客户生命周期价值提升 + 唤醒销售额：从总效应中减去净额和唤醒收入。",
           "剩下的是'延长客户生命周期价值'的输入：每位用户的元数，却被当作今年的钱计入。"),
    "q3": ("goal_seek(sc, 'scale.acceptance', 'va_net', 0.0).value：使增值售后净额为 0 的全部客户接受度的倍数。",
           "净额随客户接受度倍数线性增长，所以盈亏平衡点就是这条直线与 0 的交点；把它与 1 以及 100% 的客户接受度比较。"),
    "q4": ("simulate(sc, draws=20_000, seed=1).summary()['prob_break_even']：增值售后净额不小于 0 的抽样所占比例。",
           "相同的抽样次数和随机种子总是给出相同的比例；换一个种子会略有不同（抽样误差按 1 / sqrt(抽样次数) 缩小）。"),
    "q5": ("被唤醒的订单 = N × (1 - p0) × ω × c；唤醒贡献 = 订单数 × 客单价 × 产品毛利率；再除以 10,000。",
           "销售额不是利润：只有新增订单上的毛利才算数，而且只算原本不会购买的客户。",
           ("这是唤醒收入：是销售额，不是利润。要乘以产品毛利率。",
            "这把本来就会购买的客户也算了进去：要乘以 (1 - p0)。")),
}
