"""Notebook 03, lifecycle extension: omega, people counted once, p1, LTV by hand, the 38% headline."""
from __future__ import annotations

from aftersales.course.checker import Question

HEADLINE_REPURCHASE = 0.38   # the article's headline 12-month repurchase rate with services


def _ev(sc):
    from aftersales.model.evaluation import evaluate
    return evaluate(sc)


def _needed(sc) -> float:
    b = sc.brand
    denominator = (1 - b.baseline_repurchase_12m) * b.wakeup_conversion
    return (HEADLINE_REPURCHASE - b.baseline_repurchase_12m) / denominator if denominator > 0 else float("nan")


QUESTIONS = (
    Question("q1", "share", 4, lambda sc: _ev(sc)["wakeup_share"],
             method="for each service the chance of NOT being woken is 1 - acceptance x wake-up rate; "
                    "multiply these chances over the services and take the product from 1.",
             why="omega is the chance of being woken by at least one service; the library's "
                 "wakeup_share is the same product.",
             traps=((lambda sc: sum(s.acceptance * s.wakeup_rate for s in sc.services),
                     "That is the sum of acceptance x wake-up rate: a customer woken by two services is "
                     "counted twice. Use the chance of not being woken, service by service."),)),
    Question("q2", "customers", 0, lambda sc: sum(s["wakeups"] for s in _ev(sc).services)
             - _ev(sc)["wakeup_customers"],
             method="add the per-service wake-ups (ev.services) and subtract the people woken at least "
                    "once, N x omega (ev['wakeup_customers']).",
             why="per-service wake-ups count a customer once per service that woke her; people are "
                 "counted once."),
    Question("q3", "share", 4, lambda sc: _ev(sc)["repurchase_12m_value_added"],
             method="p1 = p0 + (1 - p0) x omega x c: only customers who would not have bought anyway "
                    "are added.",
             why="a woken customer who would have bought anyway is not an extra repurchase.",
             traps=((lambda sc: sc.brand.baseline_repurchase_12m
                     + _ev(sc)["wakeup_share"] * sc.brand.wakeup_conversion,
                     "That adds every woken customer who converts, also those who would have bought "
                     "anyway: multiply by (1 - p0)."),)),
    Question("q4", "yuan", 0, lambda sc: _ev(sc)["ltv_value_added"],
             method="M(p) = (1 + d) / (1 + d - p); a0 = base_ltv / M(p0); s = service contribution / N; "
                    "LTV = (a0 + s) x M(p1).",
             why="today's yearly value plus what services add, over a longer expected (discounted) "
                 "life: the same closed form as the library's ltv_value_added (Gupta and Lehmann's margin multiple).",
             per=lambda sc: sc.brand.active_customers, per_kind="per", per_word="customer"),
    Question("q5", "share", 4, _needed,
             method="solve 0.38 = p0 + (1 - p0) x omega x c for omega: omega = (0.38 - p0) / "
                    "((1 - p0) x c).",
             why="compare it with omega today (q1): the headline needs a share woken the services do "
                 "not reach in this scenario, unless acceptance or wake-up rates rise a lot."),
)

#: the Chinese texts of the checker (method, why[, traps]), shown with lang="zh"
ZH = {
    "q1": ("对每项服务，客户未被唤醒的概率是 1 - 客户接受度 × 唤醒率；把各项服务的这些概率相乘，再用 1 减去乘积。",
           "ω 是被至少一项服务唤醒的概率；库的 wakeup_share 就是同一个乘积。",
           ("这是客户接受度 × 唤醒率之和：被两项服务唤醒的客户被算了两次。请逐项服务使用未被唤醒的概率。",)),
    "q2": ("把各项服务的唤醒次数（ev.services）相加，再减去至少被唤醒一次的人数 N × ω（ev['wakeup_customers']）。",
           "按服务统计的唤醒次数，会把同一位客户按唤醒她的服务数重复计算；按人计算则每人只算一次。"),
    "q3": ("p1 = p0 + (1 - p0) × ω × c：只有原本不会购买的客户才算新增。",
           "一位本来就会购买的客户被唤醒，并不是一次额外的复购。",
           ("这把所有被唤醒并转化的客户都算了进去，包括本来就会购买的客户：要乘以 (1 - p0)。",)),
    "q4": ("先求利润倍数 M(p) = (1 + d) / (1 + d - p)；当前每位客户的年价值 a0 = base_ltv / M(p0)；服务为每位客户增加的年价值 "
           "s = 服务贡献 / N；客户生命周期价值 = (a0 + s) × M(p1)。",
           "当前的年价值加上服务带来的价值，乘以更长的（折现后）预期客户寿命：与库的 ltv_value_added 是同一个闭式解"
           "（Gupta 与 Lehmann 的利润倍数）。"),
    "q5": ("令复购率公式等于原文的 38%：0.38 = p0 + (1 - p0) × ω × c，解出所需的被唤醒客户占比 ω = (0.38 - p0) / ((1 - p0) × c)。",
           "把它与当前的 ω（q1）比较：除非客户接受度或唤醒率大幅提高，否则要达到原文的标题数字，所需的被唤醒客户占比是本情景中各项服务达不到的。"),
}
