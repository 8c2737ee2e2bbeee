"""What-if explorers for the notebooks and the app: sliders that redraw figures.

Every explorer follows one pattern (:class:`Explorer`):

- ``.controls``: name -> widget, named like the model's parameters
  (``"brand.avg_order_value"``, ``"service[Basic remake].price"``, ``"scale.acceptance"``);
- ``.output``: an ``ipywidgets.Output`` of fixed height holding the figures;
- ``.widget``: the whole layout, to display (displaying the explorer itself works too);
- ``.last``: the figures last computed; ``.last_error``: the exception of the last failed
  redraw (None after a good one); ``.redraw_count``: redraws done so far;
- ``.scenario()``: the Scenario the controls describe, the one the figures were computed from.

Sliders use ``continuous_update=False`` and each change of a value triggers exactly one
recomputation (through :mod:`aftersales.model.evaluation`) and one redraw. An exception in a
callback is shown in the output and kept in ``.last_error``, never lost. The outputs are
replaced in one assignment, so the area does not flicker and a test can read them headless.
The first drawing happens when the explorer is built.

- :func:`service_explorer`: price, acceptance, frequency and costs per service, redrawing
  :func:`aftersales.course.charts.service_economics_chart`;
- :func:`pnl_explorer`: the what-if app (scenario picker, each service's price, acceptance,
  frequency and wake-up rate, the brand's customers and order value; live P&L table for
  both methods, the seed-vs-corrected comparison and the dashboard);
- :func:`lifecycle_explorer`: repurchase, wake-up conversion, discount rate and an acceptance
  multiplier, redrawing the cohort chart and showing p1 and LTV.
"""
from __future__ import annotations

import base64
import html
import math
import re
import traceback
from dataclasses import replace
from typing import Any, Callable, Iterable, Mapping, Sequence

import ipywidgets as widgets

import aftersales.course.charts as plotting
from aftersales.model.evaluation import COMPARISON_ROWS, Evaluation, evaluate
from aftersales.model.inputs import Scenario
from aftersales.model.scenario import load_scenario, scenario_names

__all__ = ["Explorer", "FunctionExplorer", "explorer", "ServiceExplorer", "PnLExplorer", "LifecycleExplorer", "service_explorer",
           "pnl_explorer", "lifecycle_explorer", "scenario_with", "pnl_table_html", "css_class",
           "format_figure"]

#: Resolution of the figures drawn in an explorer (dots per inch).
EXPLORER_DPI = 80
_SERVICE_RE = re.compile(r"^service\[(?P<name>[^\]]+)\]\.(?P<field>\w+)$")
_SERVICE_FIELDS = ("price", "material_cost", "labor_cost", "uses_per_user_per_year", "acceptance",
                   "wakeup_rate", "ltv_extension", "months_per_use")
_BRAND_FIELDS = ("active_customers", "avg_order_value", "base_ltv", "return_rate",
                 "purchases_per_year", "baseline_repurchase_12m", "wakeup_conversion",
                 "product_gross_margin", "discount_rate")


# ------------------------------------------------------------------ scenario from controls
def scenario_with(base: Scenario, values: Mapping[str, float]) -> Scenario:
    """A copy of ``base`` with named inputs set (validated by the model's dataclasses).

    Names: ``brand.<field>``, ``service[<name>].<field>`` and ``scale.acceptance`` (a multiplier
    on every service's acceptance, applied after the per-service values).
    """
    brand: dict[str, Any] = {}
    per_service: dict[str, dict[str, float]] = {}
    scale = 1.0
    for path, value in values.items():
        if path.startswith("brand."):
            fld = path[6:]
            if fld not in _BRAND_FIELDS:
                raise KeyError(f"unknown parameter {path!r}")
            brand[fld] = int(value) if fld == "active_customers" else float(value)
        elif path == "scale.acceptance":
            scale = float(value)
        else:
            m = _SERVICE_RE.match(path)
            if not m or m["field"] not in _SERVICE_FIELDS:
                raise KeyError(f"unknown parameter {path!r}")
            per_service.setdefault(m["name"], {})[m["field"]] = float(value)
    known = {s.name for s in base.services}
    for name in per_service:
        if name not in known:
            raise KeyError(f"no service {name!r} in scenario {base.name!r}")
    services = []
    for s in base.services:
        changes = per_service.get(s.name, {})
        if scale != 1.0:
            changes = {**changes, "acceptance": changes.get("acceptance", s.acceptance) * scale}
        services.append(replace(s, **changes) if changes else s)
    return replace(base, brand=replace(base.brand, **brand) if brand else base.brand,
                   services=tuple(services))


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
    if unit == "share":
        return f"{100 * value:.3f}%"
    text = f"{value:,.0f}"
    return "0" if text == "-0" else text


