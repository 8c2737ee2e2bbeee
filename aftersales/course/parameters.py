"""Notebook parameters: turn the values of a notebook's ``parameters`` cell into a Scenario.

Papermill injects new values into that cell; the next cell calls
:func:`scenario_from_parameters`, which checks every value and stops with a
:class:`ParameterError` that names the parameter, its value and what is wrong.
"""
from __future__ import annotations

import math
import os
from numbers import Real
from pathlib import Path
from typing import Any

from aftersales.model.kernel import apply_parameter
from aftersales.model.inputs import Scenario
from aftersales.model.scenario import ScenarioError, load_scenario

__all__ = ["ParameterError", "scenario_from_parameters", "scenario_summary", "whole_number", "share", "label_language",
           "existing_file", "ARTICLE_RECOVERY_RATE", "leakage_inputs", "with_leakage"]

#: The article's recovery rate of a discounted return: 225 yuan of a 1,500 yuan garment.
ARTICLE_RECOVERY_RATE = 0.15
#: The article's remake fees and the seed-demo remake cost, as shares of its 1,500 yuan garment.
_ARTICLE_FEE_OWN, _ARTICLE_FEE_NEW, _ARTICLE_REMAKE_COST = 300 / 1500, 500 / 1500, 100 / 1500


class ParameterError(ValueError):
    """A notebook parameter that cannot be used.

    A ``ValueError`` whose one-line message names the parameter, its value and what is wrong,
    so a notebook (or a papermill run) stops with that line.

    Parameters
    ----------
    message : str
        ``"parameter <name>=<value> is invalid: <what is wrong>"``.

    Examples
    --------
    >>> share("wakeup_conversion", 1.2)
    Traceback (most recent call last):
    aftersales.course.parameters.ParameterError: parameter wakeup_conversion=1.2 is invalid: it must be <= 1
    >>> issubclass(ParameterError, ValueError)
    True
    """


def _real(name: str, value, *, low: float | None = None, high: float | None = None,
          strict_low: bool = False) -> float:
    if isinstance(value, bool) or not isinstance(value, Real) or not math.isfinite(float(value)):
        raise ParameterError(f"parameter {name}={value!r} is invalid: it must be a finite number")
    v = float(value)
    if low is not None and (v < low or (strict_low and v == low)):
        raise ParameterError(f"parameter {name}={value!r} is invalid: it must be "
                             f"{'>' if strict_low else '>='} {low:g}")
    if high is not None and v > high:
        raise ParameterError(f"parameter {name}={value!r} is invalid: it must be <= {high:g}")
    return v


