"""Notebook 07, real customers: p0 from counts, the geometric model's quarter 5, BG/NBD by hand, LTV at 3 years.

The context is the notebook's customers report ``rep`` (:func:`aftersales.customers.customer_report`):
every expected answer is one of its figures or, for the BG/NBD forecast, the library's
:func:`~aftersales.customers.expected_purchases` on the fitted parameters.
"""
from __future__ import annotations

from aftersales.course.checker import Question

CONTEXT = "customer report"


def _weeks(rep) -> int:
    return 52 if rep["freq"] == "W" else 364


def _expected_repeats(rep) -> float:
    from aftersales.customers import BGNBD, expected_purchases

    b = rep["bgnbd"]
    model = BGNBD(r=b["r"], alpha=b["alpha"], a=b["a"], b=b["b"], freq=rep["freq"])
    return float(expected_purchases(model, _weeks(rep)))


QUESTIONS = (
    Question("q1", "share", 4, lambda rep: rep["repurchase"]["within_365d"],
             method="for each customer the first purchase day and the first later day she bought on; count "
                    "the customers whose second day is at most 365 days after the first, and divide by all "
                    "customers.",
             why="this is the closed form's p0, measured: the share of new customers who buy again within a "
                 "year."),
    Question("q2", "share", 4, lambda rep: rep["geometric_active_share"][4],
             method="p = the first quarter-to-quarter retention, rep['quarterly_retention'][0]; the geometric "
                    "model's active share four quarters later is p ** 4.",
             why="one repurchase probability for everyone makes the cohort die out geometrically: compare it "
                 "with the share really active in quarter 5.",
             traps=((lambda rep: rep["quarterly_active_share"][4],
                     "That is the share really active in quarter 5; the question asks what the geometric model "
                     "predicts."),
                    (lambda rep: rep["quarterly_retention"][0] ** 5,
                     "That is one quarter too many: quarter 5 is four quarters after the first."))),
    Question("q3", "purchases", 3, _expected_repeats,
             method="E[X(t)] = (a + b - 1) / (a - 1) x [1 - (alpha / (alpha + t)) ** r x 2F1(r, b; a + b - 1; "
                    "t / (alpha + t))] with t = 52 weeks (364 days if freq is 'D') and the fitted r, alpha, a, b.",
             why="your formula gives the library's expected_purchases: a new customer's expected repeat "
                 "purchases in her first year, heterogeneity included."),
    Question("q4", "dollars", 2, lambda rep: rep["ltv"]["closed_form"][1],
             method="a0 x (1 + p0 + p0 ** 2) with p0 and annual_value (a0) from rep['inputs']: the first "
                    "year's value, then p0 of it, then p0 squared, undiscounted.",
             why="three years of the closed form, per customer; compare it with the BG/NBD value at three "
                 "years in the table above.",
             per=lambda rep: rep["customers"], per_kind="per", per_word="customer",
             traps=((lambda rep: rep["ltv"]["bgnbd"][1],
                     "That is the BG/NBD value at three years; the question asks for the closed form."),
                    (lambda rep: rep["inputs"]["annual_value"] / (1 - rep["inputs"]["p0"]),
                     "That is the closed form over an endless horizon; stop after three years."))),
)

#: the Chinese texts of the checker (method, why[, traps]), shown with lang="zh"
ZH = {
    "q1": ("对每位客户找出首次购买日和之后第一次购买的日期；数出第二次购买距首次不超过 365 天的客户，再除以全部客户数。",
           "这就是闭式公式中的 p0，由数据测得：新客户在一年内再次购买的比例。"),
    "q2": ("p = 第一个季度到下一季度的留存率 rep['quarterly_retention'][0]；几何模型预测四个季度后的活跃比例为 p ** 4。",
           "所有人用同一个复购概率，会让这批客户按几何级数消失：把它与第 5 季度实际活跃的比例比较。",
           ("这是第 5 季度实际活跃的比例；题目问的是几何模型的预测。",
            "这多算了一个季度：第 5 季度是第一个季度之后的第四个季度。")),
    "q3": ("把拟合得到的四个参数代入上文 BG/NBD 一节中期望复购次数的公式（其中的超几何函数就是 scipy.special.hyp2f1），"
           "时间取一年：52 周（时间单位为天时取 364 天）。",
           "你的公式与库中的 expected_purchases 相同：考虑异质性后，一位新客户第一年预期的复购次数。"),
    "q4": ("用 rep['inputs'] 中的 p0 和 annual_value（a0）计算 a0 × (1 + p0 + p0 ** 2)：第一年的价值，再加 p0 倍，"
           "再加 p0 平方倍，不折现。",
           "这是闭式公式三年的每位客户价值；把它与上表中 BG/NBD 模型三年的价值比较。",
           ("这是 BG/NBD 模型三年的价值；题目问的是闭式公式。",
            "这是无限期的闭式公式；算到第三年为止。")),
}
