"""Monte Carlo over the uncertainties only: hand-derived probabilities, one range rule, chunks, verdict."""
import json

import numpy as np
import pytest

from aftersales import load_scenario
from aftersales.model.kernel import ScenarioBatch, compute
from aftersales.model.montecarlo import (BLOCK, batch_at, draw_batch, simulate, uncertain_inputs,
                                         verdict_sentence, verdict_word)
from aftersales.model.scenario import SCENARIO_DIR
from aftersales.model.sensitivity import tornado

DEMO = (SCENARIO_DIR / "seed-demo.toml").read_text(encoding="utf-8")
FIXED = """
[ranges.remake]
acceptance = [0.5, 0.5]
wakeup_rate = [0.5, 0.5]
gross_margin = [0.5, 0.5]
uses_per_user_per_year = [0.5, 0.5]
[ranges.deep_clean]
acceptance = [0.25, 0.45]
wakeup_rate = [0.5, 0.5]
gross_margin = [0.5, 0.5]
uses_per_user_per_year = [0.5, 0.5]
[ranges.repair]
acceptance = [0.5, 0.5]
wakeup_rate = [0.5, 0.5]
gross_margin = [0.5, 0.5]
uses_per_user_per_year = [0.5, 0.5]
[ranges.storage]
acceptance = [0.5, 0.5]
gross_margin = [0.5, 0.5]
uses_per_user_per_year = [0.5, 0.5]
"""


@pytest.fixture()
def one_uncertainty(tmp_path):
    """Only Deep clean's acceptance is uncertain: a = 0.35 x / 0.35 = x, x ~ U(0.25, 0.45).

    By hand: va_net = -1,428,000 + (3,200,000 - team) + 80,000 x 1.2 x (128 - 55) x (a - 0.35);
    with team = 2,122,400 the net is 7,008,000 x (a - 0.40): it breaks even for a >= 0.40, so
    P(break-even) = (0.45 - 0.40) / (0.45 - 0.25) = 0.25.
    """
    p = tmp_path / "one.toml"
    p.write_text(DEMO.replace("team_salary = 3200000.0", "team_salary = 2122400.0") + FIXED, encoding="utf-8")
    return load_scenario(p)


def test_break_even_probability_by_hand(one_uncertainty):
    res = simulate(one_uncertainty, 40_000, seed=5)
    s = res.summary()
    assert s["prob_break_even"] == pytest.approx(0.25, abs=0.01)     # sd 0.0022
    assert s["verdict"] == "unlikely"
    # the net is linear in a: its percentiles are those of a uniform
    assert s["va_net_p50"] == pytest.approx(7_008_000 * (0.35 - 0.40), rel=0.02)
    assert s["va_net_p5"] == pytest.approx(7_008_000 * (0.25 + 0.05 * 0.20 - 0.40), rel=0.02)


def test_more_likely_than_not_and_very_unlikely_by_hand(tmp_path):
    # team = 3,200,000 - 1,428,000 - 7,008,000 x 0.05 = 1,421,600: break-even at a >= 0.30, P = 0.75
    p = tmp_path / "two.toml"
    p.write_text(DEMO.replace("team_salary = 3200000.0", "team_salary = 1421600.0") + FIXED, encoding="utf-8")
    s = simulate(load_scenario(p), 40_000, seed=2).summary()
    assert s["prob_break_even"] == pytest.approx(0.75, abs=0.01)
    assert s["verdict"] == "more likely than not"
    # seed-demo as shipped, fixed costs unchanged: break-even at a >= 0.5538 is out of reach
    p.write_text(DEMO + FIXED, encoding="utf-8")
    s = simulate(load_scenario(p), 5_000, seed=2).summary()
    assert s["prob_break_even"] == 0.0 and s["verdict"] == "very unlikely"


def test_prices_are_held_and_values_follow_the_range_rule():
    sc = load_scenario("seed-demo")
    b = draw_batch(sc, 20_000, seed=1)
    s = b.services
    assert np.all(s["price"] == np.array([x.price for x in sc.services]))
    # Designer remake: acceptance 0.08 x x / 0.20 for x in remake's 0.15-0.25 -> 0.06 to 0.10
    j = b.service_names.index("Designer remake")
    assert s["acceptance"][:, j].min() >= 0.06 - 1e-12 and s["acceptance"][:, j].max() <= 0.10 + 1e-12
    assert s["acceptance"][:, j].mean() == pytest.approx(0.08, rel=0.01)
    # usage per user: the course's +-20% around the service's own value
    k = b.service_names.index("Deep clean & care")
    u = s["uses_per_user_per_year"][:, k]
    assert u.min() >= 1.2 * 0.8 - 1e-12 and u.max() <= 1.2 * 1.2 + 1e-12
    # margin: Repair 54.55% x x / 0.65 for x in 0.60-0.70
    r = b.service_names.index("Repair & refresh")
    m = 1 - (s["material_cost"][:, r] + s["labor_cost"][:, r]) / s["price"][:, r]
    assert m.min() >= (48 / 88) * 0.60 / 0.65 - 1e-9 and m.max() <= (48 / 88) * 0.70 / 0.65 + 1e-9
    # the brand is held unless the scenario gives c a range
    assert np.all(b.brand["wakeup_conversion"] == 0.6)


