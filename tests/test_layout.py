"""The house rules of the library, held by a test.

- Rooms by audience: ``model`` (numbers only) imports nothing of the other rooms; nothing
  imports the CLI; the glossary and the resources import nothing of the library. The front door
  (``aftersales/__init__.py``, which re-exports ``model``) counts as a room of its own: a room
  that may import ``model`` may import it, ``model`` may not (the front door imports ``model``).
- No import cycle between modules, counting imports inside functions too.
- The command line is the only place that prints: no use of the builtin ``print`` (a call, or
  ``print`` passed as a value) and no write to ``sys.stdout``/``sys.stderr`` outside ``aftersales/cli``.
- Private helpers (a leading underscore) are not imported across modules, nor read as
  ``module._name``: a helper two modules need is public in the module that owns it.
- No control character other than newline and tab in a text file of the package (a ``\\f`` typed
  into a non-raw docstring becomes a form feed).
- No module over about 500 lines, docstrings not counted: numpydoc documentation (Parameters,
  Notes, Examples) must never be the reason to split a module, nor a reason not to write it.

Each check is a function of a graph or of files, tested below on a planted violation.
"""
from __future__ import annotations

import ast
import functools
import re
from pathlib import Path

import pytest

PKG = Path(__file__).resolve().parents[1] / "aftersales"
MAX_LINES = 520
#: The package itself: ``aftersales/__init__.py``, the front door.
FRONT_DOOR = "aftersales"

#: room -> the rooms it may import (besides itself). Leaf modules import nothing of the library.
ALLOWED = {
    "glossary": set(),
    "resources": set(),
    "model": {"glossary", "resources"},
    "front door": {"model"},
    "customers": {"glossary", "resources", "model"},
    "course": {"glossary", "resources", "model", "customers"},
    "segment": {"glossary", "resources", "model", "course"},
    "teacher": {"glossary", "resources", "model", "course", "customers"},
    "web": {"glossary", "resources", "model", "course", "customers", "segment"},
    "cli": {"glossary", "resources", "model", "course", "customers", "segment", "teacher", "web"},
}
# the front door re-exports model: whoever may import model may import it, except model itself
for _room_name, _deps in ALLOWED.items():
    if "model" in _deps and _room_name not in ("model", "front door"):
        _deps.add("front door")


@functools.lru_cache(maxsize=None)
def parsed(path: Path) -> ast.AST:
    """The syntax tree of one source file, parsed once per test run (several rules read every file)."""
    return ast.parse(path.read_text(encoding="utf-8"))


