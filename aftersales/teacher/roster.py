"""The class roster: student ids as text, the folder each id maps to, collisions refused."""
from __future__ import annotations

import csv
import io
import os
import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from aftersales.teacher.files import read_utf8

__all__ = ["Student", "folder_name", "read_roster", "folder_key"]


@dataclass(frozen=True)
class Student:
    """One roster line: the id as written (text), an optional name, and the folder it maps to.

    Parameters
    ----------
    student_id : str
        The id as written on the roster, kept as text (leading zeros stay), NFC-normalised.
    name : str, default ""
        The student's name, when the roster has a ``name`` column.
    folder : str, default ""
        The student's folder inside the output folder (:func:`folder_name` of the id).

    Examples
    --------
    >>> s = Student("007", "王芳", folder_name("007"))
    >>> s.student_id, s.name, s.folder
    ('007', '王芳', '007')
    """

    student_id: str
    name: str = ""
    folder: str = ""


_UNSAFE_CHARS = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')


def folder_name(student_id: str) -> str:
    """The folder of a student inside the output folder.

    The id (NFC-normalised) with path separators and characters that no file system takes
    replaced by "_" (Chinese text is kept).

    Parameters
    ----------
    student_id : str
        The id as written on the roster.

    Returns
    -------
    str
        The folder name.

    Raises
    ------
    ValueError
        For ids that would leave the folder ("." or ".."), hold a control character or are
        too long for a file name.

    Notes
    -----
    Replaced: ``\\ / : * ? " < > |``; a trailing space or dot is dropped and a leading dot
    becomes "_" (no hidden folders). A name may take 200 bytes of UTF-8 at most (file systems
    allow 255).

    Examples
    --------
    >>> folder_name("2024/001"), folder_name(".hidden"), folder_name("王芳 A.")
    ('2024_001', '_hidden', '王芳 A')
    >>> folder_name("..")
    Traceback (most recent call last):
    ...
    ValueError: student_id '..' would name a folder outside the output folder
    """
    sid = unicodedata.normalize("NFC", str(student_id).strip())
    if not sid:
        raise ValueError("an empty student_id cannot name a folder")
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in sid):
        raise ValueError(f"student_id {sid!r} contains a control character (a line break or tab)")
    if set(sid) <= {"."}:
        raise ValueError(f"student_id {sid!r} would name a folder outside the output folder")
    name = _UNSAFE_CHARS.sub("_", sid).rstrip(" .")
    if name.startswith("."):
        name = "_" + name[1:]
    if not name or set(name) <= {"."}:
        raise ValueError(f"student_id {sid!r} cannot name a folder")
    if len(name.encode("utf-8")) > 200:
        raise ValueError(f"student_id {sid[:40]!r}... is too long for a folder name (200 bytes at most)")
    return name


def folder_key(name: str) -> str:
    """How file systems that ignore case and Unicode form (Windows, macOS) see a folder name.

    Parameters
    ----------
    name : str
        A folder name (see :func:`folder_name`).

    Returns
    -------
    str
        The name NFC-normalised and case-folded: two names with the same key would be one
        folder on Windows and macOS.

    Examples
    --------
    >>> folder_key("Wang") == folder_key("WANG")
    True
    >>> folder_key("Cafe\\u0301") == folder_key("Café")      # decomposed and composed é
    True
    """
    return unicodedata.normalize("NFC", name).casefold()


def read_roster(path: str | os.PathLike) -> list[Student]:
    """Students of a roster CSV (UTF-8, a ``student_id`` column, optionally ``name``), ids as text.

    Parameters
    ----------
    path : path-like
        The roster CSV.

    Returns
    -------
    list of Student
        In roster order.

    Raises
    ------
    ValueError
        Naming the file and row, for a missing column, an empty or duplicate id, or two ids
        that would share a folder (also where they differ only in case or Unicode form, as
        Windows and macOS see them).
    FileNotFoundError
        When the file does not exist.

    Notes
    -----
    Column names are matched without regard to case or surrounding spaces; blank lines are
    skipped; a row is numbered as a spreadsheet shows it (the header is row 1).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     f = Path(tmp, "roster.csv")
    ...     _ = f.write_text("Student_ID,Name\\n007,王芳\\n\\n2024/2,Li Lei\\n", encoding="utf-8")
    ...     students = read_roster(f)
    ...     _ = f.write_text("student_id\\nAB1\\nab1\\n", encoding="utf-8")
    ...     try:
    ...         read_roster(f)
    ...     except ValueError as exc:
    ...         error = str(exc).replace(tmp, "<tmp>")
    >>> [(s.student_id, s.name, s.folder) for s in students]
    [('007', '王芳', '007'), ('2024/2', 'Li Lei', '2024_2')]
    >>> print(error)
    roster <tmp>/roster.csv, row 3: student ids 'ab1' and 'AB1' (row 2) differ only in case, and would share a folder on Windows and macOS: 'ab1'
    """
    p = Path(path)
    text = read_utf8(p, "roster", " (save it as 'CSV UTF-8')")
    reader = csv.reader(io.StringIO(text))
    header = next(reader, None)
    if header is None:
        raise ValueError(f"roster {p} is empty: it needs a header line with student_id")
    cols = [h.strip().lower() for h in header]
    if "student_id" not in cols:
        raise ValueError(f"roster {p} has no student_id column (columns: {', '.join(header) or 'none'})")
    i_id, i_name = cols.index("student_id"), (cols.index("name") if "name" in cols else None)
    students: list[Student] = []
    seen: dict[str, int] = {}
    folders: dict[str, tuple[str, int]] = {}
    for line_no, row in enumerate(reader, start=2):
        if not row or all(not c.strip() for c in row):
            continue
        sid = unicodedata.normalize("NFC", row[i_id].strip()) if i_id < len(row) else ""
        if not sid:
            raise ValueError(f"roster {p}, row {line_no}: empty student_id")
        if sid in seen:
            raise ValueError(f"roster {p}, row {line_no}: student_id {sid!r} is already on row {seen[sid]}")
        seen[sid] = line_no
        try:
            folder = folder_name(sid)
        except ValueError as exc:
            raise ValueError(f"roster {p}, row {line_no}: {exc}") from None
        fkey = folder_key(folder)
        if fkey in folders:
            other, other_row = folders[fkey]
            how = "would share the folder" if folder_name(other) == folder else \
                "differ only in case, and would share a folder on Windows and macOS:"
            raise ValueError(f"roster {p}, row {line_no}: student ids {sid!r} and {other!r} (row {other_row}) "
                             f"{how} {folder!r}")
        folders[fkey] = (sid, line_no)
        name = row[i_name].strip() if i_name is not None and i_name < len(row) else ""
        students.append(Student(sid, name, folder))
    if not students:
        raise ValueError(f"roster {p} lists no students")
    return students
