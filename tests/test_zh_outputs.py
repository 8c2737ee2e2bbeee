"""With lang="zh" no English word reaches a student: every course figure, table, explorer and message.

The Chinese notebooks' executed outputs are scanned by the nbval hook of tests/conftest.py
(:func:`conftest.english_in_outputs`); this file scans what the library draws and writes for every
shipped scenario, and shows that the hook's scan catches a planted English output.
"""
from __future__ import annotations

import re

import matplotlib

matplotlib.use("Agg")

import pytest  # noqa: E402

from aftersales import evaluate, evaluate_both, load_scenario  # noqa: E402
from aftersales.glossary import english_words  # noqa: E402
from aftersales.model.scenario import scenario_names  # noqa: E402

SCENARIOS = scenario_names()
_MATH = re.compile(r"\$[^$]*\$")


@pytest.fixture(autouse=True)
def chinese_labels(monkeypatch):
    """Draw the Chinese labels even where matplotlib's font list has no CJK font (the words are tested,
    not the glyphs)."""
    import warnings

    from aftersales.course import style

    if style.find_cjk_font() is None:
        monkeypatch.setattr(style, "find_cjk_font", lambda: "DejaVu Sans")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=r".*[Gg]lyph .* missing from")
        yield
    import matplotlib.pyplot as plt
    plt.close("all")


def figure_words(fig) -> list[str]:
    """English words of every Text artist of a figure (titles, axes, ticks, legends, annotations)."""
    from matplotlib.text import Text

    texts = {t.get_text() for t in fig.findobj(Text)}
    return [w for t in texts for w in english_words(_MATH.sub(" ", t))]


def table_words(df) -> list[str]:
    """English words of a table's headers, index and text cells."""
    import pandas as pd

    parts = [str(c) for c in df.columns.to_flat_index()] + [str(i) for i in df.index.to_flat_index()]
    parts += [str(n) for n in (*df.columns.names, *df.index.names) if n is not None]
    parts += [v for v in df.to_numpy().ravel() if isinstance(v, str)]
    assert not any(isinstance(v, (bool,)) or v is pd.NA for v in df.to_numpy().ravel()), "a bare True/False/NA"
    return [w for p in parts for w in english_words(p)]


def _visible(markup: str) -> str:
    """The text of HTML as a reader sees it: no styles, scripts or tags."""
    import html

    markup = re.sub(r"<(style|script)\b.*?</\1\s*>", " ", markup, flags=re.S | re.I)
    return html.unescape(re.sub(r"<[^>]+>", " ", markup))


def widget_words(widget) -> list[str]:
    """English words of a widget tree: descriptions, option labels, HTML and label values."""
    out = []
    stack = [widget]
    while stack:
        w = stack.pop()
        stack.extend(getattr(w, "children", ()) or ())
        for attr in ("description", "tooltip", "placeholder"):
            out.append(str(getattr(w, attr, "") or ""))
        for opt in getattr(w, "_options_labels", ()) or ():
            out.append(str(opt))
        if type(w).__name__ in ("HTML", "HTMLMath", "Label"):
            out.append(_visible(str(w.value)))
    return [x for t in out for x in english_words(_MATH.sub(" ", t))]


# ------------------------------------------------------------------ figures
@pytest.mark.parametrize("name", SCENARIOS)
def test_charts_in_chinese(name):
    from aftersales.course.assumption_charts import wakeup_bounds_chart
    from aftersales.course.charts import cohort_chart, dashboard, leakage_waterfall, method_comparison
    from aftersales.course.dashboard import service_economics_chart
    from aftersales.course.parameters import with_leakage
    from aftersales.model.lifecycle import cohort_timeline

    sc = load_scenario(name)
    both = evaluate_both(sc)
    lk = with_leakage(sc)[0].leakage
    figs = {"dashboard": dashboard(both["corrected"], lang="zh"),
            "dashboard seed": dashboard(both["seed"], lang="zh"),
            "service economics": service_economics_chart(both["corrected"], lang="zh"),
            "method comparison": method_comparison(both, lang="zh"),
            "cohort": cohort_chart(cohort_timeline(sc), lang="zh"),
            "wake-up bounds": wakeup_bounds_chart(both["corrected"], lang="zh")}
    for m in ("corrected", "seed"):
        for route in ("own", "new"):
            figs[f"leakage {m} {route}"] = leakage_waterfall(lk, method=m, route=route, lang="zh")
    found = {k: sorted(set(figure_words(f))) for k, f in figs.items()}
    assert {k: v for k, v in found.items() if v} == {}