def _span(key: str, method: str | None, value: float | None, unit: str) -> str:
    raw = "" if value is None else f' data-value="{float(value)!r}"'
    return (f'<span class="{css_class(key, method)}"{raw}>'
            f"{html.escape(format_figure(value, unit))}</span>")


_TABLE_STYLE = ("<style>.aftersales-table{border-collapse:collapse;font-size:13px;margin:4px 0}"
                ".aftersales-table th,.aftersales-table td{padding:2px 10px;border-bottom:1px solid #ddd}"
                ".aftersales-table td{text-align:right}.aftersales-table td:first-child{text-align:left}"
                "</style>")
_UNIT_NAMES = {"yuan": "yuan", "people": "customers", "share": "share"}


def pnl_table_html(evaluations: Mapping[str, Evaluation]) -> str:
    """The P&L of both methods as an HTML table; each figure sits in a span whose class is
    :func:`css_class` of its key and method (``va-net-corrected``) with the unrounded value in
    ``data-value``."""
    seed, corr = evaluations["seed"], evaluations["corrected"]
    rows = []
    for lab, key, unit in COMPARISON_ROWS:
        rows.append(f"<tr><td>{html.escape(lab)}</td><td>{_span(key, 'seed', seed[key], unit)}</td>"
                    f"<td>{_span(key, 'corrected', corr[key], unit)}</td>"
                    f"<td>{_UNIT_NAMES.get(unit, unit)}</td></tr>")
    name = html.escape(corr.scenario.name)
    return (f'{_TABLE_STYLE}<table class="aftersales-table aftersales-pnl" data-scenario="{name}">'
            f"<caption style='text-align:left;font-weight:bold'>Annual P&amp;L, {name} (yuan per year)"
            "</caption><thead><tr><th>figure</th><th>seed</th><th>corrected</th><th>unit</th></tr>"
            f"</thead><tbody>{''.join(rows)}</tbody></table>")


def _figure_output(fig) -> dict:
    png = plotting.to_png(fig, dpi=EXPLORER_DPI, tight=False)  # constrained layout fits already
    return {"output_type": "display_data",
            "data": {"image/png": base64.b64encode(png).decode("ascii"),
                     "text/plain": f"<figure: {len(fig.axes)} axes>"},
            "metadata": {}}


def _html_output(text: str) -> dict:
    return {"output_type": "display_data", "data": {"text/html": text, "text/plain": "<table>"},
            "metadata": {}}


def _error_output(exc: BaseException) -> dict:
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-3))
    return {"output_type": "stream", "name": "stderr",
            "text": f"Could not redraw: {type(exc).__name__}: {exc}\n\n{tb}"}


# ------------------------------------------------------------------ sliders
def _nice_max(x: float) -> float:
    """A round number at or above x (1, 2, 2.5, 5 x 10^k)."""
    if x <= 0:
        return 1.0
    k = 10 ** math.floor(math.log10(x))
    for m in (1, 2, 2.5, 5, 10):
        if m * k >= x:
            return float(m * k)
    return float(10 * k)


def _float_slider(description: str, value: float, low: float, high: float, step: float,
                  fmt: str = ".2f") -> widgets.FloatSlider:
    high = max(high, value)
    low = min(low, value)
    return widgets.FloatSlider(value=value, min=low, max=high, step=step, description=description,
                               continuous_update=False, readout_format=fmt,
                               style={"description_width": "170px"},
                               layout=widgets.Layout(width="480px"))


def _int_slider(description: str, value: int, low: int, high: int, step: int) -> widgets.IntSlider:
    return widgets.IntSlider(value=value, min=min(low, value), max=max(high, value), step=step,
                             description=description, continuous_update=False,
                             style={"description_width": "170px"},
                             layout=widgets.Layout(width="480px"))


