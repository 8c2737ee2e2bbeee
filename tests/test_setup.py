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
    ci = (ROOT / ".ci" / "run").read_text()
    readme = (ROOT / "README.md").read_text()
    assert "make test" in ci and "make test" in readme


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
