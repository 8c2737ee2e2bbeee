"""The explorers' parts: sliders named like the model's inputs, the scenario they describe, the
HTML tables they show, and how a figure is written.

Input names follow the model's grammar (``brand.avg_order_value``, ``service[Basic remake].price``,
``scale.acceptance``), parsed in one place: :mod:`aftersales.model.kernel`. Every word comes from
:mod:`aftersales.glossary` in the explorer's language (``"en"``, ``"zh"``, ``"both"``).
"""
from __future__ import annotations

import html
import math
import struct
from typing import Callable, Mapping, Sequence

import ipywidgets as widgets

from aftersales.glossary import (INPUTS, fmt_margin, fmt_number, fmt_share, label, pick, scenario_name,
                                 service_name, unit_label)
from aftersales.model.evaluation import COMPARISON_ROWS, Evaluation
from aftersales.model.inputs import Scenario
from aftersales.model.kernel import ScenarioBatch, apply_parameter, get_parameter

__all__ = ["scenario_with", "css_class", "format_figure", "pnl_table_html", "service_table_html", "slider_label",
           "service_controls", "service_tabs", "float_slider", "int_slider", "share_slider", "money_slider",
           "nice_max", "png_size", "TABLE_STYLE"]


# ------------------------------------------------------------------ scenario from controls
_BATCHES: dict[int, tuple[Scenario, ScenarioBatch]] = {}


def _batch(base: Scenario) -> ScenarioBatch:
    """The kernel's batch of ``base``, built once per scenario object."""
    hit = _BATCHES.get(id(base))
    if hit is None or hit[0] is not base:
        if len(_BATCHES) > 32:
            _BATCHES.clear()
        hit = _BATCHES[id(base)] = (base, ScenarioBatch.from_scenario(base))
    return hit[1]


def scenario_with(base: Scenario, values: Mapping[str, float]) -> Scenario:
    """A copy of ``base`` with named inputs set (validated by the model's dataclasses).

    Names are those of :func:`aftersales.model.kernel.parameter_names`; ``scale.<field>`` (a
    multiplier on that field of every service) is applied after the per-service values.

    Parameters
    ----------
    base : Scenario
        The scenario the controls start from; it is not changed.
    values : mapping of str to float
        ``{input name: value}`` in the input's unit (yuan, share 0-1, uses a year; a
        ``scale.`` multiplier is a plain factor, 1 = unchanged).

    Returns
    -------
    Scenario
        ``base`` itself when nothing moved; otherwise a validated copy.

    Raises
    ------
    KeyError
        If a name is not an input of the scenario (the message names it and the choices).
    ValueError
        If a value fails the model's validation (the message names the input and its range).

    Notes
    -----
    Only the inputs whose value differs from ``base`` are applied (a slider left alone costs
    nothing), and a scale of exactly 1 is skipped.

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> sc = load_scenario("seed-demo")
    >>> moved = scenario_with(sc, {"service[Basic remake].price": 400.0, "scale.acceptance": 1.5})
    >>> moved.services[0].price, round(moved.services[0].acceptance, 4), sc.services[0].price
    (400.0, 0.27, 280.0)
    >>> scenario_with(sc, {"service[Basic remake].price": 280.0}) is sc
    True
    """
    sc, scales = base, []
    batch = _batch(base)
    for path, value in values.items():
        if path.startswith("scale."):
            scales.append((path, value))
        elif float(get_parameter(batch, path)[0]) != float(value):  # only what moved
            sc = apply_parameter(sc, path, value)
    for path, value in scales:
        if float(value) != 1.0:
            sc = apply_parameter(sc, path, value)
    return sc


