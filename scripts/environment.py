"""Write environment.yml (conda, Binder) from pyproject.toml, so the two never disagree.

    python scripts/environment.py          # rewrite environment.yml
    python scripts/environment.py --check  # exit 1 if environment.yml is out of date

Binder and conda users get the student install plus the web extra (the app and the site).
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
EXTRAS = ("web",)
#: PyPI names whose conda-forge package is named differently.
CONDA_NAMES: dict[str, str] = {}


def render() -> str:
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = [r for r in project["dependencies"] if "python_version" not in r]
    for extra in EXTRAS:
        reqs += project["optional-dependencies"][extra]
    lines = ["# Generated from pyproject.toml by scripts/environment.py: do not edit by hand.",
             "# conda env create -f environment.yml  (also read by Binder)",
             "name: aftersales", "channels:", "  - conda-forge", "dependencies:",
             f"  - python{project['requires-python']}", "  - pip"]
    for r in reqs:
        name = re.split(r"[<>=!~; \[]", r, maxsplit=1)[0]
        lines.append(f"  - {CONDA_NAMES.get(name, name)}{r[len(name):].replace(' ', '')}")
    lines += ["  - pip:", "      - -e ."]
    return "\n".join(lines) + "\n"


def main(argv: list[str]) -> int:
    target = ROOT / "environment.yml"
    text = render()
    if "--check" in argv:
        if target.read_text(encoding="utf-8") != text:
            print("environment.yml is out of date: run python scripts/environment.py", file=sys.stderr)
            return 1
        return 0
    target.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
