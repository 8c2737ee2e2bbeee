"""Pins of the Monte Carlo, its ranges and its assumptions (aftersales.model.montecarlo, .ranges, .assumptions).

Every expected value is rebuilt here from what the documents promise, never copied from the code's
output: a draw from ``numpy.random.default_rng([seed, block])`` in blocks of 65,536 (the module
docstring and docs/model.md, "Monte Carlo"), the article's ranges per kind (aftersales.model.ranges'
docstring), the summary of tiny hand-made draws (numpy's documented linear percentile), and the
sentences of the docstrings. The mutation tester runs this file in its first tier.
"""
from __future__ import annotations

from dataclasses import FrozenInstanceError, replace

import numpy as np
import pytest

from aftersales import Range, load_scenario
from aftersales.model.assumptions import ASSUMPTIONS, assumptions_for
from aftersales.model.montecarlo import (VERDICTS, MonteCarloResult, batch_at, draw_batch, draw_factors, simulate,
                                         uncertain_inputs, verdict_sentence, verdict_word)
from aftersales.model.ranges import swing_value
from aftersales.model.sensitivity import tornado

DEMO = load_scenario("seed-demo")
BLOCK_SIZE = 65_536          # docs/model.md: "Draws come in blocks of 65,536"

# seed-demo's uncertain inputs, by hand: each service in file order, then acceptance, wake-up rate,
# usage per user, gross margin (ranges' UNCERTAIN_INPUTS) where its kind has a range. The article's
# matrix (ranges' docstring): remake 15-25%, margin 65-75%, wake-up 35-45%; deep clean 35-45%,
# 55-65%, 20-30%; repair 40-50%, 60-70%, 25-35%; storage 10-15%, 70-80%, no wake-up range; usage
# per user the course's 0.8-1.2 for every kind.
_USES = (0.8, 1.2)
_REMAKE = [(0.15, 0.25), (0.35, 0.45), _USES, (0.65, 0.75)]
DEMO_RANGES = (_REMAKE + _REMAKE                                   # Basic remake, Designer remake
               + [(0.35, 0.45), (0.20, 0.30), _USES, (0.55, 0.65)]   # Deep clean & care
               + [(0.40, 0.50), (0.25, 0.35), _USES, (0.60, 0.70)]   # Repair & refresh
               + [(0.10, 0.15), _USES, (0.70, 0.80)])                # Seasonal storage
LO = np.array([r[0] for r in DEMO_RANGES])
HI = np.array([r[1] for r in DEMO_RANGES])


def rebuilt(seed: int, i: int, lo=LO, hi=HI) -> np.ndarray:
    """Draw i as the docstring specifies: row i % 65,536 of block i // 65,536's uniforms, put in [lo, hi]."""
    k, row = divmod(i, BLOCK_SIZE)
    u = np.random.default_rng([seed, k]).random((BLOCK_SIZE, len(lo)))[row]
    return lo + u * (hi - lo)


# ------------------------------------------------------------------ the one range rule
@pytest.mark.parametrize("value,r,x,key,expected", [
    (0.08, (0.15, 0.25), 0.15, "acceptance", 0.06),                # the docstring's Designer remake
    (0.9, (0.35, 0.45), 0.45, "wakeup_rate", 1.0),                 # 0.9 x 0.45 / 0.40 = 1.0125, a share: 1
    (0.95, (0.5, 0.7), 0.7, "gross_margin", 1.0),                  # 0.95 x 0.7 / 0.6 = 1.108, a share: 1
    (0.9, (0.15, 0.25), 0.25, "acceptance", 1.0),                  # 1.125, clipped (the docstring)
    (1.2, (0.8, 1.2), 1.2, "uses_per_user_per_year", 1.44),        # usage is not a share: 1.2 x 1.2 / 1
    (1.2, (0.8, 1.2), 0.8, "uses_per_user_per_year", 0.96),        # a midpoint of exactly 1 still swings
    (0.3, (0.0, 0.0), 0.0, "acceptance", 0.3),                     # m = 0: v itself (the docstring)
])
def test_swing_value_by_hand(value, r, x, key, expected):
    assert swing_value(value, Range(*r), x, key) == pytest.approx(expected, rel=1e-12)


def test_the_tornado_swings_prices_over_the_articles_price_ranges():
    # the article's prices per kind (ranges' docstring): remake 200-800 (m 500), deep clean 80-200 (140),
    # repair 50-150 (100), storage 30-50 (40); a price p swings to p lo / m and p hi / m
    df = tornado(DEMO, "total_effect", include_brand=False).set_index("parameter")
    expected = {"Basic remake": (280 * 200 / 500, 280 * 800 / 500),
                "Designer remake": (580 * 200 / 500, 580 * 800 / 500),
                "Deep clean & care": (128 * 80 / 140, 128 * 200 / 140),
                "Repair & refresh": (88 * 50 / 100, 88 * 150 / 100),
                "Seasonal storage": (40 * 30 / 40, 40 * 50 / 40)}
    for name, (low, high) in expected.items():
        row = df.loc[f"service[{name}].price"]
        assert (row["low_value"], row["high_value"]) == (pytest.approx(low, rel=1e-12), pytest.approx(high, rel=1e-12))
        assert row["decision"]