# ------------------------------------------------------------------ formatting
def css_class(key: str, method: str | None = None) -> str:
    """The CSS class of a figure in the explorers' HTML: ``va_net`` + corrected -> ``va-net-corrected``.

    Parameters
    ----------
    key : str
        A figure's key.
    method : str or None, optional
        ``"seed"`` or ``"corrected"``, appended when given.

    Returns
    -------
    str
        The key with hyphens for underscores, then ``-<method>``.

    Examples
    --------
    >>> css_class("va_net", "corrected"), css_class("total_effect")
    ('va-net-corrected', 'total-effect')
    """
    name = key.replace("_", "-")
    return f"{name}-{method}" if method else name


def format_figure(value: float | None, unit: str = "yuan") -> str:
    """A figure as displayed: yuan and people whole with thousands separators, shares in %
    with three decimals, None as a dash.

    Parameters
    ----------
    value : float or None
        The figure: yuan, people, or a share 0-1.
    unit : str, optional
        ``"share"`` for a share; any other unit (default ``"yuan"``) is shown as a whole number.

    Returns
    -------
    str
        The text; an en dash for ``None`` or NaN.

    Examples
    --------
    >>> format_figure(1234567.8), format_figure(0.12345, "share"), format_figure(None)
    ('1,234,568', '12.345%', '–')
    """
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "\u2013"
    return fmt_share(value, 3) if unit == "share" else fmt_number(value)


def _span(key: str, method: str | None, value: float | None, unit: str) -> str:
    raw = "" if value is None else f' data-value="{float(value)!r}"'
    return f'<span class="{css_class(key, method)}"{raw}>{html.escape(format_figure(value, unit))}</span>'


TABLE_STYLE = ("<style>.aftersales-table{border-collapse:collapse;font-size:13px;margin:4px 0}"
               ".aftersales-table th,.aftersales-table td{padding:2px 10px;border-bottom:1px solid #ddd}"
               ".aftersales-table td{text-align:right}.aftersales-table td:first-child{text-align:left}"
               "</style>")


def _unit(unit: str, lang: str) -> str:
    return pick("share", "比例", lang) if unit == "share" else unit_label(unit, lang)


