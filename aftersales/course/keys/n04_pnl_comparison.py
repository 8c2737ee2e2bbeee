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
