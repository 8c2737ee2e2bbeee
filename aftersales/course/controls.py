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
    """The CSS class of a figure in the explorers' HTML: ``va_net`` + corrected -> ``va-net-corrected``."""
    name = key.replace("_", "-")
    return f"{name}-{method}" if method else name


def format_figure(value: float | None, unit: str = "yuan") -> str:
    """A figure as displayed: yuan and people whole with thousands separators, shares in %
    with three decimals, None as a dash."""
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
    ``data-value``."""
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
    """Revenue, cost, contribution (yuan) and gross margin per service; a free service says so."""
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
    """(width, height) in pixels of a PNG, read from its header."""
    return struct.unpack(">II", png[16:24])


# ------------------------------------------------------------------ sliders
def nice_max(x: float) -> float:
    """A round number at or above x (1, 2, 2.5, 5 x 10^k)."""
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
    """A slider's description: ``price (yuan)``, ``价格(元)``."""
    t = INPUTS[field]
    unit = _SUFFIX.get(field)
    if unit is None:
        return t(lang)
    en_u, zh_u = ("yuan", "元") if unit == "yuan" else ("share", "比例")
    return pick(f"{t.en} ({en_u})", f"{t.zh}({zh_u})", lang)


def float_slider(description: str, value: float, low: float, high: float, step: float,
                 fmt: str = ".2f") -> widgets.FloatSlider:
    return widgets.FloatSlider(value=value, min=min(low, value), max=max(high, value), step=step,
                               description=description, continuous_update=False, readout_format=fmt,
                               style=_STYLE, layout=widgets.Layout(width="500px"))


def int_slider(description: str, value: int, low: int, high: int, step: int) -> widgets.IntSlider:
    return widgets.IntSlider(value=value, min=min(low, value), max=max(high, value), step=step,
                             description=description, continuous_update=False, style=_STYLE,
                             layout=widgets.Layout(width="500px"))


def share_slider(description: str, value: float) -> widgets.FloatSlider:
    return float_slider(description, value, 0.0, 1.0, 0.005, ".3f")


def money_slider(description: str, value: float, at_least: float = 10.0) -> widgets.FloatSlider:
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
    """One slider per service and field, named ``service[<name>].<field>``."""
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
    """A tab per service holding its sliders."""
    children, titles = [], []
    for s in sc.services:
        prefix = f"service[{s.name}]."
        children.append(widgets.VBox([w for k, w in controls.items() if k.startswith(prefix)]))
        titles.append(service_name(s.name, lang, s.kind))
    return widgets.Tab(children=children, titles=titles)
