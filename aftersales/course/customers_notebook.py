"""Set-up of notebook 07 (real customers): its parameters checked, its recorded figures picked.

The notebook's ``parameters`` cell holds ``scenario`` (the after-sales case it is compared with),
``calibration_end``, ``freq`` and ``lang``; the next cell calls :func:`customer_parameters`, which
stops with a :class:`~aftersales.course.parameters.ParameterError` naming what is wrong.
"""
from __future__ import annotations

from aftersales.course.parameters import ParameterError
from aftersales.customers.data import CDNOW_CALIBRATION_END
from aftersales.glossary import LANGS

__all__ = ["customer_parameters", "RECORDED", "recorded_figures", "report_lines", "parameters_line"]

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

    Returns
    -------
    dict
        ``{"calibration_end": "YYYY-MM-DD", "freq": ..., "lang": ...}``, the date normalised to
        a ``YYYY-MM-DD`` string (a ``numpy.datetime64`` or a date is accepted).

    Raises
    ------
    ParameterError
        One line naming the parameter, its value and what it must be: a date that is not
        ``YYYY-MM-DD`` or lies outside 1997-04-01..1998-03-31, a ``freq`` other than W or D, a
        ``lang`` the glossary does not know.

    Notes
    -----
    The bounds leave at least a quarter (three months) of the CDNOW log on each side: for the
    calibration period from 1997-01-01, and for the holdout up to 1998-06-30.

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

    Parameters
    ----------
    report : dict
        A customers report, as :func:`aftersales.customers.report.customer_report` returns it
        (shares 0-1, lifetime values in the log's currency per customer, years 1, 3, 5).

    Returns
    -------
    dict of str to object
        One entry per dotted path of :data:`RECORDED`, in that order (23 figures); list items
        by index (``"quarterly_active_share.4"``: the fifth quarter).

    Raises
    ------
    KeyError
        If the report lacks one of the figures; the message names the path and the keys found.

    Examples
    --------
    A report with the figures of the CDNOW sample, rounded:

    >>> rep = {"customers": 2357, "transactions": 6919,
    ...        "repurchase": {"within_30d": 0.174, "within_90d": 0.291, "within_182d": 0.378,
    ...                       "within_365d": 0.456},
    ...        "quarterly_active_share": [1.0, 0.222, 0.177, 0.171, 0.163],
    ...        "geometric_active_share": [1.0, 0.222, 0.049, 0.011, 0.002],
    ...        "later_buyers_called_gone": [0.0, 0.0, 0.49, 0.69, 0.77],
    ...        "bgnbd": {"r": 0.243, "alpha": 4.414, "a": 0.793, "b": 2.426, "log_likelihood": -9582.4,
    ...                  "holdout_predicted": 1653.4, "holdout_actual": 1882},
    ...        "ltv": {"closed_form": [90.43, 150.41, 162.86], "bgnbd": [87.98, 135.17, 165.07],
    ...                "observed": [90.43, None, None]}}
    >>> figures = recorded_figures(rep)
    >>> len(figures), figures["quarterly_active_share.4"], figures["ltv.observed.0"]
    (23, 0.163, 90.43)
    >>> recorded_figures({"customers": 3, "transactions": 5, "repurchase": {}})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    KeyError: "no figure 'repurchase.within_30d'..."
    """
    from aftersales.course.exercises import figure_at

    return {p: figure_at(report, p) for p in RECORDED}


def report_lines(report: dict, part: str, lang: str = "en") -> str:
    """The lines notebook 07 prints for one ``part`` of a customers report, in ``lang``.

    Parameters
    ----------
    report : dict
        A customers report (:func:`aftersales.customers.report.customer_report`); only the keys
        the part needs are read.
    part : {"data", "repurchase", "retention", "called_gone", "fit", "ltv"}
        Which lines: the log's size and dates, the repurchase shares, the quarterly retention
        against the geometric model, the buyers the geometric model had called gone, the BG/NBD
        fit and its holdout, the lifetime values at each horizon.
    lang : {"en", "zh", "both"}, optional
        Language of the lines (default ``"en"``).

    Returns
    -------
    str
        The lines, joined with newlines; shares in %, money with two decimals.

    Raises
    ------
    ValueError
        If ``part`` is none of the six.
    KeyError
        If the report lacks a figure the part needs.

    Examples
    --------
    >>> ltv = {"years": [1, 3], "closed_form": [90.43, 150.41], "bgnbd": [87.98, 135.17],
    ...        "observed": [90.43, None]}
    >>> print(report_lines({"ltv": ltv}, "ltv"))
    1 year(s): closed form   90.43   BG/NBD   87.98   observed   90.43   (US dollars)
    3 year(s): closed form  150.41   BG/NBD  135.17   observed n/a   (US dollars)
    >>> print(report_lines({"repurchase": {"within_30d": 0.1746, "within_365d": 0.4586}}, "repurchase", "zh"))
    30 天内：17.5%，365 天内：45.9%
    """
    import math

    from aftersales.glossary import fmt_number, fmt_share, label

    r = report
    if part == "data":
        return label("cust_data", lang, customers=fmt_number(r["customers"]), transactions=fmt_number(r["transactions"]),
                     first=r["first_date"], last=r["last_date"], aside=r["set_aside"]["count"])
    if part == "repurchase":
        sep = "，" if lang == "zh" else ", "
        return sep.join(label("cust_within", lang, days=k.removeprefix("within_").removesuffix("d"),
                              share=fmt_share(v)) for k, v in r["repurchase"].items())
    if part == "retention":
        lines = []
        for k, (obs, geo) in enumerate(zip(r["quarterly_active_share"], r["geometric_active_share"]), start=1):
            ret = r["quarterly_retention"][k - 1] if k <= len(r["quarterly_retention"]) else math.nan
            lines.append(label("cust_quarter", lang, k=k, obs=f"{fmt_share(obs):>6}", geo=f"{fmt_share(geo, 2):>7}",
                               ret=f"{fmt_share(ret):>6}"))
        return "\n".join(lines)
    if part == "called_gone":
        return label("cust_called_gone", lang, shares=", ".join(fmt_share(v, 0) for v in r["later_buyers_called_gone"]))
    if part == "fit":
        b = r["bgnbd"]
        return (label("cust_fit", lang, r=f"{b['r']:.3f}", alpha=f"{b['alpha']:.3f}",
                      unit=label(f"cust_unit_{r['freq']}", lang), a=f"{b['a']:.3f}", b=f"{b['b']:.3f}",
                      ll=fmt_number(b["log_likelihood"], 1))
                + "\n" + label("cust_holdout", lang, predicted=fmt_number(b["holdout_predicted"]),
                               actual=fmt_number(b["holdout_actual"])))
    if part == "ltv":
        lt = r["ltv"]
        return "\n".join(label("cust_ltv", lang, years=y, closed=f"{lt['closed_form'][i]:7.2f}",
                               bgnbd=f"{lt['bgnbd'][i]:7.2f}",
                               observed=label("cust_na", lang) if lt["observed"][i] is None else
                               f"{lt['observed'][i]:7.2f}") for i, y in enumerate(lt["years"]))
    raise ValueError(f"no part {part!r} of the report; use data, repurchase, retention, called_gone, fit or ltv")


def parameters_line(params: dict, lang: str = "en") -> str:
    """The checked parameters in words: ``"calibration to 1997-09-30, time unit weeks"``.

    Parameters
    ----------
    params : dict
        The checked parameters (:func:`customer_parameters`); ``calibration_end`` and ``freq``
        are read.
    lang : {"en", "zh", "both"}, optional
        Language of the line (default ``"en"``).

    Returns
    -------
    str
        One line.

    Examples
    --------
    >>> parameters_line(customer_parameters())
    'calibration to 1997-09-30, time unit weeks'
    >>> parameters_line(customer_parameters("1997-12-31", "D"), "zh")
    '校准期截至 1997-12-31，时间单位：天'
    """
    from aftersales.glossary import label

    return label("cust_parameters", lang, end=params["calibration_end"], unit=label(f"cust_unit_{params['freq']}", lang))
