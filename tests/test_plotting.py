"""Figures of aftersales.course.charts: panels, bars, labels, waterfalls that add up, zh labels."""
import re
import subprocess
import sys
import warnings
from dataclasses import replace
from types import SimpleNamespace

import matplotlib

matplotlib.use("Agg")

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import Rectangle  # noqa: E402

import aftersales  # noqa: E402
from aftersales.course import charts as plotting  # noqa: E402
from aftersales.course import style  # noqa: E402
from aftersales.model.kernel import lifetime_multiplier  # noqa: E402
from aftersales.model.evaluation import evaluate  # noqa: E402
from aftersales.model.leakage import leakage_per_item  # noqa: E402
from aftersales.model.lifecycle import TOUCH_MONTH, cohort_timeline  # noqa: E402
from aftersales.model.scenario import load_scenario, scenario_names  # noqa: E402
from conftest import examples  # noqa: E402


@pytest.fixture(scope="module")
def demo():
    return load_scenario("seed-demo")


def bars(ax):
    return [p for p in ax.patches if isinstance(p, Rectangle)]


def tick_labels(ax):
    return [t.get_text() for t in ax.get_xticklabels()]


def all_text(fig):
    return " ".join(t.get_text() for t in fig.findobj(matplotlib.text.Text))


# ------------------------------------------------------------------ dashboard
@pytest.mark.parametrize("method", ["seed", "corrected"])
def test_dashboard_has_four_panels_and_a_title_naming_scenario_and_method(demo, method):
    ev = evaluate(demo, method)
    fig = plotting.dashboard(ev)
    assert isinstance(fig, Figure)
    assert len(fig.axes) == 4
    title = fig._suptitle.get_text()
    assert "seed-demo" in title and method in title


def test_revenue_cost_panel_in_wan(demo):
    ev = evaluate(demo, "corrected")
    ax = plotting.dashboard(ev).axes[0]
    heights = [b.get_height() for b in bars(ax)]
    assert len(heights) == 2 * len(demo.services)
    expected = [s["revenue"] / 1e4 for s in ev.services] + [s["cost"] / 1e4 for s in ev.services]
    assert heights == pytest.approx(expected)
    assert "wan" in ax.get_ylabel()
    assert len(tick_labels(ax)) == len(demo.services)


def test_margin_panel_has_the_60_percent_line(demo):
    ev = evaluate(demo, "corrected")
    ax = plotting.dashboard(ev).axes[1]
    assert [b.get_height() for b in bars(ax)] == pytest.approx(
        [64.2857142857, 65.5172413793, 57.03125, 54.5454545454, 67.5], abs=1e-6)
    assert any(np.allclose(line.get_ydata(), 60) for line in ax.lines)


@pytest.mark.parametrize("method", ["seed", "corrected"])
def test_pnl_panel_shows_traditional_net_value_added_net_and_total_effect(demo, method):
    ev = evaluate(demo, method)
    ax = plotting.dashboard(ev).axes[2]
    assert [b.get_height() for b in bars(ax)] == pytest.approx(
        [ev["traditional_net"] / 1e4, ev["va_net"] / 1e4, ev["total_effect"] / 1e4])


def test_seed_waterfall_has_eight_bars_and_eight_labels(demo):
    ev = evaluate(demo, "seed")
    ax = plotting.dashboard(ev).axes[3]
    assert len(bars(ax)) == 8
    labels = tick_labels(ax)
    assert len(labels) == 8 and labels[0] == "base LTV" and labels[-1] == "final LTV"
    assert "wake-up" in labels[-2]


def waterfall_adds_up(ax, final):
    rects = bars(ax)
    start, steps, last = rects[0], rects[1:-1], rects[-1]
    running = start.get_height()
    for r in steps:  # each step starts where the previous one ended
        assert r.get_y() == pytest.approx(running, rel=1e-12)
        running += r.get_height()
    assert running == pytest.approx(last.get_height(), rel=1e-12)
    assert last.get_height() == pytest.approx(final, rel=1e-12)


