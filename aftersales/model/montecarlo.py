r"""Monte Carlo over the uncertainties only, vectorised and drawn in fixed-size chunks.

What the brand cannot choose is drawn; what it decides is held. For each draw and each service,
its acceptance, wake-up rate, usage per user and gross margin (its unit cost) are drawn with the
one range rule of :mod:`aftersales.model.ranges`: x uniform in the kind's range [lo, hi] and the
service's own value v becomes v x / m (m the midpoint; shares clipped to [0, 1]). The wake-up
conversion c is drawn only if the scenario gives ``[ranges.brand] wakeup_conversion`` (absolute).
Prices are decisions: held at the scenario's values (the price tools explore them, with the price
elasticity). The brand and the fixed costs are held.

Draws come in blocks of :data:`BLOCK` with their own seeded generator, so the same seed gives the
same figures whatever the chunk size used to evaluate them, and memory does not grow with the
number of draws beyond the four per-draw figures kept (8 bytes each).
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from aftersales.model.inputs import Scenario
from aftersales.model.kernel import METHODS, ScenarioBatch, compute, get_parameter, set_parameter
from aftersales.model.ranges import UNCERTAIN_INPUTS, effective_ranges, swing_value
from aftersales.model.scenario import load_scenario

__all__ = ["BLOCK", "CHUNK", "VERDICTS", "MonteCarloResult", "uncertain_inputs", "draw_factors",
           "batch_at", "draw_batch", "simulate", "verdict_word", "verdict_sentence"]

#: Draws per block of random numbers (each block has its own generator seeded by (seed, block)).
BLOCK = 65_536
#: Default number of draws evaluated at once.
CHUNK = 32_768
#: (lowest probability, word), highest first: the verdict on the chance of breaking even.
VERDICTS = ((0.8, "likely"), (0.5, "more likely than not"), (0.2, "unlikely"), (0.0, "very unlikely"))
_VERDICTS_ZH = {"likely": "很可能", "more likely than not": "可能性过半", "unlikely": "不太可能",
                "very unlikely": "极不可能"}


def uncertain_inputs(scenario: Scenario) -> list[tuple[str, str, object, float]]:
    """The inputs the Monte Carlo draws: (parameter name, key, Range, value in the scenario).

    Every service's acceptance, wake-up rate, usage per user and gross margin that its kind has a
    range for, then ``brand.wakeup_conversion`` if ``[ranges.brand]`` gives one.
    """
    ranges = effective_ranges(scenario)
    base = ScenarioBatch.from_scenario(scenario)
    out = []
    for s in scenario.services:
        r = ranges.get(s.kind, {})
        for key in UNCERTAIN_INPUTS:
            if key in r:
                path = f"service[{s.name}].{key}"
                out.append((path, key, r[key], float(get_parameter(base, path)[0])))
    if "wakeup_conversion" in ranges.get("brand", {}):
        out.append(("brand.wakeup_conversion", "brand", ranges["brand"]["wakeup_conversion"],
                    scenario.brand.wakeup_conversion))
    return out


def value_at(inp: tuple, x):
    """The value an uncertain input takes at point x of its range (the one rule; brand: absolute)."""
    path, key, r, v = inp
    if key == "brand":
        return np.asarray(x, float)
    return swing_value(v, r, x, key)


def draw_factors(scenario: Scenario, seed: int, start: int, stop: int) -> np.ndarray:
    """Points x in each input's range for draws start..stop-1, shape (stop - start, inputs).

    Block k of :data:`BLOCK` draws uses ``numpy.random.default_rng([seed, k])``, so draw i is the
    same whichever chunk it is evaluated in.
    """
    inputs = uncertain_inputs(scenario)
    n = len(inputs)
    lo = np.array([i[2].low for i in inputs])
    hi = np.array([i[2].high for i in inputs])
    parts = []
    for k in range(start // BLOCK, (stop - 1) // BLOCK + 1 if stop > start else start // BLOCK):
        u = np.random.default_rng([seed, k]).random((BLOCK, n))
        a, b = max(start, k * BLOCK) - k * BLOCK, min(stop, (k + 1) * BLOCK) - k * BLOCK
        parts.append(u[a:b])
    u = np.concatenate(parts) if parts else np.empty((0, n))
    return lo + u * (hi - lo)


def batch_at(scenario: Scenario, factors: np.ndarray) -> ScenarioBatch:
    """One scenario per row of ``factors`` (points of each input's range, as :func:`draw_factors`)."""
    inputs = uncertain_inputs(scenario)
    factors = np.atleast_2d(np.asarray(factors, float))
    if factors.shape[1] != len(inputs):
        raise ValueError(f"factors need {len(inputs)} columns (one per uncertain input), got {factors.shape[1]}")
    batch = ScenarioBatch.from_scenario(scenario, size=factors.shape[0])
    for col, inp in enumerate(inputs):
        set_parameter(batch, inp[0], value_at(inp, factors[:, col]))
    return batch


def draw_batch(scenario: Scenario, draws: int, seed: int = 0, start: int = 0) -> ScenarioBatch:
    """``draws`` scenarios with the uncertain inputs drawn (seeded, reproducible), draws start.. on."""
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    return batch_at(scenario, draw_factors(scenario, seed, start, start + int(draws)))


def verdict_word(prob: float) -> str:
    r"""The word for a chance of breaking even: likely, more likely than not, unlikely, very unlikely.

    Parameters
    ----------
    prob : float
        P(break-even), the share of draws whose value-added net is 0 or more (0-1).

    Returns
    -------
    str
        ``likely`` (P >= 0.8), ``more likely than not`` (>= 0.5), ``unlikely`` (>= 0.2), else
        ``very unlikely``.

    Notes
    -----
    Computed from the probability alone, so every sentence about the chance of breaking even
    (notebook 04, the report, the app) says the same word for the same figure.

    Examples
    --------
    >>> [verdict_word(p) for p in (0.8, 0.79, 0.5, 0.2, 0.1999)]
    ['likely', 'more likely than not', 'more likely than not', 'unlikely', 'very unlikely']

    References
    ----------
    Seed article (it calls its projections likely without a probability); the verbal scale of
    the IPCC's uncertainty guidance (Mastrandrea et al. 2010) is the model of such a word scale.
    """
    if isinstance(prob, bool) or not isinstance(prob, (int, float, np.floating)) or not math.isfinite(prob) \
            or not 0 <= prob <= 1:
        raise ValueError(f"a probability of breaking even must lie in [0, 1], got {prob!r}")
    for low, word in VERDICTS:
        if prob >= low:
            return word
    return VERDICTS[-1][1]  # pragma: no cover


def verdict_sentence(prob: float, draws: int | None = None, lang: str = "en") -> str:
    """One sentence on the chance of breaking even, with the verdict word of :func:`verdict_word`.

    Parameters
    ----------
    prob : float
        P(break-even), 0-1.
    draws : int, optional
        The number of Monte Carlo draws, said in the sentence when given.
    lang : {"en", "zh", "both"}
        The label language (the glossary's rule; "both" gives the English then the Chinese).

    Returns
    -------
    str
        E.g. "Breaking even on its own is unlikely: the value-added net is 0 or more in 21.0% of
        10,000 draws."

    Notes
    -----
    :math:`P = \\#\\{\\text{draws with value-added net} \\ge 0\\} / \\text{draws}`; prices held,
    uncertainties drawn.

    Examples
    --------
    >>> verdict_sentence(0.21, 10_000)
    'Breaking even on its own is unlikely: the value-added net is 0 or more in 21.0% of 10,000 draws.'
    >>> verdict_sentence(0.85, lang="zh")
    '增值售后单靠自身实现盈亏平衡很可能:85.0% 的模拟中增值净额不低于 0。'

    References
    ----------
    Seed article, its P&L of value-added after-sales; Savage, *The Flaw of Averages* (2009), on
    reporting a chance rather than an average.
    """
    from aftersales.glossary import check_lang

    check_lang(lang)
    word = verdict_word(prob)
    pct = f"{prob:.2%}" if 0 < prob < 0.01 else f"{prob:.1%}"
    of = f" of {draws:,} draws" if draws else " of the draws"
    en = f"Breaking even on its own is {word}: the value-added net is 0 or more in {pct}{of}."
    n_zh = f"{draws:,} 次模拟中" if draws else "的模拟中"
    zh = (f"增值售后单靠自身实现盈亏平衡{_VERDICTS_ZH[word]}:"
          + (f"{n_zh}有 {pct} 增值净额不低于 0。" if draws else f"{pct} {n_zh}增值净额不低于 0。"))
    return {"en": en, "zh": zh, "both": en + "\n" + zh}[lang]


@dataclass
class MonteCarloResult:
    """The figures of every draw (yuan per year) and, if kept, the inputs drawn."""

    scenario: str
    method: str
    draws: int
    seed: int
    total_effect: np.ndarray
    va_net: np.ndarray
    traditional_net: np.ndarray
    service_revenue: np.ndarray
    figures: dict = field(repr=False, default_factory=dict)
    inputs: ScenarioBatch | None = field(repr=False, default=None)

    def summary(self) -> dict:
        """Percentiles and probabilities of the draws, and the verdict word.

        ``prob_break_even``: share of draws whose value-added net is >= 0; ``verdict``: its word
        (:func:`verdict_word`); ``prob_total_effect_positive``: share whose total effect (net plus
        wake-up contribution) is >= 0; ``prob_net_beats_traditional``: net above the traditional
        net. ``prob_value_added_beats_traditional`` (total effect above traditional net) is kept
        for compatibility only: it is near 1 by construction and not worth a headline.
        """
        te = self.total_effect
        p5, p50, p95 = (float(x) for x in np.percentile(te, [5, 50, 95]))
        pbe = float(np.mean(self.va_net >= 0))
        return {"scenario": self.scenario, "method": self.method, "draws": self.draws, "seed": self.seed,
                "p5": p5, "p50": p50, "p95": p95, "mean": float(te.mean()),
                "prob_value_added_beats_traditional": float(np.mean(te > self.traditional_net)),
                "prob_net_beats_traditional": float(np.mean(self.va_net > self.traditional_net)),
                "prob_break_even": pbe,
                "va_net_p5": float(np.percentile(self.va_net, 5)),
                "va_net_p50": float(np.percentile(self.va_net, 50)),
                "va_net_p95": float(np.percentile(self.va_net, 95)),
                "prob_total_effect_positive": float(np.mean(te >= 0)),
                "verdict": verdict_word(pbe)}


def simulate(scenario: Scenario | str, draws: int = 100_000, seed: int = 0,
             method: str = "corrected", keep_inputs: bool = False, chunk_size: int = CHUNK) -> MonteCarloResult:
    r"""Draw ``draws`` variants over the uncertainties and evaluate them ``chunk_size`` at a time.

    Parameters
    ----------
    scenario : Scenario or str
        A scenario, a name from data/scenarios or a path.
    draws : int
        Number of draws (>= 1).
    seed : int
        Seed of the random blocks; the same seed gives the same draws whatever ``chunk_size``.
    method : {"corrected", "seed"}
        The calculation method.
    keep_inputs : bool
        Keep every drawn input and figure (memory grows with draws: small runs only).
    chunk_size : int
        Draws evaluated at once (memory, not results, depends on it).

    Returns
    -------
    MonteCarloResult
        Per-draw total effect, value-added net, traditional net and service revenue (yuan a year);
        ``summary()`` gives percentiles, ``prob_break_even`` and its ``verdict``.

    Notes
    -----
    For each uncertain input with kind range [lo, hi] and midpoint m, a draw is
    :math:`v' = v\,x/m` with :math:`x \sim U(lo, hi)`; prices are held.
    :math:`P(\text{break-even}) = \frac{1}{n}\sum_k 1[\text{net}_k \ge 0]`.

    Examples
    --------
    >>> res = simulate("seed-demo", draws=5_000, seed=1)
    >>> s = res.summary()
    >>> s["verdict"] == verdict_word(s["prob_break_even"])
    True
    >>> bool((simulate("seed-demo", 5_000, seed=1, chunk_size=999).va_net == res.va_net).all())
    True

    References
    ----------
    Seed article, its service matrix of ranges; Vose, *Risk Analysis: A Quantitative Guide*
    (2008), on separating uncertainty from decision variables.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, got {method!r}")
    draws, chunk_size = int(draws), int(chunk_size)
    if draws < 1:
        raise ValueError(f"draws must be at least 1, got {draws}")
    if chunk_size < 1:
        raise ValueError(f"chunk_size must be at least 1, got {chunk_size}")
    sc = load_scenario(scenario)
    if keep_inputs:
        batch = draw_batch(sc, draws, seed)
        f = compute(batch, method)
        return MonteCarloResult(sc.name, method, draws, seed, f["total_effect"], f["va_net"],
                                f["traditional_net"], f["service_revenue"], figures=f, inputs=batch)
    keep = {k: np.empty(draws) for k in ("total_effect", "va_net", "traditional_net", "service_revenue")}
    for start in range(0, draws, chunk_size):
        stop = min(draws, start + chunk_size)
        f = compute(draw_batch(sc, stop - start, seed, start), method)
        for k, arr in keep.items():
            arr[start:stop] = f[k]
        del f
    return MonteCarloResult(sc.name, method, draws, seed, keep["total_effect"], keep["va_net"],
                            keep["traditional_net"], keep["service_revenue"])
