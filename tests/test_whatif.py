"""What-if analysis: tornado, two-way grid, goal seek, scenarios side by side, Monte Carlo."""
import numpy as np
import pytest

from aftersales import evaluate, load_scenario
from aftersales.model.kernel import apply_parameter
from aftersales.model.montecarlo import draw_batch, simulate
from aftersales.model.ranges import ARTICLE_RANGES, UNCERTAIN_INPUTS
from aftersales.model.sensitivity import compare_scenarios, goal_seek, grid, tornado


def test_tornado_swings_each_input_over_the_article_range():
    df = tornado("seed-demo", "total_effect")
    assert df.attrs["base_figure"] == pytest.approx(evaluate("seed-demo")["total_effect"])
    assert list(df["swing"]) == sorted(df["swing"], reverse=True)
    row = df.set_index("parameter").loc["service[Repair & refresh].price"]
    # the one range rule: 88 x 50 / 100 and 88 x 150 / 100
    assert (row["low_value"], row["high_value"]) == (pytest.approx(44), pytest.approx(132))
    sc = load_scenario("seed-demo")
    for v, col in ((44, "figure_low"), (132, "figure_high")):
        expected = evaluate(apply_parameter(sc, "service[Repair & refresh].price", v))["total_effect"]
        assert row[col] == pytest.approx(expected)
    # storage has no wake-up range in the article: it is not swung
    assert "service[Seasonal storage].wakeup_rate" not in set(df["parameter"])


def test_grid_matches_single_evaluations():
    g = grid("seed-demo", "scale.acceptance", [0.5, 1.0, 2.0], "brand.avg_order_value", [1200, 1800], "total_effect")
    assert g.shape == (3, 2)
    assert g.loc[1.0, 1800] == pytest.approx(evaluate("seed-demo")["total_effect"])
    sc = apply_parameter(apply_parameter(load_scenario("seed-demo"), "scale.acceptance", 2.0),
                         "brand.avg_order_value", 1200)
    assert g.loc[2.0, 1200] == pytest.approx(evaluate(sc)["total_effect"])


def test_goal_seek_break_even_acceptance_is_exact():
    r = goal_seek("seed-demo", "scale.acceptance", "va_net", 0.0)
    assert r.exact and r.feasible
    # by hand: fixed costs 6.9M over a contribution of 5.472M per unit of multiplier
    assert r.value == pytest.approx(6_900_000 / 5_472_000, rel=1e-12)
    assert evaluate(apply_parameter(load_scenario("seed-demo"), "scale.acceptance", r.value))["va_net"] == \
        pytest.approx(0, abs=1e-3)


def test_goal_seek_nonlinear_and_unreachable():
    r = goal_seek("seed-demo", "scale.acceptance", "total_effect", 0.0)
    assert not r.exact and r.value is not None
    assert r.achieved == pytest.approx(0, abs=1.0)
    none = goal_seek("seed-demo", "brand.wakeup_conversion", "va_net", 0.0)
    assert none.value is None and "does not depend" in none.message
    far = goal_seek("seed-demo", "service[Repair & refresh].acceptance", "va_net", 1e9)
    assert far.exact and far.value > 1 and not far.feasible and "outside the bracket" in far.message


def test_compare_scenarios():
    df = compare_scenarios(["seed-demo", "fast-fashion", "outdoor-repair"])
    assert list(df.columns) == ["seed-demo", "fast-fashion", "outdoor-repair"]
    assert df.loc["value-added net", "fast-fashion"] == pytest.approx(evaluate("fast-fashion")["va_net"])