@pytest.mark.parametrize("method", ["seed", "corrected"])
@pytest.mark.parametrize("name", scenario_names())
def test_ltv_waterfall_adds_up_to_ltv_value_added(name, method):
    ev = evaluate(name, method)
    ax = plotting.dashboard(ev).axes[3]
    waterfall_adds_up(ax, ev["ltv_value_added"])


def test_corrected_waterfall_pieces(demo):
    ev = evaluate(demo, "corrected")
    steps = plotting.ltv_bridge(ev)
    assert len(steps) == 4
    assert [round(v, 2) for _, v in steps] == [3200.0, 547.18, 107.45, 3854.63]
    b = demo.brand
    m1 = lifetime_multiplier(ev["repurchase_12m_value_added"], b.discount_rate)
    assert steps[2][1] == pytest.approx(ev["service_contribution"] / b.active_customers * m1)
    assert "28%" in steps[1][0] and "40.0%" in steps[1][0]


def test_seed_waterfall_pieces_are_the_article_formula(demo):
    ev = evaluate(demo, "seed")
    steps = plotting.ltv_bridge(ev)
    n = demo.brand.active_customers
    per_service = [s.ltv_extension * np.floor(n * s.acceptance) / n for s in demo.services]
    assert [v for _, v in steps[1:-2]] == pytest.approx(per_service)
    assert steps[-2][1] == pytest.approx(24912 * 1800 * 0.6 / n)
    assert steps[-1][1] == pytest.approx(3732.812)


@settings(max_examples=examples(40), deadline=None)
@given(p0=st.floats(0, 0.95), c=st.floats(0, 1), d=st.floats(0, 0.5), mult=st.floats(0, 2.4),
       method=st.sampled_from(["seed", "corrected"]))
def test_ltv_bridge_always_adds_up(p0, c, d, mult, method):
    sc = load_scenario("seed-demo")
    sc = replace(sc, brand=replace(sc.brand, baseline_repurchase_12m=p0, wakeup_conversion=c,
                                   discount_rate=d),
                 services=tuple(replace(s, acceptance=s.acceptance * mult) for s in sc.services))
    ev = evaluate(sc, method)
    steps = [v for _, v in plotting.ltv_bridge(ev)]
    assert sum(steps[:-1]) == pytest.approx(steps[-1], rel=1e-9, abs=1e-9)
    assert steps[-1] == ev["ltv_value_added"]


def test_colours_are_six_digit_hex():
    for c in plotting.SERVICE_COLOURS + (plotting.FINAL, plotting.BASE, plotting.REVENUE):
        assert re.fullmatch(r"#[0-9a-f]{6}", c)


def test_dashboard_needs_an_evaluation(demo):
    with pytest.raises(TypeError, match="Evaluation"):
        plotting.dashboard(demo)


@pytest.mark.parametrize("make", [plotting.service_economics_chart, plotting.ServiceEconomics])
def test_service_economics_needs_an_evaluation(demo, make):
    # a Scenario (the usual slip: evaluate() forgotten) and a dict: one clear line, not the
    # AttributeError of whichever attribute the chart reads first
    for wrong, name in ((demo, "Scenario"), ({"method": "corrected"}, "dict")):
        with pytest.raises(TypeError) as exc:
            make(wrong)
        assert str(exc.value) == ("service_economics_chart needs an Evaluation (aftersales.evaluate(...)), "
                                  f"got {name}")


def test_figures_show_in_jupyter_without_pyplot(demo):
    import matplotlib.pyplot as plt

    before = plt.get_fignums()
    fig = plotting.dashboard(evaluate(demo))
    assert fig._repr_png_()[:4] == b"\x89PNG"
    assert plt.get_fignums() == before  # nothing left in pyplot's global state