# ------------------------------------------------------------------ the draws, rebuilt from the spec
def test_the_uncertain_inputs_of_seed_demo():
    inputs = uncertain_inputs(DEMO)
    assert len(inputs) == 19                       # 4 + 4 + 4 + 4 + 3 (storage has no wake-up range)
    assert [(i[2].low, i[2].high) for i in inputs] == DEMO_RANGES
    assert inputs[4][:2] == ("service[Designer remake].acceptance", "acceptance")
    assert inputs[4][3] == pytest.approx(0.08)      # the service's own value, from the file


@pytest.mark.parametrize("i", [0, 1, BLOCK_SIZE - 1, BLOCK_SIZE, BLOCK_SIZE + 1, 2 * BLOCK_SIZE + 3])
def test_one_draw_is_row_i_of_its_block(i):
    got = draw_factors(DEMO, 7, i, i + 1)
    assert got.shape == (1, 19)
    np.testing.assert_allclose(got[0], rebuilt(7, i), rtol=0, atol=1e-15)


@pytest.mark.parametrize("start,stop", [(BLOCK_SIZE - 6, BLOCK_SIZE - 1), (BLOCK_SIZE - 6, BLOCK_SIZE),
                                        (BLOCK_SIZE - 6, BLOCK_SIZE + 1), (BLOCK_SIZE - 3, BLOCK_SIZE + 4)])
def test_draws_across_a_block_edge_are_the_same_rows(start, stop):
    # stop - start rows, draw i in row i - start, whichever block each comes from
    got = draw_factors(DEMO, 7, start, stop)
    assert got.shape == (stop - start, 19)
    np.testing.assert_allclose(got, np.array([rebuilt(7, i) for i in range(start, stop)]), rtol=0, atol=1e-15)


@pytest.mark.parametrize("start", [0, 5, BLOCK_SIZE])
def test_no_draws_is_an_empty_table(start):
    # docstring: shape (stop - start, inputs)
    assert draw_factors(DEMO, 7, start, start).shape == (0, 19)


def test_draw_batch_puts_a_draw_through_the_range_rule_and_defaults_to_seed_0():
    # one draw, seed omitted (seed 0): Designer remake's acceptance is 0.08 x / 0.20 (remake's midpoint),
    # Deep clean's usage 1.2 x / 1.0, Repair's wake-up rate 0.28 x / 0.30, x the rebuilt draw 0
    b = draw_batch(DEMO, 1)
    x = rebuilt(0, 0)
    names = list(b.service_names)
    s = b.services
    assert b.size == 1
    assert s["acceptance"][0, names.index("Designer remake")] == pytest.approx(0.08 * x[4] / 0.20, rel=1e-12)
    assert s["uses_per_user_per_year"][0, names.index("Deep clean & care")] == pytest.approx(1.2 * x[10], rel=1e-12)
    assert s["wakeup_rate"][0, names.index("Repair & refresh")] == pytest.approx(0.28 * x[13] / 0.30, rel=1e-12)


def test_the_wakeup_conversion_is_drawn_absolutely_when_given_a_range():
    # [ranges.brand] wakeup_conversion = [0.2, 0.4] is absolute (ranges' docstring): c = x itself, in
    # 0.2-0.4, not the relative rule's 0.6 x / 0.3 (0.4-0.8); it is the 20th input, after the services'
    sc = replace(DEMO, ranges={"brand": {"wakeup_conversion": Range(0.2, 0.4)}})
    path, key, r, v = uncertain_inputs(sc)[-1]
    assert (path, key, (r.low, r.high), v) == ("brand.wakeup_conversion", "brand", (0.2, 0.4), 0.6)
    lo, hi = np.append(LO, 0.2), np.append(HI, 0.4)
    b = draw_batch(sc, 3, seed=4, start=BLOCK_SIZE - 1)
    expected = [rebuilt(4, i, lo, hi)[19] for i in range(BLOCK_SIZE - 1, BLOCK_SIZE + 2)]
    np.testing.assert_allclose(b.brand["wakeup_conversion"], expected, rtol=1e-12)
    # without the range c is held at the file's 0.6
    assert np.all(draw_batch(DEMO, 3, seed=4).brand["wakeup_conversion"] == 0.6)


