"""What-if explorers, headless: set .value on controls, check .last, the HTML and the redraws."""
import re
from dataclasses import replace

import matplotlib

matplotlib.use("Agg")

import ipywidgets  # noqa: E402
import pytest  # noqa: E402

from aftersales.course import explorers as widgets  # noqa: E402
from aftersales.model.kernel import apply_parameter  # noqa: E402
from aftersales.model.evaluation import evaluate  # noqa: E402
from aftersales.course.parameters import scenario_from_parameters  # noqa: E402
from aftersales.model.scenario import load_scenario, scenario_names  # noqa: E402
from conftest import examples  # noqa: E402


def span(html, cls):
    m = re.search(rf'<span class="{cls}"[^>]*>([^<]*)</span>', html)
    assert m, f"no span of class {cls}"
    return m.group(1)


def images(explorer):
    """The pictures an explorer shows (PNG bytes, one per figure)."""
    pics = explorer.pictures()
    assert all(p[:4] == b"\x89PNG" for p in pics)
    return pics


@pytest.fixture(scope="module")
def demo():
    return load_scenario("seed-demo")


@pytest.fixture
def pnl():
    """A P&L explorer of its own, for a test that moves its controls."""
    return widgets.pnl_explorer("seed-demo")


@pytest.fixture(scope="module")
def drawn_pnl():
    """One P&L explorer as drawn at construction, shared by the tests that only read it."""
    return widgets.pnl_explorer("seed-demo")


# ------------------------------------------------------------------ the P&L app
def test_pnl_draws_at_construction(drawn_pnl):
    assert drawn_pnl.redraw_count == 1
    assert drawn_pnl.last_error is None
    assert set(drawn_pnl.last) == {"seed", "corrected"}
    assert len(images(drawn_pnl)) == 2  # comparison and dashboard
    html = drawn_pnl.table.value
    assert span(html, "va-net-corrected") == "-1,428,000"
    assert span(html, "va-net-seed") == "760,960"
    assert span(html, "total-effect-corrected") == "8,917,532"
    assert span(html, "wakeup-contribution-seed") == "\u2013"  # the seed method has none
    assert span(html, "repurchase-12m-value-added-corrected") == "39.974%"
    assert 'data-value="-1428000.0"' in html
    assert isinstance(drawn_pnl.widget, ipywidgets.Widget)
    assert "application/vnd.jupyter.widget-view+json" in drawn_pnl._repr_mimebundle_()


def test_pnl_controls(drawn_pnl, demo):
    keys = set(drawn_pnl.controls)
    assert {"scenario", "method", "brand.active_customers", "brand.avg_order_value"} <= keys
    for s in demo.services:
        for fld in ("price", "acceptance", "uses_per_user_per_year", "wakeup_rate"):
            assert f"service[{s.name}].{fld}" in keys
    sliders = [w for w in drawn_pnl.controls.values() if isinstance(w, (ipywidgets.FloatSlider, ipywidgets.IntSlider))]
    assert len(sliders) == 2 + 4 * len(demo.services)
    assert all(w.continuous_update is False for w in sliders)
    assert list(drawn_pnl.controls["scenario"].options) == scenario_names()
    assert drawn_pnl.scenario() == demo


def test_one_slider_change_is_one_redraw_with_the_evaluate_figure(pnl, demo):
    pnl.controls["service[Basic remake].price"].value = 300.0
    assert pnl.redraw_count == 2
    expected = evaluate(apply_parameter(demo, "service[Basic remake].price", 300.0))
    assert pnl.last["corrected"]["va_net"] == expected["va_net"]
    assert span(pnl.table.value, "va-net-corrected") == f"{expected['va_net']:,.0f}"
    assert len(images(pnl)) == 2  # replaced, not appended
    pnl.controls["service[Basic remake].price"].value = 300.0  # same value: nothing to do
    assert pnl.redraw_count == 2