def test_import_aftersales_stays_light():
    code = ("import sys, aftersales; "
            "print(any(m in sys.modules for m in ('matplotlib', 'ipywidgets', 'pandas')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


# ------------------------------------------------------------------ method comparison
def test_method_comparison_side_by_side(demo):
    fig = plotting.method_comparison(demo)
    ax, ax_ltv = fig.axes
    seed, corr = evaluate(demo, "seed"), evaluate(demo, "corrected")
    keys = ["service_revenue", "va_cost", "va_net", "wakeup_revenue", "total_effect"]
    heights = [b.get_height() for b in bars(ax)]
    assert heights == pytest.approx([seed[k] / 1e4 for k in keys] + [corr[k] / 1e4 for k in keys])
    assert len(tick_labels(ax)) == 5
    assert [b.get_height() for b in bars(ax_ltv)] == pytest.approx([3732.812, 3854.6251881726])


def test_method_comparison_accepts_evaluations(demo):
    evs = aftersales.evaluate_both(demo)
    fig = plotting.method_comparison(evs)
    assert len(bars(fig.axes[0])) == 10
    with pytest.raises(ValueError, match="seed and corrected"):
        plotting.method_comparison({"seed": evs["seed"]})


# ------------------------------------------------------------------ leakage
@pytest.mark.parametrize("method", ["seed", "corrected"])
@pytest.mark.parametrize("route", ["own", "new"])
def test_leakage_waterfall_adds_up(demo, method, route):
    fig = plotting.leakage_waterfall(demo, method=method, route=route)
    ax = fig.axes[0]
    r = bars(ax)
    assert len(r) == 6 and len(tick_labels(ax)) == 6
    price, leak, recovered, fee, cost, final = r
    per_item = leakage_per_item(demo.leakage, method)
    assert price.get_height() == 1500
    assert leak.get_height() == pytest.approx(-per_item["leakage_vs_price"])
    assert price.get_height() + leak.get_height() == pytest.approx(recovered.get_height())
    assert recovered.get_height() == pytest.approx(225)
    assert fee.get_y() == pytest.approx(recovered.get_height())
    assert cost.get_y() == pytest.approx(fee.get_y() + fee.get_height())
    assert final.get_height() == pytest.approx(cost.get_y() + cost.get_height())
    key = "remake_own_recovery" if route == "own" else "remake_new_recovery"
    assert final.get_height() == pytest.approx(per_item[key])
    expected = {("seed", "own"): 525, ("seed", "new"): 725, ("corrected", "own"): 425,
                ("corrected", "new"): 625}
    assert final.get_height() == pytest.approx(expected[(method, route)])


def test_leakage_waterfall_takes_inputs_and_rejects_bad_ones(demo):
    assert len(bars(plotting.leakage_waterfall(demo.leakage).axes[0])) == 6
    with pytest.raises(ValueError, match="route"):
        plotting.leakage_waterfall(demo, route="elsewhere")
    with pytest.raises(ValueError, match="no \\[leakage\\] table"):
        plotting.leakage_waterfall(replace(demo, leakage=None))


# ------------------------------------------------------------------ what-if figures
def tornado_frame():
    df = pd.DataFrame({
        "parameter": ["brand.avg_order_value", "service[A].acceptance", "service[B].price"],
        "label": ["order value", "A: acceptance", "B: price"],
        "base_value": [1800.0, 0.2, 100.0], "low_value": [1200.0, 0.15, 50.0],
        "high_value": [3500.0, 0.25, 150.0], "figure_low": [-5e6, 1e6, 1.5e6],
        "figure_high": [9e6, 3e6, 2.5e6], "swing": [14e6, 2e6, 1e6]})
    df.attrs.update(base_figure=2e6, figure="total_effect")
    return df


def test_tornado_chart_of_a_documented_frame():
    fig = plotting.tornado_chart(tornado_frame())
    ax = fig.axes[0]
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels == ["B: price", "A: acceptance", "order value"]  # largest swing on top
    assert len(bars(ax)) == 6
    ends = sorted(b.get_x() + b.get_width() for b in bars(ax))
    assert ends == pytest.approx(sorted([-500, 900, 100, 300, 150, 250]))
    assert "x" not in "".join(t.get_text() for t in ax.texts if "%" in t.get_text())
    assert {"15%", "25%", "1,200", "3,500"} <= {t.get_text() for t in ax.texts}


def test_tornado_chart_of_the_real_tornado(demo):
    from aftersales.model import sensitivity

    df = sensitivity.tornado(demo)
    ax = plotting.tornado_chart(df, top=None).axes[0]
    assert len(ax.get_yticklabels()) == len(df)
    assert len(plotting.tornado_chart(df, top=5).axes[0].get_yticklabels()) == 5


def test_tornado_chart_names_missing_columns():
    df = tornado_frame().drop(columns=["swing"])
    with pytest.raises(ValueError, match="swing"):
        plotting.tornado_chart(df)


def test_grid_heatmap_writes_every_cell(demo):
    from aftersales.model import sensitivity

    df = sensitivity.grid(demo, "scale.acceptance", [0.5, 1.0, 1.5], "scale.price", [0.8, 1.0], "va_net")
    fig = plotting.grid_heatmap(df)
    ax = fig.axes[0]
    assert len(fig.axes) == 2  # the map and its colour bar
    assert len(ax.texts) == 6
    assert "-142.8" in {t.get_text() for t in ax.texts}  # seed-demo's corrected net, in wan
    assert [t.get_text() for t in ax.get_yticklabels()] == ["x0.5", "x1", "x1.5"]


def test_monte_carlo_chart_marks_percentiles_and_probability(demo):
    from aftersales.model import montecarlo

    result = montecarlo.simulate(demo, draws=3000, seed=1)
    fig = plotting.monte_carlo_chart(result)
    ax = fig.axes[0]
    s = result.summary()
    xs = sorted(float(line.get_xdata()[0]) for line in ax.lines)
    assert xs == pytest.approx(sorted([s["p5"] / 1e4, s["p50"] / 1e4, s["p95"] / 1e4, -680.0]))
    assert f"{s['prob_value_added_beats_traditional']:.1%}" in all_text(fig)


def fake_result():
    te = np.linspace(-2e6, 4e6, 1001)
    return SimpleNamespace(total_effect=te, va_net=te - 1e6, traditional_net=np.full(te.size, -3e6),
                           summary=lambda: {"draws": te.size, "method": "corrected",
                                            "p5": -1.7e6, "p50": 1e6, "p95": 3.7e6,
                                            "prob_value_added_beats_traditional": 0.875})


def grid_frame():
    df = pd.DataFrame([[-1e6, 2e5], [3e5, 1.5e6]], index=pd.Index([0.1, 0.2], name="service[A].acceptance"),
                      columns=pd.Index([100.0, 200.0], name="service[A].price"))
    df.attrs.update(row_param="service[A].acceptance", col_param="service[A].price", figure="va_net")
    return df


def test_grid_heatmap_of_a_documented_frame():
    fig = plotting.grid_heatmap(grid_frame())
    ax = fig.axes[0]
    assert sorted(t.get_text() for t in ax.texts) == sorted(["-100.0", "20.0", "30.0", "150.0"])
    assert [t.get_text() for t in ax.get_yticklabels()] == ["10%", "20%"]
    assert [t.get_text() for t in ax.get_xticklabels()] == ["100", "200"]


def test_monte_carlo_chart_of_a_documented_result():
    fig = plotting.monte_carlo_chart(fake_result())
    assert "87.5%" in all_text(fig)
    assert len(fig.axes[0].lines) == 4


def test_cohort_chart_marks_touch_months(demo):
    df = cohort_timeline(demo)
    fig = plotting.cohort_chart(df)
    ax = fig.axes[0]
    vlines = sorted(line.get_xdata()[0] for line in ax.lines if len(set(line.get_xdata())) == 1
                    and len(line.get_xdata()) == 2)
    assert vlines == sorted(TOUCH_MONTH.values())
    assert len(ax.get_legend().get_texts()) == 5
    p1 = evaluate(demo)["repurchase_12m_value_added"]
    assert f"p1 = {p1:.1%}" in all_text(fig)
    with pytest.raises(ValueError, match="woken"):
        plotting.cohort_chart(df.drop(columns=["woken"]))


def test_service_economics_chart(demo):
    ev = evaluate(demo)
    fig = plotting.service_economics_chart(ev)
    assert len(fig.axes) == 2
    assert len(bars(fig.axes[0])) == 2 * len(demo.services)
    assert len(bars(fig.axes[1])) == len(demo.services)


# ------------------------------------------------------------------ languages
ALL_FIGURES = [
    lambda sc, lang: plotting.dashboard(evaluate(sc), lang=lang),
    lambda sc, lang: plotting.method_comparison(sc, lang=lang),
    lambda sc, lang: plotting.leakage_waterfall(sc, lang=lang),
    lambda sc, lang: plotting.cohort_chart(cohort_timeline(sc), lang=lang),
    lambda sc, lang: plotting.service_economics_chart(evaluate(sc), lang=lang),
    lambda sc, lang: plotting.tornado_chart(tornado_frame(), lang=lang),
    lambda sc, lang: plotting.grid_heatmap(grid_frame(), lang=lang),
    lambda sc, lang: plotting.monte_carlo_chart(fake_result(), lang=lang),
]


def test_zh_falls_back_to_english_with_exactly_one_warning(demo, monkeypatch):
    monkeypatch.setattr(style, "find_cjk_font", lambda: None)
    monkeypatch.setattr(style, "_zh_warned", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        figs = [make(demo, "zh") for make in ALL_FIGURES]
        figs.append(plotting.dashboard(evaluate(demo), lang="zh"))
    mine = [w for w in caught if "CJK" in str(w.message)]
    assert len(mine) == 1
    assert mine[0].filename == __file__  # points at the caller, not at the library
    assert "Revenue vs cost per service" in all_text(figs[0])
    assert not re.search(r"[\u4e00-\u9fff]", " ".join(all_text(f) for f in figs))


def test_zh_uses_an_installed_cjk_font(demo, monkeypatch):
    monkeypatch.setattr(style, "find_cjk_font", lambda: "DejaVu Sans")
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no fallback warning on this path
        fig = plotting.dashboard(evaluate(demo), lang="zh")
    assert fig._suptitle.get_text().startswith("售后盈利分析面板")
    assert fig.axes[0].get_title(loc="left") == "各服务收入与成本"
    assert "万元" in fig.axes[0].get_ylabel()
    assert fig._suptitle.get_fontfamily()[0] == "DejaVu Sans"
    assert matplotlib.rcParams["font.family"] != ["DejaVu Sans", "DejaVu Sans"]  # rc restored
    for make in ALL_FIGURES[1:]:
        assert re.search(r"[\u4e00-\u9fff]", all_text(make(demo, "zh")))


def test_find_cjk_font_prefers_known_fonts(monkeypatch):
    from matplotlib import font_manager

    fake = [SimpleNamespace(name=n) for n in ("DejaVu Sans", "Noto Sans CJK SC", "WenQuanYi Micro Hei")]
    monkeypatch.setattr(font_manager.fontManager, "ttflist", fake)
    assert plotting.find_cjk_font() == "WenQuanYi Micro Hei"
    monkeypatch.setattr(font_manager.fontManager, "ttflist", fake[:2])
    assert plotting.find_cjk_font() == "Noto Sans CJK SC"
    monkeypatch.setattr(font_manager, "findSystemFonts", lambda *a, **k: ["/fonts/DejaVuSans.ttf"])
    monkeypatch.setattr(font_manager.fontManager, "ttflist", fake[:1])
    assert plotting.find_cjk_font() is None


def test_a_cjk_font_installed_after_the_font_cache_is_found(monkeypatch):
    """matplotlib's cache was built before the CJK font was installed: the font file is added."""
    from matplotlib import font_manager

    added = []
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [SimpleNamespace(name="DejaVu Sans")])
    monkeypatch.setattr(font_manager, "findSystemFonts",
                        lambda *a, **k: ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
                                         "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"])

    def addfont(path):
        added.append(path)
        font_manager.fontManager.ttflist.append(SimpleNamespace(name="WenQuanYi Micro Hei"))
    monkeypatch.setattr(font_manager.fontManager, "addfont", addfont)
    assert plotting.find_cjk_font() == "WenQuanYi Micro Hei"
    assert added == ["/usr/share/fonts/truetype/wqy/wqy-microhei.ttc"]


