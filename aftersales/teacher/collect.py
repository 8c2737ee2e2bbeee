"""Collection as it arrives: folders, single notebooks, zip files, Mac leftovers, several notebooks.

- ``SUBMISSIONS`` is a folder (``<id>/...`` or ``<id>.ipynb`` or ``<id>.zip`` inside) or one zip file
  of such a folder. Zip files are unpacked safely: no absolute paths, no ``..``, no links, at most
  :data:`ZIP_LIMIT_BYTES` unpacked; ``__MACOSX/``, ``._*`` and ``.DS_Store`` are ignored.
- Folder names are compared NFC-normalised (a Mac writes NFD), so ``张伟`` or ``mañana`` match.
- A folder with several notebooks is graded by the one that holds answers (said in the notes).
- The submission time is the notebook's modification time (from the zip entry when unpacked).
"""
from __future__ import annotations

import datetime as _dt
import json
import os
import shutil
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

from aftersales.course.records import read_records

__all__ = ["ZIP_LIMIT_BYTES", "Located", "Collection", "collect", "safe_unzip", "choose_notebook", "is_junk"]

ZIP_LIMIT_BYTES = 200 << 20
_ZIP_MEMBERS = 20_000


def is_junk(name: str) -> bool:
    """Files a Mac, Jupyter or Windows leaves behind, never a submission.

    Parameters
    ----------
    name : str
        One part of a path (a file or folder name).

    Returns
    -------
    bool
        True for ``__MACOSX``, ``.DS_Store``, ``.ipynb_checkpoints``, ``Thumbs.db``,
        ``desktop.ini`` and a Mac's ``._*`` resource files.

    Examples
    --------
    >>> is_junk("__MACOSX"), is_junk("._homework.ipynb"), is_junk("homework.ipynb")
    (True, True, False)
    """
    return name in ("__MACOSX", ".DS_Store", ".ipynb_checkpoints", "Thumbs.db", "desktop.ini") or \
        name.startswith("._")


def _size_text(n: int) -> str:
    """``n`` bytes in the largest unit that states it exactly: MB, kB (of 1,024 bytes) or bytes."""
    if n >= 1 << 20 and n % (1 << 20) == 0:
        return f"{n >> 20:,} MB"
    if n >= 1 << 10 and n % (1 << 10) == 0:
        return f"{n >> 10:,} kB"
    return f"{n:,} bytes"


