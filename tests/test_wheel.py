"""The package installs anywhere: a wheel, a fresh virtual environment outside the checkout.

The wheel is built from a copy of the checkout's files (so the checkout gets no ``build/``), and
installed with its base dependencies only (no extras) into a new virtual environment in a temporary
folder; the commands then run with that folder as the working directory, so nothing of the
checkout's ``data/`` or ``notebooks/`` can be found by accident.

If a working ``python3.10`` is found (on PATH or as a pyenv version) the environment uses it, to
prove the declared floor (``requires-python >= 3.10``, the tomli fallback); otherwise, or if the
base dependencies cannot be installed for it, the current interpreter, and the test output says
which (``pytest -s`` or ``-rP`` shows it).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT

pytestmark = pytest.mark.slow

def _run(cmd, **kw):
    kw.setdefault("capture_output", True)
    kw.setdefault("text", True)
    return subprocess.run([str(c) for c in cmd], **kw)


def _python310() -> str | None:
    """A python3.10 that really runs (a pyenv shim on PATH may not), or None."""
    candidates = []
    if shutil.which("python3.10"):
        candidates.append((shutil.which("python3.10"), None))
    if shutil.which("pyenv"):
        r = _run(["pyenv", "versions", "--bare"])
        for v in r.stdout.split():
            if v.startswith("3.10"):
                candidates.append((shutil.which("python3.10") or "python3.10", {"PYENV_VERSION": v}))
    for exe, env in candidates:
        try:
            r = _run([exe, "-c", "import sys, venv; print(sys.executable)"],
                     env={**os.environ, **(env or {})}, timeout=60)
        except (OSError, subprocess.TimeoutExpired):
            continue
        if r.returncode == 0 and r.stdout.strip():
            return r.stdout.strip().splitlines()[-1]
    return None


def _tracked_files(dest: Path) -> None:
    names = _run(["git", "ls-files", "--cached", "--others", "--exclude-standard"], cwd=ROOT).stdout.split("\n")
    for n in filter(None, names):
        src, dst = ROOT / n, dest / n
        if not (src.is_file() or src.is_symlink()):
            continue
        dst.parent.mkdir(parents=True, exist_ok=True)
        if src.is_symlink():
            os.symlink(os.readlink(src), dst)
        else:
            shutil.copy2(src, dst)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory) -> Path:
    src = tmp_path_factory.mktemp("src")
    _tracked_files(src)
    dist = tmp_path_factory.mktemp("dist")
    r = _run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", dist, src], timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    (whl,) = dist.glob("aftersales-*.whl")
    return whl


def test_the_wheel_holds_every_data_file_and_module(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    pkg = ROOT / "aftersales"
    expected = {str(p.relative_to(ROOT)).replace(os.sep, "/") for p in pkg.rglob("*")
                if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc"}
    assert expected - names == set()
    assert any(n.endswith("LICENSE") for n in names)


def test_the_wheel_runs_outside_the_checkout(wheel, tmp_path):
    py310 = _python310()
    python = py310 or sys.executable
    venv = tmp_path / "venv"
    r = _run([python, "-m", "venv", venv], timeout=300)
    assert r.returncode == 0, r.stderr
    vpy = venv / "bin" / "python"
    r = _run([vpy, "-m", "pip", "install", "--quiet", wheel], cwd=tmp_path, timeout=1800)
    if r.returncode != 0 and py310:
        # no wheels of the base dependencies for 3.10 here (offline index): fall back, and say so
        print(f"python3.10 ({py310}) found but the base dependencies do not install for it:\n"
              f"{r.stderr[-1500:]}\nfalling back to {sys.executable}")
        shutil.rmtree(venv)
        python, py310 = sys.executable, None
        assert _run([python, "-m", "venv", venv]).returncode == 0
        r = _run([vpy, "-m", "pip", "install", "--quiet", wheel], cwd=tmp_path, timeout=1800)
    assert r.returncode == 0, r.stderr[-3000:]
    version = _run([vpy, "-c", "import sys; print(sys.version.split()[0])"]).stdout.strip()
    print(f"fresh venv with Python {version} ({python}){'' if py310 else '; no working python3.10 found'}")

    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env.update(PYTHONIOENCODING="utf-8", MPLBACKEND="Agg")
    exe = venv / "bin" / "aftersales"

    code = ("import json, aftersales, aftersales.resources as r\n"
            "from aftersales.model.scenario import scenario_names\n"
            "print(json.dumps({'file': aftersales.__file__, 'scenarios': scenario_names(),\n"
            "  'aliases': r.data_file('aliases.csv').is_file(),\n"
            "  'samples': sorted(p.name for p in r.DATA_DIR.glob('*sample*.csv')),\n"
            "  'app': r.data_file('app', 'whatif.ipynb').is_file(),\n"
            "  'toc': r.data_file('toc.toml').is_file()}))")
    r = _run([vpy, "-c", code], cwd=work, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    found = json.loads(r.stdout)
    assert str(ROOT) not in found["file"] and str(venv) in found["file"]
    assert {"seed-demo", "article-headline", "fast-fashion", "outdoor-repair"} <= set(found["scenarios"])
    assert found["aliases"] and found["app"] and found["toc"]
    assert {"cases_sample.csv", "cases_export_sample.csv", "cases_sample_orders.csv"} <= set(found["samples"])

    r = _run([exe, "evaluate", "seed-demo", "--json"], cwd=work, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    ev = json.loads(r.stdout)
    assert ev["scenario"] == "seed-demo" and ev["method"] == "corrected"
    assert ev["totals"]["service_revenue"] == pytest.approx(9_299_200)      # docs/model.md worked example

    r = _run([exe, "report"], cwd=work, env=env, timeout=300)
    assert r.returncode == 0, r.stderr
    assert "seed-demo" in r.stdout and "Verdict" in r.stdout
    assert (work / "after_sales_dashboard.png").stat().st_size > 0
    assert not (work / "data").exists()
