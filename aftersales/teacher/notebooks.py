"""Notebook editing: the parameters cell, injected parameters, student versions, question texts.

Importing this module is light: nbformat and papermill are imported by the functions that need them.
"""
from __future__ import annotations

import ast
import copy
import os
import re
from pathlib import Path

__all__ = ["read_notebook", "dumps", "source", "parameters_cell_index", "cell_assignments",
           "questions_in", "question_texts", "strip_solutions", "strip_notebook", "normalise_ids",
           "inject_parameters", "MARKER_BEGIN", "MARKER_END"]

MARKER_BEGIN = re.compile(r"^\s*#+\s*BEGIN SOLUTION\b")
MARKER_END = re.compile(r"^\s*#+\s*END SOLUTION\b")
_MARKER_BEGIN, _MARKER_END = MARKER_BEGIN, MARKER_END
_ANSWER_CALL = re.compile(r"""\banswer\(\s*["']([^"']+)["']""")
_ORACLE_IMPORT = re.compile(r"^(\s*from\s+\S+\s+import\s+)(.*)$")
#: "**Question 1 (q1, 1 point): Value leakage per item (价值泄漏).** A returned garment ..."
_QUESTION_MD = re.compile(r"^\*\*Question\s+\S+\s+\((?P<id>[A-Za-z][\w.-]*),\s*(?P<points>[\d.]+)\s+points?\):"
                          r"\s*(?P<title>.+?)\.?\*\*\s*(?P<text>.*)$", re.S)
#: the Chinese edition: "**第 1 题（q1，1 分）：每件的价值泄漏.** 一件按你的品牌客单价定价的衣物 ..."
_QUESTION_MD_ZH = re.compile(r"^\*\*第\s*\S+?\s*题（(?P<id>[A-Za-z][\w.-]*)，\s*(?P<points>[\d.]+)\s*分）："
                             r"\s*(?P<title>.+?)\.?\*\*\s*(?P<text>.*)$", re.S)


def _without_self_check_key(lines: list[str]) -> list[str]:
    """Code lines without the practice notebooks' answer oracle (see :func:`strip_solutions`)."""
    out = []
    for line in lines:
        if "expected_answers" not in line and "expected[" not in line:
            out.append(line)
            continue
        m = _ORACLE_IMPORT.match(line)
        if m and "expected_answers" in m.group(2):
            names = [n.strip() for n in m.group(2).split(",") if n.strip() and n.strip() != "expected_answers"]
            if names:
                out.append(m.group(1) + ", ".join(names))
            continue
        if "expected_answers" in line:
            continue
        indent = line[: len(line) - len(line.lstrip())]
        out.append(f"{indent}# checked by your teacher: {line.strip()}")
    return out


def question_texts(nb) -> dict[str, dict]:
    """The questions as the notebook states them: {id: {"title", "text", "points", "cell"}}.

    A question is a markdown cell that starts ``**Question N (qN, P point): Title.** Text``
    (in the Chinese edition ``**第 N 题（qN，P 分）：Title.** Text``); the notebook is the single
    source of the wording the key and the feedback quote.

    Parameters
    ----------
    nb : NotebookNode
        The notebook.

    Returns
    -------
    dict
        Question id -> ``{"title", "text", "points", "cell"}``: the title without its final
        dot, the wording on one line (white space collapsed), the points (float) and the
        markdown cell's index (0-based).

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[
    ...     new_markdown_cell("**Question 1 (q1, 2 points): Value leakage per item.** In yuan, to two decimals."),
    ...     new_code_cell("student_id = 'template'\\nseed = 0", metadata={"tags": ["parameters"]}),
    ...     new_code_cell('### BEGIN SOLUTION\\nleakage = 250.0\\n### END SOLUTION\\nanswer("q1", leakage)')])
    >>> question_texts(nb)
    {'q1': {'title': 'Value leakage per item', 'text': 'In yuan, to two decimals.', 'points': 2.0, 'cell': 0}}
    """
    out: dict[str, dict] = {}
    for i, c in enumerate(nb.cells):
        if c.get("cell_type") != "markdown":
            continue
        m = _QUESTION_MD.match(source(c).strip()) or _QUESTION_MD_ZH.match(source(c).strip())
        if m:
            out[m.group("id")] = {"title": m.group("title").strip(), "text": " ".join(m.group("text").split()),
                                  "points": float(m.group("points")), "cell": i}
    return out


