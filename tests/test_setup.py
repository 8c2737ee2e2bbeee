"""The set-up: environment.yml and pyproject.toml agree; importing the library stays light."""
import re
import subprocess
import sys
import tomllib

from conftest import ROOT


def _name(req: str) -> str:
    return re.split(r"[<>=!~;\[ ]", req.strip(), maxsplit=1)[0].lower().replace("_", "-")


def test_environment_yml_names_the_same_packages_as_pyproject():
    deps = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    py = {_name(d) for d in deps if "python_version < '3.11'" not in d}
    text = (ROOT / "environment.yml").read_text()
    env_lines = text[text.index("\ndependencies:"):].splitlines()
    conda = set()
    for line in env_lines:
        m = re.match(r"^\s{2}- ([A-Za-z0-9_.\-]+)", line)
        if m and m.group(1) not in ("python", "pip"):
            conda.add(_name(m.group(1)))
    assert py == conda, f"only in pyproject: {py - conda}; only in environment.yml: {conda - py}"


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
