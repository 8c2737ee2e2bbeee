"""The Chinese edition notebooks/zh/: same cells as the English notebooks, prose in Chinese, in step."""
from __future__ import annotations

import copy
import re
from pathlib import Path

import nbformat
import pytest

from aftersales.course.editions import (META_KEY, cjk_share, en_sha, stale_cells, sync, zh_parameters,
                                        zh_path)

ROOT = Path(__file__).resolve().parents[1]
EN = sorted((ROOT / "notebooks").glob("*.ipynb"))
#: notebooks whose translation is final; the others may still lag behind English changes of other branches
FINAL = ("00_start_here", "01_value_leakage")
#: least share of CJK characters among the letters of a Chinese markdown cell's prose
MIN_CJK = 0.5


def _read(p):
    return nbformat.read(str(p), as_version=4)


def _chinese_problems(nb) -> list[str]:
    out = []
    for c in nb.cells:
        if c.cell_type == "markdown":
            share = cjk_share(c.source)
            if share is not None and share < MIN_CJK:
                out.append(f"{c.get('id')}: {share:.0%} CJK")
    return out


@pytest.mark.parametrize("en", EN, ids=[p.stem for p in EN])
def test_zh_twin_has_the_same_cells(en):
    zh = zh_path(en)
    assert zh.exists(), f"notebooks/zh/{en.name} is missing: run make sync-zh"
    a, b = _read(en), _read(zh)
    assert [(c.get("id"), c.cell_type) for c in a.cells] == [(c.get("id"), c.cell_type) for c in b.cells]
    for x, y in zip(a.cells, b.cells):
        mx = {k: v for k, v in x.metadata.items() if k != META_KEY}
        my = {k: v for k, v in y.metadata.items() if k != META_KEY}
        assert mx == my, f"{en.name} cell {x.get('id')}: metadata differs"
        if x.cell_type != "code":
            continue
        if "parameters" in x.metadata.get("tags", []):
            assert y.source == zh_parameters(x.source), f"{en.name}: parameters cell differs beyond lang"
            if "lang" in x.source:
                assert 'lang = "zh"' in y.source
        else:
            assert y.source == x.source, f"{en.name} cell {x.get('id')}: code differs from English"


@pytest.mark.parametrize("en", EN, ids=[p.stem for p in EN])
def test_zh_twin_is_in_step(en):
    """What sync would write is what is stored (run make sync-zh after changing an English notebook)."""
    zh = _read(zh_path(en))
    out, _ = sync(_read(en), zh)
    assert nbformat.writes(out) == nbformat.writes(zh)


@pytest.mark.parametrize("name", FINAL)
def test_final_translations_are_current_and_chinese(name):
    en = ROOT / "notebooks" / f"{name}.ipynb"
    zh = _read(zh_path(en))
    assert stale_cells(_read(en), zh) == [], "stale translations: python scripts/sync_zh.py --check"
    assert _chinese_problems(zh) == []


@pytest.mark.parametrize("en", EN, ids=[p.stem for p in EN])
def test_translated_cells_are_chinese(en):
    """Every markdown cell stamped as translated reads as Chinese; stale ones are listed by --check."""
    zh = _read(zh_path(en))
    stamped = [c for c in zh.cells if c.cell_type == "markdown" and c.metadata.get(META_KEY, {}).get("en_sha")]
    fake = copy.deepcopy(zh)
    fake.cells = stamped
    assert _chinese_problems(fake) == []


def test_no_stale_translation():
    """The whole edition: no markdown cell left in English or translating an older English text."""
    stale = [f"{en.name}: {cid} ({why})" for en in EN for cid, why in stale_cells(_read(en), _read(zh_path(en)))]
    assert stale == [], f"{len(stale)} cells to translate (python scripts/sync_zh.py --check): " + "; ".join(stale[:8])


# ------------------------------------------------------------------ the checks can fail
def test_scan_catches_a_planted_english_cell():
    zh = _read(zh_path(ROOT / "notebooks" / "00_start_here.ipynb"))
    assert _chinese_problems(zh) == []
    planted = copy.deepcopy(zh)
    planted.cells[0].source = "## The case\n\nA mid-to-high-end womenswear brand sells at 1,200-3,500 yuan."
    assert _chinese_problems(planted) == [f"{planted.cells[0].get('id')}: 0% CJK"]


