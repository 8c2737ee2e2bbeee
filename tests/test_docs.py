"""The docs follow the table of contents and the house: docs/notebooks.md lists every notebook of
aftersales/data/toc.toml, in order, with its title and topic; README's notebook table lists them in
order with the same topic; the architecture page names every room."""
from __future__ import annotations

import re
import sys

from conftest import ROOT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

TOC = tomllib.loads((ROOT / "aftersales" / "data" / "toc.toml").read_text(encoding="utf-8"))["notebook"]
ROW = re.compile(r"^\| (?P<id>\d\d) \| `(?P<file>[^`]+)` \| (?P<title>[^|]+?) \| (?P<teaches>[^|]+?) \|$", re.M)


def _series_rows(text: str) -> list[dict]:
    section = text.split("## The series", 1)[1].split("\n## ", 1)[0]
    return [m.groupdict() for m in ROW.finditer(section)]


def test_notebooks_md_lists_the_table_of_contents_in_order():
    rows = _series_rows((ROOT / "docs" / "notebooks.md").read_text(encoding="utf-8"))
    assert [(r["id"], r["file"]) for r in rows] == [(e["id"], e["file"]) for e in TOC]
    for r, e in zip(rows, TOC):
        assert r["title"] == f"{e['title']} ({e['title_zh']})", f"notebook {e['id']}: title differs from toc.toml"
        assert r["teaches"] == e["teaches"], f"notebook {e['id']}: topic differs from toc.toml"


#: A row of README's notebook table: | `00_start_here` | what it teaches |
README_ROW = re.compile(r"^\| `(?P<stem>\d\d_\w+)` \| (?P<teaches>[^|]+?) \|$", re.M)


def _readme_rows(text: str) -> list[dict]:
    section = text.split("## The notebooks", 1)[1].split("\n## ", 1)[0]
    return [m.groupdict() for m in README_ROW.finditer(section)]


def test_readme_lists_the_table_of_contents_in_order():
    rows = _readme_rows((ROOT / "README.md").read_text(encoding="utf-8"))
    assert [r["stem"] + ".ipynb" for r in rows] == [e["file"] for e in TOC]
    for r, e in zip(rows, TOC):
        assert r["teaches"] == e["teaches"], f"README, notebook {e['id']}: topic differs from toc.toml"


def test_the_readme_check_sees_another_topic():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    row = _readme_rows(text)[3]
    changed = text.replace(f"| `{row['stem']}` | {row['teaches']} |", f"| `{row['stem']}` | {row['teaches']}, and more |")
    assert _readme_rows(changed)[3]["teaches"] != TOC[3]["teaches"]


def test_every_notebook_of_the_toc_exists_and_every_notebook_is_in_the_toc():
    files = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    assert files == sorted(e["file"] for e in TOC)


def test_the_check_sees_a_wrong_order():
    text = (ROOT / "docs" / "notebooks.md").read_text(encoding="utf-8")
    rows = _series_rows(text)
    first, second = (f"| {r['id']} | `{r['file']}` | {r['title']} | {r['teaches']} |" for r in rows[:2])
    swapped = text.replace(first, "@@").replace(second, first).replace("@@", second)
    assert [r["id"] for r in _series_rows(swapped)][:2] == [rows[1]["id"], rows[0]["id"]]


def test_architecture_md_names_every_room_and_make_target():
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    rooms = sorted(p.name for p in (ROOT / "aftersales").iterdir() if (p / "__init__.py").is_file())
    for room in rooms:
        assert f"aftersales/{room}/" in text or f"aftersales.{room}" in text, f"room {room} not described"
    for target in ("make check", "make test", "make mutate", "make clean-notebooks"):
        assert target in text


#: the one Chinese name of a term, and the variants the glossary rules out (its module docstring)
ONE_CHINESE_NAME = {"价值流失": "价值泄漏", "客户终身价值": "客户生命周期价值", "接受率": "客户接受度"}


def test_every_notebook_doc_and_module_uses_the_glossarys_chinese_names():
    files = [p for d in ("notebooks", "docs", "aftersales") for p in (ROOT / d).rglob("*")
             if p.suffix in {".ipynb", ".md", ".py", ".toml", ".csv"} and p.is_file()]
    files.append(ROOT / "README.md")
    glossary = ROOT / "aftersales" / "glossary" / "__init__.py"      # names the variants to rule them out
    found = [f"{p.relative_to(ROOT)}: {bad} (say {good})" for p in files if p != glossary
             for bad, good in ONE_CHINESE_NAME.items() if bad in p.read_bytes().decode("utf-8", "replace")]
    assert not found, "\n".join(found)
