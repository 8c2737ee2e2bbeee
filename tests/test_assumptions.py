"""The assumptions box, the price-response sentence and the verdict in the notebooks and the report."""
import json
import re
from dataclasses import replace

import pytest

from aftersales import load_scenario
from aftersales.cli.model_cmds import format_report
from aftersales.model.assumptions import (ASSUMPTIONS, assumptions_box, assumptions_for,
                                          price_response_sentence)
from aftersales.model.montecarlo import VERDICTS, simulate, verdict_word

BODY_NOTEBOOKS = ("02_service_matrix", "03_lifecycle_extension", "04_pnl_comparison")


def body(root, name):
    nb = json.loads((root / "notebooks" / f"{name}.ipynb").read_text(encoding="utf-8"))
    cells = []
    for c in nb["cells"]:
        src = "".join(c["source"])
        if src.startswith("## Exercises"):
            break
        cells.append(src)
    return "\n".join(cells)


def test_every_assumption_is_shown_somewhere_and_each_box_lists_its_own():
    for a in ASSUMPTIONS:
        assert a.notebooks and a.en.endswith(".") and a.zh
    for nb in ("02", "03", "04"):
        text = assumptions_box(nb)
        assert text.startswith("> **Assumptions**")
        assert text.count("\n> - ") == len(assumptions_for(nb))
    assert "independently" in assumptions_box("03") and "month 14" in assumptions_box("03")
    assert "假设" in assumptions_box("04", "zh")
    with pytest.raises(ValueError, match="no assumptions recorded for notebook '09'"):
        assumptions_for("09")


def test_price_response_sentence():
    sc = load_scenario("seed-demo")
    assert "demand does not answer price" in price_response_sentence(sc)
    el = replace(sc, brand=replace(sc.brand, price_elasticity=-1.2))
    assert "(p_new / p_file)^-1.2" in price_response_sentence(el)


@pytest.mark.parametrize("name", BODY_NOTEBOOKS)
def test_notebook_bodies_show_the_assumptions(root, name):
    text = body(root, name)
    assert f'assumptions_box("{name[:2]}", lang)' in text
    assert "$$" in text                                       # formulas in LaTeX
    assert "prob_value_added_beats_traditional" not in text and "beats traditional) =" not in text
    if name != "03_lifecycle_extension":
        assert "price_response_sentence(sc, lang)" in text   # where prices move


def test_bounds_and_honest_labels_in_the_notebooks(root):
    assert "wakeup_share_low" in body(root, "02_service_matrix")
    nb3 = body(root, "03_lifecycle_extension")
    assert "by month 14" in nb3 and "wakeup_bounds(ev)" in nb3
    nb4 = body(root, "04_pnl_comparison")
    assert "wakeup_bounds(ev)" in nb4 and "verdict_sentence(" in nb4
    # no hand-written sentence about the chance of breaking even outside the verdict word
    for word in ("unlikely to pay", "likely to break even", "probably breaks even"):
        assert word not in nb4


def test_report_uses_the_verdict_word_of_its_probability():
    text = format_report(load_scenario("seed-demo"))
    word = verdict_word(simulate("seed-demo", 10_000, seed=0).summary()["prob_break_even"])
    line = next(x for x in text.splitlines() if x.startswith("Breaking even on its own is"))
    assert f"is {word}:" in line
    others = [w for _, w in VERDICTS if w != word and w not in word and word not in w]
    assert not any(f"is {w}:" in line for w in others)
    assert re.search(r"LTV, value-added \(yuan\)\s+3,498\.16\s+3,854\.63\s+3,937\.76", text)
    assert "month 14" in text and "demand does not answer price" in text