def scenario_from_parameters(scenario="seed-demo", *, active_customers=None, avg_order_value=None,
                             acceptance_multiplier=1.0, price_multiplier=1.0,
                             wakeup_conversion=None, baseline_repurchase_12m=None,
                             overrides: dict | None = None) -> Scenario:
    """The scenario a notebook works on, after its parameters are applied and checked.

    Parameters
    ----------
    scenario : str, path or Scenario, optional
        A name from data/scenarios or a path to a TOML file (default ``"seed-demo"``).
    active_customers : int, optional
        N, a whole number > 0. None (default) keeps the file's value; so do the other ``None``
        defaults.
    avg_order_value : float, optional
        Order value AOV, yuan (> 0).
    acceptance_multiplier, price_multiplier : float, optional
        Scale every service's acceptance / price (>= 0; 1 = as in the file, the default).
    wakeup_conversion, baseline_repurchase_12m : float, optional
        c and p0, shares 0-1.
    overrides : dict, optional
        ``{parameter name: value}``, names as in ``aftersales.model.kernel.parameter_names``,
        e.g. ``{"service[Basic remake].acceptance": 0.2}``; applied last.

    Returns
    -------
    Scenario
        The file's scenario with the parameters applied in the order above (brand values, the two
        multipliers, then the overrides).

    Raises
    ------
    ParameterError
        For an unknown scenario, a value that is not a finite number or is out of its range, or
        an override the model does not know (or refuses); the message names the parameter.

    Notes
    -----
    A multiplier of exactly 1 is not applied at all. A scaled acceptance above 1 is refused by
    the model, not clipped.

    Examples
    --------
    >>> sc = scenario_from_parameters("seed-demo", active_customers=50_000, acceptance_multiplier=1.2,
    ...                               overrides={"service[Basic remake].price": 320.0})
    >>> sc.brand.active_customers, sc.services[0].price
    (50000, 320.0)
    >>> [round(s.acceptance, 3) for s in sc.services]      # seed-demo's acceptances x 1.2
    [0.216, 0.096, 0.42, 0.48, 0.144]
    >>> scenario_from_parameters(active_customers=1.5)
    Traceback (most recent call last):
    aftersales.course.parameters.ParameterError: parameter active_customers=1.5 is invalid: it must be a whole number of customers
    """
    if not isinstance(scenario, (str, Scenario)) and not hasattr(scenario, "__fspath__"):
        raise ParameterError(f"parameter scenario={scenario!r} is invalid: give a scenario name or a path")
    try:
        sc = load_scenario(scenario)
    except ScenarioError as exc:
        raise ParameterError(f"parameter scenario={str(scenario)!r} is invalid: {exc}") from None
    changes: list[tuple[str, str, float]] = []
    if active_customers is not None:
        v = _real("active_customers", active_customers, low=0, strict_low=True)
        if not float(v).is_integer():
            raise ParameterError(f"parameter active_customers={active_customers!r} is invalid: "
                                 "it must be a whole number of customers")
        changes.append(("active_customers", "brand.active_customers", v))
    if avg_order_value is not None:
        changes.append(("avg_order_value", "brand.avg_order_value",
                        _real("avg_order_value", avg_order_value, low=0, strict_low=True)))
    for name, path in (("wakeup_conversion", "brand.wakeup_conversion"),
                       ("baseline_repurchase_12m", "brand.baseline_repurchase_12m")):
        val = locals()[name]
        if val is not None:
            changes.append((name, path, _real(name, val, low=0, high=1)))
    am = _real("acceptance_multiplier", acceptance_multiplier, low=0)
    if am != 1.0:
        changes.append(("acceptance_multiplier", "scale.acceptance", am))
    pm = _real("price_multiplier", price_multiplier, low=0)
    if pm != 1.0:
        changes.append(("price_multiplier", "scale.price", pm))
    for path, val in (overrides or {}).items():
        changes.append((f"overrides[{path!r}]", path, _real(f"overrides[{path!r}]", val)))
    for label, path, val in changes:
        try:
            sc = apply_parameter(sc, path, val)
        except (ValueError, KeyError) as exc:
            msg = exc.args[0] if exc.args else exc
            raise ParameterError(f"parameter {label}={val:g} is invalid: {msg}") from None
    return sc


def scenario_summary(sc: Scenario, lang: str = "en") -> str:
    """The two lines a notebook prints after its parameters are checked: the scenario and its services.

    Parameters
    ----------
    sc : Scenario
        The scenario the notebook works on.
    lang : {"en", "zh", "both"}, optional
        The language (default English); ``"both"`` gives the English lines then the Chinese ones.

    Returns
    -------
    str
        The scenario's name and description, then its active customers and services (in Chinese
        by the glossary's names).

    Raises
    ------
    ValueError
        If ``lang`` is not one of the glossary's languages.

    Examples
    --------
    >>> sc = load_scenario("seed-demo")
    >>> print(scenario_summary(sc).splitlines()[1])
    80,000 active customers, 5 services: Basic remake, Designer remake, Deep clean & care, Repair & refresh, Seasonal storage
    >>> print(scenario_summary(sc, "zh").splitlines()[1])
    80,000 名活跃客户,5 项服务:基础旧衣改造、设计师款旧衣改造、深度清洗护理、修补翻新、季节性存储
    """
    from aftersales.glossary import SCENARIO_NAMES, check_lang, label, scenario_description, service_name

    if check_lang(lang) == "both":
        return scenario_summary(sc, "en") + "\n" + scenario_summary(sc, "zh")
    name = SCENARIO_NAMES[sc.name] if lang == "zh" and sc.name in SCENARIO_NAMES else repr(sc.name)
    names = ("、" if lang == "zh" else ", ").join(service_name(s.name, lang, s.kind) for s in sc.services)
    return "\n".join([label("scenario_line", lang, name=name,
                             description=scenario_description(sc.name, sc.description, lang)),
                       label("scenario_counts", lang, customers=f"{sc.brand.active_customers:,}",
                             n=len(sc.services), names=names)])


