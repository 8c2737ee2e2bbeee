"""What-if explorers for the notebooks and the app: sliders that redraw figures in place.

Every explorer follows one pattern (:class:`Explorer`):

- ``.controls``: name -> widget, named like the model's parameters
  (``"brand.avg_order_value"``, ``"service[Basic remake].price"``, ``"scale.acceptance"``);
- ``.images``: one ``ipywidgets.Image`` per figure, shown at the figure's own size (110 dpi);
- ``.output``: an ``ipywidgets.Output`` for HTML parts and for the error of a failed redraw;
- ``.widget``: the whole layout, to display (displaying the explorer itself works too);
- ``.last``: the result last computed; ``.last_error``: the exception of the last failed
  redraw (None after a good one); ``.redraw_count``: redraws done so far;
- ``.scenario()``: the Scenario the controls describe, the one the figures were computed from.

Answering at once: the figures are built once (:class:`~aftersales.course.style.LiveFigure`);
a change of a control recomputes the model (:mod:`aftersales.model.evaluation`), moves the
figures' bars, lines and texts, and renders each figure once to PNG into its Image. No new
figure and no layout pass per move. Sliders use ``continuous_update=False``. An exception in a
callback is shown in the output and kept in ``.last_error``, never lost. Labels follow the
glossary's one language rule (``lang="en"``, ``"zh"``, ``"both"``).

- :func:`service_explorer`: price, acceptance, frequency and costs per service;
- :func:`pnl_explorer`: the what-if app (scenario picker, brand and per-service sliders, the
  P&L table of both methods, the seed-vs-corrected comparison and the dashboard);
- :func:`lifecycle_explorer`: repurchase, wake-up conversion, discount rate and an acceptance
  multiplier, redrawing the cohort chart and showing p1 and LTV.
"""
from __future__ import annotations

import html
import math
import traceback
from typing import Any, Callable, Iterable, Mapping, Sequence

import ipywidgets as widgets

import aftersales.course.charts as plotting
from aftersales.course.controls import (css_class, float_slider, format_figure, int_slider, money_slider,
                                        nice_max, png_size, pnl_table_html, scenario_with, service_controls,
                                        service_table_html, service_tabs, share_slider, slider_label)
from aftersales.course.style import DPI, LiveFigure, to_png
from aftersales.glossary import check_lang, fmt_number, fmt_share, label, scenario_name
from aftersales.model.evaluation import Evaluation, evaluate
from aftersales.model.inputs import Scenario
from aftersales.model.scenario import load_scenario, scenario_names

__all__ = ["Explorer", "FunctionExplorer", "explorer", "ServiceExplorer", "PnLExplorer", "LifecycleExplorer",
           "service_explorer", "pnl_explorer", "lifecycle_explorer", "scenario_with", "pnl_table_html",
           "css_class", "format_figure", "EXPLORER_DPI"]

#: Resolution of the figures drawn in an explorer (dots per inch).
EXPLORER_DPI = DPI


def _html_output(text: str) -> dict:
    return {"output_type": "display_data", "data": {"text/html": text, "text/plain": "<table>"}, "metadata": {}}


def _error_output(exc: BaseException, lang: str = "en") -> dict:
    tb = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__, limit=-3))
    return {"output_type": "stream", "name": "stderr",
            "text": f"{label('redraw_error', lang)}: {type(exc).__name__}: {exc}\n\n{tb}"}