def _share_slider(description: str, value: float) -> widgets.FloatSlider:
    return _float_slider(description, value, 0.0, 1.0, 0.005, ".3f")


def _money_slider(description: str, value: float, at_least: float = 10.0) -> widgets.FloatSlider:
    high = _nice_max(max(2 * value, at_least))
    step = 1.0 if high <= 2000 else 10.0
    return _float_slider(description, value, 0.0, high, step, ".0f")


_SERVICE_SLIDERS: dict[str, tuple[str, Callable[[str, float], widgets.Widget]]] = {
    "price": ("price (yuan)", lambda d, v: _money_slider(d, v, 10.0)),
    "acceptance": ("acceptance (share)", _share_slider),
    "uses_per_user_per_year": ("uses per user per year",
                               lambda d, v: _float_slider(d, v, 0.0, _nice_max(max(3.0, 3 * v)), 0.05)),
    "wakeup_rate": ("wake-up rate (share)", _share_slider),
    "material_cost": ("material cost (yuan)", None),
    "labor_cost": ("labour cost (yuan)", None),
}


def _service_controls(sc: Scenario, fields: Sequence[str]) -> dict[str, widgets.Widget]:
    out = {}
    for s in sc.services:
        for fld in fields:
            desc, make = _SERVICE_SLIDERS[fld]
            value = float(getattr(s, fld))
            if make is None:  # a cost: up to the price at least, so the margin can reach 0
                out[f"service[{s.name}].{fld}"] = _money_slider(desc, value, max(10.0, s.price))
            else:
                out[f"service[{s.name}].{fld}"] = make(desc, value)
    return out


def _service_tabs(sc: Scenario, controls: Mapping[str, widgets.Widget]) -> widgets.Tab:
    children, titles = [], []
    for s in sc.services:
        prefix = f"service[{s.name}]."
        children.append(widgets.VBox([w for k, w in controls.items() if k.startswith(prefix)]))
        titles.append(s.name)
    return widgets.Tab(children=children, titles=titles)


# ------------------------------------------------------------------ the pattern
class Explorer:
    """Controls, a fixed-height output, one recomputation and one redraw per change.

    Subclasses set ``self._base`` (the Scenario) and the controls, then call
    :meth:`_start`; they define :meth:`compute` (the model, returns ``.last``) and
    :meth:`render` (figures and HTML from that result).
    """

    #: Controls that are not model inputs (not passed to :func:`scenario_with`).
    _NOT_INPUTS = frozenset({"scenario", "method"})

    def __init__(self, base: Scenario, *, method: str = "corrected", lang: str = "en",
                 height: str = "500px") -> None:
        if lang not in plotting.LANGS:
            raise ValueError(f"lang must be one of {', '.join(plotting.LANGS)}, got {lang!r}")
        if method not in ("seed", "corrected"):
            raise ValueError(f"method must be seed or corrected, got {method!r}")
        self._base = base
        self.method = method
        self.lang = lang
        self.controls: dict[str, widgets.Widget] = {}
        self.output = widgets.Output(layout=widgets.Layout(height=height, overflow="auto",
                                                           border="1px solid #e0e0e0"))
        self.last: Any = None
        self.last_error: BaseException | None = None
        self.redraw_count = 0
        self.widget: widgets.Widget = widgets.VBox()

    # -- wiring
    def _watch(self, controls: Iterable[widgets.Widget]) -> None:
        for w in controls:
            w.observe(self._on_change, names="value")

    def _unwatch(self, controls: Iterable[widgets.Widget]) -> None:
        for w in controls:
            w.unobserve(self._on_change, names="value")

    def _on_change(self, change: dict) -> None:
        self.refresh()

    def _start(self) -> None:
        self._watch(self.controls.values())
        self.refresh()

    # -- model and drawing
    def scenario(self) -> Scenario:
        """The Scenario the controls describe now."""
        values = {k: w.value for k, w in self.controls.items() if k not in self._NOT_INPUTS}
        return scenario_with(self._base, values)

    def compute(self) -> Any:  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def render(self, result: Any) -> list:  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def refresh(self) -> bool:
        """Recompute and redraw once; on an exception show it in the output and keep it in
        ``last_error``. Returns True when the redraw succeeded."""
        try:
            result = self.compute()
            items = self.render(result)
            outputs = tuple(_figure_output(x) if hasattr(x, "savefig") else
                            _html_output(x) if isinstance(x, str) else x for x in items)
        except Exception as exc:  # shown to the student, not lost in the kernel log
            self.last_error = exc
            self.output.outputs = (_error_output(exc),)
            return False
        self.last = result
        self.last_error = None
        self.output.outputs = outputs
        self.redraw_count += 1
        return True

    # -- display
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def output_html(self) -> str:
        """The text/html parts of the output, joined (for tests and quick checks)."""
        return "\n".join(o.get("data", {}).get("text/html", "") for o in self.output.outputs)

    def output_text(self) -> str:
        """The stream text of the output (error messages)."""
        return "".join(o.get("text", "") for o in self.output.outputs)


