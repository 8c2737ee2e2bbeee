"""Set-up of notebook 07 (real customers): its parameters checked, its recorded figures picked.

The notebook's ``parameters`` cell holds ``scenario`` (the after-sales case it is compared with),
``calibration_end``, ``freq`` and ``lang``; the next cell calls :func:`customer_parameters`, which
stops with a :class:`~aftersales.course.parameters.ParameterError` naming what is wrong.
"""
from __future__ import annotations

from aftersales.course.parameters import ParameterError
from aftersales.customers.data import CDNOW_CALIBRATION_END
from aftersales.glossary import LANGS

__all__ = ["customer_parameters", "RECORDED", "recorded_figures"]

#: Figures of the customers report that notebook 07 records (dotted paths).
RECORDED = ("customers", "transactions", "repurchase.within_30d", "repurchase.within_90d",
            "repurchase.within_182d", "repurchase.within_365d", "quarterly_active_share.4",
            "geometric_active_share.4", "later_buyers_called_gone.4", "bgnbd.r", "bgnbd.alpha", "bgnbd.a",
            "bgnbd.b", "bgnbd.log_likelihood", "bgnbd.holdout_predicted", "bgnbd.holdout_actual",
            "ltv.closed_form.0", "ltv.closed_form.1", "ltv.closed_form.2", "ltv.bgnbd.0", "ltv.bgnbd.1",
            "ltv.bgnbd.2", "ltv.observed.0")


def customer_parameters(calibration_end=CDNOW_CALIBRATION_END, freq="W", lang="en") -> dict:
    """The checked parameters of notebook 07: {"calibration_end", "freq", "lang"}.

    Parameters
    ----------
    calibration_end : str
        Last day of the BG/NBD calibration period, ``YYYY-MM-DD``, between 1997-04-01 and
        1998-03-31 (the CDNOW log runs 1997-01-01 to 1998-06-30; both periods need a quarter).
    freq : {"W", "D"}
        Time unit of the fit.
    lang : {"en", "zh", "both"}
        Language of the figures' labels.

    Examples
    --------
    >>> customer_parameters("1997-12-31")["calibration_end"]
    '1997-12-31'
    >>> customer_parameters("1999-01-01")
    Traceback (most recent call last):
    ...
    aftersales.course.parameters.ParameterError: parameter calibration_end='1999-01-01' is invalid: it must be between 1997-04-01 and 1998-03-31
    """
    import numpy as np

    try:
        day = np.datetime64(str(calibration_end), "D")
        if len(str(calibration_end)) != 10:
            raise ValueError
    except (ValueError, TypeError):
        raise ParameterError(f"parameter calibration_end={calibration_end!r} is invalid: "
                             "give a date as 'YYYY-MM-DD'") from None
    if not np.datetime64("1997-04-01") <= day <= np.datetime64("1998-03-31"):
        raise ParameterError(f"parameter calibration_end={calibration_end!r} is invalid: "
                             "it must be between 1997-04-01 and 1998-03-31")
    if freq not in ("W", "D"):
        raise ParameterError(f"parameter freq={freq!r} is invalid: it must be 'W' (weeks) or 'D' (days)")
    if lang not in LANGS:
        raise ParameterError(f"parameter lang={lang!r} is invalid: it must be one of {', '.join(LANGS)}")
    return {"calibration_end": str(day), "freq": freq, "lang": lang}


def recorded_figures(report: dict) -> dict:
    """{path: value} of :data:`RECORDED` from a customers report (what the notebook records).

    Examples
    --------
    >>> recorded_figures({"customers": 3, "transactions": 5, "repurchase": {}})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    KeyError: "no figure 'repurchase.within_30d'..."
    """
    from aftersales.course.exercises import figure_at

    return {p: figure_at(report, p) for p in RECORDED}