# ------------------------------------------------------------------ the pattern
class Explorer:
    """Controls, figures that redraw in place, one recomputation and one redraw per change.

    Subclasses set ``self._base`` (the Scenario) and the controls, then call :meth:`_start`;
    they define :meth:`compute` (the model, returns ``.last``) and :meth:`render` (from that
    result: LiveFigures to update, figures or HTML strings).

    Parameters
    ----------
    base : Scenario
        The scenario the controls start from (a loaded Scenario, not a name).
    method : {"corrected", "seed"}, optional
        The calculation method of the figures (keyword only; default ``"corrected"``).
    lang : {"en", "zh", "both"}, optional
        Language of the labels and of the error line (keyword only; default ``"en"``).
    height : str, optional
        A CSS minimum height for the figures' box (e.g. ``"900px"``), so the page does not
        jump while the first figures are drawn; None (default) sets none.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        Named like the model's inputs; a control not in ``_NOT_INPUTS`` is passed to
        :func:`scenario_with` by :meth:`scenario`.
    last, last_error, redraw_count
        The last result, the exception of the last failed redraw (None after a good one) and
        the number of good redraws.
    images, output, widget
        One ``ipywidgets.Image`` per figure, the HTML and error output, the whole layout.

    Raises
    ------
    ValueError
        If ``lang`` or ``method`` is not one of the choices.

    Notes
    -----
    :meth:`refresh` never raises: an exception from ``compute`` or ``render`` is shown in
    ``output`` (one line naming it, then the last frames) and kept in ``last_error``, and the
    figures stay as they were.

    Examples
    --------
    A what-if of one slider: all services' acceptance, times a factor.

    >>> import ipywidgets as widgets
    >>> from aftersales import evaluate, load_scenario
    >>> class Net(Explorer):
    ...     def __init__(self):
    ...         super().__init__(load_scenario("seed-demo"))
    ...         self.controls = {"scale.acceptance": widgets.FloatSlider(value=1.0, min=0.5, max=2.0)}
    ...         self.widget = widgets.VBox([*self.controls.values(), self.output])
    ...         self._start()
    ...     def compute(self):
    ...         return evaluate(self.scenario(), self.method)["va_net"]
    ...     def render(self, net):
    ...         return [f"<p>value-added net {net:,.0f} yuan</p>"]
    >>> ex = Net()
    >>> ex.output_html(), ex.redraw_count
    ('<p>value-added net -1,428,000 yuan</p>', 1)
    >>> ex.controls["scale.acceptance"].value = 1.5          # one recomputation, one redraw
    >>> ex.output_html(), ex.redraw_count
    ('<p>value-added net 1,308,000 yuan</p>', 2)
    """

    #: Controls that are not model inputs (not passed to :func:`scenario_with`).
    _NOT_INPUTS = frozenset({"scenario", "method"})

    def __init__(self, base: Scenario, *, method: str = "corrected", lang: str = "en",
                 height: str | None = None) -> None:
        check_lang(lang)
        if method not in ("seed", "corrected"):
            raise ValueError(f"method must be seed or corrected, got {method!r}")
        self._base = base
        self.method = method
        self.lang = lang
        self.controls: dict[str, widgets.Widget] = {}
        self.output = widgets.Output()
        self.images: list[widgets.Image] = []
        self.figure_box = widgets.VBox()
        if height:
            self.figure_box.layout.min_height = height
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
        """The Scenario the controls describe now (``_base`` when no input moved)."""
        values = {k: w.value for k, w in self.controls.items() if k not in self._NOT_INPUTS}
        return scenario_with(self._base, values)

    def compute(self) -> Any:  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def render(self, result: Any) -> list:  # pragma: no cover - defined by subclasses
        raise NotImplementedError

    def _show_error(self, exc: BaseException) -> None:
        self.last_error = exc
        self.output.outputs = (_error_output(exc, self.lang),)

    def refresh(self) -> bool:
        """Recompute and redraw once; on an exception show it in the output and keep it in
        ``last_error``. Returns True when the redraw succeeded."""
        try:
            result = self.compute()
            pngs, parts = [], []
            for x in self.render(result):
                if isinstance(x, LiveFigure):
                    pngs.append(x.png())
                elif hasattr(x, "savefig"):
                    pngs.append(to_png(x))
                elif isinstance(x, str):
                    parts.append(_html_output(x))
                else:
                    raise TypeError(f"render() returned a {type(x).__name__}: give figures or HTML strings")
        except Exception as exc:  # shown to the student, not lost in the kernel log
            self._show_error(exc)
            return False
        self.last = result
        self.last_error = None
        self._show(pngs, tuple(parts))
        self.redraw_count += 1
        return True

    def _show(self, pngs: list[bytes], parts: tuple) -> None:
        """Put each PNG into its Image (new Images only when the number of figures changes)."""
        if len(self.images) != len(pngs):
            for im in self.images:
                im.close()
            self.images = [widgets.Image(format="png") for _ in pngs]
            self.figure_box.children = tuple(self.images)
        for im, png in zip(self.images, pngs):
            width = f"{png_size(png)[0]}px"
            if im.layout.width != width:
                im.layout.width = width
                im.layout.max_width = "100%"
            im.value = png
        if self.output.outputs != parts:
            self.output.outputs = parts

    # -- display
    def _repr_mimebundle_(self, **kwargs):
        return self.widget._repr_mimebundle_(**kwargs)

    def pictures(self) -> list[bytes]:
        """The PNG bytes of the figures shown now."""
        return [im.value for im in self.images if im.value]

    def output_html(self) -> str:
        """The text/html parts of the output, joined (for tests and quick checks)."""
        return "\n".join(o.get("data", {}).get("text/html", "") for o in self.output.outputs)

    def output_text(self) -> str:
        """The stream text of the output (error messages)."""
        return "".join(o.get("text", "") for o in self.output.outputs)


