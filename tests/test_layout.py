"""The house rules of the library, held by a test.

- Rooms by audience: ``model`` (numbers only) imports nothing of the other rooms; nothing
  imports the CLI; the glossary and the resources import nothing of the library.
- No import cycle between modules, counting imports inside functions too.
- No module over about 500 lines, docstrings not counted: numpydoc documentation (Parameters,
  Notes, Examples) must never be the reason to split a module, nor a reason not to write it.
"""
from __future__ import annotations

import ast
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "aftersales"
MAX_LINES = 520

#: room -> the rooms it may import (besides itself). Leaf modules import nothing of the library.
ALLOWED = {
    "glossary": set(),
    "resources": set(),
    "model": {"glossary", "resources"},
    "customers": {"glossary", "resources", "model"},
    "course": {"glossary", "resources", "model", "customers"},
    "segment": {"glossary", "resources", "model", "course"},
    "teacher": {"glossary", "resources", "model", "course", "customers"},
    "web": {"glossary", "resources", "model", "course", "customers", "segment"},
    "cli": {"glossary", "resources", "model", "course", "customers", "segment", "teacher", "web"},
}


def _modules() -> dict[str, Path]:
    out = {}
    for p in sorted(PKG.rglob("*.py")):
        parts = list(p.relative_to(PKG.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = p
    return out


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Library modules that ``name`` imports (absolute or relative, at top level or inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                mod = ".".join(base + ([node.module] if node.module else []))
            else:
                mod = node.module or ""
            targets = [mod] + [f"{mod}.{a.name}" for a in node.names]
        for t in targets:
            # the longest prefix of t that is a library module
            parts = t.split(".")
            for k in range(len(parts), 0, -1):
                cand = ".".join(parts[:k])
                if cand in MODULES:
                    if cand != name and cand != "aftersales":
                        found.add(cand)
                    break
    return found


GRAPH = {name: _imports(name, path) for name, path in MODULES.items()}


def _room(name: str) -> str | None:
    parts = name.split(".")
    return parts[1] if len(parts) > 1 else None


def test_the_rooms_import_only_what_they_may():
    bad = []
    for name, deps in GRAPH.items():
        room = _room(name)
        if room is None or room == "__main__":
            continue
        for d in deps:
            other = _room(d)
            if other is not None and other != room and other not in ALLOWED.get(room, set()):
                bad.append(f"{name} imports {d} ({room} may not import {other})")
    assert not bad, "\n".join(bad)


def test_every_room_is_declared():
    rooms = {_room(n) for n in MODULES} - {None, "__main__"}
    assert rooms <= set(ALLOWED), f"undeclared rooms: {rooms - set(ALLOWED)}"


def test_nothing_imports_the_cli():
    bad = [f"{n} imports {d}" for n, deps in GRAPH.items() if _room(n) != "cli" and n != "aftersales.__main__"
           for d in deps if _room(d) == "cli"]
    assert not bad, "\n".join(bad)


def test_no_import_cycle():
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str):
        state[n] = 1
        stack.append(n)
        for d in sorted(GRAPH.get(n, ())):
            if state.get(d) == 1:
                cycle = stack[stack.index(d):] + [d]
                pytest.fail("import cycle: " + " -> ".join(cycle))
            if d not in state:
                visit(d)
        stack.pop()
        state[n] = 2

    for n in sorted(GRAPH):
        if n not in state:
            visit(n)


def _lines_without_docstrings(text: str) -> int:
    """Lines of a module outside its module, class and function docstrings."""
    tree = ast.parse(text)
    doc: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                doc.update(range(first.lineno, first.end_lineno + 1))
    return sum(1 for i in range(1, len(text.splitlines()) + 1) if i not in doc)


@pytest.mark.parametrize("name", sorted(MODULES))
def test_no_module_is_over_about_500_lines(name):
    n = _lines_without_docstrings(MODULES[name].read_text(encoding="utf-8"))
    assert n <= MAX_LINES, f"{name} has {n} lines besides its docstrings; split it by concept (at most about 500)"


def test_docstrings_do_not_count_but_code_does():
    code = "def f():\n    \"\"\"One.\n\n    Two.\n    \"\"\"\n    return 1\n# a comment\n"
    assert _lines_without_docstrings(code) == 3


def test_the_rule_can_fail(tmp_path):
    """The cycle finder and the room rule see a planted violation (so the tests above can fail)."""
    planted = "from aftersales.course.charts import dashboard\n"
    path = tmp_path / "kernel.py"
    path.write_text(planted)
    deps = _imports("aftersales.model.kernel", path)
    assert "aftersales.course.charts" in deps
    assert "course" not in ALLOWED["model"]
