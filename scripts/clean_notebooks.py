"""Strip outputs from notebooks before a commit, keeping every cell's tags and metadata.

    python scripts/clean_notebooks.py notebooks      # or: make clean-notebooks

Outputs, execution counts and the per-run execution metadata (papermill's, nbval's) go; the
``parameters``, ``solution`` and other tags, ``jupyter.source_hidden`` and the cell ids stay.
"""
from __future__ import annotations

import sys
from pathlib import Path

import nbformat

RUN_METADATA = ("execution", "papermill", "ExecuteTime", "collapsed", "scrolled")


def clean(path: Path) -> bool:
    """Strip one notebook in place; True if it changed."""
    before = path.read_text(encoding="utf-8")
    nb = nbformat.reads(before, as_version=4)
    for cell in nb.cells:
        for key in RUN_METADATA:
            cell.metadata.pop(key, None)
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    nb.metadata.pop("papermill", None)
    after = nbformat.writes(nb) + "\n"
    if after != before:
        path.write_text(after, encoding="utf-8")
        return True
    return False


def main(argv: list[str]) -> int:
    paths = [Path(a) for a in argv] or [Path("notebooks")]
    files = [f for p in paths for f in (sorted(p.rglob("*.ipynb")) if p.is_dir() else [p])
             if ".ipynb_checkpoints" not in f.parts]
    changed = [f for f in files if clean(f)]
    for f in changed:
        print(f"stripped {f}")
    print(f"{len(files)} notebooks, {len(changed)} changed")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