class FunctionExplorer(Explorer):
    """An explorer from plain functions, for a notebook's own what-if:
    ``compute(values)`` gets {control name: value} and returns ``.last``;
    ``render(result)`` returns figures (or LiveFigures, updated in place) and HTML strings.

    Parameters
    ----------
    controls : mapping of str to ipywidgets.Widget
        The controls, by name; each one's ``value`` is passed to ``compute``. A control with
        ``continuous_update`` has it set to False (one redraw when a slider is let go).
    compute : callable
        ``compute({name: value})`` -> the result, kept in ``.last``.
    render : callable
        ``render(result)`` -> an iterable of figures, LiveFigures and HTML strings.
    height : str, optional
        A CSS minimum height for the figures' box (keyword only); None (default) sets none.

    Raises
    ------
    TypeError
        From :meth:`scenario`: a FunctionExplorer has no scenario of its own.

    Notes
    -----
    The explorer computes and draws once when built. A failing ``compute`` or ``render`` is
    not raised: it is shown in ``output`` and kept in ``last_error`` (see :class:`Explorer`).

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> ex = FunctionExplorer({"a": widgets.FloatSlider(value=0.5, max=1)},
    ...                       lambda v: 1 / v["a"], lambda r: [f"<b>{r:.2f}</b>"])
    >>> ex.last, ex.output_html(), ex.controls["a"].continuous_update
    (2.0, '<b>2.00</b>', False)
    >>> ex.controls["a"].value = 0.0                  # the error is shown, not raised
    >>> ex.last, repr(ex.last_error), ex.output_text().splitlines()[0]
    (2.0, "ZeroDivisionError('float division by zero')", \
'Could not redraw: ZeroDivisionError: float division by zero')
    >>> ex.controls["a"].value = 0.25
    >>> ex.last, ex.last_error, ex.redraw_count
    (4.0, None, 2)
    """

    def __init__(self, controls: Mapping[str, widgets.Widget], compute: Callable[[dict], Any],
                 render: Callable[[Any], Iterable], *, height: str | None = None) -> None:
        super().__init__(None, height=height)  # type: ignore[arg-type]
        self.controls = dict(controls)
        for w in self.controls.values():
            if hasattr(w, "continuous_update"):
                w.continuous_update = False  # one redraw when the slider is let go
        self._compute_fn, self._render_fn = compute, render
        self.widget = widgets.VBox([widgets.VBox(list(self.controls.values())), self.output, self.figure_box])
        self._start()

    def scenario(self) -> Scenario:
        raise TypeError("a FunctionExplorer has no scenario of its own; see its compute function")

    def compute(self) -> Any:
        return self._compute_fn({k: w.value for k, w in self.controls.items()})

    def render(self, result: Any) -> list:
        return list(self._render_fn(result))