def test_monte_carlo_is_seeded_and_within_ranges():
    a, b = simulate("seed-demo", 5000, seed=3), simulate("seed-demo", 5000, seed=3)
    assert np.array_equal(a.total_effect, b.total_effect)
    assert not np.array_equal(a.total_effect, simulate("seed-demo", 5000, seed=4).total_effect)
    sc = load_scenario("seed-demo")
    batch = draw_batch(sc, 2000, seed=1)
    s = batch.services
    for j, sv in enumerate(sc.services):
        r = ARTICLE_RANGES[sv.kind]["acceptance"]
        lo, hi = sv.acceptance * r.low / r.mid, sv.acceptance * r.high / r.mid
        assert np.all((s["acceptance"][:, j] >= lo - 1e-12) & (s["acceptance"][:, j] <= hi + 1e-12))
        assert np.all(s["price"][:, j] == sv.price)                     # prices are decisions: held


def test_monte_carlo_summary_of_known_draws():
    """summary() on 20 draws chosen by hand: total effect 1..20, net = total - 10, traditional 5."""
    from aftersales.model.montecarlo import MonteCarloResult

    te = np.arange(1.0, 21.0)
    res = MonteCarloResult("hand", "corrected", 20, 0, total_effect=te, va_net=te - 10,
                           traditional_net=np.full(20, 5.0), service_revenue=np.zeros(20))
    s = res.summary()
    # linear percentiles of 1..20: position q x 19 from the first value
    assert (s["p5"], s["p50"], s["p95"]) == (pytest.approx(1.95), pytest.approx(10.5), pytest.approx(19.05))
    assert (s["va_net_p5"], s["va_net_p50"], s["va_net_p95"]) == (pytest.approx(-8.05), pytest.approx(0.5),
                                                                  pytest.approx(9.05))
    assert s["mean"] == pytest.approx(10.5)
    assert s["prob_break_even"] == 0.55                       # net >= 0 for totals 10..20: 11 of 20
    assert s["prob_value_added_beats_traditional"] == 0.75    # totals 6..20 above 5: 15 of 20
    assert s["prob_net_beats_traditional"] == 0.25            # nets above 5, totals 16..20: 5 of 20
    assert s["prob_total_effect_positive"] == 1.0
    assert s["verdict"] == "more likely than not"             # 0.5 <= 0.55 < 0.8
    assert (s["scenario"], s["method"], s["draws"], s["seed"]) == ("hand", "corrected", 20, 0)


def test_monte_carlo_with_no_uncertainty_gives_the_scenario(tmp_path):
    """Every range degenerate: each draw is seed-demo itself, net -142.8万 (docs/model.md), so it never
    breaks even but always beats traditional after-sales (-680万)."""
    from aftersales.model.scenario import SCENARIO_DIR

    text = (SCENARIO_DIR / "seed-demo.toml").read_text(encoding="utf-8")
    for kind in ARTICLE_RANGES:
        text += f"\n[ranges.{kind}]\n" + "".join(f"{k} = [0.5, 0.5]\n" for k in UNCERTAIN_INPUTS)
    text += "\n[ranges.brand]\nwakeup_conversion = [0.6, 0.6]\n"          # seed-demo's own c
    p = tmp_path / "fixed.toml"
    p.write_text(text, encoding="utf-8")
    s = simulate(p, 500, seed=7).summary()
    assert s["va_net_p5"] == s["va_net_p95"] == pytest.approx(-1_428_000)
    assert s["p5"] == s["p95"] == pytest.approx(evaluate("seed-demo")["total_effect"])
    assert s["prob_break_even"] == 0.0 and s["verdict"] == "very unlikely"
    assert s["prob_net_beats_traditional"] == 1.0


def test_scenario_ranges_override_the_article(tmp_path):
    from aftersales.model.scenario import SCENARIO_DIR
    text = (SCENARIO_DIR / "seed-demo.toml").read_text(encoding="utf-8")
    p = tmp_path / "r.toml"
    p.write_text(text + "\n[ranges.repair]\nacceptance = [0.2, 0.2]\n", encoding="utf-8")
    batch = draw_batch(load_scenario(p), 100, seed=0)
    j = batch.service_kinds.index("repair")
    assert np.all(batch.services["acceptance"][:, j] == pytest.approx(0.40))   # degenerate: v x m / m
