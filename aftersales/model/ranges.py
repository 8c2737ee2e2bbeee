"""The article's service matrix: the ranges it gives for each service kind.

remake 200-800 yuan a piece, acceptance 15-25%, gross margin 65-75%, wake-up 35-45%;
deep clean and care 80-200 yuan a time, 35-45%, 55-65%, wake-up (care) 20-30%;
repair 50-150 yuan a time, 40-50%, 60-70%, wake-up 25-35%;
storage 30-50 yuan a month, 10-15%, 70-80%, no wake-up rate given (held at the scenario's value).
A scenario file may replace any of them in its ``[ranges.<kind>]`` tables.

One rule applies a kind's range to its services, in the tornado and the Monte Carlo alike: the
range [lo, hi] is read relative to its midpoint m, and a service's own value v is swung or drawn
as v x x / m for x in [lo, hi] (shares clipped to [0, 1]). The article gives no range for usage
per user; the course assumes +-20% around each service's own value (:data:`COURSE_RANGES`).
Brand-level ranges (order value, ``[ranges.brand] wakeup_conversion``) are absolute: they
describe this brand's own value, not a typical service of a kind.
"""
from __future__ import annotations

from aftersales.model.inputs import Range, Scenario

__all__ = ["ARTICLE_RANGES", "ARTICLE_AOV_RANGE", "COURSE_RANGES", "UNCERTAIN_INPUTS", "effective_ranges",
           "swing_value"]

#: Service inputs the brand cannot choose: drawn by the Monte Carlo (prices are decisions, held).
UNCERTAIN_INPUTS = ("acceptance", "wakeup_rate", "uses_per_user_per_year", "gross_margin")
_SHARES = ("acceptance", "wakeup_rate", "gross_margin")

ARTICLE_RANGES: dict[str, dict[str, Range]] = {
    "remake": {"price": Range(200, 800), "acceptance": Range(0.15, 0.25),
               "gross_margin": Range(0.65, 0.75), "wakeup_rate": Range(0.35, 0.45)},
    "deep_clean": {"price": Range(80, 200), "acceptance": Range(0.35, 0.45),
                   "gross_margin": Range(0.55, 0.65), "wakeup_rate": Range(0.20, 0.30)},
    "repair": {"price": Range(50, 150), "acceptance": Range(0.40, 0.50),
               "gross_margin": Range(0.60, 0.70), "wakeup_rate": Range(0.25, 0.35)},
    "storage": {"price": Range(30, 50), "acceptance": Range(0.10, 0.15),
                "gross_margin": Range(0.70, 0.80)},
}
#: The article's order value range (客单价 1200-3500 yuan).
ARTICLE_AOV_RANGE = Range(1200, 3500)


#: The course's own assumption where the article gives no range: usage per user +-20% (relative rule).
COURSE_RANGES: dict[str, dict[str, Range]] = {
    k: {"uses_per_user_per_year": Range(0.8, 1.2)} for k in ("remake", "deep_clean", "repair", "storage")}


def swing_value(value, r: Range, x, key: str = ""):
    r"""A service's value swung or drawn over its kind's range: v x x / m (shares clipped to [0, 1]).

    Parameters
    ----------
    value : float or numpy.ndarray
        v, the service's own value in the scenario (a share, or uses per user per year).
    r : Range
        The kind's range [lo, hi]; m is its midpoint.
    x : float or numpy.ndarray
        A point of [lo, hi]: a tornado end or a Monte Carlo draw.
    key : str
        The input's name; acceptance, wakeup_rate and gross_margin are clipped to [0, 1].

    Returns
    -------
    float or numpy.ndarray
        :math:`v x / m`; v itself where m is 0.

    Notes
    -----
    .. math:: v' = v \, \frac{x}{m}, \qquad m = \frac{lo + hi}{2}

    so a service at the middle of its kind keeps the kind's range, and a smaller offer of the kind
    (Designer remake, acceptance 0.08 against remake's 15-25%) is swung in proportion (0.06-0.10).

    Examples
    --------
    >>> from aftersales.model.inputs import Range
    >>> round(swing_value(0.08, Range(0.15, 0.25), 0.15, "acceptance"), 12)
    0.06
    >>> swing_value(0.9, Range(0.15, 0.25), 0.25, "acceptance")   # 1.125, clipped
    1.0

    References
    ----------
    Seed article, its service matrix (ranges per service kind).
    """
    import numpy as np

    m = r.mid
    out = np.asarray(value, float) * (np.asarray(x, float) / m) if m != 0 else np.asarray(value, float)
    if key in _SHARES:
        out = np.clip(out, 0.0, 1.0)
    return float(out) if np.ndim(out) == 0 else out


def effective_ranges(scenario: Scenario) -> dict[str, dict[str, Range]]:
    """The article's ranges per kind, then the course's, with the scenario's own ``[ranges]`` on top.

    ``[ranges.brand]`` (wakeup_conversion) is passed through under the key ``"brand"``.
    """
    out = {k: dict(v) for k, v in ARTICLE_RANGES.items()}
    for kind, inputs in COURSE_RANGES.items():
        out[kind].update(inputs)
    for kind, inputs in scenario.ranges.items():
        out.setdefault(kind, {}).update(inputs)
    return out
