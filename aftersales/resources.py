"""Files shipped inside the package: scenarios, label aliases, samples and the app notebook.

Everything under ``aftersales/data`` is package data, so a plain ``pip install`` of the
wheel carries it; in a checkout the top-level ``data/`` folder is a link to the same files.
Nothing here imports the rest of the library.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["DATA_DIR", "data_file"]

#: The package's data folder (a real folder: the package is never installed zipped).
DATA_DIR = Path(str(files("aftersales").joinpath("data")))


def data_file(*parts: str) -> Path:
    """The path of a shipped data file, e.g. ``data_file("scenarios", "seed-demo.toml")``.

    Raises
    ------
    FileNotFoundError
        If the package does not ship that file (the message names it).
    """
    p = DATA_DIR.joinpath(*parts)
    if not p.exists():
        raise FileNotFoundError(f"the package ships no data file {'/'.join(parts)!r} (looked in {DATA_DIR})")
    return p
