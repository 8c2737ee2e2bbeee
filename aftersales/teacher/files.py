"""Small file helpers of the teacher tools: UTF-8 text and CSV in and out, numbers for CSV cells."""
from __future__ import annotations

import csv
import hashlib
import math
import io
from pathlib import Path
from typing import Iterable, Sequence

__all__ = ["read_utf8", "read_csv", "csv_text", "write_csv", "num", "plain", "sha256_of", "refuse_overwrite"]


def read_utf8(path: Path, what: str, hint: str = "") -> str:
    """The text of a UTF-8 file (a BOM is allowed), with errors naming the file.

    Parameters
    ----------
    path : Path
        The file.
    what : str
        What the file is, for the error message ("roster", "answer key").
    hint : str
        Appended to the error for a file that is not UTF-8.

    Returns
    -------
    str
        The text.
    """
    if not path.is_file():
        raise FileNotFoundError(f"{what} {path} not found")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{what} {path} is not UTF-8 text{hint}") from None


def read_csv(path: Path, required: Sequence[str], what: str) -> list[dict]:
    """Rows of a UTF-8 CSV as dicts; ValueError naming the file for a missing column.

    Parameters
    ----------
    path : Path
        The CSV file.
    required : sequence of str
        Columns that must be present.
    what : str
        What the file is, for error messages.

    Returns
    -------
    list of dict
    """
    reader = csv.DictReader(io.StringIO(read_utf8(path, what)))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{what} {path} has no {', '.join(missing)} column")
    return list(reader)


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """CSV text with "\\n" line ends (deterministic)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write_csv(path: Path, text: str) -> None:
    """Write CSV as UTF-8 with a byte-order mark, so Excel shows Chinese names."""
    path.write_text(text, encoding="utf-8-sig", newline="")


def num(x: float) -> str:
    """A float for a CSV cell: shortest exact form, whole numbers without .0."""
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


def plain(x: float, sign: bool = False, sep: bool = False) -> str:
    """A number for a sentence: six significant digits, never in scientific notation.

    >>> plain(5e-05), plain(1000.0), plain(-5000.25, sign=True, sep=True), plain(0.30000000000000004)
    ('0.00005', '1000', '-5,000.25', '0.3')
    """
    x = float(x)
    text = format(x, f"{'+' if sign else ''}{',' if sep else ''}.6g")
    if "e" in text and math.isfinite(x):
        digits = max(0, 5 - math.floor(math.log10(abs(x))))
        text = format(x, f"{'+' if sign else ''}{',' if sep else ''}.{digits}f")
        text = text.rstrip("0").rstrip(".") if "." in text else text
    return text


def sha256_of(path: Path) -> str:
    """The SHA-256 hex digest of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def refuse_overwrite(paths: Iterable[Path], force: bool) -> None:
    """FileExistsError for the first existing path unless ``force`` (a folder counts when not empty)."""
    if force:
        return
    for p in paths:
        if p.is_dir() and any(p.iterdir()):
            raise FileExistsError(f"{p} already holds files; use --force to write into it anyway")
        if p.is_file():
            raise FileExistsError(f"{p} already exists; use --force to overwrite it")
