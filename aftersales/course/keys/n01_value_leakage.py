"""Notebook 01, value leakage: recovery, leakage and accounting loss, and the break-even remake fee."""
from __future__ import annotations

from aftersales.course.checker import Question


def _lk(sc):
    from aftersales.course.parameters import leakage_inputs
    return leakage_inputs(sc)[0]


def _item(sc, method="corrected"):
    from aftersales.model.leakage import leakage_per_item
    return leakage_per_item(_lk(sc), method)


def _n(sc) -> float:
    return _lk(sc).items_per_year


QUESTIONS = (
    Question("q1", "yuan", 2, lambda sc: _item(sc)["traditional_recovery"],
             method="recovery = recovery rate rho x original price P: the rate is a share of the price, "
                    "not an amount of yuan.",
             why="the discounted resale brings back only this share of what the garment was priced at.",
             traps=((lambda sc: _lk(sc).recovery_rate * 100,
                     "That is the recovery rate as a percentage, not an amount: multiply the rate "
                     "(a share) by the original price."),)),
    Question("q2", "wan", 1, lambda sc: _item(sc)["leakage_vs_price"] * _n(sc) / 1e4,
             method="leakage per item = P - rho x P; times the items resold a year; divide the yuan by "
                    "10,000 for 万.",
             why="against price, the brand never sees this value it designed, made and shipped: an "
                 "opportunity loss, not cash out of the door.",
             per=_n, per_kind="total", per_word="item"),
    Question("q3", "wan", 1, lambda sc: _item(sc)["accounting_loss"] * _n(sc) / 1e4,
             method="accounting loss per item = P x cogs ratio - rho x P (what the item cost to make "
                    "minus what the resale brings back); times the items a year; in 万.",
             why="this is the loss in the books, against cost, and far closer to the resale loss the "
                 "budget books than the leakage against price.",
             per=_n, per_kind="total", per_word="item",
             traps=((lambda sc: _item(sc)["leakage_vs_price"] * _n(sc) / 1e4,
                     "That is the leakage against price (q2). The accounting loss is measured against "
                     "the cost of goods, P x cogs ratio, not against P."),)),
    Question("q4", "yuan", 2, lambda sc: _item(sc, "seed")["remake_own_recovery"]
             - _item(sc)["remake_own_recovery"],
             method="the article's remake recovery is rho x P + fee; the corrected one also takes off "
                    "what a remake costs, k. Subtract the two.",
             why="the two methods differ by exactly the remake unit cost k: the article counts the fee "
                 "as if the tailor, fabric and thread were free.",
             traps=((lambda sc: _item(sc, "seed")["remake_own_recovery"],
                     "That is the article's recovery itself; the question asks by how much it exceeds "
                     "the corrected one."),)),
    Question("q5", "yuan", 2, lambda sc: _item(sc)["accounting_loss"] + _lk(sc).remake_unit_cost,
             method="solve rho x P + fee - k = P x cogs for the fee: fee = P x cogs - rho x P + k.",
             why="the fee must cover what the resale leaves uncovered of the cost of goods plus the "
                 "remake itself.",
             traps=((lambda sc: _item(sc)["accounting_loss"],
                     "That covers the cost of goods but not the remake itself: add k."),)),
)

#: the Chinese texts of the checker (method, why[, traps]), shown with lang="zh"
ZH = {
    "q1": ("回收额 = 回收率 ρ × 原价 P：回收率是价格的一个比例，不是一笔金额。",
           "折价处理只能收回衣物定价的这一部分。",
           ("这是以百分数表示的回收率，不是金额：用回收率（比例）乘以原价。",)),
    "q2": ("每件泄漏 = P - ρ × P；乘以每年折价处理的件数；把元除以 10,000 换算成万元。",
           "相对价格而言，这是品牌设计、生产、发运后却始终没拿到的价值：一种机会损失，而不是流出的现金。"),
    "q3": ("每件会计损失 = P × 商品成本率 - ρ × P（生产成本减去折价处理收回的钱）；乘以每年件数；以万元计。",
           "这是相对成本的账面损失，比相对价格的价值泄漏更接近预算中记录的折价处理损失。",
           ("这是相对价格的价值泄漏（q2）。会计损失相对商品成本 P × 商品成本率计算，而不是相对 P。",)),
    "q4": ("原文的改造回收额是 ρ × P + 改造费；修正方法还要减去一次改造的成本 k。两者相减。",
           "两种方法恰好相差改造单位成本 k：原文把改造费算作纯收入，仿佛裁缝、面料和线都是免费的。",
           ("这是原文的回收额本身；题目问的是它比修正方法高出多少。",)),
    "q5": ("由 ρ × P + f - k = P × 商品成本率 解出改造费 f：f = P × 商品成本率 - ρ × P + k。",
           "改造费必须补上折价处理未能覆盖的商品成本，再加上改造本身的成本。",
           ("这只覆盖了商品成本，没有覆盖改造本身：再加上 k。",)),
}