class FunctionExplorer(Explorer):
    """An explorer from plain functions, for a notebook's own what-if:
    ``compute(values)`` gets {control name: value} and returns ``.last``;
    ``render(result)`` returns figures and HTML strings to show."""

    def __init__(self, controls: Mapping[str, widgets.Widget], compute: Callable[[dict], Any],
                 render: Callable[[Any], Iterable], *, height: str = "450px") -> None:
        super().__init__(None, height=height)  # type: ignore[arg-type]
        self.controls = dict(controls)
        for w in self.controls.values():
            if hasattr(w, "continuous_update"):
                w.continuous_update = False  # one redraw when the slider is let go
        self._compute_fn, self._render_fn = compute, render
        self.widget = widgets.VBox([widgets.VBox(list(self.controls.values())), self.output])
        self._start()

    def scenario(self) -> Scenario:
        raise TypeError("a FunctionExplorer has no scenario of its own; see its compute function")

    def compute(self) -> Any:
        return self._compute_fn({k: w.value for k, w in self.controls.items()})

    def render(self, result: Any) -> list:
        return list(self._render_fn(result))


def explorer(controls: Mapping[str, widgets.Widget], compute: Callable[[dict], Any],
             render: Callable[[Any], Iterable], height: str = "450px") -> FunctionExplorer:
    """The explorer pattern for any model: controls, compute(values) -> result, render(result) ->
    figures / HTML. Example::

        ex = explorer({"a": FloatSlider(value=0.2, max=1)},
                      lambda v: evaluate(scenario_with(sc, {"scale.acceptance": v["a"]})),
                      lambda ev: [plotting.dashboard(ev)])
    """
    return FunctionExplorer(controls, compute, render, height=height)


def _resolve(scenario) -> tuple[Scenario, list[str], str, dict[str, Scenario]]:
    """(the scenario, the names a picker offers, the name picked first, scenarios given as
    objects or paths by their name: picking that name returns them, not a shipped file)."""
    if isinstance(scenario, (list, tuple)):
        if not scenario:
            raise ValueError("give at least one scenario name")
        names = [str(n) for n in scenario]
        return load_scenario(names[0]), names, names[0], {}
    shipped = scenario_names()
    if isinstance(scenario, str) and scenario in shipped:
        return load_scenario(scenario), shipped, scenario, {}
    sc = load_scenario(scenario)
    names = shipped if sc.name in shipped else [sc.name] + shipped
    return sc, names, sc.name, {sc.name: sc}


# ------------------------------------------------------------------ service matrix
class ServiceExplorer(Explorer):
    """Price, acceptance, uses per year, material and labour cost per service (one tab each),
    redrawing revenue, cost and margin. ``.last`` is the Evaluation."""

    FIELDS = ("price", "acceptance", "uses_per_user_per_year", "material_cost", "labor_cost")

    def __init__(self, scenario, method: str = "corrected", lang: str = "en",
                 height: str = "470px") -> None:
        super().__init__(load_scenario(scenario), method=method, lang=lang, height=height)
        self.controls = _service_controls(self._base, self.FIELDS)
        self.summary = widgets.HTML()
        self.widget = widgets.VBox([_service_tabs(self._base, self.controls), self.summary, self.output])
        self._start()

    def compute(self) -> Evaluation:
        return evaluate(self.scenario(), self.method)

    def render(self, ev: Evaluation) -> list:
        rows = "".join(
            f"<tr><td>{html.escape(s['name'])}</td>"
            f"<td><span class='revenue' data-service='{html.escape(s['name'])}'>{format_figure(s['revenue'])}</span></td>"
            f"<td><span class='cost' data-service='{html.escape(s['name'])}'>{format_figure(s['cost'])}</span></td>"
            f"<td>{format_figure(s['revenue'] - s['cost'])}</td>"
            f"<td><span class='gross-margin' data-service='{html.escape(s['name'])}'>"
            f"{100 * s['gross_margin']:.1f}%</span></td></tr>" for s in ev.services)
        self.summary.value = (f"{_TABLE_STYLE}<table class='aftersales-table'><thead><tr><th>service</th>"
                              "<th>revenue (yuan)</th><th>cost (yuan)</th><th>contribution (yuan)</th>"
                              f"<th>gross margin</th></tr></thead><tbody>{rows}</tbody></table>")
        return [plotting.service_economics_chart(ev, lang=self.lang)]