def test_wakeup_conversion_is_drawn_only_with_a_range(tmp_path):
    p = tmp_path / "c.toml"
    p.write_text(DEMO + "\n[ranges.brand]\nwakeup_conversion = [0.4, 0.8]\n", encoding="utf-8")
    b = draw_batch(load_scenario(p), 20_000, seed=3)
    c = b.brand["wakeup_conversion"]
    assert c.min() >= 0.4 and c.max() <= 0.8 and c.mean() == pytest.approx(0.6, abs=0.005)


def test_tornado_ends_equal_a_draw_at_those_ends():
    sc = load_scenario("seed-demo")
    inputs = uncertain_inputs(sc)
    mid = np.array([i[2].mid for i in inputs])
    df = tornado(sc, "total_effect").set_index("parameter")
    for col, (path, key, r, v) in enumerate(inputs):
        f = np.tile(mid, (2, 1))
        f[0, col], f[1, col] = r.low, r.high
        figs = compute(batch_at(sc, f))["total_effect"]
        assert df.loc[path, "figure_low"] == pytest.approx(figs[0], rel=1e-12), path
        assert df.loc[path, "figure_high"] == pytest.approx(figs[1], rel=1e-12), path
    row = df.loc["service[Designer remake].acceptance"]
    assert row["low_value"] == pytest.approx(0.06) and row["high_value"] == pytest.approx(0.10)
    assert not row["decision"] and df.loc["service[Basic remake].price", "decision"]


def test_same_seed_same_figures_whatever_the_chunk_size():
    # one block boundary is enough: chunks smaller than a block (5,000: the chunk 65,000-65,659
    # straddles the boundary), a block exactly (then a 123-draw tail) and one not dividing a block
    n = BLOCK + 123
    ref = simulate("seed-demo", n, seed=9, chunk_size=n)
    for chunk in (5_000, BLOCK, 30_001):
        other = simulate("seed-demo", n, seed=9, chunk_size=chunk)
        assert np.array_equal(ref.total_effect, other.total_effect), chunk
        assert np.array_equal(ref.va_net, other.va_net), chunk
    # the first draws do not depend on how many follow
    assert np.array_equal(simulate("seed-demo", 500, seed=9).va_net, ref.va_net[:500])
    assert not np.array_equal(simulate("seed-demo", 500, seed=10).va_net, ref.va_net[:500])


def test_keep_inputs_gives_the_same_draws():
    a = simulate("seed-demo", 3000, seed=4, keep_inputs=True)
    b = simulate("seed-demo", 3000, seed=4, chunk_size=700)
    assert np.array_equal(a.total_effect, b.total_effect) and a.inputs.size == 3000


@pytest.mark.parametrize("p,word", [(1.0, "likely"), (0.8, "likely"), (0.7999, "more likely than not"),
                                    (0.5, "more likely than not"), (0.4999, "unlikely"), (0.2, "unlikely"),
                                    (0.1999, "very unlikely"), (0.0, "very unlikely")])
def test_verdict_words_at_the_thresholds(p, word):
    assert verdict_word(p) == word
    assert f" is {word}: " in verdict_sentence(p)


@pytest.mark.parametrize("bad", [-0.1, 1.2, float("nan"), "0.5", True])
def test_verdict_refuses_what_is_not_a_probability(bad):
    with pytest.raises(ValueError, match="probability of breaking even must lie in"):
        verdict_word(bad)


def test_simulate_json_has_the_verdict_of_its_probability(run_main, one_uncertainty, tmp_path):
    p = tmp_path / "one.toml"
    p.write_text(DEMO.replace("team_salary = 3200000.0", "team_salary = 2122400.0") + FIXED, encoding="utf-8")
    r = run_main("simulate", p, "--draws", "20000", "--seed", "1", "--json")
    assert r.returncode == 0, r.stderr
    d = json.loads(r.stdout)
    assert d["verdict"] == verdict_word(d["prob_break_even"]) == "unlikely"
    assert d["prob_break_even"] == pytest.approx(0.25, abs=0.015)
    for key in ("p5", "p50", "p95", "prob_value_added_beats_traditional", "prob_total_effect_positive"):
        assert key in d