def leakage_inputs(sc: Scenario, lang: str = "en"):
    """The value-leakage example of a scenario: its ``[leakage]`` table, or one built from the brand.

    Parameters
    ----------
    sc : Scenario
        The scenario: its ``leakage`` table if it has one, else its brand and services.
    lang : {"en", "zh"}, optional
        The language of the note (default English).

    Returns
    -------
    (LeakageInputs, str)
        The inputs, and a sentence that says where they come from (for the notebook to print),
        in ``lang``.

    Notes
    -----
    Without a ``[leakage]`` table the example is built from the brand:

    - original price P = the order value AOV;
    - cost of goods ratio = 1 - product gross margin;
    - recovery rate rho = 15%, the article's (225 yuan of a 1,500 yuan garment);
    - items a year n = active customers x purchases per year x return rate;
    - remake fees and cost: the first ``remake`` service's price (own customer) and material +
      labour (k), the new-customer fee 5/3 of it as in the article (500 against 300 yuan); without
      a remake service, the article's fees and cost as shares of P (20%, 33.3%, 6.7%).

    Examples
    --------
    >>> import dataclasses
    >>> from aftersales.model.scenario import load_scenario
    >>> sc = dataclasses.replace(load_scenario("seed-demo"), leakage=None)
    >>> lk, note = leakage_inputs(sc)
    >>> lk.original_price, lk.recovery_rate, round(lk.cogs_ratio, 2), lk.items_per_year
    (1800.0, 0.15, 0.4, 23040.0)
    """
    from aftersales.glossary import label, scenario_name, service_name
    from aftersales.model.inputs import LeakageInputs

    name = f"{sc.name!r}" + (f"({scenario_name(sc.name, 'zh')})" if lang == "zh" and sc.name != scenario_name(sc.name, "zh") else "")
    if sc.leakage is not None:
        return sc.leakage, label("leakage_note_table", lang, name=name)
    b = sc.brand
    p = float(b.avg_order_value)
    remake = next((s for s in sc.services if s.kind == "remake"), None)
    if remake is not None:
        own, k = float(remake.price), float(remake.material_cost + remake.labor_cost)
        new = own * _ARTICLE_FEE_NEW / _ARTICLE_FEE_OWN
        fees = label("leakage_fees_service", lang,
                     service=repr(remake.name) if lang != "zh" else service_name(remake.name, lang, remake.kind))
    else:
        own, new, k = p * _ARTICLE_FEE_OWN, p * _ARTICLE_FEE_NEW, p * _ARTICLE_REMAKE_COST
        fees = label("leakage_fees_article", lang)
    lk = LeakageInputs(original_price=p, recovery_rate=ARTICLE_RECOVERY_RATE,
                       cogs_ratio=1.0 - float(b.product_gross_margin),
                       items_per_year=float(b.active_customers * b.purchases_per_year * b.return_rate),
                       remake_fee_own_customer=own, remake_fee_new_customer=new, remake_unit_cost=k)
    note = label("leakage_note_brand", lang, name=name, price=f"{p:,.0f}", cogs=f"{lk.cogs_ratio:.0%}",
                 rho=f"{ARTICLE_RECOVERY_RATE:.0%}", items=f"{lk.items_per_year:,.0f}", fees=fees)
    return lk, note


def with_leakage(sc: Scenario, lang: str = "en") -> tuple[Scenario, str]:
    """``sc`` with its leakage example filled in (see :func:`leakage_inputs`), and the note.

    Parameters
    ----------
    sc : Scenario
        The scenario.
    lang : {"en", "zh"}, optional
        The language of the note (default English).

    Returns
    -------
    (Scenario, str)
        ``sc`` itself when it has a ``[leakage]`` table, else a copy with the example built from
        its brand; and the sentence saying where the example comes from.

    Examples
    --------
    >>> import dataclasses
    >>> sc = load_scenario("seed-demo")
    >>> same, note = with_leakage(sc)
    >>> same is sc, note
    (True, "The example is the [leakage] table of scenario 'seed-demo'.")
    >>> built, note = with_leakage(dataclasses.replace(sc, leakage=None))
    >>> built.leakage.original_price, built.leakage.remake_fee_own_customer    # AOV; Basic remake's price
    (1800.0, 280.0)
    """
    import dataclasses

    lk, note = leakage_inputs(sc, lang)
    return (sc if sc.leakage is lk else dataclasses.replace(sc, leakage=lk)), note