@pytest.mark.parametrize("name", SCENARIOS)
def test_what_if_charts_in_chinese(name):
    from aftersales.course.assumption_charts import break_even_chart
    from aftersales.course.charts import grid_heatmap, monte_carlo_chart, tornado_chart
    from aftersales.model.montecarlo import simulate
    from aftersales.model.sensitivity import grid, tornado

    sc = load_scenario(name)
    mc = simulate(sc, draws=2_000, seed=0)
    figs = {"tornado": tornado_chart(tornado(sc, figure="va_net"), lang="zh", top=12),
            "grid": grid_heatmap(grid(sc, "scale.acceptance", [0.8, 1.0], "scale.price", [0.9, 1.1],
                                      figure="va_net"), lang="zh"),
            "monte carlo": monte_carlo_chart(mc, lang="zh"),
            "break even": break_even_chart(mc, lang="zh")}
    found = {k: sorted(set(figure_words(f))) for k, f in figs.items()}
    assert {k: v for k, v in found.items() if v} == {}


# ------------------------------------------------------------------ tables and text
@pytest.mark.parametrize("name", SCENARIOS)
def test_tables_and_messages_in_chinese(name):
    from aftersales.course import tables
    from aftersales.course.parameters import scenario_summary, with_leakage
    from aftersales.model.evaluation import verdict

    sc = load_scenario(name)
    ev = evaluate(sc)
    lk = with_leakage(sc)[0].leakage
    found = {"series": table_words(tables.series_table("zh")),
             "cost": table_words(tables.cost_table(sc, "zh")),
             "services": table_words(tables.services_table(sc, "zh").reset_index(drop=True)),  # index: the file's names
             "comparison": table_words(tables.comparison_display(sc, "zh")),
             "leakage inputs": table_words(tables.leakage_inputs_table(lk, "zh")),
             "leakage": table_words(tables.leakage_table(lk, "zh")),
             "wake-up bounds": table_words(tables.wakeup_bounds_table(ev, "zh")),
             "summary": english_words(re.sub(r"'[^']*'", " ", scenario_summary(sc, "zh"))),
             "verdict": english_words(verdict(ev, "zh")),
             "verdict seed": english_words(verdict(evaluate(sc, "seed"), "zh"))}
    assert {k: sorted(set(v)) for k, v in found.items() if v} == {}


@pytest.mark.parametrize("name", SCENARIOS)
def test_report_in_chinese(name):
    from aftersales.cli.model_cmds import format_report

    assert sorted(set(english_words(format_report(name, "zh")))) == []


def test_explorers_in_chinese():
    from aftersales.course.explorers import lifecycle_explorer, pnl_explorer, service_explorer

    found = {}
    for make in (pnl_explorer, service_explorer, lifecycle_explorer):
        ex = make("seed-demo", lang="zh")
        text = _visible(ex.output_html()) if hasattr(ex, "output_html") else ""
        words = widget_words(ex.widget) + english_words(_MATH.sub(" ", text))
        if words:
            found[make.__name__] = sorted(set(words))
    assert found == {}


def test_english_stays_as_the_model_names_it():
    """lang="en" (the default) keeps today's English tables: the figures as COMPARISON_ROWS names them."""
    from aftersales.course.tables import comparison_display, wakeup_bounds_table
    from aftersales.model.evaluation import BOUND_ROWS, COMPARISON_ROWS

    t = comparison_display("seed-demo")
    assert list(t.index) == [label for label, _, _ in COMPARISON_ROWS]
    assert list(t.columns) == ["seed", "corrected", "difference", "unit"]
    b = wakeup_bounds_table(evaluate("seed-demo"))
    assert list(b.index) == [label for label, _, _ in BOUND_ROWS]


# ------------------------------------------------------------------ the nbval hook's scan can fail
def test_hook_scan_catches_a_planted_english_output(zh_output_scan):
    chinese = [{"output_type": "stream", "name": "stdout", "text": "情景 原文示例:80,000 名活跃客户,LTV 3,854.63 元\n"},
               {"output_type": "execute_result", "execution_count": 1,
                "data": {"text/plain": "<Figure size 640x480 with 1 Axes>", "image/png": "iVBOR"}},
               {"output_type": "display_data",
                "data": {"text/html": "<style>.x {text-align: left}</style><table><tr><th>指标</th></tr>"
                                      "<tr><td>总效应</td></tr></table>", "text/plain": "figure total"}},
               {"output_type": "display_data", "data": {"text/markdown": "增值净额 $\\text{net} = R - C$"}},
               {"output_type": "stream", "name": "stdout", "text": "q1:把 None 换成你的答案,参数 'scale.price'\n"}]
    assert zh_output_scan(chinese) == []
    planted = chinese + [{"output_type": "stream", "name": "stdout", "text": "Scenario 'seed-demo': 5 services\n"},
                         {"output_type": "display_data",
                          "data": {"text/html": "<table><tr><th>revenue</th></tr></table>"}}]
    assert zh_output_scan(planted) == ["Scenario", "services", "revenue"]
