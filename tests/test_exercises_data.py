"""The exercises of notebooks 05 and 07 under the one protocol: their context is data, not a scenario.

05's expected answers come from the cleaned cases (``ds``), 07's from the customers report (``rep``);
both agree with the library's own functions (layer_table, cut_savings, load_cases, expected_purchases),
the common slips are named, the Chinese messages are Chinese, and the notebooks lay the exercises out
as 00-04 do (question, the student's empty cell, the collapsed solution that calls check).
"""
from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from aftersales.course.checker import judge, message
from aftersales.course.editions import cjk_share
from aftersales.course.exercises import RECORD_MIME, expected_answers, practice
from aftersales.course.keys import context_of, questions

ROOT = Path(__file__).resolve().parents[1]
SEG, CUST = "05_after_sales_segmentation", "07_real_customers"


@pytest.fixture(scope="module")
def ds(sample_dataset):
    return sample_dataset


@pytest.fixture(scope="module")
def rep():
    from aftersales.customers import customer_report, load_cdnow

    return customer_report(load_cdnow("master"), "1997-09-30", "W")


@pytest.fixture
def shown(monkeypatch):
    import IPython
    import IPython.display

    seen = []
    monkeypatch.setattr(IPython, "get_ipython", lambda: object())
    monkeypatch.setattr(IPython.display, "display",
                        lambda data, raw=False: seen.append((data[RECORD_MIME], data["text/plain"])))
    return seen


def test_contexts():
    assert context_of(SEG) == "dataset" and context_of(CUST) == "customer report"
    assert context_of("02_service_matrix") == "scenario"


# ------------------------------------------------------------------ 05: the library agrees
def test_segmentation_answers_agree_with_the_library(ds, tmp_path):
    from aftersales.segment.analysis import cut_savings, layer_table
    from aftersales.segment.records import load_cases

    got = {q: e.value for q, e in expected_answers(SEG, ds).items()}
    assert got["q1"] == pytest.approx(layer_table(ds.cases, ("category", "reason"))["cumulative_share"].iloc[2])
    fit = ds.cases[ds.cases["reason"] == "size_fit"]
    worst = fit.groupby(fit["category"].astype(str))["cost"].sum().idxmax()
    saved = cut_savings(ds.cases, 0.3, reasons="size_fit", where={"category": worst})["cost_saved"]
    assert got["q2"] == pytest.approx(saved / 1e4)
    busiest = ds.cases["channel"].astype(str).value_counts().idxmax()
    one = layer_table(ds.cases, ("channel",)).set_index("channel").loc[busiest]
    assert got["q3"] == pytest.approx(one["cost"] / one["cases"])
    written = ds.result.write(tmp_path)
    import pandas as pd
    fix = pd.read_csv(written["set_aside"], dtype=str, keep_default_na=False, encoding="utf-8-sig")
    fix.loc[fix["set_aside_reason"] == "bad_date", "opened_at"] = "2024-01-01"
    fix.to_csv(tmp_path / "fixed.csv", index=False)
    assert got["q4"] == load_cases([written["clean"], tmp_path / "fixed.csv"]).rows_clean


def test_segmentation_slips_are_named(ds, shown):
    check = practice(SEG, ds)
    e = {q: check.expected(q) for q in check.questions}
    check("q1", e["q1"] * 100)
    assert shown[-1][0]["slip"] == "percent"
    check("q2", e["q2"] * 1e4)
    assert shown[-1][0]["slip"] == "yuan_for_wan"
    check("q2", e["q2"] / 0.3)
    assert shown[-1][0]["slip"] == "trap" and "only 30%" in shown[-1][1]
    n = len(ds.cases[ds.cases["channel"].astype(str) == ds.cases["channel"].astype(str).value_counts().idxmax()])
    check("q3", e["q3"] * n)
    assert shown[-1][0]["slip"] == "total_for_per" and "per case" in shown[-1][1]
    check("q4", ds.result.rows_clean)
    assert shown[-1][0]["slip"] == "trap" and "before the fix" in shown[-1][1]
    check("q4", e["q4"])
    assert shown[-1][0]["verdict"] == "right" and shown[-1][0]["notebook"] == SEG


def test_segmentation_answers_without_orders(root):
    """A shop export without orders: every expected answer is a finite number."""
    import math

    from aftersales.segment.analysis import load_dataset

    ds = load_dataset([root / "aftersales" / "data" / "shop" / "jd_cases.xlsx"])
    assert all(math.isfinite(e.value) for e in expected_answers(SEG, ds).values())


# ------------------------------------------------------------------ 07: the report and the library agree
def test_customer_answers_agree_with_the_report(rep):
    from scipy.special import hyp2f1

    got = {q: e.value for q, e in expected_answers(CUST, rep).items()}
    assert got["q1"] == rep["repurchase"]["within_365d"]
    assert got["q2"] == pytest.approx(rep["quarterly_retention"][0] ** 4)
    r, al, a, b = (rep["bgnbd"][k] for k in ("r", "alpha", "a", "b"))
    t = 52
    by_hand = (a + b - 1) / (a - 1) * (1 - (al / (al + t)) ** r * hyp2f1(r, b, a + b - 1, t / (al + t)))
    assert got["q3"] == pytest.approx(by_hand, rel=1e-9)
    p0, a0 = rep["inputs"]["p0"], rep["inputs"]["annual_value"]
    assert got["q4"] == pytest.approx(a0 * (1 + p0 + p0 ** 2))


