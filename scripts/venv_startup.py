"""Write the project virtual environment's start-up file: skip jsonschema's slow optional IRI checker.

    python scripts/venv_startup.py          # run by `make` when it creates or updates .venv

Every process that imports nbformat (JupyterLab, papermill, nbval, nbclient, the grader's sandboxed
children, every test worker) imports jsonschema, and jsonschema imports every optional format checker
it finds. One of them, ``rfc3987_syntax`` (pulled in by the ``format-nongpl`` extra that the Jupyter
packages ask for), builds several Earley parsers when it is imported: about 3 s of CPU per process on
the 2-core reference machine, for the formats ``iri`` and ``iri-reference`` that no notebook schema
uses. jsonschema skips a checker whose library cannot be imported, so a ``.pth`` file in the
environment's site-packages marks that one module as absent. Nothing else changes: the other format
checkers, and every schema the project validates, work as before.

Only the project's own ``.venv`` gets the file (this script writes into the site-packages of the
Python that runs it and refuses to run outside a virtual environment); a conda or Binder environment
is left as it is and only starts slower.
"""
from __future__ import annotations

import sys
import sysconfig
from pathlib import Path

NAME = "aftersales_startup.pth"
LINE = "import sys; sys.modules.setdefault('rfc3987_syntax', None)\n"


def main() -> int:
    if sys.prefix == sys.base_prefix:
        print("venv_startup: not in a virtual environment; nothing written", file=sys.stderr)
        return 0
    path = Path(sysconfig.get_paths()["purelib"]) / NAME
    if not path.exists() or path.read_text(encoding="utf-8") != LINE:
        path.write_text(LINE, encoding="utf-8")
    print(f"venv_startup: {path.name} in place")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