def read_notebook(path: str | os.PathLike):
    """The notebook at ``path`` (nbformat 4); errors name the file.

    Parameters
    ----------
    path : path-like
        The ``.ipynb`` file.

    Returns
    -------
    NotebookNode
        Converted to nbformat 4 if older.

    Raises
    ------
    FileNotFoundError
        When there is no such file.
    ValueError
        When nbformat cannot read it (not JSON, not a notebook), naming the file.

    Examples
    --------
    >>> import tempfile
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     good, bad = Path(tmp, "hw.ipynb"), Path(tmp, "bad.ipynb")
    ...     _ = good.write_text(dumps(new_notebook(cells=[new_code_cell("x = 1")])), encoding="utf-8")
    ...     _ = bad.write_text("not json", encoding="utf-8")
    ...     cells = read_notebook(good).cells
    ...     try:
    ...         read_notebook(bad)
    ...     except ValueError as exc:
    ...         error = str(exc).replace(tmp, "<tmp>")
    >>> [source(c) for c in cells]
    ['x = 1']
    >>> error
    "<tmp>/bad.ipynb is not a readable notebook: Notebook does not appear to be JSON: 'not json'"
    """
    import nbformat

    p = Path(path)
    if not p.is_file():
        raise FileNotFoundError(f"notebook {p} not found")
    try:
        return nbformat.read(str(p), as_version=4)
    except Exception as exc:  # nbformat raises several kinds
        raise ValueError(f"{p} is not a readable notebook: {str(exc).splitlines()[0] if str(exc) else exc}") from None


def dumps(nb) -> str:
    """The notebook as JSON text ending in a newline.

    Parameters
    ----------
    nb : NotebookNode
        The notebook (nbformat 4).

    Returns
    -------
    str
        nbformat's JSON (indent 1, keys sorted), with a final newline (files compare byte for
        byte).

    Examples
    --------
    >>> from nbformat.v4 import new_notebook
    >>> text = dumps(new_notebook())
    >>> text.startswith("{"), text.endswith("}\\n")
    (True, True)
    """
    import nbformat

    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def source(cell) -> str:
    """The source of a cell as one string.

    Parameters
    ----------
    cell : dict or NotebookNode
        A cell; its ``source`` may be a string or, as in a saved file, a list of lines.

    Returns
    -------
    str
        The lines joined ("" for a cell without source).

    Examples
    --------
    >>> source({"source": ["x = 1\\n", "y = 2"]}), source({"source": "x = 1"}), source({})
    ('x = 1\\ny = 2', 'x = 1', '')
    """
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def parameters_cell_index(nb, where: str = "the notebook") -> int:
    """Index of the single code cell tagged ``parameters`` (ValueError if none or several).

    Parameters
    ----------
    nb : NotebookNode
        The notebook.
    where : str
        The notebook's name, for the error message.

    Returns
    -------
    int
        The cell's index (0-based).

    Raises
    ------
    ValueError
        With no code cell tagged ``parameters`` (saying how to tag one), or several (numbered
        from 1).

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[
    ...     new_markdown_cell("**Question 1 (q1, 2 points): Value leakage per item.** In yuan, to two decimals."),
    ...     new_code_cell("student_id = 'template'\\nseed = 0", metadata={"tags": ["parameters"]}),
    ...     new_code_cell('### BEGIN SOLUTION\\nleakage = 250.0\\n### END SOLUTION\\nanswer("q1", leakage)')])
    >>> parameters_cell_index(nb)
    1
    >>> parameters_cell_index(new_notebook(cells=[new_code_cell("x = 1")]), "hw.ipynb")
    Traceback (most recent call last):
    ...
    ValueError: hw.ipynb has no code cell tagged 'parameters': tag the cell that sets the parameters (View > Cell Toolbar > Tags in Jupyter) and try again
    """
    idx = [i for i, c in enumerate(nb.cells)
           if c.get("cell_type") == "code" and "parameters" in c.get("metadata", {}).get("tags", [])]
    if not idx:
        raise ValueError(f"{where} has no code cell tagged 'parameters': tag the cell that sets the "
                         "parameters (View > Cell Toolbar > Tags in Jupyter) and try again")
    if len(idx) > 1:
        raise ValueError(f"{where} has {len(idx)} cells tagged 'parameters' (cells "
                         f"{', '.join(str(i + 1) for i in idx)}); keep exactly one")
    return idx[0]