def test_batch_at_and_draw_batch_say_what_is_wrong():
    with pytest.raises(ValueError, match=r"^factors need 19 columns \(one per uncertain input\), got 3$"):
        batch_at(DEMO, np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"^draws must be at least 1, got 0$"):
        draw_batch(DEMO, 0)


# ------------------------------------------------------------------ the verdict word and sentence
def test_the_verdict_table_is_the_documented_scale():
    # docs/model.md: likely (P >= 0.8), more likely than not (>= 0.5), unlikely (>= 0.2), very unlikely
    # (the rest, down to 0); each word starts at its own threshold
    assert VERDICTS == ((0.8, "likely"), (0.5, "more likely than not"), (0.2, "unlikely"), (0.0, "very unlikely"))
    for low, word in VERDICTS:
        assert verdict_word(low) == word


@pytest.mark.parametrize("bad,shown", [(-0.1, "-0.1"), (1.5, "1.5"), ("0.5", "'0.5'")])
def test_a_verdict_of_what_is_not_a_probability_is_one_clear_line(bad, shown):
    with pytest.raises(ValueError, match=rf"^a probability of breaking even must lie in \[0, 1\], got {shown}$"):
        verdict_word(bad)


@pytest.mark.parametrize("prob,pct", [
    (0.0007, "0.07%"),    # docs/model.md: seed-demo's P(break-even) = 0.07%: two decimals below 1%
    (0.005, "0.50%"),
    (0.01, "1.0%"),       # from 1% on, one decimal (the docstring's 21.0%)
    (0.0, "0.0%"),        # nothing at all is said with one decimal
    (0.21, "21.0%"),
    (1.0, "100.0%"),
])
def test_the_percentage_in_the_sentence(prob, pct):
    assert f" 0 or more in {pct} of 10,000 draws." in verdict_sentence(prob, 10_000)


def test_the_sentence_without_a_number_of_draws():
    # the docstring's sentence, with "of the draws" when no number is given
    assert verdict_sentence(0.85) == ("Breaking even on its own is likely: the value-added net is 0 or more in 85.0% "
                                      "of the draws.")


def test_the_chinese_sentence_with_a_number_of_draws():
    # the docstring's Chinese sentence (no number: "85.0% 的模拟中...") with the number said first,
    # as the English says "of 10,000 draws": "10,000 次模拟中有 21.0% ..."
    assert verdict_sentence(0.21, 10_000, "zh") == ("增值售后单靠自身实现盈亏平衡不太可能:"
                                                    "10,000 次模拟中有 21.0% 增值净额不低于 0。")


@pytest.mark.parametrize("prob,word", [(0.9, "很可能"), (0.3, "不太可能"), (0.1, "极不可能")])
def test_the_chinese_verdict_words_are_notebook_04s(prob, word):
    # notebooks/zh/04: 用一个词概括:*很可能*(P >= 0.8)、...、*不太可能*(>= 0.2)或*极不可能*
    # (that notebook calls the middle word 可能性较大, the sentence 可能性过半: not pinned here)
    assert verdict_sentence(prob, lang="zh").startswith(f"增值售后单靠自身实现盈亏平衡{word}:")


def test_both_languages_is_the_english_then_the_chinese():
    # the glossary's rule: "both" gives the English line, then the Chinese line
    assert verdict_sentence(0.3, 2_000, "both").split("\n") == [verdict_sentence(0.3, 2_000, "en"),
                                                               verdict_sentence(0.3, 2_000, "zh")]


# ------------------------------------------------------------------ the summary of hand-made draws
def test_summary_of_four_hand_made_draws():
    res = MonteCarloResult("hand", "corrected", 4, 3,
                           total_effect=np.array([-2.0, 0.0, 1.0, 5.0]),
                           va_net=np.array([-1.0, 0.0, 2.0, -3.0]),
                           traditional_net=np.array([-4.0, 0.0, 0.0, -2.0]),
                           service_revenue=np.array([1.0, 2.0, 3.0, 4.0]))
    # numpy's linear percentile: position q/100 x (n - 1) = 0.03 q in the sorted values
    #   total effect sorted -2, 0, 1, 5: p5 at 0.15 -> -2 + 0.15 x 2 = -1.7; p50 at 1.5 -> 0.5;
    #   p95 at 2.85 -> 1 + 0.85 x 4 = 4.4; mean 4 / 4 = 1
    #   net sorted -3, -1, 0, 2: p5 -> -3 + 0.15 x 2 = -2.7; p50 -> -0.5; p95 -> 0 + 0.85 x 2 = 1.7
    # total effect > traditional net: yes, no (0 > 0), yes, yes -> 0.75
    # net > traditional net: yes, no (0 > 0), yes, no (-3 > -2) -> 0.5
    # net >= 0: no, yes (0 counts), yes, no -> 0.5, exactly the threshold of "more likely than not"
    # total effect >= 0: no, yes (0 counts), yes, yes -> 0.75
    assert res.summary() == {
        "scenario": "hand", "method": "corrected", "draws": 4, "seed": 3,
        "p5": pytest.approx(-1.7), "p50": pytest.approx(0.5), "p95": pytest.approx(4.4), "mean": 1.0,
        "prob_value_added_beats_traditional": 0.75, "prob_net_beats_traditional": 0.5,
        "prob_break_even": 0.5,
        "va_net_p5": pytest.approx(-2.7), "va_net_p50": pytest.approx(-0.5), "va_net_p95": pytest.approx(1.7),
        "prob_total_effect_positive": 0.75, "verdict": "more likely than not"}