def test_every_english_label_has_a_chinese_one():
    from aftersales.glossary import LABELS

    for key, (en, zh) in LABELS.items():
        assert en and zh, key
        assert set(re.findall(r"{(\w+)", en)) == set(re.findall(r"{(\w+)", zh)), key


def test_unknown_language_is_an_error(demo):
    with pytest.raises(ValueError, match="lang"):
        plotting.dashboard(evaluate(demo), lang="fr")


# ------------------------------------------------------------------ the one glossary, in Chinese
needs_cjk = pytest.mark.skipif(style.find_cjk_font() is None, reason="no CJK font installed")


def zh_leftovers(fig):
    """English words left in a figure drawn with lang="zh" (ticks, labels, titles, legends)."""
    from aftersales.glossary import english_words

    fig.draw_without_rendering()    # lays out every text (the ticks are made at draw time), no pixels
    return english_words(all_text(fig))


def real_tornado(sc):
    from aftersales.model import sensitivity

    return plotting.tornado_chart(sensitivity.tornado(sc), lang="zh", top=None)


def real_grid(sc):
    from aftersales.model import sensitivity

    df = sensitivity.grid(sc, f"service[{sc.services[0].name}].acceptance", [0.1, 0.2], "scale.price", [0.8, 1.0],
                          "va_net")
    return plotting.grid_heatmap(df, lang="zh")