@pytest.mark.slow  # several seconds (make test runs it, make check leaves it out)
def test_brand_sliders_match_the_notebook_parameters(pnl):
    pnl.controls["brand.active_customers"].value = 50000
    pnl.controls["brand.avg_order_value"].value = 2400.0
    assert pnl.redraw_count == 3
    ref = scenario_from_parameters("seed-demo", active_customers=50000, avg_order_value=2400)
    for m in ("seed", "corrected"):
        assert pnl.last[m].to_dict() == evaluate(ref, m).to_dict()
    assert pnl.scenario() == ref


def test_every_pnl_input_reaches_the_model(demo):
    pnl = widgets.pnl_explorer("seed-demo", figures=())  # the model only: fast
    count = pnl.redraw_count
    for key, w in pnl.controls.items():
        if key in ("scenario", "method"):
            continue
        new = w.value + w.step if w.value + w.step <= w.max else w.value - w.step
        w.value = new
        count += 1
        assert pnl.redraw_count == count, key
        assert pnl.last["corrected"].scenario == pnl.scenario()
        assert pnl.last["corrected"].to_dict() == evaluate(pnl.scenario()).to_dict()
    assert pnl.scenario() != demo


def test_method_toggle_redraws_the_dashboard(pnl):
    pnl.controls["method"].value = "seed"
    assert pnl.redraw_count == 2
    assert pnl.scenario() == load_scenario("seed-demo")


@pytest.mark.slow  # several seconds (make test runs it, make check leaves it out)
def test_picking_another_scenario_rebuilds_the_sliders(pnl):
    other = next(n for n in scenario_names() if n != "seed-demo")
    old_slider = pnl.controls["service[Basic remake].price"]
    pnl.controls["scenario"].value = other
    assert pnl.redraw_count == 2  # one redraw for the switch
    sc = load_scenario(other)
    assert pnl.scenario() == sc
    for s in sc.services:
        assert f"service[{s.name}].price" in pnl.controls
    if "Basic remake" not in {s.name for s in sc.services}:
        assert "service[Basic remake].price" not in pnl.controls
    assert span(pnl.table.value, "va-net-corrected") == widgets.format_figure(evaluate(sc)["va_net"])
    assert f'data-scenario="{sc.name}"' in pnl.table.value
    old_slider.value = old_slider.value + 1  # the old sliders are gone for good
    assert pnl.redraw_count == 2
    first = next(k for k in pnl.controls if k.endswith(".acceptance"))
    pnl.controls[first].value = round(pnl.controls[first].value / 2, 3)
    assert pnl.redraw_count == 3
    assert pnl.last["corrected"].to_dict() == evaluate(pnl.scenario()).to_dict()


def test_a_scenario_object_keeps_its_changes_in_the_picker(demo):
    custom = replace(demo, name="my-brand", brand=replace(demo.brand, active_customers=120000))
    ex = widgets.pnl_explorer(custom, figures=("comparison",))
    assert ex.controls["scenario"].options[0] == "my-brand"
    assert ex.scenario() == custom
    ex.controls["scenario"].value = "seed-demo"
    ex.controls["scenario"].value = "my-brand"
    assert ex.scenario() == custom
    assert ex.redraw_count == 3
    assert len(images(ex)) == 1


def test_a_list_of_names_fills_the_picker():
    names = ["seed-demo", "article-headline"]
    ex = widgets.pnl_explorer(names, figures=())
    assert list(ex.controls["scenario"].options) == names
    assert ex.output.outputs == ()
    assert ex.redraw_count == 1
    with pytest.raises(ValueError, match=r"^figures may be comparison and dashboard, got \['pie'\]$"):
        widgets.pnl_explorer("seed-demo", figures=("pie",))


