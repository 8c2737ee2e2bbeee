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


def doc_assumptions(root):
    """The assumptions table of docs/model.md, read as a reader sees it: key -> (en, zh, notebooks)."""
    text = (root / "docs" / "model.md").read_text(encoding="utf-8")
    section = text.split("### Every assumption of the corrected method", 1)[1].split("\n### ", 1)[0]
    rows = {}
    for line in section.splitlines():
        m = re.fullmatch(r"\| `(\w+)` \| (.+)<br>(.+) \| ([\d, ]+) \|", line)
        if m:
            rows[m[1]] = (m[2], m[3], tuple(m[4].split(", ")))
    return rows


def test_docs_list_every_assumption_word_for_word(root):
    """docs/model.md and the boxes say the same sentences, in both languages, for the same notebooks."""
    docs = doc_assumptions(root)
    assert len(docs) == 11
    assert {a.key: (a.en, a.zh, a.notebooks) for a in ASSUMPTIONS} == docs
    assert [a.key for a in ASSUMPTIONS] == list(docs)                      # the order of the table


@pytest.mark.parametrize("nb", ["02", "03", "04", "04_pnl_comparison"])
@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_each_box_is_the_docs_sentences_of_its_notebook(root, nb, lang):
    docs = doc_assumptions(root)
    heads = {"en": "> **Assumptions** (what the figures below take for granted)",
             "zh": "> **假设**(以下数字默认成立的前提)",
             "both": "> **Assumptions 假设** (what the figures below take for granted)"}
    pick = {"en": lambda en, zh: en, "zh": lambda en, zh: zh, "both": lambda en, zh: f"{en} {zh}"}[lang]
    expected = [heads[lang], ">"] + [f"> - {pick(en, zh)}" for en, zh, nbs in docs.values() if nb[:2] in nbs]
    assert assumptions_box(nb, lang).split("\n") == expected


def test_report_lists_the_assumptions_of_notebook_04_in_its_language(root):
    docs = doc_assumptions(root)
    for lang, i in (("en", 0), ("zh", 1)):
        lines = format_report(load_scenario("seed-demo"), lang).splitlines()
        listed = [x[2:] for x in lines if x.startswith("- ")]
        assert listed == [v[i] for v in docs.values() if "04" in v[2]]


def test_price_response_sentences_word_for_word():
    sc = load_scenario("seed-demo")
    zero_en = ("Price elasticity e = 0: demand does not answer price here, so a higher price keeps every "
               "customer (the article's assumption; set [brand] price_elasticity to change it).")
    zero_zh = ("价格弹性 e = 0:此处需求不随价格变化,涨价不会流失客户(文章的假设;可在情景文件 `[brand]` 表的 "
               "`price_elasticity` 中修改)。")
    assert price_response_sentence(sc) == zero_en
    assert price_response_sentence(sc, "zh") == zero_zh
    assert price_response_sentence(sc, "both") == zero_en + "\n" + zero_zh
    el = replace(sc, brand=replace(sc.brand, price_elasticity=-0.5))
    assert price_response_sentence(el) == ("Price elasticity e = -0.5: when a price moves, that service's "
                                           "acceptance becomes a x (p_new / p_file)^-0.5, clipped to 0-1.")
    assert price_response_sentence(el, "zh") == ("价格弹性 e = -0.5:价格变动时,该服务的客户接受度变为 "
                                                 "a x (新价格 / 原价格)^-0.5,限制在 0-1 之间。")
    with pytest.raises(ValueError, match="lang"):
        price_response_sentence(sc, "fr")
    with pytest.raises(ValueError, match="lang"):
        assumptions_box("02", "fr")
