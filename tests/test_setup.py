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