def service_explorer(scenario="seed-demo", method: str = "corrected", lang: str = "en") -> ServiceExplorer:
    """The service-matrix explorer: sliders per service redrawing revenue, cost and margin."""
    return ServiceExplorer(scenario, method=method, lang=lang)


# ------------------------------------------------------------------ the P&L app
class PnLExplorer(Explorer):
    """The what-if app: scenario picker, brand and per-service sliders, the P&L of both
    methods (``.table``, an HTML widget), the seed-vs-corrected comparison and the dashboard.
    ``.last`` is ``{"seed": Evaluation, "corrected": Evaluation}``."""

    FIELDS = ("price", "acceptance", "uses_per_user_per_year", "wakeup_rate")

    def __init__(self, scenario="seed-demo", method: str = "corrected", lang: str = "en",
                 height: str = "1300px", figures: Sequence[str] = ("comparison", "dashboard")) -> None:
        base, names, first, custom = _resolve(scenario)
        super().__init__(base, method=method, lang=lang, height=height)
        unknown = set(figures) - {"comparison", "dashboard"}
        if unknown:
            raise ValueError(f"figures may be comparison and dashboard, got {sorted(unknown)}")
        self.figures = tuple(figures)
        self._custom = custom
        self.picker = widgets.Dropdown(options=names, value=first, description="scenario",
                                       style={"description_width": "80px"})
        self.method_picker = widgets.ToggleButtons(options=[("corrected", "corrected"), ("seed", "seed")],
                                                   value=method, description="dashboard",
                                                   style={"description_width": "80px",
                                                          "button_width": "90px"})
        self.table = widgets.HTML()
        self._brand_box = widgets.VBox()
        self._service_box = widgets.VBox()
        self.widget = widgets.VBox([
            widgets.HBox([self.picker, self.method_picker]),
            widgets.HTML("<b>Brand</b>"), self._brand_box,
            widgets.HTML("<b>Services</b>"), self._service_box,
            self.table, self.output])
        self._build_inputs()
        self.picker.observe(self._on_scenario, names="value")
        self._start()

    def _build_inputs(self) -> None:
        b = self._base.brand
        n = int(b.active_customers)
        step = max(1, 10 ** max(0, len(str(n)) - 3))
        brand = {
            "brand.active_customers": _int_slider("active customers", n, min(step, n),
                                                  int(_nice_max(3 * n)), step),
            "brand.avg_order_value": _money_slider("order value (yuan)", float(b.avg_order_value), 4200.0),
        }
        services = _service_controls(self._base, self.FIELDS)
        self._brand_box.children = tuple(brand.values())
        self._service_box.children = (_service_tabs(self._base, services),)
        self.controls = {"scenario": self.picker, "method": self.method_picker, **brand, **services}

    def _inputs(self) -> list[widgets.Widget]:
        return [w for k, w in self.controls.items() if k != "scenario"]

    def _on_scenario(self, change: dict) -> None:
        """Another scenario: new sliders for its services, then one redraw."""
        try:
            name = change["new"]
            new = self._custom.get(name) or load_scenario(name)
            old = self._inputs()
            self._unwatch(old)
            self._base = new
            self._build_inputs()
            for w in old:
                if w is not self.method_picker:
                    w.close()
            self._watch(self._inputs())
        except Exception as exc:  # shown, not lost in the kernel log
            self.last_error = exc
            self.output.outputs = (_error_output(exc),)
            return
        self.refresh()

    def _start(self) -> None:
        self._watch(self._inputs())
        self.refresh()

    def compute(self) -> dict[str, Evaluation]:
        sc = self.scenario()
        return {"seed": evaluate(sc, "seed"), "corrected": evaluate(sc, "corrected")}

    def render(self, evs: dict[str, Evaluation]) -> list:
        self.table.value = pnl_table_html(evs)
        out: list = []
        if "comparison" in self.figures:
            out.append(plotting.method_comparison(evs, lang=self.lang))
        if "dashboard" in self.figures:
            out.append(plotting.dashboard(evs[self.method_picker.value], lang=self.lang))
        return out