def whole_number(name: str, value: Any, low: int | None = None, high: int | None = None) -> int:
    """A notebook parameter that must be a whole number in [low, high]; ParameterError otherwise.

    Parameters
    ----------
    name : str
        The parameter's name, for the message.
    value : object
        The value given: an int, or a float with no fraction (``20000.0``); not a bool.
    low, high : int, optional
        The bounds, both included; None (default) for no bound.

    Returns
    -------
    int
        The value as an int.

    Raises
    ------
    ParameterError
        If the value is not a finite whole number or is out of bounds.

    Examples
    --------
    >>> whole_number("simulated_customers", 20000.0, 1_000, 1_000_000)
    20000
    >>> whole_number("simulated_customers", 500, 1_000)
    Traceback (most recent call last):
    aftersales.course.parameters.ParameterError: parameter simulated_customers=500 is invalid: it must be >= 1,000
    """
    ok = (not isinstance(value, bool) and isinstance(value, Real) and math.isfinite(float(value))
          and float(value).is_integer())
    if not ok:
        raise ParameterError(f"parameter {name}={value!r} is invalid: it must be a whole number")
    v = int(value)
    if low is not None and v < low:
        raise ParameterError(f"parameter {name}={value!r} is invalid: it must be >= {low:,}")
    if high is not None and v > high:
        raise ParameterError(f"parameter {name}={value!r} is invalid: it must be <= {high:,}")
    return v


def share(name: str, value: Any, *, allow_zero: bool = True) -> float:
    """A notebook parameter that must be a share in [0, 1] (or (0, 1] without allow_zero).

    Parameters
    ----------
    name : str
        The parameter's name, for the message.
    value : object
        The value given, a share 0-1 (0.35 for 35 %); not a bool.
    allow_zero : bool, optional
        Whether 0 is allowed (default True).

    Returns
    -------
    float
        The value as a float.

    Raises
    ------
    ParameterError
        If the value is not a finite number, or outside [0, 1] ((0, 1] without ``allow_zero``).

    Examples
    --------
    >>> share("wakeup_conversion", 0.6)
    0.6
    >>> share("wakeup_conversion", 0, allow_zero=False)
    Traceback (most recent call last):
    aftersales.course.parameters.ParameterError: parameter wakeup_conversion=0 is invalid: it must be > 0
    """
    v = _real(name, value, low=0, high=1, strict_low=not allow_zero)
    return v


def label_language(lang: Any) -> str:
    """The ``lang`` parameter of a notebook, by the glossary's rule: "en", "zh" or "both".

    Parameters
    ----------
    lang : object
        The value given.

    Returns
    -------
    str
        ``lang`` itself, once checked.

    Raises
    ------
    ParameterError
        If ``lang`` is not one of the glossary's languages.

    Examples
    --------
    >>> label_language("both")
    'both'
    >>> label_language("fr")
    Traceback (most recent call last):
    aftersales.course.parameters.ParameterError: parameter lang='fr' is invalid: use 'en', 'zh' or 'both'
    """
    from aftersales.glossary import LANGS

    if not isinstance(lang, str) or lang not in LANGS:
        choices = ", ".join(repr(x) for x in LANGS[:-1]) + f" or {LANGS[-1]!r}"
        raise ParameterError(f"parameter lang={lang!r} is invalid: use {choices}")
    return lang


def existing_file(name: str, value: str | os.PathLike) -> Path:
    """A file parameter: a path, or a file name in the project's data folder; it must exist.

    Parameters
    ----------
    name : str
        The parameter's name, for the message.
    value : str or path
        A path, or a relative name looked up in the package's data folder when it does not exist
        as given.

    Returns
    -------
    pathlib.Path
        The existing file.

    Raises
    ------
    ParameterError
        If ``value`` is not a non-empty path, or no such file exists.

    Examples
    --------
    >>> existing_file("cases_file", "cases_sample.csv").name      # found in the data folder
    'cases_sample.csv'
    >>> existing_file("cases_file", "no_such.csv")
    Traceback (most recent call last):
    aftersales.course.parameters.ParameterError: parameter cases_file='no_such.csv' is invalid: no such file
    """
    from aftersales.model.scenario import DATA_DIR

    if not isinstance(value, (str, os.PathLike)) or not str(value).strip():
        raise ParameterError(f"parameter {name}={value!r} is invalid: give a file name or a path")
    p = Path(value)
    if not p.exists() and not p.is_absolute() and (DATA_DIR / p).exists():
        p = DATA_DIR / p
    if not p.is_file():
        raise ParameterError(f"parameter {name}={str(value)!r} is invalid: no such file")
    return p
