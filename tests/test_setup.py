"""The set-up: environment.yml and pyproject.toml agree; importing the library stays light."""
import subprocess
import sys

from conftest import ROOT


def test_environment_yml_is_generated_from_pyproject():
    """environment.yml is what scripts/environment.py makes of pyproject.toml (never hand-copied)."""
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "environment.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_import_is_light():
    code = ("import sys, aftersales; "
            "heavy = [m for m in ('pandas', 'matplotlib', 'ipywidgets', 'IPython') if m in sys.modules]; "
            "print(','.join(heavy))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""


def test_ci_calls_the_readme_test_command():
    """.ci/run's one command is the test command of the README's two-command set-up block."""
    ci = [x.strip() for x in (ROOT / ".ci" / "run").read_text().splitlines()]
    commands = [x for x in ci if x and not x.startswith("#") and not x.startswith(("set ", "cd "))]
    assert commands == ["make test"]
    readme = (ROOT / "README.md").read_text()
    block = readme.split("## Set-up: two commands", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    lines = [x.split("#", 1)[0].strip() for x in block.strip().splitlines()]
    assert lines == ["make", "make test"]


def test_make_writes_the_start_up_file_that_skips_the_slow_iri_checker(tmp_path, monkeypatch):
    """scripts/venv_startup.py (run by make) marks rfc3987_syntax absent; nbformat still validates."""
    make = (ROOT / "Makefile").read_text()
    assert "$(PY) scripts/venv_startup.py" in make
    import importlib.util
    spec = importlib.util.spec_from_file_location("venv_startup", ROOT / "scripts" / "venv_startup.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    monkeypatch.setattr(mod.sysconfig, "get_paths", lambda: {"purelib": str(tmp_path)})
    monkeypatch.setattr(mod.sys, "base_prefix", "/not-the-prefix")
    assert mod.main() == 0 and mod.main() == 0                         # idempotent
    pth = tmp_path / "aftersales_startup.pth"
    assert pth.read_text() == "import sys; sys.modules.setdefault('rfc3987_syntax', None)\n"
    code = (pth.read_text() + "import nbformat, jsonschema\n"
            "nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell('1')])\n"
            "nbformat.validate(nb)\n"
            "bad = nbformat.v4.new_notebook(); bad.cells = [{'cell_type': 'code'}]\n"
            "try:\n    nbformat.validate(bad)\nexcept nbformat.ValidationError:\n    print('refused')\n"
            "print('iri' in jsonschema.FormatChecker().checkers, 'email' in jsonschema.FormatChecker().checkers)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["refused", "False", "True"]


def _toml():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    return tomllib


def test_the_version_is_the_one_in_pyproject():
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover
        import tomli as tomllib
    import aftersales

    conf = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert aftersales.__version__ == conf["project"]["version"]


def test_make_check_is_fast_and_make_test_runs_everything_once():
    """The Makefile's two test targets: check leaves out slow and browser tests and runs the doctests;
    test runs the tests, the notebooks once through nbval and the doctests."""
    make = (ROOT / "Makefile").read_text()
    check = make.split("\ncheck:", 1)[1].split("\n\n", 1)[0]
    test = make.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert '-m "not slow and not browser"' in check and "--doctest-modules aftersales" in check
    assert "notebooks" not in check.split("$(PYTEST)", 1)[1]
    assert "tests notebooks" in test and "--nbval-lax" in test and "--doctest-modules aftersales" in test
    assert " -m " not in test                         # nothing deselected: slow and browser tests run too
    assert "AFTERSALES_EXAMPLES=0.25 $(PYTEST)" in check and "AFTERSALES_EXAMPLES" not in test
    assert "scripts/mutate.py" in make.split("\nmutate:", 1)[1].split("\n\n", 1)[0]
    assert (ROOT / "scripts" / "mutate.py").is_file()


def test_package_data_globs_cover_every_data_file():
    """pyproject's package-data globs match every file under aftersales/data, nested ones too."""
    conf = _toml().loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    globs = conf["tool"]["setuptools"]["package-data"]["aftersales"]
    pkg = ROOT / "aftersales"
    covered = {p for g in globs for p in pkg.glob(g) if p.is_file()}
    data = {p for p in (pkg / "data").rglob("*") if p.is_file() and "__pycache__" not in p.parts}
    assert data - covered == set(), f"not shipped: {sorted(str(p.relative_to(pkg)) for p in data - covered)}"


def test_the_examples_share_is_checked_and_scales_the_property_tests(monkeypatch):
    """conftest.examples: all examples by default, a share in make check; a bad share is one clear error."""
    import pytest

    import conftest
    for raw in ("4", "0", "-1", "many", "nan"):
        monkeypatch.setenv("AFTERSALES_EXAMPLES", raw)
        with pytest.raises(pytest.UsageError, match=rf"^AFTERSALES_EXAMPLES must be a share in \(0, 1\], got '{raw}'$"):
            conftest._examples_share()
    monkeypatch.setenv("AFTERSALES_EXAMPLES", "0.25")
    assert conftest._examples_share() == 0.25
    monkeypatch.setattr(conftest, "EXAMPLES_SHARE", 0.25)
    assert (conftest.examples(150), conftest.examples(30)) == (38, 10)   # ceil(150 / 4); 7.5 -> the floor 10
    monkeypatch.setattr(conftest, "EXAMPLES_SHARE", 1.0)
    assert (conftest.examples(150), conftest.examples(7)) == (150, 10)


def test_a_mutation_retest_keeps_the_killed_retests_the_survivors_and_can_finish_a_stopped_run():
    import importlib.util
    spec = importlib.util.spec_from_file_location("mutate", ROOT / "scripts" / "mutate.py")
    mutate = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mutate)
    current = [{"file": "m.py", "line": "x = 1", "index": 0}, {"file": "m.py", "line": "x = 1", "index": 1},
               {"file": "m.py", "line": "y = 2", "index": 0}, {"file": "m.py", "line": "z = 3", "index": 0}]
    before = {"results": [{"file": "m.py", "line": "x = 1", "index": 0, "status": "killed", "line_number": 0},
                          {"file": "m.py", "line": "y = 2", "index": 0, "status": "survived", "line_number": 1}]}
    kept, again = mutate._retest(before, current)
    assert [r["status"] for r in kept] == ["killed"] and again == [current[2]]
    kept, again = mutate._retest(before, current, finish=True)       # the two never reached are tested too
    assert [r["status"] for r in kept] == ["killed"] and again == [current[2], current[1], current[3]]
    before["results"][0]["status"] = "timeout"                          # a timeout is kept, or tested again
    kept, again = mutate._retest(before, current)
    assert [r["status"] for r in kept] == ["timeout"] and again == [current[2]]
    kept, again = mutate._retest(before, current, timeouts=True)
    assert kept == [] and again == [current[0], current[2]]
    # tier 0 of a mutated module takes its mirror tests, which leave their later tier
    tiers = mutate.tiers_for("aftersales/model/article.py", [["a.py", "{module}"], ["tests/test_article.py", "tests/b.py"]],
                             [10.0, 20.0])
    assert tiers == [(["a.py", "aftersales/model/article.py", "tests/test_article.py"], 30.0), (["tests/b.py"], 20.0)]