def test_customer_slips_are_named(rep, shown):
    check = practice(CUST, rep)
    check("q2", rep["quarterly_active_share"][4])
    assert shown[-1][0]["slip"] == "trap" and "really active" in shown[-1][1]
    check("q4", rep["ltv"]["bgnbd"][1])
    assert "BG/NBD value" in shown[-1][1]
    check("q4", check.expected("q4") * rep["customers"])
    assert shown[-1][0]["slip"] == "total_for_per"
    check("q1", check.expected("q1") * 100)
    assert shown[-1][0]["slip"] == "percent"


@pytest.mark.parametrize("nb", [SEG, CUST])
def test_checker_messages_are_chinese(nb, ds, rep):
    p = practice(nb, ds if nb == SEG else rep, lang="zh")
    for qid, q in p.questions.items():
        assert q.method_zh and q.why_zh and len(q.traps_zh) == len(q.traps), (nb, qid)
        e = p.expected(qid)
        for value in [None, "85", e, e * 100, e * 1e4, e / 1e4, -e, e * 7.3] + [float(t(p.context)) for t, _ in q.traps]:
            text = message(q, judge(q, value, e, p.context, tries=5), "zh")
            for line in text.split("\n"):
                share = cjk_share(re.sub(r"'[^']*'|[A-Za-z_][\w]*(?:[._(\[][^\s，。：；）]*)+|\w*_\w*", " ", line))
                assert share is not None and share > 0.5, f"{nb} {qid} {value!r}: {line!r}"


# ------------------------------------------------------------------ the notebooks' layout
@pytest.mark.parametrize("name, context", [(SEG, "ds"), (CUST, "rep")])
def test_exercises_follow_the_protocol(name, context):
    nb = nbformat.read(ROOT / "notebooks" / f"{name}.ipynb", as_version=4)
    start = next(i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("## Exercises"))
    cells = nb.cells[start:]
    setup = next(c for c in cells if c.cell_type == "code")
    assert f'practice("{name}", {context}, lang=' in setup.source

    def solution(c):
        return "solution" in c.metadata.get("tags", [])

    for qid in questions(name):
        k = next(i for i, c in enumerate(cells) if c.cell_type == "code" and re.match(rf"{qid} = None\b", c.source))
        student, sol, question = cells[k], cells[k + 1], cells[k - 1]
        lines = [ln for ln in student.source.splitlines() if ln.strip()]
        assert lines == [lines[0], f'check("{qid}", {qid})'] and "# your answer:" in lines[0], student.source
        assert solution(sol) and sol.metadata["jupyter"]["source_hidden"] is True
        assert re.search(rf"^{qid} = ", sol.source, re.M) and sol.source.rstrip().endswith(f'check("{qid}", {qid})')
        assert question.cell_type == "markdown" and f"({qid})" in question.source
        assert re.search(r"\*Answer (in|as) [^*]+(decimals?|whole number)\.\*", question.source), question.source
    code = "\n".join(c.source for c in cells if c.cell_type == "code")
    assert "expected" not in code.replace("expected answers", ""), f"{name}: an expected value in a cell"
    assert "tolerance" not in code
    whole = "\n".join(c.source for c in nb.cells if c.cell_type == "code")
    assert not re.search(r"\bcheck\(\s*['\"]\d", whole), f"{name}: the legacy check with its own answer"


# ------------------------------------------------------------------ notebook 05 in Chinese, headless
def test_explorer_and_tables_in_chinese(ds):
    from aftersales.glossary import english_words
    from aftersales.segment.analysis import layer_table, localise, pareto, strategy_table, strategy_view
    from aftersales.segment.explorers import explorer

    ex = explorer(ds, by=("category", "reason"), lang="zh", draw=False)
    assert ex.checkboxes["channel"].description == "渠道" and ex.top.description == "显示层数"
    assert ("抖音", "douyin") in [tuple(o) for o in ex.filters["channel"].options]
    ex.filters["channel"].value = ("douyin",)                  # the values stay the codes
    assert set(ex.table["cost"].index) and ex.table["cost"].sum() == pytest.approx(
        ds.cases.loc[ds.cases["channel"] == "douyin", "cost"].sum())
    ex.drill.value = ex.drill.options[1]
    assert not english_words(ex.drill.value) and len(ex.drilled) == ex.table["cases"].iloc[0]
    assert not english_words(ex.summary.value.replace("%", ""))
    shown = localise(pareto(layer_table(ds.cases, ("category", "reason"))).head(5), "zh")
    assert not english_words(" ".join(map(str, shown.columns)) + " " + " ".join(shown.iloc[:, :2].astype(str).to_numpy().ravel()))
    html = strategy_view(strategy_table(ds.cases, ds.orders, ds.tiers), "zh").to_html()
    import re
    text = re.sub(r"<style.*?</style>|<[^>]+>", " ", html, flags=re.S)
    assert set(english_words(text)) <= {"z"}, set(english_words(text))
