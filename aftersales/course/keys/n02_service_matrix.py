"""Notebook 02, the service matrix: margin, revenue written by hand, contribution, price against demand."""
from __future__ import annotations

from aftersales.course.checker import Question


def _ev(sc):
    from aftersales.model.evaluation import evaluate
    return evaluate(sc)


def _first_paid(sc) -> int:
    """Index of the first service with a price above 0 (a free service has no margin to compute)."""
    return next((j for j, s in enumerate(sc.services) if s.price > 0), 0)


def _contribution(s: dict) -> float:
    return s["revenue"] - s["cost"]


def _best(sc) -> dict:
    return max(_ev(sc).services, key=_contribution)


def _highest_margin(sc) -> dict:
    return max(_ev(sc).services, key=lambda s: s["gross_margin"])


def _moved(sc) -> float:
    from aftersales.model.kernel import apply_parameter
    moved = apply_parameter(apply_parameter(sc, "scale.price", 1.1), "scale.acceptance", 0.9)
    return _ev(moved)["service_contribution"]


QUESTIONS = (
    Question("q1", "share", 4, lambda sc: _ev(sc).services[_first_paid(sc)]["gross_margin"],
             method="gross margin = (price - material cost - labour cost) / price, from the Service in "
                    "sc.services: a share of the price, between 0 and 1.",
             why="the margin says how much of each yuan of price is left after the direct costs; it "
                 "says nothing about how many customers use the service."),
    Question("q2", "wan", 1, lambda sc: _ev(sc)["service_revenue"] / 1e4,
             method="for each service: users = N x acceptance, uses = users x uses per user, billed "
                    "units = uses x months per use (per_month billing) or uses, revenue = units x price; "
                    "add the services and divide by 10,000.",
             why="your sum is the library's service revenue: people x frequency x price, service by "
                 "service.",
             per=lambda sc: sc.brand.active_customers, per_kind="total", per_word="customer"),
    Question("q3", "yuan", 0, lambda sc: _contribution(_best(sc)),
             method="contribution = revenue - cost for each service (the rows of ev.services); take the "
                    "largest.",
             why="a high margin on few users earns less than a modest margin on many: contribution, not "
                 "margin, pays the fixed costs.",
             traps=((lambda sc: _contribution(_highest_margin(sc)),
                     "That is the contribution of the service with the highest margin. The question "
                     "asks for the largest contribution, which another service may bring."),)),
    Question("q4", "yuan", 0, _moved,
             method="apply 'scale.price' 1.1 and then 'scale.acceptance' 0.9 with apply_parameter, "
                    "evaluate, and read service_contribution.",
             why="revenue moves by 1.1 x 0.9 = 0.99, cost by 0.9 only: fewer users cost less, so the "
                 "contribution rises although fewer customers are served.",
             traps=((lambda sc: _ev(sc)["service_contribution"],
                     "That is today's service contribution; move the prices and acceptances first."),)),
    Question("q5", "yuan", 2, lambda sc: _ev(sc)["service_contribution"] / sc.brand.active_customers,
             method="service contribution (service revenue - service cost) divided by the active "
                    "customers N, users or not.",
             why="this is s, what services add to a customer's yearly value in the lifetime-value "
                 "formula of notebook 03.",
             per=lambda sc: sc.brand.active_customers, per_kind="per", per_word="customer"),
)

#: the Chinese texts of the checker (method, why[, traps]), shown with lang="zh"
ZH = {
    "q1": ("毛利率 = (价格 - 材料成本 - 人工成本) / 价格，数据来自 sc.services 中的 Service：它是价格的一个比例，在 0 到 1 之间。",
           "毛利率说明每一元价格在扣除直接成本后还剩多少；它不说明有多少客户使用这项服务。"),
    "q2": ("对每项服务：用户数 = N × 客户接受度，使用次数 = 用户数 × 每位用户使用次数，计费单位 = 使用次数 × 每次使用的月数"
           "（按月计费时）或使用次数，收入 = 计费单位 × 价格；把各项服务相加，再除以 10,000。",
           "你的合计就是库的服务收入：逐项服务的人数 × 频率 × 价格。"),
    "q3": ("对每项服务计算贡献 = 收入 - 成本（ev.services 的各行）；取最大值。",
           "高毛利但用户少，赚得不如毛利一般但用户多：支付固定成本的是贡献，不是毛利率。",
           ("这是毛利率最高的那项服务的贡献。题目问的是最大的贡献，它可能来自另一项服务。",)),
    "q4": ("用 apply_parameter 依次应用 'scale.price' 1.1 和 'scale.acceptance' 0.9，evaluate 后读取 service_contribution。",
           "收入变为 1.1 × 0.9 = 0.99 倍，成本只变为 0.9 倍：用户少了，成本也少了，所以虽然服务的客户减少，贡献反而上升。",
           ("这是当前的服务贡献；请先调整价格和客户接受度。",)),
    "q5": ("服务贡献（服务收入 - 服务成本）除以活跃客户数 N（不论是否使用服务）。",
           "这就是 s：在笔记本 03 的客户生命周期价值公式中，服务为每位客户每年增加的价值。"),
}