def module_table(pkg: Path = PKG) -> dict[str, Path]:
    """Dotted module name -> file, for every module of the package (``aftersales`` is its __init__)."""
    out = {}
    for p in sorted(pkg.rglob("*.py")):
        parts = list(p.relative_to(pkg.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = p
    return out


MODULES = module_table()


def _longest_module(dotted: str, modules) -> str | None:
    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        cand = ".".join(parts[:k])
        if cand in modules:
            return cand
    return None


def _from_module(node: ast.ImportFrom, package: str) -> str:
    """The absolute module of ``from X import ...`` written in ``package`` (relative levels resolved)."""
    if not node.level:
        return node.module or ""
    base = package.split(".")
    base = base[: len(base) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def imports_of(name: str, path: Path, modules=MODULES) -> set[str]:
    """Library modules that ``name`` imports (absolute or relative, at top level or inside functions).

    ``from aftersales import evaluate`` (a name of the front door, not a module) is an import of
    the front door, ``aftersales``; ``from aftersales import resources`` is an import of the
    module ``aftersales.resources``.
    """
    tree = parsed(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Import):
            targets = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            mod = _from_module(node, package)
            subs = [f"{mod}.{a.name}" for a in node.names]
            # "from aftersales import x": the front door only when x is not a module of its own
            # (then "aftersales.x" resolves to the front door below)
            targets = subs if mod == FRONT_DOOR else [mod] + subs
        for t in targets:
            cand = _longest_module(t, modules)
            if cand is None or cand == name:
                continue
            if cand == FRONT_DOOR and t != FRONT_DOOR and not isinstance(node, ast.ImportFrom):
                continue                # "import aftersales.x.y" of a name that is not a module
            found.add(cand)
    return found


GRAPH = {name: imports_of(name, path) for name, path in MODULES.items()}


def room_of(name: str) -> str | None:
    """``model`` for ``aftersales.model.kernel``; ``front door`` for ``aftersales`` itself."""
    if name == FRONT_DOOR:
        return "front door"
    parts = name.split(".")
    return parts[1] if len(parts) > 1 and parts[0] == FRONT_DOOR else None


# ------------------------------------------------------------------ the checks
def room_violations(graph: dict[str, set[str]], allowed=ALLOWED) -> list[str]:
    """Every import of a room the importing module's room may not import."""
    bad = []
    for name, deps in sorted(graph.items()):
        room = room_of(name)
        if room is None or room == "__main__":
            continue
        for d in sorted(deps):
            other = room_of(d)
            if other is not None and other != room and other not in allowed.get(room, set()):
                bad.append(f"{name} imports {d} ({room} may not import {other})")
    return bad


def cli_importers(graph: dict[str, set[str]]) -> list[str]:
    """Every import of the CLI by a module outside it (``python -m aftersales`` excepted)."""
    return [f"{n} imports {d}" for n, deps in sorted(graph.items())
            if room_of(n) != "cli" and n != "aftersales.__main__" for d in sorted(deps) if room_of(d) == "cli"]


def import_cycle(graph: dict[str, set[str]]) -> list[str] | None:
    """One import cycle of the graph (``[a, b, a]``), or None."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(n: str) -> list[str] | None:
        state[n] = 1
        stack.append(n)
        for d in sorted(graph.get(n, ())):
            if state.get(d) == 1:
                return stack[stack.index(d):] + [d]
            if d not in state:
                found = visit(d)
                if found:
                    return found
        stack.pop()
        state[n] = 2
        return None

    for n in sorted(graph):
        if n not in state:
            found = visit(n)
            if found:
                return found
    return None


def _binds_print(tree: ast.AST) -> bool:
    """True if the module defines or assigns a name ``print`` of its own."""
    return any((isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)) and n.name == "print")
               or (isinstance(n, ast.Name) and n.id == "print" and isinstance(n.ctx, ast.Store))
               for n in ast.walk(tree))


def printing(modules: dict[str, Path]) -> list[str]:
    """Every use of the builtin ``print`` and every write to sys.stdout/sys.stderr outside the CLI."""
    bad = []
    for name, path in sorted(modules.items()):
        if room_of(name) == "cli":
            continue
        tree = parsed(path)
        own_print = _binds_print(tree)
        for node in ast.walk(tree):
            what = None
            if isinstance(node, ast.Name) and node.id == "print" and isinstance(node.ctx, ast.Load) and not own_print:
                what = "print"
            elif isinstance(node, ast.Attribute) and node.attr == "print" and getattr(node.value, "id", "") == "builtins":
                what = "builtins.print"
            elif (isinstance(node, ast.Attribute) and node.attr == "write" and isinstance(node.value, ast.Attribute)
                  and node.value.attr in ("stdout", "stderr") and getattr(node.value.value, "id", "") == "sys"):
                what = f"sys.{node.value.attr}.write"
            if what:
                bad.append(f"{name}:{node.lineno}: {what} (only aftersales/cli prints)")
    return bad


def _private(n: str) -> bool:
    return n.startswith("_") and not (n.startswith("__") and n.endswith("__"))


def private_imports(modules: dict[str, Path]) -> list[str]:
    """Every private name (``_x``) a module imports from another library module or reads as ``mod._x``."""
    bad = []
    for name, path in sorted(modules.items()):
        tree = parsed(path)
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        module_aliases: dict[str, str] = {}     # local name -> library module it is bound to
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                mod = _from_module(node, package)
                if mod not in modules:
                    continue
                for a in node.names:
                    if f"{mod}.{a.name}" in modules:
                        module_aliases[a.asname or a.name] = f"{mod}.{a.name}"
                    elif _private(a.name) and mod != name:
                        bad.append(f"{name}:{node.lineno}: imports {a.name} from {mod}")
            elif isinstance(node, ast.Import):
                for a in node.names:
                    if a.name in modules and a.asname:
                        module_aliases[a.asname] = a.name
        for node in ast.walk(tree):
            if (isinstance(node, ast.Attribute) and _private(node.attr) and isinstance(node.value, ast.Name)
                    and module_aliases.get(node.value.id, name) != name):
                bad.append(f"{name}:{node.lineno}: reads {node.value.id}.{node.attr} of "
                           f"{module_aliases[node.value.id]}")
    return bad


#: Text files of the package (the rest, e.g. .xlsx samples, are binary on purpose).
TEXT_SUFFIXES = {".py", ".toml", ".csv", ".md", ".txt", ".json", ".ipynb", ".cfg", ".ini"}
_CONTROL = re.compile(rb"[\x00-\x08\x0b-\x1f\x7f]")


def control_characters(paths) -> list[str]:
    """Every control character other than newline and tab in ``paths``, as ``file:line: 0xNN``."""
    bad = []
    for p in paths:
        data = Path(p).read_bytes()
        for m in _CONTROL.finditer(data):
            line = data.count(b"\n", 0, m.start()) + 1
            bad.append(f"{p}:{line}: 0x{m.group()[0]:02X}")
    return bad


# ------------------------------------------------------------------ the rules, on the library
def test_the_rooms_import_only_what_they_may():
    bad = room_violations(GRAPH)
    assert not bad, "\n".join(bad)


def test_every_room_is_declared():
    rooms = {room_of(n) for n in MODULES} - {None, "__main__"}
    assert rooms <= set(ALLOWED), f"undeclared rooms: {rooms - set(ALLOWED)}"


def test_nothing_imports_the_cli():
    bad = cli_importers(GRAPH)
    assert not bad, "\n".join(bad)


def test_no_import_cycle():
    cycle = import_cycle(GRAPH)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_only_the_cli_prints():
    bad = printing(MODULES)
    assert not bad, "\n".join(bad)


def test_no_private_helper_is_imported_across_modules():
    bad = private_imports(MODULES)
    assert not bad, "\n".join(bad)


def test_no_control_characters_in_the_package_sources():
    paths = [p for p in sorted(PKG.rglob("*")) if p.is_file() and p.suffix in TEXT_SUFFIXES
             and "__pycache__" not in p.parts]
    assert len([p for p in paths if p.suffix == ".py"]) == len(MODULES)
    bad = control_characters(paths)
    assert not bad, "\n".join(bad)


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


# ------------------------------------------------------------------ each check sees a planted violation
def _plant(tmp_path: Path, name: str, source: str) -> dict[str, Path]:
    """A module ``name`` (dotted) with ``source``, written under tmp_path, as a one-module table."""
    path = tmp_path.joinpath(*name.split(".")).with_suffix(".py")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(source, encoding="utf-8")
    return {name: path}


def test_an_import_through_the_front_door_is_an_edge_to_it(tmp_path):
    table = _plant(tmp_path, "aftersales.model.kernel", "from aftersales import evaluate\n")
    assert imports_of("aftersales.model.kernel", table["aftersales.model.kernel"]) == {FRONT_DOOR}
    table = _plant(tmp_path, "aftersales.course.x", "def f():\n    import aftersales\n    from aftersales import resources\n")
    assert imports_of("aftersales.course.x", table["aftersales.course.x"]) == {FRONT_DOOR, "aftersales.resources"}
    table = _plant(tmp_path, "aftersales.course.y", "from aftersales import resources\nimport aftersales.model.kernel\n")
    assert imports_of("aftersales.course.y", table["aftersales.course.y"]) == {"aftersales.resources",
                                                                             "aftersales.model.kernel"}


def test_the_room_check_sees_a_planted_violation():
    assert room_violations({"aftersales.model.kernel": {"aftersales.course.charts"}}) == [
        "aftersales.model.kernel imports aftersales.course.charts (model may not import course)"]
    assert room_violations({"aftersales.model.kernel": {FRONT_DOOR}}) == [
        "aftersales.model.kernel imports aftersales (model may not import front door)"]
    assert room_violations({"aftersales.glossary.tables": {FRONT_DOOR}}) != []
    assert room_violations({FRONT_DOOR: {"aftersales.course.charts"}}) != []
    # what is allowed stays allowed
    assert room_violations({"aftersales.course.charts": {"aftersales.model.kernel", FRONT_DOOR},
                            FRONT_DOOR: {"aftersales.model.inputs"}}) == []


def test_the_cycle_finder_sees_a_planted_cycle():
    assert import_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert import_cycle({"a": {"b"}, "b": {"c"}, "c": set()}) is None
    # a cycle through the front door: model -> front door -> model
    assert import_cycle({"aftersales.model.kernel": {FRONT_DOOR}, FRONT_DOOR: {"aftersales.model.kernel"}})


def test_the_cli_rule_sees_a_planted_import():
    assert cli_importers({"aftersales.course.charts": {"aftersales.cli.output"}}) == [
        "aftersales.course.charts imports aftersales.cli.output"]
    assert cli_importers({"aftersales.__main__": {"aftersales.cli"}, "aftersales.cli.web_cmds": {"aftersales.cli.output"}}) == []


def test_the_print_scan_sees_a_planted_print(tmp_path):
    planted = ('"""Docs may say print(x)."""\nimport builtins\nimport sys\n\n\ndef f(log=print):\n    print("hi")\n'
               '    builtins.print("hi")\n    sys.stderr.write("hi")\n    return "print(1)"\n')
    found = printing(_plant(tmp_path, "aftersales.course.planted", planted))
    assert [f.split(": ", 1)[1] for f in found] == ["print (only aftersales/cli prints)"] * 2 + [
        "builtins.print (only aftersales/cli prints)", "sys.stderr.write (only aftersales/cli prints)"]
    assert printing(_plant(tmp_path, "aftersales.cli.planted", planted)) == []        # the CLI may
    own = "def print(x):\n    return x\n\n\nprint(1)\n"
    assert printing(_plant(tmp_path, "aftersales.course.own", own)) == []


def test_the_private_helper_scan_sees_a_planted_import(tmp_path):
    table = {**MODULES}
    table.update(_plant(tmp_path, "aftersales.segment.planted",
                        "from aftersales.segment.schema import label_key, _nothing\n"
                        "from aftersales.segment import sql\n\n\ndef _mine():\n    return sql._hidden, sql.quote_path\n"))
    found = [f for f in private_imports(table) if f.startswith("aftersales.segment.planted")]
    assert found == ["aftersales.segment.planted:1: imports _nothing from aftersales.segment.schema",
                     "aftersales.segment.planted:6: reads sql._hidden of aftersales.segment.sql"]


def test_the_control_character_scan_sees_a_form_feed(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_bytes(b'def f():\n    """\n    .. math:: \x0crac{x}{m}\n    """\n\tpass\n')
    good = tmp_path / "good.py"
    good.write_bytes(b'def f():\n    r"""\n    .. math:: \\frac{x}{m}\n    """\n\tpass\n')
    assert control_characters([bad, good]) == [f"{bad}:3: 0x0C"]