def pnl_table_html(evaluations: Mapping[str, Evaluation], lang: str = "en") -> str:
    """The P&L of both methods as an HTML table; each figure sits in a span whose class is
    :func:`css_class` of its key and method (``va-net-corrected``) with the unrounded value in
    ``data-value``.

    Parameters
    ----------
    evaluations : mapping of str to Evaluation
        ``{"seed": ..., "corrected": ...}``, both of the same scenario.
    lang : {"en", "zh", "both"}, optional
        Language of the words (default ``"en"``).

    Returns
    -------
    str
        :data:`TABLE_STYLE` and one ``<table>``: a row per figure of the comparison table
        (money in yuan a year), the scenario's name in ``data-scenario``.

    Raises
    ------
    KeyError
        If a method is missing.

    Examples
    --------
    >>> import re
    >>> from aftersales import evaluate
    >>> html_text = pnl_table_html({m: evaluate("seed-demo", m) for m in ("seed", "corrected")})
    >>> re.search(r'<span class="va-net-corrected"[^>]*>[^<]*</span>', html_text).group(0)
    '<span class="va-net-corrected" data-value="-1428000.0">-1,428,000</span>'
    """
    seed, corr = evaluations["seed"], evaluations["corrected"]
    rows = []
    for _, key, unit in COMPARISON_ROWS:
        rows.append(f"<tr><td>{html.escape(label(key, lang))}</td><td>{_span(key, 'seed', seed[key], unit)}</td>"
                    f"<td>{_span(key, 'corrected', corr[key], unit)}</td><td>{_unit(unit, lang)}</td></tr>")
    name = html.escape(corr.scenario.name)
    head = "".join(f"<th>{html.escape(label(k, lang))}</th>" for k in ("figure", "seed", "corrected", "unit"))
    caption = html.escape(label("pnl_caption", lang, scenario=scenario_name(corr.scenario.name, lang)))
    return (f'{TABLE_STYLE}<table class="aftersales-table aftersales-pnl" data-scenario="{name}">'
            f"<caption style='text-align:left;font-weight:bold'>{caption}</caption>"
            f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def service_table_html(ev: Evaluation, lang: str = "en") -> str:
    """Revenue, cost, contribution (yuan) and gross margin per service; a free service says so.

    Parameters
    ----------
    ev : Evaluation
        One evaluation of a scenario.
    lang : {"en", "zh", "both"}, optional
        Language of the words (default ``"en"``).

    Returns
    -------
    str
        :data:`TABLE_STYLE` and one ``<table>``, a row per service (yuan a year); revenue, cost
        and margin sit in spans with classes ``revenue``, ``cost``, ``gross-margin`` and the
        service's name in ``data-service``.

    Examples
    --------
    >>> import re
    >>> from aftersales import evaluate
    >>> html_text = service_table_html(evaluate("seed-demo", "corrected"))
    >>> html_text.count("<tr>")          # the head and five services
    6
    >>> re.search(r"<span class='revenue' data-service='Basic remake'>[^<]*</span>", html_text).group(0)
    "<span class='revenue' data-service='Basic remake'>1,612,800</span>"
    """
    rows = []
    for s, svc in zip(ev.services, ev.scenario.services):
        n = html.escape(s["name"])
        rows.append(f"<tr><td>{html.escape(service_name(s['name'], lang, s['kind']))}</td>"
                    f"<td><span class='revenue' data-service='{n}'>{format_figure(s['revenue'])}</span></td>"
                    f"<td><span class='cost' data-service='{n}'>{format_figure(s['cost'])}</span></td>"
                    f"<td>{format_figure(s['revenue'] - s['cost'])}</td>"
                    f"<td><span class='gross-margin' data-service='{n}'>"
                    f"{html.escape(fmt_margin(s['gross_margin'], svc.price, lang))}</span></td></tr>")
    head = [label("service", lang)] + [label("yuan_col", lang, name=label(k, lang))
                                       for k in ("revenue", "cost", "contribution")] + [label("margin", lang)]
    return (f"{TABLE_STYLE}<table class='aftersales-table'><thead><tr>"
            + "".join(f"<th>{html.escape(h)}</th>" for h in head) + f"</tr></thead><tbody>{''.join(rows)}</tbody></table>")


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels of a PNG, read from its header.

    Parameters
    ----------
    png : bytes
        A PNG file's bytes (at least its first 24: signature and IHDR chunk).

    Returns
    -------
    tuple of (int, int)
        Width and height, pixels. The signature is not checked.

    Examples
    --------
    >>> header = b"\\x89PNG\\r\\n\\x1a\\n" + b"\\x00\\x00\\x00\\rIHDR" + (640).to_bytes(4, "big") + (480).to_bytes(4, "big")
    >>> png_size(header)
    (640, 480)
    """
    return struct.unpack(">II", png[16:24])


# ------------------------------------------------------------------ sliders
def nice_max(x: float) -> float:
    """A round number at or above x (1, 2, 2.5, 5 x 10^k).

    Parameters
    ----------
    x : float
        A positive number (a slider's top, in the input's unit).

    Returns
    -------
    float
        The smallest m x 10^k >= x with m in 1, 2, 2.5, 5, 10; 1.0 for x <= 0.

    Examples
    --------
    >>> nice_max(3), nice_max(1600), nice_max(2100), nice_max(0)
    (5.0, 2000.0, 2500.0, 1.0)
    """
    if x <= 0:
        return 1.0
    k = 10 ** math.floor(math.log10(x))
    for m in (1, 2, 2.5, 5, 10):
        if m * k >= x:
            return float(m * k)
    return float(10 * k)


_STYLE = {"description_width": "190px"}
_SUFFIX = {"price": "yuan", "material_cost": "yuan", "labor_cost": "yuan", "avg_order_value": "yuan",
           "acceptance": "share", "wakeup_rate": "share"}


def slider_label(field: str, lang: str = "en") -> str:
    """A slider's description: ``price (yuan)``, ``价格(元)``.

    Parameters
    ----------
    field : str
        An input of a service or brand (a key of the glossary's ``INPUTS``).
    lang : {"en", "zh", "both"}, optional
        Language of the words (default ``"en"``).

    Returns
    -------
    str
        The input's name, with its unit for money (yuan) and shares.

    Raises
    ------
    KeyError
        If the glossary has no such input.

    Examples
    --------
    >>> slider_label("price"), slider_label("price", "zh"), slider_label("uses_per_user_per_year")
    ('price (yuan)', '价格(元)', 'uses per user per year')
    """
    t = INPUTS[field]
    unit = _SUFFIX.get(field)
    if unit is None:
        return t(lang)
    en_u, zh_u = ("yuan", "元") if unit == "yuan" else ("share", "比例")
    return pick(f"{t.en} ({en_u})", f"{t.zh}({zh_u})", lang)


def float_slider(description: str, value: float, low: float, high: float, step: float,
                 fmt: str = ".2f") -> widgets.FloatSlider:
    """A slider for a number, widened to hold ``value``.

    Parameters
    ----------
    description : str
        The label (:func:`slider_label`).
    value : float
        The start value, in the input's unit.
    low, high : float
        The range; stretched to include ``value`` if it lies outside.
    step : float
        The step.
    fmt : str, optional
        Format of the readout (default ``".2f"``).

    Returns
    -------
    ipywidgets.FloatSlider
        Updated on release (``continuous_update=False``), 500 px wide.

    Examples
    --------
    >>> s = float_slider("uses per user per year", 5.0, 0.0, 3.0, 0.05)
    >>> s.value, s.max
    (5.0, 5.0)
    """
    return widgets.FloatSlider(value=value, min=min(low, value), max=max(high, value), step=step,
                               description=description, continuous_update=False, readout_format=fmt,
                               style=_STYLE, layout=widgets.Layout(width="500px"))


def int_slider(description: str, value: int, low: int, high: int, step: int) -> widgets.IntSlider:
    """A slider for a whole number, widened to hold ``value``.

    Parameters
    ----------
    description : str
        The label.
    value : int
        The start value.
    low, high : int
        The range; stretched to include ``value``.
    step : int
        The step.

    Returns
    -------
    ipywidgets.IntSlider
        Updated on release, 500 px wide.

    Examples
    --------
    >>> s = int_slider("active customers", 20_000, 0, 50_000, 1_000)
    >>> s.value, s.max, s.description
    (20000, 50000, 'active customers')
    """
    return widgets.IntSlider(value=value, min=min(low, value), max=max(high, value), step=step,
                             description=description, continuous_update=False, style=_STYLE,
                             layout=widgets.Layout(width="500px"))


def share_slider(description: str, value: float) -> widgets.FloatSlider:
    """A slider for a share 0-1 in steps of 0.005, read out with three decimals.

    Parameters
    ----------
    description : str
        The label.
    value : float
        The start share, 0-1.

    Returns
    -------
    ipywidgets.FloatSlider
        Updated on release (``continuous_update=False``), 500 px wide.

    Examples
    --------
    >>> s = share_slider("acceptance (share)", 0.18)
    >>> s.value, s.min, s.max, s.step
    (0.18, 0.0, 1.0, 0.005)
    """
    return float_slider(description, value, 0.0, 1.0, 0.005, ".3f")


def money_slider(description: str, value: float, at_least: float = 10.0) -> widgets.FloatSlider:
    """A slider for an amount of yuan, from 0 to a round number at least twice ``value``.

    Parameters
    ----------
    description : str
        The label.
    value : float
        The start amount, yuan.
    at_least : float, optional
        The lowest top of the slider, yuan (default 10).

    Returns
    -------
    ipywidgets.FloatSlider
        Updated on release (``continuous_update=False``), 500 px wide.

    Notes
    -----
    top = :func:`nice_max` (max(2 x value, at_least)); step 1 yuan up to a top of 2,000 yuan,
    10 yuan above.

    Examples
    --------
    >>> s = money_slider("price (yuan)", 280.0)
    >>> s.value, s.max, s.step
    (280.0, 1000.0, 1.0)
    >>> money_slider("price (yuan)", 1600.0).max
    5000.0
    """
    high = nice_max(max(2 * value, at_least))
    return float_slider(description, value, 0.0, high, 1.0 if high <= 2000 else 10.0, ".0f")


_MAKERS: dict[str, Callable[[str, float], widgets.Widget] | None] = {
    "price": lambda d, v: money_slider(d, v, 10.0),
    "acceptance": share_slider,
    "uses_per_user_per_year": lambda d, v: float_slider(d, v, 0.0, nice_max(max(3.0, 3 * v)), 0.05),
    "wakeup_rate": share_slider,
    "material_cost": None,
    "labor_cost": None,
}


def service_controls(sc: Scenario, fields: Sequence[str], lang: str = "en") -> dict[str, widgets.Widget]:
    """One slider per service and field, named ``service[<name>].<field>``.

    Parameters
    ----------
    sc : Scenario
        The scenario whose services get sliders, at their current values.
    fields : sequence of str
        Service inputs among ``price``, ``acceptance``, ``uses_per_user_per_year``,
        ``wakeup_rate``, ``material_cost``, ``labor_cost``.
    lang : {"en", "zh", "both"}, optional
        Language of the words (default ``"en"``).

    Returns
    -------
    dict of str to ipywidgets.Widget
        Keyed by input name, service by service, fields in the order given.

    Raises
    ------
    KeyError
        If a field has no slider.

    Notes
    -----
    Prices and costs get a :func:`money_slider`; a cost reaches at least the service's price,
    so its margin can be slid down to 0. Shares get a :func:`share_slider`; uses a year
    reach a round number at least 3 (or three times the value).

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> controls = service_controls(load_scenario("seed-demo"), ["price", "acceptance"])
    >>> len(controls), sorted(controls)[0]
    (10, 'service[Basic remake].acceptance')
    >>> controls["service[Basic remake].price"].description
    'price (yuan)'
    """
    out = {}
    for s in sc.services:
        for fld in fields:
            make, desc, value = _MAKERS[fld], slider_label(fld, lang), float(getattr(s, fld))
            if make is None:  # a cost: up to the price at least, so the margin can reach 0
                out[f"service[{s.name}].{fld}"] = money_slider(desc, value, max(10.0, s.price))
            else:
                out[f"service[{s.name}].{fld}"] = make(desc, value)
    return out


def service_tabs(sc: Scenario, controls: Mapping[str, widgets.Widget], lang: str = "en") -> widgets.Tab:
    """A tab per service holding its sliders.

    Parameters
    ----------
    sc : Scenario
        The scenario; its services in order make the tabs.
    controls : mapping of str to ipywidgets.Widget
        Sliders named ``service[<name>].<field>`` (:func:`service_controls`); others are left
        out.
    lang : {"en", "zh", "both"}, optional
        Language of the words (default ``"en"``).

    Returns
    -------
    ipywidgets.Tab
        One VBox per service, titled with the service's name in ``lang``.

    Examples
    --------
    >>> from aftersales import load_scenario
    >>> sc = load_scenario("seed-demo")
    >>> tabs = service_tabs(sc, service_controls(sc, ["price", "acceptance"]))
    >>> len(tabs.children), tabs.titles[0], len(tabs.children[0].children)
    (5, 'Basic remake', 2)
    """
    children, titles = [], []
    for s in sc.services:
        prefix = f"service[{s.name}]."
        children.append(widgets.VBox([w for k, w in controls.items() if k.startswith(prefix)]))
        titles.append(service_name(s.name, lang, s.kind))
    return widgets.Tab(children=children, titles=titles)