def safe_unzip(zpath: Path, dest: Path, limit: int = ZIP_LIMIT_BYTES) -> list[str]:
    """Unpack ``zpath`` into ``dest`` refusing anything that could leave it.

    Parameters
    ----------
    zpath : Path
        The zip file.
    dest : Path
        The folder to unpack into (created).
    limit : int
        Largest total unpacked size, in bytes.

    Returns
    -------
    list of str
        What was skipped, and why.

    Raises
    ------
    ValueError
        For a file that is not a zip, or past the size or member limits (naming the file, and
        the size limit in the largest unit that states it exactly: "200 MB", "512 kB",
        "500,000 bytes"; 1 MB = 1,024 kB = 1,048,576 bytes).

    Notes
    -----
    Skipped with a reason: absolute paths, ``..``, a drive letter, links. Junk (:func:`is_junk`)
    is left out without a word. The size is checked on what is really unpacked, not only on what
    the zip says (a zip bomb stops at the limit); at most 20,000 members. Each file keeps its
    zip entry's time (the submission time).

    Examples
    --------
    >>> import tempfile, zipfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     z = Path(tmp, "s3.zip")
    ...     with zipfile.ZipFile(z, "w") as zf:
    ...         zf.writestr("s3/homework.ipynb", "{}")
    ...         zf.writestr("__MACOSX/s3/._homework.ipynb", "")
    ...         zf.writestr("../evil.py", "print('hi')")
    ...     skipped = safe_unzip(z, Path(tmp, "out"))
    ...     unpacked = sorted(p.relative_to(tmp).as_posix() for p in Path(tmp, "out").rglob("*"))
    >>> skipped
    ["../evil.py (a path outside the zip's folder)"]
    >>> unpacked
    ['out/s3', 'out/s3/homework.ipynb']
    """
    skipped: list[str] = []
    try:
        zf = zipfile.ZipFile(zpath)
    except (zipfile.BadZipFile, OSError) as exc:
        raise ValueError(f"{zpath.name} is not a readable zip file ({exc})") from None
    with zf:
        infos = zf.infolist()
        if len(infos) > _ZIP_MEMBERS:
            raise ValueError(f"{zpath.name} holds {len(infos):,} files (at most {_ZIP_MEMBERS:,})")
        total = 0
        dest.mkdir(parents=True, exist_ok=True)
        for info in infos:
            name = unicodedata.normalize("NFC", info.filename.replace("\\", "/"))
            parts = [p for p in name.split("/") if p not in ("", ".")]
            if not parts or any(is_junk(p) for p in parts):
                continue
            if name.startswith("/") or ".." in parts or ":" in parts[0]:
                skipped.append(f"{info.filename} (a path outside the zip's folder)")
                continue
            mode = (info.external_attr >> 16) & 0o170000
            if mode == 0o120000:
                skipped.append(f"{info.filename} (a link)")
                continue
            target = dest.joinpath(*parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            total += info.file_size
            if total > limit:
                raise ValueError(f"{zpath.name} unpacks to more than {_size_text(limit)}")
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as dst:
                copied = 0
                while chunk := src.read(1 << 20):
                    copied += len(chunk)
                    if copied > info.file_size or total - info.file_size + copied > limit:
                        raise ValueError(f"{zpath.name} unpacks to more than it says (a zip bomb?)")
                    dst.write(chunk)
            try:
                ts = _dt.datetime(*info.date_time).timestamp()
                os.utime(target, (ts, ts))
            except (ValueError, OverflowError, OSError):
                pass
    return skipped


def _answers_in(path: Path) -> tuple[int, int]:
    """(questions with an answer recorded in the saved outputs, answer cells with code in place of
    the placeholder); (-1, -1) for a file that is not JSON."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError):
        return (-1, -1)
    cells = nb.get("cells", []) if isinstance(nb, dict) else []
    cells = [c for c in cells if isinstance(c, dict)] if isinstance(cells, list) else []
    worked = 0
    for c in cells:
        if c.get("cell_type") != "code":
            continue
        src = c.get("source", "")
        src = "".join(map(str, src)) if isinstance(src, list) else str(src)
        if "answer(" in src and "raise NotImplementedError" not in src:
            worked += 1
    try:         # the course's one reader, under every MIME type a record is saved with
        recorded = len(read_records({"cells": cells})["answers"])
    except (AttributeError, TypeError, ValueError):      # outputs malformed: none can be counted
        recorded = 0
    return (recorded, worked)


def choose_notebook(folder: Path, handed_out: str | None) -> tuple[Path | None, str]:
    """The notebook to grade in a student's folder, and a note (or, with None, why there is none).

    One notebook: that one. Several: the one with the most answers (recorded, else written); a
    tie goes to the one named as handed out; otherwise none, and the note says to keep one.

    Parameters
    ----------
    folder : Path
        The student's folder (searched with its subfolders; junk ignored).
    handed_out : str or None
        The file name of the notebook as handed out (parameters.csv's ``notebook``).

    Returns
    -------
    notebook : Path or None
        The notebook to grade.
    note : str
        Empty for a single notebook; which one was chosen and what else was there; or, with
        None, why none was chosen ("missing: ..." for a folder without notebooks).

    Notes
    -----
    A notebook's answers are counted as (questions answered in its saved outputs, code cells that
    call ``answer(`` without the ``raise NotImplementedError`` placeholder), compared in that
    order. Recorded answers are read by the course's one reader,
    :func:`aftersales.course.records.read_records`: the record MIME type
    ``application/vnd.aftersales.record+json`` and the older
    ``application/vnd.aftersales.answer+json`` (:data:`aftersales.course.records.READ_MIMES`).
    The note names the chosen notebook and every other one (by its path in the folder when it
    sits in a subfolder).

    Examples
    --------
    >>> import json, tempfile
    >>> def notebook(code):
    ...     return json.dumps({"cells": [{"cell_type": "code", "source": code, "outputs": []}]})
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = Path(tmp, "s1")
    ...     folder.mkdir()
    ...     _ = (folder / "homework.ipynb").write_text(
    ...         notebook('# YOUR CODE HERE\\nraise NotImplementedError()\\nanswer("q1", x)'), encoding="utf-8")
    ...     _ = (folder / "homework-copy.ipynb").write_text(
    ...         notebook('x = 295.14\\nanswer("q1", x)'), encoding="utf-8")
    ...     chosen, note = choose_notebook(folder, "homework.ipynb")
    ...     empty = Path(tmp, "s2")
    ...     empty.mkdir()
    ...     nothing = choose_notebook(empty, "homework.ipynb")
    >>> chosen.name, note
    ('homework-copy.ipynb', 'graded homework-copy.ipynb, the notebook with answers (also there: homework.ipynb)')
    >>> nothing
    (None, 'missing: the folder s2/ holds no notebook')

    Two untouched notebooks tie: the one named as handed out is graded, the note names the other:

    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     folder = Path(tmp, "s3")
    ...     folder.mkdir()
    ...     for name in ("homework.ipynb", "homework-copy.ipynb"):
    ...         _ = (folder / name).write_text(notebook("raise NotImplementedError()"), encoding="utf-8")
    ...     chosen, note = choose_notebook(folder, "homework.ipynb")
    >>> note
    'graded homework.ipynb, the notebook as handed out (also there: homework-copy.ipynb)'
    """
    nbs = sorted(p for p in folder.rglob("*.ipynb") if p.is_file()
                 and not any(is_junk(part) for part in p.relative_to(folder).parts))
    if len(nbs) == 1:
        return nbs[0], ""
    if not nbs:
        return None, f"missing: the folder {folder.name}/ holds no notebook"
    scored = sorted(((_answers_in(p), p) for p in nbs), key=lambda t: t[0], reverse=True)
    best = [p for s, p in scored if s == scored[0][0]]

    def name(p: Path) -> str:              # a subfolder's notebook by its path in the folder
        return p.relative_to(folder).as_posix()

    def graded(chosen: Path, why: str) -> tuple[Path, str]:
        others = ", ".join(name(p) for p in nbs if p != chosen)
        return chosen, f"graded {name(chosen)}, the notebook {why} (also there: {others})"

    if len(best) == 1 and scored[0][0] > (0, 0):
        return graded(best[0], "with answers")
    named = [p for p in best if handed_out and p.name == handed_out]
    if len(named) == 1:
        return graded(named[0], "as handed out")
    return None, (f"the folder {folder.name}/ holds {len(nbs)} notebooks "
                  f"({', '.join(name(p) for p in nbs[:5])}); keep one")


@dataclass
class Located:
    """Where a student's submission is: the notebook (or None and why), a note, its time.

    Parameters
    ----------
    notebook : Path or None
        The notebook to grade; None when there is none.
    note : str
        With a notebook: which one was chosen among several (empty for the only one); without:
        why there is none ("missing: ..." or "not graded: ...").
    submitted : datetime, optional
        The notebook's modification time, aware, in the machine's zone (None without a notebook).

    Examples
    --------
    >>> Located(None, "missing: no s4/ folder, s4.ipynb or s4.zip among the submissions")
    Located(notebook=None, note='missing: no s4/ folder, s4.ipynb or s4.zip among the submissions', submitted=None)
    """

    notebook: Path | None
    note: str
    submitted: _dt.datetime | None = None


@dataclass
class Collection:
    """The submissions folder as found: {NFC folder name: path}, and what was skipped.

    Made by :func:`collect`.

    Parameters
    ----------
    entries : dict of str to Path
        Submission name (a folder's name, or a notebook's or zip's stem, NFC) -> the folder or
        notebook (a zip: the folder it was unpacked to).
    skipped : list of str
        Members of zip files that were not unpacked, and why.
    problems : dict of str to str
        Submission name -> why it cannot be graded (a zip that could not be unpacked).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     _ = Path(tmp, "s2.ipynb").write_text("{}", encoding="utf-8")
    ...     coll = Collection({"s2": Path(tmp, "s2.ipynb")}, [], {"s5": "not graded: s5.zip is not a readable zip file"})
    ...     found = coll.locate("s2", None)
    >>> found.notebook.name, found.note, found.submitted is not None
    ('s2.ipynb', '', True)
    >>> coll.locate("s5", None).note
    'not graded: s5.zip is not a readable zip file'
    """

    entries: dict[str, Path]
    skipped: list[str]
    problems: dict[str, str]

    def locate(self, folder: str, handed_out: str | None) -> Located:
        """The submission of the student whose folder is ``folder``.

        Parameters
        ----------
        folder : str
            The student's folder name (:func:`aftersales.teacher.roster.folder_name`), matched
            NFC-normalised.
        handed_out : str or None
            The notebook's name as handed out, for a folder with several (:func:`choose_notebook`).

        Returns
        -------
        Located
            ``notebook`` None and a "missing: ..." note for a student with no submission.

        Examples
        --------
        >>> Collection({}, [], {}).locate("s4", None).note
        'missing: no s4/ folder, s4.ipynb or s4.zip among the submissions'
        """
        key = unicodedata.normalize("NFC", folder)
        if key in self.problems:
            return Located(None, self.problems[key])
        entry = self.entries.get(key)
        if entry is None:
            return Located(None, f"missing: no {folder}/ folder, {folder}.ipynb or {folder}.zip among "
                                 "the submissions")
        if entry.is_file():
            path, note = entry, ""
        else:
            path, note = choose_notebook(entry, handed_out)
        when = None
        if path is not None:
            when = _dt.datetime.fromtimestamp(path.stat().st_mtime).astimezone()
        return Located(path, note, when)


def collect(submissions: Path, scratch: Path) -> Collection:
    """Index a submissions folder (or zip file), unpacking zip files into ``scratch``.

    Parameters
    ----------
    submissions : Path
        The folder or zip file.
    scratch : Path
        A private folder for unpacked zip files (the caller removes it).

    Returns
    -------
    Collection
        Entries by NFC name; hidden files and junk are left out; a notebook and a folder of the
        same name: the folder wins.

    Raises
    ------
    FileNotFoundError
        When ``submissions`` is neither a folder nor a zip file.
    ValueError
        For a ``submissions`` zip file that cannot be unpacked (a student's zip that cannot be
        is a problem of that student, in ``problems``).

    Notes
    -----
    A zip of the whole class whose only top-level entry is a folder without notebooks is taken
    to be a zip of the submissions folder itself.

    Examples
    --------
    >>> import tempfile, zipfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     sub = Path(tmp, "submissions")
    ...     (sub / "s1").mkdir(parents=True)
    ...     _ = (sub / "s1" / "homework.ipynb").write_text("{}", encoding="utf-8")
    ...     _ = (sub / "s2.ipynb").write_text("{}", encoding="utf-8")
    ...     _ = (sub / ".DS_Store").write_text("", encoding="utf-8")
    ...     with zipfile.ZipFile(sub / "s3.zip", "w") as zf:
    ...         zf.writestr("s3/homework.ipynb", "{}")
    ...     coll = collect(sub, Path(tmp, "scratch"))
    ...     found = {f: coll.locate(f, "homework.ipynb") for f in ("s1", "s2", "s3", "s4")}
    >>> sorted(coll.entries), coll.skipped, coll.problems
    (['s1', 's2', 's3'], [], {})
    >>> {f: loc.notebook.name if loc.notebook else loc.note for f, loc in found.items()}  # doctest: +NORMALIZE_WHITESPACE
    {'s1': 'homework.ipynb', 's2': 's2.ipynb', 's3': 'homework.ipynb',
     's4': 'missing: no s4/ folder, s4.ipynb or s4.zip among the submissions'}
    """
    skipped: list[str] = []
    problems: dict[str, str] = {}
    if submissions.is_file() and submissions.suffix.lower() == ".zip":
        root = scratch / "class"
        skipped += safe_unzip(submissions, root)
        tops = [p for p in root.iterdir() if not is_junk(p.name)]
        if len(tops) == 1 and tops[0].is_dir() and not any(tops[0].glob("*.ipynb")):
            root = tops[0]                     # a zip of the folder itself
        submissions = root
    if not submissions.is_dir():
        raise FileNotFoundError(f"submissions folder {submissions} not found")
    entries: dict[str, Path] = {}
    for p in sorted(submissions.iterdir()):
        if is_junk(p.name) or p.name.startswith("."):
            continue
        name = unicodedata.normalize("NFC", p.name)
        if p.is_dir():
            entries[name] = p
        elif p.suffix.lower() == ".ipynb":
            entries.setdefault(name[: -len(p.suffix)], p)
        elif p.suffix.lower() == ".zip":
            stem = name[: -len(p.suffix)]
            dest = scratch / "zips" / f"{len(entries)}"
            try:
                skipped += [f"{p.name}: {s}" for s in safe_unzip(p, dest)]
            except ValueError as exc:
                problems[stem] = f"not graded: {exc}"
                continue
            inner = [q for q in dest.iterdir() if not is_junk(q.name)]
            entries.setdefault(stem, inner[0] if len(inner) == 1 and inner[0].is_dir() else dest)
    return Collection(entries, skipped, problems)
