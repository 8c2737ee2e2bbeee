"""Notebook 00, start here: the cost centre in figures, and one service's revenue written by hand."""
from __future__ import annotations

from aftersales.course.checker import Question


def _ev(sc):
    from aftersales.model.evaluation import evaluate
    return evaluate(sc)


def _returns(sc) -> float:
    b = sc.brand
    return b.active_customers * b.purchases_per_year * b.return_rate


def _more_net(sc) -> float:
    from aftersales.model.kernel import apply_parameter
    return _ev(apply_parameter(sc, "scale.acceptance", 1.2))["va_net"] - _ev(sc)["va_net"]


QUESTIONS = (
    Question("q1", "wan", 1, lambda sc: _ev(sc)["traditional_cost"] / 1e4,
             method="add the four costs in sc.traditional (team, logistics, quality check, discounted "
                    "resale loss) and divide the yuan by 10,000.",
             why="traditional after-sales has costs and no revenue: this is what the brand spends a year "
                 "to handle returns."),
    Question("q2", "count", 0, _returns,
             method="orders a year = active customers x purchases per year; returns = orders x return "
                    "rate. All three are in sc.brand.",
             why="the article's 2.4万 returns follow from 8万 customers buying 1.6 times a year with "
                 "18% coming back.",
             per=lambda sc: sc.brand.active_customers, per_kind="total", per_word="customer"),
    Question("q3", "yuan", 2, lambda sc: _ev(sc)["traditional_cost"] / _returns(sc),
             method="divide the traditional cost (yuan, not 万) by the number of returns of q2.",
             why="every return costs the brand this much in staff, logistics, checks and resale loss; "
                 "the article's code carries a return_processing_cost of 85 yuan that it never uses.",
             per=_returns, per_kind="per", per_word="item",
             traps=((lambda sc: _ev(sc)["traditional_cost"] / sc.brand.active_customers,
                     "That is the cost per active customer (by chance also the article's unused "
                     "85 yuan return_processing_cost). The question asks per returned item."),
                    (lambda sc: 85.0, "85 yuan is the article's return_processing_cost, which its code "
                     "never uses; compute the cost per returned item from the scenario."))),
    Question("q4", "yuan", 0, lambda sc: _ev(sc).services[0]["revenue"],
             method="users = active customers x acceptance; uses = users x uses per user per year; "
                    "billed units = uses x months per use when billing is per_month, else uses; "
                    "revenue = billed units x price.",
             why="revenue is people x frequency x price; the library's figure is the same product.",
             per=lambda sc: sc.brand.active_customers, per_kind="total", per_word="customer"),
    Question("q5", "yuan", 0, _more_net,
             method="evaluate the scenario with apply_parameter(sc, 'scale.acceptance', 1.2) and "
                    "subtract the value-added net of sc from the new one.",
             why="service revenue and service cost grow with the number of users, the fixed costs do "
                 "not: the net moves by 20% of the service contribution."),
)

#: the Chinese texts of the checker (method, why[, traps]), shown with lang="zh"
ZH = {
    "q1": ("把 sc.traditional 中的四项成本（售后团队、物流、质检、折价处理损失）相加，再把元除以 10,000 换算成万元。",
           "传统售后只有成本、没有收入：这就是品牌每年处理退换货所花的钱。"),
    "q2": ("年订单数 = 活跃客户数 × 每年购买次数；退换货量 = 订单数 × 退换率。三个数都在 sc.brand 中。",
           "原文的 2.4万件退换货，来自 8万名客户每年购买 1.6 次、其中 18% 被退回。"),
    "q3": ("用传统售后成本（以元计，不是万元）除以 q2 的退换货件数。",
           "每件退换货让品牌在人工、物流、质检和折价处理上花掉这么多；原文代码中每件 85 元的 "
           "return_processing_cost 从未被使用。",
           ("这是每位活跃客户的成本（碰巧也等于原文未使用的 85 元 return_processing_cost）。题目问的是每件退换货。",
            "85 元是原文代码中从未使用的 return_processing_cost；请根据情景计算每件退换货的成本。")),
    "q4": ("用户数 = 活跃客户数 × 客户接受度；使用次数 = 用户数 × 每位用户每年使用次数；按月计费（per_month）时"
           "计费单位 = 使用次数 × 每次使用的月数，否则即为使用次数；收入 = 计费单位 × 价格。",
           "收入 = 人数 × 频率 × 价格；库给出的数字就是同一个乘积。"),
    "q5": ("用 apply_parameter(sc, 'scale.acceptance', 1.2) 得到新情景并 evaluate，用新的增值售后净额减去 sc 的增值售后净额。",
           "服务收入和服务成本随用户数增长，固定成本不变：净额的变化等于服务贡献的 20%。"),
}
