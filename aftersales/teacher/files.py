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
    r"""The text of a UTF-8 file (a BOM is allowed), with errors naming the file.

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
        The text, without the byte-order mark.

    Raises
    ------
    FileNotFoundError
        When ``path`` is not a file.
    ValueError
        When the bytes are not UTF-8; the message names ``what`` and the file, then ``hint``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = Path(tmp, "roster.csv")
    ...     _ = f.write_bytes("\ufeffstudent_id,name\n2024001,王芳\n".encode("utf-8"))
    ...     text = read_utf8(f, "roster")
    ...     _ = f.write_bytes("student_id\n\xe9\n".encode("latin-1"))
    ...     try:
    ...         read_utf8(f, "roster", " (save it as 'CSV UTF-8')")
    ...     except ValueError as exc:
    ...         error = str(exc).replace(tmp, "<tmp>")
    >>> text
    'student_id,name\n2024001,王芳\n'
    >>> error
    "roster <tmp>/roster.csv is not UTF-8 text (save it as 'CSV UTF-8')"
    """
    if not path.is_file():
        raise FileNotFoundError(f"{what} {path} not found")
    try:
        return path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise ValueError(f"{what} {path} is not UTF-8 text{hint}") from None


def read_csv(path: Path, required: Sequence[str], what: str) -> list[dict]:
    r"""Rows of a UTF-8 CSV as dicts; ValueError naming the file for a missing column.

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
        One dict per data row, column name -> cell text (``csv.DictReader`` rows).

    Raises
    ------
    FileNotFoundError, ValueError
        As :func:`read_utf8`; ValueError also for a required column the header lacks.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = Path(tmp, "key.csv")
    ...     _ = f.write_text("student_id,question,expected\ns1,q1,12.5\n", encoding="utf-8")
    ...     rows = read_csv(f, ["student_id", "question"], "answer key")
    ...     try:
    ...         read_csv(f, ["student_id", "points"], "answer key")
    ...     except ValueError as exc:
    ...         error = str(exc).replace(tmp, "<tmp>")
    >>> rows
    [{'student_id': 's1', 'question': 'q1', 'expected': '12.5'}]
    >>> error
    'answer key <tmp>/key.csv has no points column'
    """
    reader = csv.DictReader(io.StringIO(read_utf8(path, what)))
    missing = [c for c in required if c not in (reader.fieldnames or [])]
    if missing:
        raise ValueError(f"{what} {path} has no {', '.join(missing)} column")
    return list(reader)


def csv_text(header: Sequence[str], rows: Iterable[Sequence]) -> str:
    """CSV text with "\\n" line ends (deterministic).

    Parameters
    ----------
    header : sequence of str
        The first line's column names.
    rows : iterable of sequences
        The data rows, cells as ``csv.writer`` writes them (text, or ``str()`` of other values).

    Returns
    -------
    str
        The CSV text, cells quoted only where needed, every line ended by "\\n".

    Examples
    --------
    >>> csv_text(["student_id", "name"], [["s1", "Wang, Fang"], ["s2", ""]])
    'student_id,name\\ns1,"Wang, Fang"\\ns2,\\n'
    """
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue()


def write_csv(path: Path, text: str) -> None:
    """Write CSV as UTF-8 with a byte-order mark, so Excel shows Chinese names.

    Parameters
    ----------
    path : Path
        The file to write; an existing file is replaced (callers check first with
        :func:`refuse_overwrite`).
    text : str
        The CSV text (see :func:`csv_text`), written with its line ends unchanged.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = Path(tmp, "grades.csv")
    ...     write_csv(f, csv_text(["name"], [["王芳"]]))
    ...     raw = f.read_bytes()
    >>> raw[:3], raw[3:].decode("utf-8")
    (b'\\xef\\xbb\\xbf', 'name\\n王芳\\n')
    """
    path.write_text(text, encoding="utf-8-sig", newline="")


def num(x: float) -> str:
    """A float for a CSV cell: shortest exact form, whole numbers without .0.

    Parameters
    ----------
    x : float
        The number (anything ``float()`` takes).

    Returns
    -------
    str
        ``repr`` of the float (the shortest text that reads back to the same float), or the
        integer's digits for a whole number below 1e15.

    Examples
    --------
    >>> num(12.0), num(0.1 + 0.2), num("2500"), num(1e16)
    ('12', '0.30000000000000004', '2500', '1e+16')
    """
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e15 else repr(x)


def plain(x: float, sign: bool = False, sep: bool = False) -> str:
    """A number for a sentence: six significant digits, never in scientific notation.

    Parameters
    ----------
    x : float
        The number.
    sign : bool, default False
        Show "+" before a positive number.
    sep : bool, default False
        Group thousands with ",".

    Returns
    -------
    str
        The number rounded to six significant digits, trailing zeros dropped.

    Examples
    --------
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
    """The SHA-256 hex digest of a file's bytes.

    Parameters
    ----------
    path : path-like
        The file.

    Returns
    -------
    str
        64 lowercase hex digits.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = Path(tmp, "empty.txt")
    ...     _ = f.write_bytes(b"")
    ...     digest = sha256_of(f)
    >>> digest      # the SHA-256 of no bytes (FIPS 180-4 test vector)
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'
    """
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def refuse_overwrite(paths: Iterable[Path], force: bool) -> None:
    """FileExistsError for the first existing path unless ``force`` (a folder counts when not empty).

    Parameters
    ----------
    paths : iterable of Path
        The files and folders a command is about to write.
    force : bool
        The command's ``--force``: when true nothing is checked.

    Raises
    ------
    FileExistsError
        For the first path that is an existing file or a folder holding files; the message
        names it and ``--force``.

    Notes
    -----
    An empty folder does not count: writing into it overwrites nothing.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = Path(tmp, "grades.csv")
    ...     refuse_overwrite([out, Path(tmp)], force=False)    # nothing there yet
    ...     _ = out.write_text("old", encoding="utf-8")
    ...     refuse_overwrite([out], force=True)
    ...     try:
    ...         refuse_overwrite([out], force=False)
    ...     except FileExistsError as exc:
    ...         error = str(exc).replace(tmp, "<tmp>")
    >>> error
    '<tmp>/grades.csv already exists; use --force to overwrite it'
    """
    if force:
        return
    for p in paths:
        if p.is_dir() and any(p.iterdir()):
            raise FileExistsError(f"{p} already holds files; use --force to write into it anyway")
        if p.is_file():
            raise FileExistsError(f"{p} already exists; use --force to overwrite it")
