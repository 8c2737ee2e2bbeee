"""Scenario files: load, validate and save the TOML a student can read and edit.

A scenario is named by a file in ``data/scenarios`` (``seed-demo``) or by a path
to a TOML file. Every problem is reported as :class:`ScenarioError` naming the
file, the table and the key.
"""
from __future__ import annotations

import math
import os
import sys
import warnings
from dataclasses import fields
from pathlib import Path
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from aftersales.resources import DATA_DIR
from aftersales.model.inputs import (BILLINGS, BRAND_RANGE_INPUTS, RANGE_INPUTS, SERVICE_KINDS, Brand, LeakageInputs, Range,
                    Scenario, Service, TraditionalCosts, ValueAddedCosts)

__all__ = ["ScenarioError", "ScenarioWarning", "check_consistency", "DATA_DIR", "SCENARIO_DIR", "scenario_names", "scenario_path",
           "load_scenario", "scenario_from_dict", "save_scenario", "dumps_scenario"]

#: The shipped scenario files (package data: ``aftersales/data/scenarios``).
SCENARIO_DIR = DATA_DIR / "scenarios"


class ScenarioError(ValueError):
    """A scenario that cannot be used; the message names file, table and key.

    A subclass of ``ValueError``, so ``except ValueError`` catches it too.

    Parameters
    ----------
    message : str
        ``"<file>: <table> <key> <what is wrong>"``.

    Examples
    --------
    >>> load_scenario("no-such-brand")
    Traceback (most recent call last):
    aftersales.model.scenario.ScenarioError: no-such-brand: no such scenario; known names: \
article-headline, fast-fashion, outdoor-repair, seed-demo (or give a path to a .toml file)
    """


class ScenarioWarning(UserWarning):
    """A scenario that loads but whose figures contradict each other; the message names the key."""


def check_consistency(brand: Brand, source: str = "<scenario>") -> str | None:
    r"""The consistency warning of a brand, or None: a0 = base_ltv / M(p0) above 2 x annual product margin.

    Parameters
    ----------
    brand : Brand
        The brand table of a scenario.
    source : str
        The file name the message starts with.

    Returns
    -------
    str or None
        One line naming ``[brand] base_ltv`` and both figures (yuan a year), or None when the file
        is consistent (or base_ltv is absent and derived from spend).

    Notes
    -----
    With :math:`M(p) = (1 + d) / (1 + d - p)`, the annual value is :math:`a_0 = \mathrm{LTV}/M(p_0)`
    and the annual product margin is :math:`m = \mathrm{AOV} \times f \times gm`. A customer cannot
    be worth more each year than the margin on what they buy, plus a margin of error: the warning
    fires when :math:`a_0 > 2m`.

    Examples
    --------
    >>> from aftersales.model.inputs import Brand
    >>> b = Brand(active_customers=1000, avg_order_value=2400.0, base_ltv=5200.0, purchases_per_year=1.2,
    ...           baseline_repurchase_12m=0.32, product_gross_margin=0.58)
    >>> print(check_consistency(b, "outdoor.toml"))   # doctest: +NORMALIZE_WHITESPACE
    outdoor.toml: [brand] base_ltv = 5,200.00 implies an annual value a0 = base_ltv / M(p0) = 3,687.27 yuan,
    more than twice the annual product margin AOV x purchases_per_year x gm = 1,670.40 yuan
    >>> check_consistency(Brand(active_customers=1000, avg_order_value=1800.0, base_ltv=3200.0)) is None
    True

    References
    ----------
    Seed article (after-sales as a profit channel), its CustomerBase.base_ltv; Gupta and Lehmann,
    "Customers as assets", J. Interactive Marketing 17(1), 2003: LTV = m (1 + d) / (1 + d - r).
    """
    if brand.base_ltv is None:
        return None
    p0, d = brand.baseline_repurchase_12m, brand.discount_rate
    if 1 + d - p0 <= 0:
        return None
    a0 = brand.base_ltv * (1 + d - p0) / (1 + d)
    m = brand.annual_product_margin
    if a0 > 2 * m:
        return (f"{source}: [brand] base_ltv = {brand.base_ltv:,.2f} implies an annual value "
                f"a0 = base_ltv / M(p0) = {a0:,.2f} yuan, more than twice the annual product margin "
                f"AOV x purchases_per_year x gm = {m:,.2f} yuan")
    return None


