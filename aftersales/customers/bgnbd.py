"""The BG/NBD repeat-buying model (Fader, Hardie and Lee 2005), fitted by maximum likelihood.

While alive a customer buys at rate lambda ~ Gamma(r, alpha); after each purchase she drops out
with probability p ~ Beta(a, b). Everything here is numpy/scipy; scipy is imported when needed.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

__all__ = ["BGNBD", "A_NEAR_ONE", "log_likelihood", "fit_bgnbd", "expected_purchases", "conditional_expected_purchases",
           "prob_alive", "simulate_bgnbd"]


@dataclass(frozen=True)
class BGNBD:
    """Fitted BG/NBD parameters (r, alpha in the time unit of the fit, a, b) and the log-likelihood.

    Usually made by :func:`fit_bgnbd`; built by hand to use published parameters.

    Parameters
    ----------
    r, alpha : float
        Shape and scale of the Gamma distribution of the purchase rate lambda while alive;
        alpha is in ``freq`` units (weeks or days), r has no unit. Both > 0.
    a, b : float
        Shape parameters of the Beta distribution of the dropout probability p after each
        purchase (no unit). Both > 0.
    log_likelihood : float, optional
        Log-likelihood of the fit, summed over customers (NaN, the default, when not fitted).
    n_customers : int, optional
        Customers the fit was made on (0 when not fitted).
    freq : {"W", "D"}, optional
        Time unit of alpha: weeks (default) or days.

    Notes
    -----
    While alive a customer buys as a Poisson process with rate lambda ~ Gamma(r, alpha); after
    each purchase she drops out with probability p ~ Beta(a, b). The mean weekly rate is r / alpha
    and the mean dropout probability a / (a + b).

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). "Counting your customers" the easy way:
    an alternative to the Pareto/NBD model. Marketing Science 24(2), 275-284.

    Examples
    --------
    The CDNOW parameters of FHL (2005), weeks:

    >>> m = BGNBD(0.243, 4.414, 0.793, 2.426)
    >>> round(m.r / m.alpha, 4), round(m.a / (m.a + m.b), 3)    # mean weekly rate, mean dropout
    (0.0551, 0.246)
    >>> m.to_dict()
    {'r': 0.243, 'alpha': 4.414, 'a': 0.793, 'b': 2.426, 'log_likelihood': nan}
    """

    r: float
    alpha: float
    a: float
    b: float
    log_likelihood: float = float("nan")
    n_customers: int = 0
    freq: str = "W"

    def to_dict(self) -> dict:
        """The four parameters and the log-likelihood, keyed by name (the ``bgnbd`` JSON keys)."""
        return {"r": self.r, "alpha": self.alpha, "a": self.a, "b": self.b,
                "log_likelihood": self.log_likelihood}


def _arr(*xs):
    return [np.asarray(v, float) for v in xs]


def log_likelihood(params, x, t_x, T) -> np.ndarray:
    """Log-likelihood of each customer's (x, t_x, T) under BG/NBD parameters (r, alpha, a, b).

    Parameters
    ----------
    params : sequence of 4 floats or BGNBD
        r, alpha (time units), a, b; all > 0.
    x, t_x, T : array_like
        Repeat purchases, time of the last purchase and age, time units (weeks or days).

    Notes
    -----
    FHL (2005) eq. 6:
    L = B(a, b+x)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+T)^(r+x))
        + [x > 0] B(a+1, b+x-1)/B(a, b) * G(r+x) alpha^r / (G(r) (alpha+t_x)^(r+x)).

    Examples
    --------
    >>> float(log_likelihood((0.243, 4.414, 0.793, 2.426), [0], [0.0], [38.86])[0])  # doctest: +ELLIPSIS
    -0.55...
    """
    from scipy.special import betaln, gammaln

    r, alpha, a, b = (params.r, params.alpha, params.a, params.b) if isinstance(params, BGNBD) else params
    x, t_x, T = _arr(x, t_x, T)
    common = gammaln(r + x) - gammaln(r) + r * np.log(alpha) - betaln(a, b)
    A = betaln(a, b + x) - (r + x) * np.log(alpha + T)
    with np.errstate(invalid="ignore", divide="ignore"):
        B = np.where(x > 0, betaln(a + 1, b + np.maximum(x, 1) - 1) - (r + x) * np.log(alpha + t_x), -np.inf)
    return common + np.logaddexp(A, B)


def fit_bgnbd(x, t_x, T, freq: str = "W", initial=(1.0, 1.0, 1.0, 1.0)) -> BGNBD:
    """Maximum-likelihood BG/NBD parameters from per-customer (x, t_x, T).

    Parameters
    ----------
    x, t_x, T : array_like
        Repeat purchases, recency and age in ``freq`` units (weeks ``"W"`` or days ``"D"``).
    freq : str
        Recorded with the result (alpha is in these units).
    initial : 4 floats
        Starting point of the search (r, alpha, a, b).

    Returns
    -------
    BGNBD

    Notes
    -----
    Maximises sum_i log L_i over log-parameters (so all stay > 0) with L-BFGS-B (Nelder-Mead
    if that does not converge); customers with the same (x, t_x, T) are pooled, which changes nothing but speed.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). "Counting your customers" the easy way:
    an alternative to the Pareto/NBD model. Marketing Science 24(2), 275-284.

    Examples
    --------
    >>> from aftersales.customers.data import load_cdnow
    >>> from aftersales.customers.summary import summarise
    >>> s = summarise(load_cdnow("sample"), "1997-09-30")
    >>> m = fit_bgnbd(s.x, s.t_x, s.T)
    >>> round(m.r, 3), round(m.alpha, 3), round(m.a, 3), round(m.b, 3), round(m.log_likelihood, 1)
    (0.243, 4.414, 0.793, 2.426, -9582.4)
    """
    from scipy.optimize import minimize

    x, t_x, T = _arr(x, t_x, T)
    if not (len(x) == len(t_x) == len(T)) or len(x) == 0:
        raise ValueError("x, t_x and T must be equally long and not empty")
    if (x < 0).any() or (t_x < 0).any() or (t_x > T + 1e-9).any():
        raise ValueError("need x >= 0 and 0 <= t_x <= T for every customer")
    keys, inv, w = np.unique(np.stack([x, t_x, T]), axis=1, return_inverse=True, return_counts=True)
    ux, ut, uT = keys

    def nll(theta):
        return -float(np.dot(w, log_likelihood(np.exp(theta), ux, ut, uT)))

    th0 = np.log(np.asarray(initial, float))
    # far-out trial points overflow to inf (and their differences to nan): the search steps back, quietly
    with np.errstate(all="ignore"):
        best = minimize(nll, th0, method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-8, "maxiter": 2_000})
        if not best.success:  # a robust, slower search, then polish again
            nm = minimize(nll, th0, method="Nelder-Mead",
                          options={"xatol": 1e-6, "fatol": 1e-8, "maxiter": 10_000})
            best = minimize(nll, nm.x, method="L-BFGS-B", options={"ftol": 1e-15, "gtol": 1e-8})
            best = best if best.fun <= nm.fun else nm
    r, alpha, a, b = np.exp(best.x)
    return BGNBD(float(r), float(alpha), float(a), float(b), -float(best.fun), int(len(x)), freq)


def _hyp2f1(a, b, c, z):
    from scipy.special import hyp2f1
    return hyp2f1(a, b, c, z)


#: Within this distance of a = 1 the closed form is 0/0; E[X(t)] is then computed as the integral.
A_NEAR_ONE = 1e-4


def _expected_repeats(r, al, a, b, t):
    """FHL eq. 7, (a+b-1)/(a-1) [1 - (al/(al+t))^r 2F1(r, b; a+b-1; t/(al+t))], with r, al, b, t
    broadcast. At a = 1 (a removable 0/0), and wherever the closed form is not finite (2F1 of very
    large r overflows), the same expectation as the integral of :func:`_repeats_integral`."""
    if abs(a - 1.0) <= A_NEAR_ONE:
        return _repeats_integral(r, al, a, b, t)
    with np.errstate(all="ignore"):
        out = np.asarray((a + b - 1) / (a - 1) * (1 - (al / (al + t)) ** r * _hyp2f1(r, b, a + b - 1, t / (al + t))),
                         float)
    bad = ~np.isfinite(out)
    if bad.any():
        r, al, b, t = (np.broadcast_to(np.asarray(v, float), out.shape) for v in (r, al, b, t))
        out = out.copy()
        out[bad] = _repeats_integral(r[bad], al[bad], a, b[bad], t[bad])
    return out


def _repeats_integral(r, al, a, b, t) -> np.ndarray:
    """E[X(t)] as an integral over the dropout probability p ~ Beta(a, b), valid for every a > 0.

    Given p and lambda, E[X(t)] = (1 - exp(-lambda p t)) / p; averaged over lambda ~ Gamma(r, al),
    (1 - (al/(al + p t))^r) / p; then over p (scipy's quad with the Beta weight p^(a-1) (1-p)^(b-1)).
    """
    from scipy.integrate import quad
    from scipy.special import betaln

    def one(r, al, b, t):
        if not (a - 1.0 > -1.0 and b - 1.0 > -1.0 and np.isfinite([r, al, b, t]).all()):
            return float("nan")     # a or b too small to integrate: the caller reports a fit that ran off
        def g(p):
            return r * t / al if p == 0 else -np.expm1(-r * np.log1p(p * t / al)) / p
        if a < 2 or b < 2:   # the weight may be infinite at an end: quad's algebraic weight takes it exactly
            val, _ = quad(g, 0.0, 1.0, weight="alg", wvar=(a - 1.0, b - 1.0), epsabs=0.0, epsrel=1e-11,
                          limit=200)
            return val / np.exp(betaln(a, b))
        # a, b >= 2: a smooth, maybe narrow density, in logs (large a, b underflow), split around its mean
        mean, sd = a / (a + b), np.sqrt(a * b / ((a + b) ** 2 * (a + b + 1)))
        cuts = sorted({0.0, 1.0, *(float(np.clip(mean + k * sd, 0.0, 1.0)) for k in (-8, -2, 0, 2, 8))})
        lb = betaln(a, b)

        def h(p):
            return g(p) * np.exp((a - 1) * np.log(p) + (b - 1) * np.log1p(-p) - lb) if 0 < p < 1 else 0.0
        return sum(quad(h, lo, hi, epsabs=0.0, epsrel=1e-11, limit=200)[0] for lo, hi in zip(cuts, cuts[1:]) if hi > lo)

    return np.vectorize(one, otypes=[float])(r, al, b, t)


def expected_purchases(model: BGNBD, t) -> np.ndarray:
    """E[X(t)]: expected repeat purchases of a new customer in her first t time units.

    Parameters
    ----------
    model : BGNBD
        The parameters (alpha in ``model.freq`` units).
    t : float or array_like
        Time since the first purchase, in ``model.freq`` units (weeks or days), >= 0.

    Returns
    -------
    numpy.ndarray
        Expected repeat purchases (first purchase not counted), shaped like ``t``.

    Notes
    -----
    E[X(t)] = (a+b-1)/(a-1) [1 - (alpha/(alpha+t))^r 2F1(r, b; a+b-1; t/(alpha+t))]  (FHL eq. 7).
    At a = 1 the fraction is 0/0 (a removable limit): within :data:`A_NEAR_ONE` of 1 the same
    expectation is integrated instead, E[X(t)] = int_0^1 (1 - (alpha/(alpha+p t))^r) / p Beta(p; a, b) dp.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). "Counting your customers" the easy way:
    an alternative to the Pareto/NBD model. Marketing Science 24(2), 275-284.

    Examples
    --------
    >>> m = BGNBD(0.243, 4.414, 0.793, 2.426)
    >>> round(float(expected_purchases(m, 39.0)), 3)
    1.197
    """
    t = np.asarray(t, float)
    return _expected_repeats(model.r, model.alpha, model.a, model.b, t)


def _alive_odds(model, x, t_x, T):
    r, al, a, b = model.r, model.alpha, model.a, model.b
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(x > 0, a / (b + np.maximum(x, 1) - 1) * ((al + T) / (al + t_x)) ** (r + x), 0.0)


def prob_alive(model: BGNBD, x, t_x, T) -> np.ndarray:
    """P(alive | x, t_x, T): the probability that a customer with this history has not dropped out.

    Parameters
    ----------
    model : BGNBD
        The parameters (alpha in ``model.freq`` units).
    x : array_like
        Repeat purchases in the calibration period (first purchase not counted).
    t_x, T : array_like
        Time of the last purchase and age at the calibration end, both since the first purchase,
        in ``model.freq`` units; 0 <= t_x <= T.

    Returns
    -------
    numpy.ndarray
        Probabilities 0-1, one per customer.

    Notes
    -----
    P(alive) = 1 / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x)). A customer
    who never bought again (x = 0) cannot have dropped out (dropout comes only after a purchase),
    so her probability is 1.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). "Counting your customers" the easy way:
    an alternative to the Pareto/NBD model. Marketing Science 24(2), 275-284.

    Examples
    --------
    >>> m = BGNBD(0.243, 4.414, 0.793, 2.426)
    >>> [round(float(v), 3) for v in prob_alive(m, [0, 3], [0.0, 5.0], [38.0, 38.0])]
    [1.0, 0.041]
    """
    x, t_x, T = _arr(x, t_x, T)
    return 1.0 / (1.0 + _alive_odds(model, x, t_x, T))


def conditional_expected_purchases(model: BGNBD, t, x, t_x, T) -> np.ndarray:
    """E[Y(t) | x, t_x, T]: expected purchases in the next t time units of a customer with this history.

    Parameters
    ----------
    model : BGNBD
        The parameters (alpha in ``model.freq`` units).
    t : float or array_like
        Length of the period ahead, in ``model.freq`` units (weeks or days).
    x, t_x, T : array_like
        Repeat purchases, time of the last purchase and age at the calibration end, in
        ``model.freq`` units, as in :func:`prob_alive`.

    Returns
    -------
    numpy.ndarray
        Expected purchases in (T, T + t], one per customer.

    Notes
    -----
    (a+b+x-1)/(a-1) [1 - ((alpha+T)/(alpha+T+t))^(r+x) 2F1(r+x, b+x; a+b+x-1; t/(alpha+T+t))]
    / (1 + [x > 0] a/(b+x-1) ((alpha+T)/(alpha+t_x))^(r+x))   (FHL eq. 10); the numerator is
    :func:`expected_purchases` with r+x, alpha+T, b+x, so a = 1 is taken care of the same way.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). "Counting your customers" the easy way:
    an alternative to the Pareto/NBD model. Marketing Science 24(2), 275-284.

    Examples
    --------
    >>> m = BGNBD(0.243, 4.414, 0.793, 2.426)
    >>> round(float(conditional_expected_purchases(m, 39, 2, 30.43, 38.86)), 3)
    1.226
    """
    x, t_x, T = _arr(x, t_x, T)
    t = np.asarray(t, float)
    # eq. 10's numerator is eq. 7 with r + x, alpha + T, b + x (the same a -> 1 limit)
    num = _expected_repeats(model.r + x, model.alpha + T, model.a, model.b + x, t)
    return num / (1.0 + _alive_odds(model, x, t_x, T))


def simulate_bgnbd(model: BGNBD, T, seed: int = 0):
    """Draw (x, t_x) for customers of ages T from the BG/NBD process (seeded, deterministic).

    Each customer draws lambda ~ Gamma(r, rate alpha) and p ~ Beta(a, b); purchases come as a
    Poisson process; after each repeat purchase she drops out with probability p.

    Parameters
    ----------
    model : BGNBD
        The parameters to draw from (alpha in the time unit of ``T``).
    T : array_like
        Age of each customer (time from her first purchase to the end of the period), in the
        time unit of ``model.alpha``.
    seed : int, optional
        Seed of ``numpy.random.default_rng`` (default 0); the same seed gives the same draws.

    Returns
    -------
    x, t_x : numpy.ndarray
        Repeat purchases and time of the last of them (0 when none), one per customer; the
        inputs :func:`fit_bgnbd` takes, with ``T``.

    Notes
    -----
    The first purchase is at time 0 and not counted; a customer is followed until her next
    purchase would fall after T or she drops out.

    References
    ----------
    Fader, P. S., Hardie, B. G. S. and Lee, K. L. (2005). "Counting your customers" the easy way:
    an alternative to the Pareto/NBD model. Marketing Science 24(2), 275-284.

    Examples
    --------
    >>> x, t_x = simulate_bgnbd(BGNBD(0.5, 5.0, 0.8, 2.5), [39.0] * 3, seed=1)
    >>> len(x), bool((t_x <= 39).all())
    (3, True)
    """
    rng = np.random.default_rng(seed)
    T = np.asarray(T, float)
    n = len(T)
    lam = rng.gamma(model.r, 1.0 / model.alpha, n)
    p = rng.beta(model.a, model.b, n)
    x = np.zeros(n)
    t_x = np.zeros(n)
    t = np.zeros(n)
    alive = np.ones(n, bool)
    while alive.any():
        i = np.flatnonzero(alive)
        t_next = t[i] + rng.exponential(1.0, len(i)) / lam[i]
        bought = t_next <= T[i]
        j = i[bought]
        x[j] += 1
        t_x[j] = t_next[bought]
        t[j] = t_next[bought]
        alive[i[~bought]] = False
        drop = rng.random(len(j)) < p[j]
        alive[j[drop]] = False
    return x, t_x
