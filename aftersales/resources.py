"""Files shipped inside the package: scenarios, label aliases, samples and the app notebook.

Everything under ``aftersales/data`` is package data, so a plain ``pip install`` of the
wheel carries it; in a checkout the top-level ``data/`` folder is a link to the same files.
Nothing here imports the rest of the library.
"""
from __future__ import annotations

from importlib.resources import files
from pathlib import Path

__all__ = ["DATA_DIR", "data_file", "data_files"]

#: The package's data folder (a real folder: the package is never installed zipped).
DATA_DIR = Path(str(files("aftersales").joinpath("data")))


def data_file(*parts: str) -> Path:
    """The path of a shipped data file.

    Parameters
    ----------
    *parts : str
        The file's path inside ``aftersales/data``, one folder or file name per argument.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    FileNotFoundError
        If the package does not ship that file (the message names it).

    Examples
    --------
    >>> data_file("scenarios", "seed-demo.toml").name
    'seed-demo.toml'
    >>> data_file("toc.toml").is_file()
    True
    """
    p = DATA_DIR.joinpath(*parts)
    if not p.exists():
        raise FileNotFoundError(f"the package ships no data file {'/'.join(parts)!r} (looked in {DATA_DIR})")
    return p


def data_files() -> list[str]:
    """Every shipped data file, as a path relative to ``aftersales/data`` (with ``/``), sorted.

    Returns
    -------
    list of str

    Examples
    --------
    >>> [f for f in data_files() if f.startswith("scenarios/")][:2]
    ['scenarios/article-headline.toml', 'scenarios/fast-fashion.toml']
    """
    return sorted(p.relative_to(DATA_DIR).as_posix() for p in DATA_DIR.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts)