_REQUIRED = {
    "brand": ("active_customers", "avg_order_value"),
    "traditional": ("team_salary", "logistics", "quality_check", "discounted_resale_loss"),
    "value_added": ("team_salary", "logistics"),
    "leakage": tuple(f.name for f in fields(LeakageInputs)),
    "services": ("name", "kind", "price", "material_cost", "labor_cost",
                 "uses_per_user_per_year", "acceptance", "wakeup_rate"),
}
_ALLOWED = {
    "brand": tuple(f.name for f in fields(Brand)),
    "traditional": tuple(f.name for f in fields(TraditionalCosts)),
    "value_added": tuple(f.name for f in fields(ValueAddedCosts)),
    "leakage": tuple(f.name for f in fields(LeakageInputs)),
    "services": tuple(f.name for f in fields(Service)),
}
_TOP = ("name", "description", "brand", "traditional", "value_added", "leakage", "services", "ranges")


def scenario_names() -> list[str]:
    """Names of the scenario files shipped with the package, sorted.

    Returns
    -------
    list of str
        The stems of ``aftersales/data/scenarios/*.toml`` (read with :mod:`importlib.resources`,
        so an installed wheel has them too).

    Examples
    --------
    >>> scenario_names()
    ['article-headline', 'fast-fashion', 'outdoor-repair', 'seed-demo']
    """
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def scenario_path(name_or_path: str | os.PathLike) -> Path:
    """The file of a scenario, by name or path.

    Parameters
    ----------
    name_or_path : str or os.PathLike
        A shipped name (``"seed-demo"``), or a path: anything ending in ``.toml`` or holding a
        path separator.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    ScenarioError
        No such file; for a name, the message lists the shipped names.

    Examples
    --------
    >>> scenario_path("fast-fashion").name
    'fast-fashion.toml'
    """
    text = str(name_or_path)
    p = Path(text)
    if p.suffix == ".toml" or os.sep in text or "/" in text:
        if p.is_file():
            return p
        raise ScenarioError(f"{text}: no such scenario file")
    q = SCENARIO_DIR / f"{text}.toml"
    if q.is_file():
        return q
    raise ScenarioError(f"{text}: no such scenario; known names: {', '.join(scenario_names())} "
                        "(or give a path to a .toml file)")


def load_scenario(name_or_path: str | os.PathLike | Scenario) -> Scenario:
    """Load and validate a scenario by name or path.

    Parameters
    ----------
    name_or_path : str, os.PathLike or Scenario
        A shipped name (``"seed-demo"``), a path to a TOML file, or a Scenario (returned as is).

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        A missing file, invalid TOML or UTF-8, an unknown or missing key, or a value out of
        range; the message names the file, the table and the key, e.g.
        ``bad.toml: [[services]] #1 ('Basic remake') acceptance must lie in [0, 1] (a share), got 1.8``.

    Notes
    -----
    Python 3.11+ reads TOML with :mod:`tomllib`; 3.10 with ``tomli`` (a dependency there).

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article): the DEMO parameters of its script are the
       shipped ``seed-demo`` scenario.

    Examples
    --------
    The article's brand: 80,000 active customers and five services.

    >>> sc = load_scenario("seed-demo")
    >>> sc.brand.active_customers, len(sc.services)
    (80000, 5)
    >>> load_scenario(sc) is sc
    True
    """
    if isinstance(name_or_path, Scenario):
        return name_or_path
    path = scenario_path(name_or_path)
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: not valid TOML: {exc}") from None
    except UnicodeDecodeError as exc:
        raise ScenarioError(f"{path}: not UTF-8 text: {exc}") from None
    return scenario_from_dict(data, source=str(path))


def _check_keys(source: str, table: str, data: Any, where: str | None = None) -> None:
    where = where or f"[{table}]"
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: {where} must be a table, got {type(data).__name__}")
    unknown = [k for k in data if k not in _ALLOWED[table]]
    if unknown:
        raise ScenarioError(f"{source}: {where} unknown key {unknown[0]!r} "
                            f"(allowed: {', '.join(_ALLOWED[table])})")
    missing = [k for k in _REQUIRED[table] if k not in data]
    if missing:
        raise ScenarioError(f"{source}: {where} missing key {missing[0]!r}")