@needs_cjk
@pytest.mark.parametrize("name", ["seed-demo", "outdoor-repair"])
@pytest.mark.parametrize("make", ALL_FIGURES[:5] + [lambda sc, lang: real_tornado(sc), lambda sc, lang: real_grid(sc),
                                                     lambda sc, lang: plotting.monte_carlo_chart(fake_result(), lang)])
def test_a_chinese_figure_holds_no_english_word(name, make):
    sc = load_scenario(name)
    if sc.leakage is None and make is ALL_FIGURES[2]:
        pytest.skip("no [leakage] table")
    assert zh_leftovers(make(sc, "zh")) == []


def test_the_scan_finds_english():
    from aftersales.glossary import english_words

    assert english_words("服务收入 revenue LTV p1 = 40.0%") == ["revenue"]
    fig = plotting.dashboard(evaluate("seed-demo"), lang="en")
    assert "Revenue" in zh_leftovers(fig)


def test_both_is_english_then_chinese(monkeypatch):
    monkeypatch.setattr(style, "find_cjk_font", lambda: "DejaVu Sans")
    fig = plotting.dashboard(evaluate("seed-demo"), lang="both")
    assert fig.axes[0].get_title(loc="left") == "Revenue vs cost per service (各服务收入与成本)"


def test_segment_charts_follow_the_one_rule(monkeypatch):
    import pandas as pd

    from aftersales.segment.charts import pareto_chart

    monkeypatch.setattr(style, "find_cjk_font", lambda: "DejaVu Sans")
    t = pd.DataFrame({"category": ["a", "b"], "cost": [3e4, 1e4], "share_of_cost": [0.75, 0.25],
                      "cumulative_share": [0.75, 1.0]})
    zh = pareto_chart(t, lang="zh").axes[0]
    assert zh.get_ylabel() == "成本(万元)" and zh.get_title().startswith("售后成本帕累托图")
    assert pareto_chart(t, lang="both").axes[0].get_ylabel() == "cost, wan yuan (成本(万元))"
    assert pareto_chart(t, lang="en").axes[0].get_ylabel() == "cost, wan yuan"