def test_cjk_share_ignores_formulas_code_and_links():
    text = ("按公式 $$\\text{net}_{\\text{VA}} = \\sum_i N a_i u_i (P_i - m_i)$$ 计算，使用 `evaluate(sc)` "
            "和 [在线运行](https://mybinder.org/v2/gh/x)，参见 <b>原文</b>。")
    assert cjk_share(text) == 1.0
    assert cjk_share("参见 S. Gupta and D. R. Lehmann 的客户生命周期价值模型。") > MIN_CJK
    assert cjk_share("The corrected method keeps every fixed cost (修正方法).") < 0.2
    assert cjk_share("$$x$$") is None


def test_sync_keeps_translations_and_flags_changes():
    en = _read(ROOT / "notebooks" / "01_value_leakage.ipynb")
    zh = _read(zh_path(ROOT / "notebooks" / "01_value_leakage.ipynb"))
    out, report = sync(en, zh)
    assert report.stale == [] and not report.changed
    changed = copy.deepcopy(en)
    md = next(c for c in changed.cells if c.cell_type == "markdown")
    md.source += "\n\nA new sentence."
    new = nbformat.v4.new_markdown_cell("## A new section", id="new-cell")
    changed.cells.insert(2, new)
    changed.cells[-1].metadata["tags"] = ["x"]
    out, report = sync(changed, zh)
    assert (md.get("id"), "English changed since the translation") in report.stale
    assert ("new-cell", "not translated (new cell)") in report.stale
    kept = next(c for c in out.cells if c.get("id") == md.get("id"))
    assert kept.source == next(c for c in zh.cells if c.get("id") == md.get("id")).source
    assert kept.metadata[META_KEY]["en_sha"] != en_sha(md.source)
    assert [c.get("id") for c in out.cells] == [c.get("id") for c in changed.cells]
    assert out.cells[-1].metadata["tags"] == ["x"]


def test_parameters_cell_differs_only_by_lang():
    src = 'scenario = "seed-demo"\nlang = "en"                     # language of the figure labels\n'
    assert zh_parameters(src) == src.replace('lang = "en"', 'lang = "zh"')
    en = _read(ROOT / "notebooks" / "02_service_matrix.ipynb")
    out, _ = sync(en, None)
    p = next(c for c in out.cells if "parameters" in c.metadata.get("tags", []))
    assert 'lang = "zh"' in p.source and 'lang = "en"' not in p.source


def test_check_exits_one_on_stale(tmp_path, monkeypatch):
    import importlib.util
    spec = importlib.util.spec_from_file_location("sync_zh", ROOT / "scripts" / "sync_zh.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    (tmp_path / "notebooks").mkdir()
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_markdown_cell("# Title", id="t")]
    p = tmp_path / "notebooks" / "x.ipynb"
    nbformat.write(nb, str(p))
    monkeypatch.setattr(mod, "ROOT", tmp_path)
    assert mod.main(["--check", str(p)]) == 1                 # missing
    assert mod.main([str(p)]) == 0                            # created, in English
    assert mod.main(["--check", str(p)]) == 1                 # stale
    from aftersales.course.editions import accept
    accept(p, text={"t": "# 标题"})
    assert mod.main(["--check", str(p)]) == 0


# ------------------------------------------------------------------ the checker in Chinese
@pytest.mark.parametrize("nb", ["00_start_here", "01_value_leakage", "02_service_matrix",
                                "03_lifecycle_extension", "04_pnl_comparison"])
def test_checker_messages_are_chinese(nb):
    """With lang="zh" every message of every question (right, each slip, each trap, the method) is Chinese."""
    from aftersales.course.checker import judge, message
    from aftersales.course.exercises import practice

    p = practice(nb, "seed-demo", lang="zh")
    for qid, q in p.questions.items():
        assert q.method_zh and q.why_zh, f"{nb} {qid}: no Chinese method/why"
        assert len(q.traps_zh) == len(q.traps), f"{nb} {qid}: a trap without its Chinese text"
        e = p.expected(qid)
        tries = [None, "85", e, e * 100, e * 1e4, e / 1e4, -e, e * 7.3]
        tries += [float(t(p.scenario)) for t, _ in q.traps]
        for value in tries:
            v = judge(q, value, e, p.scenario, tries=5)
            text = message(q, v, "zh")
            for line in text.split("\n"):
                # code identifiers the student types (apply_parameter(sc, 'scale.price'), ev.services) are allowed
                share = cjk_share(re.sub(r"'[^']*'|[A-Za-z_][\w]*(?:[._(\[][^\s，。：；）]*)+|\w*_\w*", " ", line))
                assert share is not None and share > 0.5, f"{nb} {qid} {value!r}: {line!r}"
