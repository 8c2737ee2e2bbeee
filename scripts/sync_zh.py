"""Build or update the Chinese edition ``notebooks/zh/`` from the English notebooks.

    python scripts/sync_zh.py                  # or: make sync-zh; writes notebooks/zh/*.ipynb
    python scripts/sync_zh.py --check          # exit 1 listing stale or missing cells; writes nothing
    python scripts/sync_zh.py --accept 01_value_leakage:cell-id [...]   # stamp a cell as translated
    python scripts/sync_zh.py --accept 01_value_leakage                 # every translated cell of it

Cells are aligned by id; code cells are copied from English (the parameters cell with
``lang = "zh"``); markdown cells keep their Chinese text and record the hash of the English source
they translate in ``metadata["aftersales"]["en_sha"]``. A cell whose English changed, or a new
cell (copied in English), is listed as stale until a translator updates it and runs --accept.
See aftersales/course/editions.py.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from aftersales.course.editions import accept, sync_file, zh_path  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("notebooks", nargs="*", help="English notebooks (default: notebooks/*.ipynb)")
    p.add_argument("--check", action="store_true", help="write nothing; exit 1 if a zh notebook is missing, "
                   "out of step or has stale cells")
    p.add_argument("--accept", nargs="+", metavar="NAME[:CELL_ID]",
                   help="mark cells as translated (the hash of their current English source)")
    a = p.parse_args(argv)
    en_dir = ROOT / "notebooks"
    if a.accept:
        for item in a.accept:
            name, _, cid = item.partition(":")
            path = en_dir / (name.removesuffix(".ipynb") + ".ipynb")
            done = accept(path, [cid] if cid else None)
            print(f"zh/{path.name}: accepted {len(done)} cell(s)")
        return 0
    files = [Path(f) for f in a.notebooks] or sorted(en_dir.glob("*.ipynb"))
    problems = []
    for f in files:
        missing = not zh_path(f).exists()
        r = sync_file(f, write=not a.check)
        if a.check and missing:
            problems.append(f"zh/{f.name}: missing")
        elif a.check and r.changed:
            problems.append(f"zh/{f.name}: out of step with the English cells (run make sync-zh)")
        elif r.changed:
            print(f"{'created' if r.created else 'updated'} {zh_path(f).relative_to(ROOT)}")
        problems += r.lines()
    for line in problems:
        print(line)
    stale = sum(1 for x in problems)
    print(f"{len(files)} notebooks, {stale} stale or missing" if a.check or stale else f"{len(files)} notebooks in step")
    return 1 if a.check and problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