def test_service_names_are_chinese_in_zh():
    from aftersales.glossary import SERVICE_NAMES, service_name

    for name in scenario_names():
        for s in load_scenario(name).services:
            assert s.name in SERVICE_NAMES, f"{s.name} of {name} has no Chinese name in the glossary"
    assert service_name("My own remake", "zh", "remake") == "旧衣改造"


# ------------------------------------------------------------------ display defects
def test_figures_are_sharp_and_their_text_readable():
    for make in ALL_FIGURES:
        fig = make(load_scenario("seed-demo"), "en")
        w_px = fig.get_figwidth() * fig.dpi
        assert fig.dpi >= 110 and w_px <= style.MAX_WIDTH_PX
        assert style.min_text_px(fig) >= style.MIN_TEXT_PX
    png = plotting.dashboard(evaluate("seed-demo"))._repr_png_()
    from aftersales.course.controls import png_size

    assert png_size(png)[0] == round(plotting.dashboard(evaluate("seed-demo")).get_figwidth() * 110)


def test_the_ltv_legend_covers_no_bar(demo):
    fig = plotting.method_comparison(demo)
    fig.canvas.draw() if hasattr(fig.canvas, "renderer") else fig.savefig(__import__("io").BytesIO())
    ax2 = fig.axes[1]
    r = fig.canvas.get_renderer() if hasattr(fig.canvas, "get_renderer") else None
    legend = ax2.get_legend().get_window_extent(r)
    for b in bars(ax2):
        assert not legend.overlaps(b.get_window_extent(r))


