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