def _build(source: str, where: str, cls: type, data: dict) -> Any:
    try:
        return cls(**data)
    except ValueError as exc:
        msg = str(exc)
        # the model names "table.key"; turn that into the file's table and key
        for prefix in ("brand.", "traditional.", "value_added.", "leakage."):
            if msg.startswith(prefix):
                msg = msg[len(prefix):]
                break
        if msg.startswith("services["):
            msg = msg.split(".", 1)[1] if "." in msg else msg
        raise ScenarioError(f"{source}: {where} {msg}") from None


def scenario_from_dict(data: dict, source: str = "<scenario>") -> Scenario:
    """Build a Scenario from the parsed layout of a scenario file.

    Parameters
    ----------
    data : dict
        Plain data as :func:`tomllib.load` gives it (or :meth:`Scenario.to_dict` makes it).
    source : str, optional
        The file name the messages name. The scenario's name defaults to its stem.

    Returns
    -------
    Scenario

    Raises
    ------
    ScenarioError
        An unknown or missing table or key, or a value out of range, naming source, table and key.

    Notes
    -----
    ``[value_added]`` takes ``quality_check`` and ``discounted_resale_loss`` from
    ``[traditional]`` unless it gives its own: returns keep arriving.

    Examples
    --------
    >>> d = load_scenario("seed-demo").to_dict()
    >>> d["brand"]["wakeup_conversion"] = 0.5
    >>> scenario_from_dict(d).brand.wakeup_conversion
    0.5
    >>> d["brand"]["wakeup_conversion"] = 5
    >>> scenario_from_dict(d, source="mine.toml")
    Traceback (most recent call last):
    aftersales.model.scenario.ScenarioError: mine.toml: [brand] wakeup_conversion must lie in [0, 1] (a share), got 5
    """
    if not isinstance(data, dict):
        raise ScenarioError(f"{source}: the scenario must be a table")
    unknown = [k for k in data if k not in _TOP]
    if unknown:
        raise ScenarioError(f"{source}: unknown top-level key {unknown[0]!r} (allowed: {', '.join(_TOP)})")
    for table in ("brand", "traditional", "value_added", "services"):
        if table not in data:
            raise ScenarioError(f"{source}: missing table [{table}]" if table != "services"
                                else f"{source}: missing [[services]] (at least one service)")
    name = data.get("name", Path(source).stem)
    if not isinstance(name, str) or not name.strip():
        raise ScenarioError(f"{source}: key 'name' must be a non-empty text, got {name!r}")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise ScenarioError(f"{source}: key 'description' must be text, got {description!r}")

    _check_keys(source, "brand", data["brand"])
    brand = _build(source, "[brand]", Brand, data["brand"])
    _check_keys(source, "traditional", data["traditional"])
    trad = _build(source, "[traditional]", TraditionalCosts, data["traditional"])
    _check_keys(source, "value_added", data["value_added"])
    va_data = {"quality_check": trad.quality_check,
               "discounted_resale_loss": trad.discounted_resale_loss, **data["value_added"]}
    va = _build(source, "[value_added]", ValueAddedCosts, va_data)

    leakage = None
    if "leakage" in data:
        _check_keys(source, "leakage", data["leakage"])
        leakage = _build(source, "[leakage]", LeakageInputs, data["leakage"])

    svcs = data["services"]
    if not isinstance(svcs, list) or not svcs:
        raise ScenarioError(f"{source}: [[services]] must be a list of at least one table")
    services = []
    for i, s in enumerate(svcs, start=1):
        where = f"[[services]] #{i}" + (f" ({s.get('name')!r})" if isinstance(s, dict) and "name" in s else "")
        _check_keys(source, "services", s, where)
        services.append(_build(source, where, Service, s))

    ranges: dict[str, dict[str, Range]] = {}
    raw = data.get("ranges", {})
    if not isinstance(raw, dict):
        raise ScenarioError(f"{source}: [ranges] must be a table")
    for kind, inputs in raw.items():
        if kind == "brand":
            if not isinstance(inputs, dict):
                raise ScenarioError(f"{source}: [ranges.brand] must be a table")
            for key in inputs:
                if key not in BRAND_RANGE_INPUTS:
                    raise ScenarioError(f"{source}: [ranges.brand] unknown key {key!r} "
                                        f"(allowed: {', '.join(BRAND_RANGE_INPUTS)})")
        elif kind not in SERVICE_KINDS:
            raise ScenarioError(f"{source}: [ranges] unknown service kind {kind!r} "
                                f"(one of {', '.join(SERVICE_KINDS)})")
        if not isinstance(inputs, dict):
            raise ScenarioError(f"{source}: [ranges.{kind}] must be a table")
        ranges[kind] = {}
        for key, pair in inputs.items():
            if kind != "brand" and key not in RANGE_INPUTS:
                raise ScenarioError(f"{source}: [ranges.{kind}] unknown key {key!r} "
                                    f"(allowed: {', '.join(RANGE_INPUTS)})")
            if (not isinstance(pair, list) or len(pair) != 2
                    or not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pair)):
                raise ScenarioError(f"{source}: [ranges.{kind}] key {key!r} must be [low, high], got {pair!r}")
            try:
                ranges[kind][key] = Range(float(pair[0]), float(pair[1]))
            except ValueError as exc:
                raise ScenarioError(f"{source}: [ranges.{kind}] key {key!r}: {exc}") from None
    try:
        sc = Scenario(name=name, description=description, brand=brand, traditional=trad,
                      value_added=va, services=tuple(services), leakage=leakage, ranges=ranges)
    except ValueError as exc:
        raise ScenarioError(f"{source}: {exc}") from None
    message = check_consistency(brand, source)
    if message:
        warnings.warn(message, ScenarioWarning, stacklevel=2)
    return sc


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        if not math.isfinite(v):
            raise ValueError(f"cannot write {v!r} to TOML")
        return repr(v)
    if isinstance(v, str):
        return '"' + v.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    raise TypeError(f"cannot write {type(v).__name__} to TOML")