def explorer(controls: Mapping[str, widgets.Widget], compute: Callable[[dict], Any],
             render: Callable[[Any], Iterable], height: str | None = None) -> FunctionExplorer:
    """The explorer pattern for any model: controls, compute(values) -> result, render(result) ->
    figures / HTML.

    Parameters
    ----------
    controls : mapping of str to ipywidgets.Widget
        The controls, by name; their values are passed to ``compute``.
    compute : callable
        ``compute({name: value})`` -> the result (``.last``).
    render : callable
        ``render(result)`` -> figures, LiveFigures and HTML strings.
    height : str, optional
        A CSS minimum height for the figures' box; None (default) sets none.

    Returns
    -------
    FunctionExplorer
        Built and drawn once; display it (or its ``.widget``) in a notebook.

    Examples
    --------
    The seed-demo's value-added net as all acceptances move (a notebook would render
    ``plotting.dashboard(ev)`` instead of a line of HTML):

    >>> import ipywidgets as widgets
    >>> from aftersales import evaluate, load_scenario
    >>> sc = load_scenario("seed-demo")
    >>> ex = explorer({"q": widgets.FloatSlider(value=1.0, max=2.0)},
    ...               lambda v: evaluate(scenario_with(sc, {"scale.acceptance": v["q"]})),
    ...               lambda ev: [f"<p>{ev['va_net']:,.0f}</p>"])
    >>> ex.output_html()
    '<p>-1,428,000</p>'
    >>> ex.controls["q"].value = 1.5
    >>> ex.output_html(), ex.last.scenario.services[0].acceptance
    ('<p>1,308,000</p>', 0.27)
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


def _live(current: LiveFigure | None, key, make: Callable[[], LiveFigure], data) -> LiveFigure:
    """``current`` updated with ``data`` if it was built for ``key``, else a new one."""
    if current is not None and getattr(current, "_explorer_key", None) == key:
        return current.update(data)
    fig = make()
    fig._explorer_key = key
    return fig


def _key(ev: Evaluation) -> tuple:
    return (ev.scenario.name, ev.method, tuple((s.name, s.kind) for s in ev.scenario.services))


# ------------------------------------------------------------------ service matrix
class ServiceExplorer(Explorer):
    """Price, acceptance, uses per year, material and labour cost per service (one tab each),
    redrawing revenue, cost and margin. ``.last`` is the Evaluation.

    Parameters
    ----------
    scenario : Scenario, str or path
        The scenario (a shipped name such as ``"seed-demo"``, a path, or a Scenario).
    method : {"corrected", "seed"}, optional
        The calculation method (default ``"corrected"``).
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.
    height : str, optional
        A CSS minimum height for the figures' box; None (default) sets none.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        ``service[<name>].<field>`` for each service and each of :attr:`FIELDS` (price and
        costs in yuan, acceptance a share 0-1, uses a year).
    summary : ipywidgets.HTML
        The service table (:func:`aftersales.course.controls.service_table_html`).

    Raises
    ------
    ValueError
        If ``method`` or ``lang`` is not one of the choices (or the scenario fails to load).

    Notes
    -----
    One figure, :class:`~aftersales.course.dashboard.ServiceEconomics`, updated in place; it
    is built anew only if the evaluation's scenario or method changes.

    Examples
    --------
    The sliders it makes (:func:`service_explorer` builds and moves one):

    >>> ServiceExplorer.FIELDS
    ('price', 'acceptance', 'uses_per_user_per_year', 'material_cost', 'labor_cost')
    >>> ServiceExplorer("seed-demo", method="traditional")
    Traceback (most recent call last):
    ...
    ValueError: method must be seed or corrected, got 'traditional'
    """

    FIELDS = ("price", "acceptance", "uses_per_user_per_year", "material_cost", "labor_cost")

    def __init__(self, scenario, method: str = "corrected", lang: str = "en", height: str | None = None) -> None:
        super().__init__(load_scenario(scenario), method=method, lang=lang, height=height)
        self.controls = service_controls(self._base, self.FIELDS, lang)
        self.summary = widgets.HTML()
        self._chart: LiveFigure | None = None
        self.widget = widgets.VBox([service_tabs(self._base, self.controls, lang), self.summary, self.output,
                                    self.figure_box])
        self._start()

    def compute(self) -> Evaluation:
        return evaluate(self.scenario(), self.method)

    def render(self, ev: Evaluation) -> list:
        self.summary.value = service_table_html(ev, self.lang)
        self._chart = _live(self._chart, _key(ev), lambda: plotting.ServiceEconomics(ev, self.lang), ev)
        return [self._chart]


def service_explorer(scenario="seed-demo", method: str = "corrected", lang: str = "en") -> ServiceExplorer:
    """The service-matrix explorer: sliders per service redrawing revenue, cost and margin.

    Parameters
    ----------
    scenario : Scenario, str or path, optional
        The scenario (default ``"seed-demo"``, the article's DEMO).
    method : {"corrected", "seed"}, optional
        The calculation method (default ``"corrected"``).
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.

    Returns
    -------
    ServiceExplorer
        Built and drawn once; display it in a notebook cell.

    References
    ----------
    .. [1] "服装品牌售后部门转型" (the seed article), its service matrix (增值服务矩阵): the
       services, their prices, acceptance and costs.

    Examples
    --------
    >>> ex = service_explorer("seed-demo")
    >>> len(ex.controls), len(ex.images), round(ex.last["service_revenue"])   # 5 x 5 sliders; yuan
    (25, 1, 9299200)
    >>> ex.controls["service[Basic remake].price"].value = 400.0   # +120 yuan x 5,760 uses
    >>> ex.redraw_count, round(ex.last["service_revenue"])
    (2, 9990400)
    """
    return ServiceExplorer(scenario, method=method, lang=lang)


# ------------------------------------------------------------------ the P&L app
class PnLExplorer(Explorer):
    """The what-if app: scenario picker, brand and per-service sliders, the P&L of both
    methods (``.table``, an HTML widget), the seed-vs-corrected comparison and the dashboard.
    ``.last`` is ``{"seed": Evaluation, "corrected": Evaluation}``.

    Parameters
    ----------
    scenario : Scenario, str, path or list of str, optional
        A shipped name (default ``"seed-demo"``; the picker offers every shipped scenario), a
        path or a Scenario (offered first, then the shipped ones), or a list of names for the
        picker (the first is shown first).
    method : {"corrected", "seed"}, optional
        The method the dashboard shows first (default ``"corrected"``); the P&L table always
        shows both.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.
    height : str, optional
        A CSS minimum height for the figures' box; None (default) sets none.
    figures : sequence of {"comparison", "dashboard"}, optional
        The figures to draw (default both); ``()`` keeps the tables only.

    Attributes
    ----------
    picker, method_picker : ipywidgets widgets
        The scenario dropdown and the method of the dashboard.
    table, chance : ipywidgets.HTML
        The P&L of both methods; the chance of breaking even (:attr:`CHANCE_DRAWS` Monte Carlo
        draws, seed 0, prices held) in the course's verdict words.

    Raises
    ------
    ValueError
        If ``figures`` names another figure, a list of names is empty, or ``method`` or
        ``lang`` is not one of the choices.

    Notes
    -----
    Picking another scenario builds new sliders for its services, then redraws once. The
    chance of breaking even is P(value-added net >= 0) over the draws.

    Examples
    --------
    >>> import re
    >>> app = PnLExplorer("seed-demo", figures=())       # the tables only
    >>> app.picker.value, sorted(app.last), len(app.images)
    ('seed-demo', ['corrected', 'seed'], 0)
    >>> re.search(r'<span class="va-net-corrected"[^>]*>[^<]*</span>', app.table.value).group(0)
    '<span class="va-net-corrected" data-value="-1428000.0">-1,428,000</span>'
    >>> app.controls["service[Basic remake].price"].value = 400.0   # +120 yuan x 5,760 uses
    >>> round(app.last["corrected"]["va_net"]), app.redraw_count
    (-736800, 2)
    >>> app.picker.value = "fast-fashion"
    >>> app.last["corrected"].scenario.name, app.redraw_count
    ('fast-fashion', 3)
    """

    FIELDS = ("price", "acceptance", "uses_per_user_per_year", "wakeup_rate")

    def __init__(self, scenario="seed-demo", method: str = "corrected", lang: str = "en",
                 height: str | None = None, figures: Sequence[str] = ("comparison", "dashboard")) -> None:
        base, names, first, custom = _resolve(scenario)
        super().__init__(base, method=method, lang=lang, height=height)
        unknown = set(figures) - {"comparison", "dashboard"}
        if unknown:
            raise ValueError(f"figures may be comparison and dashboard, got {sorted(unknown)}")
        self.figures = tuple(figures)
        self._custom = custom
        self._comparison: LiveFigure | None = None
        self._dashboard: LiveFigure | None = None
        options = names if lang == "en" else [(scenario_name(n, lang), n) for n in names]
        self.picker = widgets.Dropdown(options=options, value=first, description=label("scenario", lang),
                                       style={"description_width": "80px"})
        self.method_picker = widgets.ToggleButtons(
            options=[(label("corrected", lang), "corrected"), (label("seed", lang), "seed")], value=method,
            description=label("dashboard", lang), style={"description_width": "80px", "button_width": "110px"})
        self.table = widgets.HTML()
        #: the chance of breaking even (Monte Carlo over the uncertainties, prices held), in the
        #: verdict words every sentence of the course uses
        self.chance = widgets.HTML()
        self._brand_box = widgets.VBox()
        self._service_box = widgets.VBox()
        self.widget = widgets.VBox([
            widgets.HBox([self.picker, self.method_picker]),
            widgets.HTML(f"<b>{html.escape(label('brand', lang))}</b>"), self._brand_box,
            widgets.HTML(f"<b>{html.escape(label('services', lang))}</b>"), self._service_box,
            self.table, self.chance, self.output, self.figure_box])
        self._build_inputs()
        self.picker.observe(self._on_scenario, names="value")
        self._start()

    def _build_inputs(self) -> None:
        b, lang = self._base.brand, self.lang
        n = int(b.active_customers)
        step = max(1, 10 ** max(0, len(str(n)) - 3))
        brand = {
            "brand.active_customers": int_slider(slider_label("active_customers", lang), n, min(step, n),
                                                 int(nice_max(3 * n)), step),
            "brand.avg_order_value": money_slider(slider_label("avg_order_value", lang),
                                                  float(b.avg_order_value), 4200.0),
        }
        services = service_controls(self._base, self.FIELDS, lang)
        self._brand_box.children = tuple(brand.values())
        self._service_box.children = (service_tabs(self._base, services, lang),)
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
            self._show_error(exc)
            return
        self.refresh()

    def _start(self) -> None:
        self._watch(self._inputs())
        self.refresh()

    def compute(self) -> dict[str, Evaluation]:
        sc = self.scenario()
        return {"seed": evaluate(sc, "seed"), "corrected": evaluate(sc, "corrected")}

    #: Draws of the explorer's Monte Carlo (a few milliseconds; notebook 04 runs more).
    CHANCE_DRAWS = 4_000

    def render(self, evs: dict[str, Evaluation]) -> list:
        from aftersales.model.montecarlo import simulate, verdict_sentence

        self.table.value = pnl_table_html(evs, self.lang)
        s = simulate(evs["corrected"].scenario, draws=self.CHANCE_DRAWS, seed=0).summary()
        self.chance.value = f"<p>{html.escape(verdict_sentence(s['prob_break_even'], s['draws'], self.lang))}</p>"
        out: list = []
        if "comparison" in self.figures:
            self._comparison = _live(self._comparison, _key(evs["corrected"]),
                                     lambda: plotting.MethodComparison(evs, self.lang), evs)
            out.append(self._comparison)
        if "dashboard" in self.figures:
            ev = evs[self.method_picker.value]
            self._dashboard = _live(self._dashboard, _key(ev), lambda: plotting.Dashboard(ev, self.lang), ev)
            out.append(self._dashboard)
        return out


def pnl_explorer(scenario="seed-demo", method: str = "corrected", lang: str = "en",
                 figures: Sequence[str] = ("comparison", "dashboard")) -> PnLExplorer:
    """The P&L what-if app: the P&L of both methods, the seed-vs-corrected comparison and the
    dashboard, redrawn as the sliders move.

    Parameters
    ----------
    scenario : Scenario, str, path or list of str, optional
        A name (default ``"seed-demo"``), a path, a Scenario, or a list of names for the
        picker (the first is shown first).
    method : {"corrected", "seed"}, optional
        The method the dashboard shows first (default ``"corrected"``).
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.
    figures : sequence of {"comparison", "dashboard"}, optional
        The figures to draw (default both).

    Returns
    -------
    PnLExplorer
        Built and drawn once; display it in a notebook cell.

    Raises
    ------
    ValueError
        If ``figures`` names another figure or a list of names is empty.

    Examples
    --------
    >>> app = pnl_explorer(["fast-fashion", "seed-demo"], figures=("comparison",))
    >>> app.picker.options, app.picker.value
    (('fast-fashion', 'seed-demo'), 'fast-fashion')
    >>> len(app.images), bytes(app.pictures()[0][:4])          # one PNG, the comparison
    (1, b'\\x89PNG')
    >>> pnl_explorer(figures=("tornado",))
    Traceback (most recent call last):
    ...
    ValueError: figures may be comparison and dashboard, got ['tornado']
    """
    return PnLExplorer(scenario, method=method, lang=lang, figures=figures)


# ------------------------------------------------------------------ lifecycle
class LifecycleExplorer(Explorer):
    """Baseline repurchase, wake-up conversion, discount rate and an acceptance multiplier,
    redrawing the cohort chart and showing p1 and LTV. ``.last`` is a dict with p0, p1,
    wakeup_share, ltv_traditional, ltv_value_added, the Evaluation and the timeline.

    Parameters
    ----------
    scenario : Scenario, str or path, optional
        The scenario (default ``"seed-demo"``); always evaluated by the corrected method.
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.
    height : str, optional
        A CSS minimum height for the figures' box; None (default) sets none.

    Attributes
    ----------
    controls : dict of str to ipywidgets.Widget
        ``brand.baseline_repurchase_12m`` and ``brand.wakeup_conversion`` (shares 0-1),
        ``brand.discount_rate`` (a rate a year, 0-0.5) and ``scale.acceptance`` (a factor on
        every service's acceptance, 1 = as in the scenario).
    summary : ipywidgets.HTML
        p0 -> p1, the share woken at least once and LTV before -> after (yuan), with the lift.

    Raises
    ------
    ValueError
        If ``lang`` is not one of the choices.

    Notes
    -----
    p1 = p0 + (1 - p0) x omega x c, omega = 1 - prod_i (1 - a_i w_i) the share woken by at
    least one service, c the wake-up conversion; LTV = (base LTV / M(p0) + s) x M(p1) with
    M(p) = (1 + d) / (1 + d - p). The acceptance factor goes up to 3, or less so that no
    service's acceptance passes 1 (seed-demo: 2.5, its top acceptance being 0.40). Only the
    service kinds the scenario offers are marked on the chart.

    References
    ----------
    .. [1] S. Gupta and D. R. Lehmann, "Customers as assets", Journal of Interactive Marketing
       17(1), 9-24, 2003 (the margin multiple (1 + d) / (1 + d - r)).
    .. [2] "服装品牌售后部门转型" (the seed article): touchpoints wake dormant customers
       (唤醒沉睡客户); its timeline (clean at month 12, buy at month 14).

    Examples
    --------
    The controls it makes (:func:`lifecycle_explorer` builds and moves one):

    >>> LifecycleExplorer("seed-demo", lang="fr")
    Traceback (most recent call last):
    ...
    ValueError: lang must be one of 'en', 'zh', 'both', got 'fr'
    """

    def __init__(self, scenario="seed-demo", lang: str = "en", height: str | None = None) -> None:
        super().__init__(load_scenario(scenario), method="corrected", lang=lang, height=height)
        b = self._base.brand
        top = max(s.acceptance for s in self._base.services)
        max_mult = min(3.0, math.floor(100 / top) / 100) if top > 0 else 3.0
        self.controls = {
            "brand.baseline_repurchase_12m": share_slider(slider_label("baseline_repurchase_12m", lang),
                                                          b.baseline_repurchase_12m),
            "brand.wakeup_conversion": share_slider(slider_label("wakeup_conversion", lang), b.wakeup_conversion),
            "brand.discount_rate": float_slider(slider_label("discount_rate", lang), b.discount_rate, 0.0, 0.5,
                                                0.005, ".3f"),
            "scale.acceptance": float_slider(slider_label("scale_acceptance", lang), 1.0, 0.0, max(1.0, max_mult),
                                             0.05),
        }
        self.summary = widgets.HTML()
        self._chart: LiveFigure | None = None
        self.widget = widgets.VBox([widgets.VBox(list(self.controls.values())), self.summary, self.output,
                                    self.figure_box])
        self._start()

    def compute(self) -> dict:
        from aftersales.model.lifecycle import cohort_timeline

        sc = self.scenario()
        ev = evaluate(sc, "corrected")
        return {"p0": ev["repurchase_12m_traditional"], "p1": ev["repurchase_12m_value_added"],
                "wakeup_share": ev["wakeup_share"], "ltv_traditional": ev["ltv_traditional"],
                "ltv_value_added": ev["ltv_value_added"], "evaluation": ev, "timeline": cohort_timeline(sc)}

    def render(self, r: dict) -> list:
        from aftersales.model.lifecycle import TOUCH_MONTH

        lift = r["ltv_value_added"] / r["ltv_traditional"] - 1 if r["ltv_traditional"] else float("nan")
        spans = {
            "p0": f"<span class='p0'>{fmt_share(r['p0'])}</span>",
            "p1": f"<span class='p1' data-value='{r['p1']!r}'>{fmt_share(r['p1'], 3)}</span>",
            "share": f"<span class='wakeup-share'>{fmt_share(r['wakeup_share'])}</span>",
            "ltv0": f"<span class='ltv-traditional'>{fmt_number(r['ltv_traditional'])}</span>",
            "ltv1": f"<span class='ltv-value-added' data-value='{r['ltv_value_added']!r}'>"
                    f"{fmt_number(r['ltv_value_added'])}</span>",
            "lift": f"{lift:+.1%}"}
        self.summary.value = label("lifecycle_summary", self.lang, **spans)
        kinds = {s.kind for s in self._base.services}  # mark only the kinds this brand offers
        touch = {k: m for k, m in TOUCH_MONTH.items() if k in kinds}
        self._chart = _live(self._chart, (self._base.name, tuple(sorted(touch.items()))),
                            lambda: plotting.CohortChart(r["timeline"], self.lang, touch), r["timeline"])
        return [self._chart]


def lifecycle_explorer(scenario="seed-demo", lang: str = "en") -> LifecycleExplorer:
    """The lifecycle explorer: the cohort chart with p1 and LTV.

    Parameters
    ----------
    scenario : Scenario, str or path, optional
        The scenario (default ``"seed-demo"``).
    lang : {"en", "zh", "both"}, optional
        Language of the labels (default ``"en"``); without a CJK font, ``"zh"`` and ``"both"``
        fall back to English with one warning.

    Returns
    -------
    LifecycleExplorer
        Built and drawn once; display it in a notebook cell.

    Notes
    -----
    p1 = p0 + (1 - p0) x omega x c (see :class:`LifecycleExplorer`): in seed-demo omega =
    0.2772 and c = 0.6, so p1 = 0.28 + 0.72 x 0.1663 = 0.3997.

    Examples
    --------
    >>> lab = lifecycle_explorer("seed-demo")
    >>> sorted(lab.controls)
    ['brand.baseline_repurchase_12m', 'brand.discount_rate', 'brand.wakeup_conversion', 'scale.acceptance']
    >>> round(lab.last["p1"], 4), round(lab.last["ltv_value_added"], 2), len(lab.images)
    (0.3997, 3854.63, 1)
    >>> lab.controls["brand.baseline_repurchase_12m"].value = 0.40   # p1 = 0.40 + 0.60 x 0.1663
    >>> round(lab.last["p1"], 4), lab.redraw_count
    (0.4998, 2)
    """
    return LifecycleExplorer(scenario, lang=lang)
