"""Exercise helpers for the notebook series: check an answer, record key figures, show a figure.

- :func:`check` tells a student in plain words whether a numeric answer is right, and why.
- :func:`expected_answers` gives the expected answer of every numeric exercise of a notebook,
  computed with the library for whatever scenario the notebook runs on (nothing is typed in).
- :func:`record` writes a notebook's key figures as a JSON output
  (MIME type ``application/vnd.aftersales.record+json``) that tests and graders read from an
  executed notebook; widget state does not survive there, plain output does.
- :func:`key_figures` picks figures of the ``python -m aftersales evaluate --json`` contract by
  path, e.g. ``"corrected.value_added.net"`` or ``"seed.services.0.revenue"``.

Money in yuan, shares 0-1, unless a question says otherwise.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from numbers import Real
from typing import Any, Callable, Iterable

__all__ = ["RECORD_MIME", "Expected", "check", "record", "read_records", "key_figures",
           "figure_at", "expected_answers", "EXERCISES", "wan"]

#: MIME type of the record a notebook leaves in its output.
RECORD_MIME = "application/vnd.aftersales.record+json"


@dataclass(frozen=True)
class Expected:
    """The expected answer of one exercise: value, absolute tolerance and why, in plain words."""

    value: float
    tolerance: float
    why: str = ""


def wan(x: float) -> str:
    """Yuan as wan yuan (1 wan = 10,000 yuan) with one decimal, e.g. ``'-142.8 wan'``."""
    return f"{x / 1e4:,.1f} wan"


def _fmt(x: float) -> str:
    """A number as a person reads it: 2,188,960.00; 0.642857; 85."""
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{x:,.0f}"
    return f"{x:,.2f}" if abs(x) >= 1000 else f"{x:.6g}"


def _default_tolerance(expected: float) -> float:
    return max(abs(expected) * 1e-3, 1e-6)


def check(question: str, answer: Any, expected: float | Expected, tolerance: float | None = None,
          why: str | None = None) -> bool:
    """Compare a numeric answer with the expected value; print right or wrong and why. Returns a bool.

    question: the exercise's label, e.g. "1" or "Exercise 2".
    answer: the student's number. expected: a number or an :class:`Expected`.
    tolerance: largest accepted absolute difference (default: the Expected's, else 0.1% of expected).
    why: the reasoning behind the expected value, shown either way.
    """
    if isinstance(expected, Expected):
        tol = expected.tolerance if tolerance is None else tolerance
        reason = expected.why if why is None else why
        target = expected.value
    else:
        target = float(expected)
        tol = _default_tolerance(target) if tolerance is None else tolerance
        reason = why or ""
    label = f"Exercise {question}" if not str(question).lower().startswith(("exercise", "q")) else str(question)
    if (isinstance(answer, bool) or not isinstance(answer, Real)
            or not math.isfinite(float(answer))):
        print(f"{label}: not checked. The answer must be a finite number, got {answer!r}."
              + (f"\n  Hint: {reason}" if reason else ""))
        return False
    diff = float(answer) - target
    ok = abs(diff) <= tol
    if ok:
        print(f"{label}: right. Your answer {_fmt(float(answer))} matches {_fmt(target)}"
              f" (within {tol:.3g}).")
    else:
        side = "too high" if diff > 0 else "too low"
        print(f"{label}: not yet. Your answer {_fmt(float(answer))} is {side} by {_fmt(abs(diff))};"
              f" expected {_fmt(target)} (tolerance {tol:.3g}).")
    if reason:
        print(f"  Why: {reason}")
    return ok


# ---------------------------------------------------------------------------- records
def _clean(o: Any) -> Any:
    if isinstance(o, dict):
        return {str(k): _clean(v) for k, v in o.items()}
    if isinstance(o, (list, tuple)):
        return [_clean(v) for v in o]
    if hasattr(o, "item") and not isinstance(o, (str, bytes)):  # numpy scalar
        try:
            o = o.item()
        except (TypeError, ValueError):
            pass
    if isinstance(o, float) and not math.isfinite(o):
        return None
    return o


def record(figures: dict, notebook: str | None = None, extra: dict | None = None) -> dict:
    """Show ``figures`` as plain output a test or grader can read; returns the recorded dict.

    figures: {path: value}, usually from :func:`key_figures` (the evaluate contract);
    extra: further figures of the notebook that the contract does not hold (simulation, goal seek).
    The output carries two representations: JSON under :data:`RECORD_MIME` and readable text.
    """
    data = _clean({"notebook": notebook, "figures": figures, "extra": extra or {}})
    lines = [f"Key figures recorded{' for ' + notebook if notebook else ''}:"]
    for k, v in data["figures"].items():
        lines.append(f"  {k:<52} {_fmt(v) if isinstance(v, (int, float)) else v}")
    if data["extra"]:
        lines.append("  also: " + ", ".join(data["extra"]))
    text = "\n".join(lines)
    try:
        from IPython.core.interactiveshell import InteractiveShell
        from IPython.display import display
        if InteractiveShell.initialized():
            display({RECORD_MIME: data, "text/plain": text}, raw=True)
            return data
    except ImportError:  # pragma: no cover - IPython ships with ipykernel
        pass
    print(json.dumps(data, ensure_ascii=False))
    return data


def read_records(nb) -> list[dict]:
    """Every record in an executed notebook (an nbformat node or a path)."""
    if not hasattr(nb, "cells"):
        import nbformat
        nb = nbformat.read(str(nb), as_version=4)
    out = []
    for cell in nb.cells:
        for o in cell.get("outputs", []):
            data = o.get("data", {})
            if RECORD_MIME in data:
                d = data[RECORD_MIME]
                out.append(json.loads(d) if isinstance(d, str) else dict(d))
    return out


def figure_at(contract: dict, path: str) -> Any:
    """A value of the evaluate contract by dotted path: ``"value_added.net"``, ``"services.0.revenue"``."""
    node: Any = contract
    for part in path.split("."):
        if isinstance(node, list):
            node = node[int(part)]
        elif isinstance(node, dict):
            if part not in node:
                raise KeyError(f"no figure {path!r}: {part!r} is not one of {', '.join(node)}")
            node = node[part]
        else:
            raise KeyError(f"no figure {path!r}: {part!r} is below a number or null")
    return node


def key_figures(scenario, paths: Iterable[str]) -> dict[str, Any]:
    """{path: value} for paths ``"<method>.<contract path>"``, e.g. ``"seed.value_added.net"``.

    The values are those of ``python -m aftersales evaluate --method <method> --json``.
    """
    from aftersales.model.evaluation import evaluate

    cache: dict[str, dict] = {}
    out = {}
    for p in paths:
        method, _, rest = p.partition(".")
        if method not in ("seed", "corrected") or not rest:
            raise KeyError(f"figure path {p!r} must start with 'seed.' or 'corrected.'")
        if method not in cache:
            cache[method] = evaluate(scenario, method).to_dict()
        out[p] = figure_at(cache[method], rest)
    return out


# ---------------------------------------------------------------- expected answers
def _ev(sc, method="corrected"):
    from aftersales.model.evaluation import evaluate
    return evaluate(sc, method)


def _answers_00(sc) -> dict[str, Expected]:
    from aftersales.model.kernel import apply_parameter

    ev = _ev(sc)
    b = sc.brand
    trad = ev["traditional_cost"]
    more = _ev(apply_parameter(sc, "scale.acceptance", 1.2))
    return {
        "1": Expected(trad / 1e4, 0.05, "traditional cost = team + logistics + quality check + "
                      "discounted resale loss, here in wan yuan (divide yuan by 10,000)."),
        "2": Expected(trad / b.active_customers, 0.01, "the yearly cost spread over every active "
                      "customer: traditional cost / active customers, in yuan per customer."),
        "3": Expected(b.active_customers * b.purchases_per_year * b.return_rate, 1.0,
                      "orders a year = customers x purchases per year; returns = orders x return rate."),
        "4": Expected(more["va_net"] - ev["va_net"], 1.0,
                      "service revenue and service cost both grow with the number of users, the fixed "
                      "costs do not: the change in net is 20% of the service contribution."),
    }


def _answers_01(sc) -> dict[str, Expected]:
    from aftersales.model.leakage import leakage_per_item

    if sc.leakage is None:
        raise ValueError(f"scenario {sc.name!r} has no [leakage] table")
    lk = sc.leakage
    c = leakage_per_item(lk, "corrected")
    s = leakage_per_item(lk, "seed")
    return {
        "1": Expected(c["traditional_recovery"], 0.01, "recovery = recovery rate x original price."),
        "2": Expected(c["leakage_vs_price"] * lk.items_per_year, 1.0,
                      "leakage against price per item (price - recovery) times the items a year."),
        "3": Expected(c["accounting_loss"] * lk.items_per_year, 1.0,
                      "what the items cost to make (price x cogs ratio) minus what the resale brings "
                      "back, times the items a year: a loss against cost, not against price."),
        "4": Expected(s["remake_own_recovery"] - c["remake_own_recovery"], 0.01,
                      "the article adds the whole remake fee; remaking costs the brand k yuan a piece, "
                      "so the two methods differ by exactly the remake unit cost."),
        "5": Expected(c["accounting_loss"] + lk.remake_unit_cost, 0.01,
                      "the fee must cover what the resale leaves uncovered of the cost of goods plus the "
                      "cost of the remake itself: (P x cogs - rho x P) + k."),
    }


def _answers_02(sc) -> dict[str, Expected]:
    from aftersales.model.kernel import apply_parameter

    ev = _ev(sc)
    first = sc.services[0]
    svc = ev.services
    best = max(svc, key=lambda s: s["revenue"] - s["cost"])
    moved = _ev(apply_parameter(apply_parameter(sc, "scale.price", 1.1), "scale.acceptance", 0.9))
    return {
        "1": Expected(first.gross_margin, 1e-4, "gross margin = (price - material - labour) / price."),
        "2": Expected(ev["service_revenue"] / 1e4, 0.05, "the sum over services of users x uses per "
                      "user x months billed x price, in wan yuan."),
        "3": Expected(best["revenue"] - best["cost"], 1.0, f"the largest revenue - cost is "
                      f"{best['name']}'s: a high margin on few users earns less than a modest margin "
                      "on many."),
        "4": Expected(moved["service_contribution"], 1.0, "revenue x 1.1 x 0.9 and cost x 0.9: price "
                      "rises only the revenue, fewer users lower both."),
    }


def _answers_03(sc) -> dict[str, Expected]:
    from aftersales.model.kernel import lifetime_multiplier

    ev = _ev(sc)
    b = sc.brand
    omega = ev["wakeup_share"]
    per_service_sum = sum(s["wakeups"] for s in ev.services)
    target = 0.38
    needed = (target - b.baseline_repurchase_12m) / ((1 - b.baseline_repurchase_12m) * b.wakeup_conversion) \
        if b.wakeup_conversion > 0 and b.baseline_repurchase_12m < 1 else float("nan")
    return {
        "1": Expected(omega, 1e-5, "share woken = 1 - product over services of (1 - acceptance x "
                      "wake-up rate): the chance of being woken by at least one service."),
        "2": Expected(per_service_sum - ev["wakeup_customers"], 1.0, "per-service wake-ups count a "
                      "customer once per service that woke her; people are counted once."),
        "3": Expected(ev["repurchase_12m_value_added"], 1e-5, "p1 = p0 + (1 - p0) x share woken x "
                      "conversion: only customers who would not have bought anyway are added."),
        "4": Expected(float(lifetime_multiplier(b.baseline_repurchase_12m, b.discount_rate)), 1e-4,
                      "M(p) = (1 + d) / (1 + d - p): this year plus every later year, each weighted by "
                      "the chance of still buying and discounted."),
        "5": Expected(needed, 1e-4, "solve 0.38 = p0 + (1 - p0) x share woken x conversion for the "
                      "share woken."),
    }


def _answers_04(sc, draws: int = 20_000, seed: int = 1) -> dict[str, Expected]:
    from aftersales.model.sensitivity import goal_seek
    from aftersales.model.montecarlo import simulate

    seed_ev, corr = _ev(sc, "seed"), _ev(sc)
    ltv_money = seed_ev["total_effect"] - seed_ev["va_net"] - seed_ev["wakeup_revenue"]
    gs = goal_seek(sc, "scale.acceptance", "va_net", 0.0, method="corrected")
    mc = simulate(sc, draws=draws, seed=seed, method="corrected").summary()
    p1 = goal_seek(sc, "scale.acceptance", "repurchase_12m_value_added", 0.38, method="corrected")
    return {
        "1": Expected(seed_ev["va_net"] - corr["va_net"], 1.0, "the corrected method keeps the "
                      "quality-check and resale-loss costs of the returns, bills storage per month "
                      "and does not round users down."),
        "2": Expected(ltv_money, 1.0, "the seed's total effect = net + LTV boost + wake-up sales; "
                      "take the other two away and the 'LTV extension' yuan counted as money remain."),
        "3": Expected(gs.value, 1e-4 * max(1.0, abs(gs.value)), "value-added net grows in a straight "
                      "line with the acceptance multiplier, so break-even is where that line crosses 0."),
        "4": Expected(mc["prob_break_even"], 1e-9, "the share of draws whose value-added net is at "
                      "least 0; the same draws and seed always give the same share, another seed a "
                      "slightly different one (sampling error shrinks like 1 / sqrt(draws))."),
        "5": Expected(float("nan") if p1.value is None else p1.value,
                      1e-4 * max(1.0, abs(p1.value or 0.0)), "p1 rises with every acceptance but not in a "
                      "straight line (omega is a product); goal seek narrows the bracket until 38% is met."
                      + ("" if p1.value is not None else " " + p1.message)),
    }


#: Notebook stem -> function(scenario) -> {exercise: Expected}.
EXERCISES: dict[str, Callable[..., dict[str, Expected]]] = {
    "00_start_here": _answers_00,
    "01_value_leakage": _answers_01,
    "02_service_matrix": _answers_02,
    "03_lifecycle_extension": _answers_03,
    "04_pnl_comparison": _answers_04,
}


def expected_answers(notebook: str, scenario, **kwargs) -> dict[str, Expected]:
    """Expected answers of a notebook's numeric exercises for ``scenario`` (a Scenario, name or path)."""
    from aftersales.model.scenario import load_scenario

    key = notebook.rsplit("/", 1)[-1].removesuffix(".ipynb")
    if key not in EXERCISES:
        raise KeyError(f"no exercises for notebook {notebook!r}; known: {', '.join(EXERCISES)}")
    return EXERCISES[key](load_scenario(scenario), **kwargs)