def test_errors_in_a_callback_are_shown_not_lost(pnl, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("the model broke")

    monkeypatch.setattr(widgets, "evaluate", broken)
    pnl.controls["brand.avg_order_value"].value = 2000.0
    assert isinstance(pnl.last_error, ValueError)
    assert pnl.redraw_count == 1
    assert "the model broke" in pnl.output_text()
    assert pnl.output.outputs[0]["name"] == "stderr"
    monkeypatch.undo()
    pnl.controls["brand.avg_order_value"].value = 2100.0
    assert pnl.last_error is None
    assert pnl.redraw_count == 2
    assert len(images(pnl)) == 2


def test_pnl_in_chinese_without_a_cjk_font_still_draws(monkeypatch):
    from aftersales.course import style

    monkeypatch.setattr(style, "find_cjk_font", lambda: None)
    monkeypatch.setattr(style, "_zh_warned", True)  # already warned in this process
    ex = widgets.pnl_explorer("seed-demo", lang="zh", figures=("comparison",))
    assert ex.last_error is None and len(images(ex)) == 1


# ------------------------------------------------------------------ service matrix
def test_service_explorer(demo):
    ex = widgets.service_explorer(demo)
    assert ex.redraw_count == 1 and len(images(ex)) == 1
    assert ex.last["service_revenue"] == 9_299_200
    for s in demo.services:
        for fld in ("price", "acceptance", "uses_per_user_per_year", "material_cost", "labor_cost"):
            assert ex.controls[f"service[{s.name}].{fld}"].continuous_update is False
    ex.controls["service[Seasonal storage].material_cost"].value = 20.0
    assert ex.redraw_count == 2
    storage = next(s for s in ex.last.services if s["name"] == "Seasonal storage")
    assert storage["cost"] == pytest.approx(80000 * 0.12 * 0.3 * 5 * 28)
    assert storage["gross_margin"] == pytest.approx(12 / 40)
    assert "30.0%" in ex.summary.value
    ex.controls["service[Repair & refresh].acceptance"].value = 0.0
    assert ex.redraw_count == 3
    assert next(s for s in ex.last.services if s["name"] == "Repair & refresh")["revenue"] == 0
    seed = widgets.service_explorer(demo, method="seed")
    assert seed.last["service_revenue"] == 8_838_400


# ------------------------------------------------------------------ lifecycle
def test_lifecycle_explorer(demo):
    ex = widgets.lifecycle_explorer(demo)
    assert ex.redraw_count == 1 and len(images(ex)) == 1
    assert ex.last["p1"] == pytest.approx(0.39974, abs=1e-5)
    assert "39.974%" in ex.summary.value and "3,855" in ex.summary.value
    ex.controls["scale.acceptance"].value = 2.0
    ex.controls["brand.wakeup_conversion"].value = 0.5
    ex.controls["brand.baseline_repurchase_12m"].value = 0.3
    ex.controls["brand.discount_rate"].value = 0.08
    assert ex.redraw_count == 5
    ref = scenario_from_parameters("seed-demo", acceptance_multiplier=2.0, wakeup_conversion=0.5,
                                   baseline_repurchase_12m=0.3,
                                   overrides={"brand.discount_rate": 0.08})
    ev = evaluate(ref)
    assert ex.last["p1"] == pytest.approx(ev["repurchase_12m_value_added"], rel=1e-12)
    assert ex.last["ltv_value_added"] == pytest.approx(ev["ltv_value_added"], rel=1e-12)
    timeline = ex.last["timeline"]
    assert timeline.loc[timeline["month"] == 14, "repurchased"].iloc[0] == pytest.approx(ex.last["p1"])
    # the multiplier cannot push an acceptance above 1
    top = max(s.acceptance for s in demo.services)
    assert ex.controls["scale.acceptance"].max * top <= 1.0


# ------------------------------------------------------------------ helpers
def test_scenario_with(demo):
    sc = widgets.scenario_with(demo, {"service[Basic remake].acceptance": 0.2, "scale.acceptance": 2.0,
                                      "brand.active_customers": 1000})
    assert sc.service("Basic remake").acceptance == pytest.approx(0.4)
    assert sc.service("Repair & refresh").acceptance == pytest.approx(0.8)
    assert sc.brand.active_customers == 1000 and isinstance(sc.brand.active_customers, int)
    known = ", ".join(s.name for s in demo.services)
    with pytest.raises(KeyError, match=re.escape(
            f"unknown parameter 'service[Nope].price': no service 'Nope' (known: {known})")):
        widgets.scenario_with(demo, {"service[Nope].price": 1.0})
    with pytest.raises(KeyError, match=re.escape("unknown parameter 'brand.colour'; see parameter_names()")):
        widgets.scenario_with(demo, {"brand.colour": 1.0})
    # 0.35 x 3 = 1.05: the first service past 100% is named with the share it would get
    with pytest.raises(ValueError, match=r"^services\['Deep clean & care'\]\.acceptance must lie in \[0, 1\] "
                                         r"\(a share\), got 1\.04999"):
        widgets.scenario_with(demo, {"scale.acceptance": 3.0})


def test_format_figure():
    assert widgets.format_figure(-1428000.0) == "-1,428,000"
    assert widgets.format_figure(22174.07, "people") == "22,174"
    assert widgets.format_figure(-0.4) == "0"
    assert widgets.format_figure(None) == "\u2013"
    assert widgets.format_figure(0.39974, "share") == "39.974%"
    assert widgets.css_class("va_net", "corrected") == "va-net-corrected"


# ------------------------------------------------------------------ any slider values
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_MODEL_ONLY = {}


def _model_only_explorer():
    if "pnl" not in _MODEL_ONLY:
        _MODEL_ONLY["pnl"] = widgets.pnl_explorer("seed-demo", figures=())
    return _MODEL_ONLY["pnl"]


@settings(max_examples=examples(30), deadline=None)
@given(data=st.data())
def test_any_slider_values_give_the_evaluate_figures(data):
    ex = _model_only_explorer()
    keys = [k for k in ex.controls if k not in ("scenario", "method")]
    chosen = data.draw(st.lists(st.sampled_from(keys), min_size=1, max_size=4, unique=True))
    for key in chosen:
        w = ex.controls[key]
        before, old = ex.redraw_count, w.value
        if isinstance(w, ipywidgets.IntSlider):
            new = data.draw(st.integers(w.min, w.max))
        else:
            new = data.draw(st.floats(w.min, w.max, allow_nan=False))
        w.value = new
        assert ex.redraw_count == before + (new != old)
    assert ex.last_error is None
    sc = ex.scenario()
    for m in ("seed", "corrected"):
        assert ex.last[m].to_dict() == evaluate(sc, m).to_dict()
    assert span(ex.table.value, "va-net-corrected") == widgets.format_figure(evaluate(sc)["va_net"])


def test_a_scenario_that_cannot_load_is_shown(tmp_path):
    bad = tmp_path / "broken.toml"
    bad.write_text("name = 'broken'\n[brand]\nactive_customers = -1\n")
    pnl = widgets.pnl_explorer(["seed-demo", str(bad)], figures=())
    pnl.controls["scenario"].value = str(bad)
    assert pnl.last_error is not None
    assert "broken.toml" in pnl.output_text()
    assert pnl.redraw_count == 1
    assert pnl.scenario() == load_scenario("seed-demo")  # the sliders were left as they were
    pnl.controls["brand.avg_order_value"].value = 2000.0
    assert pnl.last_error is None and pnl.redraw_count == 2


def test_function_explorer_for_a_notebooks_own_model(demo):
    from aftersales.course import charts as plotting

    slider = ipywidgets.FloatSlider(value=1.0, min=0.0, max=2.0, step=0.1)
    ex = widgets.explorer(
        {"scale.acceptance": slider},
        lambda v: evaluate(widgets.scenario_with(demo, v)),
        lambda ev: [f"<b class='net'>{widgets.format_figure(ev['va_net'])}</b>",
                    plotting.service_economics_chart(ev)])
    assert slider.continuous_update is False
    assert ex.redraw_count == 1 and "-1,428,000" in ex.output_html() and len(images(ex)) == 1
    slider.value = 0.0
    assert ex.redraw_count == 2
    assert ex.last["va_net"] == -6_900_000  # no services used: minus the fixed costs
    assert "-6,900,000" in ex.output_html()
    with pytest.raises(TypeError, match="^a FunctionExplorer has no scenario of its own; see its compute function$"):
        ex.scenario()


# ------------------------------------------------------------------ Chinese, pictures, in place
def _widget_words(widget) -> str:
    """Every description, tab title, option label and HTML text of a widget tree."""
    import html as html_mod

    out, todo = [], [widget]
    while todo:
        w = todo.pop()
        out.append(getattr(w, "description", "") or "")
        out += list(getattr(w, "titles", ()) or ())
        if isinstance(w, ipywidgets.HTML):
            out.append(html_mod.unescape(re.sub(r"<style>.*?</style>|<[^>]+>", " ", w.value)))
        if isinstance(w, (ipywidgets.Dropdown, ipywidgets.ToggleButtons)):
            out += [str(o[0] if isinstance(o, tuple) else o) for o in w.options]
        todo += list(getattr(w, "children", ()) or ())
    return " ".join(out)


@pytest.mark.parametrize("make", [lambda: widgets.pnl_explorer("seed-demo", lang="zh", figures=()),
                                  lambda: widgets.service_explorer("seed-demo", lang="zh"),
                                  lambda: widgets.lifecycle_explorer("seed-demo", lang="zh")])
def test_a_chinese_explorer_holds_no_english_word(make):
    from aftersales.glossary import english_words

    ex = make()
    first = next(k for k in ex.controls if k not in ("scenario", "method"))
    ex.controls[first].value = ex.controls[first].value + ex.controls[first].step
    text = _widget_words(ex.widget)
    assert re.search(r"[\u4e00-\u9fff]", text)
    assert english_words(text) == [], text


def test_the_scan_of_an_english_explorer_finds_english():
    from aftersales.glossary import english_words

    assert "price" in english_words(_widget_words(widgets.pnl_explorer("seed-demo", figures=()).widget))


def test_a_move_redraws_in_place(pnl):
    """One figure each, built once: a move updates the same figures and the same Image widgets."""
    figs, imgs = (pnl._comparison.figure, pnl._dashboard.figure), list(pnl.images)
    old = pnl.pictures()
    pnl.controls["service[Basic remake].price"].value = 350.0
    assert (pnl._comparison.figure, pnl._dashboard.figure) == figs and pnl.images == imgs
    assert all(a != b for a, b in zip(old, pnl.pictures()))
    bar = pnl._dashboard.panels[0].rev[0]  # revenue of Basic remake, in wan
    assert bar.get_height() == pytest.approx(pnl.last["corrected"].services[0]["revenue"] / 1e4)


def test_pictures_are_110_dpi_at_their_own_size(drawn_pnl):
    from aftersales.course.controls import png_size

    for im, png in zip(drawn_pnl.images, drawn_pnl.pictures()):
        w, _ = png_size(png)
        assert im.layout.width == f"{w}px"
    assert png_size(drawn_pnl.pictures()[1])[0] == round(drawn_pnl._dashboard.figure.get_figwidth() * 110)


def test_a_redrawn_picture_is_the_figure_drawn_afresh(pnl):
    """The kept background plus the moved artists give the picture a full redraw would."""
    import io

    import numpy as np
    from PIL import Image

    pnl.controls["service[Deep clean & care].acceptance"].value = 0.3
    live = pnl._dashboard
    fast = np.asarray(Image.open(io.BytesIO(pnl.pictures()[1])).convert("RGB"), dtype=int)
    for a in live.animated:
        a.set_animated(False)
    buf = io.BytesIO()
    live.figure.savefig(buf, format="png", dpi=110)
    full = np.asarray(Image.open(io.BytesIO(buf.getvalue())).convert("RGB"), dtype=int)
    assert fast.shape == full.shape
    assert np.mean(np.abs(fast - full) > 40) < 0.01  # the same picture, up to antialiasing and draw order


def test_the_app_says_the_chance_of_breaking_even_in_the_verdict_words():
    """The P&L explorer (the app) states the Monte Carlo's verdict, the word matching its probability."""
    from aftersales.course.explorers import pnl_explorer
    from aftersales.model.montecarlo import simulate

    ex = pnl_explorer("seed-demo", figures=())
    p = simulate("seed-demo", draws=ex.CHANCE_DRAWS, seed=0).summary()["prob_break_even"]
    word = "likely" if p >= 0.8 else "more likely than not" if p >= 0.5 else "unlikely" if p >= 0.2 else "very unlikely"
    assert word in ex.chance.value
    assert p < 0.2 and "very unlikely" in ex.chance.value          # seed-demo, prices held