# ------------------------------------------------------------------ simulate: defaults, edges, errors
def test_simulate_defaults_are_the_command_lines():
    # `simulate` on the command line: 100,000 draws, seed 0; the inputs are kept only when asked
    # (memory grows with draws), and then there are no figures either
    res = simulate(DEMO)
    assert (res.draws, res.seed, len(res.va_net)) == (100_000, 0, 100_000)
    assert res.inputs is None and res.figures == {}
    assert res.summary()["seed"] == 0
    assert np.array_equal(res.va_net[:50], simulate(DEMO, 50, seed=0).va_net)


def test_one_draw_and_chunks_of_one():
    # the first draws do not depend on how many follow nor on the chunk size (module docstring)
    five = simulate(DEMO, 5, seed=2)
    assert np.array_equal(simulate(DEMO, 1, seed=2).va_net, five.va_net[:1])
    one_by_one = simulate(DEMO, 5, seed=2, chunk_size=1)
    assert np.array_equal(one_by_one.va_net, five.va_net)
    assert np.array_equal(one_by_one.total_effect, five.total_effect)


def test_a_kept_result_shows_briefly():
    # a notebook cell ending in a result shows its repr: the kept inputs and every per-draw figure
    # are left out of it, the scenario, method, draws and seed are in it
    res = simulate(DEMO, 20, seed=1, keep_inputs=True)
    assert res.inputs is not None and res.inputs.size == 20 and "va_net" in res.figures
    text = repr(res)
    assert "scenario='seed-demo'" in text and "draws=20" in text
    assert "figures=" not in text and "inputs=" not in text


@pytest.mark.parametrize("kwargs,message", [
    ({"draws": 0}, r"^draws must be at least 1, got 0$"),
    ({"draws": 10, "chunk_size": 0}, r"^chunk_size must be at least 1, got 0$"),
    ({"draws": 10, "method": "best"}, r"^method must be one of seed, corrected, got 'best'$"),
])
def test_simulate_says_what_is_wrong(kwargs, message):
    with pytest.raises(ValueError, match=message):
        simulate(DEMO, **kwargs)


# ------------------------------------------------------------------ the assumptions
def test_the_shared_assumption_sentences_cannot_be_changed_from_a_notebook():
    # every box and the report read the same ASSUMPTIONS: a cell that tried to rewrite one would
    # silently change all the later boxes, so it is refused
    with pytest.raises(FrozenInstanceError):
        ASSUMPTIONS[0].en = "Anything goes."


def test_a_notebook_without_assumptions_is_one_clear_line():
    with pytest.raises(ValueError, match=r"^no assumptions recorded for notebook '09' \(known: 02, 03, 04\)$"):
        assumptions_for("09")


@pytest.mark.parametrize("edition, lang", [("", "en"), ("zh/", "zh")])
def test_the_verdict_words_are_the_scale_notebook_04_teaches(edition, lang):
    """Notebook 04 states the word scale in prose (P >= 0.8, 0.5, 0.2, below); the sentence printed
    for a probability on each step says that step's word, in the notebook's language."""
    import json
    import re

    from conftest import ROOT
    nb = json.loads((ROOT / "notebooks" / f"{edition}04_pnl_comparison.ipynb").read_text(encoding="utf-8"))
    prose = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    line = next(x for x in prose.split("\n\n") if r"\ge 0.8" in x and r"\ge 0.2" in x)
    words = re.findall(r"\*([^*$]+)\*", line.replace("\n", " "))
    assert len(words) == 4, words
    # the sentence's frame, as verdict_sentence's docstring shows it in each language
    frame = {"en": r"Breaking even on its own is (.+?): ", "zh": r"增值售后单靠自身实现盈亏平衡(.+?)[:：]"}[lang]
    said = [re.match(frame, verdict_sentence(p, lang=lang))[1] for p in (0.85, 0.6, 0.3, 0.1)]
    assert said == words