def dumps_scenario(scenario: Scenario) -> str:
    """The scenario as TOML text that :func:`load_scenario` reads back unchanged.

    Parameters
    ----------
    scenario : Scenario
        Any valid scenario; every number must be finite.

    Returns
    -------
    str
        The text of a scenario file (tables in the order of the shipped files, no comments).

    Raises
    ------
    ValueError
        A number that TOML cannot hold (NaN, infinity).

    Examples
    --------
    >>> text = dumps_scenario(load_scenario("seed-demo"))
    >>> text.splitlines()[0]
    'name = "seed-demo"'
    >>> scenario_from_dict(tomllib.loads(text)) == load_scenario("seed-demo")
    True
    """
    d = scenario.to_dict()
    lines = [f"name = {_toml_value(d['name'])}", f"description = {_toml_value(d['description'])}", ""]
    for table in ("brand", "traditional", "value_added", "leakage"):
        if table in d:
            lines.append(f"[{table}]")
            lines += [f"{k} = {_toml_value(v)}" for k, v in d[table].items()]
            lines.append("")
    for s in d["services"]:
        lines.append("[[services]]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in s.items()]
        lines.append("")
    for kind, inputs in d.get("ranges", {}).items():
        lines.append(f"[ranges.{kind}]")
        lines += [f"{k} = {_toml_value(v)}" for k, v in inputs.items()]
        lines.append("")
    return "\n".join(lines)


def save_scenario(scenario: Scenario, path: str | os.PathLike, force: bool = False) -> Path:
    """Write a scenario to a TOML file.

    Parameters
    ----------
    scenario : Scenario
        The scenario to write.
    path : str or os.PathLike
        The file to write (UTF-8).
    force : bool, optional
        Overwrite an existing file. Default False: an existing file is kept.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    FileExistsError
        The file exists and ``force`` is False.

    Examples
    --------
    A student saves a variant with 10 % more customers and reads it back:

    >>> import tempfile, pathlib
    >>> from dataclasses import replace
    >>> sc = load_scenario("seed-demo")
    >>> bigger = sc.with_changes(name="bigger", brand=replace(sc.brand, active_customers=88_000))
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> p = save_scenario(bigger, folder / "bigger.toml")
    >>> load_scenario(p) == bigger
    True
    >>> save_scenario(bigger, p)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    FileExistsError: ... exists; pass force=True to overwrite it
    """
    p = Path(path)
    if p.exists() and not force:
        raise FileExistsError(f"{p} exists; pass force=True to overwrite it")
    p.write_text(dumps_scenario(scenario), encoding="utf-8")
    return p