def pnl_explorer(scenario="seed-demo", method: str = "corrected", lang: str = "en",
                 figures: Sequence[str] = ("comparison", "dashboard")) -> PnLExplorer:
    """The P&L what-if app. ``scenario``: a name, a path, a Scenario, or a list of names for
    the picker (the first is shown first)."""
    return PnLExplorer(scenario, method=method, lang=lang, figures=figures)


# ------------------------------------------------------------------ lifecycle
class LifecycleExplorer(Explorer):
    """Baseline repurchase, wake-up conversion, discount rate and an acceptance multiplier,
    redrawing the cohort chart and showing p1 and LTV. ``.last`` is a dict with p0, p1,
    wakeup_share, ltv_traditional, ltv_value_added, the Evaluation and the timeline."""

    def __init__(self, scenario="seed-demo", lang: str = "en", height: str = "440px") -> None:
        super().__init__(load_scenario(scenario), method="corrected", lang=lang, height=height)
        b = self._base.brand
        top = max(s.acceptance for s in self._base.services)
        max_mult = min(3.0, math.floor(100 / top) / 100) if top > 0 else 3.0
        self.controls = {
            "brand.baseline_repurchase_12m": _share_slider("baseline repurchase p0", b.baseline_repurchase_12m),
            "brand.wakeup_conversion": _share_slider("wake-up conversion c", b.wakeup_conversion),
            "brand.discount_rate": _float_slider("discount rate d", b.discount_rate, 0.0, 0.5, 0.005, ".3f"),
            "scale.acceptance": _float_slider("acceptance multiplier", 1.0, 0.0, max(1.0, max_mult), 0.05),
        }
        self.summary = widgets.HTML()
        self.widget = widgets.VBox([widgets.VBox(list(self.controls.values())), self.summary, self.output])
        self._start()

    def compute(self) -> dict:
        from aftersales.model.lifecycle import cohort_timeline

        sc = self.scenario()
        ev = evaluate(sc, "corrected")
        return {"p0": ev["repurchase_12m_traditional"], "p1": ev["repurchase_12m_value_added"],
                "wakeup_share": ev["wakeup_share"], "ltv_traditional": ev["ltv_traditional"],
                "ltv_value_added": ev["ltv_value_added"], "evaluation": ev,
                "timeline": cohort_timeline(sc)}

    def render(self, r: dict) -> list:
        lift = r["ltv_value_added"] / r["ltv_traditional"] - 1 if r["ltv_traditional"] else float("nan")
        self.summary.value = (
            f"12-month repurchase <span class='p0'>{100 * r['p0']:.1f}%</span> &rarr; "
            f"<span class='p1' data-value='{r['p1']!r}'>{100 * r['p1']:.3f}%</span>; "
            f"woken at least once <span class='wakeup-share'>{100 * r['wakeup_share']:.1f}%</span>; "
            f"LTV <span class='ltv-traditional'>{format_figure(r['ltv_traditional'])}</span> &rarr; "
            f"<span class='ltv-value-added' data-value='{r['ltv_value_added']!r}'>"
            f"{format_figure(r['ltv_value_added'])}</span> yuan ({lift:+.1%})")
        from aftersales.model.lifecycle import TOUCH_MONTH

        kinds = {s.kind for s in self._base.services}  # mark only the kinds this brand offers
        return [plotting.cohort_chart(r["timeline"], lang=self.lang,
                                      touch_months={k: m for k, m in TOUCH_MONTH.items() if k in kinds})]


def lifecycle_explorer(scenario="seed-demo", lang: str = "en") -> LifecycleExplorer:
    """The lifecycle explorer: the cohort chart with p1 and LTV."""
    return LifecycleExplorer(scenario, lang=lang)