def test_a_free_service_shows_no_margin(demo):
    from aftersales.course.controls import service_table_html

    sc = replace(demo, services=(replace(demo.services[0], price=0.0),) + demo.services[1:])
    ev = evaluate(sc)
    fig = plotting.dashboard(ev)
    texts = [t.get_text() for t in fig.axes[1].texts]
    assert texts[0] == "free" and "0.0%" not in texts
    assert "0.0%" not in service_table_html(ev) and "free" in service_table_html(ev)


def test_tornado_outside_the_range_is_drawn_apart_and_explained():
    df = tornado_frame()
    df.loc[1, ["figure_low", "figure_high"]] = [2.5e6, 3e6]  # both above the base 2e6
    fig = plotting.tornado_chart(df)
    ax = fig.axes[0]
    row = [b for b in bars(ax) if abs(b.get_y() + b.get_height() / 2 - 1) < 0.5]  # row 1 (A: acceptance)
    assert len(row) == 2 and all(b.get_height() < 0.4 for b in row)
    a, b = sorted(row, key=lambda r: r.get_y())
    assert a.get_y() + a.get_height() <= b.get_y() + 1e-9  # side by side, not on top of each other
    assert any(t.get_text().endswith("*") for t in ax.get_yticklabels())
    assert "outside the article's range" in all_text(fig)
    assert "outside" not in all_text(plotting.tornado_chart(tornado_frame()))


# ------------------------------------------------------------------ the report, in Chinese
def test_the_chinese_report_holds_no_english_word():
    from aftersales.cli.model_cmds import format_report
    from aftersales.glossary import english_words

    for name in scenario_names():
        text = format_report(name, "zh")
        assert english_words(text) == [], name
        assert "价值流失" not in text and "客户终身价值" not in text and "接受率" not in text
    assert "Verdict" in format_report("seed-demo") and english_words(format_report("seed-demo"))


def test_one_chinese_word_per_term():
    from aftersales.glossary import INPUTS, LABELS, TERMS

    words = [t.zh for t in TERMS.values()] + [t.zh for t in INPUTS.values()] + [zh for _, zh in LABELS.values()]
    for wrong in ("价值流失", "客户终身价值", "接受率"):
        assert not any(wrong in w for w in words), wrong
