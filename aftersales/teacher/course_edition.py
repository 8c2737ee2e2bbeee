"""The student edition of the course: the practice notebooks as a class receives them.

``homework make`` writes it beside the students' homework folders (``OUT/course/``, and
``OUT/course/zh/`` for the Chinese edition), so the teacher hands out one folder that holds
nothing from which a graded answer can be computed: no graded notebook (a notebook that records
``answer("q..", ...)`` is homework, never practice), no teacher's solution blocks, no outputs.

Two ways to give the practice solutions, as the teacher chooses:

- ``"hidden"`` (the default): each worked solution stays below the student's own cell, collapsed
  (JupyterLab's ``jupyter.source_hidden``), for the student to open on purpose after trying;
- ``"removed"``: the cells tagged ``solution`` are taken out; the student's cells and the
  checker stay, so every exercise can still be checked.

A third choice, ``"none"`` (``--course none``), gives no edition: nothing is read or written.

Importing this module is light: nbformat is imported by the functions that need it.
"""
from __future__ import annotations

import ast
import os
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["SOLUTION_MODES", "FOLDER", "CourseEdition", "course_edition", "solution_only_names"]

#: How the practice solutions reach the students (``--course``); ``"none"`` writes no edition.
SOLUTION_MODES = ("hidden", "removed", "none")
#: The edition's folder inside ``homework make --out``.
FOLDER = "course"


@dataclass
class CourseEdition:
    """The notebooks of a student edition, by path, before or after they are written.

    Made by :func:`course_edition`; nothing is on disk until :meth:`write`.

    Parameters
    ----------
    folder : Path
        The edition's folder (``OUT/course``).
    mode : str
        ``"hidden"``, ``"removed"`` or ``"none"`` (:data:`SOLUTION_MODES`; ``"none"``: no files).
    files : dict of Path to str
        Notebook path -> its JSON text.
    skipped : list of str
        ``"name: why"`` for each notebook of the series left out, for the teacher.
    warnings : list of str
        Notebooks whose student cells would use a name defined only in a removed solution.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     edition = CourseEdition(Path(tmp, "course"), "hidden", {Path(tmp, "course", "zh", "a.ipynb"): "{}\\n"})
    ...     written = [p.relative_to(tmp).as_posix() for p in edition.write()]
    >>> written
    ['course/zh/a.ipynb']
    """

    folder: Path
    mode: str
    files: dict[Path, str] = field(default_factory=dict)     # path -> notebook JSON text
    skipped: list[str] = field(default_factory=list)        # "name: why" for the teacher
    warnings: list[str] = field(default_factory=list)

    def write(self) -> list[Path]:
        """Write every notebook (folders made as needed); the paths written, in order.

        Existing files of the same names are replaced (``homework make`` refuses a folder that
        holds files unless ``--force``).

        Returns
        -------
        list of Path

        Examples
        --------
        >>> CourseEdition(Path("course"), "removed").write()        # nothing to write
        []
        """
        for path, text in self.files.items():
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        return list(self.files)


def _names(tree: ast.AST) -> tuple[set[str], set[str]]:
    """Names a cell binds (assignments, imports, defs, loop targets) and names it loads."""
    bound, loaded = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name):
            (bound if isinstance(node.ctx, (ast.Store, ast.Del)) else loaded).add(node.id)
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            bound |= {(a.asname or a.name).split(".")[0] for a in node.names}
    return bound, loaded


def _tree(code: str) -> ast.AST | None:
    lines = ["" if ln.lstrip().startswith(("%", "!")) else ln for ln in code.split("\n")]
    try:
        return ast.parse("\n".join(lines))
    except SyntaxError:
        return None


def solution_only_names(nb) -> list[tuple[int, str]]:
    """Names a student's cell would miss once the solution cells are removed.

    A name bound only in cells tagged ``solution`` and loaded by a later cell that is not a
    solution is what would raise ``NameError`` in the student edition with solutions removed.

    Parameters
    ----------
    nb : NotebookNode
        A practice notebook.

    Returns
    -------
    list of (int, str)
        (1-based cell number, name), in the order of the cells.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("x = 1"),
    ...                                      nbformat.v4.new_code_cell("y = 2"),
    ...                                      nbformat.v4.new_code_cell("print(x + y)")])
    >>> nb.cells[1].metadata["tags"] = ["solution"]
    >>> solution_only_names(nb)
    [(3, 'y')]
    """
    from aftersales.teacher.notebooks import SOLUTION_TAG, source

    elsewhere: set[str] = set()
    only_solution: set[str] = set()
    found = []
    for i, c in enumerate(nb.cells):
        if c.get("cell_type") != "code":
            continue
        tree = _tree(source(c))
        if tree is None:
            continue
        bound, loaded = _names(tree)
        if SOLUTION_TAG in c.get("metadata", {}).get("tags", []):
            only_solution |= bound - elsewhere
            continue
        found += [(i + 1, n) for n in sorted((loaded & only_solution) - bound)]
        elsewhere |= bound
        only_solution -= bound
    return found


