import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(scope="session")
def run_cli():
    """Run ``python -m aftersales ...`` as a user would; returns CompletedProcess."""
    import subprocess

    def run(*args, input=None, cwd=None, timeout=300):
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        return subprocess.run([sys.executable, "-m", "aftersales", *map(str, args)], capture_output=True,
                              text=True, input=input, cwd=cwd or ROOT, timeout=timeout, env=env)
    return run


# Deterministic property tests: the same examples on every run and every machine (no example database).
from hypothesis import settings as _hyp_settings  # noqa: E402

_hyp_settings.register_profile("deterministic", derandomize=True, database=None)
_hyp_settings.load_profile("deterministic")