def cell_assignments(source: str) -> dict:
    """Top-level ``name = literal`` assignments of a code cell (later ones win); others ignored.

    Parameters
    ----------
    source : str
        A code cell's source; nothing in it is run.

    Returns
    -------
    dict
        Name -> value, for assignments whose value is a Python literal (``ast.literal_eval``);
        ``{}`` for source that does not parse.

    Examples
    --------
    >>> cell_assignments("seed = 7\\nshare = seed / 100\\navg_order_value: float = 2500.0\\nseed = 8")
    {'seed': 8, 'avg_order_value': 2500.0}
    >>> cell_assignments("seed = (")
    {}
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return {}
    out = {}
    for node in tree.body:
        targets, value = [], None
        if isinstance(node, ast.Assign):
            targets, value = node.targets, node.value
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets, value = [node.target], node.value
        for t in targets:
            if isinstance(t, ast.Name):
                try:
                    out[t.id] = ast.literal_eval(value)
                except ValueError:
                    pass
    return out


def questions_in(nb) -> list[str]:
    """Question ids the notebook answers with answer("q..", ...), in order of appearance.

    Parameters
    ----------
    nb : NotebookNode
        The notebook; only code cells are read (each id once).

    Returns
    -------
    list of str

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[
    ...     new_markdown_cell("**Question 1 (q1, 2 points): Value leakage per item.** In yuan, to two decimals."),
    ...     new_code_cell("student_id = 'template'\\nseed = 0", metadata={"tags": ["parameters"]}),
    ...     new_code_cell('### BEGIN SOLUTION\\nleakage = 250.0\\n### END SOLUTION\\nanswer("q1", leakage)')])
    >>> questions_in(nb)
    ['q1']
    """
    seen: list[str] = []
    for c in nb.cells:
        if c.get("cell_type") == "code":
            for q in _ANSWER_CALL.findall(source(c)):
                if q not in seen:
                    seen.append(q)
    return seen


#: The tag of a practice notebook's hidden solution cell (removed whole from a student version).
SOLUTION_TAG = "solution"


def strip_solutions(nb, where: str = "the notebook", keep_tagged: bool = False):
    """A student version of ``nb`` (a copy).

    Every block between ``### BEGIN SOLUTION`` and ``### END SOLUTION`` becomes
    ``# YOUR CODE HERE`` + ``raise NotImplementedError()`` (in markdown: ``YOUR ANSWER HERE``);
    the practice notebooks' answer oracle goes too: a line calling ``expected_answers(...)`` is
    removed, the name leaves its import, and a line that reads ``expected[...]`` (the self-check
    against the computed answer) is turned into a comment. A cell tagged ``solution`` (the
    practice notebooks' hidden worked solution below each student cell) is removed whole, and
    counts as one block. Outputs and execution counts are cleared.

    Parameters
    ----------
    nb : NotebookNode
        The teacher's notebook (not changed).
    where : str
        The notebook's name, for error messages.
    keep_tagged : bool
        Keep the cells tagged ``solution`` whole (the practice notebooks' worked solutions, for a
        student edition that hides them rather than removes them; only their marker lines go);
        marker blocks in the other cells still go.

    Returns
    -------
    tuple of (NotebookNode, int)
        The student version and the number of solution blocks removed.

    Raises
    ------
    ValueError
        For markers that do not pair up (naming the notebook and the cell, numbered from 1).

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[
    ...     new_markdown_cell("**Question 1 (q1, 2 points): Value leakage per item.** In yuan, to two decimals."),
    ...     new_code_cell("student_id = 'template'\\nseed = 0", metadata={"tags": ["parameters"]}),
    ...     new_code_cell('### BEGIN SOLUTION\\nleakage = 250.0\\n### END SOLUTION\\nanswer("q1", leakage)')])
    >>> student, blocks = strip_solutions(nb, "hw.ipynb")
    >>> blocks
    1
    >>> print(source(student.cells[2]))
    # YOUR CODE HERE
    raise NotImplementedError()
    answer("q1", leakage)
    """
    nb = copy.deepcopy(nb)
    tagged = [] if keep_tagged else [c for c in nb.cells
                                     if SOLUTION_TAG in c.get("metadata", {}).get("tags", [])]
    nb.cells = [c for c in nb.cells if not any(c is t for t in tagged)]
    blocks = len(tagged)
    for i, cell in enumerate(nb.cells):
        if keep_tagged and SOLUTION_TAG in cell.get("metadata", {}).get("tags", []):
            lines = [ln for ln in source(cell).split("\n") if not (_MARKER_BEGIN.match(ln) or _MARKER_END.match(ln))]
            cell.source = "\n".join(lines)          # a worked solution kept whole, without its markers
            cell.outputs, cell.execution_count = [], None
            continue
        lines = source(cell).split("\n")
        out, inside = [], False
        for line in lines:
            if _MARKER_BEGIN.match(line):
                if inside:
                    raise ValueError(f"{where}, cell {i + 1}: BEGIN SOLUTION inside another solution block")
                inside = True
                blocks += 1
                indent = line[: len(line) - len(line.lstrip())]
                if cell.get("cell_type") == "code":
                    out += [indent + "# YOUR CODE HERE", indent + "raise NotImplementedError()"]
                else:
                    out.append("YOUR ANSWER HERE")
            elif _MARKER_END.match(line):
                if not inside:
                    raise ValueError(f"{where}, cell {i + 1}: END SOLUTION without BEGIN SOLUTION")
                inside = False
            elif not inside:
                out.append(line)
        if inside:
            raise ValueError(f"{where}, cell {i + 1}: BEGIN SOLUTION without END SOLUTION")
        if cell.get("cell_type") == "code":
            out = _without_self_check_key(out)
        cell.source = "\n".join(out)
        if cell.get("cell_type") == "code":
            cell.outputs = []
            cell.execution_count = None
        for k in ("papermill", "execution"):
            cell.get("metadata", {}).pop(k, None)
    nb.metadata.pop("papermill", None)
    return nb, blocks


def strip_notebook(notebook: str | os.PathLike, out: str | os.PathLike, force: bool = False) -> int:
    """Write the student version of ``notebook`` to ``out`` (see :func:`strip_solutions`).

    Parameters
    ----------
    notebook : path-like
        The teacher's notebook.
    out : path-like
        The student version to write; never overwritten without ``force``, never the notebook itself.
    force : bool
        Overwrite ``out`` if it exists.

    Returns
    -------
    int
        The number of solution blocks removed (0: the teacher should be told).

    Raises
    ------
    FileExistsError
        When ``out`` exists and not ``force``.
    ValueError
        When ``out`` is the notebook itself (even with ``force``), or as :func:`read_notebook`
        and :func:`strip_solutions`.
    IsADirectoryError
        When ``out`` is a folder.

    Examples
    --------
    >>> import tempfile
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[
    ...     new_markdown_cell("**Question 1 (q1, 2 points): Value leakage per item.** In yuan, to two decimals."),
    ...     new_code_cell("student_id = 'template'\\nseed = 0", metadata={"tags": ["parameters"]}),
    ...     new_code_cell('### BEGIN SOLUTION\\nleakage = 250.0\\n### END SOLUTION\\nanswer("q1", leakage)')])
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     teacher = Path(tmp, "hw.ipynb")
    ...     _ = teacher.write_text(dumps(nb), encoding="utf-8")
    ...     blocks = strip_notebook(teacher, Path(tmp, "student", "hw.ipynb"))
    ...     student = read_notebook(Path(tmp, "student", "hw.ipynb"))
    ...     try:
    ...         strip_notebook(teacher, teacher, force=True)
    ...     except ValueError as exc:
    ...         error = str(exc).replace(tmp, "<tmp>")
    >>> blocks, "BEGIN SOLUTION" in source(student.cells[2])
    (1, False)
    >>> error
    '--out <tmp>/hw.ipynb is the notebook itself: that would delete its solutions'
    """
    src, dst = Path(notebook), Path(out)
    nb = read_notebook(src)
    if dst.exists() and dst.resolve() == src.resolve():
        raise ValueError(f"--out {dst} is the notebook itself: that would delete its solutions")
    if dst.exists() and not force:
        raise FileExistsError(f"{dst} already exists; use --force to overwrite it")
    if dst.is_dir():
        raise IsADirectoryError(f"--out {dst} is a folder; give a file name")
    student, blocks = strip_solutions(nb, str(src))
    dst.parent.mkdir(parents=True, exist_ok=True)
    dst.write_text(dumps(student), encoding="utf-8")
    return blocks


def normalise_ids(nb) -> None:
    """nbformat 4.5 with a stable id on every cell (random ids would break byte-identical output).

    Parameters
    ----------
    nb : NotebookNode
        Changed in place: ``nbformat_minor`` at least 5; a cell without an id, or with one
        already used, gets ``cell-<index>`` (with "-" added until it is unique).

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_notebook
    >>> nb = new_notebook(cells=[new_code_cell("x = 1"), new_code_cell("y = 2")])
    >>> nb.nbformat_minor = 4
    >>> for cell in nb.cells:
    ...     del cell["id"]
    >>> nb.cells[1]["id"] = "answer"
    >>> normalise_ids(nb)
    >>> nb.nbformat_minor, [cell["id"] for cell in nb.cells]
    (5, ['cell-0', 'answer'])
    """
    nb.nbformat, nb.nbformat_minor = 4, max(5, nb.get("nbformat_minor", 0))
    used = set()
    for i, c in enumerate(nb.cells):
        cid = c.get("id")
        if not cid or cid in used:
            cid = f"cell-{i}"
            while cid in used:
                cid += "-"
            c["id"] = cid
        used.add(cid)


def inject_parameters(template, parameters: dict):
    """The template with an ``injected-parameters`` cell after its parameters cell (papermill).

    Parameters
    ----------
    template : NotebookNode
        The student version, with a cell tagged ``parameters`` (not changed).
    parameters : dict
        Name -> value (numbers and text); ``student_id`` goes into the cell's comment.

    Returns
    -------
    NotebookNode
        A copy with papermill's ``injected-parameters`` cell (id ``injected-parameters``) right
        after the parameters cell; cells without tags keep having none.

    Notes
    -----
    The example's two papermill lines are not run by the doctests: importing papermill takes
    about a second, more than the whole budget of an example (their output was checked by hand).
    The cheap part that runs reads the injected values back with :func:`cell_assignments`, as
    grading does (:func:`aftersales.teacher.marking.found_parameters`).

    Examples
    --------
    >>> from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook
    >>> nb = new_notebook(cells=[
    ...     new_markdown_cell("**Question 1 (q1, 2 points): Value leakage per item.** In yuan, to two decimals."),
    ...     new_code_cell("student_id = 'template'\\nseed = 0", metadata={"tags": ["parameters"]}),
    ...     new_code_cell('### BEGIN SOLUTION\\nleakage = 250.0\\n### END SOLUTION\\nanswer("q1", leakage)')])
    >>> nb = inject_parameters(nb, {"student_id": "s1", "seed": 7})   # doctest: +SKIP
    >>> print(source(nb.cells[2]))                                  # doctest: +SKIP
    # Parameters of student s1: do not change them
    student_id = "s1"
    seed = 7
    <BLANKLINE>
    >>> cell_assignments('# Parameters of student s1: do not change them\\nstudent_id = "s1"\\nseed = 7\\n')
    {'student_id': 's1', 'seed': 7}
    """
    from papermill.parameterize import parameterize_notebook

    nb = copy.deepcopy(template)
    nb.metadata.setdefault("papermill", {})
    bare = set()
    for i, c in enumerate(nb.cells):          # papermill reads cell.metadata.tags on every cell
        if "tags" not in c.metadata:
            c.metadata["tags"] = []
            bare.add(c.get("id"))
    sid = parameters.get("student_id")
    comment = f"Parameters of student {sid}: do not change them" if sid is not None else "Parameters"
    nb = parameterize_notebook(nb, parameters, comment=comment, kernel_name="python3", language="python")
    for c in nb.cells:
        if c.get("id") in bare and not c.metadata.get("tags"):
            del c.metadata["tags"]
    used = {c.get("id") for c in nb.cells if "injected-parameters" not in c.metadata.get("tags", [])}
    for c in nb.cells:
        if "injected-parameters" in c.metadata.get("tags", []):
            cid = "injected-parameters"
            while cid in used:
                cid += "-"
            c["id"] = cid
    return nb