def _hide(nb):
    """Solution cells collapsed (source and outputs), every output and count cleared."""
    from aftersales.teacher.notebooks import SOLUTION_TAG

    for c in nb.cells:
        if SOLUTION_TAG in c.get("metadata", {}).get("tags", []):
            c.metadata.setdefault("jupyter", {}).update(source_hidden=True, outputs_hidden=True)
    return nb


def course_edition(source_dir: str | os.PathLike, out: str | os.PathLike, mode: str = "hidden",
                   exclude: tuple[str, ...] = ()) -> CourseEdition:
    """The student edition of the practice notebooks of ``source_dir`` (nothing written yet).

    Parameters
    ----------
    source_dir : path-like
        The folder of the course's notebooks (``notebooks/``, with the Chinese edition in its
        ``zh/`` folder when there is one). The series is the package's table of contents.
    out : path-like
        The folder the edition goes to (``homework make`` gives ``OUT/course``).
    mode : {"hidden", "removed", "none"}
        Practice solutions collapsed below each exercise, or taken out; ``"none"``: no edition
        (an empty :class:`CourseEdition`, nothing read, nothing to write), as ``--course none``.
    exclude : tuple of str
        File names never part of the edition (the graded notebook).

    Returns
    -------
    CourseEdition
        Call :meth:`CourseEdition.write` to write it.

    Notes
    -----
    Every teacher's solution block (``### BEGIN SOLUTION`` ... ``### END SOLUTION``) is replaced
    by ``# YOUR CODE HERE`` in both modes, and a notebook recording graded answers
    (``answer("q..", ...)``) is left out, with the reason, in :attr:`CourseEdition.skipped`.
    In ``"hidden"`` mode the cells tagged ``solution`` stay, collapsed (Jupyter's
    ``source_hidden`` and ``outputs_hidden``); in ``"removed"`` mode they go, and a later cell
    using a name only they define is warned about (:func:`solution_only_names`).

    Raises
    ------
    ValueError
        For a ``mode`` not in :data:`SOLUTION_MODES` (the message names the three), or a notebook
        of the series that cannot be read.

    Examples
    --------
    A course folder holding only the first notebook of the series:

    >>> import tempfile
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> from aftersales.course.toc import series
    >>> from aftersales.teacher.notebooks import dumps
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     src = Path(tmp, "notebooks")
    ...     src.mkdir()
    ...     nb = new_notebook(cells=[new_code_cell("x = 1"),
    ...                              new_code_cell("y = x + 1", metadata={"tags": ["solution"]}),
    ...                              new_code_cell("print(y)")])
    ...     _ = (src / series()[0].file).write_text(dumps(nb), encoding="utf-8")
    ...     edition = course_edition(src, Path(tmp, "course"), "removed")
    ...     files = [p.relative_to(tmp).as_posix() for p in edition.files]
    >>> files, len(edition.skipped) == len(series()) - 1
    (['course/00_start_here.ipynb'], True)
    >>> edition.warnings
    ["00_start_here.ipynb: with its solutions removed, cell 3 uses 'y', defined only in a solution cell"]
    >>> none = course_edition("notebooks", "course", "none")
    >>> none.mode, none.files, none.skipped, none.write()
    ('none', {}, [], [])
    """
    from aftersales.course.toc import series
    from aftersales.teacher.notebooks import dumps, questions_in, read_notebook, strip_solutions

    if mode not in SOLUTION_MODES:
        raise ValueError(f"--course must be one of {', '.join(SOLUTION_MODES)}, got {mode!r}")
    src, out = Path(source_dir), Path(out)
    edition = CourseEdition(out, mode)
    if mode == "none":
        return edition
    editions = [(src, out)] + ([(src / "zh", out / "zh")] if (src / "zh").is_dir() else [])
    for folder, target in editions:
        for e in series():
            path = folder / e.file
            label = path.relative_to(src).as_posix()
            if e.file in exclude:
                edition.skipped.append(f"{label}: the graded notebook")
                continue
            if not path.is_file():
                edition.skipped.append(f"{label}: not in {folder}")
                continue
            nb = read_notebook(path)
            if questions_in(nb):
                edition.skipped.append(f"{label}: records graded answers (homework, not practice)")
                continue
            if mode == "removed":
                missing = solution_only_names(nb)
                if missing:
                    edition.warnings.append(f"{label}: with its solutions removed, cell {missing[0][0]} uses "
                                            f"{missing[0][1]!r}, defined only in a solution cell")
            student, _ = strip_solutions(nb, label, keep_tagged=(mode == "hidden"))
            edition.files[target / e.file] = dumps(_hide(student) if mode == "hidden" else student)
    return edition
