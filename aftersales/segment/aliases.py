"""The alias table: platform headers and labels mapped onto the canonical names."""
from __future__ import annotations

import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Sequence

if TYPE_CHECKING:  # pragma: no cover
    import pandas as pd
    import pyarrow as pa

import csv
from dataclasses import dataclass

from aftersales.segment.schema import (ALL_COLUMNS, CASE_TYPES, CLOSED_FIELDS, DERIVED_COLUMNS, LABEL_COLUMNS, REASONS,
                                       label_key)

__all__ = ["Aliases", "load_aliases"]

# ------------------------------------------------------------------------------ aliases
@dataclass(frozen=True)
class Aliases:
    """The alias table: for each field, {normalised label: canonical}.

    Platform exports name the same column and the same label in many ways (订单编号, 订单号;
    天猫, 天猫旗舰店); the table maps each, compared by :func:`~aftersales.segment.schema.label_key`
    (trimmed, case-folded, runs of space, ``_`` and ``-`` as one ``_``), onto one canonical name.
    Build it with :func:`load_aliases` rather than by hand.

    Parameters
    ----------
    table : dict of str to dict of str to str
        Per field (``"column"``, ``"channel"``, ``"category"``, ``"case_type"``, ``"reason"``),
        {normalised label: canonical name}.
    source : str, optional
        Where the table was read from, for messages (default ``"data/aliases.csv"``).

    Examples
    --------
    >>> aliases = Aliases({"channel": {"天猫": "tmall"}}, source="mine.csv")
    >>> aliases.lookup("channel")
    {'天猫': 'tmall'}
    >>> aliases.lookup("reason")          # a field without rows maps nothing
    {}
    >>> aliases.column_map()["case_id"]   # the canonical names map to themselves
    'case_id'
    """

    table: dict[str, dict[str, str]]
    source: str = "data/aliases.csv"

    def lookup(self, fieldname: str) -> dict[str, str]:
        """{normalised label: canonical} of one field (empty for a field without rows)."""
        return self.table.get(fieldname, {})

    def column_map(self) -> dict[str, str]:
        """{normalised header: canonical column}, the canonical names included."""
        m = {label_key(c): c for c in ALL_COLUMNS + DERIVED_COLUMNS}
        m.update(self.lookup("column"))
        return m


def load_aliases(path: str | os.PathLike | None = None,
                 extra: str | os.PathLike | Sequence[str | os.PathLike] | None = None) -> Aliases:
    """Read the alias table, and an analyst's own tables merged over it.

    Parameters
    ----------
    path : str or os.PathLike, optional
        The base table: CSV with the header ``field,label,canonical``; lines starting with
        ``#`` are comments. The shipped ``data/aliases.csv`` when None (default).
    extra : str or os.PathLike or sequence of them, optional
        The analyst's own table(s) in the same format (``segment --aliases FILE``): their rows
        are added to the base table, and a label they map differently wins. None (default):
        none.

    Returns
    -------
    Aliases
        The merged table; the canonical case types and reasons always map to themselves.
        ``source`` names the files read, joined by ``" + "``.

    Raises
    ------
    FileNotFoundError
        If a table does not exist.
    ValueError
        If a table's first line is not ``field,label,canonical``, or a line has not three
        values, names an unknown field, maps a case type or reason outside the closed lists, a
        column onto a name that is not a canonical column of a source, or has an empty label;
        the message names the file and line.

    Notes
    -----
    Tables are read in order (base, then each extra), each row overwriting an earlier mapping
    of the same normalised label: the last file wins.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> shipped = load_aliases()
    >>> shipped.lookup("channel")["天猫旗舰店"], shipped.column_map()["订单编号"]
    ('tmall', 'order_id')
    >>> with tempfile.TemporaryDirectory() as d:
    ...     mine = Path(d) / "mine.csv"
    ...     _ = mine.write_text("field,label,canonical\\nchannel,Tmall Global,tmall\\n", encoding="utf-8")
    ...     merged = load_aliases(extra=mine)
    ...     bad = Path(d) / "bad.csv"
    ...     _ = bad.write_text("field,label,canonical\\nreason,太大了,too_big\\n", encoding="utf-8")
    ...     try:
    ...         load_aliases(extra=bad)
    ...     except ValueError as e:
    ...         print(str(e).replace(str(bad), "bad.csv").split(";")[0])
    bad.csv, line 2: 'too_big' is not a reason
    >>> merged.lookup("channel")["tmall_global"]   # labels are compared trimmed, case-folded
    'tmall'
    """
    from aftersales.model.scenario import DATA_DIR

    base = Path(path) if path is not None else DATA_DIR / "aliases.csv"
    fields = ("column",) + LABEL_COLUMNS
    table: dict[str, dict[str, str]] = {f: {} for f in fields}
    for c in CASE_TYPES:
        table["case_type"][label_key(c)] = c
    for r in REASONS:
        table["reason"][label_key(r)] = r
    extra = [] if extra is None else [extra] if isinstance(extra, (str, os.PathLike)) else list(extra)
    for p in [base] + [Path(e) for e in extra]:
        _read_into(Path(p), table, fields)
    return Aliases(table, " + ".join(str(p) for p in [base] + extra))


def _read_into(p: Path, table: dict, fields: tuple) -> None:
    if not p.is_file():
        raise FileNotFoundError(f"{p}: no such alias table")
    with open(p, encoding="utf-8-sig", newline="") as fh:
        lines = [(i, ln) for i, ln in enumerate(fh, start=1) if ln.strip() and not ln.lstrip().startswith("#")]
    rows = list(csv.reader([ln for _, ln in lines]))
    if not rows or [c.strip() for c in rows[0]] != ["field", "label", "canonical"]:
        raise ValueError(f"{p}: the first line must be the header field,label,canonical")
    for (lineno, _), row in zip(lines[1:], rows[1:]):
        if len(row) != 3:
            raise ValueError(f"{p}, line {lineno}: expected 3 values (field,label,canonical), got {len(row)}")
        f, label, canon = (x.strip() for x in row)
        if f not in fields:
            raise ValueError(f"{p}, line {lineno}: unknown field {f!r}; use one of {', '.join(fields)}")
        if f in CLOSED_FIELDS and canon not in CLOSED_FIELDS[f]:
            raise ValueError(f"{p}, line {lineno}: {canon!r} is not a {f}; use one of {', '.join(CLOSED_FIELDS[f])}")
        if f == "column" and canon not in ALL_COLUMNS:
            raise ValueError(f"{p}, line {lineno}: {canon!r} is not a column of a source; use one of "
                             f"{', '.join(ALL_COLUMNS)}")
        if not label or not canon:
            raise ValueError(f"{p}, line {lineno}: empty label or canonical name")
        table[f][label_key(label)] = canon
