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
